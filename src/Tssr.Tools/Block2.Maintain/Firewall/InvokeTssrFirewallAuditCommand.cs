using System;
using System.Management.Automation;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools
{
    /// <summary>Audits rule sets: Al-Shaer &amp; Hamed anomalies and policy weaknesses, each finding with its rule and line.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "TssrFirewallAudit", DefaultParameterSetName = ByRuleSet)]
    [OutputType(typeof(FirewallFinding))]
    [Competency(Engine.Core.Competency.SecureInternetAccessAndInterconnections)]
    public sealed class InvokeTssrFirewallAuditCommand : FirewallCmdletBase
    {
        /// <summary>Rule sets from Import-TssrFirewallRuleSet.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByRuleSet, ValueFromPipeline = true)]
        public FirewallRuleSet[] RuleSet { get; set; } = Array.Empty<FirewallRuleSet>();

        /// <summary>Rule set files to read and audit.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByPath, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Windows Firewall exports read from -Path: evaluate them for this profile (see Import-TssrFirewallRuleSet -Profile).</summary>
        [Parameter(ParameterSetName = ByPath)]
        [EnumArgument(typeof(WindowsFirewallProfile), nameof(Profile))]
        public WindowsFirewallProfile Profile { get; set; }

        /// <summary>Audits the local host's rules.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByLive)]
        public SwitchParameter Live { get; set; }

        /// <summary>Only findings of at least this severity.</summary>
        [Parameter]
        [EnumArgument(typeof(FindingSeverity), nameof(MinimumSeverity))]
        public FindingSeverity MinimumSeverity { get; set; } = FindingSeverity.Info;

        /// <summary>Only these kinds of findings.</summary>
        [Parameter]
        [EnumArgument(typeof(FindingKind), nameof(Kind))]
        public FindingKind[]? Kind { get; set; }

        private readonly FirewallAuditEngine _engine = new FirewallAuditEngine();
        private FirewallAuditOptions _options = null!;

        protected override void BeginProcessing()
            => _options = new FirewallAuditOptions { MinimumSeverity = MinimumSeverity, Kinds = Kind };

        protected override void ProcessRecord()
        {
            if (Live) RunEngine(_engine, _options, new[] { ReadLive(RuleSetFormat.Auto) });
            else if (ParameterSetName == ByPath)
            {
                foreach (var file in ResolveFiles(Path))
                {
                    var set = ReadFile(file, RuleSetFormat.Auto, terminating: false, BoundProfile(Profile));
                    if (set != null) RunEngine(_engine, _options, new[] { set });
                }
            }
            else RunEngine(_engine, _options, RuleSet);
        }
    }
}
