using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Snmp;

namespace Tssr.Tools
{
    /// <summary>Reads OIDs (numeric or known names such as sysDescr.0) from SNMP agents: one typed object per value.</summary>
    [Cmdlet(VerbsCommon.Get, "TssrSnmpValue")]
    [OutputType(typeof(SnmpValueResult))]
    [Competency(Competency.OperateIpNetwork)]
    public sealed class GetTssrSnmpValueCommand : SnmpCmdlet
    {
        /// <summary>OIDs: numeric (1.3.6.1.2.1.1.1.0) or known names with their index (sysDescr.0, ifHCInOctets.3).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string[] Oid { get; set; } = Array.Empty<string>();

        /// <summary>GETNEXT: the value that follows each OID instead of the OID itself.</summary>
        [Parameter]
        public SwitchParameter Next { get; set; }

        protected override void BeginProcessing()
        {
            var options = new SnmpGetOptions
            {
                Credential = BuildCredential(),
                Settings = BuildSettings(),
                ThrottleLimit = ThrottleLimit,
                Oids = ReadOids(Oid),
                Next = Next.IsPresent,
            };
            Work = StartEngine(new SnmpGetEngine(), options, inputCapacity: ThrottleLimit * 2);
        }
    }
}
