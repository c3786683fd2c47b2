using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools.Engine.Firewall.Parsers
{
    /// <summary>
    /// Reads "nft -j list ruleset": tables of the inet, ip and ip6 families (others are listed as
    /// warnings), base and user chains with hook, priority and policy, named and anonymous sets,
    /// verdict maps, jump/goto/return. Expressions it does not model stay on the rule, verbatim,
    /// as "not analysed".
    /// </summary>
    public static class NftJsonParser
    {
        private enum Field { None, Family, Protocol, Source, Destination, SourcePort, DestinationPort, IcmpType, State, InInterface, OutInterface, TcpFlags, Concat }

        private sealed class NamedSet
        {
            public string Type = "";
            public readonly List<JsonNode> Elements = new List<JsonNode>();
        }

        private sealed class Context
        {
            public string File = "";
            public readonly Dictionary<string, NamedSet> Sets = new Dictionary<string, NamedSet>(StringComparer.Ordinal);
            public readonly Dictionary<string, FirewallChain> Chains = new Dictionary<string, FirewallChain>(StringComparer.Ordinal);
            public FirewallRuleSet Set = null!;
            /// <summary>Read from "nft list ruleset" text: locations are lines, rules keep their own text.</summary>
            public bool Text;
        }

        private static readonly HashSet<string> Families = new HashSet<string>(StringComparer.Ordinal) { "ip", "ip6", "inet" };

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        public static FirewallRuleSet Parse(string text, string file, CancellationToken ct)
        {
            var root = JsonReader.Parse(text, file);
            return ParseTree(root, file, RuleSetFormat.NftJson, false, ct);
        }

        /// <summary>Reads the JSON tree of a rule set, from nft -j or translated from nft's text by <see cref="NftTextParser"/>.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        internal static FirewallRuleSet ParseTree(JsonNode root, string file, RuleSetFormat format, bool fromText, CancellationToken ct)
        {
            var ctx = new Context { File = file, Text = fromText, Set = new FirewallRuleSet(System.IO.Path.GetFileName(file), format, file) };
            if (!(root is JsonObject obj) || !(obj["nftables"] is JsonArray items))
                throw FirewallErrors.Parse(root.File ?? ctx.File, root.Line, root.Column, IptablesSaveParser.Reason("Reason_NftRoot"));

            // Sets and chains first: rules may name them before they appear.
            for (int index = 0; index < items.Items.Count; index++)
            {
                if (!(items.Items[index] is JsonObject item) || item.Members.Count != 1)
                    throw FirewallErrors.Parse(items.Items[index].File ?? ctx.File, items.Items[index].Line, items.Items[index].Column, IptablesSaveParser.Reason("Reason_NftItem"));
                var kind = item.Members[0].Key;
                var body = item.Members[0].Value as JsonObject;
                if (kind == "metainfo" || kind == "table") continue;
                if (body == null) throw FirewallErrors.Parse(item.File ?? ctx.File, item.Line, item.Column, IptablesSaveParser.Reason("Reason_NftItem"));
                var family = Str(body, "family") ?? "";
                if (kind == "chain" || kind == "set" || kind == "map" || kind == "rule")
                {
                    if (!Families.Contains(family))
                    {
                        if (kind == "chain") ctx.Set.Warnings.Add(IptablesSaveParser.Reason("Warning_NftFamily", family, Location(ctx, body)));
                        continue;
                    }
                }
                if (kind == "set" || kind == "map")
                {
                    var name = Required(ctx, body, "name");
                    var set = new NamedSet { Type = body["type"] is JsonValue tv ? tv.AsString ?? "" : "concat" };
                    if (kind == "map") set.Type = "map";
                    if (body["elem"] is JsonArray elems) set.Elements.AddRange(elems.Items);
                    ctx.Sets[family + " " + Required(ctx, body, "table") + " " + name] = set;
                }
                else if (kind == "chain")
                {
                    var table = Required(ctx, body, "table");
                    var name = Required(ctx, body, "name");
                    var hookName = Str(body, "hook");
                    var hook = ChainHook.None;
                    if (hookName != null && !TryHook(hookName, out hook))
                        ctx.Set.Warnings.Add(IptablesSaveParser.Reason("Warning_NftHook", hookName, Location(ctx, body)));
                    RuleAction? policy = null;
                    if (hook != ChainHook.None)
                    {
                        var p = Str(body, "policy") ?? "accept";
                        policy = p == "drop" ? RuleAction.Drop : RuleAction.Accept;
                    }
                    int prio = body["prio"] is JsonValue pv && pv.Value is long l ? (int)Math.Max(int.MinValue, Math.Min(int.MaxValue, l)) : 0;
                    var chain = new FirewallChain(family, table, name, hook, prio, policy, Loc(ctx, body, index), Str(body, "type") ?? "filter");
                    var key = family + " " + table + " " + name;
                    if (ctx.Chains.ContainsKey(key)) throw FirewallErrors.Parse(body.File ?? ctx.File, body.Line, body.Column, IptablesSaveParser.Reason("Reason_DuplicateChain", name));
                    ctx.Chains[key] = chain;
                    ctx.Set.Chains.Add(chain);
                }
                else if (kind != "rule" && kind != "element" && kind != "flowtable" && kind != "counter" && kind != "quota" && kind != "ct helper" && kind != "limit" && kind != "ct timeout" && kind != "ct expectation" && kind != "secmark" && kind != "synproxy")
                {
                    ctx.Set.Warnings.Add(IptablesSaveParser.Reason("Warning_NftUnknownKey", kind, Location(ctx, body)));
                }
            }

            for (int index = 0; index < items.Items.Count; index++)
            {
                if ((index & 255) == 0) ct.ThrowIfCancellationRequested();
                var item = (JsonObject)items.Items[index];
                if (item.Members[0].Key != "rule") continue;
                if (!(item.Members[0].Value is JsonObject body)) throw FirewallErrors.Parse(item.File ?? ctx.File, item.Line, item.Column, IptablesSaveParser.Reason("Reason_NftItem"));
                var family = Str(body, "family") ?? "";
                if (!Families.Contains(family)) continue;
                var table = Required(ctx, body, "table");
                var chainName = Required(ctx, body, "chain");
                if (!ctx.Chains.TryGetValue(family + " " + table + " " + chainName, out var chain))
                    throw FirewallErrors.Parse(body.File ?? ctx.File, body.Line, body.Column, IptablesSaveParser.Reason("Reason_UnknownChain", chainName));
                if (!(body["expr"] is JsonArray expr)) throw FirewallErrors.Parse(body.File ?? ctx.File, body.Line, body.Column, IptablesSaveParser.Reason("Reason_NftMissing", "expr"));
                foreach (var rule in ParseRule(ctx, family, table, chain, body, expr, index)) chain.Rules.Add(rule);
            }
            return ctx.Set;
        }

        private static bool TryHook(string name, out ChainHook hook)
        {
            switch (name)
            {
                case "prerouting": hook = ChainHook.Prerouting; return true;
                case "input": hook = ChainHook.Input; return true;
                case "forward": hook = ChainHook.Forward; return true;
                case "output": hook = ChainHook.Output; return true;
                case "postrouting": hook = ChainHook.Postrouting; return true;
                default: hook = ChainHook.None; return false;
            }
        }

        private static string? Str(JsonObject o, string key) => o[key] is JsonValue v ? v.AsString : null;

        private static string Required(Context ctx, JsonObject o, string key)
            => Str(o, key) ?? throw FirewallErrors.Parse(o.File ?? ctx.File, o.Line, o.Column, IptablesSaveParser.Reason("Reason_NftMissing", key));

        private static string Location(Context ctx, JsonNode n) => FirewallErrors.Location(n.File ?? ctx.File, n.Line, n.Column);

        private static SourceLocation Loc(Context ctx, JsonObject body, int index)
        {
            if (ctx.Text) return new SourceLocation(body.File ?? ctx.File, body.Line, body.Column);
            var handle = body["handle"] is JsonValue h ? " handle " + h.AsString : "";
            return new SourceLocation(ctx.File, body.Line, body.Column, "nftables[" + index.ToString(CultureInfo.InvariantCulture) + "]" + handle);
        }

        private static IEnumerable<FirewallRule> ParseRule(Context ctx, string family, string table, FirewallChain chain, JsonObject body, JsonArray expr, int index)
        {
            var m = new PacketMatch.Builder();
            if (family == "ip") m.OnlyFamilies(FamilySet.Ipv4);
            else if (family == "ip6") m.OnlyFamilies(FamilySet.Ipv6);
            var text = new List<string>();
            RuleAction action = RuleAction.Continue;
            string? target = null;
            JsonObject? vmap = null;
            string? natTo = null;
            // "dnat to tcp dport map { 80 : 10.0.2.100 . 80 }": the map's keys guard the rule (a packet no key matches is not translated, the rule does not match).
            (JsonNode Key, JsonNode Data, string? Address)? natMap = null;
            // Matches on a set of concatenations: each is a choice among elements (one part of the rule per element).
            var choices = new List<List<(PacketMatch Match, string Element)>>();
            foreach (var node in expr.Items)
            {
                if (!(node is JsonObject stmt) || stmt.Members.Count != 1)
                {
                    var raw = Render(node);
                    m.NotAnalysed(raw);
                    // A verdict map the reader could not model decides the packet in a way it does not know: never skip it.
                    if (node is JsonValue rawValue && (" " + rawValue.AsString + " ").IndexOf(" vmap ", StringComparison.Ordinal) >= 0)
                    {
                        action = RuleAction.Unknown; target = "vmap";
                    }
                    continue;
                }
                var key = stmt.Members[0].Key;
                var value = stmt.Members[0].Value;
                switch (key)
                {
                    case "match":
                        if (value is JsonObject mo) { text.Add(RenderMatch(mo)); ApplyMatch(ctx, family, table, m, mo, choices); }
                        else m.NotAnalysed(Render(stmt));
                        break;
                    case "accept": action = RuleAction.Accept; text.Add("accept"); break;
                    case "drop": action = RuleAction.Drop; text.Add("drop"); break;
                    case "reject": action = RuleAction.Reject; text.Add("reject"); break;
                    case "return": action = RuleAction.Return; text.Add("return"); break;
                    case "continue": action = RuleAction.Continue; text.Add("continue"); break;
                    case "jump":
                    case "goto":
                        target = value is JsonObject jo ? Str(jo, "target") : null;
                        if (target == null || !ctx.Chains.ContainsKey(family + " " + table + " " + target))
                            throw FirewallErrors.Parse(stmt.File ?? ctx.File, stmt.Line, stmt.Column, IptablesSaveParser.Reason("Reason_UnknownChain", IptablesSaveParser.Shorten(target ?? "?")));
                        action = key == "jump" ? RuleAction.Jump : RuleAction.Goto;
                        text.Add(key + " " + target);
                        break;
                    case "vmap":
                        vmap = value as JsonObject;
                        text.Add(Render(stmt));
                        if (vmap == null) m.NotAnalysed(Render(stmt));
                        break;
                    case "counter": case "log": case "mangle": case "notrack": case "set": case "dup": case "flow": case "ct helper":
                        text.Add(key);
                        break;
                    case "queue": case "snat": case "dnat": case "masquerade": case "redirect": case "fwd": case "tproxy": case "synproxy":
                        action = RuleAction.Unknown; target = key; text.Add(key);
                        if (key == "dnat") { natTo = DnatTarget(value); natMap = DnatMap(value); }
                        break;
                    default:
                        // limit, quota, xt, ct count, meter... narrow what the rule matches in ways the
                        // analysis does not model: keep them visible.
                        text.Add(Render(stmt));
                        m.NotAnalysed(Render(stmt));
                        // An iptables-nft target (xt target) is a verdict the analysis does not know.
                        if (key == "xt" && value is JsonObject xo && Str(xo, "type") == "target") { action = RuleAction.Unknown; target = Str(xo, "name") ?? "xt"; }
                        break;
                }
            }
            var comment = Str(body, "comment");
            var loc = Loc(ctx, body, index);
            var joined = Str(body, "__text") ?? string.Join(" ", text);
            // The kernel numbers rules, not the parts a set of concatenations or a verdict map is read into.
            int number = chain.Rules.Count == 0 ? 1 : chain.Rules[chain.Rules.Count - 1].Number + 1;
            var parts = Combine(choices, m);
            if (vmap == null && natMap != null && NatMapElements(ctx, family, table, natMap.Value.Data) is List<JsonNode> natElements)
            {
                var nk = natMap.Value.Key;
                var nf = FieldOf(nk, out _);
                foreach (var part in parts)
                {
                    foreach (var element in natElements)
                    {
                        var em = new PacketMatch.Builder();
                        string? to = null;
                        string shown;
                        if (element is JsonArray pair && pair.Items.Count == 2 && nf != Field.None && nf != Field.TcpFlags)
                        {
                            bool understood = nf == Field.Concat
                                ? ApplyConcatElement(ctx, family, table, em, nk, pair.Items[0])
                                : ApplyField(ctx, family, table, em, nf, nk, new List<JsonNode> { pair.Items[0] }, false);
                            // An element the reader cannot read may match anything: it stays open (never skipped).
                            if (!understood) em.NotAnalysed(Render(pair.Items[0]));
                            to = NatMapValue(pair.Items[1], natMap.Value.Address);
                            shown = Render(pair.Items[0]) + " : " + Render(pair.Items[1]);
                        }
                        else
                        {
                            em.NotAnalysed(Render(element));
                            shown = Render(element);
                        }
                        yield return new FirewallRule(family, table, chain.Name, number, action, target, part.Match.Intersect(em.Build()), loc, joined, comment,
                            natDestination: to, element: part.Element == null ? shown : part.Element + ", " + shown);
                    }
                }
                yield break;
            }
            if (vmap == null)
            {
                foreach (var part in parts)
                    yield return new FirewallRule(family, table, chain.Name, number, action, target, part.Match, loc, joined, comment, natDestination: natTo, element: part.Element);
                yield break;
            }
            if (parts.Count != 1)
            {
                var many = new PacketMatch.Builder();
                many.NotAnalysed(joined);
                yield return new FirewallRule(family, table, chain.Name, number, RuleAction.Unknown, "vmap", m.Build().Intersect(many.Build()), loc, joined, comment);
                yield break;
            }
            // A verdict map is read as one part per element: "tcp dport vmap { 22 : accept, 80 : jump web }".
            var baseMatch = parts[0].Match;
            var keyField = vmap["key"];
            var data = vmap["data"];
            List<JsonNode>? elements = null;
            if (data is JsonObject dob && dob["set"] is JsonArray arr) elements = arr.Items;
            else if (data is JsonValue dv && dv.AsString is string s && s.StartsWith("@", StringComparison.Ordinal) && ctx.Sets.TryGetValue(family + " " + table + " " + s.Substring(1), out var named)) elements = named.Elements;
            var field = keyField == null ? Field.None : FieldOf(keyField, out _);
            if (elements == null || field == Field.None || field == Field.TcpFlags)
            {
                var fallback = new PacketMatch.Builder();
                fallback.NotAnalysed(Render(vmap));
                yield return new FirewallRule(family, table, chain.Name, number, RuleAction.Unknown, "vmap", baseMatch.Intersect(fallback.Build()), loc, joined, comment);
                yield break;
            }
            foreach (var element in elements)
            {
                if (!(element is JsonArray pair) || pair.Items.Count != 2 || !(pair.Items[1] is JsonObject verdict) || verdict.Members.Count != 1)
                {
                    var bad = new PacketMatch.Builder();
                    bad.NotAnalysed(Render(element));
                    yield return new FirewallRule(family, table, chain.Name, number, RuleAction.Unknown, "vmap", baseMatch.Intersect(bad.Build()), loc, joined, comment, element: Render(element));
                    continue;
                }
                var em = new PacketMatch.Builder();
                bool understood = field == Field.Concat
                    ? ApplyConcatElement(ctx, family, table, em, keyField!, pair.Items[0])
                    : ApplyField(ctx, family, table, em, field, keyField!, new List<JsonNode> { pair.Items[0] }, false);
                // An element the reader cannot read may match anything: it stays open (never skipped).
                if (!understood) em.NotAnalysed(Render(pair.Items[0]));
                var vkey = verdict.Members[0].Key;
                RuleAction va = RuleAction.Unknown;
                string? vt = null;
                switch (vkey)
                {
                    case "accept": va = RuleAction.Accept; break;
                    case "drop": va = RuleAction.Drop; break;
                    case "reject": va = RuleAction.Reject; break;
                    case "return": va = RuleAction.Return; break;
                    case "continue": va = RuleAction.Continue; break;
                    case "jump": case "goto":
                        vt = verdict.Members[0].Value is JsonObject vo ? Str(vo, "target") : null;
                        if (vt == null || !ctx.Chains.ContainsKey(family + " " + table + " " + vt))
                            throw FirewallErrors.Parse(verdict.File ?? ctx.File, verdict.Line, verdict.Column, IptablesSaveParser.Reason("Reason_UnknownChain", IptablesSaveParser.Shorten(vt ?? "?")));
                        va = vkey == "jump" ? RuleAction.Jump : RuleAction.Goto;
                        break;
                }
                if (!understood && (va == RuleAction.Jump || va == RuleAction.Goto)) { va = RuleAction.Unknown; vt = "vmap"; }
                yield return new FirewallRule(family, table, chain.Name, number, va, vt, baseMatch.Intersect(em.Build()), loc,
                    joined, comment, element: Render(pair.Items[0]) + " : " + (vt == null ? vkey : vkey + " " + vt));
            }
        }

        /// <summary>The rule's parts: its plain match, times one element of each set of concatenations it matches.</summary>
        private static List<(PacketMatch Match, string? Element)> Combine(List<List<(PacketMatch Match, string Element)>> choices, PacketMatch.Builder m)
        {
            const int MaxParts = 4096;
            long total = 1;
            foreach (var c in choices) total = Math.Min(long.MaxValue / 2, total * Math.Max(1, c.Count));
            if (total > MaxParts)
            {
                m.NotAnalysed(IptablesSaveParser.Reason("Reason_NftTooManyParts", MaxParts));
                choices = new List<List<(PacketMatch, string)>>();
            }
            var result = new List<(PacketMatch Match, string? Element)> { (m.Build(), null) };
            foreach (var c in choices)
            {
                var next = new List<(PacketMatch, string?)>();
                foreach (var r in result)
                    foreach (var e in c)
                        next.Add((r.Match.Intersect(e.Match), r.Element == null ? e.Element : r.Element + ", " + e.Element));
                result = next;
            }
            return result;
        }

        /// <summary>One element of a concatenation ("udp . 51820") against its key ("ip protocol . th dport"): every part must be understood.</summary>
        private static bool ApplyConcatElement(Context ctx, string family, string table, PacketMatch.Builder em, JsonNode key, JsonNode value)
        {
            if (!(key is JsonObject ko) || !(ko["concat"] is JsonArray keys)) return false;
            if (!(value is JsonObject vo) || !(vo["concat"] is JsonArray values) || values.Items.Count != keys.Items.Count) return false;
            for (int k = 0; k < keys.Items.Count; k++)
            {
                var f = FieldOf(keys.Items[k], out _);
                if (f == Field.None || f == Field.Concat || f == Field.TcpFlags) return false;
                if (!ApplyField(ctx, family, table, em, f, keys.Items[k], new List<JsonNode> { values.Items[k] }, false)) return false;
            }
            return true;
        }

        /// <summary>The bits of a TCP flags value: "syn", "syn|ack", ["syn", "ack"], {"|": [...]}, a number.</summary>
        private static bool TryFlagBits(JsonNode node, out int bits)
        {
            bits = 0;
            switch (node)
            {
                case JsonValue v when v.Value is long l: if (l < 0 || l > 255) return false; bits = (int)l; return true;
                case JsonValue v when v.AsString is string s: return Protocols.TryParseTcpFlags(s, out bits);
                case JsonArray a:
                    foreach (var item in a.Items) { if (!TryFlagBits(item, out var b)) return false; bits |= b; }
                    return a.Items.Count > 0;
                case JsonObject o when o.Members.Count == 1 && o.Members[0].Key == "|" && o.Members[0].Value is JsonArray parts:
                    return TryFlagBits(parts, out bits);
            }
            return false;
        }

        private static bool IsTcpFlagsField(JsonNode n)
            => n is JsonObject o && o.Members.Count == 1 && o.Members[0].Key == "payload" && o.Members[0].Value is JsonObject b && Str(b, "protocol") == "tcp" && Str(b, "field") == "flags";

        /// <summary>
        /// tcp flags tests, as the kernel evaluates them: "tcp flags syn" (op in: any of the bits set),
        /// "tcp flags == syn" (exactly), "tcp flags { syn, syn|ack }" (exactly one of), "tcp flags &amp; (fin|syn|rst|ack) == syn".
        /// </summary>
        private static bool ApplyTcpFlags(PacketMatch.Builder m, JsonNode left, string op, JsonNode right)
        {
            int mask = 0xFF;
            bool masked = false;
            if (left is JsonObject lo && lo.Members.Count == 1 && lo.Members[0].Key == "&" && lo.Members[0].Value is JsonArray and && and.Items.Count == 2)
            {
                if (!IsTcpFlagsField(and.Items[0]) || !TryFlagBits(and.Items[1], out mask)) return false;
                masked = true;
            }
            else if (!IsTcpFlagsField(left)) return false;
            bool negated = op == "!=";
            if (op != "==" && op != "!=" && op != "in") return false;
            if (right is JsonObject ro && ro.Members.Count == 1 && ro.Members[0].Key == "set" && ro.Members[0].Value is JsonArray set)
            {
                var values = new List<int>();
                foreach (var item in set.Items) { if (!TryFlagBits(item, out var b)) return false; values.Add(b & mask); }
                m.TcpFlags(mask, values, negated);
                return true;
            }
            if (!TryFlagBits(right, out var bitsValue)) return false;
            if (op == "in" && !masked)
            {
                // The implicit flags test: any of these bits set.
                m.TcpFlags(bitsValue, new[] { 0 }, true);
                return true;
            }
            m.TcpFlags(mask, new[] { bitsValue & mask }, negated);
            return true;
        }

        private static bool IsCtStatusField(JsonNode n)
            => n is JsonObject o && o.Members.Count == 1 && o.Members[0].Key == "ct" && o.Members[0].Value is JsonObject b && Str(b, "key") == "status" && b["dir"] == null;

        private static bool TryCtBits(JsonNode n, out int bits)
        {
            bits = 0;
            switch (n)
            {
                case JsonValue v when v.Value is long l: bits = (int)l; return l >= 0 && l <= int.MaxValue;
                case JsonValue v when v.AsString is string s: return Protocols.TryParseCtStatus(s, out bits);
                case JsonArray a:
                    foreach (var item in a.Items) { if (!TryCtBits(item, out var b)) return false; bits |= b; }
                    return true;
                case JsonObject o when o.Members.Count == 1 && o.Members[0].Key == "|" && o.Members[0].Value is JsonArray parts:
                    return TryCtBits(parts, out bits);
            }
            return false;
        }

        /// <summary>
        /// "ct status dnat" (any of the bits: op in), "ct status &amp; dnat == dnat", "ct status &amp; snat != 0":
        /// the NAT bits only, which the evaluator knows from the nat path; any other bit, or a comparison
        /// of the whole status word, is not modelled (false).
        /// </summary>
        private static bool ApplyCtStatus(PacketMatch.Builder m, JsonNode left, string op, JsonNode right)
        {
            const int Modelled = Protocols.CtSnat | Protocols.CtDnat;
            int mask;
            bool masked = false;
            if (left is JsonObject lo && lo.Members.Count == 1 && lo.Members[0].Key == "&" && lo.Members[0].Value is JsonArray and && and.Items.Count == 2)
            {
                if (!IsCtStatusField(and.Items[0]) || !TryCtBits(and.Items[1], out mask)) return false;
                masked = true;
            }
            else if (IsCtStatusField(left)) mask = 0;
            else return false;
            if (!TryCtBits(right, out var value)) return false;
            if (!masked)
            {
                // The implicit test: any of these bits set. A whole-word comparison involves bits not modelled.
                if (op != "in" || value == 0 || (value & ~Modelled) != 0) return false;
                m.CtStatus(value, new[] { 0 }, true);
                return true;
            }
            if (mask == 0 || (mask & ~Modelled) != 0 || (op != "==" && op != "!=")) return false;
            m.CtStatus(mask, new[] { value & mask }, op == "!=");
            return true;
        }

        /// <summary>"addr[:port]" of a dnat statement: {"addr": "10.0.0.5", "port": 80} in JSON, "to 10.0.0.5:80" from the text reader.</summary>
        private static string? DnatTarget(JsonNode value)
        {
            if (value is JsonObject o)
            {
                var addr = o["addr"] as JsonValue;
                var port = o["port"] as JsonValue;
                if (o["addr"] != null && addr == null || o["port"] != null && port == null) return null; // a map or an expression
                var a = addr?.AsString ?? "";
                var p = port?.AsString;
                if (a.IndexOf(':') >= 0 && p != null) a = "[" + a + "]";
                return p == null ? (a.Length == 0 ? null : a) : a + ":" + p;
            }
            if (value is JsonValue v && v.AsString is string s)
            {
                var words = s.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                int to = Array.IndexOf(words, "to");
                if (to >= 0 && to + 1 < words.Length && to + 2 == words.Length) return words[to + 1];
            }
            return null;
        }

        /// <summary>
        /// The map of a dnat statement: {"addr": {"map": ...}} (the value an address, or "address . port"),
        /// or {"addr": "10.0.0.5", "port": {"map": ...}} (the value a port); null for any other form.
        /// </summary>
        private static (JsonNode Key, JsonNode Data, string? Address)? DnatMap(JsonNode value)
        {
            if (!(value is JsonObject o)) return null;
            JsonObject? MapOf(JsonNode? n) => n is JsonObject mo && mo.Members.Count == 1 && mo.Members[0].Key == "map" && mo.Members[0].Value is JsonObject body
                && body["key"] != null && body["data"] != null ? body : null;
            var addrMap = MapOf(o["addr"]);
            var portMap = MapOf(o["port"]);
            if (addrMap != null && o["port"] == null) return (addrMap["key"]!, addrMap["data"]!, null);
            if (portMap != null && o["addr"] is JsonValue av && av.AsString is string a) return (portMap["key"]!, portMap["data"]!, a);
            return null;
        }

        private static List<JsonNode>? NatMapElements(Context ctx, string family, string table, JsonNode data)
        {
            if (data is JsonObject dob && dob["set"] is JsonArray arr) return arr.Items;
            if (data is JsonValue dv && dv.AsString is string s && s.StartsWith("@", StringComparison.Ordinal) && ctx.Sets.TryGetValue(family + " " + table + " " + s.Substring(1), out var named))
                return named.Elements;
            return null;
        }

        /// <summary>The translation one map element gives, as "addr[:port]"; null when it cannot be followed (a range, a prefix, an expression).</summary>
        private static string? NatMapValue(JsonNode value, string? fixedAddress)
        {
            string? Scalar(JsonNode n) => n is JsonValue v ? (v.Value is long l ? l.ToString(CultureInfo.InvariantCulture) : v.AsString) : null;
            string Bracket(string a) => a.IndexOf(':') >= 0 ? "[" + a + "]" : a;
            if (fixedAddress != null)
            {
                var port = Scalar(value);
                return port == null || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? null : Bracket(fixedAddress) + ":" + port;
            }
            if (value is JsonObject c && c.Members.Count == 1 && c.Members[0].Key == "concat" && c.Members[0].Value is JsonArray parts && parts.Items.Count == 2)
            {
                var a = Scalar(parts.Items[0]);
                var p = Scalar(parts.Items[1]);
                if (a == null || p == null || !Addresses.TryParseAddress(a, out _, out _) || !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)) return null;
                return Bracket(a) + ":" + p;
            }
            var single = Scalar(value);
            return single != null && Addresses.TryParseAddress(single, out _, out _) ? single : null;
        }

        private static Field FieldOf(JsonNode left, out string? protocol)
        {
            protocol = null;
            if (!(left is JsonObject o) || o.Members.Count != 1) return Field.None;
            var kind = o.Members[0].Key;
            if (kind == "concat") return o.Members[0].Value is JsonArray ? Field.Concat : Field.None;
            if (kind == "&" && o.Members[0].Value is JsonArray masked && masked.Items.Count == 2 && IsTcpFlagsField(masked.Items[0])) return Field.TcpFlags;
            var body = o.Members[0].Value as JsonObject;
            if (body == null) return Field.None;
            if (kind == "payload")
            {
                protocol = Str(body, "protocol");
                var field = Str(body, "field");
                if (protocol == "tcp" && field == "flags") return Field.TcpFlags;
                switch (protocol)
                {
                    case "ip":
                        return field == "saddr" ? Field.Source : field == "daddr" ? Field.Destination : field == "protocol" ? Field.Protocol : Field.None;
                    case "ip6":
                        return field == "saddr" ? Field.Source : field == "daddr" ? Field.Destination : field == "nexthdr" ? Field.Protocol : Field.None;
                    case "tcp": case "udp": case "sctp": case "dccp": case "udplite": case "th":
                        return field == "sport" ? Field.SourcePort : field == "dport" ? Field.DestinationPort : Field.None;
                    case "icmp": case "icmpv6":
                        return field == "type" ? Field.IcmpType : Field.None;
                }
                return Field.None;
            }
            if (kind == "meta")
            {
                switch (Str(body, "key"))
                {
                    case "l4proto": return Field.Protocol;
                    case "nfproto": protocol = "nfproto"; return Field.Family;
                    case "protocol": protocol = "ether"; return Field.Family;
                    case "iifname": return Field.InInterface;
                    case "oifname": return Field.OutInterface;
                    // The index forms name the interface too (nft resolves the name when the rule is loaded).
                    case "iif": return Field.InInterface;
                    case "oif": return Field.OutInterface;
                }
                return Field.None;
            }
            if (kind == "ct" && Str(body, "key") == "state" && body["dir"] == null) return Field.State;
            return Field.None;
        }

        private static void ApplyMatch(Context ctx, string family, string table, PacketMatch.Builder m, JsonObject match,
            List<List<(PacketMatch Match, string Element)>> choices)
        {
            var op = Str(match, "op") ?? "==";
            var left = match["left"];
            var right = match["right"];
            if (left == null || right == null) { m.NotAnalysed(Render(match)); return; }
            var field = FieldOf(left, out _);
            if (field == Field.TcpFlags)
            {
                if (!ApplyTcpFlags(m, left, op, right)) m.NotAnalysed(RenderMatch(match));
                return;
            }
            if (field == Field.Concat)
            {
                // "ip protocol . th dport { udp . 51820, tcp . 22 }", "ip daddr . tcp dport @allowed": one choice among the elements.
                var flatConcat = new List<JsonNode>();
                if ((op == "==" || op == "in") && Flatten(ctx, family, table, new List<JsonNode> { right }, flatConcat, 0, concat: true) && flatConcat.Count > 0)
                {
                    var options = new List<(PacketMatch, string)>();
                    bool all = true;
                    foreach (var v in flatConcat)
                    {
                        var em = new PacketMatch.Builder();
                        if (!ApplyConcatElement(ctx, family, table, em, left, v)) { all = false; break; }
                        options.Add((em.Build(), Render(v)));
                    }
                    if (all) { choices.Add(options); return; }
                }
                m.NotAnalysed(RenderMatch(match));
                return;
            }
            if (field == Field.None)
            {
                if (!ApplyCtStatus(m, left, op, right)) m.NotAnalysed(RenderMatch(match));
                return;
            }
            bool negated;
            List<JsonNode> values;
            switch (op)
            {
                case "==": case "in": negated = false; values = new List<JsonNode> { right }; break;
                case "!=": negated = true; values = new List<JsonNode> { right }; break;
                case "<": case ">": case "<=": case ">=":
                    {
                        if (!(right is JsonValue rv) || !(rv.Value is long bound) || bound < 0) { m.NotAnalysed(RenderMatch(match)); return; }
                        long lo = 0, hi = field == Field.SourcePort || field == Field.DestinationPort ? 65535 : 255;
                        if (op == "<") hi = bound - 1; else if (op == "<=") hi = bound; else if (op == ">") lo = bound + 1; else lo = bound;
                        var synthetic = new JsonObject();
                        var arr = new JsonArray();
                        arr.Items.Add(new JsonValue(lo));
                        arr.Items.Add(new JsonValue(Math.Max(lo, hi)));
                        synthetic.Members.Add(new KeyValuePair<string, JsonNode>("range", arr));
                        if (hi < lo) { m.Protocols(IntervalSet.Empty); return; }
                        negated = false;
                        values = new List<JsonNode> { synthetic };
                        break;
                    }
                default: m.NotAnalysed(RenderMatch(match)); return;
            }
            if (!ApplyField(ctx, family, table, m, field, left, values, negated)) m.NotAnalysed(RenderMatch(match));
        }

        /// <summary>Adds one field's condition; false when a value cannot be understood.</summary>
        private static bool ApplyField(Context ctx, string family, string table, PacketMatch.Builder m, Field field, JsonNode left, List<JsonNode> values, bool negated)
        {
            FieldOf(left, out var protocol);
            var flat = new List<JsonNode>();
            if (!Flatten(ctx, family, table, values, flat)) return false;
            switch (field)
            {
                case Field.Family:
                    {
                        var fams = FamilySet.None;
                        foreach (var v in flat)
                        {
                            var s = (v as JsonValue)?.AsString;
                            if (s == "ipv4" || s == "ip") fams |= FamilySet.Ipv4;
                            else if (s == "ipv6" || s == "ip6") fams |= FamilySet.Ipv6;
                            else return false;
                        }
                        m.OnlyFamilies(negated ? FamilySet.Both & ~fams : fams);
                        return true;
                    }
                case Field.Protocol:
                    {
                        var list = new List<Interval>();
                        foreach (var v in flat)
                        {
                            if (!TryNumberish(v, s => Protocols.TryParseProtocol(s, out var p) ? p : -1, 255, out var iv)) return false;
                            list.Add(iv);
                        }
                        if (protocol == "ip") m.OnlyFamilies(FamilySet.Ipv4);
                        if (protocol == "ip6") m.OnlyFamilies(FamilySet.Ipv6);
                        m.Protocols(IntervalSet.From(list), negated);
                        return true;
                    }
                case Field.Source:
                case Field.Destination:
                    {
                        var fam = protocol == "ip6" ? IpFamily.Ipv6 : IpFamily.Ipv4;
                        var list = new List<Interval>();
                        foreach (var v in flat)
                        {
                            if (!TryAddress(v, fam, out var iv)) return false;
                            list.Add(iv);
                        }
                        var set = IntervalSet.From(list);
                        if (field == Field.Source) m.Source(fam, set, negated); else m.Destination(fam, set, negated);
                        return true;
                    }
                case Field.SourcePort:
                case Field.DestinationPort:
                    {
                        var list = new List<Interval>();
                        foreach (var v in flat)
                        {
                            if (!TryNumberish(v, s => Protocols.TryParsePort(s, out var p) ? p : -1, 65535, out var iv)) return false;
                            list.Add(iv);
                        }
                        if (protocol == "th") m.Protocols(Protocols.PortProtocols);
                        else if (Protocols.TryParseProtocol(protocol ?? "", out var pn)) m.Protocols(IntervalSet.Single((ulong)pn));
                        var set = IntervalSet.From(list);
                        if (field == Field.SourcePort) m.SourcePorts(set, negated); else m.DestinationPorts(set, negated);
                        return true;
                    }
                case Field.IcmpType:
                    {
                        bool v6 = protocol == "icmpv6";
                        var list = new List<Interval>();
                        foreach (var v in flat)
                        {
                            if (!TryNumberish(v, s => Protocols.TryParseIcmpType(s, v6, out var t) ? t : -1, 255, out var iv)) return false;
                            list.Add(iv);
                        }
                        m.OnlyFamilies(v6 ? FamilySet.Ipv6 : FamilySet.Ipv4);
                        m.Protocols(IntervalSet.Single((ulong)(v6 ? Protocols.Icmpv6 : Protocols.Icmp)));
                        m.IcmpTypes(IntervalSet.From(list), negated);
                        return true;
                    }
                case Field.State:
                    {
                        var list = new List<Interval>();
                        foreach (var v in flat)
                        {
                            var s = (v as JsonValue)?.AsString;
                            if (s == null || !Protocols.TryParseState(s, out var st)) return false;
                            list.Add(new Interval((ulong)(int)st, (ulong)(int)st));
                        }
                        m.States(IntervalSet.From(list), negated);
                        return true;
                    }
                case Field.InInterface:
                case Field.OutInterface:
                    {
                        var names = new List<string>();
                        foreach (var v in flat)
                        {
                            var s = (v as JsonValue)?.AsString;
                            if (string.IsNullOrEmpty(s)) return false;
                            names.Add(s!);
                        }
                        if (field == Field.InInterface) m.InInterface(names, negated); else m.OutInterface(names, negated);
                        return true;
                    }
            }
            return false;
        }

        /// <summary>Expands anonymous sets, named set references and flag lists into single elements.</summary>
        private static bool Flatten(Context ctx, string family, string table, List<JsonNode> values, List<JsonNode> into, int depth = 0, bool concat = false)
        {
            if (depth > 8) return false;
            foreach (var v in values)
            {
                if (v is JsonArray a) { if (!Flatten(ctx, family, table, a.Items, into, depth + 1, concat)) return false; continue; }
                if (v is JsonObject o && o.Members.Count == 1)
                {
                    var k = o.Members[0].Key;
                    if (k == "set" && o.Members[0].Value is JsonArray sa) { if (!Flatten(ctx, family, table, sa.Items, into, depth + 1, concat)) return false; continue; }
                    if (k == "elem" && o.Members[0].Value is JsonObject eo && eo["val"] is JsonNode val) { if (!Flatten(ctx, family, table, new List<JsonNode> { val }, into, depth + 1, concat)) return false; continue; }
                    // A concatenated value where a single one is expected (or the reverse): not understood.
                    if ((k == "concat") != concat) return false;
                }
                else if (concat && !(v is JsonValue r && r.AsString is string at && at.StartsWith("@", StringComparison.Ordinal))) return false;
                if (v is JsonValue s && s.Value is string str && str.StartsWith("@", StringComparison.Ordinal))
                {
                    if (!ctx.Sets.TryGetValue(family + " " + table + " " + str.Substring(1), out var named) || named.Type == "map") return false;
                    if (!Flatten(ctx, family, table, named.Elements, into, depth + 1, concat)) return false;
                    continue;
                }
                into.Add(v);
            }
            return true;
        }

        private static bool TryNumberish(JsonNode v, Func<string, int> parse, int max, out Interval interval)
        {
            interval = default;
            if (v is JsonValue jv)
            {
                if (jv.Value is long l) { if (l < 0 || l > max) return false; interval = new Interval((ulong)l, (ulong)l); return true; }
                if (jv.Value is string s) { var n = parse(s); if (n < 0) return false; interval = new Interval((ulong)n, (ulong)n); return true; }
                return false;
            }
            if (v is JsonObject o && o["range"] is JsonArray r && r.Items.Count == 2
                && TryNumberish(r.Items[0], parse, max, out var a) && TryNumberish(r.Items[1], parse, max, out var b))
            {
                interval = a.Start <= b.End ? new Interval(a.Start, b.End) : new Interval(b.Start, a.End);
                return true;
            }
            return false;
        }

        private static bool TryAddress(JsonNode v, IpFamily family, out Interval interval)
        {
            interval = default;
            if (v is JsonValue jv && jv.Value is string s)
                return Addresses.TryParseNetwork(s, out var f, out interval) && f == family;
            if (v is JsonObject o)
            {
                if (o["prefix"] is JsonObject p && p["addr"] is JsonValue addr && p["len"] is JsonValue len && len.Value is long l)
                    return Addresses.TryParseNetwork(addr.AsString + "/" + l.ToString(CultureInfo.InvariantCulture), out var f, out interval) && f == family;
                if (o["range"] is JsonArray r && r.Items.Count == 2 && r.Items[0] is JsonValue a && r.Items[1] is JsonValue b)
                    return Addresses.TryParseNetwork(a.AsString + "-" + b.AsString, out var f, out interval) && f == family;
            }
            return false;
        }

        private static string RenderMatch(JsonObject match)
        {
            var op = Str(match, "op") ?? "==";
            var left = match["left"]; var right = match["right"];
            var l = left == null ? "?" : RenderExpr(left);
            var r = right == null ? "?" : Render(right);
            return op == "==" || op == "in" ? l + " " + r : l + " " + op + " " + r;
        }

        private static string RenderExpr(JsonNode node)
        {
            if (node is JsonObject o && o.Members.Count == 1 && o.Members[0].Value is JsonObject b)
            {
                switch (o.Members[0].Key)
                {
                    case "payload": return Str(b, "protocol") + " " + Str(b, "field");
                    case "meta": return "meta " + Str(b, "key");
                    case "ct": return "ct " + Str(b, "key");
                }
            }
            return Render(node);
        }

        /// <summary>Compact nft-like text of a JSON value, for the rule's Text and "not analysed" notes.</summary>
        internal static string Render(JsonNode node)
        {
            var sb = new StringBuilder();
            RenderInto(node, sb, 0);
            return sb.Length > 200 ? sb.ToString(0, 197) + "..." : sb.ToString();
        }

        private static void RenderInto(JsonNode node, StringBuilder sb, int depth)
        {
            if (sb.Length > 240 || depth > 10) return;
            switch (node)
            {
                case JsonValue v: sb.Append(v.Value == null ? "null" : v.AsString ?? v.Value.ToString()); break;
                case JsonArray a:
                    sb.Append('{');
                    for (int i = 0; i < a.Items.Count; i++) { if (i > 0) sb.Append(", "); RenderInto(a.Items[i], sb, depth + 1); }
                    sb.Append('}');
                    break;
                case JsonObject o:
                    if (o["prefix"] is JsonObject p) { sb.Append((p["addr"] as JsonValue)?.AsString).Append('/').Append((p["len"] as JsonValue)?.AsString); break; }
                    if (o["range"] is JsonArray r && r.Items.Count == 2) { RenderInto(r.Items[0], sb, depth + 1); sb.Append('-'); RenderInto(r.Items[1], sb, depth + 1); break; }
                    if (o["set"] is JsonArray s) { RenderInto(s, sb, depth + 1); break; }
                    if (o.Members.Count == 1 && (o.Members[0].Key == "concat" || o.Members[0].Key == "|" || o.Members[0].Key == "&") && o.Members[0].Value is JsonArray parts)
                    {
                        var sep = o.Members[0].Key == "concat" ? " . " : " " + o.Members[0].Key + " ";
                        for (int i = 0; i < parts.Items.Count; i++) { if (i > 0) sb.Append(sep); RenderInto(parts.Items[i], sb, depth + 1); }
                        break;
                    }
                    if (o.Members.Count == 1 && o.Members[0].Value is JsonObject eb && (o.Members[0].Key == "payload" || o.Members[0].Key == "meta" || o.Members[0].Key == "ct"))
                    {
                        sb.Append(RenderExpr(o));
                        break;
                    }
                    for (int i = 0; i < o.Members.Count; i++)
                    {
                        if (i > 0) sb.Append(' ');
                        sb.Append(o.Members[i].Key);
                        if (!(o.Members[i].Value is JsonValue nv && nv.Value == null)) { sb.Append(' '); RenderInto(o.Members[i].Value, sb, depth + 1); }
                    }
                    break;
            }
        }
    }
}
