namespace Tssr.Tools.Engine.Network.Dns
{
    /// <summary>The record types Resolve-TssrDns asks for; the values are the DNS TYPE codes.</summary>
    public enum DnsRecordType
    {
        A = 1,
        NS = 2,
        CNAME = 5,
        SOA = 6,
        PTR = 12,
        MX = 15,
        TXT = 16,
        AAAA = 28,
        SRV = 33,
    }

    /// <summary>
    /// How one query ended. Each failure has its own value (and its own ErrorId), so that a name
    /// that does not exist is never confused with a server that failed, refused or stayed silent.
    /// </summary>
    public enum DnsStatus
    {
        /// <summary>NOERROR with at least one record.</summary>
        NoError,
        /// <summary>NOERROR without a record of the type asked: the name exists, the record does not.</summary>
        NoData,
        /// <summary>NXDOMAIN: the name does not exist.</summary>
        NameNotFound,
        /// <summary>SERVFAIL: the server could not produce an answer (upstream down, DNSSEC failure...).</summary>
        ServerFailure,
        /// <summary>REFUSED: the server will not answer this client or this zone.</summary>
        Refused,
        /// <summary>FORMERR: the server could not read the query.</summary>
        FormatError,
        /// <summary>NOTIMP: the server does not support this kind of query.</summary>
        NotImplemented,
        /// <summary>Another response code (NOTAUTH, NOTZONE, BADVERS...).</summary>
        OtherError,
        /// <summary>No answer within the timeout, on every attempt.</summary>
        Timeout,
        /// <summary>Nothing listens on the server's port (ICMP port unreachable, or TCP reset).</summary>
        ConnectionRefused,
        /// <summary>Another network failure (no route, network down...).</summary>
        NetworkError,
        /// <summary>The server sent an answer that cannot be read.</summary>
        InvalidResponse,
        /// <summary>The name is not a valid DNS name; nothing was sent.</summary>
        InvalidName,
    }

    /// <summary>Whether the forward and reverse records of a name agree (-CheckReverse).</summary>
    public enum DnsReverseCheck
    {
        /// <summary>Not asked for, or not applicable to this record type.</summary>
        NotChecked,
        /// <summary>A/AAAA: a PTR of the address names the host; PTR: the name resolves back to the address.</summary>
        Match,
        /// <summary>The other side exists but points elsewhere.</summary>
        Mismatch,
        /// <summary>The other side does not exist (no PTR for the address, or no A/AAAA for the PTR's name).</summary>
        Missing,
        /// <summary>The lookup of the other side failed (timeout, SERVFAIL...): nothing can be concluded.</summary>
        Failed,
    }
}
