using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Backup;
using Tssr.Tools.Engine.Backup.Repositories;
using Tssr.Tools.Engine.Firewall.Parsers;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Backup
{
    public class PolicyTests
    {
        private static BackupSnapshot At(string id, DateTime utc) => new BackupSnapshot(id, id, utc, new[] { "/data" }, "h");

        [Fact]
        public void Rpo_passes_a_fresh_backup_and_fails_a_stale_one_or_none()
        {
            var now = new DateTime(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
            var fresh = BackupPolicyChecker.Evaluate(new BackupPolicyOptions { MaxAge = TimeSpan.FromHours(24), NowUtc = now }, "x", new[] { At("a", now.AddHours(-30)), At("b", now.AddHours(-2)) });
            Assert.Equal(BackupRuleStatus.Passed, fresh.RpoStatus);
            Assert.Equal(2, fresh.AgeHours);
            var stale = BackupPolicyChecker.Evaluate(new BackupPolicyOptions { MaxAge = TimeSpan.FromHours(24), NowUtc = now }, "x", new[] { At("a", now.AddHours(-30)) });
            Assert.Equal(BackupRuleStatus.Failed, stale.Status);
            Assert.Contains("30", stale.Rules.Single().Reason);
            Assert.Equal(BackupRuleStatus.Failed, BackupPolicyChecker.Evaluate(new BackupPolicyOptions { MaxAge = TimeSpan.FromHours(1), NowUtc = now }, "x", new BackupSnapshot[0]).RpoStatus);
        }

        [Fact]
        public void Three_two_one_needs_three_copies_two_media_and_one_off_site()
        {
            BackupPolicyResult Judge(params BackupLocation[] l) => BackupPolicyChecker.Evaluate(new BackupPolicyOptions { Locations = l }, "x", new BackupSnapshot[0]);
            Assert.Equal(BackupRuleStatus.Passed, Judge(new BackupLocation("prod", "Disk", false), new BackupLocation("nas", "NAS", false), new BackupLocation("cloud", "Cloud", true)).ThreeTwoOneStatus);
            var bad = Judge(new BackupLocation("prod", "Disk", false), new BackupLocation("usb", "disk", false));
            Assert.Equal(BackupRuleStatus.Failed, bad.ThreeTwoOneStatus);
            Assert.Contains("2 copy", bad.Rules.Single().Reason);
            Assert.Contains("1 kind", bad.Rules.Single().Reason);
            Assert.Contains("off site", bad.Rules.Single().Reason);
        }

        [Fact]
        public async Task Retention_keeps_exactly_what_restic_forget_dry_run_keeps()
        {
            if (!Scratch.Has("restic")) return;
            using var s = new Scratch();
            var env = new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "policy-test" };
            var repo = Path.Combine(s.Root, "repo");
            s.Write("data/f.txt", "x");
            var program = new LocalBackupProgram(LocalBackupProgram.Find("restic", null)!);
            async Task<ProgramOutput> Restic(params string[] args)
            {
                var output = await program.RunAsync(args, env, s.Root, CancellationToken.None);
                Assert.True(output.ExitCode == 0, string.Join(" ", args) + ": " + output.StandardError);
                return output;
            }
            await Restic("init", "-q", "-r", repo);
            var start = new DateTime(2025, 10, 1, 9, 30, 0);
            var random = new Random(3);
            var when = start;
            for (var i = 0; i < 24; i++)
            {
                when = when.AddHours(random.Next(5, 24 * 25));
                await Restic("-r", repo, "backup", "-q", "--time", when.ToString("yyyy-MM-dd HH:mm:ss"), Path.Combine(s.Root, "data"));
            }
            var snapshots = RepositoryJson.ResticSnapshots((await Restic("-r", repo, "snapshots", "--json")).StandardOutput);
            Assert.Equal(24, snapshots.Count);
            foreach (var (daily, weekly, monthly, yearly, last) in new[] { (7, 4, 6, 2, 2), (3, 0, 0, 0, 0), (0, 5, 0, 1, 0), (0, 0, 12, 0, 1) })
            {
                var forget = await Restic("-r", repo, "forget", "--dry-run", "--json", "--keep-daily", daily.ToString(), "--keep-weekly", weekly.ToString(),
                    "--keep-monthly", monthly.ToString(), "--keep-yearly", yearly.ToString(), "--keep-last", last.ToString());
                var groups = (JsonArray)JsonReader.Parse(forget.StandardOutput, "forget");
                var theirs = groups.Items.Cast<JsonObject>().SelectMany(g => ((JsonArray)g["keep"]!).Items.Cast<JsonObject>().Select(k => (string)((JsonValue)k["id"]!).Value!)).OrderBy(x => x).ToList();
                var ours = BackupPolicyChecker.Evaluate(new BackupPolicyOptions { Retention = new RetentionPolicy { Daily = daily, Weekly = weekly, Monthly = monthly, Yearly = yearly, Last = last } }, repo, snapshots);
                Assert.Equal(theirs, ours.KeptSnapshots.OrderBy(x => x).ToList());
                Assert.Equal(24, ours.KeptSnapshots.Count + ours.RemovedSnapshots.Count);
            }
        }
    }
}
