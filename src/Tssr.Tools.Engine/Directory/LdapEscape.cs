using System;
using System.Collections.Generic;
using System.Text;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>One relative distinguished name: its attribute type and its (unescaped) value.</summary>
    public sealed class RelativeDistinguishedName
    {
        public RelativeDistinguishedName(string type, string value)
        {
            Type = type;
            Value = value;
        }

        public string Type { get; }
        public string Value { get; }

        public override string ToString() => Type + "=" + LdapEscape.DnValue(Value);
    }

    /// <summary>
    /// Escaping of what a user typed before it goes into an LDAP filter (RFC 4515) or a
    /// distinguished name (RFC 4514). Every value the module puts in a filter or a DN passes here:
    /// a name such as <c>*)(uid=*</c> or <c>Dupont, Jean</c> is data, never syntax.
    /// </summary>
    public static class LdapEscape
    {
        private const string Hex = "0123456789abcdef";

        /// <summary>A filter assertion value: <c>* ( ) \ NUL</c> become <c>\2a \28 \29 \5c \00</c>; UTF-8 stays as is.</summary>
        public static string FilterValue(string value)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            var sb = new StringBuilder(value.Length + 8);
            foreach (var c in value)
            {
                switch (c)
                {
                    case '*': sb.Append("\\2a"); break;
                    case '(': sb.Append("\\28"); break;
                    case ')': sb.Append("\\29"); break;
                    case '\\': sb.Append("\\5c"); break;
                    case '\0': sb.Append("\\00"); break;
                    default: sb.Append(c); break;
                }
            }
            return sb.ToString();
        }

        /// <summary>Binary values (objectGUID, objectSid) as a filter value: every byte as \xx.</summary>
        public static string FilterBytes(byte[] value)
        {
            var sb = new StringBuilder(value.Length * 3);
            foreach (var b in value) sb.Append('\\').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            return sb.ToString();
        }

        /// <summary>The inverse of <see cref="FilterValue"/>: \xx sequences are UTF-8 bytes.</summary>
        public static string UnescapeFilterValue(string escaped)
        {
            var bytes = new List<byte>(escaped.Length);
            var sb = new StringBuilder(escaped.Length);
            for (var i = 0; i < escaped.Length; i++)
            {
                var c = escaped[i];
                if (c == '\\')
                {
                    if (!IsHex(escaped, i + 1) || !IsHex(escaped, i + 2))
                        throw new FormatException("A backslash in a filter value must be followed by two hexadecimal digits.");
                    bytes.Add((byte)(HexValue(escaped[i + 1]) * 16 + HexValue(escaped[i + 2])));
                    i += 2;
                    continue;
                }
                FlushUtf8(bytes, sb);
                sb.Append(c);
            }
            FlushUtf8(bytes, sb);
            return sb.ToString();
        }

        /// <summary>
        /// One attribute value of a DN (RFC 4514 §2.4): <c>" + , ; &lt; &gt; \</c> escaped, a leading
        /// <c>#</c> or space and a trailing space escaped, control characters as \xx.
        /// </summary>
        public static string DnValue(string value)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            var sb = new StringBuilder(value.Length + 8);
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                switch (c)
                {
                    case '"': case '+': case ',': case ';': case '<': case '>': case '\\': case '=':
                        sb.Append('\\').Append(c);
                        break;
                    case '#' when i == 0:
                        sb.Append("\\#");
                        break;
                    case ' ' when i == 0 || i == value.Length - 1:
                        sb.Append("\\ ");
                        break;
                    default:
                        if (c < 0x20 || c == 0x7F)
                            sb.Append('\\').Append(Hex[c >> 4]).Append(Hex[c & 0xF]);
                        else
                            sb.Append(c);
                        break;
                }
            }
            return sb.ToString();
        }

        /// <summary>The inverse of <see cref="DnValue"/>; also reads \xx escapes of UTF-8 bytes as servers send them.</summary>
        public static string UnescapeDnValue(string escaped)
        {
            var bytes = new List<byte>();
            var sb = new StringBuilder(escaped.Length);
            for (var i = 0; i < escaped.Length; i++)
            {
                var c = escaped[i];
                if (c != '\\')
                {
                    FlushUtf8(bytes, sb);
                    sb.Append(c);
                    continue;
                }
                if (i + 1 >= escaped.Length) throw new FormatException("A DN value cannot end with a lone backslash.");
                if (IsHex(escaped, i + 1) && IsHex(escaped, i + 2))
                {
                    bytes.Add((byte)(HexValue(escaped[i + 1]) * 16 + HexValue(escaped[i + 2])));
                    i += 2;
                    continue;
                }
                FlushUtf8(bytes, sb);
                sb.Append(escaped[i + 1]);
                i++;
            }
            FlushUtf8(bytes, sb);
            return sb.ToString();
        }

        /// <summary>A DN built from one RDN and its parent: <c>CN=&lt;escaped name&gt;,&lt;parent&gt;</c>.</summary>
        public static string ChildDn(string type, string value, string parentDn)
            => type + "=" + DnValue(value) + (string.IsNullOrEmpty(parentDn) ? string.Empty : "," + parentDn);

        /// <summary>Splits a DN into its RDNs (unescaped values), honouring escapes and quotes.</summary>
        public static IReadOnlyList<RelativeDistinguishedName> ParseDn(string dn)
        {
            if (dn == null) throw new ArgumentNullException(nameof(dn));
            var result = new List<RelativeDistinguishedName>();
            if (dn.Trim().Length == 0) return result;
            var start = 0;
            var inQuotes = false;
            for (var i = 0; i <= dn.Length; i++)
            {
                if (i < dn.Length)
                {
                    var c = dn[i];
                    if (c == '\\') { i++; continue; }
                    if (c == '"') { inQuotes = !inQuotes; continue; }
                    if (inQuotes || (c != ',' && c != ';')) continue;
                }
                result.Add(ParseRdn(dn.Substring(start, i - start), dn));
                start = i + 1;
            }
            return result;
        }

        /// <summary>The DN without its first RDN (the parent container), or "" for a top-level DN.</summary>
        public static string ParentDn(string dn)
        {
            for (var i = 0; i < dn.Length; i++)
            {
                if (dn[i] == '\\') { i++; continue; }
                if (dn[i] == ',' || dn[i] == ';') return dn.Substring(i + 1).TrimStart();
            }
            return string.Empty;
        }

        /// <summary>True when two DNs name the same entry: same RDNs, types and values compared without case, escapes and spaces after commas ignored.</summary>
        public static bool SameDn(string a, string b)
        {
            if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase)) return true;
            IReadOnlyList<RelativeDistinguishedName> x, y;
            try { x = ParseDn(a); y = ParseDn(b); }
            catch (ArgumentException) { return false; }
            if (x.Count != y.Count) return false;
            for (var i = 0; i < x.Count; i++)
                if (!string.Equals(x[i].Type.Trim(), y[i].Type.Trim(), StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(x[i].Value, y[i].Value, StringComparison.OrdinalIgnoreCase)) return false;
            return true;
        }

        /// <summary>The first RDN of a DN, as written (escapes kept): <c>CN=Dupont\, Jean</c>.</summary>
        public static string FirstRdn(string dn)
        {
            var parent = ParentDn(dn);
            if (parent.Length == 0) return dn;
            var cut = dn.Length - parent.Length;
            return dn.Substring(0, cut).TrimEnd().TrimEnd(',', ';').TrimEnd();
        }

        /// <summary>True when the text has the shape of a DN (type=value[,type=value]...).</summary>
        public static bool LooksLikeDn(string text)
        {
            if (string.IsNullOrWhiteSpace(text) || text.IndexOf('=') <= 0) return false;
            try
            {
                var rdns = ParseDn(text);
                foreach (var rdn in rdns)
                    if (rdn.Type.Length == 0 || !IsAttributeType(rdn.Type)) return false;
                return rdns.Count > 0;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        private static RelativeDistinguishedName ParseRdn(string text, string dn)
        {
            var eq = -1;
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\\') { i++; continue; }
                if (text[i] == '=') { eq = i; break; }
            }
            if (eq <= 0) throw new FormatException($"'{dn}' is not a distinguished name: '{text}' has no attribute type.");
            var type = text.Substring(0, eq).Trim();
            var raw = text.Substring(eq + 1);
            // Spaces around the separators are not part of the value unless escaped (RFC 4514 §3).
            var value = raw.TrimStart();
            var end = value.Length;
            while (end > 0 && value[end - 1] == ' ' && !(end >= 2 && value[end - 2] == '\\' && !EscapedBackslash(value, end - 2))) end--;
            value = value.Substring(0, end);
            if (value.Length >= 2 && value[0] == '"' && value[value.Length - 1] == '"')
                return new RelativeDistinguishedName(type, value.Substring(1, value.Length - 2).Replace("\\\"", "\"").Replace("\\\\", "\\"));
            return new RelativeDistinguishedName(type, UnescapeDnValue(value));
        }

        private static bool EscapedBackslash(string s, int backslashIndex)
        {
            // True when the backslash at backslashIndex is itself escaped (preceded by an odd run of backslashes).
            var run = 0;
            for (var i = backslashIndex - 1; i >= 0 && s[i] == '\\'; i--) run++;
            return run % 2 == 1;
        }

        private static bool IsAttributeType(string type)
        {
            foreach (var c in type)
                if (!(char.IsLetterOrDigit(c) || c == '-' || c == '.')) return false;
            return true;
        }

        private static bool IsHex(string s, int i)
            => i < s.Length && ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F'));

        private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

        private static void FlushUtf8(List<byte> bytes, StringBuilder sb)
        {
            if (bytes.Count == 0) return;
            sb.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
    }
}
