using System;
using System.Linq;
using System.Net;
using FsCheck;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Network.Icmp;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Network
{
    public class IcmpPacketTests
    {
        private static byte[] Hex(string hex)
            => Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(i * 2, 2), 16)).ToArray();

        // ---- checksum -------------------------------------------------------------------------

        [Fact]
        public void Checksum_matches_the_RFC_1071_worked_example()
        {
            // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its complement.
            Assert.Equal(0x220d, IcmpPacket.Checksum(Hex("0001f203f4f5f6f7")));
        }

        [Fact]
        public void Checksum_pads_an_odd_length_with_a_zero_byte()
        {
            // abcd + ef00 = 19acd, folded 9ace, complemented 6531.
            Assert.Equal(0x6531, IcmpPacket.Checksum(Hex("abcdef")));
            Assert.Equal(IcmpPacket.Checksum(Hex("abcdef00")), IcmpPacket.Checksum(Hex("abcdef")));
        }

        [Fact]
        public void Echo_request_matches_the_classic_Windows_ping_packet()
        {
            // Identifier 1, sequence 1, payload "abcdefghijklmnopqrstuvwabcdefghi": checksum 0x4d5a.
            var payload = System.Text.Encoding.ASCII.GetBytes("abcdefghijklmnopqrstuvwabcdefghi");
            var buffer = new byte[IcmpPacket.EchoRequestLength(payload.Length)];
            var length = IcmpPacket.WriteEchoRequest(buffer, false, 1, 1, payload);
            Assert.Equal(40, length);
            Assert.Equal(Hex("08004d5a00010001"), buffer.Take(8).ToArray());
            Assert.Equal(0, IcmpPacket.Checksum(buffer));
        }

        [Fact]
        public void ChecksumV6_matches_what_the_Linux_kernel_put_on_a_real_echo_request()
        {
            // Captured on a raw ICMPv6 socket: fping -b 12 ::1 (request, then the kernel's reply).
            var request = Hex("800063811c2e0000000000000000000000000000");
            var reply = Hex("810062811c2e0000000000000000000000000000");
            Assert.Equal(0, IcmpPacket.ChecksumV6(IPAddress.IPv6Loopback, IPAddress.IPv6Loopback, request));
            Assert.Equal(0, IcmpPacket.ChecksumV6(IPAddress.IPv6Loopback, IPAddress.IPv6Loopback, reply));
            request[2] = 0;
            request[3] = 0;
            Assert.Equal(0x6381, IcmpPacket.ChecksumV6(IPAddress.IPv6Loopback, IPAddress.IPv6Loopback, request));
        }

        [Fact]
        public void Echo_request_v6_leaves_the_checksum_to_the_kernel()
        {
            var buffer = new byte[16];
            IcmpPacket.WriteEchoRequest(buffer, true, 0x1c2e, 7, new byte[8]);
            Assert.Equal(Hex("800000001c2e0007"), buffer.Take(8).ToArray());
        }

        [Fact]
        public void SetSequence_renumbers_and_keeps_the_checksum_valid()
        {
            var buffer = new byte[IcmpPacket.EchoRequestLength(56)];
            IcmpPacket.WriteEchoRequest(buffer, false, 0xBEEF, 0, Enumerable.Range(0, 56).Select(i => (byte)i).ToArray());
            foreach (ushort sequence in new ushort[] { 1, 255, 256, 0xFFFF, 0 })
            {
                IcmpPacket.SetSequence(buffer, false, sequence);
                Assert.Equal(0, IcmpPacket.Checksum(buffer));
                Assert.True(IcmpPacket.TryParse(buffer, false, IpHeaderPresence.Absent, out var m));
                Assert.Equal(sequence, m.Sequence);
                Assert.Equal(0xBEEF, m.Identifier);
            }
        }

        [Fact]
        public void WriteEchoRequest_refuses_a_buffer_too_small()
        {
            Assert.Throws<ArgumentException>(() => IcmpPacket.WriteEchoRequest(new byte[10], false, 1, 1, new byte[8]));
        }

        // ---- parsing what comes back ----------------------------------------------------------

        [Fact]
        public void Parses_a_real_echo_reply_from_a_raw_IPv4_socket()
        {
            // Captured in the lab scanner namespace: fping -b 12 198.18.0.7, as a raw socket hands it over.
            var datagram = Hex("450000286830000040018776c6120007c613ff010000e3ba1c450000000000000000000000000000");
            Assert.True(IcmpPacket.TryParse(datagram, false, IpHeaderPresence.Present, out var m));
            Assert.Equal(IcmpMessageKind.EchoReply, m.Kind);
            Assert.Equal(0x1c45, m.Identifier);
            Assert.Equal(0, m.Sequence);
            Assert.Equal(64, m.Ttl);
            Assert.Equal(IPAddress.Parse("198.18.0.7"), m.Source);
            Assert.True(m.ChecksumValid);
            Assert.Equal(12, m.PayloadLength);
            Assert.Equal(28, m.PayloadOffset);
        }

        [Fact]
        public void Detects_whether_an_IPv4_datagram_socket_kept_the_header()
        {
            var withHeader = Hex("450000286830000040018776c6120007c613ff010000e3ba1c450000000000000000000000000000");
            var withoutHeader = withHeader.Skip(20).ToArray();
            Assert.True(IcmpPacket.TryParse(withHeader, false, IpHeaderPresence.Detect, out var a));
            Assert.True(IcmpPacket.TryParse(withoutHeader, false, IpHeaderPresence.Detect, out var b));
            Assert.Equal(64, a.Ttl);
            Assert.Null(b.Ttl);
            Assert.Equal(a.Identifier, b.Identifier);
            Assert.Equal(IcmpMessageKind.EchoReply, b.Kind);
        }

        [Fact]
        public void Skips_an_IPv4_header_with_options_using_its_length_field()
        {
            var reply = Build(false, IcmpPacket.EchoReply, 0x1234, 0x0102, new byte[] { 9, 8, 7 });
            var options = new byte[] { 0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00 }; // router alert + NOPs + EOL
            var datagram = Ipv4Header(options, 1, 57, IPAddress.Parse("10.1.2.3"), IPAddress.Parse("10.9.9.9")).Concat(reply).ToArray();
            Assert.Equal(0x47, datagram[0]);
            Assert.True(IcmpPacket.TryParse(datagram, false, IpHeaderPresence.Present, out var m));
            Assert.Equal(IcmpMessageKind.EchoReply, m.Kind);
            Assert.Equal(0x1234, m.Identifier);
            Assert.Equal(0x0102, m.Sequence);
            Assert.Equal(57, m.Ttl);
            Assert.Equal(new byte[] { 9, 8, 7 }, m.Payload(datagram).ToArray());
            Assert.Equal(IPAddress.Parse("10.1.2.3"), m.Source);
        }

        [Fact]
        public void Reads_the_original_echo_inside_a_host_unreachable_with_options_on_both_headers()
        {
            var original = Build(false, IcmpPacket.EchoRequest, 0xCAFE, 4242, new byte[56]).Take(8).ToArray(); // RFC 792: 64 bits
            var quoted = Ipv4Header(new byte[] { 1, 1, 1, 0 }, 1, 63, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("203.0.113.77")).Concat(original).ToArray();
            var error = BuildError(false, IcmpPacket.DestinationUnreachable, 1, quoted);
            var datagram = Ipv4Header(new byte[0], 1, 254, IPAddress.Parse("198.51.100.1"), IPAddress.Parse("192.0.2.1")).Concat(error).ToArray();

            Assert.True(IcmpPacket.TryParse(datagram, false, IpHeaderPresence.Present, out var m));
            Assert.Equal(IcmpMessageKind.DestinationUnreachable, m.Kind);
            Assert.True(m.IsError);
            Assert.True(m.ChecksumValid);
            Assert.Equal("HostUnreachable", m.Reason);
            Assert.Equal(1, m.Code);
            Assert.NotNull(m.Original);
            Assert.True(m.Original!.IsEchoRequest);
            Assert.Equal(IPAddress.Parse("203.0.113.77"), m.Original.Destination);
            Assert.Equal(0xCAFE, m.Original.Identifier);
            Assert.Equal(4242, m.Original.Sequence);
        }

        [Fact]
        public void Reads_a_time_exceeded_quoting_something_else_without_claiming_an_echo()
        {
            var udp = new byte[] { 0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00 };
            var quoted = Ipv4Header(new byte[0], 17, 1, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("203.0.113.9")).Concat(udp).ToArray();
            var datagram = BuildError(false, IcmpPacket.TimeExceeded, 0, quoted);
            Assert.True(IcmpPacket.TryParse(datagram, false, IpHeaderPresence.Absent, out var m));
            Assert.Equal(IcmpMessageKind.TimeExceeded, m.Kind);
            Assert.Equal("TtlExceeded", m.Reason);
            Assert.False(m.Original!.IsEchoRequest);
            Assert.Equal(IPAddress.Parse("203.0.113.9"), m.Original.Destination);
        }

        [Fact]
        public void Reads_the_original_echo_inside_an_ICMPv6_error_past_extension_headers()
        {
            var echo = Build(true, IcmpPacket.EchoRequestV6, 0x0BAD, 77, new byte[4]);
            var hopByHop = new byte[] { 58, 0, 5, 2, 0, 0, 1, 0 }; // next = ICMPv6, length 8, router alert
            var quoted = Ipv6Header(0, 64, IPAddress.Parse("2001:db8::1"), IPAddress.Parse("2001:db8:ffff::42")).Concat(hopByHop).Concat(echo).ToArray();
            var datagram = BuildError(true, IcmpPacket.DestinationUnreachableV6, 3, quoted);
            Assert.True(IcmpPacket.TryParse(datagram, true, IpHeaderPresence.Absent, out var m));
            Assert.Equal(IcmpMessageKind.DestinationUnreachable, m.Kind);
            Assert.Equal("AddressUnreachable", m.Reason);
            Assert.True(m.Original!.IsEchoRequest);
            Assert.Equal(IPAddress.Parse("2001:db8:ffff::42"), m.Original.Destination);
            Assert.Equal(0x0BAD, m.Original.Identifier);
            Assert.Equal(77, m.Original.Sequence);
        }

        [Theory]
        [InlineData(false, 3, 0, "NetworkUnreachable")]
        [InlineData(false, 3, 1, "HostUnreachable")]
        [InlineData(false, 3, 3, "PortUnreachable")]
        [InlineData(false, 3, 13, "CommunicationProhibited")]
        [InlineData(false, 3, 99, "DestinationUnreachable")]
        [InlineData(false, 11, 0, "TtlExceeded")]
        [InlineData(false, 11, 1, "ReassemblyTimeExceeded")]
        [InlineData(true, 1, 0, "NoRoute")]
        [InlineData(true, 1, 1, "CommunicationProhibited")]
        [InlineData(true, 1, 3, "AddressUnreachable")]
        [InlineData(true, 2, 0, "PacketTooBig")]
        [InlineData(true, 3, 0, "HopLimitExceeded")]
        public void Names_the_errors_a_technician_meets(bool ipv6, byte type, byte code, string expected)
            => Assert.Equal(expected, IcmpPacket.Describe(ipv6, type, code));

        [Theory]
        [InlineData("", false, IpHeaderPresence.Absent)]
        [InlineData("00", false, IpHeaderPresence.Absent)]
        [InlineData("0000000000", false, IpHeaderPresence.Absent)]
        [InlineData("45", false, IpHeaderPresence.Present)]
        [InlineData("4f000028000000004001000001020304050607080000", false, IpHeaderPresence.Present)] // IHL 60 > length
        [InlineData("440000280000000040010000010203040506070800000000ffff0000", false, IpHeaderPresence.Present)] // IHL 16 < 20
        [InlineData("450000280000000040110000010203040506070800000000ffff0000", false, IpHeaderPresence.Present)] // UDP, not ICMP
        [InlineData("650000280000000040010000010203040506070800000000ffff0000", false, IpHeaderPresence.Present)] // version 6
        [InlineData("4500002800000000400100000102030405060708000000", false, IpHeaderPresence.Present)] // ICMP cut short
        public void Rejects_malformed_datagrams_without_throwing(string hex, bool ipv6, IpHeaderPresence header)
        {
            Assert.False(IcmpPacket.TryParse(Hex(hex), ipv6, header, out _));
        }

        [Fact]
        public void A_truncated_quote_in_an_error_is_an_error_without_an_original()
        {
            var datagram = BuildError(false, IcmpPacket.DestinationUnreachable, 1, Hex("4500"));
            Assert.True(IcmpPacket.TryParse(datagram, false, IpHeaderPresence.Absent, out var m));
            Assert.Equal(IcmpMessageKind.DestinationUnreachable, m.Kind);
            Assert.Null(m.Original);
            var v6 = BuildError(true, IcmpPacket.TimeExceededV6, 0, new byte[39]);
            Assert.True(IcmpPacket.TryParse(v6, true, IpHeaderPresence.Absent, out var m6));
            Assert.Null(m6.Original);
        }

        [Fact]
        public void A_corrupted_IPv4_message_is_parsed_but_flagged()
        {
            var reply = Build(false, IcmpPacket.EchoReply, 1, 2, new byte[8]);
            reply[10] ^= 0xFF;
            Assert.True(IcmpPacket.TryParse(reply, false, IpHeaderPresence.Absent, out var m));
            Assert.False(m.ChecksumValid);
        }

        // ---- properties -----------------------------------------------------------------------

        [Property(MaxTest = 500)]
        public bool Echo_round_trips_through_build_and_parse_in_both_families(bool ipv6, ushort identifier, ushort sequence, byte[] payload)
        {
            payload ??= new byte[0];
            var buffer = new byte[IcmpPacket.EchoRequestLength(payload.Length)];
            IcmpPacket.WriteEchoRequest(buffer, ipv6, identifier, sequence, payload);
            var parsed = IcmpPacket.TryParse(buffer, ipv6, IpHeaderPresence.Absent, out var m);
            return (parsed
                    && m.Kind == IcmpMessageKind.EchoRequest
                    && m.Identifier == identifier
                    && m.Sequence == sequence
                    && m.Payload(buffer).SequenceEqual(payload)
                    && m.ChecksumValid
                    && (ipv6 || IcmpPacket.Checksum(buffer) == 0));
        }

        [Property(MaxTest = 500)]
        public bool Reply_behind_any_valid_IPv4_header_parses_the_same(ushort identifier, ushort sequence, byte[] payload, byte ttl, byte optionWords)
        {
            payload ??= new byte[0];
            var words = optionWords % 11; // IHL 5..15
            var options = Enumerable.Range(0, words * 4).Select(i => (byte)1).ToArray(); // NOPs
            var reply = Build(false, IcmpPacket.EchoReply, identifier, sequence, payload);
            var datagram = Ipv4Header(options, 1, ttl, IPAddress.Parse("198.18.1.2"), IPAddress.Parse("198.19.255.1")).Concat(reply).ToArray();
            var parsed = IcmpPacket.TryParse(datagram, false, IpHeaderPresence.Present, out var m);
            return (parsed && m.Kind == IcmpMessageKind.EchoReply && m.Identifier == identifier && m.Sequence == sequence
                    && m.Ttl == ttl && m.ChecksumValid && m.Payload(datagram).SequenceEqual(payload)
                    && m.PayloadOffset == 20 + words * 4 + 8);
        }

        [Property(MaxTest = 300)]
        public bool ChecksumV6_written_into_the_message_verifies_to_zero(byte[] payload, ushort identifier, ushort sequence)
        {
            payload ??= new byte[0];
            var source = IPAddress.Parse("fd00:1::1");
            var destination = IPAddress.Parse("fd00:2::" + (sequence % 255 + 1).ToString("x"));
            var buffer = new byte[IcmpPacket.EchoRequestLength(payload.Length)];
            IcmpPacket.WriteEchoRequest(buffer, true, identifier, sequence, payload);
            var checksum = IcmpPacket.ChecksumV6(source, destination, buffer);
            buffer[2] = (byte)(checksum >> 8);
            buffer[3] = (byte)checksum;
            return (IcmpPacket.ChecksumV6(source, destination, buffer) == 0);
        }

        [Property(MaxTest = 2000)]
        public bool Random_bytes_never_throw(byte[] datagram, bool ipv6, int headerChoice)
        {
            datagram ??= new byte[0];
            var header = (IpHeaderPresence)(Math.Abs(headerChoice % 3));
            var ok = IcmpPacket.TryParse(datagram, ipv6, header, out var m);
            return (!ok || (m.PayloadOffset + m.PayloadLength == datagram.Length));
        }

        [Property(MaxTest = 1000)]
        public bool Every_truncation_of_a_real_error_parses_or_refuses_without_throwing(PositiveInt cut, bool ipv6)
        {
            byte[] datagram;
            if (ipv6)
            {
                var echo = Build(true, IcmpPacket.EchoRequestV6, 1, 2, new byte[16]);
                var quoted = Ipv6Header(0, 64, IPAddress.Parse("2001:db8::1"), IPAddress.Parse("2001:db8::2")).Concat(new byte[] { 58, 0, 1, 4, 0, 0, 0, 0 }).Concat(echo).ToArray();
                datagram = BuildError(true, IcmpPacket.DestinationUnreachableV6, 0, quoted);
            }
            else
            {
                var echo = Build(false, IcmpPacket.EchoRequest, 1, 2, new byte[16]);
                var quoted = Ipv4Header(new byte[8], 1, 64, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.2")).Concat(echo).ToArray();
                datagram = Ipv4Header(new byte[0], 1, 64, IPAddress.Parse("192.0.2.254"), IPAddress.Parse("192.0.2.1")).Concat(BuildError(false, 3, 1, quoted)).ToArray();
            }
            var length = cut.Get % (datagram.Length + 1);
            var truncated = datagram.Take(length).ToArray();
            IcmpPacket.TryParse(truncated, ipv6, ipv6 ? IpHeaderPresence.Absent : IpHeaderPresence.Present, out _);
            return true;
        }

        // ---- builders -------------------------------------------------------------------------

        internal static byte[] Build(bool ipv6, byte type, ushort identifier, ushort sequence, byte[] payload)
        {
            var buffer = new byte[8 + payload.Length];
            IcmpPacket.WriteEchoRequest(buffer, ipv6, identifier, sequence, payload);
            buffer[0] = type;
            buffer[2] = 0;
            buffer[3] = 0;
            if (!ipv6)
            {
                var sum = IcmpPacket.Checksum(buffer);
                buffer[2] = (byte)(sum >> 8);
                buffer[3] = (byte)sum;
            }
            return buffer;
        }

        internal static byte[] BuildError(bool ipv6, byte type, byte code, byte[] quoted)
        {
            var buffer = new byte[8 + quoted.Length];
            buffer[0] = type;
            buffer[1] = code;
            quoted.CopyTo(buffer, 8);
            if (!ipv6)
            {
                var sum = IcmpPacket.Checksum(buffer);
                buffer[2] = (byte)(sum >> 8);
                buffer[3] = (byte)sum;
            }
            return buffer;
        }

        internal static byte[] Ipv4Header(byte[] options, byte protocol, byte ttl, IPAddress source, IPAddress destination)
        {
            var length = 20 + options.Length;
            var header = new byte[length];
            header[0] = (byte)(0x40 | (length / 4));
            header[8] = ttl;
            header[9] = protocol;
            source.GetAddressBytes().CopyTo(header, 12);
            destination.GetAddressBytes().CopyTo(header, 16);
            options.CopyTo(header, 20);
            var sum = IcmpPacket.Checksum(header);
            header[10] = (byte)(sum >> 8);
            header[11] = (byte)sum;
            return header;
        }

        internal static byte[] Ipv6Header(byte nextHeaderOverride, byte hopLimit, IPAddress source, IPAddress destination)
        {
            var header = new byte[40];
            header[0] = 0x60;
            header[6] = nextHeaderOverride;
            header[7] = hopLimit;
            source.GetAddressBytes().CopyTo(header, 8);
            destination.GetAddressBytes().CopyTo(header, 24);
            return header;
        }
    }
}
