using System;
using System.Collections.Generic;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools.Engine.Firewall.Analysis
{
    public enum FindingSeverity
    {
        Info = 0,
        Low = 1,
        Medium = 2,
        High = 3,
        Critical = 4,
    }

    public enum FindingKind
    {
        /// <summary>Al-Shaer &amp; Hamed: a rule that never matches because earlier rules with another action take all its packets.</summary>
        Shadowing,
        /// <summary>Al-Shaer &amp; Hamed: a rule whose removal changes nothing.</summary>
        Redundancy,
        /// <summary>Al-Shaer &amp; Hamed: two rules with different actions that partly overlap.</summary>
        Correlation,
        /// <summary>Al-Shaer &amp; Hamed: a later rule that covers an earlier one with a different action.</summary>
        Generalisation,
        /// <summary>Al-Shaer &amp; Hamed: a rule that matches no traffic able to reach it.</summary>
        Irrelevance,
        AnyToAnyAccept,
        AdminServiceExposed,
        ClearTextService,
        DefaultAcceptPolicy,
        DisabledRule,
        /// <summary>Windows, audited for one profile: an enabled rule that applies only to other profiles (not evaluated).</summary>
        OtherProfileRule,
        Ipv6Unfiltered,
        NotAnalysed,
        /// <summary>An accept that trusts a source port alone (udp sport 53 accept): any host that picks that port reaches the whole range.</summary>
        SourcePortTrust,
        /// <summary>An IPv4-only iptables-save file (rules.v4): it says nothing of IPv6, whose ip6tables rules must be audited too.</summary>
        Ipv6NotCovered,
    }

    /// <summary>One problem found in a rule set, with the rule(s) and the file and line to fix.</summary>
    public sealed class FirewallFinding
    {
        internal FirewallFinding(FindingSeverity severity, FindingKind kind, FirewallRule? rule, IReadOnlyList<FirewallRule> related,
            string? chain, string? source, string explanation, string recommendation, string ruleSet, int relatedCount,
            WindowsFirewallProfile? profile = null)
        {
            Severity = severity; Kind = kind; Rule = rule; RelatedRules = new ValueList<FirewallRule>(related); Chain = chain; Source = source;
            Explanation = explanation; Recommendation = recommendation; RuleSet = ruleSet; RelatedCount = relatedCount; Profile = profile;
        }

        /// <summary>Windows: the profile the rule set was audited for (null: every profile's rules counted).</summary>
        public WindowsFirewallProfile? Profile { get; }

        public FindingSeverity Severity { get; }
        public FindingKind Kind { get; }
        /// <summary>The rule the finding is about (null for chain-level findings such as a policy).</summary>
        public FirewallRule? Rule { get; }
        /// <summary>The other rules involved (the ones shadowing it, overlapping it...), at most 10.</summary>
        public ValueList<FirewallRule> RelatedRules { get; }

        /// <summary>The related rules as one text: id and file:line of each, "; " between them (the column Export-Csv keeps).</summary>
        public string RelatedRuleText => FlowResult.RuleText(RelatedRules);
        /// <summary>How many related rules there are in all (RelatedRules lists the first ones).</summary>
        public int RelatedCount { get; }
        public string? Chain { get; }
        /// <summary>File and line (or XML/JSON path) to look at.</summary>
        public string? Source { get; }
        public string Explanation { get; }
        public string Recommendation { get; }
        public string RuleSet { get; }

        public string RuleId => Rule?.Id ?? Chain ?? string.Empty;

        public override string ToString() => $"[{Severity}] {Kind} {RuleId}: {Explanation}";
    }
}
