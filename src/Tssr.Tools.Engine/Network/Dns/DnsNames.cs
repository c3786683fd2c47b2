using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tssr.Tools.Engine.Network.Dns
{
    /// <summary>A name as it will be asked: its ASCII form, or the address whose PTR is wanted.</summary>
    internal sealed class DnsQueryName
    {
        public DnsQueryName(string input, string queryName, IPAddress? address)
        {
            Input = input;
            QueryName = queryName;
            Address = address;
        }

        /// <summary>As the user gave it.</summary>
        public string Input { get; }

        /// <summary>What goes on the wire: ASCII (punycode), no final dot; the arpa name for an address.</summary>
        public string QueryName { get; }

        /// <summary>Set when the input was an IP address (its PTR is asked).</summary>
        public IPAddress? Address { get; }
    }

    /// <summary>Name handling: validation, IDN, reverse (arpa) names, comparisons.</summary>
    internal static class DnsNames
    {
        private const int MaxNameLength = 253;
        private const int MaxLabelLength = 63;
        private static readonly IdnMapping Idn = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = false };

        /// <summary>
        /// Turns user input into a query name; an IP address (dotted quad or IPv6) becomes its reverse
        /// name. Returns false with a reason when the input cannot be a DNS name.
        /// </summary>
        public static bool TryPrepare(string? input, out DnsQueryName? prepared, out string reason)
        {
            prepared = null;
            reason = string.Empty;
            var text = (input ?? string.Empty).Trim();
            if (text.Length == 0)
            {
                reason = "empty";
                return false;
            }

            if (TryParseAddress(text, out var address))
            {
                prepared = new DnsQueryName(text, ArpaName(address!), address);
                return true;
            }

            var name = text.EndsWith(".", StringComparison.Ordinal) && text.Length > 1 ? text.Substring(0, text.Length - 1) : text;
            foreach (var c in name)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    reason = "whitespace or control character";
                    return false;
                }
            }

            string ascii;
            if (IsAscii(name))
            {
                ascii = name;
            }
            else
            {
                try
                {
                    ascii = Idn.GetAscii(name);
                }
                catch (ArgumentException e)
                {
                    reason = e.Message;
                    return false;
                }
            }

            if (ascii.Length > MaxNameLength)
            {
                reason = "longer than 253 characters";
                return false;
            }
            foreach (var label in ascii.Split('.'))
            {
                if (label.Length == 0)
                {
                    reason = "empty label (two dots in a row)";
                    return false;
                }
                if (label.Length > MaxLabelLength)
                {
                    reason = "a label is longer than 63 characters";
                    return false;
                }
            }

            prepared = new DnsQueryName(text, ascii, null);
            return true;
        }

        /// <summary>
        /// True for a full dotted quad or an IPv6 address. "10.1" or "42" are names, not the
        /// abbreviated addresses IPAddress.TryParse would accept.
        /// </summary>
        public static bool TryParseAddress(string text, out IPAddress? address)
        {
            address = null;
            var candidate = text;
            var percent = candidate.IndexOf('%');
            if (candidate.IndexOf(':') >= 0)
            {
                if (percent >= 0) candidate = candidate.Substring(0, percent);
                if (!IPAddress.TryParse(candidate, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
                address = new IPAddress(v6.GetAddressBytes());
                return true;
            }
            var parts = candidate.Split('.');
            if (parts.Length != 4) return false;
            foreach (var part in parts)
            {
                if (part.Length == 0 || part.Length > 3) return false;
                foreach (var c in part) if (c < '0' || c > '9') return false;
                if (int.Parse(part, CultureInfo.InvariantCulture) > 255) return false;
            }
            address = IPAddress.Parse(candidate);
            return true;
        }

        /// <summary>The reverse name: 5.10.0.127.in-addr.arpa, or the 32 nibbles of ip6.arpa.</summary>
        public static string ArpaName(IPAddress address)
        {
            var bytes = address.GetAddressBytes();
            var builder = new StringBuilder(72);
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                for (var i = bytes.Length - 1; i >= 0; i--)
                    builder.Append(bytes[i].ToString(CultureInfo.InvariantCulture)).Append('.');
                return builder.Append("in-addr.arpa").ToString();
            }
            const string hex = "0123456789abcdef";
            for (var i = bytes.Length - 1; i >= 0; i--)
            {
                builder.Append(hex[bytes[i] & 0xF]).Append('.');
                builder.Append(hex[bytes[i] >> 4]).Append('.');
            }
            return builder.Append("ip6.arpa").ToString();
        }

        /// <summary>Reads the address back from a complete in-addr.arpa or ip6.arpa name.</summary>
        public static bool TryParseArpa(string name, out IPAddress? address)
        {
            address = null;
            var n = Trim(name).ToLowerInvariant();
            if (n.EndsWith(".in-addr.arpa", StringComparison.Ordinal))
            {
                var labels = n.Substring(0, n.Length - ".in-addr.arpa".Length).Split('.');
                if (labels.Length != 4) return false;
                Array.Reverse(labels);
                return TryParseAddress(string.Join(".", labels), out address) && address!.AddressFamily == AddressFamily.InterNetwork;
            }
            if (n.EndsWith(".ip6.arpa", StringComparison.Ordinal))
            {
                var nibbles = n.Substring(0, n.Length - ".ip6.arpa".Length).Split('.');
                if (nibbles.Length != 32) return false;
                var bytes = new byte[16];
                for (var i = 0; i < 32; i++)
                {
                    if (nibbles[i].Length != 1) return false;
                    var value = HexValue(nibbles[i][0]);
                    if (value < 0) return false;
                    var index = 15 - i / 2;
                    bytes[index] |= (byte)(i % 2 == 0 ? value : value << 4);
                }
                address = new IPAddress(bytes);
                return true;
            }
            return false;
        }

        /// <summary>Name without the final dot.</summary>
        public static string Trim(string name)
            => name.Length > 1 && name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;

        /// <summary>DNS names compare without case and without the final dot.</summary>
        public static bool SameName(string a, string b)
            => string.Equals(Trim(a), Trim(b), StringComparison.OrdinalIgnoreCase);

        /// <summary>SOA RNAME to mail address: the first unescaped dot becomes '@' (hostmaster.tssr.lab → hostmaster@tssr.lab).</summary>
        public static string MailboxOf(string rname)
        {
            var name = Trim(rname);
            var builder = new StringBuilder(name.Length);
            var replaced = false;
            for (var i = 0; i < name.Length; i++)
            {
                var c = name[i];
                if (c == '\\' && i + 1 < name.Length)
                {
                    builder.Append(name[++i]);
                    continue;
                }
                if (c == '.' && !replaced)
                {
                    builder.Append('@');
                    replaced = true;
                    continue;
                }
                builder.Append(c);
            }
            return builder.ToString();
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            return -1;
        }

        private static bool IsAscii(string s)
        {
            foreach (var c in s) if (c > 0x7F) return false;
            return true;
        }
    }
}
