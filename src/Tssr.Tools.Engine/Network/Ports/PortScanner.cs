using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Targets;

namespace Tssr.Tools.Engine.Network.Ports
{
    /// <summary>
    /// Parallel TCP connect sweep: targets × ports, expanded lazily, at most ThrottleLimit
    /// connections in flight, every verdict written as soon as it exists. Memory stays flat however
    /// many targets there are: only the probes in flight are held.
    /// </summary>
    public sealed class PortScanner : IEngine<PortScanOptions, PortScanJob>
    {
        internal static readonly Localizer Text = NetworkText.Ports;
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);
        private static readonly Dictionary<int, string> ServiceByPort = PortParser.ServiceNames.Values.Distinct()
            .ToDictionary(port => port, port => PortParser.NameOf(port)!);

        private readonly PortScanOptions _options;

        /// <summary>A scanner for <see cref="RunAsync"/>, which takes its options per run.</summary>
        public PortScanner() : this(new PortScanOptions())
        {
        }

        /// <summary>A scanner bound to <paramref name="options"/>, for <see cref="ScanAsync(IEnumerable{PortScanJob}, IEngineSink, CancellationToken)"/>.</summary>
        public PortScanner(PortScanOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
        }

        /// <summary>
        /// The engine contract: probes the jobs as they arrive (the sequence may block while the
        /// pipeline feeds it); each job is checked when it comes.
        /// </summary>
        public Task RunAsync(PortScanOptions options, IEnumerable<PortScanJob> jobs, IEngineSink sink, CancellationToken cancellationToken)
            => new PortScanner(options).ScanAsync(jobs, sink, cancellationToken);

        /// <summary>Probes every job, all known up front: bad input stops it before the first SYN.</summary>
        public Task ScanAsync(IReadOnlyCollection<PortScanJob> jobs, IEngineSink sink, CancellationToken cancellationToken)
        {
            if (jobs == null) throw new ArgumentNullException(nameof(jobs));
            var expected = jobs.Sum(j => j.Validate(_options.IncludeNetworkAndBroadcast));
            // On loopback every connect can finish inside the syscall: the sweep would then never
            // yield and would run whole on the caller's thread. Give it a worker of its own.
            return Task.Run(() => RunAsync(new JobSource(jobs, countKnown: true), expected, sink, cancellationToken));
        }

        /// <summary>
        /// Probes jobs as they arrive: <paramref name="jobs"/> may block while waiting for the next one
        /// (the pipeline feeding a cmdlet); each job is checked when it comes.
        /// </summary>
        public Task ScanAsync(IEnumerable<PortScanJob> jobs, IEngineSink sink, CancellationToken cancellationToken)
        {
            if (jobs == null) throw new ArgumentNullException(nameof(jobs));
            // Reading the first job may already wait for it: never on the caller's thread.
            return Task.Run(() => RunAsync(new JobSource(jobs, countKnown: false), 0, sink, cancellationToken));
        }

        /// <summary>The throttle limit this process can honour (see <see cref="DescriptorBudget"/>).</summary>
        public int EffectiveThrottleLimit(IEngineSink? sink)
        {
            var limit = EffectiveThrottleLimit(out var lowered);
            if (lowered != null) sink?.Warning(lowered);
            return limit;
        }

        /// <summary>The throttle limit, and why it was lowered (null when it was not).</summary>
        private int EffectiveThrottleLimit(out string? lowered)
        {
            lowered = null;
            var headroom = DescriptorBudget.Headroom(out var softLimit, out var inUse);
            if (headroom == null || headroom.Value >= _options.ThrottleLimit) return _options.ThrottleLimit;
            lowered = Text.Format("Throttle_Lowered", _options.ThrottleLimit, softLimit, inUse, headroom.Value);
            return headroom.Value;
        }

