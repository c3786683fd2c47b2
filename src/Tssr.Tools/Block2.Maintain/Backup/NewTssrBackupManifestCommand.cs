using System.Management.Automation;
using Tssr.Tools.Engine.Backup;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools
{
    /// <summary>
    /// Records a directory tree for later checks: the SHA-256 of every file, hashed in parallel, in
    /// the exact format sha256sum writes, or in a JSON form that also keeps size, mode, modification
    /// time and symbolic link targets.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "TssrBackupManifest")]
    [OutputType(typeof(BackupManifestResult))]
    [Competency(Competency.BackupAndRestore)]
    public sealed class NewTssrBackupManifestCommand : TssrCmdlet
    {
        /// <summary>The directory to record.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The manifest file to write (.json gives the JSON form).</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? OutFile { get; set; }

        /// <summary>Sha256Sum or Json; Auto decides from the extension of -OutFile.</summary>
        [Parameter]
        [EnumArgument(typeof(BackupManifestFormat), nameof(Format))]
        public BackupManifestFormat Format { get; set; } = BackupManifestFormat.Auto;

        /// <summary>Files hashed at once.</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = BackupManifestOptions.DefaultThrottleLimit;

        protected override void ProcessRecord()
        {
            var options = new BackupManifestOptions
            {
                OutFile = OutFile == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile),
                Format = Format,
                ThrottleLimit = ThrottleLimit,
            };
            var root = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path).TrimEnd('/');
            if (root.Length == 0) root = "/";
            RunEngine(new BackupManifestBuilder(), options, new[] { root });
        }
    }
}
