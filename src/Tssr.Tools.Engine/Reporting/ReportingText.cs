using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Reporting
{
    /// <summary>The texts of reports and checks (English Strings.resx, French Strings.fr.resx beside the code).</summary>
    public static class ReportingText
    {
        public static readonly Localizer Strings = new Localizer("Tssr.Tools.Engine.Reporting.Strings");
    }
}
