using System;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Tls;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Tls
{
    /// <summary>The engine against real TLS and TCP servers on 127.0.0.1.</summary>
    public class TlsCertificateCheckerTests
    {
        private static TlsCheckOptions Options(int timeout = 3000, params X509Certificate2[] anchors)
            => new TlsCheckOptions { TimeoutMilliseconds = timeout, TrustAnchors = anchors.Select(TestPki.Public).ToArray() };

        private static async Task<RecordingSink> Check(TlsCheckOptions options, params string[] targets)
        {
            var sink = new RecordingSink();
            await new TlsCertificateChecker().CheckAsync(targets.Select(t => TlsTargetParser.Parse(t)).ToList(), options, sink, CancellationToken.None);
            return sink;
        }

        [Fact]
        public async Task Reads_the_certificate_protocol_and_cipher_and_sends_no_application_data()
        {
            var leaf = TestPki.CreateLeaf(issuer: TestPki.Intermediate);
            using var server = TestServer.Tls(leaf, TestPki.Intermediate);
            var sink = await Check(Options(3000, TestPki.Root), server.Target);

            Assert.Empty(sink.Errors);
            var r = Assert.IsType<TlsCertificateResult>(Assert.Single(sink.Outputs));
            Assert.Equal(TlsCertificateStatus.Valid, r.Status);
            Assert.Equal("127.0.0.1", r.IPAddress);
            Assert.Equal(server.Port, r.Port);
            Assert.Equal(2, r.ServerSentCertificates);
            Assert.Contains(r.Protocol, new[] { "Tls12", "Tls13" });
            Assert.StartsWith("TLS_", r.CipherSuite);
            Assert.Null(r.HandshakeError);
            Assert.Equal(leaf.Thumbprint, r.GetCertificate()!.Thumbprint);

            // The server saw the client leave without one byte of application data.
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (server.ApplicationBytes.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.Equal(new long[] { 0 }, server.ApplicationBytes.ToArray());
        }

        [Fact]
        public async Task The_name_sent_in_SNI_is_the_one_checked()
        {
            var leaf = TestPki.CreateLeaf("CN=portal.tssr.lab", dnsNames: new[] { "portal.tssr.lab" }, addresses: Array.Empty<string>(), issuer: TestPki.Intermediate);
            using var server = TestServer.Tls(leaf, TestPki.Intermediate);
            var sink = new RecordingSink();
            var checker = new TlsCertificateChecker();
            await checker.CheckAsync(new[] { new TlsTarget("127.0.0.1", server.Port), new TlsTarget("127.0.0.1", server.Port, "portal.tssr.lab") },
                Options(3000, TestPki.Root), sink, CancellationToken.None);
            var results = sink.Outputs.Cast<TlsCertificateResult>().ToDictionary(r => r.ServerName);
            Assert.Equal(TlsCertificateStatus.NameMismatch, results["127.0.0.1"].Status);
            Assert.Equal(TlsCertificateStatus.Valid, results["portal.tssr.lab"].Status);
        }

        [Fact]
        public async Task A_silent_endpoint_times_out_within_the_budget()
        {
            using var server = TestServer.Silent();
            var clock = Stopwatch.StartNew();
            var sink = await Check(Options(1000), server.Target);
            clock.Stop();

            var error = Assert.Single(sink.Errors);
            Assert.Equal("TlsHandshakeTimeout", error.ErrorId);
            Assert.Equal(TssrErrorCategory.OperationTimeout, error.Category);
            Assert.Equal(server.Target, error.Target);
            Assert.Empty(sink.Outputs);
            Assert.InRange(clock.ElapsedMilliseconds, 900, 2000);
        }

        [Fact]
        public async Task A_plain_text_service_is_named_for_what_it_said()
        {
            using var server = TestServer.Answering(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
            var error = Assert.Single((await Check(Options(), server.Target)).Errors);
            Assert.Equal("TlsNotTlsService", error.ErrorId);
            Assert.Contains("HTTP/1.1 400 Bad Request", error.Message);
        }

        [Fact]
        public async Task A_TLS_alert_is_named()
        {
            // A TLS 1.2 record: fatal (2) handshake_failure (40).
            using var server = TestServer.Answering(new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28 });
            var error = Assert.Single((await Check(Options(), server.Target)).Errors);
            Assert.Equal("TlsHandshakeAlert", error.ErrorId);
            Assert.Contains("handshake_failure (40)", error.Message);
        }

        [Fact]
        public async Task A_server_that_hangs_up_is_a_closed_connection()
        {
            using var server = TestServer.Closing();
            var error = Assert.Single((await Check(Options(), server.Target)).Errors);
            Assert.Equal("TlsConnectionClosed", error.ErrorId);
        }

        [Fact]
        public async Task A_closed_port_is_refused()
        {
            var error = Assert.Single((await Check(Options(), "127.0.0.1:" + TestServer.ClosedPort())).Errors);
            Assert.Equal("TlsConnectionRefused", error.ErrorId);
            Assert.Equal(TssrErrorCategory.ConnectionError, error.Category);
        }

        [Fact]
        public async Task A_name_that_does_not_resolve_is_reported_as_such()
        {
            var error = Assert.Single((await Check(Options(3000), "no-such-host.invalid:443")).Errors);
            Assert.Equal("TlsNameResolutionFailed", error.ErrorId);
            Assert.Equal("no-such-host.invalid:443", error.Target);
        }

        [Fact]
        public async Task Concurrency_is_bounded_and_results_stream()
        {
            using var silent = TestServer.Silent();
            var leaf = TestPki.CreateLeaf(issuer: TestPki.Intermediate);
            using var tls = TestServer.Tls(leaf, TestPki.Intermediate);
            var clock = Stopwatch.StartNew();
            long firstOutputAt = -1;
            var sink = new RecordingSink { OnOutput = _ => Interlocked.CompareExchange(ref firstOutputAt, clock.ElapsedMilliseconds, -1) };
            // The TLS target sits third: it finishes one round before the last silent one, so a result
            // written as it exists comes out long before the end (a margin that survives a loaded machine).
            var targets = Enumerable.Repeat(silent.Target, 2).Append(tls.Target).Concat(Enumerable.Repeat(silent.Target, 2)).Select(t => TlsTargetParser.Parse(t)).ToList();
            var options = Options(600, TestPki.Root);
            options.ThrottleLimit = 2;
            await new TlsCertificateChecker().CheckAsync(targets, options, sink, CancellationToken.None);
            clock.Stop();

            // 4 silent targets two at a time take two rounds of 600 ms; the TLS one comes out as soon as it is done.
            Assert.Equal(4, sink.Errors.Count(e => e.ErrorId == "TlsHandshakeTimeout"));
            Assert.Single(sink.Outputs);
            // The lower bound proves the throttle (two rounds); the upper one only catches a hang on a loaded machine.
            Assert.InRange(clock.ElapsedMilliseconds, 1150, 10000);
            Assert.True(firstOutputAt + 300 < clock.ElapsedMilliseconds, $"the result was written before the check ended (at {firstOutputAt} ms of {clock.ElapsedMilliseconds})");
            Assert.True(silent.Accepted <= 4);
            var last = sink.ProgressReports.Last();
            Assert.True(last.Completed);
        }

        [Fact]
        public async Task Cancellation_stops_promptly()
        {
            using var server = TestServer.Silent();
            using var cts = new CancellationTokenSource(300);
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new TlsCertificateChecker().CheckAsync(new[] { TlsTargetParser.Parse(server.Target) }, Options(20000), new RecordingSink(), cts.Token));
            Assert.InRange(clock.ElapsedMilliseconds, 0, 3000);
        }

        [Theory]
        [InlineData(new byte[0], true, "Silent")]
        [InlineData(new byte[0], false, "Closed")]
        [InlineData(new byte[] { 0x16, 0x03, 0x03, 0x00, 0x40 }, true, "Stalled")]
        [InlineData(new byte[] { 0x16, 0x03, 0x03, 0x00, 0x40 }, false, "Other")]
        [InlineData(new byte[] { 0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46 }, false, "Alert")]
        [InlineData(new byte[] { (byte)'S', (byte)'S', (byte)'H', (byte)'-', (byte)'2' }, false, "NotTls")]
        [InlineData(new byte[] { 0x00, 0x01, 0x02 }, true, "NotTls")]
        internal void Classifies_what_the_server_answered(byte[] first, bool timedOut, string expected)
            => Assert.Equal(expected, HandshakeFailureKind.Classify(first, timedOut).Kind.ToString());

        [Fact]
        public void Shows_a_banner_as_readable_text()
            => Assert.Equal("220 mail.example.com ESMTP .x", HandshakeFailureKind.Printable(Encoding.ASCII.GetBytes("220 mail.example.com ESMTP \u0001x\r\n")));
    }
}
