using System;
using System.Net;

namespace Tssr.Tools.Engine.Network.Icmp
{
    /// <summary>Whether a received datagram starts with the IPv4 header.</summary>
    public enum IpHeaderPresence
    {
        /// <summary>The datagram is the ICMP message alone (IPv6 sockets, Linux ICMP datagram sockets).</summary>
        Absent,
        /// <summary>The datagram starts with the IPv4 header (raw IPv4 sockets).</summary>
        Present,
        /// <summary>Either: told apart by the first byte (macOS ICMP datagram sockets keep the header).</summary>
        Detect,
    }

    /// <summary>
    /// The ICMP and ICMPv6 echo codec: Internet checksum (RFC 1071), echo request building, and the
    /// parsing of what comes back (echo replies, destination unreachable, time exceeded with the
    /// original echo inside). Parsing never throws: a malformed datagram is simply not a message.
    /// </summary>
    public static class IcmpPacket
    {
        public const int HeaderLength = 8;
        public const int Ipv4MinimumHeaderLength = 20;
        public const int Ipv6HeaderLength = 40;

        public const byte EchoReply = 0;
        public const byte DestinationUnreachable = 3;
        public const byte EchoRequest = 8;
        public const byte TimeExceeded = 11;
        public const byte ParameterProblem = 12;

        public const byte EchoRequestV6 = 128;
        public const byte EchoReplyV6 = 129;
        public const byte DestinationUnreachableV6 = 1;
        public const byte PacketTooBigV6 = 2;
        public const byte TimeExceededV6 = 3;
        public const byte ParameterProblemV6 = 4;

        private const byte ProtocolIcmp = 1;
        private const byte ProtocolIcmpV6 = 58;

        /// <summary>The Internet checksum (one's complement of the one's complement sum) of <paramref name="data"/>.</summary>
        public static ushort Checksum(ReadOnlySpan<byte> data) => Fold(Sum(data, 0));

        /// <summary>
        /// The ICMPv6 checksum, which covers a pseudo-header (source, destination, length, next
        /// header 58) before the message. The kernel fills it in on send; this is for checking.
        /// </summary>
        public static ushort ChecksumV6(IPAddress source, IPAddress destination, ReadOnlySpan<byte> message)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            if (destination == null) throw new ArgumentNullException(nameof(destination));
            var pseudo = new byte[40];
            source.GetAddressBytes().CopyTo(pseudo, 0);
            destination.GetAddressBytes().CopyTo(pseudo, 16);
            var length = (uint)message.Length;
            pseudo[32] = (byte)(length >> 24);
            pseudo[33] = (byte)(length >> 16);
            pseudo[34] = (byte)(length >> 8);
            pseudo[35] = (byte)length;
            pseudo[39] = ProtocolIcmpV6;
            return Fold(Sum(message, Sum(pseudo, 0)));
        }

        private static uint Sum(ReadOnlySpan<byte> data, uint sum)
        {
            var i = 0;
            for (; i + 1 < data.Length; i += 2)
                sum += (uint)((data[i] << 8) | data[i + 1]);
            if (i < data.Length)
                sum += (uint)(data[i] << 8);
            return sum;
        }

        private static ushort Fold(uint sum)
        {
            while ((sum >> 16) != 0)
                sum = (sum & 0xFFFF) + (sum >> 16);
            return (ushort)~sum;
        }

        /// <summary>The length of an echo request carrying <paramref name="payloadLength"/> bytes.</summary>
        public static int EchoRequestLength(int payloadLength) => HeaderLength + payloadLength;

        /// <summary>
        /// Writes an echo request (ICMP type 8, or ICMPv6 type 128) into <paramref name="destination"/>
        /// and returns its length. The IPv4 checksum is computed; the ICMPv6 one is left at zero for
        /// the kernel, which alone knows the source address it covers.
        /// </summary>
        public static int WriteEchoRequest(Span<byte> destination, bool ipv6, ushort identifier, ushort sequence, ReadOnlySpan<byte> payload)
        {
            var length = EchoRequestLength(payload.Length);
            if (destination.Length < length)
                throw new ArgumentException("The buffer is too small for the echo request.", nameof(destination));
            destination[0] = ipv6 ? EchoRequestV6 : EchoRequest;
            destination[1] = 0;
            destination[2] = 0;
            destination[3] = 0;
            WriteUInt16(destination.Slice(4), identifier);
            WriteUInt16(destination.Slice(6), sequence);
            payload.CopyTo(destination.Slice(HeaderLength));
            if (!ipv6)
                WriteUInt16(destination.Slice(2), Checksum(destination.Slice(0, length)));
            return length;
        }

