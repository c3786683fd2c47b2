using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Tssr.Tools.Engine.Backup
{
    /// <summary>What kind of file system object an entry is.</summary>
    public enum BackupEntryType
    {
        File,
        Directory,
        SymbolicLink,
        /// <summary>A FIFO, socket, character or block device: never read (reading a FIFO blocks).</summary>
        Special,
    }

    /// <summary>
    /// The facts of one file system object read without following a symbolic link: type, size,
    /// permission bits, modification time, link count and link target. On Linux one statx call
    /// gives them (its layout is the same on every architecture); elsewhere FileSystemInfo does.
    /// </summary>
    internal sealed class FileStatus
    {
        private const int AtFdCwd = -100;
        private const int AtSymlinkNoFollow = 0x100;
        private const uint StatxBasicStats = 0x7ff;
        private static bool _statxMissing = !RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        public BackupEntryType Type { get; private set; }
        public long SizeBytes { get; private set; }
        /// <summary>The permission bits (07777), or null where the platform has none.</summary>
        public int? Mode { get; private set; }
        public DateTime ModifiedUtc { get; private set; }
        public int LinkCount { get; private set; } = 1;
        public string? LinkTarget { get; private set; }

        /// <summary>The status of <paramref name="path"/>, or null when it does not exist (or its name cannot be encoded back).</summary>
        public static FileStatus? Read(string path)
        {
            if (!_statxMissing)
            {
                try { return ReadStatx(path); }
                catch (EntryPointNotFoundException) { _statxMissing = true; }
                catch (DllNotFoundException) { _statxMissing = true; }
            }
            return ReadManaged(path);
        }

        /// <summary>A regular file of a known size (a link's target, whose own status is not needed).</summary>
        public static FileStatus ForFile(long size) => new FileStatus { Type = BackupEntryType.File, SizeBytes = size };

        public static FileStatus ForDirectory() => new FileStatus { Type = BackupEntryType.Directory };

        private static FileStatus? ReadStatx(string path)
        {
            var buffer = new byte[256];
            var rc = Native.statx(AtFdCwd, CString(path), AtSymlinkNoFollow, StatxBasicStats, buffer);
            if (rc != 0)
            {
                var errno = Marshal.GetLastWin32Error();
                if (errno == 2 || errno == 20) return null; // ENOENT, ENOTDIR
                if (errno == 13) throw new UnauthorizedAccessException(path);
                throw new IOException(path + ": errno " + errno);
            }
            var mode = BitConverter.ToUInt16(buffer, 28);
            var status = new FileStatus
            {
                LinkCount = (int)BitConverter.ToUInt32(buffer, 16),
                SizeBytes = (long)BitConverter.ToUInt64(buffer, 40),
                Mode = mode & 0xfff,
            };
            var seconds = BitConverter.ToInt64(buffer, 112);
            var nanos = BitConverter.ToUInt32(buffer, 120);
            status.ModifiedUtc = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(seconds * TimeSpan.TicksPerSecond + nanos / 100);
            switch (mode & 0xf000)
            {
                case 0x8000: status.Type = BackupEntryType.File; break;
                case 0x4000: status.Type = BackupEntryType.Directory; break;
                case 0xa000:
                    status.Type = BackupEntryType.SymbolicLink;
                    status.LinkTarget = ReadLink(path, status.SizeBytes);
                    break;
                default: status.Type = BackupEntryType.Special; break;
            }
            return status;
        }

        private static string? ReadLink(string path, long size)
        {
            var buffer = new byte[Math.Max(256, size + 1)];
            var n = (long)Native.readlink(CString(path), buffer, (IntPtr)buffer.Length);
            return n < 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)n);
        }

        private static byte[] CString(string path)
        {
            var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
            Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
            return bytes;
        }

        private static FileStatus? ReadManaged(string path)
        {
            FileSystemInfo info = new FileInfo(path);
            if (!info.Exists)
            {
                info = new DirectoryInfo(path);
                if (!info.Exists) return null;
            }
            var status = new FileStatus { ModifiedUtc = info.LastWriteTimeUtc };
            if ((info.Attributes & FileAttributes.ReparsePoint) != 0) status.Type = BackupEntryType.SymbolicLink;
            else if (info is DirectoryInfo) status.Type = BackupEntryType.Directory;
            else
            {
                status.Type = BackupEntryType.File;
                status.SizeBytes = ((FileInfo)info).Length;
            }
            return status;
        }

        private static class Native
        {
            [DllImport("libc", SetLastError = true)]
            public static extern int statx(int dirfd, byte[] path, int flags, uint mask, byte[] buffer);

            [DllImport("libc", SetLastError = true)]
            public static extern IntPtr readlink(byte[] path, byte[] buffer, IntPtr size);
        }
    }
}
