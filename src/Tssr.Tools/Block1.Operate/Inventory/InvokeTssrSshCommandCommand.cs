using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory.Ssh;

namespace Tssr.Tools
{
    /// <summary>
    /// Runs one command on many hosts in parallel over SSH: one result per host with exit status,
    /// the whole stdout and stderr, and the duration. -TimeoutSec kills the remote command;
    /// -UseSudo passes the password to sudo on stdin, never on a command line.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "TssrSshCommand", DefaultParameterSetName = BySession)]
    [OutputType(typeof(SshCommandResult))]
    [Competency(Competency.OperateLinuxServers, Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class InvokeTssrSshCommandCommand : SshCmdlet
    {
        private StreamingWork<SshTargetInput>? _work;

        /// <summary>Hosts: host, host:port, IPv6 or [IPv6]:port.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByComputerName)]
        [Alias("HostName", "DNSHostName", "IPAddress")]
        [ValidateNotNullOrEmpty]
        public string[] ComputerName { get; set; } = Array.Empty<string>();

        /// <summary>Sessions from New-TssrSshSession.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = BySession)]
        [ValidateNotNull]
        public TssrSshSession[] Session { get; set; } = Array.Empty<TssrSshSession>();

        /// <summary>The command line, run by the remote shell.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Command { get; set; } = string.Empty;

        /// <summary>Seconds the command may run; then it is killed on the host (0: no limit).</summary>
        [Parameter]
        [ValidateRange(0.0, 86400.0)]
        public double TimeoutSec { get; set; }

        /// <summary>Run through sudo; the password of -Credential (or of the session) goes to sudo on stdin.</summary>
        [Parameter]
        public SwitchParameter UseSudo { get; set; }

        protected override void BeginProcessing()
        {
            var connection = BuildConnectOptions(TypedComputerNames(ComputerName));
            var options = new SshCommandOptions
            {
                Command = Command,
                Timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null,
                UseSudo = UseSudo.IsPresent,
                Connection = connection,
            };
            var runner = Invoke(() => new SshCommandRunner(options));
            _work = StartStreaming<SshTargetInput>(runner.RunAsync, inputCapacity: ThrottleLimit * 2);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == BySession)
                foreach (var s in Session) _work!.Post(SshTargetInput.For(s));
            else
                foreach (var name in ComputerName) _work!.Post(SshTargetInput.For(name));
        }

        protected override void EndProcessing() => _work!.Finish();
    }
}