        /// <summary>Writes the sequence number and refreshes the IPv4 checksum of a request built before.</summary>
        public static void SetSequence(Span<byte> request, bool ipv6, ushort sequence)
        {
            WriteUInt16(request.Slice(6), sequence);
            if (ipv6) return;
            request[2] = 0;
            request[3] = 0;
            WriteUInt16(request.Slice(2), Checksum(request));
        }

        /// <summary>
        /// Parses one received datagram. Returns false (and never throws) when it is not a complete
        /// ICMP message of the expected family: too short, another protocol, a bad IPv4 header.
        /// </summary>
        public static bool TryParse(ReadOnlySpan<byte> datagram, bool ipv6, IpHeaderPresence header, out IcmpMessage message)
        {
            message = null!;
            var offset = 0;
            int? ttl = null;
            IPAddress? source = null;

            if (!ipv6 && (header == IpHeaderPresence.Present || (header == IpHeaderPresence.Detect && LooksLikeIpv4Header(datagram))))
            {
                if (!TryReadIpv4Header(datagram, out var headerLength, out var protocol, out var timeToLive, out source, out _))
                    return false;
                if (protocol != ProtocolIcmp)
                    return false;
                offset = headerLength;
                ttl = timeToLive;
            }

            var icmp = datagram.Slice(offset);
            if (icmp.Length < HeaderLength)
                return false;

            var type = icmp[0];
            var code = icmp[1];
            var checksumValid = ipv6 || Checksum(icmp) == 0;
            var kind = Classify(ipv6, type);
            ushort identifier = 0, sequence = 0;
            var payloadOffset = offset + HeaderLength;
            var payloadLength = icmp.Length - HeaderLength;
            OriginalEcho? original = null;

            if (kind == IcmpMessageKind.EchoReply || kind == IcmpMessageKind.EchoRequest)
            {
                identifier = ReadUInt16(icmp.Slice(4));
                sequence = ReadUInt16(icmp.Slice(6));
            }
            else if (kind != IcmpMessageKind.Other)
            {
                original = ipv6 ? ReadOriginalV6(icmp.Slice(HeaderLength)) : ReadOriginalV4(icmp.Slice(HeaderLength));
            }

            message = new IcmpMessage(ipv6, kind, type, code, identifier, sequence, ttl, source, checksumValid, payloadOffset, payloadLength, original);
            return true;
        }

        private static IcmpMessageKind Classify(bool ipv6, byte type)
        {
            if (ipv6)
            {
                switch (type)
                {
                    case EchoReplyV6: return IcmpMessageKind.EchoReply;
                    case EchoRequestV6: return IcmpMessageKind.EchoRequest;
                    case DestinationUnreachableV6: return IcmpMessageKind.DestinationUnreachable;
                    case PacketTooBigV6: return IcmpMessageKind.PacketTooBig;
                    case TimeExceededV6: return IcmpMessageKind.TimeExceeded;
                    case ParameterProblemV6: return IcmpMessageKind.ParameterProblem;
                    default: return IcmpMessageKind.Other;
                }
            }
            switch (type)
            {
                case EchoReply: return IcmpMessageKind.EchoReply;
                case EchoRequest: return IcmpMessageKind.EchoRequest;
                case DestinationUnreachable: return IcmpMessageKind.DestinationUnreachable;
                case TimeExceeded: return IcmpMessageKind.TimeExceeded;
                case ParameterProblem: return IcmpMessageKind.ParameterProblem;
                default: return IcmpMessageKind.Other;
            }
        }

        /// <summary>
        /// An ICMP message starts with its type, never 0x45..0x4F (unassigned types), whereas an
        /// IPv4 header starts with version 4 and a length of 5 to 15 words.
        /// </summary>
        private static bool LooksLikeIpv4Header(ReadOnlySpan<byte> datagram)
            => datagram.Length >= Ipv4MinimumHeaderLength && (datagram[0] >> 4) == 4 && (datagram[0] & 0x0F) >= 5;

