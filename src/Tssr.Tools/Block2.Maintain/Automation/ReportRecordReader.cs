using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Numerics;
using System.Reflection;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Reporting;

namespace Tssr.Tools
{
    /// <summary>
    /// Turns pipeline objects into the engine's plain property bags, and gathers what the engine
    /// cannot know itself: the columns of each type's table view (Get-FormatData) and the
    /// competencies of the commands that emit each type ([OutputType] + [Competency]).
    /// </summary>
    internal sealed class ReportRecordReader
    {
        private const int MaxListItems = 1000;
        private static readonly Lazy<Dictionary<string, IReadOnlyList<Competency>>> CompetencyMap = new Lazy<Dictionary<string, IReadOnlyList<Competency>>>(BuildCompetencyMap);
        private readonly PSCmdlet _cmdlet;
        private readonly Dictionary<string, IReadOnlyList<string>?> _columns = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.OrdinalIgnoreCase);

        public ReportRecordReader(PSCmdlet cmdlet) => _cmdlet = cmdlet;

        public ReportRecord Read(object? input)
        {
            if (input == null) return new ReportRecord(Array.Empty<string>(), new[] { new ReportProperty("Value", null) }, isPlain: true);
            var pso = input as PSObject ?? PSObject.AsPSObject(input);
            var baseObject = pso.BaseObject;
            var typeNames = pso.TypeNames.ToList();

            if (baseObject is IDictionary dictionary && !(baseObject is PSCustomObject))
            {
                var bag = new List<ReportProperty>();
                foreach (DictionaryEntry entry in dictionary)
                    bag.Add(new ReportProperty(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, Flatten(entry.Value, 0)));
                return new ReportRecord(Array.Empty<string>(), bag, isPlain: true);
            }
            if (IsScalar(baseObject))
                return new ReportRecord(Array.Empty<string>(), new[] { new ReportProperty("Value", Flatten(baseObject, 0)) }, isPlain: true);

            var properties = new List<ReportProperty>();
            foreach (var property in pso.Properties)
            {
                if (!property.IsGettable) continue;
                object? value;
                try { value = property.Value; }
                catch (Exception e) when (!(e is PipelineStoppedException)) { value = e.Message; }
                properties.Add(new ReportProperty(property.Name, Flatten(value, 0)));
            }
            var plain = typeNames.Count == 0 || IsPlainTypeName(typeNames[0]);
            if (!plain) RememberColumns(typeNames);
            return new ReportRecord(plain ? Array.Empty<string>() : typeNames, properties, plain);
        }

        /// <summary>Fills the options with the columns and competencies of the types seen.</summary>
        public void Describe(ReportOptions options)
        {
            foreach (var pair in _columns)
                if (pair.Value != null) options.ColumnsByType[pair.Key] = pair.Value;
            foreach (var pair in CompetencyMap.Value) options.CompetenciesByType[pair.Key] = pair.Value;
        }

        private static bool IsPlainTypeName(string name)
            => name == typeof(PSCustomObject).FullName
               || name == "Deserialized." + typeof(PSCustomObject).FullName
               || name.StartsWith("CSV:", StringComparison.Ordinal)
               || name.StartsWith("Deserialized.CSV:", StringComparison.Ordinal);

        private static bool IsScalar(object value)
            => value is string || value is char || value is bool || value is DateTime || value is DateTimeOffset || value is Enum
               || value is decimal || value is BigInteger || value is TimeSpan || value is Guid || value.GetType().IsPrimitive;

