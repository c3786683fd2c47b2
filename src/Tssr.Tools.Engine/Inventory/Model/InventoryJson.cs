using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Parsers;

namespace Tssr.Tools.Engine.Inventory.Model
{
    /// <summary>
    /// The versioned JSON form of inventories (Export-/Import-TssrInventory). Every stored property
    /// of the model is written (nulls included) and read back to an equal object: dates keep their
    /// offset to the tick, doubles round-trip, enums are written by name.
    /// </summary>
    public static class InventoryJson
    {
        public const string FormatName = "Tssr.Tools.Inventory";
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        public static string Serialize(IEnumerable<ServerInventory> inventories)
        {
            var sb = new StringBuilder();
            sb.Append("{\n  \"format\": \"").Append(FormatName).Append("\",\n  \"version\": ").Append(ServerInventory.SchemaVersion.ToString(Inv)).Append(",\n  \"inventories\": [");
            var first = true;
            foreach (var inventory in inventories)
            {
                sb.Append(first ? "\n    " : ",\n    ");
                first = false;
                Write(sb, inventory, typeof(ServerInventory));
            }
            sb.Append(first ? "]\n}\n" : "\n  ]\n}\n");
            return sb.ToString();
        }

        /// <summary>Writes to <paramref name="path"/> (UTF-8 without BOM).</summary>
        public static void Save(string path, IEnumerable<ServerInventory> inventories)
        {
            try
            {
                File.WriteAllText(path, Serialize(inventories), new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new TssrException("InventoryFileWriteFailed", TssrErrorCategory.WriteError, path,
                    InventoryText.Strings.Format("Error_FileWriteFailed", path, e.Message), null, e);
            }
        }

        public static IReadOnlyList<ServerInventory> Load(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path, Encoding.UTF8);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new TssrException("InventoryFileUnreadable", TssrErrorCategory.ReadError, path,
                    InventoryText.Strings.Format("Error_FileUnreadable", path, e.Message), null, e);
            }
            return Deserialize(text, path);
        }

        public static IReadOnlyList<ServerInventory> Deserialize(string text, string file)
        {
            JsonNode root;
            try
            {
                root = JsonReader.Parse(text, file);
            }
            catch (TssrException e)
            {
                throw Invalid(file, e.Message);
            }
            if (!(root is JsonObject o) || (o["format"] as JsonValue)?.Value as string != FormatName)
                throw Invalid(file, InventoryText.Strings.Get("Reason_NotInventory"));
            var version = (o["version"] as JsonValue)?.Value;
            if (!(version is long v) || v < 1 || v > ServerInventory.SchemaVersion)
                throw Invalid(file, InventoryText.Strings.Format("Reason_Version", version ?? "?", ServerInventory.SchemaVersion));
            if (!(o["inventories"] is JsonArray items))
                throw Invalid(file, InventoryText.Strings.Get("Reason_NotInventory"));
            var list = new List<ServerInventory>();
            foreach (var item in items.Items)
                list.Add((ServerInventory)Read(item, typeof(ServerInventory), file)!);
            return list;
        }

        private static TssrException Invalid(string file, string reason)
            => new TssrException("InventoryFileInvalid", TssrErrorCategory.InvalidData, file,
                InventoryText.Strings.Format("Error_FileInvalid", file, reason), InventoryText.Strings.Get("Action_FileInvalid"));

