using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Snmp;

namespace Tssr.Tools
{
    /// <summary>
    /// Base of the SNMP cmdlets: the agent and security parameters live here once (-ComputerName,
    /// -Version, -Community, -Credential, -AuthProtocol, -PrivacyProtocol, -PrivacyPassphrase,
    /// -TimeoutSec, -Retry, -ThrottleLimit). Secrets are read from SecureString/PSCredential into
    /// bytes for the engine and never written anywhere.
    /// </summary>
    public abstract class SnmpCmdlet : TssrCmdlet
    {
        /// <summary>Agents: host, host:port, IPv6 address or [IPv6]:port (port 161 by default).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("HostName", "IPAddress", "DNSHostName", "Target")]
        public string[] ComputerName { get; set; } = Array.Empty<string>();

        /// <summary>1, 2c or 3; 3 when -Credential is given, 2c otherwise.</summary>
        [Parameter]
        [ValidateSet("1", "2c", "3")]
        public string? Version { get; set; }

        /// <summary>The community (v1/v2c) as a string or a SecureString; public when not given.</summary>
        [Parameter]
        public object? Community { get; set; }

        /// <summary>v3: the user name and its authentication pass phrase (empty for noAuthNoPriv).</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>v3 authentication: MD5, SHA1 (SHA), SHA224, SHA256, SHA384, SHA512.</summary>
        [Parameter]
        [SnmpProtocolArgument(typeof(SnmpAuthProtocol), nameof(AuthProtocol))]
        [EnumArgument(typeof(SnmpAuthProtocol), nameof(AuthProtocol))]
        public SnmpAuthProtocol AuthProtocol { get; set; } = SnmpAuthProtocol.None;

        /// <summary>v3 privacy: DES, AES (AES-128), AES192, AES256.</summary>
        [Parameter]
        [SnmpProtocolArgument(typeof(SnmpPrivacyProtocol), nameof(PrivacyProtocol))]
        [EnumArgument(typeof(SnmpPrivacyProtocol), nameof(PrivacyProtocol))]
        public SnmpPrivacyProtocol PrivacyProtocol { get; set; } = SnmpPrivacyProtocol.None;

        /// <summary>v3 privacy pass phrase.</summary>
        [Parameter]
        public SecureString? PrivacyPassphrase { get; set; }

        /// <summary>v3 context name (empty by default).</summary>
        [Parameter]
        [AllowEmptyString]
        public string Context { get; set; } = string.Empty;

        /// <summary>Seconds to wait for each attempt (fractions allowed).</summary>
        [Parameter]
        [ValidateRange(0.05, 600.0)]
        public double TimeoutSec { get; set; } = SnmpRequestSettings.DefaultTimeout.TotalSeconds;

        /// <summary>Attempts after the first.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int Retry { get; set; } = SnmpRequestSettings.DefaultRetry;

        /// <summary>Agents asked at once.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = SnmpQueryOptions.DefaultThrottleLimit;

        private protected StreamingWork<string>? Work { get; set; }

        /// <summary>The credential from the parameters; a contradiction stops the command before any packet.</summary>
        private protected SnmpCredential BuildCredential()
        {
            var hasUser = Credential != null && Credential != PSCredential.Empty;
            var version = Version ?? (hasUser ? "3" : "2c");
            if (version != "3")
            {
                if (hasUser || AuthProtocol != SnmpAuthProtocol.None || PrivacyProtocol != SnmpPrivacyProtocol.None || PrivacyPassphrase != null)
                    ThrowParameterError("SnmpV3ParameterWithoutV3", "Version", SnmpText.Strings.Format("Error_V3ParameterWithoutV3", version), SnmpText.Strings.Get("Action_V3ParameterWithoutV3"));
                var community = ReadCommunity();
                return SnmpCredential.ForCommunity(version == "1" ? SnmpVersion.V1 : SnmpVersion.V2c, community);
            }
            if (Community != null)
                ThrowParameterError("SnmpCommunityWithV3", "Community", SnmpText.Strings.Get("Credential_CommunityForV3"), SnmpText.Strings.Get("Action_InvalidCredential"));
            if (!hasUser)
                ThrowParameterError("SnmpCredentialMissing", "Credential", SnmpText.Strings.Get("Credential_NoUser"), SnmpText.Strings.Get("Action_InvalidCredential"));
            var authBytes = ToBytes(Credential!.Password);
            var privBytes = PrivacyPassphrase == null ? Array.Empty<byte>() : ToBytes(PrivacyPassphrase);
            if (authBytes.Length > 0 && AuthProtocol == SnmpAuthProtocol.None)
                ThrowParameterError("SnmpAuthProtocolMissing", "AuthProtocol", SnmpText.Strings.Get("Error_AuthProtocolMissing"), SnmpText.Strings.Get("Action_AuthProtocolMissing"));
            if (authBytes.Length == 0 && AuthProtocol != SnmpAuthProtocol.None)
                ThrowParameterError("SnmpAuthPassphraseMissing", "Credential", SnmpText.Strings.Get("Error_AuthPassphraseMissing"), SnmpText.Strings.Get("Action_InvalidCredential"));
            if (privBytes.Length > 0 && PrivacyProtocol == SnmpPrivacyProtocol.None)
                ThrowParameterError("SnmpPrivacyProtocolMissing", "PrivacyProtocol", SnmpText.Strings.Get("Error_PrivacyProtocolMissing"), SnmpText.Strings.Get("Action_PrivacyProtocolMissing"));
            if (privBytes.Length == 0 && PrivacyProtocol != SnmpPrivacyProtocol.None)
                ThrowParameterError("SnmpPrivacyPassphraseMissing", "PrivacyPassphrase", SnmpText.Strings.Get("Error_PrivacyPassphraseMissing"), SnmpText.Strings.Get("Action_InvalidCredential"));
            var user = Credential.UserName.StartsWith("\\", StringComparison.Ordinal) ? Credential.UserName.Substring(1) : Credential.UserName;
            var credential = SnmpCredential.ForUser(user, AuthProtocol, authBytes, PrivacyProtocol, privBytes, Context);
            var problem = credential.Validate();
            if (problem != null) ThrowParameterError("SnmpInvalidCredential", "Credential", SnmpText.Strings.Get(problem), SnmpText.Strings.Get("Action_InvalidCredential"));
            return credential;
        }

