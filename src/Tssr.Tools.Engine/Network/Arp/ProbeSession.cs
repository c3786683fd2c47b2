using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Tssr.Tools.Engine.Network.Arp
{
    /// <summary>One address being probed, and every MAC that claimed it so far.</summary>
    internal sealed class ProbeTarget
    {
        private readonly object _gate = new object();
        private readonly List<byte[]> _macs = new List<byte[]>();
        private int _replies;

        public ProbeTarget(IPAddress address, string input, ProbeSession session, bool isLocal, bool arpProbe)
        {
            Address = address;
            Input = input;
            Session = session;
            IsLocal = isLocal;
            ArpProbe = arpProbe;
            if (isLocal && session.Interface.Mac != null) _macs.Add(session.Interface.Mac);
        }

        public IPAddress Address { get; }
        public string Input { get; }
        public ProbeSession Session { get; }
        /// <summary>This host holds the address on the session's interface.</summary>
        public bool IsLocal { get; }
        /// <summary>IPv4 requests go out as RFC 5227 probes (sender 0.0.0.0).</summary>
        public bool ArpProbe { get; }
        public int Sent { get; set; }

        /// <summary>Records one answer from <paramref name="mac"/> (another machine's).</summary>
        public void Add(byte[] mac)
        {
            lock (_gate)
            {
                _replies++;
                foreach (var known in _macs)
                    if (SameMac(known, mac)) return;
                _macs.Add(mac);
            }
        }

        public void Snapshot(out IReadOnlyList<string> macs, out int replies)
        {
            lock (_gate)
            {
                var list = new string[_macs.Count];
                for (var i = 0; i < list.Length; i++) list[i] = LinkAddress.Format(_macs[i]);
                macs = list;
                replies = _replies;
            }
        }

        internal static bool SameMac(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            for (var i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
            return true;
        }
    }

    /// <summary>
    /// Probing of one address family on one interface: a socket, a thread that reads every answer
    /// off it, and the addresses waiting for answers. Sending happens on the caller's thread.
    /// </summary>
    internal abstract class ProbeSession
    {
        private const int ReceiveSliceMilliseconds = 100;
        private readonly ConcurrentDictionary<IPAddress, ProbeTarget> _pending = new ConcurrentDictionary<IPAddress, ProbeTarget>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private Task? _receiver;

        protected ProbeSession(LinkInterface linkInterface, AddressFamily family)
        {
            Interface = linkInterface;
            Family = family;
        }

        public LinkInterface Interface { get; }
        public AddressFamily Family { get; }
        public int PendingCount => _pending.Count;

        /// <summary>Starts the receiving thread; <paramref name="onFailure"/> hears of a socket that broke.</summary>
        public void Start(Action<ProbeSession, Exception> onFailure)
        {
            _receiver = Task.Factory.StartNew(() =>
            {
                var buffer = new byte[2048];
                try
                {
                    while (!_stop.IsCancellationRequested)
                        ReceiveOnce(buffer, ReceiveSliceMilliseconds);
                }
                catch (Exception e)
                {
                    // Whatever breaks the socket ends this session's listening, never the run:
                    // the failure is reported and the addresses already answered keep their answers.
                    if (!_stop.IsCancellationRequested) onFailure(this, e);
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        /// <summary>False when the address is already waiting for answers on this session.</summary>
        public bool TryAdd(ProbeTarget target) => _pending.TryAdd(target.Address, target);

        public void Remove(ProbeTarget target) => _pending.TryRemove(target.Address, out _);

        public abstract string MethodFor(ProbeTarget target);

        public abstract void Send(ProbeTarget target);

        /// <summary>Waits up to the given time for one packet and records what it proves.</summary>
        protected abstract void ReceiveOnce(byte[] buffer, int timeoutMilliseconds);

        protected abstract void CloseSocket();

        /// <summary>Notes that <paramref name="mac"/> claims <paramref name="address"/>, when we asked about it.</summary>
        protected void Record(IPAddress address, byte[] mac)
        {
            if (Interface.Mac != null && ProbeTarget.SameMac(mac, Interface.Mac)) return;
            if (LinkAddress.IsZero(mac) || (mac[0] & 1) != 0) return; // nobody owns a zero or multicast MAC
            if (_pending.TryGetValue(address, out var target)) target.Add(mac);
        }

        /// <summary>Stops the receiving thread, then closes the socket (never while the thread still uses it).</summary>
        public async Task StopAsync()
        {
            _stop.Cancel();
            if (_receiver != null) await _receiver.ConfigureAwait(false);
            CloseSocket();
            _stop.Dispose();
        }
    }

    /// <summary>IPv4: ARP requests to the broadcast address, every ARP packet read back.</summary>
    internal sealed class ArpSession : ProbeSession
    {
        private readonly LinuxPacketSocket _socket;

        public ArpSession(LinkInterface linkInterface)
            : base(linkInterface, AddressFamily.InterNetwork)
        {
            _socket = LinuxPacketSocket.Open(linkInterface.Index);
        }

        public override string MethodFor(ProbeTarget target) => target.ArpProbe ? "ARP-Probe" : "ARP";

        public override void Send(ProbeTarget target)
        {
            var sender = target.ArpProbe ? IPAddress.Any : Interface.ArpSenderFor(target.Address);
            _socket.SendBroadcast(ArpPacket.BuildRequest(Interface.Mac!, sender, target.Address));
        }

        protected override void ReceiveOnce(byte[] buffer, int timeoutMilliseconds)
        {
            var length = _socket.Receive(buffer, timeoutMilliseconds, out var packetType);
            if (length < 0 || packetType == LinuxPacketSocket.PacketOutgoing) return;
            // RFC 5227: any ARP packet, request or reply, whose sender address is the one probed
            // proves that its sender uses it. A probe (sender 0.0.0.0) proves nothing.
            if (!ArpPacket.TryParse(buffer, length, out var message) || message!.IsProbe) return;
            Record(message.SenderAddress, message.SenderMac);
        }

        protected override void CloseSocket() => _socket.Dispose();
    }

    /// <summary>IPv6: neighbour solicitations to the solicited-node group, advertisements read back.</summary>
    internal sealed class NdpSession : ProbeSession
    {
        private readonly NdpSocket _socket;

        public NdpSession(LinkInterface linkInterface)
            : base(linkInterface, AddressFamily.InterNetworkV6)
        {
            _socket = NdpSocket.Open(linkInterface.Index, linkInterface.NdpSource
                ?? throw new Core.TssrException("InterfaceNoIPv6Address", Core.TssrErrorCategory.InvalidArgument, linkInterface.Name,
                    DuplicateAddressScanner.Text.Format("Interface_NoIPv6", linkInterface.Name), DuplicateAddressScanner.Text.Format("Interface_NoIPv6Action", linkInterface.Name)));
        }

        public override string MethodFor(ProbeTarget target) => "NDP";

        public override void Send(ProbeTarget target) => _socket.SendSolicitation(target.Address, Interface.Mac!);

        protected override void ReceiveOnce(byte[] buffer, int timeoutMilliseconds)
        {
            var length = _socket.Receive(buffer, timeoutMilliseconds);
            if (length < 0 || !NdpPacket.TryParseAdvertisement(buffer, length, out var advertisement)) return;
            if (advertisement!.TargetMac != null) Record(advertisement.TargetAddress, advertisement.TargetMac);
        }

        protected override void CloseSocket() => _socket.Dispose();
    }
}
