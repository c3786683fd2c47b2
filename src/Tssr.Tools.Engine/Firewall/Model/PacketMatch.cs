using System;
using System.Collections.Generic;
using System.Linq;

namespace Tssr.Tools.Engine.Firewall.Model
{
    /// <summary>
    /// One interface condition: the name is one of <see cref="Names"/> (a name ending in '+' or '*'
    /// is a prefix), or, when <see cref="Negated"/>, none of them.
    /// </summary>
    public sealed class InterfaceTerm
    {
        public InterfaceTerm(IEnumerable<string> names, bool negated)
        {
            Names = names.Select(Normalise).Distinct(StringComparer.Ordinal).ToArray();
            Negated = negated;
        }

        public IReadOnlyList<string> Names { get; }
        public bool Negated { get; }

        /// <summary>Wildcards are stored the iptables way: "eth+".</summary>
        private static string Normalise(string name) => name.EndsWith("*", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) + "+" : name;

        public static bool NameMatches(string pattern, string name)
            => pattern.EndsWith("+", StringComparison.Ordinal)
                ? name.StartsWith(pattern.Substring(0, pattern.Length - 1), StringComparison.Ordinal)
                : string.Equals(pattern, name, StringComparison.Ordinal);

        public bool Matches(string? name)
        {
            // A packet whose interface is unknown (not given) matches no named interface.
            bool any = name != null && Names.Any(n => NameMatches(n, name));
            return Negated ? !any : any;
        }

        public override string ToString() => (Negated ? "!" : "") + string.Join(",", Names);
    }

    /// <summary>
    /// One TCP flags condition, the kernel's "(flags &amp; Mask) in Values", or not in them when
    /// <see cref="Negated"/>: iptables --tcp-flags MASK COMP is Mask, {COMP}; nft "tcp flags syn"
    /// (any of the bits) is Mask syn, not in {0}; "tcp flags { syn, syn|ack }" is Mask 0xFF, {syn, syn|ack}.
    /// </summary>
    public sealed class TcpFlagsTerm
    {
        public TcpFlagsTerm(int mask, IEnumerable<int> values, bool negated)
        {
            Mask = mask & 0xFF; Values = values.Select(v => v & 0xFF).Distinct().ToArray(); Negated = negated;
        }

        public int Mask { get; }
        public IReadOnlyList<int> Values { get; }
        public bool Negated { get; }

        public bool Matches(int flags)
        {
            int v = flags & Mask;
            bool any = false;
            foreach (var x in Values) if (x == v) { any = true; break; }
            return Negated ? !any : any;
        }

        public override string ToString()
            => "flags&" + Protocols.TcpFlagsText(Mask) + (Negated ? " not in " : " in ") + string.Join("|", Values.Select(Protocols.TcpFlagsText));
    }

    /// <summary>
    /// One conntrack status condition, the kernel's "(ct status &amp; Mask) in Values" (or not in them
    /// when <see cref="Negated"/>): nft "ct status dnat" is Mask dnat, not in {0}; iptables
    /// "--ctstate DNAT" the same. Only the NAT bits (snat 0x10, dnat 0x20) are modelled.
    /// </summary>
    public sealed class CtStatusTerm
    {
        public CtStatusTerm(int mask, IEnumerable<int> values, bool negated)
        {
            Mask = mask; Values = values.Select(v => v & mask).Distinct().ToArray(); Negated = negated;
        }

        public int Mask { get; }
        public IReadOnlyList<int> Values { get; }
        public bool Negated { get; }

        /// <summary>Whether the packet's known status bits decide this term.</summary>
        public bool DecidableFor(Packet p) => (Mask & ~p.CtStatusKnown) == 0;

        public bool Matches(int status)
        {
            int v = status & Mask;
            bool any = false;
            foreach (var x in Values) if (x == v) { any = true; break; }
            return Negated ? !any : any;
        }

