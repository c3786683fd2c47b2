using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Targets
{
    /// <summary>
    /// Turns what a technician types into targets: host names, IPv4/IPv6 addresses, ranges
    /// (<c>10.0.0.1-10.0.0.50</c> or <c>10.0.0.1-50</c>) and CIDR blocks (<c>10.0.0.0/24</c>).
    /// Expansion is lazy, so a /16 costs no memory; the size is checked before anything is yielded.
    /// </summary>
    public static class TargetParser
    {
        internal static readonly Localizer Text = NetworkText.Targets;

        /// <summary>The largest expansion one input may produce unless the caller allows more.</summary>
        public const long DefaultMaximumExpansion = 1L << 20;

        /// <summary>
        /// Checks <paramref name="input"/> and returns how many targets it expands to; throws a
        /// <see cref="TssrException"/> naming the input when it is malformed or too large.
        /// </summary>
        public static long Count(string input, bool includeNetworkAndBroadcast = true, long maximum = DefaultMaximumExpansion)
        {
            var plan = Plan(input, includeNetworkAndBroadcast, maximum);
            return plan.Count;
        }

        /// <summary>
        /// The targets of <paramref name="input"/>, validated eagerly and expanded lazily.
        /// </summary>
        /// <param name="includeNetworkAndBroadcast">
        /// CIDR blocks include their network and broadcast addresses (as nmap does) when true; an
        /// ICMP sweep leaves them out (as fping -g does). /31, /32 and IPv6 always keep every address.
        /// </param>
        public static IEnumerable<TargetSpec> Expand(string input, bool includeNetworkAndBroadcast = true, long maximum = DefaultMaximumExpansion)
        {
            var plan = Plan(input, includeNetworkAndBroadcast, maximum);
            return plan.Enumerate();
        }

        private static ExpansionPlan Plan(string input, bool includeNetworkAndBroadcast, long maximum)
        {
            var text = (input ?? string.Empty).Trim();
            if (text.Length == 0)
                throw Invalid(input ?? string.Empty, "TargetEmpty", Text.Get("Target_Empty"));

            var slash = text.IndexOf('/');
            if (slash >= 0)
                return PlanCidr(text, slash, includeNetworkAndBroadcast, maximum);

            var dash = FindRangeDash(text);
            if (dash > 0)
                return PlanRange(text, dash, maximum);

            var bare = text.StartsWith("[", StringComparison.Ordinal) && text.EndsWith("]", StringComparison.Ordinal) ? text.Substring(1, text.Length - 2) : text;
            if (IPAddress.TryParse(bare, out var address) && LooksLikeAddress(bare))
                return ExpansionPlan.Single(new TargetSpec(text, address, null));

            if (!IsValidHostName(text))
                throw Invalid(text, "TargetInvalid", Text.Format("Target_Invalid", text));
            return ExpansionPlan.Single(new TargetSpec(text, null, text));
        }

        private static ExpansionPlan PlanCidr(string text, int slash, bool includeNetworkAndBroadcast, long maximum)
        {
            var addressText = text.Substring(0, slash);
            var prefixText = text.Substring(slash + 1);
            if (!IPAddress.TryParse(addressText, out var address) || !LooksLikeAddress(addressText))
                throw Invalid(text, "CidrInvalid", Text.Format("Cidr_InvalidAddress", text, addressText));
            var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            if (!int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix < 0 || prefix > bits)
                throw Invalid(text, "CidrInvalid", Text.Format("Cidr_InvalidPrefix", text, prefixText, bits));

            var value = ToNumber(address);
            var size = BigInteger.One << (bits - prefix);
            var network = value - (value % size);
            var first = network;
            var last = network + size - 1;
            if (includeNetworkAndBroadcast == false && bits == 32 && prefix <= 30)
            {
                first += 1;
                last -= 1;
            }
            return ExpansionPlan.Span(text, first, last, address.AddressFamily, maximum);
        }

        private static ExpansionPlan PlanRange(string text, int dash, long maximum)
        {
            var startText = text.Substring(0, dash).Trim();
            var endText = text.Substring(dash + 1).Trim();
            if (!IPAddress.TryParse(startText, out var start) || !LooksLikeAddress(startText))
                throw Invalid(text, "RangeInvalid", Text.Format("Range_Invalid", text));

            IPAddress? end = null;
            if (start.AddressFamily == AddressFamily.InterNetwork
                && byte.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out var lastOctet))
            {
                // Short form 10.0.0.1-50: the last octet changes.
                var bytes = start.GetAddressBytes();
                bytes[3] = lastOctet;
                end = new IPAddress(bytes);
            }
            else if (IPAddress.TryParse(endText, out var parsed) && LooksLikeAddress(endText))
            {
                end = parsed;
            }

            if (end == null || end.AddressFamily != start.AddressFamily)
                throw Invalid(text, "RangeInvalid", Text.Format("Range_Invalid", text));

            var first = ToNumber(start);
            var last = ToNumber(end);
            if (last < first)
                throw Invalid(text, "RangeBackwards", Text.Format("Range_Backwards", text, start, end));
            return ExpansionPlan.Span(text, first, last, start.AddressFamily, maximum);
        }

        /// <summary>The dash of an address range, or -1 (host names may contain dashes too).</summary>
        private static int FindRangeDash(string text)
        {
            var dash = text.IndexOf('-');
            if (dash <= 0) return -1;
            var left = text.Substring(0, dash).Trim();
            return IPAddress.TryParse(left, out _) && LooksLikeAddress(left) ? dash : -1;
        }

        /// <summary>
        /// IPAddress.TryParse accepts "1", "10.1" and "0x7f.1"; a technician typing those means a
        /// host name or made a mistake, so only full dotted quads and IPv6 count as addresses.
        /// </summary>
        internal static bool LooksLikeAddress(string text)
        {
            if (text.IndexOf(':') >= 0) return true;
            var parts = text.Split('.');
            if (parts.Length != 4) return false;
            foreach (var p in parts)
            {
                if (p.Length == 0 || p.Length > 3) return false;
                foreach (var c in p) if (c < '0' || c > '9') return false;
                if (int.Parse(p, CultureInfo.InvariantCulture) > 255) return false;
            }
            return true;
        }

        internal static bool IsValidHostName(string name)
        {
            if (name.Length == 0 || name.Length > 253) return false;
            var allDigitsAndDots = true;
            foreach (var label in name.TrimEnd('.').Split('.'))
            {
                if (label.Length == 0 || label.Length > 63) return false;
                if (label[0] == '-' || label[label.Length - 1] == '-') return false;
                foreach (var c in label)
                {
                    var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                    if (!ok) return false;
                    if (!(c >= '0' && c <= '9')) allDigitsAndDots = false;
                }
            }
            // "10.0.0.300" or "10.1" is a mistyped address, not a host name.
            return !allDigitsAndDots;
        }

        internal static BigInteger ToNumber(IPAddress address)
        {
            var bytes = address.GetAddressBytes();
            var little = new byte[bytes.Length + 1];
            for (var i = 0; i < bytes.Length; i++) little[i] = bytes[bytes.Length - 1 - i];
            return new BigInteger(little);
        }

        internal static IPAddress FromNumber(BigInteger value, AddressFamily family)
        {
            var length = family == AddressFamily.InterNetwork ? 4 : 16;
            var little = value.ToByteArray();
            var bytes = new byte[length];
            for (var i = 0; i < length && i < little.Length; i++) bytes[length - 1 - i] = little[i];
            return new IPAddress(bytes);
        }

        private static TssrException Invalid(string input, string errorId, string message)
            => new TssrException(errorId, TssrErrorCategory.InvalidArgument, input, message, Text.Get("Target_Action"));

        private sealed class ExpansionPlan
        {
            private readonly string _input;
            private readonly TargetSpec? _single;
            private readonly BigInteger _first;
            private readonly AddressFamily _family;

            private ExpansionPlan(string input, TargetSpec? single, BigInteger first, long count, AddressFamily family)
            {
                _input = input;
                _single = single;
                _first = first;
                Count = count;
                _family = family;
            }

            public long Count { get; }

            public static ExpansionPlan Single(TargetSpec target) => new ExpansionPlan(target.Input, target, BigInteger.Zero, 1, AddressFamily.Unspecified);

            public static ExpansionPlan Span(string input, BigInteger first, BigInteger last, AddressFamily family, long maximum)
            {
                var count = last - first + 1;
                if (count <= 0)
                    return new ExpansionPlan(input, null, first, 0, family);
                if (count > maximum)
                    throw new TssrException("TargetTooLarge", TssrErrorCategory.LimitsExceeded, input,
                        Text.Format("Target_TooLarge", input, count, maximum), Text.Get("Target_TooLargeAction"));
                return new ExpansionPlan(input, null, first, (long)count, family);
            }

            public IEnumerable<TargetSpec> Enumerate()
            {
                if (_single != null)
                {
                    yield return _single;
                    yield break;
                }
                for (long i = 0; i < Count; i++)
                    yield return new TargetSpec(_input, FromNumber(_first + i, _family), null);
            }
        }
    }
}
