using System;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>The SMIv2 types on the wire (RFC 2578, RFC 3416), and the three v2 exceptions kept apart.</summary>
    public enum SnmpType
    {
        Integer,
        OctetString,
        Null,
        ObjectIdentifier,
        IpAddress,
        Counter32,
        Gauge32,
        TimeTicks,
        Opaque,
        Counter64,
        NoSuchObject,
        NoSuchInstance,
        EndOfMibView,
        /// <summary>v1 only: the agent's noSuchName error for this OID (v1 cannot tell object from instance).</summary>
        NoSuchName,
    }

    /// <summary>One typed SNMP value, immutable.</summary>
    public sealed class SnmpValue : IEquatable<SnmpValue>
    {
        private readonly byte[] _bytes;

        private SnmpValue(SnmpType type, BigInteger number, byte[]? bytes, Oid? oid)
        {
            Type = type;
            Number = number;
            _bytes = bytes ?? Array.Empty<byte>();
            ObjectId = oid;
        }

        public SnmpType Type { get; }

        /// <summary>The number of Integer, Counter32, Gauge32, TimeTicks and Counter64 values.</summary>
        public BigInteger Number { get; }

        /// <summary>The bytes of OctetString, IpAddress and Opaque values.</summary>
        public byte[] Bytes => (byte[])_bytes.Clone();

        public Oid? ObjectId { get; }

        public bool IsException => Type == SnmpType.NoSuchObject || Type == SnmpType.NoSuchInstance || Type == SnmpType.EndOfMibView || Type == SnmpType.NoSuchName;

        public static readonly SnmpValue Null = new SnmpValue(SnmpType.Null, BigInteger.Zero, null, null);
        public static readonly SnmpValue NoSuchObject = new SnmpValue(SnmpType.NoSuchObject, BigInteger.Zero, null, null);
        public static readonly SnmpValue NoSuchInstance = new SnmpValue(SnmpType.NoSuchInstance, BigInteger.Zero, null, null);
        public static readonly SnmpValue EndOfMibView = new SnmpValue(SnmpType.EndOfMibView, BigInteger.Zero, null, null);
        public static readonly SnmpValue NoSuchName = new SnmpValue(SnmpType.NoSuchName, BigInteger.Zero, null, null);

        public static SnmpValue Integer(long value)
        {
            if (value < int.MinValue || value > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(value));
            return new SnmpValue(SnmpType.Integer, value, null, null);
        }

        public static SnmpValue Unsigned32(SnmpType type, long value)
        {
            if (type != SnmpType.Counter32 && type != SnmpType.Gauge32 && type != SnmpType.TimeTicks) throw new ArgumentException(type.ToString(), nameof(type));
            if (value < 0 || value > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(value));
            return new SnmpValue(type, value, null, null);
        }

        public static SnmpValue Counter64(ulong value) => new SnmpValue(SnmpType.Counter64, value, null, null);

        public static SnmpValue OctetString(byte[] value) => new SnmpValue(SnmpType.OctetString, BigInteger.Zero, (byte[])value.Clone(), null);

        public static SnmpValue OctetString(string text) => OctetString(Encoding.UTF8.GetBytes(text));

        public static SnmpValue Opaque(byte[] value) => new SnmpValue(SnmpType.Opaque, BigInteger.Zero, (byte[])value.Clone(), null);

        public static SnmpValue IpAddress(byte[] value)
        {
            if (value.Length != 4) throw new ArgumentException(SnmpText.Strings.Get("Value_IpAddressLength"), nameof(value));
            return new SnmpValue(SnmpType.IpAddress, BigInteger.Zero, (byte[])value.Clone(), null);
        }

        public static SnmpValue ObjectIdentifier(Oid oid) => new SnmpValue(SnmpType.ObjectIdentifier, BigInteger.Zero, null, oid);

        internal static SnmpValue Decode(BerReader reader)
        {
            var offset = reader.Position;
            var content = reader.ReadValue(out var tag, out var contentOffset);
            switch (tag)
            {
                case BerTag.Integer:
                {
                    var n = content.IntegerContent(contentOffset);
                    if (n < int.MinValue || n > int.MaxValue) throw new BerFormatException(offset, "Parse_IntegerRange", "INTEGER", n);
                    return new SnmpValue(SnmpType.Integer, n, null, null);
                }
                case BerTag.Counter32:
                case BerTag.Gauge32:
                case BerTag.TimeTicks:
                {
                    var n = content.IntegerContent(contentOffset);
                    if (n < 0 || n > uint.MaxValue) throw new BerFormatException(offset, "Parse_IntegerRange", TypeName(tag), n);
                    return new SnmpValue(tag == BerTag.Counter32 ? SnmpType.Counter32 : tag == BerTag.Gauge32 ? SnmpType.Gauge32 : SnmpType.TimeTicks, n, null, null);
                }
                case BerTag.Counter64:
                {
                    var n = content.IntegerContent(contentOffset);
                    if (n < 0 || n > ulong.MaxValue) throw new BerFormatException(offset, "Parse_IntegerRange", "Counter64", n);
                    return new SnmpValue(SnmpType.Counter64, n, null, null);
                }
                case BerTag.OctetString:
                    return new SnmpValue(SnmpType.OctetString, BigInteger.Zero, content.RemainingBytes(), null);
                case BerTag.Opaque:
                    return new SnmpValue(SnmpType.Opaque, BigInteger.Zero, content.RemainingBytes(), null);
                case BerTag.IpAddress:
                    if (content.Remaining != 4) throw new BerFormatException(offset, "Parse_IpAddressLength", content.Remaining);
                    return new SnmpValue(SnmpType.IpAddress, BigInteger.Zero, content.RemainingBytes(), null);
                case BerTag.ObjectIdentifier:
                    return new SnmpValue(SnmpType.ObjectIdentifier, BigInteger.Zero, null, new Oid(content.OidContent(contentOffset)));
                case BerTag.Null:
                case BerTag.NoSuchObject:
                case BerTag.NoSuchInstance:
                case BerTag.EndOfMibView:
                    if (content.Remaining != 0) throw new BerFormatException(offset, "Parse_NullWithContent", tag.ToString("X2"));
                    return tag == BerTag.Null ? Null : tag == BerTag.NoSuchObject ? NoSuchObject : tag == BerTag.NoSuchInstance ? NoSuchInstance : EndOfMibView;
                default:
                    throw new BerFormatException(offset, "Parse_UnknownValueTag", tag.ToString("X2"));
            }
        }

        internal void Encode(BerWriter writer)
        {
            switch (Type)
            {
                case SnmpType.Integer: writer.WriteInteger(BerTag.Integer, Number); break;
                case SnmpType.Counter32: writer.WriteInteger(BerTag.Counter32, Number); break;
                case SnmpType.Gauge32: writer.WriteInteger(BerTag.Gauge32, Number); break;
                case SnmpType.TimeTicks: writer.WriteInteger(BerTag.TimeTicks, Number); break;
                case SnmpType.Counter64: writer.WriteInteger(BerTag.Counter64, Number); break;
                case SnmpType.OctetString: writer.WritePrimitive(BerTag.OctetString, _bytes); break;
                case SnmpType.Opaque: writer.WritePrimitive(BerTag.Opaque, _bytes); break;
                case SnmpType.IpAddress: writer.WritePrimitive(BerTag.IpAddress, _bytes); break;
                case SnmpType.ObjectIdentifier: writer.WriteOid(ObjectId!); break;
                case SnmpType.Null: writer.WriteNull(); break;
                case SnmpType.NoSuchObject: writer.WriteNull(BerTag.NoSuchObject); break;
                case SnmpType.NoSuchInstance: writer.WriteNull(BerTag.NoSuchInstance); break;
                case SnmpType.EndOfMibView: writer.WriteNull(BerTag.EndOfMibView); break;
                default: throw new InvalidOperationException(SnmpText.Strings.Get("Value_NotEncodable"));
            }
        }

        private static string TypeName(byte tag) => tag == BerTag.Counter32 ? "Counter32" : tag == BerTag.Gauge32 ? "Gauge32" : "TimeTicks";

        /// <summary>
        /// The value as text: numbers in decimal, OIDs dotted, IpAddress dotted, an OctetString as
        /// text when it is printable UTF-8 (tabs and line ends allowed) and otherwise as hex pairs
        /// separated by colons (MAC addresses read as they should), exceptions empty.
        /// </summary>
        public string ToText()
        {
            switch (Type)
            {
                case SnmpType.Integer:
                case SnmpType.Counter32:
                case SnmpType.Gauge32:
                case SnmpType.TimeTicks:
                case SnmpType.Counter64:
                    return Number.ToString(CultureInfo.InvariantCulture);
                case SnmpType.ObjectIdentifier:
                    return ObjectId!.ToString();
                case SnmpType.IpAddress:
                    return string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}.{3}", _bytes[0], _bytes[1], _bytes[2], _bytes[3]);
                case SnmpType.OctetString:
                    return TryPrintable(_bytes, out var text) ? text : ToHex(_bytes, ':');
                case SnmpType.Opaque:
                    return OpaqueFloat is double real ? FormatReal(real, _bytes[1] == OpaqueFloatTag) : ToHex(_bytes, ':');
                default:
                    return string.Empty;
            }
        }

        private const byte OpaqueFloatTag = 0x78;
        private const byte OpaqueDoubleTag = 0x79;

        /// <summary>
        /// The float or double an Opaque carries in net-snmp's encoding (UCD-SNMP's laLoadFloat…):
        /// the Opaque's content is itself a BER value with the application tag 0x9F 0x78 (float, 4
        /// bytes) or 0x9F 0x79 (double, 8 bytes), IEEE 754 big-endian. Null for any other Opaque,
        /// including one whose inner length does not match its content exactly.
        /// </summary>
        public double? OpaqueFloat
        {
            get
            {
                if (Type != SnmpType.Opaque || _bytes.Length < 3 || _bytes[0] != 0x9F) return null;
                var size = _bytes[1] == OpaqueFloatTag ? 4 : _bytes[1] == OpaqueDoubleTag ? 8 : 0;
                if (size == 0 || _bytes[2] != size || _bytes.Length != 3 + size) return null;
                var raw = new byte[size];
                Buffer.BlockCopy(_bytes, 3, raw, 0, size);
                if (BitConverter.IsLittleEndian) Array.Reverse(raw);
                return size == 4 ? BitConverter.ToSingle(raw, 0) : BitConverter.ToDouble(raw, 0);
            }
        }

        /// <summary>The shortest text that reads back to the same float (or double).</summary>
        private static string FormatReal(double value, bool single)
            => single ? ((float)value).ToString("R", CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);

        /// <summary>True when the bytes are UTF-8 text without control characters other than tab, CR and LF.</summary>
        public static bool TryPrintable(byte[] bytes, out string text)
        {
            text = string.Empty;
            try
            {
                var decoded = new UTF8Encoding(false, true).GetString(bytes);
                foreach (var c in decoded)
                {
                    if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') return false;
                    if (c == 0x7F) return false;
                }
                text = decoded;
                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        public static string ToHex(byte[] bytes, char separator)
        {
            var text = new StringBuilder(bytes.Length * 3);
            for (var i = 0; i < bytes.Length; i++)
            {
                if (i > 0) text.Append(separator);
                text.Append(bytes[i].ToString("X2", CultureInfo.InvariantCulture));
            }
            return text.ToString();
        }

        public bool Equals(SnmpValue? other)
        {
            if (other is null || other.Type != Type || other.Number != Number) return false;
            if (!Equals(ObjectId, other.ObjectId)) return false;
            if (_bytes.Length != other._bytes.Length) return false;
            for (var i = 0; i < _bytes.Length; i++) if (_bytes[i] != other._bytes[i]) return false;
            return true;
        }

        public override bool Equals(object? obj) => obj is SnmpValue v && Equals(v);

        public override int GetHashCode() => unchecked(((int)Type * 397) ^ Number.GetHashCode() ^ _bytes.Length);

        public override string ToString() => Type + ": " + ToText();
    }

    /// <summary>An OID and its value.</summary>
    public sealed class SnmpVarbind
    {
        public SnmpVarbind(Oid oid, SnmpValue value)
        {
            Oid = oid;
            Value = value;
        }

        public Oid Oid { get; }
        public SnmpValue Value { get; }

        public override string ToString() => Oid + " = " + Value;
    }
}
