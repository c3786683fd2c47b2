using System;
using System.Linq;
using System.Management.Automation;

namespace Tssr.Tools
{
    /// <summary>
    /// Reads a parameter's enum values by name (any case) and, for a wrong one, says which names are
    /// valid in the user's language, instead of PowerShell's binder text with a .NET type name. Put
    /// it on every enum (or enum array) parameter of the module, typed on the command line or bound
    /// from the pipeline; Module.Tests.ps1 fails for one without it. Tab completion needs nothing
    /// more: PowerShell completes an enum parameter's names by itself.
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
            if (value is Array array && !(value.GetType().GetElementType()?.IsEnum ?? false))
            {
                var items = array.Cast<object?>().Select(i => i is PSObject p ? p.BaseObject : i).ToList();
                if (!items.Any(i => i is string)) return inputData;
                var result = Array.CreateInstance(_enumType, items.Count);
                for (var i = 0; i < items.Count; i++)
                    result.SetValue(items[i] is string s ? Convert(s) : ConvertOther(items[i]), i);
                return result;
            }
            return inputData;
        }

        private object? ConvertOther(object? item)
            => item == null || item.GetType() == _enumType ? item : LanguagePrimitives.ConvertTo(item, _enumType, System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The names a user may type, for messages and tests.</summary>
        public string ValidNames => string.Join(", ", Enum.GetNames(_enumType));

        private object Convert(string text)
        {
            var trimmed = text.Trim();
            var name = Enum.GetNames(_enumType).FirstOrDefault(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase));
            if (name != null) return Enum.Parse(_enumType, name);
            if (int.TryParse(trimmed, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number)
                && Enum.IsDefined(_enumType, number))
                return Enum.ToObject(_enumType, number);
            throw new ArgumentTransformationMetadataException(
                TssrCmdlet.EngineText.Format("Error_EnumValue", text, _parameterName, ValidNames));
        }
    }
}
