using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Targets;

namespace Tssr.Tools.Engine.Network.Icmp
{
    /// <summary>
    /// The sweep through System.Net.NetworkInformation.Ping, one request per host at a time and at
    /// most ThrottleLimit hosts at once, started at the same pace as the socket sweep. This is the
    /// Windows path (IcmpSendEcho2 needs no administrator); elsewhere it is there on request.
    /// </summary>
    internal sealed class SystemPingSweep
    {
        private readonly HostSweepOptions _options;
        private readonly long _total;
        private readonly IEngineSink _sink;
        private readonly CancellationToken _cancellation;
        private readonly SemaphoreSlim _throttle;
        private readonly object _gate = new object();
        private readonly byte[] _buffer;
        private readonly string _activity;
        private long _decided, _up, _down, _unreachable;

        public SystemPingSweep(HostSweepOptions options, long total, IEngineSink sink, CancellationToken cancellation)
        {
            _options = options;
            _total = total;
            _sink = sink;
            _cancellation = cancellation;
            _throttle = new SemaphoreSlim(options.ThrottleLimit, options.ThrottleLimit);
            _buffer = new byte[options.BufferSize];
            _activity = HostSweepOptions.Text.Get("Progress_Activity");
        }

        public async Task RunAsync(IEnumerable<TargetSpec> targets)
        {
            var running = new List<Task>();
            var interval = TimeSpan.FromMilliseconds(_options.IntervalMs);
            var clock = Stopwatch.StartNew();
            var nextStart = TimeSpan.Zero;
            try
            {
                foreach (var target in targets)
                {
                    await _throttle.WaitAsync(_cancellation).ConfigureAwait(false);
                    var wait = nextStart - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                        await Task.Delay(wait, _cancellation).ConfigureAwait(false);
                    nextStart = (nextStart > clock.Elapsed ? nextStart : clock.Elapsed) + interval;
                    running.Add(ProbeAsync(target));
                    if (running.Count > 2 * _options.ThrottleLimit)
                        running.RemoveAll(t => t.IsCompleted);
                }
            }
            finally
            {
                try
                {
                    await Task.WhenAll(running).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
                {
                    // Stopping: the probes gave up with the sweep.
                }
            }
            _cancellation.ThrowIfCancellationRequested();
            _sink.Progress(new ProgressReport(_activity, Status(), 100, completed: true));
        }

        private async Task ProbeAsync(TargetSpec target)
        {
            try
            {
                IPAddress address;
                if (target.Address != null) address = target.Address;
                else
                {
                    var addresses = await HostResolver.ResolveAsync(target, _cancellation).ConfigureAwait(false);
                    var chosen = HostSweeper.Choose(addresses, _options.PreferredFamily);
                    if (chosen == null)
                    {
                        Fail(HostSweeper.NoAddressInFamily(target.DisplayName, addresses, _options.PreferredFamily));
                        return;
                    }
                    address = chosen;
                }
                if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
                var result = await PingAsync(target.DisplayName, address).ConfigureAwait(false);
                if (result == null) return;
                lock (_gate)
                {
                    _decided++;
                    if (result.Status == HostStatus.Up) _up++;
                    else if (result.Status == HostStatus.Down) _down++;
                    else _unreachable++;
                }
                _sink.Output(result);
                _sink.Progress(new ProgressReport(_activity, Status(), ProgressReport.Percent(Decided(), _total)));
            }
            catch (TssrException e)
            {
                Fail(e.Error);
            }
            finally
            {
                _throttle.Release();
            }
        }

        private async Task<HostProbeResult?> PingAsync(string name, IPAddress address)
        {
            var sweep = _options.Count == 1;
            var attempts = sweep ? 1 + _options.Retry : _options.Count;
            int sent = 0, received = 0;
            double sum = 0;
            double? min = null, max = null;
            int? ttl = null;
            string? reason = null;
            var period = Stopwatch.StartNew();
            var options = _options.TimeToLive.HasValue ? new PingOptions(_options.TimeToLive.Value, false) : new PingOptions();
            using (var ping = new Ping())
            using (_cancellation.Register(() => ping.SendAsyncCancel()))
            {
                for (var i = 0; i < attempts; i++)
                {
                    if (!sweep && i > 0)
                    {
                        var wait = TimeSpan.FromMilliseconds(_options.PeriodMs * i) - period.Elapsed;
                        if (wait > TimeSpan.Zero) await Task.Delay(wait, _cancellation).ConfigureAwait(false);
                    }
                    _cancellation.ThrowIfCancellationRequested();
                    sent++;
                    var clock = Stopwatch.StartNew();
                    PingReply reply;
                    try
                    {
                        reply = await ping.SendPingAsync(address, _options.TimeoutMs, _buffer, options).ConfigureAwait(false);
                    }
                    catch (PingException e) when (e.InnerException is System.Net.Sockets.SocketException local && IsLocalUnreachable(local.SocketErrorCode))
                    {
                        // No route from here: the same verdict as the socket sweep gives.
                        reason = local.SocketErrorCode.ToString();
                        break;
                    }
                    catch (PingException e)
                    {
                        _cancellation.ThrowIfCancellationRequested();
                        Fail(new TssrError("PingFailed", TssrErrorCategory.ConnectionError, name,
                            HostSweepOptions.Text.Format("Ping_Failed", name, e.InnerException?.Message ?? e.Message), HostSweepOptions.Text.Get("Ping_FailedAction"), e));
                        return null;
                    }
                    var elapsed = clock.Elapsed.TotalMilliseconds;
                    if (reply.Status == IPStatus.Success)
                    {
                        received++;
                        sum += elapsed;
                        min = min.HasValue ? Math.Min(min.Value, elapsed) : elapsed;
                        max = max.HasValue ? Math.Max(max.Value, elapsed) : elapsed;
                        // Only Windows reports the reply's TTL; .NET elsewhere hands back the request's options.
                        if (reply.Options != null && IcmpSocketFactory.IsWindows) ttl = reply.Options.Ttl;
                        if (sweep) break;
                    }
                    else if (IsUnreachable(reply.Status))
                    {
                        reason = reply.Status.ToString();
                        if (sweep) break;
                    }
                    else if (reply.Status != IPStatus.TimedOut)
                    {
                        _sink.Verbose(HostSweepOptions.Text.Format("Verbose_PingStatus", name, reply.Status));
                    }
                }
            }
            var status = received > 0 ? HostStatus.Up : reason != null ? HostStatus.Unreachable : HostStatus.Down;
            return new HostProbeResult(name, address, status, received > 0 ? Math.Round(sum / received, 3) : (double?)null, ttl, sent, received,
                min.HasValue ? Math.Round(min.Value, 3) : (double?)null, max.HasValue ? Math.Round(max.Value, 3) : (double?)null,
                status == HostStatus.Up ? null : reason, null, null, null, IcmpMode.SystemPing);
        }

        private static bool IsLocalUnreachable(System.Net.Sockets.SocketError error)
            => error == System.Net.Sockets.SocketError.NetworkUnreachable || error == System.Net.Sockets.SocketError.HostUnreachable;

        private static bool IsUnreachable(IPStatus status)
        {
            switch (status)
            {
                case IPStatus.DestinationNetworkUnreachable:
                case IPStatus.DestinationHostUnreachable:
                case IPStatus.DestinationProtocolUnreachable:
                case IPStatus.DestinationPortUnreachable:
                case IPStatus.DestinationUnreachable:
                case IPStatus.DestinationScopeMismatch:
                case IPStatus.TtlExpired:
                case IPStatus.TimeExceeded:
                case IPStatus.TtlReassemblyTimeExceeded:
                case IPStatus.PacketTooBig:
                case IPStatus.BadRoute:
                case IPStatus.ParameterProblem:
                    return true;
                default:
                    return false;
            }
        }

        private void Fail(TssrError error)
        {
            if (_cancellation.IsCancellationRequested) return;
            _sink.Error(error);
            lock (_gate) _decided++;
        }

        private long Decided()
        {
            lock (_gate) return _decided;
        }

        private string Status()
        {
            lock (_gate)
                return HostSweepOptions.Text.Format("Progress_Status", _decided, _total, _up, _down, _unreachable);
        }
    }
}
