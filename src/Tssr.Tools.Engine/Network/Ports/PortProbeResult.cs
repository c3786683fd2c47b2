namespace Tssr.Tools.Engine.Network.Ports
{
    /// <summary>The verdict on one TCP port of one host.</summary>
    public sealed class PortProbeResult
    {
        public PortProbeResult(string computerName, string ipAddress, int port, string? service, PortStatus status,
            PortProbeReason reason, double? latencyMs, int attempts, string detail)
        {
            ComputerName = computerName;
            IPAddress = ipAddress;
            Port = port;
            Service = service;
            Status = status;
            Reason = reason;
            LatencyMs = latencyMs;
            Attempts = attempts;
            Detail = detail;
        }

        /// <summary>The host as the user named it (a name, or the address when an address, range or block was given).</summary>
        public string ComputerName { get; }

        /// <summary>The address probed.</summary>
        public string IPAddress { get; }

        public int Port { get; }

        /// <summary>The well-known service name of the port (ssh, https, rdp...), when it has one.</summary>
        public string? Service { get; }

        public PortStatus Status { get; }

        public PortProbeReason Reason { get; }

        /// <summary>Milliseconds from SYN to the answer (SYN/ACK, RST or ICMP); empty when nothing answered.</summary>
        public double? LatencyMs { get; }

        /// <summary>How many connection attempts were made (more than 1 only when -Retry re-probed a filtered port).</summary>
        public int Attempts { get; }

        /// <summary>The reason in words, in the user's language.</summary>
        public string Detail { get; }

        /// <summary>One line, as a technician reads it: "web01 (10.0.0.5):443 Open Accepted 0.4 ms".</summary>
        public override string ToString()
        {
            var where = ComputerName == IPAddress ? Endpoint(IPAddress, Port) : $"{ComputerName} ({IPAddress}):{Port}";
            var latency = LatencyMs.HasValue ? " " + LatencyMs.Value.ToString("0.#", System.Globalization.CultureInfo.CurrentCulture) + " ms" : string.Empty;
            return $"{where} {Status} {Reason}{latency}";
        }

        private static string Endpoint(string address, int port) => address.IndexOf(':') >= 0 ? $"[{address}]:{port}" : $"{address}:{port}";
    }
}
