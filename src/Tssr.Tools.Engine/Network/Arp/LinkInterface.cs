using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Tssr.Tools.Engine.Network.Arp
{
    /// <summary>One address configured on an interface, with its prefix length.</summary>
    internal sealed class InterfaceAddress
    {
        public InterfaceAddress(IPAddress address, int prefixLength)
        {
            Address = address;
            PrefixLength = prefixLength;
        }

        public IPAddress Address { get; }
        public int PrefixLength { get; }

        /// <summary>Whether <paramref name="target"/> lies in this address's subnet.</summary>
        public bool Contains(IPAddress target)
        {
            if (target.AddressFamily != Address.AddressFamily) return false;
            var a = Address.GetAddressBytes();
            var b = target.GetAddressBytes();
            var bits = PrefixLength;
            for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
            {
                var mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((a[i] & mask) != (b[i] & mask)) return false;
            }
            return true;
        }

        public override string ToString() => Address + "/" + PrefixLength;
    }

    /// <summary>
    /// A network interface as neighbour probing needs it: name, index, Ethernet address and the
    /// subnets it is attached to. Read through NetworkInterface (getifaddrs/netlink on Linux), which
    /// sees the caller's own network namespace.
    /// </summary>
    internal sealed class LinkInterface
    {
        public LinkInterface(string name, int index, byte[]? mac, bool isUp, bool isLoopback, IReadOnlyList<InterfaceAddress> addresses)
        {
            Name = name;
            Index = index;
            Mac = mac;
            IsUp = isUp;
            IsLoopback = isLoopback;
            Addresses = addresses;
        }

        public string Name { get; }
        public int Index { get; }
        /// <summary>The 6-byte Ethernet address, or null for links without one (loopback, tun, ppp).</summary>
        public byte[]? Mac { get; }
        public bool IsUp { get; }
        public bool IsLoopback { get; }
        public IReadOnlyList<InterfaceAddress> Addresses { get; }

        public bool HasEthernetAddress => Mac != null;

        /// <summary>Whether <paramref name="target"/> lies in one of the subnets of this interface.</summary>
        public bool IsOnLink(IPAddress target)
        {
            // fe80::/64 is on every IPv6 link: a scope (fe80::1%eth0) picks one, else any link with IPv6 fits.
            if (target.AddressFamily == AddressFamily.InterNetworkV6 && target.IsIPv6LinkLocal)
                return target.ScopeId == 0 ? Addresses.Any(a => a.Address.IsIPv6LinkLocal) : target.ScopeId == Index;
            return Addresses.Any(a => a.Contains(target));
        }

        /// <summary>Whether this interface itself holds <paramref name="target"/>.</summary>
        public bool Holds(IPAddress target) => Addresses.Any(a => SameAddress(a.Address, target));

        /// <summary>
        /// The IPv4 address to put in our ARP requests for <paramref name="target"/>: the one of the
        /// same subnet, else any IPv4 address of the interface, else 0.0.0.0 (an RFC 5227 probe).
        /// </summary>
        public IPAddress ArpSenderFor(IPAddress target)
        {
            var v4 = Addresses.Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork).ToList();
            var same = v4.FirstOrDefault(a => a.Contains(target));
            return (same ?? v4.FirstOrDefault())?.Address ?? IPAddress.Any;
        }

        /// <summary>The address neighbour solicitations leave from: the link-local one, else any IPv6 address; null when there is none.</summary>
        public IPAddress? NdpSource
        {
            get
            {
                var v6 = Addresses.Where(a => a.Address.AddressFamily == AddressFamily.InterNetworkV6).Select(a => a.Address).ToList();
                return v6.FirstOrDefault(a => a.IsIPv6LinkLocal) ?? v6.FirstOrDefault();
            }
        }

        public static bool SameAddress(IPAddress a, IPAddress b)
        {
            if (a.AddressFamily != b.AddressFamily) return false;
            var x = a.GetAddressBytes();
            var y = b.GetAddressBytes();
            for (var i = 0; i < x.Length; i++) if (x[i] != y[i]) return false;
            return true;
        }

        public override string ToString() => Name;

        /// <summary>Every interface of this host (of this network namespace).</summary>
        public static IReadOnlyList<LinkInterface> Discover()
        {
            var result = new List<LinkInterface>();
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                var properties = nic.GetIPProperties();
                var index = IndexOf(properties);
                if (index <= 0) continue;
                var physical = nic.GetPhysicalAddress().GetAddressBytes();
                var mac = physical.Length == 6 && !LinkAddress.IsZero(physical) ? physical : null;
                var addresses = properties.UnicastAddresses
                    .Select(u => new InterfaceAddress(Unscoped(u.Address), PrefixOf(u)))
                    .ToList();
                var up = nic.OperationalStatus == OperationalStatus.Up || nic.OperationalStatus == OperationalStatus.Unknown;
                result.Add(new LinkInterface(nic.Name, index, mac, up, nic.NetworkInterfaceType == NetworkInterfaceType.Loopback, addresses));
            }
            return result;
        }

        private static int IndexOf(IPInterfaceProperties properties)
        {
            try
            {
                return properties.GetIPv4Properties()?.Index ?? 0;
            }
            catch (NetworkInformationException)
            {
            }
            try
            {
                return properties.GetIPv6Properties()?.Index ?? 0;
            }
            catch (NetworkInformationException)
            {
                return 0;
            }
        }

        private static int PrefixOf(UnicastIPAddressInformation unicast)
        {
            if (unicast.Address.AddressFamily == AddressFamily.InterNetwork)
            {
                var mask = unicast.IPv4Mask?.GetAddressBytes();
                if (mask != null && mask.Length == 4) return mask.Sum(b => CountBits(b));
                return 32;
            }
            return unicast.PrefixLength;
        }

        private static int CountBits(byte b)
        {
            var count = 0;
            for (; b != 0; b &= (byte)(b - 1)) count++;
            return count;
        }

        private static IPAddress Unscoped(IPAddress address)
            => address.AddressFamily == AddressFamily.InterNetworkV6 ? new IPAddress(address.GetAddressBytes()) : address;
    }
}
