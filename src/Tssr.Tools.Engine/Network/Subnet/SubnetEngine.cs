using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Subnet
{
    /// <summary>
    /// Subnet calculations for Get-TssrSubnet. Pure CPU work, so the methods are synchronous; they
    /// stream every result to the sink as soon as it exists, check the token between results, and
    /// report a bad input as a non-terminating error so the rest of the list goes on.
    /// </summary>
    public sealed class SubnetEngine : IEngine<SubnetOptions, SubnetInput>
    {
        /// <summary>The most subnets one -Split may produce unless the caller lifts the limit.</summary>
        public static readonly BigInteger DefaultSplitLimit = BigInteger.One << 24;

        private const int ProgressEvery = 4096;
        private static readonly BigInteger ProgressThreshold = 65536;
        private static Localizer Text => SubnetParser.Text;

        /// <summary>
        /// The engine contract. The work is synchronous (pure CPU): it is done within the call and the
        /// task returned has already ended, so a cmdlet may run it on the pipeline thread.
        /// </summary>
        public Task RunAsync(SubnetOptions options, IEnumerable<SubnetInput> inputs, IEngineSink sink, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            return EngineTask.Run(() =>
            {
                switch (options.Operation)
                {
                    case SubnetOperation.Split:
                        Split(inputs, options.SplitPrefixLength, options.SplitLimit, sink, cancellationToken);
                        break;
                    case SubnetOperation.Plan:
                        Plan(inputs, options.HostCounts, sink, cancellationToken);
                        break;
                    case SubnetOperation.Contains:
                        Contains(inputs, options.ContainsTargets, options.Quiet ? new AnswerOnlySink(sink) : sink, cancellationToken);
                        break;
                    case SubnetOperation.FindOverlaps:
                        FindOverlaps(inputs, sink, cancellationToken);
                        break;
                    case SubnetOperation.Summarize:
                        Summarize(inputs, sink, cancellationToken);
                        break;
                    default:
                        Describe(inputs, sink, cancellationToken);
                        break;
                }
            }, cancellationToken);
        }

        /// <summary>-Quiet: each containment as its bare answer, True or False.</summary>
        private sealed class AnswerOnlySink : IEngineSink
        {
            private readonly IEngineSink _inner;

            public AnswerOnlySink(IEngineSink inner) => _inner = inner;

            public void Output(object item) => _inner.Output(item is SubnetContainment c ? c.Contains : item);
            public void Error(TssrError error) => _inner.Error(error);
            public void Warning(string message) => _inner.Warning(message);
            public void Verbose(string message) => _inner.Verbose(message);
            public void Progress(ProgressReport report) => _inner.Progress(report);
            public bool ShouldProcess(string target, string action) => _inner.ShouldProcess(target, action);
        }

        /// <summary>Describes each input network.</summary>
        public void Describe(IEnumerable<SubnetInput> inputs, IEngineSink sink, CancellationToken ct)
        {
            foreach (var parsed in ParseEach(inputs, sink, ct))
                sink.Output(SubnetInfo.From(parsed.Subnet, parsed.Input.Display));
        }

        /// <summary>
        /// Splits each input into subnets of <paramref name="prefixLength"/>, streamed one at a time.
        /// An input that would give more than <paramref name="limit"/> subnets is refused (null: no limit).
        /// </summary>
        public void Split(IEnumerable<SubnetInput> inputs, int prefixLength, BigInteger? limit, IEngineSink sink, CancellationToken ct)
        {
            foreach (var parsed in ParseEach(inputs, sink, ct))
            {
                var subnet = parsed.Subnet;
                var display = parsed.Input.Display;
                if (prefixLength > subnet.Width)
                {
                    sink.Error(Invalid("SubnetSplitPrefixOutOfRange", display,
                        Text.Format("Error_SplitOutOfRange", subnet, prefixLength, subnet.Family, subnet.Width),
                        Text.Format("Action_SplitRange", subnet.PrefixLength, subnet.Width)));
                    continue;
                }
                if (prefixLength < subnet.PrefixLength)
                {
                    sink.Error(Invalid("SubnetSplitPrefixTooShort", display,
                        Text.Format("Error_SplitTooShort", subnet, prefixLength),
                        Text.Format("Action_SplitRange", subnet.PrefixLength, subnet.Width)));
                    continue;
                }
                var count = subnet.CountSubnets(prefixLength);
                if (limit.HasValue && count > limit.Value)
                {
                    sink.Error(new TssrError("SubnetSplitTooLarge", TssrErrorCategory.LimitsExceeded, display,
                        Text.Format("Error_SplitTooLarge", subnet, prefixLength, Count(count), Count(limit.Value)),
                        Text.Format("Action_SplitTooLarge", SmallestSensiblePrefix(subnet, limit.Value))));
                    continue;
                }

                var parent = subnet.ToString();
                var showProgress = count >= ProgressThreshold;
                var activity = Text.Format("Progress_Split", parent, prefixLength);
                long done = 0;
                foreach (var child in subnet.Split(prefixLength))
                {
                    ct.ThrowIfCancellationRequested();
                    sink.Output(new SubnetInfo(child, null, parent, null, null));
                    done++;
                    if (showProgress && done % ProgressEvery == 0)
                        sink.Progress(new ProgressReport(activity, Text.Format("Progress_SplitStatus", Count(done), Count(count)), (int)(done * 100 / count)));
                }
                if (showProgress)
                    sink.Progress(new ProgressReport(activity, string.Empty, 100, completed: true));
            }
        }

        /// <summary>
        /// VLSM: cuts each input into one subnet per host requirement, largest first, each the
        /// smallest that holds its hosts. Reports which requirement each subnet serves; an input too
        /// small for the whole list is an error that says how large it needs to be.
        /// </summary>
        public void Plan(IEnumerable<SubnetInput> inputs, IReadOnlyList<long> hostCounts, IEngineSink sink, CancellationToken ct)
        {
            if (hostCounts == null || hostCounts.Count == 0 || hostCounts.Any(h => h < 1))
                throw new TssrException("SubnetHostCountInvalid", TssrErrorCategory.InvalidArgument, hostCounts,
                    Text.Get("Error_HostCountInvalid"), Text.Get("Action_HostCountInvalid"));

            foreach (var parsed in ParseEach(inputs, sink, ct))
            {
                var subnet = parsed.Subnet;
                var requirements = hostCounts
                    .Select((hosts, index) => (Hosts: hosts, Number: index + 1, HostBits: HostBitsFor(subnet.Family, hosts)))
                    .OrderByDescending(r => r.HostBits).ThenBy(r => r.Number)
                    .ToList();
                var needed = requirements.Aggregate(BigInteger.Zero, (sum, r) => sum + (BigInteger.One << r.HostBits));
                if (needed > subnet.AddressCount)
                {
                    var detail = string.Join(", ", requirements.Select(r =>
                        Text.Format("Plan_Requirement", Count(r.Hosts), subnet.Width - r.HostBits)));
                    var neededBits = CeilingLog2(needed);
                    var action = neededBits <= subnet.Width
                        ? Text.Format("Action_PlanDoesNotFit", subnet.Width - neededBits)
                        : Text.Get("Action_PlanImpossible");
                    sink.Error(new TssrError("SubnetPlanDoesNotFit", TssrErrorCategory.LimitsExceeded, parsed.Input.Display,
                        Text.Format("Error_PlanDoesNotFit", subnet, Count(needed), detail, Count(subnet.AddressCount)), action));
                    continue;
                }

                // Largest first keeps every block aligned on its own size, so a running cursor is enough.
                var parent = subnet.ToString();
                var cursor = subnet.Network;
                foreach (var r in requirements)
                {
                    ct.ThrowIfCancellationRequested();
                    var block = IpSubnet.Create(subnet.Family, cursor, subnet.Width - r.HostBits);
                    sink.Output(new SubnetInfo(block, null, parent, r.Hosts, r.Number));
                    cursor += block.AddressCount;
                }
                var free = cursor <= subnet.Last
                    ? string.Join(", ", IpSubnet.FromRange(subnet.Family, cursor, subnet.Last))
                    : string.Empty;
                sink.Verbose(free.Length == 0
                    ? Text.Format("Verbose_PlanFull", parent)
                    : Text.Format("Verbose_PlanFree", parent, free));
            }
        }

        /// <summary>
        /// The host bits of the smallest subnet that holds <paramref name="hosts"/>: IPv4 keeps the
        /// network and broadcast addresses apart (two hosts take a /30, as VLSM is taught and run);
        /// IPv6 has no broadcast, so every address counts.
        /// </summary>
        public static int HostBitsFor(IpAddressFamily family, long hosts)
        {
            if (family == IpAddressFamily.IPv4)
                return Math.Max(2, CeilingLog2(new BigInteger(hosts) + 2));
            return CeilingLog2(hosts);
        }

        /// <summary>Parses the -Contains targets once; a bad one stops the command before any work.</summary>
        public IReadOnlyList<ParsedSubnet> ParseTargets(IEnumerable<string> targets, IEngineSink sink)
        {
            var parsed = new List<ParsedSubnet>();
            foreach (var target in targets)
            {
                ParsedSubnet p;
                try
                {
                    p = SubnetParser.Parse(new SubnetInput(target));
                }
                catch (TssrException e)
                {
                    throw new TssrException("SubnetContainsTargetInvalid", TssrErrorCategory.InvalidArgument, target,
                        Text.Format("Error_ContainsTarget", e.Error.Message), e.Error.RecommendedAction, e);
                }
                WarnHostBits(p, sink);
                parsed.Add(p);
            }
            return parsed;
        }

        /// <summary>For each input and each target: does the input network hold every address of the target?</summary>
        public void Contains(IEnumerable<SubnetInput> inputs, IReadOnlyList<ParsedSubnet> targets, IEngineSink sink, CancellationToken ct)
        {
            foreach (var parsed in ParseEach(inputs, sink, ct))
            {
                var prefix = parsed.Subnet.ToString();
                foreach (var target in targets)
                    sink.Output(new SubnetContainment(prefix, parsed.Input.Display, target.Input.Display, target.Subnet.ToString(),
                        parsed.Subnet.Contains(target.Subnet)));
            }
        }

        /// <summary>
        /// Reports every pair of the list that shares addresses, once, the earlier input first.
        /// Sort then sweep with a stack of the networks still open: CIDR blocks nest, so every one on
        /// the stack holds the next network. O(n log n) plus one step per pair reported.
        /// </summary>
        public void FindOverlaps(IEnumerable<SubnetInput> inputs, IEngineSink sink, CancellationToken ct)
        {
            var entries = ParseEach(inputs, sink, ct, keepPositions: true).ToList();
            entries.Sort((a, b) =>
            {
                var c = a.Parsed.Subnet.CompareTo(b.Parsed.Subnet);
                return c != 0 ? c : a.Position.CompareTo(b.Position);
            });
            var open = new List<(ParsedSubnet Parsed, int Position)>();
            var pairs = 0;
            foreach (var entry in entries)
            {
                ct.ThrowIfCancellationRequested();
                while (open.Count > 0 && !open[open.Count - 1].Parsed.Subnet.Contains(entry.Parsed.Subnet))
                    open.RemoveAt(open.Count - 1);
                foreach (var holder in open)
                {
                    pairs++;
                    sink.Output(holder.Position < entry.Position
                        ? new SubnetOverlap(holder.Position, holder.Parsed.Subnet, entry.Position, entry.Parsed.Subnet)
                        : new SubnetOverlap(entry.Position, entry.Parsed.Subnet, holder.Position, holder.Parsed.Subnet));
                }
                open.Add(entry);
            }
            sink.Verbose(Text.Format("Verbose_Overlaps", Count(entries.Count), Count(pairs)));
        }

        /// <summary>
        /// The minimal list of networks covering exactly the union of the inputs: contained networks
        /// absorbed, adjacent ones merged into their supernet.
        /// </summary>
        public void Summarize(IEnumerable<SubnetInput> inputs, IEngineSink sink, CancellationToken ct)
        {
            var members = ParseEach(inputs, sink, ct).Select(p => p.Subnet).ToList();
            members.Sort();
            var next = 0;
            foreach (var range in IpSubnet.MergeRanges(members))
            {
                foreach (var block in IpSubnet.FromRange(range.Family, range.First, range.Last))
                {
                    ct.ThrowIfCancellationRequested();
                    // Members are sorted and aligned: each one lies wholly inside one block.
                    var covered = new List<IpSubnet>();
                    while (next < members.Count && block.Contains(members[next]))
                        covered.Add(members[next++]);
                    sink.Verbose(Text.Format("Verbose_Summary", block, Shorten(covered.Distinct())));
                    sink.Output(SubnetInfo.From(block, null));
                }
            }
        }

        private static IEnumerable<ParsedSubnet> ParseEach(IEnumerable<SubnetInput> inputs, IEngineSink sink, CancellationToken ct)
            => ParseEach(inputs, sink, ct, keepPositions: false).Select(e => e.Parsed);

        private static IEnumerable<(ParsedSubnet Parsed, int Position)> ParseEach(IEnumerable<SubnetInput> inputs, IEngineSink sink, CancellationToken ct, bool keepPositions)
        {
            var position = 0;
            foreach (var input in inputs)
            {
                ct.ThrowIfCancellationRequested();
                position++;
                ParsedSubnet parsed;
                try
                {
                    parsed = SubnetParser.Parse(input);
                }
                catch (TssrException e)
                {
                    sink.Error(e.Error);
                    continue;
                }
                WarnHostBits(parsed, sink);
                yield return (parsed, position);
            }
        }

        private static void WarnHostBits(ParsedSubnet parsed, IEngineSink sink)
        {
            if (parsed.HostBitsSet)
                sink.Warning(Text.Format("Warning_HostBitsSet", parsed.Input.Display, parsed.Subnet,
                    IpSubnet.FormatAddress(parsed.Subnet.Family, parsed.Address)));
        }

        private static TssrError Invalid(string errorId, string target, string message, string action)
            => new TssrError(errorId, TssrErrorCategory.InvalidArgument, target, message, action);

        /// <summary>The longest prefix a split of <paramref name="subnet"/> may ask for within the limit.</summary>
        private static int SmallestSensiblePrefix(IpSubnet subnet, BigInteger limit)
        {
            var bits = 0;
            while ((BigInteger.One << (bits + 1)) <= limit) bits++;
            return Math.Min(subnet.Width, subnet.PrefixLength + bits);
        }

        /// <summary>The smallest n with 2^n &gt;= value (value &gt;= 1).</summary>
        internal static int CeilingLog2(BigInteger value)
        {
            var n = 0;
            while ((BigInteger.One << n) < value) n++;
            return n;
        }

        private static string Shorten(IEnumerable<IpSubnet> subnets)
        {
            const int shown = 8;
            var list = subnets.ToList();
            var text = string.Join(", ", list.Take(shown));
            return list.Count > shown ? text + ", … (+" + (list.Count - shown).ToString(CultureInfo.CurrentCulture) + ")" : text;
        }

        private static string Count(BigInteger value) => value.ToString("N0", CultureInfo.CurrentCulture);
    }
}
