using System;
using System.Linq;
using System.Security;
using FsCheck;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Directory;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Directory
{
    public class LdapEscapeTests
    {
        public static readonly string[] Corpus = { "Dupont, Jean", "#admin", " lead", "trail ", "a*b", "*)(uid=*", "O'Brien", "Zoë Ñúñez", "back\\slash", "x+y;z<q>\"r\"=", "\0nul", "tab\there" };

        [Theory]
        [InlineData("a*b", "a\\2ab")]
        [InlineData("*)(uid=*", "\\2a\\29\\28uid=\\2a")]
        [InlineData("back\\slash", "back\\5cslash")]
        [InlineData("\0", "\\00")]
        [InlineData("Zoë Ñúñez", "Zoë Ñúñez")]
        [InlineData("O'Brien", "O'Brien")]
        public void Filter_values_are_escaped_per_RFC_4515(string value, string expected)
            => Assert.Equal(expected, LdapEscape.FilterValue(value));

        [Theory]
        [InlineData("Dupont, Jean", "Dupont\\, Jean")]
        [InlineData("#admin", "\\#admin")]
        [InlineData(" lead", "\\ lead")]
        [InlineData("trail ", "trail\\ ")]
        [InlineData("a#b c", "a#b c")]
        [InlineData("x+y;z<q>\"r\"=", "x\\+y\\;z\\<q\\>\\\"r\\\"\\=")]
        [InlineData("back\\slash", "back\\\\slash")]
        public void Dn_values_are_escaped_per_RFC_4514(string value, string expected)
            => Assert.Equal(expected, LdapEscape.DnValue(value));

        [Fact]
        public void The_corpus_round_trips_through_a_DN_and_a_filter()
        {
            foreach (var name in Corpus)
            {
                var dn = LdapEscape.ChildDn("CN", name, "OU=Staff,DC=tssr,DC=lab");
                var rdns = LdapEscape.ParseDn(dn);
                Assert.Equal(4, rdns.Count);
                Assert.Equal(name, rdns[0].Value);
                Assert.Equal("OU=Staff,DC=tssr,DC=lab", LdapEscape.ParentDn(dn));
                Assert.Equal(name, LdapEscape.UnescapeFilterValue(LdapEscape.FilterValue(name)));
            }
        }

        [Property(MaxTest = 500)]
        public bool Any_string_round_trips_through_DN_escaping(NonNull<string> s)
        {
            var value = s.Get;
            var rdns = LdapEscape.ParseDn(LdapEscape.ChildDn("CN", value, "DC=lab"));
            return rdns.Count == 2 && rdns[0].Value == value && rdns[1].Value == "lab";
        }

        [Property(MaxTest = 500)]
        public bool Any_string_round_trips_through_filter_escaping(NonNull<string> s)
            => LdapEscape.UnescapeFilterValue(LdapEscape.FilterValue(s.Get)) == s.Get;

        [Property(MaxTest = 500)]
        public bool An_escaped_filter_value_holds_no_filter_syntax(NonNull<string> s)
        {
            var e = LdapEscape.FilterValue(s.Get);
            if (e.IndexOfAny(new[] { '*', '(', ')', '\0' }) >= 0) return false;
            for (var i = 0; i < e.Length; i++)
                if (e[i] == '\\' && (i + 2 >= e.Length || !Uri.IsHexDigit(e[i + 1]) || !Uri.IsHexDigit(e[i + 2]))) return false;
            return true;
        }

        [Property(MaxTest = 300)]
        public bool An_escaped_DN_value_never_splits_the_DN(NonNull<string> s)
            => LdapEscape.ParseDn("CN=" + LdapEscape.DnValue(s.Get)).Count == 1;

        [Fact]
        public void Server_style_hex_escapes_are_read_as_UTF8()
            => Assert.Equal("Zoë", LdapEscape.ParseDn("CN=Zo\\c3\\ab,DC=lab")[0].Value);

        [Theory]
        [InlineData("CN=x,DC=lab", true)]
        [InlineData("jdupont", false)]
        [InlineData("jean=x", true)]
        [InlineData("a b=c", false)]
        public void Dn_shapes_are_recognised(string text, bool expected) => Assert.Equal(expected, LdapEscape.LooksLikeDn(text));

        [Fact]
        public void A_bad_filter_escape_is_a_clean_format_error()
            => Assert.Throws<FormatException>(() => LdapEscape.UnescapeFilterValue("a\\zz"));
    }

    public class IdentityTests
    {
        [Fact]
        public void Identities_are_recognised_and_escaped()
        {
            Assert.Equal("(&(&(objectClass=user)(!(objectClass=computer)))(sAMAccountName=a\\2ab))", UserDirectory.IdentityFilter("a*b", PrincipalKind.User).Filter);
            Assert.Equal("(&(&(objectClass=user)(!(objectClass=computer)))(sAMAccountName=jdupont))", UserDirectory.IdentityFilter("TSSR\\jdupont", PrincipalKind.User).Filter);
            Assert.Contains("(userPrincipalName=j\\28x\\29@tssr.lab)", UserDirectory.IdentityFilter("j(x)@tssr.lab", PrincipalKind.User).Filter);
            var (baseDn, _) = UserDirectory.IdentityFilter("CN=Dupont\\, Jean,OU=Staff,DC=tssr,DC=lab", PrincipalKind.User);
            Assert.Equal("CN=Dupont\\, Jean,OU=Staff,DC=tssr,DC=lab", baseDn);
            var guid = Guid.Parse("381b0a95-5005-4f35-a03c-757e71f6f438");
            Assert.Contains("(objectGUID=" + LdapEscape.FilterBytes(guid.ToByteArray()) + ")", UserDirectory.IdentityFilter(guid.ToString(), PrincipalKind.User).Filter);
            Assert.Contains("(objectSid=\\01\\05", UserDirectory.IdentityFilter("S-1-5-21-1-2-3-500", PrincipalKind.User).Filter);
        }

        [Theory]
        [InlineData("S-1-5-21-3666843495-806022373-572687902-500")]
        [InlineData("S-1-5-32-544")]
        [InlineData("S-1-0-0")]
        public void Sids_round_trip(string sid)
        {
            Assert.True(SecurityIdentifierCodec.TryParse(sid, out var bytes));
            Assert.Equal(sid, SecurityIdentifierCodec.ToText(bytes));
        }

        [Theory]
        [InlineData("S-1")]
        [InlineData("S-x-5")]
        [InlineData("jdupont")]
        public void Non_sids_are_refused(string text) => Assert.False(SecurityIdentifierCodec.TryParse(text, out _));
    }

    public class AccountRuleTests
    {
        private static readonly DateTime Now = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

        [Fact]
        public void A_stale_lockoutTime_is_not_a_lock()
            => Assert.False(AccountState.IsLockedOut(Now.AddHours(-2), TimeSpan.FromMinutes(30), Now));

        [Fact]
        public void A_recent_lockoutTime_is_a_lock_until_the_duration_ends()
        {
            Assert.True(AccountState.IsLockedOut(Now.AddMinutes(-10), TimeSpan.FromMinutes(30), Now));
            Assert.Equal(Now.AddMinutes(20), AccountState.LockoutEnd(Now.AddMinutes(-10), TimeSpan.FromMinutes(30)));
        }

        [Fact]
        public void A_zero_duration_locks_until_an_administrator_unlocks()
            => Assert.True(AccountState.IsLockedOut(Now.AddYears(-1), TimeSpan.Zero, Now));

        [Fact]
        public void No_lockoutTime_is_no_lock() => Assert.False(AccountState.IsLockedOut(null, TimeSpan.FromMinutes(30), Now));

        [Theory]
        [InlineData("0000052D: Constraint violation - check_password_restrictions: the password is too short.", 0x52D, "LdapPasswordPolicyViolation")]
        [InlineData("80090308: LdapErr: DSID-0C09030B, comment: AcceptSecurityContext error, data 775, v4563", 0x775, "DirectoryAccountLockedOut")]
        [InlineData("00002081: single value", 0x2081, "LdapSingleValueConstraint")]
        [InlineData("0000001F: unicodePwd", 0x1F, "LdapPasswordWriteRefused")]
        public void AD_codes_are_read_and_named(string diagnostic, int code, string errorId)
        {
            Assert.Equal(code, DirectoryErrors.ExtractCode(diagnostic));
            Assert.Equal(errorId, DirectoryErrors.Describe(code)!.Value.ErrorId);
        }

        [Fact]
        public void Generated_passwords_meet_the_policy_and_avoid_the_names()
        {
            var policy = new PasswordPolicy("DC=lab", false, 20, true, 24, null, 0, null);
            for (var i = 0; i < 50; i++)
            {
                using (var p = PasswordGenerator.Generate(policy, "jdupont"))
                {
                    var text = new System.Net.NetworkCredential(string.Empty, p).Password;
                    Assert.Equal(20, text.Length);
                    Assert.Contains(text, char.IsUpper);
                    Assert.Contains(text, char.IsLower);
                    Assert.Contains(text, char.IsDigit);
                    Assert.Contains(text, c => !char.IsLetterOrDigit(c));
                    Assert.DoesNotContain("jdupont", text, StringComparison.OrdinalIgnoreCase);
                }
            }
            using (var shortPolicy = PasswordGenerator.Generate(new PasswordPolicy("DC=lab", false, 7, true, 0, null, 0, null)))
                Assert.Equal(PasswordGenerator.DefaultLength, shortPolicy.Length);
        }

        [Fact]
        public void The_unicodePwd_value_is_the_quoted_password_in_UTF16()
        {
            var s = new SecureString();
            foreach (var c in "Pä1!") s.AppendChar(c);
            var bytes = PasswordGenerator.ToUnicodePwd(s);
            Assert.Equal(System.Text.Encoding.Unicode.GetBytes("\"Pä1!\""), bytes);
        }

        [Theory]
        [InlineData("OU=Staff,DC=tssr,DC=lab", "ou=staff, dc=TSSR,dc=lab", true)]
        [InlineData("OU=Dupont\\, Jean,DC=x", "ou=dupont\\2C jean,dc=x", true)]
        [InlineData("OU=Staff,DC=tssr,DC=lab", "OU=Staff2,DC=tssr,DC=lab", false)]
        [InlineData("OU=Staff,DC=tssr,DC=lab", "OU=Staff,OU=Paris,DC=tssr,DC=lab", false)]
        public void Same_dn_ignores_case_spacing_and_escaping(string a, string b, bool same)
            => Assert.Equal(same, LdapEscape.SameDn(a, b));

        [Fact]
        public void First_rdn_keeps_its_escapes()
        {
            Assert.Equal("CN=Dupont\\, Jean", LdapEscape.FirstRdn("CN=Dupont\\, Jean,OU=Staff,DC=tssr,DC=lab"));
            Assert.Equal("CN=a", LdapEscape.FirstRdn("CN=a , DC=x"));
            Assert.Equal("DC=lab", LdapEscape.FirstRdn("DC=lab"));
        }
    }
}
