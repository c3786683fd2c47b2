using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network
{
    /// <summary>
    /// The texts of the network area, one resx family per engine folder (English Strings.resx and
    /// French Strings.fr.resx beside the code). The only place where their base names are written:
    /// engines and cmdlets reach their messages through these fields.
    /// </summary>
    public static class NetworkText
    {
        public static readonly Localizer Arp = new Localizer("Tssr.Tools.Engine.Network.Arp.Strings");
        public static readonly Localizer Dns = new Localizer("Tssr.Tools.Engine.Network.Dns.Strings");
        public static readonly Localizer Icmp = new Localizer("Tssr.Tools.Engine.Network.Icmp.Strings");
        public static readonly Localizer Ports = new Localizer("Tssr.Tools.Engine.Network.Ports.Strings");
        public static readonly Localizer Subnet = new Localizer("Tssr.Tools.Engine.Network.Subnet.Strings");
        public static readonly Localizer Targets = new Localizer("Tssr.Tools.Engine.Network.Targets.Strings");
        public static readonly Localizer Tls = new Localizer("Tssr.Tools.Engine.Network.Tls.Strings");
    }
}
