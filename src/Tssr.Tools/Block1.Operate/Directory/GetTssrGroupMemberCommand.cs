using System.Management.Automation;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Lists the members of a group (primary-group members included), or with -Recursive its leaf members through nested groups, as RSAT does.</summary>
    [Cmdlet(VerbsCommon.Get, "TssrGroupMember")]
    [OutputType(typeof(GroupMember))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class GetTssrGroupMemberCommand : DirectoryCmdlet
    {
        /// <summary>The group: sAMAccountName, DN, GUID or SID.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Group", "GroupName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(GroupIdentityCompleter))]
        public string Identity { get; set; } = string.Empty;

        /// <summary>The leaf members (users, computers, contacts) reached through nested groups, each once, with the chain of groups in Via; nested groups themselves are not listed.</summary>
        [Parameter]
        public SwitchParameter Recursive { get; set; }

        protected override void ProcessRecord()
        {
            var directory = Directory;
            RunForTarget((sink, ct) => directory.GetGroupMembersAsync(Identity, Recursive, sink, ct));
        }
    }
}