        private byte[] ReadCommunity()
        {
            var value = Community is PSObject wrapped ? wrapped.BaseObject : Community;
            if (value is object[] many && many.Length > 0) value = many[0] is PSObject p ? p.BaseObject : many[0];
            switch (value)
            {
                case null: return Encoding.ASCII.GetBytes("public");
                case string text: return Encoding.UTF8.GetBytes(text);
                case SecureString secure: return ToBytes(secure);
                default:
                    ThrowParameterError("SnmpCommunityType", "Community", SnmpText.Strings.Format("Error_CommunityType", value.GetType().Name), SnmpText.Strings.Get("Action_CommunityType"));
                    return Array.Empty<byte>();
            }
        }

        /// <summary>The UTF-8 bytes of a SecureString, without a managed string copy of it.</summary>
        private protected static byte[] SecureBytes(SecureString secure) => ToBytes(secure);

        private static byte[] ToBytes(SecureString secure)
        {
            var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            var chars = new char[secure.Length];
            try
            {
                Marshal.Copy(pointer, chars, 0, chars.Length);
                return Encoding.UTF8.GetBytes(chars);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        private protected SnmpRequestSettings BuildSettings(int maxRepetitions = SnmpRequestSettings.DefaultMaxRepetitions)
            => new SnmpRequestSettings { Timeout = TimeSpan.FromSeconds(TimeoutSec), Retry = Retry, MaxRepetitions = maxRepetitions };

        /// <summary>OIDs typed by number or known name; an unknown one stops the command and lists how to write it.</summary>
        private protected IReadOnlyList<Oid> ReadOids(IEnumerable<string> texts)
        {
            var oids = new List<Oid>();
            foreach (var text in texts)
            {
                if (!SnmpNames.TryResolve(text, out var oid))
                    ThrowParameterError("SnmpOidUnknown", text, SnmpText.Strings.Format("Error_OidUnknown", text), SnmpText.Strings.Get("Action_OidUnknown"));
                oids.Add(oid!);
            }
            return oids;
        }

        /// <summary>ProcessRecord of every SNMP cmdlet: typed agents are checked first (a bad one stops the command), piped ones one by one.</summary>
        protected override void ProcessRecord()
        {
            var fromPipeline = IsPipelineInput;
            if (!fromPipeline)
                foreach (var name in ComputerName)
                    TryReadInput(() => SnmpEndpoint.Parse(name), fromPipeline: false, out _);
            foreach (var name in ComputerName)
            {
                if (fromPipeline && IsUnboundRecord(name))
                {
                    WriteUnboundRecordError(name, nameof(ComputerName));
                    continue;
                }
                if (fromPipeline && !TryReadInput(() => SnmpEndpoint.Parse(name), fromPipeline: true, out _)) continue;
                Work!.Post(name);
            }
        }

        protected override void EndProcessing() => Work!.Finish();
    }

    /// <summary>Reads the protocol names people type: net-snmp's (SHA, SHA-256, AES-128) as well as the enum's.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class SnmpProtocolArgumentAttribute : ArgumentTransformationAttribute
    {
        private readonly Type _enumType;
        private readonly string _parameterName;

        public SnmpProtocolArgumentAttribute(Type enumType, string parameterName)
        {
            _enumType = enumType;
            _parameterName = parameterName;
        }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (!(value is string text)) return inputData;
            var key = text.Trim().Replace("-", string.Empty).Replace("_", string.Empty).ToUpperInvariant();
            if (key == "SHA") key = "SHA1";
            if (key == "AES128") key = "AES";
            var name = Enum.GetNames(_enumType).FirstOrDefault(n => string.Equals(n, key, StringComparison.OrdinalIgnoreCase));
            if (name != null) return Enum.Parse(_enumType, name);
            throw new ArgumentTransformationMetadataException(
                TssrCmdlet.EngineText.Format("Error_EnumValue", text, _parameterName, string.Join(", ", Enum.GetNames(_enumType))));
        }
    }
}
