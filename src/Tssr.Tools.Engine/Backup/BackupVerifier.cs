using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Backup
{
    public sealed class BackupTestOptions
    {
        /// <summary>The manifest (sha256sum lines or the JSON form) the backup must match.</summary>
        public string? ManifestPath { get; set; }
        /// <summary>Verify a random subset only; null verifies every file.</summary>
        public BackupSample? Sample { get; set; }
        /// <summary>Seed of the sample's draw (the same seed draws the same files).</summary>
        public int? Seed { get; set; }
        public int ThrottleLimit { get; set; } = Environment.ProcessorCount;
    }

    /// <summary>
    /// Test-TssrBackup's engine. Input: the directory (full path) to check; one BackupTestResult each.
    /// </summary>
    public sealed class BackupVerifier : IEngine<BackupTestOptions, string>
    {
        public async Task RunAsync(BackupTestOptions options, IEnumerable<string> inputs, IEngineSink sink, CancellationToken cancellationToken)
        {
            foreach (var path in inputs)
                sink.Output(await VerifyAsync(options, path, sink, cancellationToken).ConfigureAwait(false));
        }

        private static async Task<BackupTestResult> VerifyAsync(BackupTestOptions options, string path, IEngineSink sink, CancellationToken token)
        {
            var clock = Stopwatch.StartNew();
            var status = FileStatus.Read(path);
            if (status == null)
                throw new TssrException("BackupPathNotFound", TssrErrorCategory.ObjectNotFound, path,
                    BackupText.Strings.Format("Error_PathNotFound", path), BackupText.Strings.Get("Action_PathNotFound"));
            if (status.Type != BackupEntryType.Directory)
                throw new TssrException("BackupPathNotDirectory", TssrErrorCategory.InvalidArgument, path,
                    BackupText.Strings.Format("Error_NotDirectory", path), BackupText.Strings.Get("Action_NotDirectory"));
            if (options.ManifestPath == null)
                throw new TssrException("BackupReferenceMissing", TssrErrorCategory.InvalidArgument, path,
                    BackupText.Strings.Format("Error_ReferenceMissing", path), BackupText.Strings.Get("Action_ReferenceMissing"));
            var expected = ManifestFile.Read(options.ManifestPath);
            var excluded = new HashSet<string>(StringComparer.Ordinal) { Path.GetFullPath(options.ManifestPath) };
            var comparison = await TreeComparer.CompareAsync(expected, path, excluded, new CompareRules(), options.Sample, options.Seed, options.ThrottleLimit, sink, token).ConfigureAwait(false);
            return ToResult(BackupSourceKind.Directory, path, options.ManifestPath, comparison, clock.Elapsed);
        }

        internal static BackupTestResult ToResult(BackupSourceKind kind, string source, string? reference, TreeComparison c, TimeSpan duration)
            => new BackupTestResult(kind, source, reference, c.EntryCount, c.FileCount, c.CheckedCount, c.VerifiedCount, c.VerifiedBytes, c.Scope, c.Differences, duration);
    }
}
