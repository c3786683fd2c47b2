using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Backup;
using Tssr.Tools.Engine.Backup.Repositories;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Backup
{
    /// <summary>The restic/borg parsers on outputs captured from restic 0.14 and borg 1.2.4, hostile ones, and how the password travels.</summary>
    public class RepositoryTests
    {
        private const string ResticSnapshots = "[{\"time\":\"2026-12-07T17:02:54.386862646Z\",\"tree\":\"0d92f9b3435f678fa7ec506139f93859714c61b26356ffe726298610a47a6b50\",\"paths\":[\"/tmp/tssr-lab-bak/r/src\"],\"hostname\":\"vm\",\"username\":\"root\",\"id\":\"96b3253d513bf250a8514eeb12454d3c57ea2d532d6e8bb5f65b39ecd7a3b052\",\"short_id\":\"96b3253d\"}]\n";
        private const string BorgList = "{\n    \"archives\": [\n        {\n            \"archive\": \"first\",\n            \"barchive\": \"first\",\n            \"id\": \"1e158a130519bd6962c66e793f2d4e4ef5643975ed0cd49b6ca90186a05b66e7\",\n            \"name\": \"first\",\n            \"start\": \"2026-12-07T17:02:56.000000\",\n            \"time\": \"2026-12-07T17:02:56.000000\"\n        }\n    ],\n    \"encryption\": {\n        \"mode\": \"repokey\"\n    }\n}\n";

        [Fact]
        public void Restic_snapshots_are_read_with_nanosecond_times_and_paths()
        {
            var s = RepositoryJson.ResticSnapshots(ResticSnapshots).Single();
            Assert.Equal("96b3253d", s.ShortId);
            Assert.Equal(new DateTime(2026, 12, 7, 17, 2, 54, DateTimeKind.Utc).AddTicks(3868626), s.TimeUtc);
            Assert.Equal("/tmp/tssr-lab-bak/r/src", s.Paths.Single());
            Assert.Empty(RepositoryJson.ResticSnapshots("[]"));
        }

        [Fact]
        public void Borg_archives_are_read_as_local_times()
        {
            var a = RepositoryJson.BorgArchives(BorgList).Single();
            Assert.Equal("first", a.ShortId);
            Assert.Equal(new DateTime(2026, 12, 7, 17, 2, 56, DateTimeKind.Local).ToUniversalTime(), a.TimeUtc);
        }

        [Theory]
        [InlineData("")]
        [InlineData("{}")]
        [InlineData("[{\"id\":\"x\"}]")]
        [InlineData("[{\"id\":\"x\",\"time\":\"yesterday\"}]")]
        [InlineData("[1,2]")]
        [InlineData("[{\"id\":\"x\",\"time\":\"2026-12-07T17:02:54Z\"")]
        [InlineData("Fatal: wrong password or no key found")]
        public void Hostile_restic_output_is_a_clean_error(string output)
        {
            var e = Assert.Throws<TssrException>(() => RepositoryJson.ResticSnapshots(output));
            Assert.Equal("BackupProgramOutputInvalid", e.Error.ErrorId);
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("{\"archives\": {}}")]
        [InlineData("{\"archives\": [{\"name\": \"a\"}]}")]
        public void Hostile_borg_output_is_a_clean_error(string output)
            => Assert.Equal("BackupProgramOutputInvalid", Assert.Throws<TssrException>(() => RepositoryJson.BorgArchives(output)).Error.ErrorId);

        /// <summary>Replays recorded outputs and keeps every call.</summary>
        private sealed class ReplayProgram : IBackupProgram
        {
            private readonly Func<IReadOnlyList<string>, ProgramOutput> _answer;
            public ReplayProgram(Func<IReadOnlyList<string>, ProgramOutput> answer) { _answer = answer; }
            public List<(IReadOnlyList<string> Arguments, Dictionary<string, string> Environment)> Calls { get; } = new List<(IReadOnlyList<string>, Dictionary<string, string>)>();

            public Task<ProgramOutput> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory, CancellationToken token)
            {
                Calls.Add((arguments, environment.ToDictionary(p => p.Key, p => p.Value)));
                return Task.FromResult(_answer(arguments));
            }
        }

        private static async Task<BackupTestResult> Run(ReplayProgram program, RepositoryKind kind, BackupSample? sample = null)
        {
            var sink = new RecordingSink();
            await new BackupVerifier().RunAsync(new BackupTestOptions { Repository = kind, Password = "s3cret-pw", Program = program, Sample = sample }, new[] { "/backups/repo" }, sink, CancellationToken.None);
            return sink.OutputsOf<BackupTestResult>().Single();
        }

        [Fact]
        public async Task The_password_goes_in_the_child_environment_never_in_its_arguments()
        {
            var program = new ReplayProgram(args => args.Contains("snapshots") ? new ProgramOutput(0, ResticSnapshots, "") : new ProgramOutput(0, "no errors were found\n", ""));
            var result = await Run(program, RepositoryKind.Restic);
            Assert.Equal(BackupTestStatus.Passed, result.Status);
            Assert.All(program.Calls, c => Assert.DoesNotContain(c.Arguments, a => a.Contains("s3cret-pw")));
            Assert.All(program.Calls, c => Assert.Equal("s3cret-pw", c.Environment["RESTIC_PASSWORD"]));
            Assert.Contains(program.Calls, c => c.Arguments.Contains("--read-data"));

            var borg = new ReplayProgram(args => args.Contains("list") ? new ProgramOutput(0, BorgList, "") : new ProgramOutput(0, "", ""));
            await Run(borg, RepositoryKind.Borg);
            Assert.All(borg.Calls, c => Assert.Equal("s3cret-pw", c.Environment["BORG_PASSPHRASE"]));
            Assert.Contains(borg.Calls, c => c.Arguments.SequenceEqual(new[] { "check", "--verify-data", "/backups/repo" }));
        }

        [Fact]
        public async Task A_sample_reads_a_subset_of_restic_packs_and_says_so()
        {
            var program = new ReplayProgram(args => args.Contains("snapshots") ? new ProgramOutput(0, ResticSnapshots, "") : new ProgramOutput(0, "", ""));
            var result = await Run(program, RepositoryKind.Restic, BackupSample.Parse("5%"));
            Assert.Contains(program.Calls, c => c.Arguments.Contains("--read-data-subset=5%"));
            Assert.True(result.Sampled);
            Assert.Equal(5, result.CoveragePercent);
        }

        [Fact]
        public async Task Check_errors_are_named_and_a_password_printed_by_the_program_is_masked()
        {
            var program = new ReplayProgram(args => args.Contains("snapshots") ? new ProgramOutput(0, ResticSnapshots, "")
                : new ProgramOutput(1, "", "Pack ID does not match, want f977, got 5b94\nsomething echoed s3cret-pw\nFatal: repository contains errors\n"));
            var result = await Run(program, RepositoryKind.Restic);
            Assert.Equal(BackupTestStatus.Failed, result.Status);
            Assert.Contains(result.Differences, d => d.Kind == BackupDifferenceKind.Corrupt && d.Detail!.StartsWith("Pack ID does not match"));
            Assert.DoesNotContain(result.Differences, d => d.Detail!.Contains("s3cret-pw"));
            Assert.Equal(0, result.VerifiedCount);
        }

        [Fact]
        public async Task A_wrong_password_and_an_empty_repository_are_told_apart()
        {
            var wrong = new ReplayProgram(_ => new ProgramOutput(1, "", "Fatal: wrong password or no key found\n"));
            var e = await Assert.ThrowsAsync<TssrException>(() => Run(wrong, RepositoryKind.Restic));
            Assert.Equal("BackupRepositoryPasswordWrong", e.Error.ErrorId);
            Assert.DoesNotContain("s3cret-pw", e.Error.Message);
            var empty = new ReplayProgram(args => args.Contains("snapshots") ? new ProgramOutput(0, "[]", "") : new ProgramOutput(0, "", ""));
            Assert.Equal(BackupTestStatus.NothingVerified, (await Run(empty, RepositoryKind.Restic)).Status);
        }

        /// <summary>borg 1.2.4's "borg list --json" on a repository whose manifest segment was deleted (trimmed capture).</summary>
        private const string BorgListTraceback = "Local Exception\nTraceback (most recent call last):\n  File \"/usr/lib/python3/dist-packages/borg/repository.py\", line 1506, in get_fd\n    ts, fd = self.fds[segment]\nKeyError: 4\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"/usr/lib/python3/dist-packages/borg/repository.py\", line 1508, in get_fd\n    fd = open_fd(segment, offset)\nFileNotFoundError: [Errno 2] No such file or directory: '/backups/repo/data/0/4'\n\nPlatform: Linux vm 6.18.44 x86_64\nBorg: 1.2.4  Python: CPython 3.11.2\nsys.argv: ['/usr/bin/borg', 'list', '--json', '/backups/repo']\n";

        [Fact]
        public async Task A_listing_that_fails_is_named_by_its_exception_and_the_check_still_runs()
        {
            var program = new ReplayProgram(args => args.Contains("list") ? new ProgramOutput(2, "", BorgListTraceback)
                : new ProgramOutput(1, "", "Index object count mismatch.\ncommitted index: 5 objects\nrebuilt index:   4 objects\nFinished full repository check, errors found.\n"));
            var result = await Run(program, RepositoryKind.Borg);
            Assert.Equal(BackupTestStatus.Failed, result.Status);
            Assert.Contains(result.Differences, d => d.Detail!.Contains("FileNotFoundError: [Errno 2] No such file or directory: '/backups/repo/data/0/4'"));
            Assert.Contains(result.Differences, d => d.Detail == "Index object count mismatch.");
            Assert.Contains(program.Calls, c => c.Arguments.Contains("check"));
            Assert.Equal(0, result.VerifiedCount);
        }

        [Theory]
        [InlineData(130)]
        [InlineData(143)]
        public async Task A_program_stopped_by_a_signal_is_an_interruption_not_a_failure_to_look_into(int exitCode)
        {
            var program = new ReplayProgram(args => args.Contains("snapshots") ? new ProgramOutput(0, ResticSnapshots, "")
                : args.Contains("restore") ? new ProgramOutput(exitCode, "", "signal interrupt received, cleaning up\n") : new ProgramOutput(0, "", "no errors were found\n"));
            var source = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tssr-interrupt-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(source);
            var sandboxes = System.IO.Path.Combine(source + "-sandboxes");
            System.IO.Directory.CreateDirectory(sandboxes);
            try
            {
                System.IO.File.WriteAllText(System.IO.Path.Combine(source, "a.txt"), "a");
                var options = new BackupTestOptions { Repository = RepositoryKind.Restic, Password = "s3cret-pw", Program = program, SourcePath = source, SandboxParent = sandboxes };
                var e = await Assert.ThrowsAsync<TssrException>(() => new BackupVerifier().RunAsync(options, new[] { "/backups/repo" }, new RecordingSink(), CancellationToken.None));
                Assert.Equal("BackupProgramInterrupted", e.Error.ErrorId);
                Assert.Equal(TssrErrorCategory.OperationStopped, e.Error.Category);
                Assert.Empty(System.IO.Directory.GetFileSystemEntries(sandboxes));
            }
            finally
            {
                System.IO.Directory.Delete(source, true);
                System.IO.Directory.Delete(sandboxes, true);
            }
        }
    }
}
