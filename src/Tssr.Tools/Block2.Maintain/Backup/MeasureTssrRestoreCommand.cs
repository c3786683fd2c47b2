using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Backup;
using Tssr.Tools.Engine.Backup.Repositories;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools
{
    /// <summary>
    /// A timed restore drill: restores an archive or a repository snapshot into a sandbox, verifies it
    /// against its source or manifest, cleans up, and reports the measured RTO against -TargetRto with
    /// the evidence (what, from where, when, by whom, hashes, coverage, result).
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Measure, "TssrRestore", DefaultParameterSetName = ByPath)]
    [OutputType(typeof(RestoreDrillResult))]
    [Competency(Competency.BackupAndRestore)]
    public sealed class MeasureTssrRestoreCommand : TssrCmdlet
    {
        private const string ByPath = nameof(ByPath);
        private const string ByRestic = nameof(ByRestic);
        private const string ByBorg = nameof(ByBorg);

        /// <summary>The archive (or backup directory) to restore.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByPath)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The restic repository to restore a snapshot from.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByRestic)]
        [ValidateNotNullOrEmpty]
        public string? ResticRepository { get; set; }

        /// <summary>The borg repository to restore an archive from.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByBorg)]
        [ValidateNotNullOrEmpty]
        public string? BorgRepository { get; set; }

        /// <summary>The repository's password, passed to restic or borg in its environment only.</summary>
        [Parameter(ParameterSetName = ByRestic)]
        [Parameter(ParameterSetName = ByBorg)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>The snapshot or borg archive to restore; the newest by default.</summary>
        [Parameter(ParameterSetName = ByRestic)]
        [Parameter(ParameterSetName = ByBorg)]
        [ValidateNotNullOrEmpty]
        public string? Snapshot { get; set; }

        /// <summary>The restic or borg executable, when not the one on PATH.</summary>
        [Parameter(ParameterSetName = ByRestic)]
        [Parameter(ParameterSetName = ByBorg)]
        [ValidateNotNullOrEmpty]
        public string? ProgramPath { get; set; }

        /// <summary>The source directory the restore is compared with.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SourcePath { get; set; }

        /// <summary>The manifest the restore is compared with.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ManifestPath { get; set; }

        /// <summary>The recovery time objective: the drill fails when it takes longer.</summary>
        [Parameter]
        public TimeSpan? TargetRto { get; set; }

        /// <summary>The folder the restore sandbox is made in (the temporary folder by default).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SandboxPath { get; set; }

        protected override void ProcessRecord()
        {
            string Resolve(string p) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p);
            var test = new BackupTestOptions
            {
                SourcePath = SourcePath == null ? null : Resolve(SourcePath).TrimEnd('/'),
                ManifestPath = ManifestPath == null ? null : Resolve(ManifestPath),
                SandboxParent = SandboxPath == null ? null : Resolve(SandboxPath),
                Repository = ParameterSetName == ByRestic ? RepositoryKind.Restic : ParameterSetName == ByBorg ? RepositoryKind.Borg : (RepositoryKind?)null,
                Password = Credential?.GetNetworkCredential().Password,
                Snapshot = Snapshot,
                ProgramPath = ProgramPath == null ? null : Resolve(ProgramPath),
            };
            var input = ParameterSetName == ByPath ? Resolve(Path) : (ResticRepository ?? BorgRepository)!;
            if (ParameterSetName != ByPath && input.IndexOf(':') < 0) input = Resolve(input);
            RunEngine(new RestoreDrill(), new RestoreDrillOptions { Test = test, TargetRto = TargetRto }, new[] { input });
        }
    }
}
