using System.Management.Automation;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Adds members to a group; a member already there is not an error.</summary>
    [Cmdlet(VerbsCommon.Add, "TssrGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(GroupMember))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class AddTssrGroupMemberCommand : GroupMembershipCmdlet
    {
        private protected override bool Adding => true;
    }
}
