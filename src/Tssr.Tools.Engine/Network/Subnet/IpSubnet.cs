using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;

namespace Tssr.Tools.Engine.Network.Subnet
{
    /// <summary>The two IP versions.</summary>
    public enum IpAddressFamily
    {
        IPv4 = 4,
        IPv6 = 6,
    }

    /// <summary>
    /// An IP network in canonical form: its family, its network address as an unsigned number and
    /// its prefix length. Host bits are always clear. Immutable; the arithmetic uses BigInteger so
    /// IPv4 and IPv6 share one code path and nothing overflows (a /0 of IPv6 holds 2^128 addresses).
    /// </summary>
    public sealed class IpSubnet : IEquatable<IpSubnet>, IComparable<IpSubnet>
    {
        private IpSubnet(IpAddressFamily family, BigInteger network, int prefixLength)
        {
            Family = family;
            Network = network;
            PrefixLength = prefixLength;
        }

        public IpAddressFamily Family { get; }

        /// <summary>The network address as an unsigned number (host bits clear).</summary>
        public BigInteger Network { get; }

        public int PrefixLength { get; }

        /// <summary>Bits in an address of this family: 32 or 128.</summary>
        public int Width => WidthOf(Family);

        public int HostBits => Width - PrefixLength;

        /// <summary>Every address of the network, network and broadcast included.</summary>
        public BigInteger AddressCount => BigInteger.One << HostBits;

        /// <summary>The last address of the network as a number.</summary>
        public BigInteger Last => Network + AddressCount - 1;

        public BigInteger Mask => MaskOf(Family, PrefixLength);

        public BigInteger Wildcard => AddressCount - 1;

        /// <summary>The network that holds <paramref name="address"/>; host bits are cleared.</summary>
        public static IpSubnet Create(IpAddressFamily family, BigInteger address, int prefixLength)
        {
            var width = WidthOf(family);
            if (prefixLength < 0 || prefixLength > width)
                throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"0 to {width} for {family}.");
            if (address.Sign < 0 || address > AllOnes(width))
                throw new ArgumentOutOfRangeException(nameof(address), address, $"not an {family} address.");
            return new IpSubnet(family, address & MaskOf(family, prefixLength), prefixLength);
        }

        public static int WidthOf(IpAddressFamily family) => family == IpAddressFamily.IPv4 ? 32 : 128;

        public static BigInteger AllOnes(int width) => (BigInteger.One << width) - 1;

        public static BigInteger MaskOf(IpAddressFamily family, int prefixLength)
        {
            var width = WidthOf(family);
            return AllOnes(width) ^ AllOnes(width - prefixLength);
        }

        /// <summary>The prefix length of a contiguous mask, or -1 when its one bits are not contiguous.</summary>
        public static int PrefixLengthOfMask(IpAddressFamily family, BigInteger mask)
        {
            if (mask.IsZero) return 0;
            var width = WidthOf(family);
            var prefixLength = width - TrailingZeros(mask, width);
            return MaskOf(family, prefixLength) == mask ? prefixLength : -1;
        }

        public bool Contains(IpSubnet other)
            => other != null && other.Family == Family && other.PrefixLength >= PrefixLength && (other.Network & Mask) == Network;

        public bool ContainsAddress(IpAddressFamily family, BigInteger address)
            => family == Family && (address & Mask) == Network;

        /// <summary>CIDR blocks either nest or are disjoint: they overlap when one holds the other.</summary>
        public bool Overlaps(IpSubnet other) => Contains(other) || (other != null && other.Contains(this));

        /// <summary>How many subnets of <paramref name="prefixLength"/> this network splits into.</summary>
        public BigInteger CountSubnets(int prefixLength) => BigInteger.One << (prefixLength - PrefixLength);

