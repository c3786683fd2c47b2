using System;
using System.Security;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>How the LDAP conversation is protected.</summary>
    public enum DirectoryTransport
    {
        /// <summary>TLS from the first byte, port 636 (the default).</summary>
        Ldaps,
        /// <summary>Plain LDAP on 389 upgraded with the StartTLS extended operation.</summary>
        StartTls,
        /// <summary>No encryption at all: only with an explicit switch, and never for a password.</summary>
        Unencrypted,
    }

    /// <summary>Everything Connect-TssrDirectory needs; the password stays a SecureString.</summary>
    public sealed class DirectoryConnectionOptions
    {
        public DirectoryConnectionOptions(string server, DirectoryTransport transport = DirectoryTransport.Ldaps, int port = 0)
        {
            if (string.IsNullOrWhiteSpace(server)) throw new ArgumentException("A server is required.", nameof(server));
            Server = server.Trim();
            Transport = transport;
            Port = port > 0 ? port : (transport == DirectoryTransport.Ldaps ? 636 : 389);
        }

        public string Server { get; }
        public int Port { get; }
        public DirectoryTransport Transport { get; }

        /// <summary>A CA certificate file (PEM/DER, bundles allowed) or a directory of them, trusted in addition to the system's.</summary>
        public string? TrustedCertificatePath { get; set; }

        /// <summary>Bind name: user@domain (UPN), DOMAIN\user or a DN. Null with no password: anonymous, or the current Kerberos/Windows identity when <see cref="UseCurrentIdentity"/> is set.</summary>
        public string? UserName { get; set; }

        public SecureString? Password { get; set; }

        public bool UseCurrentIdentity { get; set; }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
    }
}
