using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Snmp;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Snmp
{
    /// <summary>
    /// SNMPv3 behaviours snmpd cannot be made to show on demand: a clock that jumps (an authentic
    /// notInTimeWindow report, then success), report loops, forged unauthenticated reports. The agent
    /// here signs with the same USM maths the RFC vectors and the lab's snmpd check.
    /// </summary>
    public class UsmAgentTests
    {
        private static readonly byte[] EngineId = { 0x80, 0x00, 0x1F, 0x88, 0x04, 0x66, 0x61, 0x6B, 0x65 };
        private static readonly byte[] Pass = Encoding.ASCII.GetBytes("fake-agent-pass");
        private static readonly Oid SysName = Oid.Parse("1.3.6.1.2.1.1.5.0");

        private static SnmpCredential User() => SnmpCredential.ForUser("faker", SnmpAuthProtocol.SHA1, Pass, SnmpPrivacyProtocol.None, null);

        private static byte[] Key() => UsmCrypto.Localize(SnmpAuthProtocol.SHA1, UsmCrypto.PasswordToKey(SnmpAuthProtocol.SHA1, Pass), EngineId);

        private static byte[] Message(SnmpMessage request, SnmpPduType type, int requestId, int boots, int time, bool sign, params SnmpVarbind[] varbinds)
        {
            var v3 = new SnmpV3Parts
            {
                MessageId = request.V3!.MessageId, Flags = (byte)(sign ? 0x01 : 0x00), EngineId = EngineId, EngineBoots = boots, EngineTime = time,
                UserName = request.V3.UserName, AuthParameters = sign ? new byte[12] : Array.Empty<byte>(), ContextEngineId = EngineId,
            };
            var bytes = new SnmpMessage(SnmpVersion.V3, Array.Empty<byte>(), new SnmpPdu(type, requestId, 0, 0, varbinds), v3).Encode();
            if (sign)
            {
                SnmpMessage.TryDecode(bytes, bytes.Length, out var own, out _);
                var mac = UsmCrypto.Mac(SnmpAuthProtocol.SHA1, Key(), bytes);
                Buffer.BlockCopy(mac, 0, bytes, own!.V3!.AuthParametersOffset, mac.Length);
            }
            return bytes;
        }

        private static SnmpVarbind Report(string oid) => new SnmpVarbind(Oid.Parse(oid), SnmpValue.Unsigned32(SnmpType.Counter32, 1));

        private static async Task<RecordingSink> Get(FakeAgent agent)
        {
            var sink = new RecordingSink();
            // A generous timeout: the replies are immediate, the machine may not be.
            var options = new SnmpGetOptions { Credential = User(), Oids = new[] { SysName }, Settings = new SnmpRequestSettings { Timeout = TimeSpan.FromSeconds(3), Retry = 0 } };
            await new SnmpGetEngine().RunAsync(options, new[] { agent.Target }, sink, CancellationToken.None);
            return sink;
        }

        [Fact]
        public async Task An_authentic_notInTimeWindow_report_teaches_the_clock_and_the_request_succeeds()
        {
            var times = new List<int>();
            using var agent = new FakeAgent(datagram =>
            {
                var m = FakeAgent.Read(datagram);
                if (m.V3!.EngineId.Length == 0) return new[] { Message(m, SnmpPduType.Report, m.Pdu!.RequestId, 7, 100, false, Report("1.3.6.1.6.3.15.1.1.4.0")) };
                lock (times) times.Add(m.V3.EngineTime);
                // The agent rebooted its clock: until the manager speaks of time 5000, it says notInTimeWindow.
                if (m.V3.EngineTime < 5000) return new[] { Message(m, SnmpPduType.Report, m.Pdu!.RequestId, 7, 5000, true, Report("1.3.6.1.6.3.15.1.1.2.0")) };
                return new[] { Message(m, SnmpPduType.Response, m.Pdu!.RequestId, 7, 5000, true, new SnmpVarbind(SysName, SnmpValue.OctetString("faked"))) };
            });
            var sink = await Get(agent);
            Assert.Empty(sink.Errors);
            Assert.Equal("faked", Assert.Single(sink.OutputsOf<SnmpValueResult>()).Value);
            Assert.Equal(2, times.Count);
            Assert.True(times[1] >= 5000);
        }

        [Fact]
        public async Task A_report_loop_ends_after_one_resynchronisation_with_a_clear_error()
        {
            using var agent = new FakeAgent(datagram =>
            {
                var m = FakeAgent.Read(datagram);
                if (m.V3!.EngineId.Length == 0) return new[] { Message(m, SnmpPduType.Report, m.Pdu!.RequestId, 7, 100, false, Report("1.3.6.1.6.3.15.1.1.4.0")) };
                return new[] { Message(m, SnmpPduType.Report, m.Pdu!.RequestId, 7, 100, true, Report("1.3.6.1.6.3.15.1.1.2.0")) };
            });
            var sink = await Get(agent);
            Assert.Equal("SnmpNotInTimeWindow", Assert.Single(sink.Errors).ErrorId);
            Assert.Equal(3, agent.Requests); // discovery, the request, once more after learning the clock
        }

        [Fact]
        public async Task A_forged_unauthenticated_notInTimeWindow_report_changes_nothing()
        {
            using var agent = new FakeAgent(datagram =>
            {
                var m = FakeAgent.Read(datagram);
                if (m.V3!.EngineId.Length == 0) return new[] { Message(m, SnmpPduType.Report, m.Pdu!.RequestId, 7, 100, false, Report("1.3.6.1.6.3.15.1.1.4.0")) };
                return new[] { Message(m, SnmpPduType.Report, m.Pdu!.RequestId, 9, 999999, false, Report("1.3.6.1.6.3.15.1.1.2.0")) };
            });
            var sink = await Get(agent);
            Assert.Equal("SnmpNotInTimeWindow", Assert.Single(sink.Errors).ErrorId);
            Assert.Equal(2, agent.Requests); // no resynchronisation on a report anyone could have sent
        }

        [Fact]
        public async Task A_response_with_a_wrong_digest_is_not_used()
        {
            using var agent = new FakeAgent(datagram =>
            {
                var m = FakeAgent.Read(datagram);
                if (m.V3!.EngineId.Length == 0) return new[] { Message(m, SnmpPduType.Report, m.Pdu!.RequestId, 7, 100, false, Report("1.3.6.1.6.3.15.1.1.4.0")) };
                var reply = Message(m, SnmpPduType.Response, m.Pdu!.RequestId, 7, 100, true, new SnmpVarbind(SysName, SnmpValue.OctetString("forged")));
                reply[reply.Length - 1] ^= 0x01; // the value changed after signing
                return new[] { reply };
            });
            var sink = await Get(agent);
            Assert.Empty(sink.Outputs);
            Assert.Equal("SnmpResponseNotAuthentic", Assert.Single(sink.Errors).ErrorId);
        }

        [Theory]
        [InlineData("1.3.6.1.6.3.15.1.1.3.0", "SnmpUnknownUserName")]
        [InlineData("1.3.6.1.6.3.15.1.1.5.0", "SnmpWrongDigest")]
        [InlineData("1.3.6.1.6.3.15.1.1.1.0", "SnmpUnsupportedSecurityLevel")]
        [InlineData("1.3.6.1.6.3.15.1.1.6.0", "SnmpDecryptionError")]
        [InlineData("1.3.6.1.6.3.15.1.1.4.0", "SnmpUnknownEngineId")]
        [InlineData("1.3.6.1.6.3.12.1.5.0", "SnmpUnknownContext")]
        public async Task Each_report_is_its_own_error(string reportOid, string errorId)
        {
            using var agent = new FakeAgent(datagram =>
            {
                var m = FakeAgent.Read(datagram);
                if (m.V3!.EngineId.Length == 0) return new[] { Message(m, SnmpPduType.Report, m.Pdu!.RequestId, 7, 100, false, Report("1.3.6.1.6.3.15.1.1.4.0")) };
                return new[] { Message(m, SnmpPduType.Report, m.Pdu!.RequestId, 7, 100, false, Report(reportOid)) };
            });
            var sink = await Get(agent);
            var error = Assert.Single(sink.Errors);
            Assert.Equal(errorId, error.ErrorId);
            Assert.DoesNotContain("fake-agent-pass", error.Message + error.RecommendedAction);
        }
    }
}
