using System;
using System.Linq;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory;
using Tssr.Tools.Engine.Inventory.Ssh;

namespace Tssr.Tools
{
    /// <summary>Closes SSH sessions and forgets them.</summary>
    [Cmdlet(VerbsCommon.Remove, "TssrSshSession", SupportsShouldProcess = true, DefaultParameterSetName = BySession)]
    [OutputType(typeof(void))]
    [Competency(Competency.OperateLinuxServers, Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class RemoveTssrSshSessionCommand : TssrCmdlet
    {
        private const string BySession = nameof(BySession);
        private const string ById = nameof(ById);

        /// <summary>Sessions from New-TssrSshSession or Get-TssrSshSession.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = BySession)]
        [ValidateNotNull]
        public TssrSshSession[] Session { get; set; } = Array.Empty<TssrSshSession>();

        /// <summary>Session numbers.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ById)]
        [ArgumentCompleter(typeof(SshSessionCompleter))]
        public int[] Id { get; set; } = Array.Empty<int>();

        protected override void ProcessRecord()
        {
            var sessions = ParameterSetName == ById
                ? SshSessionStore.All().Where(s => Id.Contains(s.Id)).ToArray()
                : Session;
            if (ParameterSetName == ById)
            {
                foreach (var missing in Id.Where(i => sessions.All(s => s.Id != i)))
                    WriteTssrError(new TssrError("SshSessionNotFound", TssrErrorCategory.ObjectNotFound, missing,
                        InventoryText.Strings.Format("Error_SessionNotFound", missing)));
            }
            foreach (var s in sessions)
            {
                if (ShouldProcess(s.ToString(), InventoryText.Strings.Get("ShouldProcess_CloseSession")))
                    SshSessionStore.Remove(s);
            }
        }
    }
}
