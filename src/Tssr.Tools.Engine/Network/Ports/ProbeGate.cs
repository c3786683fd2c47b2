using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Network.Ports
{
    /// <summary>
    /// The permits for connections in flight, shared by fresh probes and retries. A probe about to
    /// retry a filtered port hands its permit to the fresh probe waiting, and fresh work goes first
    /// while few retries wait: silent hosts then keep every permit busy instead of leaving a long
    /// half-empty tail of retries at the end. Once the retries waiting reach half the permits they
    /// go first, so they are never starved. Waiters never exceed the permits: memory stays bounded.
    /// </summary>
    internal sealed class ProbeGate
    {
        private readonly object _lock = new object();
        private readonly Queue<TaskCompletionSource<bool>> _retries = new Queue<TaskCompletionSource<bool>>();
        private readonly int _capacity;
        private readonly int _retryPriorityBacklog;
        private TaskCompletionSource<bool>? _fresh;
        private TaskCompletionSource<bool>? _idle;
        private int _free;

        public ProbeGate(int capacity)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            _capacity = capacity;
            _free = capacity;
            _retryPriorityBacklog = Math.Max(1, capacity / 2);
        }

        /// <summary>A permit for a new probe (one caller at a time: the producer).</summary>
        public Task AcquireFreshAsync(CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                if (_free > 0 && _retries.Count == 0)
                {
                    _free--;
                    return Task.CompletedTask;
                }
                if (_fresh != null && !_fresh.Task.IsCompleted)
                    throw new InvalidOperationException("Only one producer may wait for a fresh permit.");
                _fresh = Waiter(cancellationToken);
                return _fresh.Task;
            }
        }

        /// <summary>
        /// Called by a probe that holds a permit and wants another attempt at a filtered port. While
        /// few retries wait, its permit goes straight to the fresh probe waiting (if any) and the
        /// retry queues for the next permit; otherwise it keeps its permit and goes on at once. The
        /// permit never returns to the pool in between, so the gate never looks idle meanwhile.
        /// </summary>
        public Task YieldForRetryAsync(CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                var fresh = _fresh;
                if (fresh == null || fresh.Task.IsCompleted || _retries.Count >= _retryPriorityBacklog)
                    return Task.CompletedTask;
                _fresh = null;
                if (!fresh.TrySetResult(true))
                    return Task.CompletedTask; // the fresh waiter was cancelled: keep the permit
                var waiter = Waiter(cancellationToken);
                _retries.Enqueue(waiter);
                return waiter.Task;
            }
        }

        /// <summary>Gives a permit back: to a waiting retry or fresh probe, else to the pool.</summary>
        public void Release()
        {
            TaskCompletionSource<bool>? idle = null;
            lock (_lock)
            {
                while (true)
                {
                    var waiter = Next();
                    if (waiter == null) break;
                    if (waiter.TrySetResult(true)) return; // handed over; a cancelled waiter is skipped
                }
                _free++;
                if (_free > _capacity) throw new InvalidOperationException("A permit was released twice.");
                if (_free == _capacity && _idle != null)
                {
                    idle = _idle;
                    _idle = null;
                }
            }
            idle?.TrySetResult(true);
        }

        /// <summary>Completes when every permit is back: no probe in flight, none waiting.</summary>
        public Task WhenIdleAsync()
        {
            lock (_lock)
            {
                if (_free == _capacity) return Task.CompletedTask;
                _idle ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _idle.Task;
            }
        }

        private TaskCompletionSource<bool>? Next()
        {
            var freshWaiting = _fresh != null && !_fresh.Task.IsCompleted;
            if (_retries.Count > 0 && (!freshWaiting || _retries.Count >= _retryPriorityBacklog))
                return _retries.Dequeue();
            if (freshWaiting)
            {
                var fresh = _fresh;
                _fresh = null;
                return fresh;
            }
            return _retries.Count > 0 ? _retries.Dequeue() : null;
        }

        private static TaskCompletionSource<bool> Waiter(CancellationToken cancellationToken)
        {
            var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (cancellationToken.CanBeCanceled)
            {
                var registration = cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
                waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            return waiter;
        }
    }
}
