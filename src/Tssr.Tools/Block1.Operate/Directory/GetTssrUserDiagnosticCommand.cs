using System.Management.Automation;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Answers "why can't this user log on?" in one object, with an explanation in French or English.</summary>
    [Cmdlet(VerbsCommon.Get, "TssrUserDiagnostic")]
    [OutputType(typeof(UserDiagnostic))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class GetTssrUserDiagnosticCommand : DirectoryCmdlet
    {
        /// <summary>sAMAccountName, UPN, DN, GUID or SID.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SamAccountName", "DistinguishedName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserIdentityCompleter))]
        public string[] Identity { get; set; } = System.Array.Empty<string>();

        protected override void ProcessRecord()
        {
            var diagnostics = new UserDiagnostics(Directory);
            Run((sink, ct) => diagnostics.DiagnoseAsync(Identity, sink, ct));
        }
    }
}
