using System.Globalization;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>What an agent said about one OID: a value, or which of the SNMP exceptions.</summary>
    public enum SnmpValueStatus
    {
        Ok,
        /// <summary>v2c/v3: the agent has no such object type (noSuchObject).</summary>
        NoSuchObject,
        /// <summary>v2c/v3: the object exists but not this instance (noSuchInstance).</summary>
        NoSuchInstance,
        /// <summary>v2c/v3: nothing follows this OID in the agent's view (endOfMibView).</summary>
        EndOfMibView,
        /// <summary>v1: the agent answered noSuchName (v1 cannot tell object from instance).</summary>
        NoSuchName,
    }

    /// <summary>One varbind as Get-, Invoke-…Walk and Set-TssrSnmpValue return it.</summary>
    public sealed class SnmpValueResult
    {
        internal SnmpValueResult(string computerName, string ipAddress, int port, SnmpCredential credential, SnmpVarbind varbind)
        {
            ComputerName = computerName;
            IPAddress = ipAddress;
            Port = port;
            Version = credential.VersionText;
            Oid = varbind.Oid.ToString();
            Name = SnmpNames.NameOf(varbind.Oid);
            var value = varbind.Value;
            Type = value.Type;
            Status = value.Type switch
            {
                SnmpType.NoSuchObject => SnmpValueStatus.NoSuchObject,
                SnmpType.NoSuchInstance => SnmpValueStatus.NoSuchInstance,
                SnmpType.EndOfMibView => SnmpValueStatus.EndOfMibView,
                SnmpType.NoSuchName => SnmpValueStatus.NoSuchName,
                _ => SnmpValueStatus.Ok,
            };
            Value = value.ToText();
            if (value.Type == SnmpType.OctetString || value.Type == SnmpType.Opaque) HexValue = SnmpValue.ToHex(value.Bytes, ' ');
            if (value.Type == SnmpType.Integer || value.Type == SnmpType.Counter32 || value.Type == SnmpType.Gauge32 || value.Type == SnmpType.TimeTicks || value.Type == SnmpType.Counter64)
                Number = (decimal)value.Number;
            Float = value.OpaqueFloat;
        }

        /// <summary>The agent as given (host or host:port).</summary>
        public string ComputerName { get; }
        public string IPAddress { get; }
        public int Port { get; }
        /// <summary>1, 2c or 3.</summary>
        public string Version { get; }
        /// <summary>Numeric OID, without a leading dot.</summary>
        public string Oid { get; }
        /// <summary>The name the module knows for the OID (ifDescr.2), or null.</summary>
        public string? Name { get; }
        public SnmpType Type { get; }
        /// <summary>The value as text (see the help for each type); empty for the exceptions.</summary>
        public string Value { get; }
        /// <summary>The bytes of an OctetString or Opaque as hex pairs separated by spaces; null for other types.</summary>
        public string? HexValue { get; }
        /// <summary>The number of Integer, Counter32, Gauge32, TimeTicks and Counter64 values; null otherwise.</summary>
        public decimal? Number { get; }
        /// <summary>The float or double net-snmp wraps in an Opaque (Opaque: Float:, Opaque: Double:); null otherwise.</summary>
        public double? Float { get; }
        public SnmpValueStatus Status { get; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1} = {2}: {3}", ComputerName, Name ?? Oid, Status == SnmpValueStatus.Ok ? Type.ToString() : Status.ToString(), Value);
    }
}
