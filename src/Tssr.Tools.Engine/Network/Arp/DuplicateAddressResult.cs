using System.Collections.Generic;

namespace Tssr.Tools.Engine.Network.Arp
{
    /// <summary>
    /// One address that answered on the segment, with every Ethernet address that claimed it.
    /// More than one MAC means two machines use the same IP address (or one machine answers from
    /// two interfaces: see the help, "ARP flux").
    /// </summary>
    public sealed class DuplicateAddressResult
    {
        public DuplicateAddressResult(string ipAddress, IReadOnlyList<string> macAddresses, string interfaceName, string method,
            bool isLocalAddress, int replyCount, string? cachedMacAddress)
        {
            IPAddress = ipAddress;
            MacAddresses = new Core.ValueList<string>(macAddresses);
            Interface = interfaceName;
            Method = method;
            IsLocalAddress = isLocalAddress;
            ReplyCount = replyCount;
            CachedMacAddress = cachedMacAddress;
        }

        /// <summary>The IPv4 or IPv6 address probed, as text.</summary>
        public string IPAddress { get; }

        /// <summary>True when two or more distinct MAC addresses claimed <see cref="IPAddress"/>.</summary>
        public bool Duplicate => MacAddresses.Count > 1;

        /// <summary>Every distinct MAC address that claimed the address, in the order first seen (aa:bb:cc:dd:ee:ff).</summary>
        public Core.ValueList<string> MacAddresses { get; }

        /// <summary><see cref="MacAddresses"/> as one text ("aa:bb:cc:dd:ee:01, aa:bb:cc:dd:ee:02"), which Export-Csv writes.</summary>
        public string MacAddressText => string.Join(", ", MacAddresses);

        /// <summary>The interface the probes went out of.</summary>
        public string Interface { get; }

        /// <summary>ARP, ARP-Probe (RFC 5227, sender 0.0.0.0) or NDP (IPv6 neighbour solicitation).</summary>
        public string Method { get; }

        /// <summary>True when this host itself holds the address on <see cref="Interface"/>; its own MAC is then listed first.</summary>
        public bool IsLocalAddress { get; }

        /// <summary>How many answers came back from other machines, all MACs together.</summary>
        public int ReplyCount { get; }

        /// <summary>The MAC the operating system's neighbour table holds for the address now (which machine gets this host's traffic), or null.</summary>
        public string? CachedMacAddress { get; }

        /// <summary>One line: "10.0.0.5 duplicate: aa:bb:cc:dd:ee:01, aa:bb:cc:dd:ee:02 (eth0, ARP)".</summary>
        public override string ToString() => $"{IPAddress} {(Duplicate ? "duplicate" : "unique")}: {MacAddressText} ({Interface}, {Method})";
    }
}
