using System.Collections.Generic;
using System.Globalization;

namespace Tssr.Tools.Engine.Core
{
    /// <summary>The competency blocks of the TSSR title (RNCP37682).</summary>
    public enum CompetencyBlock
    {
        /// <summary>Bloc 1: operate the infrastructure and support its users.</summary>
        OperateAndSupport = 1,
        /// <summary>Bloc 2: maintain the infrastructure, help it evolve and secure it.</summary>
        MaintainAndSecure = 2,
    }

    /// <summary>The competencies of the référentiel, in its order.</summary>
    public enum Competency
    {
        SupportUsers = 1,
        OperateWindowsServersAndActiveDirectory = 2,
        OperateLinuxServers = 3,
        OperateIpNetwork = 4,
        MaintainVirtualisedServers = 5,
        AutomateWithScripts = 6,
        SecureInternetAccessAndInterconnections = 7,
        BackupAndRestore = 8,
    }

    /// <summary>One competency with its titles in the user's language.</summary>
    public sealed class CompetencyInfo
    {
        internal CompetencyInfo(Competency competency, CompetencyBlock block, string blockTitle, string title, IReadOnlyList<string>? commands = null)
        {
            Commands = commands ?? new string[0];
            Competency = competency;
            Number = (int)competency;
            Block = block;
            BlockTitle = blockTitle;
            Title = title;
        }

        public Competency Competency { get; }
        public int Number { get; }
        public CompetencyBlock Block { get; }
        public string BlockTitle { get; }
        public string Title { get; }
        /// <summary>The module's commands that serve this competency.</summary>
        public IReadOnlyList<string> Commands { get; }

        public CompetencyInfo WithCommands(IReadOnlyList<string> commands)
            => new CompetencyInfo(Competency, Block, BlockTitle, Title, commands);
    }

    /// <summary>The référentiel: which block each competency belongs to, and its titles.</summary>
    public static class CompetencyCatalog
    {
        private static readonly Localizer Text = CoreText.Strings;

        public static CompetencyBlock BlockOf(Competency competency)
            => (int)competency <= (int)Competency.OperateIpNetwork ? CompetencyBlock.OperateAndSupport : CompetencyBlock.MaintainAndSecure;

        public static CompetencyInfo Describe(Competency competency) => Describe(competency, CultureInfo.CurrentUICulture);

        public static CompetencyInfo Describe(Competency competency, CultureInfo culture)
        {
            var block = BlockOf(competency);
            return new CompetencyInfo(
                competency,
                block,
                Text.Get("Block_" + block, culture),
                Text.Get("Competency_" + competency, culture));
        }

        public static IEnumerable<CompetencyInfo> All(CultureInfo culture)
        {
            foreach (Competency c in System.Enum.GetValues(typeof(Competency)))
                yield return Describe(c, culture);
        }
    }
}
