using System;
using System.Net;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Network.Arp;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Network.Arp
{
    public class NdpPacketTests
    {
        private static readonly byte[] OurMac = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };

        [Fact]
        public void A_solicitation_has_the_RFC_4861_layout()
        {
            var packet = NdpPacket.BuildSolicitation(IPAddress.Parse("fd00:19:254::10"), OurMac);
            Assert.Equal(32, packet.Length);
            Assert.Equal(135, packet[0]);
            Assert.Equal(0, packet[1]);
            Assert.Equal(new byte[6], packet[2..8]);   // checksum (kernel fills it) and reserved
            Assert.Equal(IPAddress.Parse("fd00:19:254::10").GetAddressBytes(), packet[8..24]);
            Assert.Equal(new byte[] { 1, 1, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 }, packet[24..32]);
        }

        [Theory]
        [InlineData("fd00:19:254::10", "ff02::1:ff00:10")]
        [InlineData("2001:db8::abcd:ef12", "ff02::1:ffcd:ef12")]
        [InlineData("fe80::5a3a:1cff:fe85:6e28", "ff02::1:ff85:6e28")]
        public void Asks_on_the_solicited_node_group(string target, string group)
            => Assert.Equal(IPAddress.Parse(group), NdpPacket.SolicitedNodeAddress(IPAddress.Parse(target)));

        [Fact]
        public void Reads_an_advertisement_with_its_target_link_layer_address()
        {
            var na = Advertisement("fd00:19:254::10", 0x60, new byte[] { 2, 1, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff });
            Assert.True(NdpPacket.TryParseAdvertisement(na, na.Length, out var a));
            Assert.Equal(IPAddress.Parse("fd00:19:254::10"), a!.TargetAddress);
            Assert.Equal("aa:bb:cc:dd:ee:ff", LinkAddress.Format(a.TargetMac!));
            Assert.True(a.Solicited);
            Assert.True(a.Override);
            Assert.False(a.Router);
        }

        [Fact]
        public void Skips_other_options_and_keeps_the_advertisement_without_a_MAC()
        {
            var withMtuFirst = Advertisement("fd00::1", 0x80, new byte[] { 5, 1, 0, 0, 0, 0, 5, 220, 2, 1, 1, 2, 3, 4, 5, 6 });
            Assert.True(NdpPacket.TryParseAdvertisement(withMtuFirst, withMtuFirst.Length, out var a));
            Assert.Equal("01:02:03:04:05:06", LinkAddress.Format(a!.TargetMac!));
            Assert.True(a.Router);

            var bare = Advertisement("fd00::1", 0x40, Array.Empty<byte>());
            Assert.True(NdpPacket.TryParseAdvertisement(bare, bare.Length, out var b));
            Assert.Null(b!.TargetMac);
        }

        [Fact]
        public void Refuses_zero_length_or_overrunning_options_and_other_messages()
        {
            var zero = Advertisement("fd00::1", 0x40, new byte[] { 2, 0, 1, 2, 3, 4, 5, 6 });
            Assert.False(NdpPacket.TryParseAdvertisement(zero, zero.Length, out _));
            var overrun = Advertisement("fd00::1", 0x40, new byte[] { 2, 2, 1, 2, 3, 4, 5, 6 });
            Assert.False(NdpPacket.TryParseAdvertisement(overrun, overrun.Length, out _));
            var solicitation = NdpPacket.BuildSolicitation(IPAddress.Parse("fd00::1"), OurMac);
            Assert.False(NdpPacket.TryParseAdvertisement(solicitation, solicitation.Length, out _));
            var multicastTarget = Advertisement("ff02::1", 0x40, Array.Empty<byte>());
            Assert.False(NdpPacket.TryParseAdvertisement(multicastTarget, multicastTarget.Length, out _));
            var truncated = Advertisement("fd00::1", 0x40, Array.Empty<byte>());
            Assert.False(NdpPacket.TryParseAdvertisement(truncated, 23, out _));
        }

        [Property(MaxTest = 500)]
        public bool Random_bytes_never_throw(byte[] data, bool makeItAnAdvertisement)
        {
            var bytes = data ?? Array.Empty<byte>();
            if (makeItAnAdvertisement && bytes.Length > 1)
            {
                bytes[0] = 136;
                bytes[1] = 0;
            }
            var ok = NdpPacket.TryParseAdvertisement(bytes, bytes.Length, out var a);
            return (a != null) == ok && (!ok || bytes.Length >= 24);
        }

        private static byte[] Advertisement(string target, byte flags, byte[] options)
        {
            var packet = new byte[24 + options.Length];
            packet[0] = 136;
            packet[4] = flags;
            Buffer.BlockCopy(IPAddress.Parse(target).GetAddressBytes(), 0, packet, 8, 16);
            Buffer.BlockCopy(options, 0, packet, 24, options.Length);
            return packet;
        }
    }
}
