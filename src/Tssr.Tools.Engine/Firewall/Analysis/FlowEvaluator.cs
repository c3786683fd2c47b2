using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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
    }

    /// <summary>The answer: the verdict, the rule that decides it (with its file and line), and the path taken.</summary>
    public sealed class FlowResult
    {
        internal FlowResult(FlowQuery query, FlowVerdict verdict, bool certain, FirewallRule? decidingRule, string? decidingChain,
            bool byPolicy, IReadOnlyList<string> path, IReadOnlyList<FlowVerdict> possible, IReadOnlyList<FirewallRule> notAnalysed, string ruleSet,
            WindowsFirewallProfile? profile = null)
        {
            Query = query; Verdict = verdict; Certain = certain; DecidingRule = decidingRule; DecidingChain = decidingChain;
            ByPolicy = byPolicy; Path = path; PossibleVerdicts = possible; NotAnalysedRules = notAnalysed; RuleSet = ruleSet; Profile = profile;
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
        public IReadOnlyList<string> Path { get; }
        public IReadOnlyList<FlowVerdict> PossibleVerdicts { get; }
        public IReadOnlyList<FirewallRule> NotAnalysedRules { get; }

        public bool Allowed => Verdict == FlowVerdict.Accept;
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
        private readonly FirewallRuleSet _set;
        private readonly List<CompiledPath> _paths;

        public FlowEvaluator(FirewallRuleSet set)
        {
            _set = set;
            _paths = PathCompiler.CompileAll(set);
        }

        internal FlowEvaluator(FirewallRuleSet set, List<CompiledPath> paths)
        {
            _set = set;
            _paths = paths;
        }

        public IReadOnlyList<CompiledPath> Paths => _paths;

        private sealed class Outcome
        {
            public RuleAction Verdict;
            public PathEntry? Decider;
            public List<string> Trace = new List<string>();
            public List<FirewallRule> Assumed = new List<FirewallRule>();
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
            // Destination NAT in prerouting happens before input and forward filtering: the filter
            // chains see the translated address and port.
            var starts = string.IsNullOrEmpty(q.Chain) && (q.Direction == ChainHook.Input || q.Direction == ChainHook.Forward)
                ? Translate(q.Packet, ref budget)
                : new List<(Packet, Outcome)> { (q.Packet, new Outcome { Verdict = RuleAction.Accept }) };
            var all = new List<Outcome>();
            foreach (var (packet, start) in starts)
            {
                var outcomes = new List<Outcome> { start };
                foreach (var path in chains)
                {
                    var next = new List<Outcome>();
                    foreach (var o in outcomes)
                    {
                        if (o.Verdict != RuleAction.Accept) { next.Add(o); continue; }
                        foreach (var r in Run(path, packet, 0, o, ref budget)) next.Add(r);
                    }
                    outcomes = next;
                }
                all.AddRange(outcomes);
            }
            return Summarise(q, all, chains.Count == 0);
        }

        private List<CompiledPath>? _nat;

        /// <summary>The nat chains hooked at prerouting (iptables nat PREROUTING, nft type nat hook prerouting), in priority order.</summary>
        private List<CompiledPath> NatPaths
            => _nat ?? (_nat = _set.Chains.Where(c => c.Hook == ChainHook.Prerouting && c.Type == "nat" && c.Families != FamilySet.None)
                .Select((c, i) => (c, i)).OrderBy(t => t.c.Priority).ThenBy(t => t.i).Select(t => PathCompiler.Compile(_set, t.c)).ToList());

        /// <summary>The packet as the filter chains see it after prerouting DNAT (several when an unmodelled match makes it uncertain).</summary>
        private List<(Packet, Outcome)> Translate(Packet p, ref int budget)
        {
            var results = new List<(Packet, Outcome)>();
            var paths = NatPaths.Where(n => (n.Chain.Families & Addresses.ToSet(p.Family)) != 0).ToList();
            TranslateFrom(paths, 0, 0, p, new Outcome { Verdict = RuleAction.Accept }, results, ref budget);
            return results;
        }

        private static void TranslateFrom(List<CompiledPath> paths, int chain, int i, Packet p, Outcome current, List<(Packet, Outcome)> results, ref int budget)
        {
            while (chain < paths.Count)
            {
                var entries = paths[chain].Entries;
                bool next = false;
                while (i < entries.Count && !next)
                {
                    var e = entries[i];
                    if (e.IsPolicy || !e.Match.MatchesAnalysed(p)) { i++; if (e.IsPolicy) next = true; continue; }
                    if (!e.IsReliable && e.Rule != null)
                    {
                        if (budget <= 0) { results.Add((p, new Outcome { Verdict = RuleAction.Unknown, Decider = e, Trace = current.Trace, Assumed = current.Assumed })); return; }
                        budget--;
                        var skipped = new Outcome { Verdict = RuleAction.Accept, Trace = new List<string>(current.Trace), Assumed = new List<FirewallRule>(current.Assumed) };
                        skipped.Assumed.Add(e.Rule);
                        TranslateFrom(paths, chain, i + 1, p, skipped, results, ref budget);
                        current.Assumed.Add(e.Rule);
                    }
                    switch (e.Action)
                    {
                        case RuleAction.Return: i = e.ResumeAt; continue;
                        case RuleAction.Continue: i++; continue;
                        case RuleAction.Unknown:
                            {
                                var rule = e.Rule!;
                                bool isDnat = string.Equals(rule.Target, "dnat", StringComparison.OrdinalIgnoreCase);
                                if (isDnat && TryTranslate(p, rule.NatDestination, out var translated))
                                {
                                    current.Trace.Add("nat " + Step(e) + ": DNAT to " + rule.NatDestination);
                                    results.Add((translated, current));
                                    return;
                                }
                                if (isDnat || string.Equals(rule.Target, "redirect", StringComparison.OrdinalIgnoreCase))
                                {
                                    // A translation the analysis cannot follow (a range, a map, REDIRECT): the filter verdict is unknown.
                                    current.Verdict = RuleAction.Unknown;
                                    current.Decider = e;
                                    current.Trace.Add("nat " + Step(e) + ": " + rule.Target!.ToUpperInvariant() + " (not modelled)");
                                    results.Add((p, current));
                                    return;
                                }
                                i++; // SNAT, MASQUERADE, LOG... do not change the destination
                                continue;
                            }
                        default:
                            next = true; // accept (or drop) ends this nat chain without translation
                            break;
                    }
                }
                chain++;
                i = 0;
            }
            results.Add((p, current));
        }

        /// <summary>"10.0.0.5", "10.0.0.5:80", "[2001:db8::5]:80", "2001:db8::5", ":80".</summary>
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
            if (port.Length > 0 && !Protocols.TryParsePort(port, out destinationPort)) return false;
            translated = new Packet(p.Family, p.Protocol, p.Source, destination, p.SourcePort, destinationPort, p.State, p.InInterface, p.OutInterface, p.IcmpType);
            return true;
        }

        private static IEnumerable<Outcome> Run(CompiledPath path, Packet p, int start, Outcome prefix, ref int budget)
        {
            var results = new List<Outcome>();
            var current = new Outcome { Trace = new List<string>(prefix.Trace), Assumed = new List<FirewallRule>(prefix.Assumed) };
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
                if (!e.IsReliable && e.Rule != null)
                {
                    if (budget > 0)
                    {
                        budget--;
                        var skipped = new Outcome { Trace = new List<string>(current.Trace), Assumed = new List<FirewallRule>(current.Assumed) };
                        skipped.Assumed.Add(e.Rule);
                        RunFrom(path, p, i + 1, skipped, results, ref budget);
                    }
                    else
                    {
                        results.Add(new Outcome { Verdict = RuleAction.Unknown, Decider = e, Trace = current.Trace, Assumed = current.Assumed });
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

        private FlowResult Summarise(FlowQuery q, List<Outcome> outcomes, bool noChain)
        {
            var verdicts = outcomes.Select(o => ToVerdict(o.Verdict)).Distinct().OrderBy(v => v).ToList();
            var first = outcomes[0];
            bool certain = verdicts.Count == 1 && verdicts[0] != FlowVerdict.Undetermined;
            var verdict = verdicts.Count == 1 ? verdicts[0] : FlowVerdict.Undetermined;
            // The outcome shown is the one where every unmodelled match is assumed not to match
            // (the first explored), which is what the written order says most plainly.
            var decider = first.Decider;
            var path = new List<string>(first.Trace);
            if (noChain) path.Add("no chain filters " + q.Packet.Family + " traffic on " + q.Direction + ": accepted");
            var result = new FlowResult(q, verdict, certain, decider?.Rule, decider?.Chain.Key, decider?.IsPolicy ?? false, path,
                verdicts, outcomes.SelectMany(o => o.Assumed).Distinct().ToList(), _set.Name, _set.Profile);
            result.Source = decider == null ? null : decider.IsPolicy ? decider.Chain.Source.ToString() : decider.Rule!.Source.ToString();
            return result;
        }

        private static FlowVerdict ToVerdict(RuleAction a)
            => a == RuleAction.Accept ? FlowVerdict.Accept : a == RuleAction.Drop ? FlowVerdict.Drop : a == RuleAction.Reject ? FlowVerdict.Reject : FlowVerdict.Undetermined;
    }
}
