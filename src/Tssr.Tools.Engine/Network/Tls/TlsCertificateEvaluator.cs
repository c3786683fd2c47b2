using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Tls
{
    /// <summary>
    /// Judges one server certificate: dates, name, chain of trust (system roots, then the given
    /// trust anchors), self-signature, key and signature strength. No network: the chain is built
    /// from what the server sent plus the anchors, with certificate downloads off where the
    /// platform allows it, so a check never talks to anyone but the server it tests.
    /// </summary>
    public static class TlsCertificateEvaluator
    {
        private static readonly Localizer Text = NetworkText.Tls;

        // .NET 5+ can stop X509Chain from fetching missing issuers over HTTP (AIA); netstandard2.0
        // cannot name the property, so it is set by reflection where it exists.
        private static readonly PropertyInfo? DisableDownloads = typeof(X509ChainPolicy).GetProperty("DisableCertificateDownloads");

        private const X509ChainStatusFlags TrustFlags = X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain;
        // Not problems of the chain: the leaf's own dates are judged from NotBefore/NotAfter, and
        // revocation is not checked (no network beyond the server).
        private const X509ChainStatusFlags IgnoredFlags = X509ChainStatusFlags.NotTimeNested | X509ChainStatusFlags.RevocationStatusUnknown
            | X509ChainStatusFlags.OfflineRevocation;

        private static readonly Dictionary<string, string> SignatureNames = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["1.2.840.113549.1.1.4"] = "md5RSA",
            ["1.2.840.113549.1.1.5"] = "sha1RSA",
            ["1.2.840.113549.1.1.10"] = "RSASSA-PSS",
            ["1.2.840.113549.1.1.11"] = "sha256RSA",
            ["1.2.840.113549.1.1.12"] = "sha384RSA",
            ["1.2.840.113549.1.1.13"] = "sha512RSA",
            ["1.2.840.10045.4.1"] = "sha1ECDSA",
            ["1.2.840.10045.4.3.2"] = "sha256ECDSA",
            ["1.2.840.10045.4.3.3"] = "sha384ECDSA",
            ["1.2.840.10045.4.3.4"] = "sha512ECDSA",
            ["1.2.840.10040.4.3"] = "sha1DSA",
            ["2.16.840.1.101.3.4.3.2"] = "sha256DSA",
            ["1.3.101.112"] = "Ed25519",
            ["1.3.101.113"] = "Ed448",
        };

        private static readonly HashSet<string> WeakSignatures = new HashSet<string>(StringComparer.Ordinal)
        {
            "1.2.840.113549.1.1.4", "1.2.840.113549.1.1.5", "1.2.840.10045.4.1", "1.2.840.10040.4.3",
        };

        /// <summary>
        /// Evaluates <paramref name="leaf"/> as served for <paramref name="target"/>.
        /// </summary>
        /// <param name="sent">The other certificates the server sent, in its order.</param>
        /// <param name="sentKnown">False when the platform does not tell which certificates the server sent.</param>
        /// <param name="anchors">Extra trust anchors (-TrustedCertificatePath); may be empty.</param>
        public static TlsCertificateResult Evaluate(TlsTarget target, X509Certificate2 leaf, IReadOnlyList<X509Certificate2> sent, bool sentKnown,
            IReadOnlyList<X509Certificate2> anchors, DateTime nowUtc, int warningDays)
        {
            var dnsNames = new List<string>();
            var addresses = new List<IPAddress>();
            ReadSubjectAltNames(leaf, dnsNames, addresses);
            var commonName = CommonNameOf(leaf);
            var (keyAlgorithm, keySize) = KeyOf(leaf);
            var notBeforeUtc = leaf.NotBefore.ToUniversalTime();
            var notAfterUtc = leaf.NotAfter.ToUniversalTime();
            var daysLeft = (int)(notAfterUtc - nowUtc).TotalDays;
            var selfSigned = IsSelfSigned(leaf);
            var nameMatch = HostNameMatcher.Match(target.ExpectedName, dnsNames, addresses, commonName);

            var chain = ChainReport.Build(leaf, sent, allowUnknownRoot: false, nowUtc);
            var trustedBy = chain.Trusted ? TlsTrustSource.System : TlsTrustSource.None;
            if (trustedBy == TlsTrustSource.None && anchors.Count > 0)
            {
                // netstandard2.0 has no CustomTrustStore (X509ChainTrustMode arrived in .NET 5), so the
                // anchors cannot replace the system roots. Instead the chain is built with the anchors
                // in ExtraStore and AllowUnknownCertificateAuthority, which lets it end at a root the
                // system does not trust — any root. That flag alone would accept every self-made CA,
                // so the chain counts as trusted only when one of its certificates IS one of the given
                // anchors (compared byte for byte), and nothing else is wrong with it: no partial
                // chain, and every other flag still reported.
                var anchored = ChainReport.Build(leaf, sent.Concat(anchors), allowUnknownRoot: true, nowUtc);
                if (anchored.EndsAtAnchor(anchors))
                {
                    chain = anchored.WithoutUntrustedRoot();
                    trustedBy = TlsTrustSource.TrustedCertificatePath;
                }
            }

            var problems = new List<TlsCertificateStatus>();
            var expiring = false;
            if (nowUtc < notBeforeUtc) problems.Add(TlsCertificateStatus.NotYetValid);
            else if (nowUtc > notAfterUtc) problems.Add(TlsCertificateStatus.Expired);
            else if (daysLeft <= warningDays) expiring = true;

            if (nameMatch != NameMatchKind.Match) problems.Add(TlsCertificateStatus.NameMismatch);

            if (trustedBy == TlsTrustSource.None)
            {
                if (selfSigned && chain.Elements.Count == 1) problems.Add(TlsCertificateStatus.SelfSigned);
                else if (chain.StopsAtMissingIntermediate) problems.Add(TlsCertificateStatus.IncompleteChain);
                else problems.Add(TlsCertificateStatus.UntrustedRoot);
            }
            var missing = sentKnown ? chain.IntermediatesNotIn(sent) : new List<string>();
            if (missing.Count > 0 && !problems.Contains(TlsCertificateStatus.IncompleteChain)) problems.Add(TlsCertificateStatus.IncompleteChain);

            var otherFlags = chain.OtherProblems();
            if (otherFlags.Count > 0) problems.Add(TlsCertificateStatus.InvalidChain);

            // The signatures that matter are those a client verifies: every one but the root's own.
            var weakSignature = chain.Elements.Take(Math.Max(1, chain.Elements.Count - 1)).Select(e => e.SignatureOid).FirstOrDefault(WeakSignatures.Contains);
            if (weakSignature != null) problems.Add(TlsCertificateStatus.WeakSignature);
            var weakKey = (keyAlgorithm == "RSA" && keySize > 0 && keySize < 2048) || (keyAlgorithm == "ECDSA" && keySize > 0 && keySize < 256) || keyAlgorithm == "DSA";
            if (weakKey) problems.Add(TlsCertificateStatus.WeakKey);
            if (expiring) problems.Add(TlsCertificateStatus.Expiring);

            problems.Sort((a, b) => ((int)b).CompareTo((int)a));
            var status = problems.Count > 0 ? problems[0] : TlsCertificateStatus.Valid;

            var sentCount = sentKnown ? sent.Count + 1 : (int?)null;
            var result = new TlsCertificateResult
            {
                Target = target.Display,
                ComputerName = target.Host,
                Port = target.Port,
                ServerName = target.ExpectedName,
                Status = status,
                Problems = new ValueList<TlsCertificateStatus>(problems),
                Subject = leaf.Subject,
                CommonName = commonName,
                DnsNames = new ValueList<string>(dnsNames),
                IPAddresses = new ValueList<string>(addresses.Select(a => a.ToString())),
                Issuer = leaf.Issuer,
                SerialNumber = leaf.SerialNumber,
                Thumbprint = leaf.Thumbprint,
                ThumbprintSha256 = Sha256Hex(leaf.RawData),
                NotBefore = leaf.NotBefore,
                NotAfter = leaf.NotAfter,
                DaysLeft = daysLeft,
                KeyAlgorithm = keyAlgorithm,
                KeySize = keySize,
                SignatureAlgorithm = SignatureName(leaf.SignatureAlgorithm),
                ChainValid = trustedBy != TlsTrustSource.None && otherFlags.Count == 0,
                ChainStatus = new ValueList<string>(chain.FlagNames()),
                ChainStatusInformation = new ValueList<string>(chain.Information()),
                Chain = new ValueList<string>(chain.Elements.Select(e => e.Subject)),
                TrustedBy = trustedBy,
                ServerSentCertificates = sentCount,
                NameMatch = nameMatch == NameMatchKind.Match,
                SelfSigned = selfSigned,
                CheckedAt = nowUtc.ToLocalTime(),
                Certificate = leaf,
            };

            var facts = new ExplanationFacts(result, nameMatch, chain, missing, otherFlags, weakSignature, warningDays, nowUtc);
            result.Explanation = Explain(facts);
            return result;
        }

        private sealed class ExplanationFacts
        {
            public ExplanationFacts(TlsCertificateResult result, NameMatchKind nameMatch, ChainReport chain, List<string> missing,
                List<string> otherFlags, string? weakSignatureOid, int warningDays, DateTime nowUtc)
            {
                Certificate = result; NameMatch = nameMatch; Chain = chain; Missing = missing; OtherFlags = otherFlags;
                WeakSignatureOid = weakSignatureOid; WarningDays = warningDays; NowUtc = nowUtc;
            }

            public TlsCertificateResult Certificate { get; }
            public NameMatchKind NameMatch { get; }
            public ChainReport Chain { get; }
            public List<string> Missing { get; }
            public List<string> OtherFlags { get; }
            public string? WeakSignatureOid { get; }
            public int WarningDays { get; }
            public DateTime NowUtc { get; }
        }

        private static string Explain(ExplanationFacts f)
        {
            var r = f.Certificate;
            if (r.Problems.Count == 0)
            {
                var by = r.TrustedBy == TlsTrustSource.System ? Text.Get("Trust_System") : Text.Get("Trust_Path");
                return Text.Format("Explain_Valid", r.DaysLeft, r.NotAfter, r.ServerName, by);
            }
            var sentences = new List<string>();
            foreach (var problem in r.Problems)
            {
                switch (problem)
                {
                    case TlsCertificateStatus.Expired:
                        sentences.Add(Text.Format("Explain_Expired", r.NotAfter, (int)(f.NowUtc - r.NotAfter.ToUniversalTime()).TotalDays));
                        break;
                    case TlsCertificateStatus.NotYetValid:
                        sentences.Add(Text.Format("Explain_NotYetValid", r.NotBefore));
                        break;
                    case TlsCertificateStatus.InvalidChain:
                        sentences.Add(Text.Format("Explain_InvalidChain", string.Join("; ", f.OtherFlags)));
                        break;
                    case TlsCertificateStatus.NameMismatch:
                        var covered = string.Join(", ", r.DnsNames.Concat(r.IPAddresses));
                        sentences.Add(f.NameMatch == NameMatchKind.CommonNameOnly
                            ? Text.Format("Explain_NameCommonNameOnly", r.ServerName)
                            : Text.Format("Explain_NameMismatch", r.ServerName, covered.Length > 0 ? covered : Text.Get("Explain_NoNames")));
                        break;
                    case TlsCertificateStatus.SelfSigned:
                        sentences.Add(Text.Get("Explain_SelfSigned"));
                        break;
                    case TlsCertificateStatus.UntrustedRoot:
                        var last = f.Chain.Elements[f.Chain.Elements.Count - 1];
                        sentences.Add(last.IsRoot
                            ? Text.Format("Explain_UntrustedRoot", last.Subject)
                            : Text.Format("Explain_UnknownRoot", last.Subject, last.Issuer));
                        break;
                    case TlsCertificateStatus.IncompleteChain:
                        sentences.Add(f.Missing.Count > 0
                            ? Text.Format("Explain_MissingIntermediate", string.Join("; ", f.Missing))
                            : Text.Format("Explain_IncompleteChain", r.Issuer));
                        break;
                    case TlsCertificateStatus.WeakSignature:
                        sentences.Add(Text.Format("Explain_WeakSignature", SignatureNames.TryGetValue(f.WeakSignatureOid ?? string.Empty, out var n) ? n : f.WeakSignatureOid));
                        break;
                    case TlsCertificateStatus.WeakKey:
                        sentences.Add(Text.Format("Explain_WeakKey", r.KeyAlgorithm, r.KeySize));
                        break;
                    case TlsCertificateStatus.Expiring:
                        sentences.Add(Text.Format("Explain_Expiring", r.DaysLeft, r.NotAfter, f.WarningDays));
                        break;
                }
            }
            return string.Join(" ", sentences);
        }

        internal static void ReadSubjectAltNames(X509Certificate2 certificate, List<string> dnsNames, List<IPAddress> addresses)
        {
            foreach (var extension in certificate.Extensions)
            {
                if (extension.Oid?.Value != "2.5.29.17") continue;
                try
                {
                    DerReader.ReadSubjectAltNames(extension.RawData, dnsNames, addresses);
                }
                catch (FormatException)
                {
                    // A subjectAltName no client can read covers no name: the mismatch says so.
                    dnsNames.Clear();
                    addresses.Clear();
                }
            }
        }

        private static string? CommonNameOf(X509Certificate2 certificate)
        {
            foreach (var part in SplitDistinguishedName(certificate.SubjectName.Name ?? string.Empty))
            {
                if (part.StartsWith("CN=", StringComparison.OrdinalIgnoreCase)) return part.Substring(3).Trim().Trim('"');
            }
            return null;
        }

        private static IEnumerable<string> SplitDistinguishedName(string dn)
        {
            var start = 0;
            var quoted = false;
            for (var i = 0; i < dn.Length; i++)
            {
                var c = dn[i];
                if (c == '"') quoted = !quoted;
                else if (c == '\\') i++;
                else if (c == ',' && !quoted)
                {
                    yield return dn.Substring(start, i - start).Trim();
                    start = i + 1;
                }
            }
            if (start < dn.Length) yield return dn.Substring(start).Trim();
        }

        internal static bool IsSelfSigned(X509Certificate2 certificate)
        {
            if (!certificate.SubjectName.RawData.SequenceEqual(certificate.IssuerName.RawData)) return false;
            byte[]? authorityKeyId = null;
            string? subjectKeyId = null;
            foreach (var extension in certificate.Extensions)
            {
                if (extension is X509SubjectKeyIdentifierExtension ski) subjectKeyId = ski.SubjectKeyIdentifier;
                else if (extension.Oid?.Value == "2.5.29.35")
                {
                    try { authorityKeyId = DerReader.ReadAuthorityKeyIdentifier(extension.RawData); }
                    catch (FormatException) { authorityKeyId = null; }
                }
            }
            // Same name on both sides, and when both key identifiers exist they must agree: a CA that
            // issues a certificate under its own name with another key is not self-signing.
            return authorityKeyId == null || subjectKeyId == null
                || string.Equals(Hex(authorityKeyId), subjectKeyId, StringComparison.OrdinalIgnoreCase);
        }

        internal static (string Algorithm, int Size) KeyOf(X509Certificate2 certificate)
        {
            var oid = certificate.PublicKey.Oid?.Value ?? string.Empty;
            try
            {
                switch (oid)
                {
                    case "1.2.840.113549.1.1.1":
                    case "1.2.840.113549.1.1.10":
                        using (var rsa = certificate.GetRSAPublicKey()) return ("RSA", rsa?.KeySize ?? 0);
                    case "1.2.840.10045.2.1":
                        using (var ecdsa = certificate.GetECDsaPublicKey()) return ("ECDSA", ecdsa?.KeySize ?? 0);
                    case "1.3.101.112": return ("Ed25519", 256);
                    case "1.3.101.113": return ("Ed448", 456);
                    case "1.2.840.10040.4.1": return ("DSA", 0);
                }
            }
            catch (CryptographicException)
            {
                // A key the platform cannot load keeps its name; its size stays unknown.
            }
            return (certificate.PublicKey.Oid?.FriendlyName ?? oid, 0);
        }

        internal static string SignatureName(Oid algorithm)
        {
            var value = algorithm.Value ?? string.Empty;
            return SignatureNames.TryGetValue(value, out var name) ? name : (algorithm.FriendlyName ?? value);
        }

        internal static string Sha256Hex(byte[] data)
        {
            using (var sha = SHA256.Create()) return Hex(sha.ComputeHash(data));
        }

        private static string Hex(byte[] bytes)
        {
            var chars = new char[bytes.Length * 2];
            const string digits = "0123456789ABCDEF";
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = digits[bytes[i] >> 4];
                chars[2 * i + 1] = digits[bytes[i] & 0xF];
            }
            return new string(chars);
        }

        /// <summary>One chain as built, copied out of X509Chain so that nothing depends on its lifetime.</summary>
        internal sealed class ChainReport
        {
            private ChainReport(List<ChainElementReport> elements) { Elements = elements; }

            public List<ChainElementReport> Elements { get; }

            public X509ChainStatusFlags Flags
            {
                get
                {
                    var all = X509ChainStatusFlags.NoError;
                    foreach (var e in Elements) all |= e.Flags;
                    return all;
                }
            }

            /// <summary>
            /// The chain stops because the issuer of the server's own certificate is nowhere: the
            /// server did not send it and it is not known here. That is the missing-intermediate
            /// mistake (or a private root that signed the leaf directly). When the chain stops at a
            /// CA certificate the server did send, what is missing is its issuer, normally a root
            /// (servers need not send roots): that is an untrusted root, not an incomplete chain.
            /// </summary>
            public bool StopsAtMissingIntermediate
                => (Flags & X509ChainStatusFlags.PartialChain) != 0 && Elements.Count == 1;

            /// <summary>Trusted by the platform: no untrusted root, no missing issuer.</summary>
            public bool Trusted => Elements.Count > 0 && (Flags & TrustFlags) == 0 && Elements[Elements.Count - 1].IsRoot;

            public static ChainReport Build(X509Certificate2 leaf, IEnumerable<X509Certificate2> extra, bool allowUnknownRoot, DateTime nowUtc)
            {
                var elements = new List<ChainElementReport>();
                using (var chain = new X509Chain())
                {
                    var policy = chain.ChainPolicy;
                    policy.RevocationMode = X509RevocationMode.NoCheck;
                    policy.VerificationTime = nowUtc.ToLocalTime();
                    policy.VerificationFlags = allowUnknownRoot ? X509VerificationFlags.AllowUnknownCertificateAuthority : X509VerificationFlags.NoFlag;
                    DisableDownloads?.SetValue(policy, true);
                    foreach (var c in extra) policy.ExtraStore.Add(c);
                    chain.Build(leaf);
                    foreach (var element in chain.ChainElements)
                    {
                        elements.Add(new ChainElementReport(element));
                    }
                    // A chain that stops short reports PartialChain on the chain, not always on an element.
                    var chainFlags = X509ChainStatusFlags.NoError;
                    var chainInfo = new List<string>();
                    foreach (var s in chain.ChainStatus)
                    {
                        chainFlags |= s.Status;
                        chainInfo.Add(s.StatusInformation?.Trim() ?? string.Empty);
                    }
                    if (elements.Count > 0 && (chainFlags & X509ChainStatusFlags.PartialChain) != 0 && (elements[elements.Count - 1].Flags & X509ChainStatusFlags.PartialChain) == 0)
                    {
                        elements[elements.Count - 1].Add(X509ChainStatusFlags.PartialChain, Text.Get("Chain_Partial"));
                    }
                }
                return new ChainReport(elements);
            }

            /// <summary>True when a certificate of this chain is one of the anchors and the chain is complete up to it.</summary>
            public bool EndsAtAnchor(IReadOnlyList<X509Certificate2> anchors)
            {
                var anchorPrints = new HashSet<string>(anchors.Select(a => a.Thumbprint), StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < Elements.Count; i++)
                {
                    if (!anchorPrints.Contains(Elements[i].Thumbprint)) continue;
                    // Everything from the leaf up to the anchor must hold together; above the anchor
                    // nothing matters (an anchor may be an intermediate whose root is not at hand).
                    for (var j = 0; j < i; j++)
                    {
                        if ((Elements[j].Flags & X509ChainStatusFlags.PartialChain) != 0) return false;
                    }
                    if (i < Elements.Count - 1) TruncateAfter(i);
                    Elements[i].Remove(X509ChainStatusFlags.PartialChain);
                    return true;
                }
                return false;
            }

            private void TruncateAfter(int index) => Elements.RemoveRange(index + 1, Elements.Count - index - 1);

            public ChainReport WithoutUntrustedRoot()
            {
                foreach (var e in Elements) e.Remove(X509ChainStatusFlags.UntrustedRoot);
                return this;
            }

            /// <summary>The subjects of the intermediates the chain needed but the server did not send.</summary>
            public List<string> IntermediatesNotIn(IReadOnlyList<X509Certificate2> sent)
            {
                var sentPrints = new HashSet<string>(sent.Select(c => c.Thumbprint), StringComparer.OrdinalIgnoreCase);
                var missing = new List<string>();
                for (var i = 1; i < Elements.Count; i++)
                {
                    var e = Elements[i];
                    if (e.IsRoot) break;
                    if (!sentPrints.Contains(e.Thumbprint)) missing.Add(e.Subject);
                }
                return missing;
            }

            /// <summary>Problems other than trust and the leaf's own dates, as "flag (subject)".</summary>
            public List<string> OtherProblems()
            {
                var list = new List<string>();
                for (var i = 0; i < Elements.Count; i++)
                {
                    var flags = Elements[i].Flags & ~TrustFlags & ~IgnoredFlags;
                    if (i == 0) flags &= ~X509ChainStatusFlags.NotTimeValid;
                    foreach (X509ChainStatusFlags f in Enum.GetValues(typeof(X509ChainStatusFlags)))
                    {
                        if (f != X509ChainStatusFlags.NoError && (flags & f) == f)
                            list.Add(Text.Format("Chain_Problem", f, Elements[i].Subject));
                    }
                }
                return list;
            }

            public string[] FlagNames()
            {
                var flags = Flags & ~IgnoredFlags;
                var names = new List<string>();
                foreach (X509ChainStatusFlags f in Enum.GetValues(typeof(X509ChainStatusFlags)))
                {
                    if (f != X509ChainStatusFlags.NoError && (flags & f) == f) names.Add(f.ToString());
                }
                return names.ToArray();
            }

            public string[] Information()
                => Elements.SelectMany(e => e.Information.Select(i => e.Subject + ": " + i)).ToArray();
        }

        internal sealed class ChainElementReport
        {
            private readonly List<(X509ChainStatusFlags Flag, string Info)> _status = new List<(X509ChainStatusFlags, string)>();

            public ChainElementReport(X509ChainElement element)
            {
                var c = element.Certificate;
                Subject = c.Subject;
                Issuer = c.Issuer;
                Thumbprint = c.Thumbprint;
                SignatureOid = c.SignatureAlgorithm.Value ?? string.Empty;
                IsRoot = IsSelfSigned(c);
                foreach (var s in element.ChainElementStatus)
                {
                    if ((s.Status & IgnoredFlags) == s.Status) continue;
                    _status.Add((s.Status, s.StatusInformation?.Trim() ?? string.Empty));
                }
            }

            public string Subject { get; }
            public string Issuer { get; }
            public string Thumbprint { get; }
            public string SignatureOid { get; }
            public bool IsRoot { get; }

            public X509ChainStatusFlags Flags
            {
                get
                {
                    var all = X509ChainStatusFlags.NoError;
                    foreach (var s in _status) all |= s.Flag;
                    return all;
                }
            }

            public IEnumerable<string> Information => _status.Select(s => s.Info.Length > 0 ? s.Info : s.Flag.ToString());

            public void Add(X509ChainStatusFlags flag, string info) => _status.Add((flag, info));

            public void Remove(X509ChainStatusFlags flag) => _status.RemoveAll(s => s.Flag == flag);
        }
    }
}
