using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools.Engine.Firewall.Parsers
{
    /// <summary>Reads a rule set from a file or text, detecting its format.</summary>
    public static class FirewallRuleSetReader
    {
        /// <summary>Larger inputs are refused rather than risking the session's memory.</summary>
        public const long MaxInputBytes = 512L * 1024 * 1024;

        public static FirewallRuleSet ReadFile(string path, RuleSetFormat format = RuleSetFormat.Auto, CancellationToken ct = default)
            => ReadFile(path, format, null, ct);

        /// <summary>
        /// Reads a file; with a Windows Firewall profile, a Windows export is evaluated for that profile
        /// and any other format is refused (FirewallProfileNotApplicable) before it is parsed.
        /// </summary>
        public static FirewallRuleSet ReadFile(string path, RuleSetFormat format, WindowsFirewallProfile? profile, CancellationToken ct = default)
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw FirewallErrors.Specific("FirewallFileNotFound", TssrErrorCategory.ObjectNotFound, path, "Error_FileNotFound", "Action_FileNotFound", path);
            if (info.Length > MaxInputBytes)
                throw FirewallErrors.Specific("FirewallInputTooLarge", TssrErrorCategory.LimitsExceeded, path, "Error_TooLarge", "Action_TooLarge", path, info.Length, MaxInputBytes);
            string text;
            try
            {
                text = File.ReadAllText(path, Encoding.UTF8);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw FirewallErrors.Specific("FirewallFileUnreadable", TssrErrorCategory.ReadError, path, "Error_Unreadable", "Action_Unreadable", path, e.Message);
            }
            return ReadText(text, path, format, profile, ct);
        }

        public static FirewallRuleSet ReadText(string text, string name, RuleSetFormat format = RuleSetFormat.Auto, CancellationToken ct = default)
            => ReadText(text, name, format, null, ct);

        public static FirewallRuleSet ReadText(string text, string name, RuleSetFormat format, WindowsFirewallProfile? profile, CancellationToken ct = default)
        {
            if (format == RuleSetFormat.Auto) format = Detect(text, name);
            if (profile != null && format != RuleSetFormat.WindowsJson && format != RuleSetFormat.Netsh)
                throw FirewallErrors.Specific("FirewallProfileNotApplicable", TssrErrorCategory.InvalidArgument, name,
                    "Error_ProfileNotApplicable", "Action_ProfileNotApplicable", name, format, profile);
            switch (format)
            {
                case RuleSetFormat.IptablesSave:
                    return IptablesSaveParser.Parse(Lines(text), name, ct);
                case RuleSetFormat.NftJson:
                    return NftJsonParser.Parse(text, name, ct);
                case RuleSetFormat.NftText:
                    return NftTextParser.Parse(text, name, ct);
                case RuleSetFormat.WindowsJson:
                    return WindowsFirewallJsonParser.Parse(text, name, profile, ct);
                case RuleSetFormat.Netsh:
                    return NetshParser.Parse(text, name, profile, ct);
                case RuleSetFormat.PfSense:
                case RuleSetFormat.OpnSense:
                    return PfSenseParser.Parse(text, name, ct);
                default:
                    throw FirewallErrors.Specific("FirewallFormatUnsupported", TssrErrorCategory.NotImplemented, name, "Error_FormatUnsupported", "Action_FormatUnknown", format);
            }
        }

        public static RuleSetFormat Detect(string text, string name)
        {
            int i = 0;
            if (text.Length > 0 && text[0] == '\uFEFF') i = 1;
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i < text.Length)
            {
                char c = text[i];
                if (c == '[') return RuleSetFormat.WindowsJson;
                if (c == '{')
                {
                    var head = text.Substring(i, Math.Min(4096, text.Length - i));
                    if (head.IndexOf("\"nftables\"", StringComparison.Ordinal) < 0 && head.IndexOf("\"Direction\"", StringComparison.OrdinalIgnoreCase) >= 0) return RuleSetFormat.WindowsJson;
                    return RuleSetFormat.NftJson;
                }
                if (c == '<')
                {
                    var head = text.Substring(i, Math.Min(4096, text.Length - i));
                    if (head.IndexOf("<opnsense", StringComparison.Ordinal) >= 0) return RuleSetFormat.OpnSense;
                    return RuleSetFormat.PfSense;
                }
                if (c == '*' || c == ':' || text.IndexOf("\n*filter", StringComparison.Ordinal) >= 0 || StartsWithAt(text, i, "# Generated by ip")) return RuleSetFormat.IptablesSave;
                if (StartsWithAt(text, i, "table ") || StartsWithAt(text, i, "include ")) return RuleSetFormat.NftText;
                if (c == '#' || StartsWithAt(text, i, "flush ") || StartsWithAt(text, i, "define "))
                {
                    foreach (var line in Lines(text))
                    {
                        var t = line.Trim();
                        if (t.Length == 0 || t[0] == '#') continue;
                        if (t[0] == '*') return RuleSetFormat.IptablesSave;
                        if (t.StartsWith("table ", StringComparison.Ordinal) || t.StartsWith("include ", StringComparison.Ordinal)) return RuleSetFormat.NftText;
                        if (t.StartsWith("flush ", StringComparison.Ordinal) || t.StartsWith("define ", StringComparison.Ordinal)) continue;
                        break;
                    }
                }
                if (NetshParser.LooksLikeNetsh(text)) return RuleSetFormat.Netsh;
            }
            throw FirewallErrors.Specific("FirewallFormatUnknown", TssrErrorCategory.InvalidData, name, "Error_FormatUnknown", "Action_FormatUnknown", name);
        }

        private static bool StartsWithAt(string text, int index, string prefix)
            => string.CompareOrdinal(text, index, prefix, 0, prefix.Length) == 0;

        internal static IEnumerable<string> Lines(string text)
        {
            using (var reader = new StringReader(text))
            {
                string? line;
                while ((line = reader.ReadLine()) != null) yield return line;
            }
        }
    }
}
