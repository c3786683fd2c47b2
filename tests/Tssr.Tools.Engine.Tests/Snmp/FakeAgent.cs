using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Snmp;

namespace Tssr.Tools.Engine.Tests.Snmp
{
    /// <summary>
    /// A UDP responder on 127.0.0.1 (ports 16150–16199, this area's range) that answers each datagram
    /// with what a test decides: for the behaviours a real agent cannot be made to show (tooBig,
    /// garbage, wrong ids, replies from elsewhere, silence). Real-agent behaviour is tested against
    /// net-snmp's snmpd in Pester.
    /// </summary>
    internal sealed class FakeAgent : IDisposable
    {
        private static int _nextPort = 16150;
        private readonly UdpClient _udp;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Func<byte[], IEnumerable<byte[]>> _answer;
        private int _requests;
        private int _probes;

        private readonly TimeSpan _delay;
        private readonly Action? _afterReply;
        private readonly Action? _beforeReply;

        /// <param name="delay">Answer this late, without blocking a thread (a slow agent).</param>
        /// <param name="afterReply">Called once the answer is sent.</param>
        /// <param name="beforeReply">Called after the delay, just before the answer leaves (so that
        /// whatever the answer sets off on the client side happens after it).</param>
        public FakeAgent(Func<byte[], IEnumerable<byte[]>> answer, UdpClient? replyFrom = null, TimeSpan delay = default, Action? afterReply = null, Action? beforeReply = null)
        {
            _answer = answer;
            _delay = delay;
            _afterReply = afterReply;
            _beforeReply = beforeReply;
            _udp = Bind();
            ReplyFrom = replyFrom;
            _ = Task.Run(LoopAsync);
        }

        public UdpClient? ReplyFrom { get; }
        public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;
        public string Target => "127.0.0.1:" + Port;
        public int Requests => Volatile.Read(ref _requests);

        /// <summary>Empty datagrams received: the client's refusal probes.</summary>
        public int Probes => Volatile.Read(ref _probes);

        public static UdpClient Bind()
        {
            for (var i = 0; i < 50; i++)
            {
                var port = 16150 + (Interlocked.Increment(ref _nextPort) - 16150) % 50;
                try
                {
                    return new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                }
                catch (SocketException)
                {
                }
            }
            throw new InvalidOperationException("no free port in 16150-16199");
        }

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                UdpReceiveResult received;
                try
                {
                    received = await _udp.ReceiveAsync();
                }
                catch (Exception)
                {
                    return;
                }
                if (received.Buffer.Length == 0)
                {
                    // The client's refusal probe after a timeout: no SNMP request, never answered.
                    Interlocked.Increment(ref _probes);
                    continue;
                }
                Interlocked.Increment(ref _requests);
                var replies = _answer(received.Buffer).ToList();
                _ = ReplyAsync(replies, received.RemoteEndPoint);
            }
        }

        private async Task ReplyAsync(List<byte[]> replies, IPEndPoint to)
        {
            try
            {
                if (_delay > TimeSpan.Zero) await Task.Delay(_delay);
                _beforeReply?.Invoke();
                foreach (var reply in replies)
                    await (ReplyFrom ?? _udp).SendAsync(reply, reply.Length, to);
            }
            catch (ObjectDisposedException)
            {
            }
            finally
            {
                _afterReply?.Invoke();
            }
        }

        /// <summary>Decodes a request the client sent (our own codec: the tests of the codec vouch for it).</summary>
        public static SnmpMessage Read(byte[] request)
        {
            if (!SnmpMessage.TryDecode(request, request.Length, out var m, out var e)) throw new InvalidOperationException(e!.ToString());
            return m!;
        }

        public static byte[] Respond(SnmpMessage request, IReadOnlyList<SnmpVarbind> varbinds, int errorStatus = 0, int errorIndex = 0, int? requestId = null)
        {
            var pdu = new SnmpPdu(SnmpPduType.Response, requestId ?? request.Pdu!.RequestId, errorStatus, errorIndex, varbinds);
            return new SnmpMessage(request.Version, request.Community, pdu).Encode();
        }

        /// <summary>A tiny MIB: GET, GETNEXT and GETBULK over a sorted list, as an agent does them.</summary>
        public static IEnumerable<byte[]> Serve(SortedList<Oid, SnmpValue> mib, byte[] request, int maxVarbinds = int.MaxValue)
        {
            var m = Read(request);
            var pdu = m.Pdu!;
            var result = new List<SnmpVarbind>();
            if (pdu.Type == SnmpPduType.Get)
            {
                if (pdu.Varbinds.Count > maxVarbinds) return new[] { Respond(m, pdu.Varbinds, 1, 0) };
                foreach (var vb in pdu.Varbinds)
                    result.Add(new SnmpVarbind(vb.Oid, mib.TryGetValue(vb.Oid, out var v) ? v : SnmpValue.NoSuchObject));
            }
            else
            {
                var repetitions = pdu.Type == SnmpPduType.GetBulk ? pdu.ErrorIndex : 1;
                if (repetitions > maxVarbinds) return new[] { Respond(m, Array.Empty<SnmpVarbind>(), 1, 0) };
                var current = pdu.Varbinds[0].Oid;
                for (var i = 0; i < repetitions; i++)
                {
                    var next = mib.Keys.FirstOrDefault(k => k.CompareTo(current) > 0);
                    if (next == null)
                    {
                        result.Add(new SnmpVarbind(current, SnmpValue.EndOfMibView));
                        break;
                    }
                    result.Add(new SnmpVarbind(next, mib[next]));
                    current = next;
                }
            }
            return new[] { Respond(m, result) };
        }

        public void Dispose()
        {
            _stop.Cancel();
            _udp.Dispose();
        }
    }
}
