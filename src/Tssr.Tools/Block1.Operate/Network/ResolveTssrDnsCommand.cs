using System;
using System.Collections.Generic;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Dns;

namespace Tssr.Tools
{
    /// <summary>
    /// Resolves DNS names (A, AAAA, CNAME, MX, TXT, SRV, NS, SOA, PTR) against the system's servers or
    /// chosen ones, many names at once, with distinct outcomes for NXDOMAIN, SERVFAIL, REFUSED,
    /// timeouts and empty answers, and an optional forward/reverse agreement check.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Resolve, "TssrDns")]
    [OutputType(typeof(DnsResult))]
    [Competency(Competency.OperateIpNetwork)]
    public sealed class ResolveTssrDnsCommand : TssrCmdlet
    {
        private StreamingWork<string>? _work;

        /// <summary>Names or IP addresses (an address means its PTR record).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("HostName", "ComputerName", "DNSHostName", "IPAddress")]
        [AllowEmptyString]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>Record types; A and AAAA when not given.</summary>
        [Parameter(Position = 1)]
        [EnumArgument(typeof(DnsRecordType), nameof(Type))]
        public DnsRecordType[]? Type { get; set; }

        /// <summary>Servers to ask, each separately: host, host:port, address:port or [IPv6]:port.</summary>
        [Parameter]
        [Alias("DnsServer", "NameServer")]
        [ValidateNotNullOrEmpty]
        public string[]? Server { get; set; }

        /// <summary>Seconds to wait for each attempt (fractions allowed).</summary>
        [Parameter]
        [ValidateRange(0.05, 60.0)]
        [Alias("Timeout")]
        public double TimeoutSec { get; set; } = DnsResolveOptions.DefaultTimeout.TotalSeconds;

        /// <summary>Attempts after the first, per server.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int Retry { get; set; } = DnsResolveOptions.DefaultRetry;

        /// <summary>Query over TCP only.</summary>
        [Parameter]
        public SwitchParameter TcpOnly { get; set; }

        /// <summary>Check that forward and reverse records agree.</summary>
        [Parameter]
        public SwitchParameter CheckReverse { get; set; }

        /// <summary>Names resolved at once.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = DnsResolveOptions.DefaultThrottleLimit;

        /// <summary>Write failures as DnsResult objects (with their Status) instead of errors.</summary>
        [Parameter]
        public SwitchParameter IncludeFailure { get; set; }

        /// <summary>Ask the DNS servers only; by default a name the hosts file lists is answered from it first (without -Server).</summary>
        [Parameter]
        public SwitchParameter DnsOnly { get; set; }

        protected override void BeginProcessing()
        {
            var servers = new List<DnsServerAddress>();
            foreach (var text in Server ?? Array.Empty<string>())
                servers.Add(Invoke(() => DnsServerAddress.Parse(text)));

            var options = new DnsResolveOptions
            {
                Servers = servers,
                Types = Type ?? Array.Empty<DnsRecordType>(),
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                Retry = Retry,
                TcpOnly = TcpOnly.IsPresent,
                CheckReverse = CheckReverse.IsPresent,
                ThrottleLimit = ThrottleLimit,
                IncludeFailure = IncludeFailure.IsPresent,
                DnsOnly = DnsOnly.IsPresent,
            };
            Invoke(() => new DnsResolver(options));
            _work = StartEngine(new DnsResolver(), options, inputCapacity: ThrottleLimit * 2);
        }

        protected override void ProcessRecord()
        {
            var fromPipeline = IsPipelineInput;
            if (!fromPipeline)
            {
                // Names typed on the command line are checked before the first query: a bad one stops the command.
                foreach (var name in Name)
                    TryReadInput(() => { DnsResolver.ValidateName(name); return true; }, fromPipeline: false, out _);
            }
            foreach (var name in Name)
            {
                if (fromPipeline && IsUnboundRecord(name))
                {
                    WriteUnboundRecordError(name, nameof(Name));
                    continue;
                }
                _work!.Post(name);
            }
        }

        protected override void EndProcessing() => _work!.Finish();
    }
}
