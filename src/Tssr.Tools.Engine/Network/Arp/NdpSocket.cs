using System;
using System.Net;
using System.Net.Sockets;

namespace Tssr.Tools.Engine.Network.Arp
{
    /// <summary>
    /// A raw ICMPv6 socket that sends neighbour solicitations out of one interface and reads the
    /// advertisements that come back. Needs root or CAP_NET_RAW. Hop limit 255 on everything we send,
    /// as RFC 4861 requires, and no multicast loopback, so this host never answers its own questions.
    /// </summary>
    internal sealed class NdpSocket : IDisposable
    {
        private readonly Socket _socket;
        private readonly int _interfaceIndex;

        private NdpSocket(Socket socket, int interfaceIndex)
        {
            _socket = socket;
            _interfaceIndex = interfaceIndex;
        }

        /// <summary>Opens the socket; a <see cref="SocketException"/> AccessDenied means no privilege.</summary>
        /// <param name="source">
        /// An address of the interface (its link-local one preferably): solicitations leave from it
        /// and the advertisements answering them come back to it.
        /// </param>
        public static NdpSocket Open(int interfaceIndex, IPAddress source)
        {
            var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.IcmpV6);
            try
            {
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, interfaceIndex);
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 255);
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.IpTimeToLive, 255);
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, false);
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.PacketInformation, true);
                // .NET refuses ReceiveMessageFrom on a socket it has not seen bound. Bound to ::, it
                // would take the socket for dual-mode and ask for IPv4 packet information, which a
                // raw ICMPv6 socket refuses (ENOPROTOOPT): bind to the interface's own address.
                var local = new IPAddress(source.GetAddressBytes());
                if (local.IsIPv6LinkLocal) local.ScopeId = interfaceIndex;
                socket.Bind(new IPEndPoint(local, 0));
                return new NdpSocket(socket, interfaceIndex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        public void SendSolicitation(IPAddress target, byte[] sourceMac)
        {
            var group = NdpPacket.SolicitedNodeAddress(target);
            group.ScopeId = _interfaceIndex;
            _socket.SendTo(NdpPacket.BuildSolicitation(target, sourceMac), new IPEndPoint(group, 0));
        }

        /// <summary>
        /// Waits up to <paramref name="timeoutMilliseconds"/> for an ICMPv6 message that came in on
        /// our interface; returns its length, or -1 when none came.
        /// </summary>
        public int Receive(byte[] buffer, int timeoutMilliseconds)
        {
            if (!_socket.Poll(timeoutMilliseconds * 1000, SelectMode.SelectRead)) return -1;
            EndPoint remote = new IPEndPoint(IPAddress.IPv6Any, 0);
            var flags = SocketFlags.None;
            var length = _socket.ReceiveMessageFrom(buffer, 0, buffer.Length, ref flags, ref remote, out var info);
            return info.Interface == _interfaceIndex ? length : -1;
        }

        public void Dispose() => _socket.Dispose();
    }
}
