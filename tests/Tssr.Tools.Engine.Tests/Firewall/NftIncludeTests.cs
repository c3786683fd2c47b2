using System;
using System.IO;
using System.Linq;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;
using Tssr.Tools.Engine.Firewall.Parsers;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    /// <summary>nft text include "file" and include "dir/*.nft": resolved from the including file, each rule keeping its own file and line.</summary>
    public class NftIncludeTests
    {
        private static string Main => Path.Combine(Corpus.Directory, "nft-include", "nftables.conf");

        private static FlowResult Flow(FirewallRuleSet set, string source, int port)
            => new FlowEvaluator(set).Evaluate(new FlowQuery(Corpus.Packet(source, "192.0.2.10", port), ChainHook.Input));

        [Fact]
        public void Included_files_are_read_in_name_order_and_each_rule_keeps_its_file_and_line()
        {
            var set = FirewallRuleSetReader.ReadFile(Main);
            Assert.Equal(RuleSetFormat.NftText, set.Format);
            var input = set.Chains.Single(c => c.Name == "input");
            Assert.Equal(new[] { "nftables.conf:10", "nftables.conf:11", "10-ssh.nft:2", "20-web.nft:2", "20-web.nft:3" },
                input.Rules.Select(r => Path.GetFileName(r.Source.File) + ":" + r.Source.Line).ToArray());
            Assert.Equal(Path.Combine(Corpus.Directory, "nft-include", "rules.d", "10-ssh.nft"), input.Rules[2].Source.File);
            // A variable defined in an included file is known to the files included after it.
            var ssh = Flow(set, "10.8.1.1", 22);
            Assert.Equal(FlowVerdict.Accept, ssh.Verdict);
            Assert.EndsWith("10-ssh.nft:2:1", ssh.Source);
            Assert.Equal(FlowVerdict.Drop, Flow(set, "192.0.2.7", 22).Verdict);
            Assert.Equal(FlowVerdict.Reject, Flow(set, "192.0.2.7", 3306).Verdict);
            // Hidden files are not matched by a pattern, as with nft.
            Assert.Equal(FlowVerdict.Drop, Flow(set, "192.0.2.7", 23).Verdict);
            Assert.Empty(set.Warnings);
        }

        [Fact]
        public void An_include_loop_is_an_error_naming_the_file_and_line()
        {
            var loop = Path.Combine(Corpus.Directory, "nft-include", "loop", "a.nft");
            var e = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadFile(loop));
            Assert.Equal("FirewallIncludeLoop", e.Error.ErrorId);
            Assert.EndsWith("b.nft:3", (string)e.Error.Target!);
            Assert.Contains("a.nft -> ", e.Message);
            Assert.Contains("b.nft -> ", e.Message);
        }

        [Fact]
        public void A_missing_file_is_an_error_a_pattern_matching_nothing_a_warning()
        {
            var dir = Path.Combine(Path.GetTempPath(), "tssr-nft-include-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(dir);
            try
            {
                var table = "table inet t {\n chain c {\n  type filter hook input priority 0; policy drop;\n }\n}\n";
                var main = Path.Combine(dir, "main.nft");
                File.WriteAllText(main, "# comment\ninclude \"missing.nft\"\n" + table);
                var e = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadFile(main));
                Assert.Equal("FirewallIncludeNotFound", e.Error.ErrorId);
                Assert.Equal(main + ":2", e.Error.Target);
                Assert.Contains(Path.Combine(dir, "missing.nft"), e.Message);

                File.WriteAllText(main, "include \"empty.d/*.nft\"\n" + table);
                var set = FirewallRuleSetReader.ReadFile(main);
                Assert.Contains(set.Warnings, w => w.Contains("empty.d/*.nft") && w.Contains(main + ":1"));

                // An absolute path is read as written.
                File.WriteAllText(Path.Combine(dir, "abs.nft"), "define port = 22\n");
                File.WriteAllText(main, "include \"" + Path.Combine(dir, "abs.nft") + "\"\ntable inet t {\n chain c {\n  type filter hook input priority 0; policy drop;\n  tcp dport $port accept\n }\n}\n");
                var absolute = FirewallRuleSetReader.ReadFile(main);
                Assert.Equal(22UL, absolute.Rules.Single().Match.DestinationPorts!.Intervals[0].Start.Low);
                // ... and said to be read from this machine, which is wrong for a copied configuration.
                Assert.Contains(absolute.Warnings, w => w.Contains(Path.Combine(dir, "abs.nft")) && w.Contains("absolute path") && w.Contains(main + ":1"));
                Assert.DoesNotContain(set.Warnings, w => w.Contains("absolute path"));

                // Nested deeper than nft allows.
                for (int i = 0; i < NftTextParser.MaxIncludeDepth + 2; i++)
                    File.WriteAllText(Path.Combine(dir, "n" + i + ".nft"), "include \"n" + (i + 1) + ".nft\"\n");
                File.WriteAllText(Path.Combine(dir, "n" + (NftTextParser.MaxIncludeDepth + 2) + ".nft"), table);
                File.WriteAllText(main, "include \"n0.nft\"\n");
                var deep = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadFile(main));
                Assert.Equal("FirewallIncludeTooDeep", deep.Error.ErrorId);

                // A parse error inside an included file names that file.
                File.WriteAllText(Path.Combine(dir, "bad.nft"), "\n\n  tcp dport\n");
                File.WriteAllText(main, "table inet t {\n chain c {\n  type filter hook input priority 0; policy drop;\n  include \"bad.nft\"\n }\n}\n");
                var bad = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadFile(main));
                Assert.Equal("FirewallParseError", bad.Error.ErrorId);
                Assert.StartsWith(Path.Combine(dir, "bad.nft") + ":3", (string)bad.Error.Target!);
            }
            finally { System.IO.Directory.Delete(dir, true); }
        }

        [Fact]
        public void A_wildcard_include_hands_no_wildcard_to_GetFullPath_as_on_the_dotnet_framework()
        {
            // .NET Framework's Path.GetFullPath throws ArgumentException on '*' and '?' (FileIOPermission checks):
            // only the part before the first wildcard component may go through it.
            static string Framework(string path)
            {
                if (path.IndexOfAny(new[] { '*', '?' }) >= 0) throw new ArgumentException("Illegal characters in path.");
                return Path.GetFullPath(path);
            }
            var baseDir = Path.Combine(Path.GetTempPath(), "a", "..", "b");
            var expected = Path.Combine(Path.GetFullPath(Path.Combine(Path.GetTempPath(), "b")), "rules.d", "*.nft");
            Assert.Equal(expected, NftTextParser.FullPattern(Path.Combine(baseDir, "rules.d", "*.nft"), Framework));
            Assert.Equal(Path.Combine(Path.GetFullPath(Path.Combine(Path.GetTempPath(), "b")), "r?", "x[0-9].nft"),
                NftTextParser.FullPattern(Path.Combine(baseDir, "r?", "x[0-9].nft"), Framework));
            var root = Path.GetPathRoot(Path.GetTempPath())!;
            Assert.Equal(Path.Combine(root, "*.nft"), NftTextParser.FullPattern(Path.Combine(root, "*.nft"), Framework));
            Assert.Equal(Path.GetFullPath(Path.Combine(baseDir, "x.nft")), NftTextParser.FullPattern(Path.Combine(baseDir, "x.nft"), Framework));

            // And read for real: ".." before the pattern is resolved, each match read once.
            var dir = Path.Combine(Path.GetTempPath(), "tssr-nft-include-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(Path.Combine(dir, "rules.d"));
            System.IO.Directory.CreateDirectory(Path.Combine(dir, "other"));
            try
            {
                File.WriteAllText(Path.Combine(dir, "rules.d", "10-ssh.nft"), "tcp dport 22 accept\n");
                var main = Path.Combine(dir, "main.nft");
                File.WriteAllText(main, "table inet t {\n chain c {\n  type filter hook input priority 0; policy drop;\n  include \"other/../rules.d/*.nft\"\n }\n}\n");
                var set = FirewallRuleSetReader.ReadFile(main);
                Assert.Equal(Path.Combine(dir, "rules.d", "10-ssh.nft"), set.Rules.Single().Source.File);
            }
            finally { System.IO.Directory.Delete(dir, true); }
        }

        [Fact]
        public void An_include_pulling_in_too_many_files_is_refused_naming_the_include()
        {
            var dir = Path.Combine(Path.GetTempPath(), "tssr-nft-include-" + Guid.NewGuid().ToString("N"));
            var many = Path.Combine(dir, "many");
            System.IO.Directory.CreateDirectory(many);
            try
            {
                for (int i = 0; i <= NftTextParser.MaxIncludedFiles; i++)
                    File.WriteAllText(Path.Combine(many, i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + ".nft"), "");
                var main = Path.Combine(dir, "main.nft");
                File.WriteAllText(main, "# fan-out\ninclude \"many/*.nft\"\n");
                var e = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadFile(main));
                Assert.Equal("FirewallInputTooLarge", e.Error.ErrorId);
                Assert.Equal(main + ":2", e.Error.Target);
                Assert.Contains("many/*.nft", e.Message);
                Assert.Contains("10000", e.Message);
            }
            finally { System.IO.Directory.Delete(dir, true); }
        }

        [Fact]
        public void A_pattern_too_slow_to_match_is_a_clean_error_naming_the_include()
        {
            var dir = Path.Combine(Path.GetTempPath(), "tssr-nft-include-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(dir);
            try
            {
                File.WriteAllText(Path.Combine(dir, new string('a', 200) + ".nft"), "");
                var main = Path.Combine(dir, "main.nft");
                var pattern = string.Concat(Enumerable.Repeat("*a", 12)) + "*b.nft";
                File.WriteAllText(main, "include \"" + pattern + "\"\n");
                var e = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadFile(main));
                Assert.Equal("FirewallIncludeNotFound", e.Error.ErrorId);
                Assert.Equal(main + ":1", e.Error.Target);
                Assert.Contains(pattern, e.Message);
            }
            finally { System.IO.Directory.Delete(dir, true); }
        }

        [Fact]
        public void Include_loops_compare_paths_as_the_file_system_does()
        {
            bool windowsOrMac = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
                || System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX);
            Assert.Equal(windowsOrMac ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal, NftTextParser.PathComparison);
            var dir = Path.Combine(Path.GetTempPath(), "tssr-nft-include-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(dir);
            try
            {
                var main = Path.Combine(dir, "Self.nft");
                File.WriteAllText(main, "include \"self.nft\"\n");
                var e = Assert.Throws<TssrException>(() => FirewallRuleSetReader.ReadFile(main));
                if (File.Exists(Path.Combine(dir, "SELF.NFT")))
                {
                    // A case-insensitive file system: the same file, a loop found at the first include.
                    Assert.Equal("FirewallIncludeLoop", e.Error.ErrorId);
                    Assert.Equal(main + ":1", e.Error.Target);
                }
                else Assert.Equal("FirewallIncludeNotFound", e.Error.ErrorId); // another file, which does not exist
            }
            finally { System.IO.Directory.Delete(dir, true); }
        }

        [Fact]
        public void The_live_listing_never_reads_files()
        {
            var e = Assert.Throws<TssrException>(() => NftTextParser.Parse("include \"/etc/passwd\"\n", "nft list ruleset", false, default));
            Assert.Equal("FirewallParseError", e.Error.ErrorId);
            Assert.Equal("nft list ruleset:1:1", e.Error.Target);
        }
    }
}
