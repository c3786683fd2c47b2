using System;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tssr.Tools.Engine.Network.Tls;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Tls
{
    public class TlsCertificateEvaluatorTests
    {
        private static readonly TlsTarget Localhost = new TlsTarget("localhost", 443);
        private static X509Certificate2[] Anchors => new[] { TestPki.Public(TestPki.Root) };
        private static X509Certificate2[] SentIntermediate => new[] { TestPki.Public(TestPki.Intermediate) };

        private static TlsCertificateResult Evaluate(X509Certificate2 leaf, X509Certificate2[]? sent = null, X509Certificate2[]? anchors = null, TlsTarget? target = null, int warningDays = 30)
            => TlsCertificateEvaluator.Evaluate(target ?? Localhost, TestPki.Public(leaf), sent ?? SentIntermediate, true,
                anchors ?? Anchors, DateTime.UtcNow, warningDays);

        [Fact]
        public void A_good_certificate_from_a_given_anchor_is_valid_and_fully_described()
        {
            var leaf = TestPki.CreateLeaf("CN=localhost, O=Tests", issuer: TestPki.Intermediate, rsaBits: 2048);
            var r = Evaluate(leaf);
            Assert.Equal(TlsCertificateStatus.Valid, r.Status);
            Assert.Empty(r.Problems);
            Assert.True(r.ChainValid);
            Assert.True(r.NameMatch);
            Assert.False(r.SelfSigned);
            Assert.Equal(TlsTrustSource.TrustedCertificatePath, r.TrustedBy);
            Assert.Equal(3, r.Chain.Count);
            Assert.Equal(2, r.ServerSentCertificates);
            Assert.Equal("localhost", r.CommonName);
            Assert.Equal(new[] { "localhost" }, r.DnsNames);
            Assert.Equal(new[] { "127.0.0.1", "::1" }, r.IPAddresses);
            Assert.Equal("RSA", r.KeyAlgorithm);
            Assert.Equal(2048, r.KeySize);
            Assert.Equal("sha256ECDSA", r.SignatureAlgorithm);
            Assert.Equal(leaf.Thumbprint, r.Thumbprint);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(leaf.RawData)), r.ThumbprintSha256);
            Assert.Equal(leaf.SerialNumber, r.SerialNumber);
            Assert.InRange(r.DaysLeft, 198, 200);
            Assert.Contains("localhost", r.Explanation);
        }

        [Fact]
        public void Without_the_anchor_the_same_chain_is_untrusted_and_the_root_is_named()
        {
            var leaf = TestPki.CreateLeaf(issuer: TestPki.Intermediate);
            var r = Evaluate(leaf, anchors: Array.Empty<X509Certificate2>());
            Assert.Equal(TlsCertificateStatus.UntrustedRoot, r.Status);
            Assert.False(r.ChainValid);
            Assert.Equal(TlsTrustSource.None, r.TrustedBy);
            Assert.Contains("Test Root CA", r.Explanation);
        }

        [Fact]
        public void An_unrelated_anchor_does_not_make_a_self_made_chain_trusted()
        {
            // AllowUnknownCertificateAuthority accepts any root: the anchor check must still refuse
            // a chain whose root the server itself sent and nobody trusts.
            var rogueRoot = TestPki.CreateAuthority("CN=Rogue Root", null);
            var leaf = TestPki.CreateLeaf(issuer: rogueRoot);
            var r = Evaluate(leaf, sent: new[] { TestPki.Public(rogueRoot) });
            Assert.Equal(TlsCertificateStatus.UntrustedRoot, r.Status);
            Assert.Equal(TlsTrustSource.None, r.TrustedBy);
            Assert.False(r.ChainValid);
            Assert.Contains("UntrustedRoot", r.ChainStatus);
        }

        [Fact]
        public void An_anchor_may_be_an_intermediate()
        {
            var leaf = TestPki.CreateLeaf(issuer: TestPki.Intermediate);
            var r = Evaluate(leaf, anchors: new[] { TestPki.Public(TestPki.Intermediate) });
            Assert.Equal(TlsCertificateStatus.Valid, r.Status);
            Assert.Equal(TlsTrustSource.TrustedCertificatePath, r.TrustedBy);
        }

        [Fact]
        public void Expired_is_reported_with_negative_days_and_the_chain_stays_valid()
        {
            var now = DateTimeOffset.UtcNow;
            var leaf = TestPki.CreateLeaf(issuer: TestPki.Intermediate, notBefore: now.AddDays(-100), notAfter: now.AddDays(-10).AddHours(-1));
            var r = Evaluate(leaf);
            Assert.Equal(TlsCertificateStatus.Expired, r.Status);
            Assert.Equal(new[] { TlsCertificateStatus.Expired }, r.Problems);
            Assert.Equal(-10, r.DaysLeft);
            Assert.True(r.ChainValid);
            Assert.Contains("NotTimeValid", r.ChainStatus);
        }

        [Fact]
        public void Not_yet_valid_is_reported()
        {
            var now = DateTimeOffset.UtcNow;
            var leaf = TestPki.CreateLeaf(issuer: TestPki.Intermediate, notBefore: now.AddDays(3), notAfter: now.AddDays(300));
            Assert.Equal(TlsCertificateStatus.NotYetValid, Evaluate(leaf).Status);
        }

        [Theory]
        [InlineData(10, 30, TlsCertificateStatus.Expiring)]
        [InlineData(10, 5, TlsCertificateStatus.Valid)]
        [InlineData(40, 30, TlsCertificateStatus.Valid)]
        public void Expiring_follows_the_warning_threshold(int daysLeft, int warningDays, TlsCertificateStatus expected)
        {
            var leaf = TestPki.CreateLeaf(issuer: TestPki.Intermediate, notAfter: DateTimeOffset.UtcNow.AddDays(daysLeft).AddHours(1));
            var r = Evaluate(leaf, warningDays: warningDays);
            Assert.Equal(expected, r.Status);
            Assert.Equal(daysLeft, r.DaysLeft);
        }

        [Fact]
        public void A_wrong_name_says_which_names_the_certificate_covers()
        {
            var leaf = TestPki.CreateLeaf("CN=intranet.tssr.lab", dnsNames: new[] { "intranet.tssr.lab", "*.apps.tssr.lab" }, addresses: Array.Empty<string>(), issuer: TestPki.Intermediate);
            var r = Evaluate(leaf);
            Assert.Equal(TlsCertificateStatus.NameMismatch, r.Status);
            Assert.False(r.NameMatch);
            Assert.Contains("intranet.tssr.lab", r.Explanation);
            Assert.Equal(TlsCertificateStatus.Valid, Evaluate(leaf, target: new TlsTarget("127.0.0.1", 443, "portal.apps.tssr.lab")).Status);
        }

        [Fact]
        public void A_name_only_in_the_common_name_is_a_mismatch_with_its_own_explanation()
        {
            var leaf = TestPki.CreateLeaf("CN=localhost", issuer: TestPki.Intermediate, noSubjectAltName: true);
            var r = Evaluate(leaf);
            Assert.Equal(TlsCertificateStatus.NameMismatch, r.Status);
            Assert.Contains("subjectAltName", r.Explanation);
        }

        [Fact]
        public void Self_signed_is_reported_and_pinning_it_makes_it_valid()
        {
            var leaf = TestPki.CreateLeaf("CN=localhost, O=Appliance");
            var r = Evaluate(leaf, sent: Array.Empty<X509Certificate2>(), anchors: Array.Empty<X509Certificate2>());
            Assert.Equal(TlsCertificateStatus.SelfSigned, r.Status);
            Assert.True(r.SelfSigned);
            Assert.Single(r.Chain);

            var pinned = Evaluate(leaf, sent: Array.Empty<X509Certificate2>(), anchors: new[] { TestPki.Public(leaf) });
            Assert.Equal(TlsCertificateStatus.Valid, pinned.Status);
            Assert.True(pinned.SelfSigned);
            Assert.Equal(TlsTrustSource.TrustedCertificatePath, pinned.TrustedBy);
        }

        [Fact]
        public void A_missing_intermediate_is_an_incomplete_chain_even_when_the_anchors_could_complete_it()
        {
            var leaf = TestPki.CreateLeaf(issuer: TestPki.Intermediate);
            var rootOnly = Evaluate(leaf, sent: Array.Empty<X509Certificate2>());
            Assert.Equal(TlsCertificateStatus.IncompleteChain, rootOnly.Status);
            Assert.False(rootOnly.ChainValid);
            Assert.Equal(1, rootOnly.ServerSentCertificates);

            var both = Evaluate(leaf, sent: Array.Empty<X509Certificate2>(), anchors: new[] { TestPki.Public(TestPki.Root), TestPki.Public(TestPki.Intermediate) });
            Assert.Equal(TlsCertificateStatus.IncompleteChain, both.Status);
            Assert.True(both.ChainValid);
            Assert.Contains("Test Issuing CA", both.Explanation);
        }

        [Fact]
        public void Weak_keys_and_SHA1_signatures_are_flagged()
        {
            var weakKey = TestPki.CreateLeaf("CN=localhost", rsaBits: 1024);
            var r = Evaluate(weakKey, sent: Array.Empty<X509Certificate2>(), anchors: new[] { TestPki.Public(weakKey) });
            Assert.Contains(TlsCertificateStatus.WeakKey, r.Problems);
            Assert.Equal(1024, r.KeySize);

            var sha1 = TestPki.CreateLeaf("CN=localhost", hash: HashAlgorithmName.SHA1);
            var s = Evaluate(sha1, sent: Array.Empty<X509Certificate2>(), anchors: new[] { TestPki.Public(sha1) });
            Assert.Contains(TlsCertificateStatus.WeakSignature, s.Problems);
            Assert.Equal("sha1RSA", s.SignatureAlgorithm);
        }

        [Fact]
        public void Problems_are_sorted_most_serious_first()
        {
            var now = DateTimeOffset.UtcNow;
            var leaf = TestPki.CreateLeaf("CN=other", dnsNames: new[] { "other.example" }, addresses: Array.Empty<string>(), notBefore: now.AddDays(-50), notAfter: now.AddDays(-1).AddHours(-2));
            var r = Evaluate(leaf, sent: Array.Empty<X509Certificate2>(), anchors: Array.Empty<X509Certificate2>());
            Assert.Equal(new[] { TlsCertificateStatus.Expired, TlsCertificateStatus.NameMismatch, TlsCertificateStatus.SelfSigned }, r.Problems);
            Assert.Equal(TlsCertificateStatus.Expired, r.Status);
        }

        [Fact]
        public void The_explanation_speaks_French_for_French_users()
        {
            var before = CultureInfo.CurrentUICulture;
            try
            {
                CultureInfo.CurrentUICulture = new CultureInfo("fr-FR");
                var now = DateTimeOffset.UtcNow;
                var leaf = TestPki.CreateLeaf(issuer: TestPki.Intermediate, notBefore: now.AddDays(-100), notAfter: now.AddDays(-3));
                Assert.StartsWith("Expiré le", Evaluate(leaf).Explanation);
            }
            finally
            {
                CultureInfo.CurrentUICulture = before;
            }
        }
    }
}
