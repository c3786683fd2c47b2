namespace Tssr.Tools.Engine.Core
{
    /// <summary>
    /// How the engine talks back while it works. The cmdlet layer implements it by queueing every
    /// call to the PowerShell pipeline thread; tests implement it by collecting. Implementations
    /// must be safe to call from any thread.
    /// </summary>
    public interface IEngineSink
    {
        /// <summary>A result, written to the pipeline as soon as it exists.</summary>
        void Output(object item);

        /// <summary>A per-target failure: the work goes on with the other targets.</summary>
        void Error(TssrError error);

        void Warning(string message);

        void Verbose(string message);

        void Progress(ProgressReport report);

        /// <summary>
        /// Asks the user (or -WhatIf / -Confirm) whether a change may be made. Blocks the calling
        /// worker until the pipeline thread answers; returns false under -WhatIf.
        /// </summary>
        bool ShouldProcess(string target, string action);
    }
}
