using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>
    /// The CA certificates of -TrustedCertificatePath, for two readers: the SslStream check (a
    /// chain that ends on one of them is trusted) and libldap, which wants a directory
    /// (TrustedCertificatesDirectory). A single file is copied into a private directory that lives
    /// as long as the session.
    /// </summary>
    internal sealed class TrustedCertificates : IDisposable
    {
        private static readonly Localizer Text = DirectoryText.Strings;
        private readonly List<X509Certificate2> _roots = new List<X509Certificate2>();
        private readonly string? _ownedDirectory;

        private TrustedCertificates()
        {
        }

        private TrustedCertificates(string directory, string? ownedDirectory, IEnumerable<X509Certificate2> roots)
        {
            Directory = directory;
            _ownedDirectory = ownedDirectory;
            _roots.AddRange(roots);
        }

        public static TrustedCertificates None { get; } = new TrustedCertificates();

        /// <summary>The directory handed to libldap, or null to use the system's trust only.</summary>
        public string? Directory { get; }

        public IReadOnlyList<X509Certificate2> Roots => _roots;

        public static TrustedCertificates Load(string path)
        {
            var full = Path.GetFullPath(path);
            if (System.IO.Directory.Exists(full))
            {
                var certs = new List<X509Certificate2>();
                foreach (var file in System.IO.Directory.GetFiles(full))
                    certs.AddRange(ReadFile(file, strict: false));
                if (certs.Count == 0) throw NoCertificate(full);
                return new TrustedCertificates(full, null, certs);
            }
            if (!File.Exists(full))
                throw new TssrException("DirectoryTrustedCertificateNotFound", TssrErrorCategory.ObjectNotFound, full,
                    Text.Format("Error_TrustedCertificateNotFound", full), Text.Get("Action_TrustedCertificateNotFound"));
            var roots = ReadFile(full, strict: true);
            if (roots.Count == 0) throw NoCertificate(full);
            var own = Path.Combine(Path.GetTempPath(), "tssr-ldap-ca-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(own);
            var i = 0;
            foreach (var root in roots)
                File.WriteAllText(Path.Combine(own, "ca" + (i++) + ".pem"), ToPem(root));
            return new TrustedCertificates(own, own, roots);
        }

        /// <summary>True when the certificate chains up to one of these CAs, within its validity.</summary>
        public bool Validates(X509Certificate2 certificate)
        {
            if (_roots.Count == 0) return false;
            using (var chain = new X509Chain())
            {
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                foreach (var root in _roots) chain.ChainPolicy.ExtraStore.Add(root);
                if (!chain.Build(certificate)) return false;
                foreach (var status in chain.ChainStatus)
                    if (status.Status != X509ChainStatusFlags.NoError && status.Status != X509ChainStatusFlags.UntrustedRoot) return false;
                var top = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
                return _roots.Any(r => string.Equals(r.Thumbprint, top.Thumbprint, StringComparison.OrdinalIgnoreCase));
            }
        }

        private static List<X509Certificate2> ReadFile(string file, bool strict)
        {
            var result = new List<X509Certificate2>();
            byte[] raw;
            try
            {
                raw = File.ReadAllBytes(file);
            }
            catch (Exception e) when (!strict && (e is IOException || e is UnauthorizedAccessException))
            {
                return result;
            }
            var text = Encoding.ASCII.GetString(raw);
            const string begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----";
            var at = text.IndexOf(begin, StringComparison.Ordinal);
            if (at < 0)
            {
                try
                {
                    result.Add(new X509Certificate2(raw));
                }
                catch (System.Security.Cryptography.CryptographicException e) when (strict)
                {
                    throw new TssrException("DirectoryTrustedCertificateInvalid", TssrErrorCategory.InvalidData, file,
                        Text.Format("Error_TrustedCertificateInvalid", file), Text.Get("Action_TrustedCertificateNotFound"), e);
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                }
                return result;
            }
            while (at >= 0)
            {
                var stop = text.IndexOf(end, at, StringComparison.Ordinal);
                if (stop < 0) break;
                var body = text.Substring(at + begin.Length, stop - at - begin.Length);
                result.Add(new X509Certificate2(Convert.FromBase64String(body.Replace("\r", "").Replace("\n", "").Trim())));
                at = text.IndexOf(begin, stop, StringComparison.Ordinal);
            }
            return result;
        }

        private static string ToPem(X509Certificate2 cert)
            => "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(cert.RawData, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n";

        private static TssrException NoCertificate(string path)
            => new TssrException("DirectoryTrustedCertificateInvalid", TssrErrorCategory.InvalidData, path,
                Text.Format("Error_TrustedCertificateInvalid", path), Text.Get("Action_TrustedCertificateNotFound"));

        public void Dispose()
        {
            if (_ownedDirectory == null) return;
            try { System.IO.Directory.Delete(_ownedDirectory, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
