using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Snmp
{
    /// <summary>Settings shared by every SNMP command: who we are to the agents, and how patiently we ask.</summary>
    public class SnmpQueryOptions
    {
        public const int DefaultThrottleLimit = 32;

        public SnmpCredential Credential { get; set; } = SnmpCredential.ForCommunity(SnmpVersion.V2c, System.Text.Encoding.ASCII.GetBytes("public"));
        public SnmpRequestSettings Settings { get; set; } = new SnmpRequestSettings();
        /// <summary>Agents asked at once over the one socket.</summary>
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;
    }

    public sealed class SnmpGetOptions : SnmpQueryOptions
    {
        public IReadOnlyList<Oid> Oids { get; set; } = Array.Empty<Oid>();
        /// <summary>GETNEXT instead of GET: the value that follows each OID.</summary>
        public bool Next { get; set; }
    }

    public sealed class SnmpWalkOptions : SnmpQueryOptions
    {
        public IReadOnlyList<Oid> Roots { get; set; } = Array.Empty<Oid>();
        /// <summary>GETNEXT even where GETBULK is available (old agents).</summary>
        public bool UseGetNext { get; set; }
    }

    public sealed class SnmpSetOptions : SnmpQueryOptions
    {
        public IReadOnlyList<SnmpVarbind> Values { get; set; } = Array.Empty<SnmpVarbind>();
        /// <summary>Write what the agent answered (the values as it now holds them).</summary>
        public bool PassThru { get; set; }
    }

    /// <summary>Runs one piece of work per agent over one shared socket, a bounded number at a time.</summary>
    internal static class SnmpAgents
    {
        public static async Task RunAsync(SnmpQueryOptions options, IEnumerable<string> inputs, IEngineSink sink, CancellationToken cancellationToken, Func<SnmpSession, Task> work, double ratePerSecond = 0)
        {
            var problem = options.Credential.Validate();
            if (problem != null)
                throw new TssrException("SnmpInvalidCredential", TssrErrorCategory.InvalidArgument, options.Credential.UserName, SnmpText.Strings.Get(problem), SnmpText.Strings.Get("Action_InvalidCredential"));
            using (var transport = new SnmpTransport())
            using (var gate = new SemaphoreSlim(Math.Max(1, options.ThrottleLimit)))
            {
                var running = new List<Task>();
                var pace = System.Diagnostics.Stopwatch.StartNew();
                var started = 0L;
                foreach (var input in inputs)
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    if (ratePerSecond > 0)
                    {
                        // Paced: the n-th agent starts no earlier than n / rate seconds after the first.
                        var due = TimeSpan.FromSeconds(started++ / ratePerSecond) - pace.Elapsed;
                        if (due > TimeSpan.FromMilliseconds(1)) await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                    }
                    running.RemoveAll(t => t.IsCompleted);
                    running.Add(RunOneAsync(transport, options, input, sink, cancellationToken, work, gate));
                }
                await Task.WhenAll(running).ConfigureAwait(false);
            }
        }

        private static async Task RunOneAsync(SnmpTransport transport, SnmpQueryOptions options, string input, IEngineSink sink, CancellationToken cancellationToken, Func<SnmpSession, Task> work, SemaphoreSlim gate)
        {
            try
            {
                await Task.Yield();
                var endpoint = SnmpEndpoint.Parse(input);
                var address = await ResolveAsync(endpoint, cancellationToken).ConfigureAwait(false);
                var session = new SnmpSession(transport, new IPEndPoint(address, endpoint.Port), endpoint.Input, options.Credential, options.Settings);
                await work(session).ConfigureAwait(false);
            }
            catch (SnmpFailure f)
            {
                sink.Error(f.Error);
            }
            catch (TssrException e)
            {
                sink.Error(e.Error);
            }
            finally
            {
                gate.Release();
            }
        }

        internal static async Task<IPAddress> ResolveAsync(SnmpEndpoint endpoint, CancellationToken cancellationToken)
        {
            if (IPAddress.TryParse(endpoint.Host, out var literal)) return literal;
            var target = new Network.Targets.TargetSpec(endpoint.Input, null, endpoint.Host);
            var addresses = await Network.Targets.HostResolver.ResolveAsync(target, cancellationToken).ConfigureAwait(false);
            return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
        }

        public static SnmpValueResult Result(SnmpSession session, SnmpVarbind varbind)
            => new SnmpValueResult(session.Target, session.Endpoint.Address.ToString(), session.Endpoint.Port, session.Credential, varbind);
    }

    /// <summary>Get-TssrSnmpValue: GET (or GETNEXT) of the same OIDs on every agent.</summary>
    public sealed class SnmpGetEngine : IEngine<SnmpGetOptions, string>
    {
        public Task RunAsync(SnmpGetOptions options, IEnumerable<string> inputs, IEngineSink sink, CancellationToken cancellationToken)
            => SnmpAgents.RunAsync(options, inputs, sink, cancellationToken, async session =>
            {
                var varbinds = await session.GetAsync(options.Oids, cancellationToken, options.Next ? SnmpPduType.GetNext : SnmpPduType.Get).ConfigureAwait(false);
                foreach (var vb in varbinds) sink.Output(SnmpAgents.Result(session, vb));
            });
    }

    /// <summary>Invoke-TssrSnmpWalk: every value under each root, streamed, with progress per agent.</summary>
    public sealed class SnmpWalkEngine : IEngine<SnmpWalkOptions, string>
    {
        private int _activity;

        public Task RunAsync(SnmpWalkOptions options, IEnumerable<string> inputs, IEngineSink sink, CancellationToken cancellationToken)
            => SnmpAgents.RunAsync(options, inputs, sink, cancellationToken, async session =>
            {
                var activityId = Interlocked.Increment(ref _activity);
                var activity = SnmpText.Strings.Format("Progress_Walk", session.Target);
                foreach (var root in options.Roots)
                {
                    var count = 0;
                    await session.WalkAsync(root, options.UseGetNext, vb =>
                    {
                        sink.Output(SnmpAgents.Result(session, vb));
                        if (++count % 500 == 0) sink.Progress(new ProgressReport(activity, SnmpText.Strings.Format("Progress_WalkStatus", root, count), -1, false, activityId));
                    }, cancellationToken).ConfigureAwait(false);
                    sink.Verbose(SnmpText.Strings.Format("Verbose_WalkDone", session.Target, root, count));
                }
                sink.Progress(new ProgressReport(activity, activity, 100, true, activityId));
            });
    }

    /// <summary>Set-TssrSnmpValue: one SET of all the values per agent, after ShouldProcess.</summary>
    public sealed class SnmpSetEngine : IEngine<SnmpSetOptions, string>
    {
        public Task RunAsync(SnmpSetOptions options, IEnumerable<string> inputs, IEngineSink sink, CancellationToken cancellationToken)
            => SnmpAgents.RunAsync(options, inputs, sink, cancellationToken, async session =>
            {
                var what = string.Join(", ", options.Values.Select(v => (SnmpNames.NameOf(v.Oid) ?? v.Oid.ToString()) + " = " + v.Value.ToText()));
                if (!sink.ShouldProcess(session.Target, SnmpText.Strings.Format("ShouldProcess_Set", what))) return;
                var varbinds = await session.SetAsync(options.Values, cancellationToken).ConfigureAwait(false);
                sink.Verbose(SnmpText.Strings.Format("Verbose_SetDone", session.Target, what));
                if (options.PassThru)
                    foreach (var vb in varbinds) sink.Output(SnmpAgents.Result(session, vb));
            });
    }
}
