using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Enables user accounts (clears ACCOUNTDISABLE).</summary>
    [Cmdlet(VerbsLifecycle.Enable, "TssrUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DirectoryUser))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class EnableTssrUserCommand : UserAccountChangeCmdlet
    {
        private protected override Task<DirectoryUser?> ChangeAsync(UserDirectory directory, string identity, IEngineSink sink, CancellationToken cancellationToken)
            => directory.SetEnabledAsync(identity, true, sink, cancellationToken);
    }
}
