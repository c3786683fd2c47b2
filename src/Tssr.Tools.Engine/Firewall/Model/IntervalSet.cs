using System;
using System.Collections.Generic;
using System.Text;

namespace Tssr.Tools.Engine.Firewall.Model
{
    /// <summary>One closed interval [Start, End] of a dimension of the packet space.</summary>
    public readonly struct Interval : IEquatable<Interval>
    {
        public Interval(U128 start, U128 end)
        {
            if (end < start) throw new ArgumentException("An interval ends after it starts.");
            Start = start;
            End = end;
        }

        public U128 Start { get; }
        public U128 End { get; }

        public bool Equals(Interval other) => Start == other.Start && End == other.End;
        public override bool Equals(object? obj) => obj is Interval i && Equals(i);
        public override int GetHashCode() => Start.GetHashCode() * 31 + End.GetHashCode();
        public override string ToString() => Start == End ? Start.ToString() : $"{Start}-{End}";
    }

    /// <summary>
    /// An immutable set of values of one dimension (addresses, ports, protocols, states), kept as
    /// sorted, disjoint, non-adjacent closed intervals. Negation is an exact complement within the
    /// dimension's domain, so "! -s 10.0.0.0/8" is the two intervals around it, never "ignored".
    /// </summary>
    public sealed class IntervalSet : IEquatable<IntervalSet>
    {
        private readonly Interval[] _items;

        public static readonly IntervalSet Empty = new IntervalSet(Array.Empty<Interval>());

        private IntervalSet(Interval[] normalisedItems)
        {
            _items = normalisedItems;
        }

        public IReadOnlyList<Interval> Intervals => _items;
        public int Count => _items.Length;
        public bool IsEmpty => _items.Length == 0;

        public static IntervalSet Range(U128 start, U128 end) => new IntervalSet(new[] { new Interval(start, end) });

        public static IntervalSet Single(U128 value) => Range(value, value);

        /// <summary>The whole domain [0, max].</summary>
        public static IntervalSet Full(U128 max) => Range(U128.Zero, max);

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public static IntervalSet From(IEnumerable<Interval> intervals)
        {
            var list = new List<Interval>(intervals);
            if (list.Count == 0) return Empty;
            list.Sort((a, b) => a.Start.CompareTo(b.Start));
            var merged = new List<Interval>(list.Count);
            var current = list[0];
            for (int i = 1; i < list.Count; i++)
            {
                var next = list[i];
                // Merge overlapping and adjacent intervals (End + 1 == next.Start).
                if (current.End == U128.MaxValue || next.Start <= current.End.Increment())
                {
                    if (next.End > current.End) current = new Interval(current.Start, next.End);
                }
                else
                {
                    merged.Add(current);
                    current = next;
                }
            }
            merged.Add(current);
            return new IntervalSet(merged.ToArray());
        }

        public bool IsFull(U128 max) => _items.Length == 1 && _items[0].Start == U128.Zero && _items[0].End == max;

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public bool Contains(U128 value)
        {
            int lo = 0, hi = _items.Length - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                if (value < _items[mid].Start) hi = mid - 1;
                else if (value > _items[mid].End) lo = mid + 1;
                else return true;
            }
            return false;
        }

        public U128 Min => _items.Length == 0 ? throw new InvalidOperationException("empty set") : _items[0].Start;
        public U128 Max => _items.Length == 0 ? throw new InvalidOperationException("empty set") : _items[_items.Length - 1].End;

        public IntervalSet Union(IntervalSet other)
        {
            if (other.IsEmpty) return this;
            if (IsEmpty) return other;
            var all = new List<Interval>(_items.Length + other._items.Length);
            all.AddRange(_items);
            all.AddRange(other._items);
            return From(all);
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public IntervalSet Intersect(IntervalSet other)
        {
            if (IsEmpty || other.IsEmpty) return Empty;
            if (ReferenceEquals(this, other)) return this;
            var result = new List<Interval>();
            int i = 0, j = 0;
            var a = _items; var b = other._items;
            while (i < a.Length && j < b.Length)
            {
                var start = U128.Max(a[i].Start, b[j].Start);
                var end = U128.Min(a[i].End, b[j].End);
                if (start <= end) result.Add(new Interval(start, end));
                if (a[i].End < b[j].End) i++; else j++;
            }
            if (result.Count == a.Length && Same(result, a)) return this;
            if (result.Count == b.Length && Same(result, b)) return other;
            return result.Count == 0 ? Empty : new IntervalSet(result.ToArray());
        }

        private static bool Same(List<Interval> list, Interval[] items)
        {
            for (int k = 0; k < items.Length; k++) if (!list[k].Equals(items[k])) return false;
            return true;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public bool Overlaps(IntervalSet other)
        {
            int i = 0, j = 0;
            var a = _items; var b = other._items;
            while (i < a.Length && j < b.Length)
            {
                if (a[i].End < b[j].Start) i++;
                else if (b[j].End < a[i].Start) j++;
                else return true;
            }
            return false;
        }

        /// <summary>True when every value of this set is in <paramref name="other"/>.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public bool IsSubsetOf(IntervalSet other)
        {
            int j = 0;
            var b = other._items;
            foreach (var x in _items)
            {
                while (j < b.Length && b[j].End < x.Start) j++;
                if (j == b.Length || b[j].Start > x.Start || b[j].End < x.End) return false;
            }
            return true;
        }

        /// <summary>Every value of [0, max] not in this set.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public IntervalSet Complement(U128 max)
        {
            var result = new List<Interval>(_items.Length + 1);
            var next = U128.Zero;
            bool open = true;
            foreach (var x in _items)
            {
                if (x.Start > max) break;
                if (x.Start > next) result.Add(new Interval(next, x.Start.Decrement()));
                if (x.End >= max) { open = false; break; }
                next = x.End.Increment();
            }
            if (open && next <= max) result.Add(new Interval(next, max));
            return result.Count == 0 ? Empty : new IntervalSet(result.ToArray());
        }

        public IntervalSet Subtract(IntervalSet other, U128 max) => other.IsEmpty ? this : Intersect(other.Complement(max));

        /// <summary>How many values the set holds, saturated at ulong.MaxValue.</summary>
        public ulong CountValuesSaturated()
        {
            ulong total = 0;
            foreach (var x in _items)
            {
                if (x.End.High != x.Start.High) return ulong.MaxValue;
                ulong span = x.End.Low - x.Start.Low;
                if (span == ulong.MaxValue) return ulong.MaxValue;
                span++;
                if (total > ulong.MaxValue - span) return ulong.MaxValue;
                total += span;
            }
            return total;
        }

        public bool Equals(IntervalSet? other)
        {
            if (other is null || other._items.Length != _items.Length) return false;
            for (int i = 0; i < _items.Length; i++) if (!_items[i].Equals(other._items[i])) return false;
            return true;
        }

        public override bool Equals(object? obj) => obj is IntervalSet s && Equals(s);

        public override int GetHashCode()
        {
            int h = _items.Length;
            foreach (var x in _items) h = h * 31 + x.GetHashCode();
            return h;
        }

        public override string ToString()
        {
            var sb = new StringBuilder();
            foreach (var x in _items)
            {
                if (sb.Length > 0) sb.Append(',');
                sb.Append(x.ToString());
            }
            return sb.ToString();
        }
    }
}
