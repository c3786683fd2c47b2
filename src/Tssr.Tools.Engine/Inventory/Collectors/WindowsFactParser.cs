using Tssr.Tools.Engine.Inventory.Model;

namespace Tssr.Tools.Engine.Inventory.Collectors
{
    /// <summary>Turns the sections of the PowerShell collector into a <see cref="ServerInventory"/>.</summary>
    internal static class WindowsFactParser
    {
        public static void Fill(CollectorReply reply, ServerInventory inventory)
        {
            inventory.Platform = InventoryPlatform.Windows;
            inventory.Status = InventoryStatus.Partial;
        }
    }
}
