using System;
using System.Linq;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;
using Tssr.Tools.Engine.Firewall.Parsers;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    public class IptablesParserTests
    {
        [Fact]
        public void Reads_tables_policies_user_chains_and_keeps_file_and_line()
        {
            var set = Corpus.Load("host-iptables.rules");
            Assert.Equal(RuleSetFormat.IptablesSave, set.Format);
            var input = set.FindChain("ip", "filter", "INPUT")!;
            Assert.Equal(RuleAction.Drop, input.Policy);
            Assert.Equal(ChainHook.Input, input.Hook);
            Assert.Equal(8, input.Source.Line);
            var ssh = set.FindChain("ip", "filter", "SSH_IN")!;
            Assert.False(ssh.IsBase);
            Assert.Equal(3, ssh.Rules.Count);
            Assert.Equal(RuleAction.Return, ssh.Rules[2].Action);
            Assert.Equal(27, ssh.Rules[2].Source.Line);
            Assert.Equal("OpenVPN clients", ssh.Rules[1].Comment);
            var jump = input.Rules.Single(r => r.Target == "SSH_IN");
            Assert.Equal(RuleAction.Jump, jump.Action);
            Assert.Equal(19, jump.Source.Line);
            Assert.Equal(14L, jump.Packets);
            Assert.NotNull(set.FindChain("ip", "raw", "PREROUTING"));
        }

        [Fact]
        public void Negation_is_the_exact_complement()
        {
            var set = Corpus.Load("host-iptables.rules");
            var reject = set.FindChain("ip", "filter", "INPUT")!.Rules.Single(r => r.Action == RuleAction.Reject);
            var src = reject.Match.SourceV4!;
            Assert.Equal(2, src.Count);
            Assert.False(src.Contains(Addr("192.168.0.0")));
            Assert.False(src.Contains(Addr("192.168.255.255")));
            Assert.True(src.Contains(Addr("192.167.255.255")));
            Assert.True(src.Contains(Addr("192.169.0.0")));
            Assert.True(reject.IsAnalysed);
        }

        [Fact]
        public void Multiport_iprange_and_states_become_intervals()
        {
            var set = Corpus.Load("host-iptables.rules");
            var input = set.FindChain("ip", "filter", "INPUT")!;
            var web = input.Rules.Single(r => r.Target == "WEB_IN");
            Assert.Equal("80,443", web.Match.DestinationPorts!.ToString());
            var snmp = input.Rules.Single(r => r.Source.Line == 21);
            Assert.True(snmp.Match.SourceV4!.Contains(Addr("192.168.10.50")));
            Assert.True(snmp.Match.SourceV4!.Contains(Addr("192.168.10.59")));
            Assert.False(snmp.Match.SourceV4!.Contains(Addr("192.168.10.60")));
            var established = input.Rules[1];
            Assert.True(established.Match.States!.Contains((ulong)ConnState.Established));
            Assert.False(established.Match.States!.Contains((ulong)ConnState.New));
        }

        [Fact]
        public void Unknown_matches_are_kept_as_not_analysed_never_dropped()
        {
            var set = Corpus.FromText("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m set --match-set blocklist src -j DROP\n-A INPUT -p tcp -m recent --update --seconds 60 --name ssh -m tcp --dport 22 -j DROP\nCOMMIT\n");
            var rules = set.FindChain("ip", "filter", "INPUT")!.Rules;
            Assert.Contains("--match-set blocklist src", rules[0].NotAnalysed.Single());
            Assert.False(rules[1].IsAnalysed);
            Assert.Equal("22", rules[1].Match.DestinationPorts!.ToString());
        }

        [Fact]
        public void Ip6tables_output_is_recognised_by_its_header()
        {
            var set = Corpus.Load("anomalies.rules");
            Assert.NotNull(set.FindChain("ip6", "filter", "INPUT"));
            Assert.Equal(FamilySet.Ipv6, set.FindChain("ip6", "filter", "INPUT")!.Families);
        }

        private static U128 Addr(string a) { Addresses.TryParseAddress(a, out _, out var v); return v; }
    }

    public class NftJsonParserTests
    {
        [Fact]
        public void Reads_real_nft_json_with_sets_vmaps_and_jumps()
        {
            var set = Corpus.Load("host-nft.json");
            Assert.Equal(RuleSetFormat.NftJson, set.Format);
            var input = set.FindChain("inet", "filter", "input")!;
            Assert.Equal(RuleAction.Drop, input.Policy);
            Assert.Equal(ChainHook.Input, input.Hook);
            // The vmap is read as one part per element, all numbered as the one rule the kernel counts.
            var vmap = input.Rules.Where(r => r.Element != null).ToList();
            Assert.Equal(3, vmap.Count);
            Assert.Single(vmap.Select(r => r.Number).Distinct());
            Assert.Equal("22 : jump ssh_in", vmap[0].Element);
            Assert.Equal("ssh_in", vmap[0].Target);
            // The named set is resolved, not left as a reference.
            var admin = set.FindChain("inet", "filter", "ssh_in")!.Rules[0];
            Assert.True(admin.IsAnalysed);
            Assert.Equal(FamilySet.Ipv4, admin.Match.Families);
            Assert.Equal(2, admin.Match.SourceV4!.Count);
            // nat chains are read but do not filter.
            Assert.False(set.FindChain("ip", "nat", "prerouting")!.Filters);
            Assert.All(set.Rules, r => Assert.Equal(1, r.Source.Line));
            Assert.All(set.Rules, r => Assert.True(r.Source.Column > 0));
        }

        [Fact]
        public void Not_equal_on_an_address_is_a_complement_and_keeps_the_family()
        {
            var set = Corpus.Load("host-nft.json");
            var reject = set.FindChain("inet", "filter", "input")!.Rules.Single(r => r.Action == RuleAction.Reject);
            Assert.Equal(FamilySet.Ipv4, reject.Match.Families);
            Assert.Equal(2, reject.Match.SourceV4!.Count);
        }
    }

    public class FlowOracleTests
    {
        public static TheoryData<string, string> Oracles() => new TheoryData<string, string>
        {
            { "host-iptables.rules", "host-iptables.flows.csv" },
            { "host-nft.json", "host-nft.flows.csv" },
            { "host-nft.nft", "host-nft.flows.csv" },
            { "windows-rules.json", "windows-rules.flows.csv" },
            { "windows-netsh.txt", "windows-netsh.flows.csv" },
            { "pfsense-config.xml", "pfsense-config.flows.csv" },
        };

        [Theory]
        [MemberData(nameof(Oracles))]
        public void Every_flow_of_the_oracle_gets_its_verdict_and_deciding_line(string rules, string flows)
        {
            var set = Corpus.Load(rules);
            var evaluator = new FlowEvaluator(set);
            int n = 0;
            foreach (var row in Corpus.Flows(flows))
            {
                var direction = (ChainHook)Enum.Parse(typeof(ChainHook), row["Direction"]);
                var iface = row["Interface"].Length == 0 ? null : row["Interface"];
                var packet = Corpus.Packet(row["Source"], row["Destination"], int.Parse(row["Port"]), row["Protocol"],
                    (ConnState)Enum.Parse(typeof(ConnState), row["State"]), direction == ChainHook.Output ? null : iface, direction == ChainHook.Output ? iface : null);
                var result = evaluator.Evaluate(new FlowQuery(packet, direction));
                var what = $"{rules}: {string.Join(",", row.Values)} -> {result.Verdict} at {result.Source} via {string.Join(" / ", result.Path)}";
                Assert.True(row["Verdict"] == result.Verdict.ToString(), what);
                if (row.TryGetValue("Rule", out var expectedRule))
                    Assert.True(expectedRule == (result.ByPolicy ? "policy" : result.DecidingRule?.Id), what);
                if (row.TryGetValue("Line", out var expectedLine) && expectedLine.Length > 0)
                {
                    var line = result.ByPolicy ? result.DecidingChain == null ? 0 : set.Chains.First(c => c.Key == result.DecidingChain).Source.Line : result.DecidingRule!.Source.Line;
                    Assert.True(int.Parse(expectedLine) == line, what);
                }
                if (row.TryGetValue("Certain", out var certain) && certain.Length > 0) Assert.Equal(bool.Parse(certain), result.Certain);
                n++;
            }
            Assert.True(n >= 5);
        }
    }
}
