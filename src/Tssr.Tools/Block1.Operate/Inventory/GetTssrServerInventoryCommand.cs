using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory;
using Tssr.Tools.Engine.Inventory.Model;
using Tssr.Tools.Engine.Inventory.Ssh;

namespace Tssr.Tools
{
    /// <summary>
    /// Inventories servers without an agent: Linux (and Windows over OpenSSH with PowerShell as the
    /// shell) through one collector script per host, many hosts at once, or the local machine
    /// without SSH when no target is given. Every fact carries its source; a fact that fails is
    /// marked and the rest of the host is kept.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TssrServerInventory", DefaultParameterSetName = Local)]
    [OutputType(typeof(ServerInventory))]
    [Competency(Competency.OperateLinuxServers, Competency.OperateWindowsServersAndActiveDirectory, Competency.MaintainVirtualisedServers)]
    public sealed class GetTssrServerInventoryCommand : SshCmdlet
    {
        private const string Local = nameof(Local);
        private StreamingWork<SshTargetInput>? _work;
        private InventoryCollector? _collector;

        /// <summary>Hosts: host, host:port, IPv6 or [IPv6]:port.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByComputerName)]
        [Alias("HostName", "DNSHostName", "IPAddress")]
        [ValidateNotNullOrEmpty]
        public string[] ComputerName { get; set; } = Array.Empty<string>();

        /// <summary>Sessions from New-TssrSshSession.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = BySession)]
        [ValidateNotNull]
        public TssrSshSession[] Session { get; set; } = Array.Empty<TssrSshSession>();

        /// <summary>Seconds the collection may take on one host, after the connection.</summary>
        [Parameter]
        [ValidateRange(0.1, 3600.0)]
        public double TimeoutSec { get; set; } = InventoryOptions.DefaultTimeout.TotalSeconds;

        /// <summary>The libvirt URI asked for guests (virsh -c).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(LibvirtUriCompleter))]
        public string LibvirtUri { get; set; } = InventoryOptions.DefaultLibvirtUri;

        protected override void BeginProcessing()
        {
            var options = new InventoryOptions
            {
                Connection = BuildConnectOptions(TypedComputerNames(ComputerName)),
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                LibvirtUri = LibvirtUri,
            };
            _collector = Invoke(() => new InventoryCollector(options));
        }

        // Piped sessions or rows: the parameter set is only known once a record is bound, so the
        // streaming work starts with the first record (in BeginProcessing it still reads Local).
        protected override void ProcessRecord()
        {
            if (ParameterSetName == Local) return;
            if (_work == null) _work = StartStreaming<SshTargetInput>(_collector!.RunAsync, inputCapacity: ThrottleLimit * 2);
            if (ParameterSetName == BySession)
                foreach (var s in Session) _work.Post(SshTargetInput.For(s));
            else
                foreach (var name in ComputerName) _work.Post(SshTargetInput.For(name));
        }

        protected override void EndProcessing()
        {
            if (_work != null) _work.Finish();
            // The local machine only when nothing was piped in (an empty pipe inventories nothing).
            else if (ParameterSetName == Local && !MyInvocation.ExpectingInput) Run(_collector!.RunLocalAsync);
        }
    }

    /// <summary>Completes -LibvirtUri with the usual URIs.</summary>
    public sealed class LibvirtUriCompleter : IArgumentCompleter
    {
        private static readonly string[] Uris = { "qemu:///system", "qemu:///session", "test:///default", "lxc:///system", "xen:///system" };

        public System.Collections.Generic.IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
        {
            foreach (var uri in Uris)
                if (uri.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult(uri, uri, CompletionResultType.ParameterValue, uri);
        }
    }
}
