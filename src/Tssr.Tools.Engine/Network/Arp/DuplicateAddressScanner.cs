using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Targets;

namespace Tssr.Tools.Engine.Network.Arp
{
    /// <summary>
    /// Finds IP addresses claimed by more than one machine on the local segment, the way RFC 5227
    /// and arping -D do: ask for each address on the wire and collect every answer within a window.
    /// The OS neighbour table cannot do this (it keeps one MAC per address), so the scanner sends
    /// and reads packets itself: ARP through a Linux packet socket, NDP through a raw ICMPv6 socket.
    /// Results stream as each address's window closes; memory stays flat however large the input.
    /// </summary>
    public sealed class DuplicateAddressScanner : IEngine<DuplicateAddressOptions, string>
    {
        internal static readonly Localizer Text = NetworkText.Arp;
        private static readonly TimeSpan NeighbourTableMaximumAge = TimeSpan.FromMilliseconds(500);

        /// <summary>
        /// The engine contract: every input of <paramref name="targets"/> (added to the options' own)
        /// goes into one run, so the answer windows overlap instead of adding up. All inputs are read
        /// and checked before anything goes on the wire.
        /// </summary>
        public Task RunAsync(DuplicateAddressOptions options, IEnumerable<string> targets, IEngineSink sink, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            return FindAsync(options.WithTargets(options.Targets.Concat(targets ?? Enumerable.Empty<string>()).ToArray()), sink, cancellationToken);
        }

        /// <summary>Finds the duplicates among <see cref="DuplicateAddressOptions.Targets"/>.</summary>
        public async Task FindAsync(DuplicateAddressOptions options, IEngineSink sink, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var total = CountTargets(options);
            var platform = PlatformError(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), RuntimeInformation.OSDescription);
            if (platform != null) throw new TssrException(platform);

            var interfaces = LinkInterface.Discover();
            var chosen = options.InterfaceName == null ? null : ChooseInterface(options.InterfaceName, interfaces);
            var permission = LinuxPacketSocket.ProbePermission();
            if (permission != 0) throw new TssrException(NotPermitted(chosen?.Name ?? string.Join(", ", interfaces.Where(i => !i.IsLoopback).Select(i => i.Name)), permission));

            var run = new ProbeRun(options, interfaces, chosen, total, sink, cancellationToken);
            await run.ExecuteAsync().ConfigureAwait(false);
        }

        /// <summary>Validates every input before anything goes on the wire; returns how many addresses they hold.</summary>
        internal static long CountTargets(DuplicateAddressOptions options)
        {
            if (options.Targets.Count == 0)
                throw new TssrException("TargetEmpty", TssrErrorCategory.InvalidArgument, string.Empty, Text.Get("Target_None"), Text.Get("Target_NoneAction"));
            if (options.Count < 1 || options.Rate < 1 || options.Timeout <= TimeSpan.Zero || options.RetryInterval < TimeSpan.Zero || options.MaximumPending < 1)
                throw new ArgumentOutOfRangeException(nameof(options));
            long total = 0;
            foreach (var input in options.Targets)
                total += TargetParser.Count(input, includeNetworkAndBroadcast: false, maximum: options.MaximumExpansion);
            return total;
        }

        /// <summary>Null on Linux; elsewhere the DuplicateAddressNotSupported error, saying what to do instead.</summary>
        internal static TssrError? PlatformError(bool isLinux, string osDescription)
            => isLinux ? null : new TssrError("DuplicateAddressNotSupported", TssrErrorCategory.NotImplemented, osDescription,
                Text.Format("NotSupported_Message", osDescription), Text.Get("NotSupported_Action"));

        internal static TssrError NotPermitted(string interfaceName, int errno)
            => new TssrError("PacketSocketNotPermitted", TssrErrorCategory.PermissionDenied, interfaceName,
                Text.Format("NotPermitted_Message", interfaceName, new System.ComponentModel.Win32Exception(errno).Message),
                Text.Get("NotPermitted_Action"));

