using System.Management.Automation;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Removes members from a group; a member already absent is not an error.</summary>
    [Cmdlet(VerbsCommon.Remove, "TssrGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(GroupMember))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class RemoveTssrGroupMemberCommand : DirectoryCmdlet
    {
        /// <summary>The group: sAMAccountName, DN, GUID or SID.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Group", "GroupName")]
        [ValidateNotNullOrEmpty]
        public string Identity { get; set; } = string.Empty;

        /// <summary>The users or groups (sAMAccountName, UPN, DN, GUID or SID).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Member", "SamAccountName", "DistinguishedName")]
        [ValidateNotNullOrEmpty]
        public string[] Members { get; set; } = System.Array.Empty<string>();

        /// <summary>Writes each member handled to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var directory = Directory;
            RunForTarget((sink, ct) => directory.ChangeGroupMembersAsync(Identity, Members, false, PassThru, sink, ct));
        }
    }
}
