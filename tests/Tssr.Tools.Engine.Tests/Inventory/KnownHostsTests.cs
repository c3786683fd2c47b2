using System;
using System.IO;
using System.Linq;
using FsCheck;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory.Ssh;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Inventory
{
    public class KnownHostsTests
    {
        // Made with ssh-keygen; fingerprints as ssh-keygen -lf prints them.
        private const string Ed25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIGPA4+Log9QktX4XnwxpAEnY9/k+uWEshlaBc7Z4XdDE";
        private const string Ed25519Fingerprint = "SHA256:xyoXve2dYx7dgR1w3PajDAezUxrKqOsx4EN3+llCp+8";
        private const string Rsa = "AAAAB3NzaC1yc2EAAAADAQABAAAAgQDQjOef4fdXZGL5RFzfnc8kH14yjQRIHxfHCFKscoO9zRV/PaWGEYb3r0LQIC+N5nVVersCqEjKSd88lQjADoboqEBwBsqPwEU/mOpJElQHGaR8SO4xpvWh8839GWd9/mikYiQ1ZfJm0DLuS2z0jfZ69xFotQ28wzcM4EMs8n7lDQ==";
        private const string RsaFingerprint = "SHA256:Tvw6oYOOUfdSG6L42ztUogUZXfVVqHR6hDhKatNX/WY";
        // ssh-keygen -H of "[127.0.0.1]:2201 ssh-ed25519 <Ed25519>".
        private const string Hashed = "|1|i0YZl1UYNDmHde8eL6JFOCczwUQ=|cZn1wPnpYd8MgzgOH9E9IdDBGOI=";

        private static byte[] Blob(string base64) => Convert.FromBase64String(base64);
        private static SshEndpoint Ep(string text) => SshEndpoint.Parse(text);

        [Fact]
        public void Fingerprints_are_written_as_OpenSSH_writes_them()
        {
            Assert.Equal(Ed25519Fingerprint, KnownHosts.Fingerprint(Blob(Ed25519)));
            Assert.Equal(RsaFingerprint, KnownHosts.Fingerprint(Blob(Rsa)));
            Assert.Equal("ssh-ed25519", KnownHosts.KeyTypeOf(Blob(Ed25519)));
            Assert.Equal("ssh-rsa", KnownHosts.KeyTypeOf(Blob(Rsa)));
        }

        [Theory]
        [InlineData("[127.0.0.1]:2201 ssh-ed25519 " + Ed25519, "127.0.0.1:2201")]
        [InlineData("web1,127.0.0.1 ssh-ed25519 " + Ed25519, "127.0.0.1")]
        [InlineData("*.lab,!bad.lab ssh-ed25519 " + Ed25519, "web.lab")]
        [InlineData("web?.lab ssh-ed25519 " + Ed25519, "web7.lab")]
        [InlineData("[127.0.0.*]:2201 ssh-ed25519 " + Ed25519 + " comment", "127.0.0.9:2201")]
        [InlineData(Hashed + " ssh-ed25519 " + Ed25519, "127.0.0.1:2201")]
        [InlineData("# comment\n\nWEB1 ssh-ed25519 " + Ed25519, "web1")]
        public void A_matching_line_with_the_key_trusts_it(string file, string host)
        {
            var check = KnownHosts.Parse("kh", file).Check(Ep(host), Blob(Ed25519));
            Assert.Equal(HostKeyVerdict.Trusted, check.Verdict);
            Assert.Equal(Ed25519Fingerprint, check.Fingerprint);
        }

        [Theory]
        [InlineData("[127.0.0.1]:2201 ssh-ed25519 " + Ed25519, "127.0.0.1")]
        [InlineData("127.0.0.1 ssh-ed25519 " + Ed25519, "127.0.0.1:2201")]
        [InlineData("*.lab,!bad.lab ssh-ed25519 " + Ed25519, "bad.lab")]
        [InlineData(Hashed + " ssh-ed25519 " + Ed25519, "127.0.0.1:2202")]
        [InlineData("@cert-authority *.lab ssh-ed25519 " + Ed25519, "web.lab")]
        [InlineData("", "web.lab")]
        public void A_host_no_line_names_is_unknown(string file, string host)
        {
            var check = KnownHosts.Parse("kh", file).Check(Ep(host), Blob(Ed25519));
            Assert.Equal(HostKeyVerdict.Unknown, check.Verdict);
        }

        [Fact]
        public void Another_key_for_the_host_is_a_change_naming_file_and_line()
        {
            var check = KnownHosts.Parse("/x/known_hosts", "# first\nother ssh-rsa " + Rsa + "\n[127.0.0.1]:2201 ssh-rsa " + Rsa + "\n").Check(Ep("127.0.0.1:2201"), Blob(Ed25519));
            Assert.Equal(HostKeyVerdict.Changed, check.Verdict);
            Assert.Equal("/x/known_hosts", check.File);
            Assert.Equal(3, check.Line);
        }

        [Fact]
        public void A_revoked_key_is_refused_even_beside_a_trusting_line()
        {
            var check = KnownHosts.Parse("kh", "web ssh-ed25519 " + Ed25519 + "\n@revoked * ssh-ed25519 " + Ed25519 + "\n").Check(Ep("web"), Blob(Ed25519));
            Assert.Equal(HostKeyVerdict.Revoked, check.Verdict);
            Assert.Equal(2, check.Line);
        }

        [Fact]
        public void Cert_authority_lines_are_reported_as_unsupported()
        {
            var check = KnownHosts.Parse("kh", "@cert-authority *.lab ssh-ed25519 " + Ed25519).Check(Ep("web.lab"), Blob(Ed25519));
            Assert.Contains(check.Notes, n => n.Contains("@cert-authority"));
        }

        [Fact]
        public void Malformed_lines_are_skipped_with_a_note()
        {
            var known = KnownHosts.Parse("kh", "garbage\nweb ssh-ed25519 !!!notbase64\n@bogus web ssh-ed25519 " + Ed25519 + "\nweb ssh-ed25519 " + Ed25519);
            var check = known.Check(Ep("web"), Blob(Ed25519));
            Assert.Equal(HostKeyVerdict.Trusted, check.Verdict);
            Assert.Equal(4, check.Line);
            Assert.Equal(3, check.Notes.Count);
        }

        [Fact]
        public void An_appended_entry_is_read_back_as_trusted()
        {
            var file = Path.Combine(Path.GetTempPath(), "tssr-kh-" + Guid.NewGuid().ToString("N"), "known_hosts");
            try
            {
                KnownHosts.Append(file, Ep("127.0.0.1:2201"), Blob(Ed25519));
                KnownHosts.Append(file, Ep("web"), Blob(Rsa));
                var lines = File.ReadAllLines(file);
                Assert.Equal("[127.0.0.1]:2201 ssh-ed25519 " + Ed25519, lines[0]);
                Assert.Equal("web ssh-rsa " + Rsa, lines[1]);
                Assert.Equal(HostKeyVerdict.Trusted, KnownHosts.Load(new[] { file }).Check(Ep("127.0.0.1:2201"), Blob(Ed25519)).Verdict);
            }
            finally
            {
                System.IO.Directory.Delete(Path.GetDirectoryName(file)!, true);
            }
        }

        [Property(MaxTest = 300)]
        public bool Any_text_parses_without_throwing(NonNull<string> text)
        {
            var known = KnownHosts.Parse("kh", text.Get);
            var check = known.Check(Ep("web"), Blob(Ed25519));
            return Enum.IsDefined(typeof(HostKeyVerdict), check.Verdict);
        }

        [Theory]
        [InlineData("web", "web", 22)]
        [InlineData("web:2201", "web", 2201)]
        [InlineData("::1", "::1", 22)]
        [InlineData("[::1]:2201", "::1", 2201)]
        [InlineData(" 10.0.0.1:65535 ", "10.0.0.1", 65535)]
        public void Endpoints_parse(string text, string host, int port)
        {
            var e = SshEndpoint.Parse(text);
            Assert.Equal(host, e.Host);
            Assert.Equal(port, e.Port);
        }

        [Theory]
        [InlineData("")]
        [InlineData("web:0")]
        [InlineData("web:65536")]
        [InlineData("web:x")]
        [InlineData("[::1")]
        [InlineData("[::1]x")]
        [InlineData("user@web")]
        [InlineData("a b")]
        public void Bad_endpoints_are_clean_errors(string text)
        {
            var e = Assert.Throws<TssrException>(() => SshEndpoint.Parse(text));
            Assert.Equal("SshComputerNameInvalid", e.Error.ErrorId);
        }

        [Property(MaxTest = 300)]
        public bool Endpoint_parsing_only_fails_cleanly(NonNull<string> text)
        {
            try { SshEndpoint.Parse(text.Get); return true; }
            catch (TssrException e) { return e.Error.ErrorId == "SshComputerNameInvalid"; }
        }
    }
}
