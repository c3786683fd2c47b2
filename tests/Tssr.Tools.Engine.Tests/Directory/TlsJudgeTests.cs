using System;
using System.DirectoryServices.Protocols;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Directory;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Directory
{
    public class TlsJudgeTests
    {
        private static X509Certificate2 Make(DateTimeOffset notBefore, DateTimeOffset notAfter)
        {
            using (var key = RSA.Create(2048))
            {
                var req = new CertificateRequest("CN=dc1.tssr.lab", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                return req.CreateSelfSigned(notBefore, notAfter);
            }
        }

        [Fact]
        public void Expiry_is_reported_before_the_chain()
        {
            var now = DateTime.UtcNow;
            using (var cert = Make(now.AddYears(-2), now.AddYears(-1)))
                Assert.Equal(CertificateProblem.Expired, TlsPreflight.Judge(cert, SslPolicyErrors.RemoteCertificateChainErrors, TrustedCertificates.None, now));
        }

        [Fact]
        public void An_untrusted_chain_then_a_wrong_name_are_told_apart()
        {
            var now = DateTime.UtcNow;
            using (var cert = Make(now.AddDays(-1), now.AddYears(1)))
            {
                Assert.Equal(CertificateProblem.UntrustedChain, TlsPreflight.Judge(cert, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, TrustedCertificates.None, now));
                Assert.Equal(CertificateProblem.NameMismatch, TlsPreflight.Judge(cert, SslPolicyErrors.RemoteCertificateNameMismatch, TrustedCertificates.None, now));
                Assert.Equal(CertificateProblem.None, TlsPreflight.Judge(cert, SslPolicyErrors.None, TrustedCertificates.None, now));
                Assert.Contains("dc1.tssr.lab", TlsPreflight.CertificateNames(cert));
            }
        }

        [Fact]
        public void The_StartTLS_response_is_parsed()
        {
            // messageID 1, extendedResp { resultCode 2 (protocolError), matchedDN "", diagnostic "no" }
            var body = new byte[] { 0x02, 0x01, 0x01, 0x78, 0x09, 0x0A, 0x01, 0x02, 0x04, 0x00, 0x04, 0x02, (byte)'n', (byte)'o' };
            Assert.Equal((2, "no"), TlsPreflight.ParseExtendedResponse(body));
        }

        [Fact]
        public async Task A_closed_port_is_unreachable_not_a_certificate_problem()
        {
            var options = new DirectoryConnectionOptions("127.0.0.1", DirectoryTransport.Ldaps, 1) { Timeout = TimeSpan.FromSeconds(5) };
            var e = await Assert.ThrowsAsync<TssrException>(() => TlsPreflight.CheckAsync(options, TrustedCertificates.None, CancellationToken.None));
            Assert.Equal("DirectoryServerUnreachable", e.Error.ErrorId);
        }

        [Fact]
        public void The_tests_run_the_real_LDAP_library_not_the_netstandard_stub()
        {
            // The netstandard2.0 copy throws PlatformNotSupportedException; the real one talks to libldap.
            using (var c = new LdapConnection(new LdapDirectoryIdentifier("127.0.0.1", 1)))
            {
                c.AuthType = AuthType.Anonymous;
                c.Timeout = TimeSpan.FromSeconds(3);
                var e = Assert.Throws<LdapException>(() => c.Bind());
                Assert.Equal(81, e.ErrorCode);
            }
        }
    }
}
