using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Reporting;

namespace Tssr.Tools.Engine.Checks
{
    /// <summary>How one check ended. Only Passed means the property held.</summary>
    public enum CheckOutcome
    {
        Passed,
        /// <summary>The check ran and the property does not hold (a port open that must be closed...).</summary>
        Failed,
        /// <summary>The check could not be evaluated (a name that does not resolve, an unreadable file...).</summary>
        Error,
        /// <summary>This version of the module cannot evaluate this kind of check: never counted as passed.</summary>
        Unsupported,
    }

    /// <summary>The exit codes of Invoke-TssrCheck, for scheduled tasks and CI jobs.</summary>
    public static class CheckExitCode
    {
        /// <summary>Every check passed.</summary>
        public const int AllPassed = 0;
        /// <summary>At least one check failed, could not be evaluated (Error) or is not supported.</summary>
        public const int ChecksFailed = 1;
        /// <summary>The checks could not run: check file missing or invalid, report or JUnit file not writable.</summary>
        public const int CouldNotRun = 2;

        public static int Of(IEnumerable<CheckResult> results)
            => results.Any(r => r.Outcome != CheckOutcome.Passed) ? ChecksFailed : AllPassed;
    }

    /// <summary>One check of a check file: its name, type, settings and where it is written.</summary>
    public sealed class CheckDefinition
    {
        public CheckDefinition(string file, int line, IReadOnlyDictionary<string, (object? Value, int Line)> settings)
        {
            File = file;
            Line = line;
            Settings = settings;
        }

        public string File { get; }
        public int Line { get; }
        /// <summary>Key → value (string, number, bool or object[] of those) and the line it is written on.</summary>
        public IReadOnlyDictionary<string, (object? Value, int Line)> Settings { get; }
        public string Name { get; internal set; } = string.Empty;
        public string Type { get; internal set; } = string.Empty;
        public string Location => File + ":" + Line.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>One check's outcome with its evidence: what was expected, what was found, and why.</summary>
    public sealed class CheckResult
    {
        public CheckResult(CheckDefinition check, CheckOutcome outcome, string target, string expected, string actual, string evidence, TimeSpan duration, string? errorId = null)
        {
            Name = check.Name;
            Type = check.Type;
            Outcome = outcome;
            Target = target;
            Expected = expected;
            Actual = actual;
            Evidence = evidence;
            DurationMs = Math.Round(duration.TotalMilliseconds, 1);
            ErrorId = errorId;
            File = check.File;
            Line = check.Line;
            CheckedAt = DateTime.UtcNow;
        }

        public string Name { get; }
        public string Type { get; }
        public CheckOutcome Outcome { get; }
        /// <summary>What was checked: host:port, a record, a file.</summary>
        public string Target { get; }
        public string Expected { get; }
        public string Actual { get; }
        /// <summary>The facts behind the outcome, in the user's language.</summary>
        public string Evidence { get; }
        public double DurationMs { get; }
        /// <summary>For Error: the ErrorId of the failure that stopped the check.</summary>
        public string? ErrorId { get; }
        /// <summary>The check file and the line of the check in it.</summary>
        public string File { get; }
        public int Line { get; }
        public DateTime CheckedAt { get; }

        public override string ToString() => Name + ": " + Outcome + " (" + Actual + ")";
    }

    /// <summary>The kinds of check and the settings each takes; reads and validates a check file's entries.</summary>
    public static class CheckCatalog
    {
        private static readonly Localizer Text = ReportingText.Strings;
        private static readonly string[] Common = { "Name", "Type", "Description" };

        /// <summary>Type → (required settings, optional settings).</summary>
        public static readonly IReadOnlyDictionary<string, (string[] Required, string[] Optional)> Types =
            new Dictionary<string, (string[], string[])>(StringComparer.OrdinalIgnoreCase)
            {
                ["PortOpen"] = (new[] { "Target", "Port" }, new[] { "TimeoutSec" }),
                ["PortClosed"] = (new[] { "Target", "Port" }, new[] { "TimeoutSec" }),
                ["Certificate"] = (new[] { "Target", "MinimumDaysLeft" }, new[] { "Port", "ServerName", "TrustedCertificatePath", "TimeoutSec" }),
                ["DnsRecord"] = (new[] { "Query", "Expected" }, new[] { "RecordType", "Server", "Match", "TimeoutSec" }),
                ["FirewallAudit"] = (new[] { "Path" }, new[] { "MaximumSeverity", "Profile" }),
                ["BackupAge"] = (new[] { "Path", "MaximumAgeHours" }, new[] { "Filter", "Repository", "Secret" }),
                ["InventoryDrift"] = (new[] { "Reference", "Difference" }, new string[0]),
            };

