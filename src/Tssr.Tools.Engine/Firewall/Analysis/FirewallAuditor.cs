using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Model;
using Tssr.Tools.Engine.Firewall.Parsers;

namespace Tssr.Tools.Engine.Firewall.Analysis
{
    /// <summary>
    /// Audits a rule set: the anomalies of Al-Shaer &amp; Hamed and policy checks. Each rule asks an
    /// interval index for the rules that overlap it (through its most selective dimension), then
    /// works on those alone: the cost follows the number of overlapping pairs, not n².
    /// Coverage ("is every packet of this rule decided earlier?") subtracts the earlier boxes from
    /// the rule's box exactly; a rule with conditions the analysis does not model is never used to
    /// claim that another rule is covered.
    /// </summary>
    public sealed class FirewallAuditor
    {
        private static readonly Localizer Text = FirewallText.Strings;
        private const int MaxFragments = 256;
        private const int MaxRelatedShown = 10;

        private sealed class Service
        {
            public Service(int port, int protocol, string name, bool admin, bool clear, FindingSeverity severity, string? secure = null)
            {
                Port = port; Protocol = protocol; Name = name; Admin = admin; Clear = clear; Severity = severity; Secure = secure;
            }
            public int Port; public int Protocol; public string Name; public bool Admin; public bool Clear; public FindingSeverity Severity; public string? Secure;
        }

        private static readonly Service[] Services =
        {
            new Service(22, Protocols.Tcp, "SSH", true, false, FindingSeverity.Medium),
            new Service(23, Protocols.Tcp, "Telnet", true, true, FindingSeverity.High, "SSH (22/tcp)"),
            new Service(3389, Protocols.Tcp, "RDP", true, false, FindingSeverity.High),
            new Service(5985, Protocols.Tcp, "WinRM (HTTP)", true, true, FindingSeverity.High, "WinRM over HTTPS (5986/tcp)"),
            new Service(5986, Protocols.Tcp, "WinRM (HTTPS)", true, false, FindingSeverity.High),
            new Service(445, Protocols.Tcp, "SMB", true, false, FindingSeverity.High),
            new Service(139, Protocols.Tcp, "NetBIOS session", true, false, FindingSeverity.High),
            new Service(161, Protocols.Udp, "SNMP", true, true, FindingSeverity.High, "SNMPv3 (authPriv)"),
            new Service(512, Protocols.Tcp, "rexec", true, true, FindingSeverity.High, "SSH (22/tcp)"),
            new Service(513, Protocols.Tcp, "rlogin", true, true, FindingSeverity.High, "SSH (22/tcp)"),
            new Service(514, Protocols.Tcp, "rsh", true, true, FindingSeverity.High, "SSH (22/tcp)"),
            new Service(1433, Protocols.Tcp, "Microsoft SQL Server", true, false, FindingSeverity.High),
            new Service(1521, Protocols.Tcp, "Oracle", true, false, FindingSeverity.High),
            new Service(3306, Protocols.Tcp, "MySQL/MariaDB", true, false, FindingSeverity.High),
            new Service(5432, Protocols.Tcp, "PostgreSQL", true, false, FindingSeverity.High),
            new Service(6379, Protocols.Tcp, "Redis", true, false, FindingSeverity.High),
            new Service(9200, Protocols.Tcp, "Elasticsearch", true, false, FindingSeverity.High),
            new Service(27017, Protocols.Tcp, "MongoDB", true, false, FindingSeverity.High),
            new Service(21, Protocols.Tcp, "FTP", false, true, FindingSeverity.Medium, "SFTP (22/tcp) or FTPS"),
            new Service(69, Protocols.Udp, "TFTP", false, true, FindingSeverity.Medium, "SFTP or HTTPS"),
            new Service(80, Protocols.Tcp, "HTTP", false, true, FindingSeverity.Low, "HTTPS (443/tcp)"),
            new Service(110, Protocols.Tcp, "POP3", false, true, FindingSeverity.Medium, "POP3S (995/tcp)"),
            new Service(143, Protocols.Tcp, "IMAP", false, true, FindingSeverity.Medium, "IMAPS (993/tcp)"),
            new Service(389, Protocols.Tcp, "LDAP", false, true, FindingSeverity.Low, "LDAPS (636/tcp) or StartTLS"),
        };

        private sealed class RuleState
        {
            public int Copies, Empty, Covered, DownRedundant, Live;
            public bool AnyShadow;
            public readonly HashSet<FirewallRule> Deciders = new HashSet<FirewallRule>();
            public FirewallRule? DownBy;
            public RuleAction? DownByPolicy;
            public string? PolicyChain;
            public readonly HashSet<FirewallRule> Correlated = new HashSet<FirewallRule>();
            public readonly HashSet<FirewallRule> Generalised = new HashSet<FirewallRule>();
            public readonly HashSet<string> ServicesReported = new HashSet<string>();
        }

