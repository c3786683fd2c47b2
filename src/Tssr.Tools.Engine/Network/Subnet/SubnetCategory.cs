using System.Collections.Generic;
using System.Linq;

namespace Tssr.Tools.Engine.Network.Subnet
{
    /// <summary>What a network is for, from the IANA special-purpose address registries.</summary>
    public enum SubnetCategory
    {
        /// <summary>Globally routable: none of the ranges below.</summary>
        Public,
        /// <summary>RFC 1918 private addresses (10/8, 172.16/12, 192.168/16).</summary>
        Private,
        /// <summary>RFC 6598 shared address space for carrier-grade NAT (100.64/10).</summary>
        SharedAddressSpace,
        Loopback,
        LinkLocal,
        /// <summary>RFC 4193 unique local IPv6 addresses (fc00::/7), the IPv6 counterpart of private.</summary>
        UniqueLocal,
        /// <summary>Reserved for examples in documentation (RFC 5737, RFC 3849, RFC 9637).</summary>
        Documentation,
        /// <summary>Reserved for benchmarking (198.18/15 RFC 2544, 2001:2::/48 RFC 5180).</summary>
        Benchmarking,
        Multicast,
        /// <summary>Reserved for a protocol or for future use; not assignable to hosts.</summary>
        Reserved,
        /// <summary>The network is larger than a special range and holds both it and other addresses.</summary>
        Mixed,
    }

    /// <summary>Classifies networks against the special-purpose ranges, the most specific range winning.</summary>
    public static class SubnetClassifier
    {
        private sealed class SpecialRange
        {
            public SpecialRange(string cidr, SubnetCategory category, string reference)
            {
                Subnet = SubnetParser.Parse(cidr).Subnet;
                Category = category;
                Reference = reference;
            }

            public IpSubnet Subnet { get; }
            public SubnetCategory Category { get; }
            public string Reference { get; }
        }

        // Sorted most specific first, so the first range that holds a network is the one that names it.
        private static readonly SpecialRange[] Ranges = new[]
        {
            new SpecialRange("255.255.255.255/32", SubnetCategory.Reserved, "RFC 919"),
            new SpecialRange("192.0.0.0/24", SubnetCategory.Reserved, "RFC 6890"),
            new SpecialRange("192.0.2.0/24", SubnetCategory.Documentation, "RFC 5737"),
            new SpecialRange("192.88.99.0/24", SubnetCategory.Reserved, "RFC 7526"),
            new SpecialRange("198.51.100.0/24", SubnetCategory.Documentation, "RFC 5737"),
            new SpecialRange("203.0.113.0/24", SubnetCategory.Documentation, "RFC 5737"),
            new SpecialRange("169.254.0.0/16", SubnetCategory.LinkLocal, "RFC 3927"),
            new SpecialRange("192.168.0.0/16", SubnetCategory.Private, "RFC 1918"),
            new SpecialRange("198.18.0.0/15", SubnetCategory.Benchmarking, "RFC 2544"),
            new SpecialRange("172.16.0.0/12", SubnetCategory.Private, "RFC 1918"),
            new SpecialRange("100.64.0.0/10", SubnetCategory.SharedAddressSpace, "RFC 6598"),
            new SpecialRange("0.0.0.0/8", SubnetCategory.Reserved, "RFC 1122"),
            new SpecialRange("10.0.0.0/8", SubnetCategory.Private, "RFC 1918"),
            new SpecialRange("127.0.0.0/8", SubnetCategory.Loopback, "RFC 1122"),
            new SpecialRange("224.0.0.0/4", SubnetCategory.Multicast, "RFC 5771"),
            new SpecialRange("240.0.0.0/4", SubnetCategory.Reserved, "RFC 1112"),

            new SpecialRange("::/128", SubnetCategory.Reserved, "RFC 4291"),
            new SpecialRange("::1/128", SubnetCategory.Loopback, "RFC 4291"),
            new SpecialRange("::ffff:0:0/96", SubnetCategory.Reserved, "RFC 4291"),
            new SpecialRange("100::/64", SubnetCategory.Reserved, "RFC 6666"),
            new SpecialRange("2001:2::/48", SubnetCategory.Benchmarking, "RFC 5180"),
            new SpecialRange("2001:db8::/32", SubnetCategory.Documentation, "RFC 3849"),
            new SpecialRange("3fff::/20", SubnetCategory.Documentation, "RFC 9637"),
            new SpecialRange("fe80::/10", SubnetCategory.LinkLocal, "RFC 4291"),
            new SpecialRange("fc00::/7", SubnetCategory.UniqueLocal, "RFC 4193"),
            new SpecialRange("ff00::/8", SubnetCategory.Multicast, "RFC 4291"),
        }.OrderByDescending(r => r.Subnet.PrefixLength).ToArray();

        /// <summary>
        /// The category of <paramref name="subnet"/> and the RFC that defines it. A network wider than
        /// a special range (0.0.0.0/0, 192.168.0.0/15) is Mixed, with the RFCs of the ranges it holds.
        /// </summary>
        public static (SubnetCategory Category, string? Reference) Classify(IpSubnet subnet)
        {
            List<string>? held = null;
            foreach (var range in Ranges)
            {
                if (range.Subnet.Family != subnet.Family) continue;
                if (range.Subnet.Contains(subnet)) return (range.Category, range.Reference);
                if (subnet.Contains(range.Subnet))
                {
                    held ??= new List<string>();
                    if (!held.Contains(range.Reference)) held.Add(range.Reference);
                }
            }
            return held == null
                ? (SubnetCategory.Public, null)
                : (SubnetCategory.Mixed, string.Join(", ", held.OrderBy(r => r.Length).ThenBy(r => r, System.StringComparer.Ordinal)));
        }
    }
}
