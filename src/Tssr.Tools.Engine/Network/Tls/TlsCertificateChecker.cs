using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Tls
{
    /// <summary>Settings of a certificate check, shared by all its targets.</summary>
    public sealed class TlsCheckOptions
    {
        /// <summary>Budget of one target, name resolution, connection and handshake together.</summary>
        public int TimeoutMilliseconds { get; set; } = 5000;
        /// <summary>A certificate that expires within this many days is reported as Expiring.</summary>
        public int WarningDays { get; set; } = 30;
        /// <summary>How many targets are checked at once.</summary>
        public int ThrottleLimit { get; set; } = 32;
        /// <summary>Extra trust anchors (private CAs, pinned certificates).</summary>
        public IReadOnlyList<X509Certificate2> TrustAnchors { get; set; } = Array.Empty<X509Certificate2>();
    }

    /// <summary>
    /// Connects to TLS endpoints, takes their certificate from the handshake and judges it. The
    /// check is an observer: it sends the ClientHello and what the handshake needs, never a byte of
    /// application data, and closes the connection as soon as the handshake ends.
    /// </summary>
    public sealed class TlsCertificateChecker : IEngine<TlsCheckOptions, TlsTarget>
    {
        private static readonly Localizer Text = NetworkText.Tls;
        private static readonly System.Reflection.PropertyInfo? NegotiatedCipherSuite = typeof(SslStream).GetProperty("NegotiatedCipherSuite");
        // SslProtocols.Tls13 is not in the netstandard2.0 enum; its value is.
        private const int Tls13 = 12288;

        /// <summary>The engine contract; see <see cref="CheckAsync"/>.</summary>
        public Task RunAsync(TlsCheckOptions options, IEnumerable<TlsTarget> targets, IEngineSink sink, CancellationToken cancellationToken)
            => CheckAsync(targets, options, sink, cancellationToken);

        /// <summary>
        /// Checks every target, at most <see cref="TlsCheckOptions.ThrottleLimit"/> at once. Each
        /// result goes to <see cref="IEngineSink.Output"/> as soon as it exists; each target that
        /// gives no certificate goes to <see cref="IEngineSink.Error"/> with a specific id.
        /// </summary>
        /// <param name="expectedCount">How many targets <paramref name="targets"/> will yield, for progress; -1 when unknown.</param>
        public async Task CheckAsync(IEnumerable<TlsTarget> targets, TlsCheckOptions options, IEngineSink sink, CancellationToken cancellationToken, long expectedCount = -1)
        {
            if (targets == null) throw new ArgumentNullException(nameof(targets));
            if (options.ThrottleLimit < 1) throw new ArgumentOutOfRangeException(nameof(options), "ThrottleLimit must be at least 1.");
            var total = expectedCount >= 0 ? expectedCount : (targets is ICollection<TlsTarget> collection ? collection.Count : -1);
            var activity = Text.Get("Progress_Activity");
            long done = 0;
            var running = new List<Task>();
            using (var gate = new SemaphoreSlim(options.ThrottleLimit))
            {
                async Task CheckOne(TlsTarget target)
                {
                    try
                    {
                        await CheckTargetAsync(target, options, sink, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        // Ctrl+C: the caller sees the cancellation once every socket is closed.
                    }
                    catch (Exception e)
                    {
                        // One endpoint that breaks in a way nobody foresaw must not end a sweep of a thousand.
                        sink.Error(new TssrError("TlsCheckFailed", TssrErrorCategory.NotSpecified, target.Display,
                            Text.Format("Error_CheckFailed", target.Display, e.Message), Text.Get("Action_CheckFailed"), e));
                    }
                    finally
                    {
                        gate.Release();
                        var n = Interlocked.Increment(ref done);
                        sink.Progress(new ProgressReport(activity,
                            Text.Format("Progress_Status", n, total < 0 ? "?" : total.ToString(System.Globalization.CultureInfo.CurrentCulture), target.Display),
                            ProgressReport.Percent(n, total)));
                    }
                }

                try
                {
                    foreach (var target in targets)
                    {
                        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                        running.Add(Task.Run(() => CheckOne(target)));
                        // Keep memory flat on long target lists: forget finished checks.
                        if (running.Count >= options.ThrottleLimit * 4) running.RemoveAll(t => t.IsCompleted);
                    }
                }
                finally
                {
                    await Task.WhenAll(running).ConfigureAwait(false);
                }
            }
            cancellationToken.ThrowIfCancellationRequested();
            sink.Progress(new ProgressReport(activity, Text.Get("Progress_Done"), 100, completed: true));
        }

        /// <summary>Checks one target: writes its result or its error to the sink.</summary>
        public async Task CheckTargetAsync(TlsTarget target, TlsCheckOptions options, IEngineSink sink, CancellationToken cancellationToken)
        {
            using (var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                budget.CancelAfter(options.TimeoutMilliseconds);
                var token = budget.Token;
                var clock = Stopwatch.StartNew();

                var addresses = await ResolveAsync(target, options, sink, token, cancellationToken).ConfigureAwait(false);
                if (addresses == null) return;

                var (socket, address) = await ConnectAsync(target, addresses, options, sink, token, cancellationToken).ConfigureAwait(false);
                if (socket == null) return;
                sink.Verbose(Text.Format("Verbose_Connected", target.Display, address, clock.ElapsedMilliseconds));

                var capture = new HandshakeCapture();
                var recording = new RecordingStream(new NetworkStream(socket, ownsSocket: true));
                string? protocol = null, cipher = null, handshakeError = null;
                // This callback is the only place in the module that returns true whatever the
                // certificate: it records the certificate and what the server sent, and lets the
                // handshake finish so that the negotiated protocol and cipher can be read. Nothing
                // is ever sent on this connection after the handshake: it is closed right away, and
                // the verdict comes from TlsCertificateEvaluator, not from this callback.
                using (var ssl = new SslStream(recording, leaveInnerStreamOpen: false, capture.Record))
                using (token.Register(() => socket.Dispose()))
                {
                    try
                    {
                        await ssl.AuthenticateAsClientAsync(target.ServerName ?? target.Host, null, SslProtocols.None, checkCertificateRevocation: false).ConfigureAwait(false);
                        protocol = ProtocolName(ssl.SslProtocol);
                        cipher = CipherName(ssl);
                    }
                    catch (Exception e) when (IsNetworkFailure(e))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var timedOut = token.IsCancellationRequested;
                        if (capture.Leaf == null)
                        {
                            sink.Error(HandshakeError(target, recording.FirstBytes, timedOut, options.TimeoutMilliseconds, e));
                            return;
                        }
                        // The certificate arrived, then the handshake failed (the server wants a client
                        // certificate, or dislikes our offer): the certificate can still be judged.
                        handshakeError = timedOut ? Text.Format("Error_HandshakeTimeoutShort", options.TimeoutMilliseconds) : Innermost(e).Message;
                    }
                }

                if (capture.Leaf == null)
                {
                    sink.Error(new TssrError("TlsNoCertificate", TssrErrorCategory.ProtocolError, target.Display,
                        Text.Format("Error_NoCertificate", target.Display), Text.Get("Action_HandshakeFailed")));
                    return;
                }

                TlsCertificateResult result;
                try
                {
                    result = TlsCertificateEvaluator.Evaluate(target, capture.Leaf, capture.Sent, capture.SentKnown, options.TrustAnchors, DateTime.UtcNow, options.WarningDays);
                }
                catch (System.Security.Cryptography.CryptographicException e)
                {
                    sink.Error(new TssrError("TlsCertificateUnreadable", TssrErrorCategory.InvalidData, target.Display,
                        Text.Format("Error_CertificateUnreadable", target.Display, e.Message), Text.Get("Action_HandshakeFailed"), e));
                    return;
                }
                result.IPAddress = address!.ToString();
                result.Protocol = protocol;
                result.CipherSuite = cipher;
                result.HandshakeError = handshakeError;
                sink.Verbose(Text.Format("Verbose_Done", target.Display, result.Status, protocol ?? "-", cipher ?? "-", clock.ElapsedMilliseconds));
                sink.Output(result);
            }
        }

        private static async Task<IPAddress[]?> ResolveAsync(TlsTarget target, TlsCheckOptions options, IEngineSink sink, CancellationToken token, CancellationToken userToken)
        {
            if (IPAddress.TryParse(target.Host, out var literal)) return new[] { literal };
            var lookup = System.Net.Dns.GetHostAddressesAsync(target.Host);
            var finished = await Task.WhenAny(lookup, Task.Delay(Timeout.Infinite, token)).ConfigureAwait(false);
            if (finished != lookup)
            {
                _ = lookup.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed, whatever it ends with
                userToken.ThrowIfCancellationRequested();
                sink.Error(new TssrError("TlsNameResolutionFailed", TssrErrorCategory.OperationTimeout, target.Display,
                    Text.Format("Error_ResolveTimeout", target.Host, options.TimeoutMilliseconds), Text.Get("Action_Resolve")));
                return null;
            }
            try
            {
                var addresses = await lookup.ConfigureAwait(false);
                if (addresses.Length > 0) return addresses;
                sink.Error(new TssrError("TlsNameResolutionFailed", TssrErrorCategory.ObjectNotFound, target.Display,
                    Text.Format("Error_Resolve", target.Host, Text.Get("Reason_NoAddress")), Text.Get("Action_Resolve")));
            }
            catch (SocketException e)
            {
                sink.Error(new TssrError("TlsNameResolutionFailed", TssrErrorCategory.ObjectNotFound, target.Display,
                    Text.Format("Error_Resolve", target.Host, e.Message), Text.Get("Action_Resolve"), e));
            }
            return null;
        }

        private static async Task<(Socket?, IPAddress?)> ConnectAsync(TlsTarget target, IPAddress[] addresses, TlsCheckOptions options, IEngineSink sink, CancellationToken token, CancellationToken userToken)
        {
            Exception? last = null;
            var refused = 0;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    using (token.Register(() => socket.Dispose()))
                    {
                        await socket.ConnectAsync(address, target.Port).ConfigureAwait(false);
                    }
                    return (socket, address);
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
                {
                    socket.Dispose();
                    userToken.ThrowIfCancellationRequested();
                    if (token.IsCancellationRequested)
                    {
                        sink.Error(new TssrError("TlsConnectTimeout", TssrErrorCategory.OperationTimeout, target.Display,
                            Text.Format("Error_ConnectTimeout", target.Display, address, options.TimeoutMilliseconds), Text.Get("Action_ConnectTimeout"), e));
                        return (null, null);
                    }
                    if (e is SocketException se && se.SocketErrorCode == SocketError.ConnectionRefused) refused++;
                    last = e;
                    sink.Verbose(Text.Format("Verbose_ConnectFailed", target.Display, address, e.Message));
                }
            }
            if (refused == addresses.Length)
            {
                sink.Error(new TssrError("TlsConnectionRefused", TssrErrorCategory.ConnectionError, target.Display,
                    Text.Format("Error_Refused", target.Display, string.Join(", ", (IEnumerable<IPAddress>)addresses)), Text.Get("Action_Refused"), last));
            }
            else
            {
                sink.Error(new TssrError("TlsConnectionFailed", TssrErrorCategory.ConnectionError, target.Display,
                    Text.Format("Error_ConnectFailed", target.Display, last?.Message), Text.Get("Action_ConnectFailed"), last));
            }
            return (null, null);
        }

        /// <summary>
        /// Explains a handshake that gave no certificate from what the server sent back: nothing
        /// (silent, or closed), a TLS alert, TLS records that went wrong, or something else entirely.
        /// </summary>
        internal static TssrError HandshakeError(TlsTarget target, byte[] firstBytes, bool timedOut, int timeoutMs, Exception? exception)
        {
            var where = target.Display;
            var kind = HandshakeFailureKind.Classify(firstBytes, timedOut);
            switch (kind.Kind)
            {
                case HandshakeFailure.Silent:
                    return new TssrError("TlsHandshakeTimeout", TssrErrorCategory.OperationTimeout, where,
                        Text.Format("Error_HandshakeSilent", where, timeoutMs), Text.Get("Action_HandshakeSilent"), exception);
                case HandshakeFailure.Stalled:
                    return new TssrError("TlsHandshakeTimeout", TssrErrorCategory.OperationTimeout, where,
                        Text.Format("Error_HandshakeStalled", where, timeoutMs), Text.Get("Action_HandshakeSilent"), exception);
                case HandshakeFailure.Closed:
                    return new TssrError("TlsConnectionClosed", TssrErrorCategory.ConnectionError, where,
                        Text.Format("Error_Closed", where), Text.Get("Action_Closed"), exception);
                case HandshakeFailure.Alert:
                    return new TssrError("TlsHandshakeAlert", TssrErrorCategory.ProtocolError, where,
                        Text.Format("Error_Alert", where, kind.Detail), Text.Get("Action_Alert"), exception);
                case HandshakeFailure.NotTls:
                    return new TssrError("TlsNotTlsService", TssrErrorCategory.ProtocolError, where,
                        Text.Format("Error_NotTls", where, kind.Detail), Text.Get("Action_NotTls"), exception);
                default:
                    return new TssrError("TlsHandshakeFailed", TssrErrorCategory.ProtocolError, where,
                        Text.Format("Error_HandshakeFailed", where, exception == null ? string.Empty : Innermost(exception).Message), Text.Get("Action_HandshakeFailed"), exception);
            }
        }

        private static bool IsNetworkFailure(Exception e)
            => e is AuthenticationException || e is System.IO.IOException || e is SocketException || e is ObjectDisposedException
               || e is OperationCanceledException || e is InvalidOperationException;

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }

        internal static string ProtocolName(SslProtocols protocol)
        {
            switch ((int)protocol)
            {
                case Tls13: return "Tls13";
                case (int)SslProtocols.Tls12: return "Tls12";
                case (int)SslProtocols.Tls11: return "Tls11";
                case (int)SslProtocols.Tls: return "Tls10";
#pragma warning disable CS0618 // naming an obsolete protocol is the point
                case (int)SslProtocols.Ssl3: return "Ssl3";
                case (int)SslProtocols.Ssl2: return "Ssl2";
#pragma warning restore CS0618
                default: return protocol.ToString();
            }
        }

        private static string? CipherName(SslStream ssl)
        {
            // .NET Core 3.0+ names the IANA cipher suite; .NET Framework only gives its parts.
            if (NegotiatedCipherSuite != null)
            {
                try { return NegotiatedCipherSuite.GetValue(ssl)?.ToString(); }
                catch (System.Reflection.TargetInvocationException) { return null; }
            }
            return ssl.CipherAlgorithm + " " + ssl.CipherStrength + " / " + ssl.HashAlgorithm + " / " + ssl.KeyExchangeAlgorithm;
        }

        /// <summary>What the validation callback saw, copied out of the handshake.</summary>
        private sealed class HandshakeCapture
        {
            public X509Certificate2? Leaf { get; private set; }
            public List<X509Certificate2> Sent { get; } = new List<X509Certificate2>();
            public bool SentKnown { get; private set; }

            public bool Record(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
            {
                if (certificate == null) return false;
                Leaf = new X509Certificate2(certificate.GetRawCertData());
                if (chain != null)
                {
                    // .NET Core puts what the server sent in the policy's ExtraStore; .NET Framework
                    // does not say, and its chain already mixes in the machine's stores.
                    SentKnown = !System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);
                    foreach (var c in chain.ChainPolicy.ExtraStore)
                    {
                        if (c.Thumbprint != Leaf.Thumbprint) Sent.Add(new X509Certificate2(c.RawData));
                    }
                }
                return true;
            }
        }
    }

    internal enum HandshakeFailure
    {
        Silent,
        Stalled,
        Closed,
        Alert,
        NotTls,
        Other,
    }

    /// <summary>Reads the first bytes a server answered to a ClientHello.</summary>
    internal readonly struct HandshakeFailureKind
    {
        private static readonly Dictionary<int, string> AlertNames = new Dictionary<int, string>
        {
            [0] = "close_notify", [10] = "unexpected_message", [20] = "bad_record_mac", [22] = "record_overflow",
            [40] = "handshake_failure", [42] = "bad_certificate", [43] = "unsupported_certificate", [44] = "certificate_revoked",
            [45] = "certificate_expired", [46] = "certificate_unknown", [47] = "illegal_parameter", [48] = "unknown_ca",
            [49] = "access_denied", [50] = "decode_error", [51] = "decrypt_error", [70] = "protocol_version",
            [71] = "insufficient_security", [80] = "internal_error", [86] = "inappropriate_fallback", [90] = "user_canceled",
            [109] = "missing_extension", [110] = "unsupported_extension", [112] = "unrecognized_name",
            [116] = "certificate_required", [120] = "no_application_protocol",
        };

        private HandshakeFailureKind(HandshakeFailure kind, string detail) { Kind = kind; Detail = detail; }

        public HandshakeFailure Kind { get; }
        public string Detail { get; }

        public static HandshakeFailureKind Classify(byte[] first, bool timedOut)
        {
            if (first.Length == 0) return new HandshakeFailureKind(timedOut ? HandshakeFailure.Silent : HandshakeFailure.Closed, string.Empty);
            var tlsRecord = first[0] >= 0x14 && first[0] <= 0x17 && (first.Length < 2 || first[1] == 0x03);
            if (tlsRecord && first[0] == 0x15 && first.Length >= 7)
            {
                var code = first[6];
                var name = AlertNames.TryGetValue(code, out var n) ? n : "alert " + code;
                return new HandshakeFailureKind(HandshakeFailure.Alert, name + " (" + code + ")");
            }
            if (tlsRecord) return new HandshakeFailureKind(timedOut ? HandshakeFailure.Stalled : HandshakeFailure.Other, string.Empty);
            return new HandshakeFailureKind(HandshakeFailure.NotTls, Printable(first));
        }

        /// <summary>What the server said, as text a person can read: printable ASCII, the rest as dots.</summary>
        internal static string Printable(byte[] bytes)
        {
            var text = new StringBuilder(bytes.Length);
            foreach (var b in bytes)
            {
                if (b == '\r' || b == '\n') { if (text.Length > 0 && text[text.Length - 1] != ' ') text.Append(' '); }
                else text.Append(b >= 0x20 && b < 0x7F ? (char)b : '.');
            }
            return text.ToString().Trim();
        }
    }
}
