using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Snmp
{
    public sealed class SnmpInventoryOptions : SnmpQueryOptions
    {
    }

    /// <summary>One interface from IF-MIB (ifTable joined with ifXTable on ifIndex).</summary>
    public sealed class SnmpInterface
    {
        public int Index { get; internal set; }
        /// <summary>ifName (ifXTable), or ifDescr when the agent has no ifXTable.</summary>
        public string Name { get; internal set; } = string.Empty;
        public string Description { get; internal set; } = string.Empty;
        public string Alias { get; internal set; } = string.Empty;
        /// <summary>IANAifType number (6 ethernetCsmacd, 24 softwareLoopback…).</summary>
        public int? IfType { get; internal set; }
        public string TypeName { get; internal set; } = string.Empty;
        public int? Mtu { get; internal set; }
        /// <summary>ifHighSpeed when present, else ifSpeed / 1,000,000.</summary>
        public decimal? SpeedMbps { get; internal set; }
        public string AdminStatus { get; internal set; } = string.Empty;
        public string OperStatus { get; internal set; } = string.Empty;
        public string MacAddress { get; internal set; } = string.Empty;
        /// <summary>ifHCInOctets (64-bit) when present, else ifInOctets.</summary>
        public decimal? InOctets { get; internal set; }
        public decimal? OutOctets { get; internal set; }
        public decimal? InErrors { get; internal set; }
        public decimal? OutErrors { get; internal set; }
        public decimal? InDiscards { get; internal set; }
        public decimal? OutDiscards { get; internal set; }
        /// <summary>sysUpTime (hundredths of a second) at the last change of the interface's state.</summary>
        public decimal? LastChangeTicks { get; internal set; }

        public override string ToString() => Name + " (" + OperStatus + ")";
    }

    /// <summary>One address from IP-MIB (ipAddressTable, or ipAddrTable for IPv4 on older agents).</summary>
    public sealed class SnmpIpAddress
    {
        public string IPAddress { get; internal set; } = string.Empty;
        public int? PrefixLength { get; internal set; }
        public int InterfaceIndex { get; internal set; }
        public string Family { get; internal set; } = string.Empty;

        public override string ToString() => PrefixLength.HasValue ? IPAddress + "/" + PrefixLength.Value.ToString(CultureInfo.InvariantCulture) : IPAddress;
    }

    /// <summary>One row of hrStorageTable.</summary>
    public sealed class SnmpStorage
    {
        public int Index { get; internal set; }
        public string Description { get; internal set; } = string.Empty;
        /// <summary>Ram, VirtualMemory, FixedDisk, RemovableDisk, NetworkDisk… (hrStorageTypes), or the OID.</summary>
        public string StorageType { get; internal set; } = string.Empty;
        public decimal? SizeBytes { get; internal set; }
        public decimal? UsedBytes { get; internal set; }

        public override string ToString() => Description;
    }

    /// <summary>One processor of hrProcessorTable with its hrDeviceDescr.</summary>
    public sealed class SnmpProcessor
    {
        public int Index { get; internal set; }
        public string Description { get; internal set; } = string.Empty;
        /// <summary>Average load over the last minute, in percent.</summary>
        public int? LoadPercent { get; internal set; }

        public override string ToString() => Description;
    }

    /// <summary>One component of ENTITY-MIB's entPhysicalTable.</summary>
    public sealed class SnmpEntity
    {
        public int Index { get; internal set; }
        public string Class { get; internal set; } = string.Empty;
        public string Name { get; internal set; } = string.Empty;
        public string Description { get; internal set; } = string.Empty;
        public string Model { get; internal set; } = string.Empty;
        public string SerialNumber { get; internal set; } = string.Empty;
        public string Manufacturer { get; internal set; } = string.Empty;
        public string HardwareRevision { get; internal set; } = string.Empty;
        public string FirmwareRevision { get; internal set; } = string.Empty;
        public string SoftwareRevision { get; internal set; } = string.Empty;

        public override string ToString() => string.IsNullOrEmpty(Model) ? Name : Name + " " + Model;
    }

    /// <summary>One LLDP neighbour (LLDP-MIB lldpRemTable).</summary>
    public sealed class SnmpLldpNeighbour
    {
        public int LocalPort { get; internal set; }
        public string ChassisId { get; internal set; } = string.Empty;
        public string PortId { get; internal set; } = string.Empty;
        public string PortDescription { get; internal set; } = string.Empty;
        public string SystemName { get; internal set; } = string.Empty;

        public override string ToString() => SystemName + " " + PortId;
    }

    /// <summary>What Get-TssrNetworkDeviceInventory returns per agent.</summary>
    public sealed class SnmpDeviceInventory
    {
        public string ComputerName { get; internal set; } = string.Empty;
        public string IPAddress { get; internal set; } = string.Empty;
        public int Port { get; internal set; }
        public string Version { get; internal set; } = string.Empty;
        /// <summary>Complete, or Partial when a table failed half-way (its error was written).</summary>
        public string Status { get; internal set; } = "Complete";
        public DateTime CollectedUtc { get; internal set; }
        public string SystemName { get; internal set; } = string.Empty;
        public string Description { get; internal set; } = string.Empty;
        public string ObjectId { get; internal set; } = string.Empty;
        /// <summary>sysUpTime in seconds (the agent's, not always the device's).</summary>
        public decimal? UptimeSec { get; internal set; }
        public string Contact { get; internal set; } = string.Empty;
        public string Location { get; internal set; } = string.Empty;
        public ValueList<SnmpInterface> Interfaces { get; internal set; } = ValueList<SnmpInterface>.Empty;
        public ValueList<SnmpIpAddress> Addresses { get; internal set; } = ValueList<SnmpIpAddress>.Empty;
        public ValueList<SnmpStorage> Storage { get; internal set; } = ValueList<SnmpStorage>.Empty;
        public ValueList<SnmpProcessor> Processors { get; internal set; } = ValueList<SnmpProcessor>.Empty;
        public ValueList<SnmpEntity> Entities { get; internal set; } = ValueList<SnmpEntity>.Empty;
        public ValueList<SnmpLldpNeighbour> LldpNeighbours { get; internal set; } = ValueList<SnmpLldpNeighbour>.Empty;
        /// <summary>The MIBs the agent did not have (no rows): reported, not an error.</summary>
        public ValueList<string> AbsentMibs { get; internal set; } = ValueList<string>.Empty;
        /// <summary>The MIBs whose walk failed half-way (their error was written): Compare-TssrInventory does not compare them.</summary>
        public ValueList<string> IncompleteMibs { get; internal set; } = ValueList<string>.Empty;
        public string InterfaceText => string.Join(", ", Interfaces.Select(i => i.Name));
        public string AddressText => Addresses.ToString();
        public string AbsentMibText => AbsentMibs.ToString();
        public string IncompleteMibText => IncompleteMibs.ToString();

        public override string ToString() => ComputerName + " " + SystemName + " (" + Interfaces.Count.ToString(CultureInfo.InvariantCulture) + " interfaces)";
    }

    /// <summary>
    /// Get-TssrNetworkDeviceInventory: the system group, IF-MIB, IP-MIB, HOST-RESOURCES-MIB, and
    /// ENTITY-MIB and LLDP-MIB where the agent has them, walked per agent and turned into named,
    /// typed objects. A table with no rows is an absent MIB; a table that fails half-way makes the
    /// inventory Partial and writes its error.
    /// </summary>
    public sealed class SnmpInventoryEngine : IEngine<SnmpInventoryOptions, string>
    {
        private static readonly Oid System = Oid.Parse("1.3.6.1.2.1.1");
        private static readonly Oid IfTable = Oid.Parse("1.3.6.1.2.1.2.2.1");
        private static readonly Oid IfXTable = Oid.Parse("1.3.6.1.2.1.31.1.1.1");
        private static readonly Oid IpAddressTable = Oid.Parse("1.3.6.1.2.1.4.34.1");
        private static readonly Oid IpAddrTable = Oid.Parse("1.3.6.1.2.1.4.20.1");
        private static readonly Oid HrStorage = Oid.Parse("1.3.6.1.2.1.25.2.3.1");
        private static readonly Oid HrDevice = Oid.Parse("1.3.6.1.2.1.25.3.2.1");
        private static readonly Oid HrProcessor = Oid.Parse("1.3.6.1.2.1.25.3.3.1");
        private static readonly Oid EntPhysical = Oid.Parse("1.3.6.1.2.1.47.1.1.1.1");
        private static readonly Oid LldpRem = Oid.Parse("1.0.8802.1.1.2.1.4.1.1");

        private static readonly string[] StorageTypes = { "", "Other", "Ram", "VirtualMemory", "FixedDisk", "RemovableDisk", "FloppyDisk", "CompactDisc", "RamDisk", "FlashMemory", "NetworkDisk" };
        private static readonly string[] AdminStates = { "", "up", "down", "testing" };
        private static readonly string[] OperStates = { "", "up", "down", "testing", "unknown", "dormant", "notPresent", "lowerLayerDown" };
        private static readonly string[] EntityClasses = { "", "other", "unknown", "chassis", "backplane", "container", "powerSupply", "fan", "sensor", "module", "port", "stack", "cpu", "energyObject", "battery", "storageDrive" };
        private static readonly Dictionary<int, string> IfTypes = new Dictionary<int, string>
        {
            [1] = "other", [6] = "ethernetCsmacd", [23] = "ppp", [24] = "softwareLoopback", [53] = "propVirtual", [71] = "ieee80211",
            [131] = "tunnel", [135] = "l2vlan", [136] = "l3ipvlan", [161] = "ieee8023adLag", [209] = "bridge", [244] = "wwanPP2",
        };

        public Task RunAsync(SnmpInventoryOptions options, IEnumerable<string> inputs, IEngineSink sink, CancellationToken cancellationToken)
            => SnmpAgents.RunAsync(options, inputs, sink, cancellationToken, async session =>
            {
                var inventory = new SnmpDeviceInventory
                {
                    ComputerName = session.Target,
                    IPAddress = session.Endpoint.Address.ToString(),
                    Port = session.Endpoint.Port,
                    Version = session.Credential.VersionText,
                    CollectedUtc = DateTime.UtcNow,
                };
                var system = await session.GetAsync(new[] { 1u, 2u, 3u, 4u, 5u, 6u }.Select(i => System.Append(i, 0)).ToList(), cancellationToken).ConfigureAwait(false);
                inventory.Description = Text(system[0].Value);
                inventory.ObjectId = system[1].Value.Type == SnmpType.ObjectIdentifier ? system[1].Value.ToText() : string.Empty;
                inventory.UptimeSec = system[2].Value.Type == SnmpType.TimeTicks ? (decimal)system[2].Value.Number / 100m : (decimal?)null;
                inventory.Contact = Text(system[3].Value);
                inventory.SystemName = Text(system[4].Value);
                inventory.Location = Text(system[5].Value);
                var absent = new List<string>();
                var incomplete = new List<string>();

                // mib: the MIB the table belongs to; reportAbsent: whether no rows means the MIB is absent.
                async Task<Dictionary<Oid, SnmpValue>> Table(Oid root, string mib, bool reportAbsent = true)
                {
                    var rows = new Dictionary<Oid, SnmpValue>();
                    try
                    {
                        await session.WalkAsync(root, false, vb => rows[vb.Oid] = vb.Value, cancellationToken).ConfigureAwait(false);
                    }
                    catch (SnmpFailure f)
                    {
                        if (!incomplete.Contains(mib)) incomplete.Add(mib);
                        sink.Error(f.Error);
                    }
                    if (rows.Count == 0 && reportAbsent && !absent.Contains(mib)) absent.Add(mib);
                    return rows;
                }

                var ifTable = await Table(IfTable, "IF-MIB").ConfigureAwait(false);
                var ifXTable = await Table(IfXTable, "IF-MIB", false).ConfigureAwait(false);
                inventory.Interfaces = new ValueList<SnmpInterface>(Interfaces(ifTable, ifXTable));
                var addresses = await Table(IpAddressTable, "IP-MIB", false).ConfigureAwait(false);
                var list = Addresses(addresses);
                if (list.Count == 0) list = OldAddresses(await Table(IpAddrTable, "IP-MIB").ConfigureAwait(false));
                inventory.Addresses = new ValueList<SnmpIpAddress>(list);
                var storage = await Table(HrStorage, "HOST-RESOURCES-MIB").ConfigureAwait(false);
                inventory.Storage = new ValueList<SnmpStorage>(Storage(storage));
                var processors = await Table(HrProcessor, "HOST-RESOURCES-MIB", storage.Count == 0).ConfigureAwait(false);
                var devices = processors.Count == 0 ? new Dictionary<Oid, SnmpValue>() : await Table(HrDevice.Append(3), "HOST-RESOURCES-MIB", false).ConfigureAwait(false);
                inventory.Processors = new ValueList<SnmpProcessor>(Processors(processors, devices));
                inventory.Entities = new ValueList<SnmpEntity>(Entities(await Table(EntPhysical, "ENTITY-MIB").ConfigureAwait(false)));
                inventory.LldpNeighbours = new ValueList<SnmpLldpNeighbour>(Neighbours(await Table(LldpRem, "LLDP-MIB").ConfigureAwait(false)));
                inventory.AbsentMibs = new ValueList<string>(absent.Where(m => !incomplete.Contains(m)));
                inventory.IncompleteMibs = new ValueList<string>(incomplete);
                inventory.Status = incomplete.Count > 0 ? "Partial" : "Complete";
                sink.Output(inventory);
            });

        private static string Text(SnmpValue v) => v.Type == SnmpType.OctetString ? v.ToText() : string.Empty;

        private static decimal? Number(SnmpValue? v) => v != null && (v.Type == SnmpType.Integer || v.Type == SnmpType.Counter32 || v.Type == SnmpType.Gauge32 || v.Type == SnmpType.TimeTicks || v.Type == SnmpType.Counter64) ? (decimal)v.Number : (decimal?)null;

        /// <summary>Rows of a table: index (the sub-identifiers after column) → column number → value.</summary>
        private static SortedDictionary<string, Dictionary<uint, SnmpValue>> Rows(Dictionary<Oid, SnmpValue> cells, Oid entry, out Dictionary<string, uint[]> indexes)
        {
            var rows = new SortedDictionary<string, Dictionary<uint, SnmpValue>>(StringComparer.Ordinal);
            indexes = new Dictionary<string, uint[]>();
            foreach (var cell in cells.OrderBy(c => c.Key))
            {
                if (cell.Key.Depth <= entry.Depth + 1 || !cell.Key.StartsWith(entry)) continue;
                var column = cell.Key[entry.Depth];
                var index = cell.Key.Parts.Skip(entry.Depth + 1).ToArray();
                var key = string.Join(".", index.Select(i => i.ToString("D10", CultureInfo.InvariantCulture)));
                if (!rows.TryGetValue(key, out var row)) rows[key] = row = new Dictionary<uint, SnmpValue>();
                row[column] = cell.Value;
                indexes[key] = index;
            }
            return rows;
        }

        private static SnmpValue? Cell(Dictionary<uint, SnmpValue>? row, uint column) => row != null && row.TryGetValue(column, out var v) && !v.IsException ? v : null;

        private static string CellText(Dictionary<uint, SnmpValue>? row, uint column) => Cell(row, column) is SnmpValue v ? Text(v) : string.Empty;

        private static string Named(string[] names, decimal? value) => value.HasValue && value.Value >= 0 && value.Value < names.Length ? names[(int)value.Value] : value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

        private static List<SnmpInterface> Interfaces(Dictionary<Oid, SnmpValue> ifTable, Dictionary<Oid, SnmpValue> ifXTable)
        {
            var rows = Rows(ifTable, IfTable, out var indexes);
            var xrows = Rows(ifXTable, IfXTable, out _);
            var result = new List<SnmpInterface>();
            foreach (var entry in rows)
            {
                if (indexes[entry.Key].Length != 1) continue;
                var row = entry.Value;
                xrows.TryGetValue(entry.Key, out var x);
                var type = Number(Cell(row, 3));
                var highSpeed = Number(Cell(x, 15));
                var speed = Number(Cell(row, 5));
                var mac = Cell(row, 6);
                var i = new SnmpInterface
                {
                    Index = (int)indexes[entry.Key][0],
                    Description = CellText(row, 2),
                    Name = x != null && CellText(x, 1).Length > 0 ? CellText(x, 1) : CellText(row, 2),
                    Alias = CellText(x, 18),
                    IfType = type.HasValue ? (int)type.Value : (int?)null,
                    TypeName = type.HasValue && IfTypes.TryGetValue((int)type.Value, out var tn) ? tn : type?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                    Mtu = Number(Cell(row, 4)) is decimal mtu ? (int)mtu : (int?)null,
                    SpeedMbps = highSpeed ?? (speed.HasValue ? speed.Value / 1000000m : (decimal?)null),
                    AdminStatus = Named(AdminStates, Number(Cell(row, 7))),
                    OperStatus = Named(OperStates, Number(Cell(row, 8))),
                    MacAddress = mac != null && mac.Type == SnmpType.OctetString ? SnmpValue.ToHex(mac.Bytes, ':').ToLowerInvariant() : string.Empty,
                    LastChangeTicks = Number(Cell(row, 9)),
                    InOctets = Number(Cell(x, 6)) ?? Number(Cell(row, 10)),
                    OutOctets = Number(Cell(x, 10)) ?? Number(Cell(row, 16)),
                    InDiscards = Number(Cell(row, 13)),
                    InErrors = Number(Cell(row, 14)),
                    OutDiscards = Number(Cell(row, 19)),
                    OutErrors = Number(Cell(row, 20)),
                };
                result.Add(i);
            }
            return result;
        }

        private static List<SnmpIpAddress> Addresses(Dictionary<Oid, SnmpValue> cells)
        {
            var rows = Rows(cells, IpAddressTable, out var indexes);
            var result = new List<SnmpIpAddress>();
            foreach (var entry in rows)
            {
                var index = indexes[entry.Key];
                // ipAddressAddrType (1 ipv4, 2 ipv6), then the InetAddress as a length-prefixed octet string.
                if (index.Length < 2 || (index[0] != 1 && index[0] != 2) || index[1] != index.Length - 2) continue;
                var bytes = index.Skip(2).Select(b => b > 255 ? (byte)0 : (byte)b).ToArray();
                if ((index[0] == 1 && bytes.Length != 4) || (index[0] == 2 && bytes.Length != 16)) continue;
                var kind = Number(Cell(entry.Value, 4));
                if (kind.HasValue && kind.Value != 1) continue; // unicast(1) only: not anycast(2) or broadcast(3)
                var status = Number(Cell(entry.Value, 7));
                if (status.HasValue && status.Value != 1) continue; // preferred(1) only: not deprecated/tentative/invalid
                var prefix = Cell(entry.Value, 5);
                int? length = prefix != null && prefix.Type == SnmpType.ObjectIdentifier && prefix.ObjectId!.Depth > 0 ? (int)prefix.ObjectId[prefix.ObjectId.Depth - 1] : (int?)null;
                result.Add(new SnmpIpAddress
                {
                    IPAddress = new System.Net.IPAddress(bytes).ToString(),
                    Family = index[0] == 1 ? "IPv4" : "IPv6",
                    InterfaceIndex = Number(Cell(entry.Value, 3)) is decimal ifi ? (int)ifi : 0,
                    PrefixLength = length == 0 && prefix!.ObjectId!.Depth <= 2 ? null : length,
                });
            }
            return result;
        }

        private static List<SnmpIpAddress> OldAddresses(Dictionary<Oid, SnmpValue> cells)
        {
            var rows = Rows(cells, IpAddrTable, out _);
            var result = new List<SnmpIpAddress>();
            foreach (var row in rows.Values)
            {
                if (!(Cell(row, 1) is SnmpValue address) || address.Type != SnmpType.IpAddress) continue;
                int? length = null;
                if (Cell(row, 3) is SnmpValue mask && mask.Type == SnmpType.IpAddress)
                    length = mask.Bytes.Sum(b => Convert.ToString(b, 2).Count(c => c == '1'));
                result.Add(new SnmpIpAddress { IPAddress = address.ToText(), Family = "IPv4", PrefixLength = length, InterfaceIndex = Number(Cell(row, 2)) is decimal i ? (int)i : 0 });
            }
            return result;
        }

        private static readonly Oid StorageTypeRoot = Oid.Parse("1.3.6.1.2.1.25.2.1");

        private static List<SnmpStorage> Storage(Dictionary<Oid, SnmpValue> cells)
        {
            var rows = Rows(cells, HrStorage, out var indexes);
            var result = new List<SnmpStorage>();
            foreach (var entry in rows)
            {
                var row = entry.Value;
                var units = Number(Cell(row, 4));
                var type = Cell(row, 2);
                var typeName = type != null && type.Type == SnmpType.ObjectIdentifier
                    ? (type.ObjectId!.Depth == StorageTypeRoot.Depth + 1 && type.ObjectId.StartsWith(StorageTypeRoot) && type.ObjectId[StorageTypeRoot.Depth] < StorageTypes.Length ? StorageTypes[type.ObjectId[StorageTypeRoot.Depth]] : type.ToText())
                    : string.Empty;
                result.Add(new SnmpStorage
                {
                    Index = (int)indexes[entry.Key][0],
                    Description = CellText(row, 3),
                    StorageType = typeName,
                    SizeBytes = units.HasValue && Number(Cell(row, 5)) is decimal size ? size * units.Value : (decimal?)null,
                    UsedBytes = units.HasValue && Number(Cell(row, 6)) is decimal used ? used * units.Value : (decimal?)null,
                });
            }
            return result;
        }

        private static List<SnmpProcessor> Processors(Dictionary<Oid, SnmpValue> cells, Dictionary<Oid, SnmpValue> descriptions)
        {
            var rows = Rows(cells, HrProcessor, out var indexes);
            var result = new List<SnmpProcessor>();
            foreach (var entry in rows)
            {
                var index = indexes[entry.Key][0];
                descriptions.TryGetValue(HrDevice.Append(3, index), out var description);
                result.Add(new SnmpProcessor
                {
                    Index = (int)index,
                    Description = description != null ? Text(description) : string.Empty,
                    LoadPercent = Number(Cell(entry.Value, 2)) is decimal load ? (int)load : (int?)null,
                });
            }
            return result;
        }

        private static List<SnmpEntity> Entities(Dictionary<Oid, SnmpValue> cells)
        {
            var rows = Rows(cells, EntPhysical, out var indexes);
            return rows.Select(entry => new SnmpEntity
            {
                Index = (int)indexes[entry.Key][0],
                Description = CellText(entry.Value, 2),
                Class = Named(EntityClasses, Number(Cell(entry.Value, 5))),
                Name = CellText(entry.Value, 7),
                HardwareRevision = CellText(entry.Value, 8),
                FirmwareRevision = CellText(entry.Value, 9),
                SoftwareRevision = CellText(entry.Value, 10),
                SerialNumber = CellText(entry.Value, 11),
                Manufacturer = CellText(entry.Value, 12),
                Model = CellText(entry.Value, 13),
            }).ToList();
        }

        private static List<SnmpLldpNeighbour> Neighbours(Dictionary<Oid, SnmpValue> cells)
        {
            var rows = Rows(cells, LldpRem, out var indexes);
            return rows.Where(e => indexes[e.Key].Length >= 3).Select(entry => new SnmpLldpNeighbour
            {
                LocalPort = (int)indexes[entry.Key][1],
                ChassisId = Cell(entry.Value, 5) is SnmpValue c ? c.ToText() : string.Empty,
                PortId = Cell(entry.Value, 7) is SnmpValue p ? p.ToText() : string.Empty,
                PortDescription = CellText(entry.Value, 8),
                SystemName = CellText(entry.Value, 9),
            }).ToList();
        }
    }
}
