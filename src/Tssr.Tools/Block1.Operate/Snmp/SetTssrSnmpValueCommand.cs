using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Snmp;

namespace Tssr.Tools
{
    /// <summary>Writes one typed value with SNMP SET on each agent, after confirmation (-WhatIf, -Confirm).</summary>
    [Cmdlet(VerbsCommon.Set, "TssrSnmpValue", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SnmpValueResult))]
    [Competency(Competency.OperateIpNetwork)]
    public sealed class SetTssrSnmpValueCommand : SnmpCmdlet
    {
        /// <summary>The OID to write: numeric or a known name with its index (sysContact.0).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Oid { get; set; } = string.Empty;

        /// <summary>The value; read according to -Type.</summary>
        [Parameter(Mandatory = true, Position = 2)]
        [AllowEmptyString]
        public object Value { get; set; } = string.Empty;

        /// <summary>The SNMP type of the value; OctetString for text, Integer for whole numbers when not given.</summary>
        [Parameter]
        [EnumArgument(typeof(SnmpSetType), nameof(Type))]
        public SnmpSetType? Type { get; set; }

        /// <summary>Write what the agent answered.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            var oids = ReadOids(new[] { Oid });
            var raw = Value is PSObject wrapped ? wrapped.BaseObject : Value;
            var type = Type ?? (raw is int || raw is long || raw is short || raw is byte ? SnmpSetType.Integer : SnmpSetType.OctetString);
            SnmpValue value;
            try
            {
                value = SnmpSetValues.Read(type, raw);
            }
            catch (FormatException)
            {
                ThrowParameterError("SnmpValueInvalid", Value, SnmpText.Strings.Format("Error_ValueInvalid", raw, type), SnmpText.Strings.Get("Action_ValueInvalid"));
                return;
            }
            var options = new SnmpSetOptions
            {
                Credential = BuildCredential(),
                Settings = BuildSettings(),
                ThrottleLimit = ThrottleLimit,
                Values = new[] { new SnmpVarbind(oids[0], value) },
                PassThru = PassThru.IsPresent,
            };
            Work = StartEngine(new SnmpSetEngine(), options, inputCapacity: ThrottleLimit * 2);
        }
    }
}
