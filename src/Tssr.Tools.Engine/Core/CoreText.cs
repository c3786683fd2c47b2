namespace Tssr.Tools.Engine.Core
{
    /// <summary>
    /// The texts of the core (competencies, unexpected failures), English and French. The only place
    /// where the base name of this resx family is written; every area has one such accessor class
    /// (<c>NetworkText</c>, <c>FirewallText</c>...).
    /// </summary>
    public static class CoreText
    {
        public static readonly Localizer Strings = new Localizer("Tssr.Tools.Engine.Resources.Strings");
    }
}
