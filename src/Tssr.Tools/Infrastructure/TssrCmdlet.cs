using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools
{
    /// <summary>
    /// Base of every Tssr cmdlet. Owns the cancellation wired to StopProcessing (Ctrl+C), the pump
    /// that runs engine work on a worker while every Write*/ShouldProcess happens on the pipeline
    /// thread, and the conversion of engine errors into error records.
    /// </summary>
    public abstract class TssrCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private bool _disposed;

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
        protected CancellationToken Cancellation => _stop.Token;

        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>
        /// Runs <paramref name="work"/> on a worker thread and performs what it reports on the
        /// pipeline thread as it arrives. Returns when the work is done; a
        /// <see cref="TssrException"/> becomes a terminating error, cancellation a clean stop.
        /// </summary>
        protected void Run(Func<IEngineSink, CancellationToken, Task> work)
        {
            var uiCulture = CultureInfo.CurrentUICulture;
            var culture = CultureInfo.CurrentCulture;
            var token = _stop.Token;
            using (var pump = new PipelinePump(this, _stop))
            {
                var task = Task.Run(() =>
                {
                    CultureInfo.CurrentUICulture = uiCulture;
                    CultureInfo.CurrentCulture = culture;
                    return work(pump, token);
                });
                pump.PumpUntilDone(task);
                Complete(task);
            }
        }

        /// <summary>
        /// Starts engine work that reads its inputs as ProcessRecord posts them (see
        /// <see cref="StreamingWork{T}"/>): call Post from ProcessRecord and Finish from EndProcessing.
        /// </summary>
        private protected StreamingWork<T> StartStreaming<T>(Func<IEnumerable<T>, IEngineSink, CancellationToken, Task> work, int inputCapacity)
            => new StreamingWork<T>(new PipelinePump(this, _stop), _stop.Token, inputCapacity, work, Complete);

        /// <summary>Runs synchronous engine work that needs no sink; maps its errors the same way.</summary>
        protected T Invoke<T>(Func<T> work)
        {
            try
            {
                return work();
            }
            catch (TssrException e)
            {
                ThrowTerminatingError(ErrorFactory.Create(e.Error));
                throw; // unreachable: ThrowTerminatingError always throws
            }
        }

        private void Complete(Task task)
        {
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (TssrException e)
            {
                ThrowTerminatingError(ErrorFactory.Create(e.Error));
            }
            catch (Exception e) when (!(e is PipelineStoppedException) && !(e is OperationCanceledException))
            {
                ThrowTerminatingError(ErrorFactory.Create(
                    "UnexpectedFailure",
                    TssrErrorCategory.NotSpecified,
                    MyInvocation.MyCommand?.Name,
                    EngineText.Format("Error_Unexpected", e.Message),
                    EngineText.Get("Action_Unexpected"),
                    e));
            }
        }

        /// <summary>Writes a parameter error that stops the command before any work starts.</summary>
        protected void ThrowParameterError(string errorId, object? target, string message, string? recommendedAction = null)
            => ThrowTerminatingError(ErrorFactory.Create(errorId, TssrErrorCategory.InvalidArgument, target, message, recommendedAction));

        /// <summary>Writes one non-terminating error for one target.</summary>
        protected void WriteTssrError(TssrError error) => WriteError(ErrorFactory.Create(error));

        internal void WriteProgressReport(ProgressReport report)
        {
            var record = new ProgressRecord(report.ActivityId, report.Activity, string.IsNullOrEmpty(report.Status) ? report.Activity : report.Status)
            {
                PercentComplete = report.PercentComplete,
                RecordType = report.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            WriteProgress(record);
        }

        internal static readonly Localizer EngineText = new Localizer("Tssr.Tools.Engine.Resources.Strings");

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _stop.Dispose();
        }
    }
}
