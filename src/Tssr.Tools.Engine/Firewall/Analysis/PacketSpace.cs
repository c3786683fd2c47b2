using System;
using System.Collections.Generic;
using System.Linq;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools.Engine.Firewall.Analysis
{
    /// <summary>
    /// Interface names as a finite dimension: every name the rule set writes is one value, every
    /// wildcard prefix adds one value for "other names with that prefix", and one value stands
    /// for every other name (or none). That partition is exact for the rule set's conditions.
    /// </summary>
    internal sealed class InterfaceAtoms
    {
        private readonly List<string?> _representatives = new List<string?>();
        private readonly Dictionary<string, IntervalSet> _cache = new Dictionary<string, IntervalSet>(StringComparer.Ordinal);

        public InterfaceAtoms(IEnumerable<FirewallRuleSet> sets)
        {
            var names = new SortedSet<string>(StringComparer.Ordinal);
            var prefixes = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var set in sets)
                foreach (var rule in set.Rules.Concat(set.DisabledRules))
                    foreach (var term in rule.Match.InInterface.Concat(rule.Match.OutInterface))
                        foreach (var n in term.Names)
                        {
                            if (n.EndsWith("+", StringComparison.Ordinal)) prefixes.Add(n.Substring(0, n.Length - 1));
                            else names.Add(n);
                        }
            _representatives.Add(null);
            foreach (var n in names) _representatives.Add(n);
            foreach (var p in prefixes) _representatives.Add(p + "\u0001other");
            Max = (ulong)(_representatives.Count - 1);
        }

        public U128 Max { get; }

        /// <summary>A name standing for the atom (null for "no or any other interface").</summary>
        public string? Representative(int atom) => _representatives[atom];

        public int Count => _representatives.Count;

        public IntervalSet Of(IReadOnlyList<InterfaceTerm> terms)
        {
            var result = IntervalSet.Full(Max);
            foreach (var term in terms)
            {
                var key = term.ToString();
                if (!_cache.TryGetValue(key, out var set))
                {
                    var list = new List<Interval>();
                    for (int i = 0; i < _representatives.Count; i++)
                        if (term.Matches(_representatives[i])) list.Add(new Interval((ulong)i, (ulong)i));
                    set = IntervalSet.From(list);
                    _cache[key] = set;
                }
                result = result.Intersect(set);
            }
            return result;
        }
    }

    /// <summary>The dimensions of the packet space for one address family.</summary>
    internal sealed class Space
    {
        public const int Protocol = 0, Source = 1, Destination = 2, SourcePort = 3, DestinationPort = 4, IcmpType = 5, InInterface = 6, OutInterface = 7, State = 8;
        public const int Dimensions = 9;

        public Space(IpFamily family, InterfaceAtoms atoms)
        {
            Family = family;
            Atoms = atoms;
            var addr = Addresses.MaxOf(family);
            Max = new[] { Protocols.ProtocolMax, addr, addr, Protocols.PortMax, Protocols.PortMax, Protocols.IcmpTypeMax, atoms.Max, atoms.Max, Protocols.StateMax };
            Full = new Box(Max.Select(IntervalSet.Full).ToArray());
        }

        public IpFamily Family { get; }
        public InterfaceAtoms Atoms { get; }
        public U128[] Max { get; }
        public Box Full { get; }

        /// <summary>The match as a product of interval sets in this family, or null when it matches nothing here.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public Box? ToBox(PacketMatch m)
        {
            if (m.IsEmptyFor(Family)) return null;
            var d = new IntervalSet[Dimensions];
            d[Protocol] = m.Protocols ?? Full.D[Protocol];
            d[Source] = m.Source(Family) ?? Full.D[Source];
            d[Destination] = m.Destination(Family) ?? Full.D[Destination];
            d[SourcePort] = m.SourcePorts ?? Full.D[SourcePort];
            d[DestinationPort] = m.DestinationPorts ?? Full.D[DestinationPort];
            d[IcmpType] = m.IcmpTypes ?? Full.D[IcmpType];
            d[InInterface] = m.InInterface.Count == 0 ? Full.D[InInterface] : Atoms.Of(m.InInterface);
            d[OutInterface] = m.OutInterface.Count == 0 ? Full.D[OutInterface] : Atoms.Of(m.OutInterface);
            d[State] = m.States ?? Full.D[State];
            foreach (var x in d) if (x.IsEmpty) return null;
            return new Box(d);
        }

        /// <summary>A box minus another: at most one piece per dimension, disjoint.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public void Subtract(Box a, Box b, List<Box> into)
        {
            if (!a.Overlaps(b)) { into.Add(a); return; }
            var prefix = (IntervalSet[])a.D.Clone();
            for (int k = 0; k < Dimensions; k++)
            {
                var outside = a.D[k].Subtract(b.D[k], Max[k]);
                if (!outside.IsEmpty)
                {
                    var piece = (IntervalSet[])prefix.Clone();
                    piece[k] = outside;
                    into.Add(new Box(piece));
                }
                prefix[k] = a.D[k].Intersect(b.D[k]);
            }
        }

        /// <summary>A concrete packet inside the box (for explanations and double checks).</summary>
        public Packet Sample(Box b)
        {
            var iif = Atoms.Representative((int)b.D[InInterface].Min.Low);
            var oif = Atoms.Representative((int)b.D[OutInterface].Min.Low);
            return new Packet(Family, (int)b.D[Protocol].Min.Low, b.D[Source].Min, b.D[Destination].Min, (int)b.D[SourcePort].Min.Low,
                (int)b.D[DestinationPort].Min.Low, (ConnState)(int)b.D[State].Min.Low, iif, oif, (int)b.D[IcmpType].Min.Low);
        }
    }

    /// <summary>A product of one interval set per dimension.</summary>
    internal sealed class Box
    {
        public Box(IntervalSet[] d) { D = d; }

        public IntervalSet[] D { get; }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public bool Overlaps(Box o)
        {
            for (int k = 0; k < D.Length; k++) if (!D[k].Overlaps(o.D[k])) return false;
            return true;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public bool IsSubsetOf(Box o)
        {
            for (int k = 0; k < D.Length; k++) if (!ReferenceEquals(D[k], o.D[k]) && !D[k].IsSubsetOf(o.D[k])) return false;
            return true;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public Box? Intersect(Box o)
        {
            var d = new IntervalSet[D.Length];
            for (int k = 0; k < D.Length; k++)
            {
                d[k] = D[k].Intersect(o.D[k]);
                if (d[k].IsEmpty) return null;
            }
            return new Box(d);
        }
    }

    /// <summary>
    /// A static index of intervals (one dimension of many boxes): which boxes have an interval
    /// meeting [a, b], in O(log n + answers), and how many, in O(log n). The audit asks each rule's
    /// neighbours through the most selective dimension instead of scanning every pair.
    /// </summary>
    internal sealed class IntervalIndex
    {
        private readonly U128[] _starts;
        private readonly U128[] _endsSorted;
        private readonly U128[] _ends;
        private readonly int[] _items;
        private readonly U128[] _tree; // max end over ranges of the start-sorted array
        private readonly int _size;

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public IntervalIndex(List<(Interval Interval, int Item)> entries)
        {
            entries.Sort((x, y) => x.Interval.Start.CompareTo(y.Interval.Start));
            int n = entries.Count;
            _starts = new U128[n]; _ends = new U128[n]; _items = new int[n]; _endsSorted = new U128[n];
            for (int i = 0; i < n; i++)
            {
                _starts[i] = entries[i].Interval.Start;
                _ends[i] = entries[i].Interval.End;
                _endsSorted[i] = entries[i].Interval.End;
                _items[i] = entries[i].Item;
            }
            Array.Sort(_endsSorted);
            _size = 1;
            while (_size < Math.Max(1, n)) _size <<= 1;
            _tree = new U128[2 * _size];
            for (int i = 0; i < n; i++) _tree[_size + i] = _ends[i];
            for (int i = _size - 1; i >= 1; i--) _tree[i] = U128.Max(_tree[2 * i], _tree[2 * i + 1]);
            Count = n;
        }

        public int Count { get; }

        private int CountStartsAtMost(U128 b)
        {
            int lo = 0, hi = _starts.Length;
            while (lo < hi) { int mid = (lo + hi) >> 1; if (_starts[mid] <= b) lo = mid + 1; else hi = mid; }
            return lo;
        }

        private int CountEndsBelow(U128 a)
        {
            int lo = 0, hi = _endsSorted.Length;
            while (lo < hi) { int mid = (lo + hi) >> 1; if (_endsSorted[mid] < a) lo = mid + 1; else hi = mid; }
            return lo;
        }

        /// <summary>How many intervals meet [a, b].</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public int CountMeeting(U128 a, U128 b) => CountStartsAtMost(b) - CountEndsBelow(a);

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public void ItemsMeeting(U128 a, U128 b, List<int> into)
        {
            int k = CountStartsAtMost(b);
            if (k == 0) return;
            Collect(1, 0, _size, k, a, into);
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        private void Collect(int node, int lo, int hi, int limit, U128 a, List<int> into)
        {
            if (lo >= limit || _tree[node] < a) return;
            if (hi - lo == 1)
            {
                if (lo < Count && _ends[lo] >= a) into.Add(_items[lo]);
                return;
            }
            int mid = (lo + hi) >> 1;
            Collect(2 * node, lo, mid, limit, a, into);
            Collect(2 * node + 1, mid, hi, limit, a, into);
        }
    }
}
