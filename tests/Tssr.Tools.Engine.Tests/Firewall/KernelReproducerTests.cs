using System.Linq;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    /// <summary>
    /// Flows whose verdict was measured in the Linux kernel (network namespaces, one packet per flow,
    /// the deciding rule read from nftrace/counters), kept as fast tests. Issue 13.
    /// </summary>
    public class FirewallKernelReproducerTests
    {
        private static FlowResult Ask(string rules, string source, string destination, int port, string protocol = "tcp",
            ConnState state = ConnState.New, int? flags = null, string name = "test.nft", string inInterface = "eth0")
        {
            var set = Corpus.FromText(rules, name);
            var p = Corpus.Packet(source, destination, port, protocol, state, inInterface);
            if (flags != null) p = new Packet(p.Family, p.Protocol, p.Source, p.Destination, p.SourcePort, p.DestinationPort, p.State, p.InInterface, p.OutInterface, p.IcmpType, flags);
            return new FlowEvaluator(set).Evaluate(new FlowQuery(p, ChainHook.Input));
        }

        private static string Nft(string policy, string body)
            => "table inet f {\n  chain input {\n    type filter hook input priority 0; policy " + policy + ";\n    " + body + "\n  }\n}\n";

        [Fact]
        public void A_concatenated_verdict_map_accepts_what_the_kernel_accepts()
        {
            // Kernel: udp to 51820 accepted. Was: Drop, Certain.
            var rules = Nft("drop", "ip protocol . th dport vmap { udp . 51820 : accept }");
            var r = Ask(rules, "192.0.2.10", "192.0.2.1", 51820, "udp");
            Assert.Equal(FlowVerdict.Accept, r.Verdict);
            Assert.True(r.Certain);
            Assert.Equal(1, r.DecidingRule!.Number);
            Assert.Equal(4, r.DecidingRule.Source.Line);
            Assert.Equal("udp . 51820 : accept", r.DecidingRule.Element);
            var other = Ask(rules, "192.0.2.10", "192.0.2.1", 51821, "udp");
            Assert.Equal(FlowVerdict.Drop, other.Verdict);
            Assert.True(other.Certain);
            Assert.True(other.ByPolicy);
            Assert.Equal(FlowVerdict.Drop, Ask(rules, "192.0.2.10", "192.0.2.1", 51820, "tcp").Verdict);
        }

        [Fact]
        public void A_concatenated_verdict_map_drops_what_the_kernel_drops()
        {
            // Kernel: a tcp SYN to 22 dropped. Was: Accept, Certain.
            var rules = Nft("accept", "meta l4proto . th dport vmap { tcp . 22 : drop }");
            var r = Ask(rules, "192.0.2.10", "192.0.2.1", 22);
            Assert.Equal(FlowVerdict.Drop, r.Verdict);
            Assert.True(r.Certain);
            Assert.Equal("tcp . 22 : drop", r.DecidingRule!.Element);
            Assert.Equal(FlowVerdict.Accept, Ask(rules, "192.0.2.10", "192.0.2.1", 22, "udp").Verdict);
        }

        [Theory]
        [InlineData("ip protocol . meta mark vmap { udp . 0x1 : accept }")]
        [InlineData("meta mark & 0xff vmap { 1 : accept }")]
        [InlineData("meta mark vmap { 1 : accept }")]
        [InlineData("udp dport vmap @nosuchmap")]
        public void A_verdict_map_that_is_not_modelled_keeps_every_outcome_open(string statement)
        {
            var r = Ask(Nft("drop", statement), "192.0.2.10", "192.0.2.1", 51820, "udp");
            Assert.False(r.Certain);
            Assert.Equal(FlowVerdict.Undetermined, r.Verdict);
            Assert.Contains(FlowVerdict.Drop, r.PossibleVerdicts);
            Assert.True(r.PossibleVerdicts.Count > 1);
        }

        [Fact]
        public void A_set_of_concatenations_is_evaluated_element_by_element()
        {
            var rules = Nft("drop", "ip daddr . tcp dport { 192.0.2.1 . 22, 192.0.2.2 . 80 } accept");
            Assert.Equal(FlowVerdict.Accept, Ask(rules, "198.51.100.1", "192.0.2.1", 22).Verdict);
            Assert.Equal(FlowVerdict.Drop, Ask(rules, "198.51.100.1", "192.0.2.1", 80).Verdict);
            var r = Ask(rules, "198.51.100.1", "192.0.2.2", 80);
            Assert.Equal(FlowVerdict.Accept, r.Verdict);
            Assert.True(r.Certain);
            Assert.Equal(1, r.DecidingRule!.Number);
            Assert.Equal("192.0.2.2 . 80", r.DecidingRule.Element);
        }

        [Fact]
        public void A_named_set_of_concatenations_is_evaluated()
        {
            var rules = "table inet f {\n  set svc {\n    type inet_proto . inet_service\n    elements = { tcp . 22, udp . 53 }\n  }\n"
                + "  chain input {\n    type filter hook input priority 0; policy drop;\n    meta l4proto . th dport @svc accept\n  }\n}\n";
            Assert.Equal(FlowVerdict.Accept, Ask(rules, "198.51.100.1", "192.0.2.1", 53, "udp").Verdict);
            Assert.Equal(FlowVerdict.Drop, Ask(rules, "198.51.100.1", "192.0.2.1", 53).Verdict);
            var r = Ask(rules, "198.51.100.1", "192.0.2.1", 22);
            Assert.True(r.Certain);
            Assert.Equal(FlowVerdict.Accept, r.Verdict);
        }

        [Fact]
        public void Iptables_tcp_flags_do_not_match_a_syn_and_the_later_rules_decide()
        {
            var rules = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + "-A INPUT -p tcp -m tcp --tcp-flags ACK ACK -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n";
            var syn = Ask(rules, "198.51.100.1", "192.0.2.1", 80, name: "rules.v4");
            Assert.Equal(FlowVerdict.Drop, syn.Verdict);
            Assert.True(syn.Certain);
            var ssh = Ask(rules, "198.51.100.1", "192.0.2.1", 22, name: "rules.v4");
            Assert.True(ssh.Certain);
            Assert.Equal(6, ssh.DecidingRule!.Source.Line);
            var ack = Ask(rules, "198.51.100.1", "192.0.2.1", 80, state: ConnState.Established, name: "rules.v4");
            Assert.Equal(FlowVerdict.Accept, ack.Verdict);
            Assert.Equal(5, ack.DecidingRule!.Source.Line);
        }

        [Theory]
        [InlineData("-p tcp --syn -j DROP", Protocols.TcpSyn, FlowVerdict.Drop)]
        [InlineData("-p tcp --syn -j DROP", Protocols.TcpSyn | Protocols.TcpAck, FlowVerdict.Accept)]
        [InlineData("-p tcp ! --syn -j DROP", Protocols.TcpAck, FlowVerdict.Drop)]
        [InlineData("-p tcp ! --syn -j DROP", Protocols.TcpSyn, FlowVerdict.Accept)]
        [InlineData("-p tcp --tcp-flags SYN,RST SYN,RST -j DROP", Protocols.TcpSyn | Protocols.TcpRst, FlowVerdict.Drop)]
        [InlineData("-p tcp --tcp-flags ALL NONE -j DROP", 0, FlowVerdict.Drop)]
        [InlineData("-p tcp --tcp-flags ALL NONE -j DROP", Protocols.TcpSyn, FlowVerdict.Accept)]
        public void Iptables_tcp_flag_forms(string rule, int flags, FlowVerdict expected)
        {
            var rules = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT " + rule + "\nCOMMIT\n";
            var r = Ask(rules, "198.51.100.1", "192.0.2.1", 80, flags: flags, name: "rules.v4");
            Assert.True(r.Certain);
            Assert.Equal(expected, r.Verdict);
        }

        [Theory]
        [InlineData("tcp flags syn drop", Protocols.TcpSyn, FlowVerdict.Drop)]
        [InlineData("tcp flags syn drop", Protocols.TcpSyn | Protocols.TcpAck, FlowVerdict.Drop)]
        [InlineData("tcp flags syn drop", Protocols.TcpAck, FlowVerdict.Accept)]
        [InlineData("tcp flags == syn drop", Protocols.TcpSyn | Protocols.TcpAck, FlowVerdict.Accept)]
        [InlineData("tcp flags & (fin|syn|rst|ack) == syn drop", Protocols.TcpSyn, FlowVerdict.Drop)]
        [InlineData("tcp flags & (fin|syn|rst|ack) == syn drop", Protocols.TcpSyn | Protocols.TcpAck, FlowVerdict.Accept)]
        [InlineData("tcp flags & (fin|syn|rst|ack) != syn drop", Protocols.TcpSyn | Protocols.TcpAck, FlowVerdict.Drop)]
        [InlineData("tcp flags { syn, syn|ack } drop", Protocols.TcpSyn | Protocols.TcpAck, FlowVerdict.Drop)]
        [InlineData("tcp flags { syn, syn|ack } drop", Protocols.TcpAck, FlowVerdict.Accept)]
        public void Nft_tcp_flag_forms(string rule, int flags, FlowVerdict expected)
        {
            var r = Ask(Nft("accept", rule), "198.51.100.1", "192.0.2.1", 80, flags: flags);
            Assert.True(r.Certain, r.Path.LastOrDefault());
            Assert.Equal(expected, r.Verdict);
        }

        [Fact]
        public void The_index_forms_of_interfaces_match_as_names()
        {
            var rules = Nft("drop", "iif lo accept\n    oif \"eth9\" drop");
            var r = Ask(rules, "127.0.0.1", "127.0.0.1", 80, inInterface: "lo");
            Assert.True(r.Certain);
            Assert.Equal(FlowVerdict.Accept, r.Verdict);
            Assert.True(Ask(rules, "192.0.2.9", "192.0.2.1", 80).ByPolicy);
        }
    }
}
