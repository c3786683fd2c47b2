using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Directory;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Directory
{
    public class AccountRulesTests
    {
        private static readonly DateTime Now = new DateTime(2026, 3, 4, 10, 30, 0, DateTimeKind.Utc); // a Wednesday

        [Fact]
        public void Password_expiry_is_last_set_plus_max_age_unless_never()
        {
            var set = Now.AddDays(-50);
            Assert.Equal(set.AddDays(42), AccountState.PasswordExpires(set, false, TimeSpan.FromDays(42)));
            Assert.Null(AccountState.PasswordExpires(set, true, TimeSpan.FromDays(42)));
            Assert.Null(AccountState.PasswordExpires(set, false, null));
            Assert.Null(AccountState.PasswordExpires(null, false, TimeSpan.FromDays(42)));
        }

        [Fact]
        public void Logon_hours_bits_start_sunday_midnight_utc_lsb_first()
        {
            var hours = new byte[21];
            var hour = 3 * 24 + 10; // Wednesday 10:00 UTC
            hours[hour / 8] = (byte)(1 << (hour % 8));
            Assert.True(AccountState.LogonHoursAllow(hours, Now));
            Assert.False(AccountState.LogonHoursAllow(hours, Now.AddHours(1)));
            Assert.True(AccountState.LogonHoursAllow(null, Now));
            Assert.False(AccountState.LogonHoursAllow(new byte[21], Now));
        }

        [Fact]
        public void Inactive_filter_uses_filetime_days_and_covers_never_logged_on()
        {
            var f = AccountSearch.CandidateFilter(AccountSearchCriterion.Inactive, Now, TimeSpan.FromDays(90));
            var cutoff = Now.AddDays(-90);
            Assert.Contains("(lastLogonTimestamp<=" + cutoff.ToFileTimeUtc() + ")", f);
            Assert.Contains("(whenCreated<=20251204103000.0Z)", f);
        }

        [Fact]
        public void Expired_filter_excludes_never_values()
        {
            var f = AccountSearch.CandidateFilter(AccountSearchCriterion.Expired, Now, TimeSpan.Zero);
            Assert.Contains("(accountExpires>=1)", f);
            Assert.Contains("(accountExpires<=" + Now.ToFileTimeUtc() + ")", f);
        }

        [Theory]
        [InlineData("Élodie", "Dupré", "elodie.dupre")]
        [InlineData("Zoë", "Ñúñez", "zoe.nunez")]
        [InlineData("Jean-Loïc", "O'Brien", "jean-loic.obrien")]
        [InlineData("Maximilien-Alexandre", "de la Tour d'Auvergne", "maximilien-alexandre")]
        [InlineData("Søren", "Łukasz Straße", "soren.lukaszstrasse")]
        public void Logins_are_transliterated_and_bounded(string given, string surname, string expected)
        {
            var login = LoginText.LoginFrom(given, surname);
            Assert.Equal(expected, login);
            Assert.Null(LoginText.SamProblem(login));
        }

        [Property]
        public bool Generated_logins_are_always_legal(NonEmptyString given, NonEmptyString surname)
        {
            var login = LoginText.LoginFrom(given.Get, surname.Get);
            return login.Length == 0 ? LoginText.SamProblem(login) != null : LoginText.SamProblem(login) == null;
        }

        [Theory]
        [InlineData("a/b", "Reason_SamIllegal")]
        [InlineData("abcdefghijklmnopqrstu", "Reason_SamTooLong")]
        [InlineData("dot.", "Reason_SamIllegal")]
        [InlineData("", "Reason_SamEmpty")]
        [InlineData("ok.name", null)]
        public void Sam_rules(string sam, string? problem) => Assert.Equal(problem, LoginText.SamProblem(sam));

        [Fact]
        public void Csv_reader_handles_semicolons_quotes_line_breaks_and_line_numbers()
        {
            var text = "Prénom;Nom;Description\r\n\"Jean\";\"Dupont; fils\";\"deux\nlignes\"\r\n\r\nZoé;\"O\"\"Brien\";x\r\n";
            var rows = CsvTable.Parse(text, "f.csv");
            Assert.Equal(2, rows.Count);
            Assert.Equal(2, rows[0].Row);
            Assert.Equal("Dupont; fils", rows[0].Values["Nom"]);
            Assert.Equal("deux\nlignes", rows[0].Values["Description"]);
            Assert.Equal(5, rows[1].Row);
            Assert.Equal("O\"Brien", rows[1].Values["Nom"]);
            Assert.Equal("f.csv:5", rows[1].Target);
        }

        [Fact]
        public void Csv_decoder_falls_back_to_latin1()
        {
            var latin1 = new byte[] { (byte)'P', (byte)'r', 0xE9, (byte)'n', (byte)'o', (byte)'m' };
            Assert.Equal("Prénom", CsvTable.Decode(latin1));
            var utf8 = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes("Prénom")).ToArray();
            Assert.Equal("Prénom", CsvTable.Decode(utf8));
        }

        [Theory]
        [InlineData("Prénom", "GivenName")]
        [InlineData("NOM", "Surname")]
        [InlineData("Mot de passe", "Password")]
        [InlineData("Groupes", "Groups")]
        [InlineData("nothing", null)]
        public void Columns_have_french_aliases(string header, string? canonical) => Assert.Equal(canonical, UserImporter.CanonicalColumn(header));

        [Fact]
        public void Password_rules_follow_the_policy_and_never_echo_the_password()
        {
            var policy = new PasswordPolicy("DC=x", false, 7, true, 24, null, 3, TimeSpan.FromMinutes(30));
            Assert.NotNull(UserImporter.PasswordProblem("abc", policy, "jdoe"));
            Assert.NotNull(UserImporter.PasswordProblem("abcdefgh", policy, "jdoe"));
            Assert.NotNull(UserImporter.PasswordProblem("Xjdoe-123", policy, "jdoe"));
            Assert.Null(UserImporter.PasswordProblem("Secret-123", policy, "jdoe"));
            Assert.DoesNotContain("abcdefgh", UserImporter.PasswordProblem("abcdefgh", policy, "jdoe"));
        }
    
        [Fact]
        public void Srv_records_are_tried_by_priority_then_weighted_draw()
        {
            var records = new[]
            {
                new DomainControllerRecord("b", 389, 10, 100),
                new DomainControllerRecord("a", 389, 0, 5),
                new DomainControllerRecord("c", 389, 0, 50),
                new DomainControllerRecord("z", 389, 0, 0),
            };
            var random = new Random(2782);
            var firsts = new Dictionary<string, int>();
            for (int i = 0; i < 20000; i++)
            {
                var order = DomainControllerLocator.Order(records, random).Select(r => r.Host).ToArray();
                // Every record is tried once, and the priority-10 one always after every priority-0 one.
                Assert.Equal(4, order.Length);
                Assert.Equal(new[] { "a", "b", "c", "z" }, order.OrderBy(h => h).ToArray());
                Assert.Equal("b", order[3]);
                firsts[order[0]] = firsts.TryGetValue(order[0], out var n) ? n + 1 : 1;
            }
            // RFC 2782: draw in [0, 55]; z (weight 0) is taken on a draw of 0 only (1/56), a on 1..5
            // (5/56), c on 6..55 (50/56).
            Assert.InRange(firsts["c"] / 20000.0, 50 / 56.0 - 0.02, 50 / 56.0 + 0.02);
            Assert.InRange(firsts["a"] / 20000.0, 5 / 56.0 - 0.015, 5 / 56.0 + 0.015);
            Assert.InRange(firsts.TryGetValue("z", out var z) ? z / 20000.0 : 0, 0.5 / 56.0, 2.0 / 56.0);
            Assert.Equal("_ldap._tcp.corp.example", DomainControllerLocator.SrvName("corp.example."));
            Assert.Equal("_ldap._tcp.Paris._sites.corp.example", DomainControllerLocator.SrvName("corp.example", "Paris"));
        }

        [Fact]
        public void Srv_records_of_weight_zero_are_all_tried_and_spread()
        {
            var records = Enumerable.Range(0, 3).Select(i => new DomainControllerRecord("dc" + i, 636, 0, 0)).ToArray();
            var random = new Random(7);
            var firsts = new HashSet<string>();
            for (int i = 0; i < 200; i++)
            {
                var order = DomainControllerLocator.Order(records, random);
                Assert.Equal(3, order.Select(r => r.Host).Distinct().Count());
                firsts.Add(order[0].Host);
            }
            Assert.Equal(3, firsts.Count);
        }
    

        [Fact]
        public void BadPasswordCountFallsBackToZeroAfterTheObservationWindow()
        {
            var last = new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc);
            var window = TimeSpan.FromMinutes(1);
            Assert.Equal(3, AccountState.EffectiveBadLogonCount(3, last, window, last.AddSeconds(30)));
            Assert.Equal(0, AccountState.EffectiveBadLogonCount(3, last, window, last.AddMinutes(2)));
            Assert.Equal(last.AddMinutes(1), AccountState.BadLogonCountReset(3, last, window));
            Assert.Null(AccountState.BadLogonCountReset(0, last, window));
            Assert.Equal(3, AccountState.EffectiveBadLogonCount(3, last, null, last.AddDays(1)));
        }
    }
}
