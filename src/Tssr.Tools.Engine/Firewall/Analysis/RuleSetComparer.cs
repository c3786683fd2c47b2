using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Model;
using Tssr.Tools.Engine.Firewall.Parsers;

namespace Tssr.Tools.Engine.Firewall.Analysis
{
    public enum TrafficChangeKind
    {
        NewlyAllowed,
        NewlyBlocked,
    }

    /// <summary>A region of the packet space decided differently by two rule sets.</summary>
    public sealed class TrafficChange
    {
        internal TrafficChange(TrafficChangeKind change, ChainHook direction, IpFamily family, string protocol, string source, string destination,
            string sourcePort, string destinationPort, string icmpType, string inInterface, string outInterface, string state,
            FlowVerdict referenceVerdict, FlowVerdict differenceVerdict, FirewallRule? referenceRule, FirewallRule? differenceRule,
            string? referenceSource, string? differenceSource, bool certain, string example)
        {
            Change = change; Direction = direction; Family = family; Protocol = protocol; Source = source; Destination = destination;
            SourcePort = sourcePort; DestinationPort = destinationPort; IcmpType = icmpType; InInterface = inInterface; OutInterface = outInterface;
            State = state; ReferenceVerdict = referenceVerdict; DifferenceVerdict = differenceVerdict; ReferenceRule = referenceRule;
            DifferenceRule = differenceRule; ReferenceSource = referenceSource; DifferenceSource = differenceSource; Certain = certain; Example = example;
        }

        public TrafficChangeKind Change { get; }
        public ChainHook Direction { get; }
        public IpFamily Family { get; }
        public string Protocol { get; }
        public string Source { get; }
        public string Destination { get; }
        public string SourcePort { get; }
        public string DestinationPort { get; }
        public string IcmpType { get; }
        public string InInterface { get; }
        public string OutInterface { get; }
        public string State { get; }
        public FlowVerdict ReferenceVerdict { get; }
        public FlowVerdict DifferenceVerdict { get; }
        /// <summary>The rule deciding this traffic in the reference set (null: a policy).</summary>
        public FirewallRule? ReferenceRule { get; }
        public FirewallRule? DifferenceRule { get; }
        public string? ReferenceSource { get; }
        public string? DifferenceSource { get; }
        /// <summary>False when a rule with unmodelled conditions overlaps this traffic.</summary>
        public bool Certain { get; }
        /// <summary>One concrete packet of the region.</summary>
        public string Example { get; }

        public override string ToString() => $"{Change} {Direction} {Family} {Protocol} {Source} -> {Destination}:{DestinationPort}";
    }

    /// <summary>
    /// Compares two rule sets by the traffic they decide. Each hook's chains are evaluated
    /// symbolically: a region (a product of interval sets) is split by each rule it meets into
    /// the part the rule decides and the rest, which goes on. Only the regions that a changed rule
    /// (or policy) touches are evaluated: a packet that matches no changed rule is decided alike.
    /// </summary>
    public sealed class RuleSetComparer
    {
        private const int MaxPieces = 400_000;
        private readonly FirewallRuleSet _a;
        private readonly FirewallRuleSet _b;
        private readonly InterfaceAtoms _atoms;
        private int _pieces;

        private RuleSetComparer(FirewallRuleSet reference, FirewallRuleSet difference)
        {
            _a = reference; _b = difference;
            _atoms = new InterfaceAtoms(new[] { reference, difference });
        }

        public static Task CompareAsync(FirewallRuleSet reference, FirewallRuleSet difference, IEngineSink sink, CancellationToken ct)
            => Task.Run(() => Compare(reference, difference, sink.Output, ct), ct);

        /// <summary>Compares, streaming each change the options keep (NewlyAllowed, NewlyBlocked) to the sink.</summary>
        public static Task CompareAsync(FirewallRuleSet reference, FirewallRuleSet difference, FirewallCompareOptions options, IEngineSink sink, CancellationToken ct)
            => Task.Run(() => Compare(reference, difference, o => { if (!(o is TrafficChange c) || options.Keeps(c)) sink.Output(o); }, ct), ct);

        public static List<TrafficChange> Compare(FirewallRuleSet reference, FirewallRuleSet difference, CancellationToken ct = default)
        {
            var list = new List<TrafficChange>();
            Compare(reference, difference, o => list.Add((TrafficChange)o), ct);
            return list;
        }

        public static void Compare(FirewallRuleSet reference, FirewallRuleSet difference, Action<object> emit, CancellationToken ct)
            => new RuleSetComparer(reference, difference).Run(emit, ct);

        private sealed class Piece
        {
            public Piece(Box box, RuleAction verdict, PathEntry? decider, bool certain) { Box = box; Verdict = verdict; Decider = decider; Certain = certain; }
            public Box Box; public RuleAction Verdict; public PathEntry? Decider; public bool Certain;
        }

