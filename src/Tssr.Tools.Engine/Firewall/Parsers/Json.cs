using System;
using Tssr.Tools.Engine.Firewall.Model;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Tssr.Tools.Engine.Firewall.Parsers
{
    /// <summary>A JSON value with the line and column where it starts (so findings point at the rule).</summary>
    internal abstract class JsonNode
    {
        public int Line { get; set; }
        public int Column { get; set; }
        /// <summary>The file it was read from when not the rule set's own (nft text include); null otherwise.</summary>
        public string? File { get; set; }
    }

    internal sealed class JsonObject : JsonNode
    {
        public List<KeyValuePair<string, JsonNode>> Members { get; } = new List<KeyValuePair<string, JsonNode>>();

        public JsonNode? this[string key]
        {
            get
            {
                foreach (var m in Members) if (m.Key == key) return m.Value;
                return null;
            }
        }
    }

    internal sealed class JsonArray : JsonNode
    {
        public List<JsonNode> Items { get; } = new List<JsonNode>();
    }

    internal sealed class JsonValue : JsonNode
    {
        public JsonValue(object? value) { Value = value; }

        /// <summary>string, long, double, bool or null.</summary>
        public object? Value { get; }

        public string? AsString => Value as string ?? (Value is long l ? l.ToString(CultureInfo.InvariantCulture) : Value is double d ? d.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>
    /// A small strict JSON reader: line/column on every value, a depth limit, clean errors with the
    /// position for truncated or malformed input. The engine targets netstandard2.0 without a JSON
    /// library; this keeps the module free of one more dependency.
    /// </summary>
    internal sealed class JsonReader
    {
        private const int MaxDepth = 200;
        private readonly string _text;
        private readonly string _file;
        private int _pos;
        private int _line = 1;
        private int _lineStart;

        private JsonReader(string text, string file)
        {
            _text = text;
            _file = file;
        }

        public static JsonNode Parse(string text, string file)
        {
            var reader = new JsonReader(text, file);
            reader.SkipWhitespace();
            var node = reader.ReadValue(0);
            reader.SkipWhitespace();
            if (reader._pos < text.Length) throw reader.Error(IptablesSaveParser.Reason("Reason_JsonTrailing"));
            return node;
        }

        private Exception Error(string reason) => FirewallErrors.Parse(_file, _line, _pos - _lineStart + 1, reason);

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        private void SkipWhitespace()
        {
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c == '\n') { _line++; _pos++; _lineStart = _pos; }
                else if (c == ' ' || c == '\t' || c == '\r') _pos++;
                else break;
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        private JsonNode ReadValue(int depth)
        {
            if (depth > MaxDepth) throw Error(IptablesSaveParser.Reason("Reason_JsonTooDeep", MaxDepth));
            if (_pos >= _text.Length) throw Error(IptablesSaveParser.Reason("Reason_JsonTruncated"));
            int line = _line, column = _pos - _lineStart + 1;
            JsonNode node;
            char c = _text[_pos];
            switch (c)
            {
                case '{': node = ReadObject(depth); break;
                case '[': node = ReadArray(depth); break;
                case '"': node = new JsonValue(ReadString()); break;
                case 't': Expect("true"); node = new JsonValue(true); break;
                case 'f': Expect("false"); node = new JsonValue(false); break;
                case 'n': Expect("null"); node = new JsonValue(null); break;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) { node = new JsonValue(ReadNumber()); break; }
                    throw Error(IptablesSaveParser.Reason("Reason_JsonUnexpected", c));
            }
            node.Line = line;
            node.Column = column;
            return node;
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) throw Error(IptablesSaveParser.Reason("Reason_JsonUnexpected", _text[_pos]));
            _pos += word.Length;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        private JsonObject ReadObject(int depth)
        {
            var obj = new JsonObject();
            _pos++;
            SkipWhitespace();
            if (_pos < _text.Length && _text[_pos] == '}') { _pos++; return obj; }
            while (true)
            {
                SkipWhitespace();
                if (_pos >= _text.Length) throw Error(IptablesSaveParser.Reason("Reason_JsonTruncated"));
                if (_text[_pos] != '"') throw Error(IptablesSaveParser.Reason("Reason_JsonUnexpected", _text[_pos]));
                var key = ReadString();
                SkipWhitespace();
                if (_pos >= _text.Length) throw Error(IptablesSaveParser.Reason("Reason_JsonTruncated"));
                if (_text[_pos] != ':') throw Error(IptablesSaveParser.Reason("Reason_JsonUnexpected", _text[_pos]));
                _pos++;
                SkipWhitespace();
                obj.Members.Add(new KeyValuePair<string, JsonNode>(key, ReadValue(depth + 1)));
                SkipWhitespace();
                if (_pos >= _text.Length) throw Error(IptablesSaveParser.Reason("Reason_JsonTruncated"));
                if (_text[_pos] == ',') { _pos++; continue; }
                if (_text[_pos] == '}') { _pos++; return obj; }
                throw Error(IptablesSaveParser.Reason("Reason_JsonUnexpected", _text[_pos]));
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        private JsonArray ReadArray(int depth)
        {
            var array = new JsonArray();
            _pos++;
            SkipWhitespace();
            if (_pos < _text.Length && _text[_pos] == ']') { _pos++; return array; }
            while (true)
            {
                SkipWhitespace();
                array.Items.Add(ReadValue(depth + 1));
                SkipWhitespace();
                if (_pos >= _text.Length) throw Error(IptablesSaveParser.Reason("Reason_JsonTruncated"));
                if (_text[_pos] == ',') { _pos++; continue; }
                if (_text[_pos] == ']') { _pos++; return array; }
                throw Error(IptablesSaveParser.Reason("Reason_JsonUnexpected", _text[_pos]));
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Optimise)]
        private string ReadString()
        {
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _text.Length) throw Error(IptablesSaveParser.Reason("Reason_JsonTruncated"));
                char c = _text[_pos++];
                if (c == '"') return sb.ToString();
                if (c == '\n') throw Error(IptablesSaveParser.Reason("Reason_JsonUnexpected", "\\n"));
                if (c != '\\') { sb.Append(c); continue; }
                if (_pos >= _text.Length) throw Error(IptablesSaveParser.Reason("Reason_JsonTruncated"));
                char e = _text[_pos++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 > _text.Length || !int.TryParse(_text.Substring(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                            throw Error(IptablesSaveParser.Reason("Reason_JsonUnexpected", "\\u"));
                        sb.Append((char)code);
                        _pos += 4;
                        break;
                    default: throw Error(IptablesSaveParser.Reason("Reason_JsonUnexpected", "\\" + e));
                }
            }
        }

        private object ReadNumber()
        {
            int start = _pos;
            if (_text[_pos] == '-') _pos++;
            while (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] == '.' || _text[_pos] == 'e' || _text[_pos] == 'E' || _text[_pos] == '+' || _text[_pos] == '-')) _pos++;
            var s = _text.Substring(start, _pos - start);
            if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            throw Error(IptablesSaveParser.Reason("Reason_JsonUnexpected", s.Length > 0 ? s[0] : '?'));
        }
    }
}