        /// <summary>The interface named by the user, checked: it exists, is up and has an Ethernet address.</summary>
        internal static LinkInterface ChooseInterface(string name, IReadOnlyList<LinkInterface> interfaces)
        {
            var found = interfaces.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal))
                ?? interfaces.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase));
            if (found == null)
                throw new TssrException("InterfaceNotFound", TssrErrorCategory.ObjectNotFound, name,
                    Text.Format("Interface_NotFound", name, string.Join(", ", interfaces.Select(i => i.Name))), Text.Get("Interface_NotFoundAction"));
            if (!found.HasEthernetAddress)
                throw new TssrException("InterfaceNoLinkLayerAddress", TssrErrorCategory.InvalidArgument, found.Name,
                    Text.Format("Interface_NoMac", found.Name), Text.Get("Interface_NoMacAction"));
            if (!found.IsUp)
                throw new TssrException("InterfaceDown", TssrErrorCategory.ResourceUnavailable, found.Name,
                    Text.Format("Interface_Down", found.Name), Text.Format("Interface_DownAction", found.Name));
            return found;
        }

        /// <summary>One run of the command: the send schedule, the sessions it opened, the counts.</summary>
        private sealed class ProbeRun
        {
            private readonly DuplicateAddressOptions _options;
            private readonly IReadOnlyList<LinkInterface> _interfaces;
            private readonly LinkInterface? _chosen;
            private readonly long _total;
            private readonly IEngineSink _sink;
            private readonly CancellationToken _cancellation;
            private readonly Dictionary<string, ProbeSession> _sessions = new Dictionary<string, ProbeSession>(StringComparer.Ordinal);
            private readonly HashSet<string> _reported = new HashSet<string>(StringComparer.Ordinal);
            private readonly Queue<KeyValuePair<ProbeTarget, long>> _resend = new Queue<KeyValuePair<ProbeTarget, long>>();
            private readonly Queue<KeyValuePair<ProbeTarget, long>> _finish = new Queue<KeyValuePair<ProbeTarget, long>>();
            private readonly Stopwatch _clock = Stopwatch.StartNew();
            private readonly double _burst;
            private double _tokens;
            private long _lastRefill;
            private int _pending;
            private long _done;
            private long _answered;
            private long _duplicates;
            private IDictionary<string, string>? _neighboursV4;
            private IDictionary<string, string>? _neighboursV6;
            private long _neighboursV4At = long.MinValue;
            private long _neighboursV6At = long.MinValue;

            public ProbeRun(DuplicateAddressOptions options, IReadOnlyList<LinkInterface> interfaces, LinkInterface? chosen, long total, IEngineSink sink, CancellationToken cancellation)
            {
                _options = options;
                _interfaces = interfaces;
                _chosen = chosen;
                _total = total;
                _sink = sink;
                _cancellation = cancellation;
                _burst = Math.Max(1, options.Rate / 50.0);
                _tokens = _burst;
            }

            private long Now => _clock.ElapsedMilliseconds;

            public async Task ExecuteAsync()
            {
                var targets = Targets().GetEnumerator();
                var exhausted = false;
                try
                {
                    while (true)
                    {
                        _cancellation.ThrowIfCancellationRequested();
                        await FinishDueAsync().ConfigureAwait(false);
                        Refill();
                        while (_tokens >= 1)
                        {
                            if (_resend.Count > 0 && _resend.Peek().Value <= Now)
                            {
                                SendOne(_resend.Dequeue().Key);
                                continue;
                            }
                            if (exhausted || _pending >= _options.MaximumPending) break;
                            var next = await NextTargetAsync(targets).ConfigureAwait(false);
                            if (next == null)
                            {
                                exhausted = true;
                                break;
                            }
                            SendOne(next);
                        }
                        if (exhausted && _pending == 0) break;
                        await Task.Delay(NextWait(exhausted), _cancellation).ConfigureAwait(false);
                    }
                }
                finally
                {
                    targets.Dispose();
                    foreach (var session in _sessions.Values)
                        await session.StopAsync().ConfigureAwait(false);
                }

                _sink.Progress(new ProgressReport(Text.Get("Progress_Activity"), string.Empty, 100, completed: true));
                _sink.Verbose(Text.Format("Verbose_Summary", _done, _answered, _duplicates));
                if (_done > 0 && _answered == 0)
                    _sink.Warning(Text.Format("Warning_NothingAnswered", _done));
            }

            private IEnumerable<KeyValuePair<string, TargetSpec>> Targets()
            {
                foreach (var input in _options.Targets)
                    foreach (var target in TargetParser.Expand(input, includeNetworkAndBroadcast: false, maximum: _options.MaximumExpansion))
                        yield return new KeyValuePair<string, TargetSpec>(input, target);
            }

            /// <summary>The next address to probe, routed to its session; null when the input is spent.</summary>
            private async Task<ProbeTarget?> NextTargetAsync(IEnumerator<KeyValuePair<string, TargetSpec>> targets)
            {
                while (targets.MoveNext())
                {
                    var input = targets.Current.Key;
                    var spec = targets.Current.Value;
                    IPAddress[] addresses;
                    try
                    {
                        addresses = await HostResolver.ResolveAsync(spec, _cancellation).ConfigureAwait(false);
                    }
                    catch (TssrException e)
                    {
                        _sink.Error(e.Error);
                        _done++;
                        continue;
                    }
                    // A name may stand for several addresses; each one is probed in turn.
                    ProbeTarget? first = null;
                    foreach (var address in addresses)
                    {
                        var target = Admit(input, address);
                        if (target == null) continue;
                        if (first == null) first = target;
                        else SendOne(target);
                    }
                    if (first != null) return first;
                    _done++;
                }
                return null;
            }

            /// <summary>Checks one address, picks its interface and session; null (with an error said once per input) when it cannot be probed.</summary>
            private ProbeTarget? Admit(string input, IPAddress address)
            {
                if (!IsProbeable(address))
                {
                    ReportOnce("TargetNotUnicast", input, TssrErrorCategory.InvalidArgument, address.ToString(),
                        Text.Format("Target_NotUnicast", address), Text.Get("Target_NotUnicastAction"));
                    return null;
                }
                var linkInterface = _chosen ?? Route(input, address);
                if (linkInterface == null) return null;
                var session = SessionFor(linkInterface, address.AddressFamily);
                if (session == null) return null;
                var unscoped = address.AddressFamily == AddressFamily.InterNetworkV6 ? new IPAddress(address.GetAddressBytes()) : address;
                var local = linkInterface.Holds(unscoped);
                var target = new ProbeTarget(unscoped, input, session, local,
                    address.AddressFamily == AddressFamily.InterNetwork && (local || _options.ArpProbe));
                if (!session.TryAdd(target)) return null;
                _pending++;
                return target;
            }

            private static bool IsProbeable(IPAddress address)
            {
                if (IPAddress.IsLoopback(address)) return false;
                if (address.AddressFamily == AddressFamily.InterNetwork)
                {
                    var b = address.GetAddressBytes();
                    return !(b[0] == 0 || b[0] >= 224);
                }
                return !(address.IsIPv6Multicast || address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any));
            }

            /// <summary>The interface whose subnet holds <paramref name="address"/>; exactly one must.</summary>
            private LinkInterface? Route(string input, IPAddress address)
            {
                var candidates = _interfaces.Where(i => !i.IsLoopback && i.IsUp && i.HasEthernetAddress && i.IsOnLink(address)).ToList();
                if (candidates.Count == 1) return candidates[0];
                if (candidates.Count == 0)
                    ReportOnce("TargetNotOnLink", input, TssrErrorCategory.ObjectNotFound, address.ToString(),
                        Text.Format("Target_NotOnLink", address, input), Text.Get("Target_NotOnLinkAction"));
                else
                    ReportOnce("InterfaceAmbiguous", input, TssrErrorCategory.InvalidArgument, address.ToString(),
                        Text.Format("Target_Ambiguous", address, string.Join(", ", candidates.Select(c => c.Name))), Text.Get("Target_AmbiguousAction"));
                return null;
            }

            private ProbeSession? SessionFor(LinkInterface linkInterface, AddressFamily family)
            {
                var key = linkInterface.Name + "|" + family;
                if (_sessions.TryGetValue(key, out var existing)) return existing;
                ProbeSession session;
                try
                {
                    session = family == AddressFamily.InterNetwork ? (ProbeSession)new ArpSession(linkInterface) : new NdpSession(linkInterface);
                }
                catch (PacketSocketException e) when (e.IsPermissionDenied)
                {
                    throw new TssrException(NotPermitted(linkInterface.Name, e.Errno));
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
                {
                    throw new TssrException(NotPermitted(linkInterface.Name, LinuxPacketSocket.EAcces));
                }
                catch (Exception e) when (e is PacketSocketException || e is SocketException)
                {
                    throw new TssrException("PacketSocketFailed", TssrErrorCategory.ResourceUnavailable, linkInterface.Name,
                        Text.Format("Socket_Failed", linkInterface.Name, e.Message), Text.Format("Socket_FailedAction", linkInterface.Name), e);
                }
                _sessions[key] = session;
                session.Start(OnReceiveFailure);
                _sink.Verbose(Text.Format("Verbose_Session", family == AddressFamily.InterNetwork ? "ARP" : "NDP", linkInterface.Name,
                    LinkAddress.Format(linkInterface.Mac!), string.Join(", ", linkInterface.Addresses)));
                return session;
            }

            private void OnReceiveFailure(ProbeSession session, Exception e)
                => _sink.Error(new TssrError("PacketReceiveFailed", TssrErrorCategory.ReadError, session.Interface.Name,
                    Text.Format("Socket_ReceiveFailed", session.Interface.Name, e.Message), Text.Format("Socket_FailedAction", session.Interface.Name), e));

            private void SendOne(ProbeTarget target)
            {
                _tokens -= 1;
                try
                {
                    target.Session.Send(target);
                }
                catch (Exception e) when (e is PacketSocketException || e is SocketException)
                {
                    _sink.Error(new TssrError("ProbeSendFailed", TssrErrorCategory.WriteError, target.Address.ToString(),
                        Text.Format("Send_Failed", target.Address, target.Session.Interface.Name, e.Message),
                        Text.Format("Socket_FailedAction", target.Session.Interface.Name), e));
                    // Whatever answered already still counts; the window closes as planned.
                }
                target.Sent++;
                if (target.Sent < _options.Count)
                    _resend.Enqueue(new KeyValuePair<ProbeTarget, long>(target, Now + (long)_options.RetryInterval.TotalMilliseconds));
                else
                    _finish.Enqueue(new KeyValuePair<ProbeTarget, long>(target, Now + (long)_options.Timeout.TotalMilliseconds));
            }

            private async Task FinishDueAsync()
            {
                while (_finish.Count > 0 && _finish.Peek().Value <= Now)
                {
                    var target = _finish.Dequeue().Key;
                    target.Session.Remove(target);
                    _pending--;
                    _done++;
                    target.Snapshot(out var macs, out var replies);
                    if (replies > 0) _answered++;
                    var duplicate = macs.Count > 1;
                    if (duplicate) _duplicates++;
                    if (duplicate || (_options.IncludeUnique && macs.Count > 0))
                    {
                        var cached = await CachedMacAsync(target).ConfigureAwait(false);
                        _sink.Output(new DuplicateAddressResult(target.Address.ToString(), macs, target.Session.Interface.Name,
                            target.Session.MethodFor(target), target.IsLocal, replies, cached));
                    }
                    _sink.Progress(new ProgressReport(Text.Get("Progress_Activity"),
                        Text.Format("Progress_Status", target.Address, _done, _total), ProgressReport.Percent(_done, _total)));
                }
            }

            private async Task<string?> CachedMacAsync(ProbeTarget target)
            {
                var key = NeighbourTable.Key(target.Session.Interface.Name, target.Address);
                string? mac;
                if (target.Address.AddressFamily == AddressFamily.InterNetwork)
                {
                    if (_neighboursV4 == null || Now - _neighboursV4At > NeighbourTableMaximumAge.TotalMilliseconds)
                    {
                        _neighboursV4 = NeighbourTable.ReadIPv4();
                        _neighboursV4At = Now;
                    }
                    return _neighboursV4.TryGetValue(key, out mac) ? mac : null;
                }
                if (_neighboursV6 == null || Now - _neighboursV6At > NeighbourTableMaximumAge.TotalMilliseconds)
                {
                    _neighboursV6 = await NeighbourTable.ReadIPv6Async(_cancellation).ConfigureAwait(false);
                    _neighboursV6At = Now;
                }
                return _neighboursV6.TryGetValue(key, out mac) ? mac : null;
            }

            private void Refill()
            {
                var now = Now;
                _tokens = Math.Min(_burst, _tokens + (now - _lastRefill) * _options.Rate / 1000.0);
                _lastRefill = now;
            }

            /// <summary>Milliseconds until something is due: a window closing, a resend, or a send token.</summary>
            private int NextWait(bool exhausted)
            {
                var now = Now;
                var next = now + 100;
                if (_finish.Count > 0) next = Math.Min(next, _finish.Peek().Value);
                if (_resend.Count > 0) next = Math.Min(next, Math.Max(_resend.Peek().Value, now + TokenWait()));
                else if (!exhausted && _pending < _options.MaximumPending) next = Math.Min(next, now + TokenWait());
                return (int)Math.Max(1, next - now);
            }

            private long TokenWait() => _tokens >= 1 ? 0 : (long)Math.Ceiling((1 - _tokens) * 1000.0 / _options.Rate);

            private void ReportOnce(string errorId, string input, TssrErrorCategory category, string target, string message, string action)
            {
                if (_reported.Add(errorId + "|" + input))
                    _sink.Error(new TssrError(errorId, category, target, message, action));
            }
        }
    }
}
