using System;
using System.Globalization;

namespace Tssr.Tools.Engine.Backup
{
    /// <summary>
    /// One entry of a backup manifest: a file with its SHA-256, a directory, a symbolic link with its
    /// target, or a special file (recorded, never read). Path is relative to the manifest's root,
    /// with '/' separators.
    /// </summary>
    public sealed class BackupManifestEntry
    {
        public BackupManifestEntry(string path, BackupEntryType type, long sizeBytes, string? sha256, string? mode, DateTime? modifiedUtc, string? linkTarget)
        {
            Path = path;
            Type = type;
            SizeBytes = sizeBytes;
            Sha256 = sha256;
            Mode = mode;
            ModifiedUtc = modifiedUtc;
            LinkTarget = linkTarget;
        }

        public string Path { get; }
        public BackupEntryType Type { get; }
        public long SizeBytes { get; }
        /// <summary>Lower-case hexadecimal; null for what is not a regular file.</summary>
        public string? Sha256 { get; }
        /// <summary>Permission bits in octal ("0644"); null where unknown.</summary>
        public string? Mode { get; }
        public DateTime? ModifiedUtc { get; }
        public string? LinkTarget { get; }

        public override string ToString() => Type == BackupEntryType.SymbolicLink ? Path + " -> " + LinkTarget : Path;

        internal static string? FormatMode(int? mode) => mode.HasValue ? "0" + Convert.ToString(mode.Value, 8).PadLeft(3, '0') : null;

        internal static string FormatTime(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }
}
