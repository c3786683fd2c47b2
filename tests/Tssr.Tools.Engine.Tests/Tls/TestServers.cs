using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Tests.Tls
{
    /// <summary>
    /// Real servers on 127.0.0.1 for the engine tests: a TLS server (SslStream) that records how
    /// many application bytes each client sent after the handshake, and raw TCP servers that stay
    /// silent, answer like HTTP, close at once, or send a TLS alert.
    /// </summary>
    internal sealed class TestServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentBag<TcpClient> _held = new ConcurrentBag<TcpClient>();
        private readonly Task _loop;

        private TestServer(Func<TcpClient, TestServer, Task> handler)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                    catch (Exception) { return; }
                    _held.Add(client);
                    _ = Task.Run(async () =>
                    {
                        try { await handler(client, this); }
                        catch (Exception) { /* a client that went away */ }
                    });
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public string Target => "127.0.0.1:" + Port;
        public int Accepted => _held.Count;

        /// <summary>Application bytes each client sent after its handshake (filled when the client closes).</summary>
        public ConcurrentQueue<long> ApplicationBytes { get; } = new ConcurrentQueue<long>();
        public CancellationToken Stopping => _stop.Token;

        public static TestServer Tls(X509Certificate2 certificate, params X509Certificate2[] chain)
        {
            var context = SslStreamCertificateContext.Create(certificate, new X509Certificate2Collection(chain), offline: true);
            return new TestServer(async (client, server) =>
            {
                using var ssl = new SslStream(client.GetStream(), false);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = context }, server.Stopping);
                long total = 0;
                var buffer = new byte[4096];
                try
                {
                    int read;
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(server.Stopping);
                    wait.CancelAfter(10000);
                    while ((read = await ssl.ReadAsync(buffer, wait.Token)) > 0) total += read;
                }
                catch (Exception) { /* closed without close_notify: no data came */ }
                server.ApplicationBytes.Enqueue(total);
            });
        }

        /// <summary>Accepts and never says a word.</summary>
        public static TestServer Silent() => new TestServer((client, server) => Task.Delay(Timeout.Infinite, server.Stopping));

        /// <summary>Reads the ClientHello and answers it with these bytes, then closes.</summary>
        public static TestServer Answering(byte[] answer) => new TestServer(async (client, server) =>
        {
            var stream = client.GetStream();
            var buffer = new byte[4096];
            _ = await stream.ReadAsync(buffer, server.Stopping); // the ClientHello, whatever its size
            await stream.WriteAsync(answer, server.Stopping);
            await stream.FlushAsync(server.Stopping);
            client.Dispose();
        });

        /// <summary>Accepts and closes at once.</summary>
        public static TestServer Closing() => new TestServer((client, server) => { client.Dispose(); return Task.CompletedTask; });

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            foreach (var c in _held) c.Dispose();
            try { _loop.Wait(2000); } catch (AggregateException) { }
            _stop.Dispose();
        }

        /// <summary>A loopback port with nothing listening.</summary>
        public static int ClosedPort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            var port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }
    }
}
