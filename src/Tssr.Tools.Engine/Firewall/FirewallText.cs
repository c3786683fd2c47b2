using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Firewall
{
    /// <summary>
    /// The texts of the firewall area (English Strings.resx and French Strings.fr.resx beside the
    /// code). The only place where their base name is written: readers, analyses and cmdlets reach
    /// their messages through this field.
    /// </summary>
    public static class FirewallText
    {
        public static readonly Localizer Strings = new Localizer("Tssr.Tools.Engine.Firewall.Strings");

        /// <summary>
        /// A text that counts something: the key for a count of one is the key with "_One" (its
        /// own wording: "1 rule applies", « 1 règle s'applique »), any other count the key itself.
        /// </summary>
        public static string Count(string key, int count, params object?[] args) => Strings.Format(count == 1 ? key + "_One" : key, args);
    }
}
