using System;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Inventory.Ssh
{
    /// <summary>The shell a target runs commands in.</summary>
    public enum RemoteShell
    {
        /// <summary>A POSIX sh (Linux, macOS, BSD).</summary>
        Posix,
        /// <summary>Windows OpenSSH with PowerShell as the default shell.</summary>
        PowerShell,
    }

    /// <summary>One command to run, with what it reads on stdin (a sudo password, never on its command line).</summary>
    internal sealed class CommandRequest
    {
        public CommandRequest(string command, TimeSpan? timeout, byte[]? standardInput = null, bool raw = false)
        {
            Command = command;
            Timeout = timeout;
            StandardInput = standardInput;
            Raw = raw;
        }

        /// <summary>Sent as it is, without the POSIX process-group line (the probes that find out which shell answers).</summary>
        public bool Raw { get; }

        public string Command { get; }
        public TimeSpan? Timeout { get; }
        public byte[]? StandardInput { get; }
    }

    /// <summary>What came back: the whole stdout and stderr, exit status or signal, duration.</summary>
    internal sealed class CommandReply
    {
        public CommandReply(int? exitStatus, string? exitSignal, string output, string errorOutput, TimeSpan duration, bool timedOut, bool killed = false)
        {
            Killed = killed;
            ExitStatus = exitStatus;
            ExitSignal = exitSignal;
            Output = output;
            ErrorOutput = errorOutput;
            Duration = duration;
            TimedOut = timedOut;
        }

        public int? ExitStatus { get; }
        public string? ExitSignal { get; }
        public string Output { get; }
        public string ErrorOutput { get; }
        public TimeSpan Duration { get; }
        public bool TimedOut { get; }
        /// <summary>The command was killed at its timeout and the kill was confirmed (POSIX: its process group; Windows: its process tree).</summary>
        public bool Killed { get; }
    }

    /// <summary>
    /// The first line a command prints: on POSIX its process group (the login shell leads it), on
    /// Windows the PID of the powershell.exe that runs it (printed by the bootstrap), so a timeout
    /// can kill it all from a second channel. Kept apart from SshNetTransport so that the local
    /// transport uses it without loading SSH.NET.
    /// </summary>
    internal static class CommandPid
    {
        public const string Marker = "@@tssr-pgid ";
        private static readonly Regex Line = new Regex(@"^\uFEFF?@@tssr-pgid (\d+)\r?\n", RegexOptions.CultureInvariant);

        /// <summary>The output without its first line when that is the id line; <paramref name="id"/> 0 when there is none.</summary>
        public static string Strip(string output, out int id)
        {
            id = 0;
            var m = Line.Match(output);
            if (!m.Success) return output;
            if (!int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out id)) id = 0;
            return output.Substring(m.Length);
        }
    }

    /// <summary>
    /// How commands reach a host: SSH (SSH.NET), the local /bin/sh, or recorded replies in the
    /// tests. The collectors and their parsers only see this, so they are tested without a network.
    /// Failures of the link itself are thrown as <see cref="Core.TssrException"/> with a stable ErrorId.
    /// </summary>
    internal interface ICommandTransport : IDisposable
    {
        /// <summary>host:port, or the local machine's name.</summary>
        string Target { get; }

        RemoteShell Shell { get; }

        /// <summary>True once a probe (uname -s / cmd /c ver) has told which shell answers.</summary>
        bool ShellProbed { get; }

        /// <summary>Records what the probe found (the collector and the command wrapping follow it).</summary>
        void SetShell(RemoteShell shell);

        bool IsConnected { get; }

        Task<CommandReply> RunAsync(CommandRequest request, CancellationToken cancellationToken);
    }
}
