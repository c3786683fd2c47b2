using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Subnet
{
    /// <summary>What the user wrote for one network: the text and, maybe, a separate mask.</summary>
    public sealed class SubnetInput
    {
        public SubnetInput(string? text, string? mask = null)
        {
            Text = text;
            Mask = string.IsNullOrWhiteSpace(mask) ? null : mask!.Trim();
        }

        public string? Text { get; }

        /// <summary>A dotted mask, a prefix length or "/len" given apart from the text (CSV column, -Mask).</summary>
        public string? Mask { get; }

        /// <summary>The input as the user would recognise it in a message.</summary>
        public string Display => Mask == null ? (Text ?? string.Empty) : (Text ?? string.Empty).Trim() + " " + Mask;

        public override string ToString() => Display;
    }

    /// <summary>One parsed input: the canonical network and the address as written.</summary>
    public sealed class ParsedSubnet
    {
        internal ParsedSubnet(SubnetInput input, IpSubnet subnet, BigInteger address)
        {
            Input = input;
            Subnet = subnet;
            Address = address;
        }

        public SubnetInput Input { get; }
        public IpSubnet Subnet { get; }

        /// <summary>The address as written, host bits included.</summary>
        public BigInteger Address { get; }

        /// <summary>True when the text named a host inside the network (10.0.0.5/8) rather than the network.</summary>
        public bool HostBitsSet => Address != Subnet.Network;
    }

    /// <summary>
    /// Strict parsing of networks: "a.b.c.d/len", "a.b.c.d/mask", "a.b.c.d mask", an IPv6 address
    /// with /len (or an IPv6 mask), or a bare address (a single host: /32 or /128). Unlike the usual
    /// libraries it guesses nothing: no classful prefix for "192.168.1", no octal for "010.0.0.1", no
    /// silent repair of a non-contiguous mask. Every refusal names the input and says why.
    /// </summary>
    public static class SubnetParser
    {
        internal static readonly Localizer Text = NetworkText.Subnet;

        /// <summary>Parses one input; throws <see cref="TssrException"/> naming it when it is not a network.</summary>
        public static ParsedSubnet Parse(SubnetInput input)
        {
            if (input == null) throw new ArgumentNullException(nameof(input));
            var display = input.Display;
            var text = (input.Text ?? string.Empty).Trim();
            if (text.Length == 0)
                throw Fail("SubnetInputEmpty", display, Text.Get("Error_InputEmpty"));

            string addressPart;
            string? lengthPart = null;
            var slash = text.IndexOf('/');
            if (slash >= 0)
            {
                addressPart = text.Substring(0, slash).Trim();
                lengthPart = text.Substring(slash + 1).Trim();
                if (lengthPart.Length == 0 || lengthPart.IndexOf('/') >= 0 || ContainsWhiteSpace(lengthPart))
                    throw Fail("SubnetPrefixLengthInvalid", display, Text.Format("Error_PrefixLengthInvalid", display, lengthPart));
            }
            else
            {
                var parts = text.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length > 2)
                    throw Fail("SubnetInputInvalid", display, Text.Format("Error_InputInvalid", display));
                addressPart = parts[0];
                if (parts.Length == 2) lengthPart = parts[1];
            }

            if (!TryParseAddress(addressPart, out var family, out var address, out var addressProblem))
                throw Fail("SubnetAddressInvalid", display, Text.Format(addressProblem, display, addressPart));

            var prefixLength = IpSubnet.WidthOf(family);
            if (lengthPart != null)
                prefixLength = ParseLength(display, family, lengthPart);
            if (input.Mask != null)
            {
                var fromMask = ParseLength(display, family, input.Mask.TrimStart('/'));
                if (lengthPart != null && fromMask != prefixLength)
                    throw Fail("SubnetMaskConflict", display, Text.Format("Error_MaskConflict", display, prefixLength, fromMask));
                prefixLength = fromMask;
            }
            return new ParsedSubnet(input, IpSubnet.Create(family, address, prefixLength), address);
        }

        /// <summary>Parses "a.b.c.d/len" or the like; for callers that have one string and no separate mask.</summary>
        public static ParsedSubnet Parse(string text) => Parse(new SubnetInput(text));

        /// <summary>Strict address parsing: four decimal octets for IPv4, RFC 4291 text for IPv6.</summary>
        public static bool TryParseAddress(string text, out IpAddressFamily family, out BigInteger value)
            => TryParseAddress(text, out family, out value, out _);

        private static bool TryParseAddress(string text, out IpAddressFamily family, out BigInteger value, out string problemKey)
        {
            family = IpAddressFamily.IPv4;
            value = BigInteger.Zero;
            problemKey = "Error_AddressInvalid";
            if (string.IsNullOrEmpty(text)) return false;

            if (text.IndexOf(':') >= 0)
            {
                // Zone indexes (fe80::1%eth0) and brackets belong to an interface or a URL, not a network.
                if (text.IndexOfAny(new[] { '%', '[', ']' }) >= 0) return false;
                if (!IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
                family = IpAddressFamily.IPv6;
                value = IpSubnet.FromBytes(v6.GetAddressBytes());
                return true;
            }

            var octets = text.Split('.');
            if (octets.Length != 4) return false;
            uint result = 0;
            foreach (var octet in octets)
            {
                if (octet.Length == 0 || octet.Length > 3) return false;
                foreach (var c in octet)
                    if (c < '0' || c > '9') return false;
                if (octet.Length > 1 && octet[0] == '0')
                {
                    problemKey = "Error_AddressLeadingZero";
                    return false;
                }
                var n = int.Parse(octet, NumberStyles.None, CultureInfo.InvariantCulture);
                if (n > 255) return false;
                result = (result << 8) | (uint)n;
            }
            value = result;
            return true;
        }

        /// <summary>A prefix length ("24") or a mask ("255.255.255.0", "ffff:ffff::") for <paramref name="family"/>.</summary>
        private static int ParseLength(string display, IpAddressFamily family, string text)
        {
            var width = IpSubnet.WidthOf(family);
            if (text.Length > 0 && IsDigits(text))
            {
                if (text.Length > 3 || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > width)
                    throw Fail("SubnetPrefixLengthOutOfRange", display, Text.Format("Error_PrefixLengthOutOfRange", display, text, family, width));
                return length;
            }

            if (!TryParseAddress(text, out var maskFamily, out var mask))
                throw Fail("SubnetPrefixLengthInvalid", display, Text.Format("Error_PrefixLengthInvalid", display, text));
            if (maskFamily != family)
                throw Fail("SubnetMaskFamilyMismatch", display, Text.Format("Error_MaskFamilyMismatch", display, text, family));
            var prefixLength = IpSubnet.PrefixLengthOfMask(family, mask);
            if (prefixLength >= 0) return prefixLength;

            // 0.0.0.255 is a wildcard (ACL) mask: its inverse is contiguous. Say so, with the fix.
            var inverse = IpSubnet.AllOnes(width) ^ mask;
            var inverseLength = IpSubnet.PrefixLengthOfMask(family, inverse);
            var message = inverseLength >= 0
                ? Text.Format("Error_MaskIsWildcard", display, text, IpSubnet.FormatAddress(family, inverse), inverseLength)
                : Text.Format("Error_MaskNotContiguous", display, text);
            throw Fail("SubnetMaskNotContiguous", display, message);
        }

        private static bool IsDigits(string text)
        {
            foreach (var c in text)
                if (c < '0' || c > '9') return false;
            return true;
        }

        private static bool ContainsWhiteSpace(string text)
        {
            foreach (var c in text)
                if (char.IsWhiteSpace(c)) return true;
            return false;
        }

        private static TssrException Fail(string errorId, string display, string message)
            => new TssrException(errorId, TssrErrorCategory.InvalidArgument, display, message, Text.Get("Action_InputFormat"));
    }
}
