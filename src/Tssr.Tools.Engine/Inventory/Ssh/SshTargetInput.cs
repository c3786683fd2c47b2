using System;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Inventory.Ssh
{
    /// <summary>One target of an inventory cmdlet: an open session, or a computer name to connect to.</summary>
    public sealed class SshTargetInput
    {
        private SshTargetInput(TssrSshSession? session, string? computerName)
        {
            Session = session;
            ComputerName = computerName;
        }

        public TssrSshSession? Session { get; }
        public string? ComputerName { get; }

        public static SshTargetInput For(TssrSshSession session) => new SshTargetInput(session ?? throw new ArgumentNullException(nameof(session)), null);

        public static SshTargetInput For(string computerName) => new SshTargetInput(null, computerName);

        public override string ToString() => Session?.Endpoint.Display ?? ComputerName ?? string.Empty;
    }

    /// <summary>A session to use for one target: the caller's (kept open) or one opened for it (closed after).</summary>
    internal sealed class SessionLease : IDisposable
    {
        private readonly bool _owned;

        private SessionLease(TssrSshSession session, bool owned)
        {
            Session = session;
            _owned = owned;
        }

        public TssrSshSession Session { get; }

        public static async Task<SessionLease> AcquireAsync(SshTargetInput input, SshConnectOptions options, IEngineSink sink, CancellationToken ct)
        {
            if (input.Session != null)
            {
                if (input.Session.State != SshSessionState.Opened)
                    throw new TssrException("SshSessionNotOpen", TssrErrorCategory.ResourceUnavailable, input.Session.Endpoint.Display,
                        InventoryText.Strings.Format("Error_SessionNotOpen", input.Session.Id, input.Session.Endpoint.Display, input.Session.State),
                        InventoryText.Strings.Get("Action_SessionNotOpen"));
                return new SessionLease(input.Session, owned: false);
            }
            var endpoint = SshEndpoint.Parse(input.ComputerName, options.Port);
            var session = await SshNetTransport.OpenAsync(endpoint, options, sink, ct).ConfigureAwait(false);
            return new SessionLease(session, owned: true);
        }

        public void Dispose()
        {
            if (_owned) Session.Close();
        }
    }
}
