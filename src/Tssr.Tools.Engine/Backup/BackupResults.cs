using System;
using System.Collections.Generic;
using System.Globalization;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Backup
{
    /// <summary>What is wrong with one entry.</summary>
    public enum BackupDifferenceKind
    {
        /// <summary>Listed in the reference, absent from what was checked.</summary>
        Missing,
        /// <summary>Present in what was checked, not listed in the reference.</summary>
        Extra,
        /// <summary>The content's SHA-256 (or size) differs.</summary>
        Changed,
        /// <summary>Present but could not be read (permission, I/O error).</summary>
        Unreadable,
        /// <summary>Cannot be checked at all (a name that is not UTF-8 cannot be opened under its true name from .NET).</summary>
        Unverifiable,
        /// <summary>A file where a directory or link was expected, or the reverse.</summary>
        TypeDiffers,
        ModeDiffers,
        ModifiedTimeDiffers,
        LinkTargetDiffers,
        /// <summary>An archive entry refused as hostile (path out of the tree, link out, device, bomb...).</summary>
        Refused,
        /// <summary>The archive or repository itself is damaged (truncated, bad checksum).</summary>
        Corrupt,
    }

    /// <summary>One difference found, named by its entry.</summary>
    public sealed class BackupDifference
    {
        public BackupDifference(BackupDifferenceKind kind, string path, string? expected, string? actual, string? detail)
        {
            Kind = kind;
            Path = path;
            Expected = expected;
            Actual = actual;
            Detail = detail;
        }

        public BackupDifferenceKind Kind { get; }
        /// <summary>The entry's path relative to the root (or the archive member's name).</summary>
        public string Path { get; }
        public string? Expected { get; }
        public string? Actual { get; }
        public string? Detail { get; }

        public override string ToString()
        {
            var text = Kind + " " + Path;
            if (Expected != null || Actual != null) text += " (" + (Expected ?? "-") + " -> " + (Actual ?? "-") + ")";
            if (!string.IsNullOrEmpty(Detail)) text += ": " + Detail;
            return text;
        }
    }

    /// <summary>The verdict of a backup check.</summary>
    public enum BackupTestStatus
    {
        /// <summary>Every entry checked matched, at least one file's content was verified.</summary>
        Passed,
        /// <summary>At least one difference; each is in Differences.</summary>
        Failed,
        /// <summary>No file's content was verified (an empty manifest, nothing in common): a failure, never a pass.</summary>
        NothingVerified,
    }

    /// <summary>What a check compared.</summary>
    public enum BackupSourceKind
    {
        Directory,
        Archive,
        ResticRepository,
        BorgRepository,
    }

    /// <summary>
    /// The one result of Test-TssrBackup, whatever was checked and whatever the outcome: the verdict,
    /// how much was verified (count, bytes, coverage, full or sample) and every difference, named.
    /// </summary>
    public sealed class BackupTestResult
    {
        internal BackupTestResult(BackupSourceKind sourceKind, string source, string? reference, int entryCount, int fileCount, int checkedCount, int verifiedCount,
            long verifiedBytes, string? sample, IReadOnlyList<BackupDifference> differences, TimeSpan duration, string integrity, string? format = null, bool contentCheckable = true, double? coveragePercent = null)
        {
            Integrity = integrity;
            Format = format;
            SourceKind = sourceKind;
            Source = source;
            Reference = reference;
            EntryCount = entryCount;
            FileCount = fileCount;
            CheckedCount = checkedCount;
            VerifiedCount = verifiedCount;
            VerifiedBytes = verifiedBytes;
            Sampled = sample != null;
            Scope = sample ?? BackupText.Strings.Get("Scope_Full");
            Differences = new ValueList<BackupDifference>(differences);
            DurationSec = Math.Round(duration.TotalSeconds, 3);
            CoveragePercent = coveragePercent ?? (fileCount == 0 ? 0 : Math.Round(100.0 * verifiedCount / fileCount, 2));
            foreach (var d in differences)
            {
                switch (d.Kind)
                {
                    case BackupDifferenceKind.Missing: MissingCount++; break;
                    case BackupDifferenceKind.Extra: ExtraCount++; break;
                    case BackupDifferenceKind.Changed: ChangedCount++; break;
                    case BackupDifferenceKind.Unreadable: UnreadableCount++; break;
                    case BackupDifferenceKind.Unverifiable: UnverifiableCount++; break;
                    case BackupDifferenceKind.Refused: RefusedCount++; break;
                    default: OtherDifferenceCount++; break;
                }
            }
            Status = differences.Count > 0 ? BackupTestStatus.Failed : verifiedCount == 0 ? BackupTestStatus.NothingVerified : BackupTestStatus.Passed;
            Message = Status == BackupTestStatus.Passed
                ? BackupText.Strings.Format("Verdict_Passed", verifiedCount, fileCount, CoveragePercent.ToString(CultureInfo.CurrentCulture), Scope)
                : Status == BackupTestStatus.NothingVerified
                    ? (contentCheckable ? BackupText.Strings.Format("Verdict_NothingVerified", fileCount) : BackupText.Strings.Format("Verdict_NoContentCheck", checkedCount, integrity))
                    : BackupText.Strings.Format("Verdict_Failed", differences.Count, verifiedCount, fileCount, Scope);
        }

        public BackupTestStatus Status { get; }
        public BackupSourceKind SourceKind { get; }
        /// <summary>The directory, archive or repository checked.</summary>
        public string Source { get; }
        /// <summary>What it was compared with: the manifest file or source directory (null for a self-check).</summary>
        public string? Reference { get; }
        /// <summary>Entries of the reference (files, directories, links).</summary>
        public int EntryCount { get; }
        /// <summary>Regular files of the reference, whose content can be verified (a repository checked without comparison: its snapshots).</summary>
        public int FileCount { get; }
        /// <summary>Files whose content was read and hashed (the sample, or all).</summary>
        public int CheckedCount { get; }
        /// <summary>Files whose content was read and matched.</summary>
        public int VerifiedCount { get; }
        public long VerifiedBytes { get; }
        /// <summary>VerifiedCount over FileCount, in percent.</summary>
        public double CoveragePercent { get; }
        public bool Sampled { get; }
        /// <summary>"Full", or the sample drawn ("Sample of 10% (12 of 120 files)").</summary>
        public string Scope { get; }
        public int MissingCount { get; }
        public int ExtraCount { get; }
        public int ChangedCount { get; }
        public int UnreadableCount { get; }
        public int UnverifiableCount { get; }
        public int RefusedCount { get; }
        /// <summary>Differences of metadata or type, and damage of the archive or repository itself.</summary>
        public int OtherDifferenceCount { get; }
        public ValueList<BackupDifference> Differences { get; }
        public double DurationSec { get; }
        /// <summary>What proved the content: "SHA-256 against the manifest", "CRC-32 of each member (zip)", or that the format proves nothing.</summary>
        public string Integrity { get; }
        /// <summary>The archive format (Tar, TarGzip, Zip...); null for a directory or repository.</summary>
        public string? Format { get; }
        /// <summary>The verdict in a sentence.</summary>
        public string Message { get; }

        public override string ToString() => Status + ": " + Message;

        /// <summary>sha256sum lines of the files verified by a comparison (empty otherwise).</summary>
        internal IReadOnlyList<string> VerifiedHashes { get; set; } = new string[0];
    }

    /// <summary>The result of New-TssrBackupManifest: what was recorded, where, and what could not be.</summary>
    public sealed class BackupManifestResult
    {
        internal BackupManifestResult(string root, string? outFile, BackupManifestFormat format, IReadOnlyList<BackupManifestEntry> entries, IReadOnlyList<BackupDifference> notRecorded, TimeSpan duration)
        {
            Root = root;
            OutFile = outFile;
            Format = format;
            Entries = new ValueList<BackupManifestEntry>(entries);
            NotRecorded = new ValueList<BackupDifference>(notRecorded);
            foreach (var e in entries)
            {
                if (e.Type != BackupEntryType.File) continue;
                FileCount++;
                SizeBytes += e.SizeBytes;
            }
            EntryCount = entries.Count;
            NotRecordedCount = notRecorded.Count;
            DurationSec = Math.Round(duration.TotalSeconds, 3);
            Status = notRecorded.Count == 0 ? BackupManifestStatus.Complete : BackupManifestStatus.Incomplete;
        }

        /// <summary>Complete, or Incomplete when some names could not be recorded (each in NotRecorded).</summary>
        public BackupManifestStatus Status { get; }
        public string Root { get; }
        public string? OutFile { get; }
        public BackupManifestFormat Format { get; }
        public int EntryCount { get; }
        public int FileCount { get; }
        public long SizeBytes { get; }
        public int NotRecordedCount { get; }
        public ValueList<BackupDifference> NotRecorded { get; }
        public ValueList<BackupManifestEntry> Entries { get; }
        public double DurationSec { get; }

        public override string ToString() => Status + ": " + FileCount + " files, " + SizeBytes + " bytes" + (OutFile != null ? " -> " + OutFile : string.Empty);
    }

    public enum BackupManifestStatus
    {
        Complete,
        Incomplete,
    }

    /// <summary>The manifest's file format.</summary>
    public enum BackupManifestFormat
    {
        /// <summary>From the file name: .json gives Json, anything else Sha256Sum.</summary>
        Auto,
        /// <summary>The lines sha256sum writes (and `sha256sum -c` reads): regular files only.</summary>
        Sha256Sum,
        /// <summary>Every entry with its type, size, mode, modification time, SHA-256 and link target.</summary>
        Json,
    }
}
