using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;

namespace Tssr.Tools.Engine.Network.Dns
{
    /// <summary>
    /// One place queries go: a server the user named (possibly a host name with several addresses),
    /// or the system's name servers taken together, as the system resolver takes them.
    /// </summary>
    internal sealed class DnsTarget
    {
        private readonly object _gate = new object();
        private Task<bool>? _portUnreachable;

        public DnsTarget(string label, IReadOnlyList<NameServer> servers, DnsResolveOptions options)
        {
            Label = label;
            Servers = servers;
            var lookup = new LookupClientOptions(servers.ToArray())
            {
                // A diagnostic tool reports what the server says now: no cache, no silent move to
                // another server on an error or an empty answer, servers in the order given.
                UseCache = false,
                ThrowDnsErrors = false,
                ContinueOnDnsError = false,
                ContinueOnEmptyResponse = false,
                UseRandomNameServer = false,
                Recursion = true,
                EnableAuditTrail = false,
                Timeout = options.Timeout,
                Retries = options.Retry,
                UseTcpOnly = options.TcpOnly,
                UseTcpFallback = true,
            };
            Client = new LookupClient(lookup);
            if (servers.Count == 1)
                SingleEndpoint = new IPEndPoint(IPAddress.Parse(servers[0].Address), servers[0].Port);
        }

        /// <summary>How the target is named in results and messages.</summary>
        public string Label { get; }

        public IReadOnlyList<NameServer> Servers { get; }

        public LookupClient Client { get; }

        /// <summary>Set when the target is a single address: only then can a silent port be told from a closed one.</summary>
        public IPEndPoint? SingleEndpoint { get; }

        public static string LabelOf(NameServer server) => DnsServerAddress.Format(server.Address, server.Port);

        /// <summary>
        /// DnsClient reads UDP answers on an unconnected socket, where Linux never reports the ICMP
        /// "port unreachable" of a closed port: a closed port and a silent server both look like a
        /// timeout. After a UDP timeout, one probe on a connected socket tells them apart; its result
        /// is kept for the whole run.
        /// </summary>
        public Task<bool> IsPortUnreachableAsync(TimeSpan wait, CancellationToken ct)
        {
            if (SingleEndpoint == null) return Task.FromResult(false);
            lock (_gate)
            {
                return _portUnreachable ?? (_portUnreachable = ProbeAsync(SingleEndpoint, wait, ct));
            }
        }

        internal static async Task<bool> ProbeAsync(IPEndPoint endpoint, TimeSpan wait, CancellationToken ct)
        {
            using (var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
            {
                Task<int>? receive = null;
                try
                {
                    socket.Connect(endpoint);
                    await socket.SendAsync(new ArraySegment<byte>(RootNsQuery()), SocketFlags.None).ConfigureAwait(false);
                    receive = socket.ReceiveAsync(new ArraySegment<byte>(new byte[512]), SocketFlags.None);
                    var first = await Task.WhenAny(receive, Task.Delay(wait, ct)).ConfigureAwait(false);
                    ct.ThrowIfCancellationRequested();
                    if (first == receive)
                        await receive.ConfigureAwait(false); // something answered: the port is open
                    return false;
                }
                catch (SocketException e) when (DnsAnswer.FromSocketError(e.SocketErrorCode) == DnsStatus.ConnectionRefused)
                {
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
                finally
                {
                    // Disposing the socket ends a pending receive; observe its failure.
                    receive?.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                }
            }
        }

        private static byte[] RootNsQuery()
        {
            var id = new byte[2];
            new Random().NextBytes(id);
            // id, flags RD, one question, no other records; question: root, type NS, class IN.
            return new byte[] { id[0], id[1], 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x02, 0x00, 0x01 };
        }
    }
}
