using System;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools
{
    /// <summary>
    /// Engine work running across several ProcessRecord calls (see <see cref="TssrCmdlet.StartRun"/>):
    /// the pipeline thread pumps what it reports between records, and <see cref="Finish"/> waits
    /// for the end and turns its outcome into errors exactly as <c>Run</c> does.
    /// </summary>
    internal sealed class EngineRun : IDisposable
    {
        private readonly TssrCmdlet _cmdlet;
        private readonly PipelinePump _pump;
        private readonly Task _work;
        private readonly CancellationTokenSource _stop;

        internal EngineRun(TssrCmdlet cmdlet, PipelinePump pump, Task work, CancellationTokenSource stop)
        {
            _cmdlet = cmdlet;
            _pump = pump;
            _work = work;
            _stop = stop;
        }

        /// <summary>True once the work has ended (done, failed or cancelled).</summary>
        public bool IsFinished => _work.IsCompleted;

        /// <summary>Performs what the work reported so far, waiting up to <paramref name="wait"/> for something.</summary>
        public void Pump(TimeSpan wait) => _pump.PumpAvailable(_work, wait);

        /// <summary>Pumps until the work ends, then surfaces its terminating error or cancellation.</summary>
        public void Finish()
        {
            _pump.PumpUntilDone(_work);
            _cmdlet.Complete(_work);
        }

        /// <summary>Stops work that was not finished (the command failed before its end).</summary>
        public void Dispose()
        {
            if (!_work.IsCompleted)
            {
                _stop.Cancel();
                return; // the pump's queue stays alive: the cancelled worker may still be adding to it
            }
            _pump.Dispose();
        }
    }
}
