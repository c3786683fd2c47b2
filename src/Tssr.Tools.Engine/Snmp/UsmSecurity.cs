using System;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>Thrown once when the agent's clock was re-learnt from a notInTimeWindow report: the request is sent again.</summary>
    internal sealed class UsmResynchronised : Exception
    {
    }

    /// <summary>
    /// SNMPv3 with the User-based Security Model (RFC 3414) for one agent: engine discovery, the
    /// time window, authentication and privacy, and Report PDUs turned into distinct errors.
    /// Keys are derived once per credential (Ku) and localised once per agent engine.
    /// </summary>
    internal sealed class UsmSecurity : ISnmpSecurity
    {
        private static readonly Oid UnsupportedSecLevels = Oid.Parse("1.3.6.1.6.3.15.1.1.1");
        private static readonly Oid NotInTimeWindows = Oid.Parse("1.3.6.1.6.3.15.1.1.2");
        private static readonly Oid UnknownUserNames = Oid.Parse("1.3.6.1.6.3.15.1.1.3");
        private static readonly Oid UnknownEngineIds = Oid.Parse("1.3.6.1.6.3.15.1.1.4");
        private static readonly Oid WrongDigests = Oid.Parse("1.3.6.1.6.3.15.1.1.5");
        private static readonly Oid DecryptionErrors = Oid.Parse("1.3.6.1.6.3.15.1.1.6");
        private static readonly Oid UnknownContexts = Oid.Parse("1.3.6.1.6.3.12.1.5");
        private static readonly Oid UnavailableContexts = Oid.Parse("1.3.6.1.6.3.12.1.4");

        private readonly SnmpCredential _credential;
        private readonly string _target;
        private readonly byte[] _userName;
        private readonly byte[] _contextName;
        private byte[] _engineId = Array.Empty<byte>();
        private int _boots;
        private int _time;
        private readonly Stopwatch _sinceTime = new Stopwatch();
        private byte[] _authKey = Array.Empty<byte>();
        private byte[] _privKey = Array.Empty<byte>();
        private long _salt;
        private bool _resyncedOnce;

        public UsmSecurity(SnmpCredential credential, string target)
        {
            _credential = credential;
            _target = target;
            _userName = System.Text.Encoding.UTF8.GetBytes(credential.UserName);
            _contextName = System.Text.Encoding.UTF8.GetBytes(credential.ContextName);
            var seed = new byte[8];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(seed);
            _salt = BitConverter.ToInt64(seed, 0);
        }

        private bool Authenticated => _credential.AuthProtocol != SnmpAuthProtocol.None;
        private bool Private => _credential.PrivacyProtocol != SnmpPrivacyProtocol.None;

        /// <summary>Learns the agent's engine id, boots and time with an unauthenticated request (RFC 3414 4).</summary>
        public async Task PrepareAsync(SnmpSession session, CancellationToken cancellationToken)
        {
            var discovery = new DiscoverySecurity(this);
            try
            {
                await session.RawRequestAsync(discovery, SnmpPduType.Get, Array.Empty<SnmpVarbind>(), 0, 0, cancellationToken).ConfigureAwait(false);
            }
            catch (DiscoveryDone)
            {
            }
            if (_engineId.Length == 0)
                throw Failure("SnmpEngineDiscoveryFailed", TssrErrorCategory.ProtocolError, "Usm_DiscoveryFailed", "Usm_Action_DiscoveryFailed");
            if (Authenticated)
            {
                var ku = _credential.AuthKu();
                _authKey = UsmCrypto.Localize(_credential.AuthProtocol, ku, _engineId);
                if (Private)
                {
                    var privKu = _credential.PrivKu();
                    _privKey = UsmCrypto.PrivacyKey(_credential.AuthProtocol, _credential.PrivacyProtocol, UsmCrypto.Localize(_credential.AuthProtocol, privKu, _engineId));
                }
            }
        }

        private sealed class DiscoveryDone : Exception
        {
        }

        /// <summary>The discovery exchange: noAuthNoPriv, empty user and engine id, reportable; the Report carries the engine's identity.</summary>
        private sealed class DiscoverySecurity : ISnmpSecurity
        {
            private readonly UsmSecurity _owner;

            public DiscoverySecurity(UsmSecurity owner) => _owner = owner;

            public Task PrepareAsync(SnmpSession session, CancellationToken cancellationToken) => Task.CompletedTask;

            public byte[] Wrap(SnmpPdu pdu, int messageId)
            {
                var v3 = new SnmpV3Parts { MessageId = messageId, Flags = 0x04 };
                return new SnmpMessage(SnmpVersion.V3, Array.Empty<byte>(), pdu, v3).Encode();
            }

            public SnmpPdu Unwrap(SnmpReply reply, int messageId)
            {
                var v3 = _owner.CheckHeader(reply);
                if (v3.EngineId.Length == 0 || v3.EngineId.Length > 32)
                    throw _owner.Failure("SnmpEngineDiscoveryFailed", TssrErrorCategory.ProtocolError, "Usm_DiscoveryFailed", "Usm_Action_DiscoveryFailed");
                _owner._engineId = v3.EngineId;
                _owner.SetTime(v3.EngineBoots, v3.EngineTime);
                throw new DiscoveryDone();
            }
        }

        private void SetTime(int boots, int time)
        {
            _boots = boots;
            _time = time;
            _sinceTime.Restart();
        }

        private int CurrentTime => (int)Math.Min(int.MaxValue, _time + (long)_sinceTime.Elapsed.TotalSeconds);

        public byte[] Wrap(SnmpPdu pdu, int messageId)
        {
            var flags = (byte)(0x04 | (Authenticated ? 0x01 : 0) | (Private ? 0x02 : 0));
            var time = CurrentTime;
            var v3 = new SnmpV3Parts
            {
                MessageId = messageId,
                Flags = flags,
                EngineId = _engineId,
                EngineBoots = _boots,
                EngineTime = time,
                UserName = _userName,
                AuthParameters = Authenticated ? new byte[UsmCrypto.MacLength(_credential.AuthProtocol)] : Array.Empty<byte>(),
                ContextEngineId = _engineId,
                ContextName = _contextName,
            };
            if (Private)
            {
                var plain = SnmpMessage.EncodeScopedPdu(v3, pdu);
                var salt = new byte[8];
                var counter = Interlocked.Increment(ref _salt);
                if (_credential.PrivacyProtocol == SnmpPrivacyProtocol.DES)
                {
                    UsmCrypto.WriteInt(salt, 0, _boots);
                    UsmCrypto.WriteInt(salt, 4, (int)counter);
                    v3.EncryptedPdu = UsmCrypto.DesEncrypt(_privKey, salt, plain);
                }
                else
                {
                    UsmCrypto.WriteInt(salt, 0, (int)(counter >> 32));
                    UsmCrypto.WriteInt(salt, 4, (int)counter);
                    v3.EncryptedPdu = UsmCrypto.AesCfb(_privKey, _boots, time, salt, plain, encrypt: true);
                }
                v3.PrivParameters = salt;
            }
            var message = new SnmpMessage(SnmpVersion.V3, Array.Empty<byte>(), pdu, v3).Encode();
            if (Authenticated)
            {
                SnmpMessage.TryDecode(message, message.Length, out var own, out _);
                var offset = own!.V3!.AuthParametersOffset;
                var mac = UsmCrypto.Mac(_credential.AuthProtocol, _authKey, message);
                Buffer.BlockCopy(mac, 0, message, offset, mac.Length);
            }
            return message;
        }

        public SnmpPdu Unwrap(SnmpReply reply, int messageId)
        {
            var v3 = CheckHeader(reply);
            var message = reply.Message!;
            if (v3.Authenticated)
            {
                if (!Authenticated || v3.AuthParametersOffset < 0 || v3.AuthParameters.Length != UsmCrypto.MacLength(_credential.AuthProtocol))
                    throw Failure("SnmpResponseNotAuthentic", TssrErrorCategory.SecurityError, "Usm_NotAuthentic", "Usm_Action_NotAuthentic");
                var copy = (byte[])reply.Datagram.Clone();
                Array.Clear(copy, v3.AuthParametersOffset, v3.AuthParameters.Length);
                var expected = UsmCrypto.Mac(_credential.AuthProtocol, _authKey, copy);
                if (!UsmCrypto.FixedTimeEquals(expected, v3.AuthParameters))
                    throw Failure("SnmpResponseNotAuthentic", TssrErrorCategory.SecurityError, "Usm_NotAuthentic", "Usm_Action_NotAuthentic");
            }
            var pdu = message.Pdu;
            if (v3.Private)
            {
                if (!Private || v3.EncryptedPdu == null)
                    throw Failure("SnmpInvalidResponse", TssrErrorCategory.InvalidData, "Usm_UnexpectedPrivacy", "Action_InvalidResponse");
                byte[] plain;
                try
                {
                    plain = _credential.PrivacyProtocol == SnmpPrivacyProtocol.DES
                        ? UsmCrypto.DesDecrypt(_privKey, v3.PrivParameters, v3.EncryptedPdu)
                        : UsmCrypto.AesCfb(_privKey, v3.EngineBoots, v3.EngineTime, v3.PrivParameters, v3.EncryptedPdu, encrypt: false);
                }
                catch (CryptographicException)
                {
                    throw Failure("SnmpDecryptionError", TssrErrorCategory.SecurityError, "Usm_ReplyUndecipherable", "Usm_Action_ReplyUndecipherable");
                }
                if (!SnmpMessage.TryDecodeScopedPdu(plain, v3, out pdu, out var error))
                    throw Failure("SnmpDecryptionError", TssrErrorCategory.SecurityError, "Usm_ReplyUndecipherable", "Usm_Action_ReplyUndecipherable", error!.ToString());
            }
            else if (pdu == null)
            {
                throw Failure("SnmpInvalidResponse", TssrErrorCategory.InvalidData, "Usm_UnexpectedPrivacy", "Action_InvalidResponse");
            }
            if (pdu!.Type == SnmpPduType.Report) HandleReport(pdu, v3);
            if (Authenticated && !v3.Authenticated)
                throw Failure("SnmpResponseNotAuthentic", TssrErrorCategory.SecurityError, "Usm_NotAuthentic", "Usm_Action_NotAuthentic");
            if (v3.Authenticated) SetTimeFromAuthentic(v3);
            _resyncedOnce = false;
            return pdu;
        }

        private void SetTimeFromAuthentic(SnmpV3Parts v3)
        {
            if (v3.EngineBoots > _boots || (v3.EngineBoots == _boots && v3.EngineTime > CurrentTime)) SetTime(v3.EngineBoots, v3.EngineTime);
        }

        private SnmpV3Parts CheckHeader(SnmpReply reply)
        {
            var message = reply.Message!;
            if (message.Version != SnmpVersion.V3)
                throw SnmpFailure.Of("SnmpInvalidResponse", TssrErrorCategory.InvalidData, _target, "Error_WrongVersion", "Action_InvalidResponse", _target, message.Version, SnmpVersion.V3);
            var v3 = message.V3!;
            if (v3.SecurityModel != 3)
                throw Failure("SnmpInvalidResponse", TssrErrorCategory.InvalidData, "Usm_WrongModel", "Action_InvalidResponse", v3.SecurityModel);
            return v3;
        }

        private void HandleReport(SnmpPdu report, SnmpV3Parts v3)
        {
            var oid = report.Varbinds.Count > 0 ? report.Varbinds[0].Oid : null;
            var level = _credential.SecurityLevel;
            if (oid == null) throw Failure("SnmpUnexpectedReport", TssrErrorCategory.ProtocolError, "Error_UnexpectedReport", "Action_InvalidResponse", "-");
            if (oid.StartsWith(NotInTimeWindows))
            {
                if (!_resyncedOnce && v3.Authenticated)
                {
                    _resyncedOnce = true;
                    SetTime(v3.EngineBoots, v3.EngineTime);
                    throw new UsmResynchronised();
                }
                throw Failure("SnmpNotInTimeWindow", TssrErrorCategory.AuthenticationError, "Usm_NotInTimeWindow", "Usm_Action_NotInTimeWindow");
            }
            if (oid.StartsWith(UnknownUserNames)) throw Failure("SnmpUnknownUserName", TssrErrorCategory.AuthenticationError, "Usm_UnknownUser", "Usm_Action_UnknownUser");
            if (oid.StartsWith(WrongDigests)) throw Failure("SnmpWrongDigest", TssrErrorCategory.AuthenticationError, "Usm_WrongDigest", "Usm_Action_WrongDigest");
            if (oid.StartsWith(UnsupportedSecLevels)) throw Failure("SnmpUnsupportedSecurityLevel", TssrErrorCategory.AuthenticationError, "Usm_UnsupportedLevel", "Usm_Action_UnsupportedLevel");
            if (oid.StartsWith(DecryptionErrors)) throw Failure("SnmpDecryptionError", TssrErrorCategory.AuthenticationError, "Usm_DecryptionError", "Usm_Action_DecryptionError");
            if (oid.StartsWith(UnknownEngineIds)) throw Failure("SnmpUnknownEngineId", TssrErrorCategory.ProtocolError, "Usm_UnknownEngine", "Usm_Action_UnknownEngine");
            if (oid.StartsWith(UnknownContexts) || oid.StartsWith(UnavailableContexts)) throw Failure("SnmpUnknownContext", TssrErrorCategory.ObjectNotFound, "Usm_UnknownContext", "Usm_Action_UnknownContext");
            throw Failure("SnmpUnexpectedReport", TssrErrorCategory.ProtocolError, "Error_UnexpectedReport", "Action_InvalidResponse", oid.ToString());
        }

        /// <summary>A per-agent failure; the arguments are target, user, level, protocols, then extras. Never a secret.</summary>
        private SnmpFailure Failure(string errorId, TssrErrorCategory category, string messageKey, string actionKey, params object?[] extra)
        {
            var args = new object?[5 + extra.Length];
            args[0] = _target;
            args[1] = _credential.UserName;
            args[2] = _credential.SecurityLevel;
            args[3] = _credential.AuthProtocol;
            args[4] = _credential.PrivacyProtocol;
            Array.Copy(extra, 0, args, 5, extra.Length);
            return new SnmpFailure(new TssrError(errorId, category, _target, SnmpText.Strings.Format(messageKey, args), SnmpText.Strings.Format(actionKey, args)));
        }
    }
}
