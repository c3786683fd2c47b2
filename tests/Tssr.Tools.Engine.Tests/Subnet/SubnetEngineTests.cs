using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Threading;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Subnet;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Subnet
{
    public class SubnetInfoTests
    {
        private static SubnetInfo Describe(string text)
        {
            var sink = new RecordingSink();
            new SubnetEngine().Describe(new[] { new SubnetInput(text) }, sink, CancellationToken.None);
            Assert.Empty(sink.Errors);
            return Assert.Single(sink.OutputsOf<SubnetInfo>());
        }

        [Fact]
        public void Describes_an_IPv4_LAN()
        {
            var s = Describe("192.168.1.0/24");
            Assert.Equal("192.168.1.0/24", s.Prefix);
            Assert.Equal("192.168.1.0", s.Network);
            Assert.Equal(24, s.PrefixLength);
            Assert.Equal("255.255.255.0", s.Mask);
            Assert.Equal("0.0.0.255", s.WildcardMask);
            Assert.Equal("192.168.1.255", s.Broadcast);
            Assert.Equal("192.168.1.1", s.FirstHost);
            Assert.Equal("192.168.1.254", s.LastHost);
            Assert.Equal(new BigInteger(254), s.HostCount);
            Assert.Equal(new BigInteger(256), s.AddressCount);
            Assert.Equal(IpAddressFamily.IPv4, s.AddressFamily);
            Assert.Equal(SubnetCategory.Private, s.Category);
            Assert.Equal("RFC 1918", s.CategoryReference);
            Assert.Null(s.Note);
        }

        [Fact]
        public void A_slash_31_is_a_point_to_point_link_with_two_hosts_and_no_broadcast()
        {
            var s = Describe("10.0.0.0/31");
            Assert.Null(s.Broadcast);
            Assert.Equal("10.0.0.0", s.FirstHost);
            Assert.Equal("10.0.0.1", s.LastHost);
            Assert.Equal(new BigInteger(2), s.HostCount);
            Assert.Contains("RFC 3021", s.Note);
        }

        [Fact]
        public void A_slash_32_is_one_host()
        {
            var s = Describe("10.9.8.7/32");
            Assert.Null(s.Broadcast);
            Assert.Equal("10.9.8.7", s.FirstHost);
            Assert.Equal("10.9.8.7", s.LastHost);
            Assert.Equal(BigInteger.One, s.HostCount);
            Assert.NotNull(s.Note);
        }

        [Fact]
        public void IPv6_has_no_broadcast_and_counts_beyond_64_bits()
        {
            var s = Describe("2001:db8:1::/48");
            Assert.Null(s.Broadcast);
            Assert.Equal("2001:db8:1::", s.FirstHost);
            Assert.Equal("2001:db8:1:ffff:ffff:ffff:ffff:ffff", s.LastHost);
            Assert.Equal(BigInteger.Pow(2, 80), s.HostCount);
            Assert.Equal("ffff:ffff:ffff::", s.Mask);
            Assert.Equal(SubnetCategory.Documentation, s.Category);

            var all = Describe("::/0");
            Assert.Equal(BigInteger.Pow(2, 128), all.AddressCount);
            Assert.Equal(SubnetCategory.Mixed, all.Category);
        }

        [Fact]
        public void IPv6_slash_127_and_128_are_explained()
        {
            var p2p = Describe("2001:db8::/127");
            Assert.Equal(new BigInteger(2), p2p.HostCount);
            Assert.Contains("RFC 6164", p2p.Note);
            var host = Describe("2001:db8::5/128");
            Assert.Equal(BigInteger.One, host.HostCount);
            Assert.Equal("2001:db8::5", host.FirstHost);
            Assert.NotNull(host.Note);
        }

        [Theory]
        [InlineData("10.20.0.0/16", SubnetCategory.Private, "RFC 1918")]
        [InlineData("172.31.255.0/24", SubnetCategory.Private, "RFC 1918")]
        [InlineData("172.32.0.0/16", SubnetCategory.Public, null)]
        [InlineData("100.64.0.0/10", SubnetCategory.SharedAddressSpace, "RFC 6598")]
        [InlineData("100.128.0.0/10", SubnetCategory.Public, null)]
        [InlineData("127.0.0.1", SubnetCategory.Loopback, "RFC 1122")]
        [InlineData("169.254.10.0/24", SubnetCategory.LinkLocal, "RFC 3927")]
        [InlineData("192.0.2.0/24", SubnetCategory.Documentation, "RFC 5737")]
        [InlineData("198.51.100.0/25", SubnetCategory.Documentation, "RFC 5737")]
        [InlineData("203.0.113.7", SubnetCategory.Documentation, "RFC 5737")]
        [InlineData("198.18.0.0/15", SubnetCategory.Benchmarking, "RFC 2544")]
        [InlineData("198.19.255.0/30", SubnetCategory.Benchmarking, "RFC 2544")]
        [InlineData("198.20.0.0/16", SubnetCategory.Public, null)]
        [InlineData("224.0.0.0/24", SubnetCategory.Multicast, "RFC 5771")]
        [InlineData("255.255.255.255", SubnetCategory.Reserved, "RFC 919")]
        [InlineData("240.0.0.0/8", SubnetCategory.Reserved, "RFC 1112")]
        [InlineData("8.8.8.0/24", SubnetCategory.Public, null)]
        [InlineData("192.168.0.0/15", SubnetCategory.Mixed, "RFC 1918")]
        [InlineData("::1", SubnetCategory.Loopback, "RFC 4291")]
        [InlineData("fe80::/64", SubnetCategory.LinkLocal, "RFC 4291")]
        [InlineData("fd12:3456:789a::/48", SubnetCategory.UniqueLocal, "RFC 4193")]
        [InlineData("2001:db8::/32", SubnetCategory.Documentation, "RFC 3849")]
        [InlineData("3fff:123::/32", SubnetCategory.Documentation, "RFC 9637")]
        [InlineData("2001:2::/48", SubnetCategory.Benchmarking, "RFC 5180")]
        [InlineData("ff02::1", SubnetCategory.Multicast, "RFC 4291")]
        [InlineData("2a01:cb00::/32", SubnetCategory.Public, null)]
        public void Classifies_special_purpose_ranges(string text, SubnetCategory category, string? reference)
        {
            var s = Describe(text);
            Assert.Equal(category, s.Category);
            Assert.Equal(reference, s.CategoryReference);
        }

        [Fact]
        public void Warns_when_host_bits_are_set_and_uses_the_network()
        {
            var sink = new RecordingSink();
            new SubnetEngine().Describe(new[] { new SubnetInput("10.0.0.5/8") }, sink, CancellationToken.None);
            Assert.Equal("10.0.0.0/8", Assert.Single(sink.OutputsOf<SubnetInfo>()).Prefix);
            var warning = Assert.Single(sink.Warnings);
            Assert.Contains("10.0.0.5/8", warning);
            Assert.Contains("10.0.0.0/8", warning);
        }

        [Fact]
        public void A_bad_item_is_a_non_terminating_error_and_the_list_goes_on()
        {
            var sink = new RecordingSink();
            new SubnetEngine().Describe(new[] { new SubnetInput("10.0.0.0/8"), new SubnetInput("10.0.0.0/33"), new SubnetInput("192.168.0.0/16") }, sink, CancellationToken.None);
            Assert.Equal(new[] { "10.0.0.0/8", "192.168.0.0/16" }, sink.OutputsOf<SubnetInfo>().Select(s => s.Prefix));
            var error = Assert.Single(sink.Errors);
            Assert.Equal("SubnetPrefixLengthOutOfRange", error.ErrorId);
            Assert.Equal("10.0.0.0/33", error.Target);
        }
    }

    public class SubnetEngineTests
    {
        private static readonly SubnetEngine Engine = new SubnetEngine();

        private static SubnetInput[] In(params string[] texts) => texts.Select(t => new SubnetInput(t)).ToArray();

        [Fact]
        public void Splits_a_slash_24_into_four_slash_26()
        {
            var sink = new RecordingSink();
            Engine.Split(In("192.168.1.0/24"), 26, SubnetEngine.DefaultSplitLimit, sink, CancellationToken.None);
            var parts = sink.OutputsOf<SubnetInfo>().ToList();
            Assert.Equal(new[] { "192.168.1.0/26", "192.168.1.64/26", "192.168.1.128/26", "192.168.1.192/26" }, parts.Select(p => p.Prefix));
            Assert.All(parts, p => Assert.Equal("192.168.1.0/24", p.Parent));
            Assert.Equal("192.168.1.191", parts[2].Broadcast);
        }

        [Fact]
        public void Split_streams_and_stops_when_asked()
        {
            // 10.0.0.0/8 into /30 is 4,194,304 subnets: the consumer stops after three.
            using var cts = new CancellationTokenSource();
            var sink = new StoppingSink(3, cts);
            Assert.ThrowsAny<System.OperationCanceledException>(() =>
                Engine.Split(In("10.0.0.0/8"), 30, SubnetEngine.DefaultSplitLimit, sink, cts.Token));
            Assert.Equal(3, sink.Count);
        }

        [Fact]
        public void Split_refuses_absurd_counts_unless_the_limit_is_lifted()
        {
            var sink = new RecordingSink();
            Engine.Split(In("2001:db8::/32", "10.0.0.0/24"), 64, SubnetEngine.DefaultSplitLimit, sink, CancellationToken.None);
            var errors = sink.Errors.Select(e => e.ErrorId).ToList();
            Assert.Equal(new[] { "SubnetSplitTooLarge", "SubnetSplitPrefixOutOfRange" }, errors);
            Assert.Equal(TssrErrorCategory.LimitsExceeded, sink.Errors[0].Category);
            Assert.Contains("4", sink.Errors[0].Message);
            Assert.Empty(sink.Outputs);

            using var cts = new CancellationTokenSource();
            var stopping = new StoppingSink(2, cts);
            Assert.ThrowsAny<System.OperationCanceledException>(() =>
                Engine.Split(In("2001:db8::/32"), 64, null, stopping, cts.Token));
            Assert.Equal(2, stopping.Count);
        }

        [Fact]
        public void Split_refuses_a_prefix_shorter_than_the_network()
        {
            var sink = new RecordingSink();
            Engine.Split(In("10.0.0.0/24"), 16, null, sink, CancellationToken.None);
            Assert.Equal("SubnetSplitPrefixTooShort", Assert.Single(sink.Errors).ErrorId);
        }

        [Fact]
        public void Split_reports_progress_on_long_runs()
        {
            var sink = new RecordingSink();
            Engine.Split(In("10.0.0.0/8"), 24, null, sink, CancellationToken.None);
            Assert.Equal(65536, sink.Outputs.Count);
            Assert.NotEmpty(sink.ProgressReports);
            Assert.True(sink.ProgressReports.Last().Completed);
        }

        [Fact]
        public void Plans_VLSM_largest_first_and_says_which_need_each_subnet_serves()
        {
            var sink = new RecordingSink();
            Engine.Plan(In("192.168.1.0/24"), new long[] { 20, 100, 2, 50 }, sink, CancellationToken.None);
            var plan = sink.OutputsOf<SubnetInfo>().ToList();
            Assert.Equal(new[] { "192.168.1.0/25", "192.168.1.128/26", "192.168.1.192/27", "192.168.1.224/30" }, plan.Select(p => p.Prefix));
            Assert.Equal(new long?[] { 100, 50, 20, 2 }, plan.Select(p => p.RequiredHosts));
            Assert.Equal(new int?[] { 2, 4, 1, 3 }, plan.Select(p => p.RequirementNumber));
            Assert.All(plan, p => Assert.True(p.HostCount >= p.RequiredHosts!.Value));
            Assert.Contains(sink.VerboseMessages, v => v.Contains("192.168.1.228/30") && v.Contains("192.168.1.240/28"));
        }

        [Fact]
        public void Plan_explains_when_the_needs_do_not_fit()
        {
            var sink = new RecordingSink();
            Engine.Plan(In("192.168.1.0/25", "192.168.2.0/24"), new long[] { 100, 50, 20, 2 }, sink, CancellationToken.None);
            var error = Assert.Single(sink.Errors);
            Assert.Equal("SubnetPlanDoesNotFit", error.ErrorId);
            Assert.Equal("192.168.1.0/25", error.Target);
            Assert.Contains("228", error.Message);
            Assert.Contains("/24", error.RecommendedAction);
            Assert.Equal(4, sink.OutputsOf<SubnetInfo>().Count()); // the second network is still planned
        }

        [Theory]
        [InlineData(IpAddressFamily.IPv4, 1, 2)]
        [InlineData(IpAddressFamily.IPv4, 2, 2)]
        [InlineData(IpAddressFamily.IPv4, 3, 3)]
        [InlineData(IpAddressFamily.IPv4, 6, 3)]
        [InlineData(IpAddressFamily.IPv4, 7, 4)]
        [InlineData(IpAddressFamily.IPv4, 254, 8)]
        [InlineData(IpAddressFamily.IPv4, 255, 9)]
        [InlineData(IpAddressFamily.IPv6, 1, 0)]
        [InlineData(IpAddressFamily.IPv6, 2, 1)]
        [InlineData(IpAddressFamily.IPv6, 256, 8)]
        [InlineData(IpAddressFamily.IPv6, 257, 9)]
        public void Sizes_each_need_to_the_smallest_subnet(IpAddressFamily family, long hosts, int hostBits)
            => Assert.Equal(hostBits, SubnetEngine.HostBitsFor(family, hosts));

        [Fact]
        public void Answers_containment_per_network_and_target()
        {
            var sink = new RecordingSink();
            var targets = Engine.ParseTargets(new[] { "10.1.2.3", "192.168.1.0/24", "2001:db8::1" }, sink);
            Engine.Contains(In("10.0.0.0/8", "192.168.0.0/16"), targets, sink, CancellationToken.None);
            var answers = sink.OutputsOf<SubnetContainment>().Select(c => c.Prefix + " " + c.Target + " " + c.Contains).ToList();
            Assert.Equal(new[]
            {
                "10.0.0.0/8 10.1.2.3 True", "10.0.0.0/8 192.168.1.0/24 False", "10.0.0.0/8 2001:db8::1 False",
                "192.168.0.0/16 10.1.2.3 False", "192.168.0.0/16 192.168.1.0/24 True", "192.168.0.0/16 2001:db8::1 False",
            }, answers);
        }

        [Fact]
        public void A_bad_containment_target_stops_everything_with_its_name()
        {
            var e = Assert.Throws<TssrException>(() => Engine.ParseTargets(new[] { "10.0.0.1", "10.0.0.300" }, new RecordingSink()));
            Assert.Equal("SubnetContainsTargetInvalid", e.Error.ErrorId);
            Assert.Equal("10.0.0.300", e.Error.Target);
        }

        [Fact]
        public void Finds_every_overlapping_pair_once_earlier_input_first()
        {
            var sink = new RecordingSink();
            Engine.FindOverlaps(In("10.1.2.0/24", "10.0.0.0/8", "192.168.0.0/24", "10.1.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "2001:db8::/32", "2001:db8:1::/48"), sink, CancellationToken.None);
            var pairs = sink.OutputsOf<SubnetOverlap>().Select(o => $"{o.Position}:{o.Prefix} {o.Relation} {o.OtherPosition}:{o.OtherPrefix}").OrderBy(s => s).ToList();
            Assert.Equal(new[]
            {
                "1:10.1.2.0/24 Within 2:10.0.0.0/8",
                "1:10.1.2.0/24 Within 4:10.1.0.0/16",
                "1:10.1.2.0/24 Within 5:10.1.0.0/16",
                "2:10.0.0.0/8 Contains 4:10.1.0.0/16",
                "2:10.0.0.0/8 Contains 5:10.1.0.0/16",
                "2:10.0.0.0/8 Contains 6:10.2.0.0/16",
                "4:10.1.0.0/16 Identical 5:10.1.0.0/16",
                "7:2001:db8::/32 Contains 8:2001:db8:1::/48",
            }, pairs);
            var shared = sink.OutputsOf<SubnetOverlap>().Single(o => o.Position == 1 && o.OtherPosition == 2);
            Assert.Equal("10.1.2.0/24", shared.SharedPrefix);
            Assert.Equal(new BigInteger(256), shared.SharedAddressCount);
        }

        [Fact]
        public void Overlap_keeps_positions_when_a_bad_item_is_skipped()
        {
            var sink = new RecordingSink();
            Engine.FindOverlaps(In("10.0.0.0/8", "bad", "10.0.0.0/8"), sink, CancellationToken.None);
            var pair = Assert.Single(sink.OutputsOf<SubnetOverlap>());
            Assert.Equal((1, 3), (pair.Position, pair.OtherPosition));
            Assert.Single(sink.Errors);
        }

        [Fact]
        public void Summarizes_into_the_fewest_networks()
        {
            var sink = new RecordingSink();
            Engine.Summarize(In("10.0.1.0/24", "10.0.0.0/24", "10.0.2.0/23", "10.0.2.128/25", "10.0.4.0/24", "10.0.6.0/24",
                "2001:db8:8000::/33", "2001:db8::/33", "192.168.0.0/24"), sink, CancellationToken.None);
            Assert.Equal(new[] { "10.0.0.0/22", "10.0.4.0/24", "10.0.6.0/24", "192.168.0.0/24", "2001:db8::/32" },
                sink.OutputsOf<SubnetInfo>().Select(s => s.Prefix));
            Assert.Contains(sink.VerboseMessages, v => v.StartsWith("10.0.0.0/22") && v.Contains("10.0.2.0/23"));
        }

        [Fact]
        public void Summarizes_an_odd_range_into_aligned_blocks()
        {
            // 10.0.0.1 to 10.0.0.6 is not one CIDR block: /32, /31, /31, /32.
            var blocks = IpSubnet.FromRange(IpAddressFamily.IPv4, 0x0A000001, 0x0A000006).Select(b => b.ToString());
            Assert.Equal(new[] { "10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32" }, blocks);
        }

        /// <summary>Cancels once it has received <c>limit</c> outputs, like Select-Object -First.</summary>
        private sealed class StoppingSink : IEngineSink
        {
            private readonly int _limit;
            private readonly CancellationTokenSource _cts;

            public StoppingSink(int limit, CancellationTokenSource cts)
            {
                _limit = limit;
                _cts = cts;
            }

            public int Count { get; private set; }

            public void Output(object item)
            {
                Count++;
                if (Count >= _limit) _cts.Cancel();
            }

            public void Error(TssrError error) => Assert.Fail(error.Message);
            public void Warning(string message) { }
            public void Verbose(string message) { }
            public void Progress(ProgressReport report) { }
            public bool ShouldProcess(string target, string action) => true;
        }
    }
}
