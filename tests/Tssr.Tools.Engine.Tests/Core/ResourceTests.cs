using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Resources;
using Tssr.Tools.Engine.Core;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Core
{
    public class ResourceTests
    {
        private static readonly Assembly Engine = typeof(Localizer).Assembly;

        public static IEnumerable<object[]> ResourceFamilies()
            => Engine.GetManifestResourceNames()
                .Where(n => n.EndsWith(".resources"))
                .Select(n => new object[] { n.Substring(0, n.Length - ".resources".Length) });

        [Theory]
        [MemberData(nameof(ResourceFamilies))]
        public void Every_message_exists_in_English_and_French_with_the_same_placeholders(string baseName)
        {
            var manager = new ResourceManager(baseName, Engine);
            var english = Read(manager, CultureInfo.InvariantCulture);
            var french = Read(manager, new CultureInfo("fr-FR"), onlyThisCulture: true);

            Assert.NotEmpty(english);
            Assert.Equal(english.Keys.OrderBy(k => k), french.Keys.OrderBy(k => k));
            foreach (var key in english.Keys)
            {
                Assert.False(string.IsNullOrWhiteSpace(french[key]), $"{baseName}/{key} is empty in French");
                Assert.Equal(Placeholders(english[key]), Placeholders(french[key]));
            }
        }

        [Fact]
        public void Localizer_follows_the_requested_culture()
        {
            var text = new Localizer("Tssr.Tools.Engine.Resources.Strings");
            Assert.Equal("Operate an IP network", text.Get("Competency_OperateIpNetwork", new CultureInfo("en-US")));
            Assert.Equal("Exploiter un réseau IP", text.Get("Competency_OperateIpNetwork", new CultureInfo("fr-FR")));
        }

        [Fact]
        public void Catalog_lists_eight_competencies_in_two_blocks()
        {
            var all = CompetencyCatalog.All(new CultureInfo("fr-FR")).ToList();
            Assert.Equal(8, all.Count);
            Assert.Equal(4, all.Count(c => c.Block == CompetencyBlock.OperateAndSupport));
            Assert.All(all, c => Assert.False(string.IsNullOrWhiteSpace(c.Title)));
        }

        private static Dictionary<string, string> Read(ResourceManager manager, CultureInfo culture, bool onlyThisCulture = false)
        {
            var set = manager.GetResourceSet(culture, createIfNotExists: true, tryParents: !onlyThisCulture)
                ?? manager.GetResourceSet(culture.Parent, createIfNotExists: true, tryParents: false);
            Assert.NotNull(set);
            return set!.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
        }

        private static string[] Placeholders(string text)
            => System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+[^}]*\}").Select(m => m.Value).OrderBy(v => v).ToArray();
    }

    public class ErrorModelTests
    {
        [Fact]
        public void An_error_keeps_its_id_target_and_action()
        {
            var e = new TssrException("PortOutOfRange", TssrErrorCategory.InvalidArgument, "70000", "Port 70000 is out of range.", "Use 1-65535.");
            Assert.Equal("PortOutOfRange", e.Error.ErrorId);
            Assert.Equal("70000", e.Error.Target);
            Assert.Equal("Use 1-65535.", e.Error.RecommendedAction);
            Assert.Equal("Port 70000 is out of range.", e.Message);
        }

        [Theory]
        [InlineData(0, 0, -1)]
        [InlineData(5, 10, 50)]
        [InlineData(10, 10, 100)]
        public void Progress_percentages_are_clamped(long done, long total, int expected)
            => Assert.Equal(expected, new ProgressReport("a", "s", ProgressReport.Percent(done, total)).PercentComplete);
    }
}
