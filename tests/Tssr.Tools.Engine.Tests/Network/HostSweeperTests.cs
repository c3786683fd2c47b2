using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Icmp;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Network
{
    /// <summary>
    /// The sweep engine on loopback (127.0.0.0/8 and ::1 answer on every machine). The namespace lab,
    /// silent hosts, ICMP errors and the unprivileged path are covered by tests/Pester/Host.Tests.ps1.
    /// </summary>
    public class HostSweeperTests
    {
        /// <summary>Runs a sweep; false when this account may not send ICMP (then the error must say what to do).</summary>
        private static async Task<bool> TrySweep(string[] targets, HostSweepOptions options, RecordingSink sink)
        {
            try
            {
                await new HostSweeper().SweepAsync(targets, options, sink, CancellationToken.None);
                return true;
            }
            catch (TssrException e) when (e.Error.ErrorId == "IcmpNotPermitted")
            {
                Assert.Contains("ping_group_range", e.Error.RecommendedAction);
                Assert.Contains("setcap cap_net_raw+ep", e.Error.RecommendedAction);
                return false;
            }
        }

        [Fact]
        public async Task Loopback_hosts_are_up_with_one_attempt_each()
        {
            var sink = new RecordingSink();
            if (!await TrySweep(new[] { "127.0.0.1-127.0.0.20", "::1" }, new HostSweepOptions(), sink)) return;

            var results = sink.Outputs.Cast<HostProbeResult>().ToList();
            Assert.Empty(sink.Errors);
            Assert.Equal(21, results.Count);
            Assert.All(results, r =>
            {
                Assert.Equal(HostStatus.Up, r.Status);
                Assert.Equal(1, r.Attempts);
                Assert.Equal(1, r.Received);
                Assert.NotNull(r.RttMs);
                Assert.InRange(r.RttMs!.Value, 0, 500);
                Assert.Null(r.Reason);
            });
            Assert.Equal(Enumerable.Range(1, 20).Select(i => "127.0.0." + i).Concat(new[] { "::1" }).OrderBy(a => a),
                results.Select(r => r.IPAddress).OrderBy(a => a));
            var v4 = results.Where(r => System.Net.IPAddress.Parse(r.IPAddress).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).ToList();
            // Raw sockets read the TTL from the IP header (Linux answers with 64); Linux datagram sockets cannot.
            if (v4[0].Mode == IcmpMode.Raw) Assert.All(v4, r => Assert.Equal(64, r.Ttl));
            var last = sink.ProgressReports.Last();
            Assert.True(last.Completed);
            Assert.Contains("21", last.Status);
        }

        [Fact]
        public async Task Count_gives_loss_and_min_avg_max_statistics()
        {
            var sink = new RecordingSink();
            if (!await TrySweep(new[] { "127.0.0.1", "localhost" }, new HostSweepOptions { Count = 4, PeriodMs = 20 }, sink)) return;
            var results = sink.Outputs.Cast<HostProbeResult>().ToList();
            Assert.Equal(2, results.Count);
            Assert.Contains(results, r => r.ComputerName == "localhost");
            Assert.All(results, r =>
            {
                Assert.Equal(HostStatus.Up, r.Status);
                Assert.Equal(4, r.Attempts);
                Assert.Equal(4, r.Received);
                Assert.Equal(0, r.LossPercent);
                Assert.True(r.MinRttMs <= r.RttMs && r.RttMs <= r.MaxRttMs);
            });
        }

        [Fact]
        public async Task Bad_input_stops_the_sweep_before_anything_is_sent()
        {
            var sink = new RecordingSink();
            var e = await Assert.ThrowsAsync<TssrException>(() =>
                new HostSweeper().SweepAsync(new[] { "127.0.0.1", "10.0.0.0/33" }, new HostSweepOptions(), sink, CancellationToken.None));
            Assert.Equal("CidrInvalid", e.Error.ErrorId);
            Assert.Equal("10.0.0.0/33", e.Error.Target);
            Assert.Empty(sink.Outputs);
        }

        [Theory]
        [InlineData(nameof(HostSweepOptions.TimeoutMs), 0)]
        [InlineData(nameof(HostSweepOptions.IntervalMs), -1)]
        [InlineData(nameof(HostSweepOptions.Retry), 101)]
        [InlineData(nameof(HostSweepOptions.Count), 0)]
        [InlineData(nameof(HostSweepOptions.BufferSize), 70000)]
        [InlineData(nameof(HostSweepOptions.TimeToLive), 256)]
        [InlineData(nameof(HostSweepOptions.ThrottleLimit), 0)]
        public void Options_out_of_range_name_the_option(string name, int value)
        {
            var options = new HostSweepOptions();
            var property = typeof(HostSweepOptions).GetProperty(name)!;
            property.SetValue(options, value);
            var e = Assert.Throws<TssrException>(() => options.Validate());
            Assert.Equal("IcmpOptionOutOfRange", e.Error.ErrorId);
            Assert.Equal(name, e.Error.Target);
        }

        [Fact]
        public void Prefers_the_requested_family_among_resolved_addresses()
        {
            var both = new[] { IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1") };
            Assert.Equal(both[0], HostSweeper.Choose(both, System.Net.Sockets.AddressFamily.Unspecified));
            Assert.Equal(both[1], HostSweeper.Choose(both, System.Net.Sockets.AddressFamily.InterNetworkV6));
            Assert.Null(HostSweeper.Choose(new[] { both[0] }, System.Net.Sockets.AddressFamily.InterNetworkV6));
            var error = HostSweeper.NoAddressInFamily("web", new[] { both[0] }, System.Net.Sockets.AddressFamily.InterNetworkV6);
            Assert.Equal("HostNoAddressInFamily", error.ErrorId);
            Assert.Equal("web", error.Target);
        }
    }
}
