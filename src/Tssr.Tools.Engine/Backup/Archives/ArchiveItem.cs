using System;
using System.IO;

namespace Tssr.Tools.Engine.Backup.Archives
{
    /// <summary>What an archive member is, as its header says.</summary>
    internal enum ArchiveItemType
    {
        File,
        Directory,
        SymbolicLink,
        HardLink,
        CharacterDevice,
        BlockDevice,
        Fifo,
        /// <summary>A type this reader does not know (GNU sparse, volume header...): refused, never guessed.</summary>
        Unknown,
    }

    /// <summary>One member of an archive, its header read; <see cref="Open"/> gives its content once.</summary>
    internal sealed class ArchiveItem
    {
        public ArchiveItem(string name, ArchiveItemType type, long size, int? mode, DateTime? modifiedUtc, string? linkTarget, uint? crc32, Func<Stream> open)
        {
            Name = name;
            Type = type;
            SizeBytes = size;
            Mode = mode;
            ModifiedUtc = modifiedUtc;
            LinkTarget = linkTarget;
            Crc32 = crc32;
            Open = open;
        }

        public string Name { get; }
        public ArchiveItemType Type { get; }
        public long SizeBytes { get; }
        public int? Mode { get; }
        public DateTime? ModifiedUtc { get; }
        /// <summary>A symbolic link's target, or the member a hard link names.</summary>
        public string? LinkTarget { get; }
        /// <summary>The CRC-32 the format records for the content (zip, 7z); null where it has none.</summary>
        public uint? Crc32 { get; }
        public Func<Stream> Open { get; }
        /// <summary>The name's bytes are not UTF-8: it cannot be restored under its true name from .NET.</summary>
        public bool NameNotUtf8 { get; set; }
    }

    /// <summary>A damaged archive: truncated, a bad header checksum, a bad CRC, undecodable compressed data.</summary>
    internal sealed class ArchiveCorruptException : Exception
    {
        public ArchiveCorruptException(string entry, string reason, Exception? inner = null) : base(reason, inner)
        {
            Entry = entry;
        }

        /// <summary>The member being read when the damage showed, or the archive's own name.</summary>
        public string Entry { get; }
    }

    /// <summary>CRC-32 (IEEE 802.3, as zip, gzip and 7z use it).</summary>
    internal sealed class Crc32
    {
        private static readonly uint[] Table = BuildTable();
        private uint _value = 0xFFFFFFFF;

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                var c = i;
                for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                table[i] = c;
            }
            return table;
        }

        public void Append(byte[] buffer, int offset, int count)
        {
            var v = _value;
            for (var i = offset; i < offset + count; i++) v = Table[(v ^ buffer[i]) & 0xFF] ^ (v >> 8);
            _value = v;
        }

        public uint Value => _value ^ 0xFFFFFFFF;
    }

    /// <summary>Counts the bytes read through it (the compressed side, for the expansion-ratio limit).</summary>
    internal sealed class CountingStream : ForwardReadStream
    {
        private readonly Stream _inner;

        public CountingStream(Stream inner) { _inner = inner; }

        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = _inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override long Length => _inner.Length;
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
