using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Backup
{
    /// <summary>Counts of a comparison, and every difference found.</summary>
    internal sealed class TreeComparison
    {
        public List<BackupDifference> Differences { get; } = new List<BackupDifference>();
        public int EntryCount { get; set; }
        public int FileCount { get; set; }
        public int CheckedCount { get; set; }
        public int VerifiedCount { get; set; }
        public long VerifiedBytes { get; set; }
        /// <summary>"sha256  path" of every file verified: the evidence of a restore drill.</summary>
        public List<string> VerifiedHashes { get; } = new List<string>();
        /// <summary>The sample drawn, said in words; null for a full check.</summary>
        public string? Scope { get; set; }
    }

    /// <summary>What a comparison looks at besides content.</summary>
    internal sealed class CompareRules
    {
        public bool CompareMode { get; set; } = true;
        public bool CompareModifiedTime { get; set; } = true;
        /// <summary>Modification times closer than this are equal (tar keeps seconds, zip two seconds).</summary>
        public TimeSpan ModifiedTimeTolerance { get; set; } = TimeSpan.Zero;
        public bool CompareDirectoryTimes { get; set; }
    }

    /// <summary>
    /// Compares what a manifest expects with a directory tree: missing, extra, changed, unreadable and
    /// unverifiable entries, each named; content hashed in parallel (all files, or a random sample),
    /// and where the manifest records them, type, size, mode, modification time and link target.
    /// </summary>
    internal static class TreeComparer
    {
        public static async Task<TreeComparison> CompareAsync(IReadOnlyList<ExpectedEntry> expected, string root, ICollection<string> excluded, CompareRules rules,
            BackupSample? sample, int? seed, int throttle, IEngineSink sink, CancellationToken token)
        {
            var result = new TreeComparison { EntryCount = expected.Count };
            var (scanned, problems) = TreeScanner.Scan(root, excluded, token);
            var actual = new Dictionary<string, ScannedEntry>(StringComparer.Ordinal);
            foreach (var e in scanned) actual[e.RelativePath] = e;
            var expectedNames = new HashSet<string>(StringComparer.Ordinal);
            var typed = false;
            var toHash = new List<(ExpectedEntry Entry, string FullPath, long Size)>();
            var files = new List<ExpectedEntry>();
            foreach (var raw in expected)
            {
                if (raw.Type.HasValue) typed = true;
                if (raw.Type.HasValue && raw.Type != BackupEntryType.File) continue;
                files.Add(raw);
            }
            result.FileCount = files.Count;

            var sampled = new HashSet<ExpectedEntry>();
            if (sample != null)
            {
                var size = sample.SizeFor(files.Count);
                var random = seed.HasValue ? new Random(seed.Value) : new Random();
                var pool = new List<ExpectedEntry>(files);
                for (var i = 0; i < size; i++)
                {
                    var j = i + random.Next(pool.Count - i);
                    var tmp = pool[i]; pool[i] = pool[j]; pool[j] = tmp;
                    sampled.Add(pool[i]);
                }
                result.Scope = BackupText.Strings.Format("Scope_Sample", sample, size, files.Count);
            }

            foreach (var entry in expected)
            {
                var name = Normalise(entry.Name, root);
                if (!expectedNames.Add(name))
                {
                    sink.Warning(BackupText.Strings.Format("Warning_DuplicateName", name, entry.Line));
                    continue;
                }
                if (entry.NameNotUtf8)
                {
                    result.Differences.Add(new BackupDifference(BackupDifferenceKind.Unverifiable, name, null, null, BackupText.Strings.Get("Reason_NameNotUtf8")));
                    continue;
                }
                if (!actual.TryGetValue(name, out var found))
                {
                    if (!IsUnderProblem(name, problems)) result.Differences.Add(new BackupDifference(BackupDifferenceKind.Missing, name, null, null, null));
                    continue;
                }
                var s = found.Status;
                var expectedType = entry.Type ?? BackupEntryType.File;
                var actualType = s.Type;
                var fullPath = found.FullPath;
                long size = s.SizeBytes;
                if (!entry.Type.HasValue && actualType == BackupEntryType.SymbolicLink)
                {
                    // sha256sum -c follows links: so does the check of its manifests.
                    var target = FileStatusFollow(fullPath);
                    if (target != null) { actualType = target.Type; size = target.SizeBytes; }
                }
                if (actualType != expectedType)
                {
                    result.Differences.Add(new BackupDifference(BackupDifferenceKind.TypeDiffers, name, expectedType.ToString(), actualType.ToString(), null));
                    continue;
                }
                if (entry.Type.HasValue)
                {
                    if (rules.CompareMode && entry.Mode != null && actualType != BackupEntryType.SymbolicLink)
                    {
                        var mode = BackupManifestEntry.FormatMode(s.Mode);
                        if (mode != null && mode != entry.Mode) result.Differences.Add(new BackupDifference(BackupDifferenceKind.ModeDiffers, name, entry.Mode, mode, null));
                    }
                    if (rules.CompareModifiedTime && entry.ModifiedUtc.HasValue && actualType != BackupEntryType.SymbolicLink
                        && (actualType != BackupEntryType.Directory || rules.CompareDirectoryTimes))
                    {
                        var delta = (s.ModifiedUtc - entry.ModifiedUtc.Value).Duration();
                        if (delta > rules.ModifiedTimeTolerance)
                            result.Differences.Add(new BackupDifference(BackupDifferenceKind.ModifiedTimeDiffers, name,
                                BackupManifestEntry.FormatTime(entry.ModifiedUtc.Value), BackupManifestEntry.FormatTime(s.ModifiedUtc), null));
                    }
                    if (actualType == BackupEntryType.SymbolicLink && entry.LinkTarget != s.LinkTarget)
                        result.Differences.Add(new BackupDifference(BackupDifferenceKind.LinkTargetDiffers, name, entry.LinkTarget, s.LinkTarget, null));
                }
                if (expectedType != BackupEntryType.File) continue;
                if (sample != null && !sampled.Contains(entry)) continue;
                if (entry.SizeBytes.HasValue && entry.SizeBytes.Value != size)
                {
                    result.CheckedCount++;
                    result.Differences.Add(new BackupDifference(BackupDifferenceKind.Changed, name, entry.SizeBytes + " B", size + " B", BackupText.Strings.Get("Reason_SizeDiffers")));
                    continue;
                }
                toHash.Add((entry, fullPath, size));
            }

            foreach (var e in scanned)
            {
                if (expectedNames.Contains(e.RelativePath)) continue;
                // A sha256sum manifest lists regular files only: directories, links and special files are not extras.
                if (!typed && e.Status.Type != BackupEntryType.File) continue;
                result.Differences.Add(new BackupDifference(BackupDifferenceKind.Extra, e.RelativePath, null, e.Status.Type.ToString(), null));
            }
            foreach (var p in problems)
                if (!expectedNames.Contains(p.RelativePath) || p.Kind != BackupDifferenceKind.Unverifiable)
                    result.Differences.Add(new BackupDifference(p.Kind, p.RelativePath, null, null, p.Reason));

            long total = 0;
            foreach (var h in toHash) total += h.Size;
            var activity = BackupText.Strings.Format("Progress_Verifying", root);
            var outcomes = await ParallelHasher.HashAsync(toHash.ConvertAll(h => h.FullPath), toHash.ConvertAll(h => h.Size), throttle,
                (bytes, count) => sink.Progress(new ProgressReport(activity, BackupText.Strings.Format("Progress_Bytes", BackupManifestBuilder.Mib(bytes), BackupManifestBuilder.Mib(total), count, toHash.Count), ProgressReport.Percent(bytes, total))),
                token).ConfigureAwait(false);
            sink.Progress(new ProgressReport(activity, activity, 100, completed: true));
            for (var i = 0; i < toHash.Count; i++)
            {
                var (entry, _, _) = toHash[i];
                var name = Normalise(entry.Name, root);
                var outcome = outcomes[i];
                result.CheckedCount++;
                if (outcome.Sha256 == null)
                    result.Differences.Add(new BackupDifference(BackupDifferenceKind.Unreadable, name, null, null, outcome.Error));
                else if (!string.Equals(outcome.Sha256, entry.Sha256, StringComparison.OrdinalIgnoreCase))
                    result.Differences.Add(new BackupDifference(BackupDifferenceKind.Changed, name, entry.Sha256, outcome.Sha256, null));
                else
                {
                    result.VerifiedCount++;
                    result.VerifiedBytes += outcome.BytesRead;
                    result.VerifiedHashes.Add(Sha256SumFormat.FormatLine(outcome.Sha256, name));
                }
            }
            result.Differences.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            return result;
        }

        private static FileStatus? FileStatusFollow(string path)
        {
            if (System.IO.Directory.Exists(path)) return FileStatus.ForDirectory();
            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1)) return FileStatus.ForFile(stream.Length);
            }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
        }

        /// <summary>sha256sum names: "./a" is "a"; an absolute name under the root becomes relative.</summary>
        internal static string Normalise(string name, string root)
        {
            var n = name;
            var rootSlash = root.EndsWith("/", StringComparison.Ordinal) ? root : root + "/";
            if (n.StartsWith(rootSlash, StringComparison.Ordinal)) n = n.Substring(rootSlash.Length);
            while (n.StartsWith("./", StringComparison.Ordinal)) n = n.Substring(2);
            return n;
        }

        private static bool IsUnderProblem(string name, List<ScanProblem> problems)
        {
            foreach (var p in problems)
                if (name == p.RelativePath || name.StartsWith(p.RelativePath + "/", StringComparison.Ordinal) || p.RelativePath == ".") return true;
            return false;
        }
    }
}
