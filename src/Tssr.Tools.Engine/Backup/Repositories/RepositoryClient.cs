using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Backup.Repositories
{
    public enum RepositoryKind
    {
        Restic,
        Borg,
    }

    /// <summary>
    /// Talks to a restic or borg repository through the real program. The password travels in the
    /// child's environment only (RESTIC_PASSWORD, BORG_PASSPHRASE): never in arguments, and any
    /// text reported from the program has it masked.
    /// </summary>
    internal sealed class RepositoryClient
    {
        private readonly IBackupProgram _program;
        private readonly string _repository;
        private readonly string? _password;
        private readonly Dictionary<string, string> _environment = new Dictionary<string, string>(StringComparer.Ordinal);

        public RepositoryClient(RepositoryKind kind, IBackupProgram program, string repository, string? password)
        {
            Kind = kind;
            _program = program;
            _repository = repository;
            _password = password;
            if (kind == RepositoryKind.Restic)
            {
                if (password != null) _environment["RESTIC_PASSWORD"] = password;
                _environment["RESTIC_PROGRESS_FPS"] = "0.1";
            }
            else
            {
                if (password != null) _environment["BORG_PASSPHRASE"] = password;
                _environment["BORG_DISPLAY_PASSPHRASE"] = "no";
                // A copy of a repository (the off-site one) is what a check is often given: borg would stop at "previously located at".
                _environment["BORG_RELOCATED_REPO_ACCESS_IS_OK"] = "yes";
                _environment["BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK"] = "no";
            }
        }

        public RepositoryKind Kind { get; }
        public string Program => Kind == RepositoryKind.Restic ? "restic" : "borg";

        public async Task<List<BackupSnapshot>> SnapshotsAsync(CancellationToken token)
        {
            var output = Kind == RepositoryKind.Restic
                ? await RunAsync(new[] { "-r", _repository, "snapshots", "--json", "--no-lock" }, null, token).ConfigureAwait(false)
                : await RunAsync(new[] { "list", "--json", _repository }, null, token).ConfigureAwait(false);
            if (output.ExitCode != 0) throw Failure(output);
            return Kind == RepositoryKind.Restic ? RepositoryJson.ResticSnapshots(output.StandardOutput) : RepositoryJson.BorgArchives(output.StandardOutput);
        }

        /// <summary>restic check --read-data (or a subset), borg check --verify-data; the problems it printed, empty when sound.</summary>
        public async Task<List<string>> CheckAsync(double? subsetPercent, CancellationToken token)
        {
            var args = new List<string>();
            if (Kind == RepositoryKind.Restic)
            {
                args.AddRange(new[] { "-r", _repository, "check" });
                args.Add(subsetPercent.HasValue ? "--read-data-subset=" + subsetPercent.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) + "%" : "--read-data");
            }
            else args.AddRange(new[] { "check", "--verify-data", _repository });
            var output = await RunAsync(args, null, token).ConfigureAwait(false);
            ThrowOnAccessFailure(output);
            var problems = new List<string>();
            if (output.ExitCode == 0) return problems;
            foreach (var line in (output.StandardError + "\n" + output.StandardOutput).Split('\n'))
            {
                var l = Mask(line.Trim());
                if (l.Length == 0 || l.StartsWith("[", StringComparison.Ordinal) || l.StartsWith("using temporary cache", StringComparison.Ordinal) || l.StartsWith("create exclusive lock", StringComparison.Ordinal)
                    || l.StartsWith("load indexes", StringComparison.Ordinal) || l.StartsWith("check all packs", StringComparison.Ordinal) || l.StartsWith("check snapshots", StringComparison.Ordinal)
                    || l.StartsWith("read all data", StringComparison.Ordinal) || l.StartsWith("read group", StringComparison.Ordinal) || l.StartsWith("created new cache", StringComparison.Ordinal)
                    || l.StartsWith("no errors were found", StringComparison.Ordinal))
                    continue;
                problems.Add(l);
            }
            if (problems.Count == 0) problems.Add(BackupText.Strings.Format("Reason_ProgramExit", Program, output.ExitCode));
            return problems;
        }

        public async Task RestoreAsync(BackupSnapshot snapshot, string sandbox, CancellationToken token)
        {
            var output = Kind == RepositoryKind.Restic
                ? await RunAsync(new[] { "-r", _repository, "restore", snapshot.Id, "--target", sandbox }, null, token).ConfigureAwait(false)
                : await RunAsync(new[] { "extract", _repository + "::" + snapshot.ShortId }, sandbox, token).ConfigureAwait(false);
            if (output.ExitCode != 0)
            {
                if (ArchiveRestoreDiskFull(output)) throw new System.IO.IOException(Mask(output.StandardError), 28);
                throw Failure(output);
            }
        }

        private static bool ArchiveRestoreDiskFull(ProgramOutput output) => output.StandardError.IndexOf("no space left on device", StringComparison.OrdinalIgnoreCase) >= 0;

        private async Task<ProgramOutput> RunAsync(IReadOnlyList<string> arguments, string? workingDirectory, CancellationToken token)
        {
            var output = await _program.RunAsync(arguments, _environment, workingDirectory, token).ConfigureAwait(false);
            ThrowOnAccessFailure(output);
            return output;
        }

        private void ThrowOnAccessFailure(ProgramOutput output)
        {
            if (output.ExitCode == 0) return;
            var text = output.StandardError + output.StandardOutput;
            if (text.IndexOf("wrong password", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("passphrase supplied", StringComparison.OrdinalIgnoreCase) >= 0
                || text.IndexOf("passphrase is incorrect", StringComparison.OrdinalIgnoreCase) >= 0)
                throw new TssrException("BackupRepositoryPasswordWrong", TssrErrorCategory.AuthenticationError, _repository,
                    BackupText.Strings.Format("Error_RepositoryPassword", _repository, Program), BackupText.Strings.Get("Action_RepositoryPassword"));
            if (_password == null && (text.IndexOf("password", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("passphrase", StringComparison.OrdinalIgnoreCase) >= 0))
                throw new TssrException("BackupRepositoryPasswordMissing", TssrErrorCategory.AuthenticationError, _repository,
                    BackupText.Strings.Format("Error_RepositoryPasswordMissing", _repository, Program), BackupText.Strings.Get("Action_RepositoryPassword"));
            if (text.IndexOf("does not exist", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("unable to open config file", StringComparison.OrdinalIgnoreCase) >= 0
                || text.IndexOf("is not a valid repository", StringComparison.OrdinalIgnoreCase) >= 0)
                throw new TssrException("BackupRepositoryNotFound", TssrErrorCategory.ObjectNotFound, _repository,
                    BackupText.Strings.Format("Error_RepositoryNotFound", _repository, Program, FirstLine(text)), BackupText.Strings.Get("Action_RepositoryNotFound"));
        }

        private TssrException Failure(ProgramOutput output)
            => IsInterrupted(output.ExitCode)
                ? new TssrException("BackupProgramInterrupted", TssrErrorCategory.OperationStopped, _repository,
                    BackupText.Strings.Format("Error_ProgramInterrupted", Program, output.ExitCode), BackupText.Strings.Get("Action_ProgramInterrupted"))
                : new TssrException("BackupProgramFailed", TssrErrorCategory.InvalidResult, _repository,
                BackupText.Strings.Format("Error_ProgramFailed", Program, output.ExitCode, FirstLine(output.StandardError + "\n" + output.StandardOutput)), BackupText.Strings.Get("Action_ProgramFailed"));

        /// <summary>128 + SIGINT, SIGKILL or SIGTERM: the program was stopped from outside (Ctrl+C reaches it as well as pwsh).</summary>
        private static bool IsInterrupted(int exitCode) => exitCode == 130 || exitCode == 137 || exitCode == 143;

        /// <summary>The line that says what went wrong: the first one, or the exception of a Python traceback (borg's "Local Exception").</summary>
        private string FirstLine(string text)
        {
            var lines = text.Split('\n');
            if (text.IndexOf("Traceback (most recent call last):", StringComparison.Ordinal) >= 0)
                for (var i = lines.Length - 1; i >= 0; i--)
                    if (System.Text.RegularExpressions.Regex.IsMatch(lines[i], @"^[A-Za-z_][\w.]*(Error|Exception|Integrity\w*|Missing\w*): "))
                        return Mask(lines[i].Trim());
            foreach (var line in lines)
                if (line.Trim().Length > 0) return Mask(line.Trim());
            return string.Empty;
        }

        /// <summary>Hides the password should the program ever print it.</summary>
        internal string Mask(string text) => string.IsNullOrEmpty(_password) ? text : text.Replace(_password, "***");
    }
}
