using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Network.Dns;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Network.Dns
{
    public class DnsSystemServerTests
    {
        [Fact]
        public async Task Without_a_server_the_system_servers_of_resolv_conf_are_used_in_order()
        {
            // Reads the configuration only: nothing is sent (the system's server may be off this machine).
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !File.Exists("/etc/resolv.conf")) return;
            var expected = File.ReadAllLines("/etc/resolv.conf")
                .Select(l => l.Trim().Split(new[] { ' ', '\t' }, System.StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length >= 2 && f[0] == "nameserver" && IPAddress.TryParse(f[1].Split('%')[0], out _))
                .Select(f => DnsServerAddress.Format(IPAddress.Parse(f[1].Split('%')[0]), 53))
                .ToList();
            if (expected.Count == 0) return;

            var sink = new RecordingSink();
            var targets = await new DnsResolver(new DnsResolveOptions()).CreateTargetsAsync(sink, CancellationToken.None);
            var target = Assert.Single(targets);
            Assert.Equal(expected, target.Servers.Select(DnsTarget.LabelOf).Take(expected.Count));
            Assert.Contains(sink.VerboseMessages, m => m.Contains(expected[0]));
        }
    }
}
