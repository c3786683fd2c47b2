using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Reporting;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Reporting
{
    public class ReportingTests
    {
        private const string PortType = "Tssr.Tools.Engine.Network.Ports.PortProbeResult";
        private const string FindingType = "Tssr.Tools.Engine.Firewall.Analysis.FirewallFinding";
        private const string Script = "<script>document.title='PWNED'</script>";
        private const string Img = "\"><img src=x onerror=\"alert(1)\">";

        private static ReportRecord Typed(string type, params (string Name, object? Value)[] properties)
            => new ReportRecord(new[] { type, "System.Object" }, properties.Select(p => new ReportProperty(p.Name, p.Value)).ToList());

        private static ReportRecord Plain(params (string Name, object? Value)[] properties)
            => new ReportRecord(Array.Empty<string>(), properties.Select(p => new ReportProperty(p.Name, p.Value)).ToList(), isPlain: true);

        private static ReportOptions Options(string culture = "en-US")
        {
            var o = new ReportOptions { Culture = CultureInfo.GetCultureInfo(culture), ModuleVersion = "0.1.0", ComputerName = "pc<1>", Operator = "op&\"x\"" };
            o.CommandLines.Add("Test-TssrPort a -Port 1 | Export-TssrReport -Path r.html # " + Script);
            o.CompetenciesByType[PortType] = new[] { Competency.OperateIpNetwork };
            return o;
        }

        private static string Html(ReportDocument d) { var w = new StringWriter(); HtmlReportWriter.Write(d, w); return w.ToString(); }
        private static string Json(ReportDocument d) { var w = new StringWriter(); JsonReportWriter.Write(d, w); return w.ToString(); }

        private static List<ReportRecord> Mixed() => new List<ReportRecord>
        {
            Typed(PortType, ("ComputerName", "h1"), ("Port", 22), ("Status", "Open")),
            Typed(PortType, ("ComputerName", "h2"), ("Port", 23), ("Status", "Filtered")),
            Typed(FindingType, ("Severity", "Low"), ("Kind", "Redundancy"), ("Explanation", "x")),
            Typed(FindingType, ("Severity", "High"), ("Kind", "AnyToAnyAccept"), ("Explanation", Script)),
            Plain(("Name", Script), ("Comment", Img)),
            Plain(("Other", 1)),
            Typed("Some.Future.BackupResult", ("Path", "/b"), ("Status", "Failed"), ("AgeHours", 30.5)),
        };

        [Fact]
        public void Groups_by_type_and_plain_shape_and_counts_by_key()
        {
            var d = ReportBuilder.Build(Options(), Mixed());
            Assert.Equal(7, d.ItemCount);
            Assert.Equal(5, d.Sections.Count);
            var ports = d.Sections[0];
            Assert.Equal("TCP ports", ports.Title);
            Assert.Equal("Status", ports.KeyProperty);
            Assert.Equal(new[] { "Open", "Filtered" }, ports.Counts.Select(c => c.Value));
            Assert.Equal(ReportTone.Warning, ports.Rows[0].Tone); // warnings sort first
            Assert.Single(ports.Competencies);
            var findings = d.Sections[1];
            Assert.Equal(new[] { "High", "Low" }, findings.Counts.Select(c => c.Value)); // the profile's order
            Assert.Equal(1, findings.ProblemCount);
            Assert.Equal(2, findings.Charts.Count); // by severity, by kind
            var future = d.Sections[4];
            Assert.Equal("BackupResult", future.Title); // a type the report does not know still gets a section
            Assert.Equal("Status", future.KeyProperty);
            Assert.Equal(ReportTone.Problem, future.Rows[0].Tone);
            Assert.Contains(future.Charts, c => c.Title == "Results by age (hours)");
            Assert.Equal(new[] { 4, 7 }, d.FirstProblems.Select(p => p.Row.Sequence));
        }

        [Fact]
        public void Html_escapes_every_value_and_holds_no_script_nor_external_asset()
        {
            var html = Html(ReportBuilder.Build(Options(), Mixed()));
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("onerror=\"", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;", html);
            Assert.Contains("&quot;&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;", html);
            Assert.Contains("pc&lt;1&gt;", html);
            Assert.Contains("op&amp;&quot;x&quot;", html);
            Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty));
            Assert.DoesNotContain("https://", html);
            Assert.Contains("Content-Security-Policy", html);
            Assert.Contains("@page { size: A4", html);
        }

        [Fact]
        public void Json_is_valid_typed_and_inert()
        {
            var json = Json(ReportBuilder.Build(Options(), Mixed()));
            Assert.DoesNotContain("<", json);
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            Assert.Equal("Tssr.Tools.Report", root.GetProperty("format").GetString());
            Assert.Equal(7, root.GetProperty("summary").GetProperty("itemCount").GetInt32());
            var port = root.GetProperty("sections")[0].GetProperty("items")[0].GetProperty("properties");
            Assert.Equal(JsonValueKind.Number, port.GetProperty("Port").ValueKind);
            var plain = root.GetProperty("sections")[2].GetProperty("items")[0].GetProperty("properties");
            Assert.Equal(Script, plain.GetProperty("Name").GetString());
            Assert.Equal(Img, plain.GetProperty("Comment").GetString());
        }

        [Fact]
        public void Speaks_French()
        {
            var d = ReportBuilder.Build(Options("fr-FR"), Mixed());
            var html = Html(d);
            Assert.Contains("lang=\"fr\"", html);
            Assert.Contains("Ports TCP", html);
            Assert.Contains("Synthèse", html);
            Assert.Contains("Exploiter un réseau IP", html);
        }

        [Fact]
        public void An_empty_report_is_still_a_valid_report()
        {
            var d = ReportBuilder.Build(Options(), Array.Empty<ReportRecord>());
            Assert.Contains("0 result(s)", Html(d));
            using var doc = JsonDocument.Parse(Json(d));
            Assert.Equal(0, doc.RootElement.GetProperty("sections").GetArrayLength());
        }

        [Fact]
        public void Every_profile_text_exists_in_both_languages()
        {
            var assembly = typeof(ReportBuilder).Assembly;
            var profiles = assembly.GetType("Tssr.Tools.Engine.Reporting.ReportProfiles")!;
            var map = (System.Collections.IDictionary)profiles.GetField("ByType", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
            var keys = new List<string>();
            foreach (var profile in map.Values)
            {
                var t = profile.GetType();
                foreach (var name in new[] { "TitleKey", "ChartTitleKey" })
                    if (t.GetProperty(name)!.GetValue(profile) is string k) keys.Add(k);
            }
            keys.AddRange(new[] { "Chart_DaysLeft", "Chart_AgeHours", "Bucket_Days", "Bucket_DaysMore", "Bucket_Hours", "Bucket_HoursMore", "Chart_FindingsByKind", "Chart_DriftByClass" });
            var rm = new System.Resources.ResourceManager("Tssr.Tools.Engine.Reporting.Strings", assembly);
            foreach (var key in keys)
            {
                Assert.False(string.IsNullOrEmpty(rm.GetString(key, CultureInfo.InvariantCulture)), key + " (English)");
                var fr = rm.GetResourceSet(new CultureInfo("fr"), true, false)!.GetString(key);
                Assert.False(string.IsNullOrEmpty(fr), key + " (French)");
            }
        }

        [Fact]
        public void Ten_thousand_rows_stay_one_linear_pass()
        {
            var records = Enumerable.Range(1, 10000).Select(i => Typed(PortType, ("ComputerName", "10.0." + (i / 256) + "." + (i % 256)), ("Port", 443), ("Status", i % 10 == 0 ? "Filtered" : "Open"))).ToList();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var html = Html(ReportBuilder.Build(Options(), records));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
            Assert.Equal(10000 + 1, html.Split("<tr class=\"tone-").Length);
        }
    }
}
