using System;
using System.Text;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    /// <summary>
    /// Real-shaped large rule sets: a host/perimeter INPUT chain that dispatches by destination
    /// network to one user chain per zone, each with host/service rules (accept mostly, some
    /// drop/reject), overlaps included. tests/bench/Firewall.Bench.ps1 writes the same shape.
    /// </summary>
    internal static class Generator
    {
        private static readonly string[] Ports = { "22", "80", "443", "3306", "5432", "8080", "53", "123", "161", "3389", "8443", "9000:9100", "25", "110:143" };

        public static string IptablesRuleSet(int rules, int seed)
        {
            var r = new Random(seed);
            int zones = Math.Max(1, rules / 500);
            var sb = new StringBuilder(rules * 90);
            sb.Append("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n");
            for (int z = 0; z < zones; z++) sb.Append(":ZONE_").Append(z).Append(" - [0:0]\n");
            sb.Append("-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
            for (int z = 0; z < zones; z++) sb.Append("-A INPUT -d 10.").Append(z % 250).Append('.').Append(z / 250).Append(".0/24 -j ZONE_").Append(z).Append('\n');
            for (int k = 0; k < rules; k++)
            {
                int z = k % zones;
                sb.Append("-A ZONE_").Append(z);
                var s = r.Next(10);
                if (s < 4) sb.Append(" -s 172.").Append(16 + r.Next(16)).Append('.').Append(r.Next(256)).Append(".0/24");
                else if (s < 7) sb.Append(" -s 192.168.").Append(r.Next(256)).Append('.').Append(r.Next(256));
                sb.Append(" -d 10.").Append(z % 250).Append('.').Append(z / 250).Append('.').Append(r.Next(64));
                bool tcp = r.Next(10) < 7;
                sb.Append(tcp ? " -p tcp -m tcp --dport " : " -p udp -m udp --dport ").Append(Ports[r.Next(Ports.Length)]);
                var a = r.Next(20);
                sb.Append(a < 16 ? " -j ACCEPT\n" : a < 19 ? " -j DROP\n" : " -j REJECT\n");
            }
            sb.Append("-A INPUT -j DROP\nCOMMIT\n");
            return sb.ToString();
        }
    }
}
