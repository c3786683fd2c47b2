using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory.Model;
using Tssr.Tools.Engine.Snmp;

namespace Tssr.Tools
{
    /// <summary>Reads inventories written by Export-TssrInventory.</summary>
    [Cmdlet(VerbsData.Import, "TssrInventory")]
    [OutputType(typeof(ServerInventory), typeof(SnmpDeviceInventory))]
    [Competency(Competency.OperateLinuxServers, Competency.MaintainVirtualisedServers)]
    public sealed class ImportTssrInventoryCommand : TssrCmdlet
    {
        /// <summary>JSON files from Export-TssrInventory.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (var p in Path)
            {
                var file = GetUnresolvedProviderPathFromPSPath(p);
                try
                {
                    var document = DeviceInventoryJson.Load(file);
                    foreach (var inventory in document.Servers) WriteObject(inventory);
                    foreach (var device in document.Devices) WriteObject(device);
                }
                catch (TssrException e)
                {
                    WriteTssrError(e.Error);
                }
            }
        }
    }
}
