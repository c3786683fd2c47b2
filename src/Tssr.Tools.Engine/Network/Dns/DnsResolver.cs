using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Dns
{
    /// <summary>
    /// Resolve-TssrDns: asks one or more servers (or the system's) for the records of many names at
    /// once, with bounded concurrency, writing each name's records as soon as they are known.
    /// </summary>
    public sealed class DnsResolver : IEngine<DnsResolveOptions, string>
    {
        internal static readonly Localizer Text = NetworkText.Dns;
        private static readonly DnsRecordType[] AddressTypes = { DnsRecordType.A, DnsRecordType.AAAA };
        private static readonly DnsRecordType[] PtrType = { DnsRecordType.PTR };
        private static readonly TimeSpan LongestProbe = TimeSpan.FromSeconds(1);

        private readonly DnsResolveOptions _options;
        private HostsFile? _hosts;

        /// <summary>A resolver for <see cref="RunAsync"/>, which takes its options per run.</summary>
        public DnsResolver() : this(new DnsResolveOptions())
        {
        }

        /// <summary>A resolver bound to <paramref name="options"/>, for <see cref="ResolveAsync"/>.</summary>
        public DnsResolver(DnsResolveOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.ThrottleLimit < 1)
                throw Invalid("ThrottleLimit", options.ThrottleLimit);
            if (options.Retry < 0)
                throw Invalid("Retry", options.Retry);
            if (options.Timeout <= TimeSpan.Zero)
                throw Invalid("Timeout", options.Timeout);
        }

        /// <summary>The engine contract: resolves every name of <paramref name="names"/> with <paramref name="options"/>.</summary>
        public Task RunAsync(DnsResolveOptions options, IEnumerable<string> names, IEngineSink sink, CancellationToken cancellationToken)
        {
            DnsResolver resolver;
            try
            {
                resolver = new DnsResolver(options);
            }
            catch (TssrException e)
            {
                return Task.FromException(e);
            }
            return resolver.ResolveAsync(names, sink, cancellationToken);
        }

        /// <summary>
        /// Resolves every name of <paramref name="names"/> (read as it comes: the sequence may be fed
        /// while this runs). Records and outcomes go to <paramref name="sink"/> name by name; a name
        /// that fails is reported and the others go on.
        /// </summary>
        public async Task ResolveAsync(IEnumerable<string> names, IEngineSink sink, CancellationToken ct)
        {
            var targets = await CreateTargetsAsync(sink, ct).ConfigureAwait(false);
            if (_options.Servers.Count == 0 && !_options.DnsOnly)
            {
                _hosts = HostsFile.Load(_options.HostsFilePath ?? HostsFile.SystemPath);
                sink.Verbose(Text.Format("Verbose_HostsFile", _hosts.Path));
            }
            var total = names is ICollection<string> collection ? collection.Count : -1;
            var limit = _options.ThrottleLimit;
            var activity = Text.Get("Progress_Activity");
            using (var slots = new SemaphoreSlim(limit, limit))
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                Exception? failure = null;
                var done = 0;

                async Task ResolveOne(string name)
                {
                    try
                    {
                        await ResolveNameAsync(name, targets, sink, stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref failure, e, null);
                        stop.Cancel();
                    }
                    finally
                    {
                        // The slot goes back whatever the sink does: the wait for every slot below
                        // is how the sweep ends, so a sink that throws once stopped must not hang it.
                        try
                        {
                            var n = Interlocked.Increment(ref done);
                            sink.Progress(new ProgressReport(activity, Progress(n, total), ProgressReport.Percent(n, total)));
                        }
                        finally
                        {
                            slots.Release();
                        }
                    }
                }

                try
                {
                    foreach (var name in names)
                    {
                        await slots.WaitAsync(stop.Token).ConfigureAwait(false);
                        _ = ResolveOne(name);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                finally
                {
                    // Every slot back means every name in flight has finished.
                    for (var i = 0; i < limit; i++)
                        await slots.WaitAsync().ConfigureAwait(false);
                }

                sink.Progress(new ProgressReport(activity, Progress(done, total), 100, completed: true));
                if (failure != null)
                    ExceptionDispatchInfo.Capture(failure).Throw();
                ct.ThrowIfCancellationRequested();
            }
        }

        /// <summary>
        /// Checks a name (or address) before anything is sent: throws the DnsNameInvalid error a
        /// resolution of it would report. Cmdlets use it on the names typed on the command line.
        /// </summary>
        public static void ValidateName(string input)
        {
            if (DnsNames.TryPrepare(input, out _, out var reason)) return;
            throw new TssrException("DnsNameInvalid", TssrErrorCategory.InvalidArgument, input,
                Text.Format("Status_InvalidName", input, string.Empty, Join(AddressTypes), reason), Text.Get("Action_InvalidName"));
        }

        /// <summary>The places to ask: each server named, or the system's servers together.</summary>
        internal async Task<IReadOnlyList<DnsTarget>> CreateTargetsAsync(IEngineSink sink, CancellationToken ct)
        {
            if (_options.Servers.Count == 0)
            {
                IReadOnlyCollection<NameServer> system;
                try
                {
                    // Never fall back to a public resolver: a technician must know which server answered.
                    system = NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false);
                }
                catch (Exception e) when (!(e is OutOfMemoryException))
                {
                    throw NoSystemServer(e);
                }
                if (system == null || system.Count == 0)
                    throw NoSystemServer(null);
                var list = system.ToList();
                sink.Verbose(Text.Format("Verbose_SystemServers", string.Join(", ", list.Select(DnsTarget.LabelOf))));
                return new[] { new DnsTarget(string.Join(", ", list.Select(DnsTarget.LabelOf)), list, _options) };
            }

            var targets = new List<DnsTarget>();
            foreach (var server in _options.Servers)
            {
                ct.ThrowIfCancellationRequested();
                if (server.Address != null)
                {
                    targets.Add(new DnsTarget(DnsServerAddress.Format(server.Address, server.Port), new[] { new NameServer(server.Address, server.Port) }, _options));
                    continue;
                }
                IPAddress[] addresses;
                try
                {
                    addresses = await System.Net.Dns.GetHostAddressesAsync(server.Host).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    throw new TssrException("DnsServerUnresolved", TssrErrorCategory.ObjectNotFound, server.Text,
                        Text.Format("Error_ServerUnresolved", server.Text, e.Message), Text.Get("Action_ServerUnresolved"), e);
                }
                if (addresses.Length == 0)
                {
                    throw new TssrException("DnsServerUnresolved", TssrErrorCategory.ObjectNotFound, server.Text,
                        Text.Format("Error_ServerUnresolved", server.Text, "-"), Text.Get("Action_ServerUnresolved"));
                }
                var nameServers = addresses.Select(a => new NameServer(a, server.Port)).ToList();
                var label = server.Host + " (" + string.Join(", ", nameServers.Select(DnsTarget.LabelOf)) + ")";
                sink.Verbose(Text.Format("Verbose_ServerResolved", server.Host, label));
                targets.Add(new DnsTarget(label, nameServers, _options));
            }
            return targets;
        }

        private async Task ResolveNameAsync(string input, IReadOnlyList<DnsTarget> targets, IEngineSink sink, CancellationToken ct)
        {
            if (!DnsNames.TryPrepare(input, out var name, out var reason))
            {
                var types = _options.Types.Count > 0 ? _options.Types.Distinct().ToList() : AddressTypes.ToList();
                var message = Text.Format("Status_InvalidName", input, string.Empty, Join(types), reason);
                Emit(sink, _options.IncludeFailure
                    ? (object)DnsResult.Outcome(input ?? string.Empty, input ?? string.Empty, types, string.Empty, DnsStatus.InvalidName, "DnsNameInvalid", message, null)
                    : new TssrError("DnsNameInvalid", TssrErrorCategory.InvalidArgument, input, message, Text.Get("Action_InvalidName")));
                return;
            }

            var (asked, chosen) = TypesFor(name!, sink);
            if (_hosts != null)
            {
                var covered = AnswerFromHosts(_hosts, name!, asked, sink);
                if (covered.Count > 0)
                {
                    asked = asked.Where(t => !covered.Contains(t)).ToList();
                    if (asked.Count == 0) return;
                }
            }
            // Servers are asked at once; each server's results are written together, in the order given.
            var perTarget = await Task.WhenAll(targets.Select(t => ResolveOnTargetAsync(name!, asked, chosen, t, sink, ct))).ConfigureAwait(false);
            foreach (var results in perTarget)
                foreach (var result in results)
                    Emit(sink, result);
        }

        /// <summary>
        /// Writes what the hosts file says of the name (A/AAAA) or address (PTR) and returns the types
        /// it answered: a name the file lists gets its addresses from there only, both families (as
        /// the system's resolver does: the file's answer stands, even without an IPv6 line); the
        /// other types asked (MX, TXT...) still go to the servers.
        /// </summary>
        private static IReadOnlyList<DnsRecordType> AnswerFromHosts(HostsFile hosts, DnsQueryName name, IReadOnlyList<DnsRecordType> asked, IEngineSink sink)
        {
            if (name.Address != null)
            {
                if (!asked.Contains(DnsRecordType.PTR)) return Array.Empty<DnsRecordType>();
                var names = hosts.NamesOf(name.Address);
                if (names.Count == 0) return Array.Empty<DnsRecordType>();
                foreach (var host in names)
                    sink.Output(DnsResult.Pointer(new DnsRecordHeader(name.Input, name.QueryName, DnsRecordType.PTR, 0, hosts.Path), host, DnsSource.HostsFile));
                return PtrType;
            }
            var addressTypes = asked.Where(t => t == DnsRecordType.A || t == DnsRecordType.AAAA).ToList();
            if (addressTypes.Count == 0) return Array.Empty<DnsRecordType>();
            var addresses = hosts.AddressesOf(name.QueryName);
            if (addresses.Count == 0) return Array.Empty<DnsRecordType>();
            foreach (var address in addresses)
            {
                var type = address.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A;
                if (addressTypes.Contains(type))
                    sink.Output(DnsResult.Address(new DnsRecordHeader(name.Input, name.QueryName, type, 0, hosts.Path), address, DnsSource.HostsFile));
            }
            return addressTypes;
        }

        private (IReadOnlyList<DnsRecordType> Types, bool Chosen) TypesFor(DnsQueryName name, IEngineSink sink)
        {
            if (name.Address != null)
            {
                if (_options.Types.Count > 0 && !_options.Types.Contains(DnsRecordType.PTR))
                    sink.Verbose(Text.Format("Verbose_AddressMeansPtr", name.Input, Join(_options.Types)));
                return (PtrType, true);
            }
            return _options.Types.Count == 0 ? (AddressTypes, false) : (_options.Types.Distinct().ToList(), true);
        }

        private async Task<List<object>> ResolveOnTargetAsync(DnsQueryName name, IReadOnlyList<DnsRecordType> types, bool chosen, DnsTarget target, IEngineSink sink, CancellationToken ct)
        {
            var answers = await Task.WhenAll(types.Select(t => QueryAsync(target, name.QueryName, t, sink, ct))).ConfigureAwait(false);
            var results = new List<object>();
            // The CNAME that leads to both the A and the AAAA answers is one record, written once.
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var answer in answers.Where(a => a.Status == DnsStatus.NoError))
            {
                var fresh = answer.Records.Where(r => seen.Add(KeyOf(r))).ToList();
                var records = await Task.WhenAll(fresh.Select(r => ToRecordAsync(r, name, answer.Server, target, sink, ct))).ConfigureAwait(false);
                results.AddRange(records.Where(r => r != null).Cast<object>());
            }
            foreach (var group in DnsOutcomeRules.GroupsToReport(answers, chosen))
                results.Add(Describe(name, group));
            return results;
        }

        /// <summary>One query, classified; never throws for what the network or the server did.</summary>
        internal async Task<DnsAnswer> QueryAsync(DnsTarget target, string queryName, DnsRecordType type, IEngineSink sink, CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            DnsAnswer answer;
            try
            {
                var response = await target.Client.QueryAsync(queryName, (QueryType)(int)type, QueryClass.IN, ct).ConfigureAwait(false);
                answer = DnsAnswer.FromResponse(type, response, DnsTarget.LabelOf(response.NameServer));
            }
            catch (ArgumentException e)
            {
                answer = DnsAnswer.Empty(type, DnsStatus.InvalidName, target.Label, null, e.Message);
            }
            catch (Exception e)
            {
                ct.ThrowIfCancellationRequested();
                var classified = DnsAnswer.FromException(type, e, target.Label);
                if (classified == null) throw;
                answer = classified;
            }

            if (answer.Status == DnsStatus.Timeout && !_options.TcpOnly
                && await target.IsPortUnreachableAsync(_options.Timeout < LongestProbe ? _options.Timeout : LongestProbe, ct).ConfigureAwait(false))
            {
                answer = answer.WithStatus(DnsStatus.ConnectionRefused, "ICMP port unreachable");
            }
            sink.Verbose(Text.Format("Verbose_Query", queryName, type, answer.Server, StatusName(answer.Status), answer.Records.Count, watch.ElapsedMilliseconds));
            return answer;
        }

        private async Task<DnsResult?> ToRecordAsync(DnsResourceRecord record, DnsQueryName name, string server, DnsTarget target, IEngineSink sink, CancellationToken ct)
        {
            var owner = DnsNames.Trim(record.DomainName.Value);
            var header = new DnsRecordHeader(name.Input, owner, (DnsRecordType)(int)record.RecordType, record.InitialTimeToLive, server);
            if (_options.CheckReverse)
            {
                switch (record)
                {
                    case AddressRecord address:
                        header = header.WithCheck(await CheckAddressAsync(target, address.Address, new[] { owner, name.QueryName }, sink, ct).ConfigureAwait(false));
                        break;
                    case PtrRecord ptr:
                        var pointed = name.Address;
                        if (pointed != null || DnsNames.TryParseArpa(owner, out pointed))
                            header = header.WithCheck(await CheckPtrAsync(target, DnsNames.Trim(ptr.PtrDomainName.Value), pointed!, sink, ct).ConfigureAwait(false));
                        break;
                }
            }
            return Convert(header, record);
        }

        private static string KeyOf(DnsResourceRecord record)
        {
            var owner = DnsNames.Trim(record.DomainName.Value);
            var converted = Convert(new DnsRecordHeader(owner, owner, (DnsRecordType)(int)record.RecordType, 0, string.Empty), record);
            return owner + "|" + (int)record.RecordType + "|" + (converted?.Data ?? record.ToString());
        }

        internal static DnsResult? Convert(DnsRecordHeader header, DnsResourceRecord record)
        {
            switch (record)
            {
                case AddressRecord a: return DnsResult.Address(header, a.Address);
                case CNameRecord c: return DnsResult.Named(header, DnsNames.Trim(c.CanonicalName.Value));
                case MxRecord mx: return DnsResult.Mx(header, mx.Preference, DnsNames.Trim(mx.Exchange.Value));
                case TxtRecord txt: return DnsResult.Txt(header, txt.Text.ToList());
                case SrvRecord srv: return DnsResult.Srv(header, srv.Priority, srv.Weight, srv.Port, DnsNames.Trim(srv.Target.Value));
                case NsRecord ns: return DnsResult.Named(header, DnsNames.Trim(ns.NSDName.Value));
                case SoaRecord soa: return DnsResult.Soa(header, DnsNames.Trim(soa.MName.Value), DnsNames.Trim(soa.RName.Value), soa.Serial, soa.Refresh, soa.Retry, soa.Expire, soa.Minimum);
                case PtrRecord ptr: return DnsResult.Pointer(header, DnsNames.Trim(ptr.PtrDomainName.Value));
                default: return null;
            }
        }

        /// <summary>A → PTR: does a PTR of the address name the host (or the name that was asked)?</summary>
        private async Task<DnsReverseCheckResult> CheckAddressAsync(DnsTarget target, IPAddress address, IReadOnlyList<string> expected, IEngineSink sink, CancellationToken ct)
        {
            var arpa = DnsNames.ArpaName(address);
            var answer = await QueryAsync(target, arpa, DnsRecordType.PTR, sink, ct).ConfigureAwait(false);
            var names = answer.Records.OfType<PtrRecord>().Select(p => DnsNames.Trim(p.PtrDomainName.Value)).ToArray();
            return Judge(answer, names, names.Any(n => expected.Any(e => DnsNames.SameName(n, e))),
                "Check_AddressMatch", "Check_AddressMismatch", "Check_AddressMissing", arpa,
                address.ToString(), string.Join(", ", names), expected[0]);
        }

        /// <summary>PTR → A/AAAA: does the name the PTR gives resolve back to the address?</summary>
        private async Task<DnsReverseCheckResult> CheckPtrAsync(DnsTarget target, string hostName, IPAddress address, IEngineSink sink, CancellationToken ct)
        {
            var type = address.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A;
            var answer = await QueryAsync(target, hostName, type, sink, ct).ConfigureAwait(false);
            var addresses = answer.Records.OfType<AddressRecord>().Select(a => a.Address).ToArray();
            var wanted = address.GetAddressBytes();
            return Judge(answer, addresses.Select(a => a.ToString()).ToArray(), addresses.Any(a => a.GetAddressBytes().SequenceEqual(wanted)),
                "Check_PtrMatch", "Check_PtrMismatch", "Check_PtrMissing", hostName,
                hostName, string.Join(", ", addresses.Select(a => a.ToString())), address.ToString(), type.ToString());
        }

        private static DnsReverseCheckResult Judge(DnsAnswer answer, string[] values, bool match, string matchKey, string mismatchKey, string missingKey, string asked, params object[] args)
        {
            if (answer.Status == DnsStatus.NoError && values.Length > 0)
                return new DnsReverseCheckResult(match ? DnsReverseCheck.Match : DnsReverseCheck.Mismatch, values, Text.Format(match ? matchKey : mismatchKey, args));
            if (answer.Status == DnsStatus.NoError || answer.Status == DnsStatus.NoData || answer.Status == DnsStatus.NameNotFound)
                return new DnsReverseCheckResult(DnsReverseCheck.Missing, values, Text.Format(missingKey, args.Concat(new object[] { StatusName(answer.Status) }).ToArray()));
            return new DnsReverseCheckResult(DnsReverseCheck.Failed, values, Text.Format("Check_Failed", asked, StatusName(answer.Status), answer.Server));
        }

        /// <summary>Turns one way a name ended into an outcome object or an error, as the options say.</summary>
        private object Describe(DnsQueryName name, DnsOutcomeGroup group)
        {
            var first = group.Answers[0];
            var status = group.Status;
            var message = Text.Format("Status_" + status, name.Input, first.Server, Join(group.Types), first.Detail ?? string.Empty,
                _options.Timeout.TotalSeconds.ToString("0.###", CultureInfo.CurrentCulture), _options.Retry + 1,
                _options.TcpOnly ? "TCP" : "UDP");
            var errorId = DnsOutcomeRules.ErrorIdOf(status);
            if (status == DnsStatus.NoData || _options.IncludeFailure)
                return DnsResult.Outcome(name.Input, name.QueryName, group.Types, first.Server, status, errorId, message, first.Zone);
            return new TssrError(errorId, DnsOutcomeRules.CategoryOf(status), name.Input, message, Text.Get("Action_" + status));
        }

        private static void Emit(IEngineSink sink, object result)
        {
            if (result is TssrError error) sink.Error(error);
            else sink.Output(result);
        }

        internal static string StatusName(DnsStatus status) => Text.Get("StatusName_" + status);

        private static string Join(IEnumerable<DnsRecordType> types) => string.Join(", ", types);

        private static string Progress(int done, int total)
            => total > 0 ? Text.Format("Progress_StatusOf", done, total) : Text.Format("Progress_Status", done);

        private static TssrException NoSystemServer(Exception? inner)
            => new TssrException("DnsNoSystemServer", TssrErrorCategory.ResourceUnavailable, null,
                Text.Get("Error_NoSystemServer"), Text.Get("Action_NoSystemServer"), inner);

        private static TssrException Invalid(string option, object value)
            => new TssrException("DnsOptionInvalid", TssrErrorCategory.InvalidArgument, value,
                Text.Format("Error_OptionInvalid", option, value), Text.Get("Action_OptionInvalid"));
    }
}
