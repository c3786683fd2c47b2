namespace Tssr.Tools.Engine.Network.Ports
{
    /// <summary>The verdict on one host:port, in nmap's terms.</summary>
    public enum PortStatus
    {
        /// <summary>The TCP handshake completed: something listens.</summary>
        Open,
        /// <summary>The host answered with a reset (connection refused): it is up, nothing listens.</summary>
        Closed,
        /// <summary>No answer within the timeout, or an ICMP unreachable/prohibited answer: a firewall or no host.</summary>
        Filtered,
    }

    /// <summary>Why a verdict was given; the operating system's answer behind it.</summary>
    public enum PortProbeReason
    {
        /// <summary>SYN/ACK: the connection was accepted (Open).</summary>
        Accepted,
        /// <summary>RST or ICMP port unreachable: ECONNREFUSED / WSAECONNREFUSED (Closed).</summary>
        Refused,
        /// <summary>No answer before the timeout, or the system's own ETIMEDOUT (Filtered).</summary>
        NoResponse,
        /// <summary>ICMP host unreachable or host down: EHOSTUNREACH / EHOSTDOWN (Filtered).</summary>
        HostUnreachable,
        /// <summary>ICMP network unreachable or no route here: ENETUNREACH (Filtered).</summary>
        NetworkUnreachable,
        /// <summary>ICMP administratively prohibited, or a local firewall: EACCES / EPERM (Filtered).</summary>
        Prohibited,
        /// <summary>ICMP protocol unreachable (iptables --reject-with icmp-proto-unreachable): ENOPROTOOPT (Filtered, as nmap's proto-unreach).</summary>
        ProtocolUnreachable,
    }
}
