using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net.Sockets;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Icmp;
using Tssr.Tools.Engine.Network.Targets;

namespace Tssr.Tools
{
    /// <summary>Tests which hosts answer ICMP echo: an fping-class sweep on one socket.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "TssrHost")]
    [OutputType(typeof(HostProbeResult))]
    [Competency(Competency.OperateIpNetwork)]
    public sealed class TestTssrHostCommand : TssrCmdlet
    {
        private readonly List<string> _targets = new List<string>();
        private readonly HostSweeper _sweeper = new HostSweeper();

        /// <summary>Host names, addresses, ranges or CIDR blocks.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ComputerName", "IPAddress", "Address", "HostName")]
        public string[] Target { get; set; } = Array.Empty<string>();

        /// <summary>Echo requests per host; above 1 the result carries loss and min/avg/max round trip.</summary>
        [Parameter]
        [ValidateRange(1, 1000000)]
        public int Count { get; set; } = 1;

        /// <summary>Milliseconds between two echo requests, whatever their host (fping -i).</summary>
        [Parameter]
        [ValidateRange(0, 60000)]
        public int IntervalMs { get; set; } = 1;

        /// <summary>Milliseconds to wait for each reply (fping -t).</summary>
        [Parameter]
        [ValidateRange(1, 600000)]
        [Alias("TimeoutMs")]
        public int Timeout { get; set; } = 500;

        /// <summary>Further attempts after a timeout (fping -r).</summary>
        [Parameter]
        [ValidateRange(0, 100)]
        public int Retry { get; set; } = 1;

        /// <summary>Milliseconds between two requests to the same host with -Count (fping -p).</summary>
        [Parameter]
        [ValidateRange(1, 3600000)]
        public int PeriodMs { get; set; } = 1000;

        /// <summary>Bytes of data in each echo request.</summary>
        [Parameter]
        [ValidateRange(0, 65500)]
        public int BufferSize { get; set; } = 56;

        /// <summary>TTL (IPv6 hop limit) of the requests.</summary>
        [Parameter]
        [ValidateRange(1, 255)]
        [Alias("Ttl")]
        public int TimeToLive { get; set; }

        /// <summary>Raw sockets, unprivileged datagram sockets, the system Ping API, or the best allowed.</summary>
        [Parameter]
        public IcmpMode Mode { get; set; } = IcmpMode.Auto;

        /// <summary>Hosts under test at once.</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int ThrottleLimit { get; set; } = 1024;

        /// <summary>Test the IPv4 address of host names.</summary>
        [Parameter]
        public SwitchParameter IPv4 { get; set; }

        /// <summary>Test the IPv6 address of host names.</summary>
        [Parameter]
        public SwitchParameter IPv6 { get; set; }

        protected override void BeginProcessing()
        {
            if (IPv4 && IPv6)
                ThrowParameterError("IcmpBothFamilies", "IPv4,IPv6", HostSweepOptions.Text.Get("Param_BothFamilies"), HostSweepOptions.Text.Get("Param_BothFamiliesAction"));
            if (Count > 1 && MyInvocation.BoundParameters.ContainsKey(nameof(Retry)))
                WriteWarning(HostSweepOptions.Text.Get("Warning_RetryWithCount"));
        }

        protected override void ProcessRecord()
        {
            // Each input is checked as it arrives, so a bad one stops the command before anything
            // is sent; the sweep itself runs once over all of them, so that a pipeline of names is
            // paced as one sweep rather than one slow sweep per name.
            foreach (var input in Target ?? Array.Empty<string>())
            {
                Invoke(() => TargetParser.Count(input, includeNetworkAndBroadcast: false));
                _targets.Add(input);
            }
        }

        protected override void EndProcessing()
        {
            if (_targets.Count == 0) return;
            var options = new HostSweepOptions
            {
                Mode = Mode,
                IntervalMs = IntervalMs,
                TimeoutMs = Timeout,
                Retry = Retry,
                Count = Count,
                PeriodMs = PeriodMs,
                BufferSize = BufferSize,
                TimeToLive = MyInvocation.BoundParameters.ContainsKey(nameof(TimeToLive)) ? TimeToLive : (int?)null,
                ThrottleLimit = ThrottleLimit,
                PreferredFamily = IPv4 ? AddressFamily.InterNetwork : IPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.Unspecified,
            };
            Run((sink, ct) => _sweeper.SweepAsync(_targets, options, sink, ct));
        }
    }
}
