using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools.Engine.Firewall.Analysis
{
    public enum FlowVerdict
    {
        Accept,
        Drop,
        Reject,
        /// <summary>The verdict depends on a match the analysis does not model, or on an unknown target.</summary>
        Undetermined,
    }

    /// <summary>Would this packet pass? The question of Test-TssrFirewallFlow.</summary>
    public sealed class FlowQuery
    {
        public FlowQuery(Packet packet, ChainHook direction, string? chain = null)
        {
            Packet = packet; Direction = direction; Chain = chain;
        }

        public Packet Packet { get; }
        public ChainHook Direction { get; }
        /// <summary>Only this base chain (by name), instead of every chain on the hook.</summary>
        public string? Chain { get; }

        /// <summary>"Input: tcp 10.0.0.5:50000 -> 192.0.2.1:22 (New)", the text Export-Csv writes for the query.</summary>
        public override string ToString() => Direction + (Chain == null ? "" : " (" + Chain + ")") + ": " + Packet;
    }

    /// <summary>The answer: the verdict, the rule that decides it (with its file and line), and the path taken.</summary>
    public sealed class FlowResult
    {
        internal FlowResult(FlowQuery query, FlowVerdict verdict, bool certain, FirewallRule? decidingRule, string? decidingChain,
            bool byPolicy, IReadOnlyList<string> path, IReadOnlyList<FlowVerdict> possible, IReadOnlyList<FirewallRule> notAnalysed, string ruleSet,
            WindowsFirewallProfile? profile = null)
        {
            Query = query; Verdict = verdict; Certain = certain; DecidingRule = decidingRule; DecidingChain = decidingChain;
            ByPolicy = byPolicy; Path = new ValueList<string>(path); PossibleVerdicts = new ValueList<FlowVerdict>(possible);
            NotAnalysedRules = new ValueList<FirewallRule>(notAnalysed); RuleSet = ruleSet; Profile = profile;
        }

        public FlowQuery Query { get; }
        public string RuleSet { get; }
        /// <summary>Windows: the profile the rule set was evaluated for (null: every profile's rules counted).</summary>
        public WindowsFirewallProfile? Profile { get; }
        public string Flow => Query.Packet.ToString();
        public ChainHook Direction => Query.Direction;
        public FlowVerdict Verdict { get; }
        /// <summary>False when a rule the analysis cannot fully model could change the verdict.</summary>
        public bool Certain { get; }
        /// <summary>The rule that decides; null when the chain's policy (or no chain at all) decides.</summary>
        public FirewallRule? DecidingRule { get; }
        public string? DecidingChain { get; }
        public bool ByPolicy { get; }
        /// <summary>File and line of the deciding rule (or of the policy).</summary>
        public string? Source { get; internal set; }
        /// <summary>The steps through chains: jumps taken, returns, the verdict.</summary>
        public ValueList<string> Path { get; }
        public ValueList<FlowVerdict> PossibleVerdicts { get; }
        public ValueList<FirewallRule> NotAnalysedRules { get; }

        /// <summary>The path as one text ("step | step | verdict"), the column Export-Csv keeps.</summary>
        public string PathText => string.Join(" | ", Path);

        /// <summary>The not-analysed rules as one text: id and file:line of each, "; " between them.</summary>
        public string NotAnalysedRuleText => RuleText(NotAnalysedRules);

        internal static string RuleText(IEnumerable<FirewallRule> rules) => string.Join("; ", rules.Select(r => r.Id + " (" + r.Source + ")"));

        public bool Allowed => Verdict == FlowVerdict.Accept;

        /// <summary>
        /// "Accept (certain): Input tcp 10.0.0.5:50000 -> 192.0.2.1:22 (New) by inet filter input #4 (file:14:5)";
        /// an undetermined verdict lists the possible ones instead.
        /// </summary>
        public override string ToString()
        {
            var verdict = Certain ? Verdict + " (certain)" : Verdict + " (" + string.Join(" or ", PossibleVerdicts) + ")";
            var by = DecidingRule != null ? " by " + DecidingRule.Id : ByPolicy ? " by the policy of " + DecidingChain : "";
            return verdict + ": " + Direction + " " + Flow + by + (Source == null ? "" : " (" + Source + ")");
        }
    }

    /// <summary>
    /// Evaluates one packet through the compiled paths of a hook: base chains in priority order, an
    /// accept ends one chain and the next runs, a drop or reject is final (netfilter semantics).
    /// A rule with a match the analysis does not model forks the evaluation: both outcomes are
    /// explored, and the verdict is certain only when they agree.
    /// </summary>
    public sealed class FlowEvaluator
    {
        private const int MaxBranches = 64;

        /// <summary>
        /// Where the nat chains of the output hook run among the filter chains. Since Linux 4.18 every
        /// nat chain of a hook (nft type nat, iptables nat) is called from the nat core, registered
        /// once at NF_IP_PRI_NAT_DST = -100 for output and prerouting: a chain's own priority only
        /// orders the nat chains among themselves.
        /// </summary>
        internal const int NatOutputPriority = -100;

        private readonly FirewallRuleSet _set;
        private readonly List<CompiledPath> _paths;
        // The nat chains, compiled with the filter chains (errors such as a jump loop surface here,
        // and Evaluate only reads): prerouting (and pf rdr) and output, each in priority order.
        private readonly List<CompiledPath> _natPrerouting;
        private readonly List<CompiledPath> _natOutput;

        public FlowEvaluator(FirewallRuleSet set)
            : this(set, PathCompiler.CompileAll(set))
        {
        }

        internal FlowEvaluator(FirewallRuleSet set, List<CompiledPath> paths)
        {
            _set = set;
            _paths = paths;
            _natPrerouting = CompileNat(set, ChainHook.Prerouting);
            _natOutput = CompileNat(set, ChainHook.Output);
        }

        private static List<CompiledPath> CompileNat(FirewallRuleSet set, ChainHook hook)
            => set.Chains.Where(c => c.Hook == hook && c.Type == "nat" && c.Families != FamilySet.None)
                .Select((c, i) => (c, i)).OrderBy(t => t.c.Priority).ThenBy(t => t.i).Select(t => PathCompiler.Compile(set, t.c)).ToList();

        public IReadOnlyList<CompiledPath> Paths => _paths;

        private sealed class Outcome
        {
            public RuleAction Verdict;
            public PathEntry? Decider;
            public List<string> Trace = new List<string>();
            public List<FirewallRule> Assumed = new List<FirewallRule>();
            /// <summary>The packet as the next chain sees it (after destination NAT).</summary>
            public Packet Packet = null!;
            /// <summary>A nat rule already set the destination: later nat chains of the hook do not translate again.</summary>
            public bool Translated;
            /// <summary>Decided by a nat rule that also passes the packet (pf's rdr pass): the filter chains are not consulted.</summary>
            public bool Final;

            /// <summary>A copy to explore another branch from here.</summary>
            public Outcome Fork() => new Outcome
            {
                Verdict = Verdict, Decider = Decider, Trace = new List<string>(Trace), Assumed = new List<FirewallRule>(Assumed),
                Packet = Packet, Translated = Translated, Final = Final,
            };
        }

        public IEnumerable<CompiledPath> PathsFor(FlowQuery q)
        {
            var fam = Addresses.ToSet(q.Packet.Family);
            IEnumerable<CompiledPath> chosen;
            if (!string.IsNullOrEmpty(q.Chain))
                chosen = _paths.Where(p => string.Equals(p.Chain.Name, q.Chain, StringComparison.OrdinalIgnoreCase));
            else
                chosen = _paths.Where(p => p.Chain.Hook == q.Direction);
            chosen = chosen.Where(p => (p.Chain.Families & fam) != 0);
            if (q.Direction == ChainHook.Inbound && string.IsNullOrEmpty(q.Chain))
                chosen = chosen.Where(p => p.Chain.InterfaceName == null || string.Equals(p.Chain.InterfaceName, q.Packet.InInterface, StringComparison.OrdinalIgnoreCase));
            if (q.Direction == ChainHook.Outbound && string.IsNullOrEmpty(q.Chain))
                chosen = chosen.Where(p => p.Chain.InterfaceName == null || string.Equals(p.Chain.InterfaceName, q.Packet.OutInterface, StringComparison.OrdinalIgnoreCase));
            return chosen.Select((p, i) => (p, i)).OrderBy(t => t.p.Chain.Priority).ThenBy(t => t.i).Select(t => t.p);
        }

        public FlowResult Evaluate(FlowQuery q)
        {
            var chains = PathsFor(q).ToList();
            int budget = MaxBranches;
            bool translate = string.IsNullOrEmpty(q.Chain);
            var start = new Outcome { Verdict = RuleAction.Accept, Packet = WithKnownCtStatus(q, translate) };
            // Netfilter's conntrack only: pf and Windows keep state their own way.
            string? why = null;
            var tracked = _set.Format == RuleSetFormat.IptablesSave || _set.Format == RuleSetFormat.NftJson || _set.Format == RuleSetFormat.NftText
                ? ConntrackState(start.Packet, out why) : start.Packet.State;
            if (tracked != start.Packet.State)
            {
                start.Packet = start.Packet.WithState(tracked);
                if (tracked == ConnState.Invalid || tracked == ConnState.Untracked) start.Packet = start.Packet.WithCtStatus(0, 0);
                start.Trace.Add(why!);
            }
            var outcomes = new List<Outcome> { start };
            // Destination NAT in prerouting happens before input and forward filtering (and pf's rdr
            // before the interface rules): the filter chains see the translated address and port.
            if (translate && (q.Direction == ChainHook.Input || q.Direction == ChainHook.Forward || q.Direction == ChainHook.Inbound))
                outcomes = TranslateAll(NatPaths(_natPrerouting, q.Packet), outcomes, ref budget);
            // Locally generated traffic: the nat OUTPUT chains all run at the nat core's priority
            // (-100), whatever priority an nft nat chain declares: before a filter chain at 0, after
            // one at -200. With no filter chain after -100 (or none at all) they still run: their
            // DNAT shows in the path and a drop in them applies.
            var outputNat = translate && q.Direction == ChainHook.Output ? NatPaths(_natOutput, q.Packet) : new List<CompiledPath>();
            bool natDone = outputNat.Count == 0;
            foreach (var path in chains)
            {
                if (!natDone && NatOutputPriority < path.Chain.Priority)
                {
                    outcomes = TranslateAll(outputNat, outcomes, ref budget);
                    natDone = true;
                }
                var next = new List<Outcome>();
                foreach (var o in outcomes)
                {
                    if (o.Verdict != RuleAction.Accept || o.Final) { next.Add(o); continue; }
                    foreach (var r in Run(path, o.Packet, 0, o, ref budget)) next.Add(r);
                }
                outcomes = next;
            }
            if (!natDone) outcomes = TranslateAll(outputNat, outcomes, ref budget);
            return Summarise(q, outcomes, chains.Count == 0);
        }

        /// <summary>
        /// The nat chains of a hook (iptables nat PREROUTING / OUTPUT, nft type nat hook prerouting /
        /// output, pfSense port forwards of an interface) that see this packet, in priority order.
        /// </summary>
        private static List<CompiledPath> NatPaths(List<CompiledPath> all, Packet p)
        {
            if (all.Count == 0) return all;
            var fam = Addresses.ToSet(p.Family);
            return all.Where(n => (n.Chain.Families & fam) != 0
                && (n.Chain.InterfaceName == null || string.Equals(n.Chain.InterfaceName, p.InInterface, StringComparison.OrdinalIgnoreCase))).ToList();
        }

        /// <summary>Runs each undecided outcome through nat chains: the packets the next filter chains see (several when an unmodelled match makes it uncertain).</summary>
        private static List<Outcome> TranslateAll(List<CompiledPath> paths, List<Outcome> outcomes, ref int budget)
        {
            if (paths.Count == 0) return outcomes;
            var results = new List<Outcome>();
            foreach (var o in outcomes)
            {
                if (o.Verdict != RuleAction.Accept || o.Final || o.Translated) { results.Add(o); continue; }
                if (o.Packet.State == ConnState.Untracked || o.Packet.State == ConnState.Invalid)
                {
                    // Conntrack does no NAT for untracked or invalid packets: the nat chains never see them.
                    var skipped = o.Fork();
                    skipped.Trace.Add("nat chains skipped: no NAT for " + o.Packet.State.ToString().ToUpperInvariant() + " packets");
                    results.Add(skipped);
                    continue;
                }
                TranslateFrom(paths, 0, 0, o.Fork(), results, ref budget);
            }
            return results;
        }

        private static void TranslateFrom(List<CompiledPath> paths, int chain, int i, Outcome current, List<Outcome> results, ref int budget)
        {
            var p = current.Packet;
            while (chain < paths.Count)
            {
                var entries = paths[chain].Entries;
                bool next = false;
                while (i < entries.Count && !next)
                {
                    var e = entries[i];
                    if (e.IsPolicy)
                    {
                        // nft allows "policy drop" on a nat base chain: a packet no rule of it decided is dropped.
                        if ((e.Action == RuleAction.Drop || e.Action == RuleAction.Reject) && FirstPacketOnly(p))
                        {
                            // The nat chains only see a connection's first packet: one that exists got past them.
                            current.Trace.Add("nat " + Step(e) + ": policy " + e.Action.ToString().ToUpperInvariant() + " not applied (nat chains see only a connection's first packet)");
                            i++;
                            next = true;
                            continue;
                        }
                        if (e.Action == RuleAction.Drop || e.Action == RuleAction.Reject)
                        {
                            current.Verdict = e.Action;
                            current.Decider = e;
                            current.Trace.Add("nat " + Step(e) + ": policy " + e.Action.ToString().ToUpperInvariant());
                            results.Add(current);
                            return;
                        }
                        i++;
                        next = true;
                        continue;
                    }
                    if (!e.Match.MatchesAnalysed(p)) { i++; continue; }
                    if (Open(e.Match, p) && e.Rule != null)
                    {
                        if (budget <= 0)
                        {
                            var stop = current.Fork();
                            stop.Verdict = RuleAction.Unknown; stop.Decider = e;
                            results.Add(stop);
                            return;
                        }
                        budget--;
                        var skipped = current.Fork();
                        skipped.Assumed.Add(e.Rule);
                        TranslateFrom(paths, chain, i + 1, skipped, results, ref budget);
                        current.Assumed.Add(e.Rule);
                    }
                    var rule = e.Rule;
                    bool isDnat = rule != null && string.Equals(rule.Target, "dnat", StringComparison.OrdinalIgnoreCase);
                    if (isDnat && (e.Action == RuleAction.Unknown || e.Action == RuleAction.Accept))
                    {
                        if (TryTranslate(p, rule!.NatDestination, out var translated))
                        {
                            var shown = rule.NatDestination!.IndexOf('/') >= 0 ? rule.NatDestination + " = " + Endpoint(translated) : rule.NatDestination;
                            current.Packet = translated;
                            current.Translated = true;
                            if (e.Action == RuleAction.Accept)
                            {
                                // pf's "rdr pass": the translated packet passes without the filter rules.
                                current.Verdict = RuleAction.Accept;
                                current.Decider = e;
                                current.Final = true;
                                current.Trace.Add("nat " + Step(e) + ": DNAT to " + shown + ", pass (filter rules not consulted)");
                            }
                            else current.Trace.Add("nat " + Step(e) + ": DNAT to " + shown);
                            results.Add(current);
                            return;
                        }
                        // A translation the analysis cannot follow (a range, a map, an alias of several hosts): the filter verdict is unknown.
                        current.Verdict = RuleAction.Unknown;
                        current.Decider = e;
                        current.Trace.Add("nat " + Step(e) + ": DNAT to " + (rule.NatDestination ?? "?") + " (not modelled)");
                        results.Add(current);
                        return;
                    }
                    switch (e.Action)
                    {
                        case RuleAction.Return: i = e.ResumeAt; continue;
                        case RuleAction.Continue: i++; continue;
                        case RuleAction.Unknown:
                            if (string.Equals(rule!.Target, "redirect", StringComparison.OrdinalIgnoreCase))
                            {
                                // REDIRECT sends the packet to the host itself, on an address the analysis does not know.
                                current.Verdict = RuleAction.Unknown;
                                current.Decider = e;
                                current.Trace.Add("nat " + Step(e) + ": REDIRECT (not modelled)");
                                results.Add(current);
                                return;
                            }
                            i++; // SNAT, MASQUERADE, LOG... do not change the destination
                            continue;
                        case RuleAction.Accept:
                            // accept (pf's "no rdr") ends this nat chain without translation; a later nat chain of the hook may still translate
                            if (rule != null) current.Trace.Add("nat " + Step(e) + ": ACCEPT (no translation)");
                            next = true;
                            continue;
                        default:
                            if (FirstPacketOnly(p))
                            {
                                // An established packet belongs to a connection whose first packet got past this rule.
                                current.Trace.Add("nat " + Step(e) + ": " + e.Action.ToString().ToUpperInvariant() + " not applied (nat chains see only a connection's first packet)");
                                i++;
                                continue;
                            }
                            // a drop in a nat chain drops the packet before any filter chain
                            current.Verdict = e.Action;
                            current.Decider = e;
                            current.Trace.Add("nat " + Step(e) + ": " + e.Action.ToString().ToUpperInvariant());
                            results.Add(current);
                            return;
                    }
                }
                chain++;
                i = 0;
            }
            results.Add(current);
        }

        /// <summary>
        /// Established packets: the nat chains saw the connection's first packet, and conntrack
        /// applies the mapping made then (the same translation for the same packet), so their
        /// translations still show but a drop in them cannot apply. (The first packet of a RELATED
        /// connection does go through the nat chains, as a NEW one does.)
        /// </summary>
        private static bool FirstPacketOnly(Packet p) => p.State == ConnState.Established;

        private static bool TryMapPort(string text, int original, out int port)
        {
            port = original;
            var slash = text.IndexOf('/');
            if (slash < 0)
            {
                if (Protocols.TryParsePort(text, out port)) return true;
                if (!Protocols.TryParsePortRange(text, out var single) || single.Start != single.End) return false;
                port = (int)single.Start.Low;
                return true;
            }
            if (!Protocols.TryParsePortRange(text.Substring(0, slash), out var range) || !Protocols.TryParsePort(text.Substring(slash + 1), out var baseport)) return false;
            var shifted = (long)range.Start.Low + (original - baseport);
            if (original < baseport || shifted > (long)range.End.Low) return false;
            port = (int)shifted;
            return true;
        }

        private static string Endpoint(Packet p)
        {
            var a = Addresses.ToAddress(p.Destination, p.Family).ToString();
            return (p.Family == IpFamily.Ipv6 ? "[" + a + "]" : a) + ":" + p.DestinationPort.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// "10.0.0.5", "10.0.0.5:80", "[2001:db8::5]:80", "2001:db8::5", ":80", and the shifted port
        /// range "10.0.0.5:1000-1010/8000" (iptables' base port, pfSense's local port for a range):
        /// port 8003 becomes 1003. A range without a base picks a port the analysis cannot know.
        /// </summary>
        internal static bool TryTranslate(Packet p, string? to, out Packet translated)
        {
            translated = p;
            if (string.IsNullOrEmpty(to)) return false;
            string address = to!, port = "";
            if (address.StartsWith("[", StringComparison.Ordinal))
            {
                var close = address.IndexOf(']');
                if (close < 0) return false;
                port = address.Substring(close + 1).TrimStart(':');
                address = address.Substring(1, close - 1);
            }
            else if (address.StartsWith(":", StringComparison.Ordinal)) { port = address.Substring(1); address = ""; }
            else if (p.Family == IpFamily.Ipv4 && address.IndexOf(':') > 0)
            {
                var colon = address.LastIndexOf(':');
                port = address.Substring(colon + 1);
                address = address.Substring(0, colon);
            }
            var destination = p.Destination;
            if (address.Length > 0)
            {
                if (!Addresses.TryParseAddress(address, out var family, out var value) || family != p.Family) return false;
                destination = value;
            }
            int destinationPort = p.DestinationPort;
            if (port.Length > 0 && !TryMapPort(port, p.DestinationPort, out destinationPort)) return false;
            translated = p.WithDestination(destination, destinationPort);
            return true;
        }

        /// <summary>
        /// What conntrack makes of a packet asked as New: only some packets can open a connection.
        /// TCP: a SYN (without ACK, RST, FIN) or, with nf_conntrack_tcp_loose (the default), an ACK
        /// (picked up mid-stream); SYN+ACK, RST, FIN or no flag are INVALID. ICMP: only the request
        /// types (echo, timestamp, information, address mask; ICMPv6 echo request and node
        /// information query); an echo reply or an error without its connection is INVALID; ICMPv6
        /// neighbour discovery and MLD are UNTRACKED.
        /// </summary>
        private static ConnState ConntrackState(Packet p, out string? why)
        {
            why = null;
            if (p.State != ConnState.New) return p.State;
            if (p.Protocol == Protocols.Tcp)
            {
                int f = p.TcpFlags;
                bool syn = (f & Protocols.TcpSyn) != 0, ack = (f & Protocols.TcpAck) != 0, rst = (f & Protocols.TcpRst) != 0, fin = (f & Protocols.TcpFin) != 0;
                if (!rst && !fin && (syn ^ ack)) return ConnState.New;
                why = "conntrack: a TCP " + Protocols.TcpFlagsText(f) + " packet opens no connection: INVALID";
                return ConnState.Invalid;
            }
            if (p.Protocol == Protocols.Icmp && p.Family == IpFamily.Ipv4)
            {
                if (p.IcmpType == 8 || p.IcmpType == 13 || p.IcmpType == 15 || p.IcmpType == 17) return ConnState.New;
                why = "conntrack: ICMP type " + p.IcmpType.ToString(CultureInfo.InvariantCulture) + " opens no connection: INVALID";
                return ConnState.Invalid;
            }
            if (p.Protocol == Protocols.Icmpv6 && p.Family == IpFamily.Ipv6)
            {
                if (p.IcmpType == 128 || p.IcmpType == 139) return ConnState.New;
                if (p.IcmpType >= 130 && p.IcmpType <= 137 || p.IcmpType == 143)
                {
                    why = "conntrack: ICMPv6 type " + p.IcmpType.ToString(CultureInfo.InvariantCulture) + " (neighbour discovery, MLD) is not tracked: UNTRACKED";
                    return ConnState.Untracked;
                }
                why = "conntrack: ICMPv6 type " + p.IcmpType.ToString(CultureInfo.InvariantCulture) + " opens no connection: INVALID";
                return ConnState.Invalid;
            }
            return ConnState.New;
        }

        /// <summary>A rule whose match the analysis cannot decide for this packet: a not-analysed part, or a ct status bit the packet does not know.</summary>
        private static bool Open(PacketMatch m, Packet p) => !m.IsAnalysed || m.CtStatus.Count != 0 && !m.DecidableFor(p);

        /// <summary>
        /// The conntrack NAT bits the filter chains can know, from the nat path this evaluation walks:
        /// dnat is set exactly when a modelled destination translation applied (each translation marks
        /// its packet), so it is known false before one, when the nat chains are walked (a query without
        /// -Chain on input, forward, output or a pf interface) and the packet is tracked; snat is applied
        /// after the filter chains (postrouting, nat input at priority 100), so a connection's first
        /// packet does not have it, except on input when a nat input chain could have set it; for an
        /// established packet it depends on that first packet's way out, which the flow does not say.
        /// </summary>
        private Packet WithKnownCtStatus(FlowQuery q, bool translate)
        {
            var p = q.Packet;
            if (!translate || p.State == ConnState.Invalid || p.State == ConnState.Untracked) return p.WithCtStatus(0, 0);
            if (q.Direction != ChainHook.Input && q.Direction != ChainHook.Forward && q.Direction != ChainHook.Output && q.Direction != ChainHook.Inbound)
                return p.WithCtStatus(0, 0);
            int known = Protocols.CtDnat;
            bool first = p.State == ConnState.New || p.State == ConnState.Related;
            if (first && !(q.Direction == ChainHook.Input && _set.Chains.Any(c => c.Hook == ChainHook.Input && c.Type == "nat")))
                known |= Protocols.CtSnat;
            return p.WithCtStatus(0, known);
        }

        private static IEnumerable<Outcome> Run(CompiledPath path, Packet p, int start, Outcome prefix, ref int budget)
        {
            var results = new List<Outcome>();
            var current = prefix.Fork();
            current.Verdict = RuleAction.Accept;
            current.Decider = null;
            if (start == 0) current.Trace.Add(ChainLabel(path.Chain));
            RunFrom(path, p, start, current, results, ref budget);
            return results;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        private static void RunFrom(CompiledPath path, Packet p, int i, Outcome current, List<Outcome> results, ref int budget)
        {
            var entries = path.Entries;
            while (i < entries.Count)
            {
                var e = entries[i];
                if (!e.Match.MatchesAnalysed(p)) { i++; continue; }
                if (Open(e.Match, p) && e.Rule != null)
                {
                    if (budget > 0)
                    {
                        budget--;
                        var skipped = current.Fork();
                        skipped.Assumed.Add(e.Rule);
                        RunFrom(path, p, i + 1, skipped, results, ref budget);
                    }
                    else
                    {
                        current.Verdict = RuleAction.Unknown;
                        current.Decider = e;
                        results.Add(current);
                        return;
                    }
                    current.Assumed.Add(e.Rule);
                }
                switch (e.Action)
                {
                    case RuleAction.Return:
                        current.Trace.Add(Step(e) + (e.IsGotoReturn ? " (end of goto)" : ": RETURN"));
                        i = e.ResumeAt;
                        continue;
                    case RuleAction.Continue:
                        if (e.Rule != null) current.Trace.Add(Step(e) + ": " + (e.Rule.Target ?? "continue"));
                        i++;
                        continue;
                    default:
                        current.Verdict = e.Action;
                        current.Decider = e;
                        current.Trace.Add(Step(e) + ": " + (e.IsPolicy ? "policy " : "") + e.Action.ToString().ToUpperInvariant());
                        results.Add(current);
                        return;
                }
            }
            current.Verdict = RuleAction.Accept;
            results.Add(current);
        }

        internal static string ChainLabel(FirewallChain c) => c.Key + (c.IsBase ? " (" + c.Hook + ")" : "");

        private static string Step(PathEntry e)
        {
            if (e.IsPolicy) return e.Chain.Key;
            var via = string.Join("", e.Via.Select(v => v.Id + " -> " + (v.Action == RuleAction.Goto ? "goto " : "jump ") + v.Target + " | "));
            return via + e.Rule!.Id + " (" + e.Rule.Source.File.Split('/', '\\').Last() + ":" + e.Rule.Source.Line.ToString(CultureInfo.InvariantCulture) + ")";
        }

        /// <summary>
        /// A REJECT sends nothing back for some packets: no TCP reset answers a reset, no ICMP error
        /// answers an ICMP error. The packet is then only dropped, and the flow's verdict is Drop.
        /// </summary>
        private static bool RejectSendsNothing(Packet p)
            => p.Protocol == Protocols.Tcp && (p.TcpFlags & Protocols.TcpRst) != 0
               || p.Protocol == Protocols.Icmp && p.Family == IpFamily.Ipv4 && (p.IcmpType == 3 || p.IcmpType == 4 || p.IcmpType == 5 || p.IcmpType == 11 || p.IcmpType == 12)
               || p.Protocol == Protocols.Icmpv6 && p.Family == IpFamily.Ipv6 && p.IcmpType < 128;

        private FlowResult Summarise(FlowQuery q, List<Outcome> outcomes, bool noChain)
        {
            foreach (var o in outcomes)
            {
                if (o.Verdict != RuleAction.Reject || !RejectSendsNothing(o.Packet)) continue;
                o.Verdict = RuleAction.Drop;
                o.Trace.Add("REJECT answers nothing to this packet (no reset for a reset, no ICMP error for an ICMP error): dropped");
            }
            var verdicts = outcomes.Select(o => ToVerdict(o.Verdict)).Distinct().OrderBy(v => v).ToList();
            var first = outcomes[0];
            bool certain = verdicts.Count == 1 && verdicts[0] != FlowVerdict.Undetermined;
            var verdict = verdicts.Count == 1 ? verdicts[0] : FlowVerdict.Undetermined;
            // The outcome shown is the one where every unmodelled match is assumed not to match
            // (the first explored), which is what the written order says most plainly.
            var decider = first.Decider;
            var path = new List<string>(first.Trace);
            if (noChain && decider == null) path.Add("no chain filters " + q.Packet.Family + " traffic on " + q.Direction + ": accepted");
            var result = new FlowResult(q, verdict, certain, decider?.Rule, decider?.Chain.Key, decider?.IsPolicy ?? false, path,
                verdicts, outcomes.SelectMany(o => o.Assumed).Distinct().ToList(), _set.Name, _set.Profile);
            result.Source = decider == null ? null : decider.IsPolicy ? decider.Chain.Source.ToString() : decider.Rule!.Source.ToString();
            return result;
        }

        private static FlowVerdict ToVerdict(RuleAction a)
            => a == RuleAction.Accept ? FlowVerdict.Accept : a == RuleAction.Drop ? FlowVerdict.Drop : a == RuleAction.Reject ? FlowVerdict.Reject : FlowVerdict.Undetermined;
    }
}
