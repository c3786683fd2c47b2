using System;
using System.Collections.Generic;

namespace Tssr.Tools.Engine.Reporting
{
    /// <summary>A chart of a numeric property cut into ranges (certificates by days left, backups by age).</summary>
    internal sealed class BucketChart
    {
        public BucketChart(string property, string titleKey, string unitKey, params double[] limits)
        {
            Property = property;
            TitleKey = titleKey;
            UnitKey = unitKey;
            Limits = limits;
        }

        public string Property { get; }
        public string TitleKey { get; }
        /// <summary>"Bucket_Days" or "Bucket_Hours": the label format of a range.</summary>
        public string UnitKey { get; }
        /// <summary>Upper bounds (inclusive) of each range but the last, ascending.</summary>
        public double[] Limits { get; }
        /// <summary>Values below zero get their own first range (an expired certificate).</summary>
        public bool NegativeFirst { get; set; }
    }

    /// <summary>
    /// What the report knows about one result type: its title, the property that carries its outcome
    /// (status, severity, verdict) and how each value reads. Types without a profile get the generic
    /// one: the first of Status, Outcome, Severity, Verdict, Result, State as key, words read by
    /// <see cref="GenericTone"/>. So a new result type appears in reports without any change here.
    /// </summary>
    internal sealed class ReportProfile
    {
        private readonly Dictionary<string, ReportTone> _tones = new Dictionary<string, ReportTone>(StringComparer.OrdinalIgnoreCase);

        public ReportProfile(string? titleKey, string? keyProperty, string? chartTitleKey = null)
        {
            TitleKey = titleKey;
            KeyProperty = keyProperty;
            ChartTitleKey = chartTitleKey;
        }

        public string? TitleKey { get; }
        public string? KeyProperty { get; }
        public string? ChartTitleKey { get; }
        /// <summary>The key's values in the order a reader expects (Critical before Info); others after, by count.</summary>
        public List<string> ValueOrder { get; } = new List<string>();
        /// <summary>More properties counted in their own chart (a finding's Kind).</summary>
        public List<(string Property, string TitleKey)> CountCharts { get; } = new List<(string, string)>();
        public List<BucketChart> BucketCharts { get; } = new List<BucketChart>();

        public ReportProfile Tone(ReportTone tone, params string[] values)
        {
            foreach (var v in values)
            {
                _tones[v] = tone;
                ValueOrder.Add(v);
            }
            return this;
        }

        public ReportTone ToneOf(string value) => _tones.TryGetValue(value, out var tone) ? tone : GenericTone(value);

        private static readonly HashSet<string> ProblemWords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Failed", "Failure", "Fail", "Error", "Critical", "High", "Expired", "Invalid", "Down", "Unreachable",
            "Corrupt", "Corrupted", "Missing", "Mismatch", "Denied", "Broken", "Bad",
        };

