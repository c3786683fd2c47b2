using System;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Tssr.Tools.Engine.Reporting
{
    /// <summary>The text of a report value, the same in every table, chart and count.</summary>
    internal static class ValueText
    {
        public static string Format(object? value, CultureInfo culture)
        {
            switch (value)
            {
                case null: return string.Empty;
                case string s: return s;
                case bool b: return b ? "True" : "False";
                case DateTime d:
                    return d.Kind == DateTimeKind.Utc
                        ? d.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                        : d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                case DateTimeOffset o: return o.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
                case double x: return x.ToString("0.###", culture);
                case float f: return ((double)f).ToString("0.###", culture);
                case decimal m: return m.ToString("0.###", culture);
                case BigInteger big: return big.ToString(CultureInfo.InvariantCulture);
                case IFormattable formattable when IsIntegral(value): return formattable.ToString(null, CultureInfo.InvariantCulture);
                case IEnumerable list:
                    var sb = new StringBuilder();
                    foreach (var item in list)
                    {
                        if (sb.Length > 0) sb.Append(", ");
                        sb.Append(Format(item, culture));
                    }
                    return sb.ToString();
                default: return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }

        public static bool IsEmpty(object? value)
        {
            switch (value)
            {
                case null: return true;
                case string s: return s.Length == 0;
                case IEnumerable list: return !list.GetEnumerator().MoveNext();
                default: return false;
            }
        }

        public static bool IsIntegral(object value)
            => value is int || value is long || value is short || value is byte || value is sbyte || value is uint || value is ulong || value is ushort;

        public static bool TryNumber(object? value, out double number)
        {
            switch (value)
            {
                case null: number = 0; return false;
                case double d: number = d; return !double.IsNaN(d);
                case float f: number = f; return true;
                case decimal m: number = (double)m; return true;
                case BigInteger big: number = (double)big; return true;
                case string s: return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
                default:
                    if (IsIntegral(value)) { number = Convert.ToDouble(value, CultureInfo.InvariantCulture); return true; }
                    number = 0;
                    return false;
            }
        }
    }
}
