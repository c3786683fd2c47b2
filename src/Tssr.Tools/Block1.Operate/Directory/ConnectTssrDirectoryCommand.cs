using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Opens an LDAPS (or StartTLS) session to a domain controller, checks its certificate, binds and makes it the default session.</summary>
    [Cmdlet(VerbsCommunications.Connect, "TssrDirectory", DefaultParameterSetName = WithCredential)]
    [OutputType(typeof(DirectorySession))]
    [Competency(Engine.Core.Competency.OperateWindowsServersAndActiveDirectory, Engine.Core.Competency.SupportUsers)]
    public sealed class ConnectTssrDirectoryCommand : TssrCmdlet
    {
        private const string WithCredential = nameof(WithCredential);
        private const string AnonymousBind = nameof(AnonymousBind);
        private const string DomainWithCredential = nameof(DomainWithCredential);
        private const string DomainAnonymousBind = nameof(DomainAnonymousBind);

        /// <summary>The domain controller (name or address).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = WithCredential)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = AnonymousBind)]
        [Alias("ComputerName", "DomainController")]
        [ValidateNotNullOrEmpty]
        public string Server { get; set; } = string.Empty;

        /// <summary>The DNS domain: its domain controllers are found with the _ldap._tcp SRV record and tried in order.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DomainWithCredential)]
        [Parameter(Mandatory = true, ParameterSetName = DomainAnonymousBind)]
        [ValidateNotNullOrEmpty]
        public string Domain { get; set; } = string.Empty;

        /// <summary>With -Domain: prefer the DCs of this Active Directory site (_ldap._tcp.SITE._sites.DOMAIN).</summary>
        [Parameter(ParameterSetName = DomainWithCredential)]
        [Parameter(ParameterSetName = DomainAnonymousBind)]
        public string? Site { get; set; }

        /// <summary>With -Domain: the DNS server to ask (address, or address:port); default: the system's resolvers.</summary>
        [Parameter(ParameterSetName = DomainWithCredential)]
        [Parameter(ParameterSetName = DomainAnonymousBind)]
        public string? DnsServer { get; set; }

        /// <summary>The account to bind with (user@domain, DOMAIN\user or a DN). Without it: the current Kerberos/Windows identity.</summary>
        [Parameter(Position = 1, ParameterSetName = WithCredential)]
        [Parameter(Position = 1, ParameterSetName = DomainWithCredential)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Binds anonymously (reads the RootDSE and what the DC lets anyone read).</summary>
        [Parameter(Mandatory = true, ParameterSetName = AnonymousBind)]
        [Parameter(Mandatory = true, ParameterSetName = DomainAnonymousBind)]
        public SwitchParameter Anonymous { get; set; }

        /// <summary>The port; 636 for LDAPS, 389 with -StartTls or -AllowUnencrypted.</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; }

        /// <summary>Plain LDAP upgraded with StartTLS instead of LDAPS.</summary>
        [Parameter]
        public SwitchParameter StartTls { get; set; }

        /// <summary>Plain, unencrypted LDAP. Every password operation is refused on such a session.</summary>
        [Parameter]
        public SwitchParameter AllowUnencrypted { get; set; }

        /// <summary>A CA certificate file (PEM/DER) or a directory of them, trusted besides the system's store.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TrustedCertificatePath { get; set; }

        /// <summary>Seconds to wait for the DC (connect and each request); fractions allowed, as every -TimeoutSec of the module.</summary>
        [Parameter]
        [ValidateRange(0.1, 3600.0)]
        public double TimeoutSec { get; set; } = 15;

        /// <summary>Does not make this session the default one.</summary>
        [Parameter]
        public SwitchParameter NoDefault { get; set; }

        protected override void ProcessRecord()
        {
            if (StartTls && AllowUnencrypted)
                ThrowParameterError("DirectoryConflictingTransport", Server, DirectoryCmdlet.DirectoryCmdletText.Get("Error_ConflictingTransport"), DirectoryCmdlet.DirectoryCmdletText.Get("Action_ConflictingTransport"));
            var transport = AllowUnencrypted ? DirectoryTransport.Unencrypted : StartTls ? DirectoryTransport.StartTls : DirectoryTransport.Ldaps;
            var trusted = TrustedCertificatePath == null ? null : GetUnresolvedProviderPathFromPSPath(TrustedCertificatePath);
            DirectoryConnectionOptions Options(string server, int port)
            {
                var options = new DirectoryConnectionOptions(server, transport, port)
                {
                    TrustedCertificatePath = trusted,
                    Timeout = TimeSpan.FromSeconds(TimeoutSec),
                };
                if (Credential != null && Credential != PSCredential.Empty)
                {
                    options.UserName = Credential.UserName;
                    options.Password = Credential.Password;
                }
                else if (!Anonymous)
                {
                    options.UseCurrentIdentity = true;
                }
                return options;
            }
            DirectorySession? session = null;
            if (ParameterSetName == DomainWithCredential || ParameterSetName == DomainAnonymousBind)
            {
                var dns = ParseDnsServer(DnsServer);
                // The SRV port is LDAP's (389); LDAPS keeps 636 unless -Port says otherwise.
                Run(async (sink, ct) => session = await DomainControllerLocator.ConnectAsync(Domain, Site, dns,
                    r => Options(r.Host, Port > 0 ? Port : transport == DirectoryTransport.Ldaps ? 636 : r.Port), sink, ct).ConfigureAwait(false));
            }
            else
            {
                var options = Options(Server, Port);
                Run(async (sink, ct) => session = await DirectorySession.ConnectAsync(options, sink, ct).ConfigureAwait(false));
            }
            if (session == null) return;
            if (!NoDefault)
            {
                var previous = DirectorySessionStore.Default;
                DirectorySessionStore.Default = session;
                if (previous != null && !ReferenceEquals(previous, session))
                    WriteVerbose(DirectoryCmdlet.DirectoryCmdletText.Format("Verbose_DefaultReplaced", previous.ToString()));
            }
            WriteObject(session);
        }

        private System.Net.IPEndPoint? ParseDnsServer(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var t = text!.Trim();
            if (System.Net.IPAddress.TryParse(t, out var plain)) return new System.Net.IPEndPoint(plain, 53);
            var colon = t.LastIndexOf(':');
            if (colon > 0 && System.Net.IPAddress.TryParse(t.Substring(0, colon).Trim('[', ']'), out var address)
                && int.TryParse(t.Substring(colon + 1), out var port) && port > 0 && port < 65536)
                return new System.Net.IPEndPoint(address, port);
            ThrowParameterError("DirectoryDnsServerInvalid", t, DirectoryCmdlet.DirectoryCmdletText.Format("Error_DnsServer", t), DirectoryCmdlet.DirectoryCmdletText.Get("Action_DnsServer"));
            return null;
        }
    }
}
