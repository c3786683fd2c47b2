using System.Runtime.CompilerServices;

namespace Tssr.Tools.Engine.Firewall.Model
{
    /// <summary>
    /// MethodImplOptions.AggressiveOptimization (512; not in the netstandard2.0 surface): the hot
    /// loops of one audit run once per command, so tiered compilation would leave them in
    /// unoptimised tier-0 code for most of the run. .NET Framework ignores the flag.
    /// </summary>
    internal static class Hot
    {
        public const MethodImplOptions Optimise = (MethodImplOptions)512;
    }
}
