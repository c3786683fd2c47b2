using System.Globalization;
using System.Management.Automation;

namespace Tssr.Tools
{
    /// <summary>Lets a prefix-length parameter take "/26" as well as 26, as people write it.</summary>
    public sealed class PrefixLengthTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string text)
            {
                var trimmed = text.Trim();
                if (trimmed.StartsWith("/", System.StringComparison.Ordinal)
                    && int.TryParse(trimmed.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                    return length;
            }
            return inputData;
        }
    }
}
