using System.Collections.Generic;
using System.Linq;
using System.Net;
using FsCheck;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Network.Tls;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Tls
{
    public class HostNameMatcherTests
    {
        [Theory]
        [InlineData("www.example.com", "www.example.com", true)]
        [InlineData("WWW.Example.COM", "www.example.com", true)]
        [InlineData("www.example.com.", "www.example.com", true)]
        [InlineData("www.example.com", "*.example.com", true)]
        [InlineData("example.com", "*.example.com", false)]
        [InlineData("a.b.example.com", "*.example.com", false)]
        [InlineData("www.example.com", "w*.example.com", false)]
        [InlineData("www.example.com", "*.*.com", false)]
        [InlineData("example.com", "*.com", false)]
        [InlineData("www.example.org", "*.example.com", false)]
        [InlineData("wwwexample.com", "*example.com", false)]
        [InlineData("xn--caf-dma.fr", "xn--caf-dma.fr", true)]
        [InlineData("café.fr", "xn--caf-dma.fr", true)]
        [InlineData("10.0.0.1", "*.0.0.1", false)]
        public void Follows_RFC_6125_as_browsers_do(string host, string pattern, bool expected)
            => Assert.Equal(expected, HostNameMatcher.MatchesPattern(host, pattern));

        [Fact]
        public void An_address_matches_only_an_iPAddress_entry()
        {
            var dns = new[] { "127.0.0.1", "localhost" };
            var ips = new[] { IPAddress.Parse("::1") };
            Assert.Equal(NameMatchKind.Mismatch, HostNameMatcher.Match("127.0.0.1", dns, ips, null));
            Assert.Equal(NameMatchKind.Match, HostNameMatcher.Match("::1", dns, ips, null));
            Assert.Equal(NameMatchKind.Match, HostNameMatcher.Match("0:0:0:0:0:0:0:1", dns, ips, null));
        }

        [Fact]
        public void A_name_only_in_the_common_name_is_reported_as_such()
        {
            var none = new List<string>();
            var noIps = new List<IPAddress>();
            Assert.Equal(NameMatchKind.CommonNameOnly, HostNameMatcher.Match("legacy.example.com", none, noIps, "legacy.example.com"));
            Assert.Equal(NameMatchKind.CommonNameOnly, HostNameMatcher.Match("10.1.2.3", none, noIps, "10.1.2.3"));
            Assert.Equal(NameMatchKind.Mismatch, HostNameMatcher.Match("other.example.com", none, noIps, "legacy.example.com"));
        }

        [Property(MaxTest = 300)]
        public bool A_name_matches_itself_whatever_the_case(NonEmptyArray<PositiveInt> labelSeeds)
        {
            var labels = labelSeeds.Get.Take(5).Select(s => "l" + (s.Get % 100000)).ToArray();
            var name = string.Join(".", labels);
            return HostNameMatcher.MatchesPattern(name.ToUpperInvariant(), name) && HostNameMatcher.MatchesPattern(name, name + ".");
        }

        [Property(MaxTest = 300)]
        public bool A_wildcard_covers_exactly_one_label(PositiveInt a, PositiveInt b, PositiveInt depth)
        {
            var parent = "zone" + (a.Get % 1000) + ".example";
            var pattern = "*." + parent;
            var labels = Enumerable.Range(0, depth.Get % 4).Select(i => "x" + (b.Get + i)).ToArray();
            var host = labels.Length == 0 ? parent : string.Join(".", labels) + "." + parent;
            return HostNameMatcher.MatchesPattern(host, pattern) == (labels.Length == 1);
        }
    }
}
