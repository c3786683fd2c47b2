using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Renci.SshNet;
using Renci.SshNet.Common;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Inventory.Ssh
{
    /// <summary>
    /// The one class that touches SSH.NET. It is only loaded when a session is opened, so importing
    /// the module never loads SSH.NET or BouncyCastle.
    /// </summary>
    internal sealed class SshNetTransport : ICommandTransport
    {
        private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

        private readonly SshClient _client;
        private readonly SshEndpoint _endpoint;

        private SshNetTransport(SshClient client, SshEndpoint endpoint, RemoteShell shell)
        {
            _client = client;
            _endpoint = endpoint;
            Shell = shell;
        }

        public string Target => _endpoint.Display;
        /// <summary>From the server's banner at first (OpenSSH for Windows names itself), then from the probe.</summary>
        public RemoteShell Shell { get; private set; }
        public bool ShellProbed { get; private set; }

        public void SetShell(RemoteShell shell)
        {
            Shell = shell;
            ShellProbed = true;
        }

        public bool IsConnected
        {
            get
            {
                try { return _client.IsConnected; }
                catch (ObjectDisposedException) { return false; }
            }
        }

        /// <summary>
        /// Connects and authenticates, checking the host key against known_hosts before any secret
        /// is sent. Every failure is a <see cref="TssrException"/> with a stable ErrorId.
        /// </summary>
        public static async Task<TssrSshSession> OpenAsync(SshEndpoint endpoint, SshConnectOptions options, IEngineSink sink, CancellationToken ct)
        {
            var text = InventoryText.Strings;
            var known = KnownHosts.Load(options.AllKnownHostsFiles());
            var methods = CreateAuthenticationMethods(endpoint, options, out var secretToClear);
            HostKeyCheck? check = null;
            byte[]? presented = null;
            var client = (SshClient?)null;
            try
            {
                var info = new ConnectionInfo(endpoint.Host, endpoint.Port, options.UserName, methods)
                {
                    Timeout = options.ConnectTimeout,
                    ChannelCloseTimeout = TimeSpan.FromSeconds(1),
                };
                PreferKnownHostKeyTypes(info, known.KnownKeyTypes(endpoint));
                client = new SshClient(info);
                client.HostKeyReceived += (_, e) =>
                {
                    presented = e.HostKey;
                    check = known.Check(endpoint, e.HostKey);
                    e.CanTrust = check.Verdict == HostKeyVerdict.Trusted || (check.Verdict == HostKeyVerdict.Unknown && options.AcceptNewHostKey);
                };

                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    timeout.CancelAfter(options.ConnectTimeout);
                    try
                    {
                        await client.ConnectAsync(timeout.Token).ConfigureAwait(false);
                    }
                    catch (Exception) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
                    {
                        throw Fail("SshConnectTimeout", TssrErrorCategory.OperationTimeout, endpoint,
                            text.Format("Error_ConnectTimeout", endpoint.Display, options.ConnectTimeout.TotalSeconds), text.Get("Action_ConnectTimeout"));
                    }
                    catch (SshOperationTimeoutException)
                    {
                        throw Fail("SshConnectTimeout", TssrErrorCategory.OperationTimeout, endpoint,
                            text.Format("Error_ConnectTimeout", endpoint.Display, options.ConnectTimeout.TotalSeconds), text.Get("Action_ConnectTimeout"));
                    }
                    catch (SshConnectionException e) when (check != null && check.Verdict != HostKeyVerdict.Trusted && !(check.Verdict == HostKeyVerdict.Unknown && options.AcceptNewHostKey))
                    {
                        throw HostKeyFailure(endpoint, check, options, e);
                    }
                    catch (SshAuthenticationException e)
                    {
                        throw Fail("SshAuthenticationFailed", TssrErrorCategory.AuthenticationError, endpoint,
                            text.Format("Error_AuthenticationFailed", endpoint.Display, options.UserName, e.Message), text.Get("Action_AuthenticationFailed"), e);
                    }
                    catch (SshConnectionException e) when (e.Message.IndexOf("No matching", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        throw Fail("SshNegotiationFailed", TssrErrorCategory.ProtocolError, endpoint,
                            text.Format("Error_NegotiationFailed", endpoint.Display, e.Message, Supported(info)), text.Get("Action_NegotiationFailed"), e);
                    }
                    catch (SshConnectionException e)
                    {
                        throw Fail("SshConnectionLost", TssrErrorCategory.ConnectionError, endpoint,
                            text.Format("Error_ConnectionLost", endpoint.Display, e.Message), text.Get("Action_ConnectionLost"), e);
                    }
                    catch (SocketException e)
                    {
                        throw SocketFailure(endpoint, e);
                    }
                    catch (ProxyException e)
                    {
                        throw Fail("SshConnectionLost", TssrErrorCategory.ConnectionError, endpoint,
                            text.Format("Error_ConnectionLost", endpoint.Display, e.Message), text.Get("Action_ConnectionLost"), e);
                    }
                    catch (SshException e)
                    {
                        throw Fail("SshConnectionLost", TssrErrorCategory.ConnectionError, endpoint,
                            text.Format("Error_ConnectionLost", endpoint.Display, e.Message), text.Get("Action_ConnectionLost"), e);
                    }
                }

                if (check == null || presented == null)
                    throw Fail("SshHostKeyUnknown", TssrErrorCategory.SecurityError, endpoint, text.Format("Error_HostKeyMissing", endpoint.Display), null);
                foreach (var note in check.Notes) sink.Verbose(note);
                if (check.Verdict == HostKeyVerdict.Unknown)
                {
                    var file = options.AppendFile();
                    KnownHosts.Append(file, endpoint, presented);
                    sink.Warning(text.Format("Warning_HostKeyAdded", endpoint.Display, check.KeyType, check.Fingerprint, file));
                }
                else
                {
                    sink.Verbose(text.Format("Verbose_HostKeyTrusted", endpoint.Display, check.KeyType, check.Fingerprint, check.File, check.Line));
                }

                var serverVersion = client.ConnectionInfo.ServerVersion ?? string.Empty;
                var shell = serverVersion.IndexOf("Windows", StringComparison.OrdinalIgnoreCase) >= 0 ? RemoteShell.PowerShell : RemoteShell.Posix;
                var transport = new SshNetTransport(client, endpoint, shell);
                client = null; // owned by the transport from here
                return new TssrSshSession(transport, endpoint, options.UserName, serverVersion, check.KeyType, check.Fingerprint,
                    options.UserName, options.Password);
            }
            finally
            {
                client?.Dispose();
                if (secretToClear != null) Array.Clear(secretToClear, 0, secretToClear.Length);
            }
        }

        private static AuthenticationMethod[] CreateAuthenticationMethods(SshEndpoint endpoint, SshConnectOptions options, out byte[]? secretToClear)
        {
            var text = InventoryText.Strings;
            secretToClear = null;
            if (!string.IsNullOrEmpty(options.KeyFilePath))
            {
                var passphrase = options.KeyPassphrase ?? options.Password;
                var keyPath = options.KeyFilePath!;
                PrivateKeyFile key;
                try
                {
                    key = passphrase != null && passphrase.Length > 0
                        ? new PrivateKeyFile(keyPath, Secrets.ToPlain(passphrase))
                        : new PrivateKeyFile(keyPath);
                }
                catch (SshPassPhraseNullOrEmptyException e)
                {
                    throw Fail("SshKeyPassphraseRequired", TssrErrorCategory.AuthenticationError, options.KeyFilePath,
                        text.Format("Error_KeyPassphraseRequired", options.KeyFilePath), text.Get("Action_KeyPassphraseRequired"), e);
                }
                catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException || e is UnauthorizedAccessException)
                {
                    throw Fail("SshKeyFileUnreadable", TssrErrorCategory.ReadError, options.KeyFilePath,
                        text.Format("Error_KeyFileUnreadable", options.KeyFilePath, e.Message), null, e);
                }
                catch (Exception e) when (passphrase != null && passphrase.Length > 0 && (e is SshException || e is InvalidOperationException || e is ArgumentException || e is FormatException || e.GetType().Namespace?.StartsWith("Org.BouncyCastle", StringComparison.Ordinal) == true || e is System.Security.Cryptography.CryptographicException))
                {
                    throw Fail("SshKeyPassphraseInvalid", TssrErrorCategory.AuthenticationError, options.KeyFilePath,
                        text.Format("Error_KeyPassphraseInvalid", options.KeyFilePath), text.Get("Action_KeyPassphraseInvalid"), e);
                }
                catch (Exception e) when (e is SshException || e is InvalidOperationException || e is ArgumentException || e is FormatException || e is System.Security.Cryptography.CryptographicException)
                {
                    throw Fail("SshKeyFileInvalid", TssrErrorCategory.InvalidData, options.KeyFilePath,
                        text.Format("Error_KeyFileInvalid", options.KeyFilePath, e.Message), text.Get("Action_KeyFileInvalid"), e);
                }
                return new AuthenticationMethod[] { new PrivateKeyAuthenticationMethod(options.UserName, key) };
            }
            if (options.Password != null)
            {
                secretToClear = Secrets.ToUtf8(options.Password);
                return new AuthenticationMethod[] { new PasswordAuthenticationMethod(options.UserName, secretToClear) };
            }
            throw Fail("SshCredentialMissing", TssrErrorCategory.InvalidArgument, endpoint,
                text.Format("Error_CredentialMissing", endpoint.Display), text.Get("Action_CredentialMissing"));
        }

        /// <summary>
        /// Like OpenSSH, asks first for the host key types known_hosts already holds for this host,
        /// so a host recorded with its RSA key is not refused because ed25519 came first.
        /// </summary>
        private static void PreferKnownHostKeyTypes(ConnectionInfo info, IReadOnlyList<string> knownTypes)
        {
            if (knownTypes.Count == 0) return;
            var algorithms = info.HostKeyAlgorithms;
            var all = algorithms.ToList();
            bool Known(string algorithm) => knownTypes.Any(t => t == algorithm || (t == "ssh-rsa" && algorithm.StartsWith("rsa-sha2-", StringComparison.Ordinal)));
            var ordered = all.Where(a => Known(a.Key)).Concat(all.Where(a => !Known(a.Key))).ToList();
            algorithms.Clear();
            foreach (var a in ordered) algorithms.Add(a.Key, a.Value);
        }

        private static string Supported(ConnectionInfo info)
            => string.Format(CultureInfo.InvariantCulture, "kex: {0}; host keys: {1}; ciphers: {2}; MACs: {3}",
                string.Join(",", info.KeyExchangeAlgorithms.Keys), string.Join(",", info.HostKeyAlgorithms.Keys),
                string.Join(",", info.Encryptions.Keys), string.Join(",", info.HmacAlgorithms.Keys));

        private static TssrException HostKeyFailure(SshEndpoint endpoint, HostKeyCheck check, SshConnectOptions options, Exception inner)
        {
            var text = InventoryText.Strings;
            switch (check.Verdict)
            {
                case HostKeyVerdict.Changed:
                    return Fail("SshHostKeyMismatch", TssrErrorCategory.SecurityError, endpoint,
                        text.Format("Error_HostKeyChanged", endpoint.Display, check.KeyType, check.Fingerprint, check.File, check.Line),
                        text.Format("Action_HostKeyChanged", check.File, check.Line), inner);
                case HostKeyVerdict.Revoked:
                    return Fail("SshHostKeyRevoked", TssrErrorCategory.SecurityError, endpoint,
                        text.Format("Error_HostKeyRevoked", endpoint.Display, check.KeyType, check.Fingerprint, check.File, check.Line),
                        text.Get("Action_HostKeyRevoked"), inner);
                default:
                    return Fail("SshHostKeyUnknown", TssrErrorCategory.SecurityError, endpoint,
                        text.Format("Error_HostKeyUnknown", endpoint.Display, check.KeyType, check.Fingerprint),
                        text.Format("Action_HostKeyUnknown", check.Fingerprint, options.AppendFile()), inner);
            }
        }

        private static TssrException SocketFailure(SshEndpoint endpoint, SocketException e)
        {
            var text = InventoryText.Strings;
            switch (e.SocketErrorCode)
            {
                case SocketError.ConnectionRefused:
                    return Fail("SshConnectionRefused", TssrErrorCategory.ConnectionError, endpoint,
                        text.Format("Error_ConnectionRefused", endpoint.Display), text.Get("Action_ConnectionRefused"), e);
                case SocketError.TimedOut:
                    return Fail("SshConnectTimeout", TssrErrorCategory.OperationTimeout, endpoint,
                        text.Format("Error_ConnectTimeout", endpoint.Display, 0), text.Get("Action_ConnectTimeout"), e);
                case SocketError.HostNotFound:
                case SocketError.NoData:
                case SocketError.TryAgain:
                    return Fail("SshHostNotFound", TssrErrorCategory.ObjectNotFound, endpoint,
                        text.Format("Error_HostNotFound", endpoint.Host), null, e);
                default:
                    return Fail("SshConnectionLost", TssrErrorCategory.ConnectionError, endpoint,
                        text.Format("Error_ConnectionLost", endpoint.Display, e.Message), text.Get("Action_ConnectionLost"), e);
            }
        }

        private static TssrException Fail(string id, TssrErrorCategory category, object? target, string message, string? action, Exception? inner = null)
            => new TssrException(id, category, target is SshEndpoint ep ? ep.Display : target, message, action, inner);

        public async Task<CommandReply> RunAsync(CommandRequest request, CancellationToken ct)
        {
            var text = InventoryText.Strings;
            var posix = Shell == RemoteShell.Posix && !request.Raw;
            // Windows commands come as powershell.exe bootstraps that print their PID first (CollectorScripts).
            var pidFirst = !request.Raw;
            var commandText = posix ? "printf '" + CommandPid.Marker + "%s\\n' \"$$\"; " + request.Command : request.Command;
            var clock = Stopwatch.StartNew();
            SshCommand command;
            try
            {
                command = _client.CreateCommand(commandText, new UTF8Encoding(false));
            }
            catch (Exception e) when (e is SshException || e is ObjectDisposedException || e is InvalidOperationException)
            {
                throw Fail("SshConnectionLost", TssrErrorCategory.ConnectionError, Target, text.Format("Error_ConnectionLost", Target, e.Message), text.Get("Action_ConnectionLost"), e);
            }
            using (command)
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                if (request.Timeout.HasValue) limit.CancelAfter(request.Timeout.Value);
                var timedOut = false;
                var killed = false;
                try
                {
                    var run = command.ExecuteAsync(limit.Token);
                    if (request.StandardInput != null)
                    {
                        try
                        {
                            using (var input = command.CreateInputStream())
                                await input.WriteAsync(request.StandardInput, 0, request.StandardInput.Length, limit.Token).ConfigureAwait(false);
                        }
                        catch (InvalidOperationException) when (limit.IsCancellationRequested || run.IsCompleted)
                        {
                            // The time ran out (or the command ended) before its input was written:
                            // awaiting the run below tells which.
                        }
                    }
                    await run.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    timedOut = !ct.IsCancellationRequested;
                    killed = await KillAsync(command, request).ConfigureAwait(false);
                    if (!timedOut) throw;
                }
                catch (Exception e) when (e is SshException || e is ObjectDisposedException || e is SocketException || e is IOException)
                {
                    throw Fail("SshConnectionLost", TssrErrorCategory.ConnectionError, Target, text.Format("Error_ConnectionLostDuring", Target, e.Message), text.Get("Action_ConnectionLost"), e);
                }
                clock.Stop();
                string output, error;
                try
                {
                    output = command.Result ?? string.Empty;
                    error = command.Error ?? string.Empty;
                }
                catch (Exception e) when (e is SshException || e is ObjectDisposedException || e is InvalidOperationException)
                {
                    output = string.Empty;
                    error = string.Empty;
                }
                if (pidFirst) output = CommandPid.Strip(output, out _);
                if (!timedOut && command.ExitStatus == null && command.ExitSignal == null && !IsConnected)
                    throw Fail("SshConnectionLost", TssrErrorCategory.ConnectionError, Target, text.Format("Error_ConnectionLostDuring", Target, string.Empty), text.Get("Action_ConnectionLost"));
                return new CommandReply(timedOut ? null : command.ExitStatus, timedOut ? null : command.ExitSignal, output, error, clock.Elapsed, timedOut, killed);
            }
        }


        /// <summary>
        /// What kills a timed-out command from a second channel: on POSIX its whole process group
        /// (the login shell leads it: sshd calls setsid), on Windows the process tree of the
        /// powershell.exe that runs it (taskkill /T, which both cmd.exe and PowerShell run as the
        /// default shell). See <see cref="KillConfirmed"/> for what its answer means.
        /// </summary>
        internal static string KillCommand(RemoteShell shell, int id, bool sudo)
            => shell == RemoteShell.PowerShell
                ? "taskkill /T /F /PID " + id.ToString(CultureInfo.InvariantCulture)
                : (sudo ? SshCommandRunner.SudoPrefix : string.Empty) + "LC_ALL=C kill -s KILL -- -" + id.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// Whether the kill leaves the command stopped: the signal reached its group or tree (exit
        /// 0), or nothing of it was left to kill (POSIX: ESRCH, "No such process", not even a
        /// zombie; taskkill: exit 128, process not found). sshd may already have signalled the
        /// login shell's group at the channel's close. Anything else (permission refused, no
        /// answer) is not a confirmation.
        /// </summary>
        internal static bool KillConfirmed(RemoteShell shell, int? exitStatus, string errorOutput)
            => exitStatus == 0
               || (shell == RemoteShell.PowerShell && exitStatus == 128)
               || (shell == RemoteShell.Posix && exitStatus != null && (errorOutput ?? string.Empty).IndexOf("No such process", StringComparison.Ordinal) >= 0);

        /// <summary>
        /// Stops a command for good: SSH.NET's signal request reaches only the login shell (and
        /// Windows' sshd ignores signals), so the process group or tree whose id the command printed
        /// first is killed from a second channel. True when that kill said it worked.
        /// </summary>
        private async Task<bool> KillAsync(SshCommand command, CommandRequest request)
        {
            int id = 0;
            try
            {
                command.CancelAsync(forceKill: true, millisecondsTimeout: 500);
            }
            catch (Exception e) when (e is SshException || e is InvalidOperationException || e is ObjectDisposedException)
            {
            }
            if (request.Raw || !IsConnected) return false;
            try
            {
                CommandPid.Strip(command.Result ?? string.Empty, out id);
            }
            catch (Exception e) when (e is SshException || e is ObjectDisposedException || e is InvalidOperationException)
            {
            }
            if (id <= 1) return false;
            var sudo = Shell == RemoteShell.Posix && request.StandardInput != null && request.Command.StartsWith(SshCommandRunner.SudoPrefix, StringComparison.Ordinal);
            var kill = KillCommand(Shell, id, sudo);
            try
            {
                using (var killer = _client.CreateCommand(kill))
                using (var grace = new CancellationTokenSource(KillGrace))
                {
                    var run = killer.ExecuteAsync(grace.Token);
                    if (sudo)
                    {
                        using (var input = killer.CreateInputStream())
                            await input.WriteAsync(request.StandardInput!, 0, request.StandardInput!.Length).ConfigureAwait(false);
                    }
                    await run.ConfigureAwait(false);
                    return KillConfirmed(Shell, killer.ExitStatus, killer.Error);
                }
            }
            catch (Exception e) when (e is SshException || e is OperationCanceledException || e is ObjectDisposedException || e is InvalidOperationException || e is IOException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            try
            {
                if (_client.IsConnected) _client.Disconnect();
            }
            catch (Exception e) when (e is SshException || e is ObjectDisposedException || e is SocketException || e is InvalidOperationException)
            {
            }
            _client.Dispose();
        }
    }
}
