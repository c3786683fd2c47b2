using System.Management.Automation;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Lists the members of a group, direct or (with -Recursive) through nested groups.</summary>
    [Cmdlet(VerbsCommon.Get, "TssrGroupMember")]
    [OutputType(typeof(GroupMember))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class GetTssrGroupMemberCommand : DirectoryCmdlet
    {
        /// <summary>The group: sAMAccountName, DN, GUID or SID.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Group", "GroupName")]
        [ValidateNotNullOrEmpty]
        public string Identity { get; set; } = string.Empty;

        /// <summary>Also the members of nested groups (LDAP_MATCHING_RULE_IN_CHAIN, evaluated by the DC).</summary>
        [Parameter]
        public SwitchParameter Recursive { get; set; }

        protected override void ProcessRecord()
        {
            var directory = Directory;
            RunForTarget((sink, ct) => directory.GetGroupMembersAsync(Identity, Recursive, sink, ct));
        }
    }
}