        private void Run(Action<object> emit, CancellationToken ct)
        {
            var pathsA = PathCompiler.CompileAll(_a);
            var pathsB = PathCompiler.CompileAll(_b);
            var hooks = pathsA.Concat(pathsB).Select(p => (p.Chain.Hook, p.Chain.InterfaceName)).Distinct().ToList();
            foreach (var (hook, iface) in hooks)
            {
                foreach (var family in new[] { IpFamily.Ipv4, IpFamily.Ipv6 })
                {
                    ct.ThrowIfCancellationRequested();
                    var fam = Addresses.ToSet(family);
                    var space = new Space(family, _atoms);
                    var a = Hook(pathsA, hook, iface, fam);
                    var b = Hook(pathsB, hook, iface, fam);
                    if (a.Count == 0 && b.Count == 0) continue;
                    var changes = new List<(Box Box, Piece A, Piece B)>();
                    var done = new List<Box>();
                    foreach (var delta in DeltaRegions(a, b, space))
                    {
                        // Regions already compared are not compared twice.
                        var fresh = new List<Box> { delta };
                        foreach (var d in done)
                        {
                            var next = new List<Box>();
                            foreach (var f in fresh) space.Subtract(f, d, next);
                            fresh = next;
                        }
                        done.Add(delta);
                        foreach (var region in fresh)
                            foreach (var pb in EvaluateHook(b, region, space, ct))
                                foreach (var pa in EvaluateHook(a, pb.Box, space, ct))
                                    if ((pa.Verdict == RuleAction.Accept) != (pb.Verdict == RuleAction.Accept))
                                        changes.Add((pa.Box, pa, pb));
                    }
                    foreach (var c in Merge(changes, space))
                        emit(ToChange(c.Box, c.A, c.B, hook, space));
                }
            }
        }

        private static List<CompiledPath> Hook(List<CompiledPath> paths, ChainHook hook, string? iface, FamilySet fam)
            => paths.Select((p, i) => (p, i)).Where(t => t.p.Chain.Hook == hook && t.p.Chain.InterfaceName == iface && (t.p.Chain.Families & fam) != 0)
                .OrderBy(t => t.p.Chain.Priority).ThenBy(t => t.i).Select(t => t.p).ToList();

        /// <summary>
        /// Where the two hooks may decide differently: with one chain on each side, the boxes of the
        /// entries between their common beginning and common end (and everything when the policies
        /// differ); otherwise the whole space.
        /// </summary>
        private IEnumerable<Box> DeltaRegions(List<CompiledPath> a, List<CompiledPath> b, Space space)
        {
            if (a.Count != 1 || b.Count != 1) { yield return space.Full; yield break; }
            var ea = a[0].Entries; var eb = b[0].Entries;
            if (ea[ea.Count - 1].Action != eb[eb.Count - 1].Action) { yield return space.Full; yield break; }
            var sa = ea.Select(e => Signature(e, space)).ToList();
            var sb = eb.Select(e => Signature(e, space)).ToList();
            int prefix = 0;
            while (prefix < sa.Count - 1 && prefix < sb.Count - 1 && sa[prefix] == sb[prefix]) prefix++;
            int suffix = 0;
            while (suffix < sa.Count - 1 - prefix && suffix < sb.Count - 1 - prefix && sa[sa.Count - 2 - suffix] == sb[sb.Count - 2 - suffix]) suffix++;
            var seen = new HashSet<string>();
            foreach (var (entries, sig) in new[] { (ea, sa), (eb, sb) })
                for (int i = prefix; i < entries.Count - 1 - suffix; i++)
                {
                    var box = space.ToBox(entries[i].Match);
                    if (box != null && seen.Add(sig[i])) yield return box;
                }
        }

        private static string Signature(PathEntry e, Space space)
        {
            var box = space.ToBox(e.Match);
            var dims = box == null ? "empty" : string.Join("|", box.D.Select(d => d.ToString()));
            return e.Action + (e.IsReliable ? "" : "?") + (e.Action == RuleAction.Return ? "@" + e.Via.Count : "") + "|" + dims;
        }

        /// <summary>Splits a region by the chains of one hook, in priority order: an accept hands the region to the next chain.</summary>
        private List<Piece> EvaluateHook(List<CompiledPath> chains, Box region, Space space, CancellationToken ct)
        {
            var pending = new List<Piece> { new Piece(region, RuleAction.Accept, null, true) };
            foreach (var chain in chains)
            {
                var next = new List<Piece>();
                foreach (var p in pending)
                {
                    if (p.Verdict != RuleAction.Accept) { next.Add(p); continue; }
                    foreach (var q in EvaluatePath(chain, p.Box, space, ct))
                    {
                        q.Certain &= p.Certain;
                        next.Add(q);
                    }
                }
                pending = next;
            }
            return pending;
        }

