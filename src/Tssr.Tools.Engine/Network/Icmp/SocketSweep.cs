using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Targets;

namespace Tssr.Tools.Engine.Network.Icmp
{
    /// <summary>
    /// The fping-class sweep: one ICMP socket per address family for every target. One paced engine
    /// thread sends the echo requests (new hosts, retries after a timeout, next samples with -Count),
    /// expires the attempts, and matches what came back to the attempt it answers, by sequence
    /// number, address, identifier (raw sockets) and a per-run cookie in the payload; one receive
    /// thread per socket only reads and time-stamps. A host is reported the moment it is decided.
    /// </summary>
    internal sealed class SocketSweep
    {
        private const int SlotCount = 65536;
        private const int ResolveLimit = 16;
        /// <summary>How long a receive thread blocks before it looks whether the sweep is over.</summary>
        private const int ReceivePollMs = 100;
        /// <summary>How long the first send waits for the warm-up echo at most.</summary>
        private const int WarmUpMs = 200;
        private const int CookieLength = 8;
        /// <summary>When the sender wakes late, it catches up with at most this many requests back to back.</summary>
        internal const int MaximumBurst = 8;

        private readonly HostSweepOptions _options;
        private readonly IEngineSink _sink;
        private readonly CancellationToken _cancellation;
        private readonly long _total;
        private readonly object _gate = new object();
        private readonly Slot[] _slots = new Slot[SlotCount];
        private readonly Queue<InFlight> _inFlight = new Queue<InFlight>();
        private readonly Queue<Due> _due = new Queue<Due>();
        private readonly ConcurrentQueue<Resolved> _resolved = new ConcurrentQueue<Resolved>();
        private readonly ConcurrentQueue<Arrival> _arrivals = new ConcurrentQueue<Arrival>();
        private readonly List<Task> _resolutions = new List<Task>();
        // No spinning: the sender waits about a millisecond at a time and must leave the CPU to the
        // receive loops while it does.
        private readonly ManualResetEventSlim _wake = new ManualResetEventSlim(false, 0);
        private readonly byte[] _cookie = new byte[CookieLength];
        private readonly long _timeoutTicks;
        private readonly long _periodTicks;
        private readonly ushort _identifier;
        private readonly string _activity;

        private Family? _v4;
        private Family? _v6;
        private ushort _nextSequence;
        private int _active;
        private int _resolving;
        private bool _sourceDone;
        private volatile bool _closing;
        private TargetSpec? _heldSpec;
        private long _decided, _up, _down, _unreachable;
        private long _lastProgress;

        public SocketSweep(HostSweepOptions options, long total, IEngineSink sink, CancellationToken cancellation)
        {
            _options = options;
            _total = total;
            _sink = sink;
            _cancellation = cancellation;
            _timeoutTicks = MillisecondsToTicks(options.TimeoutMs);
            _periodTicks = MillisecondsToTicks(options.PeriodMs);
            var random = new byte[2];
            using (var rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(_cookie);
                rng.GetBytes(random);
            }
            _identifier = (ushort)((random[0] << 8) | random[1]);
            _nextSequence = (ushort)(random[0] ^ (random[1] << 8));
            _activity = HostSweepOptions.Text.Get("Progress_Activity");
        }

        /// <summary>Opens the IPv4 socket now, so that a permission problem stops the command before any work.</summary>
        public void OpenFirstSocket()
        {
            _v4 = OpenFamily(AddressFamily.InterNetwork, throwOnPermission: true);
        }

        public async Task RunAsync(IEnumerable<TargetSpec> targets)
        {
            using (var source = targets.GetEnumerator())
            {
                try
                {
                    // A dedicated thread, because pacing at 1 ms needs waits of about 1 ms: timer-queue
                    // delays on the thread pool are coarser and drift under load.
                    await Task.Factory.StartNew(() => SendLoop(source), _cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default)
                        .ConfigureAwait(false);
                }
                finally
                {
                    await CloseAsync().ConfigureAwait(false);
                }
            }
            _sink.Progress(new ProgressReport(_activity, Status(), 100, completed: true));
        }

