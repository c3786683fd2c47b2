using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    /// <summary>Kernel-measured (tests/Firewall/kernel, 04-host and 10-tcpflags): what conntrack makes of a packet asked as New, and a REJECT that answers nothing.</summary>
    public class FirewallConntrackStateTests
    {
        private const string Rules = @"table inet f {
  chain input {
    type filter hook input priority 0; policy accept;
    ct state invalid drop
    ct state untracked counter accept
    tcp dport 443 reject with tcp reset
    icmp type echo-reply accept
  }
}
";

        private static FlowResult Ask(int port, string protocol = "tcp", int? flags = null, int icmpType = 8, string source = "198.51.100.9", string destination = "192.0.2.1")
        {
            var p = Corpus.Packet(source, destination, port, protocol, ConnState.New, "eth0", icmpType: icmpType);
            if (flags != null) p = new Packet(p.Family, p.Protocol, p.Source, p.Destination, p.SourcePort, p.DestinationPort, p.State, p.InInterface, p.OutInterface, p.IcmpType, flags);
            return new FlowEvaluator(Corpus.FromText(Rules, "host.nft")).Evaluate(new FlowQuery(p, ChainHook.Input));
        }

        [Theory]
        [InlineData(Protocols.TcpSyn | Protocols.TcpAck)]
        [InlineData(Protocols.TcpFin | Protocols.TcpAck)]
        [InlineData(Protocols.TcpRst)]
        [InlineData(0)]
        public void A_tcp_packet_that_opens_no_connection_is_invalid(int flags)
        {
            var r = Ask(22, flags: flags);
            Assert.True(r.Certain);
            Assert.Equal(FlowVerdict.Drop, r.Verdict);
            Assert.Equal(1, r.DecidingRule!.Number);
            Assert.Contains(r.Path, s => s.Contains("INVALID"));
        }

        [Fact]
        public void A_syn_or_a_loose_ack_is_new()
        {
            Assert.Equal(FlowVerdict.Accept, Ask(22).Verdict);
            Assert.Equal(FlowVerdict.Accept, Ask(22, flags: Protocols.TcpAck).Verdict);
        }

        [Fact]
        public void An_icmp_echo_reply_asked_as_new_is_invalid_and_neighbour_discovery_untracked()
        {
            var reply = Ask(0, "icmp", icmpType: 0);
            Assert.Equal(FlowVerdict.Drop, reply.Verdict);
            Assert.Equal(1, reply.DecidingRule!.Number);
            var ns = Ask(0, "icmpv6", icmpType: 135, source: "2001:db8::9", destination: "2001:db8::1");
            Assert.Equal(FlowVerdict.Accept, ns.Verdict);
            Assert.Equal(2, ns.DecidingRule!.Number);
        }

        [Fact]
        public void A_reject_sends_no_reset_for_a_reset()
        {
            // Kernel: no reset answers a reset; the packet is only dropped. (Asked Established, so that conntrack does not call the RST invalid first.)
            var set = Corpus.FromText(Rules.Replace("    ct state invalid drop\n", ""), "host.nft");
            var p = Corpus.Packet("198.51.100.9", "192.0.2.1", 443, "tcp", ConnState.Established, "eth0");
            p = new Packet(p.Family, p.Protocol, p.Source, p.Destination, p.SourcePort, p.DestinationPort, p.State, p.InInterface, p.OutInterface, p.IcmpType, Protocols.TcpRst);
            var r = new FlowEvaluator(set).Evaluate(new FlowQuery(p, ChainHook.Input));
            Assert.Equal(FlowVerdict.Drop, r.Verdict);
            Assert.Equal(FlowVerdict.Reject, Ask(443).Verdict);
        }
    }
}
