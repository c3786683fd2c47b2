using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Parsers;

namespace Tssr.Tools.Engine.Backup
{
    /// <summary>One entry a manifest expects, with the line it came from.</summary>
    internal sealed class ExpectedEntry
    {
        public ExpectedEntry(string name, int line)
        {
            Name = name;
            Line = line;
        }

        public string Name { get; }
        public int Line { get; }
        /// <summary>Null in a sha256sum manifest, which lists regular files only (a link there is followed, as `sha256sum -c` does).</summary>
        public BackupEntryType? Type { get; set; }
        public string? Sha256 { get; set; }
        public long? SizeBytes { get; set; }
        public string? Mode { get; set; }
        public DateTime? ModifiedUtc { get; set; }
        public string? LinkTarget { get; set; }
        /// <summary>The name's bytes are not UTF-8: .NET cannot name that file exactly.</summary>
        public bool NameNotUtf8 { get; set; }
    }

    /// <summary>Writes and reads manifests: sha256sum's lines and the JSON form.</summary>
    internal static class ManifestFile
    {
        public const string JsonFormatName = "Tssr.Tools.BackupManifest";
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        public static void WriteSha256Sum(TextWriter writer, IEnumerable<BackupManifestEntry> entries)
        {
            foreach (var e in entries)
                if (e.Type == BackupEntryType.File && e.Sha256 != null) writer.Write(Sha256SumFormat.FormatLine(e.Sha256, e.Path) + "\n");
        }

        public static void WriteJson(TextWriter writer, string root, DateTime createdUtc, IEnumerable<BackupManifestEntry> entries)
        {
            writer.Write("{\n  \"format\": \"" + JsonFormatName + "\",\n  \"version\": 1,\n");
            writer.Write("  \"created\": " + Quote(BackupManifestEntry.FormatTime(createdUtc)) + ",\n");
            writer.Write("  \"root\": " + Quote(root) + ",\n  \"entries\": [");
            var first = true;
            foreach (var e in entries)
            {
                writer.Write(first ? "\n    {" : ",\n    {");
                first = false;
                writer.Write("\"path\": " + Quote(e.Path) + ", \"type\": " + Quote(e.Type.ToString()));
                if (e.Type == BackupEntryType.File) writer.Write(", \"size\": " + e.SizeBytes.ToString(CultureInfo.InvariantCulture));
                if (e.Mode != null) writer.Write(", \"mode\": " + Quote(e.Mode));
                if (e.ModifiedUtc.HasValue) writer.Write(", \"mtime\": " + Quote(BackupManifestEntry.FormatTime(e.ModifiedUtc.Value)));
                if (e.Sha256 != null) writer.Write(", \"sha256\": " + Quote(e.Sha256));
                if (e.LinkTarget != null) writer.Write(", \"target\": " + Quote(e.LinkTarget));
                writer.Write("}");
            }
            writer.Write(first ? "]\n}\n" : "\n  ]\n}\n");
        }

        private static string Quote(string text)
        {
            var s = new StringBuilder(text.Length + 2);
            s.Append('"');
            foreach (var c in text)
            {
                switch (c)
                {
                    case '"': s.Append("\\\""); break;
                    case '\\': s.Append("\\\\"); break;
                    case '\n': s.Append("\\n"); break;
                    case '\r': s.Append("\\r"); break;
                    case '\t': s.Append("\\t"); break;
                    default:
                        if (c < 0x20) s.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else s.Append(c);
                        break;
                }
            }
            return s.Append('"').ToString();
        }

        /// <summary>Reads a manifest of either form (JSON when it starts with '{'); errors name the file and line.</summary>
        public static List<ExpectedEntry> Read(string path)
        {
            byte[] bytes;
            try { bytes = File.ReadAllBytes(path); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new TssrException("BackupManifestUnreadable", TssrErrorCategory.ReadError, path,
                    BackupText.Strings.Format("Error_ManifestUnreadable", path, e.Message), BackupText.Strings.Get("Action_ManifestUnreadable"), e);
            }
            var start = 0;
            if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) start = 3;
            var firstChar = start;
            while (firstChar < bytes.Length && (bytes[firstChar] == ' ' || bytes[firstChar] == '\n' || bytes[firstChar] == '\r' || bytes[firstChar] == '\t')) firstChar++;
            return firstChar < bytes.Length && bytes[firstChar] == '{' ? ReadJson(path, Utf8.GetString(bytes, start, bytes.Length - start)) : ReadSha256Sum(path, bytes, start);
        }

