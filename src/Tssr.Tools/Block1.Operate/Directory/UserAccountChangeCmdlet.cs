using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>
    /// Enable-, Disable- and Unlock-TssrUser: one identity in, one change to the account, the user
    /// written back with -PassThru.
    /// </summary>
    public abstract class UserAccountChangeCmdlet : DirectoryCmdlet
    {
        /// <summary>sAMAccountName, UPN, DN, GUID or SID.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SamAccountName", "DistinguishedName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserIdentityCompleter))]
        public string Identity { get; set; } = string.Empty;

        /// <summary>Writes the user to the pipeline afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The change itself; returns the user as it is afterwards, or null when skipped.</summary>
        private protected abstract Task<DirectoryUser?> ChangeAsync(UserDirectory directory, string identity, IEngineSink sink, CancellationToken cancellationToken);

        protected override void ProcessRecord()
        {
            var directory = Directory;
            var identity = Identity;
            var passThru = PassThru.IsPresent;
            RunForTarget(async (sink, ct) =>
            {
                var user = await ChangeAsync(directory, identity, sink, ct).ConfigureAwait(false);
                if (user != null && passThru) sink.Output(user);
            });
        }
    }
}
