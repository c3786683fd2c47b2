using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Reporting;

namespace Tssr.Tools.Engine.Checks
{
    /// <summary>One port verdict, as Test-TssrPort gave it.</summary>
    public sealed class PortFact
    {
        public PortFact(string target, string status, string reason) { Target = target; Status = status; Reason = reason; }
        public string Target { get; }
        public string Status { get; }
        public string Reason { get; }
    }

    /// <summary>One certificate, as Test-TssrTlsCertificate gave it.</summary>
    public sealed class CertificateFact
    {
        public CertificateFact(string target, string status, IReadOnlyList<string> problems, int daysLeft, DateTime? notAfter, string explanation)
        {
            Target = target; Status = status; Problems = problems; DaysLeft = daysLeft; NotAfter = notAfter; Explanation = explanation;
        }
        public string Target { get; }
        public string Status { get; }
        public IReadOnlyList<string> Problems { get; }
        public int DaysLeft { get; }
        public DateTime? NotAfter { get; }
        public string Explanation { get; }
    }

    /// <summary>One finding or drift change: its severity, and a line that says what it is.</summary>
    public sealed class SeverityFact
    {
        public SeverityFact(int severity, string severityName, string text) { Severity = severity; SeverityName = severityName; Text = text; }
        public int Severity { get; }
        public string SeverityName { get; }
        public string Text { get; }
    }

    /// <summary>Decides each kind of check from the facts the module's commands gave; says why.</summary>
    public static class CheckJudge
    {
        private static readonly Localizer Text = ReportingText.Strings;

        public static CheckResult Error(CheckDefinition check, string target, string errorId, string message, TimeSpan duration)
            => new CheckResult(check, CheckOutcome.Error, target, string.Empty, errorId, Text.Format("Check_Evidence_Error", message), duration, errorId);

        public static CheckResult Unsupported(CheckDefinition check, string target, string reason)
            => new CheckResult(check, CheckOutcome.Unsupported, target, string.Empty, string.Empty, reason, TimeSpan.Zero);

        public static CheckResult Port(CheckDefinition check, bool mustBeOpen, string target, IReadOnlyList<PortFact> facts, TimeSpan duration)
        {
            var expected = mustBeOpen ? "Open" : "Closed|Filtered";
            if (facts.Count == 0)
                return new CheckResult(check, CheckOutcome.Error, target, expected, string.Empty, Text.Get("Check_Evidence_NothingProbed"), duration, "NothingChecked");
            var wrong = facts.Where(f => string.Equals(f.Status, "Open", StringComparison.OrdinalIgnoreCase) != mustBeOpen).ToList();
            var actual = string.Join(", ", facts.Select(f => f.Target + " " + f.Status));
            var evidence = wrong.Count == 0
                ? Text.Format(mustBeOpen ? "Check_Evidence_PortsOpen" : "Check_Evidence_PortsNotOpen", facts.Count)
                : Text.Format(mustBeOpen ? "Check_Evidence_PortsNotOpenWrong" : "Check_Evidence_PortsOpenWrong", string.Join(", ", wrong.Select(f => f.Target + " " + f.Status + " (" + f.Reason + ")")));
            return new CheckResult(check, wrong.Count == 0 ? CheckOutcome.Passed : CheckOutcome.Failed, target, expected, actual, evidence, duration);
        }

        public static CheckResult Certificate(CheckDefinition check, int minimumDaysLeft, string target, IReadOnlyList<CertificateFact> facts, TimeSpan duration)
        {
            var expected = Text.Format("Check_Expected_Certificate", minimumDaysLeft);
            if (facts.Count == 0)
                return new CheckResult(check, CheckOutcome.Error, target, expected, string.Empty, Text.Get("Check_Evidence_NothingProbed"), duration, "NothingChecked");
            var problems = new List<string>();
            foreach (var f in facts)
            {
                // Expiring only says "within the warning days"; the check's own threshold decides.
                var serious = f.Problems.Where(p => !string.Equals(p, "Expiring", StringComparison.OrdinalIgnoreCase)).ToList();
                if (serious.Count > 0) problems.Add(Text.Format("Check_Evidence_CertificateProblem", f.Target, string.Join(", ", serious), f.Explanation));
                else if (f.DaysLeft < minimumDaysLeft) problems.Add(Text.Format("Check_Evidence_CertificateTooSoon", f.Target, f.DaysLeft, minimumDaysLeft, Date(f.NotAfter)));
            }
            var actual = string.Join(", ", facts.Select(f => f.Target + " " + f.Status + ", " + f.DaysLeft.ToString(CultureInfo.InvariantCulture) + " d"));
            var evidence = problems.Count == 0
                ? Text.Format("Check_Evidence_CertificateGood", string.Join(", ", facts.Select(f => f.Target + " → " + Date(f.NotAfter))), facts.Min(f => f.DaysLeft))
                : string.Join(" ", problems);
            return new CheckResult(check, problems.Count == 0 ? CheckOutcome.Passed : CheckOutcome.Failed, target, expected, actual, evidence, duration);
        }

