using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools.Engine.Firewall.Parsers
{
    /// <summary>
    /// Reads "nft list ruleset" (and nft -f files written in the same table { } block syntax). The
    /// text is translated into the tree "nft -j list ruleset" gives, then read by
    /// <see cref="NftJsonParser"/>: both formats share one meaning, so the same rule set gives the
    /// same verdicts whichever way it was listed. Rules keep their own line and text.
    /// </summary>
    public static class NftTextParser
    {
        private enum Kind { Word, String, Open, Close, Semi, Colon, Comma, Newline, End }

        private struct Token
        {
            public Kind Kind;
            public string Text;
            public int Line;
            public int Column;
            /// <summary>The file the token was read from (an included file keeps its own name).</summary>
            public string File;
            public override string ToString() => Kind == Kind.String ? "\"" + Text + "\"" : Text;
        }

        private static readonly HashSet<string> PayloadProtocols = new HashSet<string>(StringComparer.Ordinal)
        { "ip", "ip6", "tcp", "udp", "udplite", "sctp", "dccp", "th", "icmp", "icmpv6", "ether", "arp", "vlan", "ah", "esp", "comp", "igmp", "gre", "rt", "frag", "hbh", "dst", "mh", "srh" };

        private static readonly HashSet<string> MetaShorthands = new HashSet<string>(StringComparer.Ordinal)
        { "iifname", "oifname", "iif", "oif", "iiftype", "oiftype", "mark", "skuid", "skgid", "nfproto", "l4proto", "pkttype", "cpu", "iifgroup", "oifgroup", "cgroup", "rtclassid" };

        private static readonly HashSet<string> Ops = new HashSet<string>(StringComparer.Ordinal)
        { "==", "!=", "<", ">", "<=", ">=", "eq", "ne", "lt", "gt", "le", "ge" };

        private static readonly HashSet<string> Verdicts = new HashSet<string>(StringComparer.Ordinal)
        { "accept", "drop", "reject", "return", "continue", "jump", "goto", "queue" };

        /// <summary>Words that start a statement (where an unmodelled expression stops).</summary>
        private static readonly HashSet<string> StatementWords = new HashSet<string>(StringComparer.Ordinal)
        { "accept", "drop", "reject", "return", "continue", "jump", "goto", "queue", "counter", "log", "comment", "limit", "dnat", "snat", "masquerade", "redirect", "notrack", "tproxy", "dup", "fwd", "quota" };

        private static readonly Dictionary<string, int> PriorityNames = new Dictionary<string, int>(StringComparer.Ordinal)
        { { "raw", -300 }, { "mangle", -150 }, { "dstnat", -100 }, { "filter", 0 }, { "security", 50 }, { "srcnat", 100 }, { "out", 100 } };

        private sealed class State
        {
            public string File = "";
            public List<Token> Tokens = new List<Token>();
            public int Pos;
            public readonly JsonArray Items = new JsonArray();
            public readonly Dictionary<string, List<Token>> Defines = new Dictionary<string, List<Token>>(StringComparer.Ordinal);
            public Token Peek => Tokens[Pos];
            public Token Next() => Tokens[Pos++];
        }

        /// <summary>Reads a file (or text named after one): include statements are resolved from its directory.</summary>
        public static FirewallRuleSet Parse(string text, string file, CancellationToken ct) => Parse(text, file, true, ct);

        /// <summary>
        /// Reads nft text. With <paramref name="resolveIncludes"/>, include "file" and include
        /// "dir/*.nft" are read from disk (relative to the including file's directory, absolute
        /// paths as written, wildcards in sorted order, files starting with a dot left out as nft
        /// does), each rule keeping its own file and line; without it (nft list ruleset output,
        /// which never has one) an include is refused.
        /// </summary>
        public static FirewallRuleSet Parse(string text, string file, bool resolveIncludes, CancellationToken ct)
        {
            var st = new State { File = file };
            var warnings = new List<string>();
            var includes = resolveIncludes ? new Includes(warnings, text.Length) : null;
            includes?.Stack.Add(FullPath(file));
            st.Tokens = Expand(Tokenize(text, file), includes, ct);
            ParseFile(st, ct);
            var root = new JsonObject { Line = 1, Column = 1 };
            root.Members.Add(new KeyValuePair<string, JsonNode>("nftables", st.Items));
            var set = NftJsonParser.ParseTree(root, file, RuleSetFormat.NftText, true, ct);
            set.Warnings.AddRange(warnings);
            return set;
        }

        // ---- include ------------------------------------------------------------------------------

        /// <summary>nft's own limit on nested includes.</summary>
        public const int MaxIncludeDepth = 16;

        /// <summary>
        /// At most this many files read through include statements in all: a bound on includes
        /// that fan out (every file of a directory including every file of another...).
        /// </summary>
        public const int MaxIncludedFiles = 10_000;

        /// <summary>How two paths of the file system compare: without case on Windows and macOS, whose file systems usually ignore it.</summary>
        internal static readonly StringComparison PathComparison =
            System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
            || System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX)
                ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

        private sealed class Includes
        {
            public Includes(List<string> warnings, long bytes) { Warnings = warnings; Bytes = bytes; }
            public readonly List<string> Warnings;
            /// <summary>The files being read, outermost first (for loop detection).</summary>
            public readonly List<string> Stack = new List<string>();
            /// <summary>Characters read so far across all files, bounded like one input.</summary>
            public long Bytes;
            /// <summary>Files read through include statements so far.</summary>
            public int Files;
        }

        private static string FullPath(string file)
        {
            try { return System.IO.Path.GetFullPath(file); }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is System.IO.PathTooLongException) { return file; }
        }

        /// <summary>Splices the tokens of included files in place of each include statement.</summary>
        private static List<Token> Expand(List<Token> tokens, Includes? includes, CancellationToken ct)
        {
            if (!tokens.Any(t => t.Kind == Kind.Word && t.Text == "include")) return tokens;
            var result = new List<Token>(tokens.Count);
            for (int i = 0; i < tokens.Count; i++)
            {
                var t = tokens[i];
                var previous = result.Count == 0 ? Kind.Newline : result[result.Count - 1].Kind;
                bool statementStart = previous == Kind.Newline || previous == Kind.Semi || previous == Kind.Open || previous == Kind.Close;
                if (!(t.Kind == Kind.Word && t.Text == "include" && statementStart))
                {
                    result.Add(t);
                    continue;
                }
                if (includes == null)
                    throw FirewallErrors.Parse(t.File, t.Line, t.Column, IptablesSaveParser.Reason("Reason_NftTextCommand", "include"));
                var name = i + 1 < tokens.Count ? tokens[i + 1] : t;
                if (name.Kind != Kind.String) throw FirewallErrors.Parse(name.File, name.Line, name.Column, IptablesSaveParser.Reason("Reason_NftTextUnexpected", name.Kind == Kind.End ? "end of file" : IptablesSaveParser.Shorten(name.ToString())));
                var after = i + 2 < tokens.Count ? tokens[i + 2] : name;
                if (after.Kind != Kind.Newline && after.Kind != Kind.Semi && after.Kind != Kind.End && after.Kind != Kind.Close)
                    throw FirewallErrors.Parse(after.File, after.Line, after.Column, IptablesSaveParser.Reason("Reason_NftTextUnexpected", IptablesSaveParser.Shorten(after.ToString())));
                i++;
                var paths = Resolve(t, name.Text, includes);
                if ((long)includes.Files + paths.Count > MaxIncludedFiles)
                {
                    var at = FirewallErrors.Location(t.File, t.Line);
                    throw FirewallErrors.Specific("FirewallInputTooLarge", TssrErrorCategory.LimitsExceeded, at, "Error_IncludeTooMany", "Action_IncludeTooMany", at, name.Text, MaxIncludedFiles);
                }
                includes.Files += paths.Count;
                foreach (var path in paths)
                {
                    ct.ThrowIfCancellationRequested();
                    var where = FirewallErrors.Location(t.File, t.Line);
                    if (includes.Stack.Any(f => string.Equals(f, path, PathComparison)))
                    {
                        var cycle = string.Join(" -> ", includes.Stack.SkipWhile(f => !string.Equals(f, path, PathComparison)).Concat(new[] { path }));
                        throw FirewallErrors.Specific("FirewallIncludeLoop", TssrErrorCategory.InvalidData, where, "Error_IncludeLoop", "Action_IncludeLoop", where, cycle);
                    }
                    if (includes.Stack.Count > MaxIncludeDepth)
                        throw FirewallErrors.Specific("FirewallIncludeTooDeep", TssrErrorCategory.LimitsExceeded, where, "Error_IncludeTooDeep", "Action_IncludeTooDeep", where, MaxIncludeDepth);
                    var text = Read(path, where, includes);
                    var inner = Tokenize(text, path);
                    inner.RemoveAt(inner.Count - 1); // its end of file
                    includes.Stack.Add(path);
                    result.AddRange(Expand(inner, includes, ct));
                    includes.Stack.RemoveAt(includes.Stack.Count - 1);
                    // The included text ends a statement, as the end of a file does.
                    result.Add(new Token { Kind = Kind.Newline, Text = "\\n", Line = t.Line, Column = t.Column, File = t.File });
                }
            }
            return result;
        }

        private static bool HasWildcard(string s) => s.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

        /// <summary>The files an include names: one file (which must exist), or the matches of a pattern in sorted order.</summary>
        private static List<string> Resolve(Token at, string name, Includes includes)
        {
            var where = FirewallErrors.Location(at.File, at.Line);
            // An absolute include names a file of the machine that runs the analysis: right on the
            // firewall itself, wrong for a copy of its configuration brought elsewhere. Say so.
            if (System.IO.Path.IsPathRooted(name))
                includes.Warnings.Add(IptablesSaveParser.Reason("Warning_IncludeAbsolute", name, where));
            string full;
            try
            {
                full = System.IO.Path.IsPathRooted(name) ? name : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(FullPath(at.File)) ?? "", name);
                full = FullPattern(full, System.IO.Path.GetFullPath);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is System.IO.PathTooLongException)
            {
                throw FirewallErrors.Specific("FirewallIncludeNotFound", TssrErrorCategory.ObjectNotFound, where, "Error_IncludeNotFound", "Action_IncludeNotFound", where, name);
            }
            if (!HasWildcard(name))
            {
                if (!System.IO.File.Exists(full))
                    throw FirewallErrors.Specific("FirewallIncludeNotFound", TssrErrorCategory.ObjectNotFound, where, "Error_IncludeNotFound", "Action_IncludeNotFound", where, full);
                return new List<string> { full };
            }
            List<string> matches;
            try { matches = Glob(full).Select(FullPath).ToList(); }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                throw FirewallErrors.Specific("FirewallIncludeNotFound", TssrErrorCategory.LimitsExceeded, where, "Error_IncludePattern", "Action_IncludePattern", where, name);
            }
            // As nft: a pattern that matches nothing is not an error (an empty rules.d), but it is said.
            if (matches.Count == 0) includes.Warnings.Add(IptablesSaveParser.Reason("Warning_IncludeNoMatch", name, where));
            return matches;
        }

        /// <summary>
        /// The absolute form of a path that may hold wildcards: only the part before the first
        /// component with a wildcard goes through <paramref name="getFullPath"/> (.NET Framework's
        /// Path.GetFullPath refuses '*' and '?'), the rest is kept as written for the glob.
        /// </summary>
        internal static string FullPattern(string path, Func<string, string> getFullPath)
        {
            if (!HasWildcard(path)) return getFullPath(path);
            var root = System.IO.Path.GetPathRoot(path) ?? "";
            var parts = path.Substring(root.Length).Split(new[] { '/', '\\' }, StringSplitOptions.RemoveEmptyEntries);
            int first = 0;
            while (first < parts.Length && !HasWildcard(parts[first])) first++;
            var prefix = root + string.Join(System.IO.Path.DirectorySeparatorChar.ToString(), parts.Take(first));
            var head = getFullPath(prefix.Length == 0 ? "." : prefix);
            var tail = string.Join(System.IO.Path.DirectorySeparatorChar.ToString(), parts.Skip(first));
            return head.EndsWith(System.IO.Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) || head.EndsWith("/", StringComparison.Ordinal)
                ? head + tail : head + System.IO.Path.DirectorySeparatorChar + tail;
        }

        /// <summary>Expands *, ? and [...] in each component of an absolute path; names starting with a dot are left out.</summary>
        private static List<string> Glob(string pattern)
        {
            var root = System.IO.Path.GetPathRoot(pattern) ?? "";
            var parts = pattern.Substring(root.Length).Split(new[] { '/', '\\' }, StringSplitOptions.RemoveEmptyEntries);
            var current = new List<string> { root };
            for (int k = 0; k < parts.Length && current.Count > 0; k++)
            {
                bool last = k == parts.Length - 1;
                var next = new List<string>();
                foreach (var dir in current)
                {
                    if (!HasWildcard(parts[k]))
                    {
                        var c = System.IO.Path.Combine(dir, parts[k]);
                        if (last ? System.IO.File.Exists(c) : System.IO.Directory.Exists(c)) next.Add(c);
                        continue;
                    }
                    if (!System.IO.Directory.Exists(dir)) continue;
                    var regex = GlobRegex(parts[k]);
                    IEnumerable<string> entries;
                    try { entries = last ? System.IO.Directory.GetFiles(dir) : System.IO.Directory.GetDirectories(dir); }
                    catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException) { continue; }
                    foreach (var e in entries)
                    {
                        var n = System.IO.Path.GetFileName(e);
                        if (n.Length == 0 || n[0] == '.') continue;
                        if (regex.IsMatch(n)) next.Add(e);
                    }
                }
                current = next;
            }
            current.Sort(StringComparer.Ordinal);
            return current;
        }

        private static System.Text.RegularExpressions.Regex GlobRegex(string part)
        {
            var sb = new StringBuilder("^");
            for (int i = 0; i < part.Length; i++)
            {
                char c = part[i];
                if (c == '*') sb.Append(".*");
                else if (c == '?') sb.Append('.');
                else if (c == '[' && part.IndexOf(']', i + 1) > i + 1)
                {
                    int close = part.IndexOf(']', i + 1);
                    var body = part.Substring(i + 1, close - i - 1);
                    bool not = body.StartsWith("!", StringComparison.Ordinal) || body.StartsWith("^", StringComparison.Ordinal);
                    if (not) body = body.Substring(1);
                    sb.Append('[').Append(not ? "^" : "").Append(body.Replace("\\", "\\\\").Replace("[", "\\[")).Append(']');
                    i = close;
                }
                else sb.Append(System.Text.RegularExpressions.Regex.Escape(c.ToString()));
            }
            sb.Append('$');
            return new System.Text.RegularExpressions.Regex(sb.ToString(), System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }

        /// <summary>Reads an included file, at most as many bytes as its size says (a device reads as empty), within the input limit.</summary>
        private static string Read(string path, string where, Includes includes)
        {
            try
            {
                var info = new System.IO.FileInfo(path);
                includes.Bytes += info.Length;
                if (includes.Bytes > FirewallRuleSetReader.MaxInputBytes)
                    throw FirewallErrors.Specific("FirewallInputTooLarge", TssrErrorCategory.LimitsExceeded, path, "Error_TooLarge", "Action_TooLarge", path, includes.Bytes, FirewallRuleSetReader.MaxInputBytes);
                var buffer = new byte[info.Length];
                int read = 0;
                using (var stream = new System.IO.FileStream(path, System.IO.FileMode.Open, System.IO.FileAccess.Read, System.IO.FileShare.Read))
                {
                    int n;
                    while (read < buffer.Length && (n = stream.Read(buffer, read, buffer.Length - read)) > 0) read += n;
                }
                return Encoding.UTF8.GetString(buffer, 0, read);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                throw FirewallErrors.Specific("FirewallFileUnreadable", TssrErrorCategory.ReadError, where, "Error_Unreadable", "Action_Unreadable", path, e.Message);
            }
        }

        // ---- tokens -------------------------------------------------------------------------------

        private static List<Token> Tokenize(string text, string file)
        {
            var list = new List<Token>();
            int line = 1, lineStart = 0, i = 0;
            if (text.Length > 0 && text[0] == '\uFEFF') { i = 1; lineStart = 1; }
            while (i < text.Length)
            {
                char c = text[i];
                int col = i - lineStart + 1;
                if (c == '\n') { list.Add(new Token { Kind = Kind.Newline, Text = "\\n", Line = line, Column = col, File = file }); i++; line++; lineStart = i; continue; }
                if (c == '\\' && i + 1 < text.Length && (text[i + 1] == '\n' || text[i + 1] == '\r')) { i++; if (text[i] == '\r') i++; if (i < text.Length && text[i] == '\n') i++; line++; lineStart = i; continue; }
                if (char.IsWhiteSpace(c)) { i++; continue; }
                if (c == '#') { while (i < text.Length && text[i] != '\n') i++; continue; }
                if (c == '"')
                {
                    int start = ++i;
                    while (i < text.Length && text[i] != '"' && text[i] != '\n') i++;
                    if (i >= text.Length || text[i] != '"')
                        throw FirewallErrors.Parse(file, line, col, IptablesSaveParser.Reason("Reason_NftTextString"));
                    list.Add(new Token { Kind = Kind.String, Text = text.Substring(start, i - start), Line = line, Column = col, File = file });
                    i++;
                    continue;
                }
                Kind k = c == '{' ? Kind.Open : c == '}' ? Kind.Close : c == ';' ? Kind.Semi : c == ',' ? Kind.Comma : Kind.Word;
                if (c == ':' && (i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1]))) k = Kind.Colon;
                if (k != Kind.Word) { list.Add(new Token { Kind = k, Text = c.ToString(), Line = line, Column = col, File = file }); i++; continue; }
                int s = i;
                while (i < text.Length)
                {
                    char d = text[i];
                    if (char.IsWhiteSpace(d) || d == '{' || d == '}' || d == ';' || d == ',' || d == '"' || d == '#') break;
                    if (d == ':' && i > s && (i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1]))) break;
                    i++;
                }
                list.Add(new Token { Kind = Kind.Word, Text = text.Substring(s, i - s), Line = line, Column = col, File = file });
            }
            list.Add(new Token { Kind = Kind.End, Text = "end of file", Line = line, Column = i - lineStart + 1, File = file });
            return list;
        }

        private static Exception Unexpected(State st, Token t)
            => FirewallErrors.Parse(t.File, t.Line, t.Column, IptablesSaveParser.Reason("Reason_NftTextUnexpected", t.Kind == Kind.End ? "end of file" : IptablesSaveParser.Shorten(t.ToString())));

        private static Token Expect(State st, Kind kind)
        {
            var t = st.Next();
            if (t.Kind != kind) throw Unexpected(st, t);
            return t;
        }

        private static string ExpectName(State st)
        {
            var t = st.Next();
            if (t.Kind != Kind.Word && t.Kind != Kind.String) throw Unexpected(st, t);
            return t.Text;
        }

        private static void SkipBlank(State st)
        {
            while (st.Peek.Kind == Kind.Newline || st.Peek.Kind == Kind.Semi) st.Pos++;
        }

        /// <summary>The tokens up to the end of the line (a newline or ';' outside braces); stops before a closing '}' of the block.</summary>
        private static List<Token> Line(State st)
        {
            var line = new List<Token>();
            int depth = 0;
            var open = st.Peek;
            while (true)
            {
                var t = st.Peek;
                if (t.Kind == Kind.End)
                {
                    if (depth > 0) throw FirewallErrors.Parse(open.File, open.Line, open.Column, IptablesSaveParser.Reason("Reason_NftTextUnclosed", open.Line));
                    break;
                }
                if (depth == 0 && (t.Kind == Kind.Newline || t.Kind == Kind.Semi)) { st.Pos++; break; }
                if (depth == 0 && t.Kind == Kind.Close) break;
                if (t.Kind == Kind.Open) { if (depth == 0) open = t; depth++; }
                if (t.Kind == Kind.Close) depth--;
                st.Pos++;
                if (t.Kind == Kind.Newline) continue;
                if (t.Kind == Kind.Word && t.Text.Length > 1 && t.Text[0] == '$')
                {
                    if (!st.Defines.TryGetValue(t.Text.Substring(1), out var value))
                        throw FirewallErrors.Parse(t.File, t.Line, t.Column, IptablesSaveParser.Reason("Reason_NftTextVariable", IptablesSaveParser.Shorten(t.Text)));
                    foreach (var v in value) line.Add(new Token { Kind = v.Kind, Text = v.Text, Line = t.Line, Column = t.Column, File = t.File });
                    continue;
                }
                line.Add(t);
            }
            return line;
        }

        /// <summary>Skips a balanced { ... } block (the opening brace is next).</summary>
        private static void SkipBlock(State st)
        {
            var open = Expect(st, Kind.Open);
            int depth = 1;
            while (depth > 0)
            {
                var t = st.Next();
                if (t.Kind == Kind.End) throw FirewallErrors.Parse(open.File, open.Line, open.Column, IptablesSaveParser.Reason("Reason_NftTextUnclosed", open.Line));
                if (t.Kind == Kind.Open) depth++;
                if (t.Kind == Kind.Close) depth--;
            }
        }

        private static void CloseBlock(State st, Token open)
        {
            if (st.Peek.Kind == Kind.End) throw FirewallErrors.Parse(open.File, open.Line, open.Column, IptablesSaveParser.Reason("Reason_NftTextUnclosed", open.Line));
            Expect(st, Kind.Close);
        }

        // ---- structure ----------------------------------------------------------------------------

        private static void ParseFile(State st, CancellationToken ct)
        {
            bool anyTable = false;
            while (true)
            {
                SkipBlank(st);
                var t = st.Peek;
                if (t.Kind == Kind.End) break;
                if (t.Kind != Kind.Word) throw Unexpected(st, t);
                switch (t.Text)
                {
                    case "flush":
                        Line(st);
                        break;
                    case "define":
                    case "redefine":
                        {
                            st.Pos++;
                            var name = ExpectName(st);
                            var eq = st.Next();
                            if (eq.Text != "=") throw Unexpected(st, eq);
                            st.Defines[name] = Line(st);
                            break;
                        }
                    case "table":
                        st.Pos++;
                        ParseTable(st, ct);
                        anyTable = true;
                        break;
                    default:
                        throw FirewallErrors.Parse(t.File, t.Line, t.Column, IptablesSaveParser.Reason("Reason_NftTextCommand", IptablesSaveParser.Shorten(t.Text)));
                }
            }
            if (!anyTable) throw FirewallErrors.Parse(st.File, 1, 0, IptablesSaveParser.Reason("Reason_NoTable"));
        }

        private static JsonObject Body(Token at, params (string Key, object? Value)[] members)
        {
            var o = new JsonObject { Line = at.Line, Column = at.Column, File = at.File };
            foreach (var m in members)
            {
                if (m.Value == null) continue;
                o.Members.Add(new KeyValuePair<string, JsonNode>(m.Key, m.Value as JsonNode ?? new JsonValue(m.Value)));
            }
            return o;
        }

        private static void AddItem(State st, string kind, JsonObject body)
        {
            var item = new JsonObject { Line = body.Line, Column = body.Column, File = body.File };
            item.Members.Add(new KeyValuePair<string, JsonNode>(kind, body));
            st.Items.Items.Add(item);
        }

        private static void ParseTable(State st, CancellationToken ct)
        {
            var at = st.Tokens[st.Pos - 1];
            var first = ExpectName(st);
            string family = "ip", name = first;
            if (st.Peek.Kind == Kind.Word || st.Peek.Kind == Kind.String) { family = first; name = ExpectName(st); }
            var open = Expect(st, Kind.Open);
            AddItem(st, "table", Body(at, ("family", family), ("name", name)));
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                SkipBlank(st);
                var t = st.Peek;
                if (t.Kind == Kind.Close || t.Kind == Kind.End) break;
                if (t.Kind != Kind.Word) throw Unexpected(st, t);
                switch (t.Text)
                {
                    case "flags":
                    case "comment":
                        Line(st);
                        break;
                    case "chain":
                        st.Pos++;
                        ParseChain(st, family, name, t, ct);
                        break;
                    case "set":
                    case "map":
                        st.Pos++;
                        ParseSet(st, family, name, t);
                        break;
                    default:
                        // flowtable, counter, quota, ct helper, limit, secmark, synproxy...: not part of the filter path.
                        while (st.Peek.Kind != Kind.Open)
                        {
                            if (st.Peek.Kind == Kind.End || st.Peek.Kind == Kind.Newline || st.Peek.Kind == Kind.Close) throw Unexpected(st, st.Peek);
                            st.Pos++;
                        }
                        SkipBlock(st);
                        break;
                }
            }
            CloseBlock(st, open);
        }

        private static void ParseChain(State st, string family, string table, Token at, CancellationToken ct)
        {
            var name = ExpectName(st);
            var open = Expect(st, Kind.Open);
            string? type = null, hook = null, policy = null;
            long prio = 0;
            var chainLine = st.Items.Items.Count;
            var rules = new List<JsonObject>();
            while (true)
            {
                SkipBlank(st);
                var t = st.Peek;
                if (t.Kind == Kind.Close || t.Kind == Kind.End) break;
                if (rules.Count % 256 == 0) ct.ThrowIfCancellationRequested();
                var line = Line(st);
                if (line.Count == 0) continue;
                var head = line[0];
                if (head.Kind == Kind.Word && head.Text == "type" && rules.Count == 0)
                {
                    for (int i = 1; i < line.Count; i++)
                    {
                        var w = line[i].Text;
                        if (i == 1) type = w;
                        else if (w == "hook" && i + 1 < line.Count) hook = line[++i].Text;
                        else if (w == "device" && i + 1 < line.Count) i++;
                        else if (w == "priority") { prio = Priority(st, line, i + 1); break; }
                    }
                    continue;
                }
                if (head.Kind == Kind.Word && head.Text == "policy" && line.Count >= 2) { policy = line[1].Text; continue; }
                if (head.Kind == Kind.Word && head.Text == "comment" && line.Count == 2 && line[1].Kind == Kind.String) continue;
                if (head.Kind == Kind.Word && head.Text == "devices") continue;
                rules.Add(Rule(st, family, table, name, line));
            }
            CloseBlock(st, open);
            st.Items.Items.Insert(chainLine, Wrap("chain", Body(at, ("family", family), ("table", table), ("name", name),
                ("type", hook == null ? null : type), ("hook", hook), ("prio", hook == null ? (object?)null : prio), ("policy", hook == null ? null : policy ?? "accept"))));
            foreach (var r in rules) AddItem(st, "rule", r);
        }

        private static JsonObject Wrap(string kind, JsonObject body)
        {
            var item = new JsonObject { Line = body.Line, Column = body.Column, File = body.File };
            item.Members.Add(new KeyValuePair<string, JsonNode>(kind, body));
            return item;
        }

        private static long Priority(State st, List<Token> line, int i)
        {
            long value = 0;
            int sign = 1;
            bool any = false;
            for (; i < line.Count; i++)
            {
                var w = line[i].Text;
                if (w == "+") { sign = 1; continue; }
                if (w == "-") { sign = -1; continue; }
                if (long.TryParse(w, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) { value += sign * n; any = true; continue; }
                if (PriorityNames.TryGetValue(w, out var p)) { value += sign * p; any = true; continue; }
                throw FirewallErrors.Parse(line[i].File, line[i].Line, line[i].Column, IptablesSaveParser.Reason("Reason_NftTextUnexpected", IptablesSaveParser.Shorten(w)));
            }
            if (!any) throw FirewallErrors.Parse(line[line.Count - 1].File, line[line.Count - 1].Line, line[line.Count - 1].Column, IptablesSaveParser.Reason("Reason_NftMissing", "priority"));
            return value;
        }

        private static void ParseSet(State st, string family, string table, Token at)
        {
            var name = ExpectName(st);
            var open = Expect(st, Kind.Open);
            string type = "";
            bool isMap = at.Text == "map";
            var elements = new JsonArray { Line = at.Line, Column = at.Column, File = at.File };
            while (true)
            {
                SkipBlank(st);
                var t = st.Peek;
                if (t.Kind == Kind.Close || t.Kind == Kind.End) break;
                var line = Line(st);
                if (line.Count == 0) continue;
                var head = line[0].Text;
                if (head == "type" || head == "typeof")
                {
                    type = string.Join(" ", line.Skip(1).Select(x => x.Text));
                    if (head == "typeof" || line.Any(x => x.Text == ".")) type = "concat";
                    if (isMap) type = "map";
                }
                else if (head == "elements" && line.Count >= 2)
                {
                    int i = line[1].Text == "=" ? 2 : 1;
                    if (i >= line.Count || line[i].Kind != Kind.Open) throw Unexpected(st, line[Math.Min(i, line.Count - 1)]);
                    var set = ParseSetLiteral(st, line, ref i, isMap);
                    elements.Items.AddRange(set.Items);
                }
                // flags, size, timeout, policy, counter, auto-merge, comment: they do not change what is matched.
            }
            CloseBlock(st, open);
            if (isMap) type = "map";
            AddItem(st, isMap ? "map" : "set", Body(at, ("family", family), ("table", table), ("name", name), ("type", type), ("elem", elements)));
        }

        // ---- rules --------------------------------------------------------------------------------

        private static string Join(List<Token> line, int from, int to)
        {
            var sb = new StringBuilder();
            for (int i = from; i < to && i < line.Count; i++)
            {
                var t = line[i];
                if (sb.Length > 0 && t.Kind != Kind.Comma && t.Kind != Kind.Close && !(i > 0 && line[i - 1].Kind == Kind.Open)) sb.Append(' ');
                sb.Append(t.ToString());
            }
            return sb.ToString();
        }

        private static JsonNode Stmt(string key, JsonNode? value, Token at)
        {
            var o = new JsonObject { Line = at.Line, Column = at.Column, File = at.File };
            o.Members.Add(new KeyValuePair<string, JsonNode>(key, value ?? new JsonValue(null)));
            return o;
        }

        private static JsonObject Rule(State st, string family, string table, string chain, List<Token> line)
        {
            var expr = new JsonArray { Line = line[0].Line, Column = line[0].Column, File = line[0].File };
            string? comment = null;
            int i = 0;
            while (i < line.Count)
            {
                var t = line[i];
                if (t.Kind != Kind.Word) throw Unexpected(st, t);
                var w = t.Text;
                switch (w)
                {
                    case "accept": case "drop": case "return": case "continue": case "notrack":
                        expr.Items.Add(Stmt(w, null, t)); i++; continue;
                    case "reject":
                        i++;
                        if (i < line.Count && line[i].Text == "with")
                        {
                            // with tcp reset | with icmp port-unreachable | with icmpx type admin-prohibited
                            i += 2;
                            if (i < line.Count && line[i].Text == "type") i += 2;
                            else if (i < line.Count && line[i].Kind == Kind.Word && !StatementWords.Contains(line[i].Text)) i++;
                            i = Math.Min(i, line.Count);
                        }
                        expr.Items.Add(Stmt("reject", null, t));
                        continue;
                    case "jump": case "goto":
                        {
                            if (i + 1 >= line.Count) throw FirewallErrors.Parse(t.File, t.Line, t.Column, IptablesSaveParser.Reason("Reason_NftMissing", "target"));
                            var target = new JsonObject();
                            target.Members.Add(new KeyValuePair<string, JsonNode>("target", new JsonValue(line[i + 1].Text)));
                            expr.Items.Add(Stmt(w, target, t));
                            i += 2;
                            continue;
                        }
                    case "counter":
                        i++;
                        while (i + 1 < line.Count && (line[i].Text == "packets" || line[i].Text == "bytes" || line[i].Text == "name")) i += 2;
                        expr.Items.Add(Stmt("counter", null, t));
                        continue;
                    case "log":
                        i++;
                        while (i + 1 < line.Count && (line[i].Text == "prefix" || line[i].Text == "level" || line[i].Text == "group" || line[i].Text == "snaplen" || line[i].Text == "queue-threshold" || line[i].Text == "flags")) i += 2;
                        expr.Items.Add(Stmt("log", null, t));
                        continue;
                    case "comment":
                        if (i + 1 < line.Count && line[i + 1].Kind == Kind.String) { comment = line[i + 1].Text; i += 2; continue; }
                        throw Unexpected(st, i + 1 < line.Count ? line[i + 1] : t);
                    case "queue": case "dnat": case "snat": case "masquerade": case "redirect": case "tproxy": case "fwd": case "dup": case "synproxy":
                        {
                            // A verdict or a mangling statement the filter analysis does not model: the rest of the rule is its arguments.
                            int end = i + 1;
                            while (end < line.Count && !(line[end].Text == "comment" && end + 1 < line.Count && line[end + 1].Kind == Kind.String)) end++;
                            if ((w == "dnat" || w == "snat") && TryNatMap(st, line, i + 1, end, t) is JsonNode natMap)
                                expr.Items.Add(Stmt(w, natMap, t));
                            else
                                expr.Items.Add(Stmt(w, new JsonValue(Join(line, i + 1, end)), t));
                            i = end;
                            continue;
                        }
                    case "limit": case "quota":
                        {
                            int end = i + 1;
                            while (end < line.Count && !(StatementWords.Contains(line[end].Text) && line[end].Text != "over")) end++;
                            var o = new JsonObject { Line = t.Line, Column = t.Column, File = t.File };
                            o.Members.Add(new KeyValuePair<string, JsonNode>("rate", new JsonValue(Join(line, i + 1, end))));
                            expr.Items.Add(Stmt(w, o, t));
                            i = end;
                            continue;
                        }
                }
                // An expression: left [op] right, or left vmap {...}, or left set value (a mangle statement).
                int startExpr = i;
                JsonNode? left = Left(line, ref i);
                if (left == null)
                {
                    int end = i + 1;
                    while (end < line.Count && !StatementWords.Contains(line[end].Text)) end++;
                    expr.Items.Add(new JsonValue(Join(line, i, end)) { Line = t.Line, Column = t.Column, File = t.File });
                    i = end;
                    continue;
                }
                if (i < line.Count && line[i].Text == ".")
                {
                    // A concatenation of keys: "ip protocol . th dport", "ip daddr . tcp dport".
                    var parts = new JsonArray { Line = t.Line, Column = t.Column, File = t.File };
                    parts.Items.Add(left);
                    int save = i;
                    bool ok = true;
                    while (i < line.Count && line[i].Text == ".")
                    {
                        i++;
                        var part = i < line.Count ? Left(line, ref i) : null;
                        if (part == null) { ok = false; break; }
                        parts.Items.Add(part);
                    }
                    if (ok)
                    {
                        var concat = new JsonObject { Line = t.Line, Column = t.Column, File = t.File };
                        concat.Members.Add(new KeyValuePair<string, JsonNode>("concat", parts));
                        left = concat;
                    }
                    else i = save;
                }
                // Bitmask fields (tcp flags, ct status): a mask and an implicit "any of these bits" test.
                bool tcpFlags = IsTcpFlags(left) || IsCtStatus(left);
                if (tcpFlags && i < line.Count && line[i].Text == "&")
                {
                    // "tcp flags & (fin|syn|rst|ack) == syn": the mask, then the comparison.
                    int from = ++i;
                    while (i < line.Count && line[i].Kind == Kind.Word && !Ops.Contains(line[i].Text)) i++;
                    if (i >= line.Count || i == from) throw FirewallErrors.Parse(t.File, t.Line, t.Column, IptablesSaveParser.Reason("Reason_NftTextValue", IptablesSaveParser.Shorten(Join(line, startExpr, i))));
                    var masked = new JsonArray();
                    masked.Items.Add(left);
                    masked.Items.Add(new JsonValue(string.Concat(line.Skip(from).Take(i - from).Select(x => x.Text))));
                    var and = new JsonObject { Line = t.Line, Column = t.Column, File = t.File };
                    and.Members.Add(new KeyValuePair<string, JsonNode>("&", masked));
                    left = and;
                    tcpFlags = false;
                }
                if (i < line.Count && (line[i].Text == "." || line[i].Text == "&" || line[i].Text == "|" || line[i].Text == "^" || line[i].Text == ">>" || line[i].Text == "<<"))
                {
                    // Concatenations and bitwise expressions are not modelled: keep them as written.
                    int end = i + 1;
                    while (end < line.Count && !StatementWords.Contains(line[end].Text) && line[end].Text != "vmap") end++;
                    if (end < line.Count && line[end].Text == "vmap")
                    {
                        end++;
                        if (end < line.Count && line[end].Kind == Kind.Open) { int d = 0; do { if (line[end].Kind == Kind.Open) d++; if (line[end].Kind == Kind.Close) d--; end++; } while (end < line.Count && d > 0); }
                        else end++;
                    }
                    expr.Items.Add(new JsonValue(Join(line, startExpr, end)) { Line = t.Line, Column = t.Column, File = t.File });
                    i = end;
                    continue;
                }
                if (i < line.Count && line[i].Text == "set")
                {
                    i++;
                    var value = Value(st, line, ref i, false);
                    var mangle = new JsonObject();
                    mangle.Members.Add(new KeyValuePair<string, JsonNode>("key", left));
                    mangle.Members.Add(new KeyValuePair<string, JsonNode>("value", value));
                    expr.Items.Add(Stmt("mangle", mangle, t));
                    continue;
                }
                if (i < line.Count && line[i].Text == "vmap")
                {
                    i++;
                    if (i >= line.Count) throw Unexpected(st, line[i - 1]);
                    JsonNode data;
                    if (line[i].Kind == Kind.Open)
                    {
                        var set = ParseSetLiteral(st, line, ref i, true);
                        var d = new JsonObject { Line = set.Line, Column = set.Column, File = set.File };
                        d.Members.Add(new KeyValuePair<string, JsonNode>("set", set));
                        data = d;
                    }
                    else data = new JsonValue(line[i++].Text);
                    var vmap = new JsonObject { Line = t.Line, Column = t.Column, File = t.File };
                    vmap.Members.Add(new KeyValuePair<string, JsonNode>("key", left));
                    vmap.Members.Add(new KeyValuePair<string, JsonNode>("data", data));
                    expr.Items.Add(Stmt("vmap", vmap, t));
                    continue;
                }
                string op = "==";
                bool written = false;
                if (i < line.Count && line[i].Kind == Kind.Word && Ops.Contains(line[i].Text))
                {
                    written = true;
                    op = line[i].Text;
                    switch (op) { case "eq": op = "=="; break; case "ne": op = "!="; break; case "lt": op = "<"; break; case "gt": op = ">"; break; case "le": op = "<="; break; case "ge": op = ">="; break; }
                    i++;
                }
                if (i >= line.Count) throw FirewallErrors.Parse(t.File, t.Line, t.Column, IptablesSaveParser.Reason("Reason_NftTextValue", IptablesSaveParser.Shorten(Join(line, startExpr, i))));
                var right = Value(st, line, ref i, false);
                if (right is JsonValue rv && rv.AsString is string rs && i < line.Count && line[i].Kind == Kind.Word && (line[i].Text == "|" || rs.EndsWith("|", StringComparison.Ordinal) || line[i].Text.StartsWith("|", StringComparison.Ordinal)))
                {
                    // "syn | ack" written with spaces: one flag value.
                    var sb = new StringBuilder(rs);
                    while (i < line.Count && line[i].Kind == Kind.Word && !StatementWords.Contains(line[i].Text) && (sb.ToString().EndsWith("|", StringComparison.Ordinal) || line[i].Text.StartsWith("|", StringComparison.Ordinal)))
                        sb.Append(line[i++].Text);
                    right = new JsonValue(sb.ToString()) { Line = rv.Line, Column = rv.Column, File = rv.File };
                }
                var match = new JsonObject { Line = t.Line, Column = t.Column, File = t.File };
                // nft writes a flags test without an operator ("tcp flags syn": any of these bits) as "in", as nft -j does.
                var shownOp = tcpFlags && !written && !IsSet(right) ? "in" : right is JsonArray && op == "==" ? "in" : op;
                match.Members.Add(new KeyValuePair<string, JsonNode>("op", new JsonValue(shownOp)));
                match.Members.Add(new KeyValuePair<string, JsonNode>("left", left));
                match.Members.Add(new KeyValuePair<string, JsonNode>("right", right));
                expr.Items.Add(Stmt("match", match, t));
            }
            var body = Body(line[0], ("family", family), ("table", table), ("chain", chain), ("expr", expr), ("comment", comment),
                ("__text", Join(line, 0, line.Count)));
            return body;
        }

        private static bool IsTcpFlags(JsonNode? left)
            => left is JsonObject o && o.Members.Count == 1 && o.Members[0].Key == "payload" && o.Members[0].Value is JsonObject b
               && b["protocol"] is JsonValue p && p.AsString == "tcp" && b["field"] is JsonValue f && f.AsString == "flags";

        private static bool IsCtStatus(JsonNode? left)
            => left is JsonObject o && o.Members.Count == 1 && o.Members[0].Key == "ct" && o.Members[0].Value is JsonObject b
               && b["key"] is JsonValue k && k.AsString == "status" && b["dir"] == null;

        private static bool IsSet(JsonNode n) => n is JsonObject o && o.Members.Count == 1 && o.Members[0].Key == "set";

        /// <summary>payload, meta or ct expression; null when the words are not one.</summary>
        private static JsonNode? Left(List<Token> line, ref int i)
        {
            var w = line[i].Text;
            int at = i;
            string Next(int k) => at + k < line.Count && line[at + k].Kind == Kind.Word ? line[at + k].Text : "";
            if (PayloadProtocols.Contains(w) && Next(1).Length > 0 && !StatementWords.Contains(Next(1)) && !Ops.Contains(Next(1)))
            {
                var f = Next(1);
                i += 2;
                return Expr("payload", ("protocol", w), ("field", f));
            }
            if (w == "meta" && Next(1).Length > 0) { var k = Next(1); i += 2; return Expr("meta", ("key", k)); }
            if (MetaShorthands.Contains(w)) { i++; return Expr("meta", ("key", w)); }
            if (w == "ct" && Next(1).Length > 0)
            {
                var k = Next(1);
                if ((k == "original" || k == "reply") && Next(2).Length > 0) { var key = Next(2); i += 3; return Expr("ct", ("key", key), ("dir", k)); }
                i += 2;
                return Expr("ct", ("key", k));
            }
            return null;
        }

        private static JsonObject Expr(string kind, params (string, string)[] members)
        {
            var body = new JsonObject();
            foreach (var m in members) body.Members.Add(new KeyValuePair<string, JsonNode>(m.Item1, new JsonValue(m.Item2)));
            var o = new JsonObject();
            o.Members.Add(new KeyValuePair<string, JsonNode>(kind, body));
            return o;
        }

        /// <summary>A right-hand value: an atom, a comma list (flags), an anonymous set { }, or @set.</summary>
        private static JsonNode Value(State st, List<Token> line, ref int i, bool inSet)
        {
            if (i >= line.Count) throw MissingValue(st, line);
            if (line[i].Kind == Kind.Open) return Wrapped(ParseSetLiteral(st, line, ref i, false));
            var first = Atom(st, line, ref i);
            if (inSet || i >= line.Count || line[i].Kind != Kind.Comma) return first;
            var list = new JsonArray { Line = first.Line, Column = first.Column, File = first.File };
            list.Items.Add(first);
            while (i < line.Count && line[i].Kind == Kind.Comma)
            {
                i++;
                if (i >= line.Count) throw Unexpected(st, line[i - 1]);
                list.Items.Add(Atom(st, line, ref i));
            }
            return list;
        }

        /// <summary>
        /// "dnat [ip] [addr . port] to KEY map { k : v, ... }" as nft -j writes it:
        /// {"addr": {"map": {"key": KEY, "data": {"set": [[k, v], ...]}}}}; null for any other form.
        /// </summary>
        private static JsonNode? TryNatMap(State st, List<Token> line, int from, int end, Token at)
        {
            int to = -1;
            for (int k = from; k < end; k++) if (line[k].Text == "to") { to = k; break; }
            if (to < 0) return null;
            for (int k = from; k < to; k++)
                if (line[k].Text != "ip" && line[k].Text != "ip6" && line[k].Text != "addr" && line[k].Text != "." && line[k].Text != "port") return null;
            int j = to + 1;
            try
            {
                var key = Left(line, ref j);
                if (key == null) return null;
                if (j < end && line[j].Text == ".")
                {
                    var parts = new JsonArray { Line = at.Line, Column = at.Column, File = at.File };
                    parts.Items.Add(key);
                    while (j < end && line[j].Text == ".")
                    {
                        j++;
                        var part = j < end ? Left(line, ref j) : null;
                        if (part == null) return null;
                        parts.Items.Add(part);
                    }
                    var concat = new JsonObject { Line = at.Line, Column = at.Column, File = at.File };
                    concat.Members.Add(new KeyValuePair<string, JsonNode>("concat", parts));
                    key = concat;
                }
                if (j + 1 >= end || line[j].Text != "map") return null;
                j++;
                JsonNode data;
                if (line[j].Kind == Kind.Open) data = Wrapped(ParseSetLiteral(st, line, ref j, true));
                else if (line[j].Text.StartsWith("@", StringComparison.Ordinal)) data = new JsonValue(line[j++].Text);
                else return null;
                // Only flags that do not change which address is chosen may follow.
                for (; j < end; j++) if (line[j].Text != "persistent" && line[j].Text != "random" && line[j].Text != "fully-random" && line[j].Text != ",") return null;
                var map = new JsonObject { Line = at.Line, Column = at.Column, File = at.File };
                map.Members.Add(new KeyValuePair<string, JsonNode>("key", key));
                map.Members.Add(new KeyValuePair<string, JsonNode>("data", data));
                var mapNode = new JsonObject { Line = at.Line, Column = at.Column, File = at.File };
                mapNode.Members.Add(new KeyValuePair<string, JsonNode>("map", map));
                var body = new JsonObject { Line = at.Line, Column = at.Column, File = at.File };
                body.Members.Add(new KeyValuePair<string, JsonNode>("addr", mapNode));
                return body;
            }
            catch (TssrException)
            {
                return null;
            }
        }

        private static JsonNode Wrapped(JsonArray set)
        {
            var o = new JsonObject { Line = set.Line, Column = set.Column, File = set.File };
            o.Members.Add(new KeyValuePair<string, JsonNode>("set", set));
            return o;
        }

        /// <summary>{ a, b-c, d/8 } or, for maps, { k : verdict, ... } (pairs as JSON arrays [key, value]).</summary>
        private static JsonArray ParseSetLiteral(State st, List<Token> line, ref int i, bool map)
        {
            var open = line[i++];
            var set = new JsonArray { Line = open.Line, Column = open.Column, File = open.File };
            while (true)
            {
                if (i >= line.Count) throw FirewallErrors.Parse(open.File, open.Line, open.Column, IptablesSaveParser.Reason("Reason_NftTextUnclosed", open.Line));
                var t = line[i];
                if (t.Kind == Kind.Close) { i++; break; }
                if (t.Kind == Kind.Comma) { i++; continue; }
                var key = Atom(st, line, ref i);
                // Element annotations (timeout 1h, expires 10m, counter packets 0 bytes 0, comment "x").
                while (i < line.Count && line[i].Kind == Kind.Word && !map) i++;
                while (i < line.Count && line[i].Kind == Kind.String) i++;
                if (i < line.Count && line[i].Kind == Kind.Colon)
                {
                    i++;
                    if (i >= line.Count) throw Unexpected(st, line[i - 1]);
                    var vt = line[i];
                    JsonNode value;
                    if (vt.Kind == Kind.Word && Verdicts.Contains(vt.Text))
                    {
                        i++;
                        JsonNode? arg = null;
                        if ((vt.Text == "jump" || vt.Text == "goto") && i < line.Count)
                        {
                            var target = new JsonObject();
                            target.Members.Add(new KeyValuePair<string, JsonNode>("target", new JsonValue(line[i++].Text)));
                            arg = target;
                        }
                        value = Stmt(vt.Text, arg, vt);
                    }
                    else value = Atom(st, line, ref i);
                    var pair = new JsonArray { Line = key.Line, Column = key.Column, File = key.File };
                    pair.Items.Add(key);
                    pair.Items.Add(value);
                    set.Items.Add(pair);
                }
                else set.Items.Add(key);
                while (i < line.Count && line[i].Kind == Kind.Word && map) i++;
            }
            return set;
        }

        /// <summary>One value: a number, a range "a-b", an address or network, a name, "quoted", @set; "a . b" concatenations as text.</summary>
        private static Exception MissingValue(State st, List<Token> line)
        {
            var last = line[line.Count - 1];
            return FirewallErrors.Parse(last.File, last.Line, last.Column, IptablesSaveParser.Reason("Reason_NftTextValue", IptablesSaveParser.Shorten(Join(line, Math.Max(0, line.Count - 3), line.Count))));
        }

        private static JsonNode Atom(State st, List<Token> line, ref int i)
        {
            if (i >= line.Count) throw MissingValue(st, line);
            var t = line[i];
            if (t.Kind == Kind.Open) return Wrapped(ParseSetLiteral(st, line, ref i, false));
            if (t.Kind != Kind.Word && t.Kind != Kind.String) throw Unexpected(st, t);
            i++;
            JsonNode node;
            if (t.Kind == Kind.String) node = new JsonValue(t.Text);
            else node = AtomOf(t.Text);
            node.Line = t.Line; node.Column = t.Column; node.File = t.File;
            if (i < line.Count && line[i].Text == ".")
            {
                // A concatenated value "udp . 51820", "10.0.0.1 . 22": {"concat": [...]} as nft -j writes it.
                var parts = new JsonArray { Line = t.Line, Column = t.Column, File = t.File };
                parts.Items.Add(node);
                while (i + 1 < line.Count && line[i].Text == "." && (line[i + 1].Kind == Kind.Word || line[i + 1].Kind == Kind.String))
                {
                    var part = line[i + 1].Kind == Kind.String ? new JsonValue(line[i + 1].Text) : AtomOf(line[i + 1].Text);
                    part.Line = line[i + 1].Line; part.Column = line[i + 1].Column; part.File = line[i + 1].File;
                    parts.Items.Add(part);
                    i += 2;
                }
                var concat = new JsonObject { Line = t.Line, Column = t.Column, File = t.File };
                concat.Members.Add(new KeyValuePair<string, JsonNode>("concat", parts));
                return concat;
            }
            return node;
        }

        private static JsonNode AtomOf(string w)
        {
            if (long.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return new JsonValue(n);
            var dash = w.IndexOf('-');
            if (dash > 0 && dash < w.Length - 1)
            {
                var a = w.Substring(0, dash); var b = w.Substring(dash + 1);
                JsonNode? lo = null, hi = null;
                if (long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var la) && long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var lb))
                { lo = new JsonValue(la); hi = new JsonValue(lb); }
                else if (Addresses.TryParseAddress(a, out var fa, out _) && Addresses.TryParseAddress(b, out var fb, out _) && fa == fb)
                { lo = new JsonValue(a); hi = new JsonValue(b); }
                if (lo != null)
                {
                    var r = new JsonArray();
                    r.Items.Add(lo); r.Items.Add(hi!);
                    var o = new JsonObject();
                    o.Members.Add(new KeyValuePair<string, JsonNode>("range", r));
                    return o;
                }
            }
            return new JsonValue(w);
        }
    }
}
