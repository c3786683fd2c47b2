using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Backup.Archives
{
    /// <summary>Limits against decompression bombs.</summary>
    public sealed class ArchiveLimits
    {
        public const double DefaultMaxExpansionRatio = 10000;
        public const long DefaultMaxExpandedBytes = 1L << 40;

        /// <summary>Expanded bytes over archive bytes read, checked once 1 MiB is expanded.</summary>
        public double MaxExpansionRatio { get; set; } = DefaultMaxExpansionRatio;
        public long MaxExpandedBytes { get; set; } = DefaultMaxExpandedBytes;
    }

    /// <summary>What reading an archive found.</summary>
    internal sealed class ArchiveCheck
    {
        public ArchiveFormat Format { get; set; }
        public string IntegrityKey { get; set; } = "Integrity_Tar";
        public bool ChecksContent { get; set; }
        public List<BackupDifference> Differences { get; } = new List<BackupDifference>();
        public int EntryCount { get; set; }
        public int FileCount { get; set; }
        public int CheckedCount { get; set; }
        public int VerifiedCount { get; set; }
        public long VerifiedBytes { get; set; }
        public bool Intact { get; set; } = true;
        /// <summary>The members kept (safe ones), with the SHA-256 of files, as a manifest of the archive.</summary>
        public List<ExpectedEntry> Members { get; } = new List<ExpectedEntry>();
    }

    /// <summary>
    /// Reads every member of an archive to its end, checks what the format records (CRC-32 of zip
    /// and 7z members, the compressor's check of tar.gz/xz/zst/bz2, each tar header's checksum), and
    /// refuses hostile members by name: paths out of the tree (../, absolute, drive letters), writes
    /// through a symbolic link, hard links to what the archive does not hold, duplicates, devices and
    /// FIFOs, and expansion past the bomb limits. With a sandbox, safe members are restored into it.
    /// </summary>
    internal static class ArchiveChecker
    {
        private const long RatioFloor = 1 << 20;

        public static ArchiveCheck Check(string path, ArchiveFormat format, ArchiveLimits limits, string? sandbox, IEngineSink sink, CancellationToken token)
        {
            var check = new ArchiveCheck { Format = format };
            // Walked once: its frames say both what the check proves and which byte ranges hold data.
            var zstdFrames = format == ArchiveFormat.TarZstd ? ZstdFrames.Walk(path) : null;
            var (key, checksContent) = ArchiveFormats.Integrity(format, path, zstdFrames);
            check.IntegrityKey = key;
            check.ChecksContent = checksContent;
            var fileLength = new FileInfo(path).Length;
            var seen = new Dictionary<string, ArchiveItemType>(StringComparer.Ordinal);
            var links = new HashSet<string>(StringComparer.Ordinal);
            var restoredDirs = new List<(string Path, int? Mode, DateTime? Time)>();
            long expanded = 0;
            var buffer = new byte[1 << 20];
            var current = Path.GetFileName(path);
            var activity = BackupText.Strings.Format("Progress_Archive", path);
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            {
                var counting = new CountingStream(file);
                var expectedCompressed = fileLength;
                Stream? tar = null;
                XzStreamsStream? xz = null;
                var selfDelimited = false;
                try
                {
                    IEnumerable<ArchiveItem> items;
                    if (format == ArchiveFormat.Zip || format == ArchiveFormat.SevenZip) items = ArchiveFormats.ReadZipOr7z(format, file, current);
                    else
                    {
                        Stream decompressed;
                        Func<long> compressedRead = () => counting.BytesRead;
                        if (format == ArchiveFormat.TarGzip)
                        {
                            // Each member's trailer checked, trailing bytes refused, inside.
                            var gzip = new GzipMembersStream(file, current);
                            decompressed = gzip;
                            compressedRead = () => gzip.CompressedPosition;
                            selfDelimited = true;
                        }
                        else if (format == ArchiveFormat.TarXz)
                        {
                            xz = new XzStreamsStream(file, current);
                            decompressed = xz;
                            var x = xz;
                            compressedRead = () => x.CompressedPosition;
                            selfDelimited = true;
                        }
                        else if (format == ArchiveFormat.TarZstd)
                        {
                            // The data frames only (pzstd's skippable frames left out); every byte of them must be read.
                            var frames = zstdFrames!;
                            expectedCompressed = frames.DataBytes;
                            counting = new CountingStream(new RangesStream(file, frames.Ranges));
                            decompressed = ArchiveFormats.OpenTarStream(format, counting);
                        }
                        else decompressed = ArchiveFormats.OpenTarStream(format, counting);
                        tar = new ExpansionLimitStream(decompressed, compressedRead, limits, current);
                        items = TarReader.Read(tar, current);
                    }
                    foreach (var item in items)
                    {
                        token.ThrowIfCancellationRequested();
                        current = item.Name;
                        check.EntryCount++;
                        var name = Normalise(item.Name);
                        var refusal = Refusal(item, name, seen, links);
                        if (refusal != null)
                        {
                            check.Differences.Add(new BackupDifference(BackupDifferenceKind.Refused, item.Name, null, item.Type.ToString(), refusal));
                            continue;
                        }
                        if (item.NameNotUtf8)
                        {
                            check.Differences.Add(new BackupDifference(BackupDifferenceKind.Unverifiable, item.Name, null, null, BackupText.Strings.Get("Reason_NameNotUtf8")));
                            seen[name] = item.Type;
                            continue;
                        }
                        seen[name] = item.Type;
                        var target = sandbox == null ? null : Path.Combine(sandbox, name);
                        var member = new ExpectedEntry(name, check.EntryCount) { Mode = BackupManifestEntry.FormatMode(item.Mode), ModifiedUtc = item.ModifiedUtc };
                        switch (item.Type)
                        {
                            case ArchiveItemType.Directory:
                                member.Type = BackupEntryType.Directory;
                                if (target != null) { System.IO.Directory.CreateDirectory(target); restoredDirs.Add((target, item.Mode, item.ModifiedUtc)); }
                                break;
                            case ArchiveItemType.SymbolicLink:
                                member.Type = BackupEntryType.SymbolicLink;
                                member.LinkTarget = item.LinkTarget;
                                links.Add(name);
                                if (target != null) { EnsureParent(target); Posix.Symlink(item.LinkTarget ?? string.Empty, target); }
                                break;
                            case ArchiveItemType.HardLink:
                                {
                                    member.Type = BackupEntryType.File;
                                    var original = check.Members.Find(m => m.Name == Normalise(item.LinkTarget ?? string.Empty));
                                    if (original == null)
                                    {
                                        check.Differences.Add(new BackupDifference(BackupDifferenceKind.Refused, item.Name, null, item.Type.ToString(), BackupText.Strings.Format("Refused_HardLinkOut", item.LinkTarget)));
                                        continue;
                                    }
                                    member.Sha256 = original?.Sha256;
                                    member.SizeBytes = original?.SizeBytes;
                                    if (target != null) { EnsureParent(target); File.Copy(Path.Combine(sandbox!, original!.Name), target); Posix.SetMode(target, item.Mode); }
                                    break;
                                }
                            default:
                                {
                                    member.Type = BackupEntryType.File;
                                    check.FileCount++;
                                    var crc = item.Crc32.HasValue ? new Crc32() : null;
                                    using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                                    using (var content = item.Open())
                                    using (var output = target == null ? null : CreateFile(target))
                                    {
                                        long size = 0;
                                        int n;
                                        while ((n = content.Read(buffer, 0, buffer.Length)) > 0)
                                        {
                                            token.ThrowIfCancellationRequested();
                                            crc?.Append(buffer, 0, n);
                                            sha.AppendData(buffer, 0, n);
                                            output?.Write(buffer, 0, n);
                                            size += n;
                                            if (format == ArchiveFormat.Zip || format == ArchiveFormat.SevenZip)
                                            {
                                                expanded += n;
                                                ExpansionLimitStream.Enforce(expanded, fileLength, limits, item.Name);
                                            }
                                        }
                                        member.Sha256 = Sha256SumFormat.ToHex(sha.GetHashAndReset());
                                        member.SizeBytes = size;
                                        check.CheckedCount++;
                                        if (crc != null && crc.Value != item.Crc32!.Value)
                                        {
                                            check.Differences.Add(new BackupDifference(BackupDifferenceKind.Corrupt, item.Name, item.Crc32.Value.ToString("x8"), crc.Value.ToString("x8"), BackupText.Strings.Get("Reason_CrcMismatch")));
                                        }
                                        else if (crc != null)
                                        {
                                            check.VerifiedCount++;
                                            check.VerifiedBytes += size;
                                        }
                                        else check.VerifiedBytes += size;
                                    }
                                    if (target != null) Posix.SetMode(target, item.Mode);
                                    if (target != null && item.ModifiedUtc.HasValue) File.SetLastWriteTimeUtc(target, item.ModifiedUtc.Value);
                                    break;
                                }
                        }
                        if (name != ".") check.Members.Add(member);
                        sink.Progress(new ProgressReport(activity, BackupText.Strings.Format("Progress_Member", check.EntryCount, item.Name), -1));
                    }
                    if (tar != null) Drain(tar, buffer, current);
                    if (xz != null && !xz.AllStreamsChecked)
                    {
                        check.IntegrityKey = "Integrity_XzNone";
                        check.ChecksContent = false;
                    }
                    if (tar != null && format != ArchiveFormat.Tar && !selfDelimited && counting.BytesRead < expectedCompressed)
                        throw new ArchiveCorruptException(current, BackupText.Strings.Format("Reason_TrailingData", expectedCompressed - counting.BytesRead));
                    // Stream formats prove the content only once their check at the very end has passed.
                    if (tar != null && check.ChecksContent)
                    {
                        check.VerifiedCount = check.CheckedCount;
                    }
                    else if (tar != null) check.VerifiedBytes = 0;
                }
                catch (ArchiveBombException e)
                {
                    check.Intact = false;
                    check.VerifiedCount = format == ArchiveFormat.Zip || format == ArchiveFormat.SevenZip ? check.VerifiedCount : 0;
                    check.Differences.Add(new BackupDifference(BackupDifferenceKind.Refused, e.Entry, null, null, e.Message));
                }
                catch (ArchiveCorruptException e)
                {
                    Corrupt(check, format, e.Entry, e.Message);
                }
                catch (Exception e) when (!(e is OperationCanceledException) && !(e is TssrException) && !(e is UnauthorizedAccessException) && !IsDiskFull(e))
                {
                    // Whatever the decompressor throws (InvalidDataException, its own CRC errors...) is damage at this member.
                    Corrupt(check, format, current, e.Message);
                }
                finally
                {
                    tar?.Dispose();
                }
            }
            restoredDirs.Reverse();
            foreach (var (dir, mode, time) in restoredDirs)
            {
                Posix.SetMode(dir, mode);
                if (time.HasValue) System.IO.Directory.SetLastWriteTimeUtc(dir, time.Value);
            }
            return check;
        }

        private static void Corrupt(ArchiveCheck check, ArchiveFormat format, string entry, string reason)
        {
            check.Intact = false;
            if (!(format == ArchiveFormat.Zip || format == ArchiveFormat.SevenZip)) check.VerifiedCount = 0;
            check.Differences.Add(new BackupDifference(BackupDifferenceKind.Corrupt, entry, null, null, reason));
        }

        internal static bool IsDiskFull(Exception e) => e is IOException io && (io.HResult == 28 || io.HResult == unchecked((int)0x80070070) || io.Message.IndexOf("space", StringComparison.OrdinalIgnoreCase) >= 0);

        private static void Drain(Stream tar, byte[] buffer, string entry)
        {
            while (tar.Read(buffer, 0, buffer.Length) > 0) { }
        }

        private static FileStream CreateFile(string target)
        {
            EnsureParent(target);
            return new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }

        private static void EnsureParent(string target) => System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        /// <summary>"./a/b/" is "a/b".</summary>
        internal static string Normalise(string name)
        {
            var n = name;
            while (n.StartsWith("./", StringComparison.Ordinal)) n = n.Substring(2);
            while (n.EndsWith("/", StringComparison.Ordinal) && n.Length > 1) n = n.Substring(0, n.Length - 1);
            return n;
        }

        /// <summary>Why a member must not be restored, or null when it is safe.</summary>
        internal static string? Refusal(ArchiveItem item, string name, Dictionary<string, ArchiveItemType> seen, HashSet<string> links)
        {
            var t = BackupText.Strings;
            if (name.Length == 0 || name == ".") return item.Type == ArchiveItemType.Directory ? null : t.Get("Refused_EmptyName");
            if (name.IndexOf('\0') >= 0) return t.Get("Refused_EmptyName");
            if (name.StartsWith("/", StringComparison.Ordinal)) return t.Get("Refused_Absolute");
            if (name.Length >= 2 && name[1] == ':' && char.IsLetter(name[0])) return t.Get("Refused_DriveLetter");
            if (name.StartsWith("//", StringComparison.Ordinal)) return t.Get("Refused_Absolute");
            foreach (var part in name.Split('/'))
                if (part == "..") return t.Get("Refused_DotDot");
            switch (item.Type)
            {
                case ArchiveItemType.CharacterDevice:
                case ArchiveItemType.BlockDevice: return t.Get("Refused_Device");
                case ArchiveItemType.Fifo: return t.Get("Refused_Fifo");
                case ArchiveItemType.Unknown: return t.Get("Refused_UnknownType");
            }
            var slash = name.LastIndexOf('/');
            while (slash > 0)
            {
                var parent = name.Substring(0, slash);
                if (links.Contains(parent)) return t.Format("Refused_ThroughLink", parent);
                if (seen.TryGetValue(parent, out var parentType) && parentType != ArchiveItemType.Directory) return t.Format("Refused_ParentNotDirectory", parent);
                slash = parent.LastIndexOf('/');
            }
            if (seen.ContainsKey(name)) return t.Get("Refused_Duplicate");
            if (item.Type == ArchiveItemType.HardLink)
            {
                var target = Normalise(item.LinkTarget ?? string.Empty);
                if (target.Length == 0 || target.StartsWith("/", StringComparison.Ordinal) || Array.IndexOf(target.Split('/'), "..") >= 0) return t.Format("Refused_HardLinkOut", item.LinkTarget);
                if (!seen.TryGetValue(target, out var targetType) || targetType != ArchiveItemType.File) return t.Format("Refused_HardLinkOut", item.LinkTarget);
            }
            return null;
        }
    }

    internal sealed class ArchiveBombException : Exception
    {
        public ArchiveBombException(string entry, string message) : base(message) { Entry = entry; }
        public string Entry { get; }
    }

    /// <summary>Stops a decompressed stream when it grows past the bomb limits.</summary>
    internal sealed class ExpansionLimitStream : ForwardReadStream
    {
        private readonly Stream _inner;
        private readonly Func<long> _compressedRead;
        private readonly ArchiveLimits _limits;
        private readonly string _archive;
        private long _expanded;

        public ExpansionLimitStream(Stream inner, Func<long> compressedRead, ArchiveLimits limits, string archive)
        {
            _inner = inner;
            _compressedRead = compressedRead;
            _limits = limits;
            _archive = archive;
        }

        public static void Enforce(long expanded, long compressed, ArchiveLimits limits, string entry)
        {
            if (expanded > limits.MaxExpandedBytes)
                throw new ArchiveBombException(entry, BackupText.Strings.Format("Refused_BombSize", limits.MaxExpandedBytes));
            if (expanded > (1 << 20) && expanded > limits.MaxExpansionRatio * Math.Max(1, compressed))
                throw new ArchiveBombException(entry, BackupText.Strings.Format("Refused_BombRatio", limits.MaxExpansionRatio, compressed));
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = _inner.Read(buffer, offset, count);
            _expanded += n;
            Enforce(_expanded, _compressedRead(), _limits, _archive);
            return n;
        }

        public override long Position { get => _expanded; set => throw new NotSupportedException(); }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
