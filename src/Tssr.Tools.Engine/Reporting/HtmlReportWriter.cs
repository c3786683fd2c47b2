using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Reporting
{
    /// <summary>
    /// Writes a report as one self-contained HTML file: no external asset, no script (a content
    /// security policy forbids any), a print style sheet for A4. Every value goes through
    /// <see cref="Escape"/>: a rule comment or a TXT record holding markup is shown as text.
    /// </summary>
    public static class HtmlReportWriter
    {
        private static readonly Localizer Text = ReportingText.Strings;

        /// <summary>Escapes text for an HTML element or a quoted attribute.</summary>
        public static string Escape(string? text)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            var sb = new StringBuilder(text!.Length + 16);
            foreach (var c in text)
            {
                switch (c)
                {
                    case '<': sb.Append("&lt;"); break;
                    case '>': sb.Append("&gt;"); break;
                    case '&': sb.Append("&amp;"); break;
                    case '"': sb.Append("&quot;"); break;
                    case '\'': sb.Append("&#39;"); break;
                    default:
                        // Control characters other than tab and line breaks are not valid in HTML text.
                        if (c < ' ' && c != '\t' && c != '\n' && c != '\r') sb.Append('\uFFFD');
                        else sb.Append(c);
                        break;
                }
            }
            return sb.ToString();
        }

        public static void Write(ReportDocument document, TextWriter writer)
        {
            var culture = document.Culture;
            string T(string key) => Text.Get(key, culture);
            var o = document.Options;
            var lang = culture.TwoLetterISOLanguageName;

            writer.Write("<!DOCTYPE html>\n<html lang=\"");
            writer.Write(Escape(lang));
            writer.Write("\">\n<head>\n<meta charset=\"utf-8\">\n");
            writer.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
            writer.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            writer.Write("<meta name=\"generator\" content=\"Tssr.Tools " + Escape(o.ModuleVersion) + "\">\n");
            writer.Write("<title>" + Escape(document.Title) + "</title>\n<style>\n" + Css + "</style>\n</head>\n<body>\n");

            writer.Write("<header>\n<h1>" + Escape(document.Title) + "</h1>\n<dl class=\"meta\">\n");
            Meta(writer, T("Meta_Generated"), o.GeneratedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture) + " (" + o.GeneratedAt.ToString("D", culture) + ")");
            Meta(writer, T("Meta_Computer"), o.ComputerName);
            Meta(writer, T("Meta_Operator"), o.Operator);
            Meta(writer, T("Meta_Module"), "Tssr.Tools " + o.ModuleVersion);
            if (o.HostVersion.Length > 0) Meta(writer, T("Meta_Host"), o.HostVersion);
            if (o.OperatingSystem.Length > 0) Meta(writer, T("Meta_OperatingSystem"), o.OperatingSystem);
            writer.Write("</dl>\n</header>\n");

            WriteSummary(document, writer, T);

            if (document.Sections.Count > 1)
            {
                writer.Write("<nav>\n<h2>" + Escape(T("Toc_Title")) + "</h2>\n<ol>\n");
                foreach (var s in document.Sections)
                    writer.Write("<li><a href=\"#" + Escape(s.Id) + "\">" + Escape(s.Title) + "</a> <span class=\"n\">(" + s.Rows.Count.ToString(culture) + ")</span></li>\n");
                writer.Write("</ol>\n</nav>\n");
            }

            foreach (var section in document.Sections) WriteSection(document, section, writer, T);

            writer.Write("<footer>" + Escape(Text.Format(culture, "Footer", o.ModuleVersion)) + "</footer>\n</body>\n</html>\n");
        }

        private static void Meta(TextWriter writer, string name, string value)
            => writer.Write("<div><dt>" + Escape(name) + "</dt><dd>" + Escape(value) + "</dd></div>\n");

        private static void WriteSummary(ReportDocument document, TextWriter writer, Func<string, string> T)
        {
            var culture = document.Culture;
            writer.Write("<section id=\"summary\">\n<h2>" + Escape(T("Summary_Title")) + "</h2>\n");
            var tone = document.ProblemCount > 0 ? "problem" : document.WarningCount > 0 ? "warning" : "good";
            writer.Write("<p class=\"verdict tone-" + tone + "\">" + Escape(Text.Format(culture, "Summary_Verdict",
                document.ItemCount, document.Sections.Count, document.ProblemCount, document.WarningCount)) + "</p>\n");

            if (document.Sections.Count > 0)
            {
                writer.Write("<table class=\"summary\">\n<thead><tr><th>" + Escape(T("Summary_Section")) + "</th><th>" + Escape(T("Summary_Competency"))
                    + "</th><th class=\"num\">" + Escape(T("Summary_Items")) + "</th><th class=\"num\">" + Escape(T("Summary_Problems"))
                    + "</th><th>" + Escape(T("Summary_Counts")) + "</th></tr></thead>\n<tbody>\n");
                foreach (var s in document.Sections)
                {
                    writer.Write("<tr><td><a href=\"#" + Escape(s.Id) + "\">" + Escape(s.Title) + "</a></td><td>");
                    writer.Write(Escape(string.Join("; ", s.Competencies.Select(c => c.Number.ToString(culture) + ". " + c.Title))));
                    writer.Write("</td><td class=\"num\">" + s.Rows.Count.ToString(culture) + "</td><td class=\"num\">" + s.ProblemCount.ToString(culture) + "</td><td>");
                    foreach (var c in s.Counts)
                        writer.Write("<span class=\"chip tone-" + ToneClass(c.Tone) + "\">" + Escape(c.Value) + " " + c.ItemCount.ToString(culture) + "</span> ");
                    writer.Write("</td></tr>\n");
                }
                writer.Write("</tbody>\n</table>\n");
            }

            writer.Write("<h3>" + Escape(T("Summary_FirstProblems")) + "</h3>\n");
            if (document.FirstProblems.Count == 0) writer.Write("<p>" + Escape(T("Summary_NoProblems")) + "</p>\n");
            else
            {
                writer.Write("<ol class=\"problems\">\n");
                foreach (var (section, row) in document.FirstProblems)
                {
                    var keyText = section.KeyProperty != null && row.Record.TryGet(section.KeyProperty, out var v) ? ValueText.Format(v, culture) : string.Empty;
                    writer.Write("<li><span class=\"chip tone-problem\">" + Escape(keyText) + "</span> <a href=\"#" + Escape(section.Id) + "\">"
                        + Escape(section.Title) + "</a> #" + row.Sequence.ToString(culture) + ": " + Escape(document.Describe(section, row)) + "</li>\n");
                }
                writer.Write("</ol>\n");
            }

            writer.Write("<h3>" + Escape(T("Summary_Commands")) + "</h3>\n");
            if (document.Options.CommandLines.Count == 0) writer.Write("<p>" + Escape(T("Summary_NoCommand")) + "</p>\n");
            else
            {
                writer.Write("<pre class=\"commands\">");
                foreach (var line in document.Options.CommandLines) writer.Write(Escape(line) + "\n");
                writer.Write("</pre>\n");
            }
            writer.Write("</section>\n");
        }

        private static void WriteSection(ReportDocument document, ReportSection section, TextWriter writer, Func<string, string> T)
        {
            var culture = document.Culture;
            writer.Write("<section class=\"result\" id=\"" + Escape(section.Id) + "\">\n<h2>" + Escape(section.Title) + "</h2>\n");
            if (section.TypeName.Length > 0) writer.Write("<p class=\"type\"><code>" + Escape(section.TypeName) + "</code></p>\n");
            if (section.Competencies.Count > 0)
                foreach (var c in section.Competencies)
                    writer.Write("<p class=\"competency\">" + Escape(Text.Format(culture, "Section_Competency", (int)c.Block, c.Number, c.Title)) + "</p>\n");
            else writer.Write("<p class=\"competency none\">" + Escape(T("Section_NoCompetency")) + "</p>\n");

            if (section.Charts.Count > 0)
            {
                writer.Write("<div class=\"charts\">\n");
                foreach (var chart in section.Charts) SvgChart.Write(chart, culture, writer);
                writer.Write("</div>\n");
            }

            writer.Write("<p class=\"n\">" + Escape(Text.Format(culture, "Section_Sorted", section.Rows.Count)) + "</p>\n");
            var columns = section.Columns;
            var columnSet = new System.Collections.Generic.HashSet<string>(columns, StringComparer.OrdinalIgnoreCase);
            var hasDetails = section.Rows.Any(r => r.Record.Properties.Any(p => !columnSet.Contains(p.Name) && !ValueText.IsEmpty(p.Value)));
            writer.Write("<table class=\"data\">\n<thead><tr><th class=\"num\">#</th>");
            foreach (var c in columns)
            {
                var sorted = section.KeyProperty != null && string.Equals(c, section.KeyProperty, StringComparison.OrdinalIgnoreCase);
                writer.Write(sorted ? "<th class=\"sorted\">" + Escape(c) + " ▼</th>" : "<th>" + Escape(c) + "</th>");
            }
            if (hasDetails) writer.Write("<th>" + Escape(T("Column_Details")) + "</th>");
            writer.Write("</tr></thead>\n<tbody>\n");
            var sb = new StringBuilder(512);
            foreach (var row in section.Rows)
            {
                sb.Clear();
                sb.Append("<tr class=\"tone-").Append(ToneClass(row.Tone)).Append("\"><td class=\"num\">").Append(row.Sequence.ToString(CultureInfo.InvariantCulture)).Append("</td>");
                foreach (var c in columns)
                {
                    row.Record.TryGet(c, out var value);
                    var numeric = value != null && !(value is string) && ValueText.TryNumber(value, out _);
                    sb.Append(numeric ? "<td class=\"num\">" : "<td>").Append(Escape(ValueText.Format(value, culture))).Append("</td>");
                }
                if (hasDetails)
                {
                    sb.Append("<td class=\"details\">");
                    var first = true;
                    foreach (var p in row.Record.Properties)
                    {
                        if (columnSet.Contains(p.Name) || ValueText.IsEmpty(p.Value)) continue;
                        // One line of name/value pairs, not one line each: rows stay short when there are thousands.
                        if (!first) sb.Append(" · ");
                        first = false;
                        sb.Append("<b>").Append(Escape(p.Name)).Append("</b> ").Append(Escape(ValueText.Format(p.Value, culture)));
                    }
                    sb.Append("</td>");
                }
                sb.Append("</tr>\n");
                writer.Write(sb.ToString());
            }
            writer.Write("</tbody>\n</table>\n</section>\n");
        }

        internal static string ToneClass(ReportTone tone)
        {
            switch (tone)
            {
                case ReportTone.Problem: return "problem";
                case ReportTone.Warning: return "warning";
                case ReportTone.Good: return "good";
                default: return "neutral";
            }
        }

        private const string Css = @"
