using System;
using System.Collections.Generic;

namespace Tssr.Tools.Engine.Network.Dns
{
    /// <summary>How Resolve-TssrDns asks: which servers, which types, how long, how many at once.</summary>
    public sealed class DnsResolveOptions
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);
        public const int DefaultRetry = 1;
        public const int DefaultThrottleLimit = 32;

        /// <summary>Each server is asked separately; empty means the system's name servers, as one resolver.</summary>
        public IReadOnlyList<DnsServerAddress> Servers { get; set; } = Array.Empty<DnsServerAddress>();

        /// <summary>Empty means A and AAAA (the addresses of the name); an IP address as name always means PTR.</summary>
        public IReadOnlyList<DnsRecordType> Types { get; set; } = Array.Empty<DnsRecordType>();

        /// <summary>How long to wait for each attempt.</summary>
        public TimeSpan Timeout { get; set; } = DefaultTimeout;

        /// <summary>Attempts after the first one, per server.</summary>
        public int Retry { get; set; } = DefaultRetry;

        /// <summary>TCP only; otherwise UDP, with TCP when the answer is truncated.</summary>
        public bool TcpOnly { get; set; }

        /// <summary>Checks the PTR of every address found, and the address of every PTR found.</summary>
        public bool CheckReverse { get; set; }

        /// <summary>Names resolved at once.</summary>
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        /// <summary>Failures become <see cref="DnsResult"/> objects (with their Status) in the output instead of errors.</summary>
        public bool IncludeFailure { get; set; }

        /// <summary>
        /// Ask the DNS servers only. Otherwise, with no -Server given, a name (A/AAAA) or address (PTR)
        /// the hosts file lists is answered from it first, as Resolve-DnsName and the system's resolver
        /// do (Source HostsFile), and the servers are not asked for it.
        /// </summary>
        public bool DnsOnly { get; set; }

        /// <summary>The hosts file to read; null means the system's (/etc/hosts, %SystemRoot%\System32\drivers\etc\hosts).</summary>
        public string? HostsFilePath { get; set; }
    }
}
