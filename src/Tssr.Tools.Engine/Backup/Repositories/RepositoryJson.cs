using System;
using System.Collections.Generic;
using System.Globalization;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Parsers;

namespace Tssr.Tools.Engine.Backup.Repositories
{
    /// <summary>One snapshot (restic) or archive (borg) of a repository.</summary>
    public sealed class BackupSnapshot
    {
        public BackupSnapshot(string id, string shortId, DateTime timeUtc, IReadOnlyList<string> paths, string? hostName, DateTimeOffset? clockTime = null)
        {
            ClockTime = clockTime ?? new DateTimeOffset(timeUtc, TimeSpan.Zero);
            Id = id;
            ShortId = shortId;
            TimeUtc = timeUtc;
            Paths = new ValueList<string>(paths);
            HostName = hostName;
        }

        public string Id { get; }
        /// <summary>restic's short id, or the borg archive's name.</summary>
        public string ShortId { get; }
        public DateTime TimeUtc { get; }
        public ValueList<string> Paths { get; }
        public string? HostName { get; }
        /// <summary>The time with the offset of the machine that made it: restic's day, week and month buckets use that clock.</summary>
        internal DateTimeOffset ClockTime { get; }

        public override string ToString() => ShortId + " " + TimeUtc.ToString("u", CultureInfo.InvariantCulture);
    }

    /// <summary>Reads `restic snapshots --json` and `borg list --json`; anything else is a clean error naming the program.</summary>
    internal static class RepositoryJson
    {
        public static List<BackupSnapshot> ResticSnapshots(string json)
        {
            var list = new List<BackupSnapshot>();
            if (!(Parse(json, "restic") is JsonArray array)) throw Invalid("restic", BackupText.Strings.Get("Reason_JsonNotArray"));
            foreach (var node in array.Items)
            {
                if (!(node is JsonObject o)) throw Invalid("restic", BackupText.Strings.Get("Reason_EntryNotObject"));
                var id = Text(o, "id");
                var time = Text(o, "time");
                if (id == null || time == null || !TryTime(time, true, out var when, out var clock)) throw Invalid("restic", BackupText.Strings.Get("Reason_SnapshotFields"));
                var paths = new List<string>();
                if (o["paths"] is JsonArray p) foreach (var item in p.Items) if ((item as JsonValue)?.Value is string s) paths.Add(s);
                list.Add(new BackupSnapshot(id, Text(o, "short_id") ?? (id.Length > 8 ? id.Substring(0, 8) : id), when, paths, Text(o, "hostname"), clock));
            }
            list.Sort((a, b) => a.TimeUtc.CompareTo(b.TimeUtc));
            return list;
        }

        public static List<BackupSnapshot> BorgArchives(string json)
        {
            var list = new List<BackupSnapshot>();
            if (!(Parse(json, "borg") is JsonObject doc) || !(doc["archives"] is JsonArray array)) throw Invalid("borg", BackupText.Strings.Get("Reason_BorgNoArchives"));
            foreach (var node in array.Items)
            {
                if (!(node is JsonObject o)) throw Invalid("borg", BackupText.Strings.Get("Reason_EntryNotObject"));
                var name = Text(o, "name") ?? Text(o, "archive");
                var time = Text(o, "time") ?? Text(o, "start");
                // borg 1.2 writes local time without a zone.
                if (name == null || time == null || !TryTime(time, false, out var when, out var clock)) throw Invalid("borg", BackupText.Strings.Get("Reason_SnapshotFields"));
                list.Add(new BackupSnapshot(Text(o, "id") ?? name, name, when, new string[0], null, clock));
            }
            list.Sort((a, b) => a.TimeUtc.CompareTo(b.TimeUtc));
            return list;
        }

        private static bool TryTime(string text, bool hasZone, out DateTime utc, out DateTimeOffset clock)
        {
            var t = text;
            var dot = t.IndexOf('.');
            if (dot > 0)
            {
                var end = dot + 1;
                while (end < t.Length && char.IsDigit(t[end])) end++;
                // .NET reads at most 7 fractional digits; restic writes 9.
                if (end - dot - 1 > 7) t = t.Substring(0, dot + 8) + t.Substring(end);
            }
            if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, hasZone ? DateTimeStyles.None : DateTimeStyles.AssumeLocal, out var when)) { utc = when.UtcDateTime; clock = when; return true; }
            utc = default;
            clock = default;
            return false;
        }

        private static JsonNode Parse(string json, string program)
        {
            try { return JsonReader.Parse(json, program); }
            catch (TssrException e) { throw Invalid(program, e.Message); }
        }

        private static string? Text(JsonObject o, string key) => (o[key] as JsonValue)?.Value as string;

        private static TssrException Invalid(string program, string reason)
            => new TssrException("BackupProgramOutputInvalid", TssrErrorCategory.InvalidResult, program,
                BackupText.Strings.Format("Error_ProgramOutput", program, reason), BackupText.Strings.Get("Action_ProgramOutput"));
    }
}
