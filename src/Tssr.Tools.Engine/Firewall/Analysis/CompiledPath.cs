using System;
using System.Collections.Generic;
using System.Linq;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Model;
using Tssr.Tools.Engine.Firewall.Parsers;

namespace Tssr.Tools.Engine.Firewall.Analysis
{
    /// <summary>
    /// One step of a base chain's evaluated path: a rule with the conditions of the jumps that led
    /// to it folded into its match. Return entries carry where evaluation resumes.
    /// </summary>
    public sealed class PathEntry
    {
        internal PathEntry(FirewallRule? rule, FirewallChain chain, RuleAction action, PacketMatch match, IReadOnlyList<FirewallRule> via, bool isPolicy)
        {
            Rule = rule; Chain = chain; Action = action; Match = match; Via = via; IsPolicy = isPolicy;
        }

        /// <summary>The rule as written; null for the base chain's policy.</summary>
        public FirewallRule? Rule { get; }
        public FirewallChain Chain { get; }
        /// <summary>Accept, Drop, Reject, Return, Continue or Unknown (jumps are inlined).</summary>
        public RuleAction Action { get; }
        public PacketMatch Match { get; }
        /// <summary>The jump/goto rules taken to get here, outermost first.</summary>
        public IReadOnlyList<FirewallRule> Via { get; }
        public bool IsPolicy { get; }
        /// <summary>For Return: the index in the path where evaluation resumes.</summary>
        public int ResumeAt { get; internal set; }
        /// <summary>For an entry made by a goto: true (the synthetic return at the end of the goto).</summary>
        public bool IsGotoReturn { get; internal set; }

        /// <summary>Its match is exactly its box (the audit's and comparison's view): analysed, no TCP flags condition.</summary>
        public bool IsReliable => Match.IsBoxExact;

        public bool Decides => Action == RuleAction.Accept || Action == RuleAction.Drop || Action == RuleAction.Reject || Action == RuleAction.Unknown;
    }

    /// <summary>A base chain with every jump, goto and RETURN inlined: first match over this list is the chain's verdict.</summary>
    public sealed class CompiledPath
    {
        internal CompiledPath(FirewallChain chain, List<PathEntry> entries)
        {
            Chain = chain; Entries = entries;
        }

        public FirewallChain Chain { get; }
        public IReadOnlyList<PathEntry> Entries { get; }
    }

    public static class PathCompiler
    {
        /// <summary>A guard against chains called from so many places that inlining explodes.</summary>
        public const int MaxEntries = 4_000_000;

        /// <summary>Compiles every base chain that filters traffic.</summary>
        public static List<CompiledPath> CompileAll(FirewallRuleSet set)
            => set.Chains.Where(c => c.Filters).Select(c => Compile(set, c)).ToList();

        public static CompiledPath Compile(FirewallRuleSet set, FirewallChain chain)
        {
            var entries = new List<PathEntry>();
            var stack = new List<FirewallChain>();
            Inline(set, chain, PacketMatch.Any.Intersect(FamilyMatch(chain)), new List<FirewallRule>(), stack, entries, chain);
            var policy = new PathEntry(null, chain, chain.Policy ?? RuleAction.Accept, PacketMatch.Any, Array.Empty<FirewallRule>(), true);
            entries.Add(policy);
            return new CompiledPath(chain, entries);
        }

        private static PacketMatch FamilyMatch(FirewallChain chain)
            => new PacketMatch.Builder().OnlyFamilies(chain.Families == FamilySet.None ? FamilySet.Both : chain.Families).Build();

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        private static void Inline(FirewallRuleSet set, FirewallChain chain, PacketMatch context, List<FirewallRule> via,
            List<FirewallChain> stack, List<PathEntry> entries, FirewallChain root)
        {
            stack.Add(chain);
            var returns = new List<PathEntry>();
            var viaArray = via.ToArray();
            foreach (var rule in chain.Rules)
            {
                if (entries.Count > MaxEntries)
                    throw FirewallErrors.Specific("FirewallPathTooLarge", TssrErrorCategory.LimitsExceeded, root.Key, "Error_PathTooLarge", "Action_PathTooLarge", root.Key, MaxEntries);
                if (rule.Disabled) continue;
                var effective = context.Intersect(rule.Match);
                switch (rule.Action)
                {
                    case RuleAction.Jump:
                    case RuleAction.Goto:
                        {
                            var target = set.FindChain(rule.Family, rule.Table, rule.Target ?? "");
                            if (target == null) break;
                            if (stack.Contains(target))
                            {
                                var cycle = string.Join(" -> ", stack.Select(c => c.Name).Concat(new[] { target.Name }));
                                throw FirewallErrors.Specific("FirewallChainLoop", TssrErrorCategory.InvalidData, rule.Source.ToString(), "Error_ChainLoop", "Action_ChainLoop", rule.Source, cycle);
                            }
                            via.Add(rule);
                            if (!effective.IsEmpty) Inline(set, target, effective, via, stack, entries, root);
                            else entries.Add(new PathEntry(rule, chain, RuleAction.Continue, effective, viaArray, false));
                            via.RemoveAt(via.Count - 1);
                            if (rule.Action == RuleAction.Goto)
                            {
                                // After a goto'd chain ends, evaluation leaves this chain too.
                                var back = new PathEntry(rule, chain, RuleAction.Return, effective, viaArray, false) { IsGotoReturn = true };
                                entries.Add(back);
                                returns.Add(back);
                            }
                            break;
                        }
                    case RuleAction.Return:
                        {
                            var entry = new PathEntry(rule, chain, RuleAction.Return, effective, viaArray, false);
                            entries.Add(entry);
                            returns.Add(entry);
                            break;
                        }
                    default:
                        entries.Add(new PathEntry(rule, chain, rule.Action, effective, viaArray, false));
                        break;
                }
            }
            foreach (var r in returns) r.ResumeAt = entries.Count;
            stack.RemoveAt(stack.Count - 1);
        }
    }
}
