using System.Numerics;

namespace Tssr.Tools.Engine.Network.Subnet
{
    /// <summary>
    /// Everything a technician reads off one network. Addresses are strings (they export to CSV and
    /// JSON as written and convert with [ipaddress]); counts are BigInteger, which never overflows
    /// (an IPv6 /64 holds 18,446,744,073,709,551,616 addresses).
    /// </summary>
    public sealed class SubnetInfo
    {
        internal SubnetInfo(IpSubnet subnet, string? input, string? parent, long? requiredHosts, int? requirementNumber)
        {
            Subnet = subnet;
            Input = input;
            Parent = parent;
            RequiredHosts = requiredHosts;
            RequirementNumber = requirementNumber;

            var family = subnet.Family;
            Prefix = subnet.ToString();
            Network = subnet.NetworkText;
            PrefixLength = subnet.PrefixLength;
            Mask = IpSubnet.FormatAddress(family, subnet.Mask);
            WildcardMask = IpSubnet.FormatAddress(family, subnet.Wildcard);
            AddressFamily = family;
            AddressCount = subnet.AddressCount;
            (Category, CategoryReference) = SubnetClassifier.Classify(subnet);

            var hostBits = subnet.HostBits;
            var first = subnet.Network;
            var last = subnet.Last;
            if (family == IpAddressFamily.IPv4 && hostBits >= 2)
            {
                Broadcast = IpSubnet.FormatAddress(family, last);
                first += 1;
                last -= 1;
                HostCount = subnet.AddressCount - 2;
            }
            else
            {
                // IPv6 has no broadcast; IPv4 /31 (RFC 3021) and /32 have none either.
                HostCount = subnet.AddressCount;
            }
            FirstHost = IpSubnet.FormatAddress(family, first);
            LastHost = hostBits == 0 ? FirstHost : IpSubnet.FormatAddress(family, last);
            Note = hostBits == 0
                ? SubnetParser.Text.Get("Note_SingleHost")
                : hostBits == 1
                    ? SubnetParser.Text.Get(family == IpAddressFamily.IPv4 ? "Note_PointToPointIPv4" : "Note_PointToPointIPv6")
                    : null;
        }

        internal static SubnetInfo From(IpSubnet subnet, string? input) => new SubnetInfo(subnet, input, null, null, null);

        /// <summary>The network as the engine works on it.</summary>
        internal IpSubnet Subnet { get; }

        /// <summary>What was typed (or read from the CSV row); empty for networks derived by -Split, -HostCount or -Summarize.</summary>
        public string? Input { get; }

        /// <summary>The network in CIDR notation, e.g. 192.168.1.0/24. Pipes back into Get-TssrSubnet.</summary>
        public string Prefix { get; }

        /// <summary>The network address.</summary>
        public string Network { get; }

        public int PrefixLength { get; }

        /// <summary>Dotted mask for IPv4 (255.255.255.0); the IPv6 mask in IPv6 notation.</summary>
        public string Mask { get; }

        /// <summary>The inverse mask used by ACLs and OSPF (0.0.0.255).</summary>
        public string WildcardMask { get; }

        /// <summary>The broadcast address; empty for IPv6 and for IPv4 /31 and /32, which have none.</summary>
        public string? Broadcast { get; }

        public string FirstHost { get; }

        public string LastHost { get; }

        /// <summary>Addresses a host can use: all but network and broadcast for IPv4 /0 to /30; every address otherwise.</summary>
        public BigInteger HostCount { get; }

        /// <summary>Every address of the network.</summary>
        public BigInteger AddressCount { get; }

        public IpAddressFamily AddressFamily { get; }

        public SubnetCategory Category { get; }

        /// <summary>The RFC that reserves the range (RFC 1918, RFC 6598...); empty for public networks.</summary>
        public string? CategoryReference { get; }

        /// <summary>Why the host range is unusual (/31, /32, /127, /128), in the user's language.</summary>
        public string? Note { get; }

        /// <summary>The network this one was cut from by -Split or -HostCount.</summary>
        public string? Parent { get; }

        /// <summary>With -HostCount: the number of hosts this subnet was sized for.</summary>
        public long? RequiredHosts { get; }

        /// <summary>With -HostCount: the position (1-based) of that requirement in the list given.</summary>
        public int? RequirementNumber { get; }

        public override string ToString() => Prefix;
    }

    /// <summary>Whether a network holds an address or a subnet.</summary>
    public sealed class SubnetContainment
    {
        internal SubnetContainment(string prefix, string input, string target, string targetPrefix, bool contains)
        {
            Prefix = prefix;
            Input = input;
            Target = target;
            TargetPrefix = targetPrefix;
            Contains = contains;
        }

        /// <summary>The network, in CIDR notation.</summary>
        public string Prefix { get; }

        /// <summary>What was typed for the network.</summary>
        public string Input { get; }

        /// <summary>The address or subnet looked for, as typed.</summary>
        public string Target { get; }

        /// <summary>The target in CIDR notation (a single address is a /32 or /128).</summary>
        public string TargetPrefix { get; }

        /// <summary>True when every address of the target lies in the network.</summary>
        public bool Contains { get; }

        public override string ToString() => Prefix + " ∋ " + Target + ": " + Contains;
    }

    /// <summary>How the first network of an overlapping pair relates to the second.</summary>
    public enum OverlapRelation
    {
        /// <summary>The same network, listed twice.</summary>
        Identical,
        /// <summary>The first network holds the second.</summary>
        Contains,
        /// <summary>The first network lies inside the second.</summary>
        Within,
    }

    /// <summary>Two networks of the input list that share addresses.</summary>
    public sealed class SubnetOverlap
    {
        internal SubnetOverlap(int position, IpSubnet subnet, int otherPosition, IpSubnet other)
        {
            Position = position;
            Prefix = subnet.ToString();
            OtherPosition = otherPosition;
            OtherPrefix = other.ToString();
            Relation = subnet.Equals(other) ? OverlapRelation.Identical
                : subnet.Contains(other) ? OverlapRelation.Contains
                : OverlapRelation.Within;
            var shared = subnet.PrefixLength >= other.PrefixLength ? subnet : other;
            SharedPrefix = shared.ToString();
            SharedAddressCount = shared.AddressCount;
        }

        /// <summary>Position (1-based) of the first network in the input (the CSV row, the pipeline item).</summary>
        public int Position { get; }
        public string Prefix { get; }
        public OverlapRelation Relation { get; }
        public int OtherPosition { get; }
        public string OtherPrefix { get; }

        /// <summary>The addresses both hold: the smaller of the two networks.</summary>
        public string SharedPrefix { get; }
        public BigInteger SharedAddressCount { get; }

        public override string ToString() => Prefix + " " + Relation + " " + OtherPrefix;
    }
}
