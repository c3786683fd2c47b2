using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools.Engine.Firewall.Parsers
{
    /// <summary>One Windows Firewall rule with its port and address filters, as read from either export.</summary>
    internal sealed class WindowsRule
    {
        public string Name = "";
        public string? DisplayName;
        public bool Enabled = true;
        /// <summary>"In" or "Out".</summary>
        public string Direction = "In";
        /// <summary>"Allow", "Block", "AllowBypass" (or what was written when not understood).</summary>
        public string Action = "Allow";
        /// <summary>The profiles the rule applies to, as WindowsFirewallProfile flags (7: all).</summary>
        public int Profiles = WindowsFirewallModel.AllProfiles;
        public string Protocol = "Any";
        public List<string> LocalPort = new List<string>();
        public List<string> RemotePort = new List<string>();
        public List<string> LocalAddress = new List<string>();
        public List<string> RemoteAddress = new List<string>();
        public List<string> IcmpType = new List<string>();
        /// <summary>Other conditions the export carries (Program, Service, InterfaceType...): kept as not analysed.</summary>
        public List<string> Others = new List<string>();
        public SourceLocation Source = new SourceLocation("", 0);
    }

    /// <summary>One profile's settings from Get-NetFirewallProfile: on or off, and its default actions (null: not configured).</summary>
    internal sealed class WindowsProfileSettings
    {
        public WindowsFirewallProfile Profile;
        public bool? Enabled;
        public RuleAction? Inbound;
        public RuleAction? Outbound;
        public SourceLocation Source = new SourceLocation("", 0);
    }

    /// <summary>
    /// Windows Firewall semantics on the common model. Windows does not evaluate rules in order:
    /// authenticated-bypass allow rules win first, then any matching block rule, then any matching
    /// allow rule, then the profile's default (inbound block, outbound allow by default). Each
    /// direction becomes one chain whose rules are in that order, so first match over the chain is
    /// the Windows verdict and the audit's shadowing analysis sees the real precedence.
    /// </summary>
    internal static class WindowsFirewallModel
    {
        public const string Table = "windows";
        public const string Family = "inet";

        private static readonly HashSet<string> AddressKeywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "LocalSubnet", "LocalSubnet4", "LocalSubnet6", "DNS", "DHCP", "WINS", "DefaultGateway", "Internet", "Intranet",
            "IntranetRemoteAccess", "PlayToDevice", "Ply2Renders", "CaptivePortal",
        };

        /// <summary>Domain | Private | Public.</summary>
        internal const int AllProfiles = 7;

        /// <summary>
        /// Reads a rule's profiles as the exports write them: Any, All (or nothing), names joined by
        /// commas ("Domain, Private", "Domain,Public"), or the flag number Windows PowerShell 5.1
        /// writes (1 Domain, 2 Private, 4 Public, their sums; 0 Any; 65535 NotApplicable).
        /// </summary>
        internal static bool TryParseProfiles(string? value, out int mask)
        {
            mask = AllProfiles;
            if (value == null) return true;
            var text = value.Trim();
            if (text.Length == 0) return true;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var flags))
            {
                if (flags == 0 || flags == 0xFFFF) return true;
                if (flags > AllProfiles) return false;
                mask = (int)flags;
                return true;
            }
            int result = 0;
            foreach (var part in text.Split(','))
            {
                var name = part.Trim();
                if (name.Length == 0) continue;
                // A hand-made JSON array of flag numbers ([1, 4]) arrives as "1,4".
                if (long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var partFlags))
                {
                    if (partFlags == 0 || partFlags == 0xFFFF) result = AllProfiles;
                    else if (partFlags > AllProfiles) return false;
                    else result |= (int)partFlags;
                    continue;
                }
                switch (name.ToLowerInvariant())
                {
                    case "any": case "all": case "*": case "notapplicable": result = AllProfiles; break;
                    case "domain": result |= (int)WindowsFirewallProfile.Domain; break;
                    case "private": result |= (int)WindowsFirewallProfile.Private; break;
                    case "public": result |= (int)WindowsFirewallProfile.Public; break;
                    default: return false;
                }
            }
            mask = result == 0 ? AllProfiles : result;
            return true;
        }

        /// <summary>"Domain, Private" (as Windows writes a profile set); null for every profile.</summary>
        internal static string? ProfileNames(int mask)
        {
            if ((mask & AllProfiles) == AllProfiles) return null;
            var names = new List<string>();
            foreach (var p in new[] { WindowsFirewallProfile.Domain, WindowsFirewallProfile.Private, WindowsFirewallProfile.Public })
                if ((mask & (int)p) != 0) names.Add(p.ToString());
            return string.Join(", ", names);
        }

        /// <summary>
        /// The rule set, with the default actions and on/off state of the profile evaluated when the
        /// export carries Get-NetFirewallProfile objects (for every profile at once when they agree).
        /// </summary>
        public static FirewallRuleSet Build(List<WindowsRule> rules, List<WindowsProfileSettings> settings, string file, RuleSetFormat format, WindowsFirewallProfile? profile, CancellationToken ct)
        {
            var set = new FirewallRuleSet(System.IO.Path.GetFileName(file), format, file) { Profile = profile };
            var first = new SourceLocation(file, 1);
            WindowsProfileSettings? applied = null;
            if (profile != null) applied = settings.FirstOrDefault(x => x.Profile == profile.Value);
            else if (settings.Count > 0)
            {
                bool same = settings.All(x => x.Enabled == settings[0].Enabled && x.Inbound == settings[0].Inbound && x.Outbound == settings[0].Outbound);
                if (same && settings.Count == 3) applied = settings[0];
                else set.Warnings.Add(IptablesSaveParser.Reason("Warning_WinProfileSettingsDiffer"));
            }
            bool off = applied?.Enabled == false;
            var inPolicy = off ? RuleAction.Accept : applied?.Inbound ?? RuleAction.Drop;
            var outPolicy = off ? RuleAction.Accept : applied?.Outbound ?? RuleAction.Accept;
            var inbound = new FirewallChain(Family, Table, "Inbound", ChainHook.Input, 0, inPolicy, applied?.Source ?? first, "filter");
            var outbound = new FirewallChain(Family, Table, "Outbound", ChainHook.Output, 0, outPolicy, applied?.Source ?? first, "filter");
            set.Chains.Add(inbound);
            set.Chains.Add(outbound);
            if (applied == null) set.Warnings.Add(IptablesSaveParser.Reason("Warning_WinOrder"));
            else if (off) set.Warnings.Add(IptablesSaveParser.Reason("Warning_WinFirewallOff", profile?.ToString() ?? "Domain, Private, Public", applied.Source));
            else set.Warnings.Add(IptablesSaveParser.Reason("Warning_WinOrderKnown", Verb(inPolicy), Verb(outPolicy), applied.Source));
            int profiled = 0;
            var profiles = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var chain in new[] { inbound, outbound })
            {
                bool isIn = chain == inbound;
                var mine = rules.Where(r => string.Equals(r.Direction, "In", StringComparison.OrdinalIgnoreCase) == isIn).ToList();
                // Every enabled rule keeps the number it has when all profiles count, so "Inbound #3"
                // names the same rule whichever profile is evaluated.
                int number = 0;
                foreach (var rank in new[] { 0, 1, 2, 3 })
                {
                    foreach (var r in mine)
                    {
                        ct.ThrowIfCancellationRequested();
                        if (Rank(r.Action) != rank) continue;
                        if (!r.Enabled || off) { set.DisabledRules.Add(ToRule(r, chain, set.DisabledRules.Count + 1, true)); continue; }
                        var rule = ToRule(r, chain, ++number);
                        if (rule.Profiles != null)
                        {
                            profiled++;
                            profiles.Add(rule.Profiles);
                        }
                        if (profile != null && (r.Profiles & (int)profile.Value) == 0) set.InactiveRules.Add(rule);
                        else chain.Rules.Add(rule);
                    }
                }
            }
            if (profiled > 0 && profile == null) set.Warnings.Add(FirewallText.Count("Warning_WinProfile", profiled, profiled, string.Join("; ", profiles)));
            return set;
        }

        private static string Verb(RuleAction a) => a == RuleAction.Accept ? "Allow" : "Block";

        /// <summary>0 bypass, 1 block, 2 allow, 3 not understood (kept last, as Unknown).</summary>
        private static int Rank(string action)
        {
            switch (action.ToLowerInvariant())
            {
                case "allowbypass": case "bypass": return 0;
                case "block": return 1;
                case "allow": return 2;
                default: return 3;
            }
        }

        internal static bool IsAny(string? value)
            => string.IsNullOrWhiteSpace(value) || value!.Trim().Equals("Any", StringComparison.OrdinalIgnoreCase) || value.Trim() == "*";

        private static FirewallRule ToRule(WindowsRule r, FirewallChain chain, int number, bool disabled = false)
        {
            bool isIn = chain.Hook == ChainHook.Input;
            var m = new PacketMatch.Builder();
            int protocol = -1;
            if (!IsAny(r.Protocol))
            {
                var p = r.Protocol.Trim();
                if (p.Equals("ICMPv4", StringComparison.OrdinalIgnoreCase)) p = "icmp";
                if (Protocols.TryParseProtocol(p.ToLowerInvariant(), out protocol)) m.Protocols(IntervalSet.Single((ulong)protocol));
                else m.NotAnalysed("Protocol=" + r.Protocol);
            }
            bool ports = protocol == Protocols.Tcp || protocol == Protocols.Udp;
            Ports(m, r.LocalPort, "LocalPort", ports, isIn ? (Action<IntervalSet>)(s => m.DestinationPorts(s)) : s => m.SourcePorts(s));
            Ports(m, r.RemotePort, "RemotePort", ports, isIn ? (Action<IntervalSet>)(s => m.SourcePorts(s)) : s => m.DestinationPorts(s));
            Addresses(m, r.LocalAddress, "LocalAddress", !isIn);
            Addresses(m, r.RemoteAddress, "RemoteAddress", isIn);
            var icmp = r.IcmpType.Where(t => !IsAny(t)).ToList();
            if (icmp.Count > 0 && (protocol == Protocols.Icmp || protocol == Protocols.Icmpv6))
            {
                var list = new List<Interval>();
                bool ok = true;
                foreach (var t in icmp)
                {
                    var parts = t.Split(':');
                    if (!int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var type) || type > 255) { ok = false; break; }
                    if (parts.Length > 1 && !IsAny(parts[1])) { ok = false; break; }
                    list.Add(new Interval((ulong)type, (ulong)type));
                }
                if (ok) m.IcmpTypes(IntervalSet.From(list)); else m.NotAnalysed("IcmpType=" + string.Join(",", icmp));
            }
            foreach (var o in r.Others) m.NotAnalysed(o);
            RuleAction action;
            switch (Rank(r.Action))
            {
                case 0: case 2: action = RuleAction.Accept; break;
                case 1: action = RuleAction.Drop; break;
                default: action = RuleAction.Unknown; break;
            }
            var text = Describe(r);
            return new FirewallRule(Family, Table, chain.Name, number, action, action == RuleAction.Unknown ? r.Action : null, m.Build(), r.Source, text,
                r.DisplayName ?? r.Name, disabled, profiles: ProfileNames(r.Profiles));
        }

        private static string Describe(WindowsRule r)
        {
            var sb = new StringBuilder();
            sb.Append(r.Name).Append(": ").Append(r.Action).Append(' ').Append(r.Direction);
            sb.Append(" protocol=").Append(r.Protocol);
            if (r.LocalPort.Count > 0) sb.Append(" localport=").Append(string.Join(",", r.LocalPort));
            if (r.RemotePort.Count > 0) sb.Append(" remoteport=").Append(string.Join(",", r.RemotePort));
            if (r.LocalAddress.Count > 0) sb.Append(" localip=").Append(string.Join(",", r.LocalAddress));
            if (r.RemoteAddress.Count > 0) sb.Append(" remoteip=").Append(string.Join(",", r.RemoteAddress));
            var profiles = ProfileNames(r.Profiles);
            if (profiles != null) sb.Append(" profile=").Append(profiles.Replace(" ", ""));
            return sb.ToString();
        }

        private static void Ports(PacketMatch.Builder m, List<string> values, string what, bool portProtocol, Action<IntervalSet> apply)
        {
            var vs = values.Where(v => !IsAny(v)).ToList();
            if (vs.Count == 0) return;
            if (!portProtocol) { m.NotAnalysed(what + "=" + string.Join(",", vs)); return; }
            var list = new List<Interval>();
            foreach (var v in vs)
            {
                if (!Protocols.TryParsePortRange(v.Trim(), out var range))
                {
                    // RPC, RPC-EPMap, IPHTTPS, Teredo, mDNS...: dynamic ports Windows resolves at run time.
                    m.NotAnalysed(what + "=" + string.Join(",", vs));
                    return;
                }
                list.Add(range);
            }
            apply(IntervalSet.From(list));
        }

        private static void Addresses(PacketMatch.Builder m, List<string> values, string what, bool source)
        {
            var vs = values.Where(v => !IsAny(v)).ToList();
            if (vs.Count == 0) return;
            var v4 = new List<Interval>();
            var v6 = new List<Interval>();
            foreach (var v in vs)
            {
                if (AddressKeywords.Contains(v.Trim()) || !Model.Addresses.TryParseNetwork(v.Trim(), out var family, out var interval))
                {
                    // LocalSubnet, DNS, DefaultGateway...: resolved by Windows from the host's configuration.
                    m.NotAnalysed(what + "=" + string.Join(",", vs));
                    return;
                }
                (family == IpFamily.Ipv4 ? v4 : v6).Add(interval);
            }
            if (source) m.SourceAnyFamily(IntervalSet.From(v4), IntervalSet.From(v6));
            else m.DestinationAnyFamily(IntervalSet.From(v4), IntervalSet.From(v6));
        }

        /// <summary>Splits "a,b" and trims; drops empties.</summary>
        internal static List<string> SplitList(string? value)
            => value == null ? new List<string>() : value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
    }

    /// <summary>
    /// Reads Get-NetFirewallRule exports as ConvertTo-Json writes them: an array of objects with
    /// Name, DisplayName, Enabled, Direction, Action, Profile and, from Get-NetFirewallPortFilter and
    /// Get-NetFirewallAddressFilter, Protocol, LocalPort, RemotePort, LocalAddress, RemoteAddress
    /// (IcmpType, Program, Service optional). Enums may be names ("Inbound") or the numbers Windows
    /// PowerShell 5.1 writes (Direction 1/2, Action 2/3/4, Enabled 1/2, Profile flags).
    /// </summary>
    public static class WindowsFirewallJsonParser
    {
        public static FirewallRuleSet Parse(string text, string file, CancellationToken ct)
            => Parse(text, file, null, ct);

        /// <summary>Reads the export; with a profile, the rules of other profiles are kept aside as inactive.</summary>
        public static FirewallRuleSet Parse(string text, string file, WindowsFirewallProfile? profile, CancellationToken ct)
        {
            var root = JsonReader.Parse(text, file);
            var items = new List<JsonNode>();
            if (root is JsonArray a) items.AddRange(a.Items);
            else if (root is JsonObject o && o["value"] is JsonArray va) items.AddRange(va.Items);
            else if (root is JsonObject) items.Add(root);
            else throw FirewallErrors.Parse(file, root.Line, root.Column, IptablesSaveParser.Reason("Reason_WinRoot"));
            var rules = new List<WindowsRule>();
            var settings = new List<WindowsProfileSettings>();
            int index = 0;
            foreach (var node in items)
            {
                ct.ThrowIfCancellationRequested();
                if (!(node is JsonObject obj)) throw FirewallErrors.Parse(file, node.Line, node.Column, IptablesSaveParser.Reason("Reason_WinRoot"));
                // Get-NetFirewallProfile objects may sit beside the rules: their default actions and on/off state.
                if (Get(obj, "DefaultInboundAction") != null || Get(obj, "DefaultOutboundAction") != null)
                {
                    var ps = ReadProfileSettings(obj, file, index++);
                    if (settings.Any(x => x.Profile == ps.Profile))
                        throw FirewallErrors.Parse(file, obj.Line, obj.Column, IptablesSaveParser.Reason("Reason_WinValue", "Name", ps.Profile + " (twice)"));
                    settings.Add(ps);
                    continue;
                }
                rules.Add(Read(obj, file, index++));
            }
            return WindowsFirewallModel.Build(rules, settings, file, RuleSetFormat.WindowsJson, profile, ct);
        }

        private static JsonNode? Get(JsonObject o, string key)
        {
            foreach (var m in o.Members) if (string.Equals(m.Key, key, StringComparison.OrdinalIgnoreCase)) return m.Value;
            return null;
        }

        private static string? Scalar(JsonNode? n)
        {
            if (n is JsonValue v) return v.Value is bool b ? (b ? "True" : "False") : v.AsString;
            return null;
        }

        private static List<string> List(JsonNode? n)
        {
            if (n == null) return new List<string>();
            if (n is JsonArray a) return a.Items.SelectMany(i => WindowsFirewallModel.SplitList(Scalar(i))).ToList();
            return WindowsFirewallModel.SplitList(Scalar(n));
        }

        private static WindowsProfileSettings ReadProfileSettings(JsonObject o, string file, int index)
        {
            var ps = new WindowsProfileSettings { Source = new SourceLocation(file, o.Line, o.Column, "[" + index.ToString(CultureInfo.InvariantCulture) + "]") };
            var name = Map(o, "Name", file, null, new Dictionary<string, string> { { "domain", "Domain" }, { "1", "Domain" }, { "private", "Private" }, { "2", "Private" }, { "public", "Public" }, { "4", "Public" } });
            ps.Profile = (WindowsFirewallProfile)Enum.Parse(typeof(WindowsFirewallProfile), name);
            // GpoBoolean: False 0, True 1, NotConfigured 2 (the profile is then on, as Windows' default).
            var enabled = Map(o, "Enabled", file, "NotConfigured", new Dictionary<string, string> { { "true", "True" }, { "1", "True" }, { "false", "False" }, { "0", "False" }, { "notconfigured", "NotConfigured" }, { "2", "NotConfigured" } });
            ps.Enabled = enabled == "NotConfigured" ? (bool?)null : enabled == "True";
            // Action: NotConfigured 0, Allow 2, Block 4.
            var actions = new Dictionary<string, string> { { "allow", "Allow" }, { "2", "Allow" }, { "block", "Block" }, { "4", "Block" }, { "notconfigured", "NotConfigured" }, { "0", "NotConfigured" } };
            RuleAction? Action(string key)
            {
                var a = Map(o, key, file, "NotConfigured", actions);
                return a == "Allow" ? RuleAction.Accept : a == "Block" ? RuleAction.Drop : (RuleAction?)null;
            }
            ps.Inbound = Action("DefaultInboundAction");
            ps.Outbound = Action("DefaultOutboundAction");
            return ps;
        }

        private static WindowsRule Read(JsonObject o, string file, int index)
        {
            var r = new WindowsRule();
            r.Source = new SourceLocation(file, o.Line, o.Column, "[" + index.ToString(CultureInfo.InvariantCulture) + "]");
            r.Name = Scalar(Get(o, "Name")) ?? throw FirewallErrors.Parse(file, o.Line, o.Column, IptablesSaveParser.Reason("Reason_NftMissing", "Name"));
            r.DisplayName = Scalar(Get(o, "DisplayName"));
            r.Enabled = Map(o, "Enabled", file, "True", new Dictionary<string, string> { { "true", "True" }, { "1", "True" }, { "false", "False" }, { "2", "False" } }) == "True";
            r.Direction = Map(o, "Direction", file, null, new Dictionary<string, string> { { "inbound", "In" }, { "in", "In" }, { "1", "In" }, { "outbound", "Out" }, { "out", "Out" }, { "2", "Out" } });
            r.Action = Map(o, "Action", file, null, new Dictionary<string, string> { { "allow", "Allow" }, { "2", "Allow" }, { "block", "Block" }, { "4", "Block" }, { "allowbypass", "AllowBypass" }, { "3", "AllowBypass" } });
            var profile = Get(o, "Profile");
            var ps = Scalar(profile) ?? (profile is JsonArray pa ? string.Join(",", pa.Items.Select(Scalar)) : null);
            bool missing = profile == null || profile is JsonValue { Value: null };
            if (!missing && (ps == null || !WindowsFirewallModel.TryParseProfiles(ps, out r.Profiles)))
                throw FirewallErrors.Parse(file, profile!.Line, profile.Column, IptablesSaveParser.Reason("Reason_WinValue", "Profile", IptablesSaveParser.Shorten(ps ?? "{}")));
            r.Protocol = Scalar(Get(o, "Protocol")) ?? "Any";
            r.LocalPort = List(Get(o, "LocalPort"));
            r.RemotePort = List(Get(o, "RemotePort"));
            r.LocalAddress = List(Get(o, "LocalAddress"));
            r.RemoteAddress = List(Get(o, "RemoteAddress"));
            r.IcmpType = List(Get(o, "IcmpType"));
            if (new[] { "Protocol", "LocalPort", "RemotePort", "LocalAddress", "RemoteAddress" }.All(k => Get(o, k) == null))
            {
                // A bare Get-NetFirewallRule | ConvertTo-Json: the conditions live in the filter objects, not exported.
                r.Others.Add("port and address filters not exported");
            }
            foreach (var key in new[] { "Program", "Service", "InterfaceAlias", "InterfaceType", "LocalUser", "RemoteUser", "RemoteMachine" })
            {
                var vs = List(Get(o, key)).Where(v => !WindowsFirewallModel.IsAny(v)).ToList();
                if (vs.Count > 0) r.Others.Add(key + "=" + string.Join(",", vs));
            }
            return r;
        }

        private static string Map(JsonObject o, string key, string file, string? fallback, Dictionary<string, string> values)
        {
            var node = Get(o, key);
            var raw = Scalar(node);
            if (raw == null)
            {
                if (fallback != null) return fallback;
                throw FirewallErrors.Parse(file, o.Line, o.Column, IptablesSaveParser.Reason("Reason_NftMissing", key));
            }
            if (values.TryGetValue(raw.Trim().ToLowerInvariant(), out var v)) return v;
            throw FirewallErrors.Parse(file, node!.Line, node.Column, IptablesSaveParser.Reason("Reason_WinValue", key, IptablesSaveParser.Shorten(raw)));
        }
    }

    /// <summary>
    /// Reads "netsh advfirewall firewall show rule name=all verbose" in English: blocks that start
    /// with "Rule Name:" and hold "Label: value" lines. Localised output (French "Nom de la règle:")
    /// is refused with a clear error rather than half read.
    /// </summary>
    public static class NetshParser
    {
        internal static bool LooksLikeNetsh(string text)
        {
            var head = text.Length > 8192 ? text.Substring(0, 8192) : text;
            return head.IndexOf("Rule Name:", StringComparison.Ordinal) >= 0 || head.IndexOf("Nom de la r", StringComparison.Ordinal) >= 0;
        }

        public static FirewallRuleSet Parse(string text, string file, CancellationToken ct)
            => Parse(text, file, null, ct);

        /// <summary>Reads the listing; with a profile, the rules of other profiles are kept aside as inactive.</summary>
        public static FirewallRuleSet Parse(string text, string file, WindowsFirewallProfile? profile, CancellationToken ct)
        {
            var rules = new List<WindowsRule>();
            WindowsRule? current = null;
            string? lastLabel = null;
            int n = 0;
            bool any = false;
            foreach (var raw in FirewallRuleSetReader.Lines(text))
            {
                n++;
                if ((n & 1023) == 0) ct.ThrowIfCancellationRequested();
                var line = raw.TrimEnd();
                var trimmed = line.Trim();
                if (trimmed.Length == 0 || trimmed.StartsWith("---", StringComparison.Ordinal) || trimmed == "Ok." || trimmed == "OK.") continue;
                if (trimmed.StartsWith("Nom de la r", StringComparison.Ordinal))
                    throw FirewallErrors.Specific("FirewallFormatUnsupported", Core.TssrErrorCategory.NotImplemented, FirewallErrors.Location(file, n),
                        "Error_NetshLocalised", "Action_NetshLocalised", file);
                var colon = line.IndexOf(':');
                bool continuation = raw.Length > 0 && char.IsWhiteSpace(raw[0]);
                if (continuation && current != null)
                {
                    // The ICMP "Type Code" table under Protocol:, or a wrapped value.
                    var parts = trimmed.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                    if (lastLabel == "Protocol" && parts.Length == 2 && parts[0] != "Type")
                        current.IcmpType.Add(parts[0] + ":" + parts[1]);
                    continue;
                }
                if (colon <= 0)
                {
                    if (current == null) continue; // banners
                    throw FirewallErrors.Parse(file, n, 1, IptablesSaveParser.Reason("Reason_NetshLine", IptablesSaveParser.Shorten(trimmed)));
                }
                var label = line.Substring(0, colon).Trim();
                var value = line.Substring(colon + 1).Trim();
                if (label == "Rule Name")
                {
                    current = new WindowsRule { Name = value, DisplayName = value, Source = new SourceLocation(file, n) };
                    rules.Add(current);
                    any = true;
                    lastLabel = label;
                    continue;
                }
                if (current == null) continue; // text before the first rule ("No rules match..." aside)
                lastLabel = label;
                switch (label)
                {
                    case "Enabled":
                        current.Enabled = Expect(file, n, label, value, ("Yes", "True"), ("No", "False")) == "True";
                        break;
                    case "Direction":
                        current.Direction = Expect(file, n, label, value, ("In", "In"), ("Out", "Out"));
                        break;
                    case "Action":
                        current.Action = Expect(file, n, label, value, ("Allow", "Allow"), ("Block", "Block"), ("Bypass", "AllowBypass"));
                        break;
                    case "Profiles":
                        if (!WindowsFirewallModel.TryParseProfiles(value, out current.Profiles))
                            throw FirewallErrors.Parse(file, n, 1, IptablesSaveParser.Reason("Reason_WinValue", label, IptablesSaveParser.Shorten(value)));
                        break;
                    case "Protocol": current.Protocol = value; break;
                    case "LocalPort": current.LocalPort = WindowsFirewallModel.SplitList(value); break;
                    case "RemotePort": current.RemotePort = WindowsFirewallModel.SplitList(value); break;
                    case "LocalIP": current.LocalAddress = WindowsFirewallModel.SplitList(value); break;
                    case "RemoteIP": current.RemoteAddress = WindowsFirewallModel.SplitList(value); break;
                    case "Program": case "Service": case "InterfaceTypes": case "LocalComputerGroup": case "RemoteComputerGroup": case "RemoteUserGroup":
                        if (!WindowsFirewallModel.IsAny(value)) current.Others.Add(label + "=" + value);
                        break;
                }
            }
            if (!any) throw FirewallErrors.Parse(file, 1, 0, IptablesSaveParser.Reason("Reason_NetshNoRule"));
            // netsh text carries no profile settings: the usual defaults apply, and a warning says so.
            return WindowsFirewallModel.Build(rules, new List<WindowsProfileSettings>(), file, RuleSetFormat.Netsh, profile, ct);
        }

        private static string Expect(string file, int line, string label, string value, params (string Text, string Meaning)[] choices)
        {
            foreach (var c in choices) if (string.Equals(c.Text, value, StringComparison.OrdinalIgnoreCase)) return c.Meaning;
            throw FirewallErrors.Parse(file, line, 1, IptablesSaveParser.Reason("Reason_WinValue", label, IptablesSaveParser.Shorten(value)));
        }
    }
}
