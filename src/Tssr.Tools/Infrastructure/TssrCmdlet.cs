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

        /// <summary>
        /// Runs an engine of the one contract (<see cref="IEngine{TOptions, TInput}"/>) over inputs all
        /// known now, on a worker, writing what it reports as it arrives (see <see cref="Run"/>).
        /// </summary>
        protected void RunEngine<TOptions, TInput>(IEngine<TOptions, TInput> engine, TOptions options, IEnumerable<TInput> inputs)
            => Run((sink, token) => engine.RunAsync(options, inputs, sink, token));

        /// <summary>
        /// Starts an engine of the one contract on inputs that ProcessRecord posts as they come: call
        /// <c>Post</c> per input from ProcessRecord and <c>Finish</c> from EndProcessing. The model is
        /// Resolve-TssrDns: options built in BeginProcessing, the engine started there (or with the
        /// first valid record), <c>Finish</c> in EndProcessing.
        /// </summary>
        private protected StreamingWork<TInput> StartEngine<TOptions, TInput>(IEngine<TOptions, TInput> engine, TOptions options, int inputCapacity)
            => StartStreaming<TInput>((inputs, sink, token) => engine.RunAsync(options, inputs, sink, token), inputCapacity);

        /// <summary>
        /// Runs an engine whose work is synchronous and short (a few results per input, pure CPU) here,
        /// on the pipeline thread, without a worker hand-off per record: a 20,000-row CSV stays fast.
        /// Errors map as in <see cref="Run"/>; <paramref name="shape"/> may dress each result (a view's
        /// type name). Never use it for work that waits on the network.
        /// </summary>
        protected void RunEngineInline<TOptions, TInput>(IEngine<TOptions, TInput> engine, TOptions options, IEnumerable<TInput> inputs, Func<object, object>? shape = null)
            => Complete(engine.RunAsync(options, inputs, new DirectSink(this, shape), _stop.Token));

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

        /// <summary>
        /// The seconds of a timeout or interval whose former parameter (kept hidden, for existing
        /// scripts) took milliseconds: the former value converted, with a warning naming the new
        /// parameter, when the script gave the former name; otherwise <paramref name="seconds"/>.
        /// Both names at once stop the command.
        /// </summary>
        protected double SecondsOrFormerMilliseconds(double seconds, string newName, string formerName, int formerMilliseconds)
        {
            if (!MyInvocation.BoundParameters.ContainsKey(formerName)) return seconds;
            if (MyInvocation.BoundParameters.ContainsKey(newName))
                ThrowParameterError("FormerParameterWithNewOne", formerName, EngineText.Format("Error_FormerParameterWithNewOne", formerName, newName));
            var converted = formerMilliseconds / 1000.0;
            WriteWarning(EngineText.Format("Warning_FormerMilliseconds", formerName, formerMilliseconds,
                newName, converted.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return converted;
        }

        /// <summary>Writes one non-terminating error for one target.</summary>
        protected void WriteTssrError(TssrError error) => WriteError(ErrorFactory.Create(error));

        /// <summary>
        /// True while the current record came down the pipeline; false for values typed on the command
        /// line (or splatted), which PowerShell binds before the first ProcessRecord.
        /// </summary>
        protected bool IsPipelineInput => MyInvocation.ExpectingInput;

        /// <summary>
        /// The one input-error policy of the module. A bad value typed on the command line stops the
        /// command (a terminating error, before any work when the cmdlet checks its command-line values
        /// first); the same value arriving from the pipeline is a non-terminating error for that record
        /// and the rest goes on.
        /// </summary>
        protected void WriteInputError(TssrError error) => WriteInputError(error, IsPipelineInput);

        /// <summary>The input-error policy with the origin of the value stated by the caller.</summary>
        protected void WriteInputError(TssrError error, bool fromPipeline)
        {
            if (fromPipeline) WriteTssrError(error);
            else ThrowTerminatingError(ErrorFactory.Create(error));
        }

        /// <summary>
        /// Reads one input value with <paramref name="parse"/>; a <see cref="TssrException"/> follows the
        /// input-error policy (<see cref="WriteInputError(TssrError)"/>) and gives false.
        /// </summary>
        protected bool TryReadInput<T>(Func<T> parse, out T value) => TryReadInput(parse, IsPipelineInput, out value);

        /// <summary>As <see cref="TryReadInput{T}(Func{T}, out T)"/>, with the origin of the value stated by the caller.</summary>
        protected bool TryReadInput<T>(Func<T> parse, bool fromPipeline, out T value)
        {
            try
            {
                value = parse();
                return true;
            }
            catch (TssrException e)
            {
                WriteInputError(e.Error, fromPipeline);
                value = default!;
                return false;
            }
        }

        /// <summary>
        /// True for the text PowerShell makes of a piped object that has none of a parameter's names as
        /// a property (a CSV row without a recognised column binds by value as "@{Name=a; Foo=b}").
        /// </summary>
        protected static bool IsUnboundRecord(string? text)
            => text != null && text.StartsWith("@{", StringComparison.Ordinal) && text.EndsWith("}", StringComparison.Ordinal) && text.IndexOf('=') > 0;

        /// <summary>
        /// The error for such a row: names the property (column) names the parameter accepts, its own
        /// and its aliases, instead of "'@{...}' is not a network". Non-terminating: the next rows go on.
        /// </summary>
        protected void WriteUnboundRecordError(string text, string parameterName)
        {
            var names = new List<string> { parameterName };
            var property = GetType().GetProperty(parameterName);
            if (property != null)
                foreach (AliasAttribute alias in property.GetCustomAttributes(typeof(AliasAttribute), true))
                    names.AddRange(alias.AliasNames);
            var command = MyInvocation.MyCommand?.Name ?? string.Empty;
            WriteTssrError(new TssrError("PipelineRecordWithoutKnownProperty", TssrErrorCategory.InvalidData, text,
                EngineText.Format("Error_UnboundRecord", text, parameterName, string.Join(", ", names)),
                EngineText.Format("Action_UnboundRecord", text, parameterName, string.Join(", ", names), command)));
        }

        internal void WriteProgressReport(ProgressReport report)
        {
            var record = new ProgressRecord(report.ActivityId, report.Activity, string.IsNullOrEmpty(report.Status) ? report.Activity : report.Status)
            {
                PercentComplete = report.PercentComplete,
                RecordType = report.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            WriteProgress(record);
        }

        internal static readonly Localizer EngineText = CoreText.Strings;

        /// <summary>
        /// PowerShell disposes the cmdlet after the command ends, whatever the end: done, terminating
        /// error or Ctrl+C. A cmdlet that opened something for itself (a session to -Server, a
        /// temporary folder) overrides <see cref="Dispose(bool)"/> to close it, then calls the base.
        /// </summary>
        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>Closes what the cmdlet holds; overrides call <c>base.Dispose(disposing)</c> last.</summary>
        protected virtual void Dispose(bool disposing)
        {
            if (_disposed) return;
            _disposed = true;
            if (disposing) _stop.Dispose();
        }
    }
}
