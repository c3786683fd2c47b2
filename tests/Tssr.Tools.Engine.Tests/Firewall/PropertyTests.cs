using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;
using Tssr.Tools.Engine.Firewall.Parsers;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    /// <summary>
    /// Random rule sets (written as iptables-save text, so the reader is exercised too) over small
    /// domains where every packet class can be enumerated, checked against a brute-force
    /// first-match evaluator that walks the chains recursively (no inlining).
    /// </summary>
    public class FirewallPropertyTests
    {
        private sealed class Entropy
        {
            private readonly int[] _data;
            private int _pos;
            public Entropy(int[] data) { _data = data; }
            public int Next(int n) => _data.Length == 0 ? 0 : (int)((uint)_data[_pos++ % _data.Length] % (uint)n);
        }

        public static Arbitrary<int[]> Seeds() => Arb.From(Gen.ArrayOf(Gen.Choose(0, 1 << 20)).Where(a => a.Length > 0));

        /// <summary>A rule set of 3 chains (INPUT, C1, C2) with jumps, gotos, returns, negations, states, interfaces.</summary>
        internal static string RandomRuleSet(int[] seed, bool allowNotAnalysed = true, bool broad = false)
        {
            var r = new Entropy(seed);
            var sb = new StringBuilder();
            sb.AppendLine("*filter");
            sb.AppendLine(":INPUT " + (r.Next(2) == 0 ? "ACCEPT" : "DROP") + " [0:0]");
            sb.AppendLine(":FORWARD ACCEPT [0:0]");
            sb.AppendLine(":OUTPUT ACCEPT [0:0]");
            sb.AppendLine(":C1 - [0:0]");
            sb.AppendLine(":C2 - [0:0]");
            void Rules(string chain, int count, string[] callees)
            {
                for (int i = 0; i < count; i++)
                {
                    var line = new StringBuilder("-A " + chain);
                    // Broad rule sets (few conditions) make many rules cover others: the interesting case for shadowing.
                    if (r.Next(broad ? 3 : 2) == 0) line.Append(Neg(r)).Append(" -s ").Append(Block(r));
                    if (r.Next(broad ? 8 : 4) == 0) line.Append(Neg(r)).Append(" -d ").Append(r.Next(2) == 0 ? "10.0.0.0/31" : "10.0.0.1");
                    var proto = r.Next(broad ? 5 : 3);
                    if (proto == 1 || proto == 2)
                    {
                        var name = proto == 1 ? "tcp" : "udp";
                        line.Append(" -p ").Append(name);
                        if (r.Next(3) > 0)
                        {
                            int a = 1 + r.Next(4), b = a + r.Next(3);
                            line.Append(" -m ").Append(name).Append(Neg(r)).Append(" --dport ").Append(a == b ? a.ToString() : a + ":" + b);
                        }
                    }
                    if (r.Next(4) == 0)
                    {
                        var states = new[] { "NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED" }.Where(_ => r.Next(2) == 0).ToList();
                        if (states.Count == 0) states.Add("NEW");
                        line.Append(" -m conntrack").Append(Neg(r)).Append(" --ctstate ").Append(string.Join(",", states));
                    }
                    if (r.Next(5) == 0) line.Append(Neg(r)).Append(" -i ").Append(new[] { "eth0", "eth1", "eth+", "lo" }[r.Next(4)]);
                    if (allowNotAnalysed && r.Next(12) == 0) line.Append(" -m limit --limit 5/sec");
                    var kind = r.Next(10);
                    if (kind < 3) line.Append(" -j ACCEPT");
                    else if (kind < 5) line.Append(" -j DROP");
                    else if (kind == 5) line.Append(" -j REJECT");
                    else if (kind == 6) line.Append(" -j RETURN");
                    else if (kind == 7) line.Append(" -j LOG");
                    else if (callees.Length > 0) line.Append(r.Next(3) == 0 ? " -g " : " -j ").Append(callees[r.Next(callees.Length)]);
                    else line.Append(" -j ACCEPT");
                    sb.AppendLine(line.ToString());
                }
                // A user chain ending in a catch-all, with RETURNs above it: packets escape it only through the returns.
                if (broad && chain != "INPUT" && r.Next(2) == 0)
                {
                    if (r.Next(2) == 0) sb.AppendLine("-A " + chain + " -s " + Block(r) + " -j RETURN");
                    sb.AppendLine("-A " + chain + new[] { " -j DROP", " -j ACCEPT", " -j REJECT" }[r.Next(3)]);
                }
            }
            Rules("INPUT", 1 + r.Next(8), new[] { "C1", "C2" });
            Rules("C1", r.Next(5), new[] { "C2" });
            Rules("C2", r.Next(4), Array.Empty<string>());
            sb.AppendLine("COMMIT");
            return sb.ToString();
        }

        private static string Neg(Entropy r) => r.Next(4) == 0 ? " !" : "";

        private static string Block(Entropy r)
        {
            int len = 29 + r.Next(4); // /29 .. /32 inside 10.0.0.0/29
            int size = 1 << (32 - len);
            int start = r.Next(8 / size) * size;
            return "10.0.0." + start + "/" + len;
        }

        internal static IEnumerable<Packet> AllPackets()
        {
            var sources = Enumerable.Range(0, 8).Select(i => "10.0.0." + i).Concat(new[] { "192.0.2.1" });
            foreach (var s in sources)
                foreach (var d in new[] { "10.0.0.1", "10.0.0.7" })
                    foreach (var proto in new[] { "tcp", "udp", "icmp" })
                        foreach (var port in proto == "icmp" ? new[] { 0 } : new[] { 0, 1, 2, 3, 4, 5, 6, 7, 1000 })
                            foreach (ConnState st in Enum.GetValues(typeof(ConnState)))
                                foreach (var iif in new[] { "eth0", "eth1", "eth7", "lo", "wlan0" })
                                    yield return Corpus.Packet(s, d, port, proto, st, iif);
        }

        /// <summary>The reference: walk the chains recursively, first match wins; null = fell off the chain.</summary>
        internal static (RuleAction Verdict, FirewallRule? Rule) BruteForce(FirewallRuleSet set, string chainName, Packet p, Func<FirewallRule, bool> notAnalysedMatches, FirewallRule? without = null)
        {
            var chain = set.FindChain("ip", "filter", chainName)!;
            var r = Walk(set, chain, p, notAnalysedMatches, without, 0);
            return r ?? (chain.Policy!.Value, null);
        }

        private static (RuleAction, FirewallRule?)? Walk(FirewallRuleSet set, FirewallChain chain, Packet p, Func<FirewallRule, bool> na, FirewallRule? without, int depth)
        {
            if (depth > 10) throw new InvalidOperationException("loop");
            foreach (var rule in chain.Rules)
            {
                if (rule == without) continue;
                if (!rule.Match.MatchesAnalysed(p)) continue;
                if (!rule.IsAnalysed && !na(rule)) continue;
                switch (rule.Action)
                {
                    case RuleAction.Accept: case RuleAction.Drop: case RuleAction.Reject: return (rule.Action, rule);
                    case RuleAction.Return: return null;
                    case RuleAction.Continue: continue;
                    case RuleAction.Jump:
                        {
                            var sub = Walk(set, set.FindChain("ip", "filter", rule.Target!)!, p, na, without, depth + 1);
                            if (sub != null) return sub;
                            continue;
                        }
                    case RuleAction.Goto:
                        return Walk(set, set.FindChain("ip", "filter", rule.Target!)!, p, na, without, depth + 1);
                }
            }
            return null;
        }

        private static FlowVerdict ToVerdict(RuleAction a) => a == RuleAction.Accept ? FlowVerdict.Accept : a == RuleAction.Drop ? FlowVerdict.Drop : FlowVerdict.Reject;

        [Property(MaxTest = 100, Arbitrary = new[] { typeof(FirewallPropertyTests) })]
        public Property Flow_agrees_with_a_brute_force_first_match_evaluation(int[] seed)
        {
            var text = RandomRuleSet(seed, allowNotAnalysed: false);
            var set = FirewallRuleSetReader.ReadText(text, "random.rules");
            var evaluator = new FlowEvaluator(set);
            foreach (var p in AllPackets())
            {
                var expected = BruteForce(set, "INPUT", p, _ => false);
                var got = evaluator.Evaluate(new FlowQuery(p, ChainHook.Input));
                if (got.Verdict != ToVerdict(expected.Verdict) || !got.Certain || got.DecidingRule != expected.Rule)
                    return false.Label($"{p}: expected {expected.Verdict} by {expected.Rule?.Id ?? "policy"}, got {got.Verdict} by {got.DecidingRule?.Id ?? "policy"}\n{text}");
            }
            return true.ToProperty();
        }

        [Property(MaxTest = 100, Arbitrary = new[] { typeof(FirewallPropertyTests) })]
        public Property With_unmodelled_matches_a_certain_verdict_holds_whatever_they_match(int[] seed)
        {
            var text = RandomRuleSet(seed, allowNotAnalysed: true);
            var set = FirewallRuleSetReader.ReadText(text, "random.rules");
            var evaluator = new FlowEvaluator(set);
            var unknown = set.Rules.Where(r => !r.IsAnalysed).ToList();
            var rnd = new Random(seed[0]);
            foreach (var p in AllPackets().Where((_, i) => i % 7 == 0))
            {
                var got = evaluator.Evaluate(new FlowQuery(p, ChainHook.Input));
                var none = ToVerdict(BruteForce(set, "INPUT", p, _ => false).Verdict);
                var all = ToVerdict(BruteForce(set, "INPUT", p, _ => true).Verdict);
                var some = ToVerdict(BruteForce(set, "INPUT", p, _ => rnd.Next(2) == 0).Verdict);
                if (!got.PossibleVerdicts.Contains(none) || !got.PossibleVerdicts.Contains(all))
                    return false.Label($"{p}: possible {string.Join(",", got.PossibleVerdicts)} misses {none}/{all}\n{text}");
                if (got.Certain && (none != got.Verdict || all != got.Verdict || some != got.Verdict))
                    return false.Label($"{p}: claimed certain {got.Verdict}, brute force {none}/{all}/{some}\n{text}");
            }
            return true.ToProperty();
        }

        [Property(MaxTest = 200, Arbitrary = new[] { typeof(FirewallPropertyTests) })]
        public Property Every_shadowed_rule_is_truly_unreachable_and_every_redundant_rule_removable(int[] seed)
        {
            var text = RandomRuleSet(seed, allowNotAnalysed: true, broad: seed[0] % 2 == 0);
            var set = FirewallRuleSetReader.ReadText(text, "random.rules");
            var findings = FirewallAuditor.Audit(set);
            var packets = AllPackets().ToList();
            var assignments = new Func<FirewallRule, bool>[] { _ => false, _ => true, r => r.Number % 2 == 0 };
            foreach (var f in findings.Where(f => f.Kind == FindingKind.Shadowing || f.Kind == FindingKind.Irrelevance))
            {
                foreach (var na in assignments)
                    foreach (var p in packets)
                        if (BruteForce(set, "INPUT", p, na).Rule == f.Rule)
                            return false.Label($"{f.Kind} claimed for {f.Rule!.Id} but {p} is decided by it\n{text}");
            }
            foreach (var f in findings.Where(f => f.Kind == FindingKind.Redundancy))
            {
                foreach (var na in assignments)
                    foreach (var p in packets)
                        if (BruteForce(set, "INPUT", p, na).Verdict != BruteForce(set, "INPUT", p, na, without: f.Rule).Verdict)
                            return false.Label($"Redundancy claimed for {f.Rule!.Id} but removing it changes {p}\n{text}");
            }
            return true.ToProperty();
        }
    }
}
