using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Snmp;

namespace Tssr.Tools
{
    /// <summary>Walks subtrees of SNMP agents (GETBULK, or GETNEXT for v1), writing each value as it arrives.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "TssrSnmpWalk")]
    [OutputType(typeof(SnmpValueResult))]
    [Competency(Competency.OperateIpNetwork)]
    public sealed class InvokeTssrSnmpWalkCommand : SnmpCmdlet
    {
        /// <summary>Subtrees to walk: numeric or known names (system, ifTable, ifXTable…); mib-2 (1.3.6.1.2.1) by default.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string[] Oid { get; set; } = { "1.3.6.1.2.1" };

        /// <summary>Values asked per GETBULK request.</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int MaxRepetitions { get; set; } = SnmpRequestSettings.DefaultMaxRepetitions;

        /// <summary>GETNEXT even with v2c/v3 (for agents whose GETBULK is broken).</summary>
        [Parameter]
        public SwitchParameter UseGetNext { get; set; }

        protected override void BeginProcessing()
        {
            var options = new SnmpWalkOptions
            {
                Credential = BuildCredential(),
                Settings = BuildSettings(MaxRepetitions),
                ThrottleLimit = ThrottleLimit,
                Roots = ReadOids(Oid),
                UseGetNext = UseGetNext.IsPresent,
            };
            Work = StartEngine(new SnmpWalkEngine(), options, inputCapacity: ThrottleLimit * 2);
        }
    }
}
