using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Backup
{
    public sealed class RestoreDrillOptions
    {
        /// <summary>What to restore and compare with (the same options as Test-TssrBackup's).</summary>
        public BackupTestOptions Test { get; set; } = new BackupTestOptions();
        /// <summary>The recovery time objective the drill is measured against; none when null.</summary>
        public TimeSpan? TargetRto { get; set; }
    }

    /// <summary>
    /// The evidence of one timed restore drill: what was restored from where, when, by whom, how long it
    /// took against the target, what was verified (the SHA-256 of each file, and one digest of them all).
    /// </summary>
    public sealed class RestoreDrillResult
    {
        internal RestoreDrillResult(BackupTestResult test, DateTime started, DateTime finished, TimeSpan elapsed, TimeSpan? target)
        {
            Test = test;
            StartedUtc = started;
            FinishedUtc = finished;
            RtoSec = Math.Round(elapsed.TotalSeconds, 3);
            TargetRtoSec = target.HasValue ? Math.Round(target.Value.TotalSeconds, 3) : (double?)null;
            MeetsTarget = target.HasValue ? elapsed <= target.Value : (bool?)null;
            PerformedBy = Environment.UserName + "@" + Environment.MachineName;
            CheckedFiles = new ValueList<string>(test.VerifiedHashes);
            using (var sha = SHA256.Create())
                EvidenceSha256 = Sha256SumFormat.ToHex(sha.ComputeHash(Encoding.UTF8.GetBytes(string.Join("\n", test.VerifiedHashes) + "\n")));
            Status = test.Status == BackupTestStatus.Passed && MeetsTarget != false ? BackupRuleStatus.Passed : BackupRuleStatus.Failed;
            Message = Status == BackupRuleStatus.Passed
                ? BackupText.Strings.Format("Drill_Passed", RtoSec, TargetRtoSec?.ToString() ?? "-", test.VerifiedCount, test.CoveragePercent)
                : BackupText.Strings.Format("Drill_Failed", RtoSec, TargetRtoSec?.ToString() ?? "-", test.Status, test.Message);
        }

        /// <summary>Passed when the restore verified and (given a target) was fast enough.</summary>
        public BackupRuleStatus Status { get; }
        public double RtoSec { get; }
        public double? TargetRtoSec { get; }
        public bool? MeetsTarget { get; }
        public string Source => Test.Source;
        public BackupSourceKind SourceKind => Test.SourceKind;
        /// <summary>The reference compared with, and the snapshot restored (repositories).</summary>
        public string? Reference => Test.Reference;
        public DateTime StartedUtc { get; }
        public DateTime FinishedUtc { get; }
        /// <summary>user@machine that ran the drill.</summary>
        public string PerformedBy { get; }
        public int VerifiedCount => Test.VerifiedCount;
        public int FileCount => Test.FileCount;
        public double CoveragePercent => Test.CoveragePercent;
        public long VerifiedBytes => Test.VerifiedBytes;
        public int DifferenceCount => Test.Differences.Count;
        /// <summary>SHA-256 of the sha256sum lines of CheckedFiles: one value a report can quote.</summary>
        public string EvidenceSha256 { get; }
        /// <summary>"sha256  path" of every file verified.</summary>
        public ValueList<string> CheckedFiles { get; }
        /// <summary>The full comparison (differences, integrity, scope).</summary>
        public BackupTestResult Test { get; }
        public string Message { get; }
        public override string ToString() => Status + ": " + Message;
    }

    /// <summary>Measure-TssrRestore's engine: one timed drill per input (a path or repository).</summary>
    public sealed class RestoreDrill : IEngine<RestoreDrillOptions, string>
    {
        public async Task RunAsync(RestoreDrillOptions options, IEnumerable<string> inputs, IEngineSink sink, CancellationToken cancellationToken)
        {
            foreach (var input in inputs)
            {
                if (options.Test.ManifestPath == null && options.Test.SourcePath == null)
                    throw new TssrException("BackupReferenceMissing", TssrErrorCategory.InvalidArgument, input,
                        BackupText.Strings.Format("Error_DrillReference", input), BackupText.Strings.Get("Action_ReferenceMissing"));
                var started = DateTime.UtcNow;
                var clock = Stopwatch.StartNew();
                var test = await BackupVerifier.VerifyAsync(options.Test, input, sink, cancellationToken).ConfigureAwait(false);
                clock.Stop();
                sink.Output(new RestoreDrillResult(test, started, started + clock.Elapsed, clock.Elapsed, options.TargetRto));
            }
        }
    }
}
