using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Tssr.Tools.Engine.Network.Dns
{
    /// <summary>What one query (one name, one type, one server) brought back, classified.</summary>
    internal sealed class DnsAnswer
    {
        public DnsAnswer(DnsRecordType type, DnsStatus status, IReadOnlyList<DnsResourceRecord> records, string server, string? zone = null, string? detail = null)
        {
            Type = type;
            Status = status;
            Records = records;
            Server = server;
            Zone = zone;
            Detail = detail;
        }

        public DnsRecordType Type { get; }
        public DnsStatus Status { get; }
        /// <summary>The answer section, limited to the record types this module knows.</summary>
        public IReadOnlyList<DnsResourceRecord> Records { get; }
        public string Server { get; }
        public string? Zone { get; }
        /// <summary>The response code or socket error behind a failure, for the message.</summary>
        public string? Detail { get; }

        public DnsAnswer WithStatus(DnsStatus status, string? detail) => new DnsAnswer(Type, status, Records, Server, Zone, detail);

        /// <summary>Classifies a response the server sent.</summary>
        public static DnsAnswer FromResponse(DnsRecordType type, IDnsQueryResponse response, string server)
        {
            var zone = response.Authorities.OfType<SoaRecord>().Select(s => DnsNames.Trim(s.DomainName.Value)).FirstOrDefault();
            var code = response.Header.ResponseCode;
            switch (code)
            {
                case DnsHeaderResponseCode.NoError:
                    var records = response.Answers.Where(IsKnown).ToList();
                    return new DnsAnswer(type, records.Count > 0 ? DnsStatus.NoError : DnsStatus.NoData, records, server, zone);
                case DnsHeaderResponseCode.NotExistentDomain:
                    return Empty(type, DnsStatus.NameNotFound, server, zone, "NXDOMAIN");
                case DnsHeaderResponseCode.ServerFailure:
                    return Empty(type, DnsStatus.ServerFailure, server, zone, "SERVFAIL");
                case DnsHeaderResponseCode.Refused:
                    return Empty(type, DnsStatus.Refused, server, zone, "REFUSED");
                case DnsHeaderResponseCode.FormatError:
                    return Empty(type, DnsStatus.FormatError, server, zone, "FORMERR");
                case DnsHeaderResponseCode.NotImplemented:
                    return Empty(type, DnsStatus.NotImplemented, server, zone, "NOTIMP");
                default:
                    return Empty(type, DnsStatus.OtherError, server, zone, RcodeName(code));
            }
        }

        /// <summary>
        /// Classifies a query that brought no response. DnsClient wraps socket errors and timeouts
        /// in DnsResponseException; the inner exception tells them apart. Returns null for an
        /// exception that is not about the network or the answer (a defect to surface as such).
        /// </summary>
        public static DnsAnswer? FromException(DnsRecordType type, Exception exception, string server)
        {
            for (var e = exception; e != null; e = e.InnerException)
            {
                switch (e)
                {
                    case SocketException socket:
                        return Empty(type, FromSocketError(socket.SocketErrorCode), server, null, socket.SocketErrorCode.ToString());
                    case TimeoutException _:
                    case OperationCanceledException _:
                        return Empty(type, DnsStatus.Timeout, server, null, null);
                    case DnsResponseParseException parse:
                        return Empty(type, DnsStatus.InvalidResponse, server, null, parse.Message);
                    case DnsXidMismatchException xid:
                        return Empty(type, DnsStatus.InvalidResponse, server, null, xid.Message);
                }
            }
            if (exception is DnsResponseException response)
            {
                return response.Code == DnsResponseCode.ConnectionTimeout
                    ? Empty(type, DnsStatus.Timeout, server, null, null)
                    : Empty(type, DnsStatus.InvalidResponse, server, null, response.Message);
            }
            return null;
        }

        public static DnsAnswer Empty(DnsRecordType type, DnsStatus status, string server, string? zone, string? detail)
            => new DnsAnswer(type, status, Array.Empty<DnsResourceRecord>(), server, zone, detail);

        internal static DnsStatus FromSocketError(SocketError error)
        {
            switch (error)
            {
                case SocketError.ConnectionRefused:
                case SocketError.ConnectionReset: // what Windows reports for an ICMP port unreachable on UDP
                    return DnsStatus.ConnectionRefused;
                case SocketError.TimedOut:
                    return DnsStatus.Timeout;
                default:
                    return DnsStatus.NetworkError;
            }
        }

        private static bool IsKnown(DnsResourceRecord record)
            => record is ARecord || record is AaaaRecord || record is CNameRecord || record is MxRecord || record is TxtRecord
               || record is SrvRecord || record is NsRecord || record is SoaRecord || record is PtrRecord;

        private static string RcodeName(DnsHeaderResponseCode code)
        {
            switch (code)
            {
                case DnsHeaderResponseCode.ExistingDomain: return "YXDOMAIN";
                case DnsHeaderResponseCode.ExistingResourceRecordSet: return "YXRRSET";
                case DnsHeaderResponseCode.MissingResourceRecordSet: return "NXRRSET";
                case DnsHeaderResponseCode.NotAuthorized: return "NOTAUTH";
                case DnsHeaderResponseCode.NotZone: return "NOTZONE";
                default: return "RCODE " + ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
