using System.Linq;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    /// <summary>pfSense / OPNsense port forwards (config.xml nat/rule): translated, then filtered by the interface rules.</summary>
    public class PortForwardTests
    {
        private const string Wan = "198.51.100.2";

        private static FirewallRuleSet Set() => Corpus.Load("pfsense-portforward.xml");

        private static FlowResult Flow(string source, int port, FirewallRuleSet? set = null, string destination = Wan, string iface = "wan")
            => new FlowEvaluator(set ?? Set()).Evaluate(new FlowQuery(Corpus.Packet(source, destination, port, inInterface: iface), ChainHook.Inbound));

        [Fact]
        public void A_port_forward_is_translated_then_the_interface_rule_decides_on_the_translated_packet()
        {
            var r = Flow("192.0.2.7", 443);
            Assert.Equal(FlowVerdict.Accept, r.Verdict);
            Assert.True(r.Certain);
            Assert.Contains(r.Path, s => s.Contains("DNAT to 192.168.1.10:443") && s.Contains("pfsense-portforward.xml:"));
            Assert.Equal("NAT HTTPS to the web server", r.DecidingRule!.Comment);
            // The same forward from a blocked network: translated, then blocked by the first interface rule.
            var blocked = Flow("203.0.113.9", 443);
            Assert.Equal(FlowVerdict.Drop, blocked.Verdict);
            Assert.Equal("Abusive network", blocked.DecidingRule!.Comment);
            Assert.Contains(blocked.Path, s => s.Contains("DNAT to 192.168.1.10:443"));
            // A forward with no interface rule of its own is passed by the rule for its translated destination.
            var second = Flow("192.0.2.7", 8443);
            Assert.Equal(FlowVerdict.Accept, second.Verdict);
            Assert.Equal("NAT HTTPS to the web server", second.DecidingRule!.Comment);
            // The address of the server itself, without translation, is filtered the same way.
            Assert.Equal(FlowVerdict.Accept, Flow("192.0.2.7", 443, destination: "192.168.1.10").Verdict);
            // Another interface has no port forward.
            Assert.DoesNotContain(Flow("192.168.1.5", 443, iface: "lan").Path, s => s.Contains("DNAT"));
        }

        [Fact]
        public void A_disabled_port_forward_does_not_translate_and_is_kept_for_the_audit()
        {
            var r = Flow("192.0.2.7", 2222);
            Assert.Equal(FlowVerdict.Drop, r.Verdict);
            Assert.True(r.ByPolicy);
            Assert.DoesNotContain(r.Path, s => s.Contains("DNAT"));
            var set = Set();
            var disabled = Assert.Single(set.DisabledRules);
            Assert.Equal("Old SSH forward", disabled.Comment);
            Assert.Equal("nat", disabled.Table);
            Assert.Contains(FirewallAuditor.Audit(set), f => f.Kind == FindingKind.DisabledRule && f.Rule == disabled);
        }

        [Fact]
        public void Aliases_in_a_port_forward_resolve_as_in_filter_rules()
        {
            // Target alias of one host, destination "wanip".
            var http = Flow("192.0.2.7", 80);
            Assert.Equal(FlowVerdict.Accept, http.Verdict);
            Assert.Contains(http.Path, s => s.Contains("DNAT to 192.168.1.10:80"));
            // Destination port alias, local port the same alias: the port is kept.
            foreach (var port in new[] { 25, 587 })
            {
                var mail = Flow("192.0.2.7", port);
                Assert.Equal(FlowVerdict.Accept, mail.Verdict);
                Assert.Contains(mail.Path, s => s.Contains("DNAT to 192.168.1.25"));
                Assert.Equal("Mail", mail.DecidingRule!.Comment);
            }
            Assert.Equal(FlowVerdict.Drop, Flow("192.0.2.7", 26).Verdict);
            // A target alias of several hosts is a pool the analysis cannot follow.
            var pool = Flow("192.0.2.7", 9000);
            Assert.Equal(FlowVerdict.Undetermined, pool.Verdict);
            Assert.Contains(pool.Path, s => s.Contains("app_pool") && s.Contains("not modelled"));
        }

        [Fact]
        public void No_rdr_pass_and_a_port_range_follow_pf()
        {
            // "no rdr" for the partner network: untranslated, the firewall's own address has no pass rule.
            var partner = Flow("203.0.113.200", 80);
            Assert.Equal(FlowVerdict.Drop, partner.Verdict);
            Assert.DoesNotContain(partner.Path, s => s.Contains("DNAT"));
            // Filter rule association "Pass": translated and passed, no interface rule consulted.
            var rdp = Flow("192.0.2.7", 3389);
            Assert.Equal(FlowVerdict.Accept, rdp.Verdict);
            Assert.Equal("Remote desktop for the vendor", rdp.DecidingRule!.Comment);
            Assert.Contains(rdp.Path, s => s.Contains("filter rules not consulted"));
            Assert.Equal(FlowVerdict.Drop, Flow("203.0.113.200", 3389).Verdict);
            // 5000-5010 -> 6000-6010, port for port.
            var game = Flow("192.0.2.7", 5004);
            Assert.Equal(FlowVerdict.Accept, game.Verdict);
            Assert.Contains(game.Path, s => s.Contains("192.168.1.50:6004"));
        }

        [Fact]
        public void A_local_port_alias_sends_every_port_of_a_range_to_its_first_port_as_pfsense_does()
        {
            // pfSense filter.inc and OPNsense ForwardRule: "rdr ... port 5000:5010 -> 192.168.1.50 port 6000", no shift.
            var xml = System.IO.File.ReadAllText(Corpus.PathOf("pfsense-portforward.xml"))
                .Replace("<aliases>", "<aliases><alias><name>game_port</name><type>port</type><address>6000</address></alias>"
                    + "<alias><name>two_ports</name><type>port</type><address>6100 6000</address></alias>");
            var one = Corpus.FromText(xml.Replace("<local-port>6000</local-port>", "<local-port>game_port</local-port>"), "config.xml");
            foreach (var port in new[] { 5000, 5004, 5010 })
            {
                var r = Flow("192.0.2.7", port, one);
                Assert.Equal(FlowVerdict.Accept, r.Verdict);
                Assert.Contains(r.Path, s => s.Contains("DNAT to 192.168.1.50:6000"));
                Assert.DoesNotContain(r.Path, s => s.Contains("6004") || s.Contains("6010"));
            }
            // An alias of several ports: its first port, as pfSense (6100, which no interface rule passes).
            var several = Corpus.FromText(xml.Replace("<local-port>6000</local-port>", "<local-port>two_ports</local-port>"), "config.xml");
            var first = Flow("192.0.2.7", 5004, several);
            Assert.Equal(FlowVerdict.Drop, first.Verdict);
            Assert.True(first.Certain);
            Assert.Contains(first.Path, s => s.Contains("DNAT to 192.168.1.50:6100"));
        }

        [Fact]
        public void Nat_reflection_left_at_the_system_default_is_warned_when_the_system_enables_it()
        {
            var xml = System.IO.File.ReadAllText(Corpus.PathOf("pfsense-portforward.xml")).Replace("\r\n", "\n");
            // The corpus has the factory setting (disablenatreflection): no reflection anywhere.
            Assert.DoesNotContain(Set().Warnings, w => w.Contains("reflection"));
            // pfSense without it: every forward at the default (not the nordr nor the disabled one) is reflected.
            var on = Corpus.FromText(xml.Replace("<disablenatreflection>yes</disablenatreflection>", ""), "config.xml");
            var warning = Assert.Single(on.Warnings, w => w.Contains("system default"));
            Assert.StartsWith("7 port forward(s) (config.xml:", warning);
            Assert.Contains("config.xml:5)", warning); // where <system> is
            // A forward that says "disable" is not counted; one that says "purenat" has its own warning.
            var mixed = Corpus.FromText(xml.Replace("<disablenatreflection>yes</disablenatreflection>", "")
                .Replace("<descr><![CDATA[HTTP to the web server]]></descr>\n\t\t</rule>\n\t\t<rule>\n\t\t\t<interface>wan</interface>", "<natreflection>disable</natreflection><descr><![CDATA[HTTP to the web server]]></descr>\n\t\t</rule>\n\t\t<rule>\n\t\t\t<interface>wan</interface>")
                .Replace("<descr><![CDATA[Mail]]></descr>\n\t\t</rule>\n\t\t<rule>\n\t\t\t<interface>wan</interface>", "<natreflection>purenat</natreflection><descr><![CDATA[Mail]]></descr>\n\t\t</rule>\n\t\t<rule>\n\t\t\t<interface>wan</interface>"), "config.xml");
            Assert.Contains(mixed.Warnings, w => w.StartsWith("5 port forward(s)", System.StringComparison.Ordinal) && w.Contains("system default"));
            Assert.Contains(mixed.Warnings, w => w.StartsWith("NAT reflection of 1 port forward(s)", System.StringComparison.Ordinal));
            // OPNsense reflects unless disablenatreflection has a value; its factory config sets "yes".
            var opn = xml.Replace("<pfsense>", "<opnsense>").Replace("</pfsense>", "</opnsense>");
            Assert.DoesNotContain(Corpus.FromText(opn, "opnsense.xml").Warnings, w => w.Contains("reflection"));
            Assert.Contains(Corpus.FromText(opn.Replace("<disablenatreflection>yes</disablenatreflection>", "<disablenatreflection/>"), "opnsense.xml").Warnings,
                w => w.StartsWith("7 port forward(s)", System.StringComparison.Ordinal));
        }

        [Fact]
        public void Nat_kinds_that_are_not_modelled_are_warnings()
        {
            var set = Set();
            Assert.Contains(set.Warnings, w => w.Contains("1:1 NAT") && w.Contains("pfsense-portforward.xml:"));
            Assert.Contains(set.Warnings, w => w.Contains("outbound NAT"));
            var xml = System.IO.File.ReadAllText(Corpus.PathOf("pfsense-portforward.xml"))
                .Replace("<onetoone>", "<npt><disabled></disabled></npt><binat><x/></binat><onetoone>");
            var changed = Corpus.FromText(xml, "config.xml");
            Assert.Contains(changed.Warnings, w => w.Contains("<binat>") && w.Contains("config.xml:"));
            Assert.DoesNotContain(changed.Warnings, w => w.Contains("NPt"));
        }

        [Fact]
        public void Opnsense_port_forwards_read_the_same()
        {
            var xml = System.IO.File.ReadAllText(Corpus.PathOf("pfsense-portforward.xml")).Replace("<pfsense>", "<opnsense>").Replace("</pfsense>", "</opnsense>");
            var set = Corpus.FromText(xml, "opnsense.xml");
            Assert.Equal(RuleSetFormat.OpnSense, set.Format);
            var r = Flow("192.0.2.7", 443, set);
            Assert.Equal(FlowVerdict.Accept, r.Verdict);
            Assert.Contains(r.Path, s => s.Contains("DNAT to 192.168.1.10:443"));
        }
    }

    /// <summary>nat OUTPUT: locally generated traffic is translated at the nat core's priority (-100), as the kernel does.</summary>
    public class OutputNatTests
    {
        private const string Iptables = @"*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A OUTPUT -d 192.0.2.80/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.0.0.5:80
-A OUTPUT -p tcp -m tcp --dport 8443 -j DNAT --to-destination 10.0.0.5-10.0.0.6
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT DROP [0:0]
-A OUTPUT -d 10.0.0.5/32 -p tcp -m tcp --dport 80 -j ACCEPT
COMMIT
";

        private static FlowResult Flow(FirewallRuleSet set, int port, string destination = "192.0.2.80", string? chain = null)
            => new FlowEvaluator(set).Evaluate(new FlowQuery(Corpus.Packet("192.0.2.1", destination, port, inInterface: null, outInterface: "eth0"), ChainHook.Output, chain));

        [Fact]
        public void Iptables_nat_output_dnat_is_applied_before_filter_output()
        {
            var set = Corpus.FromText(Iptables);
            var r = Flow(set, 8080);
            Assert.Equal(FlowVerdict.Accept, r.Verdict);
            Assert.True(r.Certain);
            Assert.Contains(r.Path, s => s.Contains("DNAT to 10.0.0.5:80") && s.Contains("nat OUTPUT #1"));
            Assert.Equal(13, r.DecidingRule!.Source.Line);
            // Not translated: another destination, or the filter chain asked alone.
            Assert.Equal(FlowVerdict.Drop, Flow(set, 8080, "192.0.2.81").Verdict);
            Assert.Equal(FlowVerdict.Drop, Flow(set, 8080, chain: "OUTPUT").Verdict);
            // A range of addresses cannot be followed.
            Assert.Equal(FlowVerdict.Undetermined, Flow(set, 8443).Verdict);
            // Prerouting chains do not see locally generated traffic, nor nat OUTPUT forwarded traffic.
            var forward = new FlowEvaluator(set).Evaluate(new FlowQuery(Corpus.Packet("192.0.2.1", "192.0.2.80", 8080), ChainHook.Forward));
            Assert.Equal(FlowVerdict.Drop, forward.Verdict);
        }

        private const string NftOutput = @"table ip nat {
    chain out {
        type nat hook output priority -100; policy accept;
        tcp dport 8080 dnat to 10.0.0.5:80
    }
    chain late {
        type nat hook output priority 100; policy accept;
        tcp dport 9090 dnat to 10.0.0.5:80
        tcp dport 25 drop
    }
}
table inet filter {
    chain output {
        type filter hook output priority filter; policy drop;
        ip daddr 10.0.0.5 tcp dport 80 accept
    }
}
";

        [Fact]
        public void Nft_nat_output_chains_all_run_at_the_nat_priority_whatever_they_declare()
        {
            var set = Corpus.FromText(NftOutput, "nat.nft");
            var r = Flow(set, 8080);
            Assert.Equal(FlowVerdict.Accept, r.Verdict);
            Assert.Contains(r.Path, s => s.Contains("DNAT to 10.0.0.5:80") && s.Contains("nat.nft:4"));
            Assert.Equal("nat.nft", r.DecidingRule!.Source.File);
            Assert.Equal(15, r.DecidingRule.Source.Line);
            // A nat chain declared at priority 100 still runs at -100 (the kernel's nat core), before
            // the filter chain at 0: the filter sees the translated packet (checked on a real kernel
            // by the namespace lab test of Firewall.Tests.ps1).
            var late = Flow(set, 9090);
            Assert.Equal(FlowVerdict.Accept, late.Verdict);
            Assert.True(late.Certain);
            Assert.Contains(late.Path, s => s.Contains("DNAT to 10.0.0.5:80") && s.Contains("nat.nft:8"));
            Assert.Equal(15, late.DecidingRule!.Source.Line);
            // A filter chain before -100 sees the untranslated packet.
            var early = Corpus.FromText(NftOutput.Replace("priority filter;", "priority -200;"), "nat.nft");
            var before = Flow(early, 9090);
            Assert.Equal(FlowVerdict.Drop, before.Verdict);
            Assert.True(before.ByPolicy);
            Assert.DoesNotContain(before.Path, s => s.Contains("DNAT"));
        }

        [Fact]
        public void Nat_output_chains_after_the_last_filter_chain_or_without_one_still_run()
        {
            // The filter chain (-200) runs first and accepts: the nat chains run after it, their drop applies.
            var after = Corpus.FromText(NftOutput.Replace("priority filter; policy drop;", "priority -200; policy accept;"), "nat.nft");
            var dropped = Flow(after, 25);
            Assert.Equal(FlowVerdict.Drop, dropped.Verdict);
            Assert.Equal(9, dropped.DecidingRule!.Source.Line);
            Assert.Contains(dropped.Path, s => s.Contains("nat.nft:9") && s.Contains("DROP"));
            var translated = Flow(after, 9090);
            Assert.Equal(FlowVerdict.Accept, translated.Verdict);
            Assert.Contains(translated.Path, s => s.Contains("DNAT to 10.0.0.5:80"));
            // No filter chain at all on the output hook: the nat chains still run.
            var natOnly = Corpus.FromText(NftOutput.Substring(0, NftOutput.IndexOf("table inet filter", System.StringComparison.Ordinal)), "nat.nft");
            var none = Flow(natOnly, 25);
            Assert.Equal(FlowVerdict.Drop, none.Verdict);
            Assert.DoesNotContain(none.Path, s => s.StartsWith("no chain filters", System.StringComparison.Ordinal));
            var dnat = Flow(natOnly, 8080);
            Assert.Equal(FlowVerdict.Accept, dnat.Verdict);
            Assert.Contains(dnat.Path, s => s.Contains("DNAT to 10.0.0.5:80"));
            Assert.Contains(dnat.Path, s => s.StartsWith("no chain filters", System.StringComparison.Ordinal));
        }

        [Fact]
        public void A_nat_chain_policy_drop_drops_what_no_rule_of_it_decided()
        {
            var set = Corpus.FromText(NftOutput.Replace("priority 100; policy accept;", "priority 100; policy drop;"), "nat.nft");
            // Translated by the first nat chain: the later one is not consulted (the kernel's nat core stops at the first binding).
            Assert.Equal(FlowVerdict.Accept, Flow(set, 8080).Verdict);
            Assert.Equal(FlowVerdict.Accept, Flow(set, 9090).Verdict);
            var r = Flow(set, 80, "10.0.0.5");
            Assert.Equal(FlowVerdict.Drop, r.Verdict);
            Assert.True(r.ByPolicy);
            Assert.Equal("ip nat late", r.DecidingChain);
            Assert.Contains(r.Path, s => s.Contains("policy DROP"));
            // An accept rule ends the nat chain before its policy.
            var accepting = Corpus.FromText(NftOutput.Replace("priority 100; policy accept;", "priority 100; policy drop;\n        ip daddr 10.0.0.5 accept"), "nat.nft");
            Assert.Equal(FlowVerdict.Accept, Flow(accepting, 80, "10.0.0.5").Verdict);
        }

        [Theory]
        [InlineData(ConnState.Established, FlowVerdict.Accept)]
        [InlineData(ConnState.Related, FlowVerdict.Drop)]
        [InlineData(ConnState.New, FlowVerdict.Drop)]
        public void A_nat_drop_only_applies_to_a_connections_first_packet(ConnState state, FlowVerdict expected)
        {
            var set = Corpus.FromText(NftOutput.Replace("priority 100; policy accept;", "priority 100; policy drop;"), "nat.nft");
            var packet = Corpus.Packet("192.0.2.1", "10.0.0.5", 80, state: state, inInterface: null, outInterface: "eth0");
            var r = new FlowEvaluator(set).Evaluate(new FlowQuery(packet, ChainHook.Output));
            Assert.Equal(expected, r.Verdict);
            if (state == ConnState.Established) Assert.Contains(r.Path, s => s.Contains("not applied (nat chains see only a connection's first packet)"));
            // Established packets keep the translation conntrack made for the first one.
            var translated = new FlowEvaluator(set).Evaluate(new FlowQuery(
                Corpus.Packet("192.0.2.1", "192.0.2.80", 8080, state: state, inInterface: null, outInterface: "eth0"), ChainHook.Output));
            Assert.Contains(translated.Path, s => s.Contains("DNAT to 10.0.0.5:80"));
        }

        [Theory]
        [InlineData(ConnState.Untracked)]
        [InlineData(ConnState.Invalid)]
        public void Untracked_and_invalid_packets_skip_the_nat_chains(ConnState state)
        {
            var set = Corpus.FromText(NftOutput, "nat.nft");
            var r = new FlowEvaluator(set).Evaluate(new FlowQuery(
                Corpus.Packet("192.0.2.1", "192.0.2.80", 8080, state: state, inInterface: null, outInterface: "eth0"), ChainHook.Output));
            Assert.DoesNotContain(r.Path, s => s.Contains("DNAT"));
            Assert.Contains(r.Path, s => s.StartsWith("nat chains skipped", System.StringComparison.Ordinal));
        }

        [Fact]
        public void Nat_chains_are_compiled_with_the_evaluator_so_errors_surface_there_and_evaluation_only_reads()
        {
            // A jump loop in a nat chain is found when the evaluator is built (inside the cmdlet's error mapping), not at the first flow.
            var loop = Iptables.Replace(":POSTROUTING ACCEPT [0:0]\n", ":POSTROUTING ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A OUTPUT -j A\n-A A -j B\n-A B -j A\n");
            var set = Corpus.FromText(loop.Replace("\r\n", "\n"));
            var e = Assert.Throws<Tssr.Tools.Engine.Core.TssrException>(() => new FlowEvaluator(set));
            Assert.Equal("FirewallChainLoop", e.Error.ErrorId);
            // One evaluator answers from many threads at once, the same as from one.
            var shared = new FlowEvaluator(Corpus.FromText(NftOutput, "nat.nft"));
            var expected = new[] { 8080, 9090, 25, 443 }.Select(p => Flow(Corpus.FromText(NftOutput, "nat.nft"), p).Verdict).ToArray();
            var results = new System.Collections.Concurrent.ConcurrentBag<string>();
            System.Threading.Tasks.Parallel.For(0, 400, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            {
                var port = new[] { 8080, 9090, 25, 443 }[i % 4];
                var hook = i % 8 < 4 ? ChainHook.Output : ChainHook.Input;
                var r = shared.Evaluate(new FlowQuery(Corpus.Packet("192.0.2.1", "192.0.2.80", port, inInterface: null, outInterface: "eth0"), hook));
                if (hook == ChainHook.Output && r.Verdict != expected[i % 4]) results.Add(port + ": " + r.Verdict);
            });
            Assert.Empty(results);
        }

        [Fact]
        public void A_shifted_port_range_maps_port_for_port()
        {
            var text = Iptables.Replace("--dport 8443 -j DNAT --to-destination 10.0.0.5-10.0.0.6", "-m multiport --dports 8000:8010 -j DNAT --to-destination 10.0.0.5:70-80/8000");
            var set = Corpus.FromText(text);
            var r = Flow(set, 8010);
            Assert.Equal(FlowVerdict.Accept, r.Verdict);
            Assert.Contains(r.Path, s => s.Contains("= 10.0.0.5:80"));
            Assert.Equal(FlowVerdict.Drop, Flow(set, 8009).Verdict);
        }
    }
}
