using System;
using System.IO;
using System.Linq;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Tls;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Tls
{
    public sealed class TrustAnchorLoaderTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "tssr-anchors-" + Guid.NewGuid().ToString("N"));

        public TrustAnchorLoaderTests() => System.IO.Directory.CreateDirectory(_dir);

        public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

        private string Write(string name, string text)
        {
            var path = Path.Combine(_dir, name);
            File.WriteAllText(path, text);
            return path;
        }

        [Fact]
        public void Reads_a_PEM_bundle_and_ignores_keys()
        {
            var bundle = Write("bundle.pem", TestPki.Root.ExportCertificatePem() + "\n" + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" + TestPki.Intermediate.ExportCertificatePem());
            var anchors = TrustAnchorLoader.Load(new[] { bundle });
            Assert.Equal(new[] { TestPki.Root.Thumbprint, TestPki.Intermediate.Thumbprint }, anchors.Select(a => a.Thumbprint));
        }

        [Fact]
        public void Reads_a_folder_of_PEM_and_DER_files_once_each()
        {
            Write("root.crt", TestPki.Root.ExportCertificatePem());
            File.WriteAllBytes(Path.Combine(_dir, "issuing.cer"), TestPki.Intermediate.RawData);
            Write("again.pem", TestPki.Root.ExportCertificatePem());
            Write("notes.txt", "not a certificate");
            Write("server.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
            var anchors = TrustAnchorLoader.Load(new[] { _dir });
            Assert.Equal(2, anchors.Count);
        }

        [Fact]
        public void A_folder_without_certificates_is_an_error()
        {
            Write("notes.txt", "nothing here");
            var e = Assert.Throws<TssrException>(() => TrustAnchorLoader.Load(new[] { _dir }));
            Assert.Equal("TlsTrustedCertificateNotFound", e.Error.ErrorId);
            Assert.Equal(_dir, e.Error.Target);
        }

        [Fact]
        public void A_missing_path_is_an_error()
        {
            var missing = Path.Combine(_dir, "nope.pem");
            var e = Assert.Throws<TssrException>(() => TrustAnchorLoader.Load(new[] { missing }));
            Assert.Equal("TlsTrustedCertificatePathNotFound", e.Error.ErrorId);
        }

        [Theory]
        [InlineData("garbage.pem", "hello world")]
        [InlineData("broken.pem", "-----BEGIN CERTIFICATE-----\nMIIBbroken!!\n-----END CERTIFICATE-----\n")]
        [InlineData("bad.crt", "-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n")]
        public void A_file_that_is_no_certificate_is_an_error_naming_the_file(string name, string text)
        {
            var path = Write(name, text);
            var e = Assert.Throws<TssrException>(() => TrustAnchorLoader.Load(new[] { path }));
            Assert.Contains(e.Error.ErrorId, new[] { "TlsTrustedCertificateInvalid", "TlsTrustedCertificateNotFound" });
            Assert.Equal(path, e.Error.Target);
        }
    }
}
