using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;

namespace Tssr.Tools.Engine.Network.Dns
{
    /// <summary>What every result of Resolve-TssrDns carries: the name asked, the server and the outcome.</summary>
    public abstract class DnsResult
    {
        private protected DnsResult(string query, string name, DnsRecordType type, string server, DnsStatus status)
        {
            Query = query;
            Name = name;
            Type = type;
            Server = server;
            Status = status;
        }

        /// <summary>The name or address as it was given.</summary>
        public string Query { get; }

        /// <summary>The owner name of the record (without the final dot), or the name asked for an outcome.</summary>
        public string Name { get; }

        public DnsRecordType Type { get; }

        /// <summary>The server that answered (address:port, IPv6 in brackets), or the servers tried.</summary>
        public string Server { get; }

        public DnsStatus Status { get; }
    }

    /// <summary>The reverse check of one record, as -CheckReverse found it.</summary>
    internal sealed class DnsReverseCheckResult
    {
        public static readonly DnsReverseCheckResult NotChecked = new DnsReverseCheckResult(DnsReverseCheck.NotChecked, Array.Empty<string>(), null);

        public DnsReverseCheckResult(DnsReverseCheck check, IReadOnlyList<string> values, string? detail)
        {
            Check = check;
            Values = values;
            Detail = detail;
        }

        public DnsReverseCheck Check { get; }
        public IReadOnlyList<string> Values { get; }
        public string? Detail { get; }
    }

    /// <summary>The fields every record shares, gathered so that each record type's constructor stays short.</summary>
    internal sealed class DnsRecordHeader
    {
        public DnsRecordHeader(string query, string name, DnsRecordType type, int ttl, string server, DnsReverseCheckResult? check = null)
        {
            Query = query;
            Name = name;
            Type = type;
            Ttl = ttl;
            Server = server;
            Check = check ?? DnsReverseCheckResult.NotChecked;
        }

        public string Query { get; }
        public string Name { get; }
        public DnsRecordType Type { get; }
        public int Ttl { get; }
        public string Server { get; }
        public DnsReverseCheckResult Check { get; }

        public DnsRecordHeader WithCheck(DnsReverseCheckResult check) => new DnsRecordHeader(Query, Name, Type, Ttl, Server, check);
    }

    /// <summary>One record of an answer. Each record type adds its own typed fields.</summary>
    public abstract class DnsRecord : DnsResult
    {
        private protected DnsRecord(DnsRecordHeader header, string data)
            : base(header.Query, header.Name, header.Type, header.Server, DnsStatus.NoError)
        {
            Ttl = header.Ttl;
            Data = data;
            ReverseCheck = header.Check.Check;
            ReverseCheckValues = header.Check.Values.ToArray();
            ReverseCheckDetail = header.Check.Detail;
        }

        /// <summary>Time to live, in seconds, as the server sent it.</summary>
        public int Ttl { get; }

        /// <summary>The record's data in the presentation form dig prints (e.g. "10 mail.tssr.lab").</summary>
        public string Data { get; }

        /// <summary>With -CheckReverse on A, AAAA and PTR records: whether forward and reverse agree.</summary>
        public DnsReverseCheck ReverseCheck { get; }

        /// <summary>What the other side said: the PTR names of an address, or the addresses of a PTR's name.</summary>
        public string[] ReverseCheckValues { get; }

        /// <summary>The reverse check in a sentence, in the user's language.</summary>
        public string? ReverseCheckDetail { get; }

        public override string ToString() => $"{Name} {Ttl} IN {Type} {Data}";
    }

    /// <summary>An A or AAAA record.</summary>
    public sealed class DnsAddressRecord : DnsRecord
    {
        internal DnsAddressRecord(DnsRecordHeader header, IPAddress address) : base(header, address.ToString())
        {
            Address = address;
        }

        public IPAddress Address { get; }
    }

    /// <summary>A CNAME record: the name is an alias of <see cref="CanonicalName"/>.</summary>
    public sealed class DnsCnameRecord : DnsRecord
    {
        internal DnsCnameRecord(DnsRecordHeader header, string canonicalName) : base(header, canonicalName)
        {
            CanonicalName = canonicalName;
        }

        public string CanonicalName { get; }
    }

    /// <summary>An MX record: mail for the name goes to <see cref="Exchange"/>, lowest preference first.</summary>
    public sealed class DnsMxRecord : DnsRecord
    {
        internal DnsMxRecord(DnsRecordHeader header, int preference, string exchange)
            : base(header, preference.ToString(CultureInfo.InvariantCulture) + " " + exchange)
        {
            Preference = preference;
            Exchange = exchange;
        }

        public int Preference { get; }
        public string Exchange { get; }
    }

