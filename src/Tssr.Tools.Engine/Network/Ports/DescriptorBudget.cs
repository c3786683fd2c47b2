using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace Tssr.Tools.Engine.Network.Ports
{
    /// <summary>
    /// How many sockets this process may still open: every connection in flight holds one file
    /// descriptor, and running out (EMFILE) would fail probes for reasons that have nothing to do
    /// with the targets. Windows has no such per-process limit on sockets.
    /// </summary>
    internal static class DescriptorBudget
    {
        /// <summary>Descriptors left for everything else the process does (files, the console, other modules).</summary>
        public const int Reserve = 64;

        /// <summary>Sockets that may be opened now, or null when the system sets no such limit.</summary>
        public static int? Headroom(out long softLimit, out int inUse)
        {
            softLimit = -1;
            inUse = -1;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return null;
            var limit = SoftLimit();
            if (limit == null || limit.Value >= int.MaxValue) return null;
            softLimit = limit.Value;
            inUse = OpenDescriptors();
            var left = softLimit - Math.Max(inUse, 0) - Reserve;
            return (int)Math.Max(1, left);
        }

        private static long? SoftLimit()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                return LinuxSoftLimit();
            try
            {
                // macOS and the BSDs: RLIMIT_NOFILE is 8, rlim_t is 64-bit.
                return getrlimit(8, out var limit) == 0 ? (long?)(long)Math.Min(limit.Current, (ulong)long.MaxValue) : null;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return null;
            }
        }

        /// <summary>The soft "Max open files" of /proc/self/limits ("unlimited" → null).</summary>
        internal static long? LinuxSoftLimit()
        {
            try
            {
                var line = File.ReadAllLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
                return line == null ? null : ParseLimitsLine(line);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        internal static long? ParseLimitsLine(string line)
        {
            var fields = line.Substring("Max open files".Length).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) return null;
            return long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : (long?)null;
        }

        private static int OpenDescriptors()
        {
            var directory = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "/proc/self/fd" : "/dev/fd";
            try
            {
                return System.IO.Directory.EnumerateFileSystemEntries(directory).Count();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return -1;
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct RLimit
        {
            public ulong Current;
            public ulong Maximum;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int getrlimit(int resource, out RLimit limit);
    }
}
