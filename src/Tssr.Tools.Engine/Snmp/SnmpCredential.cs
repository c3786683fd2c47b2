using System;
using System.Threading;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>USM authentication protocols (RFC 3414, RFC 7860).</summary>
    public enum SnmpAuthProtocol
    {
        None,
        MD5,
        SHA1,
        SHA224,
        SHA256,
        SHA384,
        SHA512,
    }

    /// <summary>USM privacy protocols: DES-CBC (RFC 3414), AES-128-CFB (RFC 3826), AES-192/256 as net-snmp does them.</summary>
    public enum SnmpPrivacyProtocol
    {
        None,
        DES,
        AES,
        AES192,
        AES256,
    }

    /// <summary>
    /// How to speak to an agent: the version and its secrets. Secrets are kept as bytes, never as
    /// text that could end up in a message, and <see cref="ToString"/> never shows them.
    /// </summary>
    public sealed class SnmpCredential
    {
        private SnmpCredential(SnmpVersion version, byte[] community, string userName, SnmpAuthProtocol auth, byte[] authPassphrase, SnmpPrivacyProtocol privacy, byte[] privacyPassphrase, string contextName)
        {
            Version = version;
            Community = community;
            UserName = userName;
            AuthProtocol = auth;
            AuthPassphrase = authPassphrase;
            PrivacyProtocol = privacy;
            PrivacyPassphrase = privacyPassphrase;
            ContextName = contextName;
        }

        public SnmpVersion Version { get; }
        internal byte[] Community { get; }
        public string UserName { get; }
        public SnmpAuthProtocol AuthProtocol { get; }
        internal byte[] AuthPassphrase { get; }
        public SnmpPrivacyProtocol PrivacyProtocol { get; }
        internal byte[] PrivacyPassphrase { get; }
        public string ContextName { get; }

        /// <summary>v1 or v2c with a community (its bytes as they go on the wire).</summary>
        public static SnmpCredential ForCommunity(SnmpVersion version, byte[] community)
        {
            if (version == SnmpVersion.V3) throw new ArgumentException(SnmpText.Strings.Get("Credential_CommunityForV3"), nameof(version));
            return new SnmpCredential(version, community, string.Empty, SnmpAuthProtocol.None, Array.Empty<byte>(), SnmpPrivacyProtocol.None, Array.Empty<byte>(), string.Empty);
        }

        /// <summary>A v3 USM user; pass phrases of at least 8 bytes as RFC 3414 requires (checked by <see cref="Validate"/>).</summary>
        public static SnmpCredential ForUser(string userName, SnmpAuthProtocol auth, byte[]? authPassphrase, SnmpPrivacyProtocol privacy, byte[]? privacyPassphrase, string? contextName = null)
            => new SnmpCredential(SnmpVersion.V3, Array.Empty<byte>(), userName ?? string.Empty, auth, authPassphrase ?? Array.Empty<byte>(), privacy, privacyPassphrase ?? Array.Empty<byte>(), contextName ?? string.Empty);

        /// <summary>The security level this credential asks for.</summary>
        public string SecurityLevel => Version != SnmpVersion.V3 ? "community"
            : AuthProtocol == SnmpAuthProtocol.None ? "noAuthNoPriv"
            : PrivacyProtocol == SnmpPrivacyProtocol.None ? "authNoPriv" : "authPriv";

        /// <summary>The text key of what is wrong with this credential, or null when it can be used.</summary>
        public string? Validate()
        {
            if (Version != SnmpVersion.V3) return null;
            if (UserName.Length == 0) return "Credential_NoUser";
            if (AuthProtocol == SnmpAuthProtocol.None && PrivacyProtocol != SnmpPrivacyProtocol.None) return "Credential_PrivWithoutAuth";
            if (AuthProtocol != SnmpAuthProtocol.None && AuthPassphrase.Length < 8) return "Credential_AuthTooShort";
            if (PrivacyProtocol != SnmpPrivacyProtocol.None && PrivacyPassphrase.Length < 8) return "Credential_PrivTooShort";
            return null;
        }

        private byte[]? _authKu;
        private byte[]? _privKu;

        /// <summary>Ku of the authentication pass phrase (1 MB of hashing), computed once per credential.</summary>
        internal byte[] AuthKu() => LazyInitializer.EnsureInitialized(ref _authKu, () => UsmCrypto.PasswordToKey(AuthProtocol, AuthPassphrase))!;

        /// <summary>Ku of the privacy pass phrase, with the authentication hash (RFC 3414, RFC 3826).</summary>
        internal byte[] PrivKu() => LazyInitializer.EnsureInitialized(ref _privKu, () => UsmCrypto.PasswordToKey(AuthProtocol, PrivacyPassphrase))!;

        public string VersionText => Version == SnmpVersion.V1 ? "1" : Version == SnmpVersion.V2c ? "2c" : "3";

        public override string ToString() => Version == SnmpVersion.V3
            ? "v3 " + UserName + " " + SecurityLevel + (AuthProtocol != SnmpAuthProtocol.None ? " " + AuthProtocol : "") + (PrivacyProtocol != SnmpPrivacyProtocol.None ? "/" + PrivacyProtocol : "")
            : "v" + VersionText;
    }
}