        private async Task CloseAsync()
        {
            _closing = true;
            var loops = new List<Task>();
            foreach (var family in new[] { _v4, _v6 })
            {
                if (family?.Socket == null) continue;
                family.Socket.Dispose();
                if (family.ReceiveLoop != null) loops.Add(family.ReceiveLoop);
            }
            Task[] pending;
            lock (_resolutions) pending = _resolutions.ToArray();
            loops.AddRange(pending);
            try
            {
                await Task.WhenAll(loops).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException || e is ObjectDisposedException || e is SocketException)
            {
                // Loops end by their socket closing; resolutions end on cancellation.
            }
        }

        // ---- the sender thread ------------------------------------------------------------------

        private void SendLoop(IEnumerator<TargetSpec> source)
        {
            var interval = MillisecondsToTicks(_options.IntervalMs);
            var nextSendAt = Stopwatch.GetTimestamp();
            var decided = new List<HostProbeResult>();
            while (true)
            {
                _cancellation.ThrowIfCancellationRequested();
                // Reset before looking at the state: a signal that comes after this is not lost.
                _wake.Reset();
                HandleArrivals(decided);
                var now = Stopwatch.GetTimestamp();
                lock (_gate) ExpireLocked(now, decided);
                Emit(decided);
                if (IsFinished()) return;

                long wakeAt;
                if (now >= nextSendAt)
                {
                    var probe = TakeSendable(now, source);
                    if (probe != null)
                    {
                        Send(probe, now, decided);
                        Emit(decided);
                        // The pace is an average: a late wake-up is made up for, in bursts of at most MaximumBurst.
                        nextSendAt = interval == 0 ? now : Math.Max(nextSendAt + interval, now - (MaximumBurst - 1) * interval);
                        continue;
                    }
                    // The source may have just run out after the last host was decided: done now,
                    // not after a wait for a timeout of a request already answered (up to 100 ms).
                    if (IsFinished()) return;
                    wakeAt = NextEvent(now);
                }
                else
                {
                    wakeAt = Math.Min(nextSendAt, NextEvent(now));
                }
                Wait(wakeAt, Stopwatch.GetTimestamp());
            }
        }

        private void Wait(long wakeAt, long now)
        {
            int milliseconds;
            if (wakeAt == long.MaxValue) milliseconds = 100;
            else
            {
                var ticks = wakeAt - now;
                if (ticks <= 0) return;
                milliseconds = (int)Math.Min(100, Math.Ceiling(ticks * 1000.0 / Stopwatch.Frequency));
            }
            _wake.Wait(milliseconds, _cancellation);
        }

        private void Signal() => _wake.Set();

        /// <summary>
        /// The next timeout, or the next sample coming due. A request already due waits for the pace
        /// or for room in the window, which the caller and the timeouts account for: counting it
        /// here would spin the sender.
        /// </summary>
        private long NextEvent(long now)
        {
            lock (_gate)
            {
                var next = long.MaxValue;
                if (_inFlight.Count > 0) next = _inFlight.Peek().SentTicks + _timeoutTicks;
                if (_due.Count > 0 && _due.Peek().DueTicks > now) next = Math.Min(next, _due.Peek().DueTicks);
                return next;
            }
        }

        private bool IsFinished()
            => _sourceDone && _heldSpec == null && Volatile.Read(ref _resolving) == 0 && _resolved.IsEmpty && Volatile.Read(ref _active) == 0;

        /// <summary>
        /// A new host when the throttle allows, else a retry or next sample that is due. New hosts
        /// go first, as in fping (they were all due at the start): otherwise retries, which come due
        /// at the very pace of sending, would hold the last hosts back by a whole timeout.
        /// </summary>
        private Probe? TakeSendable(long now, IEnumerator<TargetSpec> source)
        {
            bool mayStart;
            lock (_gate)
            {
                // The slot of the next sequence number was used 65,536 requests ago; while it still
                // waits for its reply, the window is full.
                if (_slots[_nextSequence].Live) return null;
                mayStart = _active < _options.ThrottleLimit;
            }
            if (mayStart)
            {
                var fresh = NextNewProbe(source);
                if (fresh != null) return fresh;
            }
            lock (_gate)
            {
                while (_due.Count > 0 && _due.Peek().DueTicks <= now)
                {
                    var due = _due.Dequeue();
                    if (!due.Probe.Decided) return due.Probe;
                }
            }
            return null;
        }

