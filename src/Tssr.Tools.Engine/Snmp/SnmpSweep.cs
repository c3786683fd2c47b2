using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Targets;

namespace Tssr.Tools.Engine.Snmp
{
    public sealed class SnmpSweepOptions : SnmpQueryOptions
    {
        public const double DefaultRatePerSecond = 500;

        /// <summary>v1/v2c: the communities tried in order on each address (the first that answers wins).</summary>
        public IReadOnlyList<SnmpCredential> Credentials { get; set; } = Array.Empty<SnmpCredential>();
        public int Port { get; set; } = SnmpEndpoint.DefaultPort;
        /// <summary>New addresses started per second at most (the sweep's pace).</summary>
        public double RatePerSecond { get; set; } = DefaultRatePerSecond;
        /// <summary>Write addresses that did not answer too (Status NoResponse).</summary>
        public bool IncludeNoResponse { get; set; }
        public bool IncludeNetworkAndBroadcast { get; set; }
    }

    public enum SnmpSweepStatus
    {
        /// <summary>The agent answered with its system group.</summary>
        Responding,
        /// <summary>v3: an agent answered but refused the user (unknown user, wrong digest, level…): it exists.</summary>
        Refused,
        NoResponse,
    }

    /// <summary>One address of a sweep.</summary>
    public sealed class SnmpSweepResult
    {
        public string ComputerName { get; internal set; } = string.Empty;
        public string IPAddress { get; internal set; } = string.Empty;
        public int Port { get; internal set; }
        public SnmpSweepStatus Status { get; internal set; }
        public string Version { get; internal set; } = string.Empty;
        /// <summary>Which of the communities given answered (1 for the first); the community itself is never written.</summary>
        public int? CommunityIndex { get; internal set; }
        public string UserName { get; internal set; } = string.Empty;
        public string SystemName { get; internal set; } = string.Empty;
        public string Description { get; internal set; } = string.Empty;
        public string ObjectId { get; internal set; } = string.Empty;
        public decimal? UptimeSec { get; internal set; }
        public double? LatencyMs { get; internal set; }
        /// <summary>Why a v3 agent refused, in words; empty otherwise.</summary>
        public string Detail { get; internal set; } = string.Empty;

        public override string ToString() => IPAddress + " " + Status + (SystemName.Length > 0 ? " " + SystemName : string.Empty);
    }

    /// <summary>
    /// Find-TssrSnmpDevice: every address of the ranges and blocks given, asked for its system group
    /// over one socket, at most RatePerSecond new addresses a second and ThrottleLimit at once,
    /// written as each answers. An unreadable reply is that address's error.
    /// </summary>
    public sealed class SnmpSweepEngine : IEngine<SnmpSweepOptions, string>
    {
        private static readonly Oid[] SystemOids = { Oid.Parse("1.3.6.1.2.1.1.1.0"), Oid.Parse("1.3.6.1.2.1.1.2.0"), Oid.Parse("1.3.6.1.2.1.1.3.0"), Oid.Parse("1.3.6.1.2.1.1.5.0") };

        public static IEnumerable<string> Expand(IEnumerable<string> inputs, bool includeNetworkAndBroadcast)
        {
            foreach (var input in inputs)
                foreach (var target in TargetParser.Expand(input, includeNetworkAndBroadcast))
                    yield return target.DisplayName;
        }

        public async Task RunAsync(SnmpSweepOptions options, IEnumerable<string> inputs, IEngineSink sink, CancellationToken cancellationToken)
        {
            var credentials = options.Credentials.Count > 0 ? options.Credentials : new[] { options.Credential };
            // Silence is the common answer of a sweep: no refusal probe after each timeout (it would double the time of every silent address).
            var settings = options.Settings;
            options.Settings = new SnmpRequestSettings { Timeout = settings.Timeout, Retry = settings.Retry, MaxRepetitions = settings.MaxRepetitions, ProbeRefusal = false };
            var addresses = Expand(inputs, options.IncludeNetworkAndBroadcast).Select(a => a.IndexOf(':') >= 0 ? "[" + a + "]:" + options.Port : a + ":" + options.Port);
            var done = 0;
            var found = 0;
            var activity = SnmpText.Strings.Get("Progress_Sweep");
            await SnmpAgents.RunAsync(options, addresses, sink, cancellationToken, async session =>
            {
                var result = new SnmpSweepResult
                {
                    ComputerName = session.Endpoint.Address.ToString(),
                    IPAddress = session.Endpoint.Address.ToString(),
                    Port = session.Endpoint.Port,
                    Status = SnmpSweepStatus.NoResponse,
                };
                try
                {
                    for (var i = 0; i < credentials.Count; i++)
                    {
                        var attempt = i == 0 ? session : session.With(credentials[i]);
                        var watch = Stopwatch.StartNew();
                        try
                        {
                            var values = await attempt.GetAsync(SystemOids, cancellationToken).ConfigureAwait(false);
                            result.Status = SnmpSweepStatus.Responding;
                            result.LatencyMs = Math.Round(watch.Elapsed.TotalMilliseconds, 2);
                            result.Version = credentials[i].VersionText;
                            if (credentials[i].Version == SnmpVersion.V3) result.UserName = credentials[i].UserName;
                            else result.CommunityIndex = i + 1;
                            result.Description = values[0].Value.Type == SnmpType.OctetString ? values[0].Value.ToText() : string.Empty;
                            result.ObjectId = values[1].Value.Type == SnmpType.ObjectIdentifier ? values[1].Value.ToText() : string.Empty;
                            result.UptimeSec = values[2].Value.Type == SnmpType.TimeTicks ? (decimal)values[2].Value.Number / 100m : (decimal?)null;
                            result.SystemName = values[3].Value.Type == SnmpType.OctetString ? values[3].Value.ToText() : string.Empty;
                            break;
                        }
                        catch (SnmpFailure f) when (f.Error.ErrorId == "SnmpTimeout")
                        {
                        }
                        catch (SnmpFailure f) when (credentials[i].Version == SnmpVersion.V3 && f.Error.Category == TssrErrorCategory.AuthenticationError)
                        {
                            result.Status = SnmpSweepStatus.Refused;
                            result.LatencyMs = Math.Round(watch.Elapsed.TotalMilliseconds, 2);
                            result.Version = "3";
                            result.UserName = credentials[i].UserName;
                            result.Detail = f.Error.Message;
                            break;
                        }
                    }
                }
                finally
                {
                    var n = Interlocked.Increment(ref done);
                    if (n % 64 == 0) sink.Progress(new ProgressReport(activity, SnmpText.Strings.Format("Progress_SweepStatus", n, Volatile.Read(ref found)), -1));
                }
                if (result.Status != SnmpSweepStatus.NoResponse) Interlocked.Increment(ref found);
                if (result.Status != SnmpSweepStatus.NoResponse || options.IncludeNoResponse) sink.Output(result);
            }, options.RatePerSecond).ConfigureAwait(false);
            sink.Progress(new ProgressReport(activity, activity, 100, true));
        }
    }
}
