using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>What the certificate check concluded.</summary>
    public enum CertificateProblem
    {
        None,
        Missing,
        Expired,
        NotYetValid,
        UntrustedChain,
        NameMismatch,
    }

    /// <summary>The server certificate seen during the check, for -Verbose and the session object.</summary>
    public sealed class ServerCertificateInfo
    {
        internal ServerCertificateInfo(X509Certificate2 certificate)
        {
            Subject = certificate.Subject;
            Issuer = certificate.Issuer;
            NotBefore = certificate.NotBefore.ToUniversalTime();
            NotAfter = certificate.NotAfter.ToUniversalTime();
            Thumbprint = certificate.Thumbprint;
        }

        public string Subject { get; }
        public string Issuer { get; }
        public DateTime NotBefore { get; }
        public DateTime NotAfter { get; }
        public string Thumbprint { get; }
    }

    /// <summary>
    /// Checks the DC's certificate with SslStream before libldap sees it. libldap (Linux, macOS)
    /// reports every TLS failure as "The LDAP server is unavailable"; this check tells the user
    /// which of unreachable / untrusted chain / name mismatch / expired it really is.
    /// </summary>
    internal static class TlsPreflight
    {
        private static readonly Localizer Text = DirectoryText.Strings;
        private const string StartTlsOid = "1.3.6.1.4.1.1466.20037";

        public static async Task<ServerCertificateInfo?> CheckAsync(DirectoryConnectionOptions options, TrustedCertificates trusted, CancellationToken ct)
        {
            var target = options.Server + ":" + options.Port;
            using (var client = new TcpClient(AddressFamily.InterNetworkV6) { NoDelay = true })
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                client.Client.DualMode = true;
                timeout.CancelAfter(options.Timeout);
                using (timeout.Token.Register(() => client.Dispose()))
                {
                    try
                    {
                        await ConnectAsync(client, options.Server, options.Port).ConfigureAwait(false);
                    }
                    catch (Exception e) when (!ct.IsCancellationRequested)
                    {
                        throw Unreachable(options, target, e, timeout.IsCancellationRequested);
                    }
                    if (options.Transport == DirectoryTransport.Unencrypted) return null;

                    var stream = client.GetStream();
                    try
                    {
                        if (options.Transport == DirectoryTransport.StartTls)
                            await StartTlsAsync(stream, target).ConfigureAwait(false);

                        X509Certificate2? seen = null;
                        var policyErrors = SslPolicyErrors.None;
                        using (var ssl = new SslStream(stream, leaveInnerStreamOpen: true, (sender, cert, chain, errors) =>
                        {
                            if (cert != null) seen = new X509Certificate2(cert);
                            policyErrors = errors;
                            return true; // the verdict is ours, below, with a precise reason
                        }))
                        {
                            await ssl.AuthenticateAsClientAsync(options.Server).ConfigureAwait(false);
                        }
                        if (seen == null)
                            throw Problem(CertificateProblem.Missing, target, null);
                        var problem = Judge(seen, policyErrors, trusted, DateTime.UtcNow);
                        if (problem != CertificateProblem.None) throw Problem(problem, target, seen);
                        return new ServerCertificateInfo(seen);
                    }
                    catch (Exception e) when (!(e is TssrException) && !ct.IsCancellationRequested)
                    {
                        if (timeout.IsCancellationRequested)
                            throw Unreachable(options, target, e, timedOut: true);
                        throw new TssrException("DirectoryTlsHandshakeFailed", TssrErrorCategory.SecurityError, target,
                            Text.Format("Error_TlsHandshake", target, Innermost(e).Message),
                            Text.Get("Action_TlsHandshake"), e);
                    }
                }
            }
        }

        /// <summary>
        /// The verdict, most specific first: expiry, then the chain (system trust or the lab CA
        /// given), then the name SslStream checked against the server name typed.
        /// </summary>
        internal static CertificateProblem Judge(X509Certificate2 certificate, SslPolicyErrors errors, TrustedCertificates trusted, DateTime nowUtc)
        {
            if (nowUtc > certificate.NotAfter.ToUniversalTime()) return CertificateProblem.Expired;
            if (nowUtc < certificate.NotBefore.ToUniversalTime()) return CertificateProblem.NotYetValid;
            var chainOk = (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0 || trusted.Validates(certificate);
            if (!chainOk) return CertificateProblem.UntrustedChain;
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return CertificateProblem.NameMismatch;
            return CertificateProblem.None;
        }

        private static TssrException Problem(CertificateProblem problem, string target, X509Certificate2? cert)
        {
            var subject = cert?.Subject ?? string.Empty;
            switch (problem)
            {
                case CertificateProblem.Expired:
                    return new TssrException("DirectoryCertificateExpired", TssrErrorCategory.SecurityError, target,
                        Text.Format("Error_CertificateExpired", target, subject, cert!.NotAfter.ToUniversalTime().ToString("u")), Text.Get("Action_CertificateExpired"));
                case CertificateProblem.NotYetValid:
                    return new TssrException("DirectoryCertificateNotYetValid", TssrErrorCategory.SecurityError, target,
                        Text.Format("Error_CertificateNotYetValid", target, subject, cert!.NotBefore.ToUniversalTime().ToString("u")), Text.Get("Action_CertificateNotYetValid"));
                case CertificateProblem.UntrustedChain:
                    return new TssrException("DirectoryCertificateUntrusted", TssrErrorCategory.SecurityError, target,
                        Text.Format("Error_CertificateUntrusted", target, subject, cert!.Issuer), Text.Get("Action_CertificateUntrusted"));
                case CertificateProblem.NameMismatch:
                    return new TssrException("DirectoryCertificateNameMismatch", TssrErrorCategory.SecurityError, target,
                        Text.Format("Error_CertificateNameMismatch", target, subject, string.Join(", ", CertificateNames(cert!))), Text.Get("Action_CertificateNameMismatch"));
                default:
                    return new TssrException("DirectoryCertificateMissing", TssrErrorCategory.SecurityError, target,
                        Text.Format("Error_CertificateMissing", target), Text.Get("Action_TlsHandshake"));
            }
        }

        /// <summary>The DNS names and addresses of the subjectAltName (what a name check accepts).</summary>
        internal static IEnumerable<string> CertificateNames(X509Certificate2 certificate)
        {
            var names = new List<string>();
            foreach (var ext in certificate.Extensions)
            {
                if (ext.Oid?.Value != "2.5.29.17") continue;
                // Format(false) gives "DNS Name=a, DNS Name=b, IP Address=1.2.3.4" on Windows and
                // "DNS:a, DNS:b, IP Address:1.2.3.4" on Unix: keep what follows the separator.
                foreach (var part in ext.Format(false).Split(new[] { ',', '\n' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    var p = part.Trim();
                    foreach (var prefix in new[] { "DNS Name=", "DNS:", "IP Address=", "IP Address:", "IP:" })
                    {
                        if (!p.StartsWith(prefix, StringComparison.Ordinal)) continue;
                        p = p.Substring(prefix.Length).Trim();
                        break;
                    }
                    names.Add(p);
                }
            }
            if (names.Count == 0) names.Add(certificate.GetNameInfo(X509NameType.DnsName, false));
            return names;
        }

        private static async Task ConnectAsync(TcpClient client, string server, int port)
        {
            if (IPAddress.TryParse(server, out var address))
                await client.ConnectAsync(address, port).ConfigureAwait(false);
            else
                await client.ConnectAsync(server, port).ConfigureAwait(false);
        }

        private static TssrException Unreachable(DirectoryConnectionOptions options, string target, Exception e, bool timedOut)
        {
            var socket = Innermost(e) as SocketException;
            if (timedOut || socket?.SocketErrorCode == SocketError.TimedOut)
                return new TssrException("DirectoryServerTimeout", TssrErrorCategory.OperationTimeout, target,
                    Text.Format("Error_ServerTimeout", target, options.Timeout.TotalSeconds), Text.Get("Action_ServerUnreachable"), e);
            if (socket?.SocketErrorCode == SocketError.HostNotFound || socket?.SocketErrorCode == SocketError.NoData || socket?.SocketErrorCode == SocketError.TryAgain)
                return new TssrException("DirectoryServerNotFound", TssrErrorCategory.ObjectNotFound, options.Server,
                    Text.Format("Error_ServerNotFound", options.Server), Text.Get("Action_ServerNotFound"), e);
            return new TssrException("DirectoryServerUnreachable", TssrErrorCategory.ConnectionError, target,
                Text.Format("Error_ServerUnreachable", target, Innermost(e).Message), Text.Get("Action_ServerUnreachable"), e);
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }

        private static async Task StartTlsAsync(Stream stream, string target)
        {
            var oid = Encoding.ASCII.GetBytes(StartTlsOid);
            var request = new List<byte> { 0x30, (byte)(3 + 2 + 2 + oid.Length), 0x02, 0x01, 0x01, 0x77, (byte)(2 + oid.Length), 0x80, (byte)oid.Length };
            request.AddRange(oid);
            var bytes = request.ToArray();
            await stream.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);

            var message = await ReadBerElementAsync(stream).ConfigureAwait(false);
            var (code, diagnostic) = ParseExtendedResponse(message);
            if (code != 0)
                throw new TssrException("DirectoryStartTlsRefused", TssrErrorCategory.SecurityError, target,
                    Text.Format("Error_StartTlsRefused", target, code, diagnostic), Text.Get("Action_StartTlsRefused"));
        }

        private static async Task<byte[]> ReadBerElementAsync(Stream stream)
        {
            var head = await ReadExactlyAsync(stream, 2).ConfigureAwait(false);
            if (head[0] != 0x30) throw new InvalidDataException("The server did not answer with an LDAP message.");
            int length = head[1];
            if ((length & 0x80) != 0)
            {
                var count = length & 0x7F;
                if (count == 0 || count > 3) throw new InvalidDataException("Unsupported BER length.");
                var lenBytes = await ReadExactlyAsync(stream, count).ConfigureAwait(false);
                length = 0;
                foreach (var b in lenBytes) length = (length << 8) | b;
            }
            return await ReadExactlyAsync(stream, length).ConfigureAwait(false);
        }

        /// <summary>Reads resultCode and diagnosticMessage from the body of an LDAP ExtendedResponse message.</summary>
        internal static (int Code, string Diagnostic) ParseExtendedResponse(byte[] body)
        {
            var i = 0;
            SkipElement(body, ref i); // messageID
            if (body[i] != 0x78) throw new InvalidDataException("The server did not answer the StartTLS request.");
            i++;
            ReadLength(body, ref i);
            if (body[i] != 0x0A) throw new InvalidDataException("Malformed LDAP result.");
            i++;
            var codeLength = ReadLength(body, ref i);
            var code = 0;
            for (var k = 0; k < codeLength; k++) code = (code << 8) | body[i++];
            SkipElement(body, ref i); // matchedDN
            var diagnostic = string.Empty;
            if (i < body.Length && body[i] == 0x04)
            {
                i++;
                var len = ReadLength(body, ref i);
                diagnostic = Encoding.UTF8.GetString(body, i, len);
            }
            return (code, diagnostic);
        }

        private static void SkipElement(byte[] body, ref int i)
        {
            i++;
            var len = ReadLength(body, ref i);
            i += len;
        }

        private static int ReadLength(byte[] body, ref int i)
        {
            int length = body[i++];
            if ((length & 0x80) == 0) return length;
            var count = length & 0x7F;
            length = 0;
            for (var k = 0; k < count; k++) length = (length << 8) | body[i++];
            return length;
        }

        private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count)
        {
            var buffer = new byte[count];
            var read = 0;
            while (read < count)
            {
                var n = await stream.ReadAsync(buffer, read, count - read).ConfigureAwait(false);
                if (n == 0) throw new EndOfStreamException("The server closed the connection.");
                read += n;
            }
            return buffer;
        }
    }
}
