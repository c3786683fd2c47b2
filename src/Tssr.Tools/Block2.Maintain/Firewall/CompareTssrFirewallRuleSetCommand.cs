using System.Management.Automation;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools
{
    /// <summary>What traffic the difference rule set allows or blocks that the reference did not: address, port and protocol spaces, not lines.</summary>
    [Cmdlet(VerbsData.Compare, "TssrFirewallRuleSet", DefaultParameterSetName = ByRuleSet)]
    [OutputType(typeof(TrafficChange))]
    [Competency(Engine.Core.Competency.SecureInternetAccessAndInterconnections)]
    public sealed class CompareTssrFirewallRuleSetCommand : FirewallCmdletBase
    {
        /// <summary>The rule set before the change.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByRuleSet)]
        public FirewallRuleSet? ReferenceRuleSet { get; set; }

        /// <summary>The rule set after the change.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByRuleSet, ValueFromPipeline = true)]
        public FirewallRuleSet? DifferenceRuleSet { get; set; }

        /// <summary>The file of the rule set before the change.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByPath)]
        public string? ReferencePath { get; set; }

        /// <summary>The file of the rule set after the change.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByPath)]
        public string? DifferencePath { get; set; }

        /// <summary>Windows Firewall exports read from the two paths: evaluate both for this profile (see Import-TssrFirewallRuleSet -Profile).</summary>
        [Parameter(ParameterSetName = ByPath)]
        [EnumArgument(typeof(WindowsFirewallProfile), nameof(Profile))]
        public WindowsFirewallProfile Profile { get; set; }

        /// <summary>Only changes of this kind (NewlyAllowed or NewlyBlocked).</summary>
        [Parameter]
        [EnumArgument(typeof(TrafficChangeKind), nameof(Change))]
        public TrafficChangeKind[]? Change { get; set; }

        private readonly FirewallCompareEngine _engine = new FirewallCompareEngine();

        protected override void ProcessRecord()
        {
            var reference = ReferenceRuleSet;
            var difference = DifferenceRuleSet;
            if (ParameterSetName == ByPath)
            {
                reference = ReadFile(ResolveFile(ReferencePath!), RuleSetFormat.Auto, terminating: true, BoundProfile(Profile));
                difference = ReadFile(ResolveFile(DifferencePath!), RuleSetFormat.Auto, terminating: true, BoundProfile(Profile));
            }
            if (reference != null && difference != null && reference.Profile != difference.Profile && (reference.HasProfiles || difference.HasProfiles))
            {
                string Profile(FirewallRuleSet s) => s.Profile?.ToString() ?? FirewallStrings.Format("Profile_All");
                WriteWarning(FirewallStrings.Format("Warning_CompareProfiles", reference.Name, Profile(reference), difference.Name, Profile(difference)));
            }
            RunEngine(_engine, new FirewallCompareOptions(reference!) { Changes = Change }, new[] { difference! });
        }
    }
}
