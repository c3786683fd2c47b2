using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory;
using Tssr.Tools.Engine.Inventory.Collectors;
using Tssr.Tools.Engine.Inventory.Model;
using Tssr.Tools.Engine.Inventory.Ssh;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Inventory
{
    /// <summary>A transport that answers with a recorded collector reply, its nonce swapped for the one the script carries.</summary>
    internal sealed class RecordedTransport : ICommandTransport
    {
        private readonly string _reply;
        private readonly Func<CancellationToken, Task>? _during;
        private readonly RemoteShell _actual;

        /// <param name="shell">The shell the recorded host really runs (the probes answer as it would).</param>
        /// <param name="hint">What the banner suggested before the probe (default: the real shell).</param>
        public RecordedTransport(string reply, RemoteShell shell = RemoteShell.Posix, Func<CancellationToken, Task>? during = null, RemoteShell? hint = null)
        {
            _reply = reply;
            _actual = shell;
            Shell = hint ?? shell;
            _during = during;
        }

        public string Target => "recorded:22";
        public RemoteShell Shell { get; private set; }
        public bool ShellProbed { get; private set; }
        public void SetShell(RemoteShell shell) { Shell = shell; ShellProbed = true; }
        public bool IsConnected => true;
        public string? LastScript { get; private set; }
        public string? LastCommand { get; private set; }
        /// <summary>What a login script prints before every answer (probes only).</summary>
        public string Banner { get; set; } = string.Empty;
        public System.Collections.Generic.List<string> Commands { get; } = new System.Collections.Generic.List<string>();

        public async Task<CommandReply> RunAsync(CommandRequest request, CancellationToken ct)
        {
            Commands.Add(request.Command);
            if (_during != null) await _during(ct);
            if (request.Raw && request.Command == "uname -s")
                return _actual == RemoteShell.Posix
                    ? new CommandReply(0, null, Banner + "Linux\n", string.Empty, TimeSpan.FromMilliseconds(1), false)
                    : new CommandReply(1, null, string.Empty, "'uname' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n", TimeSpan.FromMilliseconds(1), false);
            if (request.Raw && request.Command == "cmd /c ver")
                return _actual == RemoteShell.PowerShell
                    ? new CommandReply(0, null, Banner + "\r\nMicrosoft Windows [Version 10.0.20348.2113]\r\n", string.Empty, TimeSpan.FromMilliseconds(1), false)
                    : new CommandReply(127, null, string.Empty, "sh: 1: cmd: not found\n", TimeSpan.FromMilliseconds(1), false);
            if (_actual == RemoteShell.PowerShell && request.Command == "exec /bin/sh -s")
                return new CommandReply(1, null, string.Empty, "'exec' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n", TimeSpan.FromMilliseconds(1), false);
            LastCommand = request.Command;
            LastScript = Encoding.UTF8.GetString(request.StandardInput ?? Array.Empty<byte>());
            var nonce = Regex.Match(LastScript, "N\\s*=\\s*'([0-9a-f]+)'").Groups[1].Value;
            return new CommandReply(0, null, _reply.Replace("@@c0ffee", "@@" + nonce), string.Empty, TimeSpan.FromMilliseconds(5), false);
        }

        public void Dispose() { }
    }

    public class CollectorTests
    {
        internal static string Corpus(string name)
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "tests", "Tssr.Tools.Engine.Tests", "Inventory", "Corpus", name))) dir = dir.Parent;
            if (dir == null) throw new InvalidOperationException("Inventory corpus not found above " + AppContext.BaseDirectory);
            return File.ReadAllText(Path.Combine(dir.FullName, "tests", "Tssr.Tools.Engine.Tests", "Inventory", "Corpus", name));
        }

        private static async Task<(ServerInventory? Inventory, RecordingSink Sink)> Collect(string corpus, string uri = "test:///default")
        {
            var collector = new InventoryCollector(new InventoryOptions { LibvirtUri = uri });
            var sink = new RecordingSink();
            var inventory = await collector.CollectAsync(new RecordedTransport(Corpus(corpus)), "recorded", 22, "ssh", sink, CancellationToken.None);
            return (inventory, sink);
        }

        private static FactStatus StatusOf(ServerInventory i, string fact) => i.Facts.Single(f => f.Name == fact).Status;

        [Fact]
        public async Task A_POSIX_host_costs_one_command_and_its_reply_header_is_the_probe()
        {
            var transport = new RecordedTransport(Corpus("debian12-root-container.txt"));
            var sink = new RecordingSink();
            var i = await new InventoryCollector(new InventoryOptions()).CollectAsync(transport, "deb", 22, "ssh", sink, CancellationToken.None);
            Assert.Equal(new[] { "exec /bin/sh -s" }, transport.Commands);
            Assert.True(transport.ShellProbed);
            Assert.Equal(InventoryPlatform.Linux, i.Platform);
            Assert.Contains(sink.VerboseMessages, v => v.Contains("exec /bin/sh -s") && v.Contains("POSIX"));
            // The session is known to be POSIX from then on: the next inventory is one command too.
            await new InventoryCollector(new InventoryOptions()).CollectAsync(transport, "deb", 22, "ssh", sink, CancellationToken.None);
            Assert.Equal(2, transport.Commands.Count);
        }

        [Fact]
        public async Task A_root_Debian_reply_gives_every_fact_with_its_source()
        {
            var (i, sink) = await Collect("debian12-root-container.txt");
            Assert.NotNull(i);
            Assert.Empty(sink.Errors);
            Assert.Equal(InventoryPlatform.Linux, i!.Platform);
            Assert.True(i.IsRoot);
            Assert.Equal("debian", i.OperatingSystem!.Id);
            Assert.Equal("debian", i.OperatingSystem.Family);
            Assert.Equal("12", i.OperatingSystem.Version);
            Assert.StartsWith("6.", i.Kernel);
            Assert.Equal(2, i.Cpu!.Threads);
            Assert.True(i.Memory!.TotalBytes > 1L << 30);
            Assert.Contains(i.FileSystems, f => f.MountPoint == "/" && f.Type == "ext4" && f.SizeBytes > 0);
            Assert.Contains(i.Interfaces, n => n.Name == "lo" && n.IPv4Addresses.Contains("127.0.0.1/8") && n.Mtu == 65536);
            Assert.Contains(i.DefaultRoutes, r => r.Family == "IPv4" && r.Gateway != null);
            Assert.NotEmpty(i.DnsServers);
            Assert.True(i.UptimeSeconds > 0);
            Assert.Equal(VirtualisationRole.Container, i.Virtualisation!.Role);
            var guest = Assert.Single(i.Virtualisation.Guests);
            Assert.Equal("test", guest.Name);
            Assert.Equal(2, guest.VCpus);
            Assert.Equal(8L * 1024 * 1024 * 1024, guest.MemoryBytes);
            Assert.False(guest.Autostart);
            Assert.Contains(i.ListeningSockets, s => s.Port == 2201 && s.Process == "sshd" && s.ProcessId > 0);
            Assert.Contains(i.Administrators, a => a.Name == "root" && a.Reason == "uid0");
            Assert.Equal("dpkg", i.PackageManager);
            Assert.True(i.PackageCount > 100);
            Assert.Equal("apt", i.PendingUpdates!.Manager);
            Assert.True(i.PendingUpdates.SecurityCount > 0);
            Assert.Equal(i.PendingUpdates.ItemCount, i.PendingUpdates.Names.Count);
            Assert.False(i.RebootRequired);
            // No systemd as PID 1 and no time-sync tool in this container: marked, not failed.
            Assert.Equal(FactStatus.NotAvailable, StatusOf(i, "Services"));
            Assert.Equal(FactStatus.NotAvailable, StatusOf(i, "TimeSync"));
            Assert.Equal(InventoryStatus.Complete, i.Status);
            Assert.All(i.Facts, f => Assert.False(string.IsNullOrEmpty(f.Source)));
            Assert.Equal("apt list --upgradable", i.Facts.Single(f => f.Name == "PendingUpdates").Source);
        }

        [Fact]
        public async Task A_non_root_reply_marks_root_only_facts_and_sees_the_lab_update()
        {
            var (i, _) = await Collect("debian12-user-apt-lab.txt");
            Assert.False(i!.IsRoot);
            Assert.Equal("tssrinv", i.UserName);
            Assert.Equal(FactStatus.RootOnly, StatusOf(i, "ListeningSockets"));
            Assert.Equal(1, i.PendingUpdates!.ItemCount);
            Assert.Equal(new[] { "tssr-lab-dummy" }, i.PendingUpdates.Names);
            Assert.Equal(0, i.PendingUpdates.SecurityCount);
        }

        [Fact]
        public async Task Dnf_exit_100_means_updates_and_needs_restarting_1_means_reboot()
        {
            var (i, _) = await Collect("rocky9-dnf-updates.txt");
            Assert.Equal(FactStatus.Ok, StatusOf(i!, "PendingUpdates"));
            Assert.Equal("dnf", i!.PendingUpdates!.Manager);
            Assert.Equal(new[] { "kernel", "openssl", "vim-minimal" }, i.PendingUpdates.Names);
            Assert.Equal(2, i.PendingUpdates.SecurityCount);
            Assert.Equal("dnf check-update", i.Facts.Single(f => f.Name == "PendingUpdates").Source);
            Assert.True(i.RebootRequired);
            Assert.Equal("redhat", i.OperatingSystem!.Family);
            Assert.Equal("rpm", i.PackageManager);
            Assert.Equal(FactStatus.NotAvailable, StatusOf(i, "VirtualGuests"));
            // Facts the recording has no section for are marked on their field only.
            Assert.Equal(FactStatus.Failed, StatusOf(i, "Memory"));
            Assert.Null(i.Memory);
            Assert.Equal(InventoryStatus.Partial, i.Status);
        }

        [Fact]
        public async Task Zypper_updates_and_security_patches_are_counted()
        {
            var (i, _) = await Collect("sles15-zypper-updates.txt");
            Assert.Equal("zypper", i!.PendingUpdates!.Manager);
            Assert.Equal(new[] { "libopenssl3", "openssh" }, i.PendingUpdates.Names);
            Assert.Equal(1, i.PendingUpdates.SecurityCount);
            Assert.Equal("suse", i.OperatingSystem!.Family);
        }

        [Fact]
        public async Task A_truncated_reply_keeps_the_complete_facts_and_reports_the_cut()
        {
            var (i, sink) = await Collect("hostile-truncated.txt");
            Assert.Equal(InventoryStatus.Partial, i!.Status);
            Assert.NotNull(i.OperatingSystem);
            Assert.Equal("InventoryReplyTruncated", Assert.Single(sink.Errors).ErrorId);
            Assert.Contains(i.Facts, f => f.Status == FactStatus.Failed && f.Message!.Contains("cut off"));
        }

        [Fact]
        public async Task Unreadable_fields_fail_alone()
        {
            var (i, _) = await Collect("hostile-bad-fields.txt");
            Assert.Equal(FactStatus.Failed, StatusOf(i!, "Memory"));
            Assert.Equal(FactStatus.Failed, StatusOf(i!, "Cpu"));
            Assert.Equal(FactStatus.Failed, StatusOf(i!, "Interfaces"));
            Assert.Equal(FactStatus.Ok, StatusOf(i!, "OperatingSystem"));
            Assert.Equal(FactStatus.Ok, StatusOf(i!, "ListeningSockets"));
            Assert.Equal(InventoryStatus.Partial, i!.Status);
        }

        [Theory]
        [InlineData("hostile-banner.txt")]
        [InlineData("hostile-garbage.txt")]
        public async Task Garbage_is_a_clean_error_naming_the_host(string corpus)
        {
            var e = await Assert.ThrowsAsync<TssrException>(() => Collect(corpus));
            Assert.Equal("InventoryReplyInvalid", e.Error.ErrorId);
            Assert.Equal("recorded:22", e.Error.Target);
        }

        [Property(MaxTest = 200)]
        public bool Any_reply_parses_or_fails_cleanly(NonNull<string> text)
        {
            try
            {
                var reply = CollectorReply.Parse("@@n TSSR-INVENTORY 1 posix\n" + text.Get, "n", "host");
                var inventory = new ServerInventory();
                PosixFactParser.Fill(reply, inventory, DateTimeOffset.Now);
                return inventory.Facts.Count > 0;
            }
            catch (TssrException e)
            {
                return e.Error.ErrorId == "InventoryReplyInvalid";
            }
        }

        [Property(MaxTest = 100)]
        public bool Any_cut_of_a_real_reply_parses_or_fails_cleanly(PositiveInt cut)
        {
            var text = Corpus("debian12-user-apt-lab.txt").Replace("@@c0ffee", "@@n");
            text = text.Substring(0, cut.Get % text.Length);
            try
            {
                var reply = CollectorReply.Parse(text, "n", "host");
                var inventory = new ServerInventory();
                PosixFactParser.Fill(reply, inventory, DateTimeOffset.Now);
                return reply.Truncated && inventory.Status == InventoryStatus.Partial;
            }
            catch (TssrException e)
            {
                return e.Error.ErrorId == "InventoryReplyInvalid";
            }
        }

        [Fact]
        public async Task The_script_carries_the_libvirt_uri_and_a_fresh_nonce()
        {
            var transport = new RecordedTransport(Corpus("debian12-root-container.txt"));
            var collector = new InventoryCollector(new InventoryOptions { LibvirtUri = "test:///default" });
            await collector.CollectAsync(transport, "h", 22, "ssh", new RecordingSink(), CancellationToken.None);
            Assert.Contains("VIRSH_URI='test:///default'", transport.LastScript);
            Assert.DoesNotContain("__NONCE__", transport.LastScript);
        }

        [Theory]
        [InlineData("qemu:///system'; rm -rf /")]
        [InlineData("test:///$(id)")]
        public void A_libvirt_uri_that_could_break_out_is_refused(string uri)
        {
            var e = Assert.Throws<TssrException>(() => new InventoryCollector(new InventoryOptions { LibvirtUri = uri }));
            Assert.Equal("InventoryOptionInvalid", e.Error.ErrorId);
        }

        [Fact]
        public async Task Cancellation_during_collection_stops_it()
        {
            var transport = new RecordedTransport("", during: ct => Task.Delay(Timeout.Infinite, ct));
            var collector = new InventoryCollector(new InventoryOptions());
            using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collector.CollectAsync(transport, "h", 22, "ssh", new RecordingSink(), cts.Token));
        }
    }
}
