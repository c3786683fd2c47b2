using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Text;

namespace Tssr.Tools.Engine.Reporting
{
    /// <summary>
    /// Writes a report as JSON ("format": "Tssr.Tools.Report", "version": 1): the same metadata,
    /// summary and sections as the HTML form, with every property of every result and values typed
    /// (numbers, booleans, ISO 8601 dates, lists). Markup characters are written as \u escapes, so the
    /// file is inert even if pasted into a page.
    /// </summary>
    public static class JsonReportWriter
    {
        public const string FormatName = "Tssr.Tools.Report";
        public const int FormatVersion = 1;

        public static void Write(ReportDocument document, TextWriter w)
        {
            var o = document.Options;
            var culture = document.Culture;
            w.Write("{\n  \"format\": "); Str(w, FormatName);
            w.Write(",\n  \"version\": " + FormatVersion.ToString(CultureInfo.InvariantCulture));
            w.Write(",\n  \"language\": "); Str(w, culture.TwoLetterISOLanguageName);
            w.Write(",\n  \"title\": "); Str(w, document.Title);
            w.Write(",\n  \"generatedAt\": "); Str(w, o.GeneratedAt.ToString("o", CultureInfo.InvariantCulture));
            w.Write(",\n  \"computerName\": "); Str(w, o.ComputerName);
            w.Write(",\n  \"operator\": "); Str(w, o.Operator);
            w.Write(",\n  \"moduleVersion\": "); Str(w, o.ModuleVersion);
            w.Write(",\n  \"hostVersion\": "); Str(w, o.HostVersion);
            w.Write(",\n  \"operatingSystem\": "); Str(w, o.OperatingSystem);
            w.Write(",\n  \"commandLines\": [");
            for (var i = 0; i < o.CommandLines.Count; i++) { if (i > 0) w.Write(", "); Str(w, o.CommandLines[i]); }
            w.Write("],\n  \"summary\": {\"itemCount\": " + N(document.ItemCount) + ", \"problemCount\": " + N(document.ProblemCount) + ", \"warningCount\": " + N(document.WarningCount) + ", \"sections\": [");
            for (var i = 0; i < document.Sections.Count; i++)
            {
                var s = document.Sections[i];
                w.Write(i == 0 ? "\n    {" : ",\n    {");
                w.Write("\"id\": "); Str(w, s.Id);
                w.Write(", \"title\": "); Str(w, s.Title);
                w.Write(", \"typeName\": "); Str(w, s.TypeName);
                w.Write(", \"competencies\": [");
                for (var c = 0; c < s.Competencies.Count; c++)
                {
                    var comp = s.Competencies[c];
                    if (c > 0) w.Write(", ");
                    w.Write("{\"competency\": "); Str(w, comp.Competency.ToString());
                    w.Write(", \"number\": " + N(comp.Number) + ", \"block\": " + N((int)comp.Block) + ", \"title\": "); Str(w, comp.Title); w.Write("}");
                }
                w.Write("], \"itemCount\": " + N(s.Rows.Count) + ", \"problemCount\": " + N(s.ProblemCount) + ", \"warningCount\": " + N(s.WarningCount) + ", \"keyProperty\": ");
                if (s.KeyProperty == null) w.Write("null"); else Str(w, s.KeyProperty);
                w.Write(", \"counts\": [");
                for (var c = 0; c < s.Counts.Count; c++)
                {
                    if (c > 0) w.Write(", ");
                    w.Write("{\"value\": "); Str(w, s.Counts[c].Value);
                    w.Write(", \"tone\": "); Str(w, s.Counts[c].Tone.ToString());
                    w.Write(", \"count\": " + N(s.Counts[c].ItemCount) + "}");
                }
                w.Write("]}");
            }
            w.Write("]},\n  \"firstProblems\": [");
            for (var i = 0; i < document.FirstProblems.Count; i++)
            {
                var (section, row) = document.FirstProblems[i];
                w.Write(i == 0 ? "\n    {" : ",\n    {");
                w.Write("\"section\": "); Str(w, section.Id);
                w.Write(", \"sequence\": " + N(row.Sequence) + ", \"text\": "); Str(w, document.Describe(section, row));
                w.Write("}");
            }
            w.Write("],\n  \"sections\": [");
            for (var i = 0; i < document.Sections.Count; i++)
            {
                var s = document.Sections[i];
                w.Write(i == 0 ? "\n    {" : ",\n    {");
                w.Write("\"id\": "); Str(w, s.Id);
                w.Write(", \"title\": "); Str(w, s.Title);
                w.Write(", \"typeName\": "); Str(w, s.TypeName);
                w.Write(", \"columns\": [");
                for (var c = 0; c < s.Columns.Count; c++) { if (c > 0) w.Write(", "); Str(w, s.Columns[c]); }
                w.Write("], \"items\": [");
                var firstRow = true;
                foreach (var row in s.Rows)
                {
                    w.Write(firstRow ? "\n      {" : ",\n      {");
                    firstRow = false;
                    w.Write("\"sequence\": " + N(row.Sequence) + ", \"tone\": "); Str(w, row.Tone.ToString());
                    w.Write(", \"properties\": {");
                    for (var p = 0; p < row.Record.Properties.Count; p++)
                    {
                        if (p > 0) w.Write(", ");
                        Str(w, row.Record.Properties[p].Name);
                        w.Write(": ");
                        Value(w, row.Record.Properties[p].Value, 0);
                    }
                    w.Write("}}");
                }
                w.Write(firstRow ? "]}" : "\n    ]}");
            }
            w.Write(document.Sections.Count == 0 ? "]\n}\n" : "\n  ]\n}\n");
        }

        private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

        private static void Value(TextWriter w, object? value, int depth)
        {
            var inv = CultureInfo.InvariantCulture;
            switch (value)
            {
                case null: w.Write("null"); return;
                case string s: Str(w, s); return;
                case bool b: w.Write(b ? "true" : "false"); return;
                case DateTime d: Str(w, d.ToString("o", inv)); return;
                case DateTimeOffset dto: Str(w, dto.ToString("o", inv)); return;
                case double x: if (double.IsNaN(x) || double.IsInfinity(x)) w.Write("null"); else w.Write(x.ToString("R", inv)); return;
                case float f: if (float.IsNaN(f) || float.IsInfinity(f)) w.Write("null"); else w.Write(f.ToString("R", inv)); return;
                case decimal m: w.Write(m.ToString(inv)); return;
                case BigInteger big: w.Write(big.ToString(inv)); return;
                case IEnumerable list when depth < 4:
                    w.Write("[");
                    var first = true;
                    foreach (var item in list) { if (!first) w.Write(", "); first = false; Value(w, item, depth + 1); }
                    w.Write("]");
                    return;
                default:
                    if (ValueText.IsIntegral(value)) { w.Write(((IFormattable)value).ToString(null, inv)); return; }
                    Str(w, Convert.ToString(value, inv));
                    return;
            }
        }

        internal static void Str(TextWriter w, string? s)
        {
            if (s == null) { w.Write("null"); return; }
            var sb = new StringBuilder(s.Length + 2);
            sb.Append('"');
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '<': sb.Append("\\u003c"); break;
                    case '>': sb.Append("\\u003e"); break;
                    case '&': sb.Append("\\u0026"); break;
                    default:
                        if (c < ' ' || c == '\u2028' || c == '\u2029') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            sb.Append('"');
            w.Write(sb.ToString());
        }
    }
}
