using System.Globalization;
using System.Linq;
using Tssr.Tools.Engine.Firewall;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Firewall
{
    /// <summary>Issue 15: counted texts in the singular, list properties with a readable text form.</summary>
    public class FirewallTextFormTests
    {
        [Theory]
        [InlineData("", "1 rule applies only to some profiles", "3 rules apply only to some profiles")]
        [InlineData("fr-FR", "1 règle ne s’applique qu’à certains profils", "3 règles ne s’appliquent qu’à certains profils")]
        public void A_count_of_one_reads_in_the_singular(string culture, string one, string three)
        {
            var saved = CultureInfo.CurrentUICulture;
            try
            {
                CultureInfo.CurrentUICulture = new CultureInfo(culture);
                Assert.StartsWith(one, FirewallText.Count("Warning_WinProfile", 1, 1, "Domain"));
                Assert.StartsWith(three, FirewallText.Count("Warning_WinProfile", 3, 3, "Domain"));
                foreach (var key in new[] { "Explain_Correlation", "Explain_Generalisation", "Explain_Shadowed", "Warning_PfNatKind" })
                {
                    var text = FirewallText.Count(key, 1, "r1", 1, "r2");
                    Assert.DoesNotContain("(s)", text);
                }
            }
            finally { CultureInfo.CurrentUICulture = saved; }
        }

        [Fact]
        public void Flow_and_finding_lists_have_text_forms()
        {
            var set = Corpus.FromText("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:SSH - [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j SSH\n-A SSH -s 10.0.0.0/8 -j ACCEPT\n-A INPUT -p tcp -m limit --limit 1/s -j ACCEPT\nCOMMIT\n", "rules.v4");
            var r = new FlowEvaluator(set).Evaluate(new FlowQuery(Corpus.Packet("192.0.2.9", "192.0.2.1", 22), ChainHook.Input));
            Assert.Contains(" | ", r.PathText);
            Assert.Equal(string.Join(", ", r.PossibleVerdicts), r.PossibleVerdicts.ToString());
            Assert.Contains("rules.v4:8", r.NotAnalysedRuleText);
            Assert.DoesNotContain("System.", r.Path.ToString());
        }

        [Fact]
        public void Every_flow_result_type_reads_as_text()
        {
            var set = Corpus.FromText("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp -m limit --limit 1/s -j ACCEPT\nCOMMIT\n", "rules.v4");
            var query = new FlowQuery(Corpus.Packet("192.0.2.9", "192.0.2.1", 22), ChainHook.Input);
            Assert.Equal("Input: " + query.Packet, query.ToString());
            var accepted = new FlowEvaluator(set).Evaluate(query);
            Assert.Equal("Accept (certain): Input " + query.Packet + " by ip filter INPUT #1 (rules.v4:5)", accepted.ToString());
            var open = new FlowEvaluator(set).Evaluate(new FlowQuery(Corpus.Packet("192.0.2.9", "192.0.2.1", 80), ChainHook.Input));
            Assert.StartsWith("Undetermined (Accept or Drop): Input ", open.ToString());
            Assert.Equal("rules.v4 (IptablesSave): 3 chains, 2 rules", set.ToString());
            var one = Corpus.FromText("*filter\n:INPUT DROP [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n", "one.v4");
            Assert.EndsWith(": 1 chain, 1 rule", one.ToString());
        }
    }
}
