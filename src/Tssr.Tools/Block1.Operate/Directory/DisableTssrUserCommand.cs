using System.Management.Automation;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Disables user accounts.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "TssrUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DirectoryUser))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class DisableTssrUserCommand : DirectoryCmdlet
    {
        /// <summary>sAMAccountName, UPN, DN, GUID or SID.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SamAccountName", "DistinguishedName")]
        [ValidateNotNullOrEmpty]
        public string Identity { get; set; } = string.Empty;

        /// <summary>Writes the user to the pipeline afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var directory = Directory;
            RunForTarget(async (sink, ct) =>
            {
                var user = await directory.SetEnabledAsync(Identity, false, sink, ct).ConfigureAwait(false);
                if (user != null && PassThru) sink.Output(user);
            });
        }
    }
}
