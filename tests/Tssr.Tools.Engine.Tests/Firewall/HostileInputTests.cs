using System;
using System.IO;
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
using Interval = Tssr.Tools.Engine.Firewall.Model.Interval;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    public class HostileInputTests
    {
        private static TssrException Fails(Action read)
        {
            var e = Assert.ThrowsAny<Exception>(read);
            return Assert.IsType<TssrException>(e);
        }

        [Fact]
        public void A_truncated_iptables_save_file_is_a_parse_error_with_file_and_line()
        {
            var e = Fails(() => Corpus.Load("hostile/truncated-iptables.rules"));
            Assert.Equal("FirewallParseError", e.Error.ErrorId);
            Assert.EndsWith("truncated-iptables.rules:20", (string)e.Error.Target!);
            Assert.Contains("COMMIT", e.Message);
            Assert.NotNull(e.Error.RecommendedAction);
        }

        [Fact]
        public void A_truncated_nft_json_file_is_a_parse_error_with_line_and_column()
        {
            var e = Fails(() => Corpus.Load("hostile/truncated-nft.json"));
            Assert.Equal("FirewallParseError", e.Error.ErrorId);
            Assert.Matches(@"truncated-nft\.json:1:\d+$", (string)e.Error.Target!);
        }

        [Theory]
        [InlineData("hostile/billion-laughs.xml")]
        [InlineData("hostile/external-entity.xml")]
        public void Dtds_and_entities_in_config_xml_are_refused(string file)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var e = Fails(() => Corpus.Load(file));
            Assert.Equal("FirewallDtdProhibited", e.Error.ErrorId);
            Assert.Equal(TssrErrorCategory.SecurityError, e.Error.Category);
            Assert.True(watch.Elapsed.TotalSeconds < 5);
        }

        [Fact]
        public void An_alias_loop_is_refused_with_the_alias_line_and_the_cycle()
        {
            var e = Fails(() => Corpus.Load("hostile/alias-loop.xml"));
            Assert.Equal("FirewallAliasLoop", e.Error.ErrorId);
            Assert.Matches(@"alias-loop\.xml:(7|12)$", (string)e.Error.Target!);
            Assert.Contains("servers -> web_farm -> servers", e.Message);
        }

        [Fact]
        public void Unknown_nft_keys_are_warnings_or_not_analysed_never_silently_dropped()
        {
            var set = Corpus.Load("hostile/unknown-keys.json");
            Assert.Contains(set.Warnings, w => w.Contains("frobnicator") && w.Contains("unknown-keys.json:5"));
            var rules = set.FindChain("inet", "filter", "input")!.Rules;
            Assert.Equal(3, rules.Count);
            Assert.Contains("quantum-entangle", rules[0].NotAnalysed.Single());
            Assert.Contains("osf", rules[1].NotAnalysed.Single());
            Assert.True(rules[2].IsAnalysed);
            // The unmodelled rule does not make the analysis claim what it cannot know.
            var flow = new FlowEvaluator(set).Evaluate(new FlowQuery(Corpus.Packet("192.0.2.1", "192.0.2.2", 22), ChainHook.Input));
            Assert.False(flow.Certain);
            Assert.Equal(FlowVerdict.Undetermined, flow.Verdict);
            Assert.Contains(rules[0], flow.NotAnalysedRules);
        }

        [Fact]
        public void A_jump_loop_is_a_clean_error_naming_the_cycle()
        {
            var set = Corpus.Load("hostile/chain-loop.rules");
            var e = Fails(() => FirewallAuditor.Audit(set));
            Assert.Equal("FirewallChainLoop", e.Error.ErrorId);
            Assert.Contains("INPUT -> A -> B -> A", e.Message);
            Assert.EndsWith("chain-loop.rules:9", (string)e.Error.Target!);
        }

        [Fact]
        public void One_megabyte_lines_give_clean_errors_or_clean_results()
        {
            var garbage = new string('x', 1 << 20);
            var e1 = Fails(() => Corpus.FromText(garbage, "garbage.txt"));
            Assert.Equal("FirewallFormatUnknown", e1.Error.ErrorId);

            var longRule = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -s " + garbage + " -j ACCEPT\nCOMMIT\n";
            var e2 = Fails(() => Corpus.FromText(longRule, "long.rules"));
            Assert.Equal("FirewallParseError", e2.Error.ErrorId);
            Assert.Equal("long.rules:5:1", e2.Error.Target);
            Assert.True(e2.Message.Length < 1000, "the message quotes a shortened line");

            var longComment = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m comment --comment \"" + garbage + "\" -j ACCEPT\nCOMMIT\n";
            Assert.Equal(garbage, Corpus.FromText(longComment).Rules.Single().Comment);

            var longJson = "{\"nftables\": [{\"metainfo\": {\"note\": \"" + garbage + "\"}}]}";
            Assert.Empty(Corpus.FromText(longJson, "long.json").Chains);

            var deep = "{\"nftables\": " + new string('[', 100_000) + new string(']', 100_000) + "}";
            Assert.Equal("FirewallParseError", Fails(() => Corpus.FromText(deep, "deep.json")).Error.ErrorId);
        }

        [Fact]
        public void A_missing_file_has_its_own_error()
        {
            var e = Fails(() => FirewallRuleSetReader.ReadFile("/nonexistent/fw.rules"));
            Assert.Equal("FirewallFileNotFound", e.Error.ErrorId);
        }

        public static Arbitrary<(int, int, int)> Cuts() => Arb.From(
            from file in Gen.Choose(0, 3)
            from cut in Gen.Choose(0, 100_000)
            from flip in Gen.Choose(0, 1_000_000)
            select (file, cut, flip));

        private static readonly string[] Files = { "host-iptables.rules", "host-nft.json", "pfsense-config.xml", "anomalies.rules" };

        [Property(MaxTest = 300, Arbitrary = new[] { typeof(HostileInputTests) })]
        public bool Truncated_or_corrupted_corpus_files_only_ever_give_clean_errors((int File, int Cut, int Flip) c)
        {
            var text = File.ReadAllText(Corpus.PathOf(Files[c.File]));
            var cut = text.Substring(0, c.Cut % (text.Length + 1));
            var chars = cut.ToCharArray();
            if (chars.Length > 0 && c.Flip % 3 == 0) chars[c.Flip % chars.Length] = "{}[]\"<>!-:,/ x\n"[c.Flip % 15];
            try
            {
                var set = FirewallRuleSetReader.ReadText(new string(chars), Files[c.File]);
                FirewallAuditor.Audit(set);
                new FlowEvaluator(set).Evaluate(new FlowQuery(Corpus.Packet("192.0.2.1", "192.168.10.1", 22), ChainHook.Input));
                return true;
            }
            catch (TssrException)
            {
                return true;
            }
        }
    }

    public class IntervalSetTests
    {
        public static Arbitrary<(bool[], bool[])> Pairs() => Arb.From(
            from a in Gen.ArrayOf(Gen.Elements(true, false), 64)
            from b in Gen.ArrayOf(Gen.Elements(true, false), 64)
            select (a, b));

        private static IntervalSet Of(bool[] bits) => IntervalSet.From(Enumerable.Range(0, bits.Length).Where(i => bits[i]).Select(i => new Interval((ulong)i, (ulong)i)));

        [Property(MaxTest = 500, Arbitrary = new[] { typeof(IntervalSetTests) })]
        public bool Set_operations_agree_with_bit_sets((bool[] A, bool[] B) p)
        {
            var a = Of(p.A); var b = Of(p.B);
            U128 max = 63;
            for (int i = 0; i < 64; i++)
            {
                ulong v = (ulong)i;
                if (a.Union(b).Contains(v) != (p.A[i] || p.B[i])) return false;
                if (a.Intersect(b).Contains(v) != (p.A[i] && p.B[i])) return false;
                if (a.Complement(max).Contains(v) == p.A[i]) return false;
                if (a.Subtract(b, max).Contains(v) != (p.A[i] && !p.B[i])) return false;
            }
            bool subset = Enumerable.Range(0, 64).All(i => !p.A[i] || p.B[i]);
            bool overlap = Enumerable.Range(0, 64).Any(i => p.A[i] && p.B[i]);
            return a.IsSubsetOf(b) == subset && a.Overlaps(b) == overlap && a.Complement(max).Complement(max).Equals(a);
        }

        [Fact]
        public void Ipv6_complements_reach_the_top_of_the_space()
        {
            Assert.True(Addresses.TryParseNetwork("::/1", out _, out var low));
            var set = IntervalSet.Range(low.Start, low.End).Complement(U128.MaxValue);
            Assert.Equal("8000::/1", Addresses.Format(set, IpFamily.Ipv6));
            Assert.True(Addresses.TryParseNetwork("10.0.0.0/255.255.0.0", out var f, out var masked));
            Assert.Equal(IpFamily.Ipv4, f);
            Assert.Equal("10.0.0.0/16", Addresses.Format(IntervalSet.Range(masked.Start, masked.End), IpFamily.Ipv4));
            Assert.Equal("!10.0.0.0/8", Addresses.Format(IntervalSet.Range(new U128(0, 0x0A000000), new U128(0, 0x0AFFFFFF)).Complement(Addresses.Ipv4Max), IpFamily.Ipv4));
        }
    }
}
