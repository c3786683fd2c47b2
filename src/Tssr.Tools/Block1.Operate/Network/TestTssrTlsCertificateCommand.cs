using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using Tssr.Tools.Engine.Core;
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
        private static readonly Localizer Text = new Localizer("Tssr.Tools.Engine.Network.Tls.Strings");
        private readonly List<TlsTarget> _targets = new List<TlsTarget>();
        // Address blocks stay lazy: a /16 is expanded as it is checked, never held in memory.
        private readonly List<IEnumerable<TlsTarget>> _blocks = new List<IEnumerable<TlsTarget>>();
        private long _blockCount;
        private IReadOnlyList<X509Certificate2> _anchors = Array.Empty<X509Certificate2>();

        /// <summary>host, host:port, [IPv6]:port, https://host:port URLs, CIDR blocks or address ranges.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ComputerName", "HostName", "Host", "Address", "IPAddress", "Url")]
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

        /// <summary>Milliseconds allowed for each target: name resolution, connection and handshake.</summary>
        [Parameter]
        [ValidateRange(100, 600000)]
        public int Timeout { get; set; } = 5000;

        /// <summary>How many targets are checked at once.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = 32;

        protected override void BeginProcessing()
        {
            if (TrustedCertificatePath == null) return;
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
            _anchors = Invoke(() => TrustAnchorLoader.Load(resolved));
            foreach (var anchor in _anchors) WriteVerbose(Text.Format("Verbose_TrustAnchor", anchor.Subject, anchor.Thumbprint));
        }

        protected override void ProcessRecord()
        {
            // Targets are gathered here and checked together at the end, so that a pipeline of
            // hosts is checked in parallel (ThrottleLimit) rather than one ProcessRecord at a time.
            foreach (var text in Target)
            {
                if (TlsTargetParser.IsAddressBlock(text))
                {
                    try
                    {
                        _blocks.Add(TlsTargetParser.ExpandBlock(text, Port, ServerName, out var count));
                        _blockCount += count;
                    }
                    catch (TssrException e)
                    {
                        WriteTssrError(e.Error);
                    }
                }
                else if (TlsTargetParser.TryParse(text, Port, ServerName, out var target, out var reason))
                {
                    _targets.Add(target!);
                }
                else
                {
                    WriteTssrError(new TssrError("TlsTargetInvalid", TssrErrorCategory.InvalidArgument, text,
                        Text.Format("Error_TargetInvalid", text, reason), Text.Get("Action_TargetInvalid")));
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_targets.Count == 0 && _blocks.Count == 0) return;
            var options = new TlsCheckOptions
            {
                TimeoutMilliseconds = Timeout,
                WarningDays = WarningDays,
                ThrottleLimit = ThrottleLimit,
                TrustAnchors = _anchors,
            };
            var checker = new TlsCertificateChecker();
            var all = System.Linq.Enumerable.Concat(_targets, System.Linq.Enumerable.SelectMany(_blocks, b => b));
            Run((sink, ct) => checker.CheckAsync(all, options, sink, ct, _targets.Count + _blockCount));
        }
    }
}