        private readonly FirewallRuleSet _set;
        private readonly Action<FirewallFinding> _emit;
        private readonly Dictionary<FirewallRule, RuleState> _states = new Dictionary<FirewallRule, RuleState>();
        private readonly List<(FirewallRule Rule, Service Service, bool AnySource, FindingKind Kind, FirewallRule? Maybe)> _exposures = new List<(FirewallRule, Service, bool, FindingKind, FirewallRule?)>();
        private readonly List<(FirewallRule Rule, IntervalSet SourcePorts, IntervalSet DestinationPorts, IntervalSet Protocols)> _sourcePortTrust = new List<(FirewallRule, IntervalSet, IntervalSet, IntervalSet)>();
        private readonly List<(FirewallRule Rule, bool Restricted)> _anyAny = new List<(FirewallRule, bool)>();
        private readonly Dictionary<(ChainHook, IpFamily), List<bool>> _defaultDeny = new Dictionary<(ChainHook, IpFamily), List<bool>>();
        private readonly List<(FirewallChain Chain, IpFamily Family)> _openPolicies = new List<(FirewallChain, IpFamily)>();
        private InterfaceAtoms _atoms = null!;

        private FirewallAuditor(FirewallRuleSet set, Action<FirewallFinding> emit)
        {
            _set = set;
            _emit = emit;
        }

        /// <summary>Audits the rule set, streaming each finding to the sink as soon as it is known.</summary>
        public static Task AuditAsync(FirewallRuleSet set, IEngineSink sink, CancellationToken ct)
            => AuditAsync(set, new FirewallAuditOptions(), sink, ct);

        /// <summary>Audits the rule set, streaming each finding the options keep (severity, kinds) to the sink.</summary>
        public static Task AuditAsync(FirewallRuleSet set, FirewallAuditOptions options, IEngineSink sink, CancellationToken ct)
            => Task.Run(() => Audit(set, f => { if (options.Keeps(f)) sink.Output(f); }, ct, sink.Progress), ct);

        /// <summary>Audits synchronously; findings go to <paramref name="emit"/>.</summary>
        public static void Audit(FirewallRuleSet set, Action<FirewallFinding> emit, CancellationToken ct = default, Action<ProgressReport>? progress = null)
        {
            new FirewallAuditor(set, emit).Run(ct, progress);
        }

        public static List<FirewallFinding> Audit(FirewallRuleSet set, CancellationToken ct = default)
        {
            var list = new List<FirewallFinding>();
            Audit(set, list.Add, ct);
            return list;
        }

        private void Run(CancellationToken ct, Action<ProgressReport>? progress)
        {
            _atoms = new InterfaceAtoms(new[] { _set });
            var paths = PathCompiler.CompileAll(_set);
            var activity = Text.Get("Progress_Audit");
            int done = 0;
            foreach (var path in paths)
            {
                foreach (var family in new[] { IpFamily.Ipv4, IpFamily.Ipv6 })
                {
                    if ((path.Chain.Families & Addresses.ToSet(family)) == 0) continue;
                    AnalysePath(path, new Space(family, _atoms), ct);
                }
                done++;
                progress?.Invoke(new ProgressReport(activity, path.Chain.Key, ProgressReport.Percent(done, paths.Count)));
            }
            EmitRuleFindings();
            EmitInterfaceSubnetFindings();
            EmitPolicyFindings();
            progress?.Invoke(new ProgressReport(activity, "", 100, completed: true));
        }

        private RuleState State(FirewallRule r)
        {
            if (!_states.TryGetValue(r, out var s)) _states[r] = s = new RuleState();
            return s;
        }

        /// <summary>
        /// Whether the earlier entry takes every packet of its box away from the target: it must be
        /// modelled exactly, decide (or return past the target), and no RETURN before it may let some
        /// of its packets skip it and still reach the target.
        /// </summary>
        private static bool IsShieldFor(PathEntry shield, int shieldIndex, int target, int[] minEscape)
            => shieldIndex < target && shield.IsReliable && minEscape[shieldIndex] > target
               && (shield.Decides || (shield.Action == RuleAction.Return && shield.ResumeAt > target));

