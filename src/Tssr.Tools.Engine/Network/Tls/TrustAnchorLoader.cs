using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Tls
{
    /// <summary>
    /// Reads the certificates of private CAs that -TrustedCertificatePath names: files in PEM
    /// (one or many certificates, as in a CA bundle) or DER, or a folder of them (.pem .crt .cer
    /// .der, and the hash-named links of `openssl rehash`). Private keys and other PEM blocks are
    /// ignored. A path that holds no certificate is an error: trust must never be silently empty.
    /// </summary>
    public static class TrustAnchorLoader
    {
        private static readonly Localizer Text = NetworkText.Tls;
        private static readonly Regex PemCertificate = new Regex(
            "-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----(?<body>[A-Za-z0-9+/=\\s]+?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----",
            RegexOptions.CultureInvariant);
        private static readonly Regex RehashName = new Regex("^[0-9a-f]{8}\\.[0-9]+$", RegexOptions.CultureInvariant);
        private static readonly string[] Extensions = { ".pem", ".crt", ".cer", ".der" };

        public static IReadOnlyList<X509Certificate2> Load(IEnumerable<string> paths)
        {
            var anchors = new List<X509Certificate2>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in paths)
            {
                var found = 0;
                if (System.IO.Directory.Exists(path))
                {
                    foreach (var file in System.IO.Directory.GetFiles(path))
                    {
                        var name = Path.GetFileName(file);
                        if (Array.IndexOf(Extensions, Path.GetExtension(file).ToLowerInvariant()) < 0 && !RehashName.IsMatch(name)) continue;
                        found += AddFrom(file, anchors, seen, strict: false);
                    }
                }
                else if (File.Exists(path))
                {
                    found += AddFrom(path, anchors, seen, strict: true);
                }
                else
                {
                    throw new TssrException("TlsTrustedCertificatePathNotFound", TssrErrorCategory.ObjectNotFound, path,
                        Text.Format("Error_TrustPathNotFound", path), Text.Get("Action_TrustPath"));
                }
                if (found == 0)
                {
                    throw new TssrException("TlsTrustedCertificateNotFound", TssrErrorCategory.InvalidData, path,
                        Text.Format("Error_TrustPathEmpty", path), Text.Get("Action_TrustPath"));
                }
            }
            return anchors;
        }

        /// <summary>Certificates of one file; returns how many it held (duplicates included).</summary>
        private static int AddFrom(string file, List<X509Certificate2> anchors, HashSet<string> seen, bool strict)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new TssrException("TlsTrustedCertificateUnreadable", TssrErrorCategory.ReadError, file,
                    Text.Format("Error_TrustFileUnreadable", file, e.Message), Text.Get("Action_TrustPath"), e);
            }

            var ders = new List<byte[]>();
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            if (text.IndexOf("-----BEGIN", StringComparison.Ordinal) >= 0)
            {
                foreach (Match m in PemCertificate.Matches(text))
                {
                    try { ders.Add(Convert.FromBase64String(m.Groups["body"].Value)); }
                    catch (FormatException e) { throw Invalid(file, e); }
                }
            }
            else if (bytes.Length > 0 && bytes[0] == 0x30)
            {
                ders.Add(bytes);
            }
            else if (strict)
            {
                throw Invalid(file, null);
            }

            foreach (var der in ders)
            {
                X509Certificate2 certificate;
                try { certificate = new X509Certificate2(der); }
                catch (CryptographicException e) { throw Invalid(file, e); }
                if (seen.Add(certificate.Thumbprint)) anchors.Add(certificate);
                else certificate.Dispose();
            }
            return ders.Count;
        }

        private static TssrException Invalid(string file, Exception? inner)
            => new TssrException("TlsTrustedCertificateInvalid", TssrErrorCategory.InvalidData, file,
                Text.Format("Error_TrustFileInvalid", file, inner?.Message ?? string.Empty), Text.Get("Action_TrustPath"), inner);
    }
}
