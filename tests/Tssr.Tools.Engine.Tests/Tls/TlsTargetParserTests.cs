using System.Linq;
using System.Net;
using FsCheck;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Tls;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Tls
{
    public class TlsTargetParserTests
    {
        [Theory]
        [InlineData("example.com", "example.com", 443, "example.com:443")]
        [InlineData("example.com:8443", "example.com", 8443, "example.com:8443")]
        [InlineData("  www.example.com.  ", "www.example.com", 443, "www.example.com:443")]
        [InlineData("127.0.0.1:636", "127.0.0.1", 636, "127.0.0.1:636")]
        [InlineData("[::1]:4433", "::1", 4433, "[::1]:4433")]
        [InlineData("[2001:db8::1]", "2001:db8::1", 443, "[2001:db8::1]:443")]
        [InlineData("2001:DB8:0:0::1", "2001:db8::1", 443, "[2001:db8::1]:443")]
        [InlineData("https://intranet.example.com/login?x=1", "intranet.example.com", 443, "intranet.example.com:443")]
        [InlineData("https://intranet.example.com:8443/", "intranet.example.com", 8443, "intranet.example.com:8443")]
        [InlineData("https://[::1]:9443/", "::1", 9443, "[::1]:9443")]
        [InlineData("ldaps://dc1.tssr.lab", "dc1.tssr.lab", 636, "dc1.tssr.lab:636")]
        [InlineData("smtps://mail.tssr.lab", "mail.tssr.lab", 465, "mail.tssr.lab:465")]
        [InlineData("_ldap-srv.corp.local", "_ldap-srv.corp.local", 443, "_ldap-srv.corp.local:443")]
        [InlineData("café.fr", "café.fr", 443, "café.fr:443")]
        public void Reads_what_people_type(string text, string host, int port, string display)
        {
            var target = TlsTargetParser.Parse(text);
            Assert.Equal(host, target.Host);
            Assert.Equal(port, target.Port);
            Assert.Equal(display, target.Display);
            Assert.Null(target.ServerName);
            Assert.Equal(host, target.ExpectedName);
        }

        [Fact]
        public void The_default_port_applies_only_when_none_is_given()
        {
            Assert.Equal(636, TlsTargetParser.Parse("dc1", 636).Port);
            Assert.Equal(8443, TlsTargetParser.Parse("dc1:8443", 636).Port);
            Assert.Equal(636, TlsTargetParser.Parse("[::1]", 636).Port);
        }

        [Fact]
        public void The_server_name_is_what_the_certificate_must_cover()
        {
            var target = TlsTargetParser.Parse("127.0.0.1:443", 443, "intranet.tssr.lab.");
            Assert.Equal("127.0.0.1", target.Host);
            Assert.Equal("intranet.tssr.lab", target.ServerName);
            Assert.Equal("intranet.tssr.lab", target.ExpectedName);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("host:0")]
        [InlineData("host:65536")]
        [InlineData("host:https")]
        [InlineData("host:")]
        [InlineData("[::1")]
        [InlineData("[::1]443")]
        [InlineData("[::1]:99999")]
        [InlineData("[10.0.0.1]:443")]
        [InlineData("1:2:3")]
        [InlineData("http://example.com")]
        [InlineData("ftp://example.com")]
        [InlineData("bad host")]
        [InlineData("host/path")]
        [InlineData("-leading.example.com")]
        [InlineData("a..b")]
        public void Refuses_what_is_not_a_target_with_a_clear_error(string text)
        {
            var e = Assert.Throws<TssrException>(() => TlsTargetParser.Parse(text));
            Assert.Equal("TlsTargetInvalid", e.Error.ErrorId);
            Assert.Equal(TssrErrorCategory.InvalidArgument, e.Error.Category);
            Assert.Equal(text, e.Error.Target);
            Assert.False(string.IsNullOrWhiteSpace(e.Error.RecommendedAction));
        }

        [Fact]
        public void Refuses_a_server_name_that_is_no_host_name()
        {
            Assert.False(TlsTargetParser.TryParse("127.0.0.1", 443, "not a name", out _, out var reason));
            Assert.Contains("not a name", reason);
        }

        [Theory]
        [InlineData("10.0.0.0/30", true)]
        [InlineData("10.0.0.1-20", true)]
        [InlineData("2001:db8::/126", true)]
        [InlineData("web-01.example.com", false)]
        [InlineData("https://example.com/path", false)]
        [InlineData("10.0.0.1", false)]
        public void Tells_address_blocks_from_single_targets(string text, bool expected)
            => Assert.Equal(expected, TlsTargetParser.IsAddressBlock(text));

        [Fact]
        public void Expands_an_address_block_on_the_given_port_with_the_given_name()
        {
            var targets = TlsTargetParser.ExpandBlock("192.0.2.1-3", 8443, "portal.example.com", out var count).ToList();
            Assert.Equal(3, count);
            Assert.Equal(new[] { "192.0.2.1:8443", "192.0.2.2:8443", "192.0.2.3:8443" }, targets.Select(t => t.Display));
            Assert.All(targets, t => Assert.Equal("portal.example.com", t.ExpectedName));
            Assert.Equal(new[] { "[2001:db8::]:443", "[2001:db8::1]:443" }, TlsTargetParser.ExpandBlock("2001:db8::/127", 443, null, out _).Select(t => t.Display));
        }

        [Fact]
        public void A_bad_or_huge_block_fails_before_any_work()
        {
            Assert.Throws<TssrException>(() => TlsTargetParser.ExpandBlock("10.0.0.0/33", 443, null, out _));
            Assert.Throws<TssrException>(() => TlsTargetParser.ExpandBlock("10.0.0.0/8", 443, null, out _));
        }

        [Property(MaxTest = 300)]
        public bool An_IPv4_endpoint_round_trips(byte a, byte b, byte c, byte d, PositiveInt p)
        {
            var port = p.Get % 65535 + 1;
            var address = new IPAddress(new[] { a, b, c, d });
            var target = TlsTargetParser.Parse(TlsTargetParser.Format(address.ToString(), port));
            return target.Host == address.ToString() && target.Port == port;
        }

        [Property(MaxTest = 300)]
        public bool An_IPv6_endpoint_round_trips_through_its_display(ulong high, ulong low, PositiveInt p)
        {
            var port = p.Get % 65535 + 1;
            var bytes = new byte[16];
            System.BitConverter.GetBytes(high).CopyTo(bytes, 0);
            System.BitConverter.GetBytes(low).CopyTo(bytes, 8);
            var address = new IPAddress(bytes);
            if (address.IsIPv4MappedToIPv6) return true;
            var target = TlsTargetParser.Parse(TlsTargetParser.Format(address.ToString(), port));
            var again = TlsTargetParser.Parse(target.Display);
            return IPAddress.Parse(target.Host).Equals(address) && target.Port == port && again.Display == target.Display;
        }

        [Property(MaxTest = 500)]
        public bool Any_text_parses_or_fails_cleanly(NonNull<string> text)
        {
            // Never an unexpected exception: TryParse answers, Parse throws only TssrException.
            var ok = TlsTargetParser.TryParse(text.Get, 443, null, out var target, out var reason);
            return ok ? target != null && target.Port >= 1 : reason.Length > 0;
        }
    }
}