        private Probe? NextNewProbe(IEnumerator<TargetSpec> source)
        {
            while (true)
            {
                if (_resolved.TryDequeue(out var resolved))
                {
                    var fromName = Activate(resolved.Name, resolved.Address);
                    if (fromName != null) return fromName;
                    continue;
                }
                if (_heldSpec == null)
                {
                    if (_sourceDone) return null;
                    if (!source.MoveNext())
                    {
                        _sourceDone = true;
                        return null;
                    }
                    _heldSpec = source.Current;
                }
                var spec = _heldSpec;
                if (spec.Address != null)
                {
                    _heldSpec = null;
                    var probe = Activate(spec.DisplayName, spec.Address);
                    if (probe != null) return probe;
                    continue;
                }
                if (Volatile.Read(ref _resolving) >= ResolveLimit) return null;
                _heldSpec = null;
                Interlocked.Increment(ref _resolving);
                var task = ResolveAsync(spec);
                lock (_resolutions)
                {
                    _resolutions.RemoveAll(t => t.IsCompleted);
                    _resolutions.Add(task);
                }
            }
        }

        private async Task ResolveAsync(TargetSpec spec)
        {
            try
            {
                var addresses = await HostResolver.ResolveAsync(spec, _cancellation).ConfigureAwait(false);
                var chosen = HostSweeper.Choose(addresses, _options.PreferredFamily);
                if (chosen == null)
                {
                    ReportFailure(HostSweeper.NoAddressInFamily(spec.DisplayName, addresses, _options.PreferredFamily));
                    return;
                }
                _resolved.Enqueue(new Resolved(spec.DisplayName, chosen));
            }
            catch (TssrException e)
            {
                ReportFailure(e.Error);
            }
            catch (OperationCanceledException)
            {
                // The sweep is stopping.
            }
            finally
            {
                Interlocked.Decrement(ref _resolving);
                Signal();
            }
        }

        private void ReportFailure(TssrError error)
        {
            if (_cancellation.IsCancellationRequested) return;
            _sink.Error(error);
            lock (_gate) _decided++;
            ReportProgress();
        }

        private Probe? Activate(string name, IPAddress address)
        {
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            var family = address.AddressFamily == AddressFamily.InterNetworkV6 ? (_v6 ??= OpenFamily(AddressFamily.InterNetworkV6, false)) : (_v4 ??= OpenFamily(AddressFamily.InterNetwork, false));
            if (family.Failure != null)
            {
                ReportFailure(new TssrError(family.Failure.ErrorId, family.Failure.Category, name, family.Failure.Message, family.Failure.RecommendedAction, family.Failure.Exception));
                return null;
            }
            Interlocked.Increment(ref _active);
            return new Probe(name, address, family);
        }

