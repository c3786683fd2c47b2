using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Icmp
{
    /// <summary>
    /// Opens the one ICMP socket per address family that a sweep sends and receives on: raw when the
    /// process may (root, CAP_NET_RAW), else an unprivileged ICMP datagram socket (Linux when
    /// net.ipv4.ping_group_range admits one of the process's groups; macOS always). When neither is
    /// allowed, the error says exactly what to change.
    /// </summary>
    internal static class IcmpSocketFactory
    {
        private static readonly Localizer Text = HostSweepOptions.Text;

        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Opens a socket of <paramref name="family"/> in <paramref name="requested"/> mode (Auto, Raw or Datagram).</summary>
        public static Socket Open(AddressFamily family, IcmpMode requested, out IcmpMode opened)
        {
            var protocol = family == AddressFamily.InterNetworkV6 ? ProtocolType.IcmpV6 : ProtocolType.Icmp;
            SocketException? rawFailure = null;
            if (requested == IcmpMode.Auto || requested == IcmpMode.Raw)
            {
                try
                {
                    opened = IcmpMode.Raw;
                    return Prepare(new Socket(family, SocketType.Raw, protocol), family);
                }
                catch (SocketException e) when (requested == IcmpMode.Auto)
                {
                    rawFailure = e;
                }
                catch (SocketException e) when (IsPermission(e))
                {
                    throw new TssrException(new TssrError("IcmpNotPermitted", TssrErrorCategory.PermissionDenied, FamilyName(family),
                        Text.Format("NotPermitted_Raw", e.Message), Text.Format("NotPermitted_RawAction", ExecutablePath()), e));
                }
                catch (SocketException e)
                {
                    throw Unavailable(family, e);
                }
            }

            try
            {
                opened = IcmpMode.Datagram;
                return Prepare(new Socket(family, SocketType.Dgram, protocol), family);
            }
            catch (SocketException e) when (IsPermission(e))
            {
                var action = Text.Format("NotPermitted_DatagramAction", PingGroupRange(), ProcessGroups(), ExecutablePath());
                var message = rawFailure != null
                    ? Text.Format("NotPermitted_Both", rawFailure.Message, e.Message)
                    : Text.Format("NotPermitted_Datagram", e.Message);
                throw new TssrException(new TssrError("IcmpNotPermitted", TssrErrorCategory.PermissionDenied, FamilyName(family), message, action, e));
            }
            catch (SocketException e)
            {
                throw Unavailable(family, e);
            }
        }

        private static Socket Prepare(Socket socket, AddressFamily family)
        {
            try
            {
                // Replies to a fast sweep arrive in bursts; a larger buffer keeps the kernel from
                // dropping them while the receive loop is descheduled (the kernel caps it at rmem_max).
                socket.ReceiveBufferSize = 1 << 20;
                // .NET refuses ReceiveFrom on a socket that was never bound; port 0 lets the kernel
                // pick the ICMP identifier of a datagram socket.
                socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        private static bool IsPermission(SocketException e)
            => e.SocketErrorCode == SocketError.AccessDenied || e.NativeErrorCode == 1 /* EPERM */ || e.NativeErrorCode == 13 /* EACCES */;

        private static TssrException Unavailable(AddressFamily family, SocketException e)
            => new TssrException(new TssrError("IcmpFamilyUnavailable", TssrErrorCategory.ResourceUnavailable, FamilyName(family),
                Text.Format("Family_Unavailable", FamilyName(family), e.Message), Text.Get("Family_UnavailableAction"), e));

        internal static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

        /// <summary>net.ipv4.ping_group_range as this process sees it (it is per network namespace).</summary>
        internal static string PingGroupRange()
        {
            try
            {
                var text = File.ReadAllText("/proc/sys/net/ipv4/ping_group_range").Trim();
                return string.Join(" ", text.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
            {
                return "?";
            }
        }

        /// <summary>The effective group and the supplementary groups, which ping_group_range is matched against.</summary>
        internal static string ProcessGroups()
        {
            try
            {
                string? gid = null, groups = null;
                foreach (var line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("Gid:", StringComparison.Ordinal))
                        gid = line.Substring(4).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault();
                    else if (line.StartsWith("Groups:", StringComparison.Ordinal))
                        groups = string.Join(" ", line.Substring(7).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries));
                }
                var all = new[] { gid }.Concat((groups ?? string.Empty).Split(' ')).Where(g => !string.IsNullOrEmpty(g)).Distinct();
                return string.Join(" ", all);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
            {
                return "?";
            }
        }

        internal static string ExecutablePath()
        {
            try
            {
                using (var process = Process.GetCurrentProcess())
                    return process.MainModule?.FileName ?? "pwsh";
            }
            catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception || e is NotSupportedException)
            {
                return "pwsh";
            }
        }
    }
}
