using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Backup.Archives;
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

        private static async Task<BackupTestResult> VerifyAsync(BackupTestOptions options, string path, IEngineSink sink, CancellationToken token)
        {
            var clock = Stopwatch.StartNew();
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
            return ToResult(BackupSourceKind.Directory, path, options.ManifestPath, comparison, clock.Elapsed, BackupText.Strings.Get("Integrity_Manifest"));
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
                List<ExpectedEntry> expected;
                string reference;
                if (options.ManifestPath != null)
                {
                    expected = ManifestFile.Read(options.ManifestPath);
                    reference = options.ManifestPath;
                }
                else
                {
                    var source = await BackupManifestBuilder.BuildAsync(new BackupManifestOptions { ThrottleLimit = options.ThrottleLimit, Format = BackupManifestFormat.Json }, options.SourcePath!, sink, token).ConfigureAwait(false);
                    expected = FromEntries(source.Entries);
                    reference = options.SourcePath!;
                }
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
                    comparison.VerifiedBytes, comparison.Scope, differences, clock.Elapsed, BackupText.Strings.Format("Integrity_Restore", BackupText.Strings.Get(check.IntegrityKey)), format.ToString());
            }
        }

        /// <summary>
        /// An archive made with "tar czf a.tgz data/" holds everything under data/: when the reference
        /// has no entry of that name and the sandbox holds only that directory, it is the root.
        /// </summary>
        private static string RestoredRoot(string sandbox, List<ExpectedEntry> expected, IEngineSink sink)
        {
            var top = new DirectoryInfo(sandbox).GetFileSystemInfos();
            if (top.Length != 1 || !(top[0] is DirectoryInfo only) || (only.Attributes & FileAttributes.ReparsePoint) != 0) return sandbox;
            foreach (var e in expected)
            {
                var n = TreeComparer.Normalise(e.Name, sandbox);
                if (n == only.Name || n.StartsWith(only.Name + "/", StringComparison.Ordinal)) return sandbox;
            }
            sink.Verbose(BackupText.Strings.Format("Verbose_ArchiveRoot", only.Name));
            return only.FullName;
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
