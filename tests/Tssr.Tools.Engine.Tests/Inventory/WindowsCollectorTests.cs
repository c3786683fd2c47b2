using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory;
using Tssr.Tools.Engine.Inventory.Collectors;
using Tssr.Tools.Engine.Inventory.Drift;
using Tssr.Tools.Engine.Inventory.Model;
using Tssr.Tools.Engine.Inventory.Ssh;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Inventory
{
    /// <summary>
    /// The Windows collector. There is no Windows host here: the parser is tested on recorded
    /// documents made by hand (no capture from a real Windows was possible) to the rules of Windows
    /// PowerShell 5.1's ConvertTo-Json -Compress, i.e. JavaScriptSerializer (\/Date(ms)\/,
    /// ' &lt; &gt; &amp; as \u00XX, one-item lists collapsed, enums as numbers, values cut at -Depth), and
    /// the script itself runs under pwsh on Linux, where its Windows-only parts answer NotAvailable.
    /// </summary>
    public class WindowsCollectorTests
    {
        private static async Task<(ServerInventory Inventory, RecordingSink Sink, RecordedTransport Transport)> Collect(string corpus, RemoteShell? hint = null)
        {
            var collector = new InventoryCollector(new InventoryOptions());
            var sink = new RecordingSink();
            var transport = new RecordedTransport(CollectorTests.Corpus(corpus), RemoteShell.PowerShell, hint: hint);
            var inventory = await collector.CollectAsync(transport, "srv01", 22, "ssh", sink, CancellationToken.None);
            return (inventory, sink, transport);
        }

        private static InventoryFact FactOf(ServerInventory i, string name) => i.Facts.Single(f => f.Name == name);

        [Fact]
        public async Task A_Windows_Server_2022_reply_from_PowerShell_5_1_fills_the_common_model()
        {
            var (i, sink, transport) = await Collect("windows2022-ps51.txt");
            Assert.Empty(sink.Errors);
            Assert.StartsWith("powershell.exe -NoProfile -NonInteractive -EncodedCommand ", transport.LastCommand);
            Assert.Equal(InventoryPlatform.Windows, i.Platform);
            Assert.Equal("CONTOSO\\adm-tech", i.UserName);
            Assert.True(i.IsRoot);
            Assert.Equal("Microsoft Windows Server 2022 Standard", i.OperatingSystem!.Name);
            Assert.Equal("Microsoft Windows Server 2022 Standard 21H2", i.OperatingSystem.PrettyName);
            Assert.Equal("10.0.20348", i.OperatingSystem.Version);
            Assert.Equal("20348.2849", i.OperatingSystem.Build);
            Assert.Equal("windows", i.OperatingSystem.Family);
            Assert.Equal("10.0.20348.2849", i.Kernel);
            Assert.Equal("SRV01", i.HostName);
            Assert.Equal("srv01.contoso.local", i.Fqdn);
            Assert.Equal("contoso.local", i.Domain);
            Assert.True(i.DomainJoined);
            Assert.Equal(1, i.Cpu!.Sockets);
            Assert.Equal(2, i.Cpu.Cores);
            Assert.Equal(4, i.Cpu.Threads);
            Assert.Equal("x86_64", i.Cpu.Architecture);
            Assert.Equal(8589463552L, i.Memory!.TotalBytes);
            Assert.Equal(5123456L * 1024, i.Memory.AvailableBytes);
            Assert.Equal(1280L * 1048576, i.Memory.SwapTotalBytes);
            Assert.Equal((1280L - 87) * 1048576, i.Memory.SwapFreeBytes);
            // Non-ASCII arrives as \uXXXX (the console code page cannot touch it).
            Assert.Contains(i.FileSystems, f => f.MountPoint == "D:\\" && f.Type == "ReFS" && f.Source == "Données");
            Assert.Equal(2, i.BlockDevices.Count);
            var eth = i.Interfaces.Single(n => n.Name == "Ethernet");
            Assert.Equal("00:15:5d:0a:1b:2c", eth.MacAddress);
            Assert.Equal(new[] { "10.0.10.21/24" }, eth.IPv4Addresses);
            Assert.Equal("up", eth.State);
            Assert.Equal(10000, eth.SpeedMbps);
            Assert.Null(i.Interfaces.Single(n => n.Name.StartsWith("Loopback", StringComparison.Ordinal)).MacAddress);
            var route = Assert.Single(i.DefaultRoutes);
            Assert.Equal("10.0.10.1", route.Gateway);
            Assert.Equal("Ethernet", route.Interface);
            Assert.Equal(new[] { "10.0.10.5", "10.0.10.6", "fec0:0:0:ffff::1", "fec0:0:0:ffff::2", "fec0:0:0:ffff::3" }, i.DnsServers);
            // "\/Date(1733405523500)\/" is milliseconds since the epoch, UTC.
            Assert.Equal(new DateTimeOffset(2024, 12, 5, 13, 32, 3, 500, TimeSpan.Zero), i.BootTime!.Value.ToUniversalTime());
            Assert.Equal(184236.4171, i.UptimeSeconds);
            Assert.Equal(FactStatus.NotAvailable, FactOf(i, "TimeSync").Status);
            Assert.Equal(VirtualisationRole.VirtualMachine, i.Virtualisation!.Role);
            Assert.Equal("microsoft", i.Virtualisation.Technology);
            Assert.Equal(FactStatus.NotAvailable, FactOf(i, "VirtualGuests").Status);
            Assert.Contains(i.Services, s => s.Name == "sshd" && s.State == "Running" && s.StartMode == "Automatic");
            Assert.Contains(i.Services, s => s.Name == "Spooler" && s.StartMode == "Disabled");
            Assert.Contains(i.Services, s => s.Name == "sppsvc" && s.SubState == "delayed");
            Assert.Contains(i.ListeningSockets, s => s.Protocol == "tcp6" && s.LocalIPAddress == "::" && s.Port == 22 && s.Process == "sshd" && s.ProcessId == 3012);
            Assert.Contains(i.ListeningSockets, s => s.Protocol == "udp" && s.Port == 123);
            Assert.Equal(new[] { "SRV01\\Administrator", "CONTOSO\\Domain Admins" }, i.Administrators.Select(a => a.Name));
            Assert.All(i.Administrators, a => Assert.Equal("group:Administrators", a.Reason));
            Assert.Equal(4, i.LocalUsers.Count);
            Assert.Equal(new DateTimeOffset(2024, 12, 5, 13, 40, 0, TimeSpan.Zero), i.LocalUsers.Single(u => u.Name == "Administrator").LastLogon!.Value.ToUniversalTime());
            Assert.False(i.LocalUsers.Single(u => u.Name == "Guest").Enabled);
            Assert.Equal(new[] { "KB5012170", "KB5044023", "KB5048654" }, i.Hotfixes.Select(h => h.Id));
            Assert.Equal("2024-12-11", i.Hotfixes.Single(h => h.Id == "KB5048654").InstalledOn);
            Assert.Null(i.Hotfixes.Single(h => h.Id == "KB5012170").InstalledOn);
            // 5.1 writes ' & < > as \u0027 \u0026 \u003c \u003e.
            Assert.Contains(i.Software, s => s.Name == "Outil de mise à jour & d'inventaire" && s.Publisher == "Contoso <IT>");
            Assert.Null(i.Software.Single(s => s.Name.StartsWith("7-Zip", StringComparison.Ordinal)).InstallDate);
            Assert.Equal("registry", i.PackageManager);
            Assert.Equal(4, i.PackageCount);
            Assert.Equal(3, i.FirewallProfiles.Count);
            Assert.All(i.FirewallProfiles, p => Assert.True(p.Enabled));
            Assert.All(i.FirewallProfiles, p => Assert.Equal("Block", p.DefaultInboundAction));
            Assert.Equal("WindowsUpdate", i.PendingUpdates!.Manager);
            Assert.Equal(2, i.PendingUpdates.ItemCount);
            Assert.Equal(1, i.PendingUpdates.SecurityCount);
            Assert.False(i.RebootRequired);
            Assert.Equal(new[] { "ED25519", "RSA" }.OrderBy(x => x), i.SshHostKeys.Select(k => k.KeyType.Replace("ssh-", string.Empty).ToUpperInvariant()).OrderBy(x => x));
            Assert.Contains(i.SshHostKeys, k => k.Fingerprint == "SHA256:jkrqyL7ldKGj9NEB+gKlsrgTVEtmZ1bLYsIYlSY/U+I");
            Assert.Equal(InventoryStatus.Complete, i.Status);
            Assert.Equal(WindowsFactParser.AllFacts, i.Facts.Select(f => f.Name));
            Assert.All(i.Facts, f => Assert.False(string.IsNullOrEmpty(f.Source)));
        }

        [Fact]
        public async Task Collapsed_lists_enum_numbers_and_a_Get_Date_object_are_read_and_a_refused_fact_fails_alone()
        {
            var (i, sink, _) = await Collect("windows2016-hyperv-ps51-collapsed.txt");
            Assert.Empty(sink.Errors);
            Assert.False(i.IsRoot);
            Assert.Equal("WORKGROUP", i.Domain);
            Assert.False(i.DomainJoined);
            Assert.Equal("HV01", i.Fqdn);
            Assert.Equal(1, i.Cpu!.Sockets);
            Assert.Equal(16, i.Cpu.Cores);
            Assert.Equal(0L, i.Memory!.SwapTotalBytes); // no page file: the list came as null
            var nic = Assert.Single(i.Interfaces);
            Assert.Equal(new[] { "192.168.1.40/24" }, nic.IPv4Addresses);
            Assert.Empty(nic.IPv6Addresses);
            Assert.Equal("192.168.1.254", Assert.Single(i.DefaultRoutes).Gateway);
            Assert.Equal(new DateTimeOffset(2024, 10, 27, 3, 33, 20, TimeSpan.Zero), i.BootTime!.Value.ToUniversalTime());
            // A Hyper-V host: a hypervisor is present, the maker is not virtual, Get-VM answers.
            Assert.Equal(VirtualisationRole.Physical, i.Virtualisation!.Role);
            var guest = Assert.Single(i.Virtualisation.Guests);
            Assert.Equal("DC01", guest.Name);
            Assert.Equal(2, guest.VCpus);
            Assert.Equal(4294967296L, guest.MemoryBytes);
            Assert.True(guest.Autostart);
            Assert.Equal("Get-VM", guest.Source);
            Assert.Contains(i.Services, s => s.Name == "vmms" && s.State == "Running" && s.StartMode == "Automatic");
            Assert.Contains(i.Services, s => s.Name == "RemoteRegistry" && s.State == "Stopped" && s.StartMode == "Disabled");
            Assert.Equal(22, Assert.Single(i.ListeningSockets).Port);
            Assert.Equal("HV01\\Administrator", Assert.Single(i.Administrators).Name);
            Assert.Null(Assert.Single(i.LocalUsers).LastLogon); // \/Date(-62135596800000)\/ is DateTime.MinValue: never
            Assert.Empty(i.Hotfixes);
            Assert.Equal(FactStatus.Ok, FactOf(i, "Hotfixes").Status);
            Assert.Equal(1, i.PackageCount);
            Assert.False(i.FirewallProfiles.Single(p => p.Name == "Domain").Enabled);
            Assert.Equal("Allow", i.FirewallProfiles.Single(p => p.Name == "Public").DefaultInboundAction);
            Assert.True(i.RebootRequired);
            Assert.Equal("Component Based Servicing\\RebootPending", i.RebootReason);
            Assert.Single(i.SshHostKeys);
            var updates = FactOf(i, "PendingUpdates");
            Assert.Equal(FactStatus.Failed, updates.Status);
            Assert.Contains("0x80070005", updates.Message);
            Assert.Null(i.PendingUpdates);
            Assert.Equal(InventoryStatus.Partial, i.Status);
        }

        [Fact]
        public async Task Values_cut_by_ConvertTo_Json_depth_fail_their_facts_and_never_pass_for_data()
        {
            var (i, _, _) = await Collect("windows2022-ps51-depth2.txt");
            Assert.Equal(InventoryStatus.Partial, i.Status);
            Assert.Null(i.OperatingSystem);
            Assert.Empty(i.Interfaces);
            // The host keys arrived as one text of two keys joined by a space: not taken for one key.
            Assert.Empty(i.SshHostKeys);
            Assert.Equal(FactStatus.Failed, FactOf(i, "SshHostKeys").Status);
            Assert.All(i.Facts.Where(f => f.Status == FactStatus.Failed), f => Assert.Contains("Depth", f.Message));
            Assert.DoesNotContain(i.Facts, f => f.Status == FactStatus.Ok);
        }

        [Fact]
        public async Task Windows_is_chosen_by_the_probes_even_when_the_banner_did_not_say_so()
        {
            var sink = new RecordingSink();
            var transport = new RecordedTransport(CollectorTests.Corpus("windows2022-ps51.txt"), RemoteShell.PowerShell, hint: RemoteShell.Posix);
            var inventory = await new InventoryCollector(new InventoryOptions()).CollectAsync(transport, "srv01", 22, "ssh", sink, CancellationToken.None);
            // The POSIX collector first (the banner's guess), refused by cmd.exe, then the probes.
            Assert.Equal(new[] { "exec /bin/sh -s", "uname -s", "cmd /c ver" }, transport.Commands.Take(3));
            Assert.Equal(4, transport.Commands.Count);
            Assert.Equal(RemoteShell.PowerShell, transport.Shell);
            Assert.Equal(InventoryPlatform.Windows, inventory.Platform);
            Assert.Contains(sink.VerboseMessages, v => v.Contains("Microsoft Windows [Version 10.0.20348.2113]"));
        }

        [Fact]
        public async Task A_Windows_banner_asks_ver_first_and_a_Linux_host_answers_uname()
        {
            var t1 = new RecordedTransport(CollectorTests.Corpus("windows2022-ps51.txt"), RemoteShell.PowerShell);
            await new InventoryCollector(new InventoryOptions()).CollectAsync(t1, "srv01", 22, "ssh", new RecordingSink(), CancellationToken.None);
            Assert.Equal("cmd /c ver", t1.Commands[0]);
            Assert.Equal(2, t1.Commands.Count);

            var t2 = new RecordedTransport(CollectorTests.Corpus("debian12-root-container.txt"), RemoteShell.Posix, hint: RemoteShell.PowerShell);
            var i = await new InventoryCollector(new InventoryOptions()).CollectAsync(t2, "deb", 22, "ssh", new RecordingSink(), CancellationToken.None);
            Assert.Equal(new[] { "cmd /c ver", "uname -s", "exec /bin/sh -s" }, t2.Commands);
            Assert.Equal(InventoryPlatform.Linux, i.Platform);

            // Probed once per session: a second inventory on the same transport sends no probe.
            await new InventoryCollector(new InventoryOptions()).CollectAsync(t2, "deb", 22, "ssh", new RecordingSink(), CancellationToken.None);
            Assert.Equal(4, t2.Commands.Count);
        }

        [Theory]
        [InlineData(RemoteShell.Posix)]
        [InlineData(RemoteShell.PowerShell)]
        public async Task A_login_banner_before_the_probe_answer_does_not_hide_it(RemoteShell shell)
        {
            var corpus = shell == RemoteShell.Posix ? "debian12-root-container.txt" : "windows2022-ps51.txt";
            var transport = new RecordedTransport(CollectorTests.Corpus(corpus), shell, hint: RemoteShell.Posix) { Banner = "Welcome to the lab host, authorised use only\n" };
            var i = await new InventoryCollector(new InventoryOptions()).CollectAsync(transport, "h", 22, "ssh", new RecordingSink(), CancellationToken.None);
            Assert.Equal(shell, transport.Shell);
            Assert.Equal(shell == RemoteShell.Posix ? InventoryPlatform.Linux : InventoryPlatform.Windows, i.Platform);
        }

        private sealed class SilentShell : ICommandTransport
        {
            public string Target => "odd:22";
            public RemoteShell Shell => RemoteShell.Posix;
            public bool ShellProbed => false;
            public void SetShell(RemoteShell shell) { }
            public bool IsConnected => true;
            public Task<CommandReply> RunAsync(CommandRequest request, CancellationToken ct)
                => Task.FromResult(new CommandReply(1, null, string.Empty, "This account is currently not available.\n", TimeSpan.Zero, false));
            public void Dispose() { }
        }

        [Fact]
        public async Task A_host_that_answers_neither_probe_is_a_clear_error()
        {
            var e = await Assert.ThrowsAsync<TssrException>(() => new InventoryCollector(new InventoryOptions()).CollectAsync(new SilentShell(), "odd", 22, "ssh", new RecordingSink(), CancellationToken.None));
            Assert.Equal("InventoryOsUnknown", e.Error.ErrorId);
            Assert.Contains("uname -s: 1 This account is currently not available.", e.Message);
            Assert.Contains("cmd /c ver", e.Message);
        }

        [Fact]
        public async Task A_Windows_inventory_round_trips_through_the_JSON_form()
        {
            var (i, _, _) = await Collect("windows2022-ps51.txt");
            var back = InventoryJson.Deserialize(InventoryJson.Serialize(new[] { i }), "mem").Single();
            Assert.Equal(InventoryJson.Serialize(new[] { i }), InventoryJson.Serialize(new[] { back }));
            Assert.Equal(i.Hotfixes.Count, back.Hotfixes.Count);
            Assert.Equal(i.LocalUsers.Single(u => u.Name == "Administrator").LastLogon, back.LocalUsers.Single(u => u.Name == "Administrator").LastLogon);
            Assert.Empty(new InventoryComparer(new DriftOptions()).Compare(new[] { i }, new[] { back }));
        }

        [Fact]
        public async Task Windows_drift_flags_a_firewall_turned_off_an_update_removed_and_a_new_account()
        {
            var (a, _, _) = await Collect("windows2022-ps51.txt");
            var b = InventoryJson.Deserialize(InventoryJson.Serialize(new[] { a }), "copy").Single();
            b.FirewallProfiles = b.FirewallProfiles.Select(p => p.Name == "Public" ? new FirewallProfileEntry { Name = p.Name, Enabled = false, DefaultInboundAction = "Allow", DefaultOutboundAction = p.DefaultOutboundAction } : p).ToList();
            b.Hotfixes = b.Hotfixes.Where(h => h.Id != "KB5048654").ToList();
            b.LocalUsers = b.LocalUsers.Concat(new[] { new LocalUserEntry { Name = "support", Enabled = true } }).ToList();
            b.Software = b.Software.Where(x => !x.Name.StartsWith("7-Zip", StringComparison.Ordinal)).ToList();
            var changes = new InventoryComparer(new DriftOptions()).Compare(new[] { a }, new[] { b }).ToList();
            Assert.Contains(changes, c => c.Category == "FirewallProfile" && c.Item == "Public" && c.Severity == DriftSeverity.High && c.Class == DriftClass.Security);
            Assert.Contains(changes, c => c.Category == "FirewallInbound" && c.DifferenceValue == "Allow" && c.Severity == DriftSeverity.High);
            Assert.Contains(changes, c => c.Category == "Hotfix" && c.Change == DriftChange.Removed && c.Item == "KB5048654" && c.Class == DriftClass.Security);
            Assert.Contains(changes, c => c.Category == "LocalUser" && c.Change == DriftChange.Added && c.Item == "support" && c.Severity == DriftSeverity.Medium);
            Assert.Contains(changes, c => c.Category == "Software" && c.Change == DriftChange.Removed && c.Severity == DriftSeverity.Low);
            Assert.Equal(5, changes.Count);
        }

        [Fact]
        public void Dates_in_every_form_PowerShell_writes()
        {
            JsonNodeFor(out var ms, "\"/Date(1733405523500)/\"");
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1733405523500), WindowsFactParser.Date(ms));
            JsonNodeFor(out var zoned, "\"/Date(1733405523500+0100)/\"");
            Assert.Equal(TimeSpan.FromHours(1), WindowsFactParser.Date(zoned)!.Value.Offset);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1733405523500), WindowsFactParser.Date(zoned));
            JsonNodeFor(out var iso, "\"2024-12-05T14:32:03.5+01:00\"");
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1733405523500), WindowsFactParser.Date(iso));
            // PowerShell 7 writes a DateTime of unspecified kind without an offset: no instant, no guess.
            JsonNodeFor(out var bare, "\"2024-12-05T14:32:03.5\"");
            Assert.Null(WindowsFactParser.Date(bare));
            JsonNodeFor(out var obj, "{\"value\":\"\\/Date(1733405523500)\\/\",\"DisplayHint\":2,\"DateTime\":\"Thursday, December 5, 2024 2:32:03 PM\"}");
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1733405523500), WindowsFactParser.Date(obj));
        }

        private static void JsonNodeFor(out Tssr.Tools.Engine.Firewall.Parsers.JsonNode node, string json)
            => node = Tssr.Tools.Engine.Firewall.Parsers.JsonReader.Parse(json, "t");

        [Property(MaxTest = 100)]
        public bool Any_cut_of_a_recorded_Windows_reply_parses_or_fails_cleanly(PositiveInt cut)
        {
            var text = CollectorTests.Corpus("windows2022-ps51.txt").Replace("@@c0ffee", "@@n");
            text = text.Substring(0, cut.Get % text.Length);
            try
            {
                var reply = CollectorReply.Parse(text, "n", "host");
                var inventory = new ServerInventory();
                WindowsFactParser.Fill(reply, inventory, DateTimeOffset.Now, "host");
                return reply.Truncated && inventory.Status == InventoryStatus.Partial && inventory.Facts.Count == WindowsFactParser.AllFacts.Length;
            }
            catch (TssrException e)
            {
                return e.Error.ErrorId == "InventoryReplyInvalid";
            }
        }

        [Property(MaxTest = 200)]
        public bool Any_fact_value_parses_or_fails_alone(NonNull<string> junk)
        {
            var json = "{\"collector\":1,\"facts\":{\"os\":{\"source\":\"x\",\"status\":\"Ok\",\"value\":" + ToJson(junk.Get) + "},\"cpu\":{\"source\":\"y\",\"status\":\"Ok\",\"value\":[" + ToJson(junk.Get) + "]}}}";
            var reply = CollectorReply.Parse("@@n TSSR-INVENTORY 1 powershell\n@@n B inventory j\n" + json + "\n@@n R inventory 0\n@@n E inventory\n@@n END\n", "n", "h");
            var inventory = new ServerInventory();
            WindowsFactParser.Fill(reply, inventory, DateTimeOffset.Now, "h");
            return inventory.Facts.Count == WindowsFactParser.AllFacts.Length && inventory.Status == InventoryStatus.Partial;
        }

        private static string ToJson(string s)
        {
            var sb = new StringBuilder("\"");
            foreach (var c in s)
            {
                if (c == '"' || c == '\\') sb.Append('\\').Append(c);
                else if (c < 0x20 || c > 0x7e) sb.Append("\\u").Append(((int)c).ToString("x4"));
                else sb.Append(c);
            }
            return sb.Append('"').ToString();
        }

        [Fact]
        public void The_collector_script_is_ASCII_and_carries_a_fresh_nonce()
        {
            var script = CollectorScripts.PowerShell("abc123");
            Assert.All(script, c => Assert.True(c < 0x7f, "non-ASCII character in the Windows collector"));
            Assert.Contains("$N = 'abc123'", script);
            Assert.DoesNotContain("__NONCE__", script);
            // cmd.exe's limit is 8,191 characters: the command stays far below, the script goes on stdin.
            Assert.True(CollectorScripts.PowerShellCommand.Length < 1000);
            var encoded = CollectorScripts.PowerShellBootstrapArguments.Substring("-EncodedCommand ".Length);
            Assert.Equal(CollectorScripts.PowerShellBootstrap, Encoding.Unicode.GetString(Convert.FromBase64String(encoded)));
        }

        internal static string? RepositoryRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json"))) dir = dir.Parent;
            return dir?.FullName;
        }

        /// <summary>
        /// The real script, run by pwsh on Linux through the same bootstrap and parser: its portable
        /// facts (network, volumes, listeners, uptime, host name) are read, the Windows-only ones
        /// answer NotAvailable, and nothing fails.
        /// </summary>
        [Fact]
        public async Task The_script_runs_under_pwsh_on_Linux_and_gives_a_valid_document()
        {
            var root = RepositoryRoot();
            Assert.True(root != null, "the repository's .config/dotnet-tools.json (pwsh) was not found above " + AppContext.BaseDirectory);
            using (var transport = new LocalShellTransport("dotnet", "pwsh -NoProfile -NonInteractive " + CollectorScripts.PowerShellBootstrapArguments, RemoteShell.PowerShell, root))
            {
                var sink = new RecordingSink();
                var i = await new InventoryCollector(new InventoryOptions { Timeout = TimeSpan.FromSeconds(90) }).CollectAsync(transport, Environment.MachineName, null, "local", sink, CancellationToken.None);
                Assert.Empty(sink.Errors);
                Assert.Equal(InventoryPlatform.Windows, i.Platform); // the collector's kind, not the machine's
                Assert.Equal(WindowsFactParser.AllFacts, i.Facts.Select(f => f.Name));
                Assert.DoesNotContain(i.Facts, f => f.Status == FactStatus.Failed);
                foreach (var ok in new[] { "Interfaces", "DefaultRoutes", "DnsServers", "FileSystems", "ListeningSockets", "Uptime" })
                    Assert.True(FactOf(i, ok).Status == FactStatus.Ok, ok + ": " + FactOf(i, ok));
                foreach (var na in new[] { "Identity", "OperatingSystem", "Cpu", "Services", "Administrators", "LocalUsers", "Hotfixes", "Software", "FirewallProfiles", "PendingUpdates", "RebootRequired", "VirtualGuests" })
                    Assert.True(FactOf(i, na).Status == FactStatus.NotAvailable, na + ": " + FactOf(i, na));
                Assert.Contains(i.Interfaces, n => n.Name == "lo" && n.IPv4Addresses.Contains("127.0.0.1/8"));
                Assert.Contains(i.FileSystems, f => f.MountPoint == "/");
                Assert.Equal(Environment.MachineName, i.HostName);
                var procUptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                Assert.InRange(i.UptimeSeconds!.Value, procUptime - 120, procUptime + 1);
                Assert.Equal(InventoryStatus.Complete, i.Status);
            }
        }

        [Fact]
        public async Task The_local_timeout_kills_the_shell_and_the_children_it_started()
        {
            using (var transport = new LocalShellTransport("/bin/sh", "-s", RemoteShell.Posix))
            {
                var script = Encoding.UTF8.GetBytes("sleep 300 &\necho child=$!\nsleep 301\n");
                var reply = await transport.RunAsync(new CommandRequest("ignored", TimeSpan.FromSeconds(1), script), CancellationToken.None);
                Assert.True(reply.TimedOut);
                // The output is there because the pipe closed: no child kept it open.
                var line = reply.Output.Split('\n').Single(l => l.StartsWith("child=", StringComparison.Ordinal));
                var pid = int.Parse(line.Substring(6), System.Globalization.CultureInfo.InvariantCulture);
                var clock = Stopwatch.StartNew();
                while (Alive(pid) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
                Assert.False(Alive(pid), "the sleeping child " + pid + " survived the timeout");
            }
        }

        private static bool Alive(int pid)
        {
            var stat = "/proc/" + pid + "/stat";
            if (!File.Exists(stat)) return false;
            try
            {
                var text = File.ReadAllText(stat);
                var state = text.Substring(text.LastIndexOf(')') + 2, 1);
                return state != "Z" && state != "X";
            }
            catch (IOException)
            {
                return false;
            }
        }
    }
}
