using System;
using System.Collections.Generic;
using System.DirectoryServices.Protocols;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Directory
{
    /// <summary>
    /// One bound, encrypted (unless explicitly not) LDAP connection to a domain controller, as
    /// Connect-TssrDirectory returns it and every directory cmdlet takes it. Requests made through
    /// it are serialised, so one session can be shared by the pipeline safely.
    /// </summary>
    public sealed class DirectorySession : IDisposable
    {
        private static readonly Localizer Text = DirectoryText.Strings;
        private readonly LdapConnection _connection;
        private readonly TrustedCertificates _trusted;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private bool _disposed;
        private readonly DirectoryConnectionOptions _options;

        private DirectorySession(LdapConnection connection, TrustedCertificates trusted, DirectoryConnectionOptions options, ServerCertificateInfo? certificate)
        {
            _connection = connection;
            _trusted = trusted;
            _options = options;
            Server = options.Server;
            Port = options.Port;
            Transport = options.Transport;
            UserName = options.UserName;
            Certificate = certificate;
            ConnectedAt = DateTime.UtcNow;
            Id = Guid.NewGuid();
        }

        public Guid Id { get; }
        public string Server { get; }
        public int Port { get; }
        public DirectoryTransport Transport { get; }
        /// <summary>False only for a session opened with -AllowUnencrypted: no password travels on it.</summary>
        public bool Encrypted => Transport != DirectoryTransport.Unencrypted;
        public string? UserName { get; }
        public string DomainName { get; private set; } = string.Empty;
        public string BaseDn { get; private set; } = string.Empty;
        public string? DomainController { get; private set; }
        public ServerCertificateInfo? Certificate { get; }
        public DateTime ConnectedAt { get; }
        public bool IsOpen => !_disposed;

        /// <summary>Opens, checks the certificate, binds and reads the RootDSE.</summary>
        public static async Task<DirectorySession> ConnectAsync(DirectoryConnectionOptions options, IEngineSink sink, CancellationToken ct)
        {
            var target = options.Server + ":" + options.Port;
            var trusted = string.IsNullOrEmpty(options.TrustedCertificatePath) ? TrustedCertificates.None : TrustedCertificates.Load(options.TrustedCertificatePath!);
            LdapConnection? connection = null;
            try
            {
                if (options.Transport == DirectoryTransport.Unencrypted)
                    sink.Warning(Text.Format("Warning_Unencrypted", target));
                var certificate = await TlsPreflight.CheckAsync(options, trusted, ct).ConfigureAwait(false);
                if (certificate != null)
                    sink.Verbose(Text.Format("Verbose_Certificate", target, certificate.Subject, certificate.Issuer, certificate.NotAfter.ToString("u"), certificate.Thumbprint));
                ct.ThrowIfCancellationRequested();

                connection = new LdapConnection(new LdapDirectoryIdentifier(options.Server, options.Port, fullyQualifiedDnsHostName: false, connectionless: false));
                connection.Timeout = options.Timeout;
                var session = connection.SessionOptions;
                session.ProtocolVersion = 3;
                session.ReferralChasing = ReferralChasingOptions.None;
                if (options.Transport != DirectoryTransport.Unencrypted)
                {
                    if (options.Transport == DirectoryTransport.Ldaps) session.SecureSocketLayer = true;
                    ApplyTrust(session, trusted);
                }
                if (options.Transport == DirectoryTransport.StartTls)
                    session.StartTransportLayerSecurity(null);

                if (options.Password != null)
                {
                    connection.AuthType = AuthType.Basic;
                    connection.Credential = new NetworkCredential(options.UserName, options.Password);
                }
                else if (options.UseCurrentIdentity)
                {
                    connection.AuthType = AuthType.Negotiate;
                }
                else
                {
                    connection.AuthType = AuthType.Anonymous;
                }
                sink.Verbose(Text.Format("Verbose_Binding", target, options.UserName ?? (options.UseCurrentIdentity ? "(current identity)" : "(anonymous)"), options.Transport));
                try
                {
                    connection.Bind();
                }
                catch (LdapException e) when (e.ErrorCode == 81 || e.ErrorCode == 91)
                {
                    // The SslStream check passed, so what libldap refused is its own check. It
                    // compares the name typed, except "localhost", which it replaces by this
                    // machine's host name (tested against the lab DC: a certificate for localhost
                    // and 127.0.0.1 binds as 127.0.0.1, not as localhost).
                    throw new TssrException("DirectoryTlsRejectedByLdapLibrary", TssrErrorCategory.SecurityError, target,
                        IsLocalhost(options.Server)
                            ? Text.Format("Error_LibldapTlsLocalhost", target, LibldapHostName())
                            : Text.Format("Error_LibldapTls", target),
                        IsLocalhost(options.Server) ? Text.Format("Action_LibldapTlsLocalhost", LibldapHostName()) : Text.Get("Action_LibldapTls"), e);
                }
                catch (LdapException e)
                {
                    throw new TssrException(DirectoryErrors.FromException(e, target, Text.Get("Op_Bind")));
                }
                catch (DirectoryOperationException e) when (e.Response == null && options.Transport == DirectoryTransport.Unencrypted && options.Password != null)
                {
                    // libldap's "strong authentication required" comes without a response object.
                    throw new TssrException("DirectoryEncryptionRequired", TssrErrorCategory.SecurityError, target,
                        Text.Format("Error_Operation", Text.Get("Op_Bind"), target, Text.Get("Ad_StrongAuth"), e.Message), Text.Get("Action_Ad_StrongAuth"), e);
                }
                catch (DirectoryOperationException e)
                {
                    throw new TssrException(DirectoryErrors.FromException(e, target, Text.Get("Op_Bind")));
                }

                var result = new DirectorySession(connection, trusted, options, certificate);
                await result.ReadRootDseAsync(ct).ConfigureAwait(false);
                return result;
            }
            catch
            {
                connection?.Dispose();
                trusted.Dispose();
                throw;
            }
        }

        /// <summary>
        /// libldap keeps one TLS context per process unless asked for a new one: the CA directory
        /// must be set and a new context started on each connection. Both members exist at run time
        /// in the .NET 8+ copies PowerShell ships but not in the netstandard2.0 reference surface,
        /// hence reflection, in this one place. On Windows (wldap32) the callback does the work.
        /// </summary>
        internal static void ApplyTrust(LdapSessionOptions session, TrustedCertificates trusted)
        {
            if (trusted.Directory == null) return;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                session.VerifyServerCertificate = (conn, cert) =>
                {
                    using (var c = new X509Certificate2(cert))
                        return trusted.Validates(c) || SystemTrusts(c);
                };
                return;
            }
            var type = session.GetType();
            var directory = type.GetProperty("TrustedCertificatesDirectory", BindingFlags.Public | BindingFlags.Instance);
            var newContext = type.GetMethod("StartNewTlsSessionContext", BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null);
            if (directory == null || newContext == null)
                throw new TssrException("DirectoryTrustedCertificateUnsupported", TssrErrorCategory.NotImplemented, trusted.Directory,
                    Text.Get("Error_TrustedDirectoryUnsupported"), Text.Get("Action_TrustedDirectoryUnsupported"));
            try
            {
                directory.SetValue(session, trusted.Directory);
                newContext.Invoke(session, null);
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
        }

        private static bool SystemTrusts(X509Certificate2 certificate)
        {
            using (var chain = new X509Chain())
            {
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            }
        }

        private static bool IsLocalhost(string server) => string.Equals(server.Trim().TrimEnd('.'), "localhost", StringComparison.OrdinalIgnoreCase);

        /// <summary>The name libldap puts in place of "localhost": the host name, canonicalised by the resolver (its ldap_int_hostname).</summary>
        internal static string LibldapHostName()
        {
            var name = Dns.GetHostName();
            try { return Dns.GetHostEntry(name).HostName; }
            catch (System.Net.Sockets.SocketException) { return name; }
        }

        private async Task ReadRootDseAsync(CancellationToken ct)
        {
            var request = new SearchRequest(string.Empty, "(objectClass=*)", SearchScope.Base, "defaultNamingContext", "dnsHostName");
            var response = (SearchResponse)await SendAsync(request, Server, Text.Get("Op_RootDse"), ct).ConfigureAwait(false);
            if (response.Entries.Count == 0) return;
            var entry = response.Entries[0];
            BaseDn = LdapValues.String(entry, "defaultNamingContext") ?? string.Empty;
            DomainController = LdapValues.String(entry, "dnsHostName");
            DomainName = string.Join(".", LdapEscape.ParseDn(BaseDn).Where(r => string.Equals(r.Type, "DC", StringComparison.OrdinalIgnoreCase)).Select(r => r.Value));
        }

        /// <summary>Sends one request; cancellation abandons it. Failures become <see cref="TssrException"/>s naming <paramref name="target"/>.</summary>
        internal async Task<DirectoryResponse> SendAsync(DirectoryRequest request, object target, string operation, CancellationToken ct)
        {
            if (_disposed)
                throw new TssrException("DirectorySessionClosed", TssrErrorCategory.InvalidOperation, Server, Text.Get("Error_SessionClosed"), Text.Get("Action_SessionClosed"));
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            // The synchronous SendRequest on a worker, not BeginSendRequest: on Linux the latter's
            // polling made every later request of the process slower after a few hundred writes
            // (measured: a 40-entry search went from 60 ms to 2.3 s after 200 adds). The gate is
            // released when the request really ends, so the connection stays serialised even when
            // the caller stops waiting (Ctrl+C); the request itself ends within the timeout.
            Task<DirectoryResponse> work;
            try
            {
                work = Task.Run(() => _connection.SendRequest(request), CancellationToken.None);
            }
            catch
            {
                _gate.Release();
                throw;
            }
            _ = work.ContinueWith(_ => _gate.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (ct.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(work, cancelled.Task).ConfigureAwait(false) != work)
                    throw new OperationCanceledException(ct);
            }
            try
            {
                return await work.ConfigureAwait(false);
            }
            catch (DirectoryOperationException e)
            {
                throw new TssrException(DirectoryErrors.FromException(e, target, operation));
            }
            catch (LdapException e)
            {
                throw new TssrException(DirectoryErrors.FromException(e, target, operation));
            }
        }

        /// <summary>
        /// A subtree (or other scope) search with the simple paged results control, each entry
        /// handed to <paramref name="onEntry"/> as it arrives (memory stays flat on large directories).
        /// </summary>
        internal async Task SearchAsync(string baseDn, string filter, SearchScope scope, string[] attributes, Action<SearchResultEntry> onEntry, CancellationToken ct, int pageSize = 500, int sizeLimit = 0)
        {
            var request = new SearchRequest(baseDn, filter, scope, attributes);
            var paging = new PageResultRequestControl(pageSize) { IsCritical = false };
            request.Controls.Add(paging);
            var returned = 0;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var response = (SearchResponse)await SendAsync(request, baseDn, Text.Get("Op_Search"), ct).ConfigureAwait(false);
                foreach (SearchResultEntry entry in response.Entries)
                {
                    onEntry(entry);
                    if (sizeLimit > 0 && ++returned >= sizeLimit) return;
                }
                var cookie = response.Controls.OfType<PageResultResponseControl>().FirstOrDefault()?.Cookie;
                if (cookie == null || cookie.Length == 0) return;
                paging.Cookie = cookie;
            }
        }

        internal async Task<List<SearchResultEntry>> SearchListAsync(string baseDn, string filter, SearchScope scope, string[] attributes, CancellationToken ct, int sizeLimit = 0)
        {
            var list = new List<SearchResultEntry>();
            await SearchAsync(baseDn, filter, scope, attributes, list.Add, ct, sizeLimit: sizeLimit).ConfigureAwait(false);
            return list;
        }

        /// <summary>One entry read at its DN (base scope), or null when it does not exist.</summary>
        internal async Task<SearchResultEntry?> ReadAsync(string dn, string[] attributes, CancellationToken ct)
        {
            try
            {
                var response = (SearchResponse)await SendAsync(new SearchRequest(dn, "(objectClass=*)", SearchScope.Base, attributes), dn, Text.Get("Op_Read"), ct).ConfigureAwait(false);
                return response.Entries.Count == 0 ? null : response.Entries[0];
            }
            catch (TssrException e) when (e.Error.ErrorId == "LdapObjectNotFound")
            {
                return null;
            }
        }

        /// <summary>
        /// The schema's rangeUpper of the given attributes (maximum length in characters), read
        /// once per session and kept: the schema does not change under a running import.
        /// </summary>
        internal async Task<IReadOnlyDictionary<string, int>> AttributeLimitsAsync(IEnumerable<string> attributes, CancellationToken ct)
        {
            var wanted = attributes.Where(a => !_rangeUpper.ContainsKey(a)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (wanted.Count > 0)
            {
                var root = await ReadAsync(string.Empty, new[] { "schemaNamingContext" }, ct).ConfigureAwait(false);
                var schema = root == null ? null : LdapValues.String(root, "schemaNamingContext");
                if (schema != null)
                {
                    var filter = "(&(objectClass=attributeSchema)(|" + string.Concat(wanted.Select(a => "(lDAPDisplayName=" + LdapEscape.FilterValue(a) + ")")) + "))";
                    await SearchAsync(schema, filter, SearchScope.OneLevel, new[] { "lDAPDisplayName", "rangeUpper" }, e =>
                    {
                        var name = LdapValues.String(e, "lDAPDisplayName");
                        var upper = LdapValues.Long(e, "rangeUpper");
                        if (name != null) _rangeUpper[name] = upper.HasValue && upper.Value > 0 && upper.Value <= int.MaxValue ? (int)upper.Value : (int?)null;
                    }, ct).ConfigureAwait(false);
                }
                foreach (var a in wanted) if (!_rangeUpper.ContainsKey(a)) _rangeUpper[a] = null;
            }
            var result = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var a in attributes)
                if (_rangeUpper.TryGetValue(a, out var v) && v.HasValue) result[a] = v.Value;
            return result;
        }

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int?> _rangeUpper = new System.Collections.Concurrent.ConcurrentDictionary<string, int?>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Another connection with the same server, transport and credential (bulk work over several connections).</summary>
        internal Task<DirectorySession> OpenSiblingAsync(IEngineSink sink, CancellationToken ct) => ConnectAsync(_options, sink, ct);

        /// <summary>Refuses a password operation on a session opened with -AllowUnencrypted.</summary>
        internal void RequireEncryption(object target)
        {
            if (!Encrypted)
                throw new TssrException("LdapPasswordNeedsEncryption", TssrErrorCategory.SecurityError, target,
                    Text.Format("Error_PasswordNeedsEncryption", Server), Text.Get("Action_PasswordNeedsEncryption"));
        }

        public override string ToString() => $"{Server}:{Port} ({Transport}, {UserName ?? "anonymous"})";

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _connection.Dispose();
            _trusted.Dispose();
        }
    }
}