        private static bool TryReadIpv4Header(ReadOnlySpan<byte> data, out int headerLength, out byte protocol, out byte ttl, out IPAddress? source, out IPAddress? destination)
        {
            headerLength = 0;
            protocol = 0;
            ttl = 0;
            source = null;
            destination = null;
            if (data.Length < Ipv4MinimumHeaderLength || (data[0] >> 4) != 4)
                return false;
            headerLength = (data[0] & 0x0F) * 4;
            if (headerLength < Ipv4MinimumHeaderLength || headerLength > data.Length)
                return false;
            ttl = data[8];
            protocol = data[9];
            source = new IPAddress(data.Slice(12, 4).ToArray());
            destination = new IPAddress(data.Slice(16, 4).ToArray());
            return true;
        }

        private static OriginalEcho? ReadOriginalV4(ReadOnlySpan<byte> quoted)
        {
            // RFC 792: the original IP header plus at least its first 64 bits of data.
            if (!TryReadIpv4Header(quoted, out var headerLength, out var protocol, out _, out _, out var destination))
                return null;
            var inner = quoted.Slice(headerLength);
            if (protocol != ProtocolIcmp || inner.Length < HeaderLength)
                return new OriginalEcho(destination!, false, 0, 0);
            if (inner[0] != EchoRequest)
                return new OriginalEcho(destination!, false, 0, 0);
            return new OriginalEcho(destination!, true, ReadUInt16(inner.Slice(4)), ReadUInt16(inner.Slice(6)));
        }

        private static OriginalEcho? ReadOriginalV6(ReadOnlySpan<byte> quoted)
        {
            if (quoted.Length < Ipv6HeaderLength || (quoted[0] >> 4) != 6)
                return null;
            var destination = new IPAddress(quoted.Slice(24, 16).ToArray());
            var next = quoted[6];
            var offset = Ipv6HeaderLength;
            // Walk the extension headers a router may quote before the ICMPv6 echo.
            for (var hops = 0; hops < 8; hops++)
            {
                if (next == ProtocolIcmpV6)
                    break;
                if (next == 44)
                {
                    if (quoted.Length < offset + 8) return new OriginalEcho(destination, false, 0, 0);
                    next = quoted[offset];
                    offset += 8;
                    continue;
                }
                if (next == 0 || next == 43 || next == 60)
                {
                    if (quoted.Length < offset + 2) return new OriginalEcho(destination, false, 0, 0);
                    var length = (quoted[offset + 1] + 1) * 8;
                    next = quoted[offset];
                    offset += length;
                    continue;
                }
                return new OriginalEcho(destination, false, 0, 0);
            }
            if (next != ProtocolIcmpV6 || quoted.Length < offset + HeaderLength || quoted[offset] != EchoRequestV6)
                return new OriginalEcho(destination, false, 0, 0);
            var echo = quoted.Slice(offset);
            return new OriginalEcho(destination, true, ReadUInt16(echo.Slice(4)), ReadUInt16(echo.Slice(6)));
        }

        /// <summary>The name of an error type and code, as a technician reads it (e.g. HostUnreachable).</summary>
        public static string Describe(bool ipv6, byte type, byte code)
        {
            if (ipv6)
            {
                switch (type)
                {
                    case DestinationUnreachableV6:
                        switch (code)
                        {
                            case 0: return "NoRoute";
                            case 1: return "CommunicationProhibited";
                            case 2: return "BeyondScopeOfSource";
                            case 3: return "AddressUnreachable";
                            case 4: return "PortUnreachable";
                            case 5: return "SourcePolicyFailed";
                            case 6: return "RejectRoute";
                            default: return "DestinationUnreachable";
                        }
                    case PacketTooBigV6: return "PacketTooBig";
                    case TimeExceededV6: return code == 1 ? "ReassemblyTimeExceeded" : "HopLimitExceeded";
                    case ParameterProblemV6: return "ParameterProblem";
                    default: return "IcmpV6Type" + type;
                }
            }
            switch (type)
            {
                case DestinationUnreachable:
                    switch (code)
                    {
                        case 0: return "NetworkUnreachable";
                        case 1: return "HostUnreachable";
                        case 2: return "ProtocolUnreachable";
                        case 3: return "PortUnreachable";
                        case 4: return "FragmentationNeeded";
                        case 5: return "SourceRouteFailed";
                        case 6: return "NetworkUnknown";
                        case 7: return "HostUnknown";
                        case 8: return "SourceHostIsolated";
                        case 9: return "NetworkProhibited";
                        case 10: return "HostProhibited";
                        case 11: return "NetworkUnreachableForTos";
                        case 12: return "HostUnreachableForTos";
                        case 13: return "CommunicationProhibited";
                        case 14: return "HostPrecedenceViolation";
                        case 15: return "PrecedenceCutoff";
                        default: return "DestinationUnreachable";
                    }
                case TimeExceeded: return code == 1 ? "ReassemblyTimeExceeded" : "TtlExceeded";
                case ParameterProblem: return "ParameterProblem";
                default: return "IcmpType" + type;
            }
        }

