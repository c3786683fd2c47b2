using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
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

        private readonly SubnetEngine _engine = new SubnetEngine();
        private readonly List<SubnetInput> _collected = new List<SubnetInput>();
        private IReadOnlyList<ParsedSubnet> _targets = Array.Empty<ParsedSubnet>();
        private DirectSink? _direct;

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
            _direct = new DirectSink(this);
            if (ParameterSetName == ContainsSet)
                _targets = Invoke(() => _engine.ParseTargets(Contains, _direct));
        }

        protected override void ProcessRecord()
        {
            var inputs = (Prefix ?? Array.Empty<string>()).Select(p => new SubnetInput(p, Mask)).ToList();
            var sink = _direct ?? new DirectSink(this);
            switch (ParameterSetName)
            {
                case FindOverlapSet:
                case SummarizeSet:
                    // Both need the whole list: collect now, work in EndProcessing.
                    _collected.AddRange(inputs);
                    return;
                case SplitSet:
                    // Possibly millions of results: streamed from a worker, with progress and Ctrl+C.
                    var limit = Force.IsPresent ? (System.Numerics.BigInteger?)null : SubnetEngine.DefaultSplitLimit;
                    Run((worker, ct) => Sync(() => _engine.Split(inputs, Split, limit, worker, ct)));
                    return;
                // The rest is a few results per input: computed here, on the pipeline thread, which
                // keeps a 20,000-row CSV fast (no worker hand-off per row).
                case HostCountSet:
                    Invoke(() => Sync(() => _engine.Plan(inputs, HostCount, new PlanSink(sink), Cancellation)));
                    return;
                case ContainsSet:
                    Invoke(() => Sync(() => _engine.Contains(inputs, _targets, Quiet.IsPresent ? new QuietSink(sink) : sink, Cancellation)));
                    return;
                default:
                    Invoke(() => Sync(() => _engine.Describe(inputs, sink, Cancellation)));
                    return;
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == FindOverlapSet)
                Run((sink, ct) => Sync(() => _engine.FindOverlaps(_collected, sink, ct)));
            else if (ParameterSetName == SummarizeSet)
                Run((sink, ct) => Sync(() => _engine.Summarize(_collected, sink, ct)));
        }

        private static Task Sync(Action work)
        {
            work();
            return Task.CompletedTask;
        }

        /// <summary>The sink for work done on the pipeline thread itself: writes at once.</summary>
        private sealed class DirectSink : IEngineSink
        {
            private readonly GetTssrSubnetCommand _cmdlet;

            public DirectSink(GetTssrSubnetCommand cmdlet) => _cmdlet = cmdlet;

            public void Output(object item) => _cmdlet.WriteObject(item);
            public void Error(TssrError error) => _cmdlet.WriteTssrError(error);
            public void Warning(string message) => _cmdlet.WriteWarning(message);
            public void Verbose(string message) => _cmdlet.WriteVerbose(message);
            public void Progress(ProgressReport report) => _cmdlet.WriteProgressReport(report);
            public bool ShouldProcess(string target, string action) => _cmdlet.ShouldProcess(target, action);
        }

        /// <summary>Passes everything through, but tags subnets with the plan view's type name.</summary>
        private sealed class PlanSink : ForwardingSink
        {
            public PlanSink(IEngineSink inner) : base(inner) { }

            public override void Output(object item)
            {
                var wrapped = new PSObject(item);
                wrapped.TypeNames.Insert(0, PlanTypeName);
                base.Output(wrapped);
            }
        }

        /// <summary>-Quiet: the bare answer, True or False.</summary>
        private sealed class QuietSink : ForwardingSink
        {
            public QuietSink(IEngineSink inner) : base(inner) { }

            public override void Output(object item) => base.Output(((SubnetContainment)item).Contains);
        }

        private abstract class ForwardingSink : IEngineSink
        {
            private readonly IEngineSink _inner;

            protected ForwardingSink(IEngineSink inner) => _inner = inner;

            public virtual void Output(object item) => _inner.Output(item);
            public void Error(TssrError error) => _inner.Error(error);
            public void Warning(string message) => _inner.Warning(message);
            public void Verbose(string message) => _inner.Verbose(message);
            public void Progress(ProgressReport report) => _inner.Progress(report);
            public bool ShouldProcess(string target, string action) => _inner.ShouldProcess(target, action);
        }
    }
}
