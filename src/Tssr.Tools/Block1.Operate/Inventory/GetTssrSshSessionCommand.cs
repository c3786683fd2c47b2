using System;
using System.Linq;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory.Ssh;

namespace Tssr.Tools
{
    /// <summary>Lists the SSH sessions opened in this PowerShell process, with their state.</summary>
    [Cmdlet(VerbsCommon.Get, "TssrSshSession", DefaultParameterSetName = All)]
    [OutputType(typeof(TssrSshSession))]
    [Competency(Competency.OperateLinuxServers, Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class GetTssrSshSessionCommand : TssrCmdlet
    {
        private const string All = nameof(All);
        private const string ById = nameof(ById);
        private const string ByComputerName = nameof(ByComputerName);

        /// <summary>Session numbers.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById)]
        [ArgumentCompleter(typeof(SshSessionCompleter))]
        public int[] Id { get; set; } = Array.Empty<int>();

        /// <summary>Host names (wildcards allowed).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByComputerName, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(SshSessionCompleter))]
        public string[] ComputerName { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            var sessions = SshSessionStore.All();
            if (ParameterSetName == ById)
                sessions = sessions.Where(s => Id.Contains(s.Id)).ToList();
            else if (ParameterSetName == ByComputerName)
            {
                var patterns = ComputerName.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
                sessions = sessions.Where(s => patterns.Any(p => p.IsMatch(s.ComputerName) || p.IsMatch(s.ComputerName + ":" + s.Port))).ToList();
            }
            foreach (var s in sessions) WriteObject(s);
        }
    }
}
