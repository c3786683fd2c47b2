using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Tssr.Tools.Engine.Inventory.Model;

namespace Tssr.Tools.Engine.Inventory.Drift
{
    public enum DriftChange { Added, Removed, Changed }

    /// <summary>Why a change is shown: it matters for security, it changed the configuration, or it is noise.</summary>
    public enum DriftClass { Security, Configuration, Noise }

    public enum DriftSeverity { None, Low, Medium, High }

    /// <summary>One difference between two inventories of a host.</summary>
    public sealed class InventoryChange
    {
        internal InventoryChange(string computerName, string category, DriftChange change, string item, string? referenceValue, string? differenceValue,
            DriftClass driftClass, DriftSeverity severity)
        {
            ComputerName = computerName;
            Category = category;
            Change = change;
            Item = item;
            ReferenceValue = referenceValue;
            DifferenceValue = differenceValue;
            Class = driftClass;
            Severity = severity;
        }

        public string ComputerName { get; }
        /// <summary>Kernel, ListeningPort, Administrator, Service, SshHostKey, PendingUpdates, VirtualGuest, FileSystem…</summary>
        public string Category { get; }
        public DriftChange Change { get; }
        /// <summary>What changed: the port, the account, the service, the mount point…</summary>
        public string Item { get; }
        public string? ReferenceValue { get; }
        public string? DifferenceValue { get; }
        public DriftClass Class { get; }
        public DriftSeverity Severity { get; }

