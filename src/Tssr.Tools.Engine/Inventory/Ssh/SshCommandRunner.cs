using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Inventory.Ssh
{
    /// <summary>How a command ended.</summary>
    public enum SshCommandStatus
    {
        /// <summary>Exit status 0.</summary>
        Success,
        /// <summary>Another exit status.</summary>
        Failed,
        /// <summary>Killed by a signal.</summary>
        Signalled,
        /// <summary>-TimeoutSec elapsed: the remote command was killed.</summary>
        TimedOut,
    }

    /// <summary>One host's answer to Invoke-TssrSshCommand.</summary>
    public sealed class SshCommandResult
    {
        internal SshCommandResult(string computerName, int port, string userName, string command, bool usedSudo, CommandReply reply)
        {
            ComputerName = computerName;
            Port = port;
            UserName = userName;
            Command = command;
            UsedSudo = usedSudo;
            ExitStatus = reply.ExitStatus;
            ExitSignal = reply.ExitSignal;
            Output = reply.Output;
            ErrorOutput = reply.ErrorOutput;
            Duration = reply.Duration;
            Killed = reply.Killed;
            Status = reply.TimedOut ? SshCommandStatus.TimedOut
                : reply.ExitStatus == 0 ? SshCommandStatus.Success
                : reply.ExitStatus == null && reply.ExitSignal != null ? SshCommandStatus.Signalled
                : SshCommandStatus.Failed;
        }

        public string ComputerName { get; }
        public int Port { get; }
        public string UserName { get; }
        /// <summary>The command as given (without the sudo wrapping).</summary>
        public string Command { get; }
        public bool UsedSudo { get; }
        public SshCommandStatus Status { get; }
        public int? ExitStatus { get; }
        public string? ExitSignal { get; }
        /// <summary>The whole standard output.</summary>
        public string Output { get; }
        public string ErrorOutput { get; }
        public TimeSpan Duration { get; }
        /// <summary>
        /// True when -TimeoutSec elapsed and the command was killed on the host, confirmed by the
        /// kill itself (POSIX: its process group; Windows: its process tree, not verified on
        /// Windows). False when it ended by itself, or when the kill could not be confirmed.
        /// </summary>
        public bool Killed { get; }

        public override string ToString()
            => string.Format(CultureInfo.InvariantCulture, "{0}:{1} {2} ({3})", ComputerName, Port, Status, ExitStatus?.ToString(CultureInfo.InvariantCulture) ?? ExitSignal ?? "-");
    }

    /// <summary>What Invoke-TssrSshCommand runs, and how.</summary>
    public sealed class SshCommandOptions
    {
        public string Command { get; set; } = string.Empty;
        /// <summary>null: no limit.</summary>
        public TimeSpan? Timeout { get; set; }
        public bool UseSudo { get; set; }
        public SshConnectOptions Connection { get; set; } = new SshConnectOptions();
    }

    /// <summary>Invoke-TssrSshCommand: one command on many hosts in parallel, one result per host.</summary>
    public sealed class SshCommandRunner
    {
        internal const string SudoPrefix = "sudo -S -p '' ";
        private readonly SshCommandOptions _options;

        public SshCommandRunner(SshCommandOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            SshOptionChecks.Checked(options.Connection);
            if (string.IsNullOrEmpty(options.Command))
                throw new TssrException("InventoryOptionInvalid", TssrErrorCategory.InvalidArgument, "Command", InventoryText.Strings.Format("Error_OptionInvalid", "Command", string.Empty));
            if (options.Timeout.HasValue && options.Timeout.Value <= TimeSpan.Zero)
                throw new TssrException("InventoryOptionInvalid", TssrErrorCategory.InvalidArgument, "TimeoutSec", InventoryText.Strings.Format("Error_OptionInvalid", "TimeoutSec", options.Timeout.Value.TotalSeconds));
        }

        /// <summary>Single-quotes <paramref name="text"/> for a POSIX shell.</summary>
        internal static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''") + "'";

        /// <summary>
        /// sudo reads the password once on stdin (-v), then runs the command without stdin, so the
        /// password can never reach the command even where sudo needs none.
        /// </summary>
        internal static string SudoCommand(string command)
            => SudoPrefix + "-v && sudo -n -- sh -c " + ShellQuote(command) + " </dev/null";

        public Task RunAsync(IEnumerable<SshTargetInput> targets, IEngineSink sink, CancellationToken ct)
            => Throttle.ForEachAsync(targets, _options.Connection.ThrottleLimit, async (target, token) =>
            {
                try
                {
                    using (var lease = await SessionLease.AcquireAsync(target, _options.Connection, sink, token).ConfigureAwait(false))
                    {
                        var result = await RunOneAsync(lease.Session, token).ConfigureAwait(false);
                        if (result.Status == SshCommandStatus.TimedOut)
                            sink.Warning(InventoryText.Strings.Format(result.Killed ? "Warning_CommandTimedOut" : "Warning_CommandNotKilled", lease.Session.Endpoint.Display, _options.Timeout?.TotalSeconds));
                        sink.Output(result);
                    }
                }
                catch (TssrException e)
                {
                    sink.Error(e.Error);
                }
            }, sink, InventoryText.Strings.Get("Progress_RunCommand"), ct);

        private async Task<SshCommandResult> RunOneAsync(TssrSshSession session, CancellationToken ct)
        {
            var command = _options.Command;
            byte[]? stdin = null;
            if (_options.UseSudo)
            {
                if (session.Shell != RemoteShell.Posix)
                    throw new TssrException("SshSudoUnsupported", TssrErrorCategory.InvalidOperation, session.Endpoint.Display,
                        InventoryText.Strings.Format("Error_SudoUnsupported", session.Endpoint.Display));
                var password = _options.Connection.Password ?? session.SudoPassword;
                if (password == null)
                    throw new TssrException("SshSudoPasswordMissing", TssrErrorCategory.InvalidArgument, session.Endpoint.Display,
                        InventoryText.Strings.Format("Error_SudoPasswordMissing", session.Endpoint.Display), InventoryText.Strings.Get("Action_SudoPasswordMissing"));
                command = SudoCommand(command);
                stdin = Secrets.SudoInput(password);
            }
            else if (session.Shell == RemoteShell.PowerShell)
            {
                // Run by powershell.exe whatever the default shell, so its PID is known and a
                // timeout can kill its process tree (not verified on Windows: no Windows host here).
                var windows = Collectors.CollectorScripts.PowerShellCommandFor(command);
                command = windows.CommandLine;
                stdin = windows.StandardInput;
            }
            try
            {
                var reply = await session.Transport.RunAsync(new CommandRequest(command, _options.Timeout, stdin), ct).ConfigureAwait(false);
                return new SshCommandResult(session.ComputerName, session.Port, session.UserName, _options.Command, _options.UseSudo, reply);
            }
            finally
            {
                if (stdin != null) Array.Clear(stdin, 0, stdin.Length);
            }
        }
    }
}