        private static readonly HashSet<string> WarningWords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Warning", "Medium", "Expiring", "Unsupported", "Unknown", "Partial", "Degraded", "Timeout", "Stale",
            "Skipped", "NotVerified", "Undetermined", "Old",
        };

        private static readonly HashSet<string> GoodWords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Passed", "Pass", "Ok", "Success", "Succeeded", "Valid", "Up", "NoError", "Complete", "Completed", "Healthy", "Verified",
        };

        /// <summary>How a value of a type without a profile reads, from common words.</summary>
        public static ReportTone GenericTone(string value)
        {
            if (ProblemWords.Contains(value)) return ReportTone.Problem;
            if (WarningWords.Contains(value)) return ReportTone.Warning;
            if (GoodWords.Contains(value)) return ReportTone.Good;
            return ReportTone.Neutral;
        }

        /// <summary>The key properties tried, in order, on a type without a profile.</summary>
        public static readonly string[] GenericKeys = { "Status", "Outcome", "Severity", "Verdict", "Result", "State" };

        /// <summary>Numeric properties that get a range chart whatever their type (a new backup type with AgeHours gets one).</summary>
        public static IEnumerable<BucketChart> GenericBucketCharts()
        {
            yield return new BucketChart("DaysLeft", "Chart_DaysLeft", "Bucket_Days", 7, 30, 90) { NegativeFirst = true };
            yield return new BucketChart("AgeHours", "Chart_AgeHours", "Bucket_Hours", 24, 48, 168);
        }
    }

    /// <summary>The profiles of the result types the module has today, by full type name.</summary>
    internal static class ReportProfiles
    {
        private static readonly Dictionary<string, ReportProfile> ByType = Build();

        /// <summary>The profile of the first known type name (a "Deserialized." prefix from Import-Clixml is ignored).</summary>
        public static ReportProfile? Find(IEnumerable<string> typeNames, out string? matched)
        {
            foreach (var name in typeNames)
            {
                var plain = StripDeserialized(name);
                if (ByType.TryGetValue(plain, out var profile))
                {
                    matched = plain;
                    return profile;
                }
            }
            matched = null;
            return null;
        }

        /// <summary>The type a name stands for: without the "Deserialized." of Import-Clixml nor the "Selected." of Select-Object.</summary>
        public static string StripDeserialized(string typeName)
        {
            foreach (var prefix in new[] { "Deserialized.", "Selected." })
                if (typeName.StartsWith(prefix, StringComparison.Ordinal)) typeName = typeName.Substring(prefix.Length);
            return typeName;
        }

        private static Dictionary<string, ReportProfile> Build()
        {
            const string network = "Tssr.Tools.Engine.Network.";
            const string firewall = "Tssr.Tools.Engine.Firewall.";
            var map = new Dictionary<string, ReportProfile>(StringComparer.OrdinalIgnoreCase)
            {
                [network + "Ports.PortProbeResult"] = new ReportProfile("Section_Ports", "Status", "Chart_PortsByVerdict")
                    .Tone(ReportTone.Good, "Open").Tone(ReportTone.Neutral, "Closed").Tone(ReportTone.Warning, "Filtered"),
                [network + "Icmp.HostProbeResult"] = new ReportProfile("Section_Hosts", "Status", "Chart_HostsByStatus")
                    .Tone(ReportTone.Good, "Up").Tone(ReportTone.Warning, "Down").Tone(ReportTone.Problem, "Unreachable"),
                [network + "Dns.DnsResult"] = new ReportProfile("Section_Dns", "Status", "Chart_DnsByStatus")
                    .Tone(ReportTone.Good, "NoError").Tone(ReportTone.Warning, "NoData", "NameNotFound")
                    .Tone(ReportTone.Problem, "ServerFailure", "Refused", "FormatError", "NotImplemented", "OtherError", "Timeout",
                        "ConnectionRefused", "NetworkError", "InvalidResponse", "InvalidName"),
                [network + "Tls.TlsCertificateResult"] = new ReportProfile("Section_Tls", "Status", "Chart_TlsByStatus")
                    .Tone(ReportTone.Good, "Valid").Tone(ReportTone.Warning, "Expiring", "WeakKey", "WeakSignature")
                    .Tone(ReportTone.Problem, "IncompleteChain", "UntrustedRoot", "SelfSigned", "NameMismatch", "InvalidChain", "NotYetValid", "Expired"),
                [network + "Subnet.SubnetInfo"] = new ReportProfile("Section_Subnets", "Category", "Chart_SubnetsByCategory"),
                [network + "Subnet.SubnetContainment"] = new ReportProfile("Section_SubnetContainment", "Contains", "Chart_ContainmentByAnswer"),
                [network + "Subnet.SubnetOverlap"] = new ReportProfile("Section_SubnetOverlap", "Relation", "Chart_OverlapByRelation")
                    .Tone(ReportTone.Warning, "Identical", "Contains", "Within"),
                [network + "Arp.DuplicateAddressResult"] = new ReportProfile("Section_DuplicateAddress", "Duplicate", "Chart_DuplicateByAnswer")
                    .Tone(ReportTone.Problem, "True").Tone(ReportTone.Good, "False"),
                [firewall + "Analysis.FirewallFinding"] = Finding(),
                [firewall + "Analysis.FlowResult"] = new ReportProfile("Section_FirewallFlows", "Verdict", "Chart_FlowsByVerdict")
                    .Tone(ReportTone.Good, "Accept").Tone(ReportTone.Neutral, "Drop", "Reject").Tone(ReportTone.Warning, "Undetermined"),
                [firewall + "Analysis.TrafficChange"] = new ReportProfile("Section_TrafficChanges", "Change", "Chart_ChangesByKind"),
                [firewall + "Model.FirewallRuleSet"] = new ReportProfile("Section_FirewallRuleSets", "Format", "Chart_RuleSetsByFormat"),
                ["Tssr.Tools.Engine.Inventory.Model.ServerInventory"] = new ReportProfile("Section_Inventory", "Status", "Chart_InventoryByStatus")
                    .Tone(ReportTone.Good, "Complete").Tone(ReportTone.Warning, "Partial"),
                ["Tssr.Tools.Engine.Inventory.Drift.InventoryChange"] = Drift(),
                ["Tssr.Tools.Engine.Directory.UserDiagnostic"] = new ReportProfile("Section_UserDiagnostic", "Exists", "Chart_UsersFound")
                    .Tone(ReportTone.Good, "True").Tone(ReportTone.Problem, "False"),
                ["Tssr.Tools.Engine.Checks.CheckResult"] = new ReportProfile("Section_Checks", "Outcome", "Chart_ChecksByOutcome")
                    .Tone(ReportTone.Problem, "Failed", "Error").Tone(ReportTone.Warning, "Unsupported").Tone(ReportTone.Good, "Passed"),
                ["Tssr.Tools.Engine.Core.CompetencyInfo"] = new ReportProfile("Section_Competencies", "Block", null),
            };
            map[network + "Tls.TlsCertificateResult"].BucketCharts.Add(
                new BucketChart("DaysLeft", "Chart_DaysLeft", "Bucket_Days", 7, 30, 90) { NegativeFirst = true });
            return map;
        }

        private static ReportProfile Finding()
        {
            var p = new ReportProfile("Section_FirewallFindings", "Severity", "Chart_FindingsBySeverity")
                .Tone(ReportTone.Problem, "Critical", "High").Tone(ReportTone.Warning, "Medium").Tone(ReportTone.Neutral, "Low", "Info");
            p.CountCharts.Add(("Kind", "Chart_FindingsByKind"));
            return p;
        }

        private static ReportProfile Drift()
        {
            var p = new ReportProfile("Section_InventoryDrift", "Severity", "Chart_DriftBySeverity")
                .Tone(ReportTone.Problem, "High").Tone(ReportTone.Warning, "Medium").Tone(ReportTone.Neutral, "Low", "None");
            p.CountCharts.Add(("Class", "Chart_DriftByClass"));
            return p;
        }

        /// <summary>The last segment of a type name ("PortProbeResult").</summary>
        public static string ShortName(string typeName)
        {
            var plain = StripDeserialized(typeName);
            var dot = plain.LastIndexOf('.');
            return dot >= 0 && dot < plain.Length - 1 ? plain.Substring(dot + 1) : plain;
        }
    }
}
