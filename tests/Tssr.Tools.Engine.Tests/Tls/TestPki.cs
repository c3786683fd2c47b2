using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Tests.Tls
{
    /// <summary>Certificates made on the spot with CertificateRequest: a root, an intermediate, leaves.</summary>
    internal static class TestPki
    {
        private static readonly Lazy<(X509Certificate2 Root, X509Certificate2 Intermediate)> Authorities = new Lazy<(X509Certificate2, X509Certificate2)>(() =>
        {
            var root = CreateAuthority("CN=Test Root CA, O=Tssr Tests", null);
            var intermediate = CreateAuthority("CN=Test Issuing CA, O=Tssr Tests", root);
            return (root, intermediate);
        });

        public static X509Certificate2 Root => Authorities.Value.Root;
        public static X509Certificate2 Intermediate => Authorities.Value.Intermediate;

        public static X509Certificate2 CreateAuthority(string subject, X509Certificate2? issuer)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            var now = DateTimeOffset.UtcNow;
            if (issuer == null) return request.CreateSelfSigned(now.AddDays(-30), now.AddYears(5));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            using var signed = request.Create(issuer, now.AddDays(-20), now.AddYears(4), Serial());
            return signed.CopyWithPrivateKey(key);
        }

        /// <summary>A server certificate; self-signed when no issuer is given.</summary>
        public static X509Certificate2 CreateLeaf(
            string subject = "CN=localhost",
            string[]? dnsNames = null,
            string[]? addresses = null,
            X509Certificate2? issuer = null,
            DateTimeOffset? notBefore = null,
            DateTimeOffset? notAfter = null,
            int rsaBits = 0,
            HashAlgorithmName? hash = null,
            bool noSubjectAltName = false)
        {
            // ECDSA P-256 unless an RSA size is asked for: RSA key generation is slow on a busy machine.
            using var rsa = rsaBits > 0 || hash == HashAlgorithmName.SHA1 ? RSA.Create(rsaBits > 0 ? rsaBits : 2048) : null;
            using var ecdsa = rsa == null ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
            var request = rsa != null
                ? new CertificateRequest(subject, rsa, hash ?? HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest(subject, ecdsa!, hash ?? HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | (rsa != null ? X509KeyUsageFlags.KeyEncipherment : 0), true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            if (!noSubjectAltName)
            {
                var san = new SubjectAlternativeNameBuilder();
                foreach (var d in dnsNames ?? new[] { "localhost" }) san.AddDnsName(d);
                foreach (var a in addresses ?? new[] { "127.0.0.1", "::1" }) san.AddIpAddress(IPAddress.Parse(a));
                request.CertificateExtensions.Add(san.Build());
            }
            var now = DateTimeOffset.UtcNow;
            var from = notBefore ?? now.AddDays(-1);
            var to = notAfter ?? now.AddDays(200);
            if (issuer == null && hash == HashAlgorithmName.SHA1)
            {
                // .NET no longer signs with SHA-1; servers still present such certificates.
                using var sha1 = request.Create(request.SubjectName, new Sha1RsaSignatureGenerator(rsa!), from, to, Serial());
                return sha1.CopyWithPrivateKey(rsa!);
            }
            if (issuer == null) return request.CreateSelfSigned(from, to);
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            using var issuerKey = issuer.GetECDsaPrivateKey();
            var generator = X509SignatureGenerator.CreateForECDsa(issuerKey!);
            using var signed = request.Create(issuer.SubjectName, generator, from, to, Serial());
            return rsa != null ? signed.CopyWithPrivateKey(rsa) : signed.CopyWithPrivateKey(ecdsa!);
        }

        /// <summary>A copy without the private key, as a client receives it.</summary>
        public static X509Certificate2 Public(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);

        private static byte[] Serial()
        {
            var serial = RandomNumberGenerator.GetBytes(16);
            serial[0] &= 0x7F;
            return serial;
        }
    }

    /// <summary>Signs sha1WithRSAEncryption, which CertificateRequest refuses to do itself.</summary>
    internal sealed class Sha1RsaSignatureGenerator : X509SignatureGenerator
    {
        private readonly RSA _key;

        public Sha1RsaSignatureGenerator(RSA key) { _key = key; }

        protected override PublicKey BuildPublicKey() => X509SignatureGenerator.CreateForRSA(_key, RSASignaturePadding.Pkcs1).PublicKey;

        // AlgorithmIdentifier { sha1WithRSAEncryption, NULL }
        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
            => new byte[] { 0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05, 0x05, 0x00 };

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
            => _key.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
    }

    /// <summary>A sink that keeps everything the engine reports.</summary>
}
