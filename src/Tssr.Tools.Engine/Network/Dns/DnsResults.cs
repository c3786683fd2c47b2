using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Dns
{
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

    /// <summary>Where an answer came from.</summary>
    public enum DnsSource
    {
        /// <summary>A DNS server (the one named in Server).</summary>
        DnsServer,
        /// <summary>The hosts file (/etc/hosts, or drivers\etc\hosts on Windows), read first as Resolve-DnsName does; -DnsOnly skips it.</summary>
        HostsFile,
    }

    /// <summary>
    /// One result of Resolve-TssrDns, whatever the outcome: a record (Status NoError) or a query that
    /// brought none (NoData, or a failure under -IncludeFailure). Every result has the same
    /// properties, so Export-Csv keeps every column whichever row comes first; the fields of other
    /// record types are empty. Values are strings and numbers (no IPAddress objects), so CSV and JSON
    /// round trips keep them readable.
    /// </summary>
    public sealed class DnsResult
    {
        private DnsResult(string query, string name, DnsRecordType type, string server, DnsStatus status, DnsSource source)
        {
            Query = query;
            Name = name;
            Type = type;
            Server = server;
            Status = status;
            Source = source;
            QueryTypes = new ValueList<DnsRecordType>(new[] { type });
        }

        /// <summary>The name or address as it was given.</summary>
        public string Query { get; }

        /// <summary>The owner name of the record (without the final dot), or the name asked for an outcome.</summary>
        public string Name { get; }

        public DnsRecordType Type { get; }

        /// <summary>NoError for a record; otherwise how the query ended (NoData, NameNotFound, Timeout...).</summary>
        public DnsStatus Status { get; }

        /// <summary>A DNS server, or the hosts file.</summary>
        public DnsSource Source { get; }

        /// <summary>The server that answered (address:port, IPv6 in brackets), the servers tried, or the hosts file's path.</summary>
        public string Server { get; }

        /// <summary>Time to live, in seconds, as the server sent it; empty for an outcome and for the hosts file.</summary>
        public int? Ttl { get; private set; }

        /// <summary>The record's data in the presentation form dig prints (e.g. "10 mail.tssr.lab"); empty for an outcome.</summary>
        public string Data { get; private set; } = string.Empty;

        /// <summary>A/AAAA: the address; PTR: the address the record is about (decoded from its arpa name).</summary>
        public string? IPAddress { get; private set; }

        /// <summary>The name the record points to: CNAME's canonical name, MX's exchange, NS's server, SRV's target, PTR's host, SOA's primary server.</summary>
        public string? NameHost { get; private set; }

        /// <summary>MX: lowest first.</summary>
        public int? Preference { get; private set; }

        /// <summary>SRV: lowest first.</summary>
        public int? Priority { get; private set; }

        /// <summary>SRV: share among the targets of equal priority.</summary>
        public int? Weight { get; private set; }

        /// <summary>SRV: the service's port.</summary>
        public int? Port { get; private set; }

        /// <summary>TXT: the character strings, in order (SPF, DKIM and DMARC split long values).</summary>
        public ValueList<string> Text { get; private set; } = ValueList<string>.Empty;

        /// <summary>TXT: the strings joined without separator, as SPF and DKIM read them (the text form of <see cref="Text"/>).</summary>
        public string? Value { get; private set; }

        /// <summary>SOA: the RNAME field as written in the zone (hostmaster.tssr.lab).</summary>
        public string? ResponsibleName { get; private set; }

        /// <summary>SOA: the RNAME field as a mail address (hostmaster@tssr.lab).</summary>
        public string? ResponsibleMailbox { get; private set; }

        public long? Serial { get; private set; }
        public long? Refresh { get; private set; }
        public long? Retry { get; private set; }
        public long? Expire { get; private set; }

        /// <summary>SOA: the negative-caching TTL (RFC 2308).</summary>
        public long? MinimumTtl { get; private set; }

        /// <summary>With -CheckReverse on A, AAAA and PTR records: whether forward and reverse agree.</summary>
        public DnsReverseCheck ReverseCheck { get; private set; }

        /// <summary>What the other side said: the PTR names of an address, or the addresses of a PTR's name.</summary>
        public ValueList<string> ReverseCheckValues { get; private set; } = ValueList<string>.Empty;

        /// <summary><see cref="ReverseCheckValues"/> as one text, which Export-Csv writes.</summary>
        public string ReverseCheckValueText => string.Join(", ", ReverseCheckValues);

        /// <summary>The reverse check in a sentence, in the user's language.</summary>
        public string? ReverseCheckDetail { get; private set; }

        /// <summary>An outcome: every type asked that ended this way (Type holds the first); a record: its own type.</summary>
        public ValueList<DnsRecordType> QueryTypes { get; private set; }

        /// <summary><see cref="QueryTypes"/> as one text ("A, AAAA"), which Export-Csv writes.</summary>
        public string QueryTypeText => string.Join(", ", QueryTypes);

        /// <summary>An outcome: the id of the error it stands for (DnsNameNotFound, DnsTimeout... or DnsNoData); empty for a record.</summary>
        public string? ErrorId { get; private set; }

        /// <summary>An outcome: what happened, in the user's language; empty for a record.</summary>
        public string? Message { get; private set; }

        /// <summary>An outcome: the zone named by the SOA of the authority section, when the server sent one.</summary>
        public string? Zone { get; private set; }

        /// <summary>One line: the record as dig prints it ("www.tssr.lab 600 IN A 192.168.10.20"), or the outcome's message.</summary>
        public override string ToString()
            => Status == DnsStatus.NoError ? $"{Name} {Ttl ?? 0} IN {Type} {Data}" : (Message ?? $"{Query} {Type} {Status}");

        internal static DnsResult Record(DnsRecordHeader header, string data, DnsSource source = DnsSource.DnsServer)
        {
            return new DnsResult(header.Query, header.Name, header.Type, header.Server, DnsStatus.NoError, source)
            {
                Ttl = source == DnsSource.HostsFile ? (int?)null : header.Ttl,
                Data = data,
                ReverseCheck = header.Check.Check,
                ReverseCheckValues = new ValueList<string>(header.Check.Values),
                ReverseCheckDetail = header.Check.Detail,
            };
        }

        internal static DnsResult Address(DnsRecordHeader header, System.Net.IPAddress address, DnsSource source = DnsSource.DnsServer)
        {
            var r = Record(header, address.ToString(), source);
            r.IPAddress = address.ToString();
            return r;
        }

        internal static DnsResult Pointer(DnsRecordHeader header, string nameHost, DnsSource source = DnsSource.DnsServer)
        {
            var r = Record(header, nameHost, source);
            r.NameHost = nameHost;
            r.IPAddress = DnsNames.TryParseArpa(header.Name, out var address) ? address!.ToString() : null;
            return r;
        }

        internal static DnsResult Named(DnsRecordHeader header, string nameHost)
        {
            var r = Record(header, nameHost);
            r.NameHost = nameHost;
            return r;
        }

        internal static DnsResult Mx(DnsRecordHeader header, int preference, string exchange)
        {
            var r = Record(header, preference.ToString(CultureInfo.InvariantCulture) + " " + exchange);
            r.Preference = preference;
            r.NameHost = exchange;
            return r;
        }

        internal static DnsResult Txt(DnsRecordHeader header, IReadOnlyList<string> text)
        {
            var presented = text.Count == 1 ? text[0] : string.Join(" ", text.Select(t => "\"" + t.Replace("\"", "\\\"") + "\""));
            var r = Record(header, presented);
            r.Text = new ValueList<string>(text);
            r.Value = string.Concat(text);
            return r;
        }

        internal static DnsResult Srv(DnsRecordHeader header, int priority, int weight, int port, string target)
        {
            var r = Record(header, string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} {3}", priority, weight, port, target));
            r.Priority = priority;
            r.Weight = weight;
            r.Port = port;
            r.NameHost = target;
            return r;
        }

        internal static DnsResult Soa(DnsRecordHeader header, string primaryServer, string responsibleName, long serial, long refresh, long retry, long expire, long minimumTtl)
        {
            var r = Record(header, string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} {3} {4} {5} {6}", primaryServer, responsibleName, serial, refresh, retry, expire, minimumTtl));
            r.NameHost = primaryServer;
            r.ResponsibleName = responsibleName;
            r.ResponsibleMailbox = DnsNames.MailboxOf(responsibleName);
            r.Serial = serial;
            r.Refresh = refresh;
            r.Retry = retry;
            r.Expire = expire;
            r.MinimumTtl = minimumTtl;
            return r;
        }

        /// <summary>A query that brought no record: NoData, or a failure written as a result (-IncludeFailure).</summary>
        internal static DnsResult Outcome(string query, string name, IReadOnlyList<DnsRecordType> types, string server, DnsStatus status, string errorId, string message, string? zone)
        {
            return new DnsResult(query, name, types[0], server, status, DnsSource.DnsServer)
            {
                QueryTypes = new ValueList<DnsRecordType>(types),
                ErrorId = errorId,
                Message = message,
                Zone = zone,
            };
        }
    }
}
