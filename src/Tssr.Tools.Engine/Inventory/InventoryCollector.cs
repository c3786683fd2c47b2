using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Inventory.Collectors;
using Tssr.Tools.Engine.Inventory.Model;
using Tssr.Tools.Engine.Inventory.Ssh;

namespace Tssr.Tools.Engine.Inventory
{
    /// <summary>What Get-TssrServerInventory collects, and how.</summary>
    public sealed class InventoryOptions
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);
        public const string DefaultLibvirtUri = "qemu:///system";

        public SshConnectOptions Connection { get; set; } = new SshConnectOptions();
        /// <summary>The whole collection on one host, after the connection.</summary>
        public TimeSpan Timeout { get; set; } = DefaultTimeout;
        /// <summary>The libvirt URI virsh asks for guests (test:///default in the tests).</summary>
        public string LibvirtUri { get; set; } = DefaultLibvirtUri;
    }

    /// <summary>
    /// Get-TssrServerInventory: one round trip per host (the collector script goes over the
    /// session, one framed reply comes back), many hosts at once, each written as soon as it is
    /// parsed. The local machine is collected through /bin/sh without SSH.
    /// </summary>
    public sealed class InventoryCollector
    {
        private readonly InventoryOptions _options;

        public InventoryCollector(InventoryOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            SshOptionChecks.Checked(options.Connection);
            if (options.Timeout <= TimeSpan.Zero)
                throw new TssrException("InventoryOptionInvalid", TssrErrorCategory.InvalidArgument, "TimeoutSec", InventoryText.Strings.Format("Error_OptionInvalid", "TimeoutSec", options.Timeout.TotalSeconds));
            if (string.IsNullOrWhiteSpace(options.LibvirtUri) || options.LibvirtUri.IndexOfAny(new[] { '\'', '"', '\n', '\r', '`', '$', '\\' }) >= 0)
                throw new TssrException("InventoryOptionInvalid", TssrErrorCategory.InvalidArgument, "LibvirtUri", InventoryText.Strings.Format("Error_OptionInvalid", "LibvirtUri", options.LibvirtUri));
        }

        /// <summary>Inventories each target; a host that fails is reported and the others go on.</summary>
        public Task RunAsync(IEnumerable<SshTargetInput> targets, IEngineSink sink, CancellationToken ct)
            => Throttle.ForEachAsync(targets, _options.Connection.ThrottleLimit, async (target, token) =>
            {
                try
                {
                    using (var lease = await SessionLease.AcquireAsync(target, _options.Connection, sink, token).ConfigureAwait(false))
                    {
                        var session = lease.Session;
                        var inventory = await CollectAsync(session.Transport, session.Endpoint.Host, session.Endpoint.Port, "ssh", sink, token).ConfigureAwait(false);
                        sink.Output(inventory);
                    }
                }
                catch (TssrException e)
                {
                    sink.Error(e.Error);
                }
            }, sink, InventoryText.Strings.Get("Progress_Inventory"), ct);

        /// <summary>Inventories this machine without SSH.</summary>
        public async Task RunLocalAsync(IEngineSink sink, CancellationToken ct)
        {
            using (var transport = LocalShellTransport.ForThisMachine())
            {
                try
                {
                    var inventory = await CollectAsync(transport, Environment.MachineName, null, "local", sink, ct).ConfigureAwait(false);
                    sink.Output(inventory);
                }
                catch (TssrException e)
                {
                    sink.Error(e.Error);
                }
            }
        }

        /// <summary>Runs the collector over <paramref name="transport"/> and parses its reply (tests call this with recorded transports).</summary>
        internal async Task<ServerInventory> CollectAsync(ICommandTransport transport, string computerName, int? port, string via, IEngineSink sink, CancellationToken ct)
        {
            var text = InventoryText.Strings;
            var target = port.HasValue ? new SshEndpointText(computerName, port.Value).ToString() : computerName;
            string nonce;
            CommandReply reply;
            DateTimeOffset collectedAt;
            if (!transport.ShellProbed && transport.Shell == RemoteShell.Posix)
            {
                // One round trip: the banner named no Windows, so the POSIX collector goes first and
                // its header is the probe. Only when it is missing (a Windows host whose banner did
                // not say so) are uname -s / cmd /c ver asked, and the right collector run.
                (nonce, reply, collectedAt) = await RunCollectorAsync(transport, target, via, sink, ct).ConfigureAwait(false);
                if (reply.Output.IndexOf("@@" + nonce + " TSSR-INVENTORY 1 posix", StringComparison.Ordinal) >= 0)
                {
                    transport.SetShell(RemoteShell.Posix);
                    sink.Verbose(text.Format("Verbose_ShellDetected", target, "exec /bin/sh -s", "POSIX"));
                }
                else
                {
                    await DetectShellAsync(transport, target, sink, ct).ConfigureAwait(false);
                    (nonce, reply, collectedAt) = await RunCollectorAsync(transport, target, via, sink, ct).ConfigureAwait(false);
                }
            }
            else
            {
                if (!transport.ShellProbed) await DetectShellAsync(transport, target, sink, ct).ConfigureAwait(false);
                (nonce, reply, collectedAt) = await RunCollectorAsync(transport, target, via, sink, ct).ConfigureAwait(false);
            }
            var windows = transport.Shell == RemoteShell.PowerShell;
            var parsed = CollectorReply.Parse(reply.Output, nonce, target);
            var inventory = new ServerInventory
            {
                ComputerName = computerName,
                Port = port,
                Transport = via,
                CollectedAt = collectedAt,
            };
            if (windows) WindowsFactParser.Fill(parsed, inventory, collectedAt, target);
            else PosixFactParser.Fill(parsed, inventory, collectedAt);
            if (parsed.Truncated)
                sink.Error(new TssrError("InventoryReplyTruncated", TssrErrorCategory.InvalidData, target,
                    text.Format("Error_ReplyTruncated", target, parsed.Sections.Count), text.Get("Action_ReplyInvalid")));
            return inventory;
        }

        /// <summary>Sends the collector of the transport's current shell on stdin and waits for its reply (a timeout is an error).</summary>
        private async Task<(string Nonce, CommandReply Reply, DateTimeOffset CollectedAt)> RunCollectorAsync(ICommandTransport transport, string target, string via, IEngineSink sink, CancellationToken ct)
        {
            var text = InventoryText.Strings;
            var nonce = CollectorScripts.NewNonce();
            var windows = transport.Shell == RemoteShell.PowerShell;
            var script = windows ? CollectorScripts.PowerShell(nonce) : CollectorScripts.Posix(nonce, _options.LibvirtUri);
            // The script travels on stdin: the login shell only runs a fixed, short command.
            var command = windows ? CollectorScripts.PowerShellCommand : "exec /bin/sh -s";
            sink.Verbose(text.Format("Verbose_Collecting", target, via));
            var collectedAt = DateTimeOffset.Now;
            var reply = await transport.RunAsync(new CommandRequest(command, _options.Timeout, Encoding.UTF8.GetBytes(script)), ct).ConfigureAwait(false);
            if (reply.TimedOut)
            {
                throw new TssrException("InventoryTimeout", TssrErrorCategory.OperationTimeout, target,
                    text.Format("Error_InventoryTimeout", target, _options.Timeout.TotalSeconds), text.Get("Action_InventoryTimeout"));
            }
            return (nonce, reply, collectedAt);
        }

        /// <summary>
        /// Which collector a host needs: 'uname -s' answers on a POSIX shell; 'cmd /c ver' answers
        /// "Microsoft Windows [Version …]" from cmd.exe or PowerShell, the two default shells of
        /// OpenSSH for Windows. The server's banner only orders the two probes.
        /// </summary>
        internal async Task DetectShellAsync(ICommandTransport transport, string target, IEngineSink sink, CancellationToken ct)
        {
            var text = InventoryText.Strings;
            var probes = transport.Shell == RemoteShell.PowerShell ? new[] { "cmd /c ver", "uname -s" } : new[] { "uname -s", "cmd /c ver" };
            var seen = new List<string>();
            foreach (var probe in probes)
            {
                var reply = await transport.RunAsync(new CommandRequest(probe, _options.Timeout, null, raw: true), ct).ConfigureAwait(false);
                if (reply.TimedOut)
                    throw new TssrException("InventoryTimeout", TssrErrorCategory.OperationTimeout, target,
                        text.Format("Error_InventoryTimeout", target, _options.Timeout.TotalSeconds), text.Get("Action_InventoryTimeout"));
                // A login script may print before the answer: uname's is the last line, ver's any line.
                var lines = reply.Output.Replace("\r", string.Empty).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
                var last = lines.Count > 0 ? lines[lines.Count - 1] : string.Empty;
                if (probe == "uname -s" && reply.ExitStatus == 0 && last.Length > 0 && last.IndexOf(' ') < 0)
                {
                    transport.SetShell(RemoteShell.Posix);
                    sink.Verbose(text.Format("Verbose_ShellDetected", target, probe + " (" + last + ")", "POSIX"));
                    return;
                }
                var windows = lines.FirstOrDefault(l => l.IndexOf("Windows", StringComparison.OrdinalIgnoreCase) >= 0);
                if (probe == "cmd /c ver" && reply.ExitStatus == 0 && windows != null)
                {
                    transport.SetShell(RemoteShell.PowerShell);
                    sink.Verbose(text.Format("Verbose_ShellDetected", target, probe + " (" + windows + ")", "PowerShell"));
                    return;
                }
                var first = lines.Count > 0 ? lines[0] : string.Empty;
                var said = first.Length > 0 ? first : FirstLine(reply.ErrorOutput);
                seen.Add(probe + ": " + (reply.ExitStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? reply.ExitSignal ?? "?") + " " + (said.Length > 80 ? said.Substring(0, 80) : said));
            }
            throw new TssrException("InventoryOsUnknown", TssrErrorCategory.InvalidData, target,
                text.Format("Error_OsUnknown", target, string.Join("; ", seen)), text.Get("Action_OsUnknown"));
        }

        private static string FirstLine(string s)
            => s.Replace("\r", string.Empty).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? string.Empty;

        private readonly struct SshEndpointText
        {
            private readonly string _host;
            private readonly int _port;

            public SshEndpointText(string host, int port)
            {
                _host = host;
                _port = port;
            }

            public override string ToString() => (_host.IndexOf(':') >= 0 ? "[" + _host + "]" : _host) + ":" + _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
