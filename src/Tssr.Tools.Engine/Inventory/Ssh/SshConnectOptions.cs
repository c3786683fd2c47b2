using System;
using System.Collections.Generic;
using System.Security;

namespace Tssr.Tools.Engine.Inventory.Ssh
{
    /// <summary>How to open SSH sessions: who, with what secret, how strict about host keys.</summary>
    public sealed class SshConnectOptions
    {
        public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);
        public const int DefaultThrottleLimit = 32;

        public string UserName { get; set; } = string.Empty;
        /// <summary>The password (password login, and sudo), or the key's passphrase with a key file.</summary>
        public SecureString? Password { get; set; }
        /// <summary>A private key (OpenSSH or PEM).</summary>
        public string? KeyFilePath { get; set; }
        /// <summary>The key's passphrase when it differs from <see cref="Password"/>.</summary>
        public SecureString? KeyPassphrase { get; set; }
        /// <summary>Used when the computer name carries no port.</summary>
        public int Port { get; set; } = SshEndpoint.DefaultPort;
        public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;
        /// <summary>Extra known_hosts files, read after the user's and the system's; the first one receives new keys.</summary>
        public IReadOnlyList<string> KnownHostsPaths { get; set; } = Array.Empty<string>();
        /// <summary>Only these files (tests, isolated runs): the user's and system's files are not read.</summary>
        public bool KnownHostsPathsOnly { get; set; }
        /// <summary>Trust and record a key never seen (never a changed one).</summary>
        public bool AcceptNewHostKey { get; set; }

        internal IReadOnlyList<string> AllKnownHostsFiles()
        {
            var list = new List<string>();
            if (!KnownHostsPathsOnly) list.AddRange(KnownHosts.DefaultFiles());
            list.AddRange(KnownHostsPaths);
            return list;
        }

        internal string AppendFile()
            => KnownHostsPaths.Count > 0 ? KnownHostsPaths[0] : KnownHosts.DefaultFiles()[0];
    }
}
