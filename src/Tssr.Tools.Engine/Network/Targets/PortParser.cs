using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Targets
{
    /// <summary>
    /// Turns port lists as a technician types them ("22,80,443", "1-1024", "ssh,rdp,https", or a
    /// mix) into port numbers, in order and without duplicates. Names come from a built-in table so
    /// the result is the same on Linux, macOS and Windows.
    /// </summary>
    public static class PortParser
    {
        private static readonly Localizer Text = TargetParser.Text;

        /// <summary>Well-known service names a technician uses, TCP unless noted.</summary>
        public static readonly IReadOnlyDictionary<string, int> ServiceNames = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["ftp-data"] = 20, ["ftp"] = 21, ["ssh"] = 22, ["telnet"] = 23, ["smtp"] = 25, ["dns"] = 53, ["domain"] = 53,
            ["dhcp"] = 67, ["tftp"] = 69, ["http"] = 80, ["kerberos"] = 88, ["pop3"] = 110, ["ntp"] = 123, ["rpc"] = 135,
            ["msrpc"] = 135, ["netbios-ns"] = 137, ["netbios-dgm"] = 138, ["netbios-ssn"] = 139, ["netbios"] = 139, ["imap"] = 143,
            ["snmp"] = 161, ["snmptrap"] = 162, ["ldap"] = 389, ["https"] = 443, ["smb"] = 445, ["microsoft-ds"] = 445,
            ["kpasswd"] = 464, ["smtps"] = 465, ["syslog"] = 514, ["submission"] = 587, ["ipp"] = 631, ["ldaps"] = 636,
            ["rsync"] = 873, ["ftps"] = 990, ["imaps"] = 993, ["pop3s"] = 995, ["socks"] = 1080, ["openvpn"] = 1194,
            ["mssql"] = 1433, ["oracle"] = 1521, ["pptp"] = 1723, ["radius"] = 1812, ["nfs"] = 2049, ["mysql"] = 3306,
            ["gc"] = 3268, ["gcs"] = 3269, ["rdp"] = 3389, ["ms-wbt-server"] = 3389, ["svn"] = 3690, ["sip"] = 5060,
            ["sips"] = 5061, ["postgresql"] = 5432, ["postgres"] = 5432, ["amqp"] = 5672, ["vnc"] = 5900, ["winrm"] = 5985,
            ["winrm-https"] = 5986, ["redis"] = 6379, ["ldap-gc"] = 3268, ["http-alt"] = 8080, ["https-alt"] = 8443,
            ["proxy"] = 3128, ["squid"] = 3128, ["zabbix-agent"] = 10050, ["zabbix-trapper"] = 10051, ["mongodb"] = 27017,
            ["elasticsearch"] = 9200, ["prometheus"] = 9090, ["node-exporter"] = 9100, ["git"] = 9418, ["nrpe"] = 5666,
            ["iscsi"] = 3260, ["docker"] = 2375, ["docker-tls"] = 2376, ["kubernetes"] = 6443, ["memcached"] = 11211,
            ["mqtt"] = 1883, ["mqtts"] = 8883, ["ipsec-nat-t"] = 4500, ["isakmp"] = 500, ["wireguard"] = 51820,
        };

        /// <summary>The name a port is known by, or null.</summary>
        public static string? NameOf(int port)
        {
            foreach (var pair in PreferredNames)
                if (pair.Value == port) return pair.Key;
            return null;
        }

        // One name per port for display, the first declared above.
        private static readonly List<KeyValuePair<string, int>> PreferredNames =
            ServiceNames.GroupBy(p => p.Value).Select(g => g.First()).ToList();

        /// <summary>
        /// Parses every item (each may itself be a comma list); throws a <see cref="TssrException"/>
        /// naming the bad item: PortOutOfRange, PortRangeBackwards, PortServiceUnknown, PortInvalid.
        /// </summary>
        public static IReadOnlyList<int> Parse(IEnumerable<string> items)
        {
            var seen = new HashSet<int>();
            var ports = new List<int>();
            foreach (var item in items ?? Array.Empty<string>())
            {
                foreach (var raw in (item ?? string.Empty).Split(new[] { ',', ' ', ';' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    foreach (var port in ParseOne(raw.Trim()))
                        if (seen.Add(port)) ports.Add(port);
                }
            }
            if (ports.Count == 0)
                throw new TssrException("PortListEmpty", TssrErrorCategory.InvalidArgument, string.Join(",", items ?? Array.Empty<string>()),
                    Text.Get("Port_Empty"), Text.Get("Port_Action"));
            return ports;
        }

        public static IReadOnlyList<int> Parse(params string[] items) => Parse((IEnumerable<string>)items);

        private static IEnumerable<int> ParseOne(string token)
        {
            var dash = token.IndexOf('-', 1);
            if (dash > 0 && IsNumber(token.Substring(0, dash)))
            {
                var first = Number(token.Substring(0, dash), token);
                var last = Number(token.Substring(dash + 1), token);
                if (last < first)
                    throw new TssrException("PortRangeBackwards", TssrErrorCategory.InvalidArgument, token,
                        Text.Format("Port_RangeBackwards", token), Text.Get("Port_Action"));
                for (var p = first; p <= last; p++) yield return p;
                yield break;
            }
            if (IsNumber(token) || (token.StartsWith("-", StringComparison.Ordinal) && IsNumber(token.Substring(1))))
            {
                yield return Number(token, token);
                yield break;
            }
            if (ServiceNames.TryGetValue(token, out var known))
            {
                yield return known;
                yield break;
            }
            var suggestions = ServiceNames.Keys
                .Where(k => k.StartsWith(token.Substring(0, Math.Min(2, token.Length)), StringComparison.OrdinalIgnoreCase))
                .OrderBy(k => k, StringComparer.OrdinalIgnoreCase).Take(5).ToList();
            var hint = suggestions.Count > 0 ? string.Join(", ", suggestions) : "ssh, http, https, rdp, smb";
            throw new TssrException("PortServiceUnknown", TssrErrorCategory.InvalidArgument, token,
                Text.Format("Port_ServiceUnknown", token, hint), Text.Get("Port_Action"));
        }

        private static bool IsNumber(string text) => text.Length > 0 && text.All(c => c >= '0' && c <= '9');

        private static int Number(string text, string token)
        {
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                throw new TssrException("PortInvalid", TssrErrorCategory.InvalidArgument, token, Text.Format("Port_Invalid", token), Text.Get("Port_Action"));
            if (value < 1 || value > 65535)
                throw new TssrException("PortOutOfRange", TssrErrorCategory.InvalidArgument, token, Text.Format("Port_OutOfRange", token), Text.Get("Port_Action"));
            return (int)value;
        }
    }
}
