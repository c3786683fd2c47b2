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
        public string[] Groups { get; internal set; } = Array.Empty<string>();
        /// <summary>What Create/Update writes: attribute names and "+group" entries.</summary>
        public string[] Changes { get; internal set; } = Array.Empty<string>();
        /// <summary>Why the row is invalid, or notes (e.g. a transliterated login).</summary>
        public string[] Reasons { get; internal set; } = Array.Empty<string>();
        public string? Error { get; internal set; }

        internal UserAttributes Attributes { get; } = new UserAttributes();
        internal SecureString? Password { get; set; }
        internal List<DirectoryAttributeModification> Modifications { get; } = new List<DirectoryAttributeModification>();
        internal List<string> GroupDnsToAdd { get; } = new List<string>();
        /// <summary>True when the row itself names the OU (a default path never moves an existing account).</summary>
        internal bool PathFromRow { get; set; }
        /// <summary>The container an existing account moves to (the DN the directory returned for the row's OU).</summary>
        internal string? MoveTo { get; set; }

        public override string ToString() => Target + " " + Action + " " + SamAccountName;
    }

    /// <summary>Import-TssrUser: the whole file validated into a plan, then the plan applied over a few connections.</summary>
    public sealed class UserImporter
    {
        private static readonly Localizer Text = DirectoryText.Strings;
        private const int LookupBatch = 40;
        private const int MemberBatch = 200;

        private static readonly Dictionary<string, string> ColumnAliases = BuildAliases();

        private static readonly string[] LookupAttributes =
        {
            "sAMAccountName", "userPrincipalName", "givenName", "sn", "displayName", "description", "mail", "department", "title",
            "company", "physicalDeliveryOfficeName", "telephoneNumber", "memberOf",
        };

        private readonly UserDirectory _directory;

        public UserImporter(UserDirectory directory)
        {
            _directory = directory;
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

        private static Dictionary<string, string?> Canonical(ImportRow row, HashSet<string> unknown)
        {
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var kv in row.Values)
            {
                if (kv.Key.StartsWith("\u0000", StringComparison.Ordinal)) { values[kv.Key] = kv.Value; continue; }
                var canonical = CanonicalColumn(kv.Key);
                if (canonical == null) { unknown.Add(kv.Key); continue; }
                var v = kv.Value?.Trim();
                if (!values.ContainsKey(canonical) || string.IsNullOrEmpty(values[canonical])) values[canonical] = string.IsNullOrEmpty(v) ? null : v;
            }
            return values;
        }

        /// <summary>
        /// Validates every row before anything is written, and says for each: Create, Update,
        /// Unchanged or Invalid (with the reasons). Invalid rows are also reported as errors
        /// (CsvRowInvalid, target file:row).
        /// </summary>
        public async Task<List<ImportPlanEntry>> PlanAsync(IReadOnlyList<ImportRow> rows, UserImportOptions options, IEngineSink sink, CancellationToken ct)
        {
            var session = _directory.Session;
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

            var policyEntry = await session.ReadAsync(session.BaseDn, PasswordPolicy.DomainAttributes, ct).ConfigureAwait(false);
            var policy = policyEntry == null ? null : PasswordPolicy.FromDomain(policyEntry);
            var suffixes = await AllowedUpnSuffixesAsync(ct).ConfigureAwait(false);
            var defaultSuffix = string.IsNullOrWhiteSpace(options.UpnSuffix) ? session.DomainName : options.UpnSuffix!.TrimStart('@');
            var defaultPath = string.IsNullOrWhiteSpace(options.DefaultPath) ? "CN=Users," + session.BaseDn : options.DefaultPath!;
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
                var v = canonical[i];
                var entry = new ImportPlanEntry(row);
                plan.Add(entry);
                var reasons = new List<string>();
                var notes = new List<string>();
                string? Get(string k) => v.TryGetValue(k, out var x) ? x : null;

                if (v.ContainsKey("\u0000extra")) reasons.Add(Text.Get("Reason_ExtraFields"));
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

                var display = Get("DisplayName") ?? (given != null && surname != null ? given + " " + surname : null);
                entry.DisplayName = display;
                entry.Name = Get("Name") ?? display;
                var upn = Get("UserPrincipalName") ?? (sam != null ? sam + "@" + defaultSuffix : null);
                entry.UserPrincipalName = upn;
                if (upn != null)
                {
                    var at = upn.LastIndexOf('@');
                    var suffix = at > 0 ? upn.Substring(at + 1) : string.Empty;
                    if (at <= 0 || at == upn.Length - 1 || upn.IndexOf(' ') >= 0) reasons.Add(Text.Format("Reason_UpnMalformed", upn));
                    else if (!suffixes.Contains(suffix)) reasons.Add(Text.Format("Reason_UpnSuffix", suffix, string.Join(", ", suffixes.OrderBy(s => s))));
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
                entry.Groups = groupList;

                bool? enabled = null, mustChange = null;
                if (Get("Enabled") is string en) { enabled = ParseBool(en); if (enabled == null) reasons.Add(Text.Format("Reason_Bool", "Enabled", en)); }
                if (Get("ChangePasswordAtLogon") is string cp) { mustChange = ParseBool(cp); if (mustChange == null) reasons.Add(Text.Format("Reason_Bool", "ChangePasswordAtLogon", cp)); }
                var password = Get("Password");
                if (password != null)
                {
                    var weak = PasswordProblem(password, policy, sam, display);
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
                _mustChange[entry] = mustChange ?? options.ChangePasswordAtLogon;

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
                entry.Reasons = reasons.Concat(notes).ToArray();
            }

            // Pass 2: what the directory says (each OU and group once, users in batches).
            sink.Progress(new ProgressReport(Text.Get("Progress_ImportValidate"), Text.Format("Progress_ImportRows", rows.Count), -1));
            foreach (var path in containers.Keys.ToList())
            {
                var found = await session.ReadAsync(path, new[] { "objectClass" }, ct).ConfigureAwait(false);
                containers[path] = found?.DistinguishedName;
            }
            foreach (var g in groups.Keys.ToList())
            {
                try { groups[g] = (await _directory.ResolveAsync(g, PrincipalKind.Group, new[] { "cn" }, ct).ConfigureAwait(false)).DistinguishedName; }
                catch (TssrException e) when (e.Error.ErrorId == "DirectoryGroupNotFound" || e.Error.ErrorId == "DirectoryIdentityAmbiguous") { groups[g] = null; }
            }
            var existingBySam = new Dictionary<string, SearchResultEntry>(StringComparer.OrdinalIgnoreCase);
            var existingByUpn = new Dictionary<string, SearchResultEntry>(StringComparer.OrdinalIgnoreCase);
            var lookups = plan.Where(p => p.SamAccountName != null && LoginText.SamProblem(p.SamAccountName) == null).ToList();
            for (var i = 0; i < lookups.Count; i += LookupBatch)
            {
                ct.ThrowIfCancellationRequested();
                var batch = lookups.Skip(i).Take(LookupBatch);
                var sb = new StringBuilder("(&").Append(UserDirectory.UserClassFilter).Append("(|");
                foreach (var p in batch)
                {
                    sb.Append("(sAMAccountName=").Append(LdapEscape.FilterValue(p.SamAccountName!)).Append(')');
                    if (p.UserPrincipalName != null) sb.Append("(userPrincipalName=").Append(LdapEscape.FilterValue(p.UserPrincipalName)).Append(')');
                }
                sb.Append("))");
                await session.SearchAsync(session.BaseDn, sb.ToString(), SearchScope.Subtree, LookupAttributes, e =>
                {
                    var s = LdapValues.String(e, "sAMAccountName");
                    var u = LdapValues.String(e, "userPrincipalName");
                    if (s != null) existingBySam[s] = e;
                    if (u != null) existingByUpn[u] = e;
                }, ct).ConfigureAwait(false);
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
                SearchResultEntry? existing = null;
                if (entry.SamAccountName != null) existingBySam.TryGetValue(entry.SamAccountName, out existing);
                if (entry.UserPrincipalName != null && existingByUpn.TryGetValue(entry.UserPrincipalName, out var byUpn)
                    && (existing == null || !string.Equals(byUpn.DistinguishedName, existing.DistinguishedName, StringComparison.OrdinalIgnoreCase)))
                    reasons.Add(Text.Format("Reason_UpnTaken", entry.UserPrincipalName, LdapValues.String(byUpn, "sAMAccountName")));
                var invalid = entry.Action == ImportAction.Invalid || reasons.Count > entry.Reasons.Length;
                entry.Reasons = reasons.ToArray();
                if (invalid)
                {
                    entry.Action = ImportAction.Invalid;
                    entry.Outcome = ImportOutcome.Skipped;
                    sink.Error(new TssrError("CsvRowInvalid", TssrErrorCategory.InvalidData, entry.Target,
                        Text.Format("Error_CsvRowInvalid", entry.Target, string.Join("; ", entry.Reasons)), Text.Get("Action_CsvRowInvalid")));
                    continue;
                }
                if (existing == null)
                {
                    entry.Action = ImportAction.Create;
                    var changes = entry.Attributes.Values().Where(kv => kv.Value.Length > 0).Select(kv => kv.Key).ToList();
                    if (entry.Password != null) changes.Add("unicodePwd");
                    changes.AddRange(entry.GroupDnsToAdd.Select(g => "+" + g));
                    entry.Changes = changes.ToArray();
                    continue;
                }
                // An existing account: only the values the file gives are compared (an empty cell
                // leaves the directory's value alone); the password is never re-set.
                entry.DistinguishedName = existing.DistinguishedName;
                var diff = new List<string>();
                foreach (var kv in entry.Attributes.Values())
                {
                    if (kv.Value.Length == 0) continue;
                    if (string.Equals(LdapValues.String(existing, kv.Key), kv.Value, StringComparison.Ordinal)) continue;
                    entry.Modifications.Add(UserDirectory.Modification(kv.Key, DirectoryAttributeOperation.Replace, kv.Value));
                    diff.Add(kv.Key);
                }
                // The row's OU moves the account there (same RDN); an OU that only comes from
                // -TargetOU or the default never moves anyone.
                var currentParent = LdapEscape.ParentDn(existing.DistinguishedName);
                if (entry.PathFromRow && entry.Path != null && containers.TryGetValue(entry.Path, out var targetContainer)
                    && targetContainer != null && !LdapEscape.SameDn(currentParent, targetContainer))
                {
                    entry.MoveTo = targetContainer;
                    diff.Add(Text.Format("Change_Move", currentParent, targetContainer));
                }
                var memberOf = new HashSet<string>(LdapValues.Strings(existing, "memberOf"), StringComparer.OrdinalIgnoreCase);
                entry.GroupDnsToAdd.RemoveAll(memberOf.Contains);
                diff.AddRange(entry.GroupDnsToAdd.Select(g => "+" + g));
                entry.Changes = diff.ToArray();
                entry.Action = diff.Count == 0 ? ImportAction.Unchanged : ImportAction.Update;
                if (entry.Action == ImportAction.Unchanged) entry.Outcome = ImportOutcome.Skipped;
                entry.Password?.Dispose();
                entry.Password = null;
            }
            return plan;
        }

        /// <summary>Forgets the passwords a plan holds (after -WhatIf, or when the plan is not applied).</summary>
        public static void ReleaseSecrets(IEnumerable<ImportPlanEntry> plan)
        {
            foreach (var p in plan) { p.Password?.Dispose(); p.Password = null; }
        }

        private readonly ConcurrentDictionary<ImportPlanEntry, bool> _mustChange = new ConcurrentDictionary<ImportPlanEntry, bool>();

        private async Task<HashSet<string>> AllowedUpnSuffixesAsync(CancellationToken ct)
        {
            var session = _directory.Session;
            var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { session.DomainName };
            var root = await session.ReadAsync(string.Empty, new[] { "configurationNamingContext" }, ct).ConfigureAwait(false);
            var config = root == null ? null : LdapValues.String(root, "configurationNamingContext");
            if (config != null)
            {
                var partitions = await session.ReadAsync("CN=Partitions," + config, new[] { "uPNSuffixes" }, ct).ConfigureAwait(false);
                if (partitions != null) foreach (var s in LdapValues.Strings(partitions, "uPNSuffixes")) set.Add(s);
            }
            return set;
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

        /// <summary>The domain policy's rules a DC would apply to a new password (length, complexity); never echoes the password.</summary>
        internal static string? PasswordProblem(string password, PasswordPolicy? policy, string? sam, string? displayName)
        {
            if (policy == null) return null;
            if (password.Length < policy.MinLength) return Text.Format("Reason_PasswordShort", policy.MinLength);
            if (!policy.ComplexityEnabled) return null;
            var classes = 0;
            if (password.Any(char.IsUpper)) classes++;
            if (password.Any(char.IsLower)) classes++;
            if (password.Any(char.IsDigit)) classes++;
            if (password.Any(c => !char.IsLetterOrDigit(c))) classes++;
            if (classes < 3) return Text.Get("Reason_PasswordComplexity");
            if (sam != null && sam.Length >= 3 && password.IndexOf(sam, StringComparison.OrdinalIgnoreCase) >= 0) return Text.Get("Reason_PasswordName");
            return null;
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
            if (work.Any(p => p.Password != null)) _directory.Session.RequireEncryption(work[0].Target);
            var sessions = new List<DirectorySession> { _directory.Session };
            var opened = new List<DirectorySession>();
            try
            {
                var wanted = Math.Max(1, Math.Min(options.ThrottleLimit, (work.Count + 49) / 50));
                for (var i = 1; i < wanted; i++)
                {
                    try
                    {
                        var s = await _directory.Session.OpenSiblingAsync(NullSink.Instance, ct).ConfigureAwait(false);
                        opened.Add(s);
                        sessions.Add(s);
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
                var workers = sessions.Select(session => Task.Run(async () =>
                {
                    while (queue.TryDequeue(out var entry))
                    {
                        ct.ThrowIfCancellationRequested();
                        await ApplyRowAsync(session, entry, ct).ConfigureAwait(false);
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
                foreach (var s in opened) s.Dispose();
                foreach (var p in plan) { p.Password?.Dispose(); p.Password = null; }
            }
        }

        private async Task ApplyRowAsync(DirectorySession session, ImportPlanEntry entry, CancellationToken ct)
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
                        ChangePasswordAtLogon = _mustChange.TryGetValue(entry, out var mc) && mc,
                    };
                    Copy(entry.Attributes, request.Attributes);
                    byte[]? secret = null;
                    try
                    {
                        var add = UserDirectory.BuildAddRequest(request, entry.DistinguishedName!, out secret);
                        await session.SendAsync(add, entry.Target, Text.Get("Op_CreateUser"), ct).ConfigureAwait(false);
                    }
                    finally
                    {
                        if (secret != null) Array.Clear(secret, 0, secret.Length);
                    }
                }
                else
                {
                    if (entry.Modifications.Count > 0)
                        await session.SendAsync(new ModifyRequest(entry.DistinguishedName!, entry.Modifications.ToArray()), entry.Target, Text.Get("Op_ModifyUser"), ct).ConfigureAwait(false);
                    if (entry.MoveTo != null)
                    {
                        var rdn = LdapEscape.FirstRdn(entry.DistinguishedName!);
                        await session.SendAsync(new ModifyDNRequest(entry.DistinguishedName!, entry.MoveTo, rdn) { DeleteOldRdn = true }, entry.Target, Text.Get("Op_MoveUser"), ct).ConfigureAwait(false);
                        // Re-read where the directory put it: group memberships that follow use that DN.
                        var moved = await session.ReadAsync(rdn + "," + entry.MoveTo, new[] { "objectClass" }, ct).ConfigureAwait(false);
                        entry.DistinguishedName = moved?.DistinguishedName ?? rdn + "," + entry.MoveTo;
                    }
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
                        var mod = new DirectoryAttributeModification { Name = "member", Operation = DirectoryAttributeOperation.Add };
                        foreach (var m in batch) mod.Add(m.Entry.DistinguishedName!);
                        await _directory.Session.SendAsync(new ModifyRequest(group.Key, mod), group.Key, Text.Get("Op_AddMember"), ct).ConfigureAwait(false);
                    }
                    catch (TssrException)
                    {
                        foreach (var m in batch)
                        {
                            try { await _directory.ChangeMemberAsync(group.Key, m.Entry.DistinguishedName!, true, ct).ConfigureAwait(false); }
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

        private sealed class NullSink : IEngineSink
        {
            public static readonly NullSink Instance = new NullSink();
            public void Output(object item) { }
            public void Error(TssrError error) { }
            public void Warning(string message) { }
            public void Verbose(string message) { }
            public void Progress(ProgressReport report) { }
            public bool ShouldProcess(string target, string action) => true;
        }
    }
}
