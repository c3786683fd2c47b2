using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.DirectoryServices.Protocols;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>What the plan does with a row.</summary>
    public enum ImportAction
    {
        Create,
        Update,
        Unchanged,
        Invalid,
    }

    /// <summary>What happened to a row.</summary>
    public enum ImportOutcome
    {
        /// <summary>Planned only (-WhatIf, or declined).</summary>
        Planned,
        Done,
        Failed,
        /// <summary>Nothing to do (Unchanged) or not applicable (Invalid).</summary>
        Skipped,
    }

    /// <summary>Options of Import-TssrUser.</summary>
    public sealed class UserImportOptions
    {
        /// <summary>The OU for rows without one; null: the domain's Users container.</summary>
        public string? DefaultPath { get; set; }
        /// <summary>The UPN suffix for rows without a UPN; null: the domain's DNS name.</summary>
        public string? UpnSuffix { get; set; }
        /// <summary>LDAP connections used in parallel to apply the plan.</summary>
        public int ThrottleLimit { get; set; } = 4;
        public bool ChangePasswordAtLogon { get; set; }
        /// <summary>What the ShouldProcess question names when there are no rows: the file, or "&lt;input&gt;".</summary>
        public string Source { get; set; } = "<input>";
    }

    /// <summary>One row of the plan, and after applying it, its outcome.</summary>
    public sealed class ImportPlanEntry
    {
        internal ImportPlanEntry(ImportRow row)
        {
            Row = row.Row;
            Source = row.Source;
        }

        public int Row { get; }
        public string Source { get; }
        public string Target => Source + ":" + Row.ToString(CultureInfo.InvariantCulture);
        public ImportAction Action { get; internal set; }
        public ImportOutcome Outcome { get; internal set; } = ImportOutcome.Planned;
        public string? SamAccountName { get; internal set; }
        public string? UserPrincipalName { get; internal set; }
        public string? Name { get; internal set; }
        public string? DisplayName { get; internal set; }
        public string? Path { get; internal set; }
        public string? DistinguishedName { get; internal set; }
        public bool Enabled { get; internal set; }
        public ValueList<string> Groups { get; internal set; } = ValueList<string>.Empty;
        /// <summary>What Create/Update writes: attribute names and "+group" entries.</summary>
        public ValueList<string> Changes { get; internal set; } = ValueList<string>.Empty;
        /// <summary>Why the row is invalid, or notes (e.g. a transliterated login).</summary>
        public ValueList<string> Reasons { get; internal set; } = ValueList<string>.Empty;
        public string? Error { get; internal set; }

        internal UserAttributes Attributes { get; } = new UserAttributes();
        internal SecureString? Password { get; set; }
        internal List<KeyValuePair<string, string>> Modifications { get; } = new List<KeyValuePair<string, string>>();
        /// <summary>LDAP attributes whose value the planner made up (display name, UPN): written on create, never compared on update.</summary>
        internal HashSet<string> Derived { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        internal bool MustChange { get; set; }
        internal List<string> GroupDnsToAdd { get; } = new List<string>();
        /// <summary>True when the row itself names the OU (a default path never moves an existing account).</summary>
        internal bool PathFromRow { get; set; }
        /// <summary>The container an existing account moves to (the DN the directory returned for the row's OU).</summary>
        internal string? MoveTo { get; set; }

        public override string ToString() => Target + " " + Action + " " + SamAccountName;
    }

    /// <summary>
    /// Import-TssrUser: the whole input validated into a plan, the one ShouldProcess question for
    /// it, then the plan applied over a few connections; every row's entry written last. The
    /// directory is reached through <see cref="IUserImportDirectory"/>.
    /// </summary>
    public sealed class UserImporter : IEngine<UserImportOptions, ImportRow>
    {
        private static readonly Localizer Text = DirectoryText.Strings;
        private const int MemberBatch = 200;

        private static readonly Dictionary<string, string> ColumnAliases = BuildAliases();

        /// <summary>The LDAP attribute each text column writes (the schema's rangeUpper applies to it).</summary>
        private static readonly Dictionary<string, string> ColumnAttributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["GivenName"] = "givenName", ["Surname"] = "sn", ["DisplayName"] = "displayName", ["Name"] = "cn",
            ["UserPrincipalName"] = "userPrincipalName", ["Description"] = "description", ["EmailAddress"] = "mail",
            ["Department"] = "department", ["Title"] = "title", ["Company"] = "company", ["Office"] = "physicalDeliveryOfficeName",
            ["OfficePhone"] = "telephoneNumber",
        };

        private readonly IUserImportDirectory _directory;

        public UserImporter(IUserImportDirectory directory)
        {
            _directory = directory;
        }

        public UserImporter(UserDirectory directory)
            : this(new LdapUserImportDirectory(directory))
        {
        }

        private static Dictionary<string, string> BuildAliases()
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            void Add(string canonical, params string[] names)
            {
                map[Key(canonical)] = canonical;
                foreach (var n in names) map[Key(n)] = canonical;
            }
            Add("GivenName", "FirstName", "Prenom", "Prénom");
            Add("Surname", "LastName", "Nom", "sn", "NomDeFamille");
            Add("SamAccountName", "Login", "Identifiant", "Sam");
            Add("Name", "CN", "NomComplet");
            Add("DisplayName", "NomAffiche", "NomAffiché");
            Add("UserPrincipalName", "UPN");
            Add("OU", "Path", "OrganizationalUnit", "UniteOrganisationnelle");
            Add("Groups", "Group", "Groupes", "Groupe", "MemberOf");
            Add("Password", "AccountPassword", "MotDePasse", "Mdp");
            Add("Enabled", "Actif", "Active");
            Add("ChangePasswordAtLogon", "MustChangePassword", "ChangerMotDePasse");
            Add("Description");
            Add("EmailAddress", "Mail", "Email", "Courriel");
            Add("Department", "Service", "Departement");
            Add("Title", "Fonction", "Poste");
            Add("Company", "Societe", "Entreprise");
            Add("Office", "Bureau");
            Add("OfficePhone", "Telephone", "Phone", "Tel");
            return map;
        }

        private static string Key(string column) => new string(LoginText.Transliterate(column).ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

        /// <summary>The canonical column a header means, or null when unknown.</summary>
        public static string? CanonicalColumn(string header) => ColumnAliases.TryGetValue(Key(header), out var c) ? c : null;

        /// <summary>The row's values by canonical column, and the header each came from (as the file spells it).</summary>
        private static (Dictionary<string, string?> Values, Dictionary<string, string> Headers) Canonical(ImportRow row, HashSet<string> unknown)
        {
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var kv in row.Values)
            {
                if (kv.Key.StartsWith("\u0000", StringComparison.Ordinal)) { values[kv.Key] = kv.Value; continue; }
                var canonical = CanonicalColumn(kv.Key);
                if (canonical == null) { unknown.Add(kv.Key); continue; }
                var v = kv.Value?.Trim();
                if (!values.ContainsKey(canonical) || string.IsNullOrEmpty(values[canonical]))
                {
                    values[canonical] = string.IsNullOrEmpty(v) ? null : v;
                    headers[canonical] = kv.Key;
                }
            }
            return (values, headers);
        }

        /// <summary>
        /// Reads every row, plans, asks once (ShouldProcess on the source: -WhatIf stops there),
        /// applies, then writes each row's entry with its outcome. Invalid rows are errors
        /// (CsvRowInvalid, file:row); rows the DC refuses too (CsvRowFailed).
        /// </summary>
        public async Task RunAsync(UserImportOptions options, IEnumerable<ImportRow> inputs, IEngineSink sink, CancellationToken cancellationToken)
        {
            var rows = inputs.ToList();
            var source = rows.Count > 0 ? rows[0].Source : options.Source;
            var plan = await PlanAsync(rows, options, sink, cancellationToken).ConfigureAwait(false);
            try
            {
                int Count(ImportAction a) => plan.Count(p => p.Action == a);
                var create = Count(ImportAction.Create);
                var update = Count(ImportAction.Update);
                sink.Verbose(Text.Format("Verbose_ImportPlan", source, create, update, Count(ImportAction.Unchanged), Count(ImportAction.Invalid)));
                if (create + update > 0 && sink.ShouldProcess(source, Text.Format("Action_ImportApply", create, update, Count(ImportAction.Unchanged), Count(ImportAction.Invalid))))
                    await ApplyAsync(plan, options, sink, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ReleaseSecrets(plan);
            }
            foreach (var entry in plan) sink.Output(entry);
        }

        /// <summary>
        /// Validates every row before anything is written, and says for each: Create, Update,
        /// Unchanged or Invalid (with the reasons). Invalid rows are also reported as errors
        /// (CsvRowInvalid, target file:row).
        /// </summary>
        public async Task<List<ImportPlanEntry>> PlanAsync(IReadOnlyList<ImportRow> rows, UserImportOptions options, IEngineSink sink, CancellationToken ct)
        {
            var plan = new List<ImportPlanEntry>(rows.Count);
            var unknown = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var canonical = rows.Select(r => Canonical(r, unknown)).ToList();
            if (unknown.Count > 0) sink.Warning(Text.Format("Warning_CsvColumnsIgnored", string.Join(", ", unknown.OrderBy(u => u, StringComparer.OrdinalIgnoreCase))));
            if (rows.Count > 0)
            {
                var present = new HashSet<string>(rows.SelectMany(r => r.Values.Keys).Select(CanonicalColumn).Where(c => c != null).Select(c => c!), StringComparer.OrdinalIgnoreCase);
                var missing = new[] { "GivenName", "Surname" }.Where(c => !present.Contains(c)).ToArray();
                if (missing.Length > 0)
                    throw new TssrException("CsvColumnMissing", TssrErrorCategory.InvalidData, rows[0].Source + ":1",
                        Text.Format("Error_CsvColumnMissing", string.Join(", ", missing)), Text.Get("Action_CsvColumns"));
            }

            var policy = await _directory.DomainPolicyAsync(ct).ConfigureAwait(false);
            var suffixes = await _directory.UpnSuffixesAsync(ct).ConfigureAwait(false);
            var limits = await _directory.AttributeLimitsAsync(ColumnAttributes.Values, ct).ConfigureAwait(false);
            var defaultSuffix = string.IsNullOrWhiteSpace(options.UpnSuffix) ? _directory.DomainName : options.UpnSuffix!.TrimStart('@');
            var defaultPath = string.IsNullOrWhiteSpace(options.DefaultPath) ? "CN=Users," + _directory.BaseDn : options.DefaultPath!;
            var containers = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            var groups = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            var seenSam = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var seenUpn = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var seenDn = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

            // Pass 1: each row on its own, and against the rows before it.
            for (var i = 0; i < rows.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var row = rows[i];
                var (v, headers) = canonical[i];
                var entry = new ImportPlanEntry(row);
                plan.Add(entry);
                var reasons = new List<string>();
                var notes = new List<string>();
                string? Get(string k) => v.TryGetValue(k, out var x) ? x : null;
                string Column(string k) => headers.TryGetValue(k, out var h) ? h : k;

                if (v.ContainsKey("\u0000extra")) reasons.Add(Text.Get("Reason_ExtraFields"));
                // A line break or any other control character would be stored as such (a name
                // nobody can type): refused in every column but the password, which is never echoed.
                foreach (var kv in v)
                {
                    if (kv.Value == null || kv.Key.StartsWith("\u0000", StringComparison.Ordinal) || kv.Key == "Password") continue;
                    if (kv.Value.Any(char.IsControl))
                        reasons.Add(Text.Format("Reason_ControlCharacter", Column(kv.Key), ((int)kv.Value.First(char.IsControl)).ToString("X4", CultureInfo.InvariantCulture)));
                }
                var given = Get("GivenName");
                var surname = Get("Surname");
                if (given == null) reasons.Add(Text.Format("Reason_Missing", "GivenName"));
                if (surname == null) reasons.Add(Text.Format("Reason_Missing", "Surname"));

                var sam = Get("SamAccountName");
                if (sam != null)
                {
                    var ascii = LoginText.Transliterate(sam);
                    if (ascii != sam) { notes.Add(Text.Format("Note_Transliterated", sam, ascii)); sam = ascii; }
                }
                else if (given != null && surname != null)
                {
                    sam = LoginText.LoginFrom(given, surname);
                }
                entry.SamAccountName = sam;
                if (sam != null)
                {
                    var problem = LoginText.SamProblem(sam);
                    if (problem != null) reasons.Add(Text.Format(problem, sam, sam.Length));
                }

                var display = Get("DisplayName");
                if (display == null && given != null && surname != null) { display = given + " " + surname; entry.Derived.Add("displayName"); }
                entry.DisplayName = display;
                entry.Name = Get("Name") ?? display;
                var upn = Get("UserPrincipalName");
                if (upn == null && sam != null) { upn = sam + "@" + defaultSuffix; entry.Derived.Add("userPrincipalName"); }
                entry.UserPrincipalName = upn;
                if (upn != null)
                {
                    var at = upn.LastIndexOf('@');
                    var suffix = at > 0 ? upn.Substring(at + 1) : string.Empty;
                    if (at <= 0 || at == upn.Length - 1 || upn.IndexOf(' ') >= 0) reasons.Add(Text.Format("Reason_UpnMalformed", upn));
                    else if (!suffixes.Contains(suffix)) reasons.Add(Text.Format("Reason_UpnSuffix", suffix, string.Join(", ", suffixes.OrderBy(x => x))));
                }

                var rowPath = Get("OU");
                var path = rowPath ?? defaultPath;
                entry.Path = path;
                entry.PathFromRow = rowPath != null;
                if (entry.Name != null)
                {
                    try { entry.DistinguishedName = LdapEscape.ChildDn("CN", entry.Name, path); }
                    catch (ArgumentException) { reasons.Add(Text.Format("Reason_OuMalformed", path)); }
                }

                var groupList = (Get("Groups") ?? string.Empty).Split(new[] { ';', '|' }, StringSplitOptions.RemoveEmptyEntries)
                    .SelectMany(g => g.IndexOf('=') >= 0 ? new[] { g } : g.Split(','))
                    .Select(g => g.Trim()).Where(g => g.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
                entry.Groups = new ValueList<string>(groupList);

                bool? enabled = null, mustChange = null;
                if (Get("Enabled") is string en) { enabled = ParseBool(en); if (enabled == null) reasons.Add(Text.Format("Reason_Bool", "Enabled", en)); }
                if (Get("ChangePasswordAtLogon") is string cp) { mustChange = ParseBool(cp); if (mustChange == null) reasons.Add(Text.Format("Reason_Bool", "ChangePasswordAtLogon", cp)); }
                var password = Get("Password");
                if (password != null)
                {
                    var weak = PasswordProblem(password, policy, sam);
                    if (weak != null) reasons.Add(weak);
                }
                entry.Enabled = enabled ?? password != null;
                if (entry.Enabled && password == null) reasons.Add(Text.Get("Reason_EnabledWithoutPassword"));
                if (password != null)
                {
                    var secure = new SecureString();
                    foreach (var c in password) secure.AppendChar(c);
                    secure.MakeReadOnly();
                    entry.Password = secure;
                }
                entry.Attributes.GivenName = given;
                entry.Attributes.Surname = surname;
                entry.Attributes.DisplayName = display;
                entry.Attributes.UserPrincipalName = upn;
                entry.Attributes.Description = Get("Description");
                entry.Attributes.EmailAddress = Get("EmailAddress");
                entry.Attributes.Department = Get("Department");
                entry.Attributes.Title = Get("Title");
                entry.Attributes.Company = Get("Company");
                entry.Attributes.Office = Get("Office");
                entry.Attributes.OfficePhone = Get("OfficePhone");
                entry.MustChange = mustChange ?? options.ChangePasswordAtLogon;

                // The schema's limits, on the values that will really be written (derived ones included).
                var written = new List<KeyValuePair<string, string>>(entry.Attributes.Values());
                if (entry.Name != null) written.Add(new KeyValuePair<string, string>("cn", entry.Name));
                foreach (var kv in written)
                {
                    if (!limits.TryGetValue(kv.Key, out var max) || kv.Value.Length <= max) continue;
                    var column = ColumnAttributes.FirstOrDefault(c => string.Equals(c.Value, kv.Key, StringComparison.OrdinalIgnoreCase)).Key ?? kv.Key;
                    var label = headers.ContainsKey(column) ? headers[column] : Text.Format("Column_Derived", column);
                    reasons.Add(Text.Format("Reason_TooLong", label, kv.Value.Length, max, kv.Key));
                }

                if (sam != null && LoginText.SamProblem(sam) == null)
                {
                    if (seenSam.TryGetValue(sam, out var first)) reasons.Add(Text.Format("Reason_DuplicateSam", sam, first));
                    else seenSam[sam] = row.Row;
                }
                if (upn != null)
                {
                    if (seenUpn.TryGetValue(upn, out var first)) reasons.Add(Text.Format("Reason_DuplicateUpn", upn, first));
                    else seenUpn[upn] = row.Row;
                }
                if (entry.DistinguishedName != null)
                {
                    if (seenDn.TryGetValue(entry.DistinguishedName, out var first)) reasons.Add(Text.Format("Reason_DuplicateName", entry.Name, first));
                    else seenDn[entry.DistinguishedName] = row.Row;
                }
                if (!containers.ContainsKey(path)) containers[path] = null;
                foreach (var g in groupList) if (!groups.ContainsKey(g)) groups[g] = null;

                entry.Action = reasons.Count > 0 ? ImportAction.Invalid : ImportAction.Create;
                entry.Reasons = new ValueList<string>(reasons.Concat(notes));
            }

            // Pass 2: what the directory says (each OU and group once, users in batches).
            sink.Progress(new ProgressReport(Text.Get("Progress_ImportValidate"), Text.Format("Progress_ImportRows", rows.Count), -1));
            foreach (var path in containers.Keys.ToList())
                containers[path] = await _directory.ContainerAsync(path, ct).ConfigureAwait(false);
            foreach (var g in groups.Keys.ToList())
                groups[g] = await _directory.GroupAsync(g, ct).ConfigureAwait(false);
            var lookups = plan.Where(p => p.SamAccountName != null && LoginText.SamProblem(p.SamAccountName) == null).ToList();
            var existing = await _directory.FindAccountsAsync(
                lookups.Select(p => p.SamAccountName!).ToList(),
                lookups.Where(p => p.UserPrincipalName != null).Select(p => p.UserPrincipalName!).ToList(), ct).ConfigureAwait(false);
            var existingBySam = new Dictionary<string, ExistingAccount>(StringComparer.OrdinalIgnoreCase);
            var existingByUpn = new Dictionary<string, ExistingAccount>(StringComparer.OrdinalIgnoreCase);
            foreach (var e in existing)
            {
                if (e.Value("sAMAccountName") is string sam) existingBySam[sam] = e;
                if (e.Value("userPrincipalName") is string upn) existingByUpn[upn] = e;
            }

            foreach (var entry in plan)
            {
                var reasons = entry.Reasons.ToList();
                if (entry.Path != null && containers.TryGetValue(entry.Path, out var container) && container == null)
                    reasons.Add(Text.Format("Reason_OuMissing", entry.Path));
                foreach (var g in entry.Groups)
                {
                    if (groups.TryGetValue(g, out var dn) && dn != null) entry.GroupDnsToAdd.Add(dn);
                    else reasons.Add(Text.Format("Reason_GroupMissing", g));
                }
                ExistingAccount? account = null;
                if (entry.SamAccountName != null) existingBySam.TryGetValue(entry.SamAccountName, out account);
                if (entry.UserPrincipalName != null && existingByUpn.TryGetValue(entry.UserPrincipalName, out var byUpn)
                    && (account == null || !string.Equals(byUpn.DistinguishedName, account.DistinguishedName, StringComparison.OrdinalIgnoreCase)))
                    reasons.Add(Text.Format("Reason_UpnTaken", entry.UserPrincipalName, byUpn.Value("sAMAccountName")));
                var invalid = entry.Action == ImportAction.Invalid || reasons.Count > entry.Reasons.Count;
                entry.Reasons = new ValueList<string>(reasons);
                if (invalid)
                {
                    entry.Action = ImportAction.Invalid;
                    entry.Outcome = ImportOutcome.Skipped;
                    sink.Error(new TssrError("CsvRowInvalid", TssrErrorCategory.InvalidData, entry.Target,
                        Text.Format("Error_CsvRowInvalid", entry.Target, string.Join("; ", entry.Reasons)), Text.Get("Action_CsvRowInvalid")));
                    continue;
                }
                if (account == null)
                {
                    entry.Action = ImportAction.Create;
                    var changes = entry.Attributes.Values().Where(kv => kv.Value.Length > 0).Select(kv => kv.Key).ToList();
                    if (entry.Password != null) changes.Add("unicodePwd");
                    changes.AddRange(entry.GroupDnsToAdd.Select(g => "+" + g));
                    entry.Changes = new ValueList<string>(changes);
                    continue;
                }
                PlanUpdate(entry, account, containers);
            }
            return plan;
        }

        /// <summary>
        /// An existing account: only the values the file gives are compared (an empty cell, or a
        /// value the planner derived such as the display name or the UPN, leaves the directory's
        /// value alone); the password is never re-set. Changes lists exactly what will be written.
        /// </summary>
        private static void PlanUpdate(ImportPlanEntry entry, ExistingAccount account, Dictionary<string, string?> containers)
        {
            entry.DistinguishedName = account.DistinguishedName;
            var diff = new List<string>();
            foreach (var kv in entry.Attributes.Values())
            {
                if (kv.Value.Length == 0 || entry.Derived.Contains(kv.Key)) continue;
                if (string.Equals(account.Value(kv.Key), kv.Value, StringComparison.Ordinal)) continue;
                entry.Modifications.Add(kv);
                diff.Add(kv.Key);
            }
            // The row's OU moves the account there (same RDN); an OU that only comes from
            // -TargetOU or the default never moves anyone.
            var currentParent = LdapEscape.ParentDn(account.DistinguishedName);
            if (entry.PathFromRow && entry.Path != null && containers.TryGetValue(entry.Path, out var targetContainer)
                && targetContainer != null && !LdapEscape.SameDn(currentParent, targetContainer))
            {
                entry.MoveTo = targetContainer;
                diff.Add(Text.Format("Change_Move", currentParent, targetContainer));
            }
            var memberOf = new HashSet<string>(account.MemberOf, StringComparer.OrdinalIgnoreCase);
            entry.GroupDnsToAdd.RemoveAll(memberOf.Contains);
            diff.AddRange(entry.GroupDnsToAdd.Select(g => "+" + g));
            entry.Changes = new ValueList<string>(diff);
            entry.Action = diff.Count == 0 ? ImportAction.Unchanged : ImportAction.Update;
            if (entry.Action == ImportAction.Unchanged) entry.Outcome = ImportOutcome.Skipped;
            entry.Password?.Dispose();
            entry.Password = null;
        }

        /// <summary>Forgets the passwords a plan holds (after -WhatIf, or when the plan is not applied).</summary>
        public static void ReleaseSecrets(IEnumerable<ImportPlanEntry> plan)
        {
            foreach (var p in plan) { p.Password?.Dispose(); p.Password = null; }
        }

        internal static bool? ParseBool(string text)
        {
            switch (LoginText.Transliterate(text.Trim()).ToLowerInvariant())
            {
                case "1": case "true": case "vrai": case "yes": case "y": case "oui": case "o": case "x": return true;
                case "0": case "false": case "faux": case "no": case "n": case "non": return false;
                default: return null;
            }
        }

        /// <summary>The rule of the domain policy a new password breaks (length, complexity, the account's name in it); never echoes the password.</summary>
        internal static string? PasswordProblem(string password, PasswordPolicy? policy, string? sam)
        {
            // The display-name part of AD's rule is left out: Samba accepts such passwords, and a plan must not refuse what the DC accepts.
            var rule = PasswordRules.FirstBroken(password.ToCharArray(), policy, sam, null);
            return rule == null ? null : PasswordRules.Describe(rule.Value, policy!);
        }

        /// <summary>
        /// Applies Create and Update rows over up to ThrottleLimit connections, then the group
        /// memberships in batches. A row that fails is reported (CsvRowFailed, file:row) and the
        /// others go on; a user is created in one request with its password, so a refused password
        /// leaves nothing behind.
        /// </summary>
        public async Task ApplyAsync(List<ImportPlanEntry> plan, UserImportOptions options, IEngineSink sink, CancellationToken ct)
        {
            var work = plan.Where(p => p.Action == ImportAction.Create || p.Action == ImportAction.Update).ToList();
            if (work.Count == 0) return;
            if (work.Any(p => p.Password != null)) _directory.RequireEncryption(work[0].Target);
            var writers = new List<IUserImportWriter> { _directory.Writer };
            var opened = new List<IUserImportWriter>();
            try
            {
                var wanted = Math.Max(1, Math.Min(options.ThrottleLimit, (work.Count + 49) / 50));
                for (var i = 1; i < wanted; i++)
                {
                    try
                    {
                        var w = await _directory.OpenWriterAsync(ct).ConfigureAwait(false);
                        opened.Add(w);
                        writers.Add(w);
                    }
                    catch (TssrException e)
                    {
                        sink.Verbose(Text.Format("Verbose_SiblingFailed", e.Error.Message));
                        break;
                    }
                }
                var queue = new ConcurrentQueue<ImportPlanEntry>(work);
                var done = 0;
                var progressGate = new object();
                var workers = writers.Select(writer => Task.Run(async () =>
                {
                    while (queue.TryDequeue(out var entry))
                    {
                        ct.ThrowIfCancellationRequested();
                        await ApplyRowAsync(writer, entry, ct).ConfigureAwait(false);
                        var n = Interlocked.Increment(ref done);
                        if (n % 25 == 0 || n == work.Count)
                            lock (progressGate) sink.Progress(new ProgressReport(Text.Get("Progress_ImportApply"), Text.Format("Progress_ImportApplied", n, work.Count), n * 90 / work.Count));
                    }
                }, ct)).ToList();
                await Task.WhenAll(workers).ConfigureAwait(false);
                await AddMembersAsync(work.Where(p => p.Outcome != ImportOutcome.Failed).ToList(), ct).ConfigureAwait(false);
                foreach (var entry in work)
                {
                    if (entry.Outcome == ImportOutcome.Planned) entry.Outcome = ImportOutcome.Done;
                    if (entry.Outcome == ImportOutcome.Failed)
                        sink.Error(new TssrError("CsvRowFailed", TssrErrorCategory.WriteError, entry.Target,
                            Text.Format("Error_CsvRowFailed", entry.Target, entry.SamAccountName, entry.Error), Text.Get("Action_CsvRowFailed")));
                }
                sink.Progress(new ProgressReport(Text.Get("Progress_ImportApply"), string.Empty, 100, completed: true));
            }
            finally
            {
                foreach (var w in opened) w.Dispose();
                ReleaseSecrets(plan);
            }
        }

        private static async Task ApplyRowAsync(IUserImportWriter writer, ImportPlanEntry entry, CancellationToken ct)
        {
            try
            {
                if (entry.Action == ImportAction.Create)
                {
                    var request = new NewUserRequest(entry.Name!, entry.SamAccountName!)
                    {
                        Path = entry.Path,
                        AccountPassword = entry.Password,
                        Enabled = entry.Enabled,
                        ChangePasswordAtLogon = entry.MustChange,
                    };
                    Copy(entry.Attributes, request.Attributes);
                    await writer.CreateUserAsync(request, entry.DistinguishedName!, entry.Target, ct).ConfigureAwait(false);
                }
                else
                {
                    if (entry.Modifications.Count > 0)
                        await writer.ModifyAsync(entry.DistinguishedName!, entry.Modifications, entry.Target, ct).ConfigureAwait(false);
                    if (entry.MoveTo != null)
                        entry.DistinguishedName = await writer.MoveAsync(entry.DistinguishedName!, entry.MoveTo, entry.Target, ct).ConfigureAwait(false);
                }
            }
            catch (TssrException e)
            {
                entry.Outcome = ImportOutcome.Failed;
                entry.Error = e.Error.Message;
            }
        }

        private static void Copy(UserAttributes from, UserAttributes to)
        {
            to.GivenName = from.GivenName; to.Surname = from.Surname; to.DisplayName = from.DisplayName;
            to.UserPrincipalName = from.UserPrincipalName; to.Description = from.Description; to.EmailAddress = from.EmailAddress;
            to.Department = from.Department; to.Title = from.Title; to.Company = from.Company; to.Office = from.Office; to.OfficePhone = from.OfficePhone;
        }

        /// <summary>Memberships grouped per group, up to 200 members per request; a refused batch is retried member by member.</summary>
        private async Task AddMembersAsync(List<ImportPlanEntry> entries, CancellationToken ct)
        {
            var byGroup = entries.SelectMany(e => e.GroupDnsToAdd.Select(g => (Group: g, Entry: e))).GroupBy(x => x.Group, StringComparer.OrdinalIgnoreCase);
            foreach (var group in byGroup)
            {
                var members = group.ToList();
                for (var i = 0; i < members.Count; i += MemberBatch)
                {
                    ct.ThrowIfCancellationRequested();
                    var batch = members.Skip(i).Take(MemberBatch).ToList();
                    try
                    {
                        await _directory.AddMembersAsync(group.Key, batch.Select(m => m.Entry.DistinguishedName!).ToList(), ct).ConfigureAwait(false);
                    }
                    catch (TssrException)
                    {
                        foreach (var m in batch)
                        {
                            try { await _directory.AddMemberAsync(group.Key, m.Entry.DistinguishedName!, ct).ConfigureAwait(false); }
                            catch (TssrException e)
                            {
                                m.Entry.Outcome = ImportOutcome.Failed;
                                m.Entry.Error = Text.Format("Error_ImportMember", group.Key, e.Error.Message);
                            }
                        }
                    }
                }
            }
        }
    }
}
