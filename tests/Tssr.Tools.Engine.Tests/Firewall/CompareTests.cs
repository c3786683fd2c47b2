using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;
using Tssr.Tools.Engine.Firewall.Parsers;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    public class CompareTests
    {
        private const string Head = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n";

        [Fact]
        public void A_new_rule_shows_as_the_traffic_it_newly_allows_not_as_a_line()
        {
            var a = Corpus.FromText(Head + "-A INPUT -p tcp -m tcp --dport 22 -s 10.0.0.0/8 -j ACCEPT\nCOMMIT\n", "before.rules");
            var b = Corpus.FromText(Head + "-A INPUT -p tcp -m tcp --dport 22 -s 10.0.0.0/8 -j ACCEPT\n-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT\nCOMMIT\n", "after.rules");
            var changes = RuleSetComparer.Compare(a, b);
            var c = Assert.Single(changes);
            Assert.Equal(TrafficChangeKind.NewlyAllowed, c.Change);
            Assert.Equal("tcp", c.Protocol);
            Assert.Equal("80,443", c.DestinationPort);
            Assert.Equal("any", c.Source);
            Assert.Equal(2, c.DifferenceRule!.Number);
            Assert.Null(c.ReferenceRule);
            Assert.EndsWith("before.rules:2", c.ReferenceSource);
        }

        [Fact]
        public void Reordering_that_changes_nothing_reports_nothing_and_reordering_that_does_reports_the_difference()
        {
            var a = Corpus.FromText(Head + "-A INPUT -s 10.0.0.0/8 -j ACCEPT\n-A INPUT -s 192.168.0.0/16 -j ACCEPT\nCOMMIT\n");
            var b = Corpus.FromText(Head + "-A INPUT -s 192.168.0.0/16 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -j ACCEPT\nCOMMIT\n");
            Assert.Empty(RuleSetComparer.Compare(a, b));
            var c = Corpus.FromText(Head + "-A INPUT -s 10.1.0.0/16 -j DROP\n-A INPUT -s 10.0.0.0/8 -j ACCEPT\nCOMMIT\n");
            var d = Corpus.FromText(Head + "-A INPUT -s 10.0.0.0/8 -j ACCEPT\n-A INPUT -s 10.1.0.0/16 -j DROP\nCOMMIT\n");
            var change = Assert.Single(RuleSetComparer.Compare(c, d));
            Assert.Equal(TrafficChangeKind.NewlyAllowed, change.Change);
            Assert.Equal("10.1.0.0/16", change.Source);
        }

        [Fact]
        public void An_iptables_host_and_its_nft_translation_are_compared_by_traffic()
        {
            var ipt = Corpus.FromText(Head.Replace("INPUT DROP", "INPUT DROP") + "-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n", "legacy.rules");
            var nft = Corpus.Load("host-nft.json");
            var changes = RuleSetComparer.Compare(ipt, nft);
            Assert.Contains(changes, c => c.Change == TrafficChangeKind.NewlyBlocked && c.Family == IpFamily.Ipv4 && c.Protocol == "tcp" && c.DestinationPort == "22" && c.Direction == ChainHook.Input);
            Assert.Contains(changes, c => c.Change == TrafficChangeKind.NewlyAllowed && c.DestinationPort.Contains("443"));
        }

        public static Arbitrary<(int[], int[])> Pairs() => Arb.From(
            from a in Gen.ArrayOf(Gen.Choose(0, 1 << 20)).Where(x => x.Length > 0)
            from b in Gen.ArrayOf(Gen.Choose(0, 1 << 20)).Where(x => x.Length > 0)
            select (a, b));

        [Property(MaxTest = 80, Arbitrary = new[] { typeof(CompareTests) })]
        public Property Reported_changes_are_exactly_the_packets_decided_differently((int[] A, int[] B) seeds)
        {
            var textA = FirewallPropertyTests.RandomRuleSet(seeds.A, allowNotAnalysed: false);
            // The second set is the first with a few lines changed, as between two versions.
            var lines = textA.Split('\n').ToList();
            var other = FirewallPropertyTests.RandomRuleSet(seeds.B, allowNotAnalysed: false).Split('\n').Where(l => l.StartsWith("-A INPUT")).ToList();
            var rnd = new Random(seeds.B[0]);
            var ruleLines = Enumerable.Range(0, lines.Count).Where(i => lines[i].StartsWith("-A INPUT")).ToList();
            if (ruleLines.Count > 0 && rnd.Next(2) == 0) lines.RemoveAt(ruleLines[rnd.Next(ruleLines.Count)]);
            if (other.Count > 0) lines.Insert(lines.FindIndex(l => l.StartsWith("-A")) is int at && at >= 0 ? at + rnd.Next(2) : lines.Count - 2, other[rnd.Next(other.Count)]);
            if (rnd.Next(4) == 0) lines[1] = lines[1].Contains("ACCEPT") ? ":INPUT DROP [0:0]" : ":INPUT ACCEPT [0:0]";
            var textB = string.Join("\n", lines);
            var a = FirewallRuleSetReader.ReadText(textA, "a.rules");
            var b = FirewallRuleSetReader.ReadText(textB, "b.rules");
            var changes = RuleSetComparer.Compare(a, b).Where(c => c.Direction == ChainHook.Input && c.Family == IpFamily.Ipv4).ToList();
            foreach (var p in FirewallPropertyTests.AllPackets().Where((_, i) => i % 3 == 0))
            {
                bool allowedA = FirewallPropertyTests.BruteForce(a, "INPUT", p, _ => false).Verdict == RuleAction.Accept;
                bool allowedB = FirewallPropertyTests.BruteForce(b, "INPUT", p, _ => false).Verdict == RuleAction.Accept;
                var hits = changes.Where(c => Contains(c, p, Mentioned(a, b))).ToList();
                if (allowedA == allowedB && hits.Count > 0) return false.Label($"{p} reported changed but is not\n{textA}\n---\n{textB}");
                if (allowedA != allowedB && (hits.Count != 1 || hits[0].Change != (allowedB ? TrafficChangeKind.NewlyAllowed : TrafficChangeKind.NewlyBlocked)))
                    return false.Label($"{p} changed ({allowedA}->{allowedB}) but {hits.Count} regions report it\n{textA}\n---\n{textB}");
            }
            return true.ToProperty();
        }

        /// <summary>Reads a change's printed region back (the same text a user reads) and tests a packet against it.</summary>
        private static List<string> Mentioned(params FirewallRuleSet[] sets)
            => sets.SelectMany(s => s.Rules).SelectMany(r => r.Match.InInterface.Concat(r.Match.OutInterface)).SelectMany(t => t.Names).Distinct().ToList();

        private static bool Contains(TrafficChange c, Packet p, List<string> mentioned)
        {
            // The printed interface atoms: a name the rule sets mention, "prefix+" for other names
            // under a mentioned prefix, "(other)" for every other name.
            string Atom(string? name)
            {
                if (name == null) return "(other)";
                if (mentioned.Contains(name)) return name;
                var prefix = mentioned.Where(m => m.EndsWith("+") && name.StartsWith(m.TrimEnd('+'))).OrderByDescending(m => m.Length).FirstOrDefault();
                return prefix ?? "(other)";
            }
            bool Numbers(string text, int v) => text == "any" || text.Split(',').Any(part =>
            {
                var r = part.Split('-');
                return r.Length == 1 ? int.Parse(r[0]) == v : v >= int.Parse(r[0]) && v <= int.Parse(r[1]);
            });
            bool Addr(string text, U128 v)
            {
                if (text == "any") return true;
                bool neg = text.StartsWith("!");
                bool hit = text.TrimStart('!').Split(',').Any(part => Addresses.TryParseNetwork(part, out _, out var iv) && v >= iv.Start && v <= iv.End);
                return neg ? !hit : hit;
            }
            bool Proto(string text) => text == "any" || text.Split(',').Any(t => Protocols.TryParseProtocol(t, out var n) && n == p.Protocol || t.Contains("-") && Numbers(t, p.Protocol));
            bool Iface(string text) => text == "any" || text.Split(',').Contains(Atom(p.InInterface));
            return Proto(c.Protocol) && Addr(c.Source, p.Source) && Addr(c.Destination, p.Destination) && Numbers(c.SourcePort, p.SourcePort)
                && Numbers(c.DestinationPort, p.DestinationPort) && Iface(c.InInterface)
                && (c.State == "any" || c.State.Split(',').Contains(p.State.ToString().ToUpperInvariant()));
        }
    }
}
