using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Tssr.Tools.Engine.Backup.Archives
{
    /// <summary>
    /// Reads a tar stream (ustar, GNU long names, pax extended headers) member by member, checking
    /// each header's checksum and the end-of-archive marker, so a truncated or damaged archive shows
    /// as such. Tar keeps no checksum of the content: a flipped bit in a plain .tar's data can only be
    /// found by comparing with a manifest (compressed forms carry the compressor's check).
    /// </summary>
    internal static class TarReader
    {
        private const int Block = 512;
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        public static IEnumerable<ArchiveItem> Read(Stream stream, string archiveName)
        {
            var header = new byte[Block];
            string? longName = null, longLink = null;
            Dictionary<string, string>? pax = null;
            var globalPax = new Dictionary<string, string>(StringComparer.Ordinal);
            var last = archiveName;
            while (true)
            {
                var n = ReadFull(stream, header, 0, Block);
                if (n == 0) throw new ArchiveCorruptException(last, BackupText.Strings.Get("Reason_TarNoEnd"));
                if (n < Block) throw new ArchiveCorruptException(last, BackupText.Strings.Get("Reason_Truncated"));
                if (IsZero(header))
                {
                    // The end: a second zero block should follow (GNU tar accepts a lone one, with a warning).
                    yield break;
                }
                if (!ChecksumMatches(header)) throw new ArchiveCorruptException(last, BackupText.Strings.Get("Reason_TarChecksum"));
                var type = (char)header[156];
                var size = ParseNumber(header, 124, 12, last);
                var ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r' && header[262] == 0;
                if (type == 'L' || type == 'K' || type == 'x' || type == 'g')
                {
                    if (size > 16 << 20) throw new ArchiveCorruptException(last, BackupText.Strings.Get("Reason_TarHeaderTooLarge"));
                    var data = new byte[size];
                    if (ReadFull(stream, data, 0, (int)size) < size) throw new ArchiveCorruptException(last, BackupText.Strings.Get("Reason_Truncated"));
                    Skip(stream, Padding(size), last);
                    if (type == 'L') longName = CString(data, 0, data.Length, out _);
                    else if (type == 'K') longLink = CString(data, 0, data.Length, out _);
                    else ParsePax(data, type == 'x' ? (pax = new Dictionary<string, string>(StringComparer.Ordinal)) : globalPax, last);
                    continue;
                }
                var notUtf8 = false;
                var name = CString(header, 0, 100, out var bad1);
                notUtf8 |= bad1;
                if (ustar && header[345] != 0) { name = CString(header, 345, 155, out var bad2) + "/" + name; notUtf8 |= bad2; }
                var link = CString(header, 157, 100, out var bad3);
                if (longName != null) name = longName;
                if (longLink != null) link = longLink;
                else notUtf8 |= bad3 && (type == '1' || type == '2');
                var mtime = ParseNumber(header, 136, 12, last);
                DateTime? modified = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(mtime);
                foreach (var d in new[] { globalPax, pax })
                {
                    if (d == null) continue;
                    if (d.TryGetValue("path", out var p)) name = p;
                    if (d.TryGetValue("linkpath", out var lp)) link = lp;
                    if (d.TryGetValue("size", out var sz) && long.TryParse(sz, NumberStyles.None, CultureInfo.InvariantCulture, out var s)) size = s;
                    if (d.TryGetValue("mtime", out var mt) && decimal.TryParse(mt, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var m))
                        modified = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks((long)(m * TimeSpan.TicksPerSecond));
                }
                longName = longLink = null;
                pax = null;
                var mode = (int)(ParseNumber(header, 100, 8, last) & 0xfff);
                ArchiveItemType itemType;
                switch (type)
                {
                    case '0': case '\0': case '7': itemType = name.EndsWith("/", StringComparison.Ordinal) ? ArchiveItemType.Directory : ArchiveItemType.File; break;
                    case '1': itemType = ArchiveItemType.HardLink; break;
                    case '2': itemType = ArchiveItemType.SymbolicLink; break;
                    case '3': itemType = ArchiveItemType.CharacterDevice; break;
                    case '4': itemType = ArchiveItemType.BlockDevice; break;
                    case '5': itemType = ArchiveItemType.Directory; break;
                    case '6': itemType = ArchiveItemType.Fifo; break;
                    default: itemType = ArchiveItemType.Unknown; break;
                }
                // Only regular files carry data in the stream (a hard link's size field is informative).
                var dataSize = itemType == ArchiveItemType.File || itemType == ArchiveItemType.Unknown ? size : 0;
                last = name;
                var content = new BoundedStream(stream, dataSize, name);
                yield return new ArchiveItem(name, itemType, dataSize, mode, modified,
                    itemType == ArchiveItemType.SymbolicLink || itemType == ArchiveItemType.HardLink ? link : null, null, () => content) { NameNotUtf8 = notUtf8 };
                content.SkipRest();
                Skip(stream, Padding(dataSize), name);
            }
        }

        private static long Padding(long size) => (Block - size % Block) % Block;

        private static void Skip(Stream stream, long count, string entry)
        {
            var buffer = new byte[Math.Min(count, 64 * 1024)];
            while (count > 0)
            {
                var n = stream.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
                if (n <= 0) throw new ArchiveCorruptException(entry, BackupText.Strings.Get("Reason_Truncated"));
                count -= n;
            }
        }

        internal static int ReadFull(Stream stream, byte[] buffer, int offset, int count)
        {
            var total = 0;
            while (total < count)
            {
                var n = stream.Read(buffer, offset + total, count - total);
                if (n <= 0) break;
                total += n;
            }
            return total;
        }

        private static bool IsZero(byte[] block)
        {
            foreach (var b in block) if (b != 0) return false;
            return true;
        }

        private static bool ChecksumMatches(byte[] header)
        {
            long unsignedSum = 0, signedSum = 0;
            for (var i = 0; i < Block; i++)
            {
                var b = i >= 148 && i < 156 ? (byte)' ' : header[i];
                unsignedSum += b;
                signedSum += (sbyte)b;
            }
            var text = Encoding.ASCII.GetString(header, 148, 8).Trim('\0', ' ');
            if (text.Length == 0) return false;
            try
            {
                var recorded = Convert.ToInt64(text, 8);
                return recorded == unsignedSum || recorded == signedSum;
            }
            catch (FormatException) { return false; }
            catch (ArgumentException) { return false; }
        }

        private static long ParseNumber(byte[] header, int offset, int length, string entry)
        {
            if ((header[offset] & 0x80) != 0)
            {
                // GNU base-256 for values that do not fit in octal.
                long value = header[offset] & 0x7f;
                for (var i = 1; i < length; i++)
                {
                    if (value > (long.MaxValue >> 8)) throw new ArchiveCorruptException(entry, BackupText.Strings.Get("Reason_TarNumber"));
                    value = (value << 8) | header[offset + i];
                }
                return value;
            }
            var text = Encoding.ASCII.GetString(header, offset, length).Trim('\0', ' ');
            if (text.Length == 0) return 0;
            try { return Convert.ToInt64(text, 8); }
            catch (Exception e) when (e is FormatException || e is ArgumentException || e is OverflowException)
            {
                throw new ArchiveCorruptException(entry, BackupText.Strings.Get("Reason_TarNumber"));
            }
        }

        private static string CString(byte[] data, int offset, int length, out bool notUtf8)
        {
            var end = offset;
            while (end < offset + length && data[end] != 0) end++;
            try
            {
                notUtf8 = false;
                return StrictUtf8.GetString(data, offset, end - offset);
            }
            catch (DecoderFallbackException)
            {
                notUtf8 = true;
                return Encoding.UTF8.GetString(data, offset, end - offset);
            }
        }

        private static void ParsePax(byte[] data, Dictionary<string, string> into, string entry)
        {
            var pos = 0;
            while (pos < data.Length)
            {
                var space = Array.IndexOf(data, (byte)' ', pos);
                if (space < 0) break;
                if (!int.TryParse(Encoding.ASCII.GetString(data, pos, space - pos), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= 0 || pos + length > data.Length)
                    throw new ArchiveCorruptException(entry, BackupText.Strings.Get("Reason_TarPax"));
                var record = Encoding.UTF8.GetString(data, space + 1, pos + length - space - 2);
                var eq = record.IndexOf('=');
                if (eq > 0) into[record.Substring(0, eq)] = record.Substring(eq + 1);
                pos += length;
            }
        }
    }

    /// <summary>The content of one tar member: at most its size, and an error if the stream ends first.</summary>
    internal sealed class BoundedStream : ForwardReadStream
    {
        private readonly Stream _inner;
        private readonly string _entry;
        private long _remaining;

        public BoundedStream(Stream inner, long size, string entry)
        {
            _inner = inner;
            _remaining = size;
            _entry = entry;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_remaining <= 0) return 0;
            var n = _inner.Read(buffer, offset, (int)Math.Min(count, _remaining));
            if (n <= 0) throw new ArchiveCorruptException(_entry, BackupText.Strings.Get("Reason_Truncated"));
            _remaining -= n;
            return n;
        }

        public void SkipRest()
        {
            var buffer = new byte[64 * 1024];
            while (_remaining > 0) Read(buffer, 0, buffer.Length);
        }

        protected override void Dispose(bool disposing) { }
    }
}
