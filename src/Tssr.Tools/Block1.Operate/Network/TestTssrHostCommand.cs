using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net.Sockets;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network;
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
        [Alias("ComputerName", "IPAddress", "HostName", "Prefix", "Cidr")]
        public string[] Target { get; set; } = Array.Empty<string>();

        /// <summary>Echo requests per host; above 1 the result carries loss and min/avg/max round trip.</summary>
        [Parameter]
        [ValidateRange(1, 1000000)]
        public int Count { get; set; } = 1;

        /// <summary>Seconds between two echo requests, whatever their host (fping -i); 0.001 by default.</summary>
        [Parameter]
        [ValidateRange(0.0, 60.0)]
        public double IntervalSec { get; set; } = 0.001;

        /// <summary>Seconds to wait for each reply (fping -t); fractions allowed, 0.5 by default.</summary>
        [Parameter]
        [ValidateRange(0.001, 600.0)]
        public double TimeoutSec { get; set; } = 0.5;

        /// <summary>Further attempts after a timeout (fping -r).</summary>
        [Parameter]
        [ValidateRange(0, 100)]
        public int Retry { get; set; } = 1;

        /// <summary>Seconds between two requests to the same host with -Count (fping -p); 1 by default.</summary>
        [Parameter]
        [ValidateRange(0.001, 3600.0)]
        public double PeriodSec { get; set; } = 1.0;

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
        [EnumArgument(typeof(IcmpMode), nameof(Mode))]
        public IcmpMode Mode { get; set; } = IcmpMode.Auto;

        /// <summary>IPv4 blocks of /30 and wider also give their network and broadcast addresses (by default, their hosts only).</summary>
        [Parameter]
        public SwitchParameter IncludeNetworkAndBroadcast { get; set; }

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

        /// <summary>The former name of -TimeoutSec, in milliseconds, kept for existing scripts (a warning says to use the new name).</summary>
        [Parameter(DontShow = true)]
        [Alias("TimeoutMs")]
        [ValidateRange(1, 3600000)]
        public int Timeout { get; set; }

        /// <summary>The former name of -IntervalSec, in milliseconds, kept for existing scripts (a warning says to use the new name).</summary>
        [Parameter(DontShow = true)]
        [ValidateRange(0, 3600000)]
        public int IntervalMs { get; set; }

        /// <summary>The former name of -PeriodSec, in milliseconds, kept for existing scripts (a warning says to use the new name).</summary>
        [Parameter(DontShow = true)]
        [ValidateRange(1, 3600000)]
        public int PeriodMs { get; set; }

        protected override void BeginProcessing()
        {
            TimeoutSec = SecondsOrFormerMilliseconds(TimeoutSec, nameof(TimeoutSec), nameof(Timeout), Timeout);
            IntervalSec = SecondsOrFormerMilliseconds(IntervalSec, nameof(IntervalSec), nameof(IntervalMs), IntervalMs);
            PeriodSec = SecondsOrFormerMilliseconds(PeriodSec, nameof(PeriodSec), nameof(PeriodMs), PeriodMs);
            if (IPv4 && IPv6)
                ThrowParameterError("IcmpBothFamilies", "IPv4,IPv6", NetworkText.Icmp.Get("Param_BothFamilies"), NetworkText.Icmp.Get("Param_BothFamiliesAction"));
            if (Count > 1 && MyInvocation.BoundParameters.ContainsKey(nameof(Retry)))
                WriteWarning(NetworkText.Icmp.Get("Warning_RetryWithCount"));
        }

        protected override void ProcessRecord()
        {
            // Each input is checked as it arrives (a bad one typed on the command line stops the
            // command before anything is sent; a bad piped one is that record's error); the sweep
            // itself runs once over all of them, so that a pipeline of names is paced as one sweep
            // rather than one slow sweep per name.
            var fromPipeline = IsPipelineInput;
            foreach (var input in Target ?? Array.Empty<string>())
            {
                if (fromPipeline && IsUnboundRecord(input))
                {
                    WriteUnboundRecordError(input, nameof(Target));
                    continue;
                }
                if (TryReadInput(() => TargetParser.Count(input, IncludeNetworkAndBroadcast.IsPresent), fromPipeline, out _))
                    _targets.Add(input);
            }
        }

        protected override void EndProcessing()
        {
            if (_targets.Count == 0) return;
            var options = new HostSweepOptions
            {
                Mode = Mode,
                IntervalMs = (int)Math.Round(IntervalSec * 1000),
                TimeoutMs = Milliseconds(TimeoutSec),
                Retry = Retry,
                Count = Count,
                PeriodMs = Milliseconds(PeriodSec),
                BufferSize = BufferSize,
                TimeToLive = MyInvocation.BoundParameters.ContainsKey(nameof(TimeToLive)) ? TimeToLive : (int?)null,
                ThrottleLimit = ThrottleLimit,
                PreferredFamily = IPv4 ? AddressFamily.InterNetwork : IPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.Unspecified,
                IncludeNetworkAndBroadcast = IncludeNetworkAndBroadcast.IsPresent,
            };
            RunEngine(_sweeper, options, _targets);
        }

        private static int Milliseconds(double seconds) => Math.Max(1, (int)Math.Ceiling(seconds * 1000));
    }
}
