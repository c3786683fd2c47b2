using System;
using System.Net;
using System.Net.Sockets;

namespace Tssr.Tools.Engine.Network.Arp
{
    /// <summary>One ARP message for IPv4 over an Ethernet-like link (RFC 826).</summary>
    internal sealed class ArpMessage
    {
        public ArpMessage(ArpOperation operation, byte[] senderMac, IPAddress senderAddress, byte[] targetMac, IPAddress targetAddress)
        {
            Operation = operation;
            SenderMac = senderMac;
            SenderAddress = senderAddress;
            TargetMac = targetMac;
            TargetAddress = targetAddress;
        }

        public ArpOperation Operation { get; }
        public byte[] SenderMac { get; }
        public IPAddress SenderAddress { get; }
        public byte[] TargetMac { get; }
        public IPAddress TargetAddress { get; }

        /// <summary>An RFC 5227 probe: the sender claims no address yet (0.0.0.0).</summary>
        public bool IsProbe => SenderAddress.Equals(IPAddress.Any);
    }

    internal enum ArpOperation : ushort
    {
        Request = 1,
        Reply = 2,
    }

    /// <summary>
    /// Builds and reads ARP packets (the payload after the Ethernet header: a packet socket of type
    /// SOCK_DGRAM adds and strips the link header itself). Parsing never throws: anything that is not
    /// a well-formed Ethernet/IPv4 request or reply is simply not an ARP message for us.
    /// </summary>
    internal static class ArpPacket
    {
        /// <summary>Size of an Ethernet/IPv4 ARP packet; frames may carry padding after it.</summary>
        public const int Length = 28;
        public const ushort EtherTypeArp = 0x0806;
        private const ushort HardwareEthernet = 1;
        private const ushort HardwareIeee802 = 6;
        private const ushort ProtocolIPv4 = 0x0800;

        /// <summary>
        /// A who-has request for <paramref name="targetAddress"/>. With <paramref name="senderAddress"/>
        /// 0.0.0.0 it is an RFC 5227 probe, which asks without touching anybody's ARP cache.
        /// </summary>
        public static byte[] BuildRequest(byte[] senderMac, IPAddress senderAddress, IPAddress targetAddress)
            => Build(ArpOperation.Request, senderMac, senderAddress, new byte[6], targetAddress);

        public static byte[] Build(ArpOperation operation, byte[] senderMac, IPAddress senderAddress, byte[] targetMac, IPAddress targetAddress)
        {
            CheckMac(senderMac, nameof(senderMac));
            CheckMac(targetMac, nameof(targetMac));
            var packet = new byte[Length];
            WriteUInt16(packet, 0, HardwareEthernet);
            WriteUInt16(packet, 2, ProtocolIPv4);
            packet[4] = 6;
            packet[5] = 4;
            WriteUInt16(packet, 6, (ushort)operation);
            Buffer.BlockCopy(senderMac, 0, packet, 8, 6);
            Buffer.BlockCopy(IPv4Bytes(senderAddress, nameof(senderAddress)), 0, packet, 14, 4);
            Buffer.BlockCopy(targetMac, 0, packet, 18, 6);
            Buffer.BlockCopy(IPv4Bytes(targetAddress, nameof(targetAddress)), 0, packet, 24, 4);
            return packet;
        }

        /// <summary>Reads a request or reply; false for anything else, truncated or foreign.</summary>
        public static bool TryParse(byte[] data, int length, out ArpMessage? message)
        {
            message = null;
            if (data == null || length < Length || length > data.Length) return false;
            var hardware = ReadUInt16(data, 0);
            if (hardware != HardwareEthernet && hardware != HardwareIeee802) return false;
            if (ReadUInt16(data, 2) != ProtocolIPv4 || data[4] != 6 || data[5] != 4) return false;
            var operation = ReadUInt16(data, 6);
            if (operation != (ushort)ArpOperation.Request && operation != (ushort)ArpOperation.Reply) return false;
            message = new ArpMessage(
                (ArpOperation)operation,
                Slice(data, 8, 6),
                new IPAddress(Slice(data, 14, 4)),
                Slice(data, 18, 6),
                new IPAddress(Slice(data, 24, 4)));
            return true;
        }

        private static byte[] IPv4Bytes(IPAddress address, string name)
        {
            if (address == null || address.AddressFamily != AddressFamily.InterNetwork)
                throw new ArgumentException("ARP carries IPv4 addresses only.", name);
            return address.GetAddressBytes();
        }

        private static void CheckMac(byte[] mac, string name)
        {
            if (mac == null || mac.Length != 6) throw new ArgumentException("An Ethernet address has 6 bytes.", name);
        }

        private static byte[] Slice(byte[] data, int offset, int count)
        {
            var part = new byte[count];
            Buffer.BlockCopy(data, offset, part, 0, count);
            return part;
        }

        private static ushort ReadUInt16(byte[] data, int offset) => (ushort)((data[offset] << 8) | data[offset + 1]);

        private static void WriteUInt16(byte[] data, int offset, ushort value)
        {
            data[offset] = (byte)(value >> 8);
            data[offset + 1] = (byte)value;
        }
    }
}
