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
    /// Never certain and wrong: random nft rule sets with constructs the analysis does not model on
    /// the path (unknown matches, verdict maps on unknown keys, jumps inside them) besides modelled
    /// ones (concatenated vmaps and sets, tcp flags). Whenever the evaluator says Certain, its
    /// verdict is the one of every completion of the unknown rules: each unknown match matching or
    /// not, each unknown verdict map giving any of its verdicts or none. The completions come from
    /// the generator (what was written), not from what the reader made of it.
    /// </summary>
    public class FirewallUnknownCompletionPropertyTests
    {
        private enum LineKind { Known, UnknownMatch, UnknownVerdict }

        private sealed class Line
        {
            public LineKind Kind;
            /// <summary>UnknownVerdict: what it may do ("accept", "drop", "jump c2"; "continue" when no element matches).</summary>
            public string[] Verdicts = Array.Empty<string>();
        }

        private sealed class Generated
        {
            public string Text = "";
            public Dictionary<int, Line> Lines = new Dictionary<int, Line>();
        }

        private sealed class Entropy
        {
            private readonly int[] _data;
            private int _pos;
            public Entropy(int[] data) { _data = data; }
            public int Next(int n) => _data.Length == 0 ? 0 : (int)((uint)(_data[_pos++ % _data.Length] * 2654435761u + (uint)_pos) % (uint)n);
        }

        public static Arbitrary<int[]> Seeds() => Arb.From(Gen.ArrayOf(Gen.Choose(0, 1 << 20)).Where(a => a.Length > 0));

        private static Generated Make(int[] seed)
        {
            var r = new Entropy(seed);
            var g = new Generated();
            var sb = new StringBuilder();
            int line = 1;
            void Emit(string s) { sb.Append(s).Append('\n'); line++; }
            Emit("table inet t {");
            foreach (var chain in new[] { "input", "c1", "c2" })
            {
                Emit("  chain " + chain + " {");
                if (chain == "input") Emit("    type filter hook input priority 0; policy " + (r.Next(2) == 0 ? "accept" : "drop") + ";");
                int count = chain == "input" ? 2 + r.Next(6) : r.Next(4);
                var callees = chain == "input" ? new[] { "c1", "c2" } : chain == "c1" ? new[] { "c2" } : Array.Empty<string>();
                for (int i = 0; i < count; i++)
                {
                    var parts = new List<string>();
                    var kind = LineKind.Known;
                    string[] verdicts = Array.Empty<string>();
                    if (r.Next(3) == 0) parts.Add("ip saddr " + (r.Next(2) == 0 ? "10.0.0.1" : "!= 10.0.0.1"));
                    if (r.Next(4) == 0) parts.Add("ct state " + (r.Next(2) == 0 ? "new" : "established"));
                    if (r.Next(5) == 0) parts.Add("iifname \"lo\"");
                    var shape = r.Next(10);
                    string verdict = new[] { "accept", "drop", "reject", "return", "continue" }[r.Next(5)];
                    if (callees.Length > 0 && r.Next(3) == 0) verdict = (r.Next(3) == 0 ? "goto " : "jump ") + callees[r.Next(callees.Length)];
                    switch (shape)
                    {
                        case 0: parts.Add("meta mark 0x1"); kind = LineKind.UnknownMatch; parts.Add(verdict); break;
                        case 1:
                            {
                                var vs = new List<string> { "accept", "drop" };
                                if (callees.Length > 0) vs.Add("jump " + callees[0]);
                                parts.Add("meta mark vmap { 0x1 : " + vs[0] + ", 0x2 : " + vs[1] + (vs.Count > 2 ? ", 0x3 : " + vs[2] : "") + " }");
                                kind = LineKind.UnknownVerdict; verdicts = vs.Concat(new[] { "continue" }).ToArray();
                                break;
                            }
                        case 2:
                            parts.Add("meta l4proto . th dport vmap { tcp . 22 : " + (r.Next(2) == 0 ? "accept" : "drop") + ", udp . 53 : " + (callees.Length > 0 ? "jump " + callees[0] : "drop") + " }");
                            break;
                        case 3: parts.Add("ip saddr . tcp dport { 10.0.0.1 . 22, 10.0.0.2 . 80 }"); parts.Add(verdict); break;
                        case 4: parts.Add("tcp flags " + new[] { "syn", "& (syn|ack) == syn", "{ syn, syn|ack }", "ack" }[r.Next(4)]); parts.Add(verdict); break;
                        case 5: parts.Add("meta l4proto . meta mark vmap { tcp . 0x1 : accept, tcp . 0x2 : drop }"); kind = LineKind.UnknownVerdict; verdicts = new[] { "accept", "drop", "continue" }; break;
                        case 6: parts.Add("th dport { 22, 53 }"); parts.Add(verdict); break;
                        case 7: parts.Add("meta mark & 0xff vmap { 0x1 : accept, 0x2 : drop }"); kind = LineKind.UnknownVerdict; verdicts = new[] { "accept", "drop", "continue" }; break;
                        default: parts.Add(verdict); break;
                    }
                    if (kind != LineKind.Known) g.Lines[line] = new Line { Kind = kind, Verdicts = verdicts };
                    Emit("    " + string.Join(" ", parts));
                }
                Emit("  }");
            }
            Emit("}");
            g.Text = sb.ToString();
            return g;
        }

        private static IEnumerable<Packet> Packets()
        {
            foreach (var s in new[] { "10.0.0.1", "10.0.0.2" })
                foreach (var proto in new[] { "tcp", "udp" })
                    foreach (var port in new[] { 22, 53, 80 })
                        foreach (var st in new[] { ConnState.New, ConnState.Established })
                            foreach (var iif in new[] { "eth0", "lo" })
                            {
                                var p = Corpus.Packet(s, "10.0.0.9", port, proto, st, iif);
                                yield return p;
                                if (proto == "tcp" && st == ConnState.New)
                                    // A SYN+ACK opens no connection: conntrack (and the evaluator) see it INVALID.
                                    yield return new Packet(p.Family, p.Protocol, p.Source, p.Destination, p.SourcePort, p.DestinationPort, ConnState.Invalid, p.InInterface, p.OutInterface, p.IcmpType, Protocols.TcpSyn | Protocols.TcpAck);
                            }
        }

        /// <summary>Walks the chains as the kernel would, the unknown lines completed by <paramref name="choose"/>.</summary>
        private static RuleAction Walk(FirewallRuleSet set, Generated g, FirewallChain chain, Packet p, Func<int, int> choose, int depth, out bool fellOff)
        {
            fellOff = false;
            if (depth > 8) throw new InvalidOperationException("loop");
            int skipLine = -1;
            foreach (var rule in chain.Rules)
            {
                int lineNo = rule.Source.Line;
                if (lineNo == skipLine) continue;
                g.Lines.TryGetValue(lineNo, out var info);
                string? action = null;
                if (info != null && info.Kind == LineKind.UnknownVerdict)
                {
                    skipLine = lineNo;
                    // The known parts (the conditions before the map, a known part of the key) must hold: the reader keeps them exact.
                    if (!chain.Rules.Any(x => x.Source.Line == lineNo && x.Match.MatchesAnalysed(p))) continue;
                    action = info.Verdicts[choose(lineNo) % info.Verdicts.Length];
                }
                else
                {
                    if (!rule.Match.MatchesAnalysed(p)) continue;
                    if (info != null && info.Kind == LineKind.UnknownMatch && choose(lineNo) % 2 == 0) continue;
                    if (rule.Element != null) skipLine = lineNo;
                    action = rule.Action switch
                    {
                        RuleAction.Accept => "accept", RuleAction.Drop => "drop", RuleAction.Reject => "reject", RuleAction.Return => "return",
                        RuleAction.Continue => "continue", RuleAction.Jump => "jump " + rule.Target, RuleAction.Goto => "goto " + rule.Target,
                        _ => throw new InvalidOperationException("unexpected unknown action on a known line " + lineNo + ": " + rule.Text),
                    };
                }
                switch (action)
                {
                    case "accept": return RuleAction.Accept;
                    case "drop": return RuleAction.Drop;
                    case "reject": return RuleAction.Reject;
                    case "return": fellOff = true; return RuleAction.Accept;
                    case "continue": continue;
                }
                var target = set.FindChain("inet", "t", action!.Substring(action.IndexOf(' ') + 1))!;
                var v = Walk(set, g, target, p, choose, depth + 1, out var off);
                if (action.StartsWith("goto", StringComparison.Ordinal)) { fellOff = off; return v; }
                if (!off) return v;
            }
            fellOff = true;
            return RuleAction.Accept;
        }

        private static FlowVerdict Complete(FirewallRuleSet set, Generated g, Packet p, Func<int, int> choose)
        {
            var input = set.FindChain("inet", "t", "input")!;
            var v = Walk(set, g, input, p, choose, 0, out var off);
            if (off) v = input.Policy!.Value;
            return v == RuleAction.Accept ? FlowVerdict.Accept : v == RuleAction.Drop ? FlowVerdict.Drop : FlowVerdict.Reject;
        }

        [Property(MaxTest = 150, Arbitrary = new[] { typeof(FirewallUnknownCompletionPropertyTests) })]
        public Property Whenever_certain_the_verdict_is_that_of_every_completion_of_the_unknown_rules(int[] seed)
        {
            var g = Make(seed);
            var set = FirewallRuleSetReader.ReadText(g.Text, "random.nft");
            var evaluator = new FlowEvaluator(set);
            var rnd = new Random(seed[0]);
            var completions = new List<Func<int, int>> { _ => 0, _ => 1, _ => 2, _ => 3 };
            for (int k = 0; k < 6; k++)
            {
                var salt = rnd.Next();
                completions.Add(line => (line * 7919 + salt) & 0xFFFF);
            }
            foreach (var p in Packets())
            {
                var got = evaluator.Evaluate(new FlowQuery(p, ChainHook.Input));
                var truths = completions.Select(c => Complete(set, g, p, c)).Distinct().ToList();
                if (got.Certain && truths.Any(t => t != got.Verdict))
                    return false.Label($"{p} flags {p.TcpFlags}: certain {got.Verdict}, a completion gives {string.Join("/", truths)}\n{g.Text}\n{string.Join("\n", got.Path)}");
                if (g.Lines.Count == 0 && !got.Certain)
                    return false.Label($"{p}: every construct is modelled, yet not certain\n{g.Text}");
            }
            return true.ToProperty();
        }
    }
}
