using System;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools
{
    /// <summary>
    /// The sink of engine work that runs on the pipeline thread itself (short, synchronous CPU work:
    /// see <see cref="TssrCmdlet.RunEngineInline{TOptions, TInput}"/>): writes at once, no queue.
    /// <see cref="Shape"/> lets the cmdlet dress each result for PowerShell (a view's type name).
    /// </summary>
    internal sealed class DirectSink : IEngineSink
    {
        private readonly TssrCmdlet _cmdlet;
        private readonly Func<object, object>? _shape;

        public DirectSink(TssrCmdlet cmdlet, Func<object, object>? shape = null)
        {
            _cmdlet = cmdlet;
            _shape = shape;
        }

        public Func<object, object>? Shape => _shape;

        public void Output(object item) => _cmdlet.WriteObject(_shape == null ? item : _shape(item));
        public void Error(TssrError error) => _cmdlet.WriteError(ErrorFactory.Create(error));
        public void Warning(string message) => _cmdlet.WriteWarning(message);
        public void Verbose(string message) => _cmdlet.WriteVerbose(message);
        public void Progress(ProgressReport report) => _cmdlet.WriteProgressReport(report);
        public bool ShouldProcess(string target, string action) => _cmdlet.ShouldProcess(target, action);
    }
}
