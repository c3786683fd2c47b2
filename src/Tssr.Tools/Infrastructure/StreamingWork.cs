using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools
{
    /// <summary>
    /// Engine work fed from the pipeline while it runs: ProcessRecord posts each input, the engine
    /// reads them as a sequence (concurrently, as it likes), and results are written on the
    /// pipeline thread between two inputs and at the end. So a thousand names piped in are resolved
    /// many at a time, and the first results appear before the last name has arrived. The input
    /// queue is bounded: a fast producer waits (while results are written) instead of filling memory.
    /// </summary>
    internal sealed class StreamingWork<T>
    {
        private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(50);

        private readonly PipelinePump _pump;
        private readonly BlockingCollection<T> _input;
        private readonly CancellationToken _token;
        private readonly Action<Task> _complete;
        private readonly Task _task;
        private bool _finished;

        internal StreamingWork(PipelinePump pump, CancellationToken token, int inputCapacity,
            Func<IEnumerable<T>, IEngineSink, CancellationToken, Task> work, Action<Task> complete)
        {
            _pump = pump;
            _token = token;
            _complete = complete;
            _input = new BlockingCollection<T>(Math.Max(1, inputCapacity));
            var uiCulture = CultureInfo.CurrentUICulture;
            var culture = CultureInfo.CurrentCulture;
            _task = Task.Run(() =>
            {
                CultureInfo.CurrentUICulture = uiCulture;
                CultureInfo.CurrentCulture = culture;
                return work(_input.GetConsumingEnumerable(token), pump, token);
            });
        }

        /// <summary>Hands one input to the engine (waiting for room while writing results), then writes what is ready.</summary>
        public void Post(T item)
        {
            if (_finished) return;
            try
            {
                while (!_input.TryAdd(item))
                {
                    if (_task.IsCompleted || _token.IsCancellationRequested)
                    {
                        Finish();
                        return;
                    }
                    _pump.PumpPending(_task, Slice);
                }
                _pump.PumpPending(_task, TimeSpan.Zero);
                if (_task.IsCompleted)
                    Finish(); // the engine stopped early: surface its error now, not at the end
            }
            catch
            {
                _finished = true;
                throw;
            }
        }

        /// <summary>No more input: writes the remaining results, then maps the engine's end like Run does.</summary>
        public void Finish()
        {
            if (_finished) return;
            _finished = true;
            _input.CompleteAdding();
            try
            {
                _pump.PumpUntilDone(_task);
                _complete(_task);
            }
            finally
            {
                _pump.Dispose();
                _input.Dispose();
            }
        }
    }
}
