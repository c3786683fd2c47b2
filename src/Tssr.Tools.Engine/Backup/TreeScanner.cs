using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace Tssr.Tools.Engine.Backup
{
    /// <summary>One object found under a root, with its status read without following links.</summary>
    internal sealed class ScannedEntry
    {
        public ScannedEntry(string relativePath, string fullPath, FileStatus status)
        {
            RelativePath = relativePath;
            FullPath = fullPath;
            Status = status;
        }

        public string RelativePath { get; }
        public string FullPath { get; }
        public FileStatus Status { get; }
    }

    /// <summary>A name under the root that could not be examined, and why.</summary>
    internal sealed class ScanProblem
    {
        public ScanProblem(string relativePath, BackupDifferenceKind kind, string reason)
        {
            RelativePath = relativePath;
            Kind = kind;
            Reason = reason;
        }

        public string RelativePath { get; }
        public BackupDifferenceKind Kind { get; }
        public string Reason { get; }
    }

    /// <summary>
    /// Walks a directory tree without following symbolic links (a link is an entry, never a way
    /// out of the tree). A name whose bytes are not UTF-8 reaches .NET on Linux with U+FFFD in place
    /// of the bad bytes and can be neither opened nor named exactly: it is reported as unverifiable
    /// (with everything below it when it is a directory), never hashed under a mangled name.
    /// </summary>
    internal static class TreeScanner
    {
        public static (List<ScannedEntry> Entries, List<ScanProblem> Problems) Scan(string root, ICollection<string> excludedFullPaths, CancellationToken token)
        {
            var entries = new List<ScannedEntry>();
            var problems = new List<ScanProblem>();
            var pending = new Stack<(string Full, string Relative)>();
            pending.Push((root, string.Empty));
            while (pending.Count > 0)
            {
                token.ThrowIfCancellationRequested();
                var (dirFull, dirRelative) = pending.Pop();
                IEnumerable<FileSystemInfo> children;
                var list = new List<FileSystemInfo>();
                try
                {
                    children = new DirectoryInfo(dirFull).EnumerateFileSystemInfos();
                    foreach (var child in children) list.Add(child);
                }
                catch (Exception e) when (e is UnauthorizedAccessException || e is IOException)
                {
                    problems.Add(new ScanProblem(dirRelative.Length == 0 ? "." : dirRelative, BackupDifferenceKind.Unreadable, e.Message));
                    continue;
                }
                foreach (var child in list)
                {
                    var name = child.Name;
                    var full = Path.Combine(dirFull, name);
                    var relative = dirRelative.Length == 0 ? name : dirRelative + "/" + name;
                    if (excludedFullPaths.Contains(full)) continue;
                    FileStatus? status;
                    try { status = FileStatus.Read(full); }
                    catch (Exception e) when (e is UnauthorizedAccessException || e is IOException)
                    {
                        problems.Add(new ScanProblem(relative, BackupDifferenceKind.Unreadable, e.Message));
                        continue;
                    }
                    if (status == null)
                    {
                        problems.Add(name.IndexOf('\uFFFD') >= 0
                            ? new ScanProblem(relative, BackupDifferenceKind.Unverifiable, BackupText.Strings.Get("Reason_NameNotUtf8"))
                            : new ScanProblem(relative, BackupDifferenceKind.Unreadable, BackupText.Strings.Get("Reason_Vanished")));
                        continue;
                    }
                    entries.Add(new ScannedEntry(relative, full, status));
                    if (status.Type == BackupEntryType.Directory) pending.Push((full, relative));
                }
            }
            entries.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
            return (entries, problems);
        }
    }
}
