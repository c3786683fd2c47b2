using System;
using System.Collections.Generic;

namespace Tssr.Tools.Engine.Network.Arp
{
    /// <summary>What Find-TssrDuplicateAddress probes, and how.</summary>
    public sealed class DuplicateAddressOptions
    {
        /// <summary>Options without targets of their own: the inputs of <see cref="DuplicateAddressScanner.RunAsync"/> give them.</summary>
        public DuplicateAddressOptions() : this(Array.Empty<string>())
        {
        }

        public DuplicateAddressOptions(IReadOnlyList<string> targets)
        {
            Targets = targets ?? throw new ArgumentNullException(nameof(targets));
        }

        /// <summary>Addresses, ranges, CIDR blocks or host names, as TargetParser reads them.</summary>
        public IReadOnlyList<string> Targets { get; private set; }

        /// <summary>The interface to probe on; null picks, per address, the interface whose subnet holds it.</summary>
        public string? InterfaceName { get; set; }

        /// <summary>Requests sent to each address: a second one catches a host that missed the first.</summary>
        public int Count { get; set; } = 2;

        /// <summary>Time between two requests to the same address.</summary>
        public TimeSpan RetryInterval { get; set; } = TimeSpan.FromMilliseconds(200);

        /// <summary>How long answers are collected after the last request to an address.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(1000);

        /// <summary>Requests per second on the wire, all addresses together.</summary>
        public int Rate { get; set; } = 500;

        /// <summary>Also report addresses answered by exactly one MAC (an inventory of the segment).</summary>
        public bool IncludeUnique { get; set; }

        /// <summary>
        /// Send IPv4 requests as RFC 5227 probes (sender 0.0.0.0), which leave no trace in the
        /// neighbours' ARP caches. Probes for this host's own addresses are always of this kind.
        /// </summary>
        public bool ArpProbe { get; set; }

        /// <summary>The most addresses one input may expand to.</summary>
        public long MaximumExpansion { get; set; } = 65536;

        /// <summary>The same options for other targets.</summary>
        public DuplicateAddressOptions WithTargets(IReadOnlyList<string> targets)
        {
            var copy = (DuplicateAddressOptions)MemberwiseClone();
            copy.Targets = targets ?? throw new ArgumentNullException(nameof(targets));
            return copy;
        }

        /// <summary>At most this many addresses wait for answers at once, so memory stays flat.</summary>
        public int MaximumPending { get; set; } = 4096;
    }
}
