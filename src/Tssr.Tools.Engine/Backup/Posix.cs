using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Tssr.Tools.Engine.Backup
{
    /// <summary>The few POSIX calls a restore needs that netstandard2.0 lacks: chmod and symlink.</summary>
    internal static class Posix
    {
        public static void SetMode(string path, int? mode)
        {
            if (!mode.HasValue || RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            if (chmod(CString(path), (uint)mode.Value) != 0)
                throw new IOException(path + ": chmod errno " + Marshal.GetLastWin32Error());
        }

        public static void Symlink(string target, string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) throw new PlatformNotSupportedException();
            if (symlink(CString(target), CString(path)) != 0)
                throw new IOException(path + ": symlink errno " + Marshal.GetLastWin32Error());
        }

        private static byte[] CString(string text)
        {
            var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
            Encoding.UTF8.GetBytes(text, 0, text.Length, bytes, 0);
            return bytes;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(byte[] path, uint mode);

        [DllImport("libc", SetLastError = true)]
        private static extern int symlink(byte[] target, byte[] path);
    }
}
