using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Backup.Archives;
using Tssr.Tools.Engine.Backup.Repositories;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Backup
{
    public sealed class BackupTestOptions
    {
        /// <summary>The manifest (sha256sum lines or the JSON form) the backup must match.</summary>
        public string? ManifestPath { get; set; }
        /// <summary>The source directory an archive is restored and compared against.</summary>
        public string? SourcePath { get; set; }
        /// <summary>Verify a random subset only; null verifies every file.</summary>
        public BackupSample? Sample { get; set; }
        /// <summary>Seed of the sample's draw (the same seed draws the same files).</summary>
        public int? Seed { get; set; }
        public int ThrottleLimit { get; set; } = Environment.ProcessorCount;
        public ArchiveLimits Limits { get; set; } = new ArchiveLimits();
        /// <summary>Where the restore sandbox is made; the system's temporary folder when null.</summary>
        public string? SandboxParent { get; set; }
        /// <summary>Set when the inputs are restic or borg repositories rather than paths.</summary>
        public RepositoryKind? Repository { get; set; }
        /// <summary>The repository password (given to the child process in its environment only).</summary>
        public string? Password { get; set; }
        /// <summary>The snapshot (restic id or prefix, "latest") or borg archive name to restore; the newest when null.</summary>
        public string? Snapshot { get; set; }
        /// <summary>The restic or borg executable; found on PATH when null.</summary>
        public string? ProgramPath { get; set; }
        /// <summary>Replaces the real program (tests replay recorded outputs).</summary>
        internal IBackupProgram? Program { get; set; }
    }

    /// <summary>
    /// Test-TssrBackup's engine. Input: the directory or archive (full path) to check; one
    /// BackupTestResult each. A directory is compared with a manifest; an archive is read to the end
    /// and, given a manifest or a source directory, restored into a sandbox and compared.
    /// </summary>
    public sealed class BackupVerifier : IEngine<BackupTestOptions, string>
    {
        public async Task RunAsync(BackupTestOptions options, IEnumerable<string> inputs, IEngineSink sink, CancellationToken cancellationToken)
        {
            foreach (var path in inputs)
                sink.Output(await VerifyAsync(options, path, sink, cancellationToken).ConfigureAwait(false));
        }

        internal static async Task<BackupTestResult> VerifyAsync(BackupTestOptions options, string path, IEngineSink sink, CancellationToken token)
        {
            var clock = Stopwatch.StartNew();
            if (options.Repository.HasValue) return await VerifyRepositoryAsync(options, path, sink, token, clock).ConfigureAwait(false);
            var status = FileStatus.Read(path);
            if (status == null)
                throw new TssrException("BackupPathNotFound", TssrErrorCategory.ObjectNotFound, path,
                    BackupText.Strings.Format("Error_PathNotFound", path), BackupText.Strings.Get("Action_PathNotFound"));
            if (status.Type == BackupEntryType.File) return await VerifyArchiveAsync(options, path, sink, token, clock).ConfigureAwait(false);
            if (status.Type != BackupEntryType.Directory)
                throw new TssrException("BackupPathNotDirectory", TssrErrorCategory.InvalidArgument, path,
                    BackupText.Strings.Format("Error_NotDirectory", path), BackupText.Strings.Get("Action_NotDirectory"));
            if (options.ManifestPath == null)
                throw new TssrException("BackupReferenceMissing", TssrErrorCategory.InvalidArgument, path,
                    BackupText.Strings.Format("Error_ReferenceMissing", path), BackupText.Strings.Get("Action_ReferenceMissing"));
            var expected = ManifestFile.Read(options.ManifestPath);
            var excluded = new HashSet<string>(StringComparer.Ordinal) { Path.GetFullPath(options.ManifestPath) };
            var comparison = await TreeComparer.CompareAsync(expected, path, excluded, new CompareRules(), options.Sample, options.Seed, options.ThrottleLimit, sink, token).ConfigureAwait(false);
            var result = ToResult(BackupSourceKind.Directory, path, options.ManifestPath, comparison, clock.Elapsed, BackupText.Strings.Get("Integrity_Manifest"));
            result.VerifiedHashes = comparison.VerifiedHashes;
            return result;
        }

        private static async Task<BackupTestResult> VerifyArchiveAsync(BackupTestOptions options, string path, IEngineSink sink, CancellationToken token, Stopwatch clock)
        {
            var format = ArchiveFormats.Detect(path) ?? throw new TssrException("BackupFormatUnknown", TssrErrorCategory.InvalidData, path,
                BackupText.Strings.Format("Error_FormatUnknown", path), BackupText.Strings.Get("Action_FormatUnknown"));
            if (options.ManifestPath == null && options.SourcePath == null)
            {
                if (options.Sample != null) sink.Warning(BackupText.Strings.Get("Warning_SampleIgnored"));
                var check = ArchiveChecker.Check(path, format, options.Limits, null, sink, token);
                var integrity = BackupText.Strings.Get(check.IntegrityKey);
                return new BackupTestResult(BackupSourceKind.Archive, path, null, check.EntryCount, check.FileCount, check.CheckedCount, check.VerifiedCount,
                    check.VerifiedBytes, null, check.Differences, clock.Elapsed, integrity, format.ToString(), check.ChecksContent);
            }
            using (var sandbox = Sandbox.Create(options.SandboxParent))
            {
                var (expected, reference) = await ReferenceAsync(options, sink, token).ConfigureAwait(false);
                ArchiveCheck check;
                try { check = ArchiveChecker.Check(path, format, options.Limits, sandbox.Root, sink, token); }
                catch (IOException e) when (ArchiveChecker.IsDiskFull(e))
                {
                    throw new TssrException("BackupSandboxFull", TssrErrorCategory.WriteError, sandbox.Root,
                        BackupText.Strings.Format("Error_SandboxFull", sandbox.Root, e.Message), BackupText.Strings.Get("Action_SandboxFull"), e);
                }
                var root = RestoredRoot(sandbox.Root, expected, sink);
                var rules = new CompareRules { ModifiedTimeTolerance = format == ArchiveFormat.Zip ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(1) };
                var comparison = await TreeComparer.CompareAsync(expected, root, new HashSet<string>(), rules, options.Sample, options.Seed, options.ThrottleLimit, sink, token).ConfigureAwait(false);
                var differences = new List<BackupDifference>(check.Differences);
                differences.AddRange(comparison.Differences);
                return new BackupTestResult(BackupSourceKind.Archive, path, reference, comparison.EntryCount, comparison.FileCount, comparison.CheckedCount, comparison.VerifiedCount,
                    comparison.VerifiedBytes, comparison.Scope, differences, clock.Elapsed, BackupText.Strings.Format("Integrity_Restore", BackupText.Strings.Get(check.IntegrityKey)), format.ToString())
                { VerifiedHashes = comparison.VerifiedHashes };
            }
        }

        private static async Task<BackupTestResult> VerifyRepositoryAsync(BackupTestOptions options, string repository, IEngineSink sink, CancellationToken token, Stopwatch clock)
        {
            var kind = options.Repository!.Value;
            var name = kind == RepositoryKind.Restic ? "restic" : "borg";
            var program = options.Program;
            if (program == null)
            {
                var exe = LocalBackupProgram.Find(name, options.ProgramPath) ?? throw new TssrException("BackupProgramNotFound", TssrErrorCategory.NotInstalled, options.ProgramPath ?? name,
                    BackupText.Strings.Format("Error_ProgramNotFound", options.ProgramPath ?? name), BackupText.Strings.Format("Action_ProgramNotFound", name));
                program = new LocalBackupProgram(exe);
            }
            // borg rebuilds a missing index from the segments without a word: say so before it does.
            if (kind == RepositoryKind.Borg && options.Program == null && System.IO.Directory.Exists(Path.Combine(repository, "data"))
                && System.IO.Directory.GetFiles(repository, "index.*").Length == 0)
                sink.Warning(BackupText.Strings.Format("Warning_BorgIndexMissing", repository));
            var client = new RepositoryClient(kind, program, repository, options.Password);
            var sourceKind = kind == RepositoryKind.Restic ? BackupSourceKind.ResticRepository : BackupSourceKind.BorgRepository;
            var activity = BackupText.Strings.Format("Progress_Repository", repository);
            sink.Progress(new ProgressReport(activity, BackupText.Strings.Get("Progress_Snapshots"), -1));
            // A repository whose listing fails is still checked: the check names the damage better than the listing's error.
            List<BackupSnapshot> snapshots;
            TssrException? listingFailure = null;
            try { snapshots = await client.SnapshotsAsync(token).ConfigureAwait(false); }
            catch (TssrException e) when (e.Error.ErrorId == "BackupProgramFailed")
            {
                listingFailure = e;
                snapshots = new List<BackupSnapshot>();
            }
            BackupSnapshot? chosen = null;
            if (options.Snapshot != null && options.Snapshot != "latest" && listingFailure == null)
            {
                chosen = snapshots.Find(x => x.Id.StartsWith(options.Snapshot, StringComparison.Ordinal) || x.ShortId == options.Snapshot)
                    ?? throw new TssrException("BackupSnapshotNotFound", TssrErrorCategory.ObjectNotFound, options.Snapshot,
                        BackupText.Strings.Format("Error_SnapshotNotFound", options.Snapshot, repository, snapshots.Count), BackupText.Strings.Get("Action_SnapshotNotFound"));
            }
            else if (snapshots.Count > 0) chosen = snapshots[snapshots.Count - 1];

            double? subset = null;
            string? scope = null;
            if (options.Sample != null)
            {
                if (kind == RepositoryKind.Borg) sink.Warning(BackupText.Strings.Get("Warning_BorgNoSubset"));
                else if (!options.Sample.Percent.HasValue)
                    throw new TssrException("BackupSampleInvalid", TssrErrorCategory.InvalidArgument, options.Sample.ToString(),
                        BackupText.Strings.Format("Error_SampleRepository", options.Sample), BackupText.Strings.Get("Action_SampleInvalid"));
                else { subset = options.Sample.Percent; scope = BackupText.Strings.Format("Scope_ReadDataSubset", options.Sample); }
            }
            sink.Progress(new ProgressReport(activity, BackupText.Strings.Format("Progress_RepositoryCheck", name), -1));
            var problems = await client.CheckAsync(subset, token).ConfigureAwait(false);
            var differences = new List<BackupDifference>();
            if (listingFailure != null) differences.Add(new BackupDifference(BackupDifferenceKind.Corrupt, repository, null, null, listingFailure.Message));
            foreach (var p in problems) differences.Add(new BackupDifference(BackupDifferenceKind.Corrupt, repository, null, null, p));
            var integrity = BackupText.Strings.Get(kind == RepositoryKind.Restic ? (subset.HasValue ? "Integrity_ResticSubset" : "Integrity_Restic") : "Integrity_Borg");

            if (options.ManifestPath == null && options.SourcePath == null || listingFailure != null)
            {
                var verified = differences.Count == 0 ? snapshots.Count : 0;
                return new BackupTestResult(sourceKind, repository, chosen?.ShortId, snapshots.Count, snapshots.Count, snapshots.Count, verified, 0, scope, differences, clock.Elapsed, integrity,
                    coveragePercent: differences.Count == 0 && snapshots.Count > 0 ? subset ?? 100 : 0);
            }
            if (chosen == null)
                throw new TssrException("BackupSnapshotNotFound", TssrErrorCategory.ObjectNotFound, repository,
                    BackupText.Strings.Format("Error_NoSnapshot", repository), BackupText.Strings.Get("Action_SnapshotNotFound"));
            using (var sandbox = Sandbox.Create(options.SandboxParent))
            {
                var expected = await ReferenceAsync(options, sink, token).ConfigureAwait(false);
                sink.Progress(new ProgressReport(activity, BackupText.Strings.Format("Progress_Restore", chosen.ShortId), -1));
                try { await client.RestoreAsync(chosen, sandbox.Root, token).ConfigureAwait(false); }
                catch (System.IO.IOException e) when (ArchiveChecker.IsDiskFull(e))
                {
                    throw new TssrException("BackupSandboxFull", TssrErrorCategory.WriteError, sandbox.Root,
                        BackupText.Strings.Format("Error_SandboxFull", sandbox.Root, e.Message), BackupText.Strings.Get("Action_SandboxFull"), e);
                }
                // restic and borg restore a snapshot's paths below the target, with or without their parents: go down
                // while one directory holds everything and the reference has no entry of that name.
                var root = RestoredRoot(sandbox.Root, expected.Entries, sink, descend: true);
                var comparison = await TreeComparer.CompareAsync(expected.Entries, root, new HashSet<string>(), new CompareRules { ModifiedTimeTolerance = TimeSpan.FromSeconds(1) },
                    options.Sample, options.Seed, options.ThrottleLimit, sink, token).ConfigureAwait(false);
                differences.AddRange(comparison.Differences);
                return new BackupTestResult(sourceKind, repository, expected.Reference + " @ " + chosen.ShortId, comparison.EntryCount, comparison.FileCount, comparison.CheckedCount,
                    comparison.VerifiedCount, comparison.VerifiedBytes, comparison.Scope ?? scope, differences, clock.Elapsed,
                    BackupText.Strings.Format("Integrity_RepositoryRestore", integrity)) { VerifiedHashes = comparison.VerifiedHashes };
            }
        }

        private static async Task<(List<ExpectedEntry> Entries, string Reference)> ReferenceAsync(BackupTestOptions options, IEngineSink sink, CancellationToken token)
        {
            if (options.ManifestPath != null) return (ManifestFile.Read(options.ManifestPath), options.ManifestPath);
            var source = await BackupManifestBuilder.BuildAsync(new BackupManifestOptions { ThrottleLimit = options.ThrottleLimit, Format = BackupManifestFormat.Json }, options.SourcePath!, sink, token).ConfigureAwait(false);
            return (FromEntries(source.Entries), options.SourcePath!);
        }

        /// <summary>
        /// An archive made with "tar czf a.tgz data/" holds everything under data/: when the reference
        /// has no entry of that name and the sandbox holds only that directory, it is the root.
        /// </summary>
        private static string RestoredRoot(string sandbox, List<ExpectedEntry> expected, IEngineSink sink, bool descend = false)
        {
            // borg keeps absolute paths without their leading '/': go down while a single directory holds everything.
            var root = sandbox;
            while (true)
            {
                var top = new DirectoryInfo(root).GetFileSystemInfos();
                if (top.Length != 1 || !(top[0] is DirectoryInfo only) || (only.Attributes & FileAttributes.ReparsePoint) != 0) return root;
                foreach (var e in expected)
                {
                    var n = TreeComparer.Normalise(e.Name, root);
                    if (n == only.Name || n.StartsWith(only.Name + "/", StringComparison.Ordinal)) return root;
                }
                sink.Verbose(BackupText.Strings.Format("Verbose_ArchiveRoot", only.Name));
                root = only.FullName;
                if (!descend) return root;
            }
        }

        private static List<ExpectedEntry> FromEntries(IEnumerable<BackupManifestEntry> entries)
        {
            var list = new List<ExpectedEntry>();
            var line = 0;
            foreach (var e in entries)
                list.Add(new ExpectedEntry(e.Path, ++line)
                {
                    Type = e.Type,
                    Sha256 = e.Sha256,
                    SizeBytes = e.Type == BackupEntryType.File ? e.SizeBytes : (long?)null,
                    Mode = e.Mode,
                    ModifiedUtc = e.ModifiedUtc,
                    LinkTarget = e.LinkTarget,
                });
            return list;
        }

        internal static BackupTestResult ToResult(BackupSourceKind kind, string source, string? reference, TreeComparison c, TimeSpan duration, string integrity)
            => new BackupTestResult(kind, source, reference, c.EntryCount, c.FileCount, c.CheckedCount, c.VerifiedCount, c.VerifiedBytes, c.Scope, c.Differences, duration, integrity);
    }
}
