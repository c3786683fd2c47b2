using System.Globalization;
using System.Resources;

namespace Tssr.Tools.Engine.Core
{
    /// <summary>
    /// Reads one resx family of the engine (English neutral, French satellite). Each area keeps its
    /// own Strings.resx beside its code, so areas can grow independently. Messages follow the
    /// current UI culture of the thread, which the cmdlet layer sets from $PSUICulture.
    /// </summary>
    public sealed class Localizer
    {
        private readonly ResourceManager _resources;

        /// <param name="baseName">The manifest name, e.g. "Tssr.Tools.Engine.Resources.Strings".</param>
        public Localizer(string baseName)
        {
            _resources = new ResourceManager(baseName, typeof(Localizer).Assembly);
        }

        public string BaseName => _resources.BaseName;

        /// <summary>The message for <paramref name="key"/> in the current UI culture.</summary>
        public string Get(string key) => Get(key, CultureInfo.CurrentUICulture);

        public string Get(string key, CultureInfo culture)
        {
            var text = _resources.GetString(key, culture);
            // A missing key is a defect caught by the resource tests; never show the user nothing.
            return text ?? key;
        }

        /// <summary>The message for <paramref name="key"/> with its placeholders filled.</summary>
        public string Format(string key, params object?[] args) => Format(CultureInfo.CurrentUICulture, key, args);

        public string Format(CultureInfo culture, string key, params object?[] args)
            => string.Format(culture, Get(key, culture), args);
    }
}
