using System.Management.Automation;
using Tssr.Tools.Engine.Backup;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools
{
    /// <summary>
    /// Proves that a backup can be restored: checks a directory against a manifest (missing, extra,
    /// changed, unreadable files, each named), says how much was verified, and fails when nothing was.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "TssrBackup", DefaultParameterSetName = ByPath)]
    [OutputType(typeof(BackupTestResult))]
    [Competency(Competency.BackupAndRestore)]
    public sealed class TestTssrBackupCommand : TssrCmdlet
    {
        private const string ByPath = nameof(ByPath);
        private const string ByRestic = nameof(ByRestic);
        private const string ByBorg = nameof(ByBorg);
        private BackupTestOptions? _options;

        /// <summary>The directory or archive to check.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByPath)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The manifest the backup must match: sha256sum's lines or New-TssrBackupManifest's JSON.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? ManifestPath { get; set; }

        /// <summary>A restic repository (path or URL as restic takes it) to check, and to restore from when a reference is given.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByRestic)]
        [ValidateNotNullOrEmpty]
        public string? ResticRepository { get; set; }

        /// <summary>A borg repository to check, and to restore from when a reference is given.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByBorg)]
        [ValidateNotNullOrEmpty]
        public string? BorgRepository { get; set; }

        /// <summary>The repository's password (the user name is ignored); passed to restic or borg in its environment only.</summary>
        [Parameter(ParameterSetName = ByRestic)]
        [Parameter(ParameterSetName = ByBorg)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>The snapshot (restic id, prefix or "latest") or borg archive name to restore; the newest by default.</summary>
        [Parameter(ParameterSetName = ByRestic)]
        [Parameter(ParameterSetName = ByBorg)]
        [ValidateNotNullOrEmpty]
        public string? Snapshot { get; set; }

        /// <summary>The restic or borg executable, when not the one on PATH.</summary>
        [Parameter(ParameterSetName = ByRestic)]
        [Parameter(ParameterSetName = ByBorg)]
        [ValidateNotNullOrEmpty]
        public string? ProgramPath { get; set; }

        /// <summary>The source directory an archive is restored into a sandbox and compared with.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SourcePath { get; set; }

        /// <summary>Refuse an archive that expands more than this many times its compressed size (decompression bomb).</summary>
        [Parameter(ParameterSetName = ByPath)]
        [ValidateRange(1.0, 1e9)]
        public double MaxExpansionRatio { get; set; } = Engine.Backup.Archives.ArchiveLimits.DefaultMaxExpansionRatio;

        /// <summary>Refuse an archive that expands to more than this many bytes.</summary>
        [Parameter(ParameterSetName = ByPath)]
        [ValidateRange(1L, long.MaxValue)]
        public long MaxExpandedBytes { get; set; } = Engine.Backup.Archives.ArchiveLimits.DefaultMaxExpandedBytes;

        /// <summary>The folder the restore sandbox is made in (the temporary folder by default).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SandboxPath { get; set; }

        /// <summary>Verify a random subset only: a percentage ("10%") or a number of files ("500").</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Sample { get; set; }

        /// <summary>Seed of the sample's draw: the same seed checks the same files.</summary>
        [Parameter]
        public int? Seed { get; set; }

        /// <summary>Files hashed at once.</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = BackupManifestOptions.DefaultThrottleLimit;

        protected override void BeginProcessing()
        {
            _options = new BackupTestOptions
            {
                ManifestPath = ManifestPath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ManifestPath),
                Sample = Sample == null ? null : Invoke(() => BackupSample.Parse(Sample)),
                Seed = Seed,
                SourcePath = SourcePath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(SourcePath).TrimEnd('/'),
                SandboxParent = SandboxPath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(SandboxPath),
                Repository = ParameterSetName == ByRestic ? Engine.Backup.Repositories.RepositoryKind.Restic : ParameterSetName == ByBorg ? Engine.Backup.Repositories.RepositoryKind.Borg : (Engine.Backup.Repositories.RepositoryKind?)null,
                Password = Credential?.GetNetworkCredential().Password,
                Snapshot = Snapshot,
                ProgramPath = ProgramPath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ProgramPath),
                Limits = new Engine.Backup.Archives.ArchiveLimits { MaxExpansionRatio = MaxExpansionRatio, MaxExpandedBytes = MaxExpandedBytes },
                ThrottleLimit = ThrottleLimit,
            };
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != ByPath)
            {
                var repository = (ResticRepository ?? BorgRepository)!;
                // A local repository path is made absolute; a URL (sftp:, rest:, s3:, ssh://) is given as it is.
                if (repository.IndexOf(':') < 0) repository = SessionState.Path.GetUnresolvedProviderPathFromPSPath(repository);
                RunEngine(new BackupVerifier(), _options!, new[] { repository });
                return;
            }
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (path.Length > 1) path = path.TrimEnd('/');
            RunEngine(new BackupVerifier(), _options!, new[] { path });
        }
    }
}
