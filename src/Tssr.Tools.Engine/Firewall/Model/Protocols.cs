using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Tssr.Tools.Engine.Firewall.Model
{
    /// <summary>Connection-tracking states, as iptables' conntrack and nft's ct state name them.</summary>
    public enum ConnState
    {
        New = 0,
        Established = 1,
        Related = 2,
        Invalid = 3,
        Untracked = 4,
    }

    /// <summary>Names of IP protocols, services, ICMP types and states used by rule sets.</summary>
    public static class Protocols
    {
        public const int Icmp = 1, Tcp = 6, Udp = 17, Dccp = 33, Icmpv6 = 58, Sctp = 132, UdpLite = 136;
        public static readonly U128 ProtocolMax = 255;
        public static readonly U128 PortMax = 65535;
        public static readonly U128 IcmpTypeMax = 255;
        public static readonly U128 StateMax = 4;

        /// <summary>The protocols that carry ports (what nft's "th" means).</summary>
        public static readonly IntervalSet PortProtocols = IntervalSet.From(new[]
        {
            new Interval(Tcp, Tcp), new Interval(Udp, Udp), new Interval(Dccp, Dccp), new Interval(Sctp, Sctp), new Interval(UdpLite, UdpLite),
        });

        private static readonly Dictionary<string, int> ProtocolNumbers = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["icmp"] = 1, ["igmp"] = 2, ["ipip"] = 4, ["ipencap"] = 4, ["tcp"] = 6, ["egp"] = 8, ["udp"] = 17, ["dccp"] = 33,
            ["ipv6"] = 41, ["gre"] = 47, ["esp"] = 50, ["ah"] = 51, ["icmpv6"] = 58, ["ipv6-icmp"] = 58, ["icmp6"] = 58,
            ["ospf"] = 89, ["ospfigp"] = 89, ["pim"] = 103, ["vrrp"] = 112, ["carp"] = 112, ["l2tp"] = 115, ["sctp"] = 132,
            ["udplite"] = 136, ["pfsync"] = 240,
        };

        private static readonly Dictionary<string, int> ServicePorts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["ftp-data"] = 20, ["ftp"] = 21, ["ssh"] = 22, ["telnet"] = 23, ["smtp"] = 25, ["domain"] = 53, ["dns"] = 53,
            ["bootps"] = 67, ["bootpc"] = 68, ["tftp"] = 69, ["http"] = 80, ["www"] = 80, ["pop3"] = 110, ["ntp"] = 123,
            ["netbios-ns"] = 137, ["netbios-dgm"] = 138, ["netbios-ssn"] = 139, ["imap"] = 143, ["imap2"] = 143, ["snmp"] = 161,
            ["snmp-trap"] = 162, ["ldap"] = 389, ["https"] = 443, ["microsoft-ds"] = 445, ["smb"] = 445, ["submission"] = 587,
            ["ldaps"] = 636, ["imaps"] = 993, ["pop3s"] = 995, ["ms-sql-s"] = 1433, ["openvpn"] = 1194, ["mysql"] = 3306,
            ["ms-wbt-server"] = 3389, ["rdp"] = 3389, ["postgresql"] = 5432, ["wsman"] = 5985, ["wsmans"] = 5986,
            ["redis"] = 6379, ["http-alt"] = 8080, ["webcache"] = 8080, ["mongodb"] = 27017, ["syslog"] = 514, ["shell"] = 514,
            ["login"] = 513, ["exec"] = 512, ["rsync"] = 873, ["kerberos"] = 88, ["isakmp"] = 500, ["ipsec-nat-t"] = 4500,
        };

        private static readonly Dictionary<string, int> Icmp4Types = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["echo-reply"] = 0, ["pong"] = 0, ["destination-unreachable"] = 3, ["source-quench"] = 4, ["redirect"] = 5,
            ["echo-request"] = 8, ["ping"] = 8, ["router-advertisement"] = 9, ["router-solicitation"] = 10,
            ["time-exceeded"] = 11, ["ttl-exceeded"] = 11, ["parameter-problem"] = 12, ["timestamp-request"] = 13,
            ["timestamp-reply"] = 14, ["info-request"] = 15, ["info-reply"] = 16, ["address-mask-request"] = 17,
            ["address-mask-reply"] = 18,
        };

        private static readonly Dictionary<string, int> Icmp6Types = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["destination-unreachable"] = 1, ["packet-too-big"] = 2, ["time-exceeded"] = 3, ["ttl-exceeded"] = 3,
            ["parameter-problem"] = 4, ["echo-request"] = 128, ["ping"] = 128, ["echo-reply"] = 129, ["pong"] = 129,
            ["mld-listener-query"] = 130, ["mld-listener-report"] = 131, ["mld-listener-done"] = 132, ["mld-listener-reduction"] = 132,
            ["nd-router-solicit"] = 133, ["router-solicitation"] = 133, ["nd-router-advert"] = 134, ["router-advertisement"] = 134,
            ["nd-neighbor-solicit"] = 135, ["neighbour-solicitation"] = 135, ["neighbor-solicitation"] = 135,
            ["nd-neighbor-advert"] = 136, ["neighbour-advertisement"] = 136, ["neighbor-advertisement"] = 136,
            ["nd-redirect"] = 137, ["redirect"] = 137, ["mld2-listener-report"] = 143,
        };

        public static bool TryParseProtocol(string text, out int protocol)
        {
            text = text.Trim();
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out protocol)) return protocol >= 0 && protocol <= 255;
            return ProtocolNumbers.TryGetValue(text, out protocol);
        }

        public static string ProtocolName(int protocol)
        {
            foreach (var pair in ProtocolNumbers)
                if (pair.Value == protocol && pair.Key == pair.Key.ToLowerInvariant() && pair.Key != "ipv6-icmp" && pair.Key != "icmp6" && pair.Key != "ipencap" && pair.Key != "ospfigp" && pair.Key != "carp") return pair.Key;
            return protocol.ToString(CultureInfo.InvariantCulture);
        }

        public static bool TryParsePort(string text, out int port)
        {
            text = text.Trim();
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port)) return port >= 0 && port <= 65535;
            return ServicePorts.TryGetValue(text, out port);
        }

        /// <summary>"22", "ssh", "1024:65535", "1024-65535", ":1023", "1024:".</summary>
        public static bool TryParsePortRange(string text, out Interval range)
        {
            range = default;
            text = text.Trim();
            int sep = text.IndexOf(':');
            if (sep < 0) sep = text.IndexOf('-');
            if (sep < 0)
            {
                if (!TryParsePort(text, out var p)) return false;
                range = new Interval((ulong)p, (ulong)p);
                return true;
            }
            var left = text.Substring(0, sep);
            var right = text.Substring(sep + 1);
            int a = 0, b = 65535;
            if (left.Length > 0 && !TryParsePort(left, out a)) return false;
            if (right.Length > 0 && !TryParsePort(right, out b)) return false;
            if (b < a) { var t = a; a = b; b = t; }
            range = new Interval((ulong)a, (ulong)b);
            return true;
        }

        public static bool TryParseIcmpType(string text, bool v6, out int type)
        {
            text = text.Trim();
            var slash = text.IndexOf('/');
            if (slash >= 0) text = text.Substring(0, slash);
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out type)) return type >= 0 && type <= 255;
            return (v6 ? Icmp6Types : Icmp4Types).TryGetValue(text, out type);
        }

        /// <summary>TCP flag bits as the header carries them (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128).</summary>
        public const int TcpFin = 1, TcpSyn = 2, TcpRst = 4, TcpPsh = 8, TcpAck = 16, TcpUrg = 32, TcpEce = 64, TcpCwr = 128;

        private static readonly Dictionary<string, int> TcpFlagNames = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["fin"] = TcpFin, ["syn"] = TcpSyn, ["rst"] = TcpRst, ["psh"] = TcpPsh, ["ack"] = TcpAck, ["urg"] = TcpUrg,
            ["ece"] = TcpEce, ["ecn"] = TcpEce, ["cwr"] = TcpCwr, ["none"] = 0,
            // iptables' ALL is the six classic flags (libxt_tcp).
            ["all"] = 0x3F,
        };

        /// <summary>The names a user may give -TcpFlags (and the rule readers accept).</summary>
        public static IReadOnlyList<string> TcpFlagList { get; } = new[] { "SYN", "ACK", "FIN", "RST", "PSH", "URG", "ECE", "CWR" };

        /// <summary>"SYN,ACK", "syn|ack", "(fin|syn|rst|ack)", "0x12", "NONE", "ALL": the bits; false for an unknown name.</summary>
        public static bool TryParseTcpFlags(string text, out int flags)
        {
            flags = 0;
            if (text == null) return false;
            var t = text.Trim().Trim('(', ')').Trim();
            if (t.Length == 0) return false;
            if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                return int.TryParse(t.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out flags) && flags >= 0 && flags <= 255;
            if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out flags)) return flags <= 255;
            flags = 0;
            foreach (var part in t.Split(new[] { ',', '|', ' ', '(', ')' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!TcpFlagNames.TryGetValue(part, out var bit)) { flags = 0; return false; }
                flags |= bit;
            }
            return true;
        }

        /// <summary>"SYN,ACK" for 0x12; "NONE" for 0.</summary>
        public static string TcpFlagsText(int flags)
        {
            if (flags == 0) return "NONE";
            var names = new List<string>();
            string[] order = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };
            for (int b = 0; b < 8; b++) if ((flags & (1 << b)) != 0) names.Add(order[b]);
            return string.Join(",", names);
        }

        /// <summary>Conntrack status bits (IPS_SRC_NAT, IPS_DST_NAT): the ones the analysis models.</summary>
        public const int CtSnat = 0x10, CtDnat = 0x20;

        private static readonly Dictionary<string, int> CtStatusNames = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["expected"] = 0x1, ["seen-reply"] = 0x2, ["assured"] = 0x4, ["confirmed"] = 0x8, ["snat"] = CtSnat, ["dnat"] = CtDnat, ["dying"] = 0x200,
        };

        /// <summary>"dnat", "snat|dnat", "0x20": the status bits; false for an unknown name.</summary>
        public static bool TryParseCtStatus(string text, out int bits)
        {
            bits = 0;
            if (text == null) return false;
            var t = text.Trim().Trim('(', ')').Trim();
            if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                return int.TryParse(t.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bits);
            if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out bits)) return true;
            bits = 0;
            foreach (var part in t.Split(new[] { ',', '|', ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!CtStatusNames.TryGetValue(part, out var bit)) { bits = 0; return false; }
                bits |= bit;
            }
            return t.Length > 0;
        }

        public static string CtStatusText(int bits)
        {
            if (bits == 0) return "none";
            var names = CtStatusNames.Where(kv => (bits & kv.Value) != 0).Select(kv => kv.Key).ToList();
            return string.Join("|", names);
        }

        public static bool TryParseState(string text, out ConnState state)
        {
            switch (text.Trim().ToLowerInvariant())
            {
                case "new": state = ConnState.New; return true;
                case "established": state = ConnState.Established; return true;
                case "related": state = ConnState.Related; return true;
                case "invalid": state = ConnState.Invalid; return true;
                case "untracked": state = ConnState.Untracked; return true;
                default: state = ConnState.New; return false;
            }
        }

        public static string FormatStates(IntervalSet? states)
        {
            if (states == null || states.IsFull(StateMax)) return "any";
            var names = new List<string>();
            for (int s = 0; s <= 4; s++) if (states.Contains((ulong)s)) names.Add(((ConnState)s).ToString().ToUpperInvariant());
            return string.Join(",", names);
        }

        public static string FormatProtocols(IntervalSet? protocols)
        {
            if (protocols == null || protocols.IsFull(ProtocolMax)) return "any";
            var names = new List<string>();
            foreach (var x in protocols.Intervals)
            {
                if (x.End.Low - x.Start.Low > 8) { names.Add(x.Start.Low + "-" + x.End.Low); continue; }
                for (var p = x.Start.Low; p <= x.End.Low; p++) names.Add(ProtocolName((int)p));
            }
            return string.Join(",", names);
        }
    }
}
