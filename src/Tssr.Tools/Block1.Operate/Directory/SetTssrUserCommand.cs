using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Changes attributes and account settings of users; an empty string clears an attribute.</summary>
    [Cmdlet(VerbsCommon.Set, "TssrUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DirectoryUser))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class SetTssrUserCommand : UserAttributeCmdlet
    {
        /// <summary>sAMAccountName, UPN, DN, GUID or SID.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SamAccountName", "DistinguishedName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserIdentityCompleter))]
        public string Identity { get; set; } = string.Empty;

        /// <summary>$true enables, $false disables the account.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool? Enabled { get; set; }

        /// <summary>$true: must change the password at next logon; $false: clears that.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool? ChangePasswordAtLogon { get; set; }

        /// <summary>$true: the password never expires.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool? PasswordNeverExpires { get; set; }

        /// <summary>The date the account expires.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTime? AccountExpirationDate { get; set; }

        /// <summary>Removes the account's expiration date.</summary>
        [Parameter]
        public SwitchParameter ClearAccountExpiration { get; set; }

        /// <summary>The computers the account may log on from, comma-separated (userWorkstations); '' allows any.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? LogonWorkstations { get; set; }

        /// <summary>Removes the logon-hours restriction (logonHours): every hour allowed.</summary>
        [Parameter]
        public SwitchParameter ClearLogonHours { get; set; }

        protected override void ProcessRecord()
        {
            var attributes = new UserAttributes();
            FillAttributes(attributes);
            attributes.LogonWorkstations = LogonWorkstations;
            var directory = Directory;
            RunForTarget(async (sink, ct) =>
            {
                var user = await directory.SetUserAsync(Identity, attributes, Enabled, ChangePasswordAtLogon, PasswordNeverExpires, AccountExpirationDate, ClearAccountExpiration, sink, ct, ClearLogonHours).ConfigureAwait(false);
                if (user != null && PassThru) sink.Output(user);
            });
        }
    }
}
