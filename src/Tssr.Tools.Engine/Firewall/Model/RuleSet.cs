using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Tssr.Tools.Engine.Firewall.Model
{
    public enum RuleAction
    {
        Accept,
        Drop,
        Reject,
        /// <summary>Leave the current chain (back to the caller, or the policy in a base chain).</summary>
        Return,
        Jump,
        Goto,
        /// <summary>A rule with no verdict (LOG, counter, mark): evaluation continues.</summary>
        Continue,
        /// <summary>A verdict the analysis does not model (QUEUE, DNAT in a filter path...).</summary>
        Unknown,
    }

    public enum ChainHook
    {
        None,
        Prerouting,
        Input,
        Forward,
        Output,
        Postrouting,
        /// <summary>Traffic entering a perimeter firewall's interface (pfSense/OPNsense interface rules).</summary>
        Inbound,
        /// <summary>Traffic leaving a perimeter firewall's interface.</summary>
        Outbound,
    }

    public enum RuleSetFormat
    {
        Auto,
        IptablesSave,
        NftJson,
        NftText,
        PfSense,
        OpnSense,
        /// <summary>Get-NetFirewallRule with its port and address filters, as ConvertTo-Json writes it.</summary>
        WindowsJson,
        /// <summary>netsh advfirewall firewall show rule name=all verbose (English or French).</summary>
        Netsh,
    }

    /// <summary>
    /// A Windows Firewall profile (the network location type Windows gives each connection). A rule
    /// applies to one or more profiles; a rule set can be evaluated for one of them.
    /// </summary>
    public enum WindowsFirewallProfile
    {
        Domain = 1,
        Private = 2,
        Public = 4,
    }

    /// <summary>Where a rule or a policy was written: file and line (and column, or the XML/JSON path).</summary>
    public sealed class SourceLocation
    {
        public SourceLocation(string file, int line, int column = 0, string? path = null)
        {
            File = file; Line = line; Column = column; Path = path;
        }

        public string File { get; }
        public int Line { get; }
        public int Column { get; }
        public string? Path { get; }

        public override string ToString()
        {
            var s = File + ":" + Line.ToString(CultureInfo.InvariantCulture);
            if (Column > 0) s += ":" + Column.ToString(CultureInfo.InvariantCulture);
            if (!string.IsNullOrEmpty(Path)) s += " (" + Path + ")";
            return s;
        }
    }

    /// <summary>One rule as written, normalised.</summary>
    public sealed class FirewallRule
    {
        public FirewallRule(string family, string table, string chain, int number, RuleAction action, string? target,
            PacketMatch match, SourceLocation source, string text, string? comment = null, bool disabled = false,
            long? packets = null, long? bytes = null, bool? quick = null, string? natDestination = null, string? profiles = null, string? element = null)
        {
            Element = element;
            Family = family; Table = table; Chain = chain; Number = number; Action = action; Target = target;
            Match = match; Source = source; Text = text; Comment = comment; Disabled = disabled;
            Packets = packets; Bytes = bytes; Quick = quick; NatDestination = natDestination; Profiles = profiles;
        }

        /// <summary>
        /// nftables: the element of a verdict map or of a set of concatenations this part of the rule
        /// stands for ("udp . 51820 : accept"). The kernel counts the statement as one rule: every part
        /// has the rule's number and first line, the element beside them. Null otherwise.
        /// </summary>
        public string? Element { get; }

        /// <summary>Windows: the profiles the rule applies to ("Domain, Private"); null when it applies to every profile, and outside Windows.</summary>
        public string? Profiles { get; }

        /// <summary>For a DNAT rule: where it sends the packet ("10.0.0.5", "10.0.0.5:80", "[2001:db8::5]:80", ":8080"); null otherwise.</summary>
        public string? NatDestination { get; }

        /// <summary>ip, ip6, inet (nftables family names; iptables tables map to ip/ip6).</summary>
        public string Family { get; }
        public string Table { get; }
        public string Chain { get; }
        /// <summary>Position in its chain, from 1.</summary>
        public int Number { get; }
        public RuleAction Action { get; }
        /// <summary>The chain jumped to (Jump/Goto), or the verdict's name for Unknown.</summary>
        public string? Target { get; }
        public PacketMatch Match { get; }
        public SourceLocation Source { get; }
        public string Text { get; }
        public string? Comment { get; }
        public bool Disabled { get; }
        public long? Packets { get; }
        public long? Bytes { get; }
        /// <summary>pf's quick flag (null outside pf).</summary>
        public bool? Quick { get; }

        public IReadOnlyList<string> NotAnalysed => Match.NotAnalysed;
        public bool IsAnalysed => Match.IsAnalysed;

        /// <summary>"ip filter INPUT #3".</summary>
        public string Id => $"{Family} {Table} {Chain} #{Number.ToString(CultureInfo.InvariantCulture)}" + (Element == null ? "" : " [" + Element + "]");

        public bool IsTerminal => Action == RuleAction.Accept || Action == RuleAction.Drop || Action == RuleAction.Reject;

        public override string ToString() => Id + ": " + Text;
    }

    /// <summary>A chain: a base chain hooked into the packet path (with a policy), or a user chain.</summary>
    public sealed class FirewallChain
    {
        public FirewallChain(string family, string table, string name, ChainHook hook, int priority, RuleAction? policy,
            SourceLocation source, string? type = "filter", string? interfaceName = null)
        {
            Family = family; Table = table; Name = name; Hook = hook; Priority = priority; Policy = policy;
            Source = source; Type = type; InterfaceName = interfaceName;
        }

        public string Family { get; }
        public string Table { get; }
        public string Name { get; }
        public ChainHook Hook { get; }
        public int Priority { get; }
        /// <summary>Accept or Drop for a base chain; null for a user chain.</summary>
        public RuleAction? Policy { get; }
        public SourceLocation Source { get; }
        /// <summary>filter, nat, route (nftables), or the iptables table name.</summary>
        public string? Type { get; }
        /// <summary>The interface a perimeter firewall's chain belongs to (pfSense "lan").</summary>
        public string? InterfaceName { get; }
        public List<FirewallRule> Rules { get; } = new List<FirewallRule>();

        public bool IsBase => Hook != ChainHook.None;

        public FamilySet Families => Family == "ip" ? FamilySet.Ipv4 : Family == "ip6" ? FamilySet.Ipv6 : Family == "inet" ? FamilySet.Both : FamilySet.None;

        /// <summary>Whether this chain decides traffic: a filter-type base chain (not nat, route, raw or mangle).</summary>
        public bool Filters => IsBase && (Type == null || Type == "filter") && Families != FamilySet.None;

        public string Key => Family + " " + Table + " " + Name;

        public override string ToString() => Key + (IsBase ? $" (hook {Hook}, policy {Policy})" : "");
    }

    /// <summary>A whole rule set, as read from one source.</summary>
    public sealed class FirewallRuleSet
    {
        public FirewallRuleSet(string name, RuleSetFormat format, string source)
        {
            Name = name; Format = format; SourcePath = source;
        }

        public string Name { get; }
        public RuleSetFormat Format { get; }
        public string SourcePath { get; }
        public List<FirewallChain> Chains { get; } = new List<FirewallChain>();
        /// <summary>What the reader noticed but could not model (unknown keys, unsupported tables...).</summary>
        public List<string> Warnings { get; } = new List<string>();
        /// <summary>Rules present but disabled (pfSense, Windows), kept for the audit.</summary>
        public List<FirewallRule> DisabledRules { get; } = new List<FirewallRule>();
        /// <summary>
        /// Windows, evaluated for one profile: the enabled rules that apply only to other profiles.
        /// Kept for the audit, never in a chain, so they decide no flow.
        /// </summary>
        public List<FirewallRule> InactiveRules { get; } = new List<FirewallRule>();
        /// <summary>
        /// Windows: the profile the rule set was evaluated for (Import-TssrFirewallRuleSet -Profile);
        /// null when every rule counts whatever its profiles (no -Profile, and outside Windows).
        /// </summary>
        public WindowsFirewallProfile? Profile { get; internal set; }
        /// <summary>Whether the format has Windows Firewall profiles (WindowsJson, Netsh).</summary>
        public bool HasProfiles => Format == RuleSetFormat.WindowsJson || Format == RuleSetFormat.Netsh;
        /// <summary>The firewall's own interface addresses when known (pfSense), by interface name.</summary>
        public Dictionary<string, string> InterfaceNetworks { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Interfaces that face an upstream network (a gateway, WAN, bogon/private blocking): any source may arrive there.</summary>
        public HashSet<string> UpstreamInterfaces { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public IEnumerable<FirewallRule> Rules => Chains.SelectMany(c => c.Rules);
        public int RuleCount => Chains.Sum(c => c.Rules.Count);
        public int ChainCount => Chains.Count;
        public int NotAnalysedCount => Rules.Count(r => !r.IsAnalysed);

        public FirewallChain? FindChain(string family, string table, string name)
            => Chains.FirstOrDefault(c => c.Family == family && c.Table == table && c.Name == name);

        public override string ToString()
            => $"{Name} ({Format}{(Profile == null ? "" : ", profile " + Profile)}): {ChainCount} chain{(ChainCount == 1 ? "" : "s")}, {RuleCount} rule{(RuleCount == 1 ? "" : "s")}";
    }
}
