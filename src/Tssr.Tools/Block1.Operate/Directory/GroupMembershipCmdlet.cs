using System.Management.Automation;

namespace Tssr.Tools
{
    /// <summary>
    /// Add-/Remove-TssrGroupMember: the same parameters and the same engine call, differing only
    /// in the direction of the change.
    /// </summary>
    public abstract class GroupMembershipCmdlet : DirectoryCmdlet
    {
        /// <summary>True to add the members, false to remove them.</summary>
        private protected abstract bool Adding { get; }

        /// <summary>The group: sAMAccountName, DN, GUID or SID.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Group", "GroupName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(GroupIdentityCompleter))]
        public string Identity { get; set; } = string.Empty;

        /// <summary>The users or groups (sAMAccountName, UPN, DN, GUID or SID).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Member", "SamAccountName", "DistinguishedName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(PrincipalIdentityCompleter))]
        public string[] Members { get; set; } = System.Array.Empty<string>();

        /// <summary>Writes each member handled to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var directory = Directory;
            RunForTarget((sink, ct) => directory.ChangeGroupMembersAsync(Identity, Members, Adding, PassThru, sink, ct));
        }
    }
}
