using System;
using System.Net.Sockets;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>How a message is wrapped and unwrapped: community (v1/v2c) or USM (v3).</summary>
    internal interface ISnmpSecurity
    {
        /// <summary>Work done once per agent before the first request (v3 engine discovery).</summary>
        Task PrepareAsync(SnmpSession session, CancellationToken cancellationToken);

        /// <summary>The datagram carrying <paramref name="pdu"/>, built afresh for each attempt.</summary>
        byte[] Wrap(SnmpPdu pdu, int messageId);

        /// <summary>The PDU of a reply; throws <see cref="SnmpFailure"/> when it cannot be trusted or read.</summary>
        SnmpPdu Unwrap(SnmpReply reply, int messageId);
    }

    internal sealed class CommunitySecurity : ISnmpSecurity
    {
        private readonly SnmpCredential _credential;
        private readonly string _target;

        public CommunitySecurity(SnmpCredential credential, string target)
        {
            _credential = credential;
            _target = target;
        }

        public Task PrepareAsync(SnmpSession session, CancellationToken cancellationToken) => Task.CompletedTask;

        public byte[] Wrap(SnmpPdu pdu, int messageId) => new SnmpMessage(_credential.Version, _credential.Community, pdu).Encode();

        public SnmpPdu Unwrap(SnmpReply reply, int messageId)
        {
            var message = reply.Message!;
            if (message.Version != _credential.Version)
                throw SnmpFailure.Of("SnmpInvalidResponse", TssrErrorCategory.InvalidData, _target, "Error_WrongVersion", "Action_InvalidResponse", _target, message.Version, _credential.Version);
            return message.Pdu!;
        }
    }

    /// <summary>Settings of the requests to one agent.</summary>
    public sealed class SnmpRequestSettings
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);
        public const int DefaultRetry = 1;
        public const int DefaultMaxRepetitions = 50;

        public TimeSpan Timeout { get; set; } = DefaultTimeout;
        public int Retry { get; set; } = DefaultRetry;
        public int MaxRepetitions { get; set; } = DefaultMaxRepetitions;
        /// <summary>
        /// After the last attempt timed out, ask the host once over a socket of its own whether the
        /// port is closed (ICMP port unreachable): a sweep, where silence is the common answer, turns it off.
        /// </summary>
        public bool ProbeRefusal { get; set; } = true;
    }

    /// <summary>
    /// The requests to one agent: GET, GETNEXT, GETBULK and SET with request-id matching, retries and
    /// timeouts (through the shared <see cref="SnmpTransport"/>), tooBig answered by splitting the
    /// request (or by fewer repetitions for GETBULK), walks that stop at the end of the subtree,
    /// at endOfMibView, or with an error when the agent's OIDs stop increasing.
    /// </summary>
    internal sealed class SnmpSession
    {
        private readonly SnmpTransport _transport;
        private readonly ISnmpSecurity _security;
        private bool _prepared;

        public SnmpSession(SnmpTransport transport, IPEndPoint endpoint, string target, SnmpCredential credential, SnmpRequestSettings settings)
        {
            _transport = transport;
            Endpoint = endpoint;
            Target = target;
            Credential = credential;
            Settings = settings;
            _security = credential.Version == SnmpVersion.V3 ? (ISnmpSecurity)new UsmSecurity(credential, target) : new CommunitySecurity(credential, target);
        }

        /// <summary>A session to the same agent with another credential (a sweep trying its communities).</summary>
        public SnmpSession With(SnmpCredential credential) => new SnmpSession(_transport, Endpoint, Target, credential, Settings);

        public IPEndPoint Endpoint { get; }
        public string Target { get; }
        public SnmpCredential Credential { get; }
        public SnmpRequestSettings Settings { get; }
        internal SnmpTransport Transport => _transport;

        public async Task EnsurePreparedAsync(CancellationToken cancellationToken)
        {
            if (_prepared) return;
            await _security.PrepareAsync(this, cancellationToken).ConfigureAwait(false);
            _prepared = true;
        }

        /// <summary>One request and its response PDU (any error-status); failures throw <see cref="SnmpFailure"/>.</summary>
        public async Task<SnmpPdu> RequestAsync(SnmpPduType type, IReadOnlyList<SnmpVarbind> varbinds, int errorStatusOrNonRepeaters, int errorIndexOrMaxRepetitions, CancellationToken cancellationToken)
        {
            await EnsurePreparedAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await RawRequestAsync(_security, type, varbinds, errorStatusOrNonRepeaters, errorIndexOrMaxRepetitions, cancellationToken).ConfigureAwait(false);
            }
            catch (UsmResynchronised)
            {
                // The agent's clock was re-learnt from an authentic notInTimeWindow report: once more, with the right time.
                return await RawRequestAsync(_security, type, varbinds, errorStatusOrNonRepeaters, errorIndexOrMaxRepetitions, cancellationToken).ConfigureAwait(false);
            }
        }

        internal async Task<SnmpPdu> RawRequestAsync(ISnmpSecurity security, SnmpPduType type, IReadOnlyList<SnmpVarbind> varbinds, int a, int b, CancellationToken cancellationToken)
        {
            var id = _transport.NextRequestId();
            var pdu = new SnmpPdu(type, id, a, b, varbinds);
            var notes = new SnmpExchangeNotes();
            SnmpReply? reply;
            try
            {
                reply = await _transport.ExchangeAsync(Endpoint, id, _ => security.Wrap(pdu, id), Settings.Timeout, Settings.Retry, notes, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw SnmpFailure.Of("SnmpNetworkError", TssrErrorCategory.ConnectionError, Target, "Error_Network", "Action_Network", Target, e.Message);
            }
            if (reply == null)
            {
                if (await RefusedAsync(cancellationToken).ConfigureAwait(false))
                    throw SnmpFailure.Of("SnmpPortUnreachable", TssrErrorCategory.ConnectionError, Target, "Error_PortUnreachable", "Action_PortUnreachable", Target, Endpoint.Port);
                throw Timeout(notes);
            }
            if (reply.ParseError != null)
                throw SnmpFailure.Of("SnmpInvalidResponse", TssrErrorCategory.InvalidData, Target, "Error_Malformed", "Action_InvalidResponse", Target, reply.ParseError.ToString());
            var response = security.Unwrap(reply, id);
            if (response.Type == SnmpPduType.Report) throw SnmpFailure.Of("SnmpUnexpectedReport", TssrErrorCategory.ProtocolError, Target, "Error_UnexpectedReport", "Action_InvalidResponse", Target, response.Varbinds.Count > 0 ? response.Varbinds[0].Oid.ToString() : "-");
            if (response.Type != SnmpPduType.Response)
                throw SnmpFailure.Of("SnmpInvalidResponse", TssrErrorCategory.InvalidData, Target, "Error_NotAResponse", "Action_InvalidResponse", Target, response.Type);
            if (response.RequestId != id)
                throw SnmpFailure.Of("SnmpInvalidResponse", TssrErrorCategory.InvalidData, Target, "Error_RequestIdMismatch", "Action_InvalidResponse", Target, id, response.RequestId);
            return response;
        }

        /// <summary>
        /// True when the host answers an empty datagram with ICMP port unreachable. The shared socket
        /// is not connected, and Linux reports ICMP errors only to connected sockets: without this
        /// probe a closed port would look like a wrong community. Nothing is asked of an agent (an
        /// empty datagram is no SNMP message), so a SET is never sent twice.
        /// </summary>
        private async Task<bool> RefusedAsync(CancellationToken cancellationToken)
        {
            if (!Settings.ProbeRefusal) return false;
            using (var socket = new Socket(Endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
            {
                try
                {
                    socket.Connect(Endpoint);
                    socket.Send(Array.Empty<byte>());
                    var receive = socket.ReceiveAsync(new ArraySegment<byte>(new byte[1]), SocketFlags.None);
                    // The socket is closed under a receive still waiting: its fault is expected.
                    _ = receive.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                    var wait = TimeSpan.FromMilliseconds(Math.Min(500, Settings.Timeout.TotalMilliseconds));
                    if (await Task.WhenAny(receive, Task.Delay(wait, cancellationToken)).ConfigureAwait(false) != receive) return false;
                    await receive.ConfigureAwait(false);
                    return false;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused || e.SocketErrorCode == SocketError.ConnectionReset)
                {
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            }
        }

        private SnmpFailure Timeout(SnmpExchangeNotes notes)
        {
            var attempts = Settings.Retry + 1;
            var seconds = SnmpFailure.Seconds(Settings.Timeout);
            var extra = string.Empty;
            if (notes.WrongRequestIds > 0) extra += " " + SnmpText.Strings.Format("Note_WrongRequestIds", notes.WrongRequestIds);
            if (notes.OtherSource != null) extra += " " + SnmpText.Strings.Format("Note_OtherSource", notes.OtherSource);
            var v3 = Credential.Version == SnmpVersion.V3;
            var priv = v3 && Credential.PrivacyProtocol != SnmpPrivacyProtocol.None;
            var message = priv ? SnmpText.Strings.Format("Error_TimeoutV3Priv", Target, attempts, seconds)
                : v3 ? SnmpText.Strings.Format("Error_TimeoutV3", Target, attempts, seconds)
                : SnmpText.Strings.Format("Error_Timeout", Target, attempts, seconds);
            var action = priv ? SnmpText.Strings.Format("Action_TimeoutV3Priv", Target)
                : v3 ? SnmpText.Strings.Format("Action_TimeoutV3", Target)
                : SnmpText.Strings.Format("Action_Timeout", Target);
            return new SnmpFailure(new TssrError("SnmpTimeout", TssrErrorCategory.OperationTimeout, Target, message + extra, action));
        }

        /// <summary>GET (or GETNEXT) of several OIDs, split when the agent says tooBig; v1 noSuchName marks that one OID.</summary>
        public async Task<IReadOnlyList<SnmpVarbind>> GetAsync(IReadOnlyList<Oid> oids, CancellationToken cancellationToken, SnmpPduType type = SnmpPduType.Get)
        {
            if (oids.Count == 0) return Array.Empty<SnmpVarbind>();
            var response = await RequestAsync(type, oids.Select(o => new SnmpVarbind(o, SnmpValue.Null)).ToList(), 0, 0, cancellationToken).ConfigureAwait(false);
            var status = (SnmpErrorStatus)response.ErrorStatus;
            if (status == SnmpErrorStatus.TooBig && oids.Count > 1)
            {
                var half = oids.Count / 2;
                var first = await GetAsync(oids.Take(half).ToList(), cancellationToken, type).ConfigureAwait(false);
                var second = await GetAsync(oids.Skip(half).ToList(), cancellationToken, type).ConfigureAwait(false);
                return first.Concat(second).ToList();
            }
            if (status == SnmpErrorStatus.NoSuchName && Credential.Version == SnmpVersion.V1 && response.ErrorIndex >= 1 && response.ErrorIndex <= oids.Count)
            {
                var missing = response.ErrorIndex - 1;
                var rest = oids.Where((_, i) => i != missing).ToList();
                var others = await GetAsync(rest, cancellationToken, type).ConfigureAwait(false);
                var merged = others.ToList();
                merged.Insert(missing, new SnmpVarbind(oids[missing], SnmpValue.NoSuchName));
                return merged;
            }
            if (status != SnmpErrorStatus.NoError) throw ErrorStatus(response, oids);
            if (response.Varbinds.Count != oids.Count)
                throw SnmpFailure.Of("SnmpInvalidResponse", TssrErrorCategory.InvalidData, Target, "Error_VarbindCount", "Action_InvalidResponse", Target, oids.Count, response.Varbinds.Count);
            if (type == SnmpPduType.Get)
                for (var i = 0; i < oids.Count; i++)
                    if (!response.Varbinds[i].Oid.Equals(oids[i]))
                        throw SnmpFailure.Of("SnmpInvalidResponse", TssrErrorCategory.InvalidData, Target, "Error_VarbindOid", "Action_InvalidResponse", Target, oids[i], response.Varbinds[i].Oid);
            return response.Varbinds;
        }

        /// <summary>SET of several varbinds at once (one request, as the agent applies them together).</summary>
        public async Task<IReadOnlyList<SnmpVarbind>> SetAsync(IReadOnlyList<SnmpVarbind> varbinds, CancellationToken cancellationToken)
        {
            var response = await RequestAsync(SnmpPduType.Set, varbinds, 0, 0, cancellationToken).ConfigureAwait(false);
            if (response.ErrorStatus != 0) throw ErrorStatus(response, varbinds.Select(v => v.Oid).ToList());
            return response.Varbinds;
        }

        internal SnmpFailure ErrorStatus(SnmpPdu response, IReadOnlyList<Oid> oids)
        {
            var status = response.ErrorStatus;
            var name = Enum.IsDefined(typeof(SnmpErrorStatus), status) ? ((SnmpErrorStatus)status).ToString() : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var oid = response.ErrorIndex >= 1 && response.ErrorIndex <= oids.Count ? oids[response.ErrorIndex - 1].ToString() : "-";
            var friendly = oid != "-" && Oid.TryParse(oid, out var parsed) ? (SnmpNames.NameOf(parsed!) is string n ? oid + " (" + n + ")" : oid) : oid;
            var id = "Snmp" + char.ToUpperInvariant(name[0]) + name.Substring(1);
            var category = status == (int)SnmpErrorStatus.NoAccess || status == (int)SnmpErrorStatus.AuthorizationError || status == (int)SnmpErrorStatus.NotWritable || status == (int)SnmpErrorStatus.ReadOnly
                ? TssrErrorCategory.PermissionDenied : TssrErrorCategory.InvalidResult;
            var action = SnmpText.Strings.Get("Action_Status_" + (Enum.IsDefined(typeof(SnmpErrorStatus), status) ? name : "Other"));
            var message = oid == "-" ? SnmpText.Strings.Format("Error_StatusNoOid", Target, name) : SnmpText.Strings.Format("Error_Status", Target, name, friendly);
            return new SnmpFailure(new TssrError(id, category, Target, message, action));
        }

        /// <summary>
        /// Every varbind under <paramref name="root"/> in order, handed to <paramref name="onVarbind"/>
        /// as it arrives: GETBULK for v2c/v3 (GETNEXT for v1 or when asked), stopping at the end of the
        /// subtree or endOfMibView. A root that is itself an instance (sysDescr.0) gives that value.
        /// </summary>
        public async Task<int> WalkAsync(Oid root, bool useGetNext, Action<SnmpVarbind> onVarbind, CancellationToken cancellationToken)
        {
            var current = root;
            var seen = 0;
            var bulk = !useGetNext && Credential.Version != SnmpVersion.V1;
            var repetitions = Math.Max(1, Settings.MaxRepetitions);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                SnmpPdu response;
                var request = new[] { new SnmpVarbind(current, SnmpValue.Null) };
                if (bulk)
                {
                    response = await RequestAsync(SnmpPduType.GetBulk, request, 0, repetitions, cancellationToken).ConfigureAwait(false);
                    if (response.ErrorStatus == (int)SnmpErrorStatus.TooBig && repetitions > 1)
                    {
                        repetitions = Math.Max(1, repetitions / 2);
                        continue;
                    }
                }
                else
                {
                    response = await RequestAsync(SnmpPduType.GetNext, request, 0, 0, cancellationToken).ConfigureAwait(false);
                    if (response.ErrorStatus == (int)SnmpErrorStatus.NoSuchName && Credential.Version == SnmpVersion.V1) break;
                }
                if (response.ErrorStatus != 0) throw ErrorStatus(response, request.Select(v => v.Oid).ToList());
                if (response.Varbinds.Count == 0) break;
                var ended = false;
                foreach (var vb in response.Varbinds)
                {
                    if (vb.Value.Type == SnmpType.EndOfMibView || !vb.Oid.StartsWith(root))
                    {
                        ended = true;
                        break;
                    }
                    if (vb.Oid.CompareTo(current) <= 0)
                        throw SnmpFailure.Of("SnmpOidNotIncreasing", TssrErrorCategory.InvalidResult, Target, "Error_NotIncreasing", "Action_NotIncreasing", Target, current, vb.Oid);
                    onVarbind(vb);
                    seen++;
                    current = vb.Oid;
                }
                if (ended) break;
            }
            if (seen == 0)
            {
                var single = await GetAsync(new[] { root }, cancellationToken).ConfigureAwait(false);
                if (single.Count == 1 && !single[0].Value.IsException )
                {
                    onVarbind(single[0]);
                    seen++;
                }
            }
            return seen;
        }
    }
}
