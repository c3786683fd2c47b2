using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>What came back for one request: the message, or why the agent's datagram was unreadable.</summary>
    internal sealed class SnmpReply
    {
        public SnmpReply(SnmpMessage? message, byte[] datagram, SnmpParseError? parseError)
        {
            Message = message;
            Datagram = datagram;
            ParseError = parseError;
        }

        public SnmpMessage? Message { get; }
        public byte[] Datagram { get; }
        public SnmpParseError? ParseError { get; }
    }

    /// <summary>What a request saw besides its answer, so a timeout can say more than "no answer".</summary>
    internal sealed class SnmpExchangeNotes
    {
        private int _wrongIds;
        private string? _otherSource;

        public int WrongRequestIds => Volatile.Read(ref _wrongIds);
        public string? OtherSource => Volatile.Read(ref _otherSource);

        public void SawWrongRequestId() => Interlocked.Increment(ref _wrongIds);
        public void SawOtherSource(string source) => Volatile.Write(ref _otherSource, source);
    }

    /// <summary>
    /// One UDP socket shared by every agent a command talks to. Requests are matched to replies by
    /// request id (msgID for v3) and by the address they were sent to: a datagram from another
    /// address or with an unknown id never completes a request. A datagram from the agent that
    /// cannot be read fails that agent's waiting requests at once with its parse error.
    /// </summary>
    internal sealed class SnmpTransport : IDisposable
    {
        private sealed class Pending
        {
            public Pending(IPEndPoint target)
            {
                Target = target;
            }

            public IPEndPoint Target { get; }
            public TaskCompletionSource<SnmpReply> Reply { get; } = new TaskCompletionSource<SnmpReply>(TaskCreationOptions.RunContinuationsAsynchronously);
            public SnmpExchangeNotes Notes { get; } = new SnmpExchangeNotes();
        }

        private readonly Socket _socket;
        private readonly bool _dualMode;
        private readonly ConcurrentDictionary<int, Pending> _pending = new ConcurrentDictionary<int, Pending>();
        private readonly CancellationTokenSource _closing = new CancellationTokenSource();
        private int _nextId;

        public SnmpTransport()
        {
            _dualMode = Socket.OSSupportsIPv6;
            if (_dualMode)
            {
                try
                {
                    _socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
                    _socket.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
                }
                catch (SocketException)
                {
                    _dualMode = false;
                    _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    _socket.Bind(new IPEndPoint(IPAddress.Any, 0));
                }
            }
            else
            {
                _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                _socket.Bind(new IPEndPoint(IPAddress.Any, 0));
            }
            _socket.ReceiveBufferSize = 1 << 20;
            _nextId = new Random().Next(1, int.MaxValue / 2);
            _ = Task.Run(ReceiveLoopAsync);
        }

        /// <summary>A fresh positive request id, unique among those in flight on this socket.</summary>
        public int NextRequestId()
        {
            while (true)
            {
                var id = Interlocked.Increment(ref _nextId) & int.MaxValue;
                if (id != 0 && !_pending.ContainsKey(id)) return id;
            }
        }

        /// <summary>
        /// Sends <paramref name="datagram"/> (again for each retry, from <paramref name="resend"/> when
        /// given, so v3 can refresh its time) and waits for the reply matching <paramref name="requestId"/>;
        /// null after every attempt timed out.
        /// </summary>
        public async Task<SnmpReply?> ExchangeAsync(IPEndPoint target, int requestId, Func<int, byte[]> datagramForAttempt, TimeSpan timeout, int retries, SnmpExchangeNotes? notes, CancellationToken cancellationToken)
        {
            var pending = new Pending(Normalise(target));
            if (!_pending.TryAdd(requestId, pending)) throw new InvalidOperationException("request id in use");
            try
            {
                for (var attempt = 0; attempt <= retries; attempt++)
                {
                    var datagram = datagramForAttempt(attempt);
                    await _socket.SendToAsync(new ArraySegment<byte>(datagram), SocketFlags.None, ToSocketEndPoint(target)).ConfigureAwait(false);
                    using (var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    {
                        var timer = Task.Delay(timeout, delay.Token);
                        var done = await Task.WhenAny(pending.Reply.Task, timer).ConfigureAwait(false);
                        if (done == pending.Reply.Task)
                        {
                            delay.Cancel();
                            return await pending.Reply.Task.ConfigureAwait(false);
                        }
                    }
                    cancellationToken.ThrowIfCancellationRequested();
                }
                return null;
            }
            finally
            {
                _pending.TryRemove(requestId, out _);
                if (notes != null)
                {
                    for (var i = 0; i < pending.Notes.WrongRequestIds; i++) notes.SawWrongRequestId();
                    if (pending.Notes.OtherSource != null) notes.SawOtherSource(pending.Notes.OtherSource);
                }
            }
        }

        private EndPoint ToSocketEndPoint(IPEndPoint target)
            => _dualMode && target.AddressFamily == AddressFamily.InterNetwork
                ? new IPEndPoint(target.Address.MapToIPv6(), target.Port)
                : target;

        private static IPEndPoint Normalise(IPEndPoint endpoint)
            => endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;

        private async Task ReceiveLoopAsync()
        {
            var buffer = new byte[65536];
            EndPoint any = _dualMode ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
            while (!_closing.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _socket.ReceiveFromAsync(new ArraySegment<byte>(buffer), SocketFlags.None, any).ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException)
                {
                    if (_closing.IsCancellationRequested) return;
                    continue; // Windows reports an ICMP port unreachable of an earlier send here
                }
                var datagram = new byte[received.ReceivedBytes];
                Buffer.BlockCopy(buffer, 0, datagram, 0, datagram.Length);
                Dispatch(Normalise((IPEndPoint)received.RemoteEndPoint), datagram);
            }
        }

        private void Dispatch(IPEndPoint source, byte[] datagram)
        {
            if (!SnmpMessage.TryDecode(datagram, datagram.Length, out var message, out var error))
            {
                foreach (var entry in _pending)
                    if (entry.Value.Target.Equals(source)) entry.Value.Reply.TrySetResult(new SnmpReply(null, datagram, error));
                return;
            }
            var id = message!.Version == SnmpVersion.V3 ? message.V3!.MessageId : message.Pdu!.RequestId;
            if (_pending.TryGetValue(id, out var pending))
            {
                if (pending.Target.Equals(source))
                {
                    pending.Reply.TrySetResult(new SnmpReply(message, datagram, null));
                    return;
                }
                pending.Notes.SawOtherSource(source.ToString());
                return;
            }
            foreach (var entry in _pending)
                if (entry.Value.Target.Equals(source)) entry.Value.Notes.SawWrongRequestId();
        }

        public void Dispose()
        {
            _closing.Cancel();
            _socket.Dispose();
            foreach (var entry in _pending) entry.Value.Reply.TrySetCanceled();
        }
    }
}
