using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;
using Tssr.Tools.Engine.Firewall.Parsers;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    public class WindowsFirewallTests
    {
        private static U128 Addr(string a) => Addresses.TryParseAddress(a, out _, out var v) ? v : throw new ArgumentException(a);

        [Fact]
        public void The_json_export_is_read_with_block_rules_first_and_disabled_rules_aside()
        {
            var set = Corpus.Load("windows-rules.json");
            Assert.Equal(RuleSetFormat.WindowsJson, set.Format);
            var inbound = set.FindChain("inet", "windows", "Inbound")!;
            Assert.Equal(RuleAction.Drop, inbound.Policy);
            Assert.Equal(RuleAction.Accept, set.FindChain("inet", "windows", "Outbound")!.Policy);
            Assert.Equal(new[] { "Block-Guest-Net", "Block-Web-Attacker", "RDP-Admin-In", "Web-In", "RPC-In", "ICMP-Echo-In", "Web-In-IPv6" },
                inbound.Rules.Select(r => r.Text.Split(':')[0]).ToArray());
            Assert.Equal("Telnet (disabled)", set.DisabledRules.Single().Comment);
            Assert.Equal(15, inbound.Rules[0].Source.Line);
            // A mask as Windows writes it, and a range.
            var guest = inbound.Rules[0].Match;
            Assert.True(guest.SourceV4!.Contains(Addr("10.10.99.200")));
            Assert.True(guest.SourceV4!.Contains(Addr("192.168.50.20")));
            Assert.False(guest.SourceV4!.Contains(Addr("192.168.50.21")));
            // IPv4-only addresses: an IPv6 packet does not match.
            Assert.True(inbound.Rules[2].Match.SourceV6!.IsEmpty);
            Assert.Equal("80,443,8000-8100", inbound.Rules[3].Match.DestinationPorts!.ToString());
            var rpc = inbound.Rules[4];
            Assert.False(rpc.IsAnalysed);
            Assert.Contains("LocalPort=RPC", rpc.NotAnalysed);
            Assert.Contains("RemoteAddress=LocalSubnet", rpc.NotAnalysed);
            Assert.Equal("8", inbound.Rules[5].Match.IcmpTypes!.ToString());
            Assert.Contains(set.Warnings, w => w.StartsWith("2 ", StringComparison.Ordinal) && w.Contains("Domain, Private"));
            Assert.Contains(set.Warnings, w => w.Contains("block"));
        }

        [Fact]
        public void The_netsh_listing_of_the_same_rules_gives_the_same_chains()
        {
            var json = Corpus.Load("windows-rules.json");
            var netsh = Corpus.Load("windows-netsh.txt");
            Assert.Equal(RuleSetFormat.Netsh, netsh.Format);
            string Shape(FirewallRuleSet s) => string.Join("\n", s.Rules.Select(r => r.Id + " " + r.Action + " " + r.Match.Protocols + " " + r.Match.SourceV4 + " " + r.Match.SourceV6
                + " " + r.Match.DestinationPorts + " " + r.Match.SourcePorts + " " + r.Match.IcmpTypes + " " + string.Join(";", r.NotAnalysed)));
            Assert.Equal(Shape(json), Shape(netsh));
            Assert.Equal(17, netsh.Rules.First().Source.Line);
            Assert.Single(netsh.DisabledRules);
        }

        [Fact]
        public void The_audit_sees_that_a_block_rule_wins_over_an_earlier_allow()
        {
            // The allow for the file server is written first, yet the broader block takes all its traffic.
            var findings = FirewallAuditor.Audit(Corpus.Load("windows-rules.json"));
            var shadow = findings.Single(f => f.Kind == FindingKind.Shadowing);
            Assert.Equal("No SMB to the Internet", shadow.RelatedRules.Single().Comment);
            Assert.Contains("SMB-Out-FileServer", shadow.Rule!.Text);
            Assert.Contains(findings, f => f.Kind == FindingKind.DisabledRule);
        }

        [Fact]
        public void A_bare_rule_export_without_its_filters_is_not_taken_as_any_to_any()
        {
            var set = FirewallRuleSetReader.ReadText("[{\"Name\":\"x\",\"Enabled\":1,\"Direction\":1,\"Action\":2,\"Profile\":0}]", "bare.json");
            var rule = Assert.Single(set.Rules);
            Assert.False(rule.IsAnalysed);
            var flow = new FlowEvaluator(set).Evaluate(new FlowQuery(Corpus.Packet("10.0.0.1", "10.0.0.2", 22, inInterface: null), ChainHook.Input));
            Assert.Equal(FlowVerdict.Undetermined, flow.Verdict);
        }

        [Fact]
        public void Localised_netsh_output_is_refused_with_its_own_error()
        {
            var text = "\r\nNom de la règle:                      Bureau à distance\r\n----------------------------------------------------------------------\r\nActivé:                               Oui\r\n";
            var e = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadText(text, "fr.txt"));
            Assert.Equal("FirewallFormatUnsupported", e.Error.ErrorId);
            Assert.Equal("fr.txt:2", e.Error.Target);
            Assert.NotNull(e.Error.RecommendedAction);
        }

        [Theory]
        [InlineData("[ { \"Name\": \"a\", \"Direction\": \"Sideways\", \"Action\": \"Allow\" } ]", "w.json:1:31", "Sideways")]
        [InlineData("[ { \"Name\": \"a\", \"Direction\": \"Inbound\", \"Action\": 9 } ]", "w.json:1:52", "Action")]
        [InlineData("[ { \"Direction\": \"Inbound\", \"Action\": \"Allow\" } ]", "w.json:1:3", "Name")]
        [InlineData("[ { \"Name\": \"a\", \"Direction\": \"Inbound\", \"Action\": \"Allow\" }, 3 ]", "w.json:1:", "Get-NetFirewallRule")]
        [InlineData("[ { \"Name\": \"a\", \"Direction\": \"Inbound\"", "w.json:1:", "")]
        public void Hostile_json_exports_are_parse_errors_with_line_and_column(string text, string where, string reason)
        {
            var e = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadText(text, "w.json", RuleSetFormat.WindowsJson));
            Assert.Equal("FirewallParseError", e.Error.ErrorId);
            Assert.StartsWith(where, (string)e.Error.Target!);
            Assert.Contains(reason, e.Message);
        }

        [Fact]
        public void Hostile_netsh_text_is_a_parse_error_with_the_line()
        {
            var text = "Rule Name:      x\n----\nEnabled:        Yes\nDirection:      Both\nAction:         Allow\n";
            var e = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadText(text, "n.txt"));
            Assert.Equal("FirewallParseError", e.Error.ErrorId);
            Assert.Equal("n.txt:4:1", e.Error.Target);
            Assert.Contains("Both", e.Message);
        }

        // ---- property: the chain built for Windows gives Windows' verdict ---------------------------

        public static Arbitrary<int[]> Seeds() => Arb.From(Gen.ArrayOf(Gen.Choose(0, 1 << 20)).Where(a => a.Length > 0));

        private sealed class R { public bool Block; public bool Enabled; public bool Tcp; public int? Port; public string? Remote; }

        private static readonly string[] Remotes = { "10.0.0.1", "10.0.0.0/255.255.255.254", "10.0.0.2-10.0.0.3", "Any" };

        /// <summary>Brute force, straight from the documented semantics: any enabled matching block wins, then any allow, then default block (inbound).</summary>
        private static FlowVerdict Windows(List<R> rules, int source, bool tcp, int port)
        {
            bool Matches(R r)
            {
                if (!r.Enabled || r.Tcp != tcp || r.Port != null && r.Port != port) return false;
                switch (r.Remote)
                {
                    case "10.0.0.1": return source == 1;
                    case "10.0.0.0/255.255.255.254": return source <= 1;
                    case "10.0.0.2-10.0.0.3": return source >= 2;
                    default: return true;
                }
            }
            if (rules.Any(r => r.Block && Matches(r))) return FlowVerdict.Drop;
            if (rules.Any(r => !r.Block && Matches(r))) return FlowVerdict.Accept;
            return FlowVerdict.Drop;
        }

        [Property(MaxTest = 150, Arbitrary = new[] { typeof(WindowsFirewallTests) })]
        public bool Block_before_allow_matches_a_brute_force_evaluator(int[] seed)
        {
            int k = 0;
            int Next(int n) => (int)((uint)seed[k++ % seed.Length] % (uint)n);
            var rules = new List<R>();
            var json = new StringBuilder("[");
            int count = 1 + Next(8);
            for (int i = 0; i < count; i++)
            {
                var r = new R { Block = Next(2) == 0, Enabled = Next(5) > 0, Tcp = Next(2) == 0, Port = Next(3) == 0 ? (int?)null : 1 + Next(3), Remote = Remotes[Next(Remotes.Length)] };
                rules.Add(r);
                if (i > 0) json.Append(',');
                json.Append(string.Format(CultureInfo.InvariantCulture,
                    "{{\"Name\":\"r{0}\",\"Enabled\":{1},\"Direction\":\"Inbound\",\"Action\":\"{2}\",\"Profile\":\"Any\",\"Protocol\":\"{3}\",\"LocalPort\":\"{4}\",\"RemotePort\":\"Any\",\"LocalAddress\":\"Any\",\"RemoteAddress\":\"{5}\"}}",
                    i, r.Enabled ? "true" : "false", r.Block ? "Block" : "Allow", r.Tcp ? "TCP" : "UDP", r.Port?.ToString(CultureInfo.InvariantCulture) ?? "Any", r.Remote));
            }
            json.Append(']');
            var set = FirewallRuleSetReader.ReadText(json.ToString(), "p.json");
            var evaluator = new FlowEvaluator(set);
            for (int s = 0; s < 4; s++)
                foreach (var tcp in new[] { true, false })
                    for (int port = 1; port <= 4; port++)
                    {
                        var p = Corpus.Packet("10.0.0." + s.ToString(CultureInfo.InvariantCulture), "10.9.9.9", port, tcp ? "tcp" : "udp", inInterface: null);
                        var got = evaluator.Evaluate(new FlowQuery(p, ChainHook.Input)).Verdict;
                        if (got != Windows(rules, s, tcp, port)) return false;
                    }
            return true;
        }
    }
}
