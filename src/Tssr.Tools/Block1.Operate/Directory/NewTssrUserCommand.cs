using System;
using System.Management.Automation;
using System.Security;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Creates a user in one request (password and final state included), then re-reads what the DC stored.</summary>
    [Cmdlet(VerbsCommon.New, "TssrUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DirectoryUser))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class NewTssrUserCommand : UserAttributeCmdlet
    {
        /// <summary>The object's name (its CN), e.g. "Dupont, Jean": escaped for the DN by the module.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The pre-Windows 2000 logon name (20 characters at most).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Login")]
        [ValidateNotNullOrEmpty]
        public string SamAccountName { get; set; } = string.Empty;

        /// <summary>The container (OU) DN; default: the domain's Users container.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("OU")]
        public string? Path { get; set; }

        /// <summary>The initial password (needs an encrypted session).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SecureString? AccountPassword { get; set; }

        /// <summary>$true to create the account enabled (needs -AccountPassword); disabled by default, as RSAT does.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool Enabled { get; set; }

        /// <summary>$true: the user must change the password at first logon.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool ChangePasswordAtLogon { get; set; }

        /// <summary>$true: the password never expires.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool PasswordNeverExpires { get; set; }

        /// <summary>The date the account expires.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTime? AccountExpirationDate { get; set; }

        protected override void ProcessRecord()
        {
            if (SamAccountName.Length > 20)
                ThrowParameterError("DirectorySamAccountNameTooLong", SamAccountName, DirectoryCmdletText.Format("Error_SamTooLong", SamAccountName, SamAccountName.Length), DirectoryCmdletText.Get("Action_SamTooLong"));
            var request = new NewUserRequest(Name, SamAccountName)
            {
                Path = Path,
                AccountPassword = AccountPassword,
                Enabled = Enabled,
                ChangePasswordAtLogon = ChangePasswordAtLogon,
                PasswordNeverExpires = PasswordNeverExpires,
                AccountExpirationDate = AccountExpirationDate,
            };
            FillAttributes(request.Attributes);
            var directory = Directory;
            RunForTarget(async (sink, ct) =>
            {
                var user = await directory.NewUserAsync(request, sink, ct).ConfigureAwait(false);
                if (user != null && PassThru) sink.Output(user);
            });
        }
    }
}
