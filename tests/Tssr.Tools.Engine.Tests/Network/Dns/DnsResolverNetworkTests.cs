using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Dns;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Network.Dns
{
    /// <summary>
    /// The failures that need no DNS server, against real sockets on loopback: a UDP socket that
    /// reads queries and never answers (a silent server), and a port where nothing is bound.
    /// Answers from a real server are tested in Pester against the dnsmasq lab.
    /// </summary>
    public sealed class DnsResolverNetworkTests : IDisposable
    {
        private readonly UdpClient _silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly ConcurrentQueue<(DateTime At, int Length)> _received = new ConcurrentQueue<(DateTime, int)>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        public DnsResolverNetworkTests()
        {
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        var datagram = await _silent.ReceiveAsync();
                        _received.Enqueue((DateTime.UtcNow, datagram.Buffer.Length));
                    }
                    catch (ObjectDisposedException) { return; }
                    catch (SocketException) { return; }
                }
            });
        }

        private int SilentPort => ((IPEndPoint)_silent.Client.LocalEndPoint!).Port;

        private static int ClosedUdpPort()
        {
            using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
                return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        private static DnsResolveOptions Options(int port, double timeoutSeconds = 0.3, int retry = 0) => new DnsResolveOptions
        {
            Servers = new[] { DnsServerAddress.Parse("127.0.0.1:" + port) },
            Types = new[] { DnsRecordType.A },
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            Retry = retry,
        };

        [Fact]
        public async Task A_server_that_never_answers_is_a_timeout_after_every_attempt()
        {
            var sink = new RecordingSink();
            var watch = Stopwatch.StartNew();
            await new DnsResolver(Options(SilentPort, 0.3, retry: 1)).ResolveAsync(new[] { "web.tssr.lab" }, sink, CancellationToken.None);

            var error = Assert.Single(sink.Errors);
            Assert.Equal("DnsTimeout", error.ErrorId);
            Assert.Equal(TssrErrorCategory.OperationTimeout, error.Category);
            Assert.Equal("web.tssr.lab", error.Target);
            Assert.Contains("127.0.0.1:" + SilentPort, error.Message);
            Assert.Empty(sink.Outputs);
            // Two attempts reached the silent socket: the query was really sent, and retried.
            Assert.True(SpinWait.SpinUntil(() => _received.Count >= 2, 2000), $"{_received.Count} datagram(s) received");
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.55), $"gave up after {watch.Elapsed}");
        }

        [Fact]
        public async Task A_closed_port_is_a_refusal_not_a_timeout()
        {
            var sink = new RecordingSink();
            var port = ClosedUdpPort();
            await new DnsResolver(Options(port)).ResolveAsync(new[] { "web.tssr.lab" }, sink, CancellationToken.None);
            var error = Assert.Single(sink.Errors);
            Assert.Equal("DnsConnectionRefused", error.ErrorId);
            Assert.Equal(TssrErrorCategory.ConnectionError, error.Category);
        }

        [Fact]
        public async Task TcpOnly_goes_over_TCP_where_only_UDP_is_bound()
        {
            // The silent UDP socket owns the port for UDP only: over TCP nothing listens, so the
            // answer is an immediate refusal, where UDP waits for the timeout.
            var sink = new RecordingSink();
            var options = Options(SilentPort, timeoutSeconds: 5);
            options.TcpOnly = true;
            var watch = Stopwatch.StartNew();
            await new DnsResolver(options).ResolveAsync(new[] { "web.tssr.lab" }, sink, CancellationToken.None);
            Assert.Equal("DnsConnectionRefused", Assert.Single(sink.Errors).ErrorId);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
            Assert.True(_received.IsEmpty);
        }

        [Fact]
        public async Task IncludeFailure_writes_an_outcome_instead_of_an_error()
        {
            var sink = new RecordingSink();
            var options = Options(SilentPort, 0.2);
            options.IncludeFailure = true;
            await new DnsResolver(options).ResolveAsync(new[] { "web.tssr.lab", "bad name" }, sink, CancellationToken.None);
            Assert.Empty(sink.Errors);
            var outcomes = sink.Outputs.Cast<DnsResult>().OrderBy(o => o.Query).ToList();
            Assert.Equal(new[] { DnsStatus.InvalidName, DnsStatus.Timeout }, outcomes.Select(o => o.Status));
            Assert.Equal(new[] { "DnsNameInvalid", "DnsTimeout" }, outcomes.Select(o => o.ErrorId));
            Assert.All(outcomes, o => Assert.False(string.IsNullOrEmpty(o.Message)));
        }

        [Fact]
        public async Task Names_are_resolved_concurrently_but_never_more_than_the_throttle_limit()
        {
            // 12 names, 4 at a time, each waiting 0.6 s for a server that never answers. At most 4
            // in flight means the (i+4)-th query can only leave once the i-th has timed out; and the
            // run takes about 3 windows, not 12.
            var sink = new RecordingSink();
            var options = Options(SilentPort, 0.6);
            options.ThrottleLimit = 4;
            var names = Enumerable.Range(1, 12).Select(i => $"host{i}.tssr.lab").ToList();
            var watch = Stopwatch.StartNew();
            await new DnsResolver(options).ResolveAsync(names, sink, CancellationToken.None);
            watch.Stop();

            Assert.Equal(12, sink.Errors.Count(e => e.ErrorId == "DnsTimeout"));
            Assert.True(SpinWait.SpinUntil(() => _received.Count >= 12, 2000));
            var arrivals = _received.Select(r => r.At).OrderBy(t => t).ToList();
            var gaps = Enumerable.Range(0, arrivals.Count - 4).Select(i => (arrivals[i + 4] - arrivals[i]).TotalSeconds).ToList();
            Assert.True(gaps.All(g => g >= 0.4), "gaps between a query and the 4th after it: " + string.Join(", ", gaps.Select(g => g.ToString("0.00"))));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}: the names were not resolved concurrently");
        }

        [Fact]
        public async Task Cancellation_stops_the_run_promptly()
        {
            var sink = new RecordingSink();
            using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            {
                var watch = Stopwatch.StartNew();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                    new DnsResolver(Options(SilentPort, 10, retry: 3)).ResolveAsync(new[] { "a.tssr.lab", "b.tssr.lab" }, sink, cts.Token));
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
            }
        }

        [Fact]
        public async Task Cancellation_ends_the_run_even_when_the_sink_throws_once_stopped()
        {
            // The cmdlet's sink throws OperationCanceledException once Ctrl+C has cancelled its
            // queue: the run must still end (it hung, a slot never given back, when a name's last
            // progress report threw).
            using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            {
                var sink = new RecordingSink { OnProgress = _ => cts.Token.ThrowIfCancellationRequested() };
                var run = new DnsResolver(Options(SilentPort, 10, retry: 3)).ResolveAsync(new[] { "a.tssr.lab", "b.tssr.lab", "c.tssr.lab" }, sink, cts.Token);
                var first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5)));
                Assert.True(first == run, "the run did not end within 5 s of the cancellation");
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
            }
        }

        [Fact]
        public void Bad_options_are_refused_before_any_work()
        {
            var e = Assert.Throws<TssrException>(() => new DnsResolver(new DnsResolveOptions { ThrottleLimit = 0 }));
            Assert.Equal("DnsOptionInvalid", e.Error.ErrorId);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _silent.Dispose();
            _stop.Dispose();
        }
    }
}
