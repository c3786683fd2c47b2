using System.Linq;
using System.Net;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Targets;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Network
{
    public class TargetParserTests
    {
        [Theory]
        [InlineData("10.0.0.0/30", true, new[] { "10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3" })]
        [InlineData("10.0.0.0/30", false, new[] { "10.0.0.1", "10.0.0.2" })]
        [InlineData("10.0.0.5/31", false, new[] { "10.0.0.4", "10.0.0.5" })]
        [InlineData("10.0.0.1-10.0.0.3", true, new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3" })]
        [InlineData("10.0.0.254-10.0.1.1", true, new[] { "10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1" })]
        [InlineData("192.168.1.10-12", true, new[] { "192.168.1.10", "192.168.1.11", "192.168.1.12" })]
        [InlineData("fe80::1-fe80::3", true, new[] { "fe80::1", "fe80::2", "fe80::3" })]
        [InlineData("2001:db8::/127", true, new[] { "2001:db8::", "2001:db8::1" })]
        [InlineData("127.0.0.1", true, new[] { "127.0.0.1" })]
        [InlineData("[::1]", true, new[] { "::1" })]
        public void Expands_addresses_ranges_and_blocks(string input, bool includeEnds, string[] expected)
        {
            var actual = TargetParser.Expand(input, includeEnds).Select(t => t.Address!.ToString()).ToArray();
            Assert.Equal(expected, actual);
            Assert.Equal(expected.Length, TargetParser.Count(input, includeEnds));
        }

        [Theory]
        [InlineData("web01")]
        [InlineData("dc1.tssr.lab")]
        [InlineData("host-with-dash.example")]
        public void Keeps_host_names_for_resolution(string input)
        {
            var t = Assert.Single(TargetParser.Expand(input));
            Assert.True(t.NeedsResolution);
            Assert.Equal(input, t.HostName);
        }

        [Theory]
        [InlineData("10.0.0.0/33", "CidrInvalid")]
        [InlineData("10.0.0.0/x", "CidrInvalid")]
        [InlineData("10.0.0.300/24", "CidrInvalid")]
        [InlineData("10.0.0.50-10.0.0.1", "RangeBackwards")]
        [InlineData("10.0.0.1-fe80::1", "RangeInvalid")]
        [InlineData("10.0.0.300", "TargetInvalid")]
        [InlineData("10.1", "TargetInvalid")]
        [InlineData("bad name!", "TargetInvalid")]
        [InlineData("", "TargetEmpty")]
        [InlineData("10.0.0.0/8", "TargetTooLarge")]
        [InlineData("2001:db8::/64", "TargetTooLarge")]
        public void Rejects_bad_input_with_a_specific_error_naming_it(string input, string errorId)
        {
            var e = Assert.Throws<TssrException>(() => TargetParser.Expand(input));
            Assert.Equal(errorId, e.Error.ErrorId);
            Assert.Equal(input.Trim(), e.Error.Target);
            Assert.False(string.IsNullOrWhiteSpace(e.Error.RecommendedAction));
        }

        [Fact]
        public void Expansion_of_a_slash_16_is_lazy()
        {
            var targets = TargetParser.Expand("10.1.0.0/16");
            Assert.Equal("10.1.0.0", targets.First().Address!.ToString());
            Assert.Equal("10.1.255.255", targets.Last().Address!.ToString());
            Assert.Equal(65536, TargetParser.Count("10.1.0.0/16"));
        }

        [Property(MaxTest = 200)]
        public bool Every_address_of_a_block_is_in_the_block(uint seed, byte prefixSeed)
        {
            var prefix = 22 + prefixSeed % 11; // /22 to /32
            var address = new IPAddress(System.BitConverter.GetBytes(seed));
            var block = $"{address}/{prefix}";
            var all = TargetParser.Expand(block).Select(t => TargetParser.ToNumber(t.Address!)).ToList();
            var size = 1L << (32 - prefix);
            var ordered = all.Zip(all.Skip(1), (a, b) => b - a == 1).All(x => x);
            return all.Count == size && ordered && all[0] % size == 0;
        }
    }

    public class PortParserTests
    {
        [Fact]
        public void Mixes_numbers_ranges_and_names_in_order_without_duplicates()
            => Assert.Equal(new[] { 22, 80, 443, 3389, 8000, 8001, 8002 }, PortParser.Parse("ssh,80", "https, rdp", "8000-8002", "22"));

        [Theory]
        [InlineData("0", "PortOutOfRange")]
        [InlineData("70000", "PortOutOfRange")]
        [InlineData("-5", "PortOutOfRange")]
        [InlineData("100-20", "PortRangeBackwards")]
        [InlineData("sshh", "PortServiceUnknown")]
        [InlineData("1-70000", "PortOutOfRange")]
        public void Rejects_bad_ports_with_a_specific_error(string input, string errorId)
        {
            var e = Assert.Throws<TssrException>(() => PortParser.Parse(input));
            Assert.Equal(errorId, e.Error.ErrorId);
        }

        [Fact]
        public void Unknown_service_suggests_close_names()
        {
            var e = Assert.Throws<TssrException>(() => PortParser.Parse("sshd"));
            Assert.Contains("ssh", e.Error.Message);
        }

        [Fact]
        public void Names_well_known_ports() => Assert.Equal("rdp", PortParser.NameOf(3389));
    }
}
