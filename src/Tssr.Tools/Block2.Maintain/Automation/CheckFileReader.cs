using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Tssr.Tools.Engine.Checks;
using Tssr.Tools.Engine.Reporting;

namespace Tssr.Tools
{
    /// <summary>
    /// Reads a check file (.psd1) with PowerShell's parser, without running it: only constant values
    /// are accepted, as Import-PowerShellDataFile does, and every entry keeps its line so an error
    /// names it.
    /// </summary>
    internal static class CheckFileReader
    {
        private static readonly string[] TopLevelKeys = { "Title", "Description", "Checks" };

        public sealed class CheckFile
        {
            public CheckFile(string path, string? title, IReadOnlyList<CheckDefinition> checks)
            {
                Path = path;
                Title = title;
                Checks = checks;
            }

            public string Path { get; }
            public string? Title { get; }
            public IReadOnlyList<CheckDefinition> Checks { get; }
        }

        public static CheckFile Read(string path)
        {
            if (!File.Exists(path))
                throw new Engine.Core.TssrException("CheckFileNotFound", Engine.Core.TssrErrorCategory.ObjectNotFound, path,
                    ReportingText.Strings.Format("Error_CheckFileNotFound", path), ReportingText.Strings.Get("Action_CheckFileNotFound"));
            var ast = Parser.ParseFile(path, out _, out var errors);
            if (errors.Length > 0)
                throw CheckCatalog.Invalid(path, errors[0].Extent.StartLineNumber, errors[0].Message);
            var statements = ast.EndBlock?.Statements ?? new System.Collections.ObjectModel.ReadOnlyCollection<StatementAst>(new StatementAst[0]);
            if (ast.ParamBlock != null || ast.BeginBlock != null || ast.ProcessBlock != null || statements.Count != 1 || !(Expression(statements[0]) is HashtableAst top))
                throw CheckCatalog.Invalid(path, statements.Count > 0 ? statements[0].Extent.StartLineNumber : 1, ReportingText.Strings.Get("Check_NotAHashtable"));

            string? title = null;
            var checks = new List<CheckDefinition>();
            var sawChecks = false;
            foreach (var pair in top.KeyValuePairs)
            {
                var key = KeyName(path, pair.Item1);
                if (!TopLevelKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                    throw CheckCatalog.Invalid(path, pair.Item1.Extent.StartLineNumber, ReportingText.Strings.Format("Check_UnknownTopLevelKey", key, string.Join(", ", TopLevelKeys)));
                if (string.Equals(key, "Title", StringComparison.OrdinalIgnoreCase)) title = Value(path, pair.Item2) as string;
                if (!string.Equals(key, "Checks", StringComparison.OrdinalIgnoreCase)) continue;
                sawChecks = true;
                foreach (var table in Hashtables(pair.Item2, path))
                {
                    var settings = new Dictionary<string, (object?, int)>(StringComparer.OrdinalIgnoreCase);
                    foreach (var setting in table.KeyValuePairs)
                    {
                        var name = KeyName(path, setting.Item1);
                        if (settings.ContainsKey(name))
                            throw CheckCatalog.Invalid(path, setting.Item1.Extent.StartLineNumber, ReportingText.Strings.Format("Check_RepeatedSetting", name));
                        settings[name] = (Value(path, setting.Item2), setting.Item1.Extent.StartLineNumber);
                    }
                    checks.Add(new CheckDefinition(path, table.Extent.StartLineNumber, settings));
                }
            }
            if (!sawChecks || checks.Count == 0)
                throw CheckCatalog.Invalid(path, top.Extent.StartLineNumber, ReportingText.Strings.Get("Check_NoChecks"));
            return new CheckFile(path, title, CheckCatalog.Validate(checks));
        }

        /// <summary>The names of the checks of a file, for Tab completion; nothing when the file cannot be read.</summary>
        public static IEnumerable<string> NamesForCompletion(string path)
        {
            try
            {
                var ast = Parser.ParseFile(path, out _, out _);
                return ast.FindAll(a => a is HashtableAst, true).Cast<HashtableAst>()
                    .SelectMany(h => h.KeyValuePairs)
                    .Where(p => p.Item1 is StringConstantExpressionAst k && string.Equals(k.Value, "Name", StringComparison.OrdinalIgnoreCase))
                    .Select(p => Expression(p.Item2) as StringConstantExpressionAst)
                    .Where(s => s != null)
                    .Select(s => s!.Value)
                    .Distinct(StringComparer.OrdinalIgnoreCase)
                    .ToList();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                return Array.Empty<string>();
            }
        }

        private static ExpressionAst? Expression(StatementAst statement)
            => statement is PipelineAst pipeline ? pipeline.GetPureExpression() : null;

        private static string KeyName(string path, ExpressionAst key)
        {
            if (key is StringConstantExpressionAst s) return s.Value;
            throw CheckCatalog.Invalid(path, key.Extent.StartLineNumber, ReportingText.Strings.Format("Check_BadKey", key.Extent.Text));
        }

        private static object? Value(string path, StatementAst statement)
        {
            var expression = Expression(statement);
            if (expression == null)
                throw CheckCatalog.Invalid(path, statement.Extent.StartLineNumber, ReportingText.Strings.Format("Check_NotConstant", statement.Extent.Text));
            object? value;
            try
            {
                value = expression.SafeGetValue();
            }
            catch (InvalidOperationException)
            {
                throw CheckCatalog.Invalid(path, statement.Extent.StartLineNumber, ReportingText.Strings.Format("Check_NotConstant", statement.Extent.Text));
            }
            return Plain(value);
        }

        private static object? Plain(object? value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            if (value is object[] array) return array.Select(Plain).ToArray();
            if (value is IList list && !(value is string)) return list.Cast<object?>().Select(Plain).ToArray();
            return value;
        }

        private static IEnumerable<HashtableAst> Hashtables(StatementAst statement, string path)
        {
            var expression = Expression(statement);
            if (expression is ArrayExpressionAst sub)
            {
                foreach (var inner in sub.SubExpression.Statements)
                    foreach (var table in TablesOf(Expression(inner), inner, path)) yield return table;
                yield break;
            }
            foreach (var table in TablesOf(expression, statement, path)) yield return table;
        }

        private static IEnumerable<HashtableAst> TablesOf(ExpressionAst? expression, Ast at, string path)
        {
            switch (expression)
            {
                case HashtableAst table: yield return table; break;
                case ArrayLiteralAst literal:
                    foreach (var element in literal.Elements)
                    {
                        if (element is HashtableAst t) yield return t;
                        else throw CheckCatalog.Invalid(path, element.Extent.StartLineNumber, ReportingText.Strings.Get("Check_NotAHashtableEntry"));
                    }
                    break;
                default:
                    throw CheckCatalog.Invalid(path, at.Extent.StartLineNumber, ReportingText.Strings.Get("Check_NotAHashtableEntry"));
            }
        }
    }
}
