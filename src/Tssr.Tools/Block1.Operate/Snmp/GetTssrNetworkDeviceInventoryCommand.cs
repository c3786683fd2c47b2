using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Snmp;

namespace Tssr.Tools
{
    /// <summary>Inventories network devices over SNMP: system group, interfaces, addresses, storage, processors, entities and LLDP neighbours.</summary>
    [Cmdlet(VerbsCommon.Get, "TssrNetworkDeviceInventory")]
    [OutputType(typeof(SnmpDeviceInventory))]
    [Competency(Competency.OperateIpNetwork)]
    public sealed class GetTssrNetworkDeviceInventoryCommand : SnmpCmdlet
    {
        protected override void BeginProcessing()
        {
            var options = new SnmpInventoryOptions
            {
                Credential = BuildCredential(),
                Settings = BuildSettings(),
                ThrottleLimit = ThrottleLimit,
            };
            Work = StartEngine(new SnmpInventoryEngine(), options, inputCapacity: ThrottleLimit * 2);
        }
    }
}
