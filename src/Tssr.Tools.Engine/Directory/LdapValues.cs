using System;
using System.DirectoryServices.Protocols;
using System.Globalization;
using System.Text;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>Reads typed values out of search entries; the one place that knows AD's encodings.</summary>
    internal static class LdapValues
    {
        /// <summary>accountExpires' "never" values: 0 and 0x7FFFFFFFFFFFFFFF.</summary>
        public const long NeverExpires = long.MaxValue;

        public static string? String(SearchResultEntry entry, string name)
        {
            var attr = entry.Attributes[name];
            if (attr == null || attr.Count == 0) return null;
            var v = attr[0];
            return v as string ?? (v is byte[] b ? Encoding.UTF8.GetString(b) : v?.ToString());
        }

        public static string[] Strings(SearchResultEntry entry, string name)
        {
            var attr = entry.Attributes[name];
            if (attr == null || attr.Count == 0) return Array.Empty<string>();
            var values = attr.GetValues(typeof(string));
            var result = new string[values.Length];
            for (var i = 0; i < values.Length; i++) result[i] = (string)values[i];
            return result;
        }

        public static byte[]? Bytes(SearchResultEntry entry, string name)
        {
            var attr = entry.Attributes[name];
            if (attr == null || attr.Count == 0) return null;
            var values = attr.GetValues(typeof(byte[]));
            return values.Length == 0 ? null : (byte[])values[0];
        }

        public static long? Long(SearchResultEntry entry, string name)
        {
            var s = String(entry, name);
            return s != null && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : (long?)null;
        }

        /// <summary>A FILETIME attribute (pwdLastSet, lockoutTime...) as UTC, null when 0 or "never".</summary>
        public static DateTime? FileTime(SearchResultEntry entry, string name) => FromFileTime(Long(entry, name));

        public static DateTime? FromFileTime(long? value)
        {
            if (!value.HasValue || value.Value <= 0 || value.Value == NeverExpires) return null;
            try { return DateTime.FromFileTimeUtc(value.Value); }
            catch (ArgumentOutOfRangeException) { return null; }
        }

        /// <summary>A GeneralizedTime attribute (whenCreated) as UTC.</summary>
        public static DateTime? GeneralizedTime(SearchResultEntry entry, string name)
        {
            var s = String(entry, name);
            if (s == null) return null;
            return DateTime.TryParseExact(s, new[] { "yyyyMMddHHmmss.0Z", "yyyyMMddHHmmss.fZ", "yyyyMMddHHmmssZ" }, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d : (DateTime?)null;
        }

        public static Guid? Guid(SearchResultEntry entry, string name)
        {
            var b = Bytes(entry, name);
            return b != null && b.Length == 16 ? new Guid(b) : (Guid?)null;
        }

        /// <summary>A duration attribute (lockoutDuration, maxPwdAge): negative 100-ns intervals.</summary>
        public static TimeSpan? Interval(SearchResultEntry entry, string name)
        {
            var v = Long(entry, name);
            if (!v.HasValue) return null;
            if (v.Value == long.MinValue) return TimeSpan.MaxValue;
            return TimeSpan.FromTicks(Math.Abs(v.Value));
        }

        public static string ToFileTime(DateTime utc) => utc.ToFileTimeUtc().ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Security identifiers in their binary (objectSid) and string (S-1-5-21-...) forms.</summary>
    public static class SecurityIdentifierCodec
    {
        public static string ToText(byte[] sid)
        {
            if (sid.Length < 8) throw new FormatException("A SID has at least 8 bytes.");
            long authority = 0;
            for (var i = 2; i < 8; i++) authority = (authority << 8) | sid[i];
            var sb = new StringBuilder("S-").Append(sid[0]).Append('-').Append(authority);
            var count = sid[1];
            if (sid.Length < 8 + 4 * count) throw new FormatException("The SID is shorter than its sub-authority count says.");
            for (var i = 0; i < count; i++)
                sb.Append('-').Append(BitConverter.ToUInt32(sid, 8 + 4 * i).ToString(CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        public static bool TryParse(string text, out byte[] sid)
        {
            sid = Array.Empty<byte>();
            if (text == null || !text.StartsWith("S-", StringComparison.OrdinalIgnoreCase)) return false;
            var parts = text.Substring(2).Split('-');
            if (parts.Length < 2 || parts.Length > 17) return false;
            if (!byte.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var revision)) return false;
            if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var authority) || authority > 0xFFFFFFFFFFFF) return false;
            var count = parts.Length - 2;
            var bytes = new byte[8 + 4 * count];
            bytes[0] = revision;
            bytes[1] = (byte)count;
            for (var i = 0; i < 6; i++) bytes[2 + i] = (byte)(authority >> (8 * (5 - i)));
            for (var i = 0; i < count; i++)
            {
                if (!uint.TryParse(parts[2 + i], NumberStyles.None, CultureInfo.InvariantCulture, out var sub)) return false;
                BitConverter.GetBytes(sub).CopyTo(bytes, 8 + 4 * i);
            }
            sid = bytes;
            return true;
        }
    }
}
