using System;
using System.Collections.Generic;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>SNMP versions as the cmdlets name them.</summary>
    public enum SnmpVersion
    {
        V1 = 0,
        V2c = 1,
        V3 = 3,
    }

    public enum SnmpPduType : byte
    {
        Get = 0xA0,
        GetNext = 0xA1,
        Response = 0xA2,
        Set = 0xA3,
        GetBulk = 0xA5,
        Inform = 0xA6,
        TrapV2 = 0xA7,
        Report = 0xA8,
    }

    /// <summary>error-status of a Response (RFC 3416 section 3).</summary>
    public enum SnmpErrorStatus
    {
        NoError = 0,
        TooBig = 1,
        NoSuchName = 2,
        BadValue = 3,
        ReadOnly = 4,
        GenErr = 5,
        NoAccess = 6,
        WrongType = 7,
        WrongLength = 8,
        WrongEncoding = 9,
        WrongValue = 10,
        NoCreation = 11,
        InconsistentValue = 12,
        ResourceUnavailable = 13,
        CommitFailed = 14,
        UndoFailed = 15,
        AuthorizationError = 16,
        NotWritable = 17,
        InconsistentName = 18,
    }

    /// <summary>One PDU. For GetBulk, <see cref="ErrorStatus"/> and <see cref="ErrorIndex"/> carry non-repeaters and max-repetitions.</summary>
    internal sealed class SnmpPdu
    {
        public SnmpPdu(SnmpPduType type, int requestId, int errorStatus, int errorIndex, IReadOnlyList<SnmpVarbind> varbinds)
        {
            Type = type;
            RequestId = requestId;
            ErrorStatus = errorStatus;
            ErrorIndex = errorIndex;
            Varbinds = varbinds;
        }

        public SnmpPduType Type { get; }
        public int RequestId { get; }
        public int ErrorStatus { get; }
        public int ErrorIndex { get; }
        public IReadOnlyList<SnmpVarbind> Varbinds { get; }

        public static SnmpPdu Decode(BerReader reader)
        {
            var start = reader.Position;
            var content = reader.ReadValue(out var tag, out _);
            if (tag != (byte)SnmpPduType.Response && tag != (byte)SnmpPduType.Report && tag != (byte)SnmpPduType.Get
                && tag != (byte)SnmpPduType.GetNext && tag != (byte)SnmpPduType.Set && tag != (byte)SnmpPduType.GetBulk
                && tag != (byte)SnmpPduType.Inform && tag != (byte)SnmpPduType.TrapV2)
                throw new BerFormatException(start, "Parse_UnsupportedPdu", tag.ToString("X2"));
            var requestId = (int)content.ReadInt32("request-id");
            var errorStatus = (int)content.ReadInt32("error-status");
            var errorIndex = (int)content.ReadInt32("error-index");
            var list = content.ReadSequence();
            content.ExpectEnd("PDU");
            var varbinds = new List<SnmpVarbind>();
            while (!list.AtEnd)
            {
                var vb = list.ReadSequence();
                var oidOffset = vb.Position;
                var oidContent = vb.ReadValue(out var oidTag, out var oidContentOffset);
                if (oidTag != BerTag.ObjectIdentifier) throw new BerFormatException(oidOffset, "Parse_UnexpectedTag", BerTag.ObjectIdentifier.ToString("X2"), oidTag.ToString("X2"));
                var oid = new Oid(oidContent.OidContent(oidContentOffset));
                var value = SnmpValue.Decode(vb);
                vb.ExpectEnd("VarBind");
                varbinds.Add(new SnmpVarbind(oid, value));
            }
            return new SnmpPdu((SnmpPduType)tag, requestId, errorStatus, errorIndex, varbinds);
        }

        public void Encode(BerWriter writer)
        {
            var pduMark = writer.Mark();
            var listMark = writer.Mark();
            for (var i = Varbinds.Count - 1; i >= 0; i--)
            {
                var vbMark = writer.Mark();
                Varbinds[i].Value.Encode(writer);
                writer.WriteOid(Varbinds[i].Oid);
                writer.EndConstructed(BerTag.Sequence, vbMark);
            }
            writer.EndConstructed(BerTag.Sequence, listMark);
            writer.WriteInteger(BerTag.Integer, ErrorIndex);
            writer.WriteInteger(BerTag.Integer, ErrorStatus);
            writer.WriteInteger(BerTag.Integer, RequestId);
            writer.EndConstructed((byte)Type, pduMark);
        }
    }

    /// <summary>The v3 header, security parameters and scoped PDU fields of a message.</summary>
    internal sealed class SnmpV3Parts
    {
        public int MessageId { get; set; }
        public int MaxSize { get; set; } = 65507;
        public byte Flags { get; set; }
        public int SecurityModel { get; set; } = 3;
        public byte[] EngineId { get; set; } = Array.Empty<byte>();
        public int EngineBoots { get; set; }
        public int EngineTime { get; set; }
        public byte[] UserName { get; set; } = Array.Empty<byte>();
        public byte[] AuthParameters { get; set; } = Array.Empty<byte>();
        public byte[] PrivParameters { get; set; } = Array.Empty<byte>();
        /// <summary>Offset of the authentication parameters' content in the whole message (for HMAC).</summary>
        public int AuthParametersOffset { get; set; } = -1;
        public byte[] ContextEngineId { get; set; } = Array.Empty<byte>();
        public byte[] ContextName { get; set; } = Array.Empty<byte>();
        /// <summary>The encrypted scoped PDU when the privacy flag is set; null otherwise.</summary>
        public byte[]? EncryptedPdu { get; set; }

        public bool Authenticated => (Flags & 0x01) != 0;
        public bool Private => (Flags & 0x02) != 0;
        public bool Reportable => (Flags & 0x04) != 0;
    }

    /// <summary>One SNMP message, any version.</summary>
    internal sealed class SnmpMessage
    {
        public SnmpMessage(SnmpVersion version, byte[] community, SnmpPdu? pdu, SnmpV3Parts? v3 = null)
        {
            Version = version;
            Community = community;
            Pdu = pdu;
            V3 = v3;
        }

        public SnmpVersion Version { get; }
        public byte[] Community { get; }
        /// <summary>Null only for a v3 message whose PDU is still encrypted.</summary>
        public SnmpPdu? Pdu { get; set; }
        public SnmpV3Parts? V3 { get; }

        public byte[] Encode()
        {
            var writer = new BerWriter();
            var mark = writer.Mark();
            if (Version == SnmpVersion.V3)
            {
                var v3 = V3!;
                if (v3.EncryptedPdu != null) writer.WriteOctetString(v3.EncryptedPdu);
                else WriteScopedPdu(writer, v3, Pdu!);
                var usm = new BerWriter();
                var usmMark = usm.Mark();
                usm.WriteOctetString(v3.PrivParameters);
                usm.WriteOctetString(v3.AuthParameters);
                usm.WriteOctetString(v3.UserName);
                usm.WriteInteger(BerTag.Integer, v3.EngineTime);
                usm.WriteInteger(BerTag.Integer, v3.EngineBoots);
                usm.WriteOctetString(v3.EngineId);
                usm.EndConstructed(BerTag.Sequence, usmMark);
                writer.WriteOctetString(usm.ToArray());
                var headerMark = writer.Mark();
                writer.WriteInteger(BerTag.Integer, v3.SecurityModel);
                writer.WriteOctetString(new[] { v3.Flags });
                writer.WriteInteger(BerTag.Integer, v3.MaxSize);
                writer.WriteInteger(BerTag.Integer, v3.MessageId);
                writer.EndConstructed(BerTag.Sequence, headerMark);
            }
            else
            {
                Pdu!.Encode(writer);
                writer.WriteOctetString(Community);
            }
            writer.WriteInteger(BerTag.Integer, (int)Version);
            writer.EndConstructed(BerTag.Sequence, mark);
            return writer.ToArray();
        }

        public static byte[] EncodeScopedPdu(SnmpV3Parts v3, SnmpPdu pdu)
        {
            var writer = new BerWriter();
            WriteScopedPdu(writer, v3, pdu);
            return writer.ToArray();
        }

        private static void WriteScopedPdu(BerWriter writer, SnmpV3Parts v3, SnmpPdu pdu)
        {
            var mark = writer.Mark();
            pdu.Encode(writer);
            writer.WriteOctetString(v3.ContextName);
            writer.WriteOctetString(v3.ContextEngineId);
            writer.EndConstructed(BerTag.Sequence, mark);
        }

        /// <summary>Reads a datagram; never throws: a broken one gives its parse error.</summary>
        public static bool TryDecode(byte[] datagram, int length, out SnmpMessage? message, out SnmpParseError? error)
        {
            message = null;
            error = null;
            try
            {
                message = Decode(datagram, length);
                return true;
            }
            catch (BerFormatException e)
            {
                error = e.ToParseError();
                return false;
            }
        }

        private static SnmpMessage Decode(byte[] datagram, int length)
        {
            var outer = new BerReader(datagram, 0, length);
            var body = outer.ReadSequence();
            outer.ExpectEnd("Message");
            var versionOffset = body.Position;
            var version = body.ReadInt32("msgVersion");
            if (version == 0 || version == 1)
            {
                var community = body.ReadOctetString(out _);
                var pdu = SnmpPdu.Decode(body);
                body.ExpectEnd("Message");
                return new SnmpMessage((SnmpVersion)version, community, pdu);
            }
            if (version != 3) throw new BerFormatException(versionOffset, "Parse_UnknownVersion", version);
            var v3 = new SnmpV3Parts();
            var header = body.ReadSequence();
            v3.MessageId = (int)header.ReadInt32("msgID");
            v3.MaxSize = (int)header.ReadInt32("msgMaxSize");
            var flags = header.ReadOctetString(out var flagsOffset);
            if (flags.Length != 1) throw new BerFormatException(flagsOffset, "Parse_Flags", flags.Length);
            v3.Flags = flags[0];
            v3.SecurityModel = (int)header.ReadInt32("msgSecurityModel");
            header.ExpectEnd("HeaderData");
            var securityOffset = body.Position;
            var security = body.ReadValue(out var securityTag, out _);
            if (securityTag != BerTag.OctetString) throw new BerFormatException(securityOffset, "Parse_UnexpectedTag", "04", securityTag.ToString("X2"));
            if (v3.SecurityModel == 3)
            {
                var usm = security.ReadSequence();
                v3.EngineId = usm.ReadOctetString(out _);
                v3.EngineBoots = (int)usm.ReadInt32("msgAuthoritativeEngineBoots");
                v3.EngineTime = (int)usm.ReadInt32("msgAuthoritativeEngineTime");
                v3.UserName = usm.ReadOctetString(out _);
                var authOffset = usm.Position;
                v3.AuthParameters = usm.ReadOctetString(out _);
                v3.AuthParametersOffset = v3.AuthParameters.Length == 0 ? -1 : authOffset + HeaderLength(datagram, authOffset);
                v3.PrivParameters = usm.ReadOctetString(out _);
                usm.ExpectEnd("UsmSecurityParameters");
                security.ExpectEnd("msgSecurityParameters");
            }
            SnmpPdu? scoped = null;
            if (body.PeekTag() == BerTag.OctetString)
            {
                v3.EncryptedPdu = body.ReadOctetString(out _);
            }
            else
            {
                scoped = DecodeScopedPdu(body, v3);
            }
            body.ExpectEnd("Message");
            return new SnmpMessage(SnmpVersion.V3, Array.Empty<byte>(), scoped, v3);
        }

        private static int HeaderLength(byte[] datagram, int offset)
        {
            var first = datagram[offset + 1];
            return first < 0x80 ? 2 : 2 + (first & 0x7F);
        }

        private static SnmpPdu DecodeScopedPdu(BerReader body, SnmpV3Parts v3)
        {
            var scoped = body.ReadSequence();
            v3.ContextEngineId = scoped.ReadOctetString(out _);
            v3.ContextName = scoped.ReadOctetString(out _);
            var pdu = SnmpPdu.Decode(scoped);
            scoped.ExpectEnd("ScopedPDU");
            return pdu;
        }

        /// <summary>Reads a decrypted scoped PDU; padding after it (DES blocks) is allowed.</summary>
        public static bool TryDecodeScopedPdu(byte[] plain, SnmpV3Parts v3, out SnmpPdu? pdu, out SnmpParseError? error)
        {
            pdu = null;
            error = null;
            try
            {
                var reader = new BerReader(plain);
                pdu = DecodeScopedPdu(reader, v3);
                return true;
            }
            catch (BerFormatException e)
            {
                error = e.ToParseError();
                return false;
            }
        }
    }
}
