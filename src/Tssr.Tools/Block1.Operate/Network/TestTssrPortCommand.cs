using System;
using System.Collections.Generic;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Ports;
using Tssr.Tools.Engine.Network.Targets;

namespace Tssr.Tools
{
    /// <summary>Tests TCP ports of hosts, addresses, ranges and CIDR blocks in parallel: open, closed or filtered.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "TssrPort", DefaultParameterSetName = ByTarget)]
    [OutputType(typeof(PortProbeResult))]
    [Competency(Competency.OperateIpNetwork)]
    public sealed class TestTssrPortCommand : TssrCmdlet
    {
        private const string ByTarget = nameof(ByTarget);

        private StreamingWork<PortScanJob>? _work;
        private string[]? _commandLinePorts;
        private IReadOnlyList<int>? _commandLinePortList;
        private string? _lastPipelinePortsKey;
        private IReadOnlyList<int>? _lastPipelinePorts;

        /// <summary>Host names, addresses, ranges (10.0.0.1-50) or CIDR blocks (10.0.0.0/24).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByTarget, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ComputerName", "DNSHostName", "HostName", "Host", "IPAddress", "Address", "Prefix", "Cidr")]
        [ValidateNotNullOrEmpty]
        public string[] Target { get; set; } = Array.Empty<string>();

        /// <summary>Port numbers, ranges (1-1024) or service names (ssh, https, rdp); a common set when omitted.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Port { get; set; }

        /// <summary>Milliseconds without an answer before a port is called Filtered.</summary>
        [Parameter]
        [ValidateRange(1, 600000)]
        public int Timeout { get; set; } = PortScanOptions.DefaultTimeoutMs;

        /// <summary>Extra attempts for a port found Filtered.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int Retry { get; set; } = PortScanOptions.DefaultRetry;

        /// <summary>Connections in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int ThrottleLimit { get; set; } = PortScanOptions.DefaultThrottleLimit;

        /// <summary>Writes only the open ports.</summary>
        [Parameter]
        public SwitchParameter Open { get; set; }

        protected override void BeginProcessing()
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Port)))
            {
                // Ports typed on the command line are checked before any work: a bad one stops the command.
                _commandLinePorts = Port;
                _commandLinePortList = Invoke(() => PortParser.Parse(Port!));
            }
        }

        protected override void ProcessRecord()
        {
            var fromPipeline = MyInvocation.ExpectingInput;
            var ports = PortsOfThisRecord(fromPipeline);
            if (ports == null) return;

            var jobs = new List<PortScanJob>(Target.Length);
            foreach (var target in Target)
            {
                var job = new PortScanJob(target ?? string.Empty, ports);
                try
                {
                    job.Validate();
                    jobs.Add(job);
                }
                catch (TssrException e)
                {
                    // A bad target typed on the command line stops everything before the first SYN;
                    // a bad row among many piped ones is reported and the sweep goes on.
                    if (!fromPipeline) ThrowTerminatingError(ErrorFactory.Create(e.Error));
                    WriteTssrError(e.Error);
                }
            }

            if (jobs.Count == 0) return;
            if (_work == null)
            {
                // The sweep starts with the first valid record and takes the next ones as they come.
                var scanner = new PortScanner(new PortScanOptions(Timeout, Retry, ThrottleLimit, Open.IsPresent));
                _work = StartStreaming<PortScanJob>(scanner.ScanAsync, inputCapacity: 64);
            }
            foreach (var job in jobs)
                _work.Post(job);
        }

        protected override void EndProcessing() => _work?.Finish();

        /// <summary>
        /// The ports for this record: the command line's, the default set, or the Port property of
        /// the piped object (a CSV of host,port pairs). A bad piped value is this record's error only.
        /// </summary>
        private IReadOnlyList<int>? PortsOfThisRecord(bool fromPipeline)
        {
            if (Port == null) return PortScanOptions.DefaultPorts;
            if (ReferenceEquals(Port, _commandLinePorts)) return _commandLinePortList;
            var key = string.Join(",", Port);
            if (key == _lastPipelinePortsKey) return _lastPipelinePorts;
            try
            {
                _lastPipelinePorts = PortParser.Parse(Port);
                _lastPipelinePortsKey = key;
                return _lastPipelinePorts;
            }
            catch (TssrException e)
            {
                if (!fromPipeline) ThrowTerminatingError(ErrorFactory.Create(e.Error));
                WriteTssrError(e.Error);
                return null;
            }
        }
    }
}
