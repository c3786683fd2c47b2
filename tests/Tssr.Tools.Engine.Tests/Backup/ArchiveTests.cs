using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Backup;
using Tssr.Tools.Engine.Backup.Archives;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Backup
{
    /// <summary>Archives made by the real tools (tar, gzip, xz, zstd, zip, 7z) and by Python's tarfile/zipfile for the hostile ones.</summary>
    public class ArchiveTests
    {
        private static readonly string[] Tools = { "tar", "gzip", "xz", "zstd", "zip", "7z", "python3" };

        private static bool HasTools() => !OperatingSystem.IsWindows() && Tools.All(Scratch.Has);

        private static string Script()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "tests", "Tssr.Tools.Engine.Tests", "Backup", "make_hostile_archives.py"))) dir = dir.Parent;
            return Path.Combine(dir!.FullName, "tests", "Tssr.Tools.Engine.Tests", "Backup", "make_hostile_archives.py");
        }

        /// <summary>src/ with a file, a random file in a sub-directory and a link; every archive format of it.</summary>
        private static string MakeArchives(Scratch s)
        {
            var src = s.Dir("src");
            s.Write("src/a.txt", "hello\n");
            var random = new byte[300_000];
            new Random(7).NextBytes(random);
            System.IO.Directory.CreateDirectory(Path.Combine(src, "sub"));
            File.WriteAllBytes(Path.Combine(src, "sub", "r.bin"), random);
            File.CreateSymbolicLink(Path.Combine(src, "l"), "a.txt");
            // Not the default mode, so a format that loses modes shows it in a comparison.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(src, "a.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            void Run(string program, params string[] args) { var r = Scratch.Run(s.Root, program, args); Assert.True(r.ExitCode == 0, program + ": " + r.Error); }
            Run("tar", "-C", src, "-cf", "good.tar", ".");
            Run("tar", "-C", src, "-czf", "good.tgz", ".");
            Run("tar", "-C", src, "-cJf", "good.txz", ".");
            Run("tar", "-C", src, "--zstd", "-cf", "good.tzst", ".");
            var zip = Scratch.Run(src, "zip", "-qry", Path.Combine(s.Root, "good.zip"), ".");
            Assert.Equal(0, zip.ExitCode);
            // -snl stores the link as a link (p7zip keeps the Unix type and mode in the high bits of the attributes).
            var sevenZip = Scratch.Run(src, "7z", "a", "-snl", Path.Combine(s.Root, "good.7z"), ".");
            Assert.Equal(0, sevenZip.ExitCode);
            Run("python3", Script(), s.Root);
            return src;
        }

        private static async Task<BackupTestResult> Check(string archive, string? source = null, string? manifest = null, ArchiveLimits? limits = null, RecordingSink? sink = null, CancellationToken token = default, string? sandbox = null)
        {
            sink ??= new RecordingSink();
            await new BackupVerifier().RunAsync(new BackupTestOptions { SourcePath = source, ManifestPath = manifest, Limits = limits ?? new ArchiveLimits(), SandboxParent = sandbox }, new[] { archive }, sink, token);
            return sink.OutputsOf<BackupTestResult>().Single();
        }

        [Fact]
        public async Task Every_format_is_read_to_its_end_and_the_formats_with_a_check_prove_the_content()
        {
            if (!HasTools()) return;
            using var s = new Scratch();
            MakeArchives(s);
            foreach (var name in new[] { "good.tgz", "good.txz", "good.tzst", "good.zip", "good.7z" })
            {
                var r = await Check(Path.Combine(s.Root, name));
                Assert.True(r.Status == BackupTestStatus.Passed, name + ": " + r.Message + " " + string.Join("; ", r.Differences));
                Assert.Equal(2, r.VerifiedCount);
                Assert.Equal(100, r.CoveragePercent);
            }
            var tar = await Check(Path.Combine(s.Root, "good.tar"));
            Assert.Equal(BackupTestStatus.NothingVerified, tar.Status);
            Assert.Equal(2, tar.CheckedCount);
            Assert.Contains("tar", tar.Integrity);
        }

        [Fact]
        public async Task Truncated_and_bit_flipped_archives_are_corrupt_and_never_pass()
        {
            if (!HasTools()) return;
            using var s = new Scratch();
            MakeArchives(s);
            foreach (var name in new[] { "good.tar", "good.tgz", "good.txz", "good.tzst", "good.zip", "good.7z" })
            {
                var bytes = File.ReadAllBytes(Path.Combine(s.Root, name));
                var truncated = Path.Combine(s.Root, "trunc-" + name);
                File.WriteAllBytes(truncated, bytes.Take(bytes.Length / 2).ToArray());
                var t = await Check(truncated);
                Assert.True(t.Status == BackupTestStatus.Failed && t.Differences.Any(d => d.Kind == BackupDifferenceKind.Corrupt), name + " truncated: " + t.Message);
                if (name == "good.tar") continue; // tar has no content checksum: a flipped data bit is only found against a manifest (below)
                var flipped = Path.Combine(s.Root, "flip-" + name);
                var copy = (byte[])bytes.Clone();
                copy[copy.Length / 3] ^= 0x10;
                File.WriteAllBytes(flipped, copy);
                var f = await Check(flipped);
                Assert.True(f.Status == BackupTestStatus.Failed && f.Differences.Any(d => d.Kind == BackupDifferenceKind.Corrupt), name + " flipped: " + f.Message);
            }
            // gzip cut inside its 8-byte trailer: .NET's reader says nothing, the trailer check does.
            var gz = File.ReadAllBytes(Path.Combine(s.Root, "good.tgz"));
            var cut = Path.Combine(s.Root, "cut.tgz");
            File.WriteAllBytes(cut, gz.Take(gz.Length - 4).ToArray());
            Assert.Contains((await Check(cut)).Differences, d => d.Kind == BackupDifferenceKind.Corrupt && d.Path == "cut.tgz");
        }

        /// <summary>
        /// Files of several gzip members, xz streams, zstd frames and bzip2 streams, as `cat` of
        /// compressed parts and the parallel compressors (pigz, pbzip2, lbzip2, pzstd) write them:
        /// the real tools accept them, so must we; damage in a later member still fails, and a file
        /// that joins checked and unchecked parts does not claim the check for all of it.
        /// </summary>
        [Fact]
        public async Task Multi_member_files_made_by_the_real_tools_pass_and_damage_in_a_later_member_fails()
        {
            if (!HasTools() || !new[] { "pigz", "bzip2", "pbzip2", "lbzip2", "pzstd", "split" }.All(Scratch.Has)) return;
            using var s = new Scratch();
            MakeArchives(s);
            var sh = string.Join(" && ", new[]
            {
                "split -b 100000 good.tar part.",
                "for p in part.a?; do gzip -c $p > $p.gz; xz -c $p > $p.xz; zstd -q -c $p > $p.zst; bzip2 -c $p > $p.bz2; done",
                "cat part.a?.gz > cat.tgz && cat part.a?.xz > cat.txz && cat part.a?.zst > cat.tzst && cat part.a?.bz2 > cat.tbz2",
                "gzip -c < /dev/null > empty.gz && cat empty.gz part.a?.gz empty.gz > empties.tgz",
                "cp part.aa named && gzip -N named && cat named.gz part.ab.gz part.ac.gz part.ad.gz > named.tgz",
                "(cat cat.txz; head -c 8 /dev/zero) > padded.txz",
                "pigz -c -b 32 good.tar > pigz.tgz && pigz -c -i -b 32 good.tar > pigzi.tgz",
                "pbzip2 -c -b1 good.tar > pbzip2.tbz2 && lbzip2 -c good.tar > lbzip2.tbz2 && pzstd -q -p 2 -c good.tar > pzstd.tzst",
                "xz --check=none -c part.ad > none.xz && cat part.aa.xz part.ab.xz part.ac.xz none.xz > mixed.txz",
                "zstd -q --no-check -c part.ad > none.zst && cat part.aa.zst part.ab.zst part.ac.zst none.zst > mixed.tzst",
                "gzip -t cat.tgz empties.tgz named.tgz pigz.tgz pigzi.tgz && xz -t cat.txz padded.txz mixed.txz && zstd -qt cat.tzst mixed.tzst pzstd.tzst && bzip2 -t cat.tbz2 pbzip2.tbz2 lbzip2.tbz2",
            });
            var made = Scratch.Run(s.Root, "/bin/sh", "-c", sh);
            Assert.True(made.ExitCode == 0, made.Error);
            Assert.True(File.Exists(Path.Combine(s.Root, "part.ad")), "the tar must split into at least four parts");
            foreach (var name in new[] { "cat.tgz", "empties.tgz", "named.tgz", "pigz.tgz", "pigzi.tgz", "cat.txz", "padded.txz", "cat.tzst", "pzstd.tzst", "cat.tbz2", "pbzip2.tbz2", "lbzip2.tbz2" })
            {
                var r = await Check(Path.Combine(s.Root, name));
                Assert.True(r.Status == BackupTestStatus.Passed, name + ": " + r.Message + " " + string.Join("; ", r.Differences));
                Assert.Equal(2, r.VerifiedCount);
            }
            foreach (var name in new[] { "mixed.txz", "mixed.tzst" })
            {
                var r = await Check(Path.Combine(s.Root, name));
                Assert.True(r.Status == BackupTestStatus.NothingVerified, name + ": " + r.Message);
                Assert.Contains("none", r.Integrity);
            }
            // Damage past the first member: a flipped byte near the end, the last member cut, bytes after the last.
            foreach (var name in new[] { "cat.tgz", "cat.txz", "cat.tzst", "cat.tbz2", "pigz.tgz" })
            {
                var bytes = File.ReadAllBytes(Path.Combine(s.Root, name));
                var copy = (byte[])bytes.Clone();
                copy[copy.Length - 2000] ^= 0x01;
                File.WriteAllBytes(Path.Combine(s.Root, "flip-" + name), copy);
                File.WriteAllBytes(Path.Combine(s.Root, "cut-" + name), bytes.Take(bytes.Length - 1500).ToArray());
                File.WriteAllBytes(Path.Combine(s.Root, "tail-" + name), bytes.Concat(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }).ToArray());
                foreach (var bad in new[] { "flip-", "cut-", "tail-" })
                {
                    var r = await Check(Path.Combine(s.Root, bad + name));
                    Assert.True(r.Status == BackupTestStatus.Failed && r.Differences.Any(d => d.Kind == BackupDifferenceKind.Corrupt), bad + name + ": " + r.Message);
                    Assert.Equal(0, r.VerifiedCount);
                }
            }
        }

        [Fact]
        public async Task Hostile_members_are_refused_by_name_and_nothing_is_written_outside_the_sandbox()
        {
            if (!HasTools()) return;
            using var s = new Scratch();
            MakeArchives(s);
            var tar = await Check(Path.Combine(s.Root, "hostile.tar"));
            Assert.Equal(BackupTestStatus.Failed, tar.Status);
            string Reason(string path) => tar.Differences.Single(d => d.Kind == BackupDifferenceKind.Refused && d.Path == path).Detail!;
            Assert.Contains("..", Reason("../escape.txt"));
            Assert.Contains("absolute", Reason("/etc/abs.txt"));
            Assert.Contains("drive", Reason("C:/drive.txt"));
            Assert.Contains("'link'", Reason("link/through.txt"));
            Assert.Contains("/etc/passwd", Reason("hard"));
            Assert.Contains("duplicate", Reason("ok.txt"));
            Assert.Contains("device", Reason("dev"));
            Assert.Contains("FIFO", Reason("fifo"));
            Assert.Equal(8, tar.RefusedCount);

            var zip = await Check(Path.Combine(s.Root, "hostile.zip"));
            Assert.Contains(zip.Differences, d => d.Path == "../escape.txt" && d.Kind == BackupDifferenceKind.Refused);
            Assert.Contains(zip.Differences, d => d.Path == "zlink/through.txt" && d.Kind == BackupDifferenceKind.Refused);
            Assert.Contains(zip.Differences, d => d.Path == "ok.txt" && d.Kind == BackupDifferenceKind.Refused);

            // Restored into a sandbox: the safe member lands there, nothing beside or above it.
            var parent = s.Dir("sandboxes");
            var manifest = s.Write("ok.sha256", Sha256SumFormat.FormatLine("d14a58bae804a2b80b5b76a010239c88ffca1fc7951a90f8e9131beda1e23c1b", "ok.txt") + "\n");
            var before = System.IO.Directory.GetFileSystemEntries(s.Root).Length;
            var restored = await Check(Path.Combine(s.Root, "hostile.tar"), manifest: manifest, sandbox: parent);
            Assert.Equal(1, restored.VerifiedCount);
            Assert.Equal(BackupTestStatus.Failed, restored.Status);
            Assert.Empty(System.IO.Directory.GetFileSystemEntries(parent));
            Assert.Equal(before, System.IO.Directory.GetFileSystemEntries(s.Root).Length);
            Assert.False(File.Exists(Path.Combine(s.Root, "escape.txt")));
        }

        [Fact]
        public async Task A_decompression_bomb_is_stopped_early_and_named()
        {
            if (!HasTools()) return;
            using var s = new Scratch();
            var r = Scratch.Run(s.Root, "/bin/sh", "-c", "head -c 1073741824 /dev/zero | zstd -q -c > zeros.zst && mkdir d && head -c 1073741824 /dev/zero > d/zeros && tar --zstd -cf bomb.tzst -C d zeros && rm d/zeros");
            Assert.Equal(0, r.ExitCode);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var bomb = await Check(Path.Combine(s.Root, "bomb.tzst"));
            Assert.Equal(BackupTestStatus.Failed, bomb.Status);
            Assert.Contains(bomb.Differences, d => d.Kind == BackupDifferenceKind.Refused && d.Detail!.Contains("bomb"));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "stopped after " + clock.Elapsed);
            var sized = await Check(Path.Combine(s.Root, "bomb.tzst"), limits: new ArchiveLimits { MaxExpansionRatio = 1e9, MaxExpandedBytes = 10 << 20 });
            Assert.Contains(sized.Differences, d => d.Kind == BackupDifferenceKind.Refused && d.Detail!.Contains("-MaxExpandedBytes"));
        }

        [Fact]
        public async Task A_restore_compared_with_its_source_names_each_difference_and_removes_its_sandbox()
        {
            if (!HasTools()) return;
            using var s = new Scratch();
            var src = MakeArchives(s);
            var parent = s.Dir("sandboxes");
            foreach (var name in new[] { "good.tar", "good.tgz", "good.txz", "good.tzst", "good.zip", "good.7z" })
            {
                var r = await Check(Path.Combine(s.Root, name), source: src, sandbox: parent);
                Assert.True(r.Status == BackupTestStatus.Passed, name + ": " + string.Join("; ", r.Differences));
                Assert.Equal(2, r.VerifiedCount);
            }
            File.WriteAllText(Path.Combine(src, "a.txt"), "changed\n");
            if (OperatingSystem.IsWindows()) return;
            File.SetUnixFileMode(Path.Combine(src, "sub", "r.bin"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Delete(Path.Combine(src, "l"));
            File.CreateSymbolicLink(Path.Combine(src, "l"), "sub/r.bin");
            s.Write("src/new.txt", "new");
            foreach (var name in new[] { "good.tar", "good.7z" })
            {
                var diff = await Check(Path.Combine(s.Root, name), source: src, sandbox: parent);
                Assert.Equal(BackupTestStatus.Failed, diff.Status);
                Assert.Contains(diff.Differences, d => d.Kind == BackupDifferenceKind.Changed && d.Path == "a.txt");
                Assert.Contains(diff.Differences, d => d.Kind == BackupDifferenceKind.ModeDiffers && d.Path == "sub/r.bin" && d.Expected == "0600" && d.Actual == "0644");
                Assert.Contains(diff.Differences, d => d.Kind == BackupDifferenceKind.LinkTargetDiffers && d.Path == "l");
                Assert.Contains(diff.Differences, d => d.Kind == BackupDifferenceKind.Missing && d.Path == "new.txt");
            }
            Assert.Empty(System.IO.Directory.GetFileSystemEntries(parent));
        }

        [Fact]
        public async Task Cancelled_mid_restore_the_sandbox_is_removed()
        {
            if (!HasTools()) return;
            using var s = new Scratch();
            var src = MakeArchives(s);
            var parent = s.Dir("sandboxes");
            using var cts = new CancellationTokenSource();
            var sink = new RecordingSink { OnProgress = p => { if (p.Status.Contains("r.bin")) cts.Cancel(); } };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Check(Path.Combine(s.Root, "good.tgz"), source: src, sink: sink, token: cts.Token, sandbox: parent));
            Assert.Empty(System.IO.Directory.GetFileSystemEntries(parent));
        }
    }
}
