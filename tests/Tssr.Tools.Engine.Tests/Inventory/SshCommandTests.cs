using System;
using System.Diagnostics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Inventory.Collectors;
using Tssr.Tools.Engine.Inventory.Ssh;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Inventory
{
    /// <summary>
    /// How a timed-out command is found and killed: the id line it prints first, the kill sent on a
    /// second channel, and the Windows bootstrap run for real by pwsh here (Windows PowerShell and
    /// taskkill themselves are not verified: no Windows host here).
    /// </summary>
    public class SshCommandTests
    {
        [Theory]
        [InlineData("@@tssr-pgid 4242\nout\n", 4242, "out\n")]
        [InlineData("@@tssr-pgid 4242\r\nout\r\n", 4242, "out\r\n")]
        [InlineData("\uFEFF@@tssr-pgid 17\r\n", 17, "")]
        [InlineData("out\n@@tssr-pgid 4242\n", 0, "out\n@@tssr-pgid 4242\n")]
        [InlineData("@@tssr-pgid 99999999999999999999\n", 0, "")]
        [InlineData("", 0, "")]
        public void The_id_line_is_read_and_removed_only_when_it_comes_first(string output, int id, string rest)
        {
            Assert.Equal(rest, CommandPid.Strip(output, out var got));
            Assert.Equal(id, got);
        }

        [Fact]
        public void The_kill_is_taskkill_of_the_tree_on_Windows_and_of_the_process_group_on_POSIX()
        {
            Assert.Equal("taskkill /T /F /PID 4242", SshNetTransport.KillCommand(RemoteShell.PowerShell, 4242, sudo: false));
            Assert.Equal("LC_ALL=C kill -s KILL -- -4242", SshNetTransport.KillCommand(RemoteShell.Posix, 4242, sudo: false));
            Assert.Equal(SshCommandRunner.SudoPrefix + "LC_ALL=C kill -s KILL -- -4242", SshNetTransport.KillCommand(RemoteShell.Posix, 4242, sudo: true));
            // sudo is a POSIX thing: never asked of Windows.
            Assert.Equal("taskkill /T /F /PID 4242", SshNetTransport.KillCommand(RemoteShell.PowerShell, 4242, sudo: true));
        }

        [Fact]
        public void A_Windows_command_travels_as_base64_on_stdin_behind_a_short_encoded_bootstrap()
        {
            var command = "Get-ChildItem 'C:\\Données' | Where-Object { $_.Length -gt 1MB }; \"€\"";
            var (line, stdin) = CollectorScripts.PowerShellCommandFor(command);
            Assert.StartsWith("powershell.exe -NoProfile -NonInteractive -EncodedCommand ", line);
            Assert.True(line.Length < 1500, "cmd.exe's limit is 8,191 characters");
            var encoded = line.Substring(line.LastIndexOf(' ') + 1);
            Assert.Equal(CollectorScripts.PowerShellCommandBootstrap, Encoding.Unicode.GetString(Convert.FromBase64String(encoded)));
            Assert.All(stdin, b => Assert.True(b < 0x80));
            Assert.Equal(command, Encoding.UTF8.GetString(Convert.FromBase64String(Encoding.ASCII.GetString(stdin).Trim())));
            Assert.StartsWith("[Console]::Out.WriteLine('@@tssr-pgid ' + $PID)", CollectorScripts.PowerShellBootstrap);
        }

        [Theory]
        [InlineData(RemoteShell.Posix, 0, "", true)]
        [InlineData(RemoteShell.Posix, 1, "kill: No such process\n", true)]                      // dash
        [InlineData(RemoteShell.Posix, 1, "sh: 1: kill: (-4242) - No such process\n", true)]    // bash
        [InlineData(RemoteShell.Posix, 1, "kill: can't kill pid -4242: No such process\n", true)] // busybox
        [InlineData(RemoteShell.Posix, 1, "kill: Operation not permitted\n", false)]
        [InlineData(RemoteShell.Posix, null, "", false)]
        [InlineData(RemoteShell.PowerShell, 0, "SUCCESS: The process with PID 4242 (child process of PID 1) has been terminated.", true)]
        [InlineData(RemoteShell.PowerShell, 128, "ERROR: The process \"4242\" not found.", true)]
        [InlineData(RemoteShell.PowerShell, 1, "ERROR: The process with PID 4242 could not be terminated. Reason: Access is denied.", false)]
        public void A_kill_is_confirmed_when_it_reached_the_command_or_nothing_was_left(RemoteShell shell, int? exit, string stderr, bool confirmed)
            => Assert.Equal(confirmed, SshNetTransport.KillConfirmed(shell, exit, stderr));

        private static LocalShellTransport Pwsh(string commandLine)
        {
            var root = WindowsCollectorTests.RepositoryRoot();
            Assert.True(root != null, "the repository's .config/dotnet-tools.json (pwsh) was not found above " + AppContext.BaseDirectory);
            return new LocalShellTransport("dotnet", "pwsh " + commandLine.Substring("powershell.exe ".Length), RemoteShell.PowerShell, root);
        }

        [Fact]
        public async Task The_Windows_bootstrap_runs_under_pwsh_prints_its_own_PID_first_and_keeps_the_exit_status()
        {
            // $PID inside the command is the PID the bootstrap printed first (the one taskkill gets).
            var (line, stdin) = CollectorScripts.PowerShellCommandFor("Write-Output \"pid=$PID\"; Write-Output 'héllo €'; exit 3");
            var psi = new ProcessStartInfo("dotnet", "pwsh " + line.Substring("powershell.exe ".Length))
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = new UTF8Encoding(false),
                WorkingDirectory = WindowsCollectorTests.RepositoryRoot(),
            };
            using (var p = Process.Start(psi)!)
            {
                await p.StandardInput.BaseStream.WriteAsync(stdin, 0, stdin.Length);
                p.StandardInput.Close();
                var output = await p.StandardOutput.ReadToEndAsync();
                Assert.True(p.WaitForExit(120000));
                var rest = CommandPid.Strip(output, out var id);
                Assert.True(id > 1, output);
                Assert.Equal("pid=" + id + "\nhéllo €\n", rest.Replace("\r\n", "\n"));
                Assert.Equal(3, p.ExitCode);
            }

            var (native, nativeIn) = CollectorScripts.PowerShellCommandFor("sh -c 'exit 5'");
            using (var t = Pwsh(native))
                Assert.Equal(5, (await t.RunAsync(new CommandRequest(native, TimeSpan.FromSeconds(120), nativeIn), CancellationToken.None)).ExitStatus);
            var (ok, okIn) = CollectorScripts.PowerShellCommandFor("Write-Output fine");
            using (var t = Pwsh(ok))
            {
                var r = await t.RunAsync(new CommandRequest(ok, TimeSpan.FromSeconds(120), okIn), CancellationToken.None);
                Assert.Equal(0, r.ExitStatus);
                Assert.Equal("fine", r.Output.Trim());
                Assert.False(r.Killed);
            }
        }

        [Fact]
        public async Task A_local_command_past_its_timeout_is_killed_and_says_so()
        {
            using (var t = new LocalShellTransport("/bin/sh", "-s", RemoteShell.Posix))
            {
                var clock = Stopwatch.StartNew();
                var r = await t.RunAsync(new CommandRequest("sh", TimeSpan.FromSeconds(1), Encoding.ASCII.GetBytes("sleep 60; echo never\n")), CancellationToken.None);
                Assert.True(r.TimedOut);
                Assert.True(r.Killed);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
                Assert.DoesNotContain("never", r.Output);
            }
        }
    }
}
