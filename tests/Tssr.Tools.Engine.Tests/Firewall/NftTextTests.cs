using System;
using System.Collections.Generic;
using System.Linq;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;
using Tssr.Tools.Engine.Firewall.Parsers;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    public class NftTextTests
    {
        /// <summary>A grid of flows over both families, the protocols and ports the lab rule set cares about, and the hooks.</summary>
        internal static IEnumerable<FlowQuery> Grid()
        {
            var v4 = new[] { "198.19.250.1", "10.20.3.4", "172.16.5.5", "172.16.5.10", "10.1.1.1", "203.0.113.7" };
            var v6 = new[] { "fd19:250::1", "2001:db8:bad::1", "2001:db8:bad::3" };
            var ports = new[] { 22, 25, 53, 67, 68, 80, 443, 3306, 5050, 5432, 8050, 9000, 9001, 9002, 9003, 9999 };
            var protos = new[] { "tcp", "udp" };
            var hooks = new[] { ChainHook.Input, ChainHook.Forward, ChainHook.Output };
            var ifaces = new[] { "eth0", "eth9", "lo" };
            foreach (var hook in hooks)
                foreach (var iface in ifaces)
                    foreach (var proto in protos)
                        foreach (var port in ports)
                        {
                            foreach (var s in v4) yield return Q(s, "198.19.250.2", port, proto, hook, iface);
                            foreach (var s in v6) yield return Q(s, "fd19:250::2", port, proto, hook, iface);
                        }
            foreach (var hook in hooks)
                foreach (var type in new[] { 0, 3, 8, 11 })
                {
                    yield return new FlowQuery(Corpus.Packet("203.0.113.7", "198.19.250.2", 0, "icmp", icmpType: type, sourcePort: 0), hook);
                    yield return new FlowQuery(Corpus.Packet("fd19:250::1", "fd19:250::2", 0, "icmpv6", icmpType: type, sourcePort: 0), hook);
                }
            foreach (var state in new[] { ConnState.Established, ConnState.Related, ConnState.Invalid })
                yield return new FlowQuery(Corpus.Packet("203.0.113.7", "198.19.250.2", 9999, "tcp", state), ChainHook.Input);
            yield return new FlowQuery(Corpus.Packet("198.19.250.1", "198.19.250.2", 53, "udp", sourcePort: 1000), ChainHook.Forward);
        }

        private static FlowQuery Q(string s, string d, int port, string proto, ChainHook hook, string iface)
            => new FlowQuery(Corpus.Packet(s, d, port, proto, inInterface: hook == ChainHook.Output ? null : iface, outInterface: hook == ChainHook.Input ? null : iface,
                sourcePort: port == 68 ? 67 : 40000), hook);

        private static string Describe(FlowResult r) => $"{r.Verdict} certain={r.Certain} rule={(r.ByPolicy ? "policy " + r.DecidingChain : r.DecidingRule?.Id)}";

        [Fact]
        public void The_text_and_json_listings_of_the_same_kernel_rule_set_give_the_same_verdict_for_every_flow()
        {
            var text = Corpus.Load("lab-nft.list.nft");
            var json = Corpus.Load("lab-nft.list.json");
            var source = Corpus.Load("lab-nft.source.nft");
            Assert.Equal(RuleSetFormat.NftText, text.Format);
            Assert.Equal(RuleSetFormat.NftJson, json.Format);
            Assert.Equal(json.RuleCount, text.RuleCount);
            Assert.Equal(json.Chains.Select(c => c + "").ToArray(), text.Chains.Select(c => c + "").ToArray());
            var a = new FlowEvaluator(text);
            var b = new FlowEvaluator(json);
            var c = new FlowEvaluator(source);
            int n = 0;
            var verdicts = new HashSet<FlowVerdict>();
            foreach (var q in Grid())
            {
                var ra = a.Evaluate(q); var rb = b.Evaluate(q); var rc = c.Evaluate(q);
                Assert.True(Describe(ra) == Describe(rb), q.Packet + " " + q.Direction + ": text " + Describe(ra) + " / json " + Describe(rb));
                Assert.True(Describe(ra) == Describe(rc), q.Packet + " " + q.Direction + ": listing " + Describe(ra) + " / source file " + Describe(rc));
                verdicts.Add(ra.Verdict);
                n++;
            }
            Assert.True(n > 1000);
            // The grid does exercise the rule set: accepts, drops, rejects and the rate limit's uncertainty.
            Assert.Contains(FlowVerdict.Accept, verdicts);
            Assert.Contains(FlowVerdict.Drop, verdicts);
            Assert.Contains(FlowVerdict.Reject, verdicts);
        }

        [Fact]
        public void Rules_keep_their_line_and_text_and_unmodelled_matches_stay_visible()
        {
            var set = Corpus.Load("lab-nft.list.nft");
            var input = set.FindChain("inet", "fwlab", "input")!;
            Assert.Equal(ChainHook.Input, input.Hook);
            Assert.Equal(RuleAction.Drop, input.Policy);
            Assert.Equal(26, input.Source.Line);
            var lo = input.Rules[0];
            Assert.Equal(28, lo.Source.Line);
            Assert.Equal("loopback", lo.Comment);
            Assert.Equal("iifname \"lo\" accept comment \"loopback\"", lo.Text);
            var limit = input.Rules.Single(r => r.Text.Contains("limit"));
            Assert.False(limit.IsAnalysed);
            Assert.Contains("10/second", limit.NotAnalysed[0]);
            Assert.Equal(10, set.FindChain("ip", "filter4", "forward4")!.Priority);
            Assert.Equal(5, set.FindChain("ip6", "filter6", "in6")!.Priority);
            // The named verdict map is one rule per element.
            Assert.Equal(2, input.Rules.Count(r => r.Target == "db"));
        }

        [Fact]
        public void Defines_comments_and_multi_line_sets_of_an_nft_f_file_are_read()
        {
            var set = Corpus.FromText("#!/usr/sbin/nft -f\ndefine ADMIN = 10.0.0.0/8\ntable ip t { # the table\n chain c { type filter hook input priority 0; policy drop;\n  ip saddr $ADMIN tcp dport {\n 22,\n 80 } accept # ssh\n }\n}\n", "x.nft");
            var rule = set.Rules.Single();
            Assert.Equal(5, rule.Source.Line);
            Assert.Equal("22,80", rule.Match.DestinationPorts!.ToString());
            Assert.True(rule.Match.SourceV4!.Contains(Addresses.TryParseAddress("10.1.2.3", out _, out var v) ? v : default));
        }

        [Theory]
        [InlineData("table inet t {\n chain c {\n  tcp dport 22 accept\n", "x.nft:2:10", "never closed")]
        [InlineData("table inet t {\n chain c {\n  tcp dport 22 jump nowhere\n }\n}\n", "x.nft:3", "nowhere")]
        [InlineData("table inet t {\n chain c {\n  iifname \"eth0 accept\n }\n}\n", "x.nft:3:11", "string")]
        [InlineData("add rule inet t c tcp dport 22 accept\n", "x.nft:1:1", "nft list ruleset")]
        [InlineData("table inet t {\n chain c {\n  ip saddr $NOPE accept\n }\n}\n", "x.nft:3:12", "$NOPE")]
        [InlineData("table inet t {\n chain c {\n  type filter hook input priority bogus; policy drop;\n }\n}\n", "x.nft:3:35", "bogus")]
        [InlineData("table inet t {\n chain c {\n  tcp dport\n }\n}\n", "x.nft:3:3", "tcp dport")]
        public void Hostile_text_is_a_parse_error_with_file_and_line(string text, string where, string reason)
        {
            var e = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadText(text, "x.nft", RuleSetFormat.NftText));
            Assert.Equal("FirewallParseError", e.Error.ErrorId);
            Assert.StartsWith(where, (string)e.Error.Target!);
            Assert.Contains(reason, e.Message);
        }

        [Fact]
        public void A_one_megabyte_line_is_read_or_refused_with_a_short_message()
        {
            var ports = string.Join(", ", Enumerable.Range(1, 65535).Where(p => p % 3 == 0).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var huge = "table inet t {\n chain c {\n  type filter hook input priority 0; policy drop;\n  tcp dport { " + ports + " } accept\n }\n}\n";
            var set = FirewallRuleSetReader.ReadText(huge, "big.nft");
            var dports = set.Rules.Single().Match.DestinationPorts!;
            Assert.Equal(21845, dports.Count);
            Assert.True(dports.Contains(65535) && !dports.Contains(65534));
            var garbage = "table inet t {\n chain c {\n  " + new string('x', 1 << 20) + " {\n";
            var e = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadText(garbage, "big.nft"));
            Assert.Equal("FirewallParseError", e.Error.ErrorId);
            Assert.StartsWith("big.nft:", (string)e.Error.Target!);
            Assert.True(e.Message.Length < 1000, "message of " + e.Message.Length + " characters");
            var netsh = "Rule Name: a\nDirection: " + new string('y', 1 << 20) + "\n";
            var n = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadText(netsh, "big.txt"));
            Assert.Equal("big.txt:2:1", n.Error.Target);
            Assert.True(n.Message.Length < 1000, "message of " + n.Message.Length + " characters");
        }

        [Fact]
        public void Random_garbage_never_escapes_as_anything_but_a_parse_error()
        {
            var rng = new Random(4);
            var alphabet = "table chain inet ip tcp dport saddr { } ; : , \" \n 22 10.0.0.0/8 @s accept jump set elements = type hook priority policy drop - ! != ".Split(' ');
            for (int i = 0; i < 2000; i++)
            {
                var text = "table inet t { chain c { " + string.Join(" ", Enumerable.Range(0, rng.Next(1, 30)).Select(_ => alphabet[rng.Next(alphabet.Length)]));
                try { FirewallRuleSetReader.ReadText(text, "g.nft", RuleSetFormat.NftText); }
                catch (TssrException e) { Assert.Equal("FirewallParseError", e.Error.ErrorId); }
                catch (Exception e) { throw new Exception(text.Replace("\n", "\\n"), e); }
            }
        }
    }
}
