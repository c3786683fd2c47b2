using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Xml;
using System.Xml.Linq;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools.Engine.Firewall.Parsers
{
    /// <summary>
    /// Reads pfSense and OPNsense config.xml: interfaces and their networks, aliases (nested, with
    /// loop detection), filter rules per interface, floating rules (quick or last-match), disabled
    /// rules. pf's semantics become first-match chains: quick floating rules, then the interface's
    /// rules, then the non-quick floating rules in reverse order, then the default block.
    /// DTDs and entities are refused (no entity expansion, no external fetch).
    /// </summary>
    public static class PfSenseParser
    {
        private sealed class Alias
        {
            public string Name = "";
            public string Type = "";
            public List<string> Entries = new List<string>();
            public int Line;
        }

        private sealed class Resolved
        {
            public readonly List<Interval> V4 = new List<Interval>();
            public readonly List<Interval> V6 = new List<Interval>();
            public readonly List<Interval> Ports = new List<Interval>();
            public readonly List<string> Unresolved = new List<string>();
        }

        private sealed class Context
        {
            public string File = "";
            public readonly Dictionary<string, Alias> Aliases = new Dictionary<string, Alias>(StringComparer.OrdinalIgnoreCase);
            public readonly Dictionary<string, (string? v4, string? v6, string? addr4, string? addr6)> Interfaces = new Dictionary<string, (string?, string?, string?, string?)>(StringComparer.OrdinalIgnoreCase);
        }

        public static FirewallRuleSet Parse(string text, string file, CancellationToken ct)
        {
            var doc = Load(text, file);
            var root = doc.Root!;
            var format = root.Name.LocalName == "opnsense" ? RuleSetFormat.OpnSense : RuleSetFormat.PfSense;
            if (root.Name.LocalName != "pfsense" && root.Name.LocalName != "opnsense")
                throw FirewallErrors.Parse(file, LineOf(root), 0, IptablesSaveParser.Reason("Reason_PfRoot", root.Name.LocalName));
            var set = new FirewallRuleSet(Path.GetFileName(file), format, file);
            var ctx = new Context { File = file };
            ReadInterfaces(ctx, root, set);
            ReadAliases(ctx, root);

            var rules = root.Element("filter")?.Elements("rule").ToList() ?? new List<XElement>();
            var parsed = new List<(XElement Xml, int Index, string Action, List<string> Interfaces, bool Floating, bool Quick, string Direction, bool Disabled)>();
            for (int i = 0; i < rules.Count; i++)
            {
                var r = rules[i];
                var type = (Text(r, "type") ?? "pass").ToLowerInvariant();
                var ifaces = (Text(r, "interface") ?? "").Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim().ToLowerInvariant()).ToList();
                bool floating = string.Equals(Text(r, "floating"), "yes", StringComparison.OrdinalIgnoreCase);
                bool quick = !floating || r.Element("quick") != null && Text(r, "quick") != "0" && Text(r, "quick") != "no";
                var direction = (Text(r, "direction") ?? (floating ? "any" : "in")).ToLowerInvariant();
                bool disabled = Enabled(r, "disabled");
                parsed.Add((r, i, type, ifaces, floating, quick, direction, disabled));
            }

            var interfaceNames = ctx.Interfaces.Keys.ToList();
            foreach (var p in parsed) foreach (var f in p.Interfaces) if (!interfaceNames.Contains(f, StringComparer.OrdinalIgnoreCase)) interfaceNames.Add(f);
            foreach (var iface in interfaceNames)
            {
                ct.ThrowIfCancellationRequested();
                foreach (var outbound in new[] { false, true })
                {
                    bool DirectionFits(string d) => d == "any" || (outbound ? d == "out" : d == "in");
                    var applicable = parsed.Where(p => !p.Disabled && p.Interfaces.Contains(iface, StringComparer.OrdinalIgnoreCase) && DirectionFits(p.Direction)).ToList();
                    if (outbound && applicable.Count == 0) continue;
                    var ordered = applicable.Where(p => p.Floating && p.Quick)
                        .Concat(applicable.Where(p => !p.Floating))
                        .Concat(applicable.Where(p => p.Floating && !p.Quick).Reverse()).ToList();
                    var chainName = (outbound ? "out:" : "in:") + iface;
                    var chain = new FirewallChain("inet", "filter", chainName, outbound ? ChainHook.Outbound : ChainHook.Inbound, 0,
                        outbound ? RuleAction.Accept : RuleAction.Drop, new SourceLocation(file, LineOf(root.Element("filter") ?? root), 0, "filter (default)"), "filter", iface);
                    foreach (var p in ordered) chain.Rules.Add(BuildRule(ctx, p.Xml, p.Index, p.Action, chainName, chain.Rules.Count + 1, p.Quick, false));
                    set.Chains.Add(chain);
                }
            }
            foreach (var p in parsed.Where(p => p.Disabled))
                set.DisabledRules.Add(BuildRule(ctx, p.Xml, p.Index, p.Action, p.Interfaces.Count > 0 ? "in:" + p.Interfaces[0] : "in:?", p.Index + 1, p.Quick, true));
            ReadNat(ctx, root, set, rules, ct);
            if (root.Element("interfaces")?.Elements().Any(e => e.Element("blockpriv") != null || e.Element("blockbogons") != null) == true)
                set.Warnings.Add(IptablesSaveParser.Reason("Warning_PfImplicit"));
            return set;
        }

        private static XDocument Load(string text, string file)
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersFromEntities = 0,
                IgnoreComments = true,
            };
            try
            {
                using (var sr = new StringReader(text))
                using (var reader = XmlReader.Create(sr, settings))
                {
                    return XDocument.Load(reader, LoadOptions.SetLineInfo);
                }
            }
            catch (XmlException e)
            {
                var where = FirewallErrors.Location(file, e.LineNumber, e.LinePosition);
                if (e.Message.IndexOf("DTD", StringComparison.OrdinalIgnoreCase) >= 0)
                    throw FirewallErrors.Specific("FirewallDtdProhibited", TssrErrorCategory.SecurityError, where, "Error_Dtd", "Action_Dtd", where);
                throw FirewallErrors.Parse(file, e.LineNumber, e.LinePosition, e.Message);
            }
        }

        private static int LineOf(XObject x) => x is IXmlLineInfo li && li.HasLineInfo() ? li.LineNumber : 0;

        private static string? Text(XElement e, string name)
        {
            var c = e.Element(name);
            return c == null ? null : c.Value.Trim();
        }

        private static void ReadInterfaces(Context ctx, XElement root, FirewallRuleSet set)
        {
            var interfaces = root.Element("interfaces");
            if (interfaces == null) return;
            foreach (var i in interfaces.Elements())
            {
                var key = i.Name.LocalName.ToLowerInvariant();
                string? net4 = null, net6 = null, a4 = null, a6 = null;
                var ip = Text(i, "ipaddr");
                var sub = Text(i, "subnet");
                if (ip != null && Addresses.TryParseAddress(ip, out var f, out _) && f == IpFamily.Ipv4)
                {
                    a4 = ip;
                    net4 = ip + "/" + (string.IsNullOrEmpty(sub) ? "32" : sub);
                }
                var ip6 = Text(i, "ipaddrv6");
                var sub6 = Text(i, "subnetv6");
                if (ip6 != null && Addresses.TryParseAddress(ip6, out var f6, out _) && f6 == IpFamily.Ipv6)
                {
                    a6 = ip6;
                    net6 = ip6 + "/" + (string.IsNullOrEmpty(sub6) ? "128" : sub6);
                }
                ctx.Interfaces[key] = (net4, net6, a4, a6);
                if (net4 != null) set.InterfaceNetworks[key] = net4;
                if (key.StartsWith("wan", StringComparison.Ordinal) || !string.IsNullOrEmpty(Text(i, "gateway")) || i.Element("blockpriv") != null || i.Element("blockbogons") != null)
                    set.UpstreamInterfaces.Add(key);
            }
        }

        private static void ReadAliases(Context ctx, XElement root)
        {
            var legacy = root.Element("aliases")?.Elements("alias") ?? Enumerable.Empty<XElement>();
            var mvc = root.Element("OPNsense")?.Element("Firewall")?.Element("Alias")?.Element("aliases")?.Elements("alias") ?? Enumerable.Empty<XElement>();
            foreach (var a in legacy.Concat(mvc))
            {
                var name = Text(a, "name");
                if (string.IsNullOrEmpty(name)) continue;
                var content = Text(a, "address") ?? Text(a, "content") ?? "";
                var alias = new Alias
                {
                    Name = name!,
                    Type = (Text(a, "type") ?? "host").ToLowerInvariant(),
                    Entries = content.Split(new[] { ' ', '\n', '\r', '\t', ',' }, StringSplitOptions.RemoveEmptyEntries).ToList(),
                    Line = LineOf(a),
                };
                if (Text(a, "enabled") == "0") alias.Entries.Clear();
                ctx.Aliases[alias.Name] = alias;
            }
        }

        /// <summary>Expands an alias (and the aliases it names) into addresses or ports; refuses loops.</summary>
        private static void Resolve(Context ctx, string entry, Resolved into, Stack<string> stack, bool ports)
        {
            if (ctx.Aliases.TryGetValue(entry, out var alias))
            {
                if (stack.Contains(alias.Name, StringComparer.OrdinalIgnoreCase))
                {
                    var cycle = string.Join(" -> ", stack.Reverse().Concat(new[] { alias.Name }));
                    var where = FirewallErrors.Location(ctx.File, alias.Line);
                    throw FirewallErrors.Specific("FirewallAliasLoop", TssrErrorCategory.InvalidData, where, "Error_AliasLoop", "Action_AliasLoop", where, cycle);
                }
                if (stack.Count > 64) { into.Unresolved.Add(entry); return; }
                if (alias.Type != "host" && alias.Type != "network" && alias.Type != "port" && alias.Type != "networkgroup")
                {
                    into.Unresolved.Add("alias " + alias.Name + " (" + alias.Type + ")");
                    return;
                }
                stack.Push(alias.Name);
                foreach (var e in alias.Entries) Resolve(ctx, e, into, stack, ports);
                stack.Pop();
                return;
            }
            if (ports)
            {
                if (Protocols.TryParsePortRange(entry, out var range)) into.Ports.Add(range);
                else into.Unresolved.Add(entry);
                return;
            }
            if (Addresses.TryParseNetwork(entry, out var fam, out var interval))
            {
                (fam == IpFamily.Ipv4 ? into.V4 : into.V6).Add(interval);
                return;
            }
            into.Unresolved.Add(entry);
        }

        /// <summary>Family, protocol, ICMP type, source and destination (with ports) of a filter or NAT rule.</summary>
        private static PacketMatch.Builder BuildMatch(Context ctx, XElement r, out string proto, out bool hasPorts)
        {
            var m = new PacketMatch.Builder();
            var ipproto = Text(r, "ipprotocol") ?? "inet";
            m.OnlyFamilies(ipproto == "inet6" ? FamilySet.Ipv6 : ipproto == "inet46" ? FamilySet.Both : FamilySet.Ipv4);
            proto = (Text(r, "protocol") ?? "").ToLowerInvariant();
            hasPorts = false;
            if (proto.Length > 0 && proto != "any")
            {
                var list = new List<Interval>();
                foreach (var p in proto.Split('/'))
                {
                    if (!Protocols.TryParseProtocol(p, out var n)) { m.NotAnalysed("protocol " + proto); list.Clear(); break; }
                    list.Add(new Interval((ulong)n, (ulong)n));
                    if (n == Protocols.Tcp || n == Protocols.Udp) hasPorts = true;
                }
                if (list.Count > 0) m.Protocols(IntervalSet.From(list));
            }
            var icmp = Text(r, "icmptype");
            if (!string.IsNullOrEmpty(icmp) && icmp != "any" && (proto == "icmp" || proto == "ipv6-icmp"))
            {
                var types = new List<Interval>();
                foreach (var t in icmp!.Split(','))
                {
                    if (Protocols.TryParseIcmpType(t.Replace("echoreq", "echo-request").Replace("echorep", "echo-reply").Replace("unreach", "destination-unreachable"), proto != "icmp", out var n)) types.Add(new Interval((ulong)n, (ulong)n));
                    else { m.NotAnalysed("icmptype " + icmp); types.Clear(); break; }
                }
                if (types.Count > 0) m.IcmpTypes(IntervalSet.From(types));
            }
            Endpoint(ctx, r.Element("source"), m, true, hasPorts);
            Endpoint(ctx, r.Element("destination"), m, false, hasPorts);
            return m;
        }

        private static FirewallRule BuildRule(Context ctx, XElement r, int index, string type, string chain, int number, bool quick, bool disabled)
        {
            var m = BuildMatch(ctx, r, out var proto, out _);
            foreach (var unsupported in new[] { "os", "tagged", "sched", "tcpflags1", "tcpflags2" })
            {
                var v = Text(r, unsupported);
                if (!string.IsNullOrEmpty(v)) m.NotAnalysed(unsupported + " " + v);
            }
            var action = type == "block" ? RuleAction.Drop : type == "reject" ? RuleAction.Reject : type == "pass" ? RuleAction.Accept : RuleAction.Unknown;
            var descr = Text(r, "descr");
            var tracker = Text(r, "tracker");
            var path = "filter/rule[" + (index + 1).ToString(CultureInfo.InvariantCulture) + "]" + (string.IsNullOrEmpty(tracker) ? "" : " tracker " + tracker);
            var summary = type + (quick ? " quick" : "") + " " + (string.IsNullOrEmpty(proto) ? "any" : proto) + " from " + Describe(r.Element("source")) + " to " + Describe(r.Element("destination"));
            return new FirewallRule("inet", "filter", chain, number, action, action == RuleAction.Unknown ? type : null, m.Build(),
                new SourceLocation(ctx.File, LineOf(r), 0, path), summary, string.IsNullOrEmpty(descr) ? null : descr, disabled, quick: quick);
        }

        // ---- NAT ------------------------------------------------------------------------------------

        /// <summary>
        /// Port forwards (nat/rule) become prerouting DNAT chains, one per interface ("rdr:wan"),
        /// first match as pf's rdr rules: the interface rules then see the translated destination.
        /// "no rdr" stops translation; the "Pass" filter rule association (rdr pass) passes the
        /// translated packet without the interface rules. 1:1 NAT, outbound NAT, NPt and NAT
        /// reflection are not modelled and are named in the warnings, never dropped silently.
        /// </summary>
        private static void ReadNat(Context ctx, XElement root, FirewallRuleSet set, List<XElement> filterRules, CancellationToken ct)
        {
            var nat = root.Element("nat");
            if (nat == null) return;
            var chains = new List<FirewallChain>();
            var forwards = nat.Elements("rule").ToList();
            var reflected = new List<string>();
            var defaulted = new List<string>();
            var systemReflection = SystemNatReflection(ctx, root);
            for (int i = 0; i < forwards.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var r = forwards[i];
                var ifaces = (Text(r, "interface") ?? "").Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(x => x.Trim().ToLowerInvariant()).Where(x => x.Length > 0).ToList();
                if (ifaces.Count == 0) ifaces.Add("wan"); // pfSense's default interface for a port forward
                if (Enabled(r, "disabled"))
                {
                    set.DisabledRules.Add(BuildForward(ctx, r, i, "rdr:" + ifaces[0], i + 1, true, filterRules));
                    continue;
                }
                var reflection = (Text(r, "natreflection") ?? "").Trim().ToLowerInvariant();
                if (!Enabled(r, "nordr"))
                {
                    // "enable" (NAT + proxy) and "purenat" turn reflection on, "disable" off; anything
                    // else ("Use system default": absent, empty, "default") follows <system>.
                    if (reflection == "enable" || reflection == "purenat") reflected.Add(FirewallErrors.Location(ctx.File, LineOf(r)));
                    else if (reflection != "disable" && systemReflection != null) defaulted.Add(FirewallErrors.Location(ctx.File, LineOf(r)));
                }
                foreach (var iface in ifaces)
                {
                    var name = "rdr:" + iface;
                    var chain = chains.FirstOrDefault(c => c.Name == name);
                    if (chain == null)
                    {
                        chain = new FirewallChain("inet", "nat", name, ChainHook.Prerouting, -100, RuleAction.Accept,
                            new SourceLocation(ctx.File, LineOf(nat), 0, "nat (port forwards)"), "nat", iface);
                        chains.Add(chain);
                    }
                    chain.Rules.Add(BuildForward(ctx, r, i, name, chain.Rules.Count + 1, false, filterRules));
                }
            }
            set.Chains.AddRange(chains);
            if (reflected.Count > 0)
                set.Warnings.Add(IptablesSaveParser.Reason("Warning_PfNatReflection", reflected.Count, string.Join(", ", reflected.Take(5)) + (reflected.Count > 5 ? ", ..." : "")));
            if (defaulted.Count > 0)
                set.Warnings.Add(IptablesSaveParser.Reason("Warning_PfNatReflectionDefault", defaulted.Count, string.Join(", ", defaulted.Take(5)) + (defaulted.Count > 5 ? ", ..." : ""), systemReflection));

            // What is not modelled is said, entry by kind, with where it is.
            var kinds = new List<(string Kind, List<XElement> Entries)>
            {
                ("NatKind_OneToOne", nat.Elements("onetoone").Where(e => !Enabled(e, "disabled")).ToList()),
                ("NatKind_Outbound", nat.Element("outbound")?.Elements("rule").Where(e => !Enabled(e, "disabled")).ToList() ?? new List<XElement>()),
                ("NatKind_Npt", nat.Elements("npt").Where(e => !Enabled(e, "disabled")).ToList()),
            };
            foreach (var (kind, entries) in kinds)
                if (entries.Count > 0)
                    set.Warnings.Add(FirewallText.Count("Warning_PfNatKind", entries.Count, entries.Count, FirewallErrors.Text.Get(kind), FirewallErrors.Location(ctx.File, LineOf(entries[0]))));
            foreach (var other in nat.Elements().Where(e => e.Name.LocalName != "rule" && e.Name.LocalName != "onetoone" && e.Name.LocalName != "outbound"
                && e.Name.LocalName != "npt" && e.Name.LocalName != "separator").GroupBy(e => e.Name.LocalName))
                set.Warnings.Add(IptablesSaveParser.Reason("Warning_PfNatUnknown", other.Key, FirewallErrors.Location(ctx.File, LineOf(other.First()))));
        }

        /// <summary>
        /// Whether port forwards left at "Use system default" get NAT reflection: null when they do
        /// not, otherwise where the system setting is (the &lt;system&gt; element, or the file). pfSense
        /// (filter.inc) reflects unless system/disablenatreflection is present, as its factory
        /// config.xml has it; OPNsense (Firewall\Plugin) unless that element has a value.
        /// </summary>
        private static string? SystemNatReflection(Context ctx, XElement root)
        {
            var system = root.Element("system");
            var flag = system?.Element("disablenatreflection");
            bool opnsense = root.Name.LocalName == "opnsense";
            if (flag != null && (!opnsense || flag.Value.Trim().Length > 0)) return null;
            return system == null ? ctx.File : FirewallErrors.Location(ctx.File, LineOf(system));
        }

        // A flag element present means set, as pfSense's isset() reads it; "0" or "no" (which
        // neither pfSense nor OPNsense writes) is read as not set, the same for every flag and rule kind.
        private static bool Enabled(XElement e, string flag)
        {
            var f = e.Element(flag);
            if (f == null) return false;
            var v = f.Value.Trim();
            return v != "0" && !v.Equals("no", StringComparison.OrdinalIgnoreCase);
        }

        private static FirewallRule BuildForward(Context ctx, XElement r, int index, string chain, int number, bool disabled, List<XElement> filterRules)
        {
            var m = BuildMatch(ctx, r, out var proto, out var hasPorts);
            bool nordr = Enabled(r, "nordr");
            var association = Text(r, "associated-rule-id") ?? "";
            bool pass = !nordr && association.Equals("pass", StringComparison.OrdinalIgnoreCase);
            string? to = nordr ? null : NatTarget(ctx, r, hasPorts);
            var target = Text(r, "target") ?? "";
            var local = Text(r, "local-port");
            var summary = "rdr" + (pass ? " pass" : "") + (nordr ? " (no rdr)" : "") + " " + (string.IsNullOrEmpty(proto) ? "any" : proto)
                + " from " + Describe(r.Element("source")) + " to " + Describe(r.Element("destination"))
                + (nordr ? "" : " -> " + target + (string.IsNullOrEmpty(local) || !hasPorts ? "" : " port " + local));
            if (!nordr && !pass && association.Length > 0)
            {
                // The filter rule association: the interface rule created with the port forward.
                var linked = filterRules.FirstOrDefault(f => string.Equals(Text(f, "associated-rule-id"), association, StringComparison.Ordinal));
                summary += linked == null ? " (associated filter rule " + association + " not found)" : " (associated filter rule at line " + LineOf(linked).ToString(CultureInfo.InvariantCulture) + ")";
            }
            var descr = Text(r, "descr");
            var path = "nat/rule[" + (index + 1).ToString(CultureInfo.InvariantCulture) + "]";
            var action = nordr || pass ? RuleAction.Accept : RuleAction.Unknown;
            return new FirewallRule("inet", "nat", chain, number, action, nordr ? null : "dnat", m.Build(),
                new SourceLocation(ctx.File, LineOf(r), 0, path), summary, string.IsNullOrEmpty(descr) ? null : descr, disabled, natDestination: to);
        }

        /// <summary>
        /// Where a port forward sends the packet, in the form the flow evaluator translates:
        /// "192.168.1.10", "192.168.1.10:443", "[2001:db8::10]:443", or a shifted range
        /// "192.168.1.10:1000-1010/8000" when the destination port is a range. A target alias of one
        /// host is resolved; anything else stays as written (the evaluator then says "not modelled").
        /// </summary>
        private static string? NatTarget(Context ctx, XElement r, bool hasPorts)
        {
            var target = Text(r, "target") ?? "";
            if (target.Length == 0) return null;
            var address = target;
            if (ctx.Aliases.ContainsKey(target))
            {
                var resolved = new Resolved();
                Resolve(ctx, target, resolved, new Stack<string>(), false);
                var all = resolved.V4.Select(v => (IpFamily.Ipv4, v)).Concat(resolved.V6.Select(v => (IpFamily.Ipv6, v))).ToList();
                if (resolved.Unresolved.Count == 0 && all.Count == 1 && all[0].Item2.Start == all[0].Item2.End)
                    address = Addresses.ToAddress(all[0].Item2.Start, all[0].Item1).ToString();
            }
            bool v6 = address.IndexOf(':') >= 0;
            var local = Text(r, "local-port");
            if (!hasPorts || string.IsNullOrEmpty(local)) return address;
            var head = v6 ? "[" + address + "]" : address;
            var destinationPort = r.Element("destination") is XElement d ? Text(d, "port") : null;
            int localPort;
            if (ctx.Aliases.ContainsKey(local!))
            {
                // A port alias as local port (pfSense filter.inc, OPNsense ForwardRule): the original
                // port is kept when it is also the destination port alias; otherwise every port goes
                // to the alias's first port, never shifted along a destination range.
                if (string.Equals(local, destinationPort, StringComparison.OrdinalIgnoreCase)) return address;
                var ports = new Resolved();
                Resolve(ctx, local!, ports, new Stack<string>(), true);
                if (ports.Unresolved.Count > 0 || ports.Ports.Count == 0 || ports.Ports[0].Start != ports.Ports[0].End) return head + ":" + local;
                return head + ":" + ports.Ports[0].Start.Low.ToString(CultureInfo.InvariantCulture);
            }
            else if (!Protocols.TryParsePort(local!, out localPort)) return head + ":" + local;
            var portText = localPort.ToString(CultureInfo.InvariantCulture);
            // A literal destination port range maps one to one onto the local ports from local-port.
            if (!string.IsNullOrEmpty(destinationPort) && !ctx.Aliases.ContainsKey(destinationPort!)
                && Protocols.TryParsePortRange(destinationPort!, out var range) && range.Start != range.End)
            {
                var last = localPort + (long)(range.End.Low - range.Start.Low);
                return head + ":" + portText + "-" + Math.Min(65535, last).ToString(CultureInfo.InvariantCulture) + "/" + range.Start.Low.ToString(CultureInfo.InvariantCulture);
            }
            return head + ":" + portText;
        }

        private static string Describe(XElement? e)
        {
            if (e == null || e.Element("any") != null) return "any" + Port(e);
            var not = e.Element("not") != null ? "!" : "";
            return not + (Text(e, "address") ?? Text(e, "network") ?? "any") + Port(e);
        }

        private static string Port(XElement? e)
        {
            var p = e == null ? null : Text(e, "port");
            return string.IsNullOrEmpty(p) ? "" : " port " + p;
        }

        private static void Endpoint(Context ctx, XElement? e, PacketMatch.Builder m, bool source, bool hasPorts)
        {
            if (e == null) return;
            bool not = e.Element("not") != null;
            var resolved = new Resolved();
            bool any = e.Element("any") != null;
            var address = Text(e, "address");
            var network = Text(e, "network");
            if (!any && !string.IsNullOrEmpty(address)) Resolve(ctx, address!, resolved, new Stack<string>(), false);
            else if (!any && !string.IsNullOrEmpty(network)) Network(ctx, network!, resolved);
            else any = true;
            if (!any)
            {
                if (resolved.Unresolved.Count > 0)
                    m.NotAnalysed((source ? "source " : "destination ") + (not ? "not " : "") + string.Join(" ", resolved.Unresolved));
                else if (source) m.SourceAnyFamily(IntervalSet.From(resolved.V4), IntervalSet.From(resolved.V6), not);
                else m.DestinationAnyFamily(IntervalSet.From(resolved.V4), IntervalSet.From(resolved.V6), not);
            }
            var port = Text(e, "port");
            if (!string.IsNullOrEmpty(port) && hasPorts)
            {
                var pr = new Resolved();
                Resolve(ctx, port!, pr, new Stack<string>(), true);
                if (pr.Unresolved.Count > 0) m.NotAnalysed((source ? "source port " : "destination port ") + string.Join(" ", pr.Unresolved));
                else if (source) m.SourcePorts(IntervalSet.From(pr.Ports));
                else m.DestinationPorts(IntervalSet.From(pr.Ports));
            }
        }

        private static void Network(Context ctx, string network, Resolved into)
        {
            var n = network.ToLowerInvariant();
            if (n == "(self)")
            {
                foreach (var i in ctx.Interfaces.Values)
                {
                    if (i.addr4 != null) Resolve(ctx, i.addr4, into, new Stack<string>(), false);
                    if (i.addr6 != null) Resolve(ctx, i.addr6, into, new Stack<string>(), false);
                }
                return;
            }
            bool ipOnly = n.EndsWith("ip", StringComparison.Ordinal) && ctx.Interfaces.ContainsKey(n.Substring(0, n.Length - 2));
            var key = ipOnly ? n.Substring(0, n.Length - 2) : n;
            if (ctx.Interfaces.TryGetValue(key, out var iface))
            {
                var v4 = ipOnly ? iface.addr4 : iface.v4;
                var v6 = ipOnly ? iface.addr6 : iface.v6;
                if (v4 == null && v6 == null) { into.Unresolved.Add(network + " (dynamic address)"); return; }
                if (v4 != null) Resolve(ctx, v4, into, new Stack<string>(), false);
                if (v6 != null) Resolve(ctx, v6, into, new Stack<string>(), false);
                return;
            }
            Resolve(ctx, network, into, new Stack<string>(), false);
        }
    }
}
