using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools
{
    /// <summary>
    /// The engine's sink, as seen by a cmdlet: every call made on a worker thread is queued and then
    /// performed on the pipeline thread by <see cref="PumpUntilDone"/>, because PowerShell throws when
    /// Write* or ShouldProcess is called from another thread. The queue is bounded so that a fast
    /// engine in front of a slow pipeline keeps memory flat.
    /// </summary>
    internal sealed class PipelinePump : IEngineSink, IDisposable
    {
        private const int QueueCapacity = 4096;
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

        private readonly TssrCmdlet _cmdlet;
        private readonly CancellationTokenSource _stop;
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>(QueueCapacity);
        private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
        private readonly object _progressLock = new object();
        private ProgressReport? _pendingProgress;
        private Exception? _pipelineFailure;

        public PipelinePump(TssrCmdlet cmdlet, CancellationTokenSource stop)
        {
            _cmdlet = cmdlet;
            _stop = stop;
        }

        public void Output(object item) => Enqueue(() => _cmdlet.WriteObject(item));

        public void Error(TssrError error) => Enqueue(() => _cmdlet.WriteError(ErrorFactory.Create(error)));

        public void Warning(string message) => Enqueue(() => _cmdlet.WriteWarning(message));

        public void Verbose(string message) => Enqueue(() => _cmdlet.WriteVerbose(message));

        public void Progress(ProgressReport report)
        {
            // Progress is a hint: coalesce bursts so that a sweep of 65,536 targets spends its time
            // on the targets, not on redrawing the bar.
            lock (_progressLock)
            {
                if (!report.Completed && _sinceProgress.Elapsed < ProgressInterval)
                {
                    _pendingProgress = report;
                    return;
                }
                _pendingProgress = null;
                _sinceProgress.Restart();
            }
            Enqueue(() => _cmdlet.WriteProgressReport(report));
        }

        public bool ShouldProcess(string target, string action)
        {
            var answer = new TaskCompletionSource<bool>();
            Enqueue(() => answer.TrySetResult(_cmdlet.ShouldProcess(target, action)));
            using (_stop.Token.Register(() => answer.TrySetCanceled()))
            {
                return answer.Task.GetAwaiter().GetResult();
            }
        }

        private void Enqueue(Action action)
        {
            try
            {
                _queue.Add(action, _stop.Token);
            }
            catch (Exception e) when (e is InvalidOperationException || e is OperationCanceledException)
            {
                // The work finished or the pipeline stopped (Ctrl+C cancels the token Add waits on):
                // nobody is listening any more. Never throw into the engine here: an engine
                // reporting from a finally block would skip its own clean-up and never end.
            }
        }

        /// <summary>Runs queued calls on this (the pipeline) thread until <paramref name="work"/> ends.</summary>
        public void PumpUntilDone(Task work)
        {
            work.ContinueWith(_ => _queue.CompleteAdding(), TaskScheduler.Default);
            foreach (var action in _queue.GetConsumingEnumerable())
                Execute(action);

            if (_pipelineFailure != null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_pipelineFailure).Throw();

            ProgressReport? last;
            lock (_progressLock) last = _pendingProgress;
            if (last != null)
                _cmdlet.WriteProgressReport(last);
        }

        /// <summary>
        /// Runs the calls queued so far on this (the pipeline) thread, waiting at most
        /// <paramref name="wait"/> for the first one, and returns while <paramref name="work"/> goes on:
        /// a cmdlet that feeds the engine from ProcessRecord writes results between two inputs. When
        /// the pipeline failed (-ErrorAction Stop, Select-Object -First, Ctrl+C), waits for the work to
        /// stop and throws the failure.
        /// </summary>
        public void PumpPending(Task work, TimeSpan wait)
        {
            if (_queue.TryTake(out var action, wait))
            {
                Execute(action);
                while (_pipelineFailure == null && _queue.TryTake(out action))
                    Execute(action);
            }
            if (_pipelineFailure != null)
                PumpUntilDone(work);
        }

        private void Execute(Action action)
        {
            if (_pipelineFailure != null)
                return; // drain so that the worker is never blocked on a full queue
            try
            {
                action();
            }
            catch (Exception e) when (e is PipelineStoppedException || e is ActionPreferenceStopException || e is RuntimeException)
            {
                // -ErrorAction Stop, a downstream Select-Object -First, or Ctrl+C: stop the engine,
                // then surface the same exception once the worker has finished.
                _pipelineFailure = e;
                _stop.Cancel();
            }
        }

        public void Dispose() => _queue.Dispose();
    }
}
