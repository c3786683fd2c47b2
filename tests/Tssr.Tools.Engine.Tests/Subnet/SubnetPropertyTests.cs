using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Threading;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Network.Subnet;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Subnet
{
    /// <summary>Laws of subnet arithmetic, checked on random IPv4 and IPv6 networks.</summary>
    public class SubnetPropertyTests
    {
        private static IpSubnet V4(uint address, byte length) => IpSubnet.Create(IpAddressFamily.IPv4, address, length % 33);

        private static IpSubnet V6(ulong high, ulong low, byte length)
            => IpSubnet.Create(IpAddressFamily.IPv6, (new BigInteger(high) << 64) | low, length % 129);

        private static IEnumerable<IpSubnet> Both(uint a, ulong high, ulong low, byte length)
        {
            yield return V4(a, length);
            yield return V6(high, low, length);
        }

        [Property(MaxTest = 300)]
        public bool Text_round_trips(uint a, ulong high, ulong low, byte length)
            => Both(a, high, low, length).All(s => SubnetParser.Parse(s.ToString()).Subnet.Equals(s));

        [Property(MaxTest = 300)]
        public bool Dotted_mask_means_the_same_as_the_prefix_length(uint a, ulong high, ulong low, byte length)
            => Both(a, high, low, length).All(s =>
                SubnetParser.Parse(s.NetworkText + "/" + IpSubnet.FormatAddress(s.Family, s.Mask)).Subnet.Equals(s)
                && SubnetParser.Parse(new SubnetInput(s.NetworkText, IpSubnet.FormatAddress(s.Family, s.Mask))).Subnet.Equals(s));

        [Property(MaxTest = 300)]
        public bool Any_address_with_a_length_names_the_network_that_holds_it(uint a, ulong high, ulong low, byte length)
        {
            var v4 = SubnetParser.Parse(IpSubnet.FormatAddress(IpAddressFamily.IPv4, a) + "/" + (length % 33));
            var v6Value = (new BigInteger(high) << 64) | low;
            var v6 = SubnetParser.Parse(IpSubnet.FormatAddress(IpAddressFamily.IPv6, v6Value) + "/" + (length % 129));
            return v4.Subnet.ContainsAddress(IpAddressFamily.IPv4, a) && v4.HostBitsSet == (v4.Subnet.Network != a)
                && v6.Subnet.ContainsAddress(IpAddressFamily.IPv6, v6Value) && v6.HostBitsSet == (v6.Subnet.Network != v6Value);
        }

        [Property(MaxTest = 300)]
        public bool First_is_at_most_last_and_all_lie_in_the_network(uint a, ulong high, ulong low, byte length)
            => Both(a, high, low, length).All(s =>
            {
                var info = SubnetInfo.From(s, null);
                var first = Value(s.Family, info.FirstHost);
                var last = Value(s.Family, info.LastHost);
                var counted = last - first + 1;
                return first <= last
                    && s.ContainsAddress(s.Family, first) && s.ContainsAddress(s.Family, last)
                    && counted == info.HostCount
                    && info.HostCount <= info.AddressCount
                    && (info.Broadcast == null || Value(s.Family, info.Broadcast) == s.Last);
            });

        [Property(MaxTest = 200)]
        public bool Every_address_of_a_small_subnet_is_inside_and_its_neighbours_are_not(uint a, byte hostBits)
        {
            var s = V4(a, (byte)(32 - hostBits % 9)); // up to 256 addresses: check every one
            for (var x = s.Network; x <= s.Last; x++)
                if (!s.ContainsAddress(IpAddressFamily.IPv4, x)) return false;
            var before = s.Network.IsZero || !s.ContainsAddress(IpAddressFamily.IPv4, s.Network - 1);
            var after = s.Last == uint.MaxValue || !s.ContainsAddress(IpAddressFamily.IPv4, s.Last + 1);
            return before && after;
        }

        [Property(MaxTest = 200)]
        public bool Random_addresses_of_a_large_subnet_are_inside(ulong high, ulong low, ulong offsetHigh, ulong offsetLow, byte length)
        {
            var s = V6(high, low, length);
            var offset = ((new BigInteger(offsetHigh) << 64) | offsetLow) % s.AddressCount;
            return s.ContainsAddress(IpAddressFamily.IPv6, s.Network + offset)
                && s.Contains(IpSubnet.Create(IpAddressFamily.IPv6, s.Network + offset, IpSubnet.WidthOf(IpAddressFamily.IPv6)))
                && (s.Last == IpSubnet.AllOnes(128) || !s.ContainsAddress(IpAddressFamily.IPv6, s.Last + 1));
        }

        [Property(MaxTest = 150)]
        public bool Split_then_summarize_gives_back_the_original(uint a, ulong high, ulong low, byte length, byte depth)
            => Both(a, high, low, length).All(s =>
            {
                var target = Math.Min(s.Width, s.PrefixLength + depth % 9); // at most 256 pieces
                var pieces = s.Split(target).ToList();
                var summary = IpSubnet.Summarize(pieces);
                return summary.Count == 1 && summary[0].Equals(s)
                    && pieces.Count == (int)s.CountSubnets(target)
                    && pieces.Aggregate(BigInteger.Zero, (sum, p) => sum + p.AddressCount) == s.AddressCount
                    && pieces.All(s.Contains);
            });

        [Property(MaxTest = 150)]
        public bool Split_host_counts_add_up(uint a, byte length, byte depth)
        {
            var s = V4(a, (byte)(length % 31));
            var target = Math.Min(32, s.PrefixLength + 1 + depth % 8);
            var sink = new RecordingSink();
            new SubnetEngine().Split(new[] { new SubnetInput(s.ToString()) }, target, null, sink, CancellationToken.None);
            var pieces = sink.OutputsOf<SubnetInfo>().ToList();
            var perPiece = target <= 30 ? 2 : 0; // network and broadcast of each piece
            return pieces.Aggregate(BigInteger.Zero, (sum, p) => sum + p.HostCount) + perPiece * pieces.Count
                    == SubnetInfo.From(s, null).AddressCount
                && pieces.Select(p => p.Prefix).Distinct().Count() == pieces.Count;
        }

        [Property(MaxTest = 150)]
        public bool Summary_covers_exactly_the_same_addresses(uint[] addresses, byte[] lengths)
        {
            var subnets = addresses.Zip(lengths, (a, l) => IpSubnet.Create(IpAddressFamily.IPv4, a, 16 + l % 17)).ToList();
            var summary = IpSubnet.Summarize(subnets);
            // Same union: every input lies in one summary block, every summary block is covered by the inputs.
            var inputsInside = subnets.All(s => summary.Any(b => b.Contains(s)));
            var covered = summary.Aggregate(BigInteger.Zero, (sum, b) => sum + b.AddressCount)
                == IpSubnet.MergeRanges(subnets).Aggregate(BigInteger.Zero, (sum, r) => sum + r.Last - r.First + 1);
            // Minimal: no two blocks overlap, and no two adjacent blocks could merge into their supernet.
            var disjoint = summary.Zip(summary.Skip(1), (x, y) => x.Last < y.Network).All(ok => ok);
            var unmergeable = summary.Zip(summary.Skip(1), (x, y) =>
                !(x.PrefixLength == y.PrefixLength && x.PrefixLength > 0 && x.Last + 1 == y.Network
                  && IpSubnet.Create(x.Family, x.Network, x.PrefixLength - 1).Network == x.Network)).All(ok => ok);
            return inputsInside && covered && disjoint && unmergeable;
        }

        [Property(MaxTest = 150)]
        public bool Overlap_finds_the_same_pairs_as_comparing_every_pair(uint[] addresses, byte[] lengths)
        {
            var subnets = addresses.Zip(lengths, (a, l) => IpSubnet.Create(IpAddressFamily.IPv4, a & 0xFF00FFFF, 8 + l % 25)).Take(40).ToList();
            var expected = new List<string>();
            for (var i = 0; i < subnets.Count; i++)
                for (var j = i + 1; j < subnets.Count; j++)
                    if (subnets[i].Overlaps(subnets[j])) expected.Add($"{i + 1}-{j + 1}");
            var sink = new RecordingSink();
            new SubnetEngine().FindOverlaps(subnets.Select(s => new SubnetInput(s.ToString())), sink, CancellationToken.None);
            var found = sink.OutputsOf<SubnetOverlap>().Select(o => $"{o.Position}-{o.OtherPosition}").ToList();
            return found.Count == expected.Count && !found.Except(expected).Any()
                && sink.OutputsOf<SubnetOverlap>().All(o => o.Position < o.OtherPosition);
        }

        [Property(MaxTest = 200)]
        public bool A_plan_that_fits_gives_disjoint_aligned_subnets_large_enough(uint a, byte length, ushort[] needs)
        {
            var parent = V4(a, (byte)(length % 25));
            var hostCounts = needs.Take(12).Select(n => (long)(n % 2000) + 1).ToList();
            if (hostCounts.Count == 0) return true;
            var sink = new RecordingSink();
            new SubnetEngine().Plan(new[] { new SubnetInput(parent.ToString()) }, hostCounts, sink, CancellationToken.None);
            var plan = sink.OutputsOf<SubnetInfo>().ToList();
            var needed = hostCounts.Aggregate(BigInteger.Zero, (sum, h) => sum + (BigInteger.One << SubnetEngine.HostBitsFor(IpAddressFamily.IPv4, h)));
            if (needed > parent.AddressCount)
                return plan.Count == 0 && sink.Errors.Single().ErrorId == "SubnetPlanDoesNotFit";
            var blocks = plan.Select(p => SubnetParser.Parse(p.Prefix).Subnet).ToList();
            return plan.Count == hostCounts.Count
                && plan.All(p => p.HostCount >= p.RequiredHosts!.Value && hostCounts[p.RequirementNumber!.Value - 1] == p.RequiredHosts)
                && plan.Select(p => p.RequirementNumber).Distinct().Count() == plan.Count
                && blocks.All(parent.Contains)
                && blocks.Zip(blocks.Skip(1), (x, y) => x.Last < y.Network).All(ok => ok);
        }

        private static BigInteger Value(IpAddressFamily family, string text)
        {
            Assert.True(SubnetParser.TryParseAddress(text, out var parsedFamily, out var value));
            Assert.Equal(family, parsedFamily);
            return value;
        }
    }
}
