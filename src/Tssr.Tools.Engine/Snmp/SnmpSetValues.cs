using System;
using System.Globalization;
using System.Net;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>The types a value may be written as (those an agent accepts in a SET).</summary>
    public enum SnmpSetType
    {
        Integer,
        OctetString,
        /// <summary>An OctetString given as hex pairs (00:1A:2B or 00 1A 2B or 001A2B).</summary>
        HexString,
        ObjectIdentifier,
        IpAddress,
        Counter32,
        Gauge32,
        TimeTicks,
        Counter64,
    }

    /// <summary>Reads what a user typed into a typed SNMP value; FormatException when it does not fit.</summary>
    public static class SnmpSetValues
    {
        public static SnmpValue Read(SnmpSetType type, object? raw)
        {
            var text = Convert.ToString(raw, CultureInfo.InvariantCulture) ?? string.Empty;
            switch (type)
            {
                case SnmpSetType.Integer:
                    if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) || i < int.MinValue || i > int.MaxValue) throw new FormatException();
                    return SnmpValue.Integer(i);
                case SnmpSetType.OctetString:
                    return raw is byte[] bytes ? SnmpValue.OctetString(bytes) : SnmpValue.OctetString(text);
                case SnmpSetType.HexString:
                    return SnmpValue.OctetString(ParseHex(text));
                case SnmpSetType.ObjectIdentifier:
                    if (!SnmpNames.TryResolve(text, out var oid)) throw new FormatException();
                    return SnmpValue.ObjectIdentifier(oid!);
                case SnmpSetType.IpAddress:
                    if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || text.Split('.').Length != 4) throw new FormatException();
                    return SnmpValue.IpAddress(address.GetAddressBytes());
                case SnmpSetType.Counter64:
                    if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var big)) throw new FormatException();
                    return SnmpValue.Counter64(big);
                default:
                    if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u)) throw new FormatException();
                    return SnmpValue.Unsigned32(type == SnmpSetType.Counter32 ? SnmpType.Counter32 : type == SnmpSetType.Gauge32 ? SnmpType.Gauge32 : SnmpType.TimeTicks, u);
            }
        }

        private static byte[] ParseHex(string text)
        {
            var digits = text.Replace(":", string.Empty).Replace(" ", string.Empty).Replace("-", string.Empty);
            if (digits.Length % 2 != 0) throw new FormatException();
            var bytes = new byte[digits.Length / 2];
            for (var k = 0; k < bytes.Length; k++)
                if (!byte.TryParse(digits.Substring(k * 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[k])) throw new FormatException();
            return bytes;
        }
    }
}
