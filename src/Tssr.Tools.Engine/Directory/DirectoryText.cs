using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>The directory area's messages (Strings.resx, Strings.fr.resx): the only place their base name is written.</summary>
    public static class DirectoryText
    {
        public static readonly Localizer Strings = new Localizer("Tssr.Tools.Engine.Directory.Strings");
    }
}
