using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools
{
    /// <summary>Reads firewall rule sets (iptables-save, nft JSON, pfSense/OPNsense config.xml, or the local host) into one normalised model.</summary>
    [Cmdlet(VerbsData.Import, "TssrFirewallRuleSet", DefaultParameterSetName = ByPath)]
    [OutputType(typeof(FirewallRuleSet))]
    [Competency(Engine.Core.Competency.SecureInternetAccessAndInterconnections)]
    public sealed class ImportTssrFirewallRuleSetCommand : FirewallCmdletBase
    {
        /// <summary>Files to read; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByPath, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Reads the rules the local host's kernel runs now.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByLive)]
        public SwitchParameter Live { get; set; }

        /// <summary>The format; detected from the content when Auto.</summary>
        [Parameter]
        [EnumArgument(typeof(RuleSetFormat), nameof(Format))]
        public RuleSetFormat Format { get; set; } = RuleSetFormat.Auto;

        /// <summary>
        /// Windows Firewall exports: evaluates the rule set for this profile. Rules of other profiles
        /// are kept in InactiveRules and decide no flow. Another format is an error for that file.
        /// </summary>
        [Parameter(ParameterSetName = ByPath)]
        [EnumArgument(typeof(WindowsFirewallProfile), nameof(Profile))]
        public WindowsFirewallProfile Profile { get; set; }

        private WindowsFirewallProfile? _profile;

        protected override void BeginProcessing()
        {
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(Profile))) return;
            _profile = Profile;
            if (Format != RuleSetFormat.Auto && Format != RuleSetFormat.WindowsJson && Format != RuleSetFormat.Netsh)
                ThrowParameterError("FirewallProfileNotApplicable", Format, FirewallStrings.Format("Error_ProfileFormat", Profile, Format),
                    FirewallStrings.Format("Action_ProfileNotApplicable"));
        }

        protected override void ProcessRecord()
        {
            if (Live)
            {
                WriteObject(ReadLive(Format));
                return;
            }
            foreach (var file in ResolveFiles(Path))
            {
                var set = ReadFile(file, Format, terminating: false, _profile);
                if (set != null) WriteObject(set);
            }
        }
    }
}
