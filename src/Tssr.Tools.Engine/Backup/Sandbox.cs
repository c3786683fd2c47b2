using System;
using System.IO;

namespace Tssr.Tools.Engine.Backup
{
    /// <summary>
    /// A private temporary folder a restore is made into, removed when disposed: after the
    /// comparison, after an error and after Ctrl+C (cancellation unwinds through Dispose).
    /// </summary>
    internal sealed class Sandbox : IDisposable
    {
        private Sandbox(string root) { Root = root; }

        public string Root { get; }

        public static Sandbox Create(string? parent)
        {
            var root = Path.Combine(parent ?? Path.GetTempPath(), "tssr-restore-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            System.IO.Directory.CreateDirectory(root);
            Posix.SetMode(root, Convert.ToInt32("700", 8));
            return new Sandbox(root);
        }

        public void Dispose()
        {
            if (!System.IO.Directory.Exists(Root)) return;
            // Restored directories may be read-only (mode 0500): open them up before removing.
            // Walked by hand without following links: a restored link to /etc must never be chmod-ed through.
            var pending = new System.Collections.Generic.Stack<string>();
            pending.Push(Root);
            while (pending.Count > 0)
            {
                var dir = pending.Pop();
                Posix.SetMode(dir, Convert.ToInt32("700", 8));
                foreach (var child in System.IO.Directory.EnumerateFileSystemEntries(dir))
                {
                    var status = FileStatus.Read(child);
                    if (status != null && status.Type == BackupEntryType.Directory) pending.Push(child);
                }
            }
            System.IO.Directory.Delete(Root, true);
        }
    }
}
