using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using FsCheck;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Network.Tls;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Tls
{
    public class DerReaderTests
    {
        private static byte[] SampleSan()
        {
            var builder = new SubjectAlternativeNameBuilder();
            builder.AddDnsName("www.example.com");
            builder.AddEmailAddress("admin@example.com");
            builder.AddIpAddress(IPAddress.Parse("192.0.2.7"));
            builder.AddDnsName("*.apps.example.com");
            builder.AddUri(new Uri("https://example.com/"));
            builder.AddIpAddress(IPAddress.Parse("2001:db8::7"));
            return builder.Build().RawData;
        }

        [Fact]
        public void Reads_DNS_names_and_addresses_and_skips_other_kinds()
        {
            var dns = new List<string>();
            var ips = new List<IPAddress>();
            DerReader.ReadSubjectAltNames(SampleSan(), dns, ips);
            Assert.Equal(new[] { "www.example.com", "*.apps.example.com" }, dns);
            Assert.Equal(new[] { IPAddress.Parse("192.0.2.7"), IPAddress.Parse("2001:db8::7") }, ips);
        }

        [Fact]
        public void Reads_a_long_form_length()
        {
            var builder = new SubjectAlternativeNameBuilder();
            var names = Enumerable.Range(0, 40).Select(i => $"host{i}.long-domain-name.example.com").ToArray();
            foreach (var n in names) builder.AddDnsName(n);
            var dns = new List<string>();
            DerReader.ReadSubjectAltNames(builder.Build().RawData, dns, new List<IPAddress>());
            Assert.Equal(names, dns);
        }

        [Fact]
        public void Reads_the_key_identifier_of_an_authority_key_identifier()
        {
            var aki = X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(new byte[] { 1, 2, 3, 4 });
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, DerReader.ReadAuthorityKeyIdentifier(aki.RawData));
        }

        [Fact]
        public void Every_truncation_of_a_valid_extension_fails_as_a_format_error()
        {
            var full = SampleSan();
            for (var length = 0; length < full.Length; length++)
            {
                var cut = full.Take(length).ToArray();
                Assert.Throws<FormatException>(() => DerReader.ReadSubjectAltNames(cut, new List<string>(), new List<IPAddress>()));
            }
        }

        [Property(MaxTest = 1000)]
        public bool Random_bytes_parse_or_fail_only_as_format_errors(byte[] data)
        {
            try
            {
                DerReader.ReadSubjectAltNames(data ?? Array.Empty<byte>(), new List<string>(), new List<IPAddress>());
                DerReader.ReadAuthorityKeyIdentifier(data ?? Array.Empty<byte>());
                return true;
            }
            catch (FormatException)
            {
                return true;
            }
        }

        [Property(MaxTest = 300)]
        public bool A_corrupted_byte_never_escapes_as_another_exception(PositiveInt position, byte value)
        {
            var data = SampleSan();
            data[position.Get % data.Length] = value;
            try
            {
                DerReader.ReadSubjectAltNames(data, new List<string>(), new List<IPAddress>());
                return true;
            }
            catch (FormatException)
            {
                return true;
            }
        }
    }
}