        public override string ToString()
            => "ct status&" + Protocols.CtStatusText(Mask) + (Negated ? " not in " : " in ") + string.Join("|", Values.Select(Protocols.CtStatusText));
    }

    /// <summary>
    /// What a rule matches, dimension by dimension. A null dimension matches anything. Matches the
    /// analysis does not model are kept, verbatim, in <see cref="NotAnalysed"/>: the rule then
    /// matches at most what the other dimensions say (an over-approximation).
    /// </summary>
    public sealed class PacketMatch
    {
        public static readonly PacketMatch Any = new PacketMatch();

        public FamilySet Families { get; private set; } = FamilySet.Both;
        public IntervalSet? Protocols { get; private set; }
        public IntervalSet? SourceV4 { get; private set; }
        public IntervalSet? SourceV6 { get; private set; }
        public IntervalSet? DestinationV4 { get; private set; }
        public IntervalSet? DestinationV6 { get; private set; }
        public IntervalSet? SourcePorts { get; private set; }
        public IntervalSet? DestinationPorts { get; private set; }
        public IntervalSet? IcmpTypes { get; private set; }
        public IntervalSet? States { get; private set; }
        public IReadOnlyList<InterfaceTerm> InInterface { get; private set; } = Array.Empty<InterfaceTerm>();
        public IReadOnlyList<InterfaceTerm> OutInterface { get; private set; } = Array.Empty<InterfaceTerm>();
        public IReadOnlyList<string> NotAnalysed { get; private set; } = Array.Empty<string>();
        /// <summary>TCP flags conditions (all must hold; the packet must be TCP). The flow evaluator decides them; the audit and the comparison, which reason on address/port boxes, treat such a rule as only partly known.</summary>
        public IReadOnlyList<TcpFlagsTerm> TcpFlags { get; private set; } = Array.Empty<TcpFlagsTerm>();

        /// <summary>Conntrack status conditions (ct status dnat/snat; all must hold). The flow evaluator decides them from the nat path it walks; where it cannot (an established packet's snat bit), the rule stays open.</summary>
        public IReadOnlyList<CtStatusTerm> CtStatus { get; private set; } = Array.Empty<CtStatusTerm>();

        public bool IsAnalysed => NotAnalysed.Count == 0;

        /// <summary>Fully described by its address/port/protocol/state/interface boxes (what the audit reasons on): analysed and without TCP flags or ct status conditions.</summary>
        public bool IsBoxExact => NotAnalysed.Count == 0 && TcpFlags.Count == 0 && CtStatus.Count == 0;

        /// <summary>Whether every condition of the rule can be decided for this packet (NotAnalysed aside): false when a ct status bit the packet does not know is tested.</summary>
        public bool DecidableFor(Packet p)
        {
            foreach (var t in CtStatus) if (!t.DecidableFor(p)) return false;
            return true;
        }

        public IntervalSet? Source(IpFamily family) => family == IpFamily.Ipv4 ? SourceV4 : SourceV6;
        public IntervalSet? Destination(IpFamily family) => family == IpFamily.Ipv4 ? DestinationV4 : DestinationV6;

        private PacketMatch Clone() => (PacketMatch)MemberwiseClone();

        private static IntervalSet? And(IntervalSet? a, IntervalSet? b) => a == null ? b : b == null ? a : a.Intersect(b);

