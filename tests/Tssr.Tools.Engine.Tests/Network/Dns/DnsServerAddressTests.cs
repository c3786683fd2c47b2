using System.Net;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Dns;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Network.Dns
{
    public class DnsServerAddressTests
    {
        [Theory]
        [InlineData("127.0.0.1", "127.0.0.1", 53)]
        [InlineData("127.0.0.1:5353", "127.0.0.1", 5353)]
        [InlineData(" 192.0.2.53:53 ", "192.0.2.53", 53)]
        [InlineData("[::1]:5353", "::1", 5353)]
        [InlineData("[::1]", "::1", 53)]
        [InlineData("::1", "::1", 53)]
        [InlineData("2001:db8::53", "2001:db8::53", 53)]
        [InlineData("ns1.tssr.lab", "ns1.tssr.lab", 53)]
        [InlineData("ns1.tssr.lab:10053", "ns1.tssr.lab", 10053)]
        public void Reads_the_forms_a_technician_writes(string text, string host, int port)
        {
            var server = DnsServerAddress.Parse(text);
            Assert.Equal(host, server.Host);
            Assert.Equal(port, server.Port);
            Assert.Equal(host.Contains(':') || char.IsDigit(host[0]), server.Address != null);
        }

        [Theory]
        [InlineData("")]
        [InlineData("127.0.0.1:0")]
        [InlineData("127.0.0.1:65536")]
        [InlineData("127.0.0.1:dns")]
        [InlineData("[::1")]
        [InlineData("[::1]5353")]
        [InlineData("[127.0.0.1]:53")]
        [InlineData(":53")]
        [InlineData("2001:db8::53:5353:1:2:3:4")]
        [InlineData("bad host:53")]
        public void Refuses_what_is_not_a_server_with_a_specific_error(string text)
        {
            var e = Assert.Throws<TssrException>(() => DnsServerAddress.Parse(text));
            Assert.Equal("DnsServerInvalid", e.Error.ErrorId);
            Assert.Equal(TssrErrorCategory.InvalidArgument, e.Error.Category);
            Assert.Equal(text, e.Error.Target);
            Assert.False(string.IsNullOrEmpty(e.Error.RecommendedAction));
        }

        [Property]
        public bool Any_IPv4_address_and_port_survive_format_then_parse(byte a, byte b, byte c, byte d, ushort anyPort)
        {
            var address = new IPAddress(new[] { a, b, c, d });
            var port = anyPort % 65535 + 1;
            var parsed = DnsServerAddress.Parse(DnsServerAddress.Format(address, port));
            return parsed.Address!.Equals(address) && parsed.Port == port;
        }

        [Property]
        public bool Any_IPv6_address_and_port_survive_format_then_parse(ulong high, ulong low, ushort anyPort)
        {
            var bytes = new byte[16];
            for (var i = 0; i < 8; i++)
            {
                bytes[i] = (byte)(high >> (8 * i));
                bytes[8 + i] = (byte)(low >> (8 * i));
            }
            var address = new IPAddress(bytes);
            var port = anyPort % 65535 + 1;
            var parsed = DnsServerAddress.Parse(DnsServerAddress.Format(address, port));
            return parsed.Address!.Equals(address) && parsed.Port == port;
        }
    }
}
