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
                bool disabled = r.Element("disabled") != null && Text(r, "disabled") != "0";
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

        private static FirewallRule BuildRule(Context ctx, XElement r, int index, string type, string chain, int number, bool quick, bool disabled)
        {
            var m = new PacketMatch.Builder();
            var ipproto = Text(r, "ipprotocol") ?? "inet";
            m.OnlyFamilies(ipproto == "inet6" ? FamilySet.Ipv6 : ipproto == "inet46" ? FamilySet.Both : FamilySet.Ipv4);
            var proto = (Text(r, "protocol") ?? "").ToLowerInvariant();
            bool hasPorts = false;
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
