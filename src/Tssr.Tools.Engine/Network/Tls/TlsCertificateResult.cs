using System;
using System.Collections.Generic;
using System.Linq;
using Tssr.Tools.Engine.Core;
using System.Security.Cryptography.X509Certificates;

namespace Tssr.Tools.Engine.Network.Tls
{
    /// <summary>
    /// What is wrong with a certificate, from the least to the most serious. A result's Status is
    /// the most serious of its Problems; Valid when there is none.
    /// </summary>
    public enum TlsCertificateStatus
    {
        Valid = 0,
        /// <summary>Valid, but expires within the warning threshold (-WarningDays).</summary>
        Expiring = 1,
        /// <summary>The key is too short (RSA under 2048 bits, ECDSA under 256).</summary>
        WeakKey = 2,
        /// <summary>Signed with SHA-1 or MD5.</summary>
        WeakSignature = 3,
        /// <summary>The server does not send the intermediate certificates that lead to the root.</summary>
        IncompleteChain = 4,
        /// <summary>The chain ends at a root that is not trusted here.</summary>
        UntrustedRoot = 5,
        /// <summary>The certificate is its own issuer and nothing trusted anchors it.</summary>
        SelfSigned = 6,
        /// <summary>The certificate does not cover the name that was asked for.</summary>
        NameMismatch = 7,
        /// <summary>The chain is broken otherwise: bad signature, issuer expired, wrong usage, constraints.</summary>
        InvalidChain = 8,
        /// <summary>The certificate's validity has not started.</summary>
        NotYetValid = 9,
        /// <summary>The certificate's validity has ended.</summary>
        Expired = 10,
    }

    /// <summary>Where the trust in a certificate's chain comes from.</summary>
    public enum TlsTrustSource
    {
        /// <summary>Nothing trusted anchors the chain.</summary>
        None,
        /// <summary>The operating system's trusted roots.</summary>
        System,
        /// <summary>A certificate given with -TrustedCertificatePath.</summary>
        TrustedCertificatePath,
    }

    /// <summary>The certificate of one TLS endpoint, its checks and the handshake that gave it.</summary>
    public sealed class TlsCertificateResult
    {
        internal TlsCertificateResult() { }

        /// <summary>host:port as checked ([v6]:port for IPv6).</summary>
        public string Target { get; internal set; } = string.Empty;
        public string ComputerName { get; internal set; } = string.Empty;
        public int Port { get; internal set; }
        /// <summary>The address actually connected to.</summary>
        public string? IPAddress { get; internal set; }
        /// <summary>The name sent in SNI (none for an address) and checked against the certificate.</summary>
        public string ServerName { get; internal set; } = string.Empty;
        public TlsCertificateStatus Status { get; internal set; }
        /// <summary>Every problem found, most serious first; empty when valid.</summary>
        public ValueList<TlsCertificateStatus> Problems { get; internal set; } = ValueList<TlsCertificateStatus>.Empty;
        /// <summary><see cref="Problems"/> as one text ("Expired, SelfSigned"), which Export-Csv writes.</summary>
        public string ProblemText => string.Join(", ", Problems);
        /// <summary>What the status means and what to do, in the user's language.</summary>
        public string Explanation { get; internal set; } = string.Empty;

        public string Subject { get; internal set; } = string.Empty;
        public string? CommonName { get; internal set; }
        public ValueList<string> DnsNames { get; internal set; } = ValueList<string>.Empty;
        public ValueList<string> IPAddresses { get; internal set; } = ValueList<string>.Empty;
        /// <summary><see cref="DnsNames"/> and <see cref="IPAddresses"/> as one text, as the certificate lists them.</summary>
        public string SubjectAlternativeNameText => string.Join(", ", DnsNames.Concat(IPAddresses));
        public string Issuer { get; internal set; } = string.Empty;
        public string SerialNumber { get; internal set; } = string.Empty;
        /// <summary>SHA-1 thumbprint, as Windows certificate stores show it.</summary>
        public string Thumbprint { get; internal set; } = string.Empty;
        public string ThumbprintSha256 { get; internal set; } = string.Empty;
        /// <summary>Local time, as X509Certificate2 gives it.</summary>
        public DateTime NotBefore { get; internal set; }
        public DateTime NotAfter { get; internal set; }
        /// <summary>Whole days until NotAfter; negative once expired.</summary>
        public int DaysLeft { get; internal set; }
        public string KeyAlgorithm { get; internal set; } = string.Empty;
        public int KeySize { get; internal set; }
        public string SignatureAlgorithm { get; internal set; } = string.Empty;

        /// <summary>
        /// True when the chain leads to a trusted root with valid signatures and issuers; the leaf's
        /// own dates and name are reported by Status, DaysLeft and NameMatch.
        /// </summary>
        public bool ChainValid { get; internal set; }
        /// <summary>The chain problems the platform reported (X509ChainStatusFlags names).</summary>
        public ValueList<string> ChainStatus { get; internal set; } = ValueList<string>.Empty;
        /// <summary><see cref="ChainStatus"/> as one text.</summary>
        public string ChainStatusText => string.Join(", ", ChainStatus);
        /// <summary>The platform's words for each chain problem, with the certificate concerned.</summary>
        public ValueList<string> ChainStatusInformation { get; internal set; } = ValueList<string>.Empty;
        /// <summary>Subjects from the server's certificate up to the last one found.</summary>
        public ValueList<string> Chain { get; internal set; } = ValueList<string>.Empty;
        /// <summary><see cref="Chain"/> as one text, leaf first: "CN=www → CN=Issuing CA → CN=Root CA".</summary>
        public string ChainText => string.Join(" → ", Chain);
        public TlsTrustSource TrustedBy { get; internal set; }
        /// <summary>How many certificates the server sent (its own included); null when the platform does not tell.</summary>
        public int? ServerSentCertificates { get; internal set; }
        public bool NameMatch { get; internal set; }
        public bool SelfSigned { get; internal set; }

        /// <summary>The negotiated protocol (Tls12, Tls13...), when the handshake completed.</summary>
        public string? Protocol { get; internal set; }
        /// <summary>The negotiated cipher suite, where the platform gives it.</summary>
        public string? CipherSuite { get; internal set; }
        /// <summary>Why the handshake failed after the certificate arrived (client certificate required...), else null.</summary>
        public string? HandshakeError { get; internal set; }
        public DateTime CheckedAt { get; internal set; }
        /// <summary>
        /// The server's certificate itself (for Export-Certificate, or its raw bytes). A method, not a
        /// property, so that ConvertTo-Json and Export-Csv write the findings, not the DER bytes.
        /// </summary>
        public X509Certificate2? GetCertificate() => Certificate;

        internal X509Certificate2? Certificate { get; set; }

        /// <summary>One line, as a technician reads it: "www.tssr.lab:443 Expired: Expired, NameMismatch".</summary>
        public override string ToString()
            => Problems.Count == 0 ? $"{Target} {Status} ({DaysLeft} days left)" : $"{Target} {Status}: {ProblemText}";
    }
}
