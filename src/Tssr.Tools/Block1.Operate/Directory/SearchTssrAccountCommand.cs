using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Finds locked-out, disabled, expired, password-expired, never-expiring or inactive user accounts.</summary>
    [Cmdlet(VerbsCommon.Search, "TssrAccount", DefaultParameterSetName = nameof(LockedOut))]
    [OutputType(typeof(AccountSearchResult))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class SearchTssrAccountCommand : DirectoryCmdlet
    {
        /// <summary>Accounts locked out now (the DC's computed state, or lockoutTime + the effective lockout duration).</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(LockedOut))]
        public SwitchParameter LockedOut { get; set; }

        /// <summary>Disabled accounts.</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Disabled))]
        public SwitchParameter Disabled { get; set; }

        /// <summary>Accounts whose expiration date (accountExpires) is past.</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Expired))]
        [Alias("AccountExpired")]
        public SwitchParameter Expired { get; set; }

        /// <summary>Accounts whose password has expired or must be changed at next logon.</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(PasswordExpired))]
        public SwitchParameter PasswordExpired { get; set; }

        /// <summary>Accounts whose password never expires.</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(PasswordNeverExpires))]
        public SwitchParameter PasswordNeverExpires { get; set; }

        /// <summary>Accounts with no logon for this long: a number of days (90) or a TimeSpan.</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Inactive))]
        [DaysOrTimeSpan]
        [Alias("AccountInactive")]
        public TimeSpan Inactive { get; set; }

        /// <summary>The container to search (default: the whole domain).</summary>
        [Parameter]
        public string? SearchBase { get; set; }

        /// <summary>Base, OneLevel or Subtree (default).</summary>
        [Parameter]
        [EnumArgument(typeof(DirectorySearchScope), nameof(SearchScope))]
        public DirectorySearchScope SearchScope { get; set; } = DirectorySearchScope.Subtree;

        /// <summary>At most this many accounts (0: all).</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int ResultSetSize { get; set; }

        protected override void ProcessRecord()
        {
            var criterion = (AccountSearchCriterion)Enum.Parse(typeof(AccountSearchCriterion), ParameterSetName);
            var search = new AccountSearch(Directory);
            Run((sink, ct) => search.SearchAsync(criterion, Inactive, SearchBase, SearchScope, ResultSetSize, sink, ct));
        }
    }
}
