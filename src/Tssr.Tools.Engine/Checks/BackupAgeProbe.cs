using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Tssr.Tools.Engine.Checks
{
    /// <summary>What a BackupAge check found at its path: the newest backup's time, and from what.</summary>
    public sealed class BackupAgeFact
    {
        public BackupAgeFact(string kind, int itemCount, string? newestItem, DateTime? newestUtc)
        {
            Kind = kind; ItemCount = itemCount; NewestItem = newestItem; NewestUtc = newestUtc;
        }

        /// <summary>File, Directory or ResticRepository.</summary>
        public string Kind { get; }
        public int ItemCount { get; }
        public string? NewestItem { get; }
        public DateTime? NewestUtc { get; }
    }

    /// <summary>
    /// Reads the age of the newest backup at a path without a password: a backup file (its
    /// modification time), a folder of backups (its newest file, top level, optionally filtered by a
    /// wildcard), or a restic repository (its newest snapshot file: restic writes one per snapshot,
    /// at the end of the backup). Remote locations (restic's sftp:, s3:, rest:…) are not read.
    /// </summary>
    public static class BackupAgeProbe
    {
        private static readonly Regex Remote = new Regex("^(sftp|s3|rest|b2|azure|gs|swift|rclone|ssh):", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>True for a location this check cannot read (a remote repository URL).</summary>
        public static bool IsRemote(string path) => Remote.IsMatch(path ?? string.Empty);

        /// <summary>Null when nothing exists at the path.</summary>
        public static BackupAgeFact? Probe(string path, string? filter)
        {
            if (File.Exists(path))
            {
                var info = new FileInfo(path);
                return new BackupAgeFact("File", 1, info.FullName, info.LastWriteTimeUtc);
            }
            if (!System.IO.Directory.Exists(path)) return null;
            var snapshots = Path.Combine(path, "snapshots");
            if (File.Exists(Path.Combine(path, "config")) && System.IO.Directory.Exists(snapshots) && System.IO.Directory.Exists(Path.Combine(path, "data")))
                return Newest("ResticRepository", new DirectoryInfo(snapshots).GetFiles());
            var files = new DirectoryInfo(path).GetFiles(string.IsNullOrEmpty(filter) ? "*" : filter!);
            return Newest("Directory", files);
        }

        private static BackupAgeFact Newest(string kind, IReadOnlyList<FileInfo> files)
        {
            var newest = files.OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault();
            return new BackupAgeFact(kind, files.Count, newest?.FullName, newest?.LastWriteTimeUtc);
        }
    }
}