        public override string ToString()
            => string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} {3}: {4} -> {5} ({6}/{7})", ComputerName, Category, Change, Item, ReferenceValue, DifferenceValue, Class, Severity);
    }

    public sealed class DriftOptions
    {
        /// <summary>Also write the changes that always happen (uptime, free space within the tolerance, counters).</summary>
        public bool IncludeNoise { get; set; }
        /// <summary>A file system's free space may move this much (percent of its size) before it is reported.</summary>
        public double FreeSpaceTolerancePercent { get; set; } = 10;
    }

    /// <summary>
    /// Compare-TssrInventory: what changed between two inventories of the same hosts, one object
    /// per change, classed and graded so that what matters for security stands out and what always
    /// changes stays out of the way.
    /// </summary>
    public sealed class InventoryComparer
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
        private readonly DriftOptions _options;

        public InventoryComparer(DriftOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
        }

        private static string Key(ServerInventory i) => i.ComputerName.ToLowerInvariant() + ":" + (i.Port?.ToString(Inv) ?? string.Empty);

        public IEnumerable<InventoryChange> Compare(IEnumerable<ServerInventory> reference, IEnumerable<ServerInventory> difference)
        {
            var refs = new Dictionary<string, ServerInventory>(StringComparer.Ordinal);
            foreach (var r in reference) refs[Key(r)] = r;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var all = new List<InventoryChange>();
            foreach (var d in difference)
            {
                var key = Key(d);
                seen.Add(key);
                if (refs.TryGetValue(key, out var r)) all.AddRange(CompareHost(r, d));
                else all.Add(new InventoryChange(d.ComputerName, "Host", DriftChange.Added, d.ComputerName, null, d.OperatingSystem?.PrettyName, DriftClass.Configuration, DriftSeverity.Medium));
            }
            foreach (var kv in refs.Where(kv => !seen.Contains(kv.Key)))
                all.Add(new InventoryChange(kv.Value.ComputerName, "Host", DriftChange.Removed, kv.Value.ComputerName, kv.Value.OperatingSystem?.PrettyName, null, DriftClass.Configuration, DriftSeverity.Medium));
            return all.Where(c => _options.IncludeNoise || c.Class != DriftClass.Noise)
                .OrderByDescending(c => c.Severity).ThenBy(c => c.ComputerName, StringComparer.Ordinal).ThenBy(c => c.Category, StringComparer.Ordinal).ThenBy(c => c.Item, StringComparer.Ordinal)
                .ToList();
        }

        internal IEnumerable<InventoryChange> CompareHost(ServerInventory r, ServerInventory d)
        {
            var host = d.ComputerName;
            var changes = new List<InventoryChange>();
            void Add(string category, DriftChange change, string item, string? before, string? after, DriftClass c, DriftSeverity s)
                => changes.Add(new InventoryChange(host, category, change, item, before, after, c, s));
            void Scalar(string category, string? before, string? after, DriftClass c, DriftSeverity s)
            {
                if (before != null && after != null && !string.Equals(before, after, StringComparison.Ordinal))
                    Add(category, DriftChange.Changed, category, before, after, c, s);
            }

            Scalar("Kernel", r.Kernel, d.Kernel, DriftClass.Security, DriftSeverity.Medium);
            Scalar("OperatingSystem", r.OperatingSystem?.PrettyName, d.OperatingSystem?.PrettyName, DriftClass.Configuration, DriftSeverity.Low);
            Scalar("HostName", r.HostName, d.HostName, DriftClass.Configuration, DriftSeverity.Low);
            Scalar("Cpu", r.Cpu?.ToString(), d.Cpu?.ToString(), DriftClass.Configuration, DriftSeverity.Low);
            Scalar("Memory", r.Memory?.TotalBytes?.ToString(Inv), d.Memory?.TotalBytes?.ToString(Inv), DriftClass.Configuration, DriftSeverity.Low);
            Scalar("Uptime", r.UptimeSeconds?.ToString("0", Inv), d.UptimeSeconds?.ToString("0", Inv), DriftClass.Noise, DriftSeverity.None);
            Scalar("MemoryAvailable", r.Memory?.AvailableBytes?.ToString(Inv), d.Memory?.AvailableBytes?.ToString(Inv), DriftClass.Noise, DriftSeverity.None);
            if (r.BootTime.HasValue && d.BootTime.HasValue && Math.Abs((r.BootTime.Value - d.BootTime.Value).TotalSeconds) > 5)
                Add("BootTime", DriftChange.Changed, "BootTime", r.BootTime.Value.ToString("o", Inv), d.BootTime.Value.ToString("o", Inv), DriftClass.Configuration, DriftSeverity.Low);
            Scalar("PackageCount", r.PackageCount?.ToString(Inv), d.PackageCount?.ToString(Inv), DriftClass.Configuration, DriftSeverity.Low);
            Scalar("RebootRequired", r.RebootRequired?.ToString(), d.RebootRequired?.ToString(), DriftClass.Configuration, d.RebootRequired == true ? DriftSeverity.Low : DriftSeverity.None);
            if (r.TimeSync?.Synchronized == true && d.TimeSync?.Synchronized == false)
                Add("TimeSync", DriftChange.Changed, "Synchronized", "True", "False", DriftClass.Configuration, DriftSeverity.Medium);
            Scalar("Virtualisation", r.Virtualisation?.Role.ToString(), d.Virtualisation?.Role.ToString(), DriftClass.Configuration, DriftSeverity.Low);

            Sets("DnsServer", r.DnsServers, d.DnsServers, x => x, x => x, DriftClass.Configuration, DriftSeverity.Low, DriftSeverity.Low, Add);
            Sets("DefaultRoute", r.DefaultRoutes, d.DefaultRoutes, x => x.Family + " " + x.Gateway, x => x.Interface ?? string.Empty, DriftClass.Configuration, DriftSeverity.Medium, DriftSeverity.Low, Add);
            Sets("IPAddress", r.Interfaces.SelectMany(i => i.IPv4Addresses.Concat(i.IPv6Addresses).Select(a => i.Name + " " + a)), d.Interfaces.SelectMany(i => i.IPv4Addresses.Concat(i.IPv6Addresses).Select(a => i.Name + " " + a)),
                x => x, x => x, DriftClass.Configuration, DriftSeverity.Low, DriftSeverity.Low, Add);
            Sets("Interface", r.Interfaces, d.Interfaces, x => x.Name, x => x.MacAddress ?? string.Empty, DriftClass.Configuration, DriftSeverity.Low, DriftSeverity.Low, Add);

            // A new listener is the change an attacker's backdoor makes; on loopback it reaches fewer.
            var rl = r.ListeningSockets.GroupBy(SocketKey).ToDictionary(g => g.Key, g => g.First());
            var dl = d.ListeningSockets.GroupBy(SocketKey).ToDictionary(g => g.Key, g => g.First());
            foreach (var kv in dl)
            {
                if (!rl.TryGetValue(kv.Key, out var before))
                    Add("ListeningPort", DriftChange.Added, kv.Key, null, kv.Value.Process, DriftClass.Security, IsLoopback(kv.Value.LocalIPAddress) ? DriftSeverity.Medium : DriftSeverity.High);
                else if (before.Process != null && kv.Value.Process != null && before.Process != kv.Value.Process)
                    Add("ListeningPort", DriftChange.Changed, kv.Key, before.Process, kv.Value.Process, DriftClass.Security, DriftSeverity.Medium);
            }
            foreach (var kv in rl.Where(kv => !dl.ContainsKey(kv.Key)))
                Add("ListeningPort", DriftChange.Removed, kv.Key, kv.Value.Process, null, DriftClass.Configuration, DriftSeverity.Low);

            var ra = new HashSet<string>(r.Administrators.Select(a => a.Name + " (" + a.Reason + ")"), StringComparer.Ordinal);
            foreach (var a in d.Administrators)
            {
                var k = a.Name + " (" + a.Reason + ")";
                if (!ra.Contains(k)) Add("Administrator", DriftChange.Added, k, null, a.Reason, DriftClass.Security, DriftSeverity.High);
            }
            var da = new HashSet<string>(d.Administrators.Select(a => a.Name + " (" + a.Reason + ")"), StringComparer.Ordinal);
            foreach (var a in r.Administrators.Where(a => !da.Contains(a.Name + " (" + a.Reason + ")")))
                Add("Administrator", DriftChange.Removed, a.Name + " (" + a.Reason + ")", a.Reason, null, DriftClass.Configuration, DriftSeverity.Low);

            var rs = r.Services.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var s in d.Services)
            {
                if (!rs.TryGetValue(s.Name, out var before))
                {
                    Add("Service", DriftChange.Added, s.Name, null, s.StartMode, Enabled(s.StartMode) ? DriftClass.Security : DriftClass.Configuration, Enabled(s.StartMode) ? DriftSeverity.Medium : DriftSeverity.Low);
                    continue;
                }
                if (!Enabled(before.StartMode) && Enabled(s.StartMode))
                    Add("Service", DriftChange.Changed, s.Name, before.StartMode, s.StartMode, DriftClass.Security, DriftSeverity.Medium);
                else if (before.StartMode != s.StartMode)
                    Add("Service", DriftChange.Changed, s.Name, before.StartMode, s.StartMode, DriftClass.Configuration, DriftSeverity.Low);
                if (before.State != s.State)
                    Add("ServiceState", DriftChange.Changed, s.Name, before.State, s.State, s.State == "failed" ? DriftClass.Configuration : DriftClass.Noise, s.State == "failed" ? DriftSeverity.Medium : DriftSeverity.None);
            }
            var ds = new HashSet<string>(d.Services.Select(s => s.Name), StringComparer.Ordinal);
            foreach (var s in r.Services.Where(s => !ds.Contains(s.Name)))
                Add("Service", DriftChange.Removed, s.Name, s.StartMode, null, DriftClass.Configuration, DriftSeverity.Low);

            var rk = string.Join(", ", r.SshHostKeys.Select(k => k.KeyType + " " + k.Fingerprint).OrderBy(x => x, StringComparer.Ordinal));
            var dk = string.Join(", ", d.SshHostKeys.Select(k => k.KeyType + " " + k.Fingerprint).OrderBy(x => x, StringComparer.Ordinal));
            foreach (var k in d.SshHostKeys)
            {
                var old = r.SshHostKeys.FirstOrDefault(x => x.KeyType == k.KeyType);
                if (old != null && old.Fingerprint != k.Fingerprint)
                    Add("SshHostKey", DriftChange.Changed, k.KeyType, old.Fingerprint, k.Fingerprint, DriftClass.Security, DriftSeverity.High);
                else if (old == null && r.SshHostKeys.Count > 0)
                    Add("SshHostKey", DriftChange.Added, k.KeyType, null, k.Fingerprint, DriftClass.Security, DriftSeverity.Medium);
            }

            var ru = r.PendingUpdates;
            var du = d.PendingUpdates;
            if (ru != null && du != null)
            {
                if ((du.SecurityCount ?? 0) > (ru.SecurityCount ?? 0))
                    Add("PendingUpdates", DriftChange.Changed, "SecurityCount", ru.SecurityCount?.ToString(Inv), du.SecurityCount?.ToString(Inv), DriftClass.Security, DriftSeverity.Medium);
                else if (du.SecurityCount != ru.SecurityCount)
                    Add("PendingUpdates", DriftChange.Changed, "SecurityCount", ru.SecurityCount?.ToString(Inv), du.SecurityCount?.ToString(Inv), DriftClass.Noise, DriftSeverity.None);
                if (du.ItemCount != ru.ItemCount)
                    Add("PendingUpdates", DriftChange.Changed, "ItemCount", ru.ItemCount.ToString(Inv), du.ItemCount.ToString(Inv), DriftClass.Noise, DriftSeverity.None);
            }

            var rg = (r.Virtualisation?.Guests ?? Array.Empty<VirtualGuest>()).GroupBy(g => g.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var dg = (d.Virtualisation?.Guests ?? Array.Empty<VirtualGuest>()).GroupBy(g => g.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var g in dg.Values)
            {
                if (!rg.TryGetValue(g.Name, out var before)) Add("VirtualGuest", DriftChange.Added, g.Name, null, g.State, DriftClass.Security, DriftSeverity.Medium);
                else
                {
                    if (before.State != g.State) Add("VirtualGuestState", DriftChange.Changed, g.Name, before.State, g.State, DriftClass.Configuration, DriftSeverity.Low);
                    if (before.VCpus != g.VCpus || before.MemoryBytes != g.MemoryBytes)
                        Add("VirtualGuestSize", DriftChange.Changed, g.Name, before.VCpus + " vCPU " + before.MemoryBytes, g.VCpus + " vCPU " + g.MemoryBytes, DriftClass.Configuration, DriftSeverity.Low);
                    if (before.Autostart != g.Autostart) Add("VirtualGuestAutostart", DriftChange.Changed, g.Name, before.Autostart?.ToString(), g.Autostart?.ToString(), DriftClass.Configuration, DriftSeverity.Low);
                }
            }
            foreach (var g in rg.Values.Where(g => !dg.ContainsKey(g.Name)))
                Add("VirtualGuest", DriftChange.Removed, g.Name, g.State, null, DriftClass.Security, DriftSeverity.Medium);

            // Windows: a firewall profile turned off or opened inbound, an update removed, a new enabled account.
            Scalar("Domain", r.Domain, d.Domain, DriftClass.Configuration, DriftSeverity.Medium);
            var rp = r.FirewallProfiles.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            foreach (var p in d.FirewallProfiles)
            {
                if (!rp.TryGetValue(p.Name, out var before)) continue;
                if (before.Enabled == true && p.Enabled == false)
                    Add("FirewallProfile", DriftChange.Changed, p.Name, "enabled", "disabled", DriftClass.Security, DriftSeverity.High);
                else if (before.Enabled != p.Enabled)
                    Add("FirewallProfile", DriftChange.Changed, p.Name, Text(before.Enabled), Text(p.Enabled), DriftClass.Configuration, DriftSeverity.Low);
                if (before.DefaultInboundAction != p.DefaultInboundAction)
                    Add("FirewallInbound", DriftChange.Changed, p.Name, before.DefaultInboundAction, p.DefaultInboundAction,
                        p.DefaultInboundAction == "Allow" ? DriftClass.Security : DriftClass.Configuration, p.DefaultInboundAction == "Allow" ? DriftSeverity.High : DriftSeverity.Low);
            }
            var rh = new HashSet<string>(r.Hotfixes.Select(h => h.Id), StringComparer.OrdinalIgnoreCase);
            var dh = new HashSet<string>(d.Hotfixes.Select(h => h.Id), StringComparer.OrdinalIgnoreCase);
            foreach (var h in d.Hotfixes.Where(h => !rh.Contains(h.Id)))
                Add("Hotfix", DriftChange.Added, h.Id, null, h.InstalledOn, DriftClass.Configuration, DriftSeverity.Low);
            foreach (var h in r.Hotfixes.Where(h => !dh.Contains(h.Id)))
                Add("Hotfix", DriftChange.Removed, h.Id, h.InstalledOn, null, DriftClass.Security, DriftSeverity.Medium);
            Sets("Software", r.Software, d.Software, x => x.Name + (x.Scope == "machine-x86" ? " (x86)" : string.Empty), x => x.Version ?? string.Empty,
                DriftClass.Configuration, DriftSeverity.Low, DriftSeverity.Low, Add);
            var ru2 = r.LocalUsers.GroupBy(u => u.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            foreach (var u in d.LocalUsers)
            {
                if (!ru2.TryGetValue(u.Name, out var before))
                    Add("LocalUser", DriftChange.Added, u.Name, null, u.Enabled == false ? "disabled" : "enabled",
                        u.Enabled == false ? DriftClass.Configuration : DriftClass.Security, u.Enabled == false ? DriftSeverity.Low : DriftSeverity.Medium);
                else if (before.Enabled == false && u.Enabled == true)
                    Add("LocalUser", DriftChange.Changed, u.Name, "disabled", "enabled", DriftClass.Security, DriftSeverity.Medium);
                else if (before.Enabled != u.Enabled)
                    Add("LocalUser", DriftChange.Changed, u.Name, Text(before.Enabled), Text(u.Enabled), DriftClass.Configuration, DriftSeverity.Low);
            }
            var du2 = new HashSet<string>(d.LocalUsers.Select(u => u.Name), StringComparer.OrdinalIgnoreCase);
            foreach (var u in r.LocalUsers.Where(u => !du2.Contains(u.Name)))
                Add("LocalUser", DriftChange.Removed, u.Name, u.Enabled == false ? "disabled" : "enabled", null, DriftClass.Configuration, DriftSeverity.Low);

            var rf = r.FileSystems.GroupBy(f => f.MountPoint).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var df = d.FileSystems.GroupBy(f => f.MountPoint).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var f in df.Values)
            {
                if (!rf.TryGetValue(f.MountPoint, out var before)) { Add("FileSystem", DriftChange.Added, f.MountPoint, null, f.Type + " " + f.Source, DriftClass.Configuration, DriftSeverity.Low); continue; }
                if (before.SizeBytes != f.SizeBytes) Add("FileSystemSize", DriftChange.Changed, f.MountPoint, before.SizeBytes?.ToString(Inv), f.SizeBytes?.ToString(Inv), DriftClass.Configuration, DriftSeverity.Low);
                if (before.FreeBytes.HasValue && f.FreeBytes.HasValue && f.SizeBytes.GetValueOrDefault() > 0 && before.FreeBytes != f.FreeBytes)
                {
                    var moved = Math.Abs(before.FreeBytes.Value - f.FreeBytes.Value) * 100.0 / f.SizeBytes!.Value;
                    var noise = moved <= _options.FreeSpaceTolerancePercent;
                    Add("FreeSpace", DriftChange.Changed, f.MountPoint, before.FreeBytes.Value.ToString(Inv), f.FreeBytes.Value.ToString(Inv), noise ? DriftClass.Noise : DriftClass.Configuration, noise ? DriftSeverity.None : DriftSeverity.Low);
                }
            }
            foreach (var f in rf.Values.Where(f => !df.ContainsKey(f.MountPoint)))
                Add("FileSystem", DriftChange.Removed, f.MountPoint, f.Type + " " + f.Source, null, DriftClass.Configuration, DriftSeverity.Low);
            return changes;
        }

        private static string? Text(bool? b) => b.HasValue ? (b.Value ? "enabled" : "disabled") : null;

        private static bool Enabled(string? mode) => mode == "enabled" || mode == "Automatic" || mode == "Auto";

        private static bool IsLoopback(string address) => address.StartsWith("127.", StringComparison.Ordinal) || address == "::1";

        private static string SocketKey(ListeningSocket s) => s.Protocol + " " + (s.LocalIPAddress.Contains(":") ? "[" + s.LocalIPAddress + "]" : s.LocalIPAddress) + ":" + s.Port.ToString(Inv);

        private static void Sets<T>(string category, IEnumerable<T> before, IEnumerable<T> after, Func<T, string> key, Func<T, string> value,
            DriftClass c, DriftSeverity addedSeverity, DriftSeverity removedSeverity, Action<string, DriftChange, string, string?, string?, DriftClass, DriftSeverity> add)
        {
            var b = before.GroupBy(key).ToDictionary(g => g.Key, g => value(g.First()), StringComparer.Ordinal);
            var a = after.GroupBy(key).ToDictionary(g => g.Key, g => value(g.First()), StringComparer.Ordinal);
            foreach (var kv in a)
            {
                if (!b.TryGetValue(kv.Key, out var old)) add(category, DriftChange.Added, kv.Key, null, kv.Value, c, addedSeverity);
                else if (old != kv.Value) add(category, DriftChange.Changed, kv.Key, old, kv.Value, c, DriftSeverity.Low);
            }
            foreach (var kv in b.Where(kv => !a.ContainsKey(kv.Key)))
                add(category, DriftChange.Removed, kv.Key, kv.Value, null, c, removedSeverity);
        }
    }
}
