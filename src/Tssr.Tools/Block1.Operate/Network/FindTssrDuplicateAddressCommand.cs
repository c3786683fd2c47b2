using System;
using System.Collections.Generic;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Arp;
using Tssr.Tools.Engine.Network.Targets;

namespace Tssr.Tools
{
    /// <summary>
    /// Finds IP addresses answered by two or more MAC addresses on the local segment (ARP for IPv4,
    /// neighbour discovery for IPv6), the way arping -D does, for a whole range at once.
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "TssrDuplicateAddress")]
    [OutputType(typeof(DuplicateAddressResult))]
    [Competency(Competency.OperateIpNetwork)]
    public sealed class FindTssrDuplicateAddressCommand : TssrCmdlet
    {
        private readonly List<string> _targets = new List<string>();

        /// <summary>Addresses, ranges (10.0.0.1-50) or CIDR blocks of the local segment, or host names.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("IPAddress", "ComputerName", "Prefix", "Cidr")]
        [ValidateNotNullOrEmpty]
        public string[] Target { get; set; } = Array.Empty<string>();

        /// <summary>The interface to probe on; by default, the one whose subnet holds each address.</summary>
        [Parameter]
        [Alias("Interface", "InterfaceAlias")]
        [ValidateNotNullOrEmpty]
        public string? InterfaceName { get; set; }

        /// <summary>Requests sent to each address.</summary>
        [Parameter]
        [ValidateRange(1, 10)]
        public int Count { get; set; } = 2;

        /// <summary>Seconds during which answers are collected after the last request to an address (fractions allowed).</summary>
        [Parameter]
        [ValidateRange(0.05, 60.0)]
        public double TimeoutSec { get; set; } = 1.0;

        /// <summary>Requests per second on the wire.</summary>
        [Parameter]
        [ValidateRange(1, 10000)]
        public int Rate { get; set; } = 500;

        /// <summary>Also output addresses answered by a single MAC address.</summary>
        [Parameter]
        public SwitchParameter IncludeUnique { get; set; }

        /// <summary>Send RFC 5227 ARP probes (sender 0.0.0.0), which leave the neighbours' ARP caches untouched.</summary>
        [Parameter]
        public SwitchParameter ArpProbe { get; set; }

        /// <summary>The former name of -TimeoutSec, in milliseconds, kept for existing scripts (a warning says to use the new name).</summary>
        [Parameter(DontShow = true)]
        [ValidateRange(1, 3600000)]
        public int TimeoutMilliseconds { get; set; }

        protected override void BeginProcessing()
        {
            TimeoutSec = SecondsOrFormerMilliseconds(TimeoutSec, nameof(TimeoutSec), nameof(TimeoutMilliseconds), TimeoutMilliseconds);
        }

        protected override void ProcessRecord()
        {
            // Each input is checked as it arrives (the policy of every cmdlet: a bad one typed on the
            // command line stops the command, a bad piped one is that record's error); nothing goes
            // on the wire before EndProcessing.
            var fromPipeline = IsPipelineInput;
            foreach (var input in Target)
            {
                if (fromPipeline && IsUnboundRecord(input))
                {
                    WriteUnboundRecordError(input, nameof(Target));
                    continue;
                }
                if (TryReadInput(() => TargetParser.Count(input, includeNetworkAndBroadcast: false, maximum: Options.MaximumExpansion), fromPipeline, out _))
                    _targets.Add(input);
            }
        }

        // Every address of the pipeline goes into one run: the answer windows then overlap instead
        // of adding up, one per piped address.
        protected override void EndProcessing()
        {
            if (_targets.Count == 0) return;
            var options = new DuplicateAddressOptions
            {
                InterfaceName = InterfaceName,
                Count = Count,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                Rate = Rate,
                IncludeUnique = IncludeUnique.IsPresent,
                ArpProbe = ArpProbe.IsPresent,
            };
            RunEngine(new DuplicateAddressScanner(), options, _targets);
        }

        private static readonly DuplicateAddressOptions Options = new DuplicateAddressOptions();
    }
}
