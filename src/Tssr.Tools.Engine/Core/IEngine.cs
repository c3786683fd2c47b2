using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Core
{
    /// <summary>
    /// The one entry shape of engine work that reports as it goes. Every area's engine implements it
    /// (<c>DnsResolver</c>, <c>PortScanner</c>, <c>HostSweeper</c>...), so a cmdlet drives any engine
    /// the same way and a test calls it the same way:
    /// <list type="bullet">
    /// <item><paramref name="options"/> carry every setting, filters included (severity, kinds,
    /// include-failure, only-open...): the engine applies them, never the cmdlet;</item>
    /// <item><paramref name="inputs"/> are read as they come: the sequence may block while the
    /// pipeline feeds it, so an engine never counts or buffers it unless it must;</item>
    /// <item>results, per-input errors, warnings, verbose notes and progress go to
    /// <paramref name="sink"/>, from any thread, as soon as they exist;</item>
    /// <item>a <see cref="TssrException"/> (thrown or faulting the task) is a terminating error;
    /// cancellation of <paramref name="cancellationToken"/> (Ctrl+C) ends the task as cancelled.</item>
    /// </list>
    /// </summary>
    /// <typeparam name="TOptions">The engine's options class (immutable or built once per command).</typeparam>
    /// <typeparam name="TInput">One unit of input: a name, a target, a row, a file...</typeparam>
    public interface IEngine<in TOptions, in TInput>
    {
        /// <summary>Does the work for every input, reporting to <paramref name="sink"/>; see the interface.</summary>
        Task RunAsync(TOptions options, IEnumerable<TInput> inputs, IEngineSink sink, CancellationToken cancellationToken);
    }

    /// <summary>Helpers for engines whose work is synchronous (pure CPU work such as subnet maths).</summary>
    public static class EngineTask
    {
        /// <summary>
        /// Runs <paramref name="work"/> now and returns its end as a task, so a synchronous engine
        /// keeps the <see cref="IEngine{TOptions, TInput}"/> contract: an exception faults the task
        /// instead of escaping the call.
        /// </summary>
        public static Task Run(System.Action work, CancellationToken cancellationToken)
        {
            try
            {
                work();
                return Task.CompletedTask;
            }
            catch (System.OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                var cancelled = new TaskCompletionSource<bool>();
                cancelled.SetCanceled();
                return cancelled.Task;
            }
            catch (System.Exception e)
            {
                var failed = new TaskCompletionSource<bool>();
                failed.SetException(e);
                return failed.Task;
            }
        }
    }
}