        internal static ushort ReadUInt16(ReadOnlySpan<byte> data) => (ushort)((data[0] << 8) | data[1]);

        internal static void WriteUInt16(Span<byte> data, ushort value)
        {
            data[0] = (byte)(value >> 8);
            data[1] = (byte)value;
        }
    }

    /// <summary>What an ICMP message is, for the sweep.</summary>
    public enum IcmpMessageKind
    {
        Other,
        EchoReply,
        EchoRequest,
        DestinationUnreachable,
        TimeExceeded,
        PacketTooBig,
        ParameterProblem,
    }

    /// <summary>The echo request quoted inside an ICMP error: where it was going and its numbers.</summary>
    public sealed class OriginalEcho
    {
        public OriginalEcho(IPAddress destination, bool isEchoRequest, ushort identifier, ushort sequence)
        {
            Destination = destination;
            IsEchoRequest = isEchoRequest;
            Identifier = identifier;
            Sequence = sequence;
        }

        public IPAddress Destination { get; }
        /// <summary>False when the quoted packet was not an echo request (or too short to tell).</summary>
        public bool IsEchoRequest { get; }
        public ushort Identifier { get; }
        public ushort Sequence { get; }
    }

    /// <summary>One parsed ICMP or ICMPv6 message; the payload stays in the caller's buffer.</summary>
    public sealed class IcmpMessage
    {
        internal IcmpMessage(bool ipv6, IcmpMessageKind kind, byte type, byte code, ushort identifier, ushort sequence, int? ttl,
            IPAddress? source, bool checksumValid, int payloadOffset, int payloadLength, OriginalEcho? original)
        {
            IsIpv6 = ipv6;
            Kind = kind;
            Type = type;
            Code = code;
            Identifier = identifier;
            Sequence = sequence;
            Ttl = ttl;
            Source = source;
            ChecksumValid = checksumValid;
            PayloadOffset = payloadOffset;
            PayloadLength = payloadLength;
            Original = original;
        }

        public bool IsIpv6 { get; }
        public IcmpMessageKind Kind { get; }
        public byte Type { get; }
        public byte Code { get; }
        /// <summary>Echo identifier (echo messages only).</summary>
        public ushort Identifier { get; }
        /// <summary>Echo sequence number (echo messages only).</summary>
        public ushort Sequence { get; }
        /// <summary>The TTL of the IPv4 header, when the datagram carried it.</summary>
        public int? Ttl { get; }
        /// <summary>The IPv4 source address, when the datagram carried the header.</summary>
        public IPAddress? Source { get; }
        /// <summary>The IPv4 ICMP checksum holds (always true for ICMPv6: the kernel checks it).</summary>
        public bool ChecksumValid { get; }
        /// <summary>Where the echo payload starts in the datagram (the bytes after the 8-byte header).</summary>
        public int PayloadOffset { get; }
        public int PayloadLength { get; }
        /// <summary>For errors: the echo request quoted in the message, when it could be read.</summary>
        public OriginalEcho? Original { get; }

        public bool IsError => Kind == IcmpMessageKind.DestinationUnreachable || Kind == IcmpMessageKind.TimeExceeded
            || Kind == IcmpMessageKind.PacketTooBig || Kind == IcmpMessageKind.ParameterProblem;

        /// <summary>The name of the error (HostUnreachable, TtlExceeded...), or null for echo messages.</summary>
        public string? Reason => IsError ? IcmpPacket.Describe(IsIpv6, Type, Code) : null;

        public ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> datagram) => datagram.Slice(PayloadOffset, PayloadLength);
    }
}
