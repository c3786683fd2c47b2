using System.Net;

namespace Tssr.Tools.Engine.Network.Targets
{
    /// <summary>
    /// One target as the user named it: an address already known, or a host name still to resolve.
    /// <see cref="Input"/> is the text it came from (a range or CIDR block), for error messages.
    /// </summary>
    public sealed class TargetSpec
    {
        public TargetSpec(string input, IPAddress? address, string? hostName)
        {
            Input = input;
            Address = address;
            HostName = hostName;
        }

        public string Input { get; }
        public IPAddress? Address { get; }
        public string? HostName { get; }
        public bool NeedsResolution => Address == null;

        /// <summary>How the target is shown: the host name when given, else the address.</summary>
        public string DisplayName => HostName ?? Address!.ToString();

        public override string ToString() => DisplayName;
    }
}
