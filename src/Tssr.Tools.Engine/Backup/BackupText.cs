using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Backup
{
    /// <summary>
    /// The texts of the backup area (English Strings.resx, French Strings.fr.resx beside the code);
    /// the only place where their base name is written.
    /// </summary>
    public static class BackupText
    {
        public static readonly Localizer Strings = new Localizer("Tssr.Tools.Engine.Backup.Strings");
    }
}
