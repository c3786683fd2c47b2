using System;

namespace Tssr.Tools.Engine.Firewall.Model
{
    /// <summary>An unsigned 128-bit value: an IPv6 address, an IPv4 address, a port or a protocol.</summary>
    public readonly struct U128 : IComparable<U128>, IEquatable<U128>
    {
        public U128(ulong high, ulong low)
        {
            High = high;
            Low = low;
        }

        public ulong High { get; }
        public ulong Low { get; }

        public static readonly U128 Zero = new U128(0, 0);
        public static readonly U128 MaxValue = new U128(ulong.MaxValue, ulong.MaxValue);

        public static implicit operator U128(ulong value) => new U128(0, value);

        public U128 Increment() => Low == ulong.MaxValue ? new U128(High + 1, 0) : new U128(High, Low + 1);

        public U128 Decrement() => Low == 0 ? new U128(High - 1, ulong.MaxValue) : new U128(High, Low - 1);

        /// <summary>The value with its lowest <paramref name="bits"/> bits set to one (end of a CIDR block).</summary>
        public U128 WithLowBitsSet(int bits)
        {
            if (bits <= 0) return this;
            if (bits >= 128) return MaxValue;
            if (bits >= 64) return new U128(High | (bits == 64 ? 0 : ulong.MaxValue >> (128 - bits)), ulong.MaxValue);
            return new U128(High, Low | (ulong.MaxValue >> (64 - bits)));
        }

        /// <summary>The value with its lowest <paramref name="bits"/> bits cleared (start of a CIDR block).</summary>
        public U128 WithLowBitsCleared(int bits)
        {
            if (bits <= 0) return this;
            if (bits >= 128) return Zero;
            if (bits >= 64) return new U128(bits == 64 ? High : High & ~(ulong.MaxValue >> (128 - bits)), 0);
            return new U128(High, Low & ~(ulong.MaxValue >> (64 - bits)));
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public int CompareTo(U128 other)
        {
            if (High != other.High) return High < other.High ? -1 : 1;
            if (Low != other.Low) return Low < other.Low ? -1 : 1;
            return 0;
        }

        public bool Equals(U128 other) => High == other.High && Low == other.Low;
        public override bool Equals(object? obj) => obj is U128 u && Equals(u);
        public override int GetHashCode() => (High.GetHashCode() * 397) ^ Low.GetHashCode();

        public static bool operator ==(U128 a, U128 b) => a.Equals(b);
        public static bool operator !=(U128 a, U128 b) => !a.Equals(b);
        public static bool operator <(U128 a, U128 b) => a.CompareTo(b) < 0;
        public static bool operator >(U128 a, U128 b) => a.CompareTo(b) > 0;
        public static bool operator <=(U128 a, U128 b) => a.CompareTo(b) <= 0;
        public static bool operator >=(U128 a, U128 b) => a.CompareTo(b) >= 0;

        public static U128 Min(U128 a, U128 b) => a <= b ? a : b;
        public static U128 Max(U128 a, U128 b) => a >= b ? a : b;

        public override string ToString() => High == 0 ? Low.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"0x{High:x}{Low:x16}";
    }
}
