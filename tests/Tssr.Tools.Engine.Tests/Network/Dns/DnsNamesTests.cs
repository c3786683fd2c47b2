using System.Net;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Network.Dns;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Network.Dns
{
    public class DnsNamesTests
    {
        [Theory]
        [InlineData("127.0.10.5", "5.10.0.127.in-addr.arpa")]
        [InlineData("192.0.2.1", "1.2.0.192.in-addr.arpa")]
        [InlineData("fd00:10::5", "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.d.f.ip6.arpa")]
        [InlineData("2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
        public void An_address_means_its_reverse_name(string input, string arpa)
        {
            Assert.True(DnsNames.TryPrepare(input, out var name, out _));
            Assert.Equal(arpa, name!.QueryName);
            Assert.Equal(IPAddress.Parse(input), name.Address);
        }

        [Theory]
        [InlineData("10.1")]
        [InlineData("42")]
        [InlineData("1.2.3.4.5")]
        [InlineData("256.1.1.1")]
        [InlineData("web.tssr.lab")]
        public void Abbreviated_or_odd_numbers_are_names_not_addresses(string input)
        {
            Assert.False(DnsNames.TryParseAddress(input, out _));
        }

        [Theory]
        [InlineData("web.tssr.lab.", "web.tssr.lab")]
        [InlineData("  Web.Tssr.Lab ", "Web.Tssr.Lab")]
        [InlineData("café.tssr.lab", "xn--caf-dma.tssr.lab")]
        [InlineData("_ldap._tcp.tssr.lab", "_ldap._tcp.tssr.lab")]
        [InlineData("*.tssr.lab", "*.tssr.lab")]
        public void Names_are_asked_in_their_ASCII_form_without_the_final_dot(string input, string queryName)
        {
            Assert.True(DnsNames.TryPrepare(input, out var name, out _));
            Assert.Equal(queryName, name!.QueryName);
            Assert.Null(name.Address);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("bad name.tssr.lab")]
        [InlineData("a..b")]
        [InlineData("tab\there")]
        public void Invalid_names_are_refused_with_a_reason(string input)
        {
            Assert.False(DnsNames.TryPrepare(input, out _, out var reason));
            Assert.False(string.IsNullOrEmpty(reason));
        }

        [Fact]
        public void Length_limits_follow_RFC_1035()
        {
            var label63 = new string('a', 63);
            Assert.True(DnsNames.TryPrepare(label63 + ".lab", out _, out _));
            Assert.False(DnsNames.TryPrepare(new string('a', 64) + ".lab", out _, out _));
            var name253 = string.Join(".", label63, label63, label63, new string('b', 61));
            Assert.Equal(253, name253.Length);
            Assert.True(DnsNames.TryPrepare(name253, out _, out _));
            Assert.False(DnsNames.TryPrepare(name253 + "c", out _, out _));
        }

        [Property]
        public bool Reverse_names_of_IPv4_decode_back(byte a, byte b, byte c, byte d)
        {
            var address = new IPAddress(new[] { a, b, c, d });
            return DnsNames.TryParseArpa(DnsNames.ArpaName(address), out var back) && back!.Equals(address);
        }

        [Property]
        public bool Reverse_names_of_IPv6_decode_back(ulong high, ulong low)
        {
            var bytes = new byte[16];
            for (var i = 0; i < 8; i++)
            {
                bytes[i] = (byte)(high >> (8 * i));
                bytes[8 + i] = (byte)(low >> (8 * i));
            }
            var address = new IPAddress(bytes);
            return DnsNames.TryParseArpa(DnsNames.ArpaName(address) + ".", out var back) && back!.Equals(address);
        }

        [Theory]
        [InlineData("web.tssr.lab")]
        [InlineData("1.2.3.in-addr.arpa")]
        [InlineData("x.0.0.127.in-addr.arpa")]
        [InlineData("1.0.ip6.arpa")]
        public void Partial_or_foreign_names_are_not_addresses(string name)
        {
            Assert.False(DnsNames.TryParseArpa(name, out _));
        }

        [Theory]
        [InlineData("hostmaster.tssr.lab.", "hostmaster@tssr.lab")]
        [InlineData(@"jean\.dupont.tssr.lab", "jean.dupont@tssr.lab")]
        public void The_SOA_contact_reads_as_a_mail_address(string rname, string mailbox)
        {
            Assert.Equal(mailbox, DnsNames.MailboxOf(rname));
        }

        [Fact]
        public void Names_compare_without_case_and_final_dot()
        {
            Assert.True(DnsNames.SameName("Web.TSSR.lab.", "web.tssr.lab"));
            Assert.False(DnsNames.SameName("web.tssr.lab", "other.tssr.lab"));
        }
    }
}
