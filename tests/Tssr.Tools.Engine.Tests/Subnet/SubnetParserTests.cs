using System.Globalization;
using System.Linq;
using System.Threading;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Subnet;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Subnet
{
    public class SubnetParserTests
    {
        [Theory]
        [InlineData("192.168.1.0/24", null, "192.168.1.0/24")]
        [InlineData("  192.168.1.0 / 24 ", null, "192.168.1.0/24")]
        [InlineData("192.168.1.0 255.255.255.0", null, "192.168.1.0/24")]
        [InlineData("192.168.1.0\t255.255.255.0", null, "192.168.1.0/24")]
        [InlineData("192.168.1.0/255.255.255.0", null, "192.168.1.0/24")]
        [InlineData("192.168.1.0", "255.255.255.0", "192.168.1.0/24")]
        [InlineData("192.168.1.0", "24", "192.168.1.0/24")]
        [InlineData("192.168.1.0", "/24", "192.168.1.0/24")]
        [InlineData("192.168.1.0/24", "255.255.255.0", "192.168.1.0/24")]
        [InlineData("10.1.2.3", null, "10.1.2.3/32")]
        [InlineData("0.0.0.0/0", null, "0.0.0.0/0")]
        [InlineData("10.0.0.0 0.0.0.0", null, "0.0.0.0/0")]
        [InlineData("2001:db8::/32", null, "2001:db8::/32")]
        [InlineData("2001:DB8:0:0::/48", null, "2001:db8::/48")]
        [InlineData("2001:db8::/ffff:ffff::", null, "2001:db8::/32")]
        [InlineData("2001:db8::", "64", "2001:db8::/64")]
        [InlineData("::1", null, "::1/128")]
        [InlineData("::ffff:10.0.0.1/128", null, "::ffff:10.0.0.1/128")]
        [InlineData("::/0", null, "::/0")]
        public void Parses_the_forms_people_write(string text, string? mask, string expected)
            => Assert.Equal(expected, SubnetParser.Parse(new SubnetInput(text, mask)).Subnet.ToString());

        [Theory]
        [InlineData("", "SubnetInputEmpty")]
        [InlineData("   ", "SubnetInputEmpty")]
        [InlineData("garbage", "SubnetAddressInvalid")]
        [InlineData("192.168.1", "SubnetAddressInvalid")]
        [InlineData("192.168.1.0.0/24", "SubnetAddressInvalid")]
        [InlineData("192.168.1.256/24", "SubnetAddressInvalid")]
        [InlineData("192.168.-1.0/24", "SubnetAddressInvalid")]
        [InlineData("0x0A.0.0.0/8", "SubnetAddressInvalid")]
        [InlineData("010.0.0.0/8", "SubnetAddressInvalid")]
        [InlineData("1.2.3.4/33", "SubnetPrefixLengthOutOfRange")]
        [InlineData("1.2.3.4/9999", "SubnetPrefixLengthOutOfRange")]
        [InlineData("2001:db8::/129", "SubnetPrefixLengthOutOfRange")]
        [InlineData("1.2.3.4/", "SubnetPrefixLengthInvalid")]
        [InlineData("1.2.3.4/-1", "SubnetPrefixLengthInvalid")]
        [InlineData("1.2.3.4/2 4", "SubnetPrefixLengthInvalid")]
        [InlineData("1.2.3.4/24/24", "SubnetPrefixLengthInvalid")]
        [InlineData("1.2.3.4/abc", "SubnetPrefixLengthInvalid")]
        [InlineData("10.0.0.0/255.0.255.0", "SubnetMaskNotContiguous")]
        [InlineData("10.0.0.0 0.0.0.255", "SubnetMaskNotContiguous")]
        [InlineData("10.0.0.0/ffff::", "SubnetMaskFamilyMismatch")]
        [InlineData("2001:db8::/255.255.0.0", "SubnetMaskFamilyMismatch")]
        [InlineData("fe80::1%eth0/64", "SubnetAddressInvalid")]
        [InlineData("[2001:db8::]/32", "SubnetAddressInvalid")]
        [InlineData("2001:db8:::/32", "SubnetAddressInvalid")]
        [InlineData("1.2.3.4 255.255.255.0 extra", "SubnetInputInvalid")]
        public void Refuses_bad_input_with_a_specific_error_naming_it(string text, string errorId)
        {
            var e = Assert.Throws<TssrException>(() => SubnetParser.Parse(text));
            Assert.Equal(errorId, e.Error.ErrorId);
            Assert.Equal(TssrErrorCategory.InvalidArgument, e.Error.Category);
            Assert.Equal(text, e.Error.Target);
            Assert.False(string.IsNullOrWhiteSpace(e.Error.RecommendedAction));
            if (text.Trim().Length > 0) Assert.Contains(text, e.Message);
        }

        [Fact]
        public void A_mask_that_conflicts_with_the_prefix_length_is_refused()
        {
            var e = Assert.Throws<TssrException>(() => SubnetParser.Parse(new SubnetInput("10.0.0.0/8", "255.255.0.0")));
            Assert.Equal("SubnetMaskConflict", e.Error.ErrorId);
            Assert.Equal("10.0.0.0/8 255.255.0.0", e.Error.Target);
        }

        [Fact]
        public void A_wildcard_mask_is_recognised_and_the_right_mask_suggested()
        {
            var e = Assert.Throws<TssrException>(() => SubnetParser.Parse("10.0.0.0 0.0.0.255"));
            Assert.Contains("255.255.255.0", e.Message);
            Assert.Contains("/24", e.Message);
        }

        [Fact]
        public void Leading_zeros_are_refused_rather_than_read_as_octal()
        {
            var e = Assert.Throws<TssrException>(() => SubnetParser.Parse("192.168.010.0/24"));
            Assert.Contains("010", e.Message);
            Assert.Contains("octal", e.Message);
        }

        [Theory]
        [InlineData("10.0.0.5/8", true, "10.0.0.0/8")]
        [InlineData("10.0.0.0/8", false, "10.0.0.0/8")]
        [InlineData("192.168.1.77 255.255.255.192", true, "192.168.1.64/26")]
        [InlineData("2001:db8::1/64", true, "2001:db8::/64")]
        public void Knows_when_host_bits_are_set(string text, bool hostBitsSet, string network)
        {
            var parsed = SubnetParser.Parse(text);
            Assert.Equal(hostBitsSet, parsed.HostBitsSet);
            Assert.Equal(network, parsed.Subnet.ToString());
        }

        [Fact]
        public void Speaks_French_when_the_UI_culture_is_French()
        {
            var previous = CultureInfo.CurrentUICulture;
            try
            {
                CultureInfo.CurrentUICulture = new CultureInfo("fr-FR");
                var e = Assert.Throws<TssrException>(() => SubnetParser.Parse("1.2.3.4/33"));
                Assert.Contains("hors limites", e.Message);
                Assert.Contains("Écrivez", e.Error.RecommendedAction);
            }
            finally
            {
                CultureInfo.CurrentUICulture = previous;
            }
        }

        [Theory]
        [InlineData("255.255.255.0", 24)]
        [InlineData("255.255.255.255", 32)]
        [InlineData("0.0.0.0", 0)]
        [InlineData("128.0.0.0", 1)]
        [InlineData("255.255.255.254", 31)]
        [InlineData("255.0.255.0", -1)]
        [InlineData("0.0.0.255", -1)]
        [InlineData("255.255.255.253", -1)]
        public void Reads_the_prefix_length_of_a_mask(string mask, int expected)
        {
            Assert.True(SubnetParser.TryParseAddress(mask, out var family, out var value));
            Assert.Equal(expected, IpSubnet.PrefixLengthOfMask(family, value));
        }

        [Fact]
        public void Every_prefix_length_round_trips_through_its_dotted_mask()
        {
            foreach (var family in new[] { IpAddressFamily.IPv4, IpAddressFamily.IPv6 })
                foreach (var length in Enumerable.Range(0, IpSubnet.WidthOf(family) + 1))
                {
                    var text = IpSubnet.FormatAddress(family, IpSubnet.MaskOf(family, length));
                    Assert.True(SubnetParser.TryParseAddress(text, out _, out var value));
                    Assert.Equal(length, IpSubnet.PrefixLengthOfMask(family, value));
                }
        }
    }
}