        /// <summary>The subnets of <paramref name="prefixLength"/>, in address order, one at a time.</summary>
        public IEnumerable<IpSubnet> Split(int prefixLength)
        {
            if (prefixLength < PrefixLength || prefixLength > Width)
                throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"{PrefixLength} to {Width} for {this}.");
            return SplitIterator(prefixLength);
        }

        private IEnumerable<IpSubnet> SplitIterator(int prefixLength)
        {
            var step = BigInteger.One << (Width - prefixLength);
            var last = Last;
            for (var network = Network; network <= last; network += step)
                yield return new IpSubnet(Family, network, prefixLength);
        }

        /// <summary>The fewest CIDR blocks that cover exactly the addresses first..last, in order.</summary>
        public static IEnumerable<IpSubnet> FromRange(IpAddressFamily family, BigInteger first, BigInteger last)
        {
            var width = WidthOf(family);
            var cursor = first;
            while (cursor <= last)
            {
                // The largest block aligned on the cursor that does not run past the end.
                var hostBits = cursor.IsZero ? width : TrailingZeros(cursor, width);
                while ((BigInteger.One << hostBits) - 1 > last - cursor)
                    hostBits--;
                yield return new IpSubnet(family, cursor, width - hostBits);
                cursor += BigInteger.One << hostBits;
            }
        }

        /// <summary>
        /// The minimal list of CIDR blocks covering exactly the union of <paramref name="subnets"/>
        /// (contained blocks absorbed, adjacent ones merged), IPv4 first, each family in address order.
        /// </summary>
        public static IReadOnlyList<IpSubnet> Summarize(IEnumerable<IpSubnet> subnets)
        {
            var result = new List<IpSubnet>();
            foreach (var range in MergeRanges(subnets))
                result.AddRange(FromRange(range.Family, range.First, range.Last));
            return result;
        }

        /// <summary>The union of the subnets as disjoint, non-adjacent ranges, IPv4 first, in address order.</summary>
        public static IEnumerable<AddressRange> MergeRanges(IEnumerable<IpSubnet> subnets)
        {
            var sorted = new List<IpSubnet>(subnets);
            sorted.Sort();
            AddressRange? open = null;
            foreach (var s in sorted)
            {
                if (open != null && open.Family == s.Family && s.Network <= open.Last + 1)
                {
                    if (s.Last > open.Last) open = new AddressRange(open.Family, open.First, s.Last);
                    continue;
                }
                if (open != null) yield return open;
                open = new AddressRange(s.Family, s.Network, s.Last);
            }
            if (open != null) yield return open;
        }

        private static int TrailingZeros(BigInteger value, int width)
        {
            var count = 0;
            while (count < width && ((value >> count) & 1).IsZero) count++;
            return count;
        }

        /// <summary>Address text: dotted decimal for IPv4, RFC 5952 compressed form for IPv6.</summary>
        public static string FormatAddress(IpAddressFamily family, BigInteger value)
        {
            if (family == IpAddressFamily.IPv4)
            {
                var v = (uint)value;
                return new StringBuilder(15)
                    .Append(v >> 24).Append('.')
                    .Append((v >> 16) & 0xFF).Append('.')
                    .Append((v >> 8) & 0xFF).Append('.')
                    .Append(v & 0xFF).ToString();
            }
            return new IPAddress(ToBytes(value, 16)).ToString();
        }

        /// <summary>Big-endian bytes of an unsigned value, exactly <paramref name="length"/> long.</summary>
        public static byte[] ToBytes(BigInteger value, int length)
        {
            var little = value.ToByteArray(); // little-endian two's complement, maybe with a sign byte
            var bytes = new byte[length];
            for (var i = 0; i < length && i < little.Length; i++)
                bytes[length - 1 - i] = little[i];
            return bytes;
        }

        /// <summary>The unsigned value of big-endian address bytes.</summary>
        public static BigInteger FromBytes(byte[] bigEndian)
        {
            var little = new byte[bigEndian.Length + 1]; // trailing zero keeps it positive
            for (var i = 0; i < bigEndian.Length; i++)
                little[i] = bigEndian[bigEndian.Length - 1 - i];
            return new BigInteger(little);
        }

        public string NetworkText => FormatAddress(Family, Network);

        public override string ToString() => NetworkText + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

        public bool Equals(IpSubnet? other)
            => other is object && other.Family == Family && other.PrefixLength == PrefixLength && other.Network == Network;

        public override bool Equals(object? obj) => Equals(obj as IpSubnet);

        public override int GetHashCode() => (Network.GetHashCode() * 397) ^ (PrefixLength * 31) ^ (int)Family;

        /// <summary>IPv4 before IPv6, then by address, then the larger network first.</summary>
        public int CompareTo(IpSubnet? other)
        {
            if (other is null) return 1;
            var c = Family.CompareTo(other.Family);
            if (c != 0) return c;
            c = Network.CompareTo(other.Network);
            return c != 0 ? c : PrefixLength.CompareTo(other.PrefixLength);
        }
    }

    /// <summary>A contiguous run of addresses of one family.</summary>
    public sealed class AddressRange
    {
        public AddressRange(IpAddressFamily family, BigInteger first, BigInteger last)
        {
            Family = family;
            First = first;
            Last = last;
        }

        public IpAddressFamily Family { get; }
        public BigInteger First { get; }
        public BigInteger Last { get; }
    }
}
