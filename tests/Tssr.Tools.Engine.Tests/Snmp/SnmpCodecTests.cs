using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck.Xunit;
using Tssr.Tools.Engine.Snmp;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Snmp
{
    /// <summary>The BER codec and the message layer: laws on random input, and a corpus of hostile datagrams.</summary>
    public class SnmpCodecTests
    {
        internal static SnmpValue RandomValue(Random r)
        {
            switch (r.Next(12))
            {
                case 0: return SnmpValue.Integer(r.Next(3) == 0 ? int.MinValue + r.Next(3) : r.Next(int.MinValue, int.MaxValue));
                case 1: return SnmpValue.OctetString(RandomBytes(r, r.Next(3) == 0 ? r.Next(200, 1500) : r.Next(0, 40)));
                case 2: return SnmpValue.Null;
                case 3: return SnmpValue.ObjectIdentifier(RandomOid(r));
                case 4: return SnmpValue.IpAddress(RandomBytes(r, 4));
                case 5: return SnmpValue.Unsigned32(SnmpType.Counter32, (long)(uint)r.Next() * 2 + r.Next(2));
                case 6: return SnmpValue.Unsigned32(SnmpType.Gauge32, r.Next(2) == 0 ? uint.MaxValue : (uint)r.Next());
                case 7: return SnmpValue.Unsigned32(SnmpType.TimeTicks, r.Next());
                case 8: return SnmpValue.Opaque(RandomBytes(r, r.Next(0, 20)));
                case 9: return SnmpValue.Counter64(r.Next(2) == 0 ? ulong.MaxValue - (ulong)r.Next(3) : (ulong)r.Next() << r.Next(33));
                case 10: return SnmpValue.NoSuchInstance;
                default: return r.Next(2) == 0 ? SnmpValue.EndOfMibView : SnmpValue.NoSuchObject;
            }
        }

        internal static byte[] RandomBytes(Random r, int length)
        {
            var b = new byte[length];
            r.NextBytes(b);
            return b;
        }

        internal static Oid RandomOid(Random r)
        {
            var first = (uint)r.Next(3);
            var parts = new List<uint> { first, first < 2 ? (uint)r.Next(40) : (uint)r.Next() };
            var n = r.Next(0, 20);
            for (var i = 0; i < n; i++) parts.Add(r.Next(4) == 0 ? uint.MaxValue - (uint)r.Next(10) : (uint)r.Next(0, 300));
            return new Oid(parts);
        }

        internal static SnmpMessage RandomMessage(Random r)
        {
            var types = new[] { SnmpPduType.Get, SnmpPduType.GetNext, SnmpPduType.Response, SnmpPduType.Set, SnmpPduType.GetBulk, SnmpPduType.Report };
            var varbinds = Enumerable.Range(0, r.Next(0, 12)).Select(_ => new SnmpVarbind(RandomOid(r), RandomValue(r))).ToList();
            var pdu = new SnmpPdu(types[r.Next(types.Length)], r.Next(int.MinValue, int.MaxValue), r.Next(0, 19), r.Next(0, 100), varbinds);
            var version = r.Next(3);
            if (version < 2) return new SnmpMessage(version == 0 ? SnmpVersion.V1 : SnmpVersion.V2c, RandomBytes(r, r.Next(0, 30)), pdu);
            var v3 = new SnmpV3Parts
            {
                MessageId = r.Next(), MaxSize = r.Next(484, 65507), Flags = (byte)r.Next(0, 8),
                EngineId = RandomBytes(r, r.Next(5, 32)), EngineBoots = r.Next(), EngineTime = r.Next(),
                UserName = RandomBytes(r, r.Next(0, 32)), AuthParameters = RandomBytes(r, r.Next(2) * 12), PrivParameters = RandomBytes(r, r.Next(2) * 8),
                ContextEngineId = RandomBytes(r, r.Next(0, 32)), ContextName = RandomBytes(r, r.Next(0, 8)),
            };
            return new SnmpMessage(SnmpVersion.V3, Array.Empty<byte>(), pdu, v3);
        }

        private static bool SameMessage(SnmpMessage a, SnmpMessage b)
        {
            if (a.Version != b.Version || !a.Community.SequenceEqual(b.Community)) return false;
            var p = a.Pdu!;
            var q = b.Pdu!;
            if (p.Type != q.Type || p.RequestId != q.RequestId || p.ErrorStatus != q.ErrorStatus || p.ErrorIndex != q.ErrorIndex || p.Varbinds.Count != q.Varbinds.Count) return false;
            for (var i = 0; i < p.Varbinds.Count; i++)
                if (!p.Varbinds[i].Oid.Equals(q.Varbinds[i].Oid) || !p.Varbinds[i].Value.Equals(q.Varbinds[i].Value)) return false;
            if (a.V3 == null) return b.V3 == null;
            var x = a.V3;
            var y = b.V3!;
            return x.MessageId == y.MessageId && x.MaxSize == y.MaxSize && x.Flags == y.Flags && x.EngineId.SequenceEqual(y.EngineId)
                && x.EngineBoots == y.EngineBoots && x.EngineTime == y.EngineTime && x.UserName.SequenceEqual(y.UserName)
                && x.AuthParameters.SequenceEqual(y.AuthParameters) && x.PrivParameters.SequenceEqual(y.PrivParameters)
                && x.ContextEngineId.SequenceEqual(y.ContextEngineId) && x.ContextName.SequenceEqual(y.ContextName);
        }

        [Property(MaxTest = 500)]
        public bool Encode_then_decode_gives_the_same_message(int seed)
        {
            var message = RandomMessage(new Random(seed));
            var bytes = message.Encode();
            return SnmpMessage.TryDecode(bytes, bytes.Length, out var decoded, out var error) && error == null && SameMessage(message, decoded!);
        }

        [Property(MaxTest = 2000)]
        public bool Any_bytes_give_a_message_or_a_parse_error(byte[] bytes)
        {
            var ok = SnmpMessage.TryDecode(bytes, bytes.Length, out var message, out var error);
            return ok ? message != null && error == null : message == null && error != null && error.Offset >= 0 && error.Offset <= bytes.Length;
        }

        /// <summary>Random bytes rarely get past the first tag: damage valid messages instead, so every layer is reached.</summary>
        [Property(MaxTest = 3000)]
        public bool Damaged_messages_give_a_message_or_a_parse_error(int seed, byte noise, int where, int cut)
        {
            var bytes = RandomMessage(new Random(seed)).Encode();
            var position = (int)((uint)where % (uint)bytes.Length);
            bytes[position] ^= noise;
            var length = cut % 4 == 0 ? (int)((uint)cut % (uint)(bytes.Length + 1)) : bytes.Length;
            var ok = SnmpMessage.TryDecode(bytes, length, out var message, out var error);
            return ok ? message != null : error != null && error.Offset >= 0 && error.Offset <= length;
        }

        [Property(MaxTest = 500)]
        public bool Oid_text_round_trips_and_orders_like_its_parts(int seed, int other)
        {
            var r = new Random(seed);
            var a = RandomOid(r);
            var b = RandomOid(new Random(other));
            var parsed = Oid.Parse(a.ToString());
            var expected = Compare(a.Parts, b.Parts);
            return parsed.Equals(a) && Oid.Parse("." + a).Equals(a) && Math.Sign(a.CompareTo(b)) == expected;
        }

        private static int Compare(IReadOnlyList<uint> x, IReadOnlyList<uint> y)
        {
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
                if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
            return Math.Sign(x.Count.CompareTo(y.Count));
        }

        private static SnmpParseError Fails(string hex)
        {
            var bytes = Convert.FromHexString(hex.Replace(" ", ""));
            Assert.False(SnmpMessage.TryDecode(bytes, bytes.Length, out _, out var error));
            return error!;
        }

        [Theory]
        // A truncated length: OCTET STRING announces 0x7F bytes, one remains.
        [InlineData("30 06 02 01 00 04 7F 41", 6, "Parse_LengthBeyondEnd")]
        // Indefinite length on the outer SEQUENCE.
        [InlineData("30 80 02 01 00 04 06 70 75 62 6C 69 63 00 00", 1, "Parse_IndefiniteLength")]
        // A huge length (0x84 FF FF FF FF), and one that reads as negative in 32 bits.
        [InlineData("30 84 FF FF FF FF 02 01 00", 1, "Parse_HugeLength")]
        [InlineData("30 84 80 00 00 00 02 01 00", 1, "Parse_HugeLength")]
        // Long form whose octets are missing.
        [InlineData("30 84 00 00", 1, "Parse_TruncatedLength")]
        [InlineData("30 03 02 01", 1, "Parse_LengthBeyondEnd")]
        [InlineData("", 0, "Parse_UnexpectedEnd")]
        [InlineData("30", 1, "Parse_MissingLength")]
        [InlineData("30 FF", 1, "Parse_ReservedLength")]
        // Non-minimal version integer.
        [InlineData("30 04 02 02 00 01", 4, "Parse_NonMinimalInteger")]
        // Trailing bytes after the message.
        [InlineData("30 03 02 01 01 00", 5, "Parse_TrailingBytes")]
        // Version 2 does not exist.
        [InlineData("30 03 02 01 02", 2, "Parse_UnknownVersion")]
        // Trap v1 PDU (0xA4) is not something a manager expects back.
        [InlineData("30 0B 02 01 00 04 01 70 A4 03 02 01 00", 8, "Parse_UnsupportedPdu")]
        public void Hostile_datagrams_fail_with_the_offset_and_the_reason(string hex, int offset, string reasonKey)
        {
            var error = Fails(hex);
            Assert.Equal(offset, error.Offset);
            var reasonStart = SnmpText.Strings.Get(reasonKey, System.Globalization.CultureInfo.InvariantCulture);
            Assert.StartsWith(reasonStart.Split('{')[0], error.Reason);
        }

        [Theory]
        // net-snmp's laLoadFloat: Opaque 44 07 9F 78 04 <IEEE single, big-endian>; and its double form 9F 79 08.
        [InlineData("9F 78 04 3E B8 51 EC", 0.36f, "0.36")]
        [InlineData("9F 78 04 C2 F6 E6 66", -123.45f, "-123.45")]
        [InlineData("9F 78 04 00 00 00 00", 0f, "0")]
        [InlineData("9F 79 08 3F D7 0A 3D 70 A3 D7 0A", 0.36, "0.36")]
        [InlineData("9F 79 08 C0 FE 24 0C 9F BE 76 C9", -123456.789, "-123456.789")]
        public void Opaque_floats_and_doubles_are_decoded(string hex, double expected, string text)
        {
            var value = SnmpValue.Opaque(Convert.FromHexString(hex.Replace(" ", "")));
            var real = value.OpaqueFloat;
            Assert.NotNull(real);
            Assert.Equal(expected, real!.Value);
            Assert.Equal(text, value.ToText());
        }

        [Theory]
        [InlineData("9F 78 04 3E B8 51")]          // content shorter than the inner length
        [InlineData("9F 78 04 3E B8 51 EC 00")]    // a byte after the float
        [InlineData("9F 78 08 3E B8 51 EC")]       // a float announced with 8 bytes
        [InlineData("9F 79 04 3E B8 51 EC")]       // a double announced with 4 bytes
        [InlineData("9F 76 04 00 00 00 01")]       // net-snmp's opaque counter64: not a float
        [InlineData("04 03 61 62 63")]             // an Opaque that wraps an OCTET STRING
        [InlineData("")]
        public void Other_opaques_stay_bytes(string hex)
        {
            var bytes = Convert.FromHexString(hex.Replace(" ", ""));
            var value = SnmpValue.Opaque(bytes);
            Assert.Null(value.OpaqueFloat);
            Assert.Equal(SnmpValue.ToHex(bytes, ':'), value.ToText());
        }

        [Property(MaxTest = 1000)]
        public bool Any_float_bits_read_back_as_that_float(int bits)
        {
            var raw = BitConverter.GetBytes(bits);
            var expected = BitConverter.ToSingle(raw, 0);
            if (BitConverter.IsLittleEndian) Array.Reverse(raw);
            var real = SnmpValue.Opaque(new byte[] { 0x9F, 0x78, 0x04 }.Concat(raw).ToArray()).OpaqueFloat;
            return real.HasValue && (float.IsNaN(expected) ? double.IsNaN(real.Value) : (float)real.Value == expected);
        }

        [Fact]
        public void A_subidentifier_with_a_leading_0x80_is_refused()
        {
            // Response with varbind OID 1.3.0x80 0x01 (non-minimal).
            var hex = "30 1C 02 01 01 04 01 70 A2 14 02 01 01 02 01 00 02 01 00 30 09 30 07 06 03 2B 80 01 05 00";
            var bytes = Convert.FromHexString(hex.Replace(" ", ""));
            Assert.False(SnmpMessage.TryDecode(bytes, bytes.Length, out _, out var error));
            Assert.Equal(26, error!.Offset);
        }

        [Fact]
        public void A_real_net_snmp_response_is_read()
        {
            // snmpget -v2c -c public 127.0.0.1 sysUpTime.0 reply, as net-snmp 5.9 sends it (long-form length 0x82 00 xx not needed here).
            var hex = "30 29 02 01 01 04 06 70 75 62 6C 69 63 A2 1C 02 04 12 34 56 78 02 01 00 02 01 00 30 0E 30 0C 06 08 2B 06 01 02 01 01 03 00 43 00";
            var bytes = Convert.FromHexString(hex.Replace(" ", ""));
            Assert.False(SnmpMessage.TryDecode(bytes, bytes.Length, out _, out var error), "TimeTicks with no content is an empty integer");
            Assert.Contains("integer", error!.Reason);
            bytes = Convert.FromHexString("30 2A 02 01 01 04 06 70 75 62 6C 69 63 A2 1D 02 04 12 34 56 78 02 01 00 02 01 00 30 0F 30 0D 06 08 2B 06 01 02 01 01 03 00 43 01 2A".Replace(" ", ""));
            Assert.True(SnmpMessage.TryDecode(bytes, bytes.Length, out var message, out _));
            Assert.Equal(SnmpVersion.V2c, message!.Version);
            Assert.Equal(0x12345678, message.Pdu!.RequestId);
            var vb = Assert.Single(message.Pdu.Varbinds);
            Assert.Equal("1.3.6.1.2.1.1.3.0", vb.Oid.ToString());
            Assert.Equal(SnmpType.TimeTicks, vb.Value.Type);
            Assert.Equal("42", vb.Value.ToText());
        }

        [Fact]
        public void Long_form_lengths_with_extra_octets_are_accepted_as_RFC_3417_allows()
        {
            var bytes = Convert.FromHexString("30 82 00 03 02 01 01".Replace(" ", ""));
            Assert.False(SnmpMessage.TryDecode(bytes, bytes.Length, out _, out var error));
            // It got past the length: what fails is the missing community.
            Assert.Equal(7, error!.Offset);
        }

        [Fact]
        public void Exceptions_are_kept_apart()
        {
            var pdu = new SnmpPdu(SnmpPduType.Response, 7, 0, 0, new[]
            {
                new SnmpVarbind(Oid.Parse("1.3.6.1.2.1.1.1.0"), SnmpValue.NoSuchObject),
                new SnmpVarbind(Oid.Parse("1.3.6.1.2.1.1.1.1"), SnmpValue.NoSuchInstance),
                new SnmpVarbind(Oid.Parse("1.3.6.1.2.1.1.1.2"), SnmpValue.EndOfMibView),
            });
            var bytes = new SnmpMessage(SnmpVersion.V2c, new byte[] { 0x70 }, pdu).Encode();
            Assert.True(SnmpMessage.TryDecode(bytes, bytes.Length, out var message, out _));
            Assert.Equal(new[] { SnmpType.NoSuchObject, SnmpType.NoSuchInstance, SnmpType.EndOfMibView }, message!.Pdu!.Varbinds.Select(v => v.Value.Type));
        }

        [Theory]
        [InlineData("sysDescr.0", "1.3.6.1.2.1.1.1.0")]
        [InlineData("SNMPv2-MIB::sysUpTime.0", "1.3.6.1.2.1.1.3.0")]
        [InlineData("ifHCInOctets.3", "1.3.6.1.2.1.31.1.1.1.6.3")]
        [InlineData("IFDESCR", "1.3.6.1.2.1.2.2.1.2")]
        [InlineData(".1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.5.0")]
        [InlineData("1.3.6", "1.3.6")]
        public void Known_names_and_numbers_resolve(string text, string expected)
        {
            Assert.True(SnmpNames.TryResolve(text, out var oid));
            Assert.Equal(expected, oid!.ToString());
        }

        [Theory]
        [InlineData("noSuchMib.0")]
        [InlineData("sysDescr.x")]
        [InlineData("3.1")]
        [InlineData("1.40")]
        [InlineData("1")]
        [InlineData("1.3.6.4294967296")]
        [InlineData("")]
        public void Unknown_names_and_bad_numbers_do_not(string text) => Assert.False(SnmpNames.TryResolve(text, out _));

        [Fact]
        public void Names_come_back_with_their_index()
        {
            Assert.Equal("ifDescr.2", SnmpNames.NameOf(Oid.Parse("1.3.6.1.2.1.2.2.1.2.2")));
            Assert.Equal("sysDescr.0", SnmpNames.NameOf(Oid.Parse("1.3.6.1.2.1.1.1.0")));
            Assert.Null(SnmpNames.NameOf(Oid.Parse("1.3.6.1.3.5")));
        }

        [Theory]
        [InlineData("router1", "router1", 161)]
        [InlineData("127.0.0.1:16100", "127.0.0.1", 16100)]
        [InlineData("::1", "::1", 161)]
        [InlineData("[::1]:1161", "::1", 1161)]
        public void Agent_addresses_parse(string text, string host, int port)
        {
            var e = SnmpEndpoint.Parse(text);
            Assert.Equal(host, e.Host);
            Assert.Equal(port, e.Port);
        }

        [Theory]
        [InlineData("")]
        [InlineData("host:0")]
        [InlineData("host:70000")]
        [InlineData("[::1")]
        [InlineData("a:b:c")]
        [InlineData("host:x")]
        public void Bad_agent_addresses_are_refused(string text)
        {
            var e = Assert.Throws<Tssr.Tools.Engine.Core.TssrException>(() => SnmpEndpoint.Parse(text));
            Assert.Equal("SnmpInvalidTarget", e.Error.ErrorId);
        }

        [Fact]
        public void Every_SNMP_text_key_exists_in_English_and_French()
        {
            var folder = System.IO.Path.Combine(RepoRoot(), "src", "Tssr.Tools.Engine", "Snmp");
            var keys = new HashSet<string>();
            foreach (var file in System.IO.Directory.GetFiles(folder, "*.cs"))
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(System.IO.File.ReadAllText(file), "\"((?:Parse|Error|Action|Oid|Value|Credential|Note|Progress|Verbose|ShouldProcess|Usm|Inventory|Sweep)_[A-Za-z0-9_]+)\""))
                    if (!m.Groups[1].Value.EndsWith("_")) keys.Add(m.Groups[1].Value);
            foreach (SnmpErrorStatus s in Enum.GetValues(typeof(SnmpErrorStatus))) keys.Add("Action_Status_" + s);
            keys.Add("Action_Status_Other");
            Assert.True(keys.Count > 60);
            var missing = new List<string>();
            foreach (var culture in new[] { System.Globalization.CultureInfo.InvariantCulture, new System.Globalization.CultureInfo("fr") })
            {
                var set = new System.Resources.ResourceManager(SnmpText.Strings.BaseName, typeof(SnmpText).Assembly).GetResourceSet(culture, true, culture.Name.Length == 0)!;
                foreach (var k in keys) if (set.GetString(k) == null) missing.Add(culture.Name + ":" + k);
            }
            Assert.Empty(missing);
        }

        internal static string RepoRoot()
        {
            var dir = AppContext.BaseDirectory;
            while (dir != null && !System.IO.File.Exists(System.IO.Path.Combine(dir, "Tssr.Tools.sln"))) dir = System.IO.Path.GetDirectoryName(dir);
            return dir!;
        }
    }
}
