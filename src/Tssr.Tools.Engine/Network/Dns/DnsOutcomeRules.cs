using System.Collections.Generic;
using System.Linq;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Dns
{
    /// <summary>One way a name ended on one server, and every type asked that ended that way.</summary>
    internal sealed class DnsOutcomeGroup
    {
        public DnsOutcomeGroup(DnsStatus status, IReadOnlyList<DnsAnswer> answers)
        {
            Status = status;
            Answers = answers;
        }

        public DnsStatus Status { get; }
        public IReadOnlyList<DnsAnswer> Answers { get; }
        public IReadOnlyList<DnsRecordType> Types => Answers.Select(a => a.Type).ToList();
    }

    /// <summary>
    /// The rules that decide what a technician sees for the queries of one name on one server:
    /// every record; then, for the queries that brought none, one line per way they ended (a name
    /// that does not exist is reported once, not once per type). When the types were not chosen
    /// (A and AAAA by default), a missing AAAA beside a present A is not news and is not reported.
    /// </summary>
    internal static class DnsOutcomeRules
    {
        public static IReadOnlyList<DnsOutcomeGroup> GroupsToReport(IReadOnlyList<DnsAnswer> answers, bool typesChosen)
        {
            var anyRecord = answers.Any(a => a.Status == DnsStatus.NoError);
            var groups = new List<DnsOutcomeGroup>();
            foreach (var status in answers.Where(a => a.Status != DnsStatus.NoError).Select(a => a.Status).Distinct())
            {
                if (status == DnsStatus.NoData && anyRecord && !typesChosen) continue;
                groups.Add(new DnsOutcomeGroup(status, answers.Where(a => a.Status == status).ToList()));
            }
            return groups;
        }

        /// <summary>The stable ErrorId of each way a query can fail.</summary>
        public static string ErrorIdOf(DnsStatus status)
        {
            switch (status)
            {
                case DnsStatus.NoData: return "DnsNoData";
                case DnsStatus.NameNotFound: return "DnsNameNotFound";
                case DnsStatus.ServerFailure: return "DnsServerFailure";
                case DnsStatus.Refused: return "DnsQueryRefused";
                case DnsStatus.FormatError: return "DnsFormatError";
                case DnsStatus.NotImplemented: return "DnsNotImplemented";
                case DnsStatus.Timeout: return "DnsTimeout";
                case DnsStatus.ConnectionRefused: return "DnsConnectionRefused";
                case DnsStatus.NetworkError: return "DnsNetworkError";
                case DnsStatus.InvalidResponse: return "DnsInvalidResponse";
                case DnsStatus.InvalidName: return "DnsNameInvalid";
                default: return "DnsResponseError";
            }
        }

        public static TssrErrorCategory CategoryOf(DnsStatus status)
        {
            switch (status)
            {
                case DnsStatus.NameNotFound: return TssrErrorCategory.ObjectNotFound;
                case DnsStatus.ServerFailure: return TssrErrorCategory.ResourceUnavailable;
                case DnsStatus.Refused: return TssrErrorCategory.PermissionDenied;
                case DnsStatus.FormatError: return TssrErrorCategory.ProtocolError;
                case DnsStatus.NotImplemented: return TssrErrorCategory.NotImplemented;
                case DnsStatus.Timeout: return TssrErrorCategory.OperationTimeout;
                case DnsStatus.ConnectionRefused:
                case DnsStatus.NetworkError: return TssrErrorCategory.ConnectionError;
                case DnsStatus.InvalidResponse: return TssrErrorCategory.InvalidResult;
                case DnsStatus.InvalidName: return TssrErrorCategory.InvalidArgument;
                default: return TssrErrorCategory.ProtocolError;
            }
        }
    }
}
