using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Snmp;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Snmp
{
    /// <summary>Request matching, retries, timeouts, tooBig, walks and hostile responders, against UDP responders of the test.</summary>
    public class SnmpClientTests
    {
        private static SortedList<Oid, SnmpValue> Mib(int rows)
        {
            var mib = new SortedList<Oid, SnmpValue>
            {
                [Oid.Parse("1.3.6.1.2.1.1.1.0")] = SnmpValue.OctetString("Fake agent"),
                [Oid.Parse("1.3.6.1.2.1.1.3.0")] = SnmpValue.Unsigned32(SnmpType.TimeTicks, 4242),
                [Oid.Parse("1.3.6.1.2.1.1.5.0")] = SnmpValue.OctetString("fake"),
            };
            for (var i = 1; i <= rows; i++) mib[Oid.Parse("1.3.6.1.2.1.2.2.1.2." + i)] = SnmpValue.OctetString("eth" + i);
            mib[Oid.Parse("1.3.6.1.2.1.4.1.0")] = SnmpValue.Integer(2);
            return mib;
        }

        private static SnmpGetOptions Get(params string[] oids) => new SnmpGetOptions
        {
            Oids = oids.Select(Oid.Parse).ToList(),
            Settings = new SnmpRequestSettings { Timeout = TimeSpan.FromSeconds(1), Retry = 1 },
        };

        private static async Task<RecordingSink> Run<TOptions>(Tssr.Tools.Engine.Core.IEngine<TOptions, string> engine, TOptions options, params string[] targets)
        {
            var sink = new RecordingSink();
            await engine.RunAsync(options, targets, sink, CancellationToken.None);
            return sink;
        }

        [Fact]
        public async Task Get_returns_typed_values_and_keeps_exceptions_apart()
        {
            var mib = Mib(3);
            using var agent = new FakeAgent(r => FakeAgent.Serve(mib, r));
            var sink = await Run(new SnmpGetEngine(), Get("1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.9.0"), agent.Target);
            Assert.Empty(sink.Errors);
            var results = sink.OutputsOf<SnmpValueResult>();
            Assert.Equal(3, results.Count);
            Assert.Equal("Fake agent", results[0].Value);
            Assert.Equal("sysDescr.0", results[0].Name);
            Assert.Equal(SnmpType.TimeTicks, results[1].Type);
            Assert.Equal(4242m, results[1].Number);
            Assert.Equal(SnmpValueStatus.NoSuchObject, results[2].Status);
        }

        [Fact]
        public async Task TooBig_is_answered_by_splitting_the_request()
        {
            var mib = Mib(10);
            using var agent = new FakeAgent(r => FakeAgent.Serve(mib, r, maxVarbinds: 2));
            var oids = Enumerable.Range(1, 7).Select(i => "1.3.6.1.2.1.2.2.1.2." + i).ToArray();
            var sink = await Run(new SnmpGetEngine(), Get(oids), agent.Target);
            Assert.Empty(sink.Errors);
            Assert.Equal(Enumerable.Range(1, 7).Select(i => "eth" + i), sink.OutputsOf<SnmpValueResult>().Select(r => r.Value));
        }

        [Fact]
        public async Task A_walk_streams_the_subtree_and_shrinks_GetBulk_on_tooBig()
        {
            var mib = Mib(120);
            using var agent = new FakeAgent(r => FakeAgent.Serve(mib, r, maxVarbinds: 7));
            var options = new SnmpWalkOptions { Roots = new[] { Oid.Parse("1.3.6.1.2.1.2.2") }, Settings = new SnmpRequestSettings { Timeout = TimeSpan.FromSeconds(2), MaxRepetitions = 50 } };
            var sink = await Run(new SnmpWalkEngine(), options, agent.Target);
            Assert.Empty(sink.Errors);
            var values = sink.OutputsOf<SnmpValueResult>();
            Assert.Equal(120, values.Count);
            Assert.Equal("eth1", values[0].Value);
            Assert.Equal("eth120", values[119].Value);
        }

        [Fact]
        public async Task A_walk_to_the_end_of_the_MIB_stops_at_endOfMibView()
        {
            var mib = Mib(2);
            using var agent = new FakeAgent(r => FakeAgent.Serve(mib, r));
            var options = new SnmpWalkOptions { Roots = new[] { Oid.Parse("1.3") }, Settings = new SnmpRequestSettings { Timeout = TimeSpan.FromSeconds(2), MaxRepetitions = 4 } };
            var sink = await Run(new SnmpWalkEngine(), options, agent.Target);
            Assert.Empty(sink.Errors);
            Assert.Equal(mib.Count, sink.OutputsOf<SnmpValueResult>().Count);
        }

        [Fact]
        public async Task A_walk_whose_OIDs_go_backwards_stops_with_a_clear_error()
        {
            using var agent = new FakeAgent(r =>
            {
                var m = FakeAgent.Read(r);
                return new[] { FakeAgent.Respond(m, new[] { new SnmpVarbind(Oid.Parse("1.3.6.1.2.1.1.1.0"), SnmpValue.Integer(1)) }) };
            });
            var options = new SnmpWalkOptions { Roots = new[] { Oid.Parse("1.3.6.1.2.1.1") }, UseGetNext = true, Settings = new SnmpRequestSettings { Timeout = TimeSpan.FromSeconds(2) } };
            var sink = await Run(new SnmpWalkEngine(), options, agent.Target);
            Assert.Single(sink.OutputsOf<SnmpValueResult>());
            Assert.Equal("SnmpOidNotIncreasing", Assert.Single(sink.Errors).ErrorId);
        }

        [Fact]
        public async Task Silence_is_a_timeout_after_every_retry()
        {
            using var agent = new FakeAgent(_ => Array.Empty<byte[]>());
            var watch = Stopwatch.StartNew();
            var sink = await Run(new SnmpGetEngine(), Get("1.3.6.1.2.1.1.1.0"), agent.Target);
            watch.Stop();
            var error = Assert.Single(sink.Errors);
            Assert.Equal("SnmpTimeout", error.ErrorId);
            Assert.Equal(agent.Target, error.Target);
            Assert.Equal(2, agent.Requests);
            Assert.Equal(1, agent.Probes);
            Assert.InRange(watch.Elapsed.TotalSeconds, 1.9, 8);
            Assert.Contains("community", error.Message);
        }

        [Fact]
        public async Task Replies_with_a_wrong_request_id_are_ignored_and_said()
        {
            using var agent = new FakeAgent(r =>
            {
                var m = FakeAgent.Read(r);
                return new[] { FakeAgent.Respond(m, m.Pdu!.Varbinds, requestId: m.Pdu.RequestId ^ 0x55) };
            });
            var sink = await Run(new SnmpGetEngine(), Get("1.3.6.1.2.1.1.1.0"), agent.Target);
            var error = Assert.Single(sink.Errors);
            Assert.Equal("SnmpTimeout", error.ErrorId);
            // Each attempt's wrong reply is noted while the request waits (one or both, on a loaded machine).
            Assert.True(error.Message.Contains(SnmpText.Strings.Format("Note_WrongRequestIds", 2)) || error.Message.Contains(SnmpText.Strings.Format("Note_WrongRequestIds", 1)), error.Message);
        }

        [Fact]
        public async Task A_reply_from_another_address_never_completes_a_request()
        {
            using var other = FakeAgent.Bind();
            var otherPort = ((System.Net.IPEndPoint)other.Client.LocalEndPoint!).Port;
            var mib = Mib(1);
            using var agent = new FakeAgent(r => FakeAgent.Serve(mib, r), replyFrom: other);
            var sink = await Run(new SnmpGetEngine(), Get("1.3.6.1.2.1.1.1.0"), agent.Target);
            var error = Assert.Single(sink.Errors);
            Assert.Equal("SnmpTimeout", error.ErrorId);
            Assert.Contains("127.0.0.1:" + otherPort, error.Message);
            Assert.Empty(sink.Outputs);
        }

        [Theory]
        [InlineData("30 06 02 01 00 04 7F 41")]
        [InlineData("30 80 02 01 01 04 01 70 00 00")]
        [InlineData("30 84 7F FF FF FF 02 01 01")]
        [InlineData("30 84 FF FF FF FF 02 01 01")]
        public async Task An_unreadable_reply_is_a_clear_per_target_error_naming_the_offset(string hex)
        {
            var bytes = Convert.FromHexString(hex.Replace(" ", ""));
            using var bad = new FakeAgent(_ => new[] { bytes });
            var mib = Mib(1);
            using var good = new FakeAgent(r => FakeAgent.Serve(mib, r));
            var sink = await Run(new SnmpGetEngine(), Get("1.3.6.1.2.1.1.1.0"), bad.Target, good.Target);
            var error = Assert.Single(sink.Errors);
            Assert.Equal("SnmpInvalidResponse", error.ErrorId);
            Assert.Equal(bad.Target, error.Target);
            Assert.Matches("at byte [0-9]+", error.Message);
            Assert.Equal(good.Target, Assert.Single(sink.OutputsOf<SnmpValueResult>()).ComputerName);
        }

        [Fact]
        public async Task Error_status_names_the_status_and_the_OID()
        {
            using var agent = new FakeAgent(r =>
            {
                var m = FakeAgent.Read(r);
                return new[] { FakeAgent.Respond(m, m.Pdu!.Varbinds, errorStatus: 17, errorIndex: 1) };
            });
            var options = new SnmpSetOptions { Values = new[] { new SnmpVarbind(Oid.Parse("1.3.6.1.2.1.1.1.0"), SnmpValue.OctetString("x")) }, Settings = new SnmpRequestSettings { Timeout = TimeSpan.FromSeconds(2) } };
            var sink = await Run(new SnmpSetEngine(), options, agent.Target);
            var error = Assert.Single(sink.Errors);
            Assert.Equal("SnmpNotWritable", error.ErrorId);
            Assert.Contains("sysDescr.0", error.Message);
        }

        [Fact]
        public async Task A_closed_port_is_said_to_be_closed_not_a_wrong_community()
        {
            // A port nothing listens on: the kernel answers ICMP port unreachable.
            int port;
            using (var probe = FakeAgent.Bind()) port = ((System.Net.IPEndPoint)probe.Client.LocalEndPoint!).Port;
            var options = Get("1.3.6.1.2.1.1.5.0");
            options.Settings.Timeout = TimeSpan.FromSeconds(0.3);
            options.Settings.Retry = 0;
            var sink = await Run(new SnmpGetEngine(), options, "127.0.0.1:" + port);
            var error = Assert.Single(sink.Errors);
            Assert.Equal("SnmpPortUnreachable", error.ErrorId);
            Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
            // A sweep takes the same silence as no answer, without a probe per address.
            var sweep = await Run(new SnmpSweepEngine(), new SnmpSweepOptions { Port = port, IncludeNoResponse = true, Settings = new SnmpRequestSettings { Timeout = TimeSpan.FromSeconds(0.3), Retry = 0 } }, "127.0.0.1");
            Assert.Empty(sweep.Errors);
            Assert.Equal(SnmpSweepStatus.NoResponse, Assert.Single(sweep.OutputsOf<SnmpSweepResult>()).Status);
        }

        [Fact]
        public async Task A_silent_agent_is_a_timeout_even_after_the_refusal_probe()
        {
            using var agent = new FakeAgent(_ => Array.Empty<byte[]>());
            var options = Get("1.3.6.1.2.1.1.5.0");
            options.Settings.Timeout = TimeSpan.FromSeconds(0.3);
            options.Settings.Retry = 1;
            var sink = await Run(new SnmpGetEngine(), options, agent.Target);
            Assert.Equal("SnmpTimeout", Assert.Single(sink.Errors).ErrorId);
            Assert.Equal(2, agent.Requests);
            Assert.Equal(1, agent.Probes);
        }

        [Fact]
        public async Task WhatIf_sends_nothing()
        {
            using var agent = new FakeAgent(_ => Array.Empty<byte[]>());
            var options = new SnmpSetOptions { Values = new[] { new SnmpVarbind(Oid.Parse("1.3.6.1.2.1.1.4.0"), SnmpValue.OctetString("me")) } };
            var sink = new RecordingSink { Answer = (_, _) => false };
            await new SnmpSetEngine().RunAsync(options, new[] { agent.Target }, sink, CancellationToken.None);
            Assert.Equal(0, agent.Requests);
            var question = Assert.Single(sink.Questions);
            Assert.Equal(agent.Target, question.Target);
            Assert.Contains("sysContact.0 = me", question.Action);
        }

        [Fact]
        public async Task Many_agents_share_one_socket_and_a_bounded_number_run_at_once()
        {
            var mib = Mib(1);
            var inFlight = 0;
            var peak = 0;
            var agents = Enumerable.Range(0, 12).Select(_ => new FakeAgent(r =>
            {
                var now = Interlocked.Increment(ref inFlight);
                lock (mib) peak = Math.Max(peak, now);
                return FakeAgent.Serve(mib, r);
                // Counted down before the answer leaves: counting down after it raced with the next
                // request the answer let the client send (a peak of 5 seen under load).
            }, delay: TimeSpan.FromMilliseconds(60), beforeReply: () => Interlocked.Decrement(ref inFlight))).ToList();
            try
            {
                var options = Get("1.3.6.1.2.1.1.5.0");
                options.ThrottleLimit = 4;
                options.Settings.Timeout = TimeSpan.FromSeconds(2);
                var sink = await Run(new SnmpGetEngine(), options, agents.Select(a => a.Target).ToArray());
                Assert.Empty(sink.Errors);
                Assert.Equal(12, sink.OutputsOf<SnmpValueResult>().Count);
                Assert.InRange(peak, 1, 4);
            }
            finally
            {
                foreach (var a in agents) a.Dispose();
            }
        }
    }
}