        internal static object? Flatten(object? value, int depth)
        {
            if (value is PSObject wrapped)
            {
                if (wrapped.BaseObject is PSCustomObject) return SafeText(wrapped);
                value = wrapped.BaseObject;
            }
            switch (value)
            {
                case null: return null;
                case string _: case bool _: case DateTime _: case DateTimeOffset _: case decimal _: case BigInteger _:
                    return value;
                case char c: return c.ToString();
                case Enum e: return e.ToString();
                case TimeSpan t: return t.ToString("c", CultureInfo.InvariantCulture);
                case IDictionary dictionary:
                    var pairs = new List<string>();
                    foreach (DictionaryEntry entry in dictionary)
                        pairs.Add(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) + "=" + SafeText(entry.Value));
                    return string.Join("; ", pairs);
                case IEnumerable list:
                    if (depth > 0) return SafeText(value);
                    var items = new List<object?>();
                    foreach (var item in list)
                    {
                        if (items.Count == MaxListItems) { items.Add("…"); break; }
                        items.Add(Flatten(item, depth + 1));
                    }
                    return items;
                default:
                    return value.GetType().IsPrimitive ? value : SafeText(value);
            }
        }

        private static string SafeText(object? value)
        {
            try { return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty; }
            catch (Exception e) when (!(e is PipelineStoppedException)) { return e.Message; }
        }

        private void RememberColumns(IReadOnlyList<string> typeNames)
        {
            var name = StripPrefix(typeNames[0]);
            if (_columns.ContainsKey(name)) return;
            IReadOnlyList<string>? columns = null;
            foreach (var candidate in typeNames.Select(StripPrefix))
            {
                columns = TableViewColumns(candidate);
                if (columns != null) break;
            }
            _columns[name] = columns;
        }

        private static string StripPrefix(string typeName)
        {
            foreach (var prefix in new[] { "Deserialized.", "Selected." })
                if (typeName.StartsWith(prefix, StringComparison.Ordinal)) typeName = typeName.Substring(prefix.Length);
            return typeName;
        }

        /// <summary>The property columns of the first table view of the type, from its format data; null without one.</summary>
        private IReadOnlyList<string>? TableViewColumns(string typeName)
        {
            if (typeName.StartsWith("System.", StringComparison.Ordinal)) return null;
            try
            {
                var found = _cmdlet.InvokeCommand.InvokeScript(
                    "param($t) Get-FormatData -TypeName $t -PowerShellVersion $PSVersionTable.PSVersion -ErrorAction Ignore",
                    true, PipelineResultTypes.None, null, typeName);
                foreach (var item in found)
                {
                    if (!(item?.BaseObject is ExtendedTypeDefinition definition)) continue;
                    foreach (var view in definition.FormatViewDefinition)
                    {
                        if (!(view.Control is TableControl table) || table.Rows.Count == 0) continue;
                        var columns = table.Rows[0].Columns
                            .Where(c => c.DisplayEntry != null && c.DisplayEntry.ValueType == DisplayEntryValueType.Property)
                            .Select(c => c.DisplayEntry.Value)
                            .ToList();
                        if (columns.Count > 0) return columns;
                    }
                }
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                _cmdlet.WriteVerbose(e.Message);
            }
            return null;
        }

        private static Dictionary<string, IReadOnlyList<Competency>> BuildCompetencyMap()
        {
            var map = new Dictionary<string, List<Competency>>(StringComparer.OrdinalIgnoreCase);
            foreach (var type in typeof(ReportRecordReader).Assembly.GetTypes())
            {
                var competency = type.GetCustomAttribute<CompetencyAttribute>();
                if (competency == null || type.GetCustomAttribute<CmdletAttribute>() == null) continue;
                foreach (var output in type.GetCustomAttributes<OutputTypeAttribute>())
                    foreach (var psType in output.Type)
                    {
                        var name = psType.Type?.FullName ?? psType.Name;
                        if (string.IsNullOrEmpty(name) || name!.StartsWith("System.", StringComparison.Ordinal)) continue;
                        if (!map.TryGetValue(name, out var list)) map[name] = list = new List<Competency>();
                        foreach (var c in competency.Competencies) if (!list.Contains(c)) list.Add(c);
                    }
            }
            return map.ToDictionary(p => p.Key, p => (IReadOnlyList<Competency>)p.Value, StringComparer.OrdinalIgnoreCase);
        }
    }
}
