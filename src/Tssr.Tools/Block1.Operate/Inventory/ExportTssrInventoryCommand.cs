using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory;
using Tssr.Tools.Engine.Inventory.Model;
using Tssr.Tools.Engine.Snmp;

namespace Tssr.Tools
{
    /// <summary>Writes inventories to a versioned JSON file that Import-TssrInventory reads back exactly.</summary>
    [Cmdlet(VerbsData.Export, "TssrInventory", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    [Competency(Competency.OperateLinuxServers, Competency.MaintainVirtualisedServers)]
    public sealed class ExportTssrInventoryCommand : TssrCmdlet
    {
        private readonly List<ServerInventory> _items = new List<ServerInventory>();
        private readonly List<SnmpDeviceInventory> _devices = new List<SnmpDeviceInventory>();

        /// <summary>Inventories from Get-TssrServerInventory, Get-TssrNetworkDeviceInventory or Import-TssrInventory.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public object[] InputObject { get; set; } = Array.Empty<object>();

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

        protected override void ProcessRecord()
        {
            foreach (var raw in InputObject)
            {
                switch (raw is PSObject pso ? pso.BaseObject : raw)
                {
                    case ServerInventory server: _items.Add(server); break;
                    case SnmpDeviceInventory device: _devices.Add(device); break;
                    case var other: WriteTssrError(DeviceInventoryJson.InputInvalid(other).Error); break;
                }
            }
        }

        protected override void EndProcessing()
        {
            var path = GetUnresolvedProviderPathFromPSPath(Path);
            if (NoClobber && File.Exists(path))
                ThrowTerminatingError(ErrorFactory.Create("InventoryFileExists", TssrErrorCategory.ResourceExists, path,
                    InventoryText.Strings.Format("Error_FileExists", path), InventoryText.Strings.Get("Action_FileExists")));
            if (!ShouldProcess(path, InventoryText.Strings.Format("ShouldProcess_Export", _items.Count + _devices.Count)))
                return;
            Invoke(() => { DeviceInventoryJson.Save(path, _items, _devices); return true; });
            if (PassThru) WriteObject(new FileInfo(path));
        }
    }
}
