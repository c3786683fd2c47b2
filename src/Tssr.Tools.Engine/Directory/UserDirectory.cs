using System;
using System.Collections.Generic;
using System.DirectoryServices.Protocols;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>Which objects an identity may name.</summary>
    public enum PrincipalKind
    {
        User,
        Group,
        Any,
    }

    /// <summary>The attributes New-/Set-TssrUser write; null means "leave as is", "" means "clear".</summary>
    public sealed class UserAttributes
    {
        public string? GivenName { get; set; }
        public string? Surname { get; set; }
        public string? DisplayName { get; set; }
        public string? UserPrincipalName { get; set; }
        public string? Description { get; set; }
        public string? EmailAddress { get; set; }
        public string? Department { get; set; }
        public string? Title { get; set; }
        public string? Company { get; set; }
        public string? Office { get; set; }
        public string? OfficePhone { get; set; }
        /// <summary>userWorkstations: the computers the account may log on from, comma-separated ("" clears: any).</summary>
        public string? LogonWorkstations { get; set; }

        internal IEnumerable<KeyValuePair<string, string>> Values()
        {
            if (GivenName != null) yield return Pair("givenName", GivenName);
            if (Surname != null) yield return Pair("sn", Surname);
            if (DisplayName != null) yield return Pair("displayName", DisplayName);
            if (UserPrincipalName != null) yield return Pair("userPrincipalName", UserPrincipalName);
            if (Description != null) yield return Pair("description", Description);
            if (EmailAddress != null) yield return Pair("mail", EmailAddress);
            if (Department != null) yield return Pair("department", Department);
            if (Title != null) yield return Pair("title", Title);
            if (Company != null) yield return Pair("company", Company);
            if (Office != null) yield return Pair("physicalDeliveryOfficeName", Office);
            if (OfficePhone != null) yield return Pair("telephoneNumber", OfficePhone);
            if (LogonWorkstations != null) yield return Pair("userWorkstations", LogonWorkstations);
        }

        private static KeyValuePair<string, string> Pair(string k, string v) => new KeyValuePair<string, string>(k, v);
    }

    /// <summary>What New-TssrUser creates.</summary>
    public sealed class NewUserRequest
    {
        public NewUserRequest(string name, string samAccountName)
        {
            Name = name;
            SamAccountName = samAccountName;
        }

        public string Name { get; }
        public string SamAccountName { get; }
        /// <summary>The container DN; null for the domain's Users container.</summary>
        public string? Path { get; set; }
        public UserAttributes Attributes { get; } = new UserAttributes();
        public SecureString? AccountPassword { get; set; }
        public bool Enabled { get; set; }
        public bool ChangePasswordAtLogon { get; set; }
        public bool PasswordNeverExpires { get; set; }
        public DateTime? AccountExpirationDate { get; set; }
    }

    /// <summary>Answer of Reset-TssrUserPassword. The generated password is here once, as a SecureString, and nowhere else.</summary>
    public sealed class PasswordResetResult
    {
        internal PasswordResetResult(string sam, string dn, bool generated, SecureString? password, bool mustChange, PasswordPolicy policy, bool unlocked)
        {
            SamAccountName = sam;
            DistinguishedName = dn;
            Generated = generated;
            Password = password;
            ChangePasswordAtLogon = mustChange;
            PolicySource = policy.Source;
            PolicyMinLength = policy.MinLength;
            PolicyReadable = policy.Readable;
            Unlocked = unlocked;
        }

        public string SamAccountName { get; }
        public string DistinguishedName { get; }
        public bool Generated { get; }
        public SecureString? Password { get; }
        public bool ChangePasswordAtLogon { get; }
        public bool Unlocked { get; }
        public string PolicySource { get; }
        /// <summary>False when the policy (a PSO) applies but this account may not read it: PolicyMinLength is then null.</summary>
        public bool PolicyReadable { get; }
        public int? PolicyMinLength { get; }
    }

    /// <summary>The user and group operations of the helpdesk cmdlets, over one <see cref="DirectorySession"/>.</summary>
    public sealed class UserDirectory
    {
        private static readonly Localizer Text = DirectoryText.Strings;
        internal const string UserClassFilter = "(&(objectClass=user)(!(objectClass=computer)))";
        internal const string GroupClassFilter = "(objectClass=group)";
        internal const string AnyClassFilter = "(|(objectClass=user)(objectClass=group))";

        private readonly DirectorySession _session;

        public UserDirectory(DirectorySession session)
        {
            _session = session;
        }

        public DirectorySession Session => _session;

        /// <summary>
        /// The LDAP filter (or base DN) an identity means: a GUID, a SID (S-1-...), a DN, a UPN
        /// (user@suffix), DOMAIN\name or a sAMAccountName. Every value is escaped.
        /// </summary>
        public static (string? BaseDn, string Filter) IdentityFilter(string identity, PrincipalKind kind)
        {
            var classFilter = kind == PrincipalKind.User ? UserClassFilter : kind == PrincipalKind.Group ? GroupClassFilter : AnyClassFilter;
            var id = identity.Trim();
            if (id.StartsWith("{", StringComparison.Ordinal) && id.EndsWith("}", StringComparison.Ordinal)) id = id.Substring(1, id.Length - 2);
            if (Guid.TryParseExact(id, "D", out var guid) || Guid.TryParseExact(id, "N", out guid))
                return (null, "(&" + classFilter + "(objectGUID=" + LdapEscape.FilterBytes(guid.ToByteArray()) + "))");
            if (SecurityIdentifierCodec.TryParse(id, out var sid))
                return (null, "(&" + classFilter + "(objectSid=" + LdapEscape.FilterBytes(sid) + "))");
            if (LdapEscape.LooksLikeDn(identity))
                return (identity, classFilter);
            if (id.IndexOf('@') > 0 && kind != PrincipalKind.Group)
                return (null, "(&" + classFilter + "(userPrincipalName=" + LdapEscape.FilterValue(id) + "))");
            var slash = id.IndexOf('\\');
            if (slash > 0) id = id.Substring(slash + 1);
            return (null, "(&" + classFilter + "(sAMAccountName=" + LdapEscape.FilterValue(id) + "))");
        }

        /// <summary>The one entry an identity names; a clear error when none or several.</summary>
        internal async Task<SearchResultEntry> ResolveAsync(string identity, PrincipalKind kind, string[] attributes, CancellationToken ct)
        {
            var (baseDn, filter) = IdentityFilter(identity, kind);
            var at = identity.IndexOf('@');
            if (baseDn == null && at > 0 && kind != PrincipalKind.Group && filter.Contains("(userPrincipalName=")
                && string.Equals(identity.Substring(at + 1).Trim(), _session.DomainName, StringComparison.OrdinalIgnoreCase))
            {
                // The implicit UPN sam@dnsdomain of an account without userPrincipalName also logs on.
                var sam = LdapEscape.FilterValue(identity.Substring(0, at).Trim());
                filter = "(&" + UserClassFilter + "(|(userPrincipalName=" + LdapEscape.FilterValue(identity.Trim()) + ")(&(!(userPrincipalName=*))(sAMAccountName=" + sam + "))))";
            }
            List<SearchResultEntry> found;
            if (baseDn != null)
            {
                // A DN that names nothing (or lies outside every naming context) is "not found",
                // like any other identity, not an LDAP failure.
                try { found = await _session.SearchListAsync(baseDn, filter, SearchScope.Base, attributes, ct).ConfigureAwait(false); }
                catch (TssrException e) when (e.Error.ErrorId == "LdapObjectNotFound" || e.Error.ErrorId == "LdapInvalidDn") { found = new List<SearchResultEntry>(); }
            }
            else
            {
                found = await _session.SearchListAsync(_session.BaseDn, filter, SearchScope.Subtree, attributes, ct, sizeLimit: 2).ConfigureAwait(false);
            }
            if (found.Count == 0)
            {
                var what = Text.Get(kind == PrincipalKind.Group ? "Kind_Group" : kind == PrincipalKind.User ? "Kind_User" : "Kind_Principal");
                throw new TssrException(kind == PrincipalKind.Group ? "DirectoryGroupNotFound" : "DirectoryUserNotFound", TssrErrorCategory.ObjectNotFound, identity,
                    Text.Format("Error_IdentityNotFound", what, identity, _session.BaseDn), Text.Get("Action_IdentityNotFound"));
            }
            if (found.Count > 1)
                throw new TssrException("DirectoryIdentityAmbiguous", TssrErrorCategory.InvalidArgument, identity,
                    Text.Format("Error_IdentityAmbiguous", identity), Text.Get("Action_IdentityAmbiguous"));
            return found[0];
        }

        internal async Task<DirectoryUser> ReadUserAsync(string identity, CancellationToken ct)
        {
            var user = new DirectoryUser(await ResolveAsync(identity, PrincipalKind.User, DirectoryUser.Attributes, ct).ConfigureAwait(false));
            user.Judge(await Policies.ForAsync(user, ct).ConfigureAwait(false), DateTime.UtcNow);
            return user;
        }

        /// <summary>The policies read for this command (domain and PSOs, each once).</summary>
        internal PolicyBook Policies => _policies ?? (_policies = new PolicyBook(_session));

        private PolicyBook? _policies;

        /// <summary>
        /// Tab completion of -Identity: the accounts (or groups) whose sAMAccountName or name starts
        /// with <paramref name="prefix"/>, at most <paramref name="max"/>, sorted by sAMAccountName.
        /// </summary>
        public async Task<IReadOnlyList<(string SamAccountName, string Name, string DistinguishedName)>> CompleteIdentityAsync(string prefix, PrincipalKind kind, int max, CancellationToken ct)
        {
            var classFilter = kind == PrincipalKind.User ? UserClassFilter : kind == PrincipalKind.Group ? GroupClassFilter : AnyClassFilter;
            var value = LdapEscape.FilterValue(prefix.Trim());
            var filter = "(&" + classFilter + "(|(sAMAccountName=" + value + "*)(name=" + value + "*)))";
            var found = await _session.SearchListAsync(_session.BaseDn, filter, SearchScope.Subtree, new[] { "sAMAccountName", "name" }, ct, sizeLimit: max).ConfigureAwait(false);
            return found.Select(e => (LdapValues.String(e, "sAMAccountName") ?? string.Empty, LdapValues.String(e, "name") ?? string.Empty, e.DistinguishedName))
                .Where(x => x.Item1.Length > 0)
                .OrderBy(x => x.Item1, StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>Get-TssrUser -Identity.</summary>
        public async Task GetUserAsync(IEnumerable<string> identities, IEngineSink sink, CancellationToken ct)
        {
            foreach (var identity in identities)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    sink.Output(await ReadUserAsync(identity, ct).ConfigureAwait(false));
                }
                catch (TssrException e)
                {
                    sink.Error(e.Error);
                }
            }
        }

        /// <summary>
        /// Get-TssrUser -Filter (RSAT's language, translated and escaped) / -LDAPFilter (raw) /
        /// -SearchBase: paged, each user written as it arrives. Both filters given: both apply.
        /// </summary>
        public async Task FindUsersAsync(string? rsatFilter, string? ldapFilter, string? searchBase, DirectorySearchScope scope, int resultSetSize, IEngineSink sink, CancellationToken ct)
        {
            var parts = new List<string> { UserClassFilter };
            if (!string.IsNullOrWhiteSpace(rsatFilter)) parts.Add(RsatFilter.ToLdap(rsatFilter!));
            if (!string.IsNullOrWhiteSpace(ldapFilter)) parts.Add(WrapFilter(ldapFilter!));
            var filter = parts.Count == 1 ? UserClassFilter : "(&" + string.Concat(parts) + ")";
            var baseDn = string.IsNullOrWhiteSpace(searchBase) ? _session.BaseDn : searchBase!;
            var count = 0;
            // Every policy first, so each user is judged as it arrives (the session serves one request at a time).
            await Policies.PreloadAsync(ct).ConfigureAwait(false);
            await _session.SearchAsync(baseDn, filter, (SearchScope)(int)scope, DirectoryUser.Attributes, e =>
            {
                var user = new DirectoryUser(e);
                user.Judge(Policies.Known(user), DateTime.UtcNow);
                sink.Output(user);
                count++;
                if (count % 500 == 0) sink.Progress(new ProgressReport(Text.Get("Progress_Search"), Text.Format("Progress_Found", count), -1));
            }, ct, sizeLimit: resultSetSize).ConfigureAwait(false);
            sink.Verbose(Text.Format("Verbose_Found", count, baseDn, filter));
        }

        internal static string WrapFilter(string filter)
        {
            var f = filter.Trim();
            return f.StartsWith("(", StringComparison.Ordinal) ? f : "(" + f + ")";
        }

        /// <summary>New-TssrUser: one Add with the password and the final account state, so a refused password leaves nothing behind.</summary>
        public async Task<DirectoryUser?> NewUserAsync(NewUserRequest request, IEngineSink sink, CancellationToken ct)
        {
            var parent = string.IsNullOrWhiteSpace(request.Path) ? "CN=Users," + _session.BaseDn : request.Path!;
            var dn = LdapEscape.ChildDn("CN", request.Name, parent);
            if (!sink.ShouldProcess(dn, Text.Format("Should_CreateUser", request.SamAccountName, Text.Get(request.Enabled ? "State_Enabled" : "State_Disabled")))) return null;
            if (request.AccountPassword != null) _session.RequireEncryption(dn);
            if (request.Enabled && request.AccountPassword == null)
                throw new TssrException("DirectoryEnableWithoutPassword", TssrErrorCategory.InvalidArgument, dn,
                    Text.Get("Error_EnableWithoutPassword"), Text.Get("Action_EnableWithoutPassword"));

            byte[]? secret = null;
            try
            {
                var add = BuildAddRequest(request, dn, out secret);
                await _session.SendAsync(add, dn, Text.Get("Op_CreateUser"), ct).ConfigureAwait(false);
            }
            finally
            {
                if (secret != null) Array.Clear(secret, 0, secret.Length);
            }
            sink.Verbose(Text.Format("Verbose_Created", dn));
            // What the server stored is what is returned: re-read, never assumed.
            return await ReadUserAsync(request.SamAccountName, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// The one Add that creates a user with its password and final state (a refused password
        /// leaves nothing behind). <paramref name="secret"/> holds the encoded password: the caller
        /// clears it once the request is sent.
        /// </summary>
        internal static AddRequest BuildAddRequest(NewUserRequest request, string dn, out byte[]? secret)
        {
            var add = new AddRequest(dn, new DirectoryAttribute("objectClass", "user"), new DirectoryAttribute("sAMAccountName", request.SamAccountName));
            foreach (var kv in request.Attributes.Values())
                if (kv.Value.Length > 0) add.Attributes.Add(new DirectoryAttribute(kv.Key, kv.Value));
            var uac = (int)AccountControl.NormalAccount | (request.Enabled ? 0 : (int)AccountControl.AccountDisabled);
            if (request.PasswordNeverExpires) uac |= (int)AccountControl.DontExpirePassword;
            add.Attributes.Add(new DirectoryAttribute("userAccountControl", uac.ToString(CultureInfo.InvariantCulture)));
            if (request.AccountExpirationDate.HasValue)
                add.Attributes.Add(new DirectoryAttribute("accountExpires", LdapValues.ToFileTime(request.AccountExpirationDate.Value.ToUniversalTime())));
            if (request.ChangePasswordAtLogon) add.Attributes.Add(new DirectoryAttribute("pwdLastSet", "0"));
            secret = null;
            if (request.AccountPassword != null)
            {
                secret = PasswordGenerator.ToUnicodePwd(request.AccountPassword);
                add.Attributes.Add(new DirectoryAttribute("unicodePwd", secret));
            }
            return add;
        }

        /// <summary>Set-TssrUser.</summary>
        public async Task<DirectoryUser?> SetUserAsync(string identity, UserAttributes attributes, bool? enabled, bool? changePasswordAtLogon, bool? passwordNeverExpires, DateTime? accountExpires, bool clearAccountExpiration, IEngineSink sink, CancellationToken ct, bool clearLogonHours = false)
        {
            var entry = await ResolveAsync(identity, PrincipalKind.User, new[] { "userAccountControl", "sAMAccountName", "logonHours" }, ct).ConfigureAwait(false);
            var dn = entry.DistinguishedName;
            var mods = new List<DirectoryAttributeModification>();
            // Removing logonHours allows every hour (a value of 21 x 0xFF would too, but nothing is clearer than no restriction).
            if (clearLogonHours && LdapValues.Bytes(entry, "logonHours") != null) mods.Add(Modification("logonHours", DirectoryAttributeOperation.Delete));
            foreach (var kv in attributes.Values())
                mods.Add(kv.Value.Length == 0 ? Modification(kv.Key, DirectoryAttributeOperation.Delete) : Modification(kv.Key, DirectoryAttributeOperation.Replace, kv.Value));
            var uac = (int)(LdapValues.Long(entry, "userAccountControl") ?? (int)AccountControl.NormalAccount);
            var newUac = uac;
            if (enabled.HasValue) newUac = enabled.Value ? newUac & ~(int)AccountControl.AccountDisabled : newUac | (int)AccountControl.AccountDisabled;
            if (passwordNeverExpires.HasValue) newUac = passwordNeverExpires.Value ? newUac | (int)AccountControl.DontExpirePassword : newUac & ~(int)AccountControl.DontExpirePassword;
            if (newUac != uac) mods.Add(Modification("userAccountControl", DirectoryAttributeOperation.Replace, newUac.ToString(CultureInfo.InvariantCulture)));
            if (changePasswordAtLogon.HasValue) mods.Add(Modification("pwdLastSet", DirectoryAttributeOperation.Replace, changePasswordAtLogon.Value ? "0" : "-1"));
            if (accountExpires.HasValue) mods.Add(Modification("accountExpires", DirectoryAttributeOperation.Replace, LdapValues.ToFileTime(accountExpires.Value.ToUniversalTime())));
            if (clearAccountExpiration) mods.Add(Modification("accountExpires", DirectoryAttributeOperation.Replace, "0"));
            if (mods.Count == 0)
            {
                Nothing(sink, Text.Format("Verbose_NothingToChange", dn));
                return await ReadUserAsync(dn, ct).ConfigureAwait(false);
            }
            if (!sink.ShouldProcess(dn, Text.Format("Should_SetUser", LdapValues.String(entry, "sAMAccountName") ?? identity, string.Join(", ", mods.Select(m => m.Name))))) return null;
            await _session.SendAsync(new ModifyRequest(dn, mods.ToArray()), dn, Text.Get("Op_ModifyUser"), ct).ConfigureAwait(false);
            return await ReadUserAsync(dn, ct).ConfigureAwait(false);
        }

        /// <summary>Enable-/Disable-TssrUser.</summary>
        public async Task<DirectoryUser?> SetEnabledAsync(string identity, bool enabled, IEngineSink sink, CancellationToken ct)
        {
            var entry = await ResolveAsync(identity, PrincipalKind.User, new[] { "userAccountControl" }, ct).ConfigureAwait(false);
            var dn = entry.DistinguishedName;
            var uac = (int)(LdapValues.Long(entry, "userAccountControl") ?? (int)AccountControl.NormalAccount);
            var newUac = enabled ? uac & ~(int)AccountControl.AccountDisabled : uac | (int)AccountControl.AccountDisabled;
            if (newUac == uac)
            {
                Nothing(sink, Text.Format(enabled ? "Verbose_AlreadyEnabled" : "Verbose_AlreadyDisabled", dn));
                return await ReadUserAsync(dn, ct).ConfigureAwait(false);
            }
            if (!sink.ShouldProcess(dn, Text.Format(enabled ? "Should_EnableUser" : "Should_DisableUser", LdapValues.String(entry, "sAMAccountName") ?? identity))) return null;
            await _session.SendAsync(new ModifyRequest(dn, DirectoryAttributeOperation.Replace, "userAccountControl", newUac.ToString(CultureInfo.InvariantCulture)), dn,
                Text.Get(enabled ? "Action_EnableUser" : "Action_DisableUser"), ct).ConfigureAwait(false);
            return await ReadUserAsync(dn, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Unlock-TssrUser: lockoutTime = 0 on a locked account. An account that is not locked is
        /// left alone, also when its lockout ended by itself and lockoutTime still holds the old
        /// value (the DC ignores it; the next logon clears it).
        /// </summary>
        public async Task<DirectoryUser?> UnlockAsync(string identity, IEngineSink sink, CancellationToken ct)
        {
            var user = await ReadUserAsync(identity, ct).ConfigureAwait(false);
            var dn = user.DistinguishedName;
            if (!user.LockedOut)
            {
                Nothing(sink, user.LockoutTimeUtc.HasValue
                    ? Text.Format("Nothing_LockExpired", dn, LocalTime.Text(user.LockoutTimeUtc))
                    : Text.Format("Verbose_NotLocked", dn));
                return user;
            }
            if (!sink.ShouldProcess(dn, Text.Format("Should_Unlock", user.SamAccountName, LocalTime.Text(user.LockoutTimeUtc)))) return null;
            await _session.SendAsync(new ModifyRequest(dn, DirectoryAttributeOperation.Replace, "lockoutTime", "0"), dn, Text.Get("Action_Unlock"), ct).ConfigureAwait(false);
            return await ReadUserAsync(dn, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Called with a sentence when a change has nothing to do (the cmdlet shows it under
        /// -WhatIf, where a silent answer would read as "it would do something").
        /// </summary>
        public Action<string>? NothingToDo { get; set; }

        private void Nothing(IEngineSink sink, string message)
        {
            if (NothingToDo != null) NothingToDo(message);
            else sink.Verbose(message);
        }

        /// <summary>Reset-TssrUserPassword (an administrator's reset: replace unicodePwd).</summary>
        public async Task<PasswordResetResult?> ResetPasswordAsync(string identity, SecureString? newPassword, bool changePasswordAtLogon, bool unlock, IEngineSink sink, CancellationToken ct)
        {
            _session.RequireEncryption(identity);
            var entry = await ResolveAsync(identity, PrincipalKind.User, new[] { "sAMAccountName", "displayName", "givenName", "sn", "lockoutTime" }, ct).ConfigureAwait(false);
            var dn = entry.DistinguishedName;
            var sam = LdapValues.String(entry, "sAMAccountName") ?? identity;
            if (!sink.ShouldProcess(dn, Text.Format(changePasswordAtLogon ? "Should_ResetPasswordMustChange" : "Should_ResetPassword", sam))) return null;
            var policy = await PasswordPolicy.ForUserAsync(_session, dn, ct).ConfigureAwait(false);
            var generated = newPassword == null;
            var password = newPassword ?? PasswordGenerator.Generate(policy, sam, LdapValues.String(entry, "displayName"), LdapValues.String(entry, "givenName"), LdapValues.String(entry, "sn"));
            var secret = PasswordGenerator.ToUnicodePwd(password);
            try
            {
                var mods = new List<DirectoryAttributeModification> { Modification("unicodePwd", DirectoryAttributeOperation.Replace, secret) };
                if (changePasswordAtLogon) mods.Add(Modification("pwdLastSet", DirectoryAttributeOperation.Replace, "0"));
                var unlocked = unlock && (LdapValues.Long(entry, "lockoutTime") ?? 0) > 0;
                if (unlocked) mods.Add(Modification("lockoutTime", DirectoryAttributeOperation.Replace, "0"));
                await _session.SendAsync(new ModifyRequest(dn, mods.ToArray()), dn, Text.Get("Op_ResetPassword"), ct).ConfigureAwait(false);
                sink.Verbose(Text.Format("Verbose_PasswordReset", dn, policy.Source));
                return new PasswordResetResult(sam, dn, generated, generated ? password : null, changePasswordAtLogon, policy, unlocked);
            }
            catch (TssrException) when (generated)
            {
                password.Dispose();
                throw;
            }
            catch (TssrException e) when (e.Error.ErrorId == "LdapPasswordPolicyViolation")
            {
                // The DC says only "constraint violation": name the one rule that failed.
                throw new TssrException(RefusedPassword(e.Error, dn, secret, policy, sam, LdapValues.String(entry, "displayName")));
            }
            finally
            {
                Array.Clear(secret, 0, secret.Length);
            }
        }

        /// <summary>
        /// The error of a refused reset, naming the rule that failed (length, complexity, the
        /// account's name in the password). An administrator's reset is not subject to the history
        /// nor the minimum age on AD or Samba; when none of the rules fails here, the error says the
        /// DC applied another one (a password filter) rather than guess.
        /// </summary>
        internal static TssrError RefusedPassword(TssrError original, string dn, byte[] unicodePwd, PasswordPolicy policy, string sam, string? displayName)
        {
            var chars = new char[Math.Max(0, unicodePwd.Length / 2 - 2)];
            try
            {
                for (var i = 0; i < chars.Length; i++) chars[i] = (char)(unicodePwd[2 + i * 2] | (unicodePwd[3 + i * 2] << 8));
                var rule = PasswordRules.FirstBroken(chars, policy, sam, displayName);
                var message = !policy.Readable
                    ? Text.Format("Error_ResetPolicyUnreadable", dn, policy.Source)
                    : rule.HasValue
                    ? Text.Format("Error_ResetRule", dn, PasswordRules.Describe(rule.Value, policy), policy.Source)
                    : Text.Format("Error_ResetOtherRule", dn, policy.MinLength, policy.Source);
                return new TssrError(original.ErrorId, original.Category, dn, message, original.RecommendedAction, original.Exception);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        /// <summary>The effective password policy of an account (or of the domain).</summary>
        public async Task<PasswordPolicy> GetPasswordPolicyAsync(string? identity, CancellationToken ct)
        {
            string? dn = null;
            if (identity != null) dn = (await ResolveAsync(identity, PrincipalKind.User, new[] { "cn" }, ct).ConfigureAwait(false)).DistinguishedName;
            return await PasswordPolicy.ForUserAsync(_session, dn, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Get-TssrGroupMember, as RSAT's Get-ADGroupMember: the direct members (nested groups
        /// included) and the accounts whose primary group it is; with -Recursive, the leaf members
        /// only (users, computers, contacts), each once, with the chain of groups that reached it
        /// (Via), and a cycle of nested groups reported once as a warning.
        /// </summary>
        public async Task GetGroupMembersAsync(string group, bool recursive, IEngineSink sink, CancellationToken ct)
        {
            var groupEntry = await ResolveAsync(group, PrincipalKind.Group, new[] { "sAMAccountName", "objectSid" }, ct).ConfigureAwait(false);
            var root = new GroupNode(groupEntry);
            if (!recursive)
            {
                foreach (var e in await DirectMembersAsync(root, ct).ConfigureAwait(false))
                    sink.Output(new GroupMember(root.Name, root.Dn, e, root.Name));
                return;
            }
            var leaves = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var expanded = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { root.Dn };
            var cycles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var path = new List<GroupNode>();
            await ExpandAsync(root, root, path, leaves, expanded, cycles, sink, ct).ConfigureAwait(false);
        }

        private async Task ExpandAsync(GroupNode root, GroupNode node, List<GroupNode> path, HashSet<string> leaves, HashSet<string> expanded, HashSet<string> cycles, IEngineSink sink, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            path.Add(node);
            try
            {
                var members = await DirectMembersAsync(node, ct).ConfigureAwait(false);
                var via = string.Join(" > ", path.Select(p => p.Name));
                var nested = new List<GroupNode>();
                foreach (var e in members)
                {
                    if (GroupNode.IsGroup(e)) { nested.Add(new GroupNode(e)); continue; }
                    if (leaves.Add(e.DistinguishedName)) sink.Output(new GroupMember(root.Name, root.Dn, e, via));
                }
                foreach (var g in nested)
                {
                    var onPath = path.FindIndex(p => LdapEscape.SameDn(p.Dn, g.Dn));
                    if (onPath >= 0)
                    {
                        var cycle = path.Skip(onPath).Select(p => p.Name).Concat(new[] { g.Name }).ToList();
                        var key = string.Join("|", path.Skip(onPath).Select(p => p.Dn).OrderBy(d => d, StringComparer.OrdinalIgnoreCase));
                        if (cycles.Add(key)) sink.Warning(Text.Format("Warning_GroupCycle", string.Join(" > ", cycle)));
                        continue;
                    }
                    if (!expanded.Add(g.Dn)) continue;
                    await ExpandAsync(root, g, path, leaves, expanded, cycles, sink, ct).ConfigureAwait(false);
                }
            }
            finally
            {
                path.RemoveAt(path.Count - 1);
            }
        }

        /// <summary>The direct members of a group (the memberOf back-link) and the accounts whose primaryGroupID is its RID.</summary>
        private async Task<List<SearchResultEntry>> DirectMembersAsync(GroupNode group, CancellationToken ct)
        {
            var list = await _session.SearchListAsync(_session.BaseDn, "(memberOf=" + LdapEscape.FilterValue(group.Dn) + ")", SearchScope.Subtree, GroupMember.Attributes, ct).ConfigureAwait(false);
            if (group.Rid.HasValue)
            {
                var seen = new HashSet<string>(list.Select(e => e.DistinguishedName), StringComparer.OrdinalIgnoreCase);
                var primary = await _session.SearchListAsync(_session.BaseDn, "(primaryGroupID=" + group.Rid.Value.ToString(CultureInfo.InvariantCulture) + ")", SearchScope.Subtree,
                    GroupMember.Attributes, ct).ConfigureAwait(false);
                list.AddRange(primary.Where(e => seen.Add(e.DistinguishedName)));
            }
            return list;
        }

        private sealed class GroupNode
        {
            public GroupNode(SearchResultEntry e)
            {
                Dn = e.DistinguishedName;
                Name = LdapValues.String(e, "sAMAccountName") ?? LdapValues.String(e, "name") ?? Dn;
                var sid = LdapValues.Bytes(e, "objectSid");
                // The RID is the last sub-authority of the SID (little-endian).
                if (sid != null && sid.Length >= 12) Rid = BitConverter.ToUInt32(sid, sid.Length - 4);
            }

            public string Dn { get; }
            public string Name { get; }
            public uint? Rid { get; }

            public static bool IsGroup(SearchResultEntry e) => LdapValues.Strings(e, "objectClass").Any(c => string.Equals(c, "group", StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>Add-/Remove-TssrGroupMember. Adding a member already there (or removing one absent) is not an error.</summary>
        public async Task ChangeGroupMembersAsync(string group, IEnumerable<string> members, bool add, bool passThru, IEngineSink sink, CancellationToken ct)
        {
            var groupEntry = await ResolveAsync(group, PrincipalKind.Group, new[] { "sAMAccountName" }, ct).ConfigureAwait(false);
            var groupDn = groupEntry.DistinguishedName;
            foreach (var member in members)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    var memberEntry = await ResolveAsync(member, PrincipalKind.Any, new[] { "sAMAccountName" }, ct).ConfigureAwait(false);
                    var memberDn = memberEntry.DistinguishedName;
                    if (!sink.ShouldProcess(groupDn, Text.Format(add ? "Should_AddMember" : "Should_RemoveMember", memberDn))) continue;
                    var changed = await ChangeMemberAsync(groupDn, memberDn, add, ct).ConfigureAwait(false);
                    if (!changed) sink.Verbose(Text.Format(add ? "Verbose_AlreadyMember" : "Verbose_NotMember", memberDn, groupDn));
                    if (passThru)
                    {
                        var read = await _session.ReadAsync(memberDn, GroupMember.Attributes, ct).ConfigureAwait(false);
                        var groupName = LdapValues.String(groupEntry, "sAMAccountName") ?? groupDn;
                        if (read != null) sink.Output(new GroupMember(groupName, groupDn, read, groupName));
                    }
                }
                catch (TssrException e)
                {
                    sink.Error(e.Error);
                }
            }
        }

        /// <summary>True when the group changed; false when the member was already in (add) or not in (remove).</summary>
        internal async Task<bool> ChangeMemberAsync(string groupDn, string memberDn, bool add, CancellationToken ct)
        {
            try
            {
                await _session.SendAsync(new ModifyRequest(groupDn, add ? DirectoryAttributeOperation.Add : DirectoryAttributeOperation.Delete, "member", memberDn),
                    groupDn, Text.Get(add ? "Op_AddMember" : "Op_RemoveMember"), ct).ConfigureAwait(false);
                return true;
            }
            catch (TssrException e) when (add && (e.Error.ErrorId == "LdapValueAlreadyExists" || e.Error.ErrorId == "LdapObjectAlreadyExists"))
            {
                return false;
            }
            catch (TssrException e) when (!add && IsNoSuchValue(e))
            {
                // AD and Samba word "not a member" differently: ask the group itself.
                var still = await _session.SearchListAsync(groupDn, "(member=" + LdapEscape.FilterValue(memberDn) + ")", SearchScope.Base, new[] { "cn" }, ct).ConfigureAwait(false);
                if (still.Count == 0) return false;
                throw;
            }
        }

        private static bool IsNoSuchValue(TssrException e)
        {
            // AD answers "unwillingToPerform, 00000561"; Samba "unwillingToPerform ... already deleted" or noSuchAttribute.
            var inner = e.Error.Exception as DirectoryOperationException;
            var code = inner?.Response?.ResultCode;
            return code == ResultCode.NoSuchAttribute || code == ResultCode.UnwillingToPerform;
        }

        internal static DirectoryAttributeModification Modification(string name, DirectoryAttributeOperation op, object? value = null)
        {
            var m = new DirectoryAttributeModification { Name = name, Operation = op };
            if (value is string s) m.Add(s);
            else if (value is byte[] b) m.Add(b);
            return m;
        }
    }

    /// <summary>The scopes of a search, by RSAT's names.</summary>
    public enum DirectorySearchScope
    {
        Base = 0,
        OneLevel = 1,
        Subtree = 2,
    }

    /// <summary>One member of a group.</summary>
    public sealed class GroupMember
    {
        internal static readonly string[] Attributes = { "sAMAccountName", "name", "objectClass", "objectGUID", "objectSid" };

        internal GroupMember(string group, string groupDn, SearchResultEntry e, string via)
        {
            Group = group;
            Via = via;
            GroupDistinguishedName = groupDn;
            Name = LdapValues.String(e, "name") ?? string.Empty;
            SamAccountName = LdapValues.String(e, "sAMAccountName") ?? string.Empty;
            var classes = LdapValues.Strings(e, "objectClass");
            ObjectClass = classes.Length == 0 ? string.Empty : classes[classes.Length - 1];
            ObjectGuid = LdapValues.Guid(e, "objectGUID") ?? Guid.Empty;
            var sid = LdapValues.Bytes(e, "objectSid");
            Sid = sid == null ? string.Empty : SecurityIdentifierCodec.ToText(sid);
            DistinguishedName = e.DistinguishedName;
        }

        public string Group { get; }
        /// <summary>The chain of groups through which the member was reached ("Outer > Helpdesk"); the group itself for a direct member.</summary>
        public string Via { get; }
        public string Name { get; }
        public string SamAccountName { get; }
        public string ObjectClass { get; }
        public Guid ObjectGuid { get; }
        public string Sid { get; }
        public string DistinguishedName { get; }
        public string GroupDistinguishedName { get; }
    }

    /// <summary>Pure rules about account state, testable without a DC.</summary>
    public static class AccountState
    {
        /// <summary>Locked when lockoutTime is set and lockoutTime + duration is still ahead (a duration of "forever" locks until unlocked).</summary>
        public static bool IsLockedOut(DateTime? lockoutTime, TimeSpan? lockoutDuration, DateTime nowUtc)
        {
            if (!lockoutTime.HasValue) return false;
            if (!lockoutDuration.HasValue || lockoutDuration.Value == TimeSpan.Zero || lockoutDuration.Value == TimeSpan.MaxValue) return true;
            return LockoutEnd(lockoutTime, lockoutDuration) > nowUtc;
        }

        public static DateTime? LockoutEnd(DateTime? lockoutTime, TimeSpan? lockoutDuration)
        {
            if (!lockoutTime.HasValue || !lockoutDuration.HasValue || lockoutDuration.Value == TimeSpan.MaxValue || lockoutDuration.Value == TimeSpan.Zero) return null;
            return lockoutTime.Value + lockoutDuration.Value;
        }

        /// <summary>
        /// The bad-password count the DC applies now: badPwdCount, or 0 once the observation window
        /// has passed since badPasswordTime (the DC counts from 0 again at the next wrong password).
        /// </summary>
        public static int EffectiveBadLogonCount(int badPwdCount, DateTime? badPasswordTime, TimeSpan? observationWindow, DateTime nowUtc)
        {
            var reset = BadLogonCountReset(badPwdCount, badPasswordTime, observationWindow);
            return reset.HasValue && reset.Value <= nowUtc ? 0 : badPwdCount;
        }

        /// <summary>When the bad-password count falls back to 0 (badPasswordTime + the observation window); null when there is nothing to reset.</summary>
        public static DateTime? BadLogonCountReset(int badPwdCount, DateTime? badPasswordTime, TimeSpan? observationWindow)
        {
            if (badPwdCount <= 0 || !badPasswordTime.HasValue || !observationWindow.HasValue || observationWindow.Value == TimeSpan.MaxValue) return null;
            try { return badPasswordTime.Value + observationWindow.Value; }
            catch (ArgumentOutOfRangeException) { return null; }
        }

        /// <summary>pwdLastSet + the maximum age; null when the password never expires (flag, policy) or was never set.</summary>
        public static DateTime? PasswordExpires(DateTime? passwordLastSet, bool neverExpires, TimeSpan? maxAge)
        {
            if (neverExpires || !passwordLastSet.HasValue || !maxAge.HasValue || maxAge.Value == TimeSpan.Zero || maxAge.Value == TimeSpan.MaxValue) return null;
            try { return passwordLastSet.Value + maxAge.Value; }
            catch (ArgumentOutOfRangeException) { return null; }
        }

        /// <summary>
        /// Whether logonHours (21 bytes, one bit per hour of the week from Sunday 00:00 UTC, least
        /// significant bit first) allows <paramref name="nowUtc"/>. No value: always allowed.
        /// </summary>
        public static bool LogonHoursAllow(byte[]? logonHours, DateTime nowUtc)
        {
            if (logonHours == null || logonHours.Length < 21) return true;
            var hour = (int)nowUtc.DayOfWeek * 24 + nowUtc.Hour;
            return (logonHours[hour / 8] & (1 << (hour % 8))) != 0;
        }
    }
}
