using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace Tssr.Tools.Engine.Backup.Archives
{
    /// <summary>What every read-only, forward-only stream of this file shares: no seek, no write, no length.</summary>
    internal abstract class ForwardReadStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>
    /// Every member of a gzip file in turn, as gzip -t reads it: `cat a.gz b.gz`, pigz and many
    /// tools write several members, each with its own trailer. .NET's GZipStream reads concatenated
    /// members but says nothing when the last one is cut short, so each member is inflated here on
    /// its own (raw deflate) and its trailer (CRC-32 and size of that member) checked against what
    /// was expanded. The member ends where its trailer is: the 8 bytes it must hold are known once
    /// the deflate data has ended, and they are looked for in the last input the inflater took.
    /// </summary>
    internal sealed class GzipMembersStream : ForwardReadStream
    {
        private readonly Stream _file;
        private readonly string _entry;
        private readonly long _length;
        private TapStream? _tap;
        private DeflateStream? _deflate;
        private Crc32 _crc = new Crc32();
        private long _size;
        private long _memberStart;
        private long _next;
        private bool _done;

        public GzipMembersStream(Stream seekableFile, string entry)
        {
            _file = seekableFile;
            _entry = entry;
            _length = seekableFile.Length;
        }

        /// <summary>Members read and checked so far.</summary>
        public int MemberCount { get; private set; }

        /// <summary>How far into the compressed file the reading has gone.</summary>
        public long CompressedPosition => _file.Position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (!_done)
            {
                if (_deflate == null)
                {
                    if (!StartMember()) { _done = true; break; }
                }
                var n = _deflate!.Read(buffer, offset, count);
                if (n > 0)
                {
                    _crc.Append(buffer, offset, n);
                    _size += n;
                    return n;
                }
                EndMember();
            }
            return 0;
        }

        private bool StartMember()
        {
            var t = BackupText.Strings;
            if (_next >= _length)
            {
                if (MemberCount == 0) throw new ArchiveCorruptException(_entry, t.Get("Reason_GzipTrailer"));
                return false;
            }
            _file.Position = _next;
            _memberStart = _next;
            int Byte()
            {
                var b = _file.ReadByte();
                if (b < 0) throw new ArchiveCorruptException(_entry, t.Get("Reason_GzipTrailer"));
                return b;
            }
            var id1 = _file.ReadByte();
            var id2 = _file.ReadByte();
            if (id1 != 0x1F || id2 != 0x8B)
            {
                if (MemberCount == 0) throw new ArchiveCorruptException(_entry, t.Get("Reason_GzipHeader"));
                // What follows the last member is not another member: gzip -t warns and ignores it; a backup check must not.
                throw new ArchiveCorruptException(_entry, t.Format("Reason_TrailingData", _length - _next));
            }
            var cm = Byte();
            var flags = Byte();
            if (cm != 8 || (flags & 0xE0) != 0) throw new ArchiveCorruptException(_entry, t.Get("Reason_GzipHeader"));
            for (var i = 0; i < 6; i++) Byte(); // mtime, extra flags, OS
            if ((flags & 0x04) != 0)
            {
                var xlen = Byte() | (Byte() << 8);
                for (var i = 0; i < xlen; i++) Byte();
            }
            if ((flags & 0x08) != 0) while (Byte() != 0) { }
            if ((flags & 0x10) != 0) while (Byte() != 0) { }
            if ((flags & 0x02) != 0) { Byte(); Byte(); }
            _tap = new TapStream(_file);
            _deflate = new DeflateStream(_tap, CompressionMode.Decompress, leaveOpen: true);
            _crc = new Crc32();
            _size = 0;
            return true;
        }

        private void EndMember()
        {
            var tap = _tap!;
            _deflate!.Dispose();
            _deflate = null;
            var expected = new byte[8];
            var crc = _crc.Value;
            var size = (uint)_size;
            for (var i = 0; i < 4; i++)
            {
                expected[i] = (byte)(crc >> (8 * i));
                expected[4 + i] = (byte)(size >> (8 * i));
            }
            // The deflate data ends in the last input the inflater took (the one before, to be safe).
            var at = Find(expected, tap.PreviousChunkStart, Math.Min(_length, tap.LastChunkEnd + 8));
            if (at < 0) at = Find(expected, _memberStart, Math.Min(_length, tap.LastChunkEnd + 8));
            if (at < 0) throw new ArchiveCorruptException(_entry, BackupText.Strings.Get("Reason_GzipTrailer"));
            MemberCount++;
            _next = at + 8;
        }

        /// <summary>
        /// Where the trailer is: the first place holding the 8 expected bytes that is followed by the
        /// end of the file or another member's magic (the trailer of an empty member, 8 zero bytes,
        /// also "matches" one byte early, over the deflate data's last zero); else the first place at all.
        /// </summary>
        private long Find(byte[] pattern, long from, long to)
        {
            var end = Math.Min(_length, to + 3);
            if (end - from < pattern.Length) return -1;
            var region = new byte[end - from];
            _file.Position = from;
            var n = TarReader.ReadFull(_file, region, 0, region.Length);
            long first = -1;
            for (var i = 0; i + pattern.Length <= n && from + i + pattern.Length <= to; i++)
            {
                if (region[i] != pattern[0]) continue;
                var j = 1;
                while (j < pattern.Length && region[i + j] == pattern[j]) j++;
                if (j < pattern.Length) continue;
                var next = i + pattern.Length;
                if (from + next == _length || (next + 2 < n && region[next] == 0x1F && region[next + 1] == 0x8B && region[next + 2] == 8)) return from + i;
                if (first < 0) first = from + i;
            }
            return first;
        }


        protected override void Dispose(bool disposing)
        {
            if (disposing) { _deflate?.Dispose(); _file.Dispose(); }
            base.Dispose(disposing);
        }
    }

    /// <summary>Passes reads through and remembers where the last two began and ended.</summary>
    internal sealed class TapStream : ForwardReadStream
    {
        private readonly Stream _inner;

        public TapStream(Stream inner)
        {
            _inner = inner;
            PreviousChunkStart = LastChunkStart = LastChunkEnd = inner.Position;
        }

        public long PreviousChunkStart { get; private set; }
        public long LastChunkStart { get; private set; }
        public long LastChunkEnd { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var start = _inner.Position;
            var n = _inner.Read(buffer, offset, count);
            if (n > 0)
            {
                PreviousChunkStart = LastChunkStart;
                LastChunkStart = start;
                LastChunkEnd = start + n;
            }
            return n;
        }

        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
    }

    /// <summary>
    /// Every stream of an xz file in turn, with the stream padding (zero bytes, a multiple of 4)
    /// xz allows between and after them: `cat a.xz b.xz` and `xz -T` in some modes write several.
    /// SharpCompress's XZStream stops at the end of the first; it reads exactly to its footer, so
    /// the next one starts where it stopped. Whether every stream carries a check is recorded.
    /// </summary>
    internal sealed class XzStreamsStream : ForwardReadStream
    {
        private readonly Stream _file;
        private readonly string _entry;
        private readonly long _length;
        private Stream? _current;
        private bool _done;

        public XzStreamsStream(Stream seekableFile, string entry)
        {
            _file = seekableFile;
            _entry = entry;
            _length = seekableFile.Length;
        }

        public int StreamCount { get; private set; }

        /// <summary>False once a stream was written with --check=none.</summary>
        public bool AllStreamsChecked { get; private set; } = true;

        public long CompressedPosition => _file.Position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (!_done)
            {
                if (_current == null && !StartStream()) { _done = true; break; }
                var n = _current!.Read(buffer, offset, count);
                if (n > 0) return n;
                _current = null;
            }
            return 0;
        }

        private bool StartStream()
        {
            var head = new byte[12];
            if (StreamCount > 0)
            {
                // Stream padding: groups of four zero bytes.
                var start = _file.Position;
                var four = new byte[4];
                while (true)
                {
                    var n = TarReader.ReadFull(_file, four, 0, 4);
                    if (n == 0) return false;
                    if (n == 4 && four[0] == 0 && four[1] == 0 && four[2] == 0 && four[3] == 0) continue;
                    if (n < 4 || four[0] != 0xFD) throw new ArchiveCorruptException(_entry, BackupText.Strings.Format("Reason_TrailingData", _length - _file.Position + n));
                    _file.Position -= n;
                    break;
                }
                _ = start;
            }
            var at = _file.Position;
            var got = TarReader.ReadFull(_file, head, 0, 12);
            _file.Position = at;
            if (got == 12 && head[0] == 0xFD && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z' && head[5] == 0)
            {
                if ((head[7] & 0x0F) == 0) AllStreamsChecked = false;
            }
            else if (StreamCount > 0) throw new ArchiveCorruptException(_entry, BackupText.Strings.Format("Reason_TrailingData", _length - at));
            StreamCount++;
            _current = OpenXz(new NonClosingStream(_file));
            return true;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Stream OpenXz(Stream s) => new SharpCompress.Compressors.Xz.XZStream(s);


        protected override void Dispose(bool disposing)
        {
            if (disposing) _file.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>A view of a stream whose Dispose leaves the inner stream open.</summary>
    internal sealed class NonClosingStream : Stream
    {
        private readonly Stream _inner;
        public NonClosingStream(Stream inner) { _inner = inner; }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override int ReadByte() => _inner.ReadByte();
        public override bool CanRead => true;
        public override bool CanSeek => _inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Position; set => _inner.Position = value; }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>
    /// Walks the frames of a zstd file without decompressing (frame headers, block headers,
    /// skippable frames): whether every frame carries a content checksum (`cat a.zst b.zst` may join
    /// a frame written with --no-check to one written with it, and the first header alone would then
    /// claim a check the rest does not have), and where the data frames are: pzstd writes a
    /// skippable frame before each, which SharpCompress's decompressor does not skip.
    /// </summary>
    internal sealed class ZstdFrames
    {
        private ZstdFrames() { }

        /// <summary>The byte ranges to decompress: the data frames, and from where the walk stopped to the end (damage for the decompressor to name).</summary>
        public List<(long Offset, long Length)> Ranges { get; } = new List<(long, long)>();

        /// <summary>True when every data frame has the checksum flag and the walk reached the end of the file.</summary>
        public bool AllFramesChecked { get; private set; }

        public long DataBytes { get; private set; }

        public static ZstdFrames Walk(string path)
        {
            var z = new ZstdFrames();
            using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12))
            {
                var len = f.Length;
                var buf = new byte[8];
                var frames = 0;
                var allChecked = true;
                long frameStart = 0;
                bool Complete()
                {
                    while (f.Position < len)
                    {
                        frameStart = f.Position;
                        if (TarReader.ReadFull(f, buf, 0, 4) < 4) return false;
                        var magic = BitConverter.ToUInt32(buf, 0);
                        if ((magic & 0xFFFFFFF0u) == 0x184D2A50u)
                        {
                            if (TarReader.ReadFull(f, buf, 0, 4) < 4) return false;
                            var skip = BitConverter.ToUInt32(buf, 0);
                            if (f.Position + skip > len) return false;
                            f.Position += skip;
                            continue;
                        }
                        if (magic != 0xFD2FB528u) return false;
                        var fhd = f.ReadByte();
                        if (fhd < 0) return false;
                        if ((fhd & 0x04) == 0) allChecked = false;
                        var single = (fhd & 0x20) != 0;
                        var dictSize = new[] { 0, 1, 2, 4 }[fhd & 0x03];
                        var fcsSize = new[] { single ? 1 : 0, 2, 4, 8 }[fhd >> 6];
                        f.Position += (single ? 0 : 1) + dictSize + fcsSize;
                        while (true)
                        {
                            if (TarReader.ReadFull(f, buf, 0, 3) < 3) return false;
                            var bh = buf[0] | (buf[1] << 8) | (buf[2] << 16);
                            var type = (bh >> 1) & 3;
                            if (type == 3) return false;
                            f.Position += type == 1 ? 1 : bh >> 3;
                            if (f.Position > len) return false;
                            if ((bh & 1) != 0) break;
                        }
                        if ((fhd & 0x04) != 0) f.Position += 4;
                        if (f.Position > len) return false;
                        z.Add(frameStart, f.Position - frameStart);
                        frames++;
                    }
                    return frames > 0;
                }
                var complete = Complete();
                if (!complete) z.Add(frameStart, len - frameStart);
                z.AllFramesChecked = complete && allChecked;
            }
            return z;
        }

        private void Add(long offset, long length)
        {
            if (length <= 0) return;
            if (Ranges.Count > 0 && Ranges[Ranges.Count - 1].Offset + Ranges[Ranges.Count - 1].Length == offset)
                Ranges[Ranges.Count - 1] = (Ranges[Ranges.Count - 1].Offset, Ranges[Ranges.Count - 1].Length + length);
            else Ranges.Add((offset, length));
            DataBytes += length;
        }
    }

    /// <summary>The given byte ranges of a seekable stream, one after the other.</summary>
    internal sealed class RangesStream : ForwardReadStream
    {
        private readonly Stream _inner;
        private readonly List<(long Offset, long Length)> _ranges;
        private int _index;
        private long _left;

        public RangesStream(Stream inner, List<(long Offset, long Length)> ranges)
        {
            _inner = inner;
            _ranges = ranges;
            _index = -1;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_left == 0)
            {
                if (++_index >= _ranges.Count) return 0;
                _inner.Position = _ranges[_index].Offset;
                _left = _ranges[_index].Length;
            }
            var n = _inner.Read(buffer, offset, (int)Math.Min(count, _left));
            if (n <= 0) { _left = 0; return 0; }
            _left -= n;
            return n;
        }

        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
