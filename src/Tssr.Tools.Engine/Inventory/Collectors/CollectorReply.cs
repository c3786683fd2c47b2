using System;
using System.Collections.Generic;
using System.Globalization;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Inventory.Collectors
{
    /// <summary>One fact's raw reply: what the command printed, its exit code and its stderr.</summary>
    internal sealed class CollectorSection
    {
        public CollectorSection(string name, string source, string content, int? exitCode, string errorText, bool complete)
        {
            Name = name;
            Source = source;
            Content = content;
            ExitCode = exitCode;
            ErrorText = errorText;
            Complete = complete;
        }

        public string Name { get; }
        public string Source { get; }
        public string Content { get; }
        /// <summary>null when the section was cut off.</summary>
        public int? ExitCode { get; }
        public string ErrorText { get; }
        /// <summary>False when the reply ended inside this section.</summary>
        public bool Complete { get; }

        public IEnumerable<string> Lines()
        {
            foreach (var line in Content.Split('\n'))
            {
                var l = line.TrimEnd('\r');
                if (l.Length > 0) yield return l;
            }
        }
    }

    /// <summary>
    /// The framed reply of a collector script: a header line, then sections
    /// (@@nonce B name source … @@nonce R name code … @@nonce E name), then @@nonce END.
    /// Anything else is garbage and gives a clean error; a reply without END is truncated and
    /// keeps the sections that were complete.
    /// </summary>
    internal sealed class CollectorReply
    {
        private readonly Dictionary<string, CollectorSection> _sections = new Dictionary<string, CollectorSection>(StringComparer.Ordinal);

        private CollectorReply(string kind, bool truncated)
        {
            Kind = kind;
            Truncated = truncated;
        }

        /// <summary>posix or powershell, from the header.</summary>
        public string Kind { get; }
        public bool Truncated { get; }
        public IReadOnlyDictionary<string, CollectorSection> Sections => _sections;

        public CollectorSection? this[string name] => _sections.TryGetValue(name, out var s) ? s : null;

        /// <summary>Parses <paramref name="text"/>; throws a TssrException naming the target and the line when it is not a collector reply.</summary>
        public static CollectorReply Parse(string text, string nonce, string target)
        {
            var marker = "@@" + nonce + " ";
            var lines = (text ?? string.Empty).Replace("\r\n", "\n").Split('\n');
            var i = 0;
            while (i < lines.Length && lines[i].Trim().Length == 0) i++;
            if (i >= lines.Length || !lines[i].StartsWith(marker + "TSSR-INVENTORY ", StringComparison.Ordinal))
                throw Garbage(target, i + 1, Preview(lines, i));
            var header = lines[i].Substring(marker.Length).Split(' ');
            if (header.Length < 3 || header[1] != "1")
                throw Garbage(target, i + 1, Preview(lines, i));
            var kind = header[2].Trim();
            i++;

            string? name = null, source = null;
            int? code = null;
            var content = new List<string>();
            var error = new List<string>();
            var inError = false;
            var ended = false;
            var sections = new List<CollectorSection>();
            for (; i < lines.Length; i++)
            {
                var line = lines[i].TrimEnd('\r');
                if (!line.StartsWith(marker, StringComparison.Ordinal))
                {
                    if (name == null)
                    {
                        if (line.Trim().Length == 0) continue;
                        throw Garbage(target, i + 1, Preview(lines, i));
                    }
                    (inError ? error : content).Add(line);
                    continue;
                }
                var rest = line.Substring(marker.Length);
                var parts = rest.Split(new[] { ' ' }, 3);
                switch (parts[0])
                {
                    case "B" when parts.Length >= 2 && name == null:
                        name = parts[1];
                        source = parts.Length > 2 ? parts[2] : string.Empty;
                        content.Clear(); error.Clear(); inError = false; code = null;
                        break;
                    case "R" when parts.Length >= 3 && name == parts[1] && !inError:
                        if (!int.TryParse(parts[2].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c))
                            throw Garbage(target, i + 1, line);
                        code = c;
                        inError = true;
                        break;
                    case "E" when parts.Length >= 2 && name == parts[1] && inError:
                        sections.Add(new CollectorSection(name, source ?? string.Empty, Join(content), code, Join(error).Trim(), true));
                        name = null;
                        break;
                    case "END" when name == null:
                        ended = true;
                        break;
                    default:
                        throw Garbage(target, i + 1, line);
                }
                if (ended) break;
            }
            var reply = new CollectorReply(kind, !ended);
            foreach (var s in sections) reply._sections[s.Name] = s;
            if (!ended && name != null)
                reply._sections[name] = new CollectorSection(name, source ?? string.Empty, Join(content), null, Join(error).Trim(), false);
            return reply;
        }

        private static string Join(List<string> lines)
        {
            // The script prints a newline before each marker, so the last line is that newline.
            var count = lines.Count;
            if (count > 0 && lines[count - 1].Length == 0) count--;
            return string.Join("\n", lines.GetRange(0, count));
        }

        private static string Preview(string[] lines, int index)
        {
            if (index >= lines.Length) return string.Empty;
            var l = lines[index];
            return l.Length > 80 ? l.Substring(0, 80) + "…" : l;
        }

        private static TssrException Garbage(string target, int line, string preview)
            => new TssrException("InventoryReplyInvalid", TssrErrorCategory.InvalidData, target,
                InventoryText.Strings.Format("Error_ReplyInvalid", target, line, preview),
                InventoryText.Strings.Get("Action_ReplyInvalid"));
    }
}
