using System;
using System.Globalization;
using System.Management.Automation;

namespace Tssr.Tools
{
    /// <summary>
    /// Turns a number into days (-Inactive 90 is 90 days, not 90 ticks as PowerShell's own
    /// conversion would make it) and keeps a TimeSpan or a TimeSpan string ("30.12:00:00") as is.
    /// </summary>
    public sealed class DaysOrTimeSpanAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case TimeSpan span: return span;
                case int i: return TimeSpan.FromDays(i);
                case long l: return TimeSpan.FromDays(l);
                case double d: return TimeSpan.FromDays(d);
                case decimal m: return TimeSpan.FromDays((double)m);
                case string s:
                    if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var days)) return TimeSpan.FromDays(days);
                    if (TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var parsed)) return parsed;
                    break;
            }
            throw new ArgumentTransformationMetadataException("Expected a number of days or a TimeSpan, got '" + value + "'.");
        }
    }
}