        /// <summary>Packets matching both (how a jump's condition combines with the rules of its chain).</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public PacketMatch Intersect(PacketMatch other)
        {
            if (ReferenceEquals(other, Any)) return this;
            if (ReferenceEquals(this, Any)) return other;
            var m = Clone();
            m.Families = Families & other.Families;
            m.Protocols = And(Protocols, other.Protocols);
            m.SourceV4 = And(SourceV4, other.SourceV4);
            m.SourceV6 = And(SourceV6, other.SourceV6);
            m.DestinationV4 = And(DestinationV4, other.DestinationV4);
            m.DestinationV6 = And(DestinationV6, other.DestinationV6);
            m.SourcePorts = And(SourcePorts, other.SourcePorts);
            m.DestinationPorts = And(DestinationPorts, other.DestinationPorts);
            m.IcmpTypes = And(IcmpTypes, other.IcmpTypes);
            m.States = And(States, other.States);
            m.InInterface = InInterface.Concat(other.InInterface).ToArray();
            m.OutInterface = OutInterface.Concat(other.OutInterface).ToArray();
            m.NotAnalysed = NotAnalysed.Concat(other.NotAnalysed).Distinct().ToArray();
            m.TcpFlags = TcpFlags.Count == 0 ? other.TcpFlags : other.TcpFlags.Count == 0 ? TcpFlags : TcpFlags.Concat(other.TcpFlags).ToArray();
            m.CtStatus = CtStatus.Count == 0 ? other.CtStatus : other.CtStatus.Count == 0 ? CtStatus : CtStatus.Concat(other.CtStatus).ToArray();
            return m;
        }

        /// <summary>True when no packet can match (a contradiction such as tcp and udp at once).</summary>
        public bool IsEmptyFor(IpFamily family)
        {
            if ((Families & Addresses.ToSet(family)) == 0) return true;
            if (Protocols != null && Protocols.IsEmpty) return true;
            var s = Source(family); var d = Destination(family);
            if (s != null && s.IsEmpty || d != null && d.IsEmpty) return true;
            if (SourcePorts != null && SourcePorts.IsEmpty || DestinationPorts != null && DestinationPorts.IsEmpty) return true;
            if (IcmpTypes != null && IcmpTypes.IsEmpty || States != null && States.IsEmpty) return true;
            return false;
        }

        public bool IsEmpty => IsEmptyFor(IpFamily.Ipv4) && IsEmptyFor(IpFamily.Ipv6);

        /// <summary>Whether a concrete packet matches the analysed dimensions (NotAnalysed aside).</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public bool MatchesAnalysed(Packet p)
        {
            if ((Families & Addresses.ToSet(p.Family)) == 0) return false;
            if (Protocols != null && !Protocols.Contains((ulong)p.Protocol)) return false;
            var s = Source(p.Family);
            if (s != null && !s.Contains(p.Source)) return false;
            var d = Destination(p.Family);
            if (d != null && !d.Contains(p.Destination)) return false;
            if (SourcePorts != null && !SourcePorts.Contains((ulong)p.SourcePort)) return false;
            if (DestinationPorts != null && !DestinationPorts.Contains((ulong)p.DestinationPort)) return false;
            if (IcmpTypes != null && !IcmpTypes.Contains((ulong)p.IcmpType)) return false;
            if (States != null && !States.Contains((ulong)(int)p.State)) return false;
            foreach (var t in InInterface) if (!t.Matches(p.InInterface)) return false;
            foreach (var t in OutInterface) if (!t.Matches(p.OutInterface)) return false;
            if (TcpFlags.Count > 0)
            {
                if (p.Protocol != Model.Protocols.Tcp) return false;
                foreach (var t in TcpFlags) if (!t.Matches(p.TcpFlags)) return false;
            }
            // A ct status term the packet cannot decide is assumed to match here (the evaluator forks on it).
            foreach (var t in CtStatus) if (t.DecidableFor(p) && !t.Matches(p.CtStatus)) return false;
            return true;
        }

        /// <summary>Builds matches; each With* narrows what is matched.</summary>
        public sealed class Builder
        {
            private readonly PacketMatch _m = new PacketMatch();
            private readonly List<string> _notAnalysed = new List<string>();
            private readonly List<InterfaceTerm> _in = new List<InterfaceTerm>();
            private readonly List<InterfaceTerm> _out = new List<InterfaceTerm>();
            private readonly List<TcpFlagsTerm> _flags = new List<TcpFlagsTerm>();
            private readonly List<CtStatusTerm> _ct = new List<CtStatusTerm>();

