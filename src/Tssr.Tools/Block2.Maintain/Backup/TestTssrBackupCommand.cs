using System.Management.Automation;
using Tssr.Tools.Engine.Backup;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools
{
    /// <summary>
    /// Proves that a backup can be restored: checks a directory against a manifest (missing, extra,
    /// changed, unreadable files, each named), says how much was verified, and fails when nothing was.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "TssrBackup")]
    [OutputType(typeof(BackupTestResult))]
    [Competency(Competency.BackupAndRestore)]
    public sealed class TestTssrBackupCommand : TssrCmdlet
    {
        private BackupTestOptions? _options;

        /// <summary>The directory or archive to check.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The manifest the backup must match: sha256sum's lines or New-TssrBackupManifest's JSON.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? ManifestPath { get; set; }

        /// <summary>The source directory an archive is restored into a sandbox and compared with.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SourcePath { get; set; }

        /// <summary>Refuse an archive that expands more than this many times its compressed size (decompression bomb).</summary>
        [Parameter]
        [ValidateRange(1.0, 1e9)]
        public double MaxExpansionRatio { get; set; } = Engine.Backup.Archives.ArchiveLimits.DefaultMaxExpansionRatio;

        /// <summary>Refuse an archive that expands to more than this many bytes.</summary>
        [Parameter]
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
                Limits = new Engine.Backup.Archives.ArchiveLimits { MaxExpansionRatio = MaxExpansionRatio, MaxExpandedBytes = MaxExpandedBytes },
                ThrottleLimit = ThrottleLimit,
            };
        }

        protected override void ProcessRecord()
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (path.Length > 1) path = path.TrimEnd('/');
            RunEngine(new BackupVerifier(), _options!, new[] { path });
        }
    }
}
