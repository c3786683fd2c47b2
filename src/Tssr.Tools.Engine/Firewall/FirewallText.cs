using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Firewall
{
    /// <summary>
    /// The texts of the firewall area (English Strings.resx and French Strings.fr.resx beside the
    /// code). The only place where their base name is written: readers, analyses and cmdlets reach
    /// their messages through this field.
    /// </summary>
    public static class FirewallText
    {
        public static readonly Localizer Strings = new Localizer("Tssr.Tools.Engine.Firewall.Strings");
    }
}
