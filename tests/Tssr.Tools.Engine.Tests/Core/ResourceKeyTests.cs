using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Resources;
using System.Text.RegularExpressions;
using Tssr.Tools.Engine.Core;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Core
{
    /// <summary>
    /// Every message key the code names exists in its own resx family, in English and in French. The
    /// sources are read, not a list of keys: an area added later (its accessor class, its engine
    /// folder, its cmdlets) is covered as soon as it follows the recipe of docs/architecture.md.
    /// </summary>
    public class ResourceKeyTests
    {
        private static readonly Regex ClassDeclaration = new Regex(@"\b(?:class|struct)\s+(\w+)", RegexOptions.Compiled);
        private static readonly Regex LocalizerField = new Regex(@"\bLocalizer\s+(\w+)\s*(?:=>|=)\s*new\s+Localizer\(\s*""([^""]+)""\s*\)", RegexOptions.Compiled);
        private static readonly Regex LocalizerAlias = new Regex(@"\bLocalizer\s+(\w+)\s*(?:=>|=)\s*([A-Za-z_][\w.]*)\s*;", RegexOptions.Compiled);
        // Text.Get("Key"), NetworkText.Dns.Format("Key", ...), Text.Format(culture, "Key", ...), Text.Get("Key", culture)
        private static readonly Regex KeyUse = new Regex(@"([A-Za-z_][\w.]*)\.(?:Get|Format)\(\s*(?:[A-Za-z_][\w.]*\s*,\s*)?""([A-Za-z][A-Za-z0-9_]*)""\s*[,)]", RegexOptions.Compiled);

        /// <summary>
        /// Families whose base name is still written in more than one place; each area removes its line
        /// when it moves to one accessor class (issue 7). Do not add to it.
        /// </summary>
        private static readonly string[] NotYetConsolidated = { };

        [Fact]
        public void Every_key_the_code_uses_exists_in_its_family_in_English_and_French()
        {
            var sources = SourceFiles();
            var (global, perFile) = Accessors(sources);
            var families = new Dictionary<string, (HashSet<string> English, HashSet<string> French)>();
            var missing = new List<string>();
            var checkedKeys = 0;

            foreach (var file in sources)
            {
                var text = File.ReadAllText(file);
                foreach (Match use in KeyUse.Matches(text))
                {
                    var baseName = Resolve(use.Groups[1].Value, file, global, perFile);
                    if (baseName == null) continue; // not a Localizer (string.Format, a dictionary...)
                    if (!families.TryGetValue(baseName, out var keys))
                        families[baseName] = keys = (Keys(baseName, CultureInfo.InvariantCulture), Keys(baseName, new CultureInfo("fr")));
                    var key = use.Groups[2].Value;
                    checkedKeys++;
                    var line = text.Take(use.Index).Count(c => c == '\n') + 1;
                    if (!keys.English.Contains(key)) missing.Add($"{Relative(file)}:{line}: {key} is not in {baseName} (English)");
                    if (!keys.French.Contains(key)) missing.Add($"{Relative(file)}:{line}: {key} is not in {baseName} (French)");
                }
            }

            Assert.True(checkedKeys > 200, $"Only {checkedKeys} keys found in the sources: the scan no longer reads the code's accessors.");
            Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
        }

        [Fact]
        public void Each_family_base_name_is_written_once_in_its_area_accessor()
        {
            var writes = SourceFiles()
                .SelectMany(f => LocalizerField.Matches(File.ReadAllText(f)).Cast<Match>().Select(m => (File: Relative(f), BaseName: m.Groups[2].Value)))
                .GroupBy(w => w.BaseName)
                .Where(g => g.Count() > 1 && !NotYetConsolidated.Contains(g.Key))
                .Select(g => g.Key + ": " + string.Join(", ", g.Select(w => w.File)))
                .ToList();
            Assert.True(writes.Count == 0, "Base names written more than once (use the area's accessor class):" + Environment.NewLine + string.Join(Environment.NewLine, writes));
        }

        [Fact]
        public void Every_accessor_names_a_family_that_exists()
        {
            var (global, _) = Accessors(SourceFiles());
            var resources = typeof(Localizer).Assembly.GetManifestResourceNames();
            foreach (var baseName in global.Values.Distinct())
                Assert.Contains(baseName + ".resources", resources);
        }

        private static string? Resolve(string receiver, string file, Dictionary<string, string> global, Dictionary<string, Dictionary<string, string>> perFile)
        {
            if (perFile.TryGetValue(file, out var local) && local.TryGetValue(receiver, out var inFile)) return inFile;
            if (global.TryGetValue(receiver, out var qualified)) return qualified;
            // A field inherited from a base class in another file: resolvable when its name is unique.
            if (receiver.IndexOf('.') < 0)
            {
                var candidates = global.Where(g => g.Key.EndsWith("." + receiver, StringComparison.Ordinal)).Select(g => g.Value).Distinct().ToList();
                if (candidates.Count == 1 && receiver != "Text" && receiver != "Strings") return candidates[0];
            }
            return null;
        }

        /// <summary>Class.Field → base name for every Localizer field and alias, and the same per file by simple name.</summary>
        private static (Dictionary<string, string>, Dictionary<string, Dictionary<string, string>>) Accessors(IReadOnlyList<string> sources)
        {
            var global = new Dictionary<string, string>(StringComparer.Ordinal);
            var perFile = new Dictionary<string, Dictionary<string, string>>();
            var aliases = new List<(string File, string Class, string Name, string Target)>();
            foreach (var file in sources)
            {
                var text = File.ReadAllText(file);
                var local = perFile[file] = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (Match m in LocalizerField.Matches(text))
                {
                    local[m.Groups[1].Value] = m.Groups[2].Value;
                    global[ClassAt(text, m.Index) + "." + m.Groups[1].Value] = m.Groups[2].Value;
                }
                foreach (Match m in LocalizerAlias.Matches(text))
                    aliases.Add((file, ClassAt(text, m.Index), m.Groups[1].Value, m.Groups[2].Value));
            }
            // Aliases may point at aliases (SubnetEngine.Text => SubnetParser.Text => NetworkText.Subnet).
            for (var pass = 0; pass < 5; pass++)
            {
                foreach (var alias in aliases)
                {
                    var target = perFile[alias.File].TryGetValue(alias.Target, out var inFile) ? inFile
                        : global.TryGetValue(alias.Target, out var qualified) ? qualified : null;
                    if (target == null) continue;
                    perFile[alias.File][alias.Name] = target;
                    global[alias.Class + "." + alias.Name] = target;
                }
            }
            return (global, perFile);
        }

        private static string ClassAt(string text, int index)
        {
            string name = string.Empty;
            foreach (Match m in ClassDeclaration.Matches(text))
            {
                if (m.Index > index) break;
                name = m.Groups[1].Value;
            }
            return name;
        }

        private static HashSet<string> Keys(string baseName, CultureInfo culture)
        {
            var manager = new ResourceManager(baseName, typeof(Localizer).Assembly);
            var set = manager.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
            Assert.True(set != null, $"{baseName} has no {(culture.Name.Length == 0 ? "English" : culture.Name)} resources");
            return new HashSet<string>(set!.Cast<DictionaryEntry>().Select(e => (string)e.Key), StringComparer.Ordinal);
        }

        private static IReadOnlyList<string> SourceFiles()
            => new[] { "src/Tssr.Tools.Engine", "src/Tssr.Tools" }
                .SelectMany(d => System.IO.Directory.EnumerateFiles(Path.Combine(Root, d), "*.cs", SearchOption.AllDirectories))
                .Where(f => f.IndexOf(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal) < 0
                            && f.IndexOf(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) < 0)
                .ToList();

        private static string Relative(string file) => file.Substring(Root.Length + 1);

        private static readonly string Root = FindRoot();

        private static string FindRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Tssr.Tools.sln"))) return dir.FullName;
            throw new InvalidOperationException("Tssr.Tools.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
