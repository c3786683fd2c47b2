using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory;
using Tssr.Tools.Engine.Inventory.Model;

namespace Tssr.Tools
{
    /// <summary>Writes inventories to a versioned JSON file that Import-TssrInventory reads back exactly.</summary>
    [Cmdlet(VerbsData.Export, "TssrInventory", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    [Competency(Competency.OperateLinuxServers, Competency.MaintainVirtualisedServers)]
    public sealed class ExportTssrInventoryCommand : TssrCmdlet
    {
        private readonly List<ServerInventory> _items = new List<ServerInventory>();

        /// <summary>Inventories from Get-TssrServerInventory or Import-TssrInventory.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public ServerInventory[] InputObject { get; set; } = Array.Empty<ServerInventory>();

        /// <summary>The JSON file to write.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Do not overwrite an existing file.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Write the file's FileInfo.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord() => _items.AddRange(InputObject);

        protected override void EndProcessing()
        {
            var path = GetUnresolvedProviderPathFromPSPath(Path);
            if (NoClobber && File.Exists(path))
                ThrowTerminatingError(ErrorFactory.Create("InventoryFileExists", TssrErrorCategory.ResourceExists, path,
                    InventoryText.Strings.Format("Error_FileExists", path), InventoryText.Strings.Get("Action_FileExists")));
            if (!ShouldProcess(path, InventoryText.Strings.Format("ShouldProcess_Export", _items.Count)))
                return;
            Invoke(() => { InventoryJson.Save(path, _items); return true; });
            if (PassThru) WriteObject(new FileInfo(path));
        }
    }
}
