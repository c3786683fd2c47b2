using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Firewall.Parsers
{
    /// <summary>The errors of the firewall readers: specific ids, the file and line as target.</summary>
    internal static class FirewallErrors
    {
        internal static readonly Localizer Text = FirewallText.Strings;

        public static string Location(string file, int line, int column = 0)
            => column > 0 ? $"{file}:{line}:{column}" : $"{file}:{line}";

        /// <summary>FirewallParseError: the file cannot be read as its format; says where and why.</summary>
        public static TssrException Parse(string file, int line, int column, string reason)
        {
            var where = Location(file, line, column);
            return new TssrException("FirewallParseError", TssrErrorCategory.ParserError, where,
                Text.Format("Error_Parse", where, reason), Text.Get("Action_Parse"));
        }

        public static TssrException Specific(string errorId, TssrErrorCategory category, string target, string messageKey, string actionKey, params object?[] args)
            => new TssrException(errorId, category, target, Text.Format(messageKey, args), Text.Get(actionKey));
    }
}
