using System.Collections.Generic;
using System.Linq;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Tests.Subnet
{
    /// <summary>Keeps everything the engine reports, for assertions.</summary>
    internal sealed class CollectingSink : IEngineSink
    {
        public List<object> Outputs { get; } = new List<object>();
        public List<TssrError> Errors { get; } = new List<TssrError>();
        public List<string> Warnings { get; } = new List<string>();
        public List<string> Verbose { get; } = new List<string>();
        public List<ProgressReport> Progress { get; } = new List<ProgressReport>();

        public IEnumerable<T> Of<T>() => Outputs.OfType<T>();

        void IEngineSink.Output(object item) => Outputs.Add(item);
        void IEngineSink.Error(TssrError error) => Errors.Add(error);
        void IEngineSink.Warning(string message) => Warnings.Add(message);
        void IEngineSink.Verbose(string message) => Verbose.Add(message);
        void IEngineSink.Progress(ProgressReport report) => Progress.Add(report);
        bool IEngineSink.ShouldProcess(string target, string action) => true;
    }
}
