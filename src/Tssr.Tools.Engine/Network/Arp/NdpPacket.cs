using System;
using System.Net;
using System.Net.Sockets;

namespace Tssr.Tools.Engine.Network.Arp
{
    /// <summary>A neighbour advertisement read off the wire: who claims an IPv6 address, from which MAC.</summary>
    internal sealed class NeighbourAdvertisement
    {
        public NeighbourAdvertisement(IPAddress targetAddress, byte[]? targetMac, bool solicited, bool overrideFlag, bool router)
        {
            TargetAddress = targetAddress;
            TargetMac = targetMac;
            Solicited = solicited;
            Override = overrideFlag;
            Router = router;
        }

        public IPAddress TargetAddress { get; }
        /// <summary>The target link-layer address option; null when the sender left it out.</summary>
        public byte[]? TargetMac { get; }
        public bool Solicited { get; }
        public bool Override { get; }
        public bool Router { get; }
    }

    /// <summary>
    /// Builds neighbour solicitations and reads neighbour advertisements (RFC 4861), as ICMPv6
    /// messages without the IPv6 header (what a raw ICMPv6 socket sends and receives). The checksum
    /// is left at zero: the Linux kernel always computes it for raw ICMPv6 sockets.
    /// </summary>
    internal static class NdpPacket
    {
        public const byte TypeNeighbourSolicitation = 135;
        public const byte TypeNeighbourAdvertisement = 136;
        private const byte OptionSourceLinkLayer = 1;
        private const byte OptionTargetLinkLayer = 2;

        /// <summary>A solicitation for <paramref name="target"/> carrying our MAC as source link-layer option.</summary>
        public static byte[] BuildSolicitation(IPAddress target, byte[] sourceMac)
        {
            if (target == null || target.AddressFamily != AddressFamily.InterNetworkV6)
                throw new ArgumentException("Neighbour discovery is for IPv6 addresses.", nameof(target));
            if (sourceMac == null || sourceMac.Length != 6) throw new ArgumentException("An Ethernet address has 6 bytes.", nameof(sourceMac));
            var packet = new byte[32];
            packet[0] = TypeNeighbourSolicitation;
            Buffer.BlockCopy(target.GetAddressBytes(), 0, packet, 8, 16);
            packet[24] = OptionSourceLinkLayer;
            packet[25] = 1; // length in units of 8 bytes
            Buffer.BlockCopy(sourceMac, 0, packet, 26, 6);
            return packet;
        }

        /// <summary>The solicited-node multicast group of <paramref name="target"/>: ff02::1:ffXX:XXXX.</summary>
        public static IPAddress SolicitedNodeAddress(IPAddress target)
        {
            var bytes = target.GetAddressBytes();
            var group = new byte[16];
            group[0] = 0xff;
            group[1] = 0x02;
            group[11] = 0x01;
            group[12] = 0xff;
            group[13] = bytes[13];
            group[14] = bytes[14];
            group[15] = bytes[15];
            return new IPAddress(group);
        }

        /// <summary>Reads an advertisement; false for any other message or a malformed one.</summary>
        public static bool TryParseAdvertisement(byte[] data, int length, out NeighbourAdvertisement? advertisement)
        {
            advertisement = null;
            if (data == null || length < 24 || length > data.Length) return false;
            if (data[0] != TypeNeighbourAdvertisement || data[1] != 0) return false;
            var flags = data[4];
            var targetBytes = new byte[16];
            Buffer.BlockCopy(data, 8, targetBytes, 0, 16);
            var target = new IPAddress(targetBytes);
            if (IsMulticast(targetBytes)) return false;

            byte[]? mac = null;
            var offset = 24;
            while (offset + 2 <= length)
            {
                var optionLength = data[offset + 1] * 8;
                // RFC 4861 7.1.2: an option of length zero makes the whole message invalid.
                if (optionLength == 0 || offset + optionLength > length) return false;
                if (data[offset] == OptionTargetLinkLayer && optionLength >= 8 && mac == null)
                {
                    mac = new byte[6];
                    Buffer.BlockCopy(data, offset + 2, mac, 0, 6);
                }
                offset += optionLength;
            }
            advertisement = new NeighbourAdvertisement(target, mac, (flags & 0x40) != 0, (flags & 0x20) != 0, (flags & 0x80) != 0);
            return true;
        }

        private static bool IsMulticast(byte[] address) => address[0] == 0xff;
    }
}