            /// <summary>A conntrack status condition on the NAT bits (Protocols.CtSnat, Protocols.CtDnat).</summary>
            public Builder CtStatus(int mask, IEnumerable<int> values, bool negated = false)
            {
                _ct.Add(new CtStatusTerm(mask, values, negated));
                return this;
            }

            /// <summary>A TCP flags condition; the rule then matches TCP only.</summary>
            public Builder TcpFlags(int mask, IEnumerable<int> values, bool negated = false)
            {
                _flags.Add(new TcpFlagsTerm(mask, values, negated));
                Protocols(IntervalSet.Single((ulong)Model.Protocols.Tcp));
                return this;
            }

            public Builder OnlyFamilies(FamilySet families) { _m.Families &= families; return this; }

            public Builder Protocols(IntervalSet set, bool negated = false)
            {
                _m.Protocols = And(_m.Protocols, negated ? set.Complement(Model.Protocols.ProtocolMax) : set);
                return this;
            }

            public Builder Source(IpFamily family, IntervalSet set, bool negated = false)
            {
                var value = negated ? set.Complement(Addresses.MaxOf(family)) : set;
                OnlyFamilies(Addresses.ToSet(family));
                if (family == IpFamily.Ipv4) _m.SourceV4 = And(_m.SourceV4, value); else _m.SourceV6 = And(_m.SourceV6, value);
                return this;
            }

            public Builder Destination(IpFamily family, IntervalSet set, bool negated = false)
            {
                var value = negated ? set.Complement(Addresses.MaxOf(family)) : set;
                OnlyFamilies(Addresses.ToSet(family));
                if (family == IpFamily.Ipv4) _m.DestinationV4 = And(_m.DestinationV4, value); else _m.DestinationV6 = And(_m.DestinationV6, value);
                return this;
            }

            /// <summary>
            /// An address set that may hold both families (an nft inet set, a pfSense alias): the
            /// packet's family picks the part that applies; a family with no address matches nothing.
            /// </summary>
            public Builder SourceAnyFamily(IntervalSet v4, IntervalSet v6, bool negated = false)
            {
                ApplyBoth(v4, v6, negated, true);
                return this;
            }

            public Builder DestinationAnyFamily(IntervalSet v4, IntervalSet v6, bool negated = false)
            {
                ApplyBoth(v4, v6, negated, false);
                return this;
            }

            private void ApplyBoth(IntervalSet v4, IntervalSet v6, bool negated, bool source)
            {
                var a = negated ? v4.Complement(Addresses.Ipv4Max) : v4;
                var b = negated ? v6.Complement(U128.MaxValue) : v6;
                if (source) { _m.SourceV4 = And(_m.SourceV4, a); _m.SourceV6 = And(_m.SourceV6, b); }
                else { _m.DestinationV4 = And(_m.DestinationV4, a); _m.DestinationV6 = And(_m.DestinationV6, b); }
            }

            public Builder SourcePorts(IntervalSet set, bool negated = false)
            {
                _m.SourcePorts = And(_m.SourcePorts, negated ? set.Complement(Model.Protocols.PortMax) : set);
                return this;
            }

            public Builder DestinationPorts(IntervalSet set, bool negated = false)
            {
                _m.DestinationPorts = And(_m.DestinationPorts, negated ? set.Complement(Model.Protocols.PortMax) : set);
                return this;
            }

            public Builder IcmpTypes(IntervalSet set, bool negated = false)
            {
                _m.IcmpTypes = And(_m.IcmpTypes, negated ? set.Complement(Model.Protocols.IcmpTypeMax) : set);
                return this;
            }

            public Builder States(IntervalSet set, bool negated = false)
            {
                _m.States = And(_m.States, negated ? set.Complement(Model.Protocols.StateMax) : set);
                return this;
            }

            public Builder InInterface(IEnumerable<string> names, bool negated = false) { _in.Add(new InterfaceTerm(names, negated)); return this; }

            public Builder OutInterface(IEnumerable<string> names, bool negated = false) { _out.Add(new InterfaceTerm(names, negated)); return this; }