        private Family OpenFamily(AddressFamily addressFamily, bool throwOnPermission)
        {
            Socket socket;
            IcmpMode mode;
            try
            {
                socket = IcmpSocketFactory.Open(addressFamily, _v4?.Socket != null ? _v4.Mode : _options.Mode, out mode);
            }
            catch (TssrException e) when (!throwOnPermission || e.Error.ErrorId == "IcmpFamilyUnavailable")
            {
                return new Family(addressFamily, e.Error);
            }

            if (_options.TimeToLive.HasValue)
            {
                try
                {
                    socket.Ttl = (short)_options.TimeToLive.Value;
                }
                catch (SocketException e)
                {
                    _sink.Warning(HostSweepOptions.Text.Format("Ttl_NotSet", _options.TimeToLive.Value, e.Message));
                }
            }

            var ipv6 = addressFamily == AddressFamily.InterNetworkV6;
            var payload = new byte[_options.BufferSize];
            Array.Copy(_cookie, payload, Math.Min(CookieLength, payload.Length));
            var request = new byte[IcmpPacket.EchoRequestLength(payload.Length)];
            IcmpPacket.WriteEchoRequest(request, ipv6, _identifier, 0, payload);
            // IPv4 raw sockets hand over the IP header; Linux datagram sockets do not, macOS ones do.
            var header = ipv6 ? IpHeaderPresence.Absent : (mode == IcmpMode.Raw ? IpHeaderPresence.Present : IpHeaderPresence.Detect);
            var family = new Family(addressFamily, socket, mode, request, header);
            // Compiles the parser before the first reply needs it.
            IcmpPacket.TryParse(request, ipv6, IpHeaderPresence.Absent, out _);
            _sink.Verbose(HostSweepOptions.Text.Format(mode == IcmpMode.Raw ? "Verbose_Raw" : "Verbose_Datagram",
                IcmpSocketFactory.FamilyName(addressFamily), IcmpSocketFactory.PingGroupRange()));
            family.ReceiveLoop = Task.Factory.StartNew(() => ReceiveLoop(family), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            WarmUp(family);
            return family;
        }

        /// <summary>
        /// One echo request to this machine's own loopback address, before any target: it compiles
        /// the send and receive paths, so that the first hosts' round trips are not measured through
        /// the JIT. Its reply matches no request and is dropped; the traffic never leaves the machine.
        /// </summary>
        private void WarmUp(Family family)
        {
            var ipv6 = family.AddressFamily == AddressFamily.InterNetworkV6;
            IcmpPacket.SetSequence(family.Request!, ipv6, (ushort)(_nextSequence - 1));
            try
            {
                family.Socket!.SendTo(family.Request!, new IPEndPoint(ipv6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
            }
            catch (SocketException)
            {
                // No loopback here (a namespace without lo): the receive thread stops waiting for it.
            }
        }

        private void Send(Probe probe, long now, List<HostProbeResult> decided)
        {
            var family = probe.Family;
            // The first receive sets up the socket's asynchronous machinery (and compiles it): a reply
            // arriving before that would have its round trip measured late.
            if (!family.Ready.IsSet) family.Ready.Wait(WarmUpMs + ReceivePollMs, _cancellation);
            // The clock of the round trip starts here, after whatever picking the host cost (the first
            // expansion of a block, a new socket).
            now = Stopwatch.GetTimestamp();
            ushort sequence;
            lock (_gate)
            {
                sequence = _nextSequence++;
                _slots[sequence] = new Slot(probe, now, live: true);
                _inFlight.Enqueue(new InFlight(sequence, now));
                if (_options.Count == 1) probe.RememberSequence(sequence, 1 + _options.Retry);
                probe.Sent++;
                probe.Outstanding++;
                if (_options.Count > 1 && probe.Sent < _options.Count)
                    _due.Enqueue(new Due(probe, now + _periodTicks));
            }

            // The request buffer belongs to this thread alone; only its sequence number changes.
            IcmpPacket.SetSequence(family.Request!, family.AddressFamily == AddressFamily.InterNetworkV6, sequence);
            try
            {
                family.Socket!.SendTo(family.Request!, 0, family.Request!.Length, SocketFlags.None, probe.EndPoint);
            }
            catch (ObjectDisposedException)
            {
                _cancellation.ThrowIfCancellationRequested();
                throw;
            }
            catch (SocketException e)
            {
                lock (_gate)
                {
                    if (_slots[sequence].Live && ReferenceEquals(_slots[sequence].Probe, probe))
                    {
                        _slots[sequence] = default;
                        probe.Outstanding--;
                    }
                    if (IsTransient(e.SocketErrorCode))
                    {
                        // The request never left; the attempt counts as lost and the timeout logic
                        // decides what comes next, as for a request lost on the wire.
                        _sink.Verbose(HostSweepOptions.Text.Format("Verbose_SendTransient", probe.Name, e.Message));
                        AfterAttemptLocked(probe, now, decided);
                    }
                    else if (!probe.Decided)
                    {
                        // No route, a local firewall, a broadcast address: the network cannot be asked.
                        probe.Reason = e.SocketErrorCode == SocketError.AccessDenied ? "SendNotPermitted" : e.SocketErrorCode.ToString();
                        DecideLocked(probe, HostStatus.Unreachable, decided);
                    }
                }
            }
        }

        private static bool IsTransient(SocketError error)
            => error == SocketError.NoBufferSpaceAvailable || error == SocketError.WouldBlock || error == SocketError.TryAgain || error == SocketError.Interrupted;

        private void ExpireLocked(long now, List<HostProbeResult> decided)
        {
            while (_inFlight.Count > 0)
            {
                var head = _inFlight.Peek();
                if (head.SentTicks + _timeoutTicks > now) break;
                _inFlight.Dequeue();
                ref var slot = ref _slots[head.Sequence];
                if (!slot.Live || slot.SentTicks != head.SentTicks) continue;
                slot.Live = false; // the probe stays in the slot so that a late reply is recognised
                var probe = slot.Probe!;
                probe.Outstanding--;
                AfterAttemptLocked(probe, now, decided);
            }
        }

        /// <summary>An attempt ended without a reply: retry, wait for the other samples, or decide.</summary>
        private void AfterAttemptLocked(Probe probe, long now, List<HostProbeResult> decided)
        {
            if (probe.Decided) return;
            if (_options.Count > 1)
            {
                if (probe.Sent >= _options.Count && probe.Outstanding == 0)
                    DecideLocked(probe, Verdict(probe), decided);
                return;
            }
            if (probe.Sent < 1 + _options.Retry)
                _due.Enqueue(new Due(probe, now));
            else if (probe.Outstanding == 0)
                DecideLocked(probe, Verdict(probe), decided);
        }

        private static HostStatus Verdict(Probe probe)
            => probe.Received > 0 ? HostStatus.Up : probe.Reason != null ? HostStatus.Unreachable : HostStatus.Down;

        private void DecideLocked(Probe probe, HostStatus status, List<HostProbeResult> decided)
        {
            if (probe.Decided) return;
            probe.Decided = true;
            Interlocked.Decrement(ref _active);
            _decided++;
            if (status == HostStatus.Up) _up++;
            else if (status == HostStatus.Down) _down++;
            else _unreachable++;
            decided.Add(probe.ToResult(status));
            // A decided host's slots would keep it alive until 65,536 later requests reuse them: free
            // them now, so that memory stays flat below that too. A late reply then matches no
            // request and is dropped, as it was when it matched a decided host.
            for (var i = 0; i < probe.SequenceCount; i++)
            {
                ref var slot = ref _slots[probe.Sequences![i]];
                if (ReferenceEquals(slot.Probe, probe)) slot = default;
            }
        }

        private void Emit(List<HostProbeResult> decided)
        {
            if (decided.Count == 0) return;
            foreach (var result in decided) _sink.Output(result);
            decided.Clear();
            ReportProgress();
            Signal();
        }

        private void ReportProgress()
        {
            long done;
            string status;
            lock (_gate)
            {
                // A progress bar redrawn more than ten times a second helps nobody; formatting the
                // status for each of 65,536 hosts would cost more than sending to them.
                var now = Stopwatch.GetTimestamp();
                if (now - _lastProgress < Stopwatch.Frequency / 10) return;
                _lastProgress = now;
                done = _decided;
                status = Status();
            }
            _sink.Progress(new ProgressReport(_activity, status, ProgressReport.Percent(done, _total)));
        }

        private string Status() => HostSweepOptions.Text.Format("Progress_Status", _decided, _total, _up, _down, _unreachable);

        // ---- the receive loops ------------------------------------------------------------------

        /// <summary>
        /// One dedicated thread per socket, blocked in the kernel until a datagram arrives: the round
        /// trip is read when the kernel wakes it, not after a hop through a thread pool that a busy
        /// machine may keep waiting. It ends when the socket closes (within ReceivePollMs).
        /// </summary>
        private void ReceiveLoop(Family family)
        {
            var socket = family.Socket!;
            var buffer = new byte[65536];
            var ipv6 = family.AddressFamily == AddressFamily.InterNetworkV6;
            var any = new IPEndPoint(ipv6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            // Short receives until the warm-up echo comes back (or WarmUpMs passes): the whole path is
            // compiled before any reply can be waiting on it.
            var warmUp = Stopwatch.StartNew();
            socket.ReceiveTimeout = 1;
            while (!_closing)
            {
                int length;
                EndPoint remote = any;
                try
                {
                    length = socket.ReceiveFrom(buffer, 0, buffer.Length, SocketFlags.None, ref remote);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
                {
                    if (warmUp.ElapsedMilliseconds >= WarmUpMs) MarkReady(family);
                    continue;
                }
                catch (SocketException e) when (_closing || e.SocketErrorCode == SocketError.OperationAborted || e.SocketErrorCode == SocketError.Shutdown
                                                || e.SocketErrorCode == SocketError.NotSocket || e.SocketErrorCode == SocketError.Interrupted)
                {
                    return;
                }
                catch (SocketException e)
                {
                    // A raw socket reports some ICMP errors as a pending socket error as well as
                    // delivering the message itself: the message is what counts, so carry on.
                    _sink.Verbose(HostSweepOptions.Text.Format("Verbose_ReceiveError", e.Message));
                    continue;
                }
                var now = Stopwatch.GetTimestamp();
                MarkReady(family);
                var datagram = new byte[length];
                Buffer.BlockCopy(buffer, 0, datagram, 0, length);
                _arrivals.Enqueue(new Arrival(family, datagram, ((IPEndPoint)remote).Address, now));
                Signal();
            }
        }

        /// <summary>
        /// Matches what the receive threads read to the requests, on the sender thread: the receive
        /// threads only stamp and queue, so that the work (and its first compilation) done for one
        /// reply never delays the clock of the next.
        /// </summary>
        private void HandleArrivals(List<HostProbeResult> decided)
        {
            while (_arrivals.TryDequeue(out var arrival))
            {
                var family = arrival.Family;
                var datagram = new ReadOnlySpan<byte>(arrival.Datagram);
                if (!IcmpPacket.TryParse(datagram, family.AddressFamily == AddressFamily.InterNetworkV6, family.Header, out var message))
                    continue;
                lock (_gate)
                {
                    if (message.Kind == IcmpMessageKind.EchoReply) OnReplyLocked(family, message, datagram, arrival.From, arrival.Ticks, decided);
                    else if (message.IsError) OnErrorLocked(family, message, arrival.From, decided);
                }
            }
            Emit(decided);
        }

        private static void MarkReady(Family family)
        {
            if (family.Ready.IsSet) return;
            try
            {
                family.Socket!.ReceiveTimeout = ReceivePollMs;
            }
            catch (ObjectDisposedException)
            {
                // Closing already: the next receive ends the loop.
            }
            family.Ready.Set();
        }

        private void OnReplyLocked(Family family, IcmpMessage message, ReadOnlySpan<byte> datagram, IPAddress from, long now, List<HostProbeResult> decided)
        {
            if (!message.ChecksumValid) return;
            // The kernel owns the identifier of a datagram socket and delivers only its replies;
            // a raw socket sees every ICMP message of the host, so the identifier must be ours.
            if (family.Mode == IcmpMode.Raw && message.Identifier != _identifier) return;
            ref var slot = ref _slots[message.Sequence];
            var probe = slot.Probe;
            if (probe == null || probe.Family != family || !SameAddress(from, probe.AddressBytes)) return;
            if (!CookieMatches(message.Payload(datagram))) return;

            if (slot.Live)
            {
                slot.Live = false;
                probe.Outstanding--;
            }
            else if (_options.Count == 1 && !probe.Decided)
            {
                // A reply after its timeout while the retry is still out: the host is alive.
                slot.Probe = null;
            }
            else
            {
                return;
            }
            probe.Received++;
            probe.AddRoundTrip((now - slot.SentTicks) * 1000.0 / Stopwatch.Frequency, message.Ttl);
            if (_options.Count == 1)
                DecideLocked(probe, HostStatus.Up, decided);
            else if (probe.Sent >= _options.Count && probe.Outstanding == 0)
                DecideLocked(probe, HostStatus.Up, decided);
        }

        private void OnErrorLocked(Family family, IcmpMessage message, IPAddress from, List<HostProbeResult> decided)
        {
            var original = message.Original;
            if (original == null || !original.IsEchoRequest) return;
            if (family.Mode == IcmpMode.Raw && original.Identifier != _identifier) return;
            ref var slot = ref _slots[original.Sequence];
            var probe = slot.Probe;
            if (probe == null || !slot.Live || probe.Family != family || !SameAddress(original.Destination, probe.AddressBytes)) return;
            slot.Live = false;
            probe.Outstanding--;
            probe.Reason = message.Reason;
            probe.IcmpType = message.Type;
            probe.IcmpCode = message.Code;
            probe.ReportedBy = from;
            if (_options.Count == 1)
                DecideLocked(probe, HostStatus.Unreachable, decided);
            else if (probe.Sent >= _options.Count && probe.Outstanding == 0)
                DecideLocked(probe, Verdict(probe), decided);
        }

        private bool CookieMatches(ReadOnlySpan<byte> payload)
        {
            var length = Math.Min(CookieLength, _options.BufferSize);
            if (payload.Length < length) return false;
            return payload.Slice(0, length).SequenceEqual(new ReadOnlySpan<byte>(_cookie, 0, length));
        }

        private static bool SameAddress(IPAddress address, byte[] expected)
        {
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            var bytes = address.GetAddressBytes();
            return bytes.AsSpan().SequenceEqual(expected);
        }

        internal static long MillisecondsToTicks(int milliseconds) => (long)(milliseconds * (double)Stopwatch.Frequency / 1000.0);

        // ---- state ------------------------------------------------------------------------------

        private sealed class Family
        {
            public Family(AddressFamily addressFamily, TssrError failure)
            {
                AddressFamily = addressFamily;
                Failure = failure;
            }

            public Family(AddressFamily addressFamily, Socket socket, IcmpMode mode, byte[] request, IpHeaderPresence header)
            {
                AddressFamily = addressFamily;
                Socket = socket;
                Mode = mode;
                Request = request;
                Header = header;
            }

            public AddressFamily AddressFamily { get; }
            public Socket? Socket { get; }
            public IcmpMode Mode { get; }
            public byte[]? Request { get; }
            public IpHeaderPresence Header { get; }
            public TssrError? Failure { get; }
            public Task? ReceiveLoop { get; set; }
            /// <summary>Set once the receive thread has read the warm-up echo (or given up on it).</summary>
            public ManualResetEventSlim Ready { get; } = new ManualResetEventSlim(false);
        }

        private sealed class Probe
        {
            private double _rttSum;

            public Probe(string name, IPAddress address, Family family)
            {
                Name = name;
                Address = address;
                AddressBytes = address.GetAddressBytes();
                EndPoint = new IPEndPoint(address, 0);
                Family = family;
            }

            public string Name { get; }
            public IPAddress Address { get; }
            public byte[] AddressBytes { get; }
            public IPEndPoint EndPoint { get; }
            public Family Family { get; }
            public int Sent;
            public int Outstanding;
            public int Received;
            public bool Decided;
            public double? MinRtt, MaxRtt;
            public int? Ttl;
            public string? Reason;
            public int? IcmpType, IcmpCode;
            public IPAddress? ReportedBy;
            /// <summary>The sequence numbers of this host's attempts (sweep mode only, at most 1 + Retry).</summary>
            public ushort[]? Sequences;
            public int SequenceCount;

            public void RememberSequence(ushort sequence, int attempts)
            {
                Sequences ??= new ushort[attempts];
                if (SequenceCount < Sequences.Length) Sequences[SequenceCount++] = sequence;
            }

            public void AddRoundTrip(double milliseconds, int? ttl)
            {
                _rttSum += milliseconds;
                MinRtt = MinRtt.HasValue ? Math.Min(MinRtt.Value, milliseconds) : milliseconds;
                MaxRtt = MaxRtt.HasValue ? Math.Max(MaxRtt.Value, milliseconds) : milliseconds;
                if (ttl.HasValue) Ttl = ttl;
            }

            public HostProbeResult ToResult(HostStatus status)
            {
                double? average = Received > 0 ? Math.Round(_rttSum / Received, 3) : (double?)null;
                return new HostProbeResult(Name, Address, status, average, Ttl, Sent, Received,
                    MinRtt.HasValue ? Math.Round(MinRtt.Value, 3) : (double?)null, MaxRtt.HasValue ? Math.Round(MaxRtt.Value, 3) : (double?)null,
                    status == HostStatus.Up ? null : Reason, status == HostStatus.Up ? null : IcmpType, status == HostStatus.Up ? null : IcmpCode,
                    status == HostStatus.Up ? null : ReportedBy, Family.Mode);
            }
        }

        private struct Slot
        {
            public Slot(Probe probe, long sentTicks, bool live)
            {
                Probe = probe;
                SentTicks = sentTicks;
                Live = live;
            }

            public Probe? Probe;
            public long SentTicks;
            public bool Live;
        }

        private readonly struct InFlight
        {
            public InFlight(ushort sequence, long sentTicks)
            {
                Sequence = sequence;
                SentTicks = sentTicks;
            }

            public ushort Sequence { get; }
            public long SentTicks { get; }
        }

        private readonly struct Due
        {
            public Due(Probe probe, long dueTicks)
            {
                Probe = probe;
                DueTicks = dueTicks;
            }

            public Probe Probe { get; }
            public long DueTicks { get; }
        }

        private readonly struct Arrival
        {
            public Arrival(Family family, byte[] datagram, IPAddress from, long ticks)
            {
                Family = family;
                Datagram = datagram;
                From = from;
                Ticks = ticks;
            }

            public Family Family { get; }
            public byte[] Datagram { get; }
            public IPAddress From { get; }
            public long Ticks { get; }
        }

        private readonly struct Resolved
        {
            public Resolved(string name, IPAddress address)
            {
                Name = name;
                Address = address;
            }

            public string Name { get; }
            public IPAddress Address { get; }
        }
    }
}
