using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Targets;

namespace Tssr.Tools.Engine.Network.Icmp
{
    /// <summary>
    /// Tests which hosts answer ICMP echo, fping-style: every target of every input (addresses,
    /// names, ranges, CIDR blocks without their network and broadcast addresses, as fping -g) on one
    /// socket per address family, paced, with a timeout per attempt and retries. Results stream as
    /// each host is decided: Up when its reply arrives, Unreachable when an ICMP error names it, Down
    /// after its last timeout.
    /// </summary>
    public sealed class HostSweeper : IEngine<HostSweepOptions, string>
    {
        private static readonly Localizer Text = HostSweepOptions.Text;

        /// <summary>The engine contract; see <see cref="SweepAsync"/>.</summary>
        public Task RunAsync(HostSweepOptions options, IEnumerable<string> inputs, IEngineSink sink, CancellationToken cancellationToken)
            => SweepAsync(inputs, options, sink, cancellationToken);

        /// <summary>
        /// Runs the sweep. Bad input (a malformed target, an option out of range, ICMP not permitted)
        /// throws a <see cref="TssrException"/> before anything is sent; a host name that does not
        /// resolve is reported through <paramref name="sink"/> and the sweep goes on.
        /// </summary>
        public async Task SweepAsync(IEnumerable<string> inputs, HostSweepOptions options, IEngineSink sink, CancellationToken cancellationToken)
        {
            options.Validate();
            var list = (inputs ?? Enumerable.Empty<string>()).ToList();
            long total = 0;
            foreach (var input in list)
                total += TargetParser.Count(input, options.IncludeNetworkAndBroadcast, options.MaximumTargetsPerInput);
            if (total == 0) return;

            var mode = EffectiveMode(options.Mode);
            var targets = list.SelectMany(input => TargetParser.Expand(input, options.IncludeNetworkAndBroadcast, options.MaximumTargetsPerInput));
            if (mode == IcmpMode.SystemPing)
            {
                sink.Verbose(Text.Get("Verbose_SystemPing"));
                await new SystemPingSweep(options, total, sink, cancellationToken).RunAsync(targets).ConfigureAwait(false);
                return;
            }

            var effective = new HostSweepOptions
            {
                Mode = mode,
                IntervalMs = options.IntervalMs,
                TimeoutMs = options.TimeoutMs,
                Retry = options.Retry,
                Count = options.Count,
                PeriodMs = options.PeriodMs,
                BufferSize = options.BufferSize,
                TimeToLive = options.TimeToLive,
                ThrottleLimit = options.ThrottleLimit,
                PreferredFamily = options.PreferredFamily,
                MaximumTargetsPerInput = options.MaximumTargetsPerInput,
                IncludeNetworkAndBroadcast = options.IncludeNetworkAndBroadcast,
            };
            var sweep = new SocketSweep(effective, total, sink, cancellationToken);
            sweep.OpenFirstSocket();
            await sweep.RunAsync(targets).ConfigureAwait(false);
        }

        /// <summary>
        /// Auto is the system Ping API on Windows (raw ICMP sockets there need an administrator and
        /// cannot be trusted to see replies), and raw-else-datagram sockets elsewhere.
        /// </summary>
        internal static IcmpMode EffectiveMode(IcmpMode requested)
        {
            if (!IcmpSocketFactory.IsWindows) return requested;
            if (requested == IcmpMode.Auto || requested == IcmpMode.SystemPing) return IcmpMode.SystemPing;
            throw new TssrException("IcmpModeNotSupported", TssrErrorCategory.NotImplemented, requested.ToString(),
                Text.Format("Mode_NotSupportedWindows", requested), Text.Get("Mode_NotSupportedWindowsAction"));
        }

        /// <summary>The address to test among those a name resolves to, in the preferred family.</summary>
        internal static IPAddress? Choose(IPAddress[] addresses, AddressFamily preferred)
        {
            if (preferred == AddressFamily.Unspecified) return addresses.FirstOrDefault();
            return addresses.FirstOrDefault(a => a.AddressFamily == preferred
                || (preferred == AddressFamily.InterNetwork && a.IsIPv4MappedToIPv6));
        }

        internal static TssrError NoAddressInFamily(string name, IPAddress[] addresses, AddressFamily preferred)
            => new TssrError("HostNoAddressInFamily", TssrErrorCategory.ObjectNotFound, name,
                Text.Format("Resolve_NoAddressInFamily", name, IcmpSocketFactory.FamilyName(preferred), string.Join(", ", addresses.Select(a => a.ToString()))),
                Text.Get("Resolve_NoAddressInFamilyAction"));
    }
}