:root { --problem:#b3261e; --problem-bg:#fde7e5; --warning:#8a5a00; --warning-bg:#fff2cc; --good:#1e6b32; --good-bg:#e3f4e6; --neutral:#3c4650; --neutral-bg:#eef1f4; --line:#d5dae0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif; color:#1b1f24; margin: 0 auto; max-width: 1400px; padding: 16px 24px; }
h1 { font-size: 1.6em; margin: 0 0 .3em; } h2 { font-size: 1.3em; margin: 1.2em 0 .3em; border-bottom: 2px solid var(--line); padding-bottom: .15em; } h3 { font-size: 1.05em; margin: 1em 0 .3em; }
dl.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 2px 16px; margin: 0; }
dl.meta div { display: flex; gap: 6px; } dt { font-weight: 600; } dt::after { content: ':'; } dd { margin: 0; overflow-wrap: anywhere; }
.verdict { font-size: 1.1em; font-weight: 600; padding: 6px 10px; border-radius: 4px; }
.tone-problem.verdict, .chip.tone-problem { background: var(--problem-bg); color: var(--problem); }
.tone-warning.verdict, .chip.tone-warning { background: var(--warning-bg); color: var(--warning); }
.tone-good.verdict, .chip.tone-good { background: var(--good-bg); color: var(--good); }
.chip.tone-neutral { background: var(--neutral-bg); color: var(--neutral); }
.chip { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: .9em; white-space: nowrap; margin: 1px 0; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; }
th, td { border: 1px solid var(--line); padding: 2px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { overflow-wrap: normal; word-break: normal; }
thead th { background: #f3f5f7; position: sticky; top: 0; z-index: 1; }
th.sorted { background: #e4e9ef; }
table.data { font-size: 12.5px; }
table.data tbody tr:nth-child(even) { background: #fafbfc; }
tr.tone-problem td:first-child { border-left: 4px solid var(--problem); } tr.tone-warning td:first-child { border-left: 4px solid #d49b00; } tr.tone-good td:first-child { border-left: 4px solid var(--good); }
tr.tone-problem { background: #fff6f5 !important; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.details { font-size: 11px; color: #4a535c; max-width: 60ch; }
td.details b { color: #1b1f24; font-weight: 600; }
.type code { font-size: .85em; color: #57606a; } .competency { margin: .1em 0; font-style: italic; } .competency.none { color: #6a737d; }
.n { color: #57606a; font-size: .9em; }
.charts { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 12px 28px; margin: .4em 0; }
.charts svg { max-width: 100%; height: auto; }
pre.commands { background: #f6f8fa; padding: 8px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
ol.problems li { margin: 2px 0; }
nav ol { columns: 2; }
footer { margin-top: 2em; color: #6a737d; font-size: .85em; border-top: 1px solid var(--line); padding-top: .5em; }
@page { size: A4; margin: 12mm 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  thead th { position: static; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  section.result { break-before: page; }
  table.data { font-size: 7.5pt; }
  td.details { font-size: 7pt; }
  .charts { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
";
    }
}
