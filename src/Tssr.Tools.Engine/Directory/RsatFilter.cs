using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>
    /// The common forms of RSAT's -Filter language (Get-ADUser -Filter), translated to an escaped
    /// LDAP filter: <c>*</c>; <c>Property -eq|-ne|-like|-notlike value</c> on the properties
    /// Get-TssrUser shows; <c>-and</c>, <c>-or</c>, <c>-not</c> and parentheses. Anything else is
    /// refused with the supported forms, never guessed.
    /// </summary>
    public static class RsatFilter
    {
        private static readonly Localizer Text = DirectoryText.Strings;

        /// <summary>Result property → LDAP attribute (text properties).</summary>
        private static readonly Dictionary<string, string> TextProperties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["SamAccountName"] = "sAMAccountName", ["UserPrincipalName"] = "userPrincipalName", ["Name"] = "name", ["DisplayName"] = "displayName",
            ["GivenName"] = "givenName", ["Surname"] = "sn", ["Description"] = "description", ["EmailAddress"] = "mail", ["Mail"] = "mail",
            ["Department"] = "department", ["Title"] = "title", ["Company"] = "company", ["Office"] = "physicalDeliveryOfficeName",
            ["OfficePhone"] = "telephoneNumber", ["DistinguishedName"] = "distinguishedName", ["LogonWorkstations"] = "userWorkstations",
        };

        /// <summary>Boolean properties → the userAccountControl bit that makes them true (Enabled is true when the bit is clear).</summary>
        private static readonly Dictionary<string, (int Bit, bool TrueWhenSet)> FlagProperties = new Dictionary<string, (int, bool)>(StringComparer.OrdinalIgnoreCase)
        {
            ["Enabled"] = (0x2, false), ["PasswordNeverExpires"] = (0x10000, true),
        };

        public static IReadOnlyCollection<string> Properties => TextProperties.Keys.Concat(FlagProperties.Keys).ToList();

        /// <summary>The LDAP filter (without the "users only" part) for an RSAT filter.</summary>
        public static string ToLdap(string filter)
        {
            var trimmed = filter.Trim();
            if (trimmed.StartsWith("(", StringComparison.Ordinal) && trimmed.IndexOf('=') > 0 && trimmed.IndexOf(" -", StringComparison.Ordinal) < 0)
                throw new TssrException("DirectoryFilterUnsupported", TssrErrorCategory.InvalidArgument, filter,
                    Text.Format("Error_FilterLooksLdap", filter), Text.Get("Action_Filter"));
            var parser = new Parser(filter);
            var result = parser.ParseOr();
            parser.Expect(TokenKind.End);
            return result;
        }

        private enum TokenKind { Word, Value, Operator, Open, Close, End }

        private struct Token
        {
            public TokenKind Kind;
            public string Text;
            public int Position;
        }

        private sealed class Parser
        {
            private readonly string _filter;
            private readonly List<Token> _tokens;
            private int _next;

            public Parser(string filter)
            {
                _filter = filter;
                _tokens = Tokenize(filter);
            }

            private Token Peek => _tokens[_next];

            private Token Take() => _tokens[_next++];

            public void Expect(TokenKind kind)
            {
                if (Peek.Kind != kind) throw Unsupported(Peek);
            }

            public string ParseOr()
            {
                var parts = new List<string> { ParseAnd() };
                while (IsOperator("-or")) { Take(); parts.Add(ParseAnd()); }
                return parts.Count == 1 ? parts[0] : "(|" + string.Concat(parts) + ")";
            }

            private string ParseAnd()
            {
                var parts = new List<string> { ParseUnary() };
                while (IsOperator("-and")) { Take(); parts.Add(ParseUnary()); }
                return parts.Count == 1 ? parts[0] : "(&" + string.Concat(parts) + ")";
            }

            private string ParseUnary()
            {
                if (IsOperator("-not") || IsOperator("!")) { Take(); return "(!" + ParseUnary() + ")"; }
                if (Peek.Kind == TokenKind.Open)
                {
                    Take();
                    var inner = ParseOr();
                    Expect(TokenKind.Close);
                    Take();
                    return inner;
                }
                if (Peek.Kind == TokenKind.Value && Peek.Text == "*" && (_tokens[_next + 1].Kind == TokenKind.End || _tokens[_next + 1].Kind == TokenKind.Close))
                {
                    Take();
                    return "(objectClass=*)";
                }
                return ParseComparison();
            }

            private string ParseComparison()
            {
                var property = Take();
                if (property.Kind != TokenKind.Word) throw Unsupported(property);
                var op = Take();
                if (op.Kind != TokenKind.Operator) throw Unsupported(op);
                var value = Take();
                if (value.Kind != TokenKind.Value && value.Kind != TokenKind.Word) throw Unsupported(value);
                var name = op.Text.ToLowerInvariant();
                if (FlagProperties.TryGetValue(property.Text, out var flag))
                {
                    if (name != "-eq" && name != "-ne") throw Unsupported(op);
                    var wanted = ParseBool(value);
                    if (name == "-ne") wanted = !wanted;
                    var set = "(userAccountControl:1.2.840.113556.1.4.803:=" + flag.Bit.ToString(CultureInfo.InvariantCulture) + ")";
                    return wanted == flag.TrueWhenSet ? set : "(!" + set + ")";
                }
                if (!TextProperties.TryGetValue(property.Text, out var attribute))
                    throw new TssrException("DirectoryFilterUnsupported", TssrErrorCategory.InvalidArgument, _filter,
                        Text.Format("Error_FilterProperty", property.Text, string.Join(", ", Properties.OrderBy(p => p, StringComparer.OrdinalIgnoreCase))), Text.Get("Action_Filter"));
                switch (name)
                {
                    case "-eq": return "(" + attribute + "=" + LdapEscape.FilterValue(value.Text) + ")";
                    case "-ne": return "(!(" + attribute + "=" + LdapEscape.FilterValue(value.Text) + "))";
                    case "-like": return Like(attribute, value);
                    case "-notlike": return "(!" + Like(attribute, value) + ")";
                    default: throw Unsupported(op);
                }
            }

            /// <summary>-like: '*' is the wildcard, everything else is escaped; '*' alone means "has a value".</summary>
            private string Like(string attribute, Token pattern)
            {
                if (pattern.Text.Length == 0) throw Unsupported(pattern);
                var parts = pattern.Text.Split('*');
                return "(" + attribute + "=" + string.Join("*", parts.Select(LdapEscape.FilterValue)) + ")";
            }

            private bool ParseBool(Token value)
            {
                switch (value.Text.ToLowerInvariant())
                {
                    case "$true": case "true": case "1": return true;
                    case "$false": case "false": case "0": return false;
                    default: throw Unsupported(value);
                }
            }

            private bool IsOperator(string op) => Peek.Kind == TokenKind.Operator && string.Equals(Peek.Text, op, StringComparison.OrdinalIgnoreCase);

            private TssrException Unsupported(Token at)
                => new TssrException("DirectoryFilterUnsupported", TssrErrorCategory.InvalidArgument, _filter,
                    Text.Format("Error_FilterUnsupported", _filter, at.Kind == TokenKind.End ? Text.Get("Filter_End") : at.Text, at.Position + 1), Text.Get("Action_Filter"));

            private List<Token> Tokenize(string filter)
            {
                var tokens = new List<Token>();
                var i = 0;
                while (i < filter.Length)
                {
                    var c = filter[i];
                    if (char.IsWhiteSpace(c)) { i++; continue; }
                    var start = i;
                    if (c == '(') { tokens.Add(new Token { Kind = TokenKind.Open, Text = "(", Position = i++ }); continue; }
                    if (c == ')') { tokens.Add(new Token { Kind = TokenKind.Close, Text = ")", Position = i++ }); continue; }
                    if (c == '\'' || c == '"')
                    {
                        // A quoted value; a doubled quote is a quote, as in PowerShell.
                        var sb = new StringBuilder();
                        i++;
                        while (true)
                        {
                            if (i >= filter.Length)
                                throw new TssrException("DirectoryFilterUnsupported", TssrErrorCategory.InvalidArgument, filter,
                                    Text.Format("Error_FilterQuote", filter, start + 1), Text.Get("Action_Filter"));
                            if (filter[i] == c)
                            {
                                if (i + 1 < filter.Length && filter[i + 1] == c) { sb.Append(c); i += 2; continue; }
                                i++;
                                break;
                            }
                            sb.Append(filter[i++]);
                        }
                        tokens.Add(new Token { Kind = TokenKind.Value, Text = sb.ToString(), Position = start });
                        continue;
                    }
                    while (i < filter.Length && !char.IsWhiteSpace(filter[i]) && filter[i] != '(' && filter[i] != ')') i++;
                    var word = filter.Substring(start, i - start);
                    var kind = word.StartsWith("-", StringComparison.Ordinal) || word == "!" ? TokenKind.Operator
                        : word == "*" ? TokenKind.Value : TokenKind.Word;
                    tokens.Add(new Token { Kind = kind, Text = word, Position = start });
                }
                tokens.Add(new Token { Kind = TokenKind.End, Text = string.Empty, Position = filter.Length });
                return tokens;
            }
        }
    }
}
