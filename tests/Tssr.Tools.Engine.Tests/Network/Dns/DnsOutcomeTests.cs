using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Tssr.Tools.Engine.Network.Dns;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Network.Dns
{
    public class DnsOutcomeTests
    {
        private const string Server = "127.0.0.1:5353";

        private static DnsAnswer Answer(DnsRecordType type, DnsStatus status)
            => status == DnsStatus.NoError
                ? new DnsAnswer(type, status, new DnsResourceRecord[] { new ARecord(new ResourceRecordInfo("web.tssr.lab.", ResourceRecordType.A, QueryClass.IN, 300, 4), IPAddress.Loopback) }, Server)
                : DnsAnswer.Empty(type, status, Server, null, null);

        [Fact]
        public void A_missing_AAAA_beside_an_A_is_not_reported_when_the_types_were_not_chosen()
        {
            var answers = new[] { Answer(DnsRecordType.A, DnsStatus.NoError), Answer(DnsRecordType.AAAA, DnsStatus.NoData) };
            Assert.Empty(DnsOutcomeRules.GroupsToReport(answers, typesChosen: false));
        }

        [Fact]
        public void A_missing_type_the_user_asked_for_is_reported()
        {
            var answers = new[] { Answer(DnsRecordType.A, DnsStatus.NoError), Answer(DnsRecordType.AAAA, DnsStatus.NoData) };
            var group = Assert.Single(DnsOutcomeRules.GroupsToReport(answers, typesChosen: true));
            Assert.Equal(DnsStatus.NoData, group.Status);
            Assert.Equal(new[] { DnsRecordType.AAAA }, group.Types);
        }

        [Fact]
        public void A_name_with_no_address_at_all_is_reported_once()
        {
            var answers = new[] { Answer(DnsRecordType.A, DnsStatus.NoData), Answer(DnsRecordType.AAAA, DnsStatus.NoData) };
            var group = Assert.Single(DnsOutcomeRules.GroupsToReport(answers, typesChosen: false));
            Assert.Equal(new[] { DnsRecordType.A, DnsRecordType.AAAA }, group.Types);
        }

        [Fact]
        public void A_name_that_does_not_exist_is_one_outcome_not_one_per_type()
        {
            var answers = new[] { Answer(DnsRecordType.MX, DnsStatus.NameNotFound), Answer(DnsRecordType.TXT, DnsStatus.NameNotFound), Answer(DnsRecordType.SRV, DnsStatus.NameNotFound) };
            var group = Assert.Single(DnsOutcomeRules.GroupsToReport(answers, typesChosen: true));
            Assert.Equal(DnsStatus.NameNotFound, group.Status);
            Assert.Equal(3, group.Types.Count);
        }

        [Fact]
        public void Different_failures_stay_apart()
        {
            var answers = new[] { Answer(DnsRecordType.A, DnsStatus.Timeout), Answer(DnsRecordType.AAAA, DnsStatus.ServerFailure), Answer(DnsRecordType.MX, DnsStatus.Timeout) };
            var groups = DnsOutcomeRules.GroupsToReport(answers, typesChosen: true);
            Assert.Equal(new[] { DnsStatus.Timeout, DnsStatus.ServerFailure }, groups.Select(g => g.Status));
        }

        [Fact]
        public void Every_failure_has_its_own_error_id()
        {
            var failures = Enum.GetValues(typeof(DnsStatus)).Cast<DnsStatus>().Where(s => s != DnsStatus.NoError).ToList();
            var ids = failures.Select(DnsOutcomeRules.ErrorIdOf).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal("DnsNameNotFound", DnsOutcomeRules.ErrorIdOf(DnsStatus.NameNotFound));
            Assert.Equal("DnsServerFailure", DnsOutcomeRules.ErrorIdOf(DnsStatus.ServerFailure));
            Assert.Equal("DnsQueryRefused", DnsOutcomeRules.ErrorIdOf(DnsStatus.Refused));
            Assert.Equal("DnsTimeout", DnsOutcomeRules.ErrorIdOf(DnsStatus.Timeout));
            Assert.Equal("DnsConnectionRefused", DnsOutcomeRules.ErrorIdOf(DnsStatus.ConnectionRefused));
        }

        [Fact]
        public void A_timeout_is_told_from_a_refusal_and_from_a_network_error()
        {
            var timeout = new DnsResponseException(DnsResponseCode.ConnectionTimeout, "timed out", new OperationCanceledException());
            var refused = new DnsResponseException(DnsResponseCode.Unassigned, "failed", new SocketException((int)SocketError.ConnectionRefused));
            var unreachable = new DnsResponseException(DnsResponseCode.ConnectionTimeout, "transient", new SocketException((int)SocketError.NetworkUnreachable));
            var truncated = new DnsResponseException(DnsResponseCode.Unassigned, "Response was truncated and UseTcpFallback is disabled");

            Assert.Equal(DnsStatus.Timeout, DnsAnswer.FromException(DnsRecordType.A, timeout, Server)!.Status);
            Assert.Equal(DnsStatus.ConnectionRefused, DnsAnswer.FromException(DnsRecordType.A, refused, Server)!.Status);
            Assert.Equal(DnsStatus.NetworkError, DnsAnswer.FromException(DnsRecordType.A, unreachable, Server)!.Status);
            Assert.Equal(DnsStatus.InvalidResponse, DnsAnswer.FromException(DnsRecordType.A, truncated, Server)!.Status);
        }

        [Fact]
        public void A_defect_is_not_disguised_as_a_network_outcome()
        {
            Assert.Null(DnsAnswer.FromException(DnsRecordType.A, new InvalidOperationException("bug"), Server));
            Assert.Null(DnsAnswer.FromException(DnsRecordType.A, new NullReferenceException(), Server));
        }

        private static DnsRecordHeader Header(string owner, DnsRecordType type) => new DnsRecordHeader(owner, owner, type, 300, Server);

        private static ResourceRecordInfo Info(string owner, ResourceRecordType type) => new ResourceRecordInfo(owner, type, QueryClass.IN, 300, 0);

        [Fact]
        public void Records_carry_typed_fields_and_dig_like_data()
        {
            var mx = Assert.IsType<DnsResult>(DnsResolver.Convert(Header("tssr.lab", DnsRecordType.MX), new MxRecord(Info("tssr.lab.", ResourceRecordType.MX), 10, DnsString.Parse("mail.tssr.lab."))));
            Assert.Equal(10, mx.Preference);
            Assert.Equal("mail.tssr.lab", mx.NameHost);
            Assert.Equal("10 mail.tssr.lab", mx.Data);

            var srv = Assert.IsType<DnsResult>(DnsResolver.Convert(Header("_ldap._tcp.tssr.lab", DnsRecordType.SRV), new SrvRecord(Info("_ldap._tcp.tssr.lab.", ResourceRecordType.SRV), 0, 100, 389, DnsString.Parse("dc1.tssr.lab."))));
            Assert.Equal(((int?)0, (int?)100, (int?)389, "dc1.tssr.lab"), (srv.Priority, srv.Weight, srv.Port, srv.NameHost));
            Assert.Equal("0 100 389 dc1.tssr.lab", srv.Data);

            var soa = Assert.IsType<DnsResult>(DnsResolver.Convert(Header("tssr.lab", DnsRecordType.SOA), new SoaRecord(Info("tssr.lab.", ResourceRecordType.SOA), DnsString.Parse("ns1.tssr.lab."), DnsString.Parse("hostmaster.tssr.lab."), 2024010101, 3600, 600, 604800, 300)));
            Assert.Equal(("ns1.tssr.lab", "hostmaster@tssr.lab", (long?)2024010101L, (long?)3600L, (long?)600L, (long?)604800L, (long?)300L), (soa.NameHost, soa.ResponsibleMailbox, soa.Serial, soa.Refresh, soa.Retry, soa.Expire, soa.MinimumTtl));
            Assert.Equal("ns1.tssr.lab hostmaster.tssr.lab 2024010101 3600 600 604800 300", soa.Data);

            var txt = Assert.IsType<DnsResult>(DnsResolver.Convert(Header("multi.tssr.lab", DnsRecordType.TXT), new TxtRecord(Info("multi.tssr.lab.", ResourceRecordType.TXT), new[] { "first string", "second string" }, new[] { "first string", "second string" })));
            Assert.Equal(new[] { "first string", "second string" }, txt.Text);
            Assert.Equal("first stringsecond string", txt.Value);
            Assert.Equal("\"first string\" \"second string\"", txt.Data);

            var ptr = Assert.IsType<DnsResult>(DnsResolver.Convert(Header("5.10.0.127.in-addr.arpa", DnsRecordType.PTR), new PtrRecord(Info("5.10.0.127.in-addr.arpa.", ResourceRecordType.PTR), DnsString.Parse("other.tssr.lab."))));
            Assert.Equal("other.tssr.lab", ptr.NameHost);
            Assert.Equal("127.0.10.5", ptr.IPAddress);

            var aaaa = Assert.IsType<DnsResult>(DnsResolver.Convert(Header("web.tssr.lab", DnsRecordType.AAAA), new AaaaRecord(Info("web.tssr.lab.", ResourceRecordType.AAAA), IPAddress.Parse("fd00:10::5"))));
            Assert.Equal("fd00:10::5", aaaa.IPAddress);
            Assert.Equal(DnsStatus.NoError, aaaa.Status);
            Assert.Equal(DnsReverseCheck.NotChecked, aaaa.ReverseCheck);
        }

        [Fact]
        public void Every_result_has_the_same_properties_whatever_its_outcome()
        {
            var record = DnsResolver.Convert(Header("web.tssr.lab", DnsRecordType.A), new ARecord(Info("web.tssr.lab.", ResourceRecordType.A), IPAddress.Parse("10.0.0.5")))!;
            var outcome = DnsResult.Outcome("nowhere.tssr.lab", "nowhere.tssr.lab", new[] { DnsRecordType.A, DnsRecordType.AAAA }, Server, DnsStatus.NameNotFound, "DnsNameNotFound", "no such name", "tssr.lab");
            Assert.Same(record.GetType(), outcome.GetType());
            Assert.Equal("10.0.0.5", record.IPAddress);
            Assert.Equal("A, AAAA", outcome.QueryTypeText);
            Assert.Null(outcome.Ttl);
            Assert.Equal("web.tssr.lab 300 IN A 10.0.0.5", record.ToString());
            // No property may be named after a member of .NET arrays, nor hold an IPAddress object.
            foreach (var property in typeof(DnsResult).GetProperties())
            {
                Assert.DoesNotContain(property.Name, new[] { "Address", "Count", "Length", "Rank", "Get", "Set", "Clone" });
                Assert.NotEqual(typeof(IPAddress), property.PropertyType);
            }
        }

        [Fact]
        public void The_hosts_file_is_read_as_the_system_reads_it()
        {
            var hosts = HostsFile.Parse("/etc/hosts", "127.0.0.1 localhost\n::1 localhost ip6-localhost # loopback\n# 10.0.0.9 commented\n10.0.0.5\tweb.tssr.lab web\nnot-an-address name\n");
            Assert.Equal(new[] { "127.0.0.1", "::1" }, hosts.AddressesOf("LOCALHOST").Select(a => a.ToString()));
            Assert.Equal(new[] { "10.0.0.5" }, hosts.AddressesOf("web").Select(a => a.ToString()));
            Assert.Empty(hosts.AddressesOf("commented"));
            Assert.Empty(hosts.AddressesOf("name"));
            Assert.Equal(new[] { "web.tssr.lab", "web" }, hosts.NamesOf(IPAddress.Parse("10.0.0.5")));
        }
    }
}
