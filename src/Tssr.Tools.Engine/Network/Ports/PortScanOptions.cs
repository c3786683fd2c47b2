using System;
using System.Collections.Generic;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Ports
{
    /// <summary>How a TCP connect sweep runs.</summary>
    public sealed class PortScanOptions
    {
        /// <summary>Milliseconds without an answer before a port is called Filtered.</summary>
        public const int DefaultTimeoutMs = 1000;

        /// <summary>Extra attempts for a port that gave no answer at all (a lost SYN is not a firewall).</summary>
        public const int DefaultRetry = 1;

        /// <summary>
        /// Connections in flight at once. nmap's connect scan stops near 1,014 (select's FD_SETSIZE);
        /// an async engine has no such ceiling, and 4,096 half-open sockets are nothing for a kernel
        /// (RustScan's default batch is 4,500). A silent port holds its socket for the timeout of
        /// every attempt (2 s by default): below about 2,600 in flight, a sweep whose silent ports
        /// outnumber the limit needs a second round of timeouts (docs/benchmarks.md, TCP sweep).
        /// It is lowered to what the process's descriptor limit allows.
        /// </summary>
        public const int DefaultThrottleLimit = 4096;

        /// <summary>
        /// The ports probed when none is named: the services a systems and network technician meets
        /// (nmap's top-20 TCP ports, plus Kerberos, LDAP/LDAPS, PostgreSQL, WinRM and HTTPS-alt).
        /// </summary>
        public static readonly IReadOnlyList<int> DefaultPorts = new[]
        {
            21, 22, 23, 25, 53, 80, 88, 110, 111, 135, 139, 143, 389, 443, 445, 636, 993, 995,
            1723, 3306, 3389, 5432, 5900, 5985, 8080, 8443,
        };

        public PortScanOptions(int timeoutMs = DefaultTimeoutMs, int retry = DefaultRetry, int throttleLimit = DefaultThrottleLimit, bool onlyOpen = false,
            bool includeNetworkAndBroadcast = false)
        {
            if (timeoutMs < 1) throw new ArgumentOutOfRangeException(nameof(timeoutMs));
            if (retry < 0) throw new ArgumentOutOfRangeException(nameof(retry));
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit));
            TimeoutMs = timeoutMs;
            Retry = retry;
            ThrottleLimit = throttleLimit;
            OnlyOpen = onlyOpen;
            IncludeNetworkAndBroadcast = includeNetworkAndBroadcast;
        }

        public int TimeoutMs { get; }
        public int Retry { get; }
        public int ThrottleLimit { get; }

        /// <summary>Only open ports are written out (the others are still probed and counted).</summary>
        public bool OnlyOpen { get; }

        /// <summary>
        /// An IPv4 CIDR block of /30 or wider also gives its network and broadcast addresses. Off by
        /// default: a block means its hosts, as for Test-TssrHost (fping -g) and nmap's habit of
        /// listing what answers.
        /// </summary>
        public bool IncludeNetworkAndBroadcast { get; }
    }

    /// <summary>One line of work: a target as typed (name, address, range or block) and its ports.</summary>
    public sealed class PortScanJob
    {
        public PortScanJob(string target, IReadOnlyList<int> ports)
        {
            if (ports == null || ports.Count == 0) throw new ArgumentException("A job needs at least one port.", nameof(ports));
            Target = target ?? throw new ArgumentNullException(nameof(target));
            Ports = ports;
        }

        public string Target { get; }
        public IReadOnlyList<int> Ports { get; }

        /// <summary>
        /// Checks the target (malformed, backwards, too large) and returns how many probes it makes;
        /// throws <see cref="TssrException"/> naming it.
        /// </summary>
        public long Validate() => Validate(includeNetworkAndBroadcast: false);

        /// <summary>As <see cref="Validate()"/>, counting the network and broadcast addresses of blocks or not.</summary>
        public long Validate(bool includeNetworkAndBroadcast) => Targets.TargetParser.Count(Target, includeNetworkAndBroadcast) * Ports.Count;
    }
}
