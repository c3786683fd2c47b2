using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace Tssr.Tools.Engine.Checks
{
    /// <summary>
    /// Writes check results as JUnit XML, the report CI systems read (GitLab, Jenkins, Azure
    /// Pipelines, GitHub actions that publish test results): one testsuite per check file, one
    /// testcase per check. Failed is a failure; Error and Unsupported are errors (never a pass nor a skip).
    /// </summary>
    public static class JUnitWriter
    {
        public static void Write(TextWriter output, string suiteName, string hostName, DateTime startedUtc, IReadOnlyList<CheckResult> results)
        {
            var inv = CultureInfo.InvariantCulture;
            var failures = results.Count(r => r.Outcome == CheckOutcome.Failed);
            var errors = results.Count(r => r.Outcome == CheckOutcome.Error || r.Outcome == CheckOutcome.Unsupported);
            var time = (results.Sum(r => r.DurationMs) / 1000).ToString("0.###", inv);
            var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
            using (var xml = XmlWriter.Create(output, settings))
            {
                xml.WriteStartDocument();
                xml.WriteStartElement("testsuites");
                xml.WriteAttributeString("name", Clean(suiteName));
                xml.WriteAttributeString("tests", results.Count.ToString(inv));
                xml.WriteAttributeString("failures", failures.ToString(inv));
                xml.WriteAttributeString("errors", errors.ToString(inv));
                xml.WriteAttributeString("time", time);
                xml.WriteStartElement("testsuite");
                xml.WriteAttributeString("name", Clean(suiteName));
                xml.WriteAttributeString("tests", results.Count.ToString(inv));
                xml.WriteAttributeString("failures", failures.ToString(inv));
                xml.WriteAttributeString("errors", errors.ToString(inv));
                xml.WriteAttributeString("skipped", "0");
                xml.WriteAttributeString("time", time);
                xml.WriteAttributeString("timestamp", startedUtc.ToString("yyyy-MM-ddTHH:mm:ss", inv));
                xml.WriteAttributeString("hostname", Clean(hostName));
                foreach (var r in results)
                {
                    xml.WriteStartElement("testcase");
                    xml.WriteAttributeString("name", Clean(r.Name));
                    xml.WriteAttributeString("classname", Clean(r.Type));
                    xml.WriteAttributeString("time", (r.DurationMs / 1000).ToString("0.###", inv));
                    xml.WriteAttributeString("file", Clean(r.File));
                    xml.WriteAttributeString("line", r.Line.ToString(inv));
                    var body = Clean("Target: " + r.Target + "\nExpected: " + r.Expected + "\nActual: " + r.Actual + "\n" + r.Evidence);
                    switch (r.Outcome)
                    {
                        case CheckOutcome.Failed:
                            xml.WriteStartElement("failure");
                            xml.WriteAttributeString("type", Clean(r.Type));
                            xml.WriteAttributeString("message", Clean(r.Evidence));
                            xml.WriteString(body);
                            xml.WriteEndElement();
                            break;
                        case CheckOutcome.Error:
                        case CheckOutcome.Unsupported:
                            xml.WriteStartElement("error");
                            xml.WriteAttributeString("type", r.Outcome == CheckOutcome.Unsupported ? "Unsupported" : Clean(r.ErrorId ?? "Error"));
                            xml.WriteAttributeString("message", Clean(r.Evidence));
                            xml.WriteString(body);
                            xml.WriteEndElement();
                            break;
                    }
                    xml.WriteElementString("system-out", body);
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
                xml.WriteEndElement();
                xml.WriteEndDocument();
            }
        }

        /// <summary>XML 1.0 cannot hold most control characters, even escaped.</summary>
        private static string Clean(string? text)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            var sb = new StringBuilder(text!.Length);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { sb.Append(c).Append(text[++i]); continue; }
                sb.Append(XmlConvert.IsXmlChar(c) ? c : '\uFFFD');
            }
            return sb.ToString();
        }
    }
}
