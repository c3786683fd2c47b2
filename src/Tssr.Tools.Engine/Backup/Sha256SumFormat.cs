using System;
using System.Text;

namespace Tssr.Tools.Engine.Backup
{
    /// <summary>One line of a checksum file as sha256sum reads it.</summary>
    internal readonly struct ChecksumLine
    {
        public ChecksumLine(string sha256, string name, bool binary)
        {
            Sha256 = sha256;
            Name = name;
            Binary = binary;
        }

        /// <summary>Lower-case hexadecimal.</summary>
        public string Sha256 { get; }
        public string Name { get; }
        /// <summary>The '*' marker of `sha256sum -b` (meaningless on Linux: the bytes are the same).</summary>
        public bool Binary { get; }
    }

    /// <summary>
    /// The line format of GNU sha256sum (coreutils 9): "hash  name" or "hash *name"; a name holding a
    /// backslash, a line feed or a carriage return is written with `\\`, `\n`, `\r` and the line
    /// starts with a backslash. The BSD form of `--tag` ("SHA256 (name) = hash") is read too.
    /// </summary>
    internal static class Sha256SumFormat
    {
        public static bool NeedsEscape(string name)
            => name.IndexOf('\\') >= 0 || name.IndexOf('\n') >= 0 || name.IndexOf('\r') >= 0;

        public static string FormatLine(string sha256, string name)
        {
            if (!NeedsEscape(name)) return sha256 + "  " + name;
            var line = new StringBuilder(sha256.Length + name.Length + 8);
            line.Append('\\').Append(sha256).Append("  ");
            foreach (var c in name)
            {
                switch (c)
                {
                    case '\\': line.Append("\\\\"); break;
                    case '\n': line.Append("\\n"); break;
                    case '\r': line.Append("\\r"); break;
                    default: line.Append(c); break;
                }
            }
            return line.ToString();
        }

        /// <summary>Reads one line (without its line feed); false with the reason when sha256sum would call it improperly formatted.</summary>
        public static bool TryParse(string line, out ChecksumLine parsed, out string reason)
        {
            parsed = default;
            var escaped = line.Length > 0 && line[0] == '\\';
            var text = escaped ? line.Substring(1) : line;
            string hash;
            string rawName;
            var binary = false;
            if (text.StartsWith("SHA256 (", StringComparison.Ordinal))
            {
                var end = text.LastIndexOf(") = ", StringComparison.Ordinal);
                if (end < 8) { reason = BackupText.Strings.Get("Reason_LineFormat"); return false; }
                rawName = text.Substring(8, end - 8);
                hash = text.Substring(end + 4);
            }
            else
            {
                if (text.Length < 66 || text[64] != ' ' || (text[65] != ' ' && text[65] != '*'))
                {
                    reason = BackupText.Strings.Get("Reason_LineFormat");
                    return false;
                }
                hash = text.Substring(0, 64);
                binary = text[65] == '*';
                rawName = text.Substring(66);
            }
            if (!IsHex64(hash)) { reason = BackupText.Strings.Get("Reason_HashFormat"); return false; }
            if (rawName.Length == 0) { reason = BackupText.Strings.Get("Reason_LineFormat"); return false; }
            string name;
            if (escaped)
            {
                if (!TryUnescape(rawName, out name)) { reason = BackupText.Strings.Get("Reason_Escape"); return false; }
            }
            else name = rawName;
            parsed = new ChecksumLine(hash.ToLowerInvariant(), name, binary);
            reason = string.Empty;
            return true;
        }

        private static bool TryUnescape(string text, out string name)
        {
            var result = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c != '\\') { result.Append(c); continue; }
                if (++i == text.Length) { name = string.Empty; return false; }
                switch (text[i])
                {
                    case '\\': result.Append('\\'); break;
                    case 'n': result.Append('\n'); break;
                    case 'r': result.Append('\r'); break;
                    default: name = string.Empty; return false;
                }
            }
            name = result.ToString();
            return true;
        }

        private static bool IsHex64(string text)
        {
            if (text.Length != 64) return false;
            foreach (var c in text)
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
            return true;
        }

        private static readonly char[] HexDigits = "0123456789abcdef".ToCharArray();

        public static string ToHex(byte[] bytes)
        {
            var chars = new char[bytes.Length * 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = HexDigits[bytes[i] >> 4];
                chars[2 * i + 1] = HexDigits[bytes[i] & 0xf];
            }
            return new string(chars);
        }
    }
}
