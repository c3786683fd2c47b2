using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory.Ssh;

namespace Tssr.Tools
{
    /// <summary>
    /// Opens SSH sessions to one or many hosts (in parallel), checking each host key against
    /// known_hosts before authenticating. The sessions are reused by the inventory cmdlets (-Session).
    /// </summary>
    [Cmdlet(VerbsCommon.New, "TssrSshSession", DefaultParameterSetName = ByComputerName)]
    [OutputType(typeof(TssrSshSession))]
    [Competency(Competency.OperateLinuxServers, Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class NewTssrSshSessionCommand : SshCmdlet
    {
        private StreamingWork<string>? _work;

        /// <summary>Hosts: host, host:port, IPv6 or [IPv6]:port.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByComputerName)]
        [Alias("HostName", "DNSHostName", "IPAddress", "Name")]
        [ValidateNotNullOrEmpty]
        public string[] ComputerName { get; set; } = Array.Empty<string>();

        protected override void BeginProcessing()
        {
            var options = BuildConnectOptions(TypedComputerNames(ComputerName));
            var opener = Invoke(() => new SshSessionOpener(options));
            _work = StartStreaming<string>(opener.RunAsync, inputCapacity: ThrottleLimit * 2);
        }

        protected override void ProcessRecord()
        {
            foreach (var name in ComputerName)
                _work!.Post(name);
        }

        protected override void EndProcessing() => _work!.Finish();
    }
}
