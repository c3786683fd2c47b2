using System;
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
        public CommandReply(int? exitStatus, string? exitSignal, string output, string errorOutput, TimeSpan duration, bool timedOut)
        {
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
