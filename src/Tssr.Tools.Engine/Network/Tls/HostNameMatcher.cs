using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace Tssr.Tools.Engine.Network.Tls
{
    /// <summary>How a certificate covers (or fails to cover) the name a client asked for.</summary>
    public enum NameMatchKind
    {
        /// <summary>A subjectAltName entry matches.</summary>
        Match,
        /// <summary>No subjectAltName entry matches.</summary>
        Mismatch,
        /// <summary>
        /// Only the subject's common name carries the name: clients stopped accepting that (RFC 6125,
        /// browsers since 2017), so it counts as a mismatch with its own explanation.
        /// </summary>
        CommonNameOnly,
    }

    /// <summary>
    /// Server identity check of RFC 6125 as browsers apply it: the subjectAltName is the only
    /// authority; a wildcard is a whole left-most label and covers exactly one label; addresses
    /// match iPAddress entries only; comparison ignores case and a trailing dot; internationalised
    /// names are compared in their ASCII (punycode) form.
    /// </summary>
    public static class HostNameMatcher
    {
        private static readonly IdnMapping Idn = new IdnMapping();

        public static NameMatchKind Match(string expectedName, IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> addresses, string? commonName)
        {
            var name = (expectedName ?? string.Empty).Trim();
            if (IPAddress.TryParse(name, out var address))
            {
                foreach (var a in addresses)
                {
                    if (a.Equals(address)) return NameMatchKind.Match;
                }
                return commonName != null && IPAddress.TryParse(commonName, out var cnAddress) && cnAddress.Equals(address)
                    ? NameMatchKind.CommonNameOnly
                    : NameMatchKind.Mismatch;
            }

            var host = ToAscii(name);
            foreach (var pattern in dnsNames)
            {
                if (MatchesPattern(host, pattern)) return NameMatchKind.Match;
            }
            return commonName != null && MatchesPattern(host, commonName) ? NameMatchKind.CommonNameOnly : NameMatchKind.Mismatch;
        }

        /// <summary>True when <paramref name="pattern"/> (a dNSName, maybe *.domain) covers <paramref name="host"/>.</summary>
        public static bool MatchesPattern(string host, string pattern)
        {
            var h = Normalise(host);
            var p = Normalise(pattern);
            if (h.Length == 0 || p.Length == 0) return false;
            if (!p.StartsWith("*.", StringComparison.Ordinal))
            {
                return p.IndexOf('*') < 0 && string.Equals(h, p, StringComparison.Ordinal);
            }
            var suffix = p.Substring(1); // ".example.com"
            // A wildcard needs a registrable-looking parent (two labels at least) and never covers an address.
            if (suffix.IndexOf('*') >= 0 || suffix.IndexOf('.', 1) < 0) return false;
            if (IPAddress.TryParse(h, out _)) return false;
            if (!h.EndsWith(suffix, StringComparison.Ordinal)) return false;
            var label = h.Substring(0, h.Length - suffix.Length);
            return label.Length > 0 && label.IndexOf('.') < 0;
        }

        private static string Normalise(string name)
        {
            var n = name.Trim();
            if (n.EndsWith(".", StringComparison.Ordinal)) n = n.Substring(0, n.Length - 1);
            return ToAscii(n).ToLowerInvariant();
        }

        private static string ToAscii(string name)
        {
            foreach (var c in name)
            {
                if (c > 127)
                {
                    try { return Idn.GetAscii(name); }
                    catch (ArgumentException) { return name; }
                }
            }
            return name;
        }
    }
}
