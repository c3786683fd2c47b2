using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory;
using Tssr.Tools.Engine.Inventory.Drift;
using Tssr.Tools.Engine.Inventory.Model;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Inventory
{
    public class DriftTests
    {
        private static async Task<ServerInventory> Load(string corpus)
        {
            var collector = new InventoryCollector(new InventoryOptions { LibvirtUri = "test:///default" });
            return await collector.CollectAsync(new RecordedTransport(CollectorTests.Corpus(corpus)), "web1", 22, "ssh", new RecordingSink(), CancellationToken.None);
        }

        private static ServerInventory Copy(ServerInventory i)
            => InventoryJson.Deserialize(InventoryJson.Serialize(new[] { i }), "copy.json").Single();

        [Fact]
        public async Task Json_round_trips_exactly()
        {
            var i = await Load("debian12-root-container.txt");
            var json = InventoryJson.Serialize(new[] { i });
            var back = InventoryJson.Deserialize(json, "x.json");
            Assert.Equal(json, InventoryJson.Serialize(back));
            Assert.Equal(i.CollectedAt, back[0].CollectedAt);
            Assert.Equal(i.CollectedAt.Offset, back[0].CollectedAt.Offset);
            Assert.Equal(i.UptimeSeconds, back[0].UptimeSeconds);
            Assert.Equal(i.Facts.Count, back[0].Facts.Count);
            Assert.Equal(i.Virtualisation!.Guests[0].MemoryBytes, back[0].Virtualisation!.Guests[0].MemoryBytes);
        }

        [Theory]
        [InlineData("")]
        [InlineData("{")]
        [InlineData("[]")]
        [InlineData("{\"format\":\"other\"}")]
        [InlineData("{\"format\":\"Tssr.Tools.Inventory\",\"version\":99,\"inventories\":[]}")]
        [InlineData("{\"format\":\"Tssr.Tools.Inventory\",\"version\":1,\"inventories\":[{\"Status\":\"Sideways\"}]}")]
        [InlineData("{\"format\":\"Tssr.Tools.Inventory\",\"version\":1,\"inventories\":[{\"Port\":\"x\"}]}")]
        [InlineData("{\"format\":\"Tssr.Tools.Inventory\",\"version\":1,\"inventories\":[{\"Status\":null}]}")]
        public void Bad_files_are_clean_errors_naming_the_file(string text)
        {
            var e = Assert.Throws<TssrException>(() => InventoryJson.Deserialize(text, "bad.json"));
            Assert.Equal("InventoryFileInvalid", e.Error.ErrorId);
            Assert.Equal("bad.json", e.Error.Target);
        }

        [Fact]
        public async Task Identical_inventories_have_no_drift_and_noise_stays_out()
        {
            var a = await Load("debian12-root-container.txt");
            var b = Copy(a);
            b.UptimeSeconds = a.UptimeSeconds + 3600;
            var fs = b.FileSystems.First(f => f.MountPoint == "/");
            fs.FreeBytes -= fs.SizeBytes / 100;
            var comparer = new InventoryComparer(new DriftOptions());
            Assert.Empty(comparer.Compare(new[] { a }, new[] { b }));
            var noisy = new InventoryComparer(new DriftOptions { IncludeNoise = true }).Compare(new[] { a }, new[] { b }).ToList();
            Assert.Contains(noisy, c => c.Category == "Uptime" && c.Class == DriftClass.Noise);
            Assert.Contains(noisy, c => c.Category == "FreeSpace" && c.Class == DriftClass.Noise);
        }

        [Fact]
        public async Task Security_changes_are_flagged_with_a_severity()
        {
            var a = await Load("debian12-root-container.txt");
            var b = Copy(a);
            b.Kernel = "6.99.0";
            b.ListeningSockets = b.ListeningSockets.Concat(new[] { new ListeningSocket { Protocol = "tcp", LocalIPAddress = "0.0.0.0", Port = 4444, Process = "nc" } }).ToList();
            b.Administrators = b.Administrators.Concat(new[] { new AdministratorEntry { Name = "toor", Reason = "uid0" } }).ToList();
            b.SshHostKeys = b.SshHostKeys.Select(k => new SshHostKeyEntry { KeyType = k.KeyType, Fingerprint = "SHA256:changed" }).ToList();
            b.PendingUpdates!.SecurityCount += 3;
            b.Virtualisation!.Guests = b.Virtualisation.Guests.Concat(new[] { new VirtualGuest { Name = "rogue", State = "running" } }).ToList();
            b.Services = new[] { new ServiceEntry { Name = "telnetd.service", State = "active", StartMode = "enabled" } };
            var changes = new InventoryComparer(new DriftOptions()).Compare(new[] { a }, new[] { b }).ToList();
            Assert.Contains(changes, c => c.Category == "Kernel" && c.Class == DriftClass.Security && c.DifferenceValue == "6.99.0");
            Assert.Contains(changes, c => c.Category == "ListeningPort" && c.Item == "tcp 0.0.0.0:4444" && c.Severity == DriftSeverity.High);
            Assert.Contains(changes, c => c.Category == "Administrator" && c.Item == "toor (uid0)" && c.Severity == DriftSeverity.High);
            if (a.SshHostKeys.Count > 0) Assert.Contains(changes, c => c.Category == "SshHostKey" && c.Severity == DriftSeverity.High);
            Assert.Contains(changes, c => c.Category == "PendingUpdates" && c.Item == "SecurityCount" && c.Class == DriftClass.Security);
            Assert.Contains(changes, c => c.Category == "VirtualGuest" && c.Item == "rogue" && c.Change == DriftChange.Added);
            Assert.Contains(changes, c => c.Category == "Service" && c.Item == "telnetd.service" && c.Class == DriftClass.Security);
            Assert.Equal(DriftSeverity.High, changes[0].Severity);
        }

        [Fact]
        public async Task A_host_only_on_one_side_is_reported()
        {
            var a = await Load("debian12-root-container.txt");
            var changes = new InventoryComparer(new DriftOptions()).Compare(new[] { a }, Array.Empty<ServerInventory>()).ToList();
            Assert.Equal("Host", Assert.Single(changes).Category);
        }
    }
}
