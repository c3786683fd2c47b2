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
        /// [Console]::In is the fallback when the host left it unread. The first line it prints is
        /// its own PID (@@tssr-pgid N), so a timeout can kill its process tree with taskkill /T.
        /// </summary>
        public const string PowerShellBootstrap = PidLine + "$s = $input | Out-String; if (-not $s.Trim()) { $s = [Console]::In.ReadToEnd() }; & ([scriptblock]::Create($s))";

        private const string PidLine = "[Console]::Out.WriteLine('@@tssr-pgid ' + $PID); [Console]::Out.Flush(); ";

        /// <summary>
        /// What runs an Invoke-TssrSshCommand command on Windows, whichever shell (cmd.exe or
        /// PowerShell) is sshd's default: powershell.exe prints its PID, then reads the command as
        /// base64 of its UTF-8 text on stdin (so no console code page can change a character) and
        /// runs it. The exit status is the command's: its own exit N, else the last native
        /// program's exit code, else 1 when the last statement failed.
        /// </summary>
        public const string PowerShellCommandBootstrap = PidLine
            + "$b = ($input | Out-String).Trim(); if (-not $b) { $b = [Console]::In.ReadToEnd().Trim() }; "
            + "$global:LASTEXITCODE = 0; & ([scriptblock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($b)))); "
            + "if (-not $?) { if ($LASTEXITCODE) { exit $LASTEXITCODE }; exit 1 }; exit $LASTEXITCODE";

        /// <summary>The command line and stdin that run <paramref name="command"/> on a Windows host.</summary>
        public static (string CommandLine, byte[] StandardInput) PowerShellCommandFor(string command)
            => ("powershell.exe -NoProfile -NonInteractive -EncodedCommand " + Convert.ToBase64String(Encoding.Unicode.GetBytes(PowerShellCommandBootstrap)),
                Encoding.ASCII.GetBytes(Convert.ToBase64String(new UTF8Encoding(false).GetBytes(command)) + "\n"));

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