        public static CheckResult Dns(CheckDefinition check, string target, IReadOnlyList<string> expected, bool exact, string status, IReadOnlyList<string> values, TimeSpan duration)
        {
            var want = expected.Select(Normalise).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var got = values.Select(Normalise).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var missing = want.Where(w => !got.Contains(w, StringComparer.OrdinalIgnoreCase)).ToList();
            var extra = got.Where(g => !want.Contains(g, StringComparer.OrdinalIgnoreCase)).ToList();
            var passed = missing.Count == 0 && (!exact || extra.Count == 0);
            var actual = got.Count == 0 ? status : string.Join(", ", got);
            string evidence;
            if (passed) evidence = Text.Format("Check_Evidence_DnsGood", target, string.Join(", ", got));
            else if (got.Count == 0) evidence = Text.Format("Check_Evidence_DnsNoAnswer", target, status);
            else evidence = Text.Format("Check_Evidence_DnsWrong", target, missing.Count == 0 ? "—" : string.Join(", ", missing), extra.Count == 0 || !exact ? "—" : string.Join(", ", extra));
            return new CheckResult(check, passed ? CheckOutcome.Passed : CheckOutcome.Failed, target, string.Join(", ", want) + (exact ? string.Empty : " (+)"), actual, evidence, duration);
        }

        /// <summary>Passed when no fact is above <paramref name="maximum"/>.</summary>
        public static CheckResult Severity(CheckDefinition check, string target, int maximum, string maximumName, IReadOnlyList<SeverityFact> facts, string goodKey, string badKey, TimeSpan duration)
        {
            var above = facts.Where(f => f.Severity > maximum).OrderByDescending(f => f.Severity).ToList();
            var counts = string.Join(", ", facts.GroupBy(f => f.SeverityName).OrderByDescending(g => g.Max(f => f.Severity)).Select(g => g.Key + " " + g.Count().ToString(CultureInfo.InvariantCulture)));
            var actual = facts.Count == 0 ? "0" : counts;
            var evidence = above.Count == 0
                ? Text.Format(goodKey, facts.Count, maximumName)
                : Text.Format(badKey, above.Count, maximumName, string.Join(" | ", above.Take(5).Select(f => f.SeverityName + ": " + f.Text)));
            return new CheckResult(check, above.Count == 0 ? CheckOutcome.Passed : CheckOutcome.Failed, target, "≤ " + maximumName, actual, evidence, duration);
        }

        /// <summary>Passed when the newest backup found is younger than <paramref name="maximumAgeHours"/>; no backup found fails.</summary>
        public static CheckResult BackupAge(CheckDefinition check, string target, double maximumAgeHours, BackupAgeFact fact, DateTime nowUtc, TimeSpan duration)
        {
            var expected = "≤ " + maximumAgeHours.ToString("0.##", CultureInfo.InvariantCulture) + " h";
            if (fact.NewestUtc == null)
                return new CheckResult(check, CheckOutcome.Failed, target, expected, "0", Text.Format("Check_Evidence_BackupNone", fact.Kind), duration);
            var age = (nowUtc - fact.NewestUtc.Value).TotalHours;
            var ageText = age.ToString("0.#", CultureInfo.InvariantCulture) + " h";
            var when = fact.NewestUtc.Value.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            var evidence = Text.Format(age <= maximumAgeHours ? "Check_Evidence_BackupFresh" : "Check_Evidence_BackupStale",
                fact.NewestItem ?? string.Empty, when, ageText, fact.ItemCount, fact.Kind);
            return new CheckResult(check, age <= maximumAgeHours ? CheckOutcome.Passed : CheckOutcome.Failed, target, expected, ageText, evidence, duration);
        }

        private static string Normalise(string value) => (value ?? string.Empty).Trim().TrimEnd('.');

        private static string Date(DateTime? d) => d.HasValue ? d.Value.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "?";
    }
}
