using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>One domain controller a _ldap._tcp SRV record names.</summary>
    public sealed class DomainControllerRecord
    {
        public DomainControllerRecord(string host, int port, int priority, int weight)
        {
            Host = host;
            Port = port;
            Priority = priority;
            Weight = weight;
        }

        public string Host { get; }
        public int Port { get; }
        public int Priority { get; }
        public int Weight { get; }
    }

    /// <summary>Finds the domain controllers of a domain through DNS (RFC 2782 SRV records _ldap._tcp.&lt;domain&gt;).</summary>
    public static class DomainControllerLocator
    {
        private static readonly Localizer Text = DirectoryText.Strings;

        /// <summary>The SRV name for a domain, optionally in an AD site.</summary>
        public static string SrvName(string domain, string? site = null)
            => string.IsNullOrWhiteSpace(site) ? "_ldap._tcp." + domain.Trim().TrimEnd('.') : "_ldap._tcp." + site!.Trim() + "._sites." + domain.Trim().TrimEnd('.');

        private static readonly object RandomGate = new object();
        private static readonly Random SharedRandom = new Random();

        /// <summary>
        /// The records in the order to try, as RFC 2782 says: lowest priority first; within one
        /// priority, a weighted random draw (a record of weight 60 comes first about six times as
        /// often as one of weight 10; weight 0 only when nothing heavier remains, or by chance
        /// when every weight is 0), so clients spread their load as the domain's DNS intends.
        /// </summary>
        public static List<DomainControllerRecord> Order(IEnumerable<DomainControllerRecord> records, Random? random = null)
        {
            var ordered = new List<DomainControllerRecord>();
            foreach (var group in records.GroupBy(r => r.Priority).OrderBy(g => g.Key))
            {
                // RFC 2782: the working list in any order (shuffled, so equal records share the
                // load) except that weight-0 records come first; then draw a number in [0, sum]
                // and take the first record whose running sum reaches it.
                var shuffled = group.ToList();
                for (int i = shuffled.Count - 1; i > 0; i--)
                {
                    int j = (int)NextInclusive(random, i);
                    var t = shuffled[i]; shuffled[i] = shuffled[j]; shuffled[j] = t;
                }
                var remaining = shuffled.OrderBy(r => r.Weight == 0 ? 0 : 1).ToList();
                while (remaining.Count > 0)
                {
                    long sum = remaining.Sum(r => (long)Math.Max(0, r.Weight));
                    long draw = NextInclusive(random, sum);
                    long running = 0;
                    int chosen = remaining.Count - 1;
                    for (int i = 0; i < remaining.Count; i++)
                    {
                        running += Math.Max(0, remaining[i].Weight);
                        if (running >= draw) { chosen = i; break; }
                    }
                    ordered.Add(remaining[chosen]);
                    remaining.RemoveAt(chosen);
                }
            }
            return ordered;
        }

        private static long NextInclusive(Random? random, long max)
        {
            // SRV weights are 16-bit, so the sum of one priority fits an int comfortably.
            int upper = (int)Math.Min(int.MaxValue - 1, max);
            if (random != null) return random.Next(0, upper + 1);
            lock (RandomGate) return SharedRandom.Next(0, upper + 1);
        }

        /// <summary>Queries the SRV records (through <paramref name="dnsServer"/> when given, else the system's resolvers).</summary>
        public static async Task<List<DomainControllerRecord>> FindAsync(string domain, string? site, IPEndPoint? dnsServer, CancellationToken ct)
        {
            var name = SrvName(domain, site);
            var options = dnsServer == null ? new LookupClientOptions() : new LookupClientOptions(new NameServer(dnsServer));
            options.UseCache = false;
            options.ThrowDnsErrors = false;
            options.Timeout = TimeSpan.FromSeconds(3);
            options.Retries = 1;
            var client = new LookupClient(options);
            IDnsQueryResponse response;
            try
            {
                response = await client.QueryAsync(name, QueryType.SRV, QueryClass.IN, ct).ConfigureAwait(false);
            }
            catch (DnsResponseException e)
            {
                throw new TssrException("DirectoryDomainNotFound", TssrErrorCategory.ObjectNotFound, domain,
                    Text.Format("Error_SrvLookup", name, e.Message), Text.Get("Action_SrvLookup"), e);
            }
            var records = response.Answers.SrvRecords()
                .Where(r => r.Target.Value != ".")
                .Select(r => new DomainControllerRecord(r.Target.Value.TrimEnd('.'), r.Port, r.Priority, r.Weight))
                .ToList();
            if (records.Count == 0)
                throw new TssrException("DirectoryDomainNotFound", TssrErrorCategory.ObjectNotFound, domain,
                    Text.Format("Error_SrvNone", name, response.HasError ? response.ErrorMessage : "NOERROR, 0 records"), Text.Get("Action_SrvLookup"));
            return Order(records);
        }

        /// <summary>
        /// Connects to the first domain controller that answers, in SRV order. Only an unreachable
        /// DC makes it try the next: a certificate or credential problem is reported at once.
        /// </summary>
        public static async Task<DirectorySession> ConnectAsync(string domain, string? site, IPEndPoint? dnsServer, Func<DomainControllerRecord, DirectoryConnectionOptions> options, IEngineSink sink, CancellationToken ct)
        {
            var records = await FindAsync(domain, site, dnsServer, ct).ConfigureAwait(false);
            sink.Verbose(Text.Format("Verbose_SrvFound", SrvName(domain, site), string.Join(", ", records.Select(r => r.Host + ":" + r.Port + " (" + r.Priority + "/" + r.Weight + ")"))));
            TssrException? last = null;
            foreach (var record in records)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    return await DirectorySession.ConnectAsync(options(record), sink, ct).ConfigureAwait(false);
                }
                catch (TssrException e) when (e.Error.ErrorId == "DirectoryServerUnreachable" || e.Error.ErrorId == "DirectoryServerNotFound" || e.Error.ErrorId == "DirectoryServerTimeout")
                {
                    sink.Verbose(Text.Format("Verbose_SrvNext", record.Host, e.Error.Message));
                    last = e;
                }
            }
            throw last!;
        }
    }
}
