using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Targets
{
    /// <summary>Resolves the host names among targets through the system resolver.</summary>
    public static class HostResolver
    {
        /// <summary>
        /// The addresses of <paramref name="target"/> (its own address when it has one), IPv4 first.
        /// Throws <see cref="TssrException"/> HostNotResolved naming the host; honours cancellation
        /// even though the system resolver itself cannot be interrupted.
        /// </summary>
        public static async Task<IPAddress[]> ResolveAsync(TargetSpec target, CancellationToken cancellationToken)
        {
            if (target.Address != null) return new[] { target.Address };
            var host = target.HostName!;
            var lookup = System.Net.Dns.GetHostAddressesAsync(host); // qualified: Tssr.Tools.Engine.Network.Dns is a namespace
            var cancelled = new TaskCompletionSource<bool>();
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                await Task.WhenAny(lookup, cancelled.Task).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var addresses = await lookup.ConfigureAwait(false);
                if (addresses.Length == 0)
                    throw new SocketException((int)SocketError.HostNotFound);
                return addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).ToArray();
            }
            catch (Exception e) when (e is SocketException || e is ArgumentException)
            {
                throw new TssrException(ResolveError(host, e));
            }
        }

        public static TssrError ResolveError(string host, Exception e)
            => new TssrError("HostNotResolved", TssrErrorCategory.ObjectNotFound, host,
                TargetParser.Text.Format("Resolve_Failed", host, e.Message), TargetParser.Text.Format("Resolve_Action", host), e);
    }
}