        private async Task RunAsync(JobSource source, long expected, IEngineSink sink, CancellationToken cancellationToken)
        {
            // The warning waits until the sweep has more probes than the lower limit: a sweep that
            // fits in what the process may open (most of them, where the hard limit is 4,096) says nothing.
            var limit = EffectiveThrottleLimit(out var lowered);
            var sweep = new Sweep(sink, expected, source.IsCountKnown) { ThrottleWarning = lowered, ThrottleLimit = limit };
            sink.Verbose(Text.Format("Sweep_Start", limit, _options.TimeoutMs, _options.Retry));
            var gate = new ProbeGate(limit);
            try
            {
                if (await ProduceAsync(source, gate, sweep, cancellationToken).ConfigureAwait(false))
                    sweep.SourceExhausted();
            }
            finally
            {
                // Every probe in flight holds a permit: when all are back, all sockets are closed.
                await gate.WhenIdleAsync().ConfigureAwait(false);
            }
            if (sweep.Failure != null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(sweep.Failure).Throw();
            cancellationToken.ThrowIfCancellationRequested();
            sweep.Finish();
        }

        /// <summary>Starts one probe per target × port as permits free up; false when a probe failed unexpectedly.</summary>
        private async Task<bool> ProduceAsync(JobSource source, ProbeGate gate, Sweep sweep, CancellationToken cancellationToken)
        {
            while (true)
            {
                var job = source.Next();
                if (job == null) return true;
                if (!source.IsCountKnown) sweep.Expect(job.Validate(_options.IncludeNetworkAndBroadcast));
                sweep.WarnIfThrottled();
                foreach (var target in TargetParser.Expand(job.Target, _options.IncludeNetworkAndBroadcast))
                {
                    var host = new ProbeHost(target);
                    foreach (var port in job.Ports)
                    {
                        // A free permit is granted at once, so look at Ctrl+C (or a downstream
                        // Select-Object -First) here too, not only when waiting.
                        cancellationToken.ThrowIfCancellationRequested();
                        await gate.AcquireFreshAsync(cancellationToken).ConfigureAwait(false);
                        if (sweep.Failure != null)
                        {
                            gate.Release();
                            return false;
                        }
                        _ = ProbeAsync(host, port, gate, sweep, cancellationToken);
                    }
                }
            }
        }

        private async Task ProbeAsync(ProbeHost host, int port, ProbeGate gate, Sweep sweep, CancellationToken cancellationToken)
        {
            var holding = true;
            try
            {
                var address = await host.AddressAsync(sweep.Sink, cancellationToken).ConfigureAwait(false);
                if (address == null)
                {
                    sweep.Skipped();
                    return;
                }
                ConnectOutcome outcome;
                var attempts = 0;
                while (true)
                {
                    attempts++;
                    outcome = await TcpConnectProbe.ConnectAsync(address, port, _options.TimeoutMs, cancellationToken).ConfigureAwait(false);
                    // Ctrl+C: the producer sees the same token and stops; the sweep throws once, at its end.
                    if (outcome.IsCancelled) return;
                    // Only silence is retried, as nmap does: an ICMP answer is an answer, and
                    // asking again would only spend the router's ICMP budget.
                    if (!outcome.IsVerdict || outcome.Reason != PortProbeReason.NoResponse || attempts > _options.Retry) break;
                    // Fresh work may take the permit while this retry waits its turn.
                    holding = false;
                    await gate.YieldForRetryAsync(cancellationToken).ConfigureAwait(false);
                    holding = true;
                }

                if (!outcome.IsVerdict)
                {
                    sweep.Skipped();
                    sweep.Sink.Error(LocalFailure(host, address, port, outcome));
                    return;
                }
                sweep.Count(outcome.Status);
                if (!_options.OnlyOpen || outcome.Status == PortStatus.Open)
                {
                    sweep.Sink.Output(new PortProbeResult(host.Target.DisplayName, address.ToString(), port, ServiceOf(port),
                        outcome.Status, outcome.Reason, outcome.LatencyMs, attempts, Detail(outcome, attempts)));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: the producer sees the same token and stops.
            }
            catch (Exception e)
            {
                sweep.Fail(e);
            }
            finally
            {
                if (holding) gate.Release();
            }
        }

        private static string? ServiceOf(int port) => ServiceByPort.TryGetValue(port, out var name) ? name : null;

        private string Detail(ConnectOutcome outcome, int attempts)
        {
            switch (outcome.Reason)
            {
                case PortProbeReason.Accepted: return Text.Get("Detail_Accepted");
                case PortProbeReason.Refused: return Text.Get("Detail_Refused");
                case PortProbeReason.NoResponse: return Text.Format("Detail_NoResponse", _options.TimeoutMs, attempts);
                default: return Text.Format("Detail_" + outcome.Reason, OsMessage(outcome.Error));
            }
        }

        private static string OsMessage(SocketError error) => new SocketException((int)error).Message;

        private static TssrError LocalFailure(ProbeHost host, IPAddress address, int port, ConnectOutcome outcome)
        {
            if (outcome.Error == SocketError.InvalidArgument && address.IsIPv6LinkLocal && address.ScopeId == 0)
            {
                return new TssrError("LinkLocalAddressNeedsZone", TssrErrorCategory.InvalidArgument, host.Target.DisplayName,
                    Text.Format("Probe_LinkLocalNoZone", address), Text.Format("Probe_LinkLocalNoZoneAction", address));
            }
            var where = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
            return new TssrError("PortProbeFailed", TssrErrorCategory.ResourceUnavailable, host.Target.DisplayName,
                Text.Format("Probe_LocalFailure", where, host.Target.DisplayName, OsMessage(outcome.Error), outcome.Error),
                Text.Get("Probe_LocalFailureAction"));
        }

        /// <summary>One target shared by its ports: a host name is resolved once, its failure reported once.</summary>
        private sealed class ProbeHost
        {
            private readonly object _lock = new object();
            private Task<IPAddress[]>? _resolution;
            private int _reported;

            public ProbeHost(TargetSpec target) => Target = target;

            public TargetSpec Target { get; }

            /// <summary>The address to probe, or null when the name does not resolve (reported once).</summary>
            public async Task<IPAddress?> AddressAsync(IEngineSink sink, CancellationToken cancellationToken)
            {
                if (Target.Address != null) return Target.Address;
                lock (_lock)
                {
                    _resolution ??= HostResolver.ResolveAsync(Target, cancellationToken);
                }
                try
                {
                    var addresses = await _resolution.ConfigureAwait(false);
                    if (addresses.Length > 1 && Interlocked.Exchange(ref _reported, 1) == 0)
                        sink.Verbose(Text.Format("Resolve_Several", Target.DisplayName, string.Join(", ", addresses.Select(a => a.ToString())), addresses[0]));
                    return addresses[0];
                }
                catch (TssrException e)
                {
                    if (Interlocked.Exchange(ref _reported, 1) == 0) sink.Error(e.Error);
                    return null;
                }
            }
        }

        /// <summary>The counters of one sweep and its progress reports.</summary>
        private sealed class Sweep
        {
            private readonly Stopwatch _clock = Stopwatch.StartNew();
            private long _expected;
            private bool _countKnown;
            private long _done, _open, _closed, _filtered;
            private long _nextProgressTicks;
            private Exception? _failure;

            public Sweep(IEngineSink sink, long expected, bool countKnown)
            {
                Sink = sink;
                _expected = expected;
                _countKnown = countKnown;
            }

            public IEngineSink Sink { get; }
            public Exception? Failure => Volatile.Read(ref _failure);

            /// <summary>Why the throttle limit was lowered; said once, by the producer, when the sweep outgrows it.</summary>
            public string? ThrottleWarning { get; set; }
            public int ThrottleLimit { get; set; }

            public void WarnIfThrottled()
            {
                if (ThrottleWarning == null || Interlocked.Read(ref _expected) <= ThrottleLimit) return;
                Sink.Warning(ThrottleWarning);
                ThrottleWarning = null;
            }

            public void Expect(long probes) => Interlocked.Add(ref _expected, probes);

            public void SourceExhausted() => Volatile.Write(ref _countKnown, true);

            public void Fail(Exception e) => Interlocked.CompareExchange(ref _failure, e, null);

            public void Count(PortStatus status)
            {
                switch (status)
                {
                    case PortStatus.Open: Interlocked.Increment(ref _open); break;
                    case PortStatus.Closed: Interlocked.Increment(ref _closed); break;
                    default: Interlocked.Increment(ref _filtered); break;
                }
                Done();
            }

            public void Skipped() => Done();

            private void Done()
            {
                Interlocked.Increment(ref _done);
                var now = _clock.Elapsed.Ticks;
                var next = Volatile.Read(ref _nextProgressTicks);
                if (now < next || Interlocked.CompareExchange(ref _nextProgressTicks, now + ProgressInterval.Ticks, next) != next) return;
                Sink.Progress(Report(false));
            }

            public void Finish()
            {
                Sink.Progress(Report(true));
                Sink.Verbose(Text.Format("Sweep_Summary", Interlocked.Read(ref _done), _clock.Elapsed.TotalSeconds,
                    Interlocked.Read(ref _open), Interlocked.Read(ref _closed), Interlocked.Read(ref _filtered)));
            }

            private ProgressReport Report(bool completed)
            {
                var done = Interlocked.Read(ref _done);
                var expected = Interlocked.Read(ref _expected);
                var open = Interlocked.Read(ref _open);
                var closed = Interlocked.Read(ref _closed);
                var filtered = Interlocked.Read(ref _filtered);
                var known = Volatile.Read(ref _countKnown);
                var status = known
                    ? Text.Format("Progress_Status", done, expected, open, closed, filtered)
                    : Text.Format("Progress_StatusOpenEnded", done, open, closed, filtered);
                return new ProgressReport(Text.Get("Progress_Activity"), status,
                    known ? ProgressReport.Percent(done, expected) : -1, completed);
            }
        }

        /// <summary>The jobs, one at a time; counted up front or as they come.</summary>
        private sealed class JobSource
        {
            private readonly IEnumerator<PortScanJob> _jobs;

            public JobSource(IEnumerable<PortScanJob> jobs, bool countKnown)
            {
                _jobs = jobs.GetEnumerator();
                IsCountKnown = countKnown;
            }

            public bool IsCountKnown { get; }

            /// <summary>The next job or null; may block while a streaming source waits for input.</summary>
            public PortScanJob? Next() => _jobs.MoveNext() ? _jobs.Current : null;
        }
    }
}
