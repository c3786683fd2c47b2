using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Tssr.Tools.Engine.Reporting
{
    /// <summary>A horizontal bar chart as inline SVG: readable on screen and on paper, no script.</summary>
    internal static class SvgChart
    {
        private const int Width = 460;
        private const int LabelWidth = 170;
        private const int BarHeight = 18;
        private const int Gap = 6;
        private const int Top = 26;
        private const int MaxBars = 15;

        public static void Write(ReportChart chart, CultureInfo culture, TextWriter writer)
        {
            var bars = chart.Bars.Take(MaxBars).ToList();
            var max = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.ItemCount));
            var height = Top + bars.Count * (BarHeight + Gap) + 4;
            var inv = CultureInfo.InvariantCulture;
            var title = HtmlReportWriter.Escape(chart.Title);
            writer.Write("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"" + title + "\" width=\"" + Width.ToString(inv)
                + "\" height=\"" + height.ToString(inv) + "\" viewBox=\"0 0 " + Width.ToString(inv) + " " + height.ToString(inv) + "\">");
            writer.Write("<title>" + title + "</title>");
            writer.Write("<text x=\"0\" y=\"16\" font-size=\"13\" font-weight=\"600\" fill=\"#1b1f24\">" + title + "</text>");
            var room = Width - LabelWidth - 60;
            for (var i = 0; i < bars.Count; i++)
            {
                var bar = bars[i];
                var y = Top + i * (BarHeight + Gap);
                var w = bar.ItemCount == 0 ? 0 : Math.Max(2, (int)Math.Round(room * (double)bar.ItemCount / max));
                var label = bar.Value.Length > 26 ? bar.Value.Substring(0, 25) + "…" : bar.Value;
                writer.Write("<text x=\"" + (LabelWidth - 6).ToString(inv) + "\" y=\"" + (y + 13).ToString(inv) + "\" font-size=\"12\" text-anchor=\"end\" fill=\"#1b1f24\">"
                    + HtmlReportWriter.Escape(label) + "</text>");
                writer.Write("<rect x=\"" + LabelWidth.ToString(inv) + "\" y=\"" + y.ToString(inv) + "\" width=\"" + w.ToString(inv) + "\" height=\"" + BarHeight.ToString(inv)
                    + "\" rx=\"2\" fill=\"" + Colour(bar.Tone) + "\"/>");
                writer.Write("<text x=\"" + (LabelWidth + w + 6).ToString(inv) + "\" y=\"" + (y + 13).ToString(inv) + "\" font-size=\"12\" fill=\"#1b1f24\">"
                    + bar.ItemCount.ToString(culture) + "</text>");
            }
            writer.Write("</svg>\n");
        }

        private static string Colour(ReportTone tone)
        {
            switch (tone)
            {
                case ReportTone.Problem: return "#c62828";
                case ReportTone.Warning: return "#e0a800";
                case ReportTone.Good: return "#2e7d32";
                default: return "#607d8b";
            }
        }
    }
}
