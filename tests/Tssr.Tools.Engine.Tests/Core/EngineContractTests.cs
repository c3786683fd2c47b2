using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Dns;
using Tssr.Tools.Engine.Network.Subnet;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Core
{
    /// <summary>The one engine contract (IEngine): who implements it, and how its end is reported.</summary>
    public class EngineContractTests
    {
        private static readonly string[] EngineSuffixes = { "Resolver", "Scanner", "Sweeper", "Checker", "Engine" };

        [Fact]
        public void Every_network_engine_implements_the_one_contract()
        {
            var engines = typeof(IEngine<,>).Assembly.GetTypes()
                .Where(t => t.IsPublic && t.IsClass && !t.IsAbstract && t.Namespace != null && t.Namespace.StartsWith("Tssr.Tools.Engine.Network", StringComparison.Ordinal)
                            && EngineSuffixes.Any(s => t.Name.EndsWith(s, StringComparison.Ordinal)))
                .ToList();
            Assert.True(engines.Count >= 6, "DNS, ports, hosts, TLS, subnet and duplicate-address engines: " + string.Join(", ", engines.Select(e => e.Name)));
            foreach (var engine in engines)
            {
                Assert.True(engine.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEngine<,>)),
                    engine.FullName + " does not implement IEngine<TOptions, TInput>");
                Assert.NotNull(engine.GetConstructor(Type.EmptyTypes));
            }
        }

        [Fact]
        public void A_synchronous_engine_ends_within_the_call_and_faults_its_task_instead_of_throwing()
        {
            var sink = new RecordingSink();
            var done = new SubnetEngine().RunAsync(new SubnetOptions(), new[] { new SubnetInput("10.0.0.0/30"), new SubnetInput("bad") }, sink, CancellationToken.None);
            Assert.True(done.IsCompleted && !done.IsFaulted);
            Assert.Single(sink.OutputsOf<SubnetInfo>());
            Assert.Single(sink.Errors); // the bad input is that input's error; the others go on

            var failed = new SubnetEngine().RunAsync(new SubnetOptions { Operation = SubnetOperation.Plan }, new[] { new SubnetInput("10.0.0.0/24") }, sink, CancellationToken.None);
            Assert.True(failed.IsFaulted);
            Assert.Equal("SubnetHostCountInvalid", Assert.IsType<TssrException>(failed.Exception!.InnerException).Error.ErrorId);
        }

        [Fact]
        public async Task Options_out_of_range_end_the_run_with_a_specific_error()
        {
            var run = new DnsResolver().RunAsync(new DnsResolveOptions { ThrottleLimit = 0 }, new[] { "a.tssr.lab" }, new RecordingSink(), CancellationToken.None);
            var e = await Assert.ThrowsAsync<TssrException>(() => run);
            Assert.Equal("DnsOptionInvalid", e.Error.ErrorId);
        }

        [Fact]
        public async Task Subnet_filters_live_in_the_options()
        {
            var sink = new RecordingSink();
            var options = new SubnetOptions
            {
                Operation = SubnetOperation.Contains,
                Quiet = true,
                ContainsTargets = new SubnetEngine().ParseTargets(new[] { "10.0.0.7" }, sink),
            };
            await new SubnetEngine().RunAsync(options, new[] { new SubnetInput("10.0.0.0/24"), new SubnetInput("192.168.0.0/24") }, sink, CancellationToken.None);
            Assert.Equal(new object[] { true, false }, sink.Outputs);
        }

        [Fact]
        public async Task Names_the_hosts_file_lists_are_answered_from_it_unless_dns_only()
        {
            var hosts = Path.GetTempFileName();
            try
            {
                File.WriteAllText(hosts, "192.0.2.44 pinned.tssr.invalid pinned\n2001:db8::44 pinned.tssr.invalid\n");
                var sink = new RecordingSink();
                var options = new DnsResolveOptions { HostsFilePath = hosts, Timeout = TimeSpan.FromSeconds(0.3), Retry = 0 };
                try
                {
                    await new DnsResolver().RunAsync(options, new[] { "pinned.tssr.invalid" }, sink, CancellationToken.None);
                }
                catch (TssrException e) when (e.Error.ErrorId == "DnsNoSystemServer")
                {
                    return; // no resolv.conf here: the hosts file is read after the servers are known
                }
                var results = sink.OutputsOf<DnsResult>();
                Assert.Equal(new[] { "192.0.2.44", "2001:db8::44" }, results.Select(r => r.IPAddress));
                Assert.All(results, r => Assert.Equal(DnsSource.HostsFile, r.Source));
                Assert.All(results, r => Assert.Equal(hosts, r.Server));
                Assert.Empty(sink.Errors);
            }
            finally
            {
                File.Delete(hosts);
            }
        }
    }
}