        /// <summary>Checks names, types and settings; throws CheckFileInvalid naming the file and line of the first problem.</summary>
        public static IReadOnlyList<CheckDefinition> Validate(IReadOnlyList<CheckDefinition> checks)
        {
            var names = new Dictionary<string, CheckDefinition>(StringComparer.OrdinalIgnoreCase);
            foreach (var check in checks)
            {
                var name = RequireString(check, "Name");
                var type = RequireString(check, "Type");
                if (!Types.TryGetValue(type, out var spec))
                    throw Invalid(check.File, LineOf(check, "Type"), Text.Format("Check_UnknownType", type, string.Join(", ", Types.Keys)));
                foreach (var key in spec.Required)
                    if (!check.Settings.ContainsKey(key) || check.Settings[key].Value == null)
                        throw Invalid(check.File, check.Line, Text.Format("Check_MissingSetting", name, type, key));
                foreach (var pair in check.Settings)
                    if (!Common.Contains(pair.Key, StringComparer.OrdinalIgnoreCase) && !spec.Required.Contains(pair.Key, StringComparer.OrdinalIgnoreCase) && !spec.Optional.Contains(pair.Key, StringComparer.OrdinalIgnoreCase))
                        throw Invalid(check.File, pair.Value.Line, Text.Format("Check_UnknownSetting", pair.Key, name, type, string.Join(", ", spec.Required.Concat(spec.Optional))));
                if (names.TryGetValue(name, out var first))
                    throw Invalid(check.File, check.Line, Text.Format("Check_DuplicateName", name, first.Line));
                names[name] = check;
                check.Name = name;
                check.Type = Types.Keys.First(k => string.Equals(k, type, StringComparison.OrdinalIgnoreCase));
            }
            return checks;
        }

        public static TssrException Invalid(string file, int line, string reason)
        {
            var at = file + ":" + line.ToString(CultureInfo.InvariantCulture);
            return new TssrException("CheckFileInvalid", TssrErrorCategory.ParserError, at,
                Text.Format("Error_CheckFileInvalid", at, reason), Text.Get("Action_CheckFileInvalid"));
        }

        public static int LineOf(CheckDefinition check, string key) => check.Settings.TryGetValue(key, out var v) ? v.Line : check.Line;

        public static string RequireString(CheckDefinition check, string key)
        {
            if (!check.Settings.TryGetValue(key, out var v) || !(v.Value is string s) || s.Trim().Length == 0)
                throw Invalid(check.File, LineOf(check, key), Text.Format("Check_NeedsText", key));
            return s.Trim();
        }

        public static string? OptionalString(CheckDefinition check, string key)
        {
            if (!check.Settings.TryGetValue(key, out var v) || v.Value == null) return null;
            if (v.Value is string s) return s;
            throw Invalid(check.File, v.Line, Text.Format("Check_NeedsText", key));
        }

        public static string[] Strings(CheckDefinition check, string key)
        {
            if (!check.Settings.TryGetValue(key, out var v) || v.Value == null) return new string[0];
            var items = v.Value is object?[] array ? array : new[] { v.Value };
            var list = new List<string>();
            foreach (var item in items)
            {
                if (item is string s) list.Add(s);
                else if (item != null && (item is int || item is long || item is double)) list.Add(Convert.ToString(item, CultureInfo.InvariantCulture)!);
                else throw Invalid(check.File, v.Line, Text.Format("Check_NeedsTextList", key));
            }
            return list.ToArray();
        }

        public static double? Number(CheckDefinition check, string key, double minimum, double maximum)
        {
            if (!check.Settings.TryGetValue(key, out var v) || v.Value == null) return null;
            double n;
            switch (v.Value)
            {
                case int i: n = i; break;
                case long l: n = l; break;
                case double d: n = d; break;
                case decimal m: n = (double)m; break;
                case string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed): n = parsed; break;
                default: throw Invalid(check.File, v.Line, Text.Format("Check_NeedsNumber", key, minimum, maximum));
            }
            if (n < minimum || n > maximum || double.IsNaN(n)) throw Invalid(check.File, v.Line, Text.Format("Check_NeedsNumber", key, minimum, maximum));
            return n;
        }

        public static TEnum? Enum<TEnum>(CheckDefinition check, string key) where TEnum : struct
        {
            var text = OptionalString(check, key);
            if (text == null) return null;
            if (System.Enum.TryParse<TEnum>(text, true, out var value) && System.Enum.IsDefined(typeof(TEnum), value)) return value;
            throw Invalid(check.File, LineOf(check, key), Text.Format("Check_NeedsOneOf", key, text, string.Join(", ", System.Enum.GetNames(typeof(TEnum)))));
        }
    }
}
