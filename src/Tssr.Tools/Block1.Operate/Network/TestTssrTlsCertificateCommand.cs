using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network;
using Tssr.Tools.Engine.Network.Tls;

namespace Tssr.Tools
{
    /// <summary>
    /// Checks the TLS certificates of endpoints: expiry, chain of trust, name, self-signature, key,
    /// protocol and cipher, with one overall status and its explanation; many endpoints at once.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "TssrTlsCertificate")]
    [OutputType(typeof(TlsCertificateResult))]
    [Competency(Competency.OperateIpNetwork)]
    public sealed class TestTssrTlsCertificateCommand : TssrCmdlet
    {
        private static readonly Localizer Text = NetworkText.Tls;
        private StreamingWork<TlsTarget>? _work;

        /// <summary>host, host:port, [IPv6]:port, https://host:port URLs, CIDR blocks or address ranges.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ComputerName", "HostName", "Host", "IPAddress", "Url")]
        [ValidateNotNullOrEmpty]
        public string[] Target { get; set; } = Array.Empty<string>();

        /// <summary>The port of targets that do not name one.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 443;

        /// <summary>The name sent in SNI and checked against the certificate; default: the host given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Sni")]
        public string? ServerName { get; set; }

        /// <summary>Certificates of private CAs to trust besides the system's roots: PEM/CRT/CER/DER files or folders.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? TrustedCertificatePath { get; set; }

        /// <summary>A certificate expiring within this many days is reported as Expiring.</summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int WarningDays { get; set; } = 30;

        /// <summary>Seconds allowed for each target: name resolution, connection and handshake (fractions allowed).</summary>
        [Parameter]
        [ValidateRange(0.1, 600.0)]
        public double TimeoutSec { get; set; } = 5.0;

        /// <summary>How many targets are checked at once.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = 32;

        /// <summary>The former name of -TimeoutSec, in milliseconds, kept for existing scripts (a warning says to use the new name).</summary>
        [Parameter(DontShow = true)]
        [ValidateRange(1, 3600000)]
        public int Timeout { get; set; }

        protected override void BeginProcessing()
        {
            TimeoutSec = SecondsOrFormerMilliseconds(TimeoutSec, nameof(TimeoutSec), nameof(Timeout), Timeout);
            IReadOnlyList<X509Certificate2> anchors = Array.Empty<X509Certificate2>();
            if (TrustedCertificatePath != null)
            {
                var resolved = new List<string>();
                foreach (var path in TrustedCertificatePath)
                {
                    try
                    {
                        resolved.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
                    }
                    catch (Exception e) when (e is ItemNotFoundException || e is ProviderNotFoundException || e is DriveNotFoundException || e is NotSupportedException)
                    {
                        ThrowParameterError("TlsTrustedCertificatePathNotFound", path, Text.Format("Error_TrustPathNotFound", path), Text.Get("Action_TrustPath"));
                    }
                }
                anchors = Invoke(() => TrustAnchorLoader.Load(resolved));
                foreach (var anchor in anchors) WriteVerbose(Text.Format("Verbose_TrustAnchor", anchor.Subject, anchor.Thumbprint));
            }
            var options = new TlsCheckOptions
            {
                TimeoutMilliseconds = (int)Math.Ceiling(TimeoutSec * 1000),
                WarningDays = WarningDays,
                ThrottleLimit = ThrottleLimit,
                TrustAnchors = anchors,
            };
            // Targets are checked as they arrive, ThrottleLimit at a time: the first results of a
            // long pipeline of hosts appear before the last host has been read.
            _work = StartEngine(new TlsCertificateChecker(), options, inputCapacity: ThrottleLimit * 2);
        }

        protected override void ProcessRecord()
        {
            // Every target of the record is read before any is checked: a bad one typed on the
            // command line stops the command before the first connection; a bad piped one is that
            // record's error and the others go on.
            var fromPipeline = IsPipelineInput;
            var ready = new List<IEnumerable<TlsTarget>>();
            foreach (var text in Target)
            {
                if (fromPipeline && IsUnboundRecord(text))
                {
                    WriteUnboundRecordError(text, nameof(Target));
                    continue;
                }
                if (TlsTargetParser.IsAddressBlock(text))
                {
                    // Lazy: a /16 is expanded as it is checked, never held in memory.
                    if (TryReadInput(() => TlsTargetParser.ExpandBlock(text, Port, ServerName, out _), fromPipeline, out var block))
                        ready.Add(block);
                }
                else if (TlsTargetParser.TryParse(text, Port, ServerName, out var target, out var reason))
                {
                    ready.Add(new[] { target! });
                }
                else
                {
                    WriteInputError(new TssrError("TlsTargetInvalid", TssrErrorCategory.InvalidArgument, text,
                        Text.Format("Error_TargetInvalid", text, reason), Text.Get("Action_TargetInvalid")), fromPipeline);
                }
            }
            foreach (var targets in ready)
                foreach (var target in targets)
                    _work!.Post(target);
        }

        protected override void EndProcessing() => _work?.Finish();
    }
}
