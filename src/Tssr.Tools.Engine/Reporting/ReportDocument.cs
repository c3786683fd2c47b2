using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Reporting
{
    /// <summary>How many results of a section have one value of a property.</summary>
    public sealed class ReportCount
    {
        internal ReportCount(string value, ReportTone tone, int itemCount)
        {
            Value = value;
            Tone = tone;
            ItemCount = itemCount;
        }

        public string Value { get; }
        public ReportTone Tone { get; }
        public int ItemCount { get; }
    }

    /// <summary>One chart: a title and bars.</summary>
    public sealed class ReportChart
    {
        internal ReportChart(string title, IReadOnlyList<ReportCount> bars)
        {
            Title = title;
            Bars = bars;
        }

        public string Title { get; }
        public IReadOnlyList<ReportCount> Bars { get; }
    }

    /// <summary>One result in its section: its tone, its position in the input and its values.</summary>
    public sealed class ReportRow
    {
        internal ReportRow(int sequence, ReportTone tone, ReportRecord record)
        {
            Sequence = sequence;
            Tone = tone;
            Record = record;
        }

        /// <summary>1-based position in the whole input.</summary>
        public int Sequence { get; }
        public ReportTone Tone { get; }
        public ReportRecord Record { get; }
    }

    /// <summary>The results of one type (or one shape of plain object).</summary>
    public sealed class ReportSection
    {
        internal ReportSection(string id, string title, string typeName, bool isPlain)
        {
            Id = id;
            Title = title;
            TypeName = typeName;
            IsPlain = isPlain;
        }

        public string Id { get; }
        public string Title { get; }
        public string TypeName { get; }
        public bool IsPlain { get; }
        public IReadOnlyList<CompetencyInfo> Competencies { get; internal set; } = Array.Empty<CompetencyInfo>();
        public string? KeyProperty { get; internal set; }
        public IReadOnlyList<ReportCount> Counts { get; internal set; } = Array.Empty<ReportCount>();
        public IReadOnlyList<ReportChart> Charts { get; internal set; } = Array.Empty<ReportChart>();
        public IReadOnlyList<string> Columns { get; internal set; } = Array.Empty<string>();
        /// <summary>Problems first, then warnings, then the rest, each in input order.</summary>
        public IReadOnlyList<ReportRow> Rows { get; internal set; } = Array.Empty<ReportRow>();
        public int ProblemCount { get; internal set; }
        public int WarningCount { get; internal set; }
    }

    /// <summary>A report ready to write: metadata, sections and the first problems.</summary>
    public sealed class ReportDocument
    {
        internal ReportDocument(ReportOptions options, string title, IReadOnlyList<ReportSection> sections, IReadOnlyList<(ReportSection Section, ReportRow Row)> firstProblems, int itemCount)
        {
            Options = options;
            Title = title;
            Sections = sections;
            FirstProblems = firstProblems;
            ItemCount = itemCount;
        }

        public ReportOptions Options { get; }
        public CultureInfo Culture => Options.Culture;
        public string Title { get; }
        public IReadOnlyList<ReportSection> Sections { get; }
        public IReadOnlyList<(ReportSection Section, ReportRow Row)> FirstProblems { get; }
        public int ItemCount { get; }
        public int ProblemCount => Sections.Sum(s => s.ProblemCount);
        public int WarningCount => Sections.Sum(s => s.WarningCount);

        /// <summary>A short text of a row: the values of its first columns.</summary>
        public string Describe(ReportSection section, ReportRow row, int columns = 4)
        {
            var parts = new List<string>();
            foreach (var column in section.Columns)
            {
                if (parts.Count >= columns) break;
                if (row.Record.TryGet(column, out var value) && !ValueText.IsEmpty(value))
                    parts.Add(ValueText.Format(value, Culture));
            }
            return string.Join(" · ", parts);
        }
    }

    /// <summary>Groups results into sections, reads their outcome and counts them.</summary>
    public static class ReportBuilder
    {
        private static readonly Localizer Text = ReportingText.Strings;

        public static ReportDocument Build(ReportOptions options, IEnumerable<ReportRecord> records)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var culture = options.Culture;
            var groups = new List<(string Key, List<(int Sequence, ReportRecord Record)> Items)>();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var sequence = 0;
            foreach (var record in records)
            {
                sequence++;
                var key = SectionKey(record);
                if (!index.TryGetValue(key, out var at))
                {
                    at = groups.Count;
                    index[key] = at;
                    groups.Add((key, new List<(int, ReportRecord)>()));
                }
                groups[at].Items.Add((sequence, record));
            }

            var sections = new List<ReportSection>();
            var problems = new List<(ReportSection, ReportRow)>();
            var number = 0;
            foreach (var (_, items) in groups)
            {
                number++;
                var section = BuildSection(options, "section-" + number.ToString(CultureInfo.InvariantCulture), items);
                sections.Add(section);
                foreach (var row in section.Rows)
                    if (row.Tone == ReportTone.Problem) problems.Add((section, row));
            }
            var first = problems.OrderBy(p => p.Item2.Sequence).Take(Math.Max(0, options.FirstProblemCount)).ToList();
            var title = string.IsNullOrWhiteSpace(options.Title) ? Text.Get("Report_DefaultTitle", culture) : options.Title!;
            return new ReportDocument(options, title, sections, first, sequence);
        }

        private static string SectionKey(ReportRecord record)
        {
            if (record.IsPlain || record.TypeNames.Count == 0)
                return "plain:" + string.Join("\u001f", record.Properties.Select(p => p.Name));
            return "type:" + ReportProfiles.StripDeserialized(record.TypeNames[0]);
        }

        private static ReportSection BuildSection(ReportOptions options, string id, List<(int Sequence, ReportRecord Record)> items)
        {
            var culture = options.Culture;
            var sample = items[0].Record;
            var isPlain = sample.IsPlain || sample.TypeNames.Count == 0;
            var typeName = isPlain ? string.Empty : ReportProfiles.StripDeserialized(sample.TypeNames[0]);
            var profile = isPlain ? null : ReportProfiles.Find(sample.TypeNames, out _);

            string title;
            if (profile?.TitleKey != null) title = Text.Get(profile.TitleKey, culture);
            else if (isPlain) title = sample.Properties.Count == 1 && sample.Properties[0].Name == "Value"
                ? Text.Get("Section_Values", culture)
                : Text.Format(culture, "Section_PlainObjects", string.Join(", ", sample.Properties.Take(4).Select(p => p.Name)) + (sample.Properties.Count > 4 ? ", …" : string.Empty));
            else title = ReportProfiles.ShortName(typeName);

            var section = new ReportSection(id, title, typeName, isPlain);
            if (!isPlain) section.Competencies = CompetenciesOf(options, sample.TypeNames, culture);

            var key = profile?.KeyProperty ?? FindGenericKey(items);
            if (key != null && !items.Any(i => i.Record.TryGet(key, out _))) key = null;
            section.KeyProperty = key;

            var rows = new List<ReportRow>(items.Count);
            foreach (var (seq, record) in items)
            {
                var tone = ReportTone.Neutral;
                if (key != null && record.TryGet(key, out var keyValue))
                {
                    var text = ValueText.Format(keyValue, culture);
                    tone = profile != null ? profile.ToneOf(text) : ReportProfile.GenericTone(text);
                }
                rows.Add(new ReportRow(seq, tone, record));
            }
            section.ProblemCount = rows.Count(r => r.Tone == ReportTone.Problem);
            section.WarningCount = rows.Count(r => r.Tone == ReportTone.Warning);
            section.Rows = rows.OrderBy(r => r.Tone == ReportTone.Problem ? 0 : r.Tone == ReportTone.Warning ? 1 : 2).ThenBy(r => r.Sequence).ToList();

            section.Columns = ChooseColumns(options, typeName, items.Select(i => i.Record).ToList(), key);

            var charts = new List<ReportChart>();
            if (key != null)
            {
                section.Counts = CountBy(rows.Select(r => r.Record), key, profile, culture);
                var chartTitle = profile?.ChartTitleKey != null ? Text.Get(profile.ChartTitleKey, culture) : Text.Format(culture, "Chart_CountBy", key);
                if (profile == null || profile.ChartTitleKey != null) charts.Add(new ReportChart(chartTitle, section.Counts));
            }
            if (profile != null)
                foreach (var (property, titleKey) in profile.CountCharts)
                    if (items.Any(i => i.Record.TryGet(property, out _)))
                        charts.Add(new ReportChart(Text.Get(titleKey, culture), CountBy(rows.Select(r => r.Record), property, null, culture)));
            var buckets = profile != null && profile.BucketCharts.Count > 0 ? profile.BucketCharts : ReportProfile.GenericBucketCharts();
            foreach (var bucket in buckets)
            {
                var chart = BucketChartOf(bucket, items.Select(i => i.Record), culture);
                if (chart != null) charts.Add(chart);
            }
            section.Charts = charts;
            return section;
        }

        private static IReadOnlyList<CompetencyInfo> CompetenciesOf(ReportOptions options, IReadOnlyList<string> typeNames, CultureInfo culture)
        {
            foreach (var name in typeNames)
                if (options.CompetenciesByType.TryGetValue(ReportProfiles.StripDeserialized(name), out var list) && list.Count > 0)
                    return list.Distinct().OrderBy(c => (int)c).Select(c => CompetencyCatalog.Describe(c, culture)).ToList();
            return Array.Empty<CompetencyInfo>();
        }

        private static string? FindGenericKey(List<(int Sequence, ReportRecord Record)> items)
        {
            foreach (var candidate in ReportProfile.GenericKeys)
                if (items.Any(i => i.Record.TryGet(candidate, out var v) && !ValueText.IsEmpty(v) && !(v is System.Collections.IEnumerable && !(v is string))))
                    return candidate;
            return null;
        }

        private static IReadOnlyList<string> ChooseColumns(ReportOptions options, string typeName, List<ReportRecord> records, string? key)
        {
            var present = new List<string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var nonEmpty = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var record in records)
                foreach (var p in record.Properties)
                {
                    if (seen.Add(p.Name)) present.Add(p.Name);
                    if (!ValueText.IsEmpty(p.Value)) nonEmpty.Add(p.Name);
                }

            List<string> columns;
            if (typeName.Length > 0 && options.ColumnsByType.TryGetValue(typeName, out var viewColumns) && viewColumns.Count > 0)
                columns = viewColumns.Where(seen.Contains).ToList();
            else
                columns = present.Where(nonEmpty.Contains).Take(Math.Max(1, options.MaxColumns)).ToList();
            if (columns.Count == 0) columns = present.Take(Math.Max(1, options.MaxColumns)).ToList();
            if (key != null && !columns.Contains(key, StringComparer.OrdinalIgnoreCase)) columns.Insert(0, key);
            return columns;
        }

        private static IReadOnlyList<ReportCount> CountBy(IEnumerable<ReportRecord> records, string property, ReportProfile? profile, CultureInfo culture)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var firstSeen = new List<string>();
            foreach (var record in records)
            {
                if (!record.TryGet(property, out var value)) continue;
                var text = ValueText.Format(value, culture);
                if (text.Length == 0) text = "—";
                if (!counts.ContainsKey(text)) { counts[text] = 0; firstSeen.Add(text); }
                counts[text]++;
            }
            Func<string, ReportTone> tone = v => profile != null ? profile.ToneOf(v) : ReportProfile.GenericTone(v);
            var order = profile?.ValueOrder ?? new List<string>();
            return firstSeen
                .OrderBy(v => { var i = order.FindIndex(o => string.Equals(o, v, StringComparison.OrdinalIgnoreCase)); return i < 0 ? int.MaxValue : i; })
                .ThenBy(v => tone(v) == ReportTone.Problem ? 0 : tone(v) == ReportTone.Warning ? 1 : 2)
                .ThenByDescending(v => counts[v])
                .Select(v => new ReportCount(v, tone(v), counts[v]))
                .ToList();
        }

        private static ReportChart? BucketChartOf(BucketChart bucket, IEnumerable<ReportRecord> records, CultureInfo culture)
        {
            var limits = bucket.Limits;
            var bins = new int[limits.Length + 2];
            var any = false;
            foreach (var record in records)
            {
                if (!record.TryGet(bucket.Property, out var value) || !ValueText.TryNumber(value, out var n)) continue;
                any = true;
                if (bucket.NegativeFirst && n < 0) { bins[0]++; continue; }
                var i = 0;
                while (i < limits.Length && n > limits[i]) i++;
                bins[i + 1]++;
            }
            if (!any) return null;
            var bars = new List<ReportCount>();
            if (bucket.NegativeFirst)
                bars.Add(new ReportCount(Text.Get("Bucket_Expired", culture), ReportTone.Problem, bins[0]));
            var lower = 0d;
            for (var i = 0; i <= limits.Length; i++)
            {
                string label;
                if (i < limits.Length) label = Text.Format(culture, bucket.UnitKey, Num(lower, culture), Num(limits[i], culture));
                else label = Text.Format(culture, bucket.UnitKey + "More", Num(limits[limits.Length - 1], culture));
                // Few days left is a warning for a certificate; for an age, the oldest range is.
                ReportTone tone;
                if (bucket.NegativeFirst) tone = i == 0 ? ReportTone.Warning : ReportTone.Good;
                else tone = i == limits.Length ? ReportTone.Warning : ReportTone.Neutral;
                bars.Add(new ReportCount(label, tone, bins[i + 1]));
                if (i < limits.Length) lower = limits[i];
            }
            return new ReportChart(Text.Get(bucket.TitleKey, culture), bars);
        }

        private static string Num(double d, CultureInfo culture) => d.ToString("0.##", culture);
    }
}
