using System;
using System.Collections.Generic;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Subnet;

namespace Tssr.Tools
{
    /// <summary>
    /// Subnet calculator for IPv4 and IPv6: describes networks, splits them (by prefix length or by
    /// host counts, VLSM), tests containment, finds overlaps and summarises lists.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TssrSubnet", DefaultParameterSetName = DescribeSet)]
    [OutputType(typeof(SubnetInfo), ParameterSetName = new[] { DescribeSet, SplitSet, HostCountSet, SummarizeSet })]
    [OutputType(typeof(SubnetContainment), typeof(bool), ParameterSetName = new[] { ContainsSet })]
    [OutputType(typeof(SubnetOverlap), ParameterSetName = new[] { FindOverlapSet })]
    [Competency(Engine.Core.Competency.OperateIpNetwork)]
    public sealed class GetTssrSubnetCommand : TssrCmdlet
    {
        private const string DescribeSet = "Describe";
        private const string SplitSet = nameof(Split);
        private const string HostCountSet = nameof(HostCount);
        private const string ContainsSet = nameof(Contains);
        private const string FindOverlapSet = nameof(FindOverlap);
        private const string SummarizeSet = nameof(Summarize);

        /// <summary>The type name that selects the VLSM plan view (RequiredHosts beside each subnet).</summary>
        internal const string PlanTypeName = "Tssr.Tools.Engine.Network.Subnet.SubnetInfo#Plan";
        internal const string IPv6TypeName = "Tssr.Tools.Engine.Network.Subnet.SubnetInfo#IPv6";

        private readonly SubnetEngine _engine = new SubnetEngine();
        private readonly List<SubnetInput> _collected = new List<SubnetInput>();
        private SubnetOptions _options = new SubnetOptions();

        /// <summary>Networks: 192.168.1.0/24, 10.0.0.0/255.0.0.0, "10.0.0.0 255.0.0.0", 2001:db8::/48, or a bare address.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CIDR", "Network", "IPAddress", "Subnet")]
        [AllowEmptyString]
        public string[] Prefix { get; set; } = Array.Empty<string>();

        /// <summary>A mask or prefix length for every network that gives none itself (a CSV column, Get-NetIPAddress's PrefixLength).</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("SubnetMask", "Netmask", "PrefixLength")]
        public string? Mask { get; set; }

        /// <summary>Splits each network into subnets of this prefix length (26 or /26).</summary>
        [Parameter(Mandatory = true, ParameterSetName = SplitSet)]
        [PrefixLengthTransformation]
        [ValidateRange(0, 128)]
        public int Split { get; set; }

        /// <summary>Lifts the limit of 16,777,216 subnets per -Split.</summary>
        [Parameter(ParameterSetName = SplitSet)]
        public SwitchParameter Force { get; set; }

        /// <summary>VLSM: one subnet per host count, largest first, each the smallest that fits.</summary>
        [Parameter(Mandatory = true, ParameterSetName = HostCountSet)]
        [ValidateNotNullOrEmpty]
        [ValidateRange(1L, long.MaxValue)]
        public long[] HostCount { get; set; } = Array.Empty<long>();

        /// <summary>Addresses or subnets: does each network hold them?</summary>
        [Parameter(Mandatory = true, ParameterSetName = ContainsSet)]
        [ValidateNotNullOrEmpty]
        public string[] Contains { get; set; } = Array.Empty<string>();

        /// <summary>With -Contains: only True or False per network and target.</summary>
        [Parameter(ParameterSetName = ContainsSet)]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Reports every pair of input networks that share addresses.</summary>
        [Parameter(Mandatory = true, ParameterSetName = FindOverlapSet)]
        public SwitchParameter FindOverlap { get; set; }

        /// <summary>Merges the input networks into the fewest networks covering the same addresses.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SummarizeSet)]
        public SwitchParameter Summarize { get; set; }

        protected override void BeginProcessing()
        {
            _options = new SubnetOptions
            {
                Operation = OperationOf(ParameterSetName),
                SplitPrefixLength = Split,
                SplitLimit = Force.IsPresent ? (System.Numerics.BigInteger?)null : SubnetEngine.DefaultSplitLimit,
                HostCounts = HostCount,
                Quiet = Quiet.IsPresent,
            };
            if (ParameterSetName == ContainsSet)
                _options.ContainsTargets = Invoke(() => _engine.ParseTargets(Contains, new DirectSink(this)));
        }

        protected override void ProcessRecord()
        {
            var inputs = new List<SubnetInput>();
            foreach (var text in Prefix ?? Array.Empty<string>())
            {
                var input = new SubnetInput(text, Mask);
                if (IsPipelineInput)
                {
                    // A piped row without a column this command reads arrives as its own text (@{...}).
                    if (IsUnboundRecord(text))
                    {
                        WriteUnboundRecordError(text, nameof(Prefix));
                        continue;
                    }
                }
                else if (!TryReadInput(() => SubnetParser.Parse(input), out _))
                {
                    continue; // unreachable: a bad network typed on the command line stops the command
                }
                inputs.Add(input);
            }
            switch (_options.Operation)
            {
                case SubnetOperation.FindOverlaps:
                case SubnetOperation.Summarize:
                    // Both need the whole list: collect now, work in EndProcessing.
                    _collected.AddRange(inputs);
                    return;
                case SubnetOperation.Split:
                    // Possibly millions of results: streamed from a worker, with progress and Ctrl+C.
                    RunEngine(_engine, _options, inputs);
                    return;
                case SubnetOperation.Plan:
                    RunEngineInline(_engine, _options, inputs, AsPlanEntry);
                    return;
                default:
                    // A few results per input: computed here, on the pipeline thread, which keeps a
                    // 20,000-row CSV fast (no worker hand-off per row).
                    RunEngineInline(_engine, _options, inputs, AsFamilyEntry);
                    return;
            }
        }

        protected override void EndProcessing()
        {
            if (_options.Operation == SubnetOperation.FindOverlaps || _options.Operation == SubnetOperation.Summarize)
                RunEngine(_engine, _options, _collected);
        }

        private static SubnetOperation OperationOf(string parameterSet)
        {
            switch (parameterSet)
            {
                case SplitSet: return SubnetOperation.Split;
                case HostCountSet: return SubnetOperation.Plan;
                case ContainsSet: return SubnetOperation.Contains;
                case FindOverlapSet: return SubnetOperation.FindOverlaps;
                case SummarizeSet: return SubnetOperation.Summarize;
                default: return SubnetOperation.Describe;
            }
        }

        /// <summary>An IPv6 network gets its own view (no mask or broadcast; 39-character addresses), so
        /// that an 80-column console shows every answer; IPv4 results pass unwrapped.</summary>
        private static object AsFamilyEntry(object item)
        {
            if (!(item is SubnetInfo info) || info.AddressFamily != IpAddressFamily.IPv6) return item;
            var wrapped = new PSObject(item);
            wrapped.TypeNames.Insert(0, IPv6TypeName);
            return wrapped;
        }

        /// <summary>A subnet of a VLSM plan, tagged with the plan view's type name (RequiredHosts beside each subnet).</summary>
        private static object AsPlanEntry(object item)
        {
            var wrapped = new PSObject(item);
            wrapped.TypeNames.Insert(0, PlanTypeName);
            return wrapped;
        }
    }
}
