using System.Management.Automation;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Gets users by identity (sAMAccountName, UPN, DN, GUID, SID), or by RSAT-style -Filter or raw -LDAPFilter, paged.</summary>
    [Cmdlet(VerbsCommon.Get, "TssrUser", DefaultParameterSetName = ByFilter)]
    [OutputType(typeof(DirectoryUser))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class GetTssrUserCommand : DirectoryCmdlet
    {
        private const string ByIdentity = nameof(ByIdentity);
        private const string ByFilter = nameof(ByFilter);

        /// <summary>sAMAccountName, UPN, DN, GUID or SID.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdentity, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SamAccountName", "DistinguishedName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserIdentityCompleter))]
        public string[] Identity { get; set; } = System.Array.Empty<string>();

        /// <summary>RSAT's filter language for the common forms: *, Property -eq/-ne/-like/-notlike value, -and, -or, -not, parentheses; values are escaped.</summary>
        [Parameter(ParameterSetName = ByFilter)]
        public string? Filter { get; set; }

        /// <summary>A raw LDAP filter (RFC 4515), combined with "users only". Values inside it are yours to escape.</summary>
        [Parameter(ParameterSetName = ByFilter)]
        public string? LDAPFilter { get; set; }

        /// <summary>The container to search (default: the whole domain).</summary>
        [Parameter(ParameterSetName = ByFilter)]
        public string? SearchBase { get; set; }

        /// <summary>Base, OneLevel or Subtree (default).</summary>
        [Parameter(ParameterSetName = ByFilter)]
        [EnumArgument(typeof(DirectorySearchScope), nameof(SearchScope))]
        public DirectorySearchScope SearchScope { get; set; } = DirectorySearchScope.Subtree;

        /// <summary>At most this many users (0: all, fetched page by page).</summary>
        [Parameter(ParameterSetName = ByFilter)]
        [ValidateRange(0, int.MaxValue)]
        public int ResultSetSize { get; set; }

        protected override void ProcessRecord()
        {
            var directory = Directory;
            if (ParameterSetName == ByIdentity)
                Run((sink, ct) => directory.GetUserAsync(Identity, sink, ct));
            else
                Run((sink, ct) => directory.FindUsersAsync(Filter, LDAPFilter, SearchBase, SearchScope, ResultSetSize, sink, ct));
        }
    }
}
