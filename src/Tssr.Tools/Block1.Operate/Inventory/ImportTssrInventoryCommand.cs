using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory.Model;

namespace Tssr.Tools
{
    /// <summary>Reads inventories written by Export-TssrInventory.</summary>
    [Cmdlet(VerbsData.Import, "TssrInventory")]
    [OutputType(typeof(ServerInventory))]
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
                    foreach (var inventory in InventoryJson.Load(file)) WriteObject(inventory);
                }
                catch (TssrException e)
                {
                    WriteTssrError(e.Error);
                }
            }
        }
    }
}
