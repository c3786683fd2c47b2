using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory;
using Tssr.Tools.Engine.Inventory.Drift;
using Tssr.Tools.Engine.Inventory.Model;

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

        /// <summary>The earlier inventories: ServerInventory objects or paths of exported files.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public object[] Reference { get; set; } = Array.Empty<object>();

        /// <summary>The later inventories: objects (also from the pipeline) or paths of exported files.</summary>
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

        protected override void BeginProcessing() => _reference = Resolve(Reference, terminating: true);

        protected override void ProcessRecord() => _difference.AddRange(Resolve(Difference, terminating: false));

        protected override void EndProcessing()
        {
            var comparer = new InventoryComparer(new DriftOptions { IncludeNoise = IncludeNoise.IsPresent, FreeSpaceTolerancePercent = FreeSpaceTolerancePercent });
            foreach (var change in comparer.Compare(_reference!, _difference)) WriteObject(change);
        }

        private List<ServerInventory> Resolve(object[] items, bool terminating)
        {
            var list = new List<ServerInventory>();
            foreach (var raw in items)
            {
                var item = raw is PSObject pso ? pso.BaseObject : raw;
                try
                {
                    switch (item)
                    {
                        case ServerInventory inventory: list.Add(inventory); break;
                        case FileInfo file: list.AddRange(InventoryJson.Load(file.FullName)); break;
                        case string path: list.AddRange(InventoryJson.Load(GetUnresolvedProviderPathFromPSPath(path))); break;
                        default:
                            throw new TssrException("InventoryInputInvalid", TssrErrorCategory.InvalidArgument, item,
                                InventoryText.Strings.Format("Error_CompareInput", item?.GetType().Name ?? "null"));
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
