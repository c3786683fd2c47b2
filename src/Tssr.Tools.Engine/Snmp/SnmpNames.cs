using System;
using System.Collections.Generic;
using System.Linq;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>
    /// The names of the MIB objects the module uses (SNMPv2-MIB system group, IF-MIB, IP-MIB,
    /// HOST-RESOURCES-MIB, ENTITY-MIB, LLDP-MIB, SNMP-FRAMEWORK-MIB). No MIB files are read: a name
    /// outside this table must be given as a numeric OID.
    /// </summary>
    public static class SnmpNames
    {
        private static readonly (string Name, string Oid)[] Table =
        {
            ("internet", "1.3.6.1"),
            ("mib-2", "1.3.6.1.2.1"),
            ("enterprises", "1.3.6.1.4.1"),
            ("system", "1.3.6.1.2.1.1"),
            ("sysDescr", "1.3.6.1.2.1.1.1"),
            ("sysObjectID", "1.3.6.1.2.1.1.2"),
            ("sysUpTime", "1.3.6.1.2.1.1.3"),
            ("sysContact", "1.3.6.1.2.1.1.4"),
            ("sysName", "1.3.6.1.2.1.1.5"),
            ("sysLocation", "1.3.6.1.2.1.1.6"),
            ("sysServices", "1.3.6.1.2.1.1.7"),
            ("sysORLastChange", "1.3.6.1.2.1.1.8"),
            ("sysORTable", "1.3.6.1.2.1.1.9"),
            ("interfaces", "1.3.6.1.2.1.2"),
            ("ifNumber", "1.3.6.1.2.1.2.1"),
            ("ifTable", "1.3.6.1.2.1.2.2"),
            ("ifEntry", "1.3.6.1.2.1.2.2.1"),
            ("ifIndex", "1.3.6.1.2.1.2.2.1.1"),
            ("ifDescr", "1.3.6.1.2.1.2.2.1.2"),
            ("ifType", "1.3.6.1.2.1.2.2.1.3"),
            ("ifMtu", "1.3.6.1.2.1.2.2.1.4"),
            ("ifSpeed", "1.3.6.1.2.1.2.2.1.5"),
            ("ifPhysAddress", "1.3.6.1.2.1.2.2.1.6"),
            ("ifAdminStatus", "1.3.6.1.2.1.2.2.1.7"),
            ("ifOperStatus", "1.3.6.1.2.1.2.2.1.8"),
            ("ifLastChange", "1.3.6.1.2.1.2.2.1.9"),
            ("ifInOctets", "1.3.6.1.2.1.2.2.1.10"),
            ("ifInUcastPkts", "1.3.6.1.2.1.2.2.1.11"),
            ("ifInDiscards", "1.3.6.1.2.1.2.2.1.13"),
            ("ifInErrors", "1.3.6.1.2.1.2.2.1.14"),
            ("ifInUnknownProtos", "1.3.6.1.2.1.2.2.1.15"),
            ("ifOutOctets", "1.3.6.1.2.1.2.2.1.16"),
            ("ifOutUcastPkts", "1.3.6.1.2.1.2.2.1.17"),
            ("ifOutDiscards", "1.3.6.1.2.1.2.2.1.19"),
            ("ifOutErrors", "1.3.6.1.2.1.2.2.1.20"),
            ("ip", "1.3.6.1.2.1.4"),
            ("ipForwarding", "1.3.6.1.2.1.4.1"),
            ("ipAddrTable", "1.3.6.1.2.1.4.20"),
            ("ipAdEntAddr", "1.3.6.1.2.1.4.20.1.1"),
            ("ipAdEntIfIndex", "1.3.6.1.2.1.4.20.1.2"),
            ("ipAdEntNetMask", "1.3.6.1.2.1.4.20.1.3"),
            ("ipAddressTable", "1.3.6.1.2.1.4.34"),
            ("ipAddressIfIndex", "1.3.6.1.2.1.4.34.1.3"),
            ("ipAddressType", "1.3.6.1.2.1.4.34.1.4"),
            ("ipAddressPrefix", "1.3.6.1.2.1.4.34.1.5"),
            ("ipAddressOrigin", "1.3.6.1.2.1.4.34.1.6"),
            ("ipAddressStatus", "1.3.6.1.2.1.4.34.1.7"),
            ("snmp", "1.3.6.1.2.1.11"),
            ("ifXTable", "1.3.6.1.2.1.31.1.1"),
            ("ifName", "1.3.6.1.2.1.31.1.1.1.1"),
            ("ifInMulticastPkts", "1.3.6.1.2.1.31.1.1.1.2"),
            ("ifInBroadcastPkts", "1.3.6.1.2.1.31.1.1.1.3"),
            ("ifOutMulticastPkts", "1.3.6.1.2.1.31.1.1.1.4"),
            ("ifOutBroadcastPkts", "1.3.6.1.2.1.31.1.1.1.5"),
            ("ifHCInOctets", "1.3.6.1.2.1.31.1.1.1.6"),
            ("ifHCInUcastPkts", "1.3.6.1.2.1.31.1.1.1.7"),
            ("ifHCInMulticastPkts", "1.3.6.1.2.1.31.1.1.1.8"),
            ("ifHCInBroadcastPkts", "1.3.6.1.2.1.31.1.1.1.9"),
            ("ifHCOutOctets", "1.3.6.1.2.1.31.1.1.1.10"),
            ("ifHCOutUcastPkts", "1.3.6.1.2.1.31.1.1.1.11"),
            ("ifHCOutMulticastPkts", "1.3.6.1.2.1.31.1.1.1.12"),
            ("ifHCOutBroadcastPkts", "1.3.6.1.2.1.31.1.1.1.13"),
            ("ifLinkUpDownTrapEnable", "1.3.6.1.2.1.31.1.1.1.14"),
            ("ifHighSpeed", "1.3.6.1.2.1.31.1.1.1.15"),
            ("ifPromiscuousMode", "1.3.6.1.2.1.31.1.1.1.16"),
            ("ifConnectorPresent", "1.3.6.1.2.1.31.1.1.1.17"),
            ("ifAlias", "1.3.6.1.2.1.31.1.1.1.18"),
            ("ifCounterDiscontinuityTime", "1.3.6.1.2.1.31.1.1.1.19"),
            ("host", "1.3.6.1.2.1.25"),
            ("hrSystemUptime", "1.3.6.1.2.1.25.1.1"),
            ("hrMemorySize", "1.3.6.1.2.1.25.2.2"),
            ("hrStorageTable", "1.3.6.1.2.1.25.2.3"),
            ("hrStorageIndex", "1.3.6.1.2.1.25.2.3.1.1"),
            ("hrStorageType", "1.3.6.1.2.1.25.2.3.1.2"),
            ("hrStorageDescr", "1.3.6.1.2.1.25.2.3.1.3"),
            ("hrStorageAllocationUnits", "1.3.6.1.2.1.25.2.3.1.4"),
            ("hrStorageSize", "1.3.6.1.2.1.25.2.3.1.5"),
            ("hrStorageUsed", "1.3.6.1.2.1.25.2.3.1.6"),
            ("hrDeviceTable", "1.3.6.1.2.1.25.3.2"),
            ("hrDeviceDescr", "1.3.6.1.2.1.25.3.2.1.3"),
            ("hrProcessorTable", "1.3.6.1.2.1.25.3.3"),
            ("hrProcessorFrwID", "1.3.6.1.2.1.25.3.3.1.1"),
            ("hrProcessorLoad", "1.3.6.1.2.1.25.3.3.1.2"),
            ("entityMIB", "1.3.6.1.2.1.47"),
            ("entPhysicalTable", "1.3.6.1.2.1.47.1.1.1"),
            ("entPhysicalDescr", "1.3.6.1.2.1.47.1.1.1.1.2"),
            ("entPhysicalClass", "1.3.6.1.2.1.47.1.1.1.1.5"),
            ("entPhysicalName", "1.3.6.1.2.1.47.1.1.1.1.7"),
            ("entPhysicalHardwareRev", "1.3.6.1.2.1.47.1.1.1.1.8"),
            ("entPhysicalFirmwareRev", "1.3.6.1.2.1.47.1.1.1.1.9"),
            ("entPhysicalSoftwareRev", "1.3.6.1.2.1.47.1.1.1.1.10"),
            ("entPhysicalSerialNum", "1.3.6.1.2.1.47.1.1.1.1.11"),
            ("entPhysicalMfgName", "1.3.6.1.2.1.47.1.1.1.1.12"),
            ("entPhysicalModelName", "1.3.6.1.2.1.47.1.1.1.1.13"),
            ("lldpRemTable", "1.0.8802.1.1.2.1.4.1"),
            ("lldpRemChassisId", "1.0.8802.1.1.2.1.4.1.1.5"),
            ("lldpRemPortId", "1.0.8802.1.1.2.1.4.1.1.7"),
            ("lldpRemPortDesc", "1.0.8802.1.1.2.1.4.1.1.8"),
            ("lldpRemSysName", "1.0.8802.1.1.2.1.4.1.1.9"),
            ("snmpEngineID", "1.3.6.1.6.3.10.2.1.1"),
            ("snmpEngineBoots", "1.3.6.1.6.3.10.2.1.2"),
            ("snmpEngineTime", "1.3.6.1.6.3.10.2.1.3"),
        };

        private static readonly Dictionary<string, Oid> ByName = Table
            .ToDictionary(e => e.Name, e => Oid.Parse(e.Oid), StringComparer.OrdinalIgnoreCase);

        // Roots too wide to name a value by ("internet.6.3…" helps nobody) are left out of reverse lookups.
        private static readonly Dictionary<Oid, string> ByOid = Table.Where(e => e.Name != "internet" && e.Name != "mib-2")
            .ToDictionary(e => Oid.Parse(e.Oid), e => e.Name);

        private static readonly int DeepestName = ByOid.Keys.Max(o => o.Depth);

        /// <summary>Every name the module knows, in table order.</summary>
        public static IReadOnlyList<string> Known { get; } = Table.Select(e => e.Name).ToList();

        /// <summary>
        /// Reads a numeric OID (1.3.6.1.2.1.1.1.0 or .1.3…) or a known name with an optional numeric
        /// suffix (sysDescr.0, ifHCInOctets.3, ifTable); false when it is neither.
        /// </summary>
        public static bool TryResolve(string? text, out Oid? oid)
        {
            oid = null;
            if (string.IsNullOrWhiteSpace(text)) return false;
            var trimmed = text!.Trim();
            if (trimmed.Length > 0 && (char.IsDigit(trimmed[0]) || trimmed[0] == '.')) return Oid.TryParse(trimmed, out oid);
            var dot = trimmed.IndexOf('.');
            var name = dot < 0 ? trimmed : trimmed.Substring(0, dot);
            var colon = name.IndexOf("::", StringComparison.Ordinal);
            if (colon >= 0) name = name.Substring(colon + 2);
            if (!ByName.TryGetValue(name, out var baseOid)) return false;
            if (dot < 0)
            {
                oid = baseOid;
                return true;
            }
            if (!Oid.TryParse("1.3." + trimmed.Substring(dot + 1), out var suffix)) return false;
            var parts = suffix!.Parts.Skip(2).ToArray();
            if (baseOid.Depth + parts.Length > Oid.MaxSubidentifiers) return false;
            oid = baseOid.Append(parts);
            return true;
        }

        /// <summary>The known name of <paramref name="oid"/> with its index (ifDescr.2), or null.</summary>
        public static string? NameOf(Oid oid)
        {
            for (var depth = Math.Min(oid.Depth, DeepestName); depth >= 2; depth--)
            {
                var prefix = new Oid(oid.Parts.Take(depth).ToArray());
                if (!ByOid.TryGetValue(prefix, out var name)) continue;
                if (depth == oid.Depth) return name;
                return name + "." + string.Join(".", oid.Parts.Skip(depth));
            }
            return null;
        }
    }
}
