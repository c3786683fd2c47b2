using System;
using System.Collections.Generic;
using System.Numerics;

namespace Tssr.Tools.Engine.Network.Subnet
{
    /// <summary>What Get-TssrSubnet computes for its input networks.</summary>
    public enum SubnetOperation
    {
        /// <summary>One SubnetInfo per input.</summary>
        Describe,
        /// <summary>Each input cut into subnets of <see cref="SubnetOptions.SplitPrefixLength"/>.</summary>
        Split,
        /// <summary>VLSM: one subnet per host count of <see cref="SubnetOptions.HostCounts"/>.</summary>
        Plan,
        /// <summary>Does each input hold each of <see cref="SubnetOptions.ContainsTargets"/>?</summary>
        Contains,
        /// <summary>Every pair of inputs that share addresses (needs the whole list).</summary>
        FindOverlaps,
        /// <summary>The fewest networks covering the inputs (needs the whole list).</summary>
        Summarize,
    }

    /// <summary>The options of one <see cref="SubnetEngine.RunAsync"/>: the operation and its settings.</summary>
    public sealed class SubnetOptions
    {
        public SubnetOperation Operation { get; set; } = SubnetOperation.Describe;

        /// <summary>Split: the prefix length of the subnets.</summary>
        public int SplitPrefixLength { get; set; }

        /// <summary>Split: the most subnets one input may give; null lifts the limit.</summary>
        public BigInteger? SplitLimit { get; set; } = SubnetEngine.DefaultSplitLimit;

        /// <summary>Plan: the host count of each subnet wanted.</summary>
        public IReadOnlyList<long> HostCounts { get; set; } = Array.Empty<long>();

        /// <summary>Contains: the addresses or networks looked for, parsed once (see <see cref="SubnetEngine.ParseTargets"/>).</summary>
        public IReadOnlyList<ParsedSubnet> ContainsTargets { get; set; } = Array.Empty<ParsedSubnet>();

        /// <summary>Contains: write only the answer, a boolean per input and target (-Quiet).</summary>
        public bool Quiet { get; set; }
    }
}
