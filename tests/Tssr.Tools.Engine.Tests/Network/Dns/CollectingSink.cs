using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Tests.Network.Dns
{
    /// <summary>An engine sink that keeps everything, for assertions.</summary>
    internal sealed class CollectingSink : IEngineSink
    {
        private readonly ConcurrentQueue<object> _outputs = new ConcurrentQueue<object>();
        private readonly ConcurrentQueue<TssrError> _errors = new ConcurrentQueue<TssrError>();
        private readonly ConcurrentQueue<string> _verbose = new ConcurrentQueue<string>();

        public IReadOnlyList<object> Outputs => _outputs.ToList();
        public IReadOnlyList<TssrError> Errors => _errors.ToList();
        public IReadOnlyList<string> VerboseMessages => _verbose.ToList();

        public void Output(object item) => _outputs.Enqueue(item);
        public void Error(TssrError error) => _errors.Enqueue(error);
        public void Warning(string message) { }
        public void Verbose(string message) => _verbose.Enqueue(message);
        public void Progress(ProgressReport report) { }
        public bool ShouldProcess(string target, string action) => true;
    }
}
