using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace Tssr.Tools.Engine.Inventory.Ssh
{
    /// <summary>The state of an SSH session.</summary>
    public enum SshSessionState
    {
        Opened,
        /// <summary>The server or the network dropped it.</summary>
        Broken,
        Closed,
    }

    /// <summary>
    /// An open SSH session, as New-TssrSshSession returns it and every inventory cmdlet takes it
    /// (-Session). A small handle over the engine's transport: no SSH.NET type is visible here.
    /// </summary>
    public sealed class TssrSshSession
    {
        private static int _lastId;
        private readonly ICommandTransport _transport;
        private bool _closed;

        internal TssrSshSession(ICommandTransport transport, SshEndpoint endpoint, string userName, string serverVersion,
            string hostKeyType, string hostKeyFingerprint, string? sudoUserName, System.Security.SecureString? sudoPassword)
        {
            _transport = transport;
            Id = Interlocked.Increment(ref _lastId);
            ComputerName = endpoint.Host;
            Port = endpoint.Port;
            Endpoint = endpoint;
            UserName = userName;
            ServerVersion = serverVersion;
            HostKeyType = hostKeyType;
            HostKeyFingerprint = hostKeyFingerprint;
            Opened = DateTime.Now;
            SudoPassword = sudoPassword;
        }

        public int Id { get; }
        public string ComputerName { get; }
        public int Port { get; }
        public string UserName { get; }
        /// <summary>The server's identification string (SSH-2.0-OpenSSH_9.2p1 …).</summary>
        public string ServerVersion { get; }
        public string HostKeyType { get; }
        /// <summary>SHA256:…, as ssh-keygen -l prints it.</summary>
        public string HostKeyFingerprint { get; }
        public RemoteShell Shell => _transport.Shell;
        public DateTime Opened { get; }

        public SshSessionState State => _closed ? SshSessionState.Closed : (_transport.IsConnected ? SshSessionState.Opened : SshSessionState.Broken);

        internal SshEndpoint Endpoint { get; }
        internal ICommandTransport Transport => _transport;
        /// <summary>Kept for -UseSudo (sudo -S reads it on stdin); never shown.</summary>
        internal System.Security.SecureString? SudoPassword { get; }

        internal void Close()
        {
            if (_closed) return;
            _closed = true;
            _transport.Dispose();
        }

        public override string ToString()
            => string.Format(CultureInfo.InvariantCulture, "#{0} {1}@{2} ({3})", Id, UserName, Endpoint.Display, State);
    }

    /// <summary>The sessions opened in this process, as Get-TssrSshSession lists them.</summary>
    public static class SshSessionStore
    {
        private static readonly object Gate = new object();
        private static readonly List<TssrSshSession> Sessions = new List<TssrSshSession>();

        internal static void Add(TssrSshSession session)
        {
            lock (Gate) Sessions.Add(session);
        }

        public static IReadOnlyList<TssrSshSession> All()
        {
            lock (Gate) return Sessions.ToList();
        }

        /// <summary>Closes and forgets <paramref name="session"/>; true when it was open here.</summary>
        public static bool Remove(TssrSshSession session)
        {
            bool known;
            lock (Gate) known = Sessions.Remove(session);
            session.Close();
            return known;
        }
    }
}
