using System;
using System.Collections.Generic;
using System.Globalization;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Reporting
{
    /// <summary>How a value reads in a report: a problem, a warning, a good outcome or neither.</summary>
    public enum ReportTone
    {
        Neutral,
        Good,
        Warning,
        Problem,
    }

    /// <summary>The two forms of a report.</summary>
    public enum ReportFormat
    {
        Html,
        Json,
    }

    /// <summary>
    /// One named value of a result. The value is null, a string, a bool, a number (integral,
    /// floating, decimal or BigInteger), a DateTime, a DateTimeOffset or a list of such values: the
    /// caller (the cmdlet) flattens anything else to its text.
    /// </summary>
    public sealed class ReportProperty
    {
        public ReportProperty(string name, object? value)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Value = value;
        }

        public string Name { get; }
        public object? Value { get; }
    }

    /// <summary>
    /// One result to report, as a bag of properties with the type names it had (most derived first).
    /// Plain objects (PSCustomObject, hashtables, CSV rows) have no type of their own: they are grouped
    /// by their property names.
    /// </summary>
    public sealed class ReportRecord
    {
        private Dictionary<string, object?>? _byName;

        public ReportRecord(IReadOnlyList<string> typeNames, IReadOnlyList<ReportProperty> properties, bool isPlain = false)
        {
            TypeNames = typeNames ?? throw new ArgumentNullException(nameof(typeNames));
            Properties = properties ?? throw new ArgumentNullException(nameof(properties));
            IsPlain = isPlain;
        }

        public IReadOnlyList<string> TypeNames { get; }
        public IReadOnlyList<ReportProperty> Properties { get; }
        public bool IsPlain { get; }

        public bool TryGet(string name, out object? value)
        {
            if (_byName == null)
            {
                var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (var p in Properties)
                    if (!map.ContainsKey(p.Name)) map[p.Name] = p.Value;
                _byName = map;
            }
            return _byName.TryGetValue(name, out value);
        }
    }

    /// <summary>Everything a report says about itself, so it stands as evidence.</summary>
    public sealed class ReportOptions
    {
        /// <summary>The language of the report (English or French).</summary>
        public CultureInfo Culture { get; set; } = CultureInfo.GetCultureInfo("en-US");
        public string? Title { get; set; }
        public DateTimeOffset GeneratedAt { get; set; } = DateTimeOffset.Now;
        public string ComputerName { get; set; } = Environment.MachineName;
        public string Operator { get; set; } = Environment.UserName;
        public string ModuleVersion { get; set; } = string.Empty;
        public string HostVersion { get; set; } = string.Empty;
        public string OperatingSystem { get; set; } = string.Empty;
        /// <summary>The command lines that produced the results, in order.</summary>
        public IList<string> CommandLines { get; } = new List<string>();
        /// <summary>Per type name: the columns of its table view, in order (the other properties go to a details column).</summary>
        public IDictionary<string, IReadOnlyList<string>> ColumnsByType { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Per type name: the competencies of the référentiel that the commands emitting it serve.</summary>
        public IDictionary<string, IReadOnlyList<Competency>> CompetenciesByType { get; } = new Dictionary<string, IReadOnlyList<Competency>>(StringComparer.OrdinalIgnoreCase);
        /// <summary>How many of the first problems the summary lists.</summary>
        public int FirstProblemCount { get; set; } = 20;
        /// <summary>Without a table view, at most this many columns; the rest go to the details column.</summary>
        public int MaxColumns { get; set; } = 10;
    }
}
