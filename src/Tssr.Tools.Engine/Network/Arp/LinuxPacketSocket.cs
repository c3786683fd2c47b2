using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Tssr.Tools.Engine.Network.Arp
{
    /// <summary>
    /// A Linux AF_PACKET socket that sends and receives ARP on one interface.
    /// Why P/Invoke: the OS neighbour table keeps one MAC per address, so finding a duplicate means
    /// reading every ARP reply off the wire, and only a packet socket does that. netstandard2.0 has
    /// no AddressFamily.Packet endpoint (and .NET's Socket cannot bind one), so this class calls
    /// libc directly and builds struct sockaddr_ll by hand. It needs root or CAP_NET_RAW; socket()
    /// fails with EPERM otherwise. Linux only: callers check the platform first. Not thread-safe
    /// except that one thread may send while another receives, which the kernel allows.
    /// </summary>
    internal sealed class LinuxPacketSocket : IDisposable
    {
        private const int AfPacket = 17;
        private const int SockDgram = 2;
        private const int SockCloexec = 0x80000;
        private const short PollIn = 0x0001;
        private const int SockaddrLlLength = 20;
        private const int EIntr = 4;
        private const int EAgain = 11;
        public const int EPerm = 1;
        public const int EAcces = 13;
        /// <summary>sll_pkttype of a frame this host sent: the kernel echoes our own requests back to us.</summary>
        public const byte PacketOutgoing = 4;

        private static readonly byte[] Broadcast = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

        private readonly int _interfaceIndex;
        private readonly byte[] _receiveAddress = new byte[SockaddrLlLength];
        private int _fd;

        private LinuxPacketSocket(int fd, int interfaceIndex)
        {
            _fd = fd;
            _interfaceIndex = interfaceIndex;
        }

        /// <summary>Opens an ARP packet socket bound to the interface; throws <see cref="PacketSocketException"/> with errno.</summary>
        public static LinuxPacketSocket Open(int interfaceIndex)
        {
            var fd = socket(AfPacket, SockDgram | SockCloexec, HostToNetwork(ArpPacket.EtherTypeArp));
            if (fd < 0) throw new PacketSocketException("socket", Marshal.GetLastWin32Error());
            var address = SockaddrLl(interfaceIndex, null);
            if (bind(fd, address, SockaddrLlLength) != 0)
            {
                var errno = Marshal.GetLastWin32Error();
                close(fd);
                throw new PacketSocketException("bind", errno);
            }
            return new LinuxPacketSocket(fd, interfaceIndex);
        }

        /// <summary>Whether this process may open packet sockets at all; the errno when it may not.</summary>
        public static int ProbePermission()
        {
            var fd = socket(AfPacket, SockDgram | SockCloexec, HostToNetwork(ArpPacket.EtherTypeArp));
            if (fd < 0) return Marshal.GetLastWin32Error();
            close(fd);
            return 0;
        }

        /// <summary>Sends an ARP packet to the Ethernet broadcast address.</summary>
        public void SendBroadcast(byte[] payload)
        {
            var destination = SockaddrLl(_interfaceIndex, Broadcast);
            while (true)
            {
                var sent = sendto(_fd, payload, (UIntPtr)payload.Length, 0, destination, SockaddrLlLength).ToInt64();
                if (sent >= 0) return;
                var errno = Marshal.GetLastWin32Error();
                if (errno == EIntr) continue;
                throw new PacketSocketException("sendto", errno);
            }
        }

        /// <summary>
        /// Waits up to <paramref name="timeoutMilliseconds"/> for a frame; returns its length, or -1
        /// when none came. <paramref name="packetType"/> is sll_pkttype (host, broadcast, outgoing...).
        /// </summary>
        public int Receive(byte[] buffer, int timeoutMilliseconds, out byte packetType)
        {
            packetType = 0;
            var fds = new[] { new PollFd { Fd = _fd, Events = PollIn } };
            var ready = poll(fds, (UIntPtr)1, timeoutMilliseconds);
            if (ready < 0)
            {
                var errno = Marshal.GetLastWin32Error();
                if (errno == EIntr) return -1;
                throw new PacketSocketException("poll", errno);
            }
            if (ready == 0 || (fds[0].Revents & PollIn) == 0) return -1;
            var addressLength = (uint)SockaddrLlLength;
            var received = recvfrom(_fd, buffer, (UIntPtr)buffer.Length, 0, _receiveAddress, ref addressLength).ToInt64();
            if (received < 0)
            {
                var errno = Marshal.GetLastWin32Error();
                if (errno == EIntr || errno == EAgain) return -1;
                throw new PacketSocketException("recvfrom", errno);
            }
            packetType = _receiveAddress[10];
            return (int)received;
        }

        public void Dispose()
        {
            var fd = Interlocked.Exchange(ref _fd, -1);
            if (fd >= 0) close(fd);
        }

        /// <summary>
        /// struct sockaddr_ll { u16 family; be16 protocol; s32 ifindex; u16 hatype; u8 pkttype;
        /// u8 halen; u8 addr[8]; } — 20 bytes, family and ifindex in host byte order.
        /// </summary>
        internal static byte[] SockaddrLl(int interfaceIndex, byte[]? hardwareAddress)
        {
            var address = new byte[SockaddrLlLength];
            WriteHost16(address, 0, AfPacket);
            var protocol = HostToNetwork(ArpPacket.EtherTypeArp);
            WriteHost16(address, 2, (ushort)protocol);
            var index = BitConverter.GetBytes(interfaceIndex);
            Buffer.BlockCopy(index, 0, address, 4, 4);
            if (hardwareAddress != null)
            {
                address[11] = (byte)hardwareAddress.Length;
                Buffer.BlockCopy(hardwareAddress, 0, address, 12, hardwareAddress.Length);
            }
            return address;
        }

        private static void WriteHost16(byte[] buffer, int offset, int value)
        {
            var bytes = BitConverter.GetBytes((ushort)value);
            buffer[offset] = bytes[0];
            buffer[offset + 1] = bytes[1];
        }

        /// <summary>htons: the value whose in-memory bytes are <paramref name="value"/> in network order.</summary>
        internal static int HostToNetwork(ushort value)
            => BitConverter.IsLittleEndian ? (ushort)((value >> 8) | (value << 8)) : value;

        [StructLayout(LayoutKind.Sequential)]
        private struct PollFd
        {
            public int Fd;
            public short Events;
            public short Revents;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int socket(int domain, int type, int protocol);

        [DllImport("libc", SetLastError = true)]
        private static extern int bind(int fd, byte[] address, uint addressLength);

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr sendto(int fd, byte[] buffer, UIntPtr length, int flags, byte[] address, uint addressLength);

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr recvfrom(int fd, byte[] buffer, UIntPtr length, int flags, byte[] address, ref uint addressLength);

        [DllImport("libc", SetLastError = true)]
        private static extern int poll([In, Out] PollFd[] fds, UIntPtr count, int timeout);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);
    }

    /// <summary>A failed system call on a packet socket, with its errno.</summary>
    internal sealed class PacketSocketException : Exception
    {
        public PacketSocketException(string call, int errno)
            : base(call + ": " + new System.ComponentModel.Win32Exception(errno).Message)
        {
            Call = call;
            Errno = errno;
        }

        public string Call { get; }
        public int Errno { get; }
        public bool IsPermissionDenied => Errno == LinuxPacketSocket.EPerm || Errno == LinuxPacketSocket.EAcces;
    }
}
