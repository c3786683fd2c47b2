using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Inventory.Ssh
{
    /// <summary>The local machine as a target: the collector runs in /bin/sh -s, no SSH, no network.</summary>
    internal sealed class LocalShellTransport : ICommandTransport
    {
        public string Target => Environment.MachineName;
        public RemoteShell Shell => RemoteShell.Posix;
        public bool IsConnected => true;

        /// <summary>Runs /bin/sh -s with <see cref="CommandRequest.StandardInput"/> as the script (the command text is ignored).</summary>
        public async Task<CommandReply> RunAsync(CommandRequest request, CancellationToken ct)
        {
            var psi = new ProcessStartInfo("/bin/sh", "-s")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = new UTF8Encoding(false),
                StandardErrorEncoding = new UTF8Encoding(false),
                CreateNoWindow = true,
            };
            psi.EnvironmentVariables["LC_ALL"] = "C";
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
                            try { KillTree(process); } catch (InvalidOperationException) { }
                            ct.ThrowIfCancellationRequested();
                            process.WaitForExit(5000);
                            return new CommandReply(null, null, await Completed(stdout).ConfigureAwait(false), await Completed(stderr).ConfigureAwait(false), clock.Elapsed, timedOut: true);
                        }
                    }
                }
                process.WaitForExit();
                var output = await stdout.ConfigureAwait(false);
                var error = await stderr.ConfigureAwait(false);
                return new CommandReply(process.ExitCode, null, output, error, clock.Elapsed, timedOut: false);
            }
        }

        // What a killed script had written, if its pipes close within 2 s; never blocks the worker.
        private static async Task<string> Completed(Task<string> read)
            => await Task.WhenAny(read, Task.Delay(2000)).ConfigureAwait(false) == read ? await read.ConfigureAwait(false) : string.Empty;

        private static void KillTree(Process process)
        {
            // netstandard2.0 has no Kill(entireProcessTree): the script's children are in its
            // process group only when it leads one, so kill the shell and let pipes close the rest.
            process.Kill();
        }

        public void Dispose()
        {
        }
    }
}
