using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Ports;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Network
{
    /// <summary>Collects what the engine reports, from any thread.</summary>
    /// <summary>
    /// The sweeps below open thousands of loopback connections as fast as the machine allows: they
    /// run alone, so that other tests' timing budgets are not measured under their load.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class PortSweepCollection
    {
        public const string Name = "Port sweeps, run alone";
    }

    /// <summary>
    /// Real sockets on loopback. 127.77.0.0/16 is used for "nothing listens here" so that no
    /// server of another test (bound to 127.0.0.1 or a wildcard on a fixed port) can answer.
    /// </summary>
    [Collection(PortSweepCollection.Name)]
    public class PortScannerTests
    {
        private static PortScanJob Job(string target, params int[] ports) => new PortScanJob(target, ports);

        private static async Task<RecordingSink> Scan(PortScanOptions options, params PortScanJob[] jobs)
        {
            var sink = new RecordingSink();
            await new PortScanner(options).ScanAsync(jobs, sink, CancellationToken.None);
            return sink;
        }

        /// <summary>A port with nothing behind it: bound then released, on an address no one else uses.</summary>
        private static int FreePort(IPAddress address)
        {
            var listener = new TcpListener(address, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        /// <summary>
        /// A listener whose accept queue is full and never drained: Linux then drops further SYNs
        /// without an answer (tcp_conn_request, "listen overflow"), which is what a silent host does.
        /// </summary>
        private sealed class SilentListener : IDisposable
        {
            private readonly Socket _listener;
            private readonly List<Socket> _held = new List<Socket>();

            public SilentListener()
            {
                _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                _listener.Listen(0);
                Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
                // Fill the queue: connections that complete the handshake and are never accepted.
                for (var i = 0; i < 4; i++)
                {
                    var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    _held.Add(client);
                    var connect = client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port));
                    if (!connect.Wait(300)) break;
                }
            }

            public int Port { get; }

            public void Dispose()
            {
                foreach (var s in _held) s.Dispose();
                _listener.Dispose();
            }
        }

        [Fact]
        public async Task Open_and_closed_ports_get_nmap_verdicts_with_latency()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var open = ((IPEndPoint)listener.LocalEndpoint).Port;
                var closed = FreePort(IPAddress.Loopback);
                var sink = await Scan(new PortScanOptions(), Job("127.0.0.1", open, closed));

                Assert.Empty(sink.Errors);
                var byPort = sink.OutputsOf<PortProbeResult>().ToDictionary(r => r.Port);
                Assert.Equal(PortStatus.Open, byPort[open].Status);
                Assert.Equal(PortProbeReason.Accepted, byPort[open].Reason);
                Assert.Equal(PortStatus.Closed, byPort[closed].Status);
                Assert.Equal(PortProbeReason.Refused, byPort[closed].Reason);
                foreach (var r in sink.OutputsOf<PortProbeResult>())
                {
                    Assert.Equal("127.0.0.1", r.ComputerName);
                    Assert.Equal("127.0.0.1", r.IPAddress);
                    Assert.NotNull(r.LatencyMs);
                    Assert.InRange(r.LatencyMs!.Value, 0, 5000);
                    Assert.Equal(1, r.Attempts);
                    Assert.False(string.IsNullOrWhiteSpace(r.Detail));
                }
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public async Task Ports_are_named_after_their_service()
        {
            var sink = await Scan(new PortScanOptions(), Job("127.77.0.1", 22, 3389, 47123));
            var byPort = sink.OutputsOf<PortProbeResult>().ToDictionary(r => r.Port);
            Assert.Equal("ssh", byPort[22].Service);
            Assert.Equal("rdp", byPort[3389].Service);
            Assert.Null(byPort[47123].Service);
        }

        [Fact]
        public async Task A_port_that_never_answers_is_filtered_after_the_timeout_and_its_retries()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return; // the listen-overflow drop is Linux's
            using (var silent = new SilentListener())
            {
                var clock = Stopwatch.StartNew();
                var sink = await Scan(new PortScanOptions(timeoutMs: 250, retry: 2), Job("127.0.0.1", silent.Port));
                clock.Stop();

                var r = Assert.Single(sink.OutputsOf<PortProbeResult>());
                Assert.Equal(PortStatus.Filtered, r.Status);
                Assert.Equal(PortProbeReason.NoResponse, r.Reason);
                Assert.Null(r.LatencyMs);
                Assert.Equal(3, r.Attempts);
                Assert.Contains("250", r.Detail);
                Assert.InRange(clock.ElapsedMilliseconds, 3 * 250 - 50, 3 * 250 + 3000);
            }
        }

        [Fact]
        public async Task Retry_re_probes_only_filtered_ports()
        {
            var sink = await Scan(new PortScanOptions(retry: 3), Job("127.77.0.2", FreePort(IPAddress.Loopback)));
            Assert.Equal(1, Assert.Single(sink.OutputsOf<PortProbeResult>()).Attempts);
        }

        [Fact]
        public async Task An_answer_of_unreachability_is_filtered_at_once_and_never_retried()
        {
            // TCP to a multicast or the limited broadcast address is refused by this computer's own
            // stack with ENETUNREACH: no packet leaves.
            var sink = await Scan(new PortScanOptions(timeoutMs: 5000, retry: 3), Job("224.0.0.1", 80), Job("255.255.255.255", 80));
            Assert.Equal(2, sink.OutputsOf<PortProbeResult>().Count);
            Assert.All(sink.OutputsOf<PortProbeResult>(), r =>
            {
                Assert.Equal(PortStatus.Filtered, r.Status);
                Assert.Equal(PortProbeReason.NetworkUnreachable, r.Reason);
                Assert.Equal(1, r.Attempts);
                Assert.NotNull(r.LatencyMs);
                Assert.InRange(r.LatencyMs!.Value, 0, 1000);
            });
        }

        [Fact]
        public async Task Only_open_ports_are_written_when_asked_but_all_are_counted()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var open = ((IPEndPoint)listener.LocalEndpoint).Port;
                var sink = await Scan(new PortScanOptions(onlyOpen: true), Job("127.0.0.1", open, FreePort(IPAddress.Loopback)));
                Assert.Equal(open, Assert.Single(sink.OutputsOf<PortProbeResult>()).Port);
                var last = sink.ProgressReports.Last();
                Assert.True(last.Completed);
                Assert.Contains("2", last.Status);
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public async Task An_unresolvable_host_is_reported_once_by_name_and_the_sweep_goes_on()
        {
            var sink = await Scan(new PortScanOptions(), Job("no-such-host.invalid", 22, 80, 443), Job("127.77.0.3", 22, 80));
            var error = Assert.Single(sink.Errors);
            Assert.Equal("HostNotResolved", error.ErrorId);
            Assert.Equal("no-such-host.invalid", error.Target);
            Assert.Contains("no-such-host.invalid", error.Message);
            Assert.Equal(2, sink.OutputsOf<PortProbeResult>().Count);
            Assert.All(sink.OutputsOf<PortProbeResult>(), r => Assert.Equal("127.77.0.3", r.IPAddress));
        }

        [Fact]
        public async Task A_host_name_is_shown_as_given_with_the_address_probed()
        {
            var sink = await Scan(new PortScanOptions(), Job("localhost", FreePort(IPAddress.Loopback)));
            var r = Assert.Single(sink.OutputsOf<PortProbeResult>());
            Assert.Equal("localhost", r.ComputerName);
            Assert.True(IPAddress.IsLoopback(IPAddress.Parse(r.IPAddress)));
        }

        [Theory]
        [InlineData("10.0.0.0/33", "CidrInvalid")]
        [InlineData("10.0.0.50-10.0.0.1", "RangeBackwards")]
        [InlineData("bad name!", "TargetInvalid")]
        public async Task Bad_input_fails_before_the_first_probe(string target, string errorId)
        {
            var sink = new RecordingSink();
            var scanner = new PortScanner(new PortScanOptions());
            var e = await Assert.ThrowsAsync<TssrException>(() => scanner.ScanAsync(new[] { Job("127.77.0.4", 9), Job(target, 9) }, sink, CancellationToken.None));
            Assert.Equal(errorId, e.Error.ErrorId);
            Assert.Equal(target, e.Error.Target);
            Assert.Empty(sink.OutputsOf<PortProbeResult>());
        }

        [Fact]
        public async Task Cancellation_stops_a_sweep_within_a_second_and_closes_every_socket()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
            using (var silent = new SilentListener())
            {
                var before = OpenDescriptors();
                var jobs = Enumerable.Range(0, 300).Select(_ => Job("127.0.0.1", silent.Port)).ToArray();
                var sink = new RecordingSink();
                using (var cts = new CancellationTokenSource())
                {
                    var sweep = new PortScanner(new PortScanOptions(timeoutMs: 30000, throttleLimit: 100)).ScanAsync(jobs, sink, cts.Token);
                    await Task.Delay(300);
                    Assert.False(sweep.IsCompleted);
                    Assert.True(OpenDescriptors() >= before + 90, "the probes should hold their sockets while waiting");
                    var clock = Stopwatch.StartNew();
                    cts.Cancel();
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sweep);
                    Assert.InRange(clock.ElapsedMilliseconds, 0, 1000);
                }
                Assert.InRange(OpenDescriptors(), 0, before + 5);
                Assert.Empty(sink.OutputsOf<PortProbeResult>());
            }
        }

        [Fact]
        public async Task Cancellation_stops_a_fast_sweep_too_not_only_one_waiting_for_answers()
        {
            // 655,360 probes, each answered at once by a reset: permits are always free, so the
            // producer must look at the token itself.
            var sink = new RecordingSink();
            using (var cts = new CancellationTokenSource())
            {
                // Ctrl+C arrives on PowerShell's own thread (StopProcessing), not on the thread pool
                // that a sweep this fast keeps busy: cancel from a dedicated thread, as it does. The
                // sweep runs on a worker, as the cmdlet runs it: with every connect refused at once it
                // may never yield, so called inline it could finish before the stopper even starts.
                var clock = new Stopwatch();
                var stopper = new Thread(() => { Thread.Sleep(300); clock.Start(); cts.Cancel(); });
                stopper.Start();
                var sweep = Task.Run(() => new PortScanner(new PortScanOptions()).ScanAsync(new[] { new PortScanJob("127.77.0.0/16", Enumerable.Range(1, 10).ToArray()) }, sink, cts.Token));
                try
                {
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sweep);
                }
                finally
                {
                    stopper.Join();
                }
                clock.Stop();
                Assert.InRange(clock.ElapsedMilliseconds, 0, 1000);
            }
            Assert.InRange(sink.OutputsOf<PortProbeResult>().Count, 1, 600000);
        }

        [Fact]
        public async Task Results_stream_while_the_input_is_still_coming()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var open = ((IPEndPoint)listener.LocalEndpoint).Port;
                var sink = new RecordingSink();
                var first = new TaskCompletionSource<PortProbeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                sink.OnOutput = r => first.TrySetResult((PortProbeResult)r);
                using (var feed = new BlockingCollection<PortScanJob>(4))
                {
                    // As a cmdlet does: the engine reads jobs while the pipeline still brings them.
                    var sweep = new PortScanner(new PortScanOptions()).ScanAsync(feed.GetConsumingEnumerable(), sink, CancellationToken.None);
                    feed.Add(Job("127.0.0.1", open));
                    var done = await Task.WhenAny(first.Task, Task.Delay(10000));
                    Assert.Same(first.Task, done);
                    Assert.False(sweep.IsCompleted);
                    Assert.Equal(-1, sink.ProgressReports.LastOrDefault()?.PercentComplete ?? -1);

                    feed.Add(Job("127.77.0.5", 22, 23));
                    feed.CompleteAdding();
                    await sweep;
                }
                Assert.Equal(new[] { open, 22, 23 }, sink.OutputsOf<PortProbeResult>().Select(r => r.Port).OrderBy(p => p == open ? 0 : p));
                Assert.True(sink.ProgressReports.Last().Completed);
                Assert.Equal(100, sink.ProgressReports.Last().PercentComplete);
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public async Task Sockets_in_flight_never_exceed_the_throttle_limit_and_memory_stays_flat()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
            const int limit = 64;
            var baseline = OpenDescriptors();
            var maxDescriptors = 0;
            long maxManaged = 0;
            var seen = 0;
            var sink = new RecordingSink();
            sink.OnOutput = _ =>
            {
                if (Interlocked.Increment(ref seen) % 256 != 0) return;
                InterlockedMax(ref maxDescriptors, OpenDescriptors());
                InterlockedMax(ref maxManaged, GC.GetTotalMemory(false));
            };
            GC.Collect();
            var managedBefore = GC.GetTotalMemory(true);
            // 16,384 probes, all answered at once by a reset: the sweep runs as fast as it can.
            await new PortScanner(new PortScanOptions(throttleLimit: limit, includeNetworkAndBroadcast: true)).ScanAsync(new[] { Job("127.77.0.0/18", 9) }, sink, CancellationToken.None);

            Assert.Equal(16384, sink.OutputsOf<PortProbeResult>().Count);
            Assert.Empty(sink.Errors);
            Assert.InRange(maxDescriptors - baseline, 0, limit + 16);
            // The results are kept by this test's sink (about 16,384 small objects); the sweep itself adds little.
            Assert.InRange(maxManaged - managedBefore, 0, 64L * 1024 * 1024);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }

        private static void InterlockedMax(ref long target, long value)
        {
            long seen;
            while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }

        private static int OpenDescriptors() => System.IO.Directory.GetFileSystemEntries("/proc/self/fd").Length;

        [Theory]
        [InlineData(SocketError.Success, PortStatus.Open, PortProbeReason.Accepted)]
        [InlineData(SocketError.ConnectionRefused, PortStatus.Closed, PortProbeReason.Refused)]
        [InlineData(SocketError.TimedOut, PortStatus.Filtered, PortProbeReason.NoResponse)]
        [InlineData(SocketError.HostUnreachable, PortStatus.Filtered, PortProbeReason.HostUnreachable)]
        [InlineData(SocketError.HostDown, PortStatus.Filtered, PortProbeReason.HostUnreachable)]
        [InlineData(SocketError.OperationNotSupported, PortStatus.Filtered, PortProbeReason.HostUnreachable)]
        [InlineData(SocketError.NetworkDown, PortStatus.Filtered, PortProbeReason.NetworkUnreachable)]
        [InlineData(SocketError.NetworkUnreachable, PortStatus.Filtered, PortProbeReason.NetworkUnreachable)]
        [InlineData(SocketError.AccessDenied, PortStatus.Filtered, PortProbeReason.Prohibited)]
        [InlineData(SocketError.ProtocolOption, PortStatus.Filtered, PortProbeReason.ProtocolUnreachable)]
        public void Operating_system_answers_map_to_nmap_verdicts(SocketError error, PortStatus status, PortProbeReason reason)
        {
            var outcome = TcpConnectProbe.Classify(error, 1.5);
            Assert.True(outcome.IsVerdict);
            Assert.Equal(status, outcome.Status);
            Assert.Equal(reason, outcome.Reason);
            Assert.Equal(reason == PortProbeReason.NoResponse ? (double?)null : 1.5, outcome.LatencyMs);
        }

        [Theory]
        [InlineData(SocketError.TooManyOpenSockets)]
        [InlineData(SocketError.NoBufferSpaceAvailable)]
        [InlineData(SocketError.AddressNotAvailable)]
        [InlineData(SocketError.SocketError)]
        public void Local_failures_are_not_verdicts(SocketError error)
            => Assert.False(TcpConnectProbe.Classify(error, 0).IsVerdict);

        [Theory]
        [InlineData("Max open files            20000                20000                files     ", 20000L)]
        [InlineData("Max open files            1024                 524288               files", 1024L)]
        [InlineData("Max open files            unlimited            unlimited            files", null)]
        public void Reads_the_soft_descriptor_limit(string line, long? expected)
            => Assert.Equal(expected, DescriptorBudget.ParseLimitsLine(line));

        [Fact]
        public void The_throttle_limit_stays_below_the_descriptor_limit()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
            var soft = DescriptorBudget.LinuxSoftLimit();
            Assert.NotNull(soft);
            var sink = new RecordingSink();
            var limit = new PortScanner(new PortScanOptions(throttleLimit: 65535)).EffectiveThrottleLimit(sink);
            if (soft!.Value - DescriptorBudget.Reserve < 65535)
            {
                Assert.InRange(limit, 1, soft.Value - DescriptorBudget.Reserve);
                Assert.Contains(sink.Warnings, w => w.Contains("65535"));
            }
            Assert.Equal(100, new PortScanner(new PortScanOptions(throttleLimit: 100)).EffectiveThrottleLimit(null));
        }
    }

    public class ProbeGateTests
    {
        [Fact]
        public async Task Fresh_work_waits_when_every_permit_is_taken()
        {
            var gate = new ProbeGate(2);
            await gate.AcquireFreshAsync(CancellationToken.None);
            await gate.AcquireFreshAsync(CancellationToken.None);
            var third = gate.AcquireFreshAsync(CancellationToken.None);
            Assert.False(third.IsCompleted);
            gate.Release();
            await third.WaitAsync(TimeSpan.FromSeconds(5));
        }

        [Fact]
        public async Task A_retry_hands_its_permit_to_fresh_work_and_waits_its_turn()
        {
            var gate = new ProbeGate(4);
            for (var i = 0; i < 4; i++) await gate.AcquireFreshAsync(CancellationToken.None);
            var fresh = gate.AcquireFreshAsync(CancellationToken.None);
            var retry = gate.YieldForRetryAsync(CancellationToken.None);
            await fresh.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.False(retry.IsCompleted);
            gate.Release();
            await retry.WaitAsync(TimeSpan.FromSeconds(5));
        }

        [Fact]
        public async Task A_retry_keeps_its_permit_when_no_fresh_work_waits()
        {
            var gate = new ProbeGate(1);
            await gate.AcquireFreshAsync(CancellationToken.None);
            Assert.True(gate.YieldForRetryAsync(CancellationToken.None).IsCompleted);
            Assert.False(gate.WhenIdleAsync().IsCompleted);
        }

        [Fact]
        public async Task Retries_go_first_once_half_the_permits_wait_to_retry()
        {
            var gate = new ProbeGate(4);
            for (var i = 0; i < 4; i++) await gate.AcquireFreshAsync(CancellationToken.None);
            // Two retries hand their permits to two fresh probes in turn.
            var retries = new List<Task>();
            for (var i = 0; i < 2; i++)
            {
                var fresh = gate.AcquireFreshAsync(CancellationToken.None);
                retries.Add(gate.YieldForRetryAsync(CancellationToken.None));
                await fresh.WaitAsync(TimeSpan.FromSeconds(5));
            }
            // Now the backlog (2) is half the permits: the next retry keeps its permit, and a
            // released permit goes to a waiting retry before fresh work.
            var waitingFresh = gate.AcquireFreshAsync(CancellationToken.None);
            Assert.True(gate.YieldForRetryAsync(CancellationToken.None).IsCompleted);
            gate.Release();
            await retries[0].WaitAsync(TimeSpan.FromSeconds(5));
            Assert.False(waitingFresh.IsCompleted);
        }

        [Fact]
        public async Task Idle_only_when_every_permit_is_back_and_cancelled_waiters_are_skipped()
        {
            var gate = new ProbeGate(1);
            await gate.AcquireFreshAsync(CancellationToken.None);
            using (var cts = new CancellationTokenSource())
            {
                var waiting = gate.AcquireFreshAsync(cts.Token);
                var idle = gate.WhenIdleAsync();
                cts.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
                Assert.False(idle.IsCompleted);
                gate.Release();
                await idle.WaitAsync(TimeSpan.FromSeconds(5));
            }
            Assert.True(gate.WhenIdleAsync().IsCompleted);
            Assert.Throws<InvalidOperationException>(() => gate.Release());
        }
    }
}