            public Builder NotAnalysed(string text) { _notAnalysed.Add(text); return this; }

            public bool HasNotAnalysed => _notAnalysed.Count > 0;

            public PacketMatch Build()
            {
                _m.InInterface = _in.ToArray();
                _m.OutInterface = _out.ToArray();
                _m.NotAnalysed = _notAnalysed.ToArray();
                _m.TcpFlags = _flags.ToArray();
                _m.CtStatus = _ct.ToArray();
                return _m;
            }
        }
    }

    /// <summary>One concrete packet (first packet of a flow unless State says otherwise).</summary>
    public sealed class Packet
    {
        public Packet(IpFamily family, int protocol, U128 source, U128 destination, int sourcePort, int destinationPort,
            ConnState state = ConnState.New, string? inInterface = null, string? outInterface = null, int icmpType = 8, int? tcpFlags = null,
            int ctStatus = 0, int ctStatusKnown = 0)
        {
            TcpFlags = tcpFlags ?? DefaultTcpFlags(state);
            CtStatus = ctStatus & ctStatusKnown; CtStatusKnown = ctStatusKnown;
            Family = family; Protocol = protocol; Source = source; Destination = destination;
            SourcePort = sourcePort; DestinationPort = destinationPort; State = state;
            InInterface = inInterface; OutInterface = outInterface; IcmpType = icmpType;
        }

        public IpFamily Family { get; }
        public int Protocol { get; }
        public U128 Source { get; }
        public U128 Destination { get; }
        public int SourcePort { get; }
        public int DestinationPort { get; }
        public int IcmpType { get; }
        /// <summary>TCP flags of the packet: SYN for a New (or Related) first packet, ACK otherwise, unless given.</summary>
        public int TcpFlags { get; }
        public ConnState State { get; }

        public static int DefaultTcpFlags(ConnState state)
            => state == ConnState.New || state == ConnState.Related ? Model.Protocols.TcpSyn : Model.Protocols.TcpAck;

        /// <summary>
        /// The conntrack status bits the evaluator knows for this packet (Protocols.CtSnat, CtDnat) and
        /// their values: set by the evaluator from the nat path it walks; none known by default.
        /// </summary>
        public int CtStatus { get; }
        public int CtStatusKnown { get; }

        /// <summary>
        /// The same packet with another destination (after NAT): its connection is marked dnat when the
        /// destination changed (the kernel sets the bit only for a translation that changes the tuple).
        /// </summary>
        public Packet WithDestination(U128 destination, int destinationPort)
        {
            bool changed = !(destination == Destination) || destinationPort != DestinationPort;
            return new Packet(Family, Protocol, Source, destination, SourcePort, destinationPort, State, InInterface, OutInterface, IcmpType, TcpFlags,
                CtStatus | (changed ? Model.Protocols.CtDnat : 0), CtStatusKnown);
        }

        /// <summary>The same packet in another conntrack state (what conntrack makes of it).</summary>
        public Packet WithState(ConnState state)
            => new Packet(Family, Protocol, Source, Destination, SourcePort, DestinationPort, state, InInterface, OutInterface, IcmpType, TcpFlags, CtStatus, CtStatusKnown);

        /// <summary>The same packet with these conntrack status bits known.</summary>
        public Packet WithCtStatus(int status, int known)
            => new Packet(Family, Protocol, Source, Destination, SourcePort, DestinationPort, State, InInterface, OutInterface, IcmpType, TcpFlags, status, known);
        public string? InInterface { get; }
        public string? OutInterface { get; }

        public override string ToString()
            => $"{Model.Protocols.ProtocolName(Protocol)} {Addresses.ToAddress(Source, Family)}:{SourcePort} -> {Addresses.ToAddress(Destination, Family)}:{DestinationPort} ({State}"
               + (Protocol == Model.Protocols.Tcp && TcpFlags != DefaultTcpFlags(State) ? ", " + Model.Protocols.TcpFlagsText(TcpFlags) : "") + ")";
    }
}
