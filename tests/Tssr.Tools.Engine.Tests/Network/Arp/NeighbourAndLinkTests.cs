using System;
using System.Collections.Generic;
using System.Net;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Network.Arp;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Network.Arp
{
    public class LinkAddressTests
    {
        [Theory]
        [InlineData("aa:bb:cc:dd:ee:ff")]
        [InlineData("AA-BB-CC-DD-EE-FF")]
        [InlineData("aabbccddeeff")]
        [InlineData(" aa:bb:cc:dd:ee:ff ")]
        public void Reads_the_usual_spellings(string text)
            => Assert.Equal("aa:bb:cc:dd:ee:ff", LinkAddress.Format(LinkAddress.Parse(text)!));

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("aa:bb:cc:dd:ee")]
        [InlineData("aa:bb:cc:dd:ee:ff:00")]
        [InlineData("zz:bb:cc:dd:ee:ff")]
        [InlineData("+a:bb:cc:dd:ee:ff")]
        public void Refuses_what_is_not_a_MAC(string? text) => Assert.Null(LinkAddress.Parse(text));

        [Property(MaxTest = 200)]
        public bool Formats_and_reads_back(byte a, byte b, byte c, byte d, byte e, byte f)
        {
            var mac = new[] { a, b, c, d, e, f };
            var text = LinkAddress.Format(mac);
            return text.Length == 17 && text == text.ToLowerInvariant() && LinkAddress.Format(LinkAddress.Parse(text)!) == text;
        }
    }

    public class NeighbourTableTests
    {
        [Fact]
        public void Reads_complete_entries_of_proc_net_arp_and_leaves_out_unresolved_ones()
        {
            const string text =
                "IP address       HW type     Flags       HW address            Mask     Device\n" +
                "198.19.254.10    0x1         0x2         e2:94:fc:a0:5e:8b     *        lan0\n" +
                "198.19.254.99    0x1         0x0         00:00:00:00:00:00     *        lan0\n" +
                "192.0.2.1        0x1         0x6         02:FC:00:00:00:02     *        eth0\n" +
                "garbage line\n";
            var table = NeighbourTable.ParseProcNetArp(text);
            Assert.Equal(2, table.Count);
            Assert.Equal("e2:94:fc:a0:5e:8b", table[NeighbourTable.Key("lan0", IPAddress.Parse("198.19.254.10"))]);
            Assert.Equal("02:fc:00:00:00:02", table[NeighbourTable.Key("eth0", IPAddress.Parse("192.0.2.1"))]);
        }

        [Fact]
        public void Reads_ip_neigh_output_and_leaves_out_failed_and_incomplete_entries()
        {
            const string text =
                "fd00:19:254::10 dev lan0 lladdr e2:94:fc:a0:5e:8b REACHABLE\n" +
                "fe80::1 dev lan0 lladdr 02:00:00:00:00:01 router STALE\n" +
                "fd00:19:254::99 dev lan0 FAILED\n" +
                "fd00:19:254::98 dev lan0 INCOMPLETE\n" +
                "fd00:19:254::97 dev lan0 lladdr 02:00:00:00:00:97 FAILED\n";
            var table = NeighbourTable.ParseIpNeigh(text);
            Assert.Equal(2, table.Count);
            Assert.Equal("e2:94:fc:a0:5e:8b", table[NeighbourTable.Key("lan0", IPAddress.Parse("fd00:19:254::10"))]);
            Assert.Equal("02:00:00:00:00:01", table[NeighbourTable.Key("lan0", IPAddress.Parse("fe80::1"))]);
        }

        [Fact]
        public void An_empty_or_headless_table_is_empty()
        {
            Assert.Empty(NeighbourTable.ParseProcNetArp(string.Empty));
            Assert.Empty(NeighbourTable.ParseIpNeigh(string.Empty));
        }
    }

    public class LinkInterfaceTests
    {
        private static LinkInterface Lan(params string[] addresses)
        {
            var list = new List<InterfaceAddress>();
            foreach (var a in addresses)
            {
                var parts = a.Split('/');
                list.Add(new InterfaceAddress(IPAddress.Parse(parts[0]), int.Parse(parts[1])));
            }
            return new LinkInterface("lan0", 7, new byte[] { 2, 0, 0, 0, 0, 1 }, true, false, list);
        }

        [Theory]
        [InlineData("192.168.1.0/24", "192.168.1.254", true)]
        [InlineData("192.168.1.0/24", "192.168.2.1", false)]
        [InlineData("10.0.0.0/8", "10.255.1.1", true)]
        [InlineData("172.16.0.0/12", "172.31.255.255", true)]
        [InlineData("172.16.0.0/12", "172.32.0.0", false)]
        [InlineData("192.168.1.5/32", "192.168.1.5", true)]
        [InlineData("0.0.0.0/0", "8.8.8.8", true)]
        [InlineData("fd00:19:254::1/64", "fd00:19:254::ffff", true)]
        [InlineData("fd00:19:254::1/64", "fd00:19:255::1", false)]
        [InlineData("192.168.1.0/24", "fd00::1", false)]
        public void Knows_which_addresses_are_on_link(string subnet, string target, bool onLink)
            => Assert.Equal(onLink, Lan(subnet).IsOnLink(IPAddress.Parse(target)));

        [Property(MaxTest = 300)]
        public bool A_subnet_holds_exactly_the_addresses_that_share_its_prefix(uint network, uint other, byte prefixSeed)
        {
            var prefix = prefixSeed % 33;
            var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
            var a = new InterfaceAddress(FromUInt(network), prefix);
            return a.Contains(FromUInt(other)) == ((network & mask) == (other & mask));
        }

        [Fact]
        public void Link_local_IPv6_is_on_link_unless_scoped_to_another_interface()
        {
            var lan = Lan("fe80::1/64");
            Assert.True(lan.IsOnLink(IPAddress.Parse("fe80::2")));
            Assert.True(lan.IsOnLink(IPAddress.Parse("fe80::2%7")));
            Assert.False(lan.IsOnLink(IPAddress.Parse("fe80::2%3")));
            Assert.False(Lan("10.0.0.1/24").IsOnLink(IPAddress.Parse("fe80::2")));
        }

        [Fact]
        public void Asks_from_the_address_of_the_same_subnet_else_from_another_else_as_a_probe()
        {
            var lan = Lan("10.0.0.1/24", "192.168.1.1/24", "fd00::1/64");
            Assert.Equal(IPAddress.Parse("192.168.1.1"), lan.ArpSenderFor(IPAddress.Parse("192.168.1.77")));
            Assert.Equal(IPAddress.Parse("10.0.0.1"), lan.ArpSenderFor(IPAddress.Parse("172.16.0.1")));
            Assert.Equal(IPAddress.Any, Lan("fd00::1/64").ArpSenderFor(IPAddress.Parse("172.16.0.1")));
        }

        [Fact]
        public void Solicits_from_the_link_local_address_first()
        {
            Assert.Equal(IPAddress.Parse("fe80::1"), Lan("fd00::1/64", "fe80::1/64").NdpSource);
            Assert.Equal(IPAddress.Parse("fd00::1"), Lan("10.0.0.1/24", "fd00::1/64").NdpSource);
            Assert.Null(Lan("10.0.0.1/24").NdpSource);
        }

        [Fact]
        public void Knows_its_own_addresses()
        {
            var lan = Lan("10.0.0.1/24", "fd00::1/64");
            Assert.True(lan.Holds(IPAddress.Parse("10.0.0.1")));
            Assert.True(lan.Holds(IPAddress.Parse("fd00::1")));
            Assert.False(lan.Holds(IPAddress.Parse("10.0.0.2")));
        }

        [Fact]
        public void Discovers_this_hosts_interfaces_with_the_loopback_flagged()
        {
            var all = LinkInterface.Discover();
            var loopback = Assert.Single(all, i => i.IsLoopback);
            Assert.False(loopback.HasEthernetAddress);
            Assert.True(loopback.Holds(IPAddress.Loopback));
        }

        private static IPAddress FromUInt(uint value)
            => new IPAddress(new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value });
    }

    public class PacketSocketLayoutTests
    {
        [Fact]
        public void Builds_struct_sockaddr_ll_by_hand()
        {
            var address = LinuxPacketSocket.SockaddrLl(7, new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff });
            Assert.Equal(20, address.Length);
            Assert.Equal(17, BitConverter.ToUInt16(address, 0));           // AF_PACKET, host order
            Assert.Equal(new byte[] { 0x08, 0x06 }, address[2..4]);       // ETH_P_ARP, network order
            Assert.Equal(7, BitConverter.ToInt32(address, 4));              // ifindex, host order
            Assert.Equal(6, address[11]);                                   // halen
            Assert.Equal(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0 }, address[12..20]);
        }

        [Fact]
        public void Leaves_the_address_empty_for_bind()
        {
            var address = LinuxPacketSocket.SockaddrLl(3, null);
            Assert.Equal(0, address[11]);
            Assert.Equal(new byte[8], address[12..20]);
        }
    }
}
