using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Network.Ports
{
    /// <summary>
    /// Jobs arriving while the sweep already runs: the cmdlet adds what the pipeline brings, record
    /// by record, and the engine probes them as they come. Bounded, so that a fast producer in front
    /// of a slow sweep waits instead of filling memory. One producer, one consumer.
    /// </summary>
    public sealed class PortScanFeed : IDisposable
    {
        private readonly Queue<PortScanJob> _jobs = new Queue<PortScanJob>();
        private readonly SemaphoreSlim _space;
        private readonly SemaphoreSlim _ready = new SemaphoreSlim(0);
        private bool _completed;

        public PortScanFeed(int capacity = 64)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            _space = new SemaphoreSlim(capacity);
        }

        /// <summary>
        /// Adds a job when there is room within <paramref name="wait"/>; false when the feed is still
        /// full, so the caller can do something useful (write results) before trying again.
        /// </summary>
        public bool TryAdd(PortScanJob job, TimeSpan wait)
        {
            if (job == null) throw new ArgumentNullException(nameof(job));
            if (!_space.Wait(wait)) return false;
            lock (_jobs)
            {
                if (_completed) throw new InvalidOperationException("The feed is complete.");
                _jobs.Enqueue(job);
            }
            _ready.Release();
            return true;
        }

        /// <summary>No more jobs will come: the sweep ends once the queued ones are done.</summary>
        public void Complete()
        {
            lock (_jobs)
            {
                if (_completed) return;
                _completed = true;
            }
            _ready.Release();
        }

        public bool IsCompleted
        {
            get { lock (_jobs) return _completed; }
        }

        /// <summary>The next job, or null once the feed is complete and empty.</summary>
        internal async Task<PortScanJob?> TakeAsync(CancellationToken cancellationToken)
        {
            await _ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_jobs)
            {
                if (_jobs.Count > 0)
                {
                    var job = _jobs.Dequeue();
                    _space.Release();
                    return job;
                }
            }
            _ready.Release(); // keep the completion signal for any later call
            return null;
        }

        public void Dispose()
        {
            _space.Dispose();
            _ready.Dispose();
        }
    }
}
