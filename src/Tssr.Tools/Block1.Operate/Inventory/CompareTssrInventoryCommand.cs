using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory;
using Tssr.Tools.Engine.Inventory.Drift;
using Tssr.Tools.Engine.Inventory.Model;
using Tssr.Tools.Engine.Snmp;

namespace Tssr.Tools
{
    /// <summary>
    /// The drift between two inventories of the same hosts (objects or Export-TssrInventory files):
    /// one object per change, security changes graded by severity, noise left out unless asked.
    /// </summary>
    [Cmdlet(VerbsData.Compare, "TssrInventory")]
    [OutputType(typeof(InventoryChange))]
    [Competency(Competency.OperateLinuxServers, Competency.MaintainVirtualisedServers)]
    public sealed class CompareTssrInventoryCommand : TssrCmdlet
    {
        private readonly List<ServerInventory> _difference = new List<ServerInventory>();
        private List<ServerInventory>? _reference;
        private readonly List<SnmpDeviceInventory> _referenceDevices = new List<SnmpDeviceInventory>();
        private readonly List<SnmpDeviceInventory> _differenceDevices = new List<SnmpDeviceInventory>();

        /// <summary>The earlier inventories: ServerInventory or SnmpDeviceInventory objects, or paths of exported files.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public object[] Reference { get; set; } = Array.Empty<object>();

        /// <summary>The later inventories: ServerInventory or SnmpDeviceInventory objects (also from the pipeline), or paths of exported files.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        [ValidateNotNull]
        public object[] Difference { get; set; } = Array.Empty<object>();

        /// <summary>Also write the changes that always happen (uptime, free space within the tolerance, counters).</summary>
        [Parameter]
        public SwitchParameter IncludeNoise { get; set; }

        /// <summary>Percent of a file system's size its free space may move before it is reported.</summary>
        [Parameter]
        [ValidateRange(0.0, 100.0)]
        public double FreeSpaceTolerancePercent { get; set; } = 10;

        protected override void BeginProcessing() => _reference = Resolve(Reference, terminating: true, _referenceDevices);

        protected override void ProcessRecord() => _difference.AddRange(Resolve(Difference, terminating: false, _differenceDevices));

        protected override void EndProcessing()
        {
            var options = new DriftOptions { IncludeNoise = IncludeNoise.IsPresent, FreeSpaceTolerancePercent = FreeSpaceTolerancePercent };
            var comparer = new InventoryComparer(options);
            var devices = DeviceDrift.Compare(_referenceDevices, _differenceDevices, options);
            foreach (var change in DeviceDrift.Merge(comparer.Compare(_reference!, _difference), devices)) WriteObject(change);
        }

        private List<ServerInventory> Resolve(object[] items, bool terminating, List<SnmpDeviceInventory> devices)
        {
            var list = new List<ServerInventory>();
            void Add(InventoryDocument document)
            {
                list.AddRange(document.Servers);
                devices.AddRange(document.Devices);
            }
            foreach (var raw in items)
            {
                var item = raw is PSObject pso ? pso.BaseObject : raw;
                try
                {
                    switch (item)
                    {
                        case ServerInventory inventory: list.Add(inventory); break;
                        case SnmpDeviceInventory device: devices.Add(device); break;
                        case FileInfo file: Add(DeviceInventoryJson.Load(file.FullName)); break;
                        case string path: Add(DeviceInventoryJson.Load(GetUnresolvedProviderPathFromPSPath(path))); break;
                        default: throw DeviceInventoryJson.InputInvalid(item);
                    }
                }
                catch (TssrException e)
                {
                    if (terminating) ThrowTerminatingError(ErrorFactory.Create(e.Error));
                    WriteTssrError(e.Error);
                }
            }
            return list;
        }
    }
}
