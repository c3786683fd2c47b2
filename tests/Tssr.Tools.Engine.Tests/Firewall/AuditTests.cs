using System;
using System.Collections.Generic;
using System.Linq;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;
using Tssr.Tools.Engine.Firewall.Parsers;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    public class AuditTests
    {
        private static readonly FindingKind[] Anomalies = { FindingKind.Shadowing, FindingKind.Redundancy, FindingKind.Correlation, FindingKind.Generalisation, FindingKind.Irrelevance };

        private static string Filter(string rules, string inputPolicy = "DROP", string extraChains = "")
            => "*filter\n:INPUT " + inputPolicy + " [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n" + extraChains + rules + "COMMIT\n";

        [Fact]
        public void The_anomaly_corpus_has_exactly_one_of_each_kind_on_the_expected_lines()
        {
            var findings = FirewallAuditor.Audit(Corpus.Load("anomalies.rules"));
            var anomalies = findings.Where(f => Anomalies.Contains(f.Kind)).ToList();
            Assert.True(anomalies.Count == 5, string.Join("\n", anomalies));
            Assert.Equal(14, anomalies.Single(f => f.Kind == FindingKind.Shadowing).Rule!.Source.Line);
            Assert.Equal(13, anomalies.Single(f => f.Kind == FindingKind.Shadowing).RelatedRules.Single().Source.Line);
            Assert.Equal(16, anomalies.Single(f => f.Kind == FindingKind.Generalisation).Rule!.Source.Line);
            Assert.Equal(18, anomalies.Single(f => f.Kind == FindingKind.Correlation).Rule!.Source.Line);
            Assert.Equal(19, anomalies.Single(f => f.Kind == FindingKind.Redundancy).Rule!.Source.Line);
            Assert.Equal(23, anomalies.Single(f => f.Kind == FindingKind.Irrelevance).Rule!.Source.Line);
            Assert.All(anomalies, f => Assert.EndsWith("anomalies.rules:" + f.Rule!.Source.Line, f.Source));
        }

        [Fact]
        public void A_return_before_a_catch_all_lets_packets_escape_so_nothing_after_the_jump_is_shadowed()
        {
            var set = Corpus.FromText(Filter("-A INPUT -j C1\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A C1 -s 10.0.0.0/8 -j RETURN\n-A C1 -j DROP\n", extraChains: ":C1 - [0:0]\n"));
            var findings = FirewallAuditor.Audit(set);
            Assert.DoesNotContain(findings, f => f.Kind == FindingKind.Shadowing);
            var flow = new FlowEvaluator(set).Evaluate(new FlowQuery(Corpus.Packet("10.1.1.1", "10.0.0.1", 22), ChainHook.Input));
            Assert.Equal(FlowVerdict.Accept, flow.Verdict);
            Assert.Equal(2, flow.DecidingRule!.Number);
        }

        [Fact]
        public void Without_the_return_the_same_rule_is_shadowed()
        {
            var set = Corpus.FromText(Filter("-A INPUT -j C1\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A C1 -s 10.0.0.0/8 -j LOG\n-A C1 -j DROP\n", extraChains: ":C1 - [0:0]\n"));
            var shadow = FirewallAuditor.Audit(set).Single(f => f.Kind == FindingKind.Shadowing);
            Assert.Equal(2, shadow.Rule!.Number);
            Assert.Equal("C1", shadow.RelatedRules.Single().Chain);
        }

        [Fact]
        public void Negated_sources_do_not_cause_false_shadowing()
        {
            // A naive analyser ignoring "!" believes rule 1 covers rule 2.
            var set = Corpus.FromText(Filter("-A INPUT ! -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j DROP\n-A INPUT -s 10.1.0.0/16 -p tcp -m tcp --dport 22 -j ACCEPT\n"));
            var findings = FirewallAuditor.Audit(set);
            Assert.DoesNotContain(findings, f => f.Kind == FindingKind.Shadowing || f.Kind == FindingKind.Redundancy && f.Rule!.Number == 2);
            // ...and the negation is exact: the complement does shadow a rule inside it.
            var set2 = Corpus.FromText(Filter("-A INPUT ! -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j DROP\n-A INPUT -s 192.168.0.0/16 -p tcp -m tcp --dport 22 -j ACCEPT\n"));
            Assert.Equal(2, FirewallAuditor.Audit(set2).Single(f => f.Kind == FindingKind.Shadowing).Rule!.Number);
        }

        [Fact]
        public void Shadowing_by_the_union_of_several_rules_is_found()
        {
            var set = Corpus.FromText(Filter("-A INPUT -s 10.0.0.0/9 -j DROP\n-A INPUT -s 10.128.0.0/9 -j DROP\n-A INPUT -s 10.1.0.0/16 -p tcp -m tcp --dport 80 -j ACCEPT\n-A INPUT -s 10.200.0.0/16 -p tcp -m tcp --dport 80 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -j ACCEPT\n"));
            var shadowed = FirewallAuditor.Audit(set).Where(f => f.Kind == FindingKind.Shadowing).Select(f => f.Rule!.Number).OrderBy(n => n).ToList();
            Assert.Equal(new[] { 3, 4, 5 }, shadowed);
        }

        [Fact]
        public void A_rule_with_an_unmodelled_match_never_claims_to_shadow_another()
        {
            var set = Corpus.FromText(Filter("-A INPUT -m set --match-set admins src -j DROP\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n", inputPolicy: "DROP"));
            var findings = FirewallAuditor.Audit(set);
            Assert.DoesNotContain(findings, f => f.Kind == FindingKind.Shadowing || f.Kind == FindingKind.Redundancy && f.Rule!.Number == 2);
            Assert.Contains(findings, f => f.Kind == FindingKind.NotAnalysed && f.Rule!.Number == 1);
        }

        [Fact]
        public void A_drop_rule_with_zero_counters_is_not_reported_as_unused()
        {
            var set = Corpus.FromText(Filter("[0:0] -A INPUT -s 203.0.113.0/24 -j DROP\n[52:3120] -A INPUT -p tcp -m tcp --dport 443 -j ACCEPT\n"));
            var findings = FirewallAuditor.Audit(set).Where(f => f.Rule != null && f.Rule.Number == 1).ToList();
            Assert.DoesNotContain(findings, f => f.Kind == FindingKind.Irrelevance || f.Kind == FindingKind.Redundancy || f.Kind == FindingKind.Shadowing);
        }

        [Fact]
        public void Policy_checks_find_admin_ports_clear_text_any_any_and_default_accept()
        {
            var set = Corpus.FromText(Filter(
                "-A INPUT -p tcp -m tcp --dport 3389 -j ACCEPT\n" +
                "-A INPUT -s 192.168.0.0/16 -p tcp -m tcp --dport 22 -j ACCEPT\n" +
                "-A INPUT -p tcp -m tcp --dport 23 -j ACCEPT\n" +
                "-A INPUT -p udp -m udp --dport 161 -j ACCEPT\n", inputPolicy: "ACCEPT")
                .Replace(":FORWARD DROP", ":FORWARD ACCEPT") + "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n");
            var f = FirewallAuditor.Audit(set);
            Assert.Contains(f, x => x.Kind == FindingKind.AdminServiceExposed && x.Rule!.Number == 1 && x.Severity == FindingSeverity.High);
            Assert.DoesNotContain(f, x => x.Kind == FindingKind.AdminServiceExposed && x.Rule!.Number == 2);
            Assert.Contains(f, x => x.Kind == FindingKind.ClearTextService && x.Rule!.Number == 3);
            Assert.Contains(f, x => x.Kind == FindingKind.ClearTextService && x.Rule!.Number == 4);
            Assert.Contains(f, x => x.Kind == FindingKind.DefaultAcceptPolicy && x.Chain == "ip filter INPUT");
            Assert.Contains(f, x => x.Kind == FindingKind.DefaultAcceptPolicy && x.Chain == "ip filter FORWARD");
            Assert.Contains(f, x => x.Kind == FindingKind.AnyToAnyAccept && x.Rule!.Family == "ip");
        }

        [Fact]
        public void A_catch_all_drop_closes_an_accept_policy()
        {
            var set = Corpus.FromText(Filter("-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT\n-A INPUT -j DROP\n", inputPolicy: "ACCEPT"));
            Assert.DoesNotContain(FirewallAuditor.Audit(set), x => x.Kind == FindingKind.DefaultAcceptPolicy && x.Chain == "ip filter INPUT");
        }

        [Fact]
        public void Ipv6_left_open_while_ipv4_is_closed_is_reported()
        {
            var v4Only = Corpus.FromText(Filter("-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT\n"));
            Assert.Contains(FirewallAuditor.Audit(v4Only), x => x.Kind == FindingKind.Ipv6NotCovered);
            Assert.DoesNotContain(FirewallAuditor.Audit(Corpus.Load("anomalies.rules")), x => x.Kind == FindingKind.Ipv6Unfiltered);
        }

        [Fact]
        public void PfSense_disabled_rules_are_reported_and_kept_out_of_the_evaluation()
        {
            var set = Corpus.Load("pfsense-config.xml");
            var f = FirewallAuditor.Audit(set);
            var disabled = f.Single(x => x.Kind == FindingKind.DisabledRule);
            Assert.Equal(102, disabled.Rule!.Source.Line);
            Assert.Contains("Temporary RDP", disabled.Explanation);
        }

        [Fact]
        public void Ten_thousand_rules_are_audited_without_quadratic_blow_up()
        {
            var text = Generator.IptablesRuleSet(10_000, 42);
            var set = FirewallRuleSetReader.ReadText(text, "gen.rules");
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var findings = FirewallAuditor.Audit(set);
            watch.Stop();
            Assert.NotEmpty(findings);
            // A generous ceiling for a shared CI machine; the benchmark records the real figure.
            Assert.True(watch.Elapsed.TotalSeconds < 20, $"audit took {watch.Elapsed.TotalSeconds:F1} s");
        }
    }
}
