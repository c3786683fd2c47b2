using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace Tssr.Tools.Engine.Inventory.Collectors
{
    /// <summary>The collector scripts shipped inside the engine, with their placeholders filled.</summary>
    internal static class CollectorScripts
    {
        public const string PosixResource = "Tssr.Tools.Engine.Inventory.Collectors.linux-collector.sh";
        public const string PowerShellResource = "Tssr.Tools.Engine.Inventory.Collectors.windows-collector.ps1";

        /// <summary>A random marker, so nothing a host prints can pass for a section boundary.</summary>
        public static string NewNonce()
        {
            var bytes = new byte[9];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            var sb = new StringBuilder();
            foreach (var b in bytes) sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        public static string Posix(string nonce, string libvirtUri)
            => Read(PosixResource).Replace("__NONCE__", nonce).Replace("__VIRSH_URI__", libvirtUri.Replace("'", string.Empty));

        public static string PowerShell(string nonce)
            => Read(PowerShellResource).Replace("__NONCE__", nonce);

        private static string Read(string name)
        {
            using (var stream = typeof(CollectorScripts).Assembly.GetManifestResourceStream(name))
            {
                if (stream == null) throw new InvalidOperationException("Missing resource " + name);
                using (var reader = new StreamReader(stream, Encoding.UTF8))
                    return reader.ReadToEnd().Replace("\r\n", "\n");
            }
        }
    }
}
