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

        /// <summary>The domain controller (name or address).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ComputerName", "DomainController")]
        [ValidateNotNullOrEmpty]
        public string Server { get; set; } = string.Empty;

        /// <summary>The account to bind with (user@domain, DOMAIN\user or a DN). Without it: the current Kerberos/Windows identity.</summary>
        [Parameter(Position = 1, ParameterSetName = WithCredential)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Binds anonymously (reads the RootDSE and what the DC lets anyone read).</summary>
        [Parameter(Mandatory = true, ParameterSetName = AnonymousBind)]
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

        /// <summary>Seconds to wait for the DC (connect and each request).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 15;

        /// <summary>Does not make this session the default one.</summary>
        [Parameter]
        public SwitchParameter NoDefault { get; set; }

        protected override void ProcessRecord()
        {
            if (StartTls && AllowUnencrypted)
                ThrowParameterError("DirectoryConflictingTransport", Server, DirectoryCmdlet.DirectoryCmdletText.Get("Error_ConflictingTransport"), DirectoryCmdlet.DirectoryCmdletText.Get("Action_ConflictingTransport"));
            var transport = AllowUnencrypted ? DirectoryTransport.Unencrypted : StartTls ? DirectoryTransport.StartTls : DirectoryTransport.Ldaps;
            var options = new DirectoryConnectionOptions(Server, transport, Port)
            {
                TrustedCertificatePath = TrustedCertificatePath == null ? null : GetUnresolvedProviderPathFromPSPath(TrustedCertificatePath),
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
            DirectorySession? session = null;
            Run(async (sink, ct) => session = await DirectorySession.ConnectAsync(options, sink, ct).ConfigureAwait(false));
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
    }
}
