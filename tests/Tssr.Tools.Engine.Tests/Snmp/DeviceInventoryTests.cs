using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory.Drift;
using Tssr.Tools.Engine.Inventory.Model;
using Tssr.Tools.Engine.Snmp;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Snmp
{
    /// <summary>Device inventories in the inventory file (Export/Import-TssrInventory) and their drift (Compare-TssrInventory).</summary>
    public class DeviceInventoryTests
    {
        private static readonly DriftOptions Quiet = new DriftOptions();
        private static readonly DriftOptions Noisy = new DriftOptions { IncludeNoise = true };

        /// <summary>A switch-like agent: system group, two interfaces, an address, ENTITY-MIB (chassis with serial and firmware) and an LLDP neighbour.</summary>
        private static SortedList<Oid, SnmpValue> Switch(Action<SortedList<Oid, SnmpValue>>? change = null)
        {
            var mib = new SortedList<Oid, SnmpValue>();
            void Set(string oid, SnmpValue v) => mib[Oid.Parse(oid)] = v;
            Set("1.3.6.1.2.1.1.1.0", SnmpValue.OctetString("LabSwitch OS 4.2.1"));
            Set("1.3.6.1.2.1.1.2.0", SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.99999.1.7")));
            Set("1.3.6.1.2.1.1.3.0", SnmpValue.Unsigned32(SnmpType.TimeTicks, 360000));
            Set("1.3.6.1.2.1.1.4.0", SnmpValue.OctetString("noc@tssr.lab"));
            Set("1.3.6.1.2.1.1.5.0", SnmpValue.OctetString("sw1"));
            Set("1.3.6.1.2.1.1.6.0", SnmpValue.OctetString("Baie 2 \"B\"\n\u00e9tage\u0001"));
            foreach (var (index, name, admin, oper, speed) in new[] { (1u, "ge-0/0/1", 1, 1, 1000u), (2u, "ge-0/0/2", 2, 2, 1000u) })
            {
                Set("1.3.6.1.2.1.2.2.1.1." + index, SnmpValue.Integer(index));
                Set("1.3.6.1.2.1.2.2.1.2." + index, SnmpValue.OctetString(name));
                Set("1.3.6.1.2.1.2.2.1.3." + index, SnmpValue.Integer(6));
                Set("1.3.6.1.2.1.2.2.1.4." + index, SnmpValue.Integer(1500));
                Set("1.3.6.1.2.1.2.2.1.6." + index, SnmpValue.OctetString(new byte[] { 0x02, 0, 0, 0, 0, (byte)index }));
                Set("1.3.6.1.2.1.2.2.1.7." + index, SnmpValue.Integer(admin));
                Set("1.3.6.1.2.1.2.2.1.8." + index, SnmpValue.Integer(oper));
                Set("1.3.6.1.2.1.31.1.1.1.1." + index, SnmpValue.OctetString(name));
                Set("1.3.6.1.2.1.31.1.1.1.6." + index, SnmpValue.Counter64(ulong.MaxValue - index));
                Set("1.3.6.1.2.1.31.1.1.1.15." + index, SnmpValue.Unsigned32(SnmpType.Gauge32, speed));
            }
            // ipAddressTable: 192.0.2.1 on ifIndex 1, unicast, preferred, prefix 24.
            const string row = "1.4.192.0.2.1";
            Set("1.3.6.1.2.1.4.34.1.3." + row, SnmpValue.Integer(1));
            Set("1.3.6.1.2.1.4.34.1.4." + row, SnmpValue.Integer(1));
            Set("1.3.6.1.2.1.4.34.1.5." + row, SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.2.1.4.32.1.5.1.1.4.192.0.2.0.24")));
            Set("1.3.6.1.2.1.4.34.1.7." + row, SnmpValue.Integer(1));
            Set("1.3.6.1.2.1.47.1.1.1.1.2.1", SnmpValue.OctetString("Chassis"));
            Set("1.3.6.1.2.1.47.1.1.1.1.5.1", SnmpValue.Integer(3));
            Set("1.3.6.1.2.1.47.1.1.1.1.7.1", SnmpValue.OctetString("chassis"));
            Set("1.3.6.1.2.1.47.1.1.1.1.9.1", SnmpValue.OctetString("fw 4.2.1"));
            Set("1.3.6.1.2.1.47.1.1.1.1.11.1", SnmpValue.OctetString("SN-0001"));
            Set("1.3.6.1.2.1.47.1.1.1.1.13.1", SnmpValue.OctetString("LS-48"));
            Set("1.0.8802.1.1.2.1.4.1.1.9.0.1.1", SnmpValue.OctetString("core1"));
            Set("1.0.8802.1.1.2.1.4.1.1.7.0.1.1", SnmpValue.OctetString("xe-1/0/0"));
            change?.Invoke(mib);
            return mib;
        }

        private static async Task<SnmpDeviceInventory> Collect(SortedList<Oid, SnmpValue> mib)
        {
            using var agent = new FakeAgent(r => FakeAgent.Serve(mib, r));
            var sink = new RecordingSink();
            var options = new SnmpInventoryOptions { Settings = new SnmpRequestSettings { Timeout = TimeSpan.FromSeconds(2), Retry = 1 } };
            await new SnmpInventoryEngine().RunAsync(options, new[] { "127.0.0.1:" + agent.Port }, sink, CancellationToken.None);
            Assert.Empty(sink.Errors);
            // Each fake agent has a port of its own: the inventories are of the same device.
            var d = sink.OutputsOf<SnmpDeviceInventory>().Single();
            d.ComputerName = "sw1";
            d.Port = 161;
            return d;
        }

        private static SnmpDeviceInventory Copy(SnmpDeviceInventory d)
            => DeviceInventoryJson.Deserialize(DeviceInventoryJson.Serialize(Array.Empty<ServerInventory>(), new[] { d }), "copy.json").Devices.Single();

        [Fact]
        public async Task A_device_inventory_round_trips_exactly_beside_the_servers()
        {
            var d = await Collect(Switch());
            Assert.Equal(2, d.Interfaces.Count);
            Assert.Equal("SN-0001", d.Entities.Single().SerialNumber);
            var json = DeviceInventoryJson.Serialize(Array.Empty<ServerInventory>(), new[] { d });
            var back = DeviceInventoryJson.Deserialize(json, "x.json");
            Assert.Empty(back.Servers);
            var b = back.Devices.Single();
            Assert.Equal(json, DeviceInventoryJson.Serialize(Array.Empty<ServerInventory>(), back.Devices));
            // A Counter64 near 2^64 comes back to the unit (a double would round it).
            Assert.Equal((decimal)(ulong.MaxValue - 1), b.Interfaces[0].InOctets);
            Assert.Equal(d.CollectedUtc, b.CollectedUtc);
            Assert.Equal(DateTimeKind.Utc, b.CollectedUtc.Kind);
            Assert.Equal(d.Location, b.Location);
            Assert.Equal(3600m, b.UptimeSec);
            Assert.Equal("192.0.2.1/24", b.Addresses.Single().ToString());
            Assert.Equal("core1", b.LldpNeighbours.Single().SystemName);
            Assert.Equal(d.InterfaceText, b.InterfaceText);
            // The server reader of the inventory area still reads the file (and ignores the devices).
            Assert.Empty(InventoryJson.Deserialize(json, "x.json"));
            Assert.Empty(DeviceDrift.Compare(new[] { d }, back.Devices, Noisy));
        }

        [Fact]
        public void A_file_without_devices_is_the_inventory_area_s_file_unchanged()
        {
            Assert.Equal(InventoryJson.Serialize(Array.Empty<ServerInventory>()), DeviceInventoryJson.Serialize(Array.Empty<ServerInventory>(), Array.Empty<SnmpDeviceInventory>()));
            var doc = DeviceInventoryJson.Deserialize(InventoryJson.Serialize(Array.Empty<ServerInventory>()), "servers.json");
            Assert.Empty(doc.Devices);
        }

        [Theory]
        [InlineData("\"devicesVersion\":2,\"devices\":[]")]
        [InlineData("\"devices\":[]")]
        [InlineData("\"devicesVersion\":1,\"devices\":{}")]
        [InlineData("\"devicesVersion\":1,\"devices\":[{\"Port\":\"x\"}]")]
        [InlineData("\"devicesVersion\":1,\"devices\":[{\"Port\":null}]")]
        [InlineData("\"devicesVersion\":1,\"devices\":[{\"UptimeSec\":\"many\"}]")]
        [InlineData("\"devicesVersion\":1,\"devices\":[{\"CollectedUtc\":\"yesterday\"}]")]
        [InlineData("\"devicesVersion\":1,\"devices\":[{\"Interfaces\":[{\"Index\":99999999999}]}]")]
        [InlineData("\"devicesVersion\":1,\"devices\":[{\"Interfaces\":[3]}]")]
        [InlineData("\"devicesVersion\":1,\"devices\":[[]]")]
        public void Bad_device_parts_are_clean_errors_naming_the_file(string devices)
        {
            var text = "{\"format\":\"Tssr.Tools.Inventory\",\"version\":1,\"inventories\":[]," + devices + "}";
            var e = Assert.Throws<TssrException>(() => DeviceInventoryJson.Deserialize(text, "bad.json"));
            Assert.Equal("InventoryFileInvalid", e.Error.ErrorId);
            Assert.Equal("bad.json", e.Error.Target);
            Assert.Contains("bad.json", e.Message);
        }

        [Fact]
        public async Task Identical_devices_have_no_drift_and_noise_stays_out_unless_asked()
        {
            var a = await Collect(Switch());
            var b = await Collect(Switch(m =>
            {
                m[Oid.Parse("1.3.6.1.2.1.1.3.0")] = SnmpValue.Unsigned32(SnmpType.TimeTicks, 360500);
                m[Oid.Parse("1.3.6.1.2.1.31.1.1.1.6.1")] = SnmpValue.Counter64(5);
            }));
            Assert.Empty(DeviceDrift.Compare(new[] { a }, new[] { b }, Quiet));
            var noise = DeviceDrift.Compare(new[] { a }, new[] { b }, Noisy);
            Assert.Contains(noise, c => c.Category == "InterfaceCounters" && c.Item == "ge-0/0/1" && c.Class == DriftClass.Noise);
            Assert.Contains(noise, c => c.Category == "DeviceUptime" && c.Class == DriftClass.Noise);
            Assert.All(noise, c => Assert.Equal(DriftSeverity.None, c.Severity));
        }

        [Fact]
        public async Task Another_box_answering_is_high_security_drift()
        {
            var a = await Collect(Switch());
            var b = await Collect(Switch(m =>
            {
                m[Oid.Parse("1.3.6.1.2.1.1.2.0")] = SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.99999.1.8"));
                m[Oid.Parse("1.3.6.1.2.1.47.1.1.1.1.11.1")] = SnmpValue.OctetString("SN-0002");
                m[Oid.Parse("1.3.6.1.2.1.47.1.1.1.1.9.1")] = SnmpValue.OctetString("fw 4.2.2");
                m[Oid.Parse("1.3.6.1.2.1.1.1.0")] = SnmpValue.OctetString("LabSwitch OS 4.2.2");
            }));
            var changes = DeviceDrift.Compare(new[] { a }, new[] { b }, Quiet);
            var oid = changes.Single(c => c.Category == "DeviceObjectId");
            Assert.Equal((DriftClass.Security, DriftSeverity.High), (oid.Class, oid.Severity));
            Assert.Equal("1.3.6.1.4.1.99999.1.7", oid.ReferenceValue);
            Assert.Equal("1.3.6.1.4.1.99999.1.8", oid.DifferenceValue);
            var serial = changes.Single(c => c.Category == "DeviceSerialNumber");
            Assert.Equal((DriftClass.Security, DriftSeverity.High, "SN-0001", "SN-0002"), (serial.Class, serial.Severity, serial.ReferenceValue, serial.DifferenceValue));
            Assert.Equal(2, changes.Count(c => c.Category == "DeviceFirmware" && c.Class == DriftClass.Security && c.Severity == DriftSeverity.Medium));
            Assert.Equal(DriftSeverity.High, changes[0].Severity);
            Assert.Equal(4, changes.Count);
        }

        [Fact]
        public async Task Interfaces_added_removed_and_changed_are_configuration_drift()
        {
            var a = await Collect(Switch());
            var b = await Collect(Switch(m =>
            {
                foreach (var k in m.Keys.Where(k => k.ToString().EndsWith(".2") && (k.ToString().StartsWith("1.3.6.1.2.1.2.2.1.") || k.ToString().StartsWith("1.3.6.1.2.1.31.1.1.1."))).ToList()) m.Remove(k);
                m[Oid.Parse("1.3.6.1.2.1.2.2.1.2.3")] = SnmpValue.OctetString("tun0");
                m[Oid.Parse("1.3.6.1.2.1.2.2.1.3.3")] = SnmpValue.Integer(131);
                m[Oid.Parse("1.3.6.1.2.1.2.2.1.7.3")] = SnmpValue.Integer(1);
                m[Oid.Parse("1.3.6.1.2.1.2.2.1.8.3")] = SnmpValue.Integer(1);
                m[Oid.Parse("1.3.6.1.2.1.31.1.1.1.15.1")] = SnmpValue.Unsigned32(SnmpType.Gauge32, 100);
                m[Oid.Parse("1.3.6.1.2.1.4.34.1.3.1.4.192.0.2.9")] = SnmpValue.Integer(3);
                m[Oid.Parse("1.3.6.1.2.1.4.34.1.7.1.4.192.0.2.9")] = SnmpValue.Integer(1);
            }));
            var changes = DeviceDrift.Compare(new[] { a }, new[] { b }, Quiet);
            var added = changes.Single(c => c.Category == "DeviceInterface" && c.Change == DriftChange.Added);
            Assert.Equal(("tun0", DriftSeverity.Medium), (added.Item, added.Severity));
            Assert.Contains(changes, c => c.Category == "DeviceInterface" && c.Change == DriftChange.Removed && c.Item == "ge-0/0/2");
            var speed = changes.Single(c => c.Category == "InterfaceSpeed");
            Assert.Equal(("ge-0/0/1", "1000", "100", DriftSeverity.Medium), (speed.Item, speed.ReferenceValue, speed.DifferenceValue, speed.Severity));
            Assert.Contains(changes, c => c.Category == "DeviceAddress" && c.Change == DriftChange.Added && c.Item == "tun0 192.0.2.9");
            Assert.All(changes, c => Assert.Equal(DriftClass.Configuration, c.Class));
        }

        [Fact]
        public async Task States_of_a_port_are_graded_and_a_port_opened_is_security()
        {
            var a = await Collect(Switch());
            var b = await Collect(Switch(m =>
            {
                m[Oid.Parse("1.3.6.1.2.1.2.2.1.7.2")] = SnmpValue.Integer(1);
                m[Oid.Parse("1.3.6.1.2.1.2.2.1.8.2")] = SnmpValue.Integer(1);
                m[Oid.Parse("1.3.6.1.2.1.2.2.1.8.1")] = SnmpValue.Integer(7);
            }));
            var changes = DeviceDrift.Compare(new[] { a }, new[] { b }, Quiet);
            var admin = changes.Single(c => c.Category == "InterfaceAdminStatus");
            Assert.Equal(("ge-0/0/2", "down", "up", DriftClass.Security, DriftSeverity.Medium), (admin.Item, admin.ReferenceValue, admin.DifferenceValue, admin.Class, admin.Severity));
            var lost = changes.Single(c => c.Category == "InterfaceOperStatus" && c.Item == "ge-0/0/1");
            Assert.Equal(("up", "lowerLayerDown", DriftSeverity.Medium), (lost.ReferenceValue, lost.DifferenceValue, lost.Severity));
            Assert.Equal(DriftSeverity.Low, changes.Single(c => c.Category == "InterfaceOperStatus" && c.Item == "ge-0/0/2").Severity);
        }

        [Fact]
        public async Task A_restart_is_told_from_the_uptime_counter_and_its_wrap()
        {
            var a = await Collect(Switch());
            var restarted = Copy(a);
            restarted.CollectedUtc = a.CollectedUtc.AddHours(2);
            restarted.UptimeSec = 60;
            var r = DeviceDrift.Compare(new[] { a }, new[] { restarted }, Quiet).Single();
            Assert.Equal(("DeviceRestart", DriftClass.Configuration), (r.Category, r.Class));
            var wrapped = Copy(a);
            wrapped.UptimeSec = 3600m + 10m;
            wrapped.CollectedUtc = a.CollectedUtc.AddSeconds(4294967296.0 / 100 + 10);
            Assert.Empty(DeviceDrift.Compare(new[] { a }, new[] { wrapped }, Quiet));
            var later = Copy(a);
            later.CollectedUtc = a.CollectedUtc.AddHours(1);
            later.UptimeSec = a.UptimeSec + 3600m;
            Assert.Empty(DeviceDrift.Compare(new[] { a }, new[] { later }, Quiet));
        }

        [Fact]
        public async Task A_MIB_that_failed_half_way_is_not_compared_row_by_row()
        {
            var a = await Collect(Switch());
            var b = Copy(a);
            b.Interfaces = ValueList<SnmpInterface>.Empty;
            b.Addresses = ValueList<SnmpIpAddress>.Empty;
            b.IncompleteMibs = new ValueList<string>(new[] { "IF-MIB" });
            b.Status = "Partial";
            var changes = DeviceDrift.Compare(new[] { a }, new[] { b }, Quiet);
            var mib = Assert.Single(changes);
            Assert.Equal(("DeviceMib", "IF-MIB", "complete", "incomplete"), (mib.Category, mib.Item, mib.ReferenceValue, mib.DifferenceValue));
            var absent = Copy(a);
            absent.Entities = ValueList<SnmpEntity>.Empty;
            absent.AbsentMibs = new ValueList<string>(absent.AbsentMibs.Concat(new[] { "ENTITY-MIB" }));
            var gone = DeviceDrift.Compare(new[] { a }, new[] { absent }, Quiet).Single();
            Assert.Equal(("DeviceMib", DriftChange.Removed, "ENTITY-MIB"), (gone.Category, gone.Change, gone.Item));
        }

        [Fact]
        public async Task Devices_added_and_removed_and_merged_with_server_changes_by_severity()
        {
            var a = await Collect(Switch());
            var other = Copy(a);
            other.ComputerName = "sw2";
            var changes = DeviceDrift.Compare(new[] { a }, new[] { other }, Quiet);
            Assert.Equal(2, changes.Count);
            Assert.Contains(changes, c => c.Category == "Device" && c.Change == DriftChange.Added && c.ComputerName == "sw2" && c.DifferenceValue == "sw1 1.3.6.1.4.1.99999.1.7");
            Assert.Contains(changes, c => c.Category == "Device" && c.Change == DriftChange.Removed && c.ComputerName == "sw1");
            var swapped = Copy(a);
            swapped.ObjectId = "1.3.6.1.4.1.8072.3.2.10";
            var merged = DeviceDrift.Merge(changes, DeviceDrift.Compare(new[] { a }, new[] { swapped }, Quiet));
            Assert.Equal("DeviceObjectId", merged[0].Category);
        }
    }
}
