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
    [OutputType(typeof(DnsAddressRecord), typeof(DnsCnameRecord), typeof(DnsMxRecord), typeof(DnsTxtRecord), typeof(DnsSrvRecord),
        typeof(DnsNsRecord), typeof(DnsSoaRecord), typeof(DnsPtrRecord), typeof(DnsOutcome))]
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
        public DnsRecordType[]? Type { get; set; }

        /// <summary>Servers to ask, each separately: host, host:port, address:port or [IPv6]:port.</summary>
        [Parameter]
        [Alias("DnsServer", "NameServer")]
        [ValidateNotNullOrEmpty]
        public string[]? Server { get; set; }

        /// <summary>Seconds to wait for each attempt.</summary>
        [Parameter]
        [ValidateRange(0.05, 60.0)]
        public double Timeout { get; set; } = DnsResolveOptions.DefaultTimeout.TotalSeconds;

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

        /// <summary>Write failures as DnsOutcome objects instead of errors.</summary>
        [Parameter]
        public SwitchParameter IncludeFailure { get; set; }

        protected override void BeginProcessing()
        {
            var servers = new List<DnsServerAddress>();
            foreach (var text in Server ?? Array.Empty<string>())
                servers.Add(Invoke(() => DnsServerAddress.Parse(text)));

            var options = new DnsResolveOptions
            {
                Servers = servers,
                Types = Type ?? Array.Empty<DnsRecordType>(),
                Timeout = TimeSpan.FromSeconds(Timeout),
                Retry = Retry,
                TcpOnly = TcpOnly.IsPresent,
                CheckReverse = CheckReverse.IsPresent,
                ThrottleLimit = ThrottleLimit,
                IncludeFailure = IncludeFailure.IsPresent,
            };
            var resolver = Invoke(() => new DnsResolver(options));
            _work = StartStreaming<string>(resolver.ResolveAsync, inputCapacity: ThrottleLimit * 2);
        }

        protected override void ProcessRecord()
        {
            foreach (var name in Name)
                _work!.Post(name);
        }

        protected override void EndProcessing() => _work!.Finish();
    }
}
