using System;
using System.Linq;
using System.Net;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Network.Arp;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Network.Arp
{
    public class ArpPacketTests
    {
        private static readonly byte[] OurMac = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };

        [Fact]
        public void A_request_has_the_RFC_826_layout()
        {
            var packet = ArpPacket.BuildRequest(OurMac, IPAddress.Parse("192.168.1.1"), IPAddress.Parse("192.168.1.10"));
            var expected = new byte[]
            {
                0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
                0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 192, 168, 1, 1,
                0, 0, 0, 0, 0, 0, 192, 168, 1, 10,
            };
            Assert.Equal(expected, packet);
        }

        [Fact]
        public void A_probe_claims_no_sender_address()
        {
            var packet = ArpPacket.BuildRequest(OurMac, IPAddress.Any, IPAddress.Parse("10.0.0.7"));
            Assert.True(ArpPacket.TryParse(packet, packet.Length, out var message));
            Assert.True(message!.IsProbe);
            Assert.Equal(ArpOperation.Request, message.Operation);
        }

        [Fact]
        public void Reads_a_reply_from_an_Ethernet_frame_with_padding()
        {
            var reply = ArpPacket.Build(ArpOperation.Reply, new byte[] { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff }, IPAddress.Parse("198.19.254.10"),
                OurMac, IPAddress.Parse("198.19.254.1"));
            var frame = new byte[46];
            Buffer.BlockCopy(reply, 0, frame, 0, reply.Length);
            Assert.True(ArpPacket.TryParse(frame, frame.Length, out var message));
            Assert.Equal(ArpOperation.Reply, message!.Operation);
            Assert.Equal("198.19.254.10", message.SenderAddress.ToString());
            Assert.Equal("aa:bb:cc:dd:ee:ff", LinkAddress.Format(message.SenderMac));
            Assert.Equal("198.19.254.1", message.TargetAddress.ToString());
            Assert.False(message.IsProbe);
        }

        [Theory]
        [InlineData(0, 0x00, 0x02)]   // hardware type 2 (Experimental Ethernet)
        [InlineData(2, 0x86, 0xdd)]   // protocol IPv6
        [InlineData(4, 8, 4)]         // hardware length 8
        [InlineData(5, 6, 16)]        // protocol length 16
        [InlineData(6, 0x00, 0x03)]   // RARP request
        [InlineData(6, 0x00, 0x00)]   // operation 0
        public void Refuses_what_is_not_an_Ethernet_IPv4_request_or_reply(int offset, byte first, byte second)
        {
            var packet = ArpPacket.BuildRequest(OurMac, IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"));
            packet[offset] = first;
            packet[offset + 1] = second;
            Assert.False(ArpPacket.TryParse(packet, packet.Length, out var message));
            Assert.Null(message);
        }

        [Fact]
        public void Accepts_the_IEEE_802_hardware_type()
        {
            var packet = ArpPacket.BuildRequest(OurMac, IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"));
            packet[1] = 6;
            Assert.True(ArpPacket.TryParse(packet, packet.Length, out _));
        }

        [Fact]
        public void Refuses_truncated_packets_and_lengths_beyond_the_buffer()
        {
            var packet = ArpPacket.BuildRequest(OurMac, IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"));
            for (var length = 0; length < ArpPacket.Length; length++)
                Assert.False(ArpPacket.TryParse(packet, length, out _));
            Assert.False(ArpPacket.TryParse(packet, packet.Length + 1, out _));
            Assert.False(ArpPacket.TryParse(null!, 28, out _));
        }

        [Fact]
        public void Refuses_to_build_with_IPv6_or_a_bad_MAC()
        {
            Assert.Throws<ArgumentException>(() => ArpPacket.BuildRequest(OurMac, IPAddress.Parse("10.0.0.1"), IPAddress.Parse("fe80::1")));
            Assert.Throws<ArgumentException>(() => ArpPacket.BuildRequest(new byte[5], IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")));
        }

        [Property(MaxTest = 300)]
        public bool Whatever_is_built_reads_back_the_same(byte[] seed, uint sender, uint target, bool reply)
        {
            var senderMac = Mac(seed, 0);
            var targetMac = Mac(seed, 7);
            var senderAddress = new IPAddress(BitConverter.GetBytes(sender));
            var targetAddress = new IPAddress(BitConverter.GetBytes(target));
            var operation = reply ? ArpOperation.Reply : ArpOperation.Request;
            var packet = ArpPacket.Build(operation, senderMac, senderAddress, targetMac, targetAddress);
            var ok = ArpPacket.TryParse(packet, packet.Length, out var m);
            return ok && m!.Operation == operation
                    && m.SenderMac.SequenceEqual(senderMac) && m.TargetMac.SequenceEqual(targetMac)
                    && m.SenderAddress.Equals(senderAddress) && m.TargetAddress.Equals(targetAddress)
                    && m.IsProbe == (sender == 0);
        }

        [Property(MaxTest = 500)]
        public bool Random_bytes_never_throw_and_only_well_formed_ones_parse(byte[] data)
        {
            var bytes = data ?? Array.Empty<byte>();
            var ok = ArpPacket.TryParse(bytes, bytes.Length, out var m);
            var wellFormed = bytes.Length >= 28 && (bytes[0] << 8 | bytes[1]) is 1 or 6 && bytes[2] == 8 && bytes[3] == 0
                && bytes[4] == 6 && bytes[5] == 4 && bytes[6] == 0 && bytes[7] is 1 or 2;
            return ok == wellFormed && (m != null) == ok;
        }

        [Property(MaxTest = 500)]
        public bool A_corrupted_header_byte_is_caught_and_a_corrupted_body_byte_is_read_as_is(byte position, byte value)
        {
            var packet = ArpPacket.BuildRequest(OurMac, IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"));
            var at = position % ArpPacket.Length;
            packet[at] = value;
            var ok = ArpPacket.TryParse(packet, packet.Length, out var m);
            var headerIntact = (packet[0] << 8 | packet[1]) is 1 or 6 && packet[2] == 8 && packet[3] == 0
                && packet[4] == 6 && packet[5] == 4 && packet[6] == 0 && packet[7] is 1 or 2;
            if (!headerIntact) return !ok && m == null;
            return ok && (at < 8 || at >= 28 || (at < 14 ? m!.SenderMac[at - 8] == value
                : at < 18 ? m!.SenderAddress.GetAddressBytes()[at - 14] == value
                : at < 24 ? m!.TargetMac[at - 18] == value
                : m!.TargetAddress.GetAddressBytes()[at - 24] == value));
        }

        private static byte[] Mac(byte[] seed, int salt)
        {
            var mac = new byte[6];
            for (var i = 0; i < 6; i++) mac[i] = seed != null && seed.Length > 0 ? (byte)(seed[(i + salt) % seed.Length] + salt + i) : (byte)(i + salt);
            return mac;
        }
    }
}
