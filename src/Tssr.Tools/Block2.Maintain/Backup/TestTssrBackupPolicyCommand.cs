using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Tssr.Tools.Engine.Backup;
using Tssr.Tools.Engine.Backup.Repositories;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools
{
    /// <summary>
    /// Checks a backup policy: RPO (age of the newest snapshot against -MaxAge), retention as restic
    /// forget counts it, and the 3-2-1 rule from a described list of locations; one object with each
    /// rule's verdict and why.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "TssrBackupPolicy", DefaultParameterSetName = ByTime)]
    [OutputType(typeof(BackupPolicyResult))]
    [Competency(Competency.BackupAndRestore)]
    public sealed class TestTssrBackupPolicyCommand : TssrCmdlet
    {
        private const string ByTime = nameof(ByTime);
        private const string ByRestic = nameof(ByRestic);
        private const string ByBorg = nameof(ByBorg);

        /// <summary>The restic repository whose snapshots are judged.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByRestic)]
        [ValidateNotNullOrEmpty]
        public string? ResticRepository { get; set; }

        /// <summary>The borg repository whose archives are judged.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByBorg)]
        [ValidateNotNullOrEmpty]
        public string? BorgRepository { get; set; }

        /// <summary>The repository's password, passed to restic or borg in its environment only.</summary>
        [Parameter(ParameterSetName = ByRestic)]
        [Parameter(ParameterSetName = ByBorg)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>The restic or borg executable, when not the one on PATH.</summary>
        [Parameter(ParameterSetName = ByRestic)]
        [Parameter(ParameterSetName = ByBorg)]
        [ValidateNotNullOrEmpty]
        public string? ProgramPath { get; set; }

        /// <summary>The times of the backups, when they come from elsewhere (a log, another tool).</summary>
        [Parameter(ParameterSetName = ByTime)]
        public DateTime[] SnapshotTime { get; set; } = Array.Empty<DateTime>();

        /// <summary>RPO: the newest snapshot must be younger than this.</summary>
        [Parameter]
        public TimeSpan? MaxAge { get; set; }

        /// <summary>Retention: the newest N snapshots (restic forget --keep-last).</summary>
        [Parameter] [ValidateRange(0, 100000)] public int KeepLast { get; set; }
        /// <summary>Retention: one per hour for N hours (--keep-hourly).</summary>
        [Parameter] [ValidateRange(0, 100000)] public int KeepHourly { get; set; }
        /// <summary>Retention: one per day for N days (--keep-daily).</summary>
        [Parameter] [ValidateRange(0, 100000)] public int KeepDaily { get; set; }
        /// <summary>Retention: one per ISO week for N weeks (--keep-weekly).</summary>
        [Parameter] [ValidateRange(0, 100000)] public int KeepWeekly { get; set; }
        /// <summary>Retention: one per month for N months (--keep-monthly).</summary>
        [Parameter] [ValidateRange(0, 100000)] public int KeepMonthly { get; set; }
        /// <summary>Retention: one per year for N years (--keep-yearly).</summary>
        [Parameter] [ValidateRange(0, 100000)] public int KeepYearly { get; set; }

        /// <summary>The copies of the data for the 3-2-1 rule: hashtables or objects with Name, Media and OffSite.</summary>
        [Parameter]
        public object[] Location { get; set; } = Array.Empty<object>();

        protected override void EndProcessing()
        {
            var locations = new List<BackupLocation>();
            foreach (var item in Location) locations.Add(ReadLocation(item));
            var options = new BackupPolicyOptions
            {
                MaxAge = MaxAge,
                Retention = new RetentionPolicy { Last = KeepLast, Hourly = KeepHourly, Daily = KeepDaily, Weekly = KeepWeekly, Monthly = KeepMonthly, Yearly = KeepYearly },
                Locations = locations,
            };
            var input = new BackupPolicyInput();
            if (ParameterSetName == ByTime)
            {
                var snapshots = new List<BackupSnapshot>();
                var n = 0;
                foreach (var t in SnapshotTime)
                {
                    var utc = t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Local).ToUniversalTime() : t.ToUniversalTime();
                    var id = "time-" + (++n);
                    snapshots.Add(new BackupSnapshot(id, id, utc, new string[0], null, new DateTimeOffset(utc).ToLocalTime()));
                }
                input.Snapshots = snapshots;
                input.Source = "SnapshotTime";
            }
            else
            {
                var repository = (ResticRepository ?? BorgRepository)!;
                if (repository.IndexOf(':') < 0) repository = SessionState.Path.GetUnresolvedProviderPathFromPSPath(repository);
                input.Source = repository;
                input.Repository = ParameterSetName == ByRestic ? RepositoryKind.Restic : RepositoryKind.Borg;
                input.Password = Credential?.GetNetworkCredential().Password;
                input.ProgramPath = ProgramPath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ProgramPath);
            }
            RunEngine(new BackupPolicyChecker(), options, new[] { input });
        }

        private BackupLocation ReadLocation(object item)
        {
            var o = item is PSObject ps ? ps.BaseObject : item;
            string? Get(string key)
            {
                if (o is IDictionary d)
                {
                    foreach (DictionaryEntry e in d)
                        if (string.Equals(e.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase)) return e.Value?.ToString();
                    return null;
                }
                return PSObject.AsPSObject(item).Properties[key]?.Value?.ToString();
            }
            var name = Get("Name");
            var media = Get("Media");
            var offSite = Get("OffSite");
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(media) || (offSite != null && !bool.TryParse(offSite, out _)))
                ThrowParameterError("BackupLocationInvalid", item, BackupText.Strings.Format("Error_LocationInvalid", item), BackupText.Strings.Get("Action_LocationInvalid"));
            return new BackupLocation(name!, media!, offSite != null && bool.Parse(offSite));
        }
    }
}