        /// <summary>For each entry, the nearest place a RETURN written before it (in a block holding it) resumes at.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        internal static int[] MinEscape(IReadOnlyList<PathEntry> entries)
        {
            var result = new int[entries.Count];
            var active = new SortedDictionary<int, int>();
            for (int i = 0; i < entries.Count; i++)
            {
                while (active.Count > 0)
                {
                    var first = active.Keys.First();
                    if (first > i) break;
                    active.Remove(first);
                }
                result[i] = active.Count == 0 ? int.MaxValue : active.Keys.First();
                var e = entries[i];
                if (e.Action == RuleAction.Return && e.ResumeAt > i + 1)
                    active[e.ResumeAt] = active.TryGetValue(e.ResumeAt, out var c) ? c + 1 : 1;
            }
            return result;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        private void AnalysePath(CompiledPath path, Space space, CancellationToken ct)
        {
            var entries = path.Entries;
            int n = entries.Count;
            var boxes = new Box?[n];
            var bySource = new List<(Interval, int)>();
            var byDestination = new List<(Interval, int)>();
            var byPort = new List<(Interval, int)>();
            for (int i = 0; i < n; i++)
            {
                if ((i & 1023) == 0) ct.ThrowIfCancellationRequested();
                var e = entries[i];
                if (e.IsPolicy) continue;
                boxes[i] = space.ToBox(e.Match);
                var b = boxes[i];
                if (b == null || !(e.Decides || e.Action == RuleAction.Return)) continue;
                foreach (var iv in b.D[Space.Source].Intervals) bySource.Add((iv, i));
                foreach (var iv in b.D[Space.Destination].Intervals) byDestination.Add((iv, i));
                foreach (var iv in b.D[Space.DestinationPort].Intervals) byPort.Add((iv, i));
            }
            var indexes = new[] { new IntervalIndex(bySource), new IntervalIndex(byDestination), new IntervalIndex(byPort) };
            var dims = new[] { Space.Source, Space.Destination, Space.DestinationPort };
            var stamp = new int[n];
            int generation = 0;
            var candidates = new List<int>();
            var raw = new List<int>();
            var covered = new bool[n];
            var policy = entries[n - 1];
            var minEscape = MinEscape(entries);
            var hook = path.Chain.Hook;
            bool incoming = hook == ChainHook.Input || hook == ChainHook.Forward || hook == ChainHook.Inbound || hook == ChainHook.Prerouting;

            for (int i = 0; i < n; i++)
            {
                if ((i & 255) == 0) ct.ThrowIfCancellationRequested();
                var e = entries[i];
                if (e.IsPolicy || e.Rule == null || e.IsGotoReturn) continue;
                var state = State(e.Rule);
                state.Copies++;
                var box = boxes[i];
                if (box == null) { state.Empty++; continue; }
                if (!e.Decides) { state.Live++; continue; }

                // Neighbours: every indexed box meeting this one, through the most selective dimension.
                int best = 0, bestCount = int.MaxValue;
                for (int k = 0; k < 3; k++)
                {
                    int count = 0;
                    foreach (var iv in box.D[dims[k]].Intervals) count += indexes[k].CountMeeting(iv.Start, iv.End);
                    if (count < bestCount) { bestCount = count; best = k; }
                }
                raw.Clear();
                foreach (var iv in box.D[dims[best]].Intervals) indexes[best].ItemsMeeting(iv.Start, iv.End, raw);
                generation++;
                candidates.Clear();
                foreach (var j in raw)
                {
                    if (j == i || stamp[j] == generation) continue;
                    stamp[j] = generation;
                    if (boxes[j]!.Overlaps(box)) candidates.Add(j);
                }
                candidates.Sort();

                // Upward: is every packet of this rule decided before it?
                var remaining = new List<Box> { box };
                var deciders = new List<int>();
                bool conclusive = true;
                foreach (var j in candidates)
                {
                    if (j > i) break;
                    if (!IsShieldFor(entries[j], j, i, minEscape)) continue;
                    var bj = boxes[j]!;
                    var next = new List<Box>(remaining.Count + 4);
                    bool touched = false, significant = false;
                    foreach (var r in remaining)
                    {
                        if (r.Overlaps(bj))
                        {
                            touched = true;
                            // Deciding only established or loopback packets is incidental: not worth naming.
                            var part = r.Intersect(bj)!;
                            if (part.D[Space.State].Contains((ulong)(int)ConnState.New) && !IsLoopbackOnly(part.D[Space.InInterface])) significant = true;
                            space.Subtract(r, bj, next);
                        }
                        else next.Add(r);
                    }
                    if (touched) deciders.Add(significant ? j : -1 - j);
                    remaining = next;
                    if (remaining.Count == 0) break;
                    if (remaining.Count > MaxFragments) { conclusive = false; break; }
                }
                if (conclusive && remaining.Count == 0)
                {
                    covered[i] = true;
                    state.Covered++;
                    bool anySignificant = deciders.Any(j => j >= 0);
                    foreach (var code in deciders)
                    {
                        var j = code >= 0 ? code : -1 - code;
                        var d = entries[j];
                        if (d.Action != e.Action) state.AnyShadow = true;
                        if (d.Rule != null && (code >= 0 || !anySignificant)) state.Deciders.Add(d.Rule);
                    }
                    continue;
                }

                state.Live++;
                if (!e.IsReliable) continue;
                if (incoming && e.Action == RuleAction.Accept) ExposureChecks(entries, space, box, i, candidates, hook);

                // Pairs with earlier rules of another action: generalisation and correlation.
                foreach (var j in candidates)
                {
                    if (j > i) break;
                    var o = entries[j];
                    if (!o.Decides || !o.IsReliable || o.Action == e.Action || o.Rule == null || covered[j]) continue;
                    var bj = boxes[j]!;
                    var overlap = bj.Intersect(box);
                    // Overlaps only on established traffic or on the loopback interface are by design.
                    if (overlap == null || !overlap.D[Space.State].Contains((ulong)(int)ConnState.New) || IsLoopbackOnly(overlap.D[Space.InInterface])) continue;
                    if (bj.IsSubsetOf(box)) state.Generalised.Add(o.Rule);
                    else state.Correlated.Add(o.Rule);
                }

                // Downward: would a later rule (or the policy) decide the same without this one?
                if (e.Action == RuleAction.Unknown) continue;
                bool conflict = false;
                FirewallRule? by = null;
                foreach (var j in candidates)
                {
                    if (j < i) continue;
                    var z = entries[j];
                    if (z.Decides && z.Action == e.Action)
                    {
                        if (z.IsReliable && box.IsSubsetOf(boxes[j]!))
                        {
                            // An exact copy further down is reported itself (redundant because of this one): one finding per pair, on the later copy.
                            if (boxes[j]!.IsSubsetOf(box)) { conflict = true; break; }
                            by = z.Rule; break;
                        }
                        continue;
                    }
                    conflict = true;
                    break;
                }
                if (by != null) { state.DownRedundant++; state.DownBy = by; }
                else if (!conflict && policy.Action == e.Action) { state.DownRedundant++; state.DownByPolicy = policy.Action; state.PolicyChain = path.Chain.Key; }
            }

            PolicyChecks(path, space, boxes, minEscape);
        }

        private void ExposureChecks(IReadOnlyList<PathEntry> entries, Space space, Box b, int i, List<int> neighbours, ChainHook hook)
        {
            var e = entries[i];
            if (!b.D[Space.State].Contains((ulong)(int)ConnState.New) || IsLoopbackOnly(b.D[Space.InInterface])) return;
            bool anySource = IsWide(b.D[Space.Source], space.Family);
            // Trusting a source port: the sender picks it, so any host can reach the whole range (udp sport 53 accept).
            var sports = b.D[Space.SourcePort];
            if (anySource && !sports.IsFull(Protocols.PortMax) && sports.CountValuesSaturated() <= 1024
                && b.D[Space.DestinationPort].CountValuesSaturated() >= 1024 && b.D[Space.Protocol].Overlaps(Protocols.PortProtocols))
                _sourcePortTrust.Add((e.Rule!, sports, b.D[Space.DestinationPort], b.D[Space.Protocol]));
            if (anySource && b.D[Space.Destination].IsFull(space.Max[Space.Destination]) && b.D[Space.Protocol].IsFull(Protocols.ProtocolMax)
                && b.D[Space.DestinationPort].IsFull(Protocols.PortMax))
            {
                // Forwarded traffic bound to one way out (iifname "lan" oifname "wan", oifname vmap { "wan" : jump ... }) is egress, not any-to-any.
                if (hook == ChainHook.Forward && !b.D[Space.OutInterface].IsFull(space.Max[Space.OutInterface])) return;
                _anyAny.Add((e.Rule!, !b.D[Space.InInterface].IsFull(space.Max[Space.InInterface])));
                return;
            }
            foreach (var service in Services)
            {
                if (!b.D[Space.Protocol].Contains((ulong)service.Protocol) || !b.D[Space.DestinationPort].Contains((ulong)service.Port)) continue;
                if (!(service.Admin && anySource) && !(service.Clear && (anySource || service.Port != 80))) continue;
                if (!Decides(entries, space, b, i, service, neighbours, out var maybe)) continue;
                if (service.Admin && anySource) _exposures.Add((e.Rule!, service, true, FindingKind.AdminServiceExposed, maybe));
                if (service.Clear && (anySource || service.Port != 80)) _exposures.Add((e.Rule!, service, anySource, FindingKind.ClearTextService, maybe));
            }
        }

        private void PolicyChecks(CompiledPath path, Space space, Box?[] boxes, int[] minEscape)
        {
            var hook = path.Chain.Hook;
            var entries = path.Entries;
            // What happens to the traffic no rule decides: the policy, unless a catch-all rule before it decides everything.
            bool defaultDeny;
            if (path.Chain.Policy != RuleAction.Accept) defaultDeny = true;
            else defaultDeny = PolicyUnreachable(entries, boxes, space, minEscape);
            if (hook == ChainHook.Input || hook == ChainHook.Forward)
            {
                var key = (hook, space.Family);
                if (!_defaultDeny.TryGetValue(key, out var list)) _defaultDeny[key] = list = new List<bool>();
                list.Add(defaultDeny);
            }
            if (!defaultDeny && (hook == ChainHook.Input || hook == ChainHook.Forward || hook == ChainHook.Inbound) && !_openPolicies.Any(p => p.Chain == path.Chain))
                _openPolicies.Add((path.Chain, space.Family));
        }

        /// <summary>
        /// A representative packet of the service inside the box: does this very entry decide it?
        /// Only the overlapping neighbours can match a packet of the box, so only they are walked.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        private static bool Decides(IReadOnlyList<PathEntry> entries, Space space, Box b, int index, Service service, List<int> neighbours, out FirewallRule? maybe)
        {
            // An earlier rule the analysis cannot fully decide (a rate limit, a mark, an ipset) may
            // take part of this traffic: it does not hide the exposure; the finding names it.
            maybe = null;
            var probe = new Box((IntervalSet[])b.D.Clone());
            probe.D[Space.Protocol] = IntervalSet.Single((ulong)service.Protocol);
            probe.D[Space.DestinationPort] = IntervalSet.Single((ulong)service.Port);
            probe.D[Space.State] = IntervalSet.Single((ulong)(int)ConnState.New);
            var sampleSource = space.Family == IpFamily.Ipv4 ? SampleV4 : SampleV6;
            if (probe.D[Space.Source].Contains(sampleSource)) probe.D[Space.Source] = IntervalSet.Single(sampleSource);
            if (probe.D[Space.SourcePort].Contains(50000)) probe.D[Space.SourcePort] = IntervalSet.Single(50000);
            var packet = space.Sample(probe);
            int resumeAt = -1;
            foreach (var j in neighbours)
            {
                if (j >= index) break;
                if (j < resumeAt) continue;
                var e = entries[j];
                if (!e.Match.MatchesAnalysed(packet)) continue;
                if (!e.IsReliable)
                {
                    if (e.Decides && e.Action == RuleAction.Accept && maybe == null) maybe = e.Rule;
                    if (e.Decides || e.Action == RuleAction.Return) continue;
                }
                if (e.Action == RuleAction.Return) { resumeAt = e.ResumeAt; if (resumeAt > index) return false; continue; }
                if (e.Decides) return false;
            }
            return true;
        }

        private static readonly U128 SampleV4 = Addresses.ToValue(System.Net.IPAddress.Parse("203.0.113.77"), out _);
        private static readonly U128 SampleV6 = Addresses.ToValue(System.Net.IPAddress.Parse("2001:db8:77::77"), out _);

        private static bool PolicyUnreachable(IReadOnlyList<PathEntry> entries, Box?[] boxes, Space space, int[] minEscape)
        {
            var full = space.Full;
            // The usual case first: one catch-all rule that decides every packet.
            for (int i = 0; i < entries.Count - 1; i++)
            {
                var e = entries[i];
                if (e.Decides && e.IsReliable && minEscape[i] == int.MaxValue && boxes[i] != null && full.IsSubsetOf(boxes[i]!)) return true;
            }
            var remaining = new List<Box> { full };
            for (int i = 0; i < entries.Count - 1; i++)
            {
                var e = entries[i];
                if (!e.Decides || !e.IsReliable || boxes[i] == null || minEscape[i] != int.MaxValue) continue;
                var next = new List<Box>();
                foreach (var r in remaining) space.Subtract(r, boxes[i]!, next);
                remaining = next;
                if (remaining.Count == 0) return true;
                if (remaining.Count > MaxFragments) return false;
            }
            return false;
        }

        private static bool IsWide(IntervalSet sources, IpFamily family)
        {
            // "Any source" also when written as a negation of a few networks (! -s 10.0.0.0/8).
            if (family == IpFamily.Ipv4) return sources.CountValuesSaturated() >= (1UL << 31);
            ulong highSpan = 0;
            foreach (var iv in sources.Intervals)
            {
                var span = iv.End.High - iv.Start.High;
                highSpan = highSpan > ulong.MaxValue - span ? ulong.MaxValue : highSpan + span;
            }
            return highSpan >= (1UL << 63);
        }

        private bool IsLoopbackOnly(IntervalSet interfaces)
        {
            foreach (var iv in interfaces.Intervals)
                for (var a = iv.Start.Low; a <= iv.End.Low; a++)
                {
                    var name = _atoms.Representative((int)a);
                    if (name == null || !(name == "lo" || name.StartsWith("lo\u0001", StringComparison.Ordinal) || name == "lo0")) return false;
                }
            return true;
        }

        private static string Ids(IEnumerable<FirewallRule> rules)
        {
            var list = rules.Take(3).Select(r => r.Id).ToList();
            return string.Join(", ", list);
        }

        private static string ActionWord(RuleAction a) => Text.Get("Action_" + a);

        private void Emit(FindingSeverity severity, FindingKind kind, FirewallRule? rule, IEnumerable<FirewallRule> related, string? chain, string? source, string explanation, string recommendation)
        {
            var all = related.OrderBy(r => r.Source.File, StringComparer.Ordinal).ThenBy(r => r.Source.Line).ThenBy(r => r.Number).ToList();
            _emit(new FirewallFinding(severity, kind, rule, all.Take(MaxRelatedShown).ToList(), chain ?? (rule == null ? null : rule.Family + " " + rule.Table + " " + rule.Chain),
                source ?? rule?.Source.ToString(), explanation, recommendation, _set.Name, all.Count, _set.Profile));
        }

        /// <summary>
        /// pfSense/OPNsense: a rule of an inside interface (no gateway) whose IPv4 sources all lie
        /// outside that interface's subnet sees only packets routed from networks behind it.
        /// </summary>
        private void EmitInterfaceSubnetFindings()
        {
            if (_set.InterfaceNetworks.Count == 0) return;
            var byRule = new Dictionary<FirewallRule, List<string>>();
            foreach (var chain in _set.Chains)
            {
                if (chain.InterfaceName == null || chain.Hook != ChainHook.Inbound) continue;
                foreach (var rule in chain.Rules)
                {
                    if (!byRule.TryGetValue(rule, out var list)) byRule[rule] = list = new List<string>();
                    list.Add(chain.InterfaceName);
                }
            }
            foreach (var pair in byRule)
            {
                var rule = pair.Key;
                var src = rule.Match.SourceV4;
                if (src == null || (rule.Match.Families & FamilySet.Ipv4) == 0 || rule.Match.SourceV6 != null && !rule.Match.SourceV6.IsEmpty && (rule.Match.Families & FamilySet.Ipv6) != 0) continue;
                bool irrelevant = true;
                var nets = new List<string>();
                foreach (var iface in pair.Value.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    if (_set.UpstreamInterfaces.Contains(iface) || !_set.InterfaceNetworks.TryGetValue(iface, out var net)
                        || !Addresses.TryParseNetwork(net, out var family, out var interval) || family != IpFamily.Ipv4
                        || src.Overlaps(IntervalSet.From(new[] { interval })))
                    { irrelevant = false; break; }
                    nets.Add(iface + " " + net);
                }
                if (!irrelevant || nets.Count == 0) continue;
                Emit(FindingSeverity.Low, FindingKind.Irrelevance, rule, Array.Empty<FirewallRule>(), null, null,
                    Text.Format("Explain_InterfaceSubnet", rule.Id, string.Join(", ", nets)), Text.Get("Recommend_InterfaceSubnet"));
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        private void EmitRuleFindings()
        {
            var reachable = ReachableChains();
            foreach (var chain in _set.Chains)
            {
                foreach (var rule in chain.Rules)
                {
                    if (!rule.IsAnalysed)
                        Emit(FindingSeverity.Info, FindingKind.NotAnalysed, rule, Array.Empty<FirewallRule>(), null, null,
                            Text.Format("Explain_NotAnalysed", rule.Id, string.Join("; ", rule.NotAnalysed)), Text.Get("Recommend_NotAnalysed"));
                    _states.TryGetValue(rule, out var s);
                    if (s == null || s.Copies == 0)
                    {
                        if (!reachable.Contains(chain) && (chain.Type == "filter" || chain.Type == null) && !chain.IsBase)
                            Emit(FindingSeverity.Medium, FindingKind.Irrelevance, rule, Array.Empty<FirewallRule>(), null, null,
                                Text.Format("Explain_Unreached", rule.Id, chain.Name), Text.Get("Recommend_Unreached"));
                        continue;
                    }
                    if (s.Empty == s.Copies)
                    {
                        Emit(FindingSeverity.Medium, FindingKind.Irrelevance, rule, Array.Empty<FirewallRule>(), null, null,
                            Text.Format("Explain_Irrelevant", rule.Id), Text.Get("Recommend_Irrelevant"));
                        continue;
                    }
                    int nonEmpty = s.Copies - s.Empty;
                    if (!rule.IsTerminal && rule.Action != RuleAction.Unknown) continue;
                    if (s.Covered == nonEmpty)
                    {
                        var deciders = s.Deciders.ToList();
                        if (s.AnyShadow)
                            Emit(FindingSeverity.High, FindingKind.Shadowing, rule, deciders, null, null,
                                FirewallText.Count("Explain_Shadowed", deciders.Count, rule.Id, Ids(deciders), deciders.Count), Text.Format("Recommend_Shadowed", Ids(deciders)));
                        else
                            Emit(FindingSeverity.Low, FindingKind.Redundancy, rule, deciders, null, null,
                                Text.Format("Explain_RedundantUp", rule.Id, Ids(deciders), ActionWord(rule.Action)), Text.Get("Recommend_Redundant"));
                        continue;
                    }
                    if (s.Covered == 0 && s.DownRedundant == nonEmpty)
                    {
                        if (s.DownBy != null)
                            Emit(FindingSeverity.Low, FindingKind.Redundancy, rule, new[] { s.DownBy }, null, null,
                                Text.Format("Explain_RedundantDown", rule.Id, s.DownBy.Id, ActionWord(rule.Action)), Text.Get("Recommend_Redundant"));
                        else
                            Emit(FindingSeverity.Low, FindingKind.Redundancy, rule, Array.Empty<FirewallRule>(), null, null,
                                Text.Format("Explain_RedundantPolicy", rule.Id, s.PolicyChain, ActionWord(rule.Action)), Text.Get("Recommend_Redundant"));
                    }
                    if (s.Generalised.Count > 0)
                        Emit(FindingSeverity.Info, FindingKind.Generalisation, rule, s.Generalised, null, null,
                            FirewallText.Count("Explain_Generalisation", s.Generalised.Count, rule.Id, s.Generalised.Count, Ids(s.Generalised)), Text.Get("Recommend_Generalisation"));
                    if (s.Correlated.Count > 0)
                        Emit(FindingSeverity.Low, FindingKind.Correlation, rule, s.Correlated, null, null,
                            FirewallText.Count("Explain_Correlation", s.Correlated.Count, rule.Id, s.Correlated.Count, Ids(s.Correlated)), Text.Get("Recommend_Correlation"));
                }
            }
            foreach (var rule in _set.DisabledRules)
                Emit(FindingSeverity.Info, FindingKind.DisabledRule, rule, Array.Empty<FirewallRule>(), null, null,
                    Text.Format("Explain_Disabled", rule.Id, rule.Comment ?? rule.Text), Text.Get("Recommend_Disabled"));
            foreach (var rule in _set.InactiveRules)
            {
                var profiles = rule.Profiles ?? "";
                Emit(FindingSeverity.Info, FindingKind.OtherProfileRule, rule, Array.Empty<FirewallRule>(), null, null,
                    Text.Format("Explain_OtherProfile", rule.Id, rule.Comment ?? rule.Text, profiles, _set.Profile),
                    Text.Format("Recommend_OtherProfile", profiles.Split(',')[0].Trim()));
            }
        }

        private void EmitPolicyFindings()
        {
            var anyAnySeen = new HashSet<FirewallRule>();
            foreach (var (rule, restricted) in _anyAny)
            {
                if (!anyAnySeen.Add(rule)) continue;
                if (_states.TryGetValue(rule, out var s) && s.Covered == s.Copies - s.Empty) continue;
                Emit(restricted ? FindingSeverity.Medium : FindingSeverity.High, FindingKind.AnyToAnyAccept, rule, Array.Empty<FirewallRule>(), null, null,
                    Text.Format("Explain_AnyAny", rule.Id), Text.Get("Recommend_AnyAny"));
            }
            var seen = new HashSet<string>();
            foreach (var (rule, service, anySource, kind, maybe) in _exposures)
            {
                if (!seen.Add(rule.Id + "|" + rule.Source + "|" + service.Port + "|" + kind)) continue;
                var proto = Protocols.ProtocolName(service.Protocol);
                var related = maybe == null ? Array.Empty<FirewallRule>() : new[] { maybe };
                var note = maybe == null ? "" : " " + Text.Format("Explain_MaybeEarlier", maybe.Id);
                if (kind == FindingKind.AdminServiceExposed)
                    Emit(service.Severity, kind, rule, related, null, null,
                        Text.Format("Explain_Admin", rule.Id, service.Name, service.Port, proto) + note, Text.Get("Recommend_Admin"));
                else
                    Emit(anySource ? service.Severity : FindingSeverity.Low, kind, rule, related, null, null,
                        Text.Format(anySource ? "Explain_ClearAny" : "Explain_Clear", rule.Id, service.Name, service.Port, proto) + note, Text.Format("Recommend_Clear", service.Secure));
            }
            var trustSeen = new HashSet<FirewallRule>();
            foreach (var (rule, sports, dports, protocols) in _sourcePortTrust)
            {
                if (!trustSeen.Add(rule)) continue;
                if (_states.TryGetValue(rule, out var s) && s.Covered == s.Copies - s.Empty) continue;
                Emit(FindingSeverity.Medium, FindingKind.SourcePortTrust, rule, Array.Empty<FirewallRule>(), null, null,
                    Text.Format("Explain_SourcePortTrust", rule.Id, Protocols.FormatProtocols(protocols.Intersect(Protocols.PortProtocols)),
                        Addresses.FormatNumbers(sports, Protocols.PortMax), Addresses.FormatNumbers(dports, Protocols.PortMax)),
                    Text.Get("Recommend_SourcePortTrust"));
            }
            foreach (var (chain, family) in _openPolicies)
                Emit(chain.Hook == ChainHook.Input ? FindingSeverity.Medium : FindingSeverity.High, FindingKind.DefaultAcceptPolicy, null, Array.Empty<FirewallRule>(), chain.Key, chain.Source.ToString(),
                    Text.Format("Explain_DefaultAccept", chain.Key, family), Text.Get("Recommend_DefaultAccept"));
            if (_set.Format == RuleSetFormat.IptablesSave || _set.Format == RuleSetFormat.NftJson || _set.Format == RuleSetFormat.NftText)
            {
                if (!_defaultDeny.ContainsKey((ChainHook.Input, IpFamily.Ipv4)) && !_defaultDeny.ContainsKey((ChainHook.Input, IpFamily.Ipv6)))
                    Emit(FindingSeverity.High, FindingKind.DefaultAcceptPolicy, null, Array.Empty<FirewallRule>(), ChainHook.Input.ToString(), _set.SourcePath,
                        Text.Get("Explain_NoFiltering"), Text.Get("Recommend_DefaultAccept"));
                bool ipv6NotCovered = false;
                foreach (var hook in new[] { ChainHook.Input, ChainHook.Forward })
                {
                    _defaultDeny.TryGetValue((hook, IpFamily.Ipv4), out var v4);
                    _defaultDeny.TryGetValue((hook, IpFamily.Ipv6), out var v6);
                    bool v4Closed = v4 != null && v4.Any(x => x);
                    bool v6Closed = v6 != null && v6.Any(x => x);
                    // An iptables-save file without any ip6tables part (rules.v4, /etc/sysconfig/iptables) says nothing of IPv6: the ip6tables rules are elsewhere.
                    if (v4Closed && v6 == null && _set.Format == RuleSetFormat.IptablesSave && !_set.Chains.Any(c => c.Family == "ip6")
                        && _set.SourcePath != FirewallLiveReader.IptablesSource)
                    {
                        if (!ipv6NotCovered)
                            Emit(FindingSeverity.Info, FindingKind.Ipv6NotCovered, null, Array.Empty<FirewallRule>(), hook.ToString(), _set.SourcePath,
                                Text.Get("Explain_Ipv6NotCovered"), Text.Get("Recommend_Ipv6NotCovered"));
                        ipv6NotCovered = true;
                        continue;
                    }
                    if (v4Closed && !v6Closed)
                        Emit(FindingSeverity.High, FindingKind.Ipv6Unfiltered, null, Array.Empty<FirewallRule>(), hook.ToString(), _set.SourcePath,
                            Text.Format(v6 == null ? "Explain_Ipv6Missing" : "Explain_Ipv6Open", hook), Text.Get("Recommend_Ipv6"));
                }
            }
        }

        /// <summary>Chains reached from some base chain (of any type) through jumps and gotos.</summary>
        private HashSet<FirewallChain> ReachableChains()
        {
            var reached = new HashSet<FirewallChain>();
            var queue = new Queue<FirewallChain>(_set.Chains.Where(c => c.IsBase));
            foreach (var c in queue) reached.Add(c);
            while (queue.Count > 0)
            {
                var c = queue.Dequeue();
                foreach (var r in c.Rules)
                {
                    if ((r.Action != RuleAction.Jump && r.Action != RuleAction.Goto) || r.Target == null) continue;
                    var t = _set.FindChain(r.Family, r.Table, r.Target);
                    if (t != null && reached.Add(t)) queue.Enqueue(t);
                }
            }
            return reached;
        }
    }
}
