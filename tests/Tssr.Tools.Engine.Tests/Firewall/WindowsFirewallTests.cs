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

        // ---- profiles -----------------------------------------------------------------------------

        // Get-NetFirewallProfile objects beside the rules, as PowerShell 7 (names) and 5.1 (numbers) write them.
        private const string WithProfileSettings = @"[
  { ""Name"": ""Domain"", ""Enabled"": true, ""DefaultInboundAction"": ""Block"", ""DefaultOutboundAction"": ""Allow"" },
  { ""Name"": 2, ""Enabled"": 1, ""DefaultInboundAction"": 2, ""DefaultOutboundAction"": 4 },
  { ""Name"": ""Public"", ""Enabled"": ""False"", ""DefaultInboundAction"": ""NotConfigured"", ""DefaultOutboundAction"": ""NotConfigured"" },
  { ""Name"": ""Block-Telnet"", ""Enabled"": ""True"", ""Direction"": ""Inbound"", ""Action"": ""Block"", ""Profile"": ""Any"", ""Protocol"": ""TCP"", ""LocalPort"": ""23"" },
  { ""Name"": ""Web-In"", ""Enabled"": ""True"", ""Direction"": ""Inbound"", ""Action"": ""Allow"", ""Profile"": ""Any"", ""Protocol"": ""TCP"", ""LocalPort"": ""80"" }
]";

        [Theory]
        // Domain: settings as Windows' defaults; the rules decide.
        [InlineData("Domain", 23, "Input", FlowVerdict.Drop, false)]
        [InlineData("Domain", 80, "Input", FlowVerdict.Accept, false)]
        [InlineData("Domain", 8080, "Input", FlowVerdict.Drop, true)]
        [InlineData("Domain", 443, "Output", FlowVerdict.Accept, true)]
        // Private: inbound allowed and outbound blocked by default (numbers of Windows PowerShell 5.1).
        [InlineData("Private", 8080, "Input", FlowVerdict.Accept, true)]
        [InlineData("Private", 23, "Input", FlowVerdict.Drop, false)]
        [InlineData("Private", 443, "Output", FlowVerdict.Drop, true)]
        // Public: the firewall is off, every flow passes, block rules included.
        [InlineData("Public", 23, "Input", FlowVerdict.Accept, true)]
        [InlineData("Public", 443, "Output", FlowVerdict.Accept, true)]
        public void Profile_settings_in_the_export_give_each_profile_its_defaults_and_on_off_state(string profile, int port, string direction, FlowVerdict verdict, bool byPolicy)
        {
            var p = (WindowsFirewallProfile)Enum.Parse(typeof(WindowsFirewallProfile), profile);
            var set = FirewallRuleSetReader.ReadText(WithProfileSettings, "fw.json", RuleSetFormat.Auto, p);
            var packet = direction == "Input" ? Corpus.Packet("10.0.0.1", "10.0.0.2", port, inInterface: null) : Corpus.Packet("10.0.0.2", "10.0.0.9", port, inInterface: null);
            var r = new FlowEvaluator(set).Evaluate(new FlowQuery(packet, direction == "Input" ? ChainHook.Input : ChainHook.Output));
            Assert.Equal(verdict, r.Verdict);
            Assert.Equal(byPolicy, r.ByPolicy);
            Assert.DoesNotContain(set.Warnings, w => w.Contains("the usual defaults"));
            if (profile == "Public")
            {
                Assert.Contains(set.Warnings, w => w.Contains("OFF for the Public profile") && w.Contains("fw.json:"));
                Assert.Empty(set.Rules);
                Assert.Equal(2, set.DisabledRules.Count);
            }
            else Assert.Contains(set.Warnings, w => w.Contains("default actions from the profile settings"));
        }

        [Fact]
        public void Profile_settings_that_differ_are_not_applied_without_a_profile()
        {
            var set = FirewallRuleSetReader.ReadText(WithProfileSettings, "fw.json");
            Assert.Equal(2, set.Rules.Count());
            Assert.Equal(RuleAction.Drop, set.FindChain("inet", "windows", "Inbound")!.Policy);
            Assert.Contains(set.Warnings, w => w.Contains("differ between profiles"));
            // The same settings for all three profiles apply without -Profile.
            var same = "[" + string.Join(",", new[] { "Domain", "Private", "Public" }.Select(n =>
                "{ \"Name\": \"" + n + "\", \"Enabled\": true, \"DefaultInboundAction\": \"Allow\", \"DefaultOutboundAction\": \"Allow\" }")) + "]";
            var all = FirewallRuleSetReader.ReadText(same, "same.json");
            Assert.Equal(RuleAction.Accept, all.FindChain("inet", "windows", "Inbound")!.Policy);
            // A profile named twice, or a value not understood, is an error at its line.
            var twice = "[{ \"Name\": \"Domain\", \"DefaultInboundAction\": \"Block\" },\n{ \"Name\": \"Domain\", \"DefaultInboundAction\": \"Allow\" }]";
            var e = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadText(twice, "t.json"));
            Assert.Equal("FirewallParseError", e.Error.ErrorId);
            Assert.StartsWith("t.json:2", (string)e.Error.Target!);
            var bad = "[{ \"Name\": \"Office\", \"DefaultInboundAction\": \"Block\" }]";
            Assert.Equal("FirewallParseError", Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadText(bad, "b.json")).Error.ErrorId);
        }

        private static string JsonRule(string profile)
            => "[{\"Name\":\"r\",\"Enabled\":\"True\",\"Direction\":\"Inbound\",\"Action\":\"Allow\",\"Profile\":" + profile
               + ",\"Protocol\":\"TCP\",\"LocalPort\":\"22\",\"RemotePort\":\"Any\",\"LocalAddress\":\"Any\",\"RemoteAddress\":\"Any\"}]";

        private static string NetshRule(string profiles)
            => "Rule Name:                            r\r\n----------------------------------------------------------------------\r\n"
               + "Enabled:                              Yes\r\nDirection:                            In\r\nProfiles:                             " + profiles
               + "\r\nProtocol:                             TCP\r\nLocalPort:                            22\r\nAction:                               Allow\r\n";

        [Theory]
        // Get-NetFirewallRule as text ([string]$_.Profile, or ConvertTo-Json -EnumsAsStrings).
        [InlineData("\"Domain, Private\"", "Domain, Private")]
        [InlineData("\"Domain,Public\"", "Domain, Public")]
        [InlineData("\"Public\"", "Public")]
        [InlineData("\"Any\"", null)]
        [InlineData("\"All\"", null)]
        [InlineData("\"Domain, Private, Public\"", null)]
        [InlineData("[\"Private\", \"Public\"]", "Private, Public")]
        [InlineData("null", null)]
        // The flag numbers Windows PowerShell 5.1 writes.
        [InlineData("1", "Domain")]
        [InlineData("2", "Private")]
        [InlineData("4", "Public")]
        [InlineData("3", "Domain, Private")]
        [InlineData("5", "Domain, Public")]
        [InlineData("6", "Private, Public")]
        [InlineData("7", null)]
        [InlineData("0", null)]
        [InlineData("65535", null)]
        // A hand-made array of flag numbers.
        [InlineData("[1, 4]", "Domain, Public")]
        [InlineData("[2]", "Private")]
        public void Json_profiles_are_read_as_names_or_flag_numbers(string json, string? expected)
        {
            var rule = FirewallRuleSetReader.ReadText(JsonRule(json), "p.json").Rules.Single();
            Assert.Equal(expected, rule.Profiles);
        }

        [Theory]
        [InlineData("Domain", "Domain")]
        [InlineData("Domain,Private", "Domain, Private")]
        [InlineData("Private,Public", "Private, Public")]
        [InlineData("Domain,Private,Public", null)]
        [InlineData("Any", null)]
        public void Netsh_profiles_are_read(string text, string? expected)
        {
            var set = FirewallRuleSetReader.ReadText(NetshRule(text), "p.txt");
            Assert.Equal(RuleSetFormat.Netsh, set.Format);
            Assert.Equal(expected, set.Rules.Single().Profiles);
        }

        [Theory]
        [InlineData("\"Office\"", "Office")]
        [InlineData("8", "8")]
        [InlineData("\"Domain, Home\"", "Domain, Home")]
        public void A_profile_value_not_understood_is_a_parse_error_at_its_place(string json, string quoted)
        {
            var e = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadText(JsonRule(json), "p.json"));
            Assert.Equal("FirewallParseError", e.Error.ErrorId);
            Assert.Equal("p.json:1:80", e.Error.Target);
            Assert.Contains("'" + quoted + "'", e.Message);
            var n = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadText(NetshRule("Domain,Office"), "p.txt"));
            Assert.Equal("p.txt:5:1", n.Error.Target);
        }

        public static TheoryData<string, bool> ProfileOracles() => new TheoryData<string, bool>
        {
            { "windows-profiles.json", true },
            { "windows-profiles-netsh.txt", false },
        };

        /// <summary>windows-profiles.flows.csv: one row per flow and profile (empty: imported without a profile).</summary>
        [Theory]
        [MemberData(nameof(ProfileOracles))]
        public void Each_profile_gets_its_own_verdicts(string file, bool lines)
        {
            int n = 0;
            foreach (var group in Corpus.Flows("windows-profiles.flows.csv").GroupBy(r => r["Profile"]))
            {
                WindowsFirewallProfile? profile = group.Key.Length == 0 ? null : (WindowsFirewallProfile?)Enum.Parse(typeof(WindowsFirewallProfile), group.Key);
                var set = FirewallRuleSetReader.ReadFile(Corpus.PathOf(file), RuleSetFormat.Auto, profile);
                Assert.Equal(profile, set.Profile);
                var evaluator = new FlowEvaluator(set);
                foreach (var row in group)
                {
                    var direction = (ChainHook)Enum.Parse(typeof(ChainHook), row["Direction"]);
                    var packet = Corpus.Packet(row["Source"], row["Destination"], int.Parse(row["Port"], CultureInfo.InvariantCulture), row["Protocol"], inInterface: null);
                    var result = evaluator.Evaluate(new FlowQuery(packet, direction));
                    var what = $"{file} [{group.Key}] {string.Join(",", row.Values)} -> {result.Verdict} by {result.DecidingRule?.Id ?? "policy"}";
                    Assert.True(row["Verdict"] == result.Verdict.ToString(), what);
                    Assert.True(row["Rule"] == (result.ByPolicy ? "policy" : result.DecidingRule?.Id), what);
                    Assert.True(result.Certain, what);
                    Assert.Equal(profile, result.Profile);
                    if (lines && row["Line"].Length > 0) Assert.True(int.Parse(row["Line"], CultureInfo.InvariantCulture) == result.DecidingRule!.Source.Line, what);
                    n++;
                }
            }
            Assert.True(n >= 20);
        }

        [Fact]
        public void Rdp_from_the_office_is_allowed_for_Domain_and_blocked_for_Public()
        {
            var rdp = new FlowQuery(Corpus.Packet("10.20.1.5", "10.20.0.10", 3389, inInterface: null), ChainHook.Input);
            var domain = new FlowEvaluator(FirewallRuleSetReader.ReadFile(Corpus.PathOf("windows-profiles.json"), RuleSetFormat.Auto, WindowsFirewallProfile.Domain)).Evaluate(rdp);
            var @public = new FlowEvaluator(FirewallRuleSetReader.ReadFile(Corpus.PathOf("windows-profiles.json"), RuleSetFormat.Auto, WindowsFirewallProfile.Public)).Evaluate(rdp);
            Assert.Equal(FlowVerdict.Accept, domain.Verdict);
            Assert.Equal("Remote Desktop (domain network only)", domain.DecidingRule!.Comment);
            Assert.Equal(FlowVerdict.Drop, @public.Verdict);
            Assert.Equal("No Remote Desktop on public networks", @public.DecidingRule!.Comment);
        }

        [Fact]
        public void With_a_profile_other_profiles_rules_are_kept_aside_with_their_numbers_and_the_warning_goes()
        {
            var all = Corpus.Load("windows-profiles.json");
            Assert.Null(all.Profile);
            Assert.Empty(all.InactiveRules);
            var warning = Assert.Single(all.Warnings, w => w.Contains("-Profile"));
            Assert.StartsWith("6 ", warning, StringComparison.Ordinal);
            var pub = FirewallRuleSetReader.ReadFile(Corpus.PathOf("windows-profiles.json"), RuleSetFormat.Auto, WindowsFirewallProfile.Public);
            Assert.Equal(WindowsFirewallProfile.Public, pub.Profile);
            Assert.DoesNotContain(pub.Warnings, w => w.Contains("-Profile"));
            Assert.Equal(new[] { "RDP-In-Domain", "SMB-In", "ICMP-Echo-In" }, pub.InactiveRules.Select(r => r.Text.Split(':')[0]).ToArray());
            Assert.Equal(new[] { "inet windows Inbound #2", "inet windows Inbound #3", "inet windows Inbound #6" }, pub.InactiveRules.Select(r => r.Id).ToArray());
            Assert.Equal("Domain, Private", pub.InactiveRules[1].Profiles);
            // The active rules keep the numbers they have when every profile counts.
            Assert.Equal(new[] { 1, 4, 5 }, pub.FindChain("inet", "windows", "Inbound")!.Rules.Select(r => r.Number).ToArray());
            Assert.Single(pub.DisabledRules);
            // The disabled rule (Private only) stays a disabled rule, whatever the profile.
            var domain = FirewallRuleSetReader.ReadFile(Corpus.PathOf("windows-profiles.json"), RuleSetFormat.Auto, WindowsFirewallProfile.Domain);
            Assert.Equal("FTP (disabled)", domain.DisabledRules.Single().Comment);
            Assert.Equal(new[] { "Block-RDP-Public", "Dev-8080-In", "Block-SMB-Out-Public" }, domain.InactiveRules.Select(r => r.Text.Split(':')[0]).ToArray());
        }

        [Fact]
        public void A_block_rule_only_in_Public_shadows_nothing_for_Domain()
        {
            // Every profile active: the Public-only block takes all of the Domain-only RDP allow.
            var all = FirewallAuditor.Audit(Corpus.Load("windows-profiles.json"));
            var shadow = Assert.Single(all, f => f.Kind == FindingKind.Shadowing);
            Assert.Equal("Remote Desktop (domain network only)", shadow.Rule!.Comment);
            Assert.Equal("No Remote Desktop on public networks", shadow.RelatedRules.Single().Comment);
            Assert.DoesNotContain(all, f => f.Kind == FindingKind.OtherProfileRule);

            var domain = FirewallAuditor.Audit(FirewallRuleSetReader.ReadFile(Corpus.PathOf("windows-profiles.json"), RuleSetFormat.Auto, WindowsFirewallProfile.Domain));
            Assert.DoesNotContain(domain, f => f.Kind == FindingKind.Shadowing);
            Assert.All(domain, f => Assert.Equal(WindowsFirewallProfile.Domain, f.Profile));
            var other = domain.Where(f => f.Kind == FindingKind.OtherProfileRule).ToList();
            Assert.Equal(3, other.Count);
            Assert.All(other, f => Assert.Equal(FindingSeverity.Info, f.Severity));
            var block = other.Single(f => f.Rule!.Comment == "No Remote Desktop on public networks");
            Assert.Equal("inet windows Inbound #1", block.RuleId);
            Assert.Contains("Public", block.Explanation);
            Assert.Contains("Domain", block.Explanation);
            Assert.Contains("-Profile Public", block.Recommendation);
            Assert.EndsWith("windows-profiles.json:30:5 ([2])", block.Source);
        }

        [Fact]
        public void A_profile_on_a_format_without_profiles_is_refused_before_parsing()
        {
            var e = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadFile(Corpus.PathOf("host-iptables.rules"), RuleSetFormat.Auto, WindowsFirewallProfile.Domain));
            Assert.Equal("FirewallProfileNotApplicable", e.Error.ErrorId);
            Assert.Equal(TssrErrorCategory.InvalidArgument, e.Error.Category);
            Assert.EndsWith("host-iptables.rules", (string)e.Error.Target!);
            Assert.Contains("IptablesSave", e.Message);
            Assert.Contains("host-iptables.rules", e.Message);
            Assert.NotNull(e.Error.RecommendedAction);
            // Refused even when the text would not parse: the format alone decides.
            var bad = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadText("*filter\n-A NOWHERE", "x.rules", RuleSetFormat.Auto, WindowsFirewallProfile.Public));
            Assert.Equal("FirewallProfileNotApplicable", bad.Error.ErrorId);
        }

        [Fact]
        public void Rule_sets_of_two_profiles_compare_as_the_traffic_the_profiles_decide_differently()
        {
            var domain = FirewallRuleSetReader.ReadFile(Corpus.PathOf("windows-profiles.json"), RuleSetFormat.Auto, WindowsFirewallProfile.Domain);
            var @public = FirewallRuleSetReader.ReadFile(Corpus.PathOf("windows-profiles.json"), RuleSetFormat.Auto, WindowsFirewallProfile.Public);
            var changes = RuleSetComparer.Compare(domain, @public);
            Assert.Contains(changes, c => c.Change == TrafficChangeKind.NewlyBlocked && c.DestinationPort == "3389" && c.Source == "10.20.0.0/16");
            Assert.Contains(changes, c => c.Change == TrafficChangeKind.NewlyAllowed && c.DestinationPort == "8080");
            Assert.Contains(changes, c => c.Change == TrafficChangeKind.NewlyBlocked && c.Direction == ChainHook.Output && c.DestinationPort == "445");
            Assert.Empty(RuleSetComparer.Compare(domain, FirewallRuleSetReader.ReadFile(Corpus.PathOf("windows-profiles-netsh.txt"), RuleSetFormat.Auto, WindowsFirewallProfile.Domain)));
        }

        // ---- property: rules outside the evaluated profile never decide -----------------------------

        private static readonly string[][] ProfileSpellings =
        {
            new[] { "0", "\"Any\"", "\"All\"", "7", "\"Domain, Private, Public\"" },
            new[] { "1", "\"Domain\"" },
            new[] { "2", "\"Private\"" },
            new[] { "3", "\"Domain, Private\"", "\"Domain,Private\"", "[\"Domain\",\"Private\"]" },
            new[] { "4", "\"Public\"" },
            new[] { "5", "\"Domain, Public\"", "\"Domain,Public\"" },
            new[] { "6", "\"Private, Public\"", "[\"Private\",\"Public\"]" },
        };

        [Property(MaxTest = 150, Arbitrary = new[] { typeof(WindowsFirewallTests) })]
        public bool Rules_outside_the_profile_never_change_a_verdict(int[] seed)
        {
            int k = 0;
            int Next(int n) => (int)((uint)seed[k++ % seed.Length] % (uint)n);
            var rules = new List<(R Rule, int Mask)>();
            var json = new StringBuilder("[");
            int count = 1 + Next(8);
            for (int i = 0; i < count; i++)
            {
                var r = new R { Block = Next(2) == 0, Enabled = Next(5) > 0, Tcp = Next(2) == 0, Port = Next(3) == 0 ? (int?)null : 1 + Next(3), Remote = Remotes[Next(Remotes.Length)] };
                int kind = Next(ProfileSpellings.Length);
                int mask = kind == 0 ? 7 : kind;
                var spellings = ProfileSpellings[kind];
                rules.Add((r, mask));
                if (i > 0) json.Append(',');
                json.Append(string.Format(CultureInfo.InvariantCulture,
                    "{{\"Name\":\"r{0}\",\"Enabled\":{1},\"Direction\":\"Inbound\",\"Action\":\"{2}\",\"Profile\":{6},\"Protocol\":\"{3}\",\"LocalPort\":\"{4}\",\"RemotePort\":\"Any\",\"LocalAddress\":\"Any\",\"RemoteAddress\":\"{5}\"}}",
                    i, r.Enabled ? "true" : "false", r.Block ? "Block" : "Allow", r.Tcp ? "TCP" : "UDP", r.Port?.ToString(CultureInfo.InvariantCulture) ?? "Any", r.Remote,
                    spellings[Next(spellings.Length)]));
            }
            json.Append(']');
            foreach (var profile in new[] { WindowsFirewallProfile.Domain, WindowsFirewallProfile.Private, WindowsFirewallProfile.Public })
            {
                var set = FirewallRuleSetReader.ReadText(json.ToString(), "p.json", RuleSetFormat.Auto, profile);
                var evaluator = new FlowEvaluator(set);
                var mine = rules.Where(t => (t.Mask & (int)profile) != 0).Select(t => t.Rule).ToList();
                for (int s = 0; s < 4; s++)
                    foreach (var tcp in new[] { true, false })
                        for (int port = 1; port <= 4; port++)
                        {
                            var p = Corpus.Packet("10.0.0." + s.ToString(CultureInfo.InvariantCulture), "10.9.9.9", port, tcp ? "tcp" : "udp", inInterface: null);
                            if (evaluator.Evaluate(new FlowQuery(p, ChainHook.Input)).Verdict != Windows(mine, s, tcp, port)) return false;
                        }
            }
            return true;
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
