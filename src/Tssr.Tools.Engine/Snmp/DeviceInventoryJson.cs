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
using Tssr.Tools.Engine.Inventory.Model;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>What an inventory file holds: server inventories and network device inventories.</summary>
    public sealed class InventoryDocument
    {
        public InventoryDocument(IReadOnlyList<ServerInventory> servers, IReadOnlyList<SnmpDeviceInventory> devices)
        {
            Servers = servers;
            Devices = devices;
        }

        public IReadOnlyList<ServerInventory> Servers { get; }
        public IReadOnlyList<SnmpDeviceInventory> Devices { get; }
    }

    /// <summary>
    /// Network device inventories in the inventory file of Export-/Import-TssrInventory: the server
    /// inventories stay as InventoryJson writes them, the devices go in a "devices" array beside
    /// them with their own "devicesVersion". Every stored property is written (nulls included) and
    /// read back to an equal object; counters too large for a double's 53 bits are written as
    /// strings so that a Counter64 comes back to the unit.
    /// </summary>
    public static class DeviceInventoryJson
    {
        public const int DevicesVersion = 1;
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        public static string Serialize(IEnumerable<ServerInventory> servers, IEnumerable<SnmpDeviceInventory> devices)
        {
            var text = InventoryJson.Serialize(servers);
            var list = devices.ToList();
            if (list.Count == 0) return text;
            // The server document is one JSON object: the devices go before its closing brace.
            var end = text.LastIndexOf('}');
            var sb = new StringBuilder(text.Substring(0, end).TrimEnd(), text.Length + list.Count * 8192);
            sb.Append(",\n  \"devicesVersion\": ").Append(DevicesVersion.ToString(Inv)).Append(",\n  \"devices\": [");
            for (var i = 0; i < list.Count; i++)
            {
                sb.Append(i == 0 ? "\n    " : ",\n    ");
                Write(sb, list[i], typeof(SnmpDeviceInventory));
            }
            sb.Append("\n  ]\n}\n");
            return sb.ToString();
        }

        /// <summary>Writes to <paramref name="path"/> (UTF-8 without BOM).</summary>
        public static void Save(string path, IEnumerable<ServerInventory> servers, IEnumerable<SnmpDeviceInventory> devices)
        {
            var text = Serialize(servers, devices);
            try
            {
                File.WriteAllText(path, text, new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new TssrException("InventoryFileWriteFailed", TssrErrorCategory.WriteError, path,
                    SnmpText.Strings.Format("Inventory_FileWriteFailed", path, e.Message), null, e);
            }
        }

        public static InventoryDocument Load(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path, Encoding.UTF8);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new TssrException("InventoryFileUnreadable", TssrErrorCategory.ReadError, path,
                    SnmpText.Strings.Format("Inventory_FileUnreadable", path, e.Message), null, e);
            }
            return Deserialize(text, path);
        }

        /// <summary>Both parts of a file; the server part is read (and checked) by InventoryJson.</summary>
        public static InventoryDocument Deserialize(string text, string file)
        {
            var servers = InventoryJson.Deserialize(text, file);
            var root = (JsonObject)JsonReader.Parse(text, file);
            var devices = new List<SnmpDeviceInventory>();
            var items = root["devices"];
            if (items != null)
            {
                var version = (root["devicesVersion"] as JsonValue)?.Value;
                if (!(version is long v) || v < 1 || v > DevicesVersion)
                    throw Invalid(file, SnmpText.Strings.Format("Inventory_DevicesVersion", version ?? "?", DevicesVersion));
                if (!(items is JsonArray array)) throw Invalid(file, At(items, SnmpText.Strings.Get("Inventory_WrongType")));
                foreach (var item in array.Items) devices.Add((SnmpDeviceInventory)Read(item, typeof(SnmpDeviceInventory), file)!);
            }
            return new InventoryDocument(servers, devices);
        }

        /// <summary>The error for an object that is no inventory, given to Export- or Compare-TssrInventory.</summary>
        public static TssrException InputInvalid(object? item)
            => new TssrException("InventoryInputInvalid", TssrErrorCategory.InvalidArgument, item,
                SnmpText.Strings.Format("Inventory_InputInvalid", item?.GetType().Name ?? "null"));

        private static TssrException Invalid(string file, string reason)
            => new TssrException("InventoryFileInvalid", TssrErrorCategory.InvalidData, file,
                SnmpText.Strings.Format("Inventory_FileInvalid", file, reason), SnmpText.Strings.Get("Action_InventoryFileInvalid"));

        /// <summary>The stored properties: public get, any set (computed text properties are left out).</summary>
        private static IEnumerable<PropertyInfo> Stored(Type type)
            => type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetSetMethod(nonPublic: true) != null);

        private static void Write(StringBuilder sb, object? value, Type type)
        {
            switch (value)
            {
                case null: sb.Append("null"); return;
                case string s: WriteString(sb, s); return;
                case int i: sb.Append(i.ToString(Inv)); return;
                case DateTime t: WriteString(sb, t.ToUniversalTime().ToString("o", Inv)); return;
                case decimal m:
                    // A number when a JSON reader gets it back exactly (a long, or a double that round-trips), else a string.
                    if ((m == decimal.Truncate(m) && m >= long.MinValue && m <= long.MaxValue) || (decimal)(double)m == m) sb.Append(m.ToString(Inv));
                    else WriteString(sb, m.ToString(Inv));
                    return;
                case IEnumerable list:
                    var element = ElementType(value.GetType());
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
        {
            for (var t = listType; t != null; t = t.BaseType)
                if (t.IsGenericType) return t.GetGenericArguments()[0];
            return typeof(object);
        }

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
                        // Control characters and lone surrogates (an agent's octet strings may hold any byte) as escapes.
                        if (c < 0x20 || char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("x4", Inv));
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
            var value = (node as JsonValue)?.Value;
            if (node is JsonValue && value == null)
            {
                if (t.IsValueType && nullable == null) throw Invalid(file, At(node, SnmpText.Strings.Get("Inventory_NullValue")));
                return t == typeof(string) ? string.Empty : null;
            }
            try
            {
                if (t == typeof(string)) return value is string s ? s : throw WrongType(node, file);
                if (t == typeof(int)) return value is long l ? checked((int)l) : throw WrongType(node, file);
                if (t == typeof(decimal))
                {
                    switch (value)
                    {
                        case long l: return (decimal)l;
                        case double d: return (decimal)d;
                        case string s: return decimal.Parse(s, NumberStyles.Float, Inv);
                        default: throw WrongType(node, file);
                    }
                }
                if (t == typeof(DateTime))
                    return value is string s ? DateTime.ParseExact(s, "o", Inv, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) : throw WrongType(node, file);
            }
            catch (Exception e) when (e is FormatException || e is OverflowException)
            {
                throw Invalid(file, At(node, e.Message));
            }
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ValueList<>))
            {
                if (!(node is JsonArray array)) throw WrongType(node, file);
                var element = t.GetGenericArguments()[0];
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
                foreach (var item in array.Items) list.Add(Read(item, element, file));
                return Activator.CreateInstance(t, list);
            }
            if (!(node is JsonObject obj) || t.IsValueType) throw WrongType(node, file);
            var result = Activator.CreateInstance(t, nonPublic: true)!;
            foreach (var p in Stored(t))
            {
                var member = obj[p.Name];
                if (member == null) continue; // a field a later version added: keep the default
                p.GetSetMethod(nonPublic: true)!.Invoke(result, new[] { Read(member, p.PropertyType, file) });
            }
            return result;
        }

        private static TssrException WrongType(JsonNode node, string file) => Invalid(file, At(node, SnmpText.Strings.Get("Inventory_WrongType")));

        private static string At(JsonNode node, string reason) => SnmpText.Strings.Format("Inventory_At", node.Line, node.Column, reason);
    }
}
