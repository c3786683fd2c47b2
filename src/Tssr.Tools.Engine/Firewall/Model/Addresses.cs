using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tssr.Tools.Engine.Firewall.Model
{
    public enum IpFamily
    {
        Ipv4 = 4,
        Ipv6 = 6,
    }

    [Flags]
    public enum FamilySet
    {
        None = 0,
        Ipv4 = 1,
        Ipv6 = 2,
        Both = 3,
    }

    /// <summary>Parsing and printing of addresses, networks and ranges as values of the packet space.</summary>
    public static class Addresses
    {
        public static readonly U128 Ipv4Max = new U128(0, uint.MaxValue);

        public static U128 MaxOf(IpFamily family) => family == IpFamily.Ipv4 ? Ipv4Max : U128.MaxValue;

        public static FamilySet ToSet(IpFamily family) => family == IpFamily.Ipv4 ? FamilySet.Ipv4 : FamilySet.Ipv6;

        public static U128 ToValue(IPAddress address, out IpFamily family)
        {
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            var bytes = address.GetAddressBytes();
            if (bytes.Length == 4)
            {
                family = IpFamily.Ipv4;
                return new U128(0, ((ulong)bytes[0] << 24) | ((ulong)bytes[1] << 16) | ((ulong)bytes[2] << 8) | bytes[3]);
            }
            family = IpFamily.Ipv6;
            ulong hi = 0, lo = 0;
            for (int i = 0; i < 8; i++) hi = (hi << 8) | bytes[i];
            for (int i = 8; i < 16; i++) lo = (lo << 8) | bytes[i];
            return new U128(hi, lo);
        }

        public static IPAddress ToAddress(U128 value, IpFamily family)
        {
            if (family == IpFamily.Ipv4)
            {
                var v = (uint)value.Low;
                return new IPAddress(new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v });
            }
            var bytes = new byte[16];
            for (int i = 0; i < 8; i++) bytes[i] = (byte)(value.High >> (56 - 8 * i));
            for (int i = 0; i < 8; i++) bytes[8 + i] = (byte)(value.Low >> (56 - 8 * i));
            return new IPAddress(bytes);
        }

        public static bool TryParseAddress(string text, out IpFamily family, out U128 value)
        {
            family = IpFamily.Ipv4;
            value = U128.Zero;
            text = text.Trim();
            if (text.Length == 0 || text.Length > 64) return false;
            // IPAddress.Parse accepts "1" or "1.2" as IPv4 shorthands; rule sets never mean those.
            if (text.IndexOf(':') < 0 && CountChar(text, '.') != 3) return false;
            var percent = text.IndexOf('%');
            if (percent > 0) text = text.Substring(0, percent);
            if (!IPAddress.TryParse(text, out var address)) return false;
            if (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6) return false;
            value = ToValue(address, out family);
            if (text.IndexOf(':') >= 0) family = IpFamily.Ipv6;
            if (family == IpFamily.Ipv6 && address.IsIPv4MappedToIPv6) value = ToValue(address, out _);
            return true;
        }

        private static int CountChar(string s, char c)
        {
            int n = 0;
            foreach (var ch in s) if (ch == c) n++;
            return n;
        }

        /// <summary>
        /// Parses "a", "a/len", "a/mask", "a-b" into an interval of its family. Host bits set under
        /// the prefix are ignored, as the kernel does.
        /// </summary>
        public static bool TryParseNetwork(string text, out IpFamily family, out Interval interval)
        {
            family = IpFamily.Ipv4;
            interval = default;
            text = text.Trim();
            var dash = text.IndexOf('-');
            if (dash > 0)
            {
                if (!TryParseAddress(text.Substring(0, dash), out family, out var a)) return false;
                if (!TryParseAddress(text.Substring(dash + 1), out var f2, out var b) || f2 != family || b < a) return false;
                interval = new Interval(a, b);
                return true;
            }
            var slash = text.IndexOf('/');
            if (slash < 0)
            {
                if (!TryParseAddress(text, out family, out var v)) return false;
                interval = new Interval(v, v);
                return true;
            }
            if (!TryParseAddress(text.Substring(0, slash), out family, out var baseValue)) return false;
            var suffix = text.Substring(slash + 1);
            int bits = family == IpFamily.Ipv4 ? 32 : 128;
            int length;
            if (!int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out length))
            {
                // A dotted mask (iptables accepts 10.0.0.0/255.0.0.0); only contiguous masks are networks.
                if (family != IpFamily.Ipv4 || !TryParseAddress(suffix, out var mf, out var mask) || mf != IpFamily.Ipv4) return false;
                var m = (uint)mask.Low;
                length = 0;
                while (length < 32 && (m & (0x80000000u >> length)) != 0) length++;
                if (length < 32 && (m << length) != 0) return false;
            }
            if (length < 0 || length > bits) return false;
            var hostBits = bits - length;
            var start = baseValue.WithLowBitsCleared(hostBits);
            var end = start.WithLowBitsSet(hostBits);
            if (family == IpFamily.Ipv4 && end > Ipv4Max) end = Ipv4Max;
            interval = new Interval(start, end);
            return true;
        }

        /// <summary>A set of addresses as CIDR blocks (or ranges when that is shorter), "any" when full.</summary>
        public static string Format(IntervalSet set, IpFamily family, int maxItems = 8)
        {
            if (set.IsFull(MaxOf(family))) return "any";
            if (set.IsEmpty) return "none";
            var full = MaxOf(family);
            var complement = set.Complement(full);
            if (complement.Count < set.Count && complement.Count <= 2)
                return "!" + FormatPositive(complement, family, maxItems);
            return FormatPositive(set, family, maxItems);
        }

        private static string FormatPositive(IntervalSet set, IpFamily family, int maxItems)
        {
            var parts = new List<string>();
            foreach (var interval in set.Intervals)
            {
                var blocks = ToCidrBlocks(interval, family, 3);
                if (blocks != null) parts.AddRange(blocks);
                else parts.Add(ToAddress(interval.Start, family) + "-" + ToAddress(interval.End, family));
                if (parts.Count > maxItems) break;
            }
            if (parts.Count > maxItems) return string.Join(",", parts.GetRange(0, maxItems)) + ",…";
            return string.Join(",", parts);
        }

        /// <summary>The interval as at most <paramref name="max"/> CIDR blocks, or null when it needs more.</summary>
        public static List<string>? ToCidrBlocks(Interval interval, IpFamily family, int max)
        {
            int bits = family == IpFamily.Ipv4 ? 32 : 128;
            var result = new List<string>();
            var start = interval.Start;
            while (true)
            {
                int host = 0;
                while (host < bits && start.WithLowBitsCleared(host + 1) == start && start.WithLowBitsSet(host + 1) <= interval.End) host++;
                var end = start.WithLowBitsSet(host);
                var address = ToAddress(start, family).ToString();
                result.Add(host == 0 ? address : address + "/" + (bits - host).ToString(CultureInfo.InvariantCulture));
                if (result.Count > max) return null;
                if (end >= interval.End) break;
                start = end.Increment();
            }
            return result;
        }

        /// <summary>A set of ports, protocols or types as "22,80-90"; "any" when full.</summary>
        public static string FormatNumbers(IntervalSet? set, U128 max)
        {
            if (set == null || set.IsFull(max)) return "any";
            if (set.IsEmpty) return "none";
            var sb = new StringBuilder();
            int n = 0;
            foreach (var x in set.Intervals)
            {
                if (sb.Length > 0) sb.Append(',');
                if (++n > 16) { sb.Append('…'); break; }
                sb.Append(x.Start == x.End ? x.Start.Low.ToString(CultureInfo.InvariantCulture) : x.Start.Low.ToString(CultureInfo.InvariantCulture) + "-" + x.End.Low.ToString(CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }
    }
}
