using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>The texts of the SNMP area (Strings.resx, Strings.fr.resx beside the code); the only place their base name is written.</summary>
    public static class SnmpText
    {
        public static readonly Localizer Strings = new Localizer("Tssr.Tools.Engine.Snmp.Strings");
    }
}
