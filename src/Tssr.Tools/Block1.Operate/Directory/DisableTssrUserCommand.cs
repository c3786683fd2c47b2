using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Disables user accounts.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "TssrUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DirectoryUser))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class DisableTssrUserCommand : UserAccountChangeCmdlet
    {
        private protected override Task<DirectoryUser?> ChangeAsync(UserDirectory directory, string identity, IEngineSink sink, CancellationToken cancellationToken)
            => directory.SetEnabledAsync(identity, false, sink, cancellationToken);
    }
}