        /// <summary>The stored properties: public get, any set (computed text properties are left out).</summary>
        private static IEnumerable<PropertyInfo> Stored(Type type)
            => type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetSetMethod(nonPublic: true) != null);

        private static void Write(StringBuilder sb, object? value, Type type)
        {
            if (value == null) { sb.Append("null"); return; }
            var t = Nullable.GetUnderlyingType(type) ?? type;
            switch (value)
            {
                case string s: WriteString(sb, s); return;
                case bool b: sb.Append(b ? "true" : "false"); return;
                case int i: sb.Append(i.ToString(Inv)); return;
                case long l: sb.Append(l.ToString(Inv)); return;
                case double d: sb.Append(d.ToString("R", Inv)); return;
                case DateTimeOffset dto: WriteString(sb, dto.ToString("o", Inv)); return;
                case Enum e: WriteString(sb, e.ToString()); return;
            }
            if (value is IEnumerable list && t != typeof(string))
            {
                var element = ElementType(t);
                sb.Append('[');
                var first = true;
                foreach (var item in list)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    Write(sb, item, element);
                }
                sb.Append(']');
                return;
            }
            sb.Append('{');
            var firstProperty = true;
            foreach (var p in Stored(value.GetType()))
            {
                if (!firstProperty) sb.Append(',');
                firstProperty = false;
                WriteString(sb, p.Name);
                sb.Append(':');
                Write(sb, p.GetValue(value), p.PropertyType);
            }
            sb.Append('}');
        }

        private static Type ElementType(Type listType)
            => listType.IsArray ? listType.GetElementType()! : listType.GetGenericArguments().FirstOrDefault() ?? typeof(object);

        private static void WriteString(StringBuilder sb, string s)
        {
            sb.Append('"');
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", Inv));
                        else sb.Append(c);
                        break;
                }
            }
            sb.Append('"');
        }

        private static object? Read(JsonNode node, Type type, string file)
        {
            var nullable = Nullable.GetUnderlyingType(type);
            var t = nullable ?? type;
            if (node is JsonValue jv && jv.Value == null)
            {
                if (t.IsValueType && nullable == null) throw Invalid(file, At(node, InventoryText.Strings.Get("Reason_NullValue")));
                return null;
            }
            try
            {
                if (t == typeof(string)) return Expect<string>(node, file);
                if (t == typeof(bool)) return Expect<bool>(node, file);
                if (t == typeof(int)) return checked((int)Expect<long>(node, file));
                if (t == typeof(long)) return Expect<long>(node, file);
                if (t == typeof(double))
                {
                    var v = (node as JsonValue)?.Value;
                    if (v is long l) return (double)l;
                    if (v is double d) return d;
                    throw Invalid(file, At(node, InventoryText.Strings.Get("Reason_WrongType")));
                }
                if (t == typeof(DateTimeOffset)) return DateTimeOffset.ParseExact(Expect<string>(node, file), "o", Inv, DateTimeStyles.None);
                if (t.IsEnum)
                {
                    var name = Expect<string>(node, file);
                    if (!Enum.GetNames(t).Contains(name)) throw Invalid(file, At(node, InventoryText.Strings.Format("Reason_EnumValue", name, t.Name)));
                    return Enum.Parse(t, name);
                }
            }
            catch (Exception e) when (e is FormatException || e is OverflowException)
            {
                throw Invalid(file, At(node, e.Message));
            }
            if (typeof(IEnumerable).IsAssignableFrom(t))
            {
                if (!(node is JsonArray array)) throw Invalid(file, At(node, InventoryText.Strings.Get("Reason_WrongType")));
                var element = ElementType(t);
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
                foreach (var item in array.Items) list.Add(Read(item, element, file));
                return list;
            }
            if (!(node is JsonObject obj)) throw Invalid(file, At(node, InventoryText.Strings.Get("Reason_WrongType")));
            var result = Activator.CreateInstance(t, nonPublic: true)!;
            foreach (var p in Stored(t))
            {
                var member = obj[p.Name];
                if (member == null) continue; // a field a later version added: keep the default
                p.GetSetMethod(nonPublic: true)!.Invoke(result, new[] { Read(member, p.PropertyType, file) });
            }
            return result;
        }

        private static T Expect<T>(JsonNode node, string file)
        {
            if (node is JsonValue v && v.Value is T value) return value;
            throw Invalid(file, At(node, InventoryText.Strings.Get("Reason_WrongType")));
        }

        private static string At(JsonNode node, string reason)
            => InventoryText.Strings.Format("Reason_At", node.Line, node.Column, reason);
    }
}
