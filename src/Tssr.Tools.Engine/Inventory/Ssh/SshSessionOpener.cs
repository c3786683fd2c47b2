using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Inventory.Ssh
{
    /// <summary>New-TssrSshSession: opens sessions to many hosts at once and keeps them in the store.</summary>
    public sealed class SshSessionOpener
    {
        private readonly SshConnectOptions _options;

        public SshSessionOpener(SshConnectOptions options)
        {
            _options = SshOptionChecks.Checked(options);
        }

        public Task RunAsync(IEnumerable<string> computerNames, IEngineSink sink, CancellationToken ct)
            => Throttle.ForEachAsync(computerNames, _options.ThrottleLimit, async (name, token) =>
            {
                try
                {
                    var endpoint = SshEndpoint.Parse(name, _options.Port);
                    var session = await SshNetTransport.OpenAsync(endpoint, _options, sink, token).ConfigureAwait(false);
                    SshSessionStore.Add(session);
                    sink.Output(session);
                }
                catch (TssrException e)
                {
                    sink.Error(e.Error);
                }
            }, sink, InventoryText.Strings.Get("Progress_OpenSessions"), ct);
    }

    internal static class SshOptionChecks
    {
        public static SshConnectOptions Checked(SshConnectOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (options.ThrottleLimit < 1) throw Invalid("ThrottleLimit", options.ThrottleLimit);
            if (options.ConnectTimeout <= TimeSpan.Zero) throw Invalid("ConnectTimeoutSec", options.ConnectTimeout.TotalSeconds);
            if (options.Port < 1 || options.Port > 65535) throw Invalid("Port", options.Port);
            return options;
        }

        private static TssrException Invalid(string name, object value)
            => new TssrException("InventoryOptionInvalid", TssrErrorCategory.InvalidArgument, value,
                InventoryText.Strings.Format("Error_OptionInvalid", name, value));
    }
}
