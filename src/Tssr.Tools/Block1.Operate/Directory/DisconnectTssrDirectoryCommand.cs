using System.Management.Automation;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>Closes a directory session (the default one when none is given).</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "TssrDirectory")]
    [OutputType(typeof(void))]
    [Competency(Engine.Core.Competency.OperateWindowsServersAndActiveDirectory, Engine.Core.Competency.SupportUsers)]
    public sealed class DisconnectTssrDirectoryCommand : TssrCmdlet
    {
        /// <summary>The session to close; the default session when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        public DirectorySession? Session { get; set; }

        protected override void ProcessRecord()
        {
            var session = Session ?? DirectorySessionStore.Default;
            if (session == null)
            {
                WriteVerbose(DirectoryCmdlet.DirectoryCmdletText.Get("Verbose_NoSession"));
                return;
            }
            if (ReferenceEquals(DirectorySessionStore.Default, session)) DirectorySessionStore.Default = null;
            session.Dispose();
            WriteVerbose(DirectoryCmdlet.DirectoryCmdletText.Format("Verbose_Disconnected", session.ToString()));
        }
    }
}
