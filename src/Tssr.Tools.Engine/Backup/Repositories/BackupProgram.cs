using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Backup.Repositories
{
    /// <summary>What a backup program printed and how it ended.</summary>
    internal sealed class ProgramOutput
    {
        public ProgramOutput(int exitCode, string standardOutput, string standardError)
        {
            ExitCode = exitCode;
            StandardOutput = standardOutput;
            StandardError = standardError;
        }

        public int ExitCode { get; }
        public string StandardOutput { get; }
        public string StandardError { get; }
    }

    /// <summary>Runs restic or borg; behind an interface so recorded outputs can be replayed by the tests.</summary>
    internal interface IBackupProgram
    {
        /// <summary>Runs <paramref name="arguments"/>; <paramref name="environment"/> goes to the child only (the password lives there, never in arguments).</summary>
        Task<ProgramOutput> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory, CancellationToken token);
    }

    internal sealed class LocalBackupProgram : IBackupProgram
    {
        private readonly string _path;

        public LocalBackupProgram(string path) { _path = path; }

        public async Task<ProgramOutput> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory, CancellationToken token)
        {
            var psi = new ProcessStartInfo(_path)
            {
                Arguments = Quote(arguments),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                CreateNoWindow = true,
            };
            if (workingDirectory != null) psi.WorkingDirectory = workingDirectory;
            foreach (var pair in environment) psi.Environment[pair.Key] = pair.Value;
            Process process;
            try { process = Process.Start(psi)!; }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is IOException)
            {
                throw new FileNotFoundException(_path, e);
            }
            using (process)
            {
                process.StandardInput.Close();
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                var exited = new TaskCompletionSource<bool>();
                process.EnableRaisingEvents = true;
                process.Exited += (_, _) => exited.TrySetResult(true);
                if (process.HasExited) exited.TrySetResult(true);
                using (token.Register(() => { try { if (!process.HasExited) process.Kill(); } catch (InvalidOperationException) { } }))
                {
                    await exited.Task.ConfigureAwait(false);
                    var stdout = await output.ConfigureAwait(false);
                    var stderr = await error.ConfigureAwait(false);
                    process.WaitForExit();
                    token.ThrowIfCancellationRequested();
                    return new ProgramOutput(process.ExitCode, stdout, stderr);
                }
            }
        }

        /// <summary>netstandard2.0 has no ArgumentList: quoted as the .NET runtime splits them back on Unix.</summary>
        internal static string Quote(IReadOnlyList<string> arguments)
        {
            var parts = new List<string>();
            foreach (var a in arguments)
            {
                if (a.Length > 0 && a.IndexOfAny(new[] { ' ', '\t', '"', '\\', '\'' }) < 0) { parts.Add(a); continue; }
                var s = new System.Text.StringBuilder("\"");
                var backslashes = 0;
                foreach (var c in a)
                {
                    if (c == '\\') { backslashes++; continue; }
                    if (c == '"') s.Append('\\', backslashes * 2 + 1);
                    else s.Append('\\', backslashes);
                    backslashes = 0;
                    s.Append(c);
                }
                s.Append('\\', backslashes * 2).Append('"');
                parts.Add(s.ToString());
            }
            return string.Join(" ", parts);
        }

        /// <summary>The program's full path: the one given, or the first on PATH; null when absent.</summary>
        public static string? Find(string name, string? given)
        {
            if (!string.IsNullOrEmpty(given)) return File.Exists(given) ? Path.GetFullPath(given) : null;
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                if (dir.Length == 0) continue;
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
                if (File.Exists(candidate + ".exe")) return candidate + ".exe";
            }
            return null;
        }
    }
}
