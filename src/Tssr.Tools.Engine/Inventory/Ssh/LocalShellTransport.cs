using System;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Inventory.Ssh
{
    /// <summary>
    /// The local machine as a target, without SSH or network: the collector script goes on the
    /// stdin of /bin/sh -s (Linux, macOS) or of Windows PowerShell (Windows).
    /// </summary>
    internal sealed class LocalShellTransport : ICommandTransport
    {
        private readonly string _fileName;
        private readonly string _arguments;
        private readonly string? _workingDirectory;

        internal LocalShellTransport(string fileName, string arguments, RemoteShell shell, string? workingDirectory = null)
        {
            _fileName = fileName;
            _arguments = arguments;
            _workingDirectory = workingDirectory;
            Shell = shell;
        }

        /// <summary>/bin/sh -s here; on Windows, powershell.exe with the bootstrap that reads the script on stdin.</summary>
        public static LocalShellTransport ForThisMachine()
            => RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? new LocalShellTransport("powershell.exe", "-NoProfile -NonInteractive " + Collectors.CollectorScripts.PowerShellBootstrapArguments, RemoteShell.PowerShell)
                : new LocalShellTransport("/bin/sh", "-s", RemoteShell.Posix);

        public string Target => Environment.MachineName;
        public RemoteShell Shell { get; }
        public bool ShellProbed => true;
        public void SetShell(RemoteShell shell) { }
        public bool IsConnected => true;

        /// <summary>Runs the shell with <see cref="CommandRequest.StandardInput"/> as the script (the command text is ignored).</summary>
        public async Task<CommandReply> RunAsync(CommandRequest request, CancellationToken ct)
        {
            var psi = new ProcessStartInfo(_fileName, _arguments)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = new UTF8Encoding(false),
                StandardErrorEncoding = new UTF8Encoding(false),
                CreateNoWindow = true,
            };
            if (_workingDirectory != null) psi.WorkingDirectory = _workingDirectory;
            psi.EnvironmentVariables["LC_ALL"] = "C";
            psi.EnvironmentVariables["NO_COLOR"] = "1";
            var clock = Stopwatch.StartNew();
            using (var process = new Process { StartInfo = psi })
            {
                try
                {
                    process.Start();
                }
                catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is FileNotFoundException)
                {
                    throw new Core.TssrException("InventoryLocalShellMissing", Core.TssrErrorCategory.NotInstalled, Target,
                        InventoryText.Strings.Format("Error_LocalShellMissing", e.Message), null, e);
                }
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (request.StandardInput != null)
                {
                    var stream = process.StandardInput.BaseStream;
                    await stream.WriteAsync(request.StandardInput, 0, request.StandardInput.Length, ct).ConfigureAwait(false);
                }
                process.StandardInput.Close();

                var exited = new TaskCompletionSource<bool>();
                process.EnableRaisingEvents = true;
                process.Exited += (_, __) => exited.TrySetResult(true);
                if (process.HasExited) exited.TrySetResult(true);
                using (var limit = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    if (request.Timeout.HasValue) limit.CancelAfter(request.Timeout.Value);
                    var stop = new TaskCompletionSource<bool>();
                    using (limit.Token.Register(() => stop.TrySetResult(true)))
                    {
                        var first = await Task.WhenAny(exited.Task, stop.Task).ConfigureAwait(false);
                        if (first == stop.Task && !process.HasExited)
                        {
                            KillTree(process);
                            ct.ThrowIfCancellationRequested();
                            var gone = process.WaitForExit(5000);
                            return new CommandReply(null, null, Strip(await Completed(stdout).ConfigureAwait(false)), await Completed(stderr).ConfigureAwait(false), clock.Elapsed, timedOut: true, killed: gone);
                        }
                    }
                }
                process.WaitForExit();
                var output = await stdout.ConfigureAwait(false);
                var error = await stderr.ConfigureAwait(false);
                return new CommandReply(process.ExitCode, null, Strip(output), error, clock.Elapsed, timedOut: false);
            }
        }

        // The PowerShell bootstrap prints its PID first (for a remote timeout); here the process is ours.
        private string Strip(string output) => Shell == RemoteShell.PowerShell ? CommandPid.Strip(output, out _) : output;

        // What a killed script had written, if its pipes close within 2 s; never blocks the worker.
        private static async Task<string> Completed(Task<string> read)
            => await Task.WhenAny(read, Task.Delay(2000)).ConfigureAwait(false) == read ? await read.ConfigureAwait(false) : string.Empty;

        private static readonly MethodInfo? KillEntireTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });

        /// <summary>
        /// Kills the shell and every process it started (a collector's child left running would
        /// keep the pipes open and go on working). netstandard2.0 has no Kill(entireProcessTree),
        /// but every runtime pwsh 7 runs on has it: it is called when present; Windows PowerShell
        /// 5.1 (.NET Framework) only kills the shell.
        /// </summary>
        internal static void KillTree(Process process)
        {
            try
            {
                if (KillEntireTree != null) KillEntireTree.Invoke(process, new object[] { true });
                else process.Kill();
            }
            catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException || e.InnerException is System.ComponentModel.Win32Exception)
            {
            }
            catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception)
            {
            }
        }

        public void Dispose()
        {
        }
    }
}
