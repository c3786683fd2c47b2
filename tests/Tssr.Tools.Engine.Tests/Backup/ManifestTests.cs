using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Backup;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Backup
{
    public class ManifestTests
    {
        private static readonly string[] AwkwardNames = { "sp ace", "back\\slash", "new\nline", "carriage\rreturn", "tab\there", "*star", "\\lead", "trail\\", "café", "sub dir/ünï cödé.txt" };

        private static async Task<BackupManifestResult> Build(string root, string? outFile = null, BackupManifestFormat format = BackupManifestFormat.Auto)
        {
            var sink = new RecordingSink();
            await new BackupManifestBuilder().RunAsync(new BackupManifestOptions { OutFile = outFile, Format = format }, new[] { root }, sink, CancellationToken.None);
            Assert.Empty(sink.Errors);
            return sink.OutputsOf<BackupManifestResult>().Single();
        }

        private static async Task<BackupTestResult> Verify(string root, string manifest, BackupSample? sample = null, RecordingSink? sink = null)
        {
            sink ??= new RecordingSink();
            await new BackupVerifier().RunAsync(new BackupTestOptions { ManifestPath = manifest, Sample = sample, Seed = 1 }, new[] { root }, sink, CancellationToken.None);
            return sink.OutputsOf<BackupTestResult>().Single();
        }

        [Property(MaxTest = 300)]
        public bool Any_name_survives_a_sha256sum_line_round_trip(NonEmptyString name)
        {
            var text = name.Get.Replace("\0", "x");
            var line = Sha256SumFormat.FormatLine(new string('a', 64), text);
            return line.IndexOf('\n') < 0 && Sha256SumFormat.TryParse(line, out var parsed, out _) && parsed.Name == text && parsed.Sha256 == new string('a', 64);
        }

        [Theory]
        [InlineData("")]
        [InlineData("abc  name")]
        [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz  name")]
        [InlineData("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb name")]
        [InlineData("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  ")]
        [InlineData("\\ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  bad\\qescape")]
        [InlineData("\\ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  trailing\\")]
        [InlineData("SHA256 (x = ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb")]
        [InlineData("SHA256 (x) = ca97")]
        public void Lines_sha256sum_calls_improperly_formatted_are_refused(string line)
        {
            Assert.False(Sha256SumFormat.TryParse(line, out _, out var reason));
            Assert.False(string.IsNullOrEmpty(reason));
        }

        [Fact]
        public async Task Our_sha256sum_file_is_byte_for_byte_what_sha256sum_writes_and_sha256sum_c_accepts_it()
        {
            if (!Scratch.Has("sha256sum")) return;
            using var s = new Scratch();
            var root = s.Dir("tree");
            var i = 0;
            foreach (var name in AwkwardNames) s.Write(Path.Combine("tree", name), "content " + i++);
            var manifest = Path.Combine(s.Root, "ours.sha256");
            var result = await Build(root, manifest);
            Assert.Equal(BackupManifestStatus.Complete, result.Status);
            Assert.Equal(AwkwardNames.Length, result.FileCount);

            var names = result.Entries.Where(e => e.Type == BackupEntryType.File).Select(e => e.Path).ToArray();
            var theirs = Scratch.Run(root, "sha256sum", names);
            Assert.Equal(0, theirs.ExitCode);
            Assert.Equal(theirs.Output, File.ReadAllText(manifest));

            var check = Scratch.Run(root, "sha256sum", "--strict", "-c", manifest);
            Assert.True(check.ExitCode == 0, check.Output + check.Error);
        }

        [Fact]
        public async Task Manifests_sha256sum_writes_are_read_in_text_binary_and_tag_forms()
        {
            if (!Scratch.Has("sha256sum")) return;
            using var s = new Scratch();
            var root = s.Dir("tree");
            var i = 0;
            foreach (var name in AwkwardNames) s.Write(Path.Combine("tree", name), "content " + i++);
            var names = AwkwardNames.Select(n => "./" + n).ToList();
            foreach (var mode in new[] { "-t", "-b", "--tag" })
            {
                var args = new List<string> { mode };
                args.AddRange(names);
                var written = Scratch.Run(root, "sha256sum", args.ToArray());
                Assert.Equal(0, written.ExitCode);
                var manifest = Path.Combine(s.Root, "theirs" + mode + ".sha256");
                File.WriteAllText(manifest, written.Output);
                var result = await Verify(root, manifest);
                Assert.True(result.Status == BackupTestStatus.Passed, mode + ": " + string.Join("; ", result.Differences));
                Assert.Equal(AwkwardNames.Length, result.VerifiedCount);
                Assert.Equal(100, result.CoveragePercent);
            }
        }

        [Fact]
        public async Task Missing_extra_changed_and_type_changes_are_each_named()
        {
            using var s = new Scratch();
            var root = s.Dir("tree");
            s.Write("tree/keep.txt", "same");
            s.Write("tree/gone.txt", "will be deleted");
            s.Write("tree/edit.txt", "before");
            s.Write("tree/sub/dir.txt", "x");
            var manifest = Path.Combine(s.Root, "m.sha256");
            await Build(root, manifest);
            File.Delete(Path.Combine(root, "gone.txt"));
            File.WriteAllText(Path.Combine(root, "edit.txt"), "after!");
            s.Write("tree/new.txt", "new");
            System.IO.Directory.Delete(Path.Combine(root, "sub"), true);
            s.Dir("tree/sub/dir.txt");

            var result = await Verify(root, manifest);
            Assert.Equal(BackupTestStatus.Failed, result.Status);
            Assert.Contains(result.Differences, d => d.Kind == BackupDifferenceKind.Missing && d.Path == "gone.txt");
            Assert.Contains(result.Differences, d => d.Kind == BackupDifferenceKind.Changed && d.Path == "edit.txt");
            Assert.Contains(result.Differences, d => d.Kind == BackupDifferenceKind.Extra && d.Path == "new.txt");
            Assert.Contains(result.Differences, d => d.Kind == BackupDifferenceKind.TypeDiffers && d.Path == "sub/dir.txt");
            Assert.Equal(1, result.VerifiedCount);
            Assert.Equal(4, result.FileCount);
            Assert.Equal(25, result.CoveragePercent);
        }

        [Fact]
        public async Task Zero_files_verified_is_never_a_pass()
        {
            using var s = new Scratch();
            var root = s.Dir("tree");
            var empty = s.Write("empty.sha256", "");
            var result = await Verify(root, empty);
            Assert.Equal(BackupTestStatus.NothingVerified, result.Status);
            Assert.Equal(0, result.VerifiedCount);
        }

        [Fact]
        public async Task A_sample_verifies_the_drawn_files_only_and_says_so()
        {
            using var s = new Scratch();
            var root = s.Dir("tree");
            for (var i = 0; i < 40; i++) s.Write("tree/f" + i, "file " + i);
            var manifest = Path.Combine(s.Root, "m.sha256");
            await Build(root, manifest);
            var result = await Verify(root, manifest, BackupSample.Parse("10%"));
            Assert.Equal(BackupTestStatus.Passed, result.Status);
            Assert.True(result.Sampled);
            Assert.Equal(4, result.CheckedCount);
            Assert.Equal(10, result.CoveragePercent);
            Assert.Contains("4", result.Scope);
            Assert.Equal(7, (await Verify(root, manifest, BackupSample.Parse("7"))).VerifiedCount);
            Assert.Throws<TssrException>(() => BackupSample.Parse("0%"));
            Assert.Throws<TssrException>(() => BackupSample.Parse("many"));
        }

        [Fact]
        public async Task Names_that_are_not_utf8_are_unverifiable_never_hashed_under_a_mangled_name()
        {
            if (!Scratch.Has("sha256sum")) return;
            using var s = new Scratch();
            var root = s.Dir("tree");
            s.Write("tree/plain.txt", "plain");
            Assert.Equal(0, Scratch.Run(root, "/bin/sh", "-c", "printf raw > \"$(printf 'bad\\377name')\"").ExitCode);
            var manifest = Path.Combine(s.Root, "theirs.sha256");
            var written = Scratch.Run(root, "/bin/sh", "-c", "sha256sum * > " + manifest);
            Assert.Equal(0, written.ExitCode);

            var built = await Build(root);
            Assert.Equal(BackupManifestStatus.Incomplete, built.Status);
            Assert.Contains(built.NotRecorded, d => d.Kind == BackupDifferenceKind.Unverifiable && d.Path.StartsWith("bad"));

            var result = await Verify(root, manifest);
            Assert.Equal(BackupTestStatus.Failed, result.Status);
            Assert.Equal(1, result.UnverifiableCount);
            Assert.Equal(1, result.VerifiedCount);
            Assert.Equal(0, result.ExtraCount);
        }

        [Fact]
        public async Task NFC_and_NFD_spellings_are_different_names_reported_as_missing_and_extra()
        {
            using var s = new Scratch();
            var root = s.Dir("tree");
            var nfc = "caf\u00e9.txt";
            var nfd = "cafe\u0301.txt";
            s.Write("tree/" + nfc, "same bytes");
            var manifest = Path.Combine(s.Root, "m.sha256");
            await Build(root, manifest);
            File.Move(Path.Combine(root, nfc), Path.Combine(root, nfd));
            var result = await Verify(root, manifest);
            Assert.Contains(result.Differences, d => d.Kind == BackupDifferenceKind.Missing && d.Path == nfc);
            Assert.Contains(result.Differences, d => d.Kind == BackupDifferenceKind.Extra && d.Path == nfd);
        }

        [Fact]
        public async Task The_json_form_keeps_size_mode_time_and_link_targets_and_their_changes_are_named()
        {
            using var s = new Scratch();
            var root = s.Dir("tree");
            var file = s.Write("tree/data.bin", "0123456789");
            s.Write("tree/other.txt", "other");
            File.CreateSymbolicLink(Path.Combine(root, "link"), "data.bin");
            var manifest = Path.Combine(s.Root, "m.json");
            var built = await Build(root, manifest);
            Assert.Equal(BackupManifestFormat.Json, built.Format);
            var link = built.Entries.Single(e => e.Path == "link");
            Assert.Equal(BackupEntryType.SymbolicLink, link.Type);
            Assert.Equal("data.bin", link.LinkTarget);
            Assert.Equal(10, built.Entries.Single(e => e.Path == "data.bin").SizeBytes);
            Assert.Equal(BackupTestStatus.Passed, (await Verify(root, manifest)).Status);

            if (OperatingSystem.IsWindows()) return;
            File.SetUnixFileMode(file, UnixFileMode.UserRead);
            File.SetLastWriteTimeUtc(Path.Combine(root, "other.txt"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            File.Delete(Path.Combine(root, "link"));
            File.CreateSymbolicLink(Path.Combine(root, "link"), "other.txt");
            var result = await Verify(root, manifest);
            Assert.Contains(result.Differences, d => d.Kind == BackupDifferenceKind.ModeDiffers && d.Path == "data.bin" && d.Actual == "0400");
            Assert.Contains(result.Differences, d => d.Kind == BackupDifferenceKind.ModifiedTimeDiffers && d.Path == "other.txt");
            Assert.Contains(result.Differences, d => d.Kind == BackupDifferenceKind.LinkTargetDiffers && d.Path == "link" && d.Actual == "other.txt");
            Assert.Equal(2, result.VerifiedCount);
        }

        [Fact]
        public async Task A_bad_manifest_line_stops_the_check_naming_the_file_and_line()
        {
            using var s = new Scratch();
            var root = s.Dir("tree");
            var manifest = s.Write("bad.sha256", new string('a', 64) + "  ok\nnot a checksum line\n");
            var sink = new RecordingSink();
            var e = await Assert.ThrowsAsync<TssrException>(() => new BackupVerifier().RunAsync(new BackupTestOptions { ManifestPath = manifest }, new[] { root }, sink, CancellationToken.None));
            Assert.Equal("BackupManifestInvalid", e.Error.ErrorId);
            Assert.Equal(manifest + ":2", e.Error.Target);
        }

        [Fact]
        public async Task Progress_is_reported_in_bytes_and_a_fifo_is_never_opened()
        {
            if (!Scratch.Has("mkfifo")) return;
            using var s = new Scratch();
            var root = s.Dir("tree");
            s.Write("tree/a", new string('x', 5000));
            Assert.Equal(0, Scratch.Run(root, "mkfifo", "pipe").ExitCode);
            var sink = new RecordingSink();
            await new BackupManifestBuilder().RunAsync(new BackupManifestOptions { OutFile = Path.Combine(s.Root, "m.json") }, new[] { root }, sink, CancellationToken.None);
            var result = sink.OutputsOf<BackupManifestResult>().Single();
            Assert.Equal(BackupEntryType.Special, result.Entries.Single(e => e.Path == "pipe").Type);
            Assert.Contains(sink.ProgressReports, p => p.Completed);
            Assert.Contains(sink.ProgressReports, p => p.Status.Contains("MiB") || p.Status.Contains("Mio"));
        }
    }
}
