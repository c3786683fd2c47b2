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

        /// <summary>
        /// What PowerShell runs first: it reads the collector on stdin and runs it. Encoded
        /// (UTF-16LE, base64) so neither cmd.exe nor PowerShell, whichever is the SSH default shell,
        /// reinterprets a character; the script itself is too long for a command line (cmd.exe: 8,191).
        /// Redirected stdin reaches a -EncodedCommand as $input, line by line, in Windows PowerShell
        /// 5.1 and PowerShell 7 alike (Ansible's Windows-over-SSH bootstrap reads it the same way);
        /// [Console]::In is the fallback when the host left it unread.
        /// </summary>
        public const string PowerShellBootstrap = "$s = $input | Out-String; if (-not $s.Trim()) { $s = [Console]::In.ReadToEnd() }; & ([scriptblock]::Create($s))";

        public static string PowerShellBootstrapArguments
            => "-EncodedCommand " + Convert.ToBase64String(Encoding.Unicode.GetBytes(PowerShellBootstrap));

        /// <summary>The command sent over SSH to a Windows host (Windows PowerShell 5.1 is on every supported Windows).</summary>
        public static string PowerShellCommand => "powershell.exe -NoProfile -NonInteractive " + PowerShellBootstrapArguments;

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
