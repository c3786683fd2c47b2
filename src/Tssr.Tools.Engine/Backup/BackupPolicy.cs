using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Backup.Repositories;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Backup
{
    /// <summary>One place a copy of the data lives, for the 3-2-1 rule.</summary>
    public sealed class BackupLocation
    {
        public BackupLocation(string name, string media, bool offSite)
        {
            Name = name;
            Media = media;
            OffSite = offSite;
        }

        public string Name { get; }
        /// <summary>The kind of media ("Disk", "Tape", "Cloud", "NAS"...): compared case-insensitively.</summary>
        public string Media { get; }
        public bool OffSite { get; }
        public override string ToString() => Name + " (" + Media + (OffSite ? ", off site" : string.Empty) + ")";
    }

    /// <summary>What restic forget keeps (--keep-last, -hourly, -daily, -weekly, -monthly, -yearly).</summary>
    public sealed class RetentionPolicy
    {
        public int Last { get; set; }
        public int Hourly { get; set; }
        public int Daily { get; set; }
        public int Weekly { get; set; }
        public int Monthly { get; set; }
        public int Yearly { get; set; }
        public bool IsEmpty => Last == 0 && Hourly == 0 && Daily == 0 && Weekly == 0 && Monthly == 0 && Yearly == 0;

        public override string ToString()
        {
            var parts = new List<string>();
            if (Last > 0) parts.Add("last " + Last);
            if (Hourly > 0) parts.Add("hourly " + Hourly);
            if (Daily > 0) parts.Add("daily " + Daily);
            if (Weekly > 0) parts.Add("weekly " + Weekly);
            if (Monthly > 0) parts.Add("monthly " + Monthly);
            if (Yearly > 0) parts.Add("yearly " + Yearly);
            return string.Join(", ", parts);
        }
    }

    public enum BackupRuleStatus
    {
        Passed,
        Failed,
        /// <summary>Not asked for, or nothing to judge it on.</summary>
        NotEvaluated,
    }

    /// <summary>One rule's verdict and why.</summary>
    public sealed class BackupRuleVerdict
    {
        public BackupRuleVerdict(string rule, BackupRuleStatus status, string reason)
        {
            Rule = rule;
            Status = status;
            Reason = reason;
        }

        /// <summary>Rpo, Retention or ThreeTwoOne.</summary>
        public string Rule { get; }
        public BackupRuleStatus Status { get; }
        public string Reason { get; }
        public override string ToString() => Rule + ": " + Status + " (" + Reason + ")";
    }

    public sealed class BackupPolicyOptions
    {
        public TimeSpan? MaxAge { get; set; }
        public RetentionPolicy Retention { get; set; } = new RetentionPolicy();
        /// <summary>Retention: the smallest number of snapshots the policy must keep (e.g. 7 daily snapshots exist).</summary>
        public bool RequireFullRetention { get; set; } = true;
        public IReadOnlyList<BackupLocation> Locations { get; set; } = new BackupLocation[0];
        /// <summary>The moment the age is measured from (now by default; tests fix it).</summary>
        public DateTime? NowUtc { get; set; }
    }

    /// <summary>The one result of Test-TssrBackupPolicy.</summary>
    public sealed class BackupPolicyResult
    {
        internal BackupPolicyResult(string source, IReadOnlyList<BackupSnapshot> snapshots, DateTime? newest, double? ageHours, IReadOnlyList<BackupRuleVerdict> rules,
            IReadOnlyList<string> kept, IReadOnlyList<string> removed)
        {
            Source = source;
            SnapshotCount = snapshots.Count;
            NewestSnapshotUtc = newest;
            AgeHours = ageHours;
            Rules = new ValueList<BackupRuleVerdict>(rules);
            KeptSnapshots = new ValueList<string>(kept);
            RemovedSnapshots = new ValueList<string>(removed);
            Status = rules.Any(r => r.Status == BackupRuleStatus.Failed) ? BackupRuleStatus.Failed
                : rules.Any(r => r.Status == BackupRuleStatus.Passed) ? BackupRuleStatus.Passed : BackupRuleStatus.NotEvaluated;
            RpoStatus = Find(rules, "Rpo");
            RetentionStatus = Find(rules, "Retention");
            ThreeTwoOneStatus = Find(rules, "ThreeTwoOne");
        }

        private static BackupRuleStatus Find(IReadOnlyList<BackupRuleVerdict> rules, string name) => rules.FirstOrDefault(r => r.Rule == name)?.Status ?? BackupRuleStatus.NotEvaluated;

        /// <summary>Failed when any rule failed; Passed when at least one passed and none failed.</summary>
        public BackupRuleStatus Status { get; }
        public string Source { get; }
        public int SnapshotCount { get; }
        public DateTime? NewestSnapshotUtc { get; }
        public double? AgeHours { get; }
        public BackupRuleStatus RpoStatus { get; }
        public BackupRuleStatus RetentionStatus { get; }
        public BackupRuleStatus ThreeTwoOneStatus { get; }
        public ValueList<BackupRuleVerdict> Rules { get; }
        /// <summary>The snapshots the retention policy keeps (ids), as restic forget would.</summary>
        public ValueList<string> KeptSnapshots { get; }
        /// <summary>The snapshots it would remove.</summary>
        public ValueList<string> RemovedSnapshots { get; }
        public override string ToString() => Status + ": " + string.Join("; ", Rules);
    }

    /// <summary>Input of the policy check: where the snapshots come from.</summary>
    public sealed class BackupPolicyInput
    {
        public string Source { get; set; } = string.Empty;
        /// <summary>Snapshots given directly; null to read them from the repository.</summary>
        public IReadOnlyList<BackupSnapshot>? Snapshots { get; set; }
        public RepositoryKind? Repository { get; set; }
        public string? Password { get; set; }
        public string? ProgramPath { get; set; }
        internal IBackupProgram? Program { get; set; }
    }

    /// <summary>RPO, retention as restic forget counts it, and the 3-2-1 rule; one verdict per rule, with why.</summary>
    public sealed class BackupPolicyChecker : IEngine<BackupPolicyOptions, BackupPolicyInput>
    {
        public async Task RunAsync(BackupPolicyOptions options, IEnumerable<BackupPolicyInput> inputs, IEngineSink sink, CancellationToken cancellationToken)
        {
            foreach (var input in inputs)
            {
                var snapshots = input.Snapshots ?? await ReadAsync(input, cancellationToken).ConfigureAwait(false);
                sink.Output(Evaluate(options, input.Source, snapshots));
            }
        }

        private static async Task<IReadOnlyList<BackupSnapshot>> ReadAsync(BackupPolicyInput input, CancellationToken token)
        {
            var name = input.Repository == RepositoryKind.Borg ? "borg" : "restic";
            var program = input.Program;
            if (program == null)
            {
                var exe = LocalBackupProgram.Find(name, input.ProgramPath) ?? throw new TssrException("BackupProgramNotFound", TssrErrorCategory.NotInstalled, input.ProgramPath ?? name,
                    BackupText.Strings.Format("Error_ProgramNotFound", input.ProgramPath ?? name), BackupText.Strings.Format("Action_ProgramNotFound", name));
                program = new LocalBackupProgram(exe);
            }
            return await new RepositoryClient(input.Repository ?? RepositoryKind.Restic, program, input.Source, input.Password).SnapshotsAsync(token).ConfigureAwait(false);
        }

        internal static BackupPolicyResult Evaluate(BackupPolicyOptions options, string source, IReadOnlyList<BackupSnapshot> snapshots)
        {
            var t = BackupText.Strings;
            var rules = new List<BackupRuleVerdict>();
            var now = options.NowUtc ?? DateTime.UtcNow;
            DateTime? newest = snapshots.Count == 0 ? (DateTime?)null : snapshots.Max(s => s.TimeUtc);
            double? age = newest.HasValue ? Math.Round((now - newest.Value).TotalHours, 2) : (double?)null;
            if (options.MaxAge.HasValue)
            {
                if (!newest.HasValue) rules.Add(new BackupRuleVerdict("Rpo", BackupRuleStatus.Failed, t.Get("Rpo_NoSnapshot")));
                else
                {
                    var ageSpan = now - newest.Value;
                    rules.Add(ageSpan <= options.MaxAge.Value
                        ? new BackupRuleVerdict("Rpo", BackupRuleStatus.Passed, t.Format("Rpo_Fresh", Hours(ageSpan), Hours(options.MaxAge.Value), newest.Value.ToString("u", CultureInfo.InvariantCulture)))
                        : new BackupRuleVerdict("Rpo", BackupRuleStatus.Failed, t.Format("Rpo_Stale", Hours(ageSpan), Hours(options.MaxAge.Value), newest.Value.ToString("u", CultureInfo.InvariantCulture))));
                }
            }
            var kept = new List<string>();
            var removed = new List<string>();
            if (!options.Retention.IsEmpty)
            {
                var keep = Retention.Keep(snapshots, options.Retention);
                foreach (var s in snapshots.OrderByDescending(x => x.TimeUtc)) (keep.Contains(s) ? kept : removed).Add(s.Id);
                var shortfall = Retention.Shortfall(snapshots, options.Retention);
                rules.Add(shortfall.Count == 0
                    ? new BackupRuleVerdict("Retention", BackupRuleStatus.Passed, t.Format("Retention_Met", options.Retention, kept.Count, removed.Count))
                    : new BackupRuleVerdict("Retention", BackupRuleStatus.Failed, t.Format("Retention_Short", options.Retention, string.Join(", ", shortfall), kept.Count)));
            }
            if (options.Locations.Count > 0)
            {
                var copies = options.Locations.Count;
                var media = options.Locations.Select(l => l.Media.Trim().ToUpperInvariant()).Distinct().Count();
                var offSite = options.Locations.Count(l => l.OffSite);
                var missing = new List<string>();
                if (copies < 3) missing.Add(t.Format("Rule321_Copies", copies));
                if (media < 2) missing.Add(t.Format("Rule321_Media", media));
                if (offSite < 1) missing.Add(t.Get("Rule321_OffSite"));
                rules.Add(missing.Count == 0
                    ? new BackupRuleVerdict("ThreeTwoOne", BackupRuleStatus.Passed, t.Format("Rule321_Met", copies, media, offSite))
                    : new BackupRuleVerdict("ThreeTwoOne", BackupRuleStatus.Failed, string.Join("; ", missing)));
            }
            return new BackupPolicyResult(source, snapshots, newest, age, rules, kept, removed);
        }

        private static string Hours(TimeSpan span) => span.TotalHours.ToString("0.#", CultureInfo.CurrentCulture);
    }

    /// <summary>
    /// restic forget's policy (internal/restic/snapshot_policy.go): snapshots grouped by host and
    /// paths, newest first; each --keep-X takes a snapshot whose bucket (the same hour, day, ISO week,
    /// month or year, on the clock of the machine that made it) differs from the last it took, until
    /// its count is spent; --keep-last takes the newest N.
    /// </summary>
    internal static class Retention
    {
        public static HashSet<BackupSnapshot> Keep(IReadOnlyList<BackupSnapshot> snapshots, RetentionPolicy policy)
        {
            var keep = new HashSet<BackupSnapshot>();
            foreach (var group in snapshots.GroupBy(s => (s.HostName ?? string.Empty) + "\n" + string.Join("\n", s.Paths.OrderBy(p => p, StringComparer.Ordinal))))
            {
                var list = group.OrderByDescending(s => s.TimeUtc).ToList();
                var buckets = new List<(Func<DateTimeOffset, int, long> Bucket, int Count, long? Last)>
                {
                    ((d, nr) => nr, policy.Last, null),
                    ((d, nr) => d.Year * 1000000L + d.Month * 10000 + d.Day * 100 + d.Hour, policy.Hourly, null),
                    ((d, nr) => d.Year * 10000L + d.Month * 100 + d.Day, policy.Daily, null),
                    ((d, nr) => IsoWeek(d.DateTime), policy.Weekly, null),
                    ((d, nr) => d.Year * 100L + d.Month, policy.Monthly, null),
                    ((d, nr) => d.Year, policy.Yearly, null),
                };
                for (var nr = 0; nr < list.Count; nr++)
                {
                    for (var i = 0; i < buckets.Count; i++)
                    {
                        var b = buckets[i];
                        if (b.Count <= 0) continue;
                        var value = b.Bucket(list[nr].ClockTime, nr);
                        if (b.Last == value) continue;
                        keep.Add(list[nr]);
                        buckets[i] = (b.Bucket, b.Count - 1, value);
                    }
                }
            }
            return keep;
        }

        /// <summary>The --keep-X counts the snapshots cannot fill ("daily 7: 3 days"), i.e. what the policy promises but the repository lacks.</summary>
        public static List<string> Shortfall(IReadOnlyList<BackupSnapshot> snapshots, RetentionPolicy policy)
        {
            var shortfall = new List<string>();
            void Check(string name, int wanted, Func<DateTimeOffset, long> bucket)
            {
                if (wanted <= 0) return;
                var have = snapshots.Select(s => bucket(s.ClockTime)).Distinct().Count();
                if (have < wanted) shortfall.Add(BackupText.Strings.Format("Retention_Have", name, wanted, have));
            }
            Check("last", policy.Last, d => d.UtcTicks);
            Check("hourly", policy.Hourly, d => d.Year * 1000000L + d.Month * 10000 + d.Day * 100 + d.Hour);
            Check("daily", policy.Daily, d => d.Year * 10000L + d.Month * 100 + d.Day);
            Check("weekly", policy.Weekly, d => IsoWeek(d.DateTime));
            Check("monthly", policy.Monthly, d => d.Year * 100L + d.Month);
            Check("yearly", policy.Yearly, d => d.Year);
            return shortfall;
        }

        private static long IsoWeek(DateTime d)
        {
            // ISO 8601: the week of the Thursday of this week; netstandard2.0 has no ISOWeek.
            var day = ((int)d.DayOfWeek + 6) % 7;
            var thursday = d.Date.AddDays(3 - day);
            var week = (thursday.DayOfYear - 1) / 7 + 1;
            return thursday.Year * 100L + week;
        }
    }
}
