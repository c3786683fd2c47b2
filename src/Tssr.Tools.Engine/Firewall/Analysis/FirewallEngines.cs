using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools.Engine.Firewall.Analysis
{
    /// <summary>What Invoke-TssrFirewallAudit asks: the findings to keep (the engine filters, not the cmdlet).</summary>
    public sealed class FirewallAuditOptions
    {
        /// <summary>Only findings of at least this severity.</summary>
        public FindingSeverity MinimumSeverity { get; set; } = FindingSeverity.Info;

        /// <summary>Only these kinds; null or empty: every kind.</summary>
        public IReadOnlyCollection<FindingKind>? Kinds { get; set; }

        public bool Keeps(FirewallFinding f) => f.Severity >= MinimumSeverity && (Kinds == null || Kinds.Count == 0 || Kinds.Contains(f.Kind));
    }

    /// <summary>Audits each rule set given, streaming the findings the options keep.</summary>
    public sealed class FirewallAuditEngine : IEngine<FirewallAuditOptions, FirewallRuleSet>
    {
        public Task RunAsync(FirewallAuditOptions options, IEnumerable<FirewallRuleSet> inputs, IEngineSink sink, CancellationToken cancellationToken)
            => Task.Run(() =>
            {
                foreach (var set in inputs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    FirewallAuditor.AuditAsync(set, options, sink, cancellationToken).GetAwaiter().GetResult();
                }
            }, cancellationToken);
    }

    /// <summary>What Compare-TssrFirewallRuleSet asks: the reference, and the kinds of change to keep.</summary>
    public sealed class FirewallCompareOptions
    {
        public FirewallCompareOptions(FirewallRuleSet reference) { Reference = reference ?? throw new ArgumentNullException(nameof(reference)); }

        public FirewallRuleSet Reference { get; }

        /// <summary>Only changes of these kinds; null or empty: both.</summary>
        public IReadOnlyCollection<TrafficChangeKind>? Changes { get; set; }

        public bool Keeps(TrafficChange c) => Changes == null || Changes.Count == 0 || Changes.Contains(c.Change);
    }

    /// <summary>Compares each difference rule set given with the reference of the options.</summary>
    public sealed class FirewallCompareEngine : IEngine<FirewallCompareOptions, FirewallRuleSet>
    {
        public Task RunAsync(FirewallCompareOptions options, IEnumerable<FirewallRuleSet> inputs, IEngineSink sink, CancellationToken cancellationToken)
            => Task.Run(() =>
            {
                foreach (var difference in inputs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    RuleSetComparer.CompareAsync(options.Reference, difference, options, sink, cancellationToken).GetAwaiter().GetResult();
                }
            }, cancellationToken);
    }

    /// <summary>What Test-TssrFirewallFlow asks: the rule set the flows go through.</summary>
    public sealed class FirewallFlowOptions
    {
        public FirewallFlowOptions(FirewallRuleSet ruleSet) { RuleSet = ruleSet ?? throw new ArgumentNullException(nameof(ruleSet)); }

        public FirewallRuleSet RuleSet { get; }
    }

    /// <summary>
    /// Evaluates each flow through the rule set of the options. Synchronous and short (pure CPU):
    /// the task is complete when RunAsync returns. The compiled evaluator of a rule set is kept
    /// while the same rule set is asked (one compilation for a thousand piped flows).
    /// </summary>
    public sealed class FirewallFlowEngine : IEngine<FirewallFlowOptions, FlowQuery>
    {
        private readonly ConditionalWeakTable<FirewallRuleSet, FlowEvaluator> _evaluators = new ConditionalWeakTable<FirewallRuleSet, FlowEvaluator>();

        public FlowEvaluator EvaluatorFor(FirewallRuleSet set) => _evaluators.GetValue(set, s => new FlowEvaluator(s));

        public Task RunAsync(FirewallFlowOptions options, IEnumerable<FlowQuery> inputs, IEngineSink sink, CancellationToken cancellationToken)
            => EngineTask.Run(() =>
            {
                var evaluator = EvaluatorFor(options.RuleSet);
                foreach (var q in inputs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    sink.Output(evaluator.Evaluate(q));
                }
            }, cancellationToken);
    }
}
