using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Tssr.Tools.Engine.Inventory.Drift;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>
    /// Compare-TssrInventory for network devices: what changed between two SNMP inventories of the
    /// same agents, as InventoryChange objects graded like the servers' drift. A different
    /// sysObjectID, serial number or model means another box answers at that address (High); new
    /// firmware or software (ENTITY-MIB revisions, or sysDescr where a device names its firmware
    /// there) is Medium; a port opened that was shut (admin down to up) is Medium. Interfaces,
    /// their states and speeds, addresses, components and LLDP neighbours are configuration;
    /// counters, uptime, storage use and processor load are noise. A MIB that one side lacks or
    /// could not walk to the end is reported once and not compared row by row, so a failed walk
    /// never shows as every interface removed.
    /// </summary>
    public static class DeviceDrift
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
        /// <summary>sysUpTime is a 32-bit count of hundredths of a second: it wraps after 497.1 days.</summary>
        private const double UptimeWrapSec = 4294967296.0 / 100.0;
        /// <summary>Boot times computed from two collections may differ by the collector's own delays.</summary>
        private const double RestartToleranceSec = 60;
        private static readonly string[] TableMibs = { "IF-MIB", "IP-MIB", "HOST-RESOURCES-MIB", "ENTITY-MIB", "LLDP-MIB" };

        private static string Key(SnmpDeviceInventory d) => d.ComputerName.ToLowerInvariant() + ":" + d.Port.ToString(Inv);

        public static IReadOnlyList<InventoryChange> Compare(IEnumerable<SnmpDeviceInventory> reference, IEnumerable<SnmpDeviceInventory> difference, DriftOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var refs = new Dictionary<string, SnmpDeviceInventory>(StringComparer.Ordinal);
            foreach (var r in reference) refs[Key(r)] = r;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var all = new List<InventoryChange>();
            foreach (var d in difference)
            {
                var key = Key(d);
                if (!seen.Add(key)) continue;
                if (refs.TryGetValue(key, out var r)) all.AddRange(CompareDevice(r, d));
                else all.Add(new InventoryChange(d.ComputerName, "Device", DriftChange.Added, d.ComputerName, null, Identity(d), DriftClass.Configuration, DriftSeverity.Medium));
            }
            foreach (var kv in refs.Where(kv => !seen.Contains(kv.Key)))
                all.Add(new InventoryChange(kv.Value.ComputerName, "Device", DriftChange.Removed, kv.Value.ComputerName, Identity(kv.Value), null, DriftClass.Configuration, DriftSeverity.Medium));
            return Order(all.Where(c => options.IncludeNoise || c.Class != DriftClass.Noise));
        }

        /// <summary>Server and device changes in one list, in the order Compare-TssrInventory writes them (severity first).</summary>
        public static IReadOnlyList<InventoryChange> Merge(IEnumerable<InventoryChange> servers, IEnumerable<InventoryChange> devices) => Order(servers.Concat(devices));

        private static IReadOnlyList<InventoryChange> Order(IEnumerable<InventoryChange> changes)
            => changes.OrderByDescending(c => c.Severity).ThenBy(c => c.ComputerName, StringComparer.Ordinal).ThenBy(c => c.Category, StringComparer.Ordinal).ThenBy(c => c.Item, StringComparer.Ordinal).ToList();

        private static string Identity(SnmpDeviceInventory d) => (d.SystemName + " " + d.ObjectId).Trim();

        internal static List<InventoryChange> CompareDevice(SnmpDeviceInventory r, SnmpDeviceInventory d)
        {
            var host = d.ComputerName;
            var changes = new List<InventoryChange>();
            void Add(string category, DriftChange change, string item, string? before, string? after, DriftClass c, DriftSeverity s)
                => changes.Add(new InventoryChange(host, category, change, item, before, after, c, s));
            void Scalar(string category, string item, string before, string after, DriftClass c, DriftSeverity s)
            {
                if (before.Length > 0 && after.Length > 0 && !string.Equals(before, after, StringComparison.Ordinal))
                    Add(category, DriftChange.Changed, item, before, after, c, s);
            }

            // Another platform at this address: a replaced box, or an impostor answering with the community.
            Scalar("DeviceObjectId", "sysObjectID", r.ObjectId, d.ObjectId, DriftClass.Security, DriftSeverity.High);
            // sysDescr carries the firmware or OS version on most devices (and the kernel on Linux).
            Scalar("DeviceFirmware", "sysDescr", r.Description, d.Description, DriftClass.Security, DriftSeverity.Medium);
            Scalar("DeviceName", "sysName", r.SystemName, d.SystemName, DriftClass.Configuration, DriftSeverity.Low);
            Scalar("DeviceLocation", "sysLocation", r.Location, d.Location, DriftClass.Configuration, DriftSeverity.Low);
            Scalar("DeviceContact", "sysContact", r.Contact, d.Contact, DriftClass.Configuration, DriftSeverity.Low);
            Scalar("DeviceSnmpVersion", "Version", r.Version, d.Version, DriftClass.Configuration, DriftSeverity.Low);
            Uptime(r, d, Add);

            var compared = new List<string>();
            foreach (var mib in TableMibs)
            {
                var rIncomplete = Incomplete(r, mib);
                var dIncomplete = Incomplete(d, mib);
                var rAbsent = r.AbsentMibs.Contains(mib);
                var dAbsent = d.AbsentMibs.Contains(mib);
                if (rIncomplete || dIncomplete)
                    Add("DeviceMib", DriftChange.Changed, mib, rIncomplete ? "incomplete" : "complete", dIncomplete ? "incomplete" : "complete", DriftClass.Configuration, DriftSeverity.Low);
                else if (rAbsent && !dAbsent)
                    Add("DeviceMib", DriftChange.Added, mib, null, "present", DriftClass.Configuration, DriftSeverity.Low);
                else if (!rAbsent && dAbsent)
                    Add("DeviceMib", DriftChange.Removed, mib, "present", null, DriftClass.Configuration, DriftSeverity.Low);
                else if (!rAbsent)
                    compared.Add(mib);
            }
            if (compared.Contains("IF-MIB")) Interfaces(r, d, Add);
            if (compared.Contains("IP-MIB") && compared.Contains("IF-MIB")) Addresses(r, d, Add);
            if (compared.Contains("HOST-RESOURCES-MIB")) HostResources(r, d, Add);
            if (compared.Contains("ENTITY-MIB")) Entities(r, d, Add);
            if (compared.Contains("LLDP-MIB")) Neighbours(r, d, Add);
            return changes;
        }

        /// <summary>A MIB not walked to the end; an inventory of an older form that says Partial without naming them counts as all incomplete.</summary>
        private static bool Incomplete(SnmpDeviceInventory i, string mib)
            => i.IncompleteMibs.Contains(mib) || (i.IncompleteMibs.Count == 0 && i.Status == "Partial");

        private delegate void Adder(string category, DriftChange change, string item, string? before, string? after, DriftClass c, DriftSeverity s);

        private static void Uptime(SnmpDeviceInventory r, SnmpDeviceInventory d, Adder add)
        {
            if (!r.UptimeSec.HasValue || !d.UptimeSec.HasValue) return;
            var rBoot = r.CollectedUtc.AddSeconds(-(double)r.UptimeSec.Value);
            var dBoot = d.CollectedUtc.AddSeconds(-(double)d.UptimeSec.Value);
            var moved = (dBoot - rBoot).TotalSeconds;
            // Booted later than the reference says; a move by whole wraps of the counter is the counter, not a restart.
            var wraps = Math.Round(moved / UptimeWrapSec);
            var restarted = moved > RestartToleranceSec && Math.Abs(moved - wraps * UptimeWrapSec) > RestartToleranceSec;
            if (restarted)
                add("DeviceRestart", DriftChange.Changed, "sysUpTime", rBoot.ToString("o", Inv), dBoot.ToString("o", Inv), DriftClass.Configuration, DriftSeverity.Low);
            else if (r.UptimeSec != d.UptimeSec)
                add("DeviceUptime", DriftChange.Changed, "sysUpTime", Number(r.UptimeSec), Number(d.UptimeSec), DriftClass.Noise, DriftSeverity.None);
        }

        private static string InterfaceKey(SnmpInterface i) => i.Name.Length > 0 ? i.Name : "ifIndex " + i.Index.ToString(Inv);

        private static void Interfaces(SnmpDeviceInventory r, SnmpDeviceInventory d, Adder add)
        {
            var before = r.Interfaces.GroupBy(InterfaceKey).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var after = d.Interfaces.GroupBy(InterfaceKey).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var kv in after)
            {
                var i = kv.Value;
                if (!before.TryGetValue(kv.Key, out var b))
                {
                    // A new interface that carries traffic (a tunnel, a VLAN interface) deserves a look.
                    add("DeviceInterface", DriftChange.Added, kv.Key, null, Describe(i), DriftClass.Configuration, i.OperStatus == "up" ? DriftSeverity.Medium : DriftSeverity.Low);
                    continue;
                }
                if (b.OperStatus != i.OperStatus)
                    add("InterfaceOperStatus", DriftChange.Changed, kv.Key, b.OperStatus, i.OperStatus, DriftClass.Configuration, b.OperStatus == "up" ? DriftSeverity.Medium : DriftSeverity.Low);
                if (b.AdminStatus != i.AdminStatus)
                {
                    // A port that was shut and now is enabled is how an unused wall socket becomes a way in.
                    var opened = b.AdminStatus == "down" && i.AdminStatus == "up";
                    add("InterfaceAdminStatus", DriftChange.Changed, kv.Key, b.AdminStatus, i.AdminStatus, opened ? DriftClass.Security : DriftClass.Configuration, opened ? DriftSeverity.Medium : DriftSeverity.Low);
                }
                if (b.SpeedMbps != i.SpeedMbps)
                {
                    // The speed of a link that is down says nothing; a link that came back slower (a bad cable, a lost negotiation) does.
                    var bothUp = b.OperStatus == "up" && i.OperStatus == "up";
                    var slower = bothUp && b.SpeedMbps.HasValue && i.SpeedMbps.HasValue && i.SpeedMbps.Value < b.SpeedMbps.Value;
                    add("InterfaceSpeed", DriftChange.Changed, kv.Key, Number(b.SpeedMbps), Number(i.SpeedMbps), bothUp ? DriftClass.Configuration : DriftClass.Noise,
                        !bothUp ? DriftSeverity.None : slower ? DriftSeverity.Medium : DriftSeverity.Low);
                }
                if (b.MacAddress != i.MacAddress) add("InterfaceMacAddress", DriftChange.Changed, kv.Key, b.MacAddress, i.MacAddress, DriftClass.Configuration, DriftSeverity.Low);
                if (b.Mtu != i.Mtu) add("InterfaceMtu", DriftChange.Changed, kv.Key, Number(b.Mtu), Number(i.Mtu), DriftClass.Configuration, DriftSeverity.Low);
                if (b.IfType != i.IfType) add("InterfaceType", DriftChange.Changed, kv.Key, b.TypeName, i.TypeName, DriftClass.Configuration, DriftSeverity.Low);
                if (b.Alias != i.Alias) add("InterfaceAlias", DriftChange.Changed, kv.Key, b.Alias, i.Alias, DriftClass.Configuration, DriftSeverity.Low);
                var bc = Counters(b);
                var ic = Counters(i);
                if (bc != ic) add("InterfaceCounters", DriftChange.Changed, kv.Key, bc, ic, DriftClass.Noise, DriftSeverity.None);
            }
            foreach (var kv in before.Where(kv => !after.ContainsKey(kv.Key)))
                add("DeviceInterface", DriftChange.Removed, kv.Key, Describe(kv.Value), null, DriftClass.Configuration, DriftSeverity.Low);
        }

        private static string Describe(SnmpInterface i) => string.Join(" ", new[] { i.TypeName, i.MacAddress, i.OperStatus }.Where(x => x.Length > 0));

        private static string Counters(SnmpInterface i)
            => string.Format(Inv, "in {0} out {1} inErrors {2} outErrors {3} inDiscards {4} outDiscards {5} lastChange {6}",
                Number(i.InOctets), Number(i.OutOctets), Number(i.InErrors), Number(i.OutErrors), Number(i.InDiscards), Number(i.OutDiscards), Number(i.LastChangeTicks));

        private static void Addresses(SnmpDeviceInventory r, SnmpDeviceInventory d, Adder add)
        {
            HashSet<string> Keys(SnmpDeviceInventory inv)
            {
                var names = inv.Interfaces.GroupBy(i => i.Index).ToDictionary(g => g.Key, g => InterfaceKey(g.First()));
                return new HashSet<string>(inv.Addresses.Select(a => (names.TryGetValue(a.InterfaceIndex, out var n) ? n : "ifIndex " + a.InterfaceIndex.ToString(Inv)) + " " + a), StringComparer.Ordinal);
            }
            var before = Keys(r);
            var after = Keys(d);
            foreach (var a in after.Where(a => !before.Contains(a)))
                add("DeviceAddress", DriftChange.Added, a, null, a, DriftClass.Configuration, DriftSeverity.Low);
            foreach (var a in before.Where(a => !after.Contains(a)))
                add("DeviceAddress", DriftChange.Removed, a, a, null, DriftClass.Configuration, DriftSeverity.Low);
        }

        private static void HostResources(SnmpDeviceInventory r, SnmpDeviceInventory d, Adder add)
        {
            var before = r.Storage.GroupBy(s => s.Description).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var after = d.Storage.GroupBy(s => s.Description).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var kv in after)
            {
                if (!before.TryGetValue(kv.Key, out var b)) { add("DeviceStorage", DriftChange.Added, kv.Key, null, kv.Value.StorageType + " " + Number(kv.Value.SizeBytes), DriftClass.Configuration, DriftSeverity.Low); continue; }
                if (b.SizeBytes != kv.Value.SizeBytes)
                {
                    // Memory areas (net-snmp's "Memory buffers", "Cached memory" are Other) resize by themselves; disks do not.
                    var memory = kv.Value.StorageType == "Ram" || kv.Value.StorageType == "VirtualMemory" || kv.Value.StorageType == "Other";
                    add("DeviceStorageSize", DriftChange.Changed, kv.Key, Number(b.SizeBytes), Number(kv.Value.SizeBytes), memory ? DriftClass.Noise : DriftClass.Configuration, memory ? DriftSeverity.None : DriftSeverity.Low);
                }
                if (b.UsedBytes != kv.Value.UsedBytes) add("DeviceStorageUsed", DriftChange.Changed, kv.Key, Number(b.UsedBytes), Number(kv.Value.UsedBytes), DriftClass.Noise, DriftSeverity.None);
            }
            foreach (var kv in before.Where(kv => !after.ContainsKey(kv.Key)))
                add("DeviceStorage", DriftChange.Removed, kv.Key, kv.Value.StorageType + " " + Number(kv.Value.SizeBytes), null, DriftClass.Configuration, DriftSeverity.Low);
            if (r.Processors.Count != d.Processors.Count)
                add("DeviceProcessors", DriftChange.Changed, "hrProcessorTable", r.Processors.Count.ToString(Inv), d.Processors.Count.ToString(Inv), DriftClass.Configuration, DriftSeverity.Low);
            var rl = string.Join(" ", r.Processors.Select(p => Number(p.LoadPercent)));
            var dl = string.Join(" ", d.Processors.Select(p => Number(p.LoadPercent)));
            if (rl != dl) add("ProcessorLoad", DriftChange.Changed, "hrProcessorLoad", rl, dl, DriftClass.Noise, DriftSeverity.None);
        }

        private static string EntityKey(SnmpEntity e) => e.Name.Length > 0 ? e.Class + " " + e.Name : e.Class + " entPhysicalIndex " + e.Index.ToString(Inv);

        private static void Entities(SnmpDeviceInventory r, SnmpDeviceInventory d, Adder add)
        {
            var before = r.Entities.GroupBy(EntityKey).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var after = d.Entities.GroupBy(EntityKey).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var kv in after)
            {
                var e = kv.Value;
                if (!before.TryGetValue(kv.Key, out var b)) { add("DeviceEntity", DriftChange.Added, kv.Key, null, (e.Model + " " + e.SerialNumber).Trim(), DriftClass.Configuration, DriftSeverity.Low); continue; }
                // Another serial number or model in the same slot: the hardware was swapped.
                if (b.SerialNumber.Length > 0 && b.SerialNumber != e.SerialNumber)
                    add("DeviceSerialNumber", DriftChange.Changed, kv.Key, b.SerialNumber, e.SerialNumber, DriftClass.Security, DriftSeverity.High);
                if (b.Model.Length > 0 && b.Model != e.Model)
                    add("DeviceModel", DriftChange.Changed, kv.Key, b.Model, e.Model, DriftClass.Security, DriftSeverity.High);
                if (b.FirmwareRevision != e.FirmwareRevision)
                    add("DeviceFirmware", DriftChange.Changed, kv.Key + " firmware", b.FirmwareRevision, e.FirmwareRevision, DriftClass.Security, DriftSeverity.Medium);
                if (b.SoftwareRevision != e.SoftwareRevision)
                    add("DeviceFirmware", DriftChange.Changed, kv.Key + " software", b.SoftwareRevision, e.SoftwareRevision, DriftClass.Security, DriftSeverity.Medium);
                if (b.HardwareRevision != e.HardwareRevision)
                    add("DeviceHardware", DriftChange.Changed, kv.Key, b.HardwareRevision, e.HardwareRevision, DriftClass.Configuration, DriftSeverity.Low);
            }
            foreach (var kv in before.Where(kv => !after.ContainsKey(kv.Key)))
                add("DeviceEntity", DriftChange.Removed, kv.Key, (kv.Value.Model + " " + kv.Value.SerialNumber).Trim(), null, DriftClass.Configuration, DriftSeverity.Low);
        }

        private static void Neighbours(SnmpDeviceInventory r, SnmpDeviceInventory d, Adder add)
        {
            // lldpRemLocalPortNum is the LLDP port number, which a device need not make equal to ifIndex: it keys as it is.
            string Port(SnmpLldpNeighbour n) => "port " + n.LocalPort.ToString(Inv);
            string Who(SnmpLldpNeighbour n) => string.Join(" ", new[] { n.SystemName, n.ChassisId, n.PortId }.Where(x => x.Length > 0));
            var before = r.LldpNeighbours.GroupBy(Port).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(Who).OrderBy(x => x, StringComparer.Ordinal)), StringComparer.Ordinal);
            var after = d.LldpNeighbours.GroupBy(Port).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(Who).OrderBy(x => x, StringComparer.Ordinal)), StringComparer.Ordinal);
            foreach (var kv in after)
            {
                if (!before.TryGetValue(kv.Key, out var b)) add("LldpNeighbour", DriftChange.Added, kv.Key, null, kv.Value, DriftClass.Configuration, DriftSeverity.Low);
                // Another device on the same port: a switch or host plugged in where another was.
                else if (b != kv.Value) add("LldpNeighbour", DriftChange.Changed, kv.Key, b, kv.Value, DriftClass.Configuration, DriftSeverity.Medium);
            }
            foreach (var kv in before.Where(kv => !after.ContainsKey(kv.Key)))
                add("LldpNeighbour", DriftChange.Removed, kv.Key, kv.Value, null, DriftClass.Configuration, DriftSeverity.Low);
        }

        private static string Number(decimal? v) => v?.ToString(Inv) ?? string.Empty;

        private static string Number(int? v) => v?.ToString(Inv) ?? string.Empty;
    }
}
