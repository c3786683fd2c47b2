using System;
using System.Collections.Generic;
using System.Linq;
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
        [Alias("ComputerName", "DNSHostName", "HostName", "Host", "IPAddress", "Prefix", "Cidr")]
        [ValidateNotNullOrEmpty]
        public string[] Target { get; set; } = Array.Empty<string>();

        /// <summary>Port numbers, ranges (1-1024) or service names (ssh, https, rdp); a common set when omitted.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [ArgumentCompleter(typeof(ServicePortCompleter))]
        public string[]? Port { get; set; }

        /// <summary>Seconds without an answer before a port is called Filtered (fractions allowed: 0.3).</summary>
        [Parameter]
        [ValidateRange(0.001, 600.0)]
        public double TimeoutSec { get; set; } = PortScanOptions.DefaultTimeoutMs / 1000.0;

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

        /// <summary>IPv4 blocks of /30 and wider also give their network and broadcast addresses (by default, their hosts only).</summary>
        [Parameter]
        public SwitchParameter IncludeNetworkAndBroadcast { get; set; }

        /// <summary>The former name of -TimeoutSec, in milliseconds, kept for existing scripts (a warning says to use the new name).</summary>
        [Parameter(DontShow = true)]
        [ValidateRange(1, 3600000)]
        public int Timeout { get; set; }

        protected override void BeginProcessing()
        {
            TimeoutSec = SecondsOrFormerMilliseconds(TimeoutSec, nameof(TimeoutSec), nameof(Timeout), Timeout);
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Port)))
            {
                // Ports typed on the command line are checked before any work: a bad one stops the command.
                _commandLinePorts = Port;
                _commandLinePortList = Invoke(() => PortParser.Parse(Port!));
            }
        }

        protected override void ProcessRecord()
        {
            var fromPipeline = IsPipelineInput;
            var ports = PortsOfThisRecord(fromPipeline);
            if (ports == null) return;

            // Every target of this record is checked before any is probed: a bad one typed on the
            // command line stops everything before the first SYN; a bad row among many piped ones is
            // reported and the sweep goes on.
            var jobs = new List<PortScanJob>(Target.Length);
            foreach (var target in Target)
            {
                if (fromPipeline && IsUnboundRecord(target))
                {
                    WriteUnboundRecordError(target, nameof(Target));
                    continue;
                }
                var job = new PortScanJob(target ?? string.Empty, ports);
                if (TryReadInput(() => job.Validate(IncludeNetworkAndBroadcast.IsPresent), fromPipeline, out _))
                    jobs.Add(job);
            }

            if (jobs.Count == 0) return;
            if (_work == null)
            {
                // The sweep starts with the first valid record and takes the next ones as they come.
                var options = new PortScanOptions((int)Math.Ceiling(TimeoutSec * 1000), Retry, ThrottleLimit, Open.IsPresent, IncludeNetworkAndBroadcast.IsPresent);
                _work = StartEngine(new PortScanner(), options, inputCapacity: 64);
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
            // A piped object whose Port is empty (a DNS A record beside SRV ones) takes the default set.
            if (Port == null || Port.All(string.IsNullOrWhiteSpace)) return PortScanOptions.DefaultPorts;
            if (ReferenceEquals(Port, _commandLinePorts)) return _commandLinePortList;
            var key = string.Join(",", Port);
            if (key == _lastPipelinePortsKey) return _lastPipelinePorts;
            if (!TryReadInput(() => PortParser.Parse(Port), fromPipeline, out var parsed)) return null;
            _lastPipelinePorts = parsed;
            _lastPipelinePortsKey = key;
            return parsed;
        }
    }
}
