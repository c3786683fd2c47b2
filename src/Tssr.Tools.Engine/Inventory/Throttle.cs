using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Inventory
{
    /// <summary>
    /// Runs one piece of work per input with at most <c>limit</c> at once, reading the inputs as
    /// they come (the sequence may be fed by the pipeline while this runs). A per-input failure is
    /// the work's own business (it reports to the sink); an unexpected exception stops everything
    /// and is rethrown once the running work has ended.
    /// </summary>
    internal static class Throttle
    {
        public static async Task ForEachAsync<T>(IEnumerable<T> inputs, int limit, Func<T, CancellationToken, Task> work,
            IEngineSink sink, string activity, CancellationToken ct)
        {
            var total = inputs is ICollection<T> collection ? collection.Count : -1;
            using (var slots = new SemaphoreSlim(limit, limit))
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                Exception? failure = null;
                var done = 0;
                var running = new List<Task>();

                async Task One(T item)
                {
                    try
                    {
                        await work(item, stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref failure, e, null);
                        stop.Cancel();
                    }
                    finally
                    {
                        var n = Interlocked.Increment(ref done);
                        sink.Progress(new ProgressReport(activity,
                            total > 0 ? string.Format(System.Globalization.CultureInfo.CurrentCulture, "{0}/{1}", n, total) : n.ToString(System.Globalization.CultureInfo.CurrentCulture),
                            ProgressReport.Percent(n, total)));
                        slots.Release();
                    }
                }

                try
                {
                    foreach (var item in inputs)
                    {
                        await slots.WaitAsync(stop.Token).ConfigureAwait(false);
                        running.Add(One(item));
                        running.RemoveAll(t => t.IsCompleted);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                await Task.WhenAll(running).ConfigureAwait(false);
                sink.Progress(new ProgressReport(activity, string.Empty, 100, completed: true));
                if (failure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
                ct.ThrowIfCancellationRequested();
            }
        }
    }
}
