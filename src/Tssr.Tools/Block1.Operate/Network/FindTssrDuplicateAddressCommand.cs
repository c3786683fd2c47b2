using System;
using System.Collections.Generic;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Arp;

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
        [Alias("IPAddress", "Address", "ComputerName")]
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

        /// <summary>How long answers are collected after the last request to an address.</summary>
        [Parameter]
        [ValidateRange(50, 60000)]
        public int TimeoutMilliseconds { get; set; } = 1000;

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

        protected override void ProcessRecord() => _targets.AddRange(Target);

        // Every address of the pipeline goes into one run: the answer windows then overlap instead
        // of adding up, one per piped address.
        protected override void EndProcessing()
        {
            var options = new DuplicateAddressOptions(_targets.ToArray())
            {
                InterfaceName = InterfaceName,
                Count = Count,
                Timeout = TimeSpan.FromMilliseconds(TimeoutMilliseconds),
                Rate = Rate,
                IncludeUnique = IncludeUnique.IsPresent,
                ArpProbe = ArpProbe.IsPresent,
            };
            var scanner = new DuplicateAddressScanner();
            Run((sink, ct) => scanner.FindAsync(options, sink, ct));
        }
    }
}
