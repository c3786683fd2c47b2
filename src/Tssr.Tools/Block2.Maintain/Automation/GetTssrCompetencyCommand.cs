using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools
{
    /// <summary>Lists the competencies of the TSSR référentiel and the cmdlets that serve each.</summary>
    [Cmdlet(VerbsCommon.Get, "TssrCompetency")]
    [OutputType(typeof(CompetencyInfo))]
    [Competency(Engine.Core.Competency.AutomateWithScripts)]
    public sealed class GetTssrCompetencyCommand : TssrCmdlet
    {
        /// <summary>Only these competencies.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [EnumArgument(typeof(Competency), nameof(Competency))]
        public Competency[]? Competency { get; set; }

        /// <summary>Only the competencies of this block.</summary>
        [Parameter]
        public CompetencyBlock? Block { get; set; }

        /// <summary>Only the competencies served by this command (wildcards allowed).</summary>
        [Parameter]
        [SupportsWildcards]
        public string? CommandName { get; set; }

        protected override void ProcessRecord()
        {
            var served = CommandsByCompetency();
            var pattern = CommandName == null ? null : new WildcardPattern(CommandName, WildcardOptions.IgnoreCase);
            foreach (var info in CompetencyCatalog.All(CultureInfo.CurrentUICulture))
            {
                if (Competency != null && !Competency.Contains(info.Competency)) continue;
                if (Block.HasValue && info.Block != Block.Value) continue;
                served.TryGetValue(info.Competency, out var commands);
                var list = (IReadOnlyList<string>?)commands ?? Array.Empty<string>();
                if (pattern != null && !list.Any(pattern.IsMatch)) continue;
                WriteObject(info.WithCommands(list));
            }
        }

        internal static Dictionary<Competency, List<string>> CommandsByCompetency()
        {
            var map = new Dictionary<Competency, List<string>>();
            foreach (var type in typeof(GetTssrCompetencyCommand).Assembly.GetTypes())
            {
                var cmdlet = type.GetCustomAttribute<CmdletAttribute>();
                var competency = type.GetCustomAttribute<CompetencyAttribute>();
                if (cmdlet == null || competency == null) continue;
                foreach (var c in competency.Competencies)
                {
                    if (!map.TryGetValue(c, out var list)) map[c] = list = new List<string>();
                    list.Add(cmdlet.VerbName + "-" + cmdlet.NounName);
                }
            }
            foreach (var list in map.Values) list.Sort(StringComparer.OrdinalIgnoreCase);
            return map;
        }
    }
}