        private static List<ExpectedEntry> ReadSha256Sum(string path, byte[] bytes, int start)
        {
            var entries = new List<ExpectedEntry>();
            var lineNumber = 0;
            var pos = start;
            while (pos < bytes.Length)
            {
                var end = Array.IndexOf(bytes, (byte)'\n', pos);
                if (end < 0) end = bytes.Length;
                lineNumber++;
                var length = end - pos;
                var notUtf8 = false;
                string line;
                try { line = StrictUtf8.GetString(bytes, pos, length); }
                catch (DecoderFallbackException)
                {
                    line = Utf8.GetString(bytes, pos, length);
                    notUtf8 = true;
                }
                pos = end + 1;
                if (line.Length > 0 && line[0] != '\\' && line[line.Length - 1] == '\r') line = line.Substring(0, line.Length - 1);
                if (line.Length == 0) continue;
                if (!Sha256SumFormat.TryParse(line, out var parsed, out var reason))
                    throw new TssrException("BackupManifestInvalid", TssrErrorCategory.ParserError, path + ":" + lineNumber,
                        BackupText.Strings.Format("Error_ManifestLine", path, lineNumber, reason), BackupText.Strings.Get("Action_ManifestInvalid"));
                entries.Add(new ExpectedEntry(parsed.Name, lineNumber) { Sha256 = parsed.Sha256, NameNotUtf8 = notUtf8 });
            }
            return entries;
        }

        private static List<ExpectedEntry> ReadJson(string path, string text)
        {
            JsonNode root;
            try { root = JsonReader.Parse(text, path); }
            catch (TssrException e)
            {
                throw new TssrException("BackupManifestInvalid", TssrErrorCategory.ParserError, path, BackupText.Strings.Format("Error_ManifestJson", path, e.Message),
                    BackupText.Strings.Get("Action_ManifestInvalid"), e);
            }
            if (!(root is JsonObject doc) || (doc["format"] as JsonValue)?.AsString != JsonFormatName || !(doc["entries"] is JsonArray list))
                throw Invalid(path, root.Line, BackupText.Strings.Get("Reason_NotOurJson"));
            var entries = new List<ExpectedEntry>();
            foreach (var node in list.Items)
            {
                if (!(node is JsonObject item)) throw Invalid(path, node.Line, BackupText.Strings.Get("Reason_EntryNotObject"));
                var name = Text(item, "path");
                var typeText = Text(item, "type");
                if (string.IsNullOrEmpty(name) || typeText == null || !Enum.TryParse<BackupEntryType>(typeText, false, out var type))
                    throw Invalid(path, item.Line, BackupText.Strings.Get("Reason_EntryFields"));
                var entry = new ExpectedEntry(name!, item.Line) { Type = type, Mode = Text(item, "mode"), LinkTarget = Text(item, "target"), Sha256 = Text(item, "sha256")?.ToLowerInvariant() };
                if ((item["size"] as JsonValue)?.Value is long size) entry.SizeBytes = size;
                var mtime = Text(item, "mtime");
                if (mtime != null)
                {
                    if (!DateTime.TryParse(mtime, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var when))
                        throw Invalid(path, item.Line, BackupText.Strings.Get("Reason_EntryFields"));
                    entry.ModifiedUtc = when;
                }
                if (type == BackupEntryType.File && (entry.Sha256 == null || entry.Sha256.Length != 64))
                    throw Invalid(path, item.Line, BackupText.Strings.Get("Reason_HashFormat"));
                entries.Add(entry);
            }
            return entries;
        }

        private static string? Text(JsonObject item, string key) => (item[key] as JsonValue)?.Value as string;

        private static TssrException Invalid(string path, int line, string reason)
            => new TssrException("BackupManifestInvalid", TssrErrorCategory.ParserError, path + ":" + line,
                BackupText.Strings.Format("Error_ManifestLine", path, line, reason), BackupText.Strings.Get("Action_ManifestInvalid"));
    }
}