        private List<Piece> EvaluatePath(CompiledPath path, Box region, Space space, CancellationToken ct)
        {
            var result = new List<Piece>();
            var work = new Stack<(Box Box, int Index, bool Certain)>();
            work.Push((region, 0, true));
            var entries = path.Entries;
            while (work.Count > 0)
            {
                var (b, start, certain) = work.Pop();
                if (++_pieces > MaxPieces)
                    throw FirewallErrors.Specific("FirewallCompareTooComplex", TssrErrorCategory.LimitsExceeded, path.Chain.Key, "Error_CompareTooComplex", "Action_CompareTooComplex", MaxPieces);
                if ((_pieces & 1023) == 0) ct.ThrowIfCancellationRequested();
                for (int k = start; k < entries.Count; k++)
                {
                    var e = entries[k];
                    var eb = space.ToBox(e.Match);
                    if (eb == null || !eb.Overlaps(b)) continue;
                    if (!e.IsReliable)
                    {
                        // Unmodelled conditions: assume the rule does not match, and say the answer is not certain.
                        certain = false;
                        continue;
                    }
                    var inside = b.Intersect(eb)!;
                    var outside = new List<Box>();
                    space.Subtract(b, eb, outside);
                    foreach (var o in outside) work.Push((o, k + 1, certain));
                    if (e.Decides) result.Add(new Piece(inside, e.Action, e, certain));
                    else if (e.Action == RuleAction.Return) work.Push((inside, e.ResumeAt, certain));
                    else work.Push((inside, k + 1, certain));
                    break;
                }
            }
            return result;
        }

        /// <summary>Joins regions with the same deciding rules that differ in one dimension only.</summary>
        private static List<(Box Box, Piece A, Piece B)> Merge(List<(Box Box, Piece A, Piece B)> changes, Space space)
        {
            var groups = changes.GroupBy(c => (c.A.Decider, c.B.Decider, c.A.Verdict, c.B.Verdict));
            var result = new List<(Box, Piece, Piece)>();
            foreach (var g in groups)
            {
                var boxes = g.Select(c => c.Box).ToList();
                bool merged = true;
                while (merged && boxes.Count > 1 && boxes.Count < 2000)
                {
                    merged = false;
                    for (int i = 0; i < boxes.Count && !merged; i++)
                        for (int j = i + 1; j < boxes.Count && !merged; j++)
                        {
                            int differing = -1, count = 0;
                            for (int k = 0; k < Space.Dimensions && count < 2; k++)
                                if (!boxes[i].D[k].Equals(boxes[j].D[k])) { differing = k; count++; }
                            if (count > 1) continue;
                            var d = (IntervalSet[])boxes[i].D.Clone();
                            if (differing >= 0) d[differing] = boxes[i].D[differing].Union(boxes[j].D[differing]);
                            boxes[i] = new Box(d);
                            boxes.RemoveAt(j);
                            merged = true;
                        }
                }
                var first = g.First();
                foreach (var b in boxes) result.Add((b, first.A, first.B));
            }
            return result;
        }

        private TrafficChange ToChange(Box box, Piece a, Piece b, ChainHook hook, Space space)
        {
            string Iface(IntervalSet s)
            {
                if (s.IsFull(space.Max[Space.InInterface])) return "any";
                var names = new List<string>();
                foreach (var iv in s.Intervals)
                    for (var x = iv.Start.Low; x <= iv.End.Low; x++)
                    {
                        var n = _atoms.Representative((int)x);
                        names.Add(n == null ? "(other)" : n.Replace("\u0001other", "+"));
                    }
                return string.Join(",", names);
            }
            FlowVerdict V(RuleAction r) => r == RuleAction.Accept ? FlowVerdict.Accept : r == RuleAction.Drop ? FlowVerdict.Drop : r == RuleAction.Reject ? FlowVerdict.Reject : FlowVerdict.Undetermined;
            string? Src(Piece p) => p.Decider == null ? null : p.Decider.IsPolicy ? p.Decider.Chain.Source.ToString() : p.Decider.Rule!.Source.ToString();
            bool icmp = box.D[Space.Protocol].Contains((ulong)Protocols.Icmp) || box.D[Space.Protocol].Contains((ulong)Protocols.Icmpv6);
            return new TrafficChange(
                b.Verdict == RuleAction.Accept ? TrafficChangeKind.NewlyAllowed : TrafficChangeKind.NewlyBlocked,
                hook, space.Family,
                Protocols.FormatProtocols(box.D[Space.Protocol]),
                Addresses.Format(box.D[Space.Source], space.Family),
                Addresses.Format(box.D[Space.Destination], space.Family),
                Addresses.FormatNumbers(box.D[Space.SourcePort], Protocols.PortMax),
                Addresses.FormatNumbers(box.D[Space.DestinationPort], Protocols.PortMax),
                icmp ? Addresses.FormatNumbers(box.D[Space.IcmpType], Protocols.IcmpTypeMax) : "any",
                Iface(box.D[Space.InInterface]), Iface(box.D[Space.OutInterface]),
                Protocols.FormatStates(box.D[Space.State]),
                V(a.Verdict), V(b.Verdict),
                a.Decider?.Rule, b.Decider?.Rule, Src(a), Src(b), a.Certain && b.Certain,
                space.Sample(box).ToString());
        }
    }
}
