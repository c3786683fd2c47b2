using System;
using System.Collections.Generic;
using System.DirectoryServices.Protocols;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>An account the import found in the directory: its DN, the values the import compares, its groups.</summary>
    public sealed class ExistingAccount
    {
        public ExistingAccount(string distinguishedName, IDictionary<string, string?> values, IEnumerable<string> memberOf)
        {
            DistinguishedName = distinguishedName;
            Values = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
            MemberOf = memberOf.ToArray();
        }

        public string DistinguishedName { get; }
        /// <summary>LDAP attribute name → value (sAMAccountName, userPrincipalName, givenName...).</summary>
        public IReadOnlyDictionary<string, string?> Values { get; }
        public IReadOnlyList<string> MemberOf { get; }

        public string? Value(string attribute) => Values.TryGetValue(attribute, out var v) ? v : null;
    }

    /// <summary>
    /// The directory as Import-TssrUser sees it: the reads the plan needs and the writes that apply
    /// it. The LDAP implementation is <see cref="LdapUserImportDirectory"/>; tests give their own,
    /// so the planner's rules are checked without a DC (and against the real one in the lab tests).
    /// </summary>
    public interface IUserImportDirectory
    {
        string DomainName { get; }
        string BaseDn { get; }
        /// <summary>Refuses password writes on an unencrypted session (throws a TssrException naming the target).</summary>
        void RequireEncryption(object target);
        Task<PasswordPolicy?> DomainPolicyAsync(CancellationToken cancellationToken);
        /// <summary>The UPN suffixes the forest allows (the domain's DNS name and uPNSuffixes).</summary>
        Task<ISet<string>> UpnSuffixesAsync(CancellationToken cancellationToken);
        /// <summary>The schema's rangeUpper (maximum length) of the given attributes, by LDAP name; an attribute without one is absent.</summary>
        Task<IReadOnlyDictionary<string, int>> AttributeLimitsAsync(IEnumerable<string> attributes, CancellationToken cancellationToken);
        /// <summary>The DN the directory returns for a container, or null when it does not exist.</summary>
        Task<string?> ContainerAsync(string dn, CancellationToken cancellationToken);
        /// <summary>The DN of the one group an identity names, or null (none, or several).</summary>
        Task<string?> GroupAsync(string identity, CancellationToken cancellationToken);
        /// <summary>The user accounts holding any of these sAMAccountNames or UPNs.</summary>
        Task<IReadOnlyList<ExistingAccount>> FindAccountsAsync(IReadOnlyCollection<string> samAccountNames, IReadOnlyCollection<string> userPrincipalNames, CancellationToken cancellationToken);
        /// <summary>The writer over this session's own connection.</summary>
        IUserImportWriter Writer { get; }
        /// <summary>A writer over another connection (parallel apply); the caller disposes it.</summary>
        Task<IUserImportWriter> OpenWriterAsync(CancellationToken cancellationToken);
        /// <summary>Adds several members to a group in one request; throws when the DC refuses it.</summary>
        Task AddMembersAsync(string groupDn, IReadOnlyList<string> memberDns, CancellationToken cancellationToken);
        /// <summary>Adds one member; already a member is not an error.</summary>
        Task AddMemberAsync(string groupDn, string memberDn, CancellationToken cancellationToken);
    }

    /// <summary>The writes of one connection: create, modify, move. Failures are TssrExceptions naming <c>target</c>.</summary>
    public interface IUserImportWriter : IDisposable
    {
        Task CreateUserAsync(NewUserRequest request, string dn, object target, CancellationToken cancellationToken);
        Task ModifyAsync(string dn, IReadOnlyList<KeyValuePair<string, string>> replace, object target, CancellationToken cancellationToken);
        /// <summary>Moves the entry under <paramref name="newParent"/> (same RDN); returns the DN the directory gives it.</summary>
        Task<string> MoveAsync(string dn, string newParent, object target, CancellationToken cancellationToken);
    }

    /// <summary><see cref="IUserImportDirectory"/> over an LDAP session.</summary>
    public sealed class LdapUserImportDirectory : IUserImportDirectory
    {
        private static readonly Localizer Text = DirectoryText.Strings;
        internal static readonly string[] LookupAttributes =
        {
            "sAMAccountName", "userPrincipalName", "givenName", "sn", "displayName", "description", "mail", "department", "title",
            "company", "physicalDeliveryOfficeName", "telephoneNumber", "memberOf",
        };
        private const int LookupBatch = 40;

        private readonly UserDirectory _directory;
        private readonly DirectorySession _session;

        public LdapUserImportDirectory(UserDirectory directory)
        {
            _directory = directory;
            _session = directory.Session;
            Writer = new LdapImportWriter(_session, owns: false);
        }

        public string DomainName => _session.DomainName;
        public string BaseDn => _session.BaseDn;
        public IUserImportWriter Writer { get; }

        public void RequireEncryption(object target) => _session.RequireEncryption(target);

        public Task<PasswordPolicy?> DomainPolicyAsync(CancellationToken ct) => _directory.Policies.DomainAsync(ct);

        public async Task<ISet<string>> UpnSuffixesAsync(CancellationToken ct)
        {
            var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { _session.DomainName };
            var root = await _session.ReadAsync(string.Empty, new[] { "configurationNamingContext" }, ct).ConfigureAwait(false);
            var config = root == null ? null : LdapValues.String(root, "configurationNamingContext");
            if (config != null)
            {
                var partitions = await _session.ReadAsync("CN=Partitions," + config, new[] { "uPNSuffixes" }, ct).ConfigureAwait(false);
                if (partitions != null) foreach (var s in LdapValues.Strings(partitions, "uPNSuffixes")) set.Add(s);
            }
            return set;
        }

        public Task<IReadOnlyDictionary<string, int>> AttributeLimitsAsync(IEnumerable<string> attributes, CancellationToken ct) => _session.AttributeLimitsAsync(attributes, ct);

        public async Task<string?> ContainerAsync(string dn, CancellationToken ct)
        {
            try { return (await _session.ReadAsync(dn, new[] { "objectClass" }, ct).ConfigureAwait(false))?.DistinguishedName; }
            catch (TssrException e) when (e.Error.ErrorId == "LdapInvalidDn") { return null; }
        }

        public async Task<string?> GroupAsync(string identity, CancellationToken ct)
        {
            try { return (await _directory.ResolveAsync(identity, PrincipalKind.Group, new[] { "cn" }, ct).ConfigureAwait(false)).DistinguishedName; }
            catch (TssrException e) when (e.Error.ErrorId == "DirectoryGroupNotFound" || e.Error.ErrorId == "DirectoryIdentityAmbiguous") { return null; }
        }

        public async Task<IReadOnlyList<ExistingAccount>> FindAccountsAsync(IReadOnlyCollection<string> sams, IReadOnlyCollection<string> upns, CancellationToken ct)
        {
            var found = new Dictionary<string, ExistingAccount>(StringComparer.OrdinalIgnoreCase);
            var terms = sams.Select(s => "(sAMAccountName=" + LdapEscape.FilterValue(s) + ")")
                .Concat(upns.Select(u => "(userPrincipalName=" + LdapEscape.FilterValue(u) + ")")).ToList();
            for (var i = 0; i < terms.Count; i += LookupBatch)
            {
                ct.ThrowIfCancellationRequested();
                var sb = new StringBuilder("(&").Append(UserDirectory.UserClassFilter).Append("(|");
                foreach (var t in terms.Skip(i).Take(LookupBatch)) sb.Append(t);
                sb.Append("))");
                await _session.SearchAsync(_session.BaseDn, sb.ToString(), SearchScope.Subtree, LookupAttributes, e =>
                {
                    var values = LookupAttributes.Where(a => a != "memberOf").ToDictionary(a => a, a => LdapValues.String(e, a), StringComparer.OrdinalIgnoreCase);
                    found[e.DistinguishedName] = new ExistingAccount(e.DistinguishedName, values, LdapValues.Strings(e, "memberOf"));
                }, ct).ConfigureAwait(false);
            }
            return found.Values.ToList();
        }

        public async Task<IUserImportWriter> OpenWriterAsync(CancellationToken ct)
            => new LdapImportWriter(await _session.OpenSiblingAsync(SilentSink.Instance, ct).ConfigureAwait(false), owns: true);

        public async Task AddMembersAsync(string groupDn, IReadOnlyList<string> memberDns, CancellationToken ct)
        {
            var mod = new DirectoryAttributeModification { Name = "member", Operation = DirectoryAttributeOperation.Add };
            foreach (var m in memberDns) mod.Add(m);
            await _session.SendAsync(new ModifyRequest(groupDn, mod), groupDn, Text.Get("Op_AddMember"), ct).ConfigureAwait(false);
        }

        public Task AddMemberAsync(string groupDn, string memberDn, CancellationToken ct) => _directory.ChangeMemberAsync(groupDn, memberDn, true, ct);

        private sealed class LdapImportWriter : IUserImportWriter
        {
            private readonly DirectorySession _session;
            private readonly bool _owns;

            public LdapImportWriter(DirectorySession session, bool owns)
            {
                _session = session;
                _owns = owns;
            }

            public async Task CreateUserAsync(NewUserRequest request, string dn, object target, CancellationToken ct)
            {
                byte[]? secret = null;
                try
                {
                    var add = UserDirectory.BuildAddRequest(request, dn, out secret);
                    await _session.SendAsync(add, target, Text.Get("Op_CreateUser"), ct).ConfigureAwait(false);
                }
                finally
                {
                    if (secret != null) Array.Clear(secret, 0, secret.Length);
                }
            }

            public async Task ModifyAsync(string dn, IReadOnlyList<KeyValuePair<string, string>> replace, object target, CancellationToken ct)
            {
                var mods = replace.Select(kv => UserDirectory.Modification(kv.Key, DirectoryAttributeOperation.Replace, kv.Value)).ToArray();
                await _session.SendAsync(new ModifyRequest(dn, mods), target, Text.Get("Op_ModifyUser"), ct).ConfigureAwait(false);
            }

            public async Task<string> MoveAsync(string dn, string newParent, object target, CancellationToken ct)
            {
                var rdn = LdapEscape.FirstRdn(dn);
                await _session.SendAsync(new ModifyDNRequest(dn, newParent, rdn) { DeleteOldRdn = true }, target, Text.Get("Op_MoveUser"), ct).ConfigureAwait(false);
                // Re-read where the directory put it: group memberships that follow use that DN.
                var moved = await _session.ReadAsync(rdn + "," + newParent, new[] { "objectClass" }, ct).ConfigureAwait(false);
                return moved?.DistinguishedName ?? rdn + "," + newParent;
            }

            public void Dispose()
            {
                if (_owns) _session.Dispose();
            }
        }

        private sealed class SilentSink : IEngineSink
        {
            public static readonly SilentSink Instance = new SilentSink();
            public void Output(object item) { }
            public void Error(TssrError error) { }
            public void Warning(string message) { }
            public void Verbose(string message) { }
            public void Progress(ProgressReport report) { }
            public bool ShouldProcess(string target, string action) => true;
        }
    }
}
