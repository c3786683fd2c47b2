using System.Management.Automation;
using System.Security;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Resets a user's password to a given one or to a generated one that satisfies the effective policy (returned once, as a SecureString).</summary>
    [Cmdlet(VerbsCommon.Reset, "TssrUserPassword", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(PasswordResetResult))]
    [Competency(Engine.Core.Competency.SupportUsers)]
    public sealed class ResetTssrUserPasswordCommand : DirectoryCmdlet
    {
        /// <summary>sAMAccountName, UPN, DN, GUID or SID.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SamAccountName", "DistinguishedName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserIdentityCompleter))]
        public string Identity { get; set; } = string.Empty;

        /// <summary>The new password; omitted, one is generated to satisfy the account's effective policy (fine-grained included).</summary>
        [Parameter(Position = 1)]
        public SecureString? NewPassword { get; set; }

        /// <summary>$true: the user must change the password at next logon ([bool] as RSAT's Set-ADUser).</summary>
        [Parameter]
        public bool ChangePasswordAtLogon { get; set; }

        /// <summary>Also unlocks the account if it is locked out.</summary>
        [Parameter]
        public SwitchParameter Unlock { get; set; }

        protected override void ProcessRecord()
        {
            var directory = Directory;
            RunForTarget(async (sink, ct) =>
            {
                var result = await directory.ResetPasswordAsync(Identity, NewPassword, ChangePasswordAtLogon, Unlock, sink, ct).ConfigureAwait(false);
                if (result != null) sink.Output(result);
            });
        }
    }
}
