
namespace Tssr.Tools.Engine.Network.Icmp
{
    /// <summary>The verdict on one host.</summary>
    public enum HostStatus
    {
        /// <summary>An echo reply came back.</summary>
        Up,
        /// <summary>Nothing came back before the last timeout.</summary>
        Down,
        /// <summary>The network said the host cannot be reached (ICMP error, or no local route).</summary>
        Unreachable,
    }

    /// <summary>How the echo requests are sent.</summary>
    public enum IcmpMode
    {
        /// <summary>Raw sockets when allowed, else unprivileged datagram sockets; the system Ping API on Windows.</summary>
        Auto,
        /// <summary>Raw ICMP sockets: root or CAP_NET_RAW. Gives the TTL and ICMP errors.</summary>
        Raw,
        /// <summary>Unprivileged ICMP datagram sockets (Linux with net.ipv4.ping_group_range, macOS).</summary>
        Datagram,
        /// <summary>System.Net.NetworkInformation.Ping with bounded concurrency (the Windows path).</summary>
        SystemPing,
    }

    /// <summary>One host of a sweep: its verdict, round trip, TTL, and what the network said.</summary>
    public sealed class HostProbeResult
    {
        public HostProbeResult(string computerName, System.Net.IPAddress address, HostStatus status, double? rttMs, int? ttl, int attempts,
            int received, double? minRttMs, double? maxRttMs, string? reason, int? icmpType, int? icmpCode, System.Net.IPAddress? reportedBy, IcmpMode mode)
        {
            ComputerName = computerName;
            IPAddress = address.ToString();
            Status = status;
            RttMs = rttMs;
            Ttl = ttl;
            Attempts = attempts;
            Received = received;
            LossPercent = attempts == 0 ? 0 : System.Math.Round(100.0 * (attempts - received) / attempts, 1);
            MinRttMs = minRttMs;
            MaxRttMs = maxRttMs;
            Reason = reason;
            IcmpType = icmpType;
            IcmpCode = icmpCode;
            ReportedBy = reportedBy?.ToString();
            Mode = mode;
        }

        /// <summary>The host as named (a name, or the address for ranges and CIDR blocks).</summary>
        public string ComputerName { get; }
        /// <summary>The address tested, as text (IPv6 with its zone when it has one).</summary>
        public string IPAddress { get; }
        public HostStatus Status { get; }
        /// <summary>Round trip in milliseconds (the average over the replies with -Count); null when no reply.</summary>
        public double? RttMs { get; }
        /// <summary>TTL (IPv4) of the reply; null where the socket does not hand the IP header over (see help).</summary>
        public int? Ttl { get; }
        /// <summary>Echo requests sent to this host.</summary>
        public int Attempts { get; }
        /// <summary>Echo replies received.</summary>
        public int Received { get; }
        public double LossPercent { get; }
        public double? MinRttMs { get; }
        public double? MaxRttMs { get; }
        /// <summary>Why the host is unreachable: the ICMP error (HostUnreachable, TtlExceeded...) or the local error (NetworkUnreachable...).</summary>
        public string? Reason { get; }
        /// <summary>The ICMP type of the error that came back, when one did.</summary>
        public int? IcmpType { get; }
        /// <summary>The ICMP code of the error that came back (e.g. 1 = host unreachable).</summary>
        public int? IcmpCode { get; }
        /// <summary>The router (or host) that sent the ICMP error.</summary>
        public string? ReportedBy { get; }
        /// <summary>The transport actually used: Raw, Datagram or SystemPing.</summary>
        public IcmpMode Mode { get; }

        /// <summary>One line, as a technician reads it: "web01 (10.0.0.5) Up 0.4 ms".</summary>
        public override string ToString()
        {
            var who = ComputerName == IPAddress ? IPAddress : $"{ComputerName} ({IPAddress})";
            var detail = RttMs.HasValue
                ? " " + RttMs.Value.ToString("0.###", System.Globalization.CultureInfo.CurrentCulture) + " ms"
                : (string.IsNullOrEmpty(Reason) ? string.Empty : " " + Reason);
            return $"{who} {Status}{detail}";
        }
    }
}
