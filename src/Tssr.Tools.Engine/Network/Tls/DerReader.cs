using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace Tssr.Tools.Engine.Network.Tls
{
    /// <summary>
    /// The few DER structures of an X.509 certificate that netstandard2.0 does not decode: the
    /// subjectAltName (DNS names and IP addresses) and the key identifier of the
    /// authorityKeyIdentifier. Strict on lengths: a malformed extension raises
    /// <see cref="FormatException"/>, never an index error.
    /// </summary>
    internal static class DerReader
    {
        private const byte Sequence = 0x30;
        private const byte DnsNameTag = 0x82;     // [2] IMPLICIT IA5String
        private const byte IpAddressTag = 0x87;   // [7] IMPLICIT OCTET STRING
        private const byte KeyIdentifierTag = 0x80; // [0] IMPLICIT OCTET STRING

        /// <summary>The dNSName and iPAddress entries of a subjectAltName extension value.</summary>
        public static void ReadSubjectAltNames(byte[] extensionValue, List<string> dnsNames, List<IPAddress> addresses)
        {
            var offset = 0;
            var (tag, start, length) = ReadHeader(extensionValue, ref offset);
            if (tag != Sequence) throw new FormatException("subjectAltName is not a SEQUENCE.");
            if (start + length != extensionValue.Length) throw new FormatException("subjectAltName has trailing bytes.");
            offset = start;
            var end = start + length;
            while (offset < end)
            {
                var (itemTag, itemStart, itemLength) = ReadHeader(extensionValue, ref offset);
                if (itemStart + itemLength > end) throw new FormatException("A subjectAltName entry runs past its SEQUENCE.");
                if (itemTag == DnsNameTag)
                {
                    dnsNames.Add(Encoding.ASCII.GetString(extensionValue, itemStart, itemLength));
                }
                else if (itemTag == IpAddressTag)
                {
                    if (itemLength != 4 && itemLength != 16) throw new FormatException("An iPAddress entry is neither 4 nor 16 bytes.");
                    var bytes = new byte[itemLength];
                    Buffer.BlockCopy(extensionValue, itemStart, bytes, 0, itemLength);
                    addresses.Add(new IPAddress(bytes));
                }
                offset = itemStart + itemLength;
            }
        }

        /// <summary>The keyIdentifier of an authorityKeyIdentifier extension value, or null when absent.</summary>
        public static byte[]? ReadAuthorityKeyIdentifier(byte[] extensionValue)
        {
            var offset = 0;
            var (tag, start, length) = ReadHeader(extensionValue, ref offset);
            if (tag != Sequence) throw new FormatException("authorityKeyIdentifier is not a SEQUENCE.");
            if (start + length != extensionValue.Length) throw new FormatException("authorityKeyIdentifier has trailing bytes.");
            offset = start;
            var end = start + length;
            while (offset < end)
            {
                var (itemTag, itemStart, itemLength) = ReadHeader(extensionValue, ref offset);
                if (itemStart + itemLength > end) throw new FormatException("An authorityKeyIdentifier field runs past its SEQUENCE.");
                if (itemTag == KeyIdentifierTag)
                {
                    var id = new byte[itemLength];
                    Buffer.BlockCopy(extensionValue, itemStart, id, 0, itemLength);
                    return id;
                }
                offset = itemStart + itemLength;
            }
            return null;
        }

        /// <summary>Reads a tag and a definite length; returns where the content starts.</summary>
        internal static (byte Tag, int Start, int Length) ReadHeader(byte[] data, ref int offset)
        {
            if (offset + 2 > data.Length) throw new FormatException("Truncated DER header.");
            var tag = data[offset++];
            if ((tag & 0x1F) == 0x1F) throw new FormatException("Multi-byte DER tags are not expected here.");
            int first = data[offset++];
            int length;
            if (first < 0x80)
            {
                length = first;
            }
            else
            {
                var count = first & 0x7F;
                if (count == 0 || count > 3) throw new FormatException("Unsupported DER length form.");
                if (offset + count > data.Length) throw new FormatException("Truncated DER length.");
                length = 0;
                for (var i = 0; i < count; i++) length = (length << 8) | data[offset++];
            }
            if (length > data.Length - offset) throw new FormatException("A DER length runs past the end of the data.");
            return (tag, offset, length);
        }
    }
}
