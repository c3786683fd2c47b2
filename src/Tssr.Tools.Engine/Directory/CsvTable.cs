using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>One data row of an import: its values by column, and where it came from.</summary>
    public sealed class ImportRow
    {
        public ImportRow(string source, int row, IDictionary<string, string?> values)
        {
            Source = source;
            Row = row;
            Values = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>The file (or "&lt;input&gt;" for pipeline objects).</summary>
        public string Source { get; }
        /// <summary>The line of the file where the record starts (the header is line 1).</summary>
        public int Row { get; }
        public IReadOnlyDictionary<string, string?> Values { get; }
        public string Target => Source + ":" + Row.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A small RFC 4180 reader: quoted fields with doubled quotes and line breaks, the delimiter
    /// guessed from the header (',' ';' or tab: French Excel writes ';'), UTF-8 with or without BOM,
    /// and Latin-1 when the bytes are not valid UTF-8 (Excel's "CSV" in Western Europe).
    /// </summary>
    public static class CsvTable
    {
        private static readonly Localizer Text = DirectoryText.Strings;

        public static List<ImportRow> Read(string path)
        {
            if (!File.Exists(path))
                throw new TssrException("CsvFileNotFound", TssrErrorCategory.ObjectNotFound, path, Text.Format("Error_CsvNotFound", path), Text.Get("Action_CsvNotFound"));
            var bytes = File.ReadAllBytes(path);
            return Parse(Decode(bytes), path);
        }

        internal static string Decode(byte[] bytes)
        {
            var offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            try
            {
                return new UTF8Encoding(false, true).GetString(bytes, offset, bytes.Length - offset);
            }
            catch (DecoderFallbackException)
            {
                return Encoding.GetEncoding("iso-8859-1").GetString(bytes);
            }
        }

        public static List<ImportRow> Parse(string text, string source)
        {
            var records = Records(text).ToList();
            if (records.Count == 0 || records[0].Fields.All(string.IsNullOrWhiteSpace))
                throw new TssrException("CsvEmpty", TssrErrorCategory.InvalidData, source + ":1", Text.Get("Error_CsvEmpty"), Text.Get("Action_CsvColumns"));
            var header = records[0].Fields.Select(h => h.Trim()).ToArray();
            var rows = new List<ImportRow>();
            foreach (var record in records.Skip(1))
            {
                if (record.Fields.All(string.IsNullOrWhiteSpace)) continue;
                var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < header.Length; i++)
                    if (header[i].Length > 0 && !values.ContainsKey(header[i])) values[header[i]] = i < record.Fields.Count ? record.Fields[i] : null;
                if (record.Fields.Count > header.Length && record.Fields.Skip(header.Length).Any(f => !string.IsNullOrWhiteSpace(f)))
                    values["\u0000extra"] = record.Fields.Count.ToString(CultureInfo.InvariantCulture);
                rows.Add(new ImportRow(source, record.Line, values));
            }
            return rows;
        }

        private struct Record
        {
            public int Line;
            public List<string> Fields;
        }

        private static char GuessDelimiter(string text)
        {
            var end = text.IndexOf('\n');
            var first = end < 0 ? text : text.Substring(0, end);
            var candidates = new[] { ';', ',', '\t' };
            return candidates.OrderByDescending(c => first.Count(x => x == c)).First();
        }

        private static IEnumerable<Record> Records(string text)
        {
            var delimiter = GuessDelimiter(text);
            var line = 1;
            var start = 1;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var any = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                        else quoted = false;
                    }
                    else
                    {
                        if (c == '\n') line++;
                        field.Append(c);
                    }
                    continue;
                }
                if (c == '"' && field.Length == 0) { quoted = true; any = true; continue; }
                if (c == delimiter) { fields.Add(field.ToString()); field.Clear(); any = true; continue; }
                if (c == '\r') continue;
                if (c == '\n')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return new Record { Line = start, Fields = fields };
                    fields = new List<string>();
                    line++;
                    start = line;
                    any = false;
                    continue;
                }
                field.Append(c);
                any = true;
            }
            if (any || field.Length > 0)
            {
                fields.Add(field.ToString());
                yield return new Record { Line = start, Fields = fields };
            }
        }
    }

    /// <summary>Logins from names: accents transliterated (é→e, ß→ss), only the characters a sAMAccountName allows.</summary>
    public static class LoginText
    {
        /// <summary>Characters Active Directory refuses in a sAMAccountName.</summary>
        public const string IllegalSamCharacters = "\"/\\[]:;|=,+*?<>@";

        public static string Transliterate(string text)
        {
            var sb = new StringBuilder(text.Length);
            string decomposed;
            try { decomposed = text.Normalize(NormalizationForm.FormD); }
            catch (ArgumentException) { decomposed = text; } // a lone surrogate: nothing to decompose
            foreach (var c in decomposed)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
                switch (c)
                {
                    case 'ß': sb.Append("ss"); break;
                    case 'æ': sb.Append("ae"); break;
                    case 'Æ': sb.Append("AE"); break;
                    case 'œ': sb.Append("oe"); break;
                    case 'Œ': sb.Append("OE"); break;
                    case 'ø': sb.Append('o'); break;
                    case 'Ø': sb.Append('O'); break;
                    case 'ł': sb.Append('l'); break;
                    case 'Ł': sb.Append('L'); break;
                    case 'đ': sb.Append('d'); break;
                    case 'Đ': sb.Append('D'); break;
                    case 'ı': sb.Append('i'); break;
                    default: sb.Append(c); break;
                }
            }
            try { return sb.ToString().Normalize(NormalizationForm.FormC); }
            catch (ArgumentException) { return sb.ToString(); }
        }

        /// <summary>"prenom.nom" from a given name and a surname: transliterated, lower case, letters, digits, '.', '-' only, at most 20 characters.</summary>
        public static string LoginFrom(string givenName, string surname)
        {
            string Clean(string s) => new string(Transliterate(s).ToLowerInvariant().Where(ch => (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-').ToArray());
            var login = Clean(givenName) + "." + Clean(surname);
            login = login.Trim('.');
            if (login.Length > 20) login = login.Substring(0, 20);
            return login.TrimEnd('.', '-');
        }

        /// <summary>Null when <paramref name="sam"/> is a legal sAMAccountName, else the reason key.</summary>
        public static string? SamProblem(string sam)
        {
            if (sam.Length == 0) return "Reason_SamEmpty";
            if (sam.Length > 20) return "Reason_SamTooLong";
            if (sam.Any(c => c < 0x20 || IllegalSamCharacters.IndexOf(c) >= 0)) return "Reason_SamIllegal";
            if (sam.EndsWith(".", StringComparison.Ordinal) || sam.Trim(' ', '.').Length == 0) return "Reason_SamIllegal";
            if (sam.Any(c => c > 0x7E)) return "Reason_SamNonAscii";
            return null;
        }
    }
}