    /// <summary>A TXT record: one or more character strings (SPF, DKIM and DMARC split long values).</summary>
    public sealed class DnsTxtRecord : DnsRecord
    {
        internal DnsTxtRecord(DnsRecordHeader header, IReadOnlyList<string> text) : base(header, Present(text))
        {
            Text = text.ToArray();
            Value = string.Concat(text);
        }

        /// <summary>The character strings, in order.</summary>
        public string[] Text { get; }

        /// <summary>The strings joined without separator, as SPF and DKIM read them.</summary>
        public string Value { get; }

        private static string Present(IReadOnlyList<string> text)
            => text.Count == 1 ? text[0] : string.Join(" ", text.Select(t => "\"" + t.Replace("\"", "\\\"") + "\""));
    }

    /// <summary>An SRV record: the service runs on <see cref="Target"/>:<see cref="Port"/>.</summary>
    public sealed class DnsSrvRecord : DnsRecord
    {
        internal DnsSrvRecord(DnsRecordHeader header, int priority, int weight, int port, string target)
            : base(header, string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} {3}", priority, weight, port, target))
        {
            Priority = priority;
            Weight = weight;
            Port = port;
            Target = target;
        }

        /// <summary>Lowest first.</summary>
        public int Priority { get; }
        /// <summary>Share among the targets of equal priority.</summary>
        public int Weight { get; }
        public int Port { get; }
        public string Target { get; }
    }

    /// <summary>An NS record: <see cref="NameServer"/> is authoritative for the name.</summary>
    public sealed class DnsNsRecord : DnsRecord
    {
        internal DnsNsRecord(DnsRecordHeader header, string nameServer) : base(header, nameServer)
        {
            NameServer = nameServer;
        }

        public string NameServer { get; }
    }

    /// <summary>An SOA record: the zone's primary server, contact, serial and timers (in seconds).</summary>
    public sealed class DnsSoaRecord : DnsRecord
    {
        internal DnsSoaRecord(DnsRecordHeader header, string primaryServer, string responsibleName, long serial, long refresh, long retry, long expire, long minimumTtl)
            : base(header, string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} {3} {4} {5} {6}", primaryServer, responsibleName, serial, refresh, retry, expire, minimumTtl))
        {
            PrimaryServer = primaryServer;
            ResponsibleName = responsibleName;
            ResponsibleMailbox = DnsNames.MailboxOf(responsibleName);
            Serial = serial;
            Refresh = refresh;
            Retry = retry;
            Expire = expire;
            MinimumTtl = minimumTtl;
        }

        public string PrimaryServer { get; }
        /// <summary>The RNAME field as written in the zone (hostmaster.tssr.lab).</summary>
        public string ResponsibleName { get; }
        /// <summary>The RNAME field as a mail address (hostmaster@tssr.lab).</summary>
        public string ResponsibleMailbox { get; }
        public long Serial { get; }
        public long Refresh { get; }
        public long Retry { get; }
        public long Expire { get; }
        /// <summary>The negative-caching TTL (RFC 2308).</summary>
        public long MinimumTtl { get; }
    }

    /// <summary>A PTR record: the address (decoded from the in-addr.arpa/ip6.arpa name) points to <see cref="HostName"/>.</summary>
    public sealed class DnsPtrRecord : DnsRecord
    {
        internal DnsPtrRecord(DnsRecordHeader header, string hostName) : base(header, hostName)
        {
            HostName = hostName;
            Address = DnsNames.TryParseArpa(header.Name, out var address) ? address : null;
        }

        public string HostName { get; }

        /// <summary>The address the record is about, or null when the owner is not a reverse name.</summary>
        public IPAddress? Address { get; }
    }

    /// <summary>
    /// A query that brought no record: the name exists without that type (NoData), or (with
    /// -IncludeFailure) a failure that is otherwise written as an error.
    /// </summary>
    public sealed class DnsOutcome : DnsResult
    {
        internal DnsOutcome(string query, string name, IReadOnlyList<DnsRecordType> types, string server, DnsStatus status, string errorId, string message, string? zone)
            : base(query, name, types[0], server, status)
        {
            QueryTypes = types.ToArray();
            ErrorId = errorId;
            Message = message;
            Zone = zone;
        }

        /// <summary>Every type asked that ended this way (Type holds the first).</summary>
        public DnsRecordType[] QueryTypes { get; }

        /// <summary>The id of the error this outcome stands for (DnsNameNotFound, DnsTimeout... or DnsNoData).</summary>
        public string ErrorId { get; }

        public string Message { get; }

        /// <summary>The zone named by the SOA of the authority section, when the server sent one.</summary>
        public string? Zone { get; }

        public override string ToString() => Message;
    }
}
