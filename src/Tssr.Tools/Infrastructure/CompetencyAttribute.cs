using System;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools
{
    /// <summary>The référentiel competencies a cmdlet serves; read by Get-TssrCompetency.</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class CompetencyAttribute : Attribute
    {
        public CompetencyAttribute(params Competency[] competencies)
        {
            if (competencies == null || competencies.Length == 0)
                throw new ArgumentException("A cmdlet serves at least one competency.", nameof(competencies));
            Competencies = competencies;
        }

        public Competency[] Competencies { get; }
    }
}
