using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Tests.Support
{
    /// <summary>
    /// The one engine sink of the tests: keeps everything the engine reports, in order, from any
    /// thread. <see cref="Answer"/> decides what ShouldProcess returns (false plays -WhatIf), and
    /// every question asked is kept so a test can check what would have been changed.
    /// </summary>
    internal sealed class RecordingSink : IEngineSink
    {
        private readonly ConcurrentQueue<object> _outputs = new ConcurrentQueue<object>();
        private readonly ConcurrentQueue<TssrError> _errors = new ConcurrentQueue<TssrError>();
        private readonly ConcurrentQueue<string> _warnings = new ConcurrentQueue<string>();
        private readonly ConcurrentQueue<string> _verbose = new ConcurrentQueue<string>();
        private readonly ConcurrentQueue<ProgressReport> _progress = new ConcurrentQueue<ProgressReport>();
        private readonly ConcurrentQueue<(string Target, string Action)> _questions = new ConcurrentQueue<(string, string)>();

        /// <summary>What ShouldProcess answers; true unless a test says otherwise.</summary>
        public Func<string, string, bool> Answer { get; set; } = (_, _) => true;

        /// <summary>Called on every output as it arrives (e.g. to cancel after the first one).</summary>
        public Action<object>? OnOutput { get; set; }

        /// <summary>Called on every progress report as it arrives (e.g. to cancel mid-work).</summary>
        public Action<ProgressReport>? OnProgress { get; set; }

        public IReadOnlyList<object> Outputs => _outputs.ToList();
        public IReadOnlyList<T> OutputsOf<T>() => _outputs.OfType<T>().ToList();
        public IReadOnlyList<TssrError> Errors => _errors.ToList();
        public IReadOnlyList<string> Warnings => _warnings.ToList();
        public IReadOnlyList<string> VerboseMessages => _verbose.ToList();
        public IReadOnlyList<ProgressReport> ProgressReports => _progress.ToList();
        public IReadOnlyList<(string Target, string Action)> Questions => _questions.ToList();

        public void Output(object item)
        {
            _outputs.Enqueue(item);
            OnOutput?.Invoke(item);
        }

        public void Error(TssrError error) => _errors.Enqueue(error);
        public void Warning(string message) => _warnings.Enqueue(message);
        public void Verbose(string message) => _verbose.Enqueue(message);
        public void Progress(ProgressReport report)
        {
            _progress.Enqueue(report);
            OnProgress?.Invoke(report);
        }

        public bool ShouldProcess(string target, string action)
        {
            _questions.Enqueue((target, action));
            return Answer(target, action);
        }
    }
}
