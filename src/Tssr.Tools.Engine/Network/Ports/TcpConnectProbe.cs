using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Network.Ports
{
    /// <summary>What one connection attempt found.</summary>
    internal readonly struct ConnectOutcome
    {
        public ConnectOutcome(PortStatus status, PortProbeReason reason, double? latencyMs, SocketError error)
        {
            Status = status;
            Reason = reason;
            LatencyMs = latencyMs;
            Error = error;
            IsVerdict = true;
        }

        private ConnectOutcome(SocketError error, bool cancelled)
        {
            Status = PortStatus.Filtered;
            Reason = PortProbeReason.NoResponse;
            LatencyMs = null;
            Error = error;
            IsVerdict = false;
            IsCancelled = cancelled;
        }

        /// <summary>A local failure (no descriptor, no buffer, no ephemeral port) that says nothing about the target.</summary>
        public static ConnectOutcome LocalFailure(SocketError error) => new ConnectOutcome(error, cancelled: false);

        /// <summary>
        /// Stopped by Ctrl+C. An outcome rather than an exception: stopping a sweep with thousands of
        /// connections in flight would otherwise throw (and rethrow at each await) thousands of times.
        /// </summary>
        public static ConnectOutcome Cancelled => new ConnectOutcome(SocketError.OperationAborted, cancelled: true);

        public PortStatus Status { get; }
        public PortProbeReason Reason { get; }
        public double? LatencyMs { get; }
        public SocketError Error { get; }
        public bool IsVerdict { get; }
        public bool IsCancelled { get; }
    }

    /// <summary>
    /// One TCP connect (the kernel sends the SYN and reads the answer), bounded by a timeout, and
    /// the operating system's answer turned into nmap's open/closed/filtered verdict.
    /// </summary>
    internal static class TcpConnectProbe
    {
        private static readonly double TicksPerMillisecond = Stopwatch.Frequency / 1000.0;
        private static readonly LingerOption ResetOnClose = new LingerOption(true, 0);

        /// <summary>
        /// Connects once. A timeout gives Filtered/NoResponse; cancellation gives
        /// <see cref="ConnectOutcome.Cancelled"/>. The socket is always closed, with a reset (as
        /// nmap does) so that an open port leaves no TIME_WAIT behind on a large sweep. Errors come
        /// back as codes from SocketAsyncEventArgs, never as exceptions: on a sweep most probes
        /// fail (closed or filtered), and an exception each would cost more than the probe.
        /// </summary>
        public static async Task<ConnectOutcome> ConnectAsync(IPAddress address, int port, int timeoutMs, CancellationToken cancellationToken)
        {
            if (cancellationToken.IsCancellationRequested) return ConnectOutcome.Cancelled;
            Socket socket;
            try
            {
                socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (SocketException e)
            {
                return ConnectOutcome.LocalFailure(e.SocketErrorCode);
            }

            using (var attempt = new ConnectAttempt(socket, new IPEndPoint(address, port)))
            {
                try
                {
                    socket.LingerState = ResetOnClose;
                    var started = Stopwatch.GetTimestamp();
                    var error = await attempt.RunAsync(timeoutMs, cancellationToken).ConfigureAwait(false);
                    var latency = Elapsed(started);
                    if (error == SocketError.Success)
                    {
                        return IsSelfConnect(socket)
                            ? new ConnectOutcome(PortStatus.Closed, PortProbeReason.Refused, latency, SocketError.ConnectionRefused)
                            : new ConnectOutcome(PortStatus.Open, PortProbeReason.Accepted, latency, error);
                    }
                    if (attempt.WasCancelled) return ConnectOutcome.Cancelled;
                    if (attempt.HasExpired)
                    {
                        // An ICMP error that came while the connecting thread held the socket was
                        // kept as a "soft" error and the SYN retried; it is an answer all the same.
                        var soft = attempt.SoftErrorAtExpiry;
                        if (soft != SocketError.Success && Classify(soft, null) is var answered && answered.IsVerdict && answered.Status == PortStatus.Filtered)
                            return answered;
                        return new ConnectOutcome(PortStatus.Filtered, PortProbeReason.NoResponse, null, SocketError.TimedOut);
                    }
                    return Classify(error, latency);
                }
                catch (SocketException e)
                {
                    return Classify(e.SocketErrorCode, null);
                }
                finally
                {
                    socket.Dispose();
                }
            }
        }

        /// <summary>
        /// The verdict for an operating-system answer. Follows nmap's connect scan
        /// (scan_engine_connect.cc): ECONNREFUSED → closed; ETIMEDOUT → filtered (no-response);
        /// EHOSTUNREACH, EHOSTDOWN → filtered (host-unreach); ENETUNREACH → filtered (net-unreach);
        /// Linux turns every ICMP destination-unreachable code into one of these (icmp_err_convert):
        /// host, host-prohibited, admin-prohibited, precedence and TTL-exceeded answers are
        /// EHOSTUNREACH, net and net-prohibited ENETUNREACH, host-unknown EHOSTDOWN, and
        /// source-route-failed EOPNOTSUPP (filtered, host-unreach); ICMPv6 admin-prohibited and
        /// policy answers are EACCES;
        /// EACCES and EPERM (ICMP admin-prohibited, or a local firewall) → filtered (prohibited);
        /// ENOPROTOOPT, what Linux makes of an ICMP protocol-unreachable answer to a SYN → filtered
        /// (proto-unreach), as nmap says.
        /// Anything else (EMFILE, ENOBUFS, EADDRNOTAVAIL...) is a local failure, not a verdict.
        /// </summary>
        internal static ConnectOutcome Classify(SocketError error, double? latencyMs)
        {
            switch (error)
            {
                case SocketError.Success:
                    return new ConnectOutcome(PortStatus.Open, PortProbeReason.Accepted, latencyMs, error);
                case SocketError.ConnectionRefused:
                    return new ConnectOutcome(PortStatus.Closed, PortProbeReason.Refused, latencyMs, error);
                case SocketError.TimedOut:
                    return new ConnectOutcome(PortStatus.Filtered, PortProbeReason.NoResponse, null, error);
                case SocketError.HostUnreachable:
                case SocketError.HostDown:
                case SocketError.OperationNotSupported:
                    return new ConnectOutcome(PortStatus.Filtered, PortProbeReason.HostUnreachable, latencyMs, error);
                case SocketError.NetworkUnreachable:
                case SocketError.NetworkDown:
                    return new ConnectOutcome(PortStatus.Filtered, PortProbeReason.NetworkUnreachable, latencyMs, error);
                case SocketError.AccessDenied:
                    return new ConnectOutcome(PortStatus.Filtered, PortProbeReason.Prohibited, latencyMs, error);
                case SocketError.ProtocolOption:
                    return new ConnectOutcome(PortStatus.Filtered, PortProbeReason.ProtocolUnreachable, latencyMs, error);
                default:
                    return ConnectOutcome.LocalFailure(error);
            }
        }

        /// <summary>
        /// A connect from an ephemeral port to the same port on the same host can "succeed" by TCP
        /// simultaneous open with no listener at all; nmap treats it as not open, so do we.
        /// </summary>
        private static bool IsSelfConnect(Socket socket)
            => socket.LocalEndPoint is IPEndPoint local && socket.RemoteEndPoint is IPEndPoint remote
               && local.Port == remote.Port && local.Address.Equals(remote.Address);

        private static double Elapsed(long started)
            => Math.Round((Stopwatch.GetTimestamp() - started) / TicksPerMillisecond, 3);
    }

    /// <summary>
    /// One connect through SocketAsyncEventArgs, made awaitable, with its deadline: when the timer
    /// fires (or Ctrl+C), the socket is closed, which is the one way to abandon a pending connect
    /// on every runtime (netstandard2.0 has no cancellable connect).
    /// </summary>
    internal sealed class ConnectAttempt : SocketAsyncEventArgs
    {
        private static readonly TimerCallback ExpireCallback = state => ((ConnectAttempt)state!).Abort(expired: true);
        private static readonly Action<object?> CancelCallback = state => ((ConnectAttempt)state!).Abort(expired: false);

        private readonly Socket _socket;
        private readonly TaskCompletionSource<SocketError> _completion = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _aborted; // 0 running, 1 expired, 2 cancelled

        public ConnectAttempt(Socket socket, EndPoint remote)
        {
            _socket = socket;
            RemoteEndPoint = remote;
        }

        public bool HasExpired => Volatile.Read(ref _aborted) == 1;

        /// <summary>The socket's pending error when the deadline passed (Linux keeps ICMP errors there).</summary>
        public SocketError SoftErrorAtExpiry { get; private set; }
        public bool WasCancelled => Volatile.Read(ref _aborted) == 2;

        public async Task<SocketError> RunAsync(int timeoutMs, CancellationToken cancellationToken)
        {
            if (!_socket.ConnectAsync(this))
                return SocketError; // finished at once: refused on loopback, no route, ...
            using (new Timer(ExpireCallback, this, timeoutMs, Timeout.Infinite))
            using (cancellationToken.Register(CancelCallback, this))
            {
                return await _completion.Task.ConfigureAwait(false);
            }
        }

        protected override void OnCompleted(SocketAsyncEventArgs e) => _completion.TrySetResult(e.SocketError);

        private void Abort(bool expired)
        {
            if (Interlocked.CompareExchange(ref _aborted, expired ? 1 : 2, 0) != 0) return;
            if (expired) SoftErrorAtExpiry = PendingError();
            _socket.Dispose();
        }

        /// <summary>
        /// SO_ERROR of a connect still pending. Linux answers with the "soft" error of an ICMP
        /// unreachable that arrived while the socket was busy (the kernel then retries the SYN
        /// instead of failing the connect); elsewhere it is usually 0.
        /// </summary>
        private SocketError PendingError()
        {
            try
            {
                var value = _socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error);
                return value is int code ? (SocketError)code : SocketError.Success;
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                return SocketError.Success;
            }
        }
    }
}
