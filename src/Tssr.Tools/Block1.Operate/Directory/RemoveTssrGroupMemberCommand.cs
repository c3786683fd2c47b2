using System.Management.Automation;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Removes members from a group; a member already absent is not an error.</summary>
    [Cmdlet(VerbsCommon.Remove, "TssrGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(GroupMember))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class RemoveTssrGroupMemberCommand : GroupMembershipCmdlet
    {
        private protected override bool Adding => false;
    }
}
