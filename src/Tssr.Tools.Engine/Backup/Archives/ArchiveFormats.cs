using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.CompilerServices;

namespace Tssr.Tools.Engine.Backup.Archives
{
    /// <summary>The archive formats Test-TssrBackup reads, recognised by their first bytes.</summary>
    public enum ArchiveFormat
    {
        Tar,
        TarGzip,
        TarXz,
        TarZstd,
        TarBzip2,
        Zip,
        SevenZip,
    }

    /// <summary>
    /// Opens an archive as a sequence of members. SharpCompress is touched only in the methods that
    /// need it (zip, 7z, xz, bzip2, zstd), so checking a directory or a tar.gz never loads it.
    /// </summary>
    internal static class ArchiveFormats
    {
        public static ArchiveFormat? Detect(string path)
        {
            var head = new byte[512];
            int n;
            using (var f = File.OpenRead(path)) n = TarReader.ReadFull(f, head, 0, head.Length);
            if (n >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5) && (head[3] == 4 || head[3] == 6)) return ArchiveFormat.Zip;
            if (n >= 6 && head[0] == '7' && head[1] == 'z' && head[2] == 0xBC && head[3] == 0xAF && head[4] == 0x27 && head[5] == 0x1C) return ArchiveFormat.SevenZip;
            if (n >= 2 && head[0] == 0x1F && head[1] == 0x8B) return ArchiveFormat.TarGzip;
            if (n >= 6 && head[0] == 0xFD && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z' && head[5] == 0) return ArchiveFormat.TarXz;
            if (n >= 4 && head[0] == 0x28 && head[1] == 0xB5 && head[2] == 0x2F && head[3] == 0xFD) return ArchiveFormat.TarZstd;
            // A zstd skippable frame first (pzstd writes one before each frame).
            if (n >= 4 && (head[0] & 0xF0) == 0x50 && head[1] == 0x2A && head[2] == 0x4D && head[3] == 0x18) return ArchiveFormat.TarZstd;
            if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') return ArchiveFormat.TarBzip2;
            if (n >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a' && head[261] == 'r') return ArchiveFormat.Tar;
            if (n == 512 && LooksLikeV7Tar(head)) return ArchiveFormat.Tar;
            return null;
        }

        private static bool LooksLikeV7Tar(byte[] head)
        {
            // A pre-POSIX header: octal digits in the checksum field and a name.
            if (head[0] == 0) return false;
            for (var i = 148; i < 154; i++) if (head[i] != ' ' && head[i] != 0 && (head[i] < '0' || head[i] > '7')) return false;
            return true;
        }

        /// <summary>What the format itself proves about the content, as a sentence key and whether it proves anything.</summary>
        public static (string Key, bool ChecksContent) Integrity(ArchiveFormat format, string path, ZstdFrames? zstdFrames = null)
        {
            switch (format)
            {
                case ArchiveFormat.Zip: return ("Integrity_Zip", true);
                case ArchiveFormat.SevenZip: return ("Integrity_SevenZip", true);
                case ArchiveFormat.TarGzip: return ("Integrity_Gzip", true);
                case ArchiveFormat.TarBzip2: return ("Integrity_Bzip2", true);
                case ArchiveFormat.TarXz:
                    // The first stream's check here; each further stream's is looked at as it is read.
                    return XzCheckType(path) == 0 ? ("Integrity_XzNone", false) : ("Integrity_Xz", true);
                case ArchiveFormat.TarZstd:
                    // Every frame, not only the first: a joined file may mix frames with and without a checksum.
                    return (zstdFrames ?? ZstdFrames.Walk(path)).AllFramesChecked ? ("Integrity_Zstd", true) : ("Integrity_ZstdNone", false);
                default: return ("Integrity_Tar", false);
            }
        }

        private static int XzCheckType(string path)
        {
            var head = new byte[12];
            using (var f = File.OpenRead(path)) TarReader.ReadFull(f, head, 0, head.Length);
            return head[7] & 0x0F;
        }

        /// <summary>The decompressed tar stream over <paramref name="compressed"/>.</summary>
        public static Stream OpenTarStream(ArchiveFormat format, Stream compressed)
        {
            switch (format)
            {
                case ArchiveFormat.Tar: return compressed;
                case ArchiveFormat.TarGzip: return new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: false);
                case ArchiveFormat.TarXz: return OpenXz(compressed);
                case ArchiveFormat.TarZstd: return OpenZstd(compressed);
                case ArchiveFormat.TarBzip2: return OpenBzip2(compressed);
                default: throw new ArgumentOutOfRangeException(nameof(format));
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Stream OpenXz(Stream s) => new SharpCompress.Compressors.Xz.XZStream(s);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Stream OpenZstd(Stream s) => new SharpCompress.Compressors.ZStandard.DecompressionStream(s, 0, true, false);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Stream OpenBzip2(Stream s) => SharpCompress.Compressors.BZip2.BZip2Stream.Create(s, SharpCompress.Compressors.CompressionMode.Decompress, true, false, false);

        /// <summary>The members of a zip or 7z archive, in order, each with its recorded CRC-32.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static IEnumerable<ArchiveItem> ReadZipOr7z(ArchiveFormat format, Stream file, string archiveName)
        {
            var options = new SharpCompress.Readers.ReaderOptions { LeaveStreamOpen = true };
            SharpCompress.Archives.IArchive archive;
            try
            {
                archive = format == ArchiveFormat.Zip
                    ? (SharpCompress.Archives.IArchive)SharpCompress.Archives.Zip.ZipArchive.OpenArchive(file, options)
                    : SharpCompress.Archives.SevenZip.SevenZipArchive.OpenArchive(file, options);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                throw new ArchiveCorruptException(archiveName, e.Message, e);
            }
            using (archive)
            {
                List<SharpCompress.Archives.IArchiveEntry> entries;
                try { entries = archive.Entries.ToList(); }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    throw new ArchiveCorruptException(archiveName, e.Message, e);
                }
                foreach (var entry in entries)
                {
                    // 7z: Attrib keeps the Windows bits only; ExtendedAttrib holds the 32 bits p7zip wrote.
                    var attrib = ((entry as SharpCompress.Common.SevenZip.SevenZipEntry)?.ExtendedAttrib ?? entry.Attrib) ?? 0;
                    // Unix permissions live in the high 16 bits (zip: made on Unix; 7z: flag 0x8000).
                    var unixMode = format == ArchiveFormat.Zip ? (attrib >> 16) & 0xFFFF : (attrib & 0x8000) != 0 ? (attrib >> 16) & 0xFFFF : 0;
                    var type = entry.IsDirectory ? ArchiveItemType.Directory : ArchiveItemType.File;
                    switch (unixMode & 0xF000)
                    {
                        case 0xA000: type = ArchiveItemType.SymbolicLink; break;
                        case 0x4000: type = ArchiveItemType.Directory; break;
                        case 0x2000: type = ArchiveItemType.CharacterDevice; break;
                        case 0x6000: type = ArchiveItemType.BlockDevice; break;
                        case 0x1000: type = ArchiveItemType.Fifo; break;
                    }
                    string? target = null;
                    if (type == ArchiveItemType.SymbolicLink)
                    {
                        using (var s = entry.OpenEntryStream())
                        using (var reader = new StreamReader(s)) target = reader.ReadToEnd();
                    }
                    uint? crc = entry.Crc == 0 && entry.Size > 0 && format == ArchiveFormat.SevenZip ? (uint?)null : (uint)entry.Crc;
                    var e2 = entry;
                    yield return new ArchiveItem((entry.Key ?? string.Empty).Replace('\\', '/'), type, type == ArchiveItemType.File ? entry.Size : 0,
                        unixMode != 0 ? unixMode & 0xFFF : (int?)null, entry.LastModifiedTime?.ToUniversalTime(), target,
                        type == ArchiveItemType.File ? crc : null, () => e2.OpenEntryStream());
                }
            }
        }
    }
}
