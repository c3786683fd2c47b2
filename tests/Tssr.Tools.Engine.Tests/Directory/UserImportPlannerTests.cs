using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Directory;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Directory
{
    /// <summary>The import planner's rules against an in-memory directory (the lab tests run the same rules against Samba).</summary>
    public class UserImportPlannerTests
    {
        private const string Base = "DC=tssr,DC=lab";
        private const string Ou = "OU=Staff,DC=tssr,DC=lab";

        private sealed class FakeDirectory : IUserImportDirectory, IUserImportWriter
        {
            public List<ExistingAccount> Accounts { get; } = new List<ExistingAccount>();
            public Dictionary<string, int> Limits { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
            {
                ["givenName"] = 64, ["sn"] = 64, ["cn"] = 64, ["displayName"] = 256, ["department"] = 64, ["userPrincipalName"] = 1024,
            };
            public List<string> Writes { get; } = new List<string>();
            public int LimitReads { get; private set; }

            public string DomainName => "tssr.lab";
            public string BaseDn => Base;
            public IUserImportWriter Writer => this;
            public void RequireEncryption(object target) { }
            public Task<PasswordPolicy?> DomainPolicyAsync(CancellationToken ct) => Task.FromResult<PasswordPolicy?>(new PasswordPolicy(Base, false, 7, true, 24, null, 3, null));
            public Task<ISet<string>> UpnSuffixesAsync(CancellationToken ct) => Task.FromResult<ISet<string>>(new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "tssr.lab" });
            public Task<IReadOnlyDictionary<string, int>> AttributeLimitsAsync(IEnumerable<string> attributes, CancellationToken ct)
            {
                LimitReads++;
                return Task.FromResult<IReadOnlyDictionary<string, int>>(Limits);
            }
            public Task<string?> ContainerAsync(string dn, CancellationToken ct) => Task.FromResult<string?>(dn.EndsWith(Base, StringComparison.OrdinalIgnoreCase) ? dn : null);
            public Task<string?> GroupAsync(string identity, CancellationToken ct) => Task.FromResult<string?>(identity == "Helpdesk" ? "CN=Helpdesk," + Ou : null);
            public Task<IReadOnlyList<ExistingAccount>> FindAccountsAsync(IReadOnlyCollection<string> sams, IReadOnlyCollection<string> upns, CancellationToken ct)
                => Task.FromResult<IReadOnlyList<ExistingAccount>>(Accounts.Where(a => sams.Contains(a.Value("sAMAccountName"), StringComparer.OrdinalIgnoreCase)).ToList());
            public Task<IUserImportWriter> OpenWriterAsync(CancellationToken ct) => Task.FromResult<IUserImportWriter>(this);
            public Task AddMembersAsync(string groupDn, IReadOnlyList<string> memberDns, CancellationToken ct) { lock (Writes) Writes.Add("members " + groupDn + " " + memberDns.Count); return Task.CompletedTask; }
            public Task AddMemberAsync(string groupDn, string memberDn, CancellationToken ct) => Task.CompletedTask;
            public Task CreateUserAsync(NewUserRequest request, string dn, object target, CancellationToken ct) { lock (Writes) Writes.Add("create " + dn); return Task.CompletedTask; }
            public Task ModifyAsync(string dn, IReadOnlyList<KeyValuePair<string, string>> replace, object target, CancellationToken ct)
            { lock (Writes) Writes.Add("modify " + dn + " " + string.Join(",", replace.Select(r => r.Key))); return Task.CompletedTask; }
            public Task<string> MoveAsync(string dn, string newParent, object target, CancellationToken ct) => Task.FromResult(LdapEscape.FirstRdn(dn) + "," + newParent);
            public void Dispose() { }
        }

        private static ImportRow Row(int line, params (string Column, string Value)[] values)
            => new ImportRow("users.csv", line, values.ToDictionary(v => v.Column, v => (string?)v.Value));

        private static async Task<(List<ImportPlanEntry> Plan, RecordingSink Sink)> PlanAsync(FakeDirectory directory, params ImportRow[] rows)
        {
            var sink = new RecordingSink();
            var plan = await new UserImporter(directory).PlanAsync(rows, new UserImportOptions { DefaultPath = Ou }, sink, CancellationToken.None);
            return (plan, sink);
        }

        [Fact]
        public async Task A_value_longer_than_the_schema_allows_is_refused_in_the_plan_with_its_row_column_and_limit()
        {
            var (plan, sink) = await PlanAsync(new FakeDirectory(),
                Row(2, ("Prenom", "Jean"), ("Nom", "Dupont"), ("Service", new string('x', 300))),
                Row(3, ("Prenom", "Anne"), ("Nom", "Martin"), ("Service", "Compta")));
            Assert.Equal(ImportAction.Invalid, plan[0].Action);
            var reason = Assert.Single(plan[0].Reasons, r => r.Contains("300"));
            Assert.Contains("Service", reason);
            Assert.Contains("64", reason);
            Assert.Contains("department", reason);
            Assert.Equal(ImportAction.Create, plan[1].Action);
            var error = Assert.Single(sink.Errors);
            Assert.Equal("CsvRowInvalid", error.ErrorId);
            Assert.Equal("users.csv:2", error.Target);
        }

        [Fact]
        public async Task A_name_made_from_other_columns_is_checked_against_the_limit_too()
        {
            var (plan, _) = await PlanAsync(new FakeDirectory(), Row(2, ("GivenName", new string('a', 40)), ("Surname", new string('b', 30))));
            Assert.Equal(ImportAction.Invalid, plan[0].Action);
            Assert.Contains(plan[0].Reasons, r => r.Contains("71") && r.Contains("cn"));
        }

        [Theory]
        [InlineData("Jean\nPierre")]
        [InlineData("Jean\rPierre")]
        [InlineData("Jean\tPierre")]
        [InlineData("Jean\u0000")]
        [InlineData("Jean\u001b[31m")]
        public async Task A_control_character_in_a_name_is_refused_in_the_plan(string given)
        {
            var (plan, _) = await PlanAsync(new FakeDirectory(), Row(7, ("Prénom", given), ("Nom", "Dupont")));
            Assert.Equal(ImportAction.Invalid, plan[0].Action);
            Assert.Contains(plan[0].Reasons, r => r.Contains("Prénom") && r.Contains("U+00"));
            Assert.Equal("users.csv:7", plan[0].Target);
        }

        [Fact]
        public async Task An_update_lists_only_what_the_file_gives_and_differs_never_a_derived_display_name_or_upn()
        {
            var directory = new FakeDirectory();
            directory.Accounts.Add(new ExistingAccount("CN=Jean Dupont," + Ou, new Dictionary<string, string?>
            {
                ["sAMAccountName"] = "jdupont", ["userPrincipalName"] = "jean.dupont@tssr.lab", ["givenName"] = "Jean", ["sn"] = "Dupont",
                ["displayName"] = "DUPONT Jean (Compta)", ["department"] = "Compta",
            }, Array.Empty<string>()));
            var (plan, _) = await PlanAsync(directory,
                Row(2, ("SamAccountName", "jdupont"), ("GivenName", "Jean"), ("Surname", "Dupont"), ("Department", "Paie"), ("Groups", "Helpdesk")));
            var entry = Assert.Single(plan);
            Assert.Equal(ImportAction.Update, entry.Action);
            Assert.Equal(new[] { "department", "+CN=Helpdesk," + Ou }, entry.Changes);

            var sink = new RecordingSink();
            await new UserImporter(directory).RunAsync(new UserImportOptions { DefaultPath = Ou },
                new[] { Row(2, ("SamAccountName", "jdupont"), ("GivenName", "Jean"), ("Surname", "Dupont"), ("Department", "Paie")) }, sink, CancellationToken.None);
            Assert.Contains("modify CN=Jean Dupont," + Ou + " department", directory.Writes);
        }

        [Fact]
        public async Task The_same_values_make_an_unchanged_row_and_no_write()
        {
            var directory = new FakeDirectory();
            directory.Accounts.Add(new ExistingAccount("CN=Jean Dupont," + Ou, new Dictionary<string, string?>
            {
                ["sAMAccountName"] = "jdupont", ["givenName"] = "Jean", ["sn"] = "Dupont", ["displayName"] = "Someone Else",
            }, Array.Empty<string>()));
            var sink = new RecordingSink();
            await new UserImporter(directory).RunAsync(new UserImportOptions { DefaultPath = Ou },
                new[] { Row(2, ("SamAccountName", "jdupont"), ("GivenName", "Jean"), ("Surname", "Dupont")) }, sink, CancellationToken.None);
            var entry = Assert.Single(sink.OutputsOf<ImportPlanEntry>());
            Assert.Equal(ImportAction.Unchanged, entry.Action);
            Assert.Empty(directory.Writes);
            Assert.Empty(sink.Questions);
        }

        [Fact]
        public async Task The_engine_asks_once_for_the_whole_plan_and_whatif_writes_nothing()
        {
            var directory = new FakeDirectory();
            var sink = new RecordingSink { Answer = (_, _) => false };
            await new UserImporter(directory).RunAsync(new UserImportOptions { DefaultPath = Ou },
                new[] { Row(2, ("GivenName", "Jean"), ("Surname", "Dupont")), Row(3, ("GivenName", "Anne"), ("Surname", "Martin")) }, sink, CancellationToken.None);
            var question = Assert.Single(sink.Questions);
            Assert.Equal("users.csv", question.Target);
            Assert.Contains("2", question.Action);
            Assert.Empty(directory.Writes);
            Assert.All(sink.OutputsOf<ImportPlanEntry>(), e => Assert.Equal(ImportOutcome.Planned, e.Outcome));

            sink = new RecordingSink();
            await new UserImporter(directory).RunAsync(new UserImportOptions { DefaultPath = Ou },
                new[] { Row(2, ("GivenName", "Jean"), ("Surname", "Dupont")) }, sink, CancellationToken.None);
            Assert.Equal(ImportOutcome.Done, Assert.Single(sink.OutputsOf<ImportPlanEntry>()).Outcome);
            Assert.Contains("create CN=Jean Dupont," + Ou, directory.Writes);
        }

        [Theory]
        [InlineData("Ab1!", PasswordRule.Length)]
        [InlineData("abcdefgh1", PasswordRule.Complexity)]
        [InlineData("Xjdupont1!", PasswordRule.ContainsAccountName)]
        [InlineData("Dupont-2026!", PasswordRule.ContainsDisplayName)]
        public void A_refused_password_names_the_one_rule_it_breaks(string password, PasswordRule expected)
        {
            var policy = new PasswordPolicy(Base, false, 7, true, 24, null, 3, null);
            Assert.Equal(expected, PasswordRules.FirstBroken(password.ToCharArray(), policy, "jdupont", "Jean Dupont"));
        }

        [Fact]
        public void A_compliant_password_breaks_no_rule_and_the_reset_error_says_so_without_guessing()
        {
            var policy = new PasswordPolicy(Base, false, 7, true, 24, null, 3, null);
            Assert.Null(PasswordRules.FirstBroken("Correct-Horse-9".ToCharArray(), policy, "jdupont", "Jean Dupont"));
            var pwd = System.Text.Encoding.Unicode.GetBytes("\"Correct-Horse-9\"");
            var error = UserDirectory.RefusedPassword(new TssrError("LdapPasswordPolicyViolation", TssrErrorCategory.InvalidArgument, "x", "m"), "CN=J," + Ou, pwd, policy, "jdupont", "Jean Dupont");
            Assert.DoesNotContain("Correct-Horse-9", error.Message);
            Assert.Contains("password filter", error.Message);
            var weak = System.Text.Encoding.Unicode.GetBytes("\"abcdefgh1\"");
            error = UserDirectory.RefusedPassword(new TssrError("LdapPasswordPolicyViolation", TssrErrorCategory.InvalidArgument, "x", "m"), "CN=J," + Ou, weak, policy, "jdupont", "Jean Dupont");
            Assert.Contains("complexity", error.Message);
            Assert.DoesNotContain("length", error.Message);
            Assert.DoesNotContain("history", error.Message);
        }

        [Fact]
        public void An_unreadable_PSO_claims_no_rule_and_the_reset_error_names_it_instead_of_unread_values()
        {
            const string pso = "CN=Hidden,CN=Password Settings Container,CN=System," + Base;
            var policy = PasswordPolicy.Unreadable(pso, true);
            Assert.False(policy.Readable);
            Assert.Null(policy.MinLength);
            Assert.Null(policy.LockoutThreshold);
            Assert.Null(policy.ComplexityEnabled);
            Assert.Null(PasswordRules.FirstBroken("a".ToCharArray(), policy, "jdupont", "Jean Dupont"));
            var pwd = System.Text.Encoding.Unicode.GetBytes("\"a\"");
            var error = UserDirectory.RefusedPassword(new TssrError("LdapPasswordPolicyViolation", TssrErrorCategory.InvalidArgument, "x", "m"), "CN=J," + Ou, pwd, policy, "jdupont", "Jean Dupont");
            Assert.Contains(pso, error.Message);
            Assert.Contains("could not be read with this account", error.Message);
            Assert.DoesNotContain("0 characters", error.Message);
            using (var generated = PasswordGenerator.Generate(policy, "jdupont"))
                Assert.Equal(PasswordGenerator.UnreadablePolicyLength, generated.Length);
        }
    }
}
