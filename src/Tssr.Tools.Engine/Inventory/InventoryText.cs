using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Inventory
{
    /// <summary>The one accessor of the inventory area's messages (English and French).</summary>
    public static class InventoryText
    {
        public static readonly Localizer Strings = new Localizer("Tssr.Tools.Engine.Inventory.Strings");
    }
}
