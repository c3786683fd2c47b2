using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory;
using Tssr.Tools.Engine.Inventory.Ssh;

namespace Tssr.Tools
{
    /// <summary>
    /// Base of the inventory cmdlets that connect over SSH: the connection parameters live here
    /// once (-ComputerName with -Credential or -KeyFilePath, -Port, -ConnectTimeoutSec, host-key
    /// switches, -ThrottleLimit). SSH.NET types never appear here.
    /// </summary>
    public abstract class SshCmdlet : TssrCmdlet
    {
        protected const string ByComputerName = nameof(ByComputerName);
        protected const string BySession = nameof(BySession);

        /// <summary>The account: its password logs in (or opens -KeyFilePath) and feeds sudo.</summary>
        [Parameter(ParameterSetName = ByComputerName)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>The user name when no -Credential is given (with -KeyFilePath); the current user by default.</summary>
        [Parameter(ParameterSetName = ByComputerName)]
        [ValidateNotNullOrEmpty]
        public string? UserName { get; set; }

        /// <summary>A private key (OpenSSH or PEM) to log in with.</summary>
        [Parameter(ParameterSetName = ByComputerName)]
        [ValidateNotNullOrEmpty]
        public string? KeyFilePath { get; set; }

        /// <summary>The key's passphrase, when it is not the password of -Credential.</summary>
        [Parameter(ParameterSetName = ByComputerName)]
        public SecureString? KeyPassphrase { get; set; }

        /// <summary>The port used when a computer name carries none.</summary>
        [Parameter(ParameterSetName = ByComputerName)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = SshEndpoint.DefaultPort;

        /// <summary>Seconds to wait for the connection, key exchange and login.</summary>
        [Parameter(ParameterSetName = ByComputerName)]
        [ValidateRange(0.1, 600.0)]
        public double ConnectTimeoutSec { get; set; } = SshConnectOptions.DefaultConnectTimeout.TotalSeconds;

        /// <summary>known_hosts files read besides ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts; the first receives new keys.</summary>
        [Parameter(ParameterSetName = ByComputerName)]
        [ValidateNotNullOrEmpty]
        public string[]? KnownHostsPath { get; set; }

        /// <summary>Accept and record a host key never seen before (a changed key is always refused).</summary>
        [Parameter(ParameterSetName = ByComputerName)]
        public SwitchParameter AcceptNewHostKey { get; set; }

        /// <summary>Hosts worked on at once.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = SshConnectOptions.DefaultThrottleLimit;

        /// <summary>The connection options from the parameters; checks the typed computer names.</summary>
        private protected SshConnectOptions BuildConnectOptions(IEnumerable<string>? typedComputerNames)
        {
            foreach (var name in typedComputerNames ?? Enumerable.Empty<string>())
                Invoke(() => SshEndpoint.Parse(name, Port));
            var options = new SshConnectOptions
            {
                UserName = Credential != null && Credential != PSCredential.Empty ? StripDomain(Credential.UserName) : (UserName ?? Environment.UserName),
                Password = Credential != null && Credential != PSCredential.Empty ? Credential.Password : null,
                KeyFilePath = KeyFilePath == null ? null : GetUnresolvedProviderPathFromPSPath(KeyFilePath),
                KeyPassphrase = KeyPassphrase,
                Port = Port,
                ConnectTimeout = TimeSpan.FromSeconds(ConnectTimeoutSec),
                ThrottleLimit = ThrottleLimit,
                KnownHostsPaths = (KnownHostsPath ?? Array.Empty<string>()).Select(GetUnresolvedProviderPathFromPSPath).ToList(),
                AcceptNewHostKey = AcceptNewHostKey.IsPresent,
            };
            if (ParameterSetName == ByComputerName && options.Password == null && options.KeyFilePath == null && typedComputerNames != null)
                ThrowParameterError("SshCredentialMissing", "Credential", InventoryText.Strings.Format("Error_CredentialMissing", string.Join(", ", typedComputerNames)), InventoryText.Strings.Get("Action_CredentialMissing"));
            return options;
        }

        /// <summary>PSCredential may carry "DOMAIN\user" from Get-Credential habits; SSH wants the bare name.</summary>
        private static string StripDomain(string user) => user.StartsWith("\\", StringComparison.Ordinal) ? user.Substring(1) : user;

        /// <summary>The computer names typed on the command line (not those from the pipeline).</summary>
        private protected string[]? TypedComputerNames(string[]? computerName)
            => MyInvocation.BoundParameters.ContainsKey("ComputerName") ? computerName : null;
    }
}
