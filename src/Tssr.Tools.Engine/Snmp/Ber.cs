using System;
using System.Collections.Generic;
using System.Numerics;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>
    /// A packet that breaks the BER rules SNMP uses (RFC 3417 section 8): the byte offset where
    /// reading stopped and why, in the user's language. Thrown only inside the codec and turned
    /// into a <see cref="SnmpParseError"/> at its edge; never escapes to a caller.
    /// </summary>
    internal sealed class BerFormatException : Exception
    {
        public BerFormatException(int offset, string reasonKey, params object[] args)
            : base(reasonKey)
        {
            Offset = offset;
            ReasonKey = reasonKey;
            Args = args;
        }

        public int Offset { get; }
        public string ReasonKey { get; }
        public object[] Args { get; }

        public SnmpParseError ToParseError() => new SnmpParseError(Offset, SnmpText.Strings.Format(ReasonKey, Args));
    }

    /// <summary>Why a datagram could not be read: the byte offset and the reason.</summary>
    public sealed class SnmpParseError
    {
        public SnmpParseError(int offset, string reason)
        {
            Offset = offset;
            Reason = reason;
        }

        public int Offset { get; }
        public string Reason { get; }

        public override string ToString() => SnmpText.Strings.Format("Parse_AtOffset", Offset, Reason);
    }

    /// <summary>
    /// A strict reader of the BER subset SNMP uses: one-byte tags, definite lengths only (the
    /// indefinite form 0x80 is refused), every length checked against the bytes that remain in the
    /// enclosing value, primitive encodings of minimal size for INTEGER and OBJECT IDENTIFIER
    /// sub-identifiers. Long-form lengths with more octets than needed are accepted, as RFC 3417
    /// allows (net-snmp itself sends 0x82 0x00 0x2A).
    /// </summary>
    internal sealed class BerReader
    {
        private readonly byte[] _data;
        private int _position;
        private readonly int _end;

        public BerReader(byte[] data) : this(data, 0, data.Length)
        {
        }

        public BerReader(byte[] data, int offset, int count)
        {
            _data = data;
            _position = offset;
            _end = offset + count;
        }

        public int Position => _position;
        public bool AtEnd => _position >= _end;
        public int Remaining => _end - _position;

        /// <summary>The tag of the next value, without reading it.</summary>
        public byte PeekTag()
        {
            if (_position >= _end) throw new BerFormatException(_position, "Parse_UnexpectedEnd");
            return _data[_position];
        }

        /// <summary>Reads a tag and a length; returns a reader over exactly the content.</summary>
        public BerReader ReadValue(out byte tag, out int contentOffset)
        {
            var start = _position;
            if (_position >= _end) throw new BerFormatException(_position, "Parse_UnexpectedEnd");
            tag = _data[_position++];
            if ((tag & 0x1F) == 0x1F) throw new BerFormatException(start, "Parse_HighTagNumber", tag.ToString("X2"));
            if (_position >= _end) throw new BerFormatException(_position, "Parse_MissingLength");
            var lengthOffset = _position;
            int first = _data[_position++];
            long length;
            if (first < 0x80)
            {
                length = first;
            }
            else if (first == 0x80)
            {
                throw new BerFormatException(lengthOffset, "Parse_IndefiniteLength");
            }
            else if (first == 0xFF)
            {
                throw new BerFormatException(lengthOffset, "Parse_ReservedLength");
            }
            else
            {
                var octets = first & 0x7F;
                if (octets > _end - _position) throw new BerFormatException(lengthOffset, "Parse_TruncatedLength", octets, _end - _position);
                length = 0;
                for (var i = 0; i < octets; i++)
                {
                    length = (length << 8) | _data[_position++];
                    if (length > int.MaxValue) throw new BerFormatException(lengthOffset, "Parse_HugeLength");
                }
            }
            if (length > _end - _position)
                throw new BerFormatException(lengthOffset, "Parse_LengthBeyondEnd", length, _end - _position);
            contentOffset = _position;
            var content = new BerReader(_data, _position, (int)length);
            _position += (int)length;
            return content;
        }

        public BerReader ReadSequence(byte expectedTag = BerTag.Sequence)
        {
            var start = _position;
            var content = ReadValue(out var tag, out _);
            if (tag != expectedTag) throw new BerFormatException(start, "Parse_UnexpectedTag", expectedTag.ToString("X2"), tag.ToString("X2"));
            return content;
        }

        public BigInteger ReadIntegerValue(byte expectedTag, out int offset)
        {
            offset = _position;
            var content = ReadValue(out var tag, out var contentOffset);
            if (tag != expectedTag) throw new BerFormatException(offset, "Parse_UnexpectedTag", expectedTag.ToString("X2"), tag.ToString("X2"));
            return content.IntegerContent(contentOffset);
        }

        public long ReadInt32(string field)
        {
            var value = ReadIntegerValue(BerTag.Integer, out var offset);
            if (value < int.MinValue || value > int.MaxValue) throw new BerFormatException(offset, "Parse_IntegerRange", field, value);
            return (long)value;
        }

        /// <summary>The two's complement content of an INTEGER-like value, minimal as X.690 8.3.2 requires.</summary>
        public BigInteger IntegerContent(int contentOffset)
        {
            var length = Remaining;
            if (length == 0) throw new BerFormatException(contentOffset, "Parse_EmptyInteger");
            if (length > 9) throw new BerFormatException(contentOffset, "Parse_IntegerTooLong", length);
            if (length > 1)
            {
                var a = _data[_position];
                var b = _data[_position + 1];
                if ((a == 0x00 && (b & 0x80) == 0) || (a == 0xFF && (b & 0x80) != 0))
                    throw new BerFormatException(contentOffset, "Parse_NonMinimalInteger");
            }
            var bytes = new byte[length];
            for (var i = 0; i < length; i++) bytes[length - 1 - i] = _data[_position + i];
            _position += length;
            return new BigInteger(bytes);
        }

        public byte[] ReadOctetString(out int offset)
        {
            offset = _position;
            var content = ReadValue(out var tag, out _);
            if (tag != BerTag.OctetString) throw new BerFormatException(offset, "Parse_UnexpectedTag", BerTag.OctetString.ToString("X2"), tag.ToString("X2"));
            return content.RemainingBytes();
        }

        public byte[] RemainingBytes()
        {
            var bytes = new byte[Remaining];
            Buffer.BlockCopy(_data, _position, bytes, 0, bytes.Length);
            _position = _end;
            return bytes;
        }

        /// <summary>The content of an OBJECT IDENTIFIER: minimal sub-identifiers of at most 32 bits.</summary>
        public uint[] OidContent(int contentOffset)
        {
            if (Remaining == 0) throw new BerFormatException(contentOffset, "Parse_EmptyOid");
            var parts = new List<uint>();
            var first = true;
            while (!AtEnd)
            {
                var start = _position;
                if (_data[_position] == 0x80) throw new BerFormatException(start, "Parse_NonMinimalSubidentifier");
                ulong value = 0;
                while (true)
                {
                    if (_position >= _end) throw new BerFormatException(start, "Parse_TruncatedSubidentifier");
                    var b = _data[_position++];
                    value = (value << 7) | (uint)(b & 0x7F);
                    if (value > uint.MaxValue) throw new BerFormatException(start, "Parse_SubidentifierTooLarge");
                    if ((b & 0x80) == 0) break;
                }
                if (first)
                {
                    if (value < 40) { parts.Add(0); parts.Add((uint)value); }
                    else if (value < 80) { parts.Add(1); parts.Add((uint)(value - 40)); }
                    else { parts.Add(2); parts.Add((uint)(value - 80)); }
                    first = false;
                }
                else
                {
                    parts.Add((uint)value);
                }
                if (parts.Count > Oid.MaxSubidentifiers) throw new BerFormatException(start, "Parse_OidTooLong", Oid.MaxSubidentifiers);
            }
            return parts.ToArray();
        }

        public void ExpectEnd(string what)
        {
            if (!AtEnd) throw new BerFormatException(_position, "Parse_TrailingBytes", what, Remaining);
        }
    }

    internal static class BerTag
    {
        public const byte Integer = 0x02;
        public const byte OctetString = 0x04;
        public const byte Null = 0x05;
        public const byte ObjectIdentifier = 0x06;
        public const byte Sequence = 0x30;
        public const byte IpAddress = 0x40;
        public const byte Counter32 = 0x41;
        public const byte Gauge32 = 0x42;
        public const byte TimeTicks = 0x43;
        public const byte Opaque = 0x44;
        public const byte Counter64 = 0x46;
        public const byte NoSuchObject = 0x80;
        public const byte NoSuchInstance = 0x81;
        public const byte EndOfMibView = 0x82;
    }

    /// <summary>
    /// Writes BER with minimal definite lengths. Values are written back to front into a growing
    /// buffer, so every length is known when its header is written and nothing is copied twice.
    /// </summary>
    internal sealed class BerWriter
    {
        private byte[] _buffer = new byte[512];
        private int _start = 512;

        public int Length => _buffer.Length - _start;

        /// <summary>A mark to pass to <see cref="EndConstructed"/> after writing the content (back to front).</summary>
        public int Mark() => Length;

        public void EndConstructed(byte tag, int mark)
        {
            WriteLength(Length - mark);
            Prepend(tag);
        }

        public void WritePrimitive(byte tag, byte[] content)
        {
            Prepend(content);
            WriteLength(content.Length);
            Prepend(tag);
        }

        public void WriteInteger(byte tag, BigInteger value)
        {
            var little = value.ToByteArray();
            var content = new byte[little.Length];
            for (var i = 0; i < little.Length; i++) content[i] = little[little.Length - 1 - i];
            WritePrimitive(tag, content);
        }

        public void WriteUnsigned(byte tag, ulong value) => WriteInteger(tag, new BigInteger(value));

        public void WriteOctetString(byte[] content) => WritePrimitive(BerTag.OctetString, content);

        public void WriteNull(byte tag = BerTag.Null) => WritePrimitive(tag, Array.Empty<byte>());

        public void WriteOid(Oid oid) => WritePrimitive(BerTag.ObjectIdentifier, oid.EncodeContent());

        private void WriteLength(int length)
        {
            if (length < 0x80)
            {
                Prepend((byte)length);
                return;
            }
            var octets = 0;
            for (var v = length; v > 0; v >>= 8)
            {
                Prepend((byte)(v & 0xFF));
                octets++;
            }
            Prepend((byte)(0x80 | octets));
        }

        private void Prepend(byte b)
        {
            Ensure(1);
            _buffer[--_start] = b;
        }

        private void Prepend(byte[] bytes)
        {
            Ensure(bytes.Length);
            _start -= bytes.Length;
            Buffer.BlockCopy(bytes, 0, _buffer, _start, bytes.Length);
        }

        private void Ensure(int more)
        {
            if (_start >= more) return;
            var size = _buffer.Length;
            var newSize = Math.Max(size * 2, size + more + 64);
            var bigger = new byte[newSize];
            Buffer.BlockCopy(_buffer, _start, bigger, newSize - (size - _start), size - _start);
            _start = newSize - (size - _start);
            _buffer = bigger;
        }

        public byte[] ToArray()
        {
            var result = new byte[Length];
            Buffer.BlockCopy(_buffer, _start, result, 0, result.Length);
            return result;
        }
    }
}
