using System.Linq;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    public class NatTests
    {
        private const string Rules = @"*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:PORTFWD - [0:0]
-A PREROUTING -i eth0 -p tcp -m tcp --dport 2222 -j DNAT --to-destination :22
-A PREROUTING -i eth0 -j PORTFWD
-A PREROUTING -p tcp -m tcp --dport 7000 -j DNAT --to-destination 10.0.0.5-10.0.0.9
-A PREROUTING -p tcp -m tcp --dport 7001 -m limit --limit 5/sec -j DNAT --to-destination 10.0.0.5:80
-A PORTFWD -s 198.51.100.0/24 -j RETURN
-A PORTFWD -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.0.0.5:80
-A POSTROUTING -o eth1 -j MASQUERADE
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A FORWARD -d 10.0.0.5/32 -p tcp -m tcp --dport 80 -j ACCEPT
COMMIT
";

        private static FlowResult Flow(string source, int port, ChainHook direction, string destination = "192.0.2.1")
            => new FlowEvaluator(Corpus.FromText(Rules)).Evaluate(new FlowQuery(Corpus.Packet(source, destination, port), direction));

        [Fact]
        public void Prerouting_dnat_rewrites_the_destination_the_filter_sees()
        {
            var forwarded = Flow("203.0.113.7", 8080, ChainHook.Forward);
            Assert.Equal(FlowVerdict.Accept, forwarded.Verdict);
            Assert.True(forwarded.Certain);
            Assert.Contains(forwarded.Path, s => s.Contains("DNAT to 10.0.0.5:80") && s.Contains("PORTFWD #2"));
            // Only the port changes: 2222 is SSH on this host.
            Assert.Equal(FlowVerdict.Accept, Flow("203.0.113.7", 2222, ChainHook.Input).Verdict);
            // Without the translation the same port is dropped.
            Assert.Equal(FlowVerdict.Drop, Flow("203.0.113.7", 2223, ChainHook.Input).Verdict);
        }

        [Fact]
        public void A_return_before_the_dnat_leaves_the_packet_untranslated()
        {
            var r = Flow("198.51.100.9", 8080, ChainHook.Forward);
            Assert.Equal(FlowVerdict.Drop, r.Verdict);
            Assert.True(r.ByPolicy);
        }

        [Fact]
        public void Translations_the_analysis_cannot_follow_make_the_verdict_undetermined()
        {
            // A range of addresses.
            Assert.Equal(FlowVerdict.Undetermined, Flow("203.0.113.7", 7000, ChainHook.Forward).Verdict);
            // A rate limit decides whether the DNAT happens: both outcomes differ.
            var limited = Flow("203.0.113.7", 7001, ChainHook.Forward);
            Assert.Equal(FlowVerdict.Undetermined, limited.Verdict);
            Assert.Equal(new[] { FlowVerdict.Accept, FlowVerdict.Drop }, limited.PossibleVerdicts.ToArray());
        }

        [Fact]
        public void Output_and_an_explicit_chain_are_not_translated()
        {
            var set = Corpus.FromText(Rules);
            var r = new FlowEvaluator(set).Evaluate(new FlowQuery(Corpus.Packet("203.0.113.7", "192.0.2.1", 8080), ChainHook.Forward, "FORWARD"));
            Assert.Equal(FlowVerdict.Drop, r.Verdict);
        }
    }
}

namespace Tssr.Tools.Engine.Tests.Firewall
{
    public class InterfaceSubnetTests
    {
        [Fact]
        public void A_lan_rule_whose_sources_are_outside_the_lan_subnet_is_reported_and_the_others_are_not()
        {
            var xml = System.IO.File.ReadAllText(Corpus.PathOf("pfsense-config.xml"));
            Assert.DoesNotContain(Tssr.Tools.Engine.Firewall.Analysis.FirewallAuditor.Audit(Corpus.FromText(xml, "config.xml")),
                f => f.Explanation.Contains("network of its interface"));
            var extra = "<rule><tracker>42</tracker><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol>"
                + "<source><address>10.99.0.0/16</address></source><destination><any></any></destination><descr>Typo: 10.99 instead of 192.168</descr></rule>"
                + "<rule><tracker>43</tracker><type>pass</type><interface>wan</interface><ipprotocol>inet</ipprotocol>"
                + "<source><address>10.98.0.0/16</address></source><destination><any></any></destination><descr>WAN: any source may arrive</descr></rule>";
            var i = xml.IndexOf("<rule>", System.StringComparison.Ordinal);
            var set = Corpus.FromText(xml.Substring(0, i) + extra + xml.Substring(i), "config.xml");
            var findings = Tssr.Tools.Engine.Firewall.Analysis.FirewallAuditor.Audit(set).Where(f => f.Explanation.Contains("network of its interface")).ToList();
            var finding = Assert.Single(findings);
            Assert.Equal(Tssr.Tools.Engine.Firewall.Analysis.FindingKind.Irrelevance, finding.Kind);
            Assert.Equal("Typo: 10.99 instead of 192.168", finding.Rule!.Comment);
            Assert.Contains("lan 192.168.10.1/24", finding.Explanation);
        }
    }
}
