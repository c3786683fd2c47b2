using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Backup
{
    public sealed class BackupManifestOptions
    {
        public static readonly int DefaultThrottleLimit = Environment.ProcessorCount;

        /// <summary>The file to write; null writes none (the result still carries the entries).</summary>
        public string? OutFile { get; set; }
        public BackupManifestFormat Format { get; set; } = BackupManifestFormat.Auto;
        /// <summary>Files hashed at once.</summary>
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        internal BackupManifestFormat EffectiveFormat
            => Format != BackupManifestFormat.Auto ? Format
                : OutFile != null && OutFile.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? BackupManifestFormat.Json : BackupManifestFormat.Sha256Sum;
    }

    /// <summary>
    /// Records a directory tree: every regular file's SHA-256 (in parallel), and for the JSON form
    /// the type, size, mode, modification time and link target of every entry. Input: the root
    /// directories (full paths); one result each.
    /// </summary>
    public sealed class BackupManifestBuilder : IEngine<BackupManifestOptions, string>
    {
        public async Task RunAsync(BackupManifestOptions options, IEnumerable<string> inputs, IEngineSink sink, CancellationToken cancellationToken)
        {
            foreach (var root in inputs)
                sink.Output(await BuildAsync(options, root, sink, cancellationToken).ConfigureAwait(false));
        }

        internal static async Task<BackupManifestResult> BuildAsync(BackupManifestOptions options, string root, IEngineSink sink, CancellationToken token)
        {
            var clock = Stopwatch.StartNew();
            var status = FileStatus.Read(root);
            if (status == null || status.Type != BackupEntryType.Directory)
                throw new TssrException("BackupPathNotDirectory", TssrErrorCategory.ObjectNotFound, root,
                    BackupText.Strings.Format("Error_NotDirectory", root), BackupText.Strings.Get("Action_NotDirectory"));
            var format = options.EffectiveFormat;
            var excluded = new HashSet<string>(StringComparer.Ordinal);
            string? temp = null;
            if (options.OutFile != null)
            {
                temp = options.OutFile + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
                excluded.Add(options.OutFile);
                excluded.Add(temp);
            }
            var (scanned, problems) = TreeScanner.Scan(root, excluded, token);
            var notRecorded = new List<BackupDifference>();
            foreach (var p in problems) notRecorded.Add(new BackupDifference(p.Kind, p.RelativePath, null, null, p.Reason));

            var files = new List<ScannedEntry>();
            var sizes = new List<long>();
            long total = 0;
            foreach (var e in scanned)
            {
                if (e.Status.Type != BackupEntryType.File) continue;
                files.Add(e);
                sizes.Add(e.Status.SizeBytes);
                total += e.Status.SizeBytes;
            }
            var activity = BackupText.Strings.Format("Progress_Hashing", root);
            var outcomes = await ParallelHasher.HashAsync(files.ConvertAll(f => f.FullPath), sizes, options.ThrottleLimit,
                (bytes, count) => sink.Progress(new ProgressReport(activity, BackupText.Strings.Format("Progress_Bytes", Mib(bytes), Mib(total), count, files.Count), ProgressReport.Percent(bytes, total))),
                token).ConfigureAwait(false);
            sink.Progress(new ProgressReport(activity, activity, 100, completed: true));

            var hashes = new Dictionary<string, HashOutcome>(StringComparer.Ordinal);
            for (var i = 0; i < files.Count; i++) hashes[files[i].RelativePath] = outcomes[i];
            var entries = new List<BackupManifestEntry>();
            var notInText = 0;
            foreach (var e in scanned)
            {
                var s = e.Status;
                string? sha = null;
                var size = s.SizeBytes;
                if (s.Type == BackupEntryType.File)
                {
                    var outcome = hashes[e.RelativePath];
                    if (outcome.Sha256 == null)
                    {
                        notRecorded.Add(new BackupDifference(BackupDifferenceKind.Unreadable, e.RelativePath, null, null, outcome.Error));
                        continue;
                    }
                    sha = outcome.Sha256;
                    size = outcome.BytesRead;
                }
                else
                {
                    if (s.Type != BackupEntryType.Directory) notInText++;
                    if (s.Type != BackupEntryType.SymbolicLink) size = 0;
                }
                entries.Add(new BackupManifestEntry(e.RelativePath, s.Type, s.Type == BackupEntryType.File ? size : 0, sha,
                    s.Type == BackupEntryType.SymbolicLink ? null : BackupManifestEntry.FormatMode(s.Mode), s.ModifiedUtc, s.LinkTarget));
            }
            if (format == BackupManifestFormat.Sha256Sum && notInText > 0) sink.Warning(BackupText.Strings.Format("Warning_NotInSha256Sum", notInText));
            foreach (var d in notRecorded) sink.Warning(BackupText.Strings.Format("Warning_NotRecorded", d.Path, d.Detail));

            if (options.OutFile != null)
            {
                try
                {
                    using (var writer = new StreamWriter(new FileStream(temp!, FileMode.CreateNew, FileAccess.Write), new UTF8Encoding(false)))
                    {
                        if (format == BackupManifestFormat.Json) ManifestFile.WriteJson(writer, root, DateTime.UtcNow, entries);
                        else ManifestFile.WriteSha256Sum(writer, entries);
                    }
                    if (File.Exists(options.OutFile)) File.Delete(options.OutFile);
                    File.Move(temp!, options.OutFile);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    try { File.Delete(temp!); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                    throw new TssrException("BackupManifestWriteFailed", TssrErrorCategory.WriteError, options.OutFile,
                        BackupText.Strings.Format("Error_ManifestWrite", options.OutFile, e.Message), BackupText.Strings.Get("Action_ManifestWrite"), e);
                }
            }
            return new BackupManifestResult(root, options.OutFile, format, entries, notRecorded, clock.Elapsed);
        }

        internal static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.CurrentCulture);
    }
}
