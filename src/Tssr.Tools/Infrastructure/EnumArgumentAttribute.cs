using System;
using System.Linq;
using System.Management.Automation;

namespace Tssr.Tools
{
    /// <summary>
    /// Reads a parameter's enum values by name (any case) and, for a wrong one, says which names are
    /// valid in the user's language, instead of PowerShell's binder text with a .NET type name. Put
    /// it on every enum (or enum array) parameter; pair it with an <see cref="EnumCompleter"/>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class EnumArgumentAttribute : ArgumentTransformationAttribute
    {
        private readonly Type _enumType;
        private readonly string _parameterName;

        public EnumArgumentAttribute(Type enumType, string parameterName)
        {
            if (!enumType.IsEnum) throw new ArgumentException("An enum type is needed.", nameof(enumType));
            _enumType = enumType;
            _parameterName = parameterName;
        }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string text) return Convert(text);
            if (value is object[] array)
            {
                var result = Array.CreateInstance(_enumType, array.Length);
                for (var i = 0; i < array.Length; i++)
                {
                    var item = array[i] is PSObject p ? p.BaseObject : array[i];
                    result.SetValue(item is string s ? Convert(s) : item, i);
                }
                return result;
            }
            return inputData;
        }

        private object Convert(string text)
        {
            var trimmed = text.Trim();
            var name = Enum.GetNames(_enumType).FirstOrDefault(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase));
            if (name != null) return Enum.Parse(_enumType, name);
            if (int.TryParse(trimmed, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number)
                && Enum.IsDefined(_enumType, number))
                return Enum.ToObject(_enumType, number);
            throw new ArgumentTransformationMetadataException(
                TssrCmdlet.EngineText.Format("Error_EnumValue", text, _parameterName, string.Join(", ", Enum.GetNames(_enumType))));
        }
    }
}
