using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Security;
using System.Text;
using Tssr.Tools.Engine.Checks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Network.Dns;
using Tssr.Tools.Engine.Reporting;

namespace Tssr.Tools
{
    /// <summary>
    /// Runs the checks of a declarative check file (.psd1) with the module's own commands, one result
    /// per check (Passed, Failed, Error, Unsupported, with its evidence), and leaves an exit code a
    /// scheduled task or CI job acts on; optionally an evidence report and a JUnit XML file.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "TssrCheck")]
    [OutputType(typeof(CheckResult))]
    [Competency(Competency.AutomateWithScripts)]
    public sealed class InvokeTssrCheckCommand : TssrCmdlet
    {
        private static readonly Localizer Text = ReportingText.Strings;
        private readonly List<object> _evidence = new List<object>();
        private readonly List<string> _commandLines = new List<string>();
        private PowerShell? _running;

        /// <summary>The check file (.psd1).</summary>
        // Not Mandatory on purpose: PowerShell would prompt for a missing mandatory parameter, and a
        // scheduled run must never wait for an answer. A missing -Path is an error (exit code 2).
        [Parameter(Position = 0)]
        public string Path { get; set; } = string.Empty;

        /// <summary>Only the checks whose name matches (wildcards allowed).</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(CheckNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Write the evidence report (HTML, or JSON for a .json path) here.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ReportPath { get; set; }

        /// <summary>Write JUnit XML here.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JUnitPath { get; set; }

        /// <summary>The report's language: en or fr; the UI language by default.</summary>
        [Parameter]
        [ValidateSet("en", "fr")]
        public string? Language { get; set; }

        /// <summary>Write one result object per check.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void StopProcessing()
        {
            _running?.Stop();
            base.StopProcessing();
        }

        protected override void EndProcessing()
        {
            // Until every check has run and every file is written, the run "could not run".
            SetExitCode(CheckExitCode.CouldNotRun);
            if (string.IsNullOrWhiteSpace(Path))
                ThrowTerminatingError(ErrorFactory.Create(new TssrError("CheckPathMissing", TssrErrorCategory.InvalidArgument, "-Path",
                    ReportingText.Strings.Get("Error_CheckPathMissing"), ReportingText.Strings.Get("Action_CheckPathMissing"))));
            var path = GetUnresolvedProviderPathFromPSPath(Path);
            var reportPath = ReportPath == null ? null : GetUnresolvedProviderPathFromPSPath(ReportPath);
            var junitPath = JUnitPath == null ? null : GetUnresolvedProviderPathFromPSPath(JUnitPath);
            foreach (var output in new[] { reportPath, junitPath })
            {
                if (output == null) continue;
                var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(output));
                if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir))
                    ThrowTerminatingError(ErrorFactory.Create("ReportDirectoryNotFound", TssrErrorCategory.ObjectNotFound, output,
                        Text.Format("Error_ReportDirectoryNotFound", output), Text.Get("Action_ReportDirectoryNotFound")));
            }

            var file = Invoke(() => CheckFileReader.Read(path));
            var patterns = (Name ?? Array.Empty<string>()).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            var selected = file.Checks.Where(c => patterns.Count == 0 || patterns.Any(p => p.IsMatch(c.Name))).ToList();
            if (patterns.Count > 0 && selected.Count == 0)
                ThrowParameterError("CheckNameNotFound", string.Join(", ", Name!), Text.Format("Error_CheckNameNotFound", string.Join(", ", Name!), path, string.Join(", ", file.Checks.Select(c => c.Name))));

            var started = DateTime.UtcNow;
            var results = new List<CheckResult>();
            var baseDir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
            for (var i = 0; i < selected.Count; i++)
            {
                var check = selected[i];
                WriteProgress(new ProgressRecord(1, "Invoke-TssrCheck", check.Name) { PercentComplete = 100 * i / selected.Count });
                var result = Run(check, baseDir);
                results.Add(result);
                WriteVerbose(Text.Format("Verbose_CheckDone", result.Name, result.Outcome, result.Evidence));
                if (result.Outcome != CheckOutcome.Passed)
                    WriteWarning(Text.Format("Warning_CheckNotPassed", result.Name, result.Outcome, result.Evidence));
                if (PassThru) WriteObject(result);
            }
            WriteProgress(new ProgressRecord(1, "Invoke-TssrCheck", "done") { RecordType = ProgressRecordType.Completed });

            if (reportPath != null)
            {
                var options = ExportTssrReportCommand.NewOptions(this, Language, file.Title ?? Text.Format(CultureInfo.GetCultureInfo((Language ?? CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) == "fr" ? "fr-FR" : "en-US"), "Check_ReportTitle", System.IO.Path.GetFileName(path)));
                var line = MyInvocation.Line?.Trim();
                if (!string.IsNullOrEmpty(line)) options.CommandLines.Add(line!);
                foreach (var c in _commandLines) options.CommandLines.Add(c);
                var reader = new ReportRecordReader(this);
                var records = results.Select(r => reader.Read(r)).Concat(_evidence.Select(reader.Read)).ToList();
                reader.Describe(options);
                var document = Invoke(() => ReportBuilder.Build(options, records));
                var format = reportPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ReportFormat.Json : ReportFormat.Html;
                ExportTssrReportCommand.WriteReport(this, document, format, reportPath);
            }
            if (junitPath != null) WriteJUnit(junitPath, System.IO.Path.GetFileName(path), started, results);

            var code = CheckExitCode.Of(results);
            SetExitCode(code);
            WriteVerbose(Text.Format("Verbose_CheckSummary", results.Count, results.Count(r => r.Outcome == CheckOutcome.Passed),
                results.Count(r => r.Outcome == CheckOutcome.Failed), results.Count(r => r.Outcome == CheckOutcome.Error),
                results.Count(r => r.Outcome == CheckOutcome.Unsupported), code));
        }

        private void SetExitCode(int code) => SessionState.PSVariable.Set(new PSVariable("global:LASTEXITCODE", code));

        private void WriteJUnit(string path, string suite, DateTime started, IReadOnlyList<CheckResult> results)
        {
            try
            {
                var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
                using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false)))
                    JUnitWriter.Write(writer, suite, Environment.MachineName, started, results);
                if (File.Exists(path)) File.Delete(path);
                File.Move(temporary, path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorFactory.Create("ReportWriteFailed", TssrErrorCategory.WriteError, path,
                    Text.Format("Error_ReportWriteFailed", path, e.Message), Text.Get("Action_ReportWriteFailed"), e));
            }
        }

        private CheckResult Run(CheckDefinition check, string baseDir)
        {
            var clock = Stopwatch.StartNew();
            string target = string.Empty;
            try
            {
                switch (check.Type)
                {
                    case "PortOpen":
                    case "PortClosed":
                    {
                        var targets = CheckCatalog.Strings(check, "Target");
                        var ports = CheckCatalog.Strings(check, "Port");
                        target = string.Join(", ", targets) + " : " + string.Join(", ", ports);
                        var parameters = new Dictionary<string, object> { ["Target"] = targets, ["Port"] = ports };
                        var timeout = CheckCatalog.Number(check, "TimeoutSec", 0.05, 600);
                        if (timeout.HasValue) parameters["TimeoutSec"] = timeout.Value;
                        var outputs = Command("Test-TssrPort", parameters, out var error);
                        if (error != null) return CheckJudge.Error(check, target, error.Value.Id, error.Value.Message, clock.Elapsed);
                        var facts = outputs.Select(o => new PortFact(Prop(o, "ComputerName") + ":" + Prop(o, "Port"), Prop(o, "Status"), Prop(o, "Reason"))).ToList();
                        return CheckJudge.Port(check, check.Type == "PortOpen", target, facts, clock.Elapsed);
                    }
                    case "Certificate":
                    {
                        var targets = CheckCatalog.Strings(check, "Target");
                        var minimum = (int)CheckCatalog.Number(check, "MinimumDaysLeft", 0, 3650)!.Value;
                        target = string.Join(", ", targets);
                        var parameters = new Dictionary<string, object> { ["Target"] = targets };
                        var port = CheckCatalog.Number(check, "Port", 1, 65535);
                        if (port.HasValue) parameters["Port"] = (int)port.Value;
                        var serverName = CheckCatalog.OptionalString(check, "ServerName");
                        if (serverName != null) parameters["ServerName"] = serverName;
                        var trusted = CheckCatalog.Strings(check, "TrustedCertificatePath").Select(p => Resolve(baseDir, p)).ToArray();
                        if (trusted.Length > 0) parameters["TrustedCertificatePath"] = trusted;
                        var timeout = CheckCatalog.Number(check, "TimeoutSec", 0.05, 600);
                        if (timeout.HasValue) parameters["TimeoutSec"] = timeout.Value;
                        var outputs = Command("Test-TssrTlsCertificate", parameters, out var error);
                        if (error != null) return CheckJudge.Error(check, target, error.Value.Id, error.Value.Message, clock.Elapsed);
                        var facts = outputs.Select(o => new CertificateFact(Prop(o, "Target"), Prop(o, "Status"),
                            List(o, "Problems"), int.TryParse(Prop(o, "DaysLeft"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) ? d : 0,
                            o.Properties["NotAfter"]?.Value is DateTime n ? n : (DateTime?)null, Prop(o, "Explanation"))).ToList();
                        return CheckJudge.Certificate(check, minimum, target, facts, clock.Elapsed);
                    }
                    case "DnsRecord":
                    {
                        var query = CheckCatalog.RequireString(check, "Query");
                        var type = CheckCatalog.Enum<DnsRecordType>(check, "RecordType") ?? DnsRecordType.A;
                        var expected = CheckCatalog.Strings(check, "Expected");
                        var match = CheckCatalog.OptionalString(check, "Match") ?? "Exact";
                        if (!string.Equals(match, "Exact", StringComparison.OrdinalIgnoreCase) && !string.Equals(match, "Contains", StringComparison.OrdinalIgnoreCase))
                            throw CheckCatalog.Invalid(check.File, CheckCatalog.LineOf(check, "Match"), Text.Format("Check_NeedsOneOf", "Match", match, "Exact, Contains"));
                        target = query + " " + type;
                        var parameters = new Dictionary<string, object> { ["Name"] = new[] { query }, ["Type"] = new[] { type }, ["IncludeFailure"] = true };
                        var servers = CheckCatalog.Strings(check, "Server");
                        if (servers.Length > 0) parameters["Server"] = servers;
                        var timeout = CheckCatalog.Number(check, "TimeoutSec", 0.05, 60);
                        if (timeout.HasValue) parameters["TimeoutSec"] = timeout.Value;
                        var outputs = Command("Resolve-TssrDns", parameters, out var error);
                        if (error != null) return CheckJudge.Error(check, target, error.Value.Id, error.Value.Message, clock.Elapsed);
                        var ofType = outputs.Where(o => Prop(o, "Type") == type.ToString()).ToList();
                        var status = ofType.Select(o => Prop(o, "Status")).FirstOrDefault() ?? outputs.Select(o => Prop(o, "Status")).FirstOrDefault() ?? "NoAnswer";
                        var values = ofType.Where(o => Prop(o, "Status") == "NoError").Select(o => DnsValue(o, type)).ToList();
                        return CheckJudge.Dns(check, target, expected, string.Equals(match, "Exact", StringComparison.OrdinalIgnoreCase), status, values, clock.Elapsed);
                    }
                    case "FirewallAudit":
                    {
                        var file = Resolve(baseDir, CheckCatalog.RequireString(check, "Path"));
                        var maximum = CheckCatalog.Enum<FindingSeverity>(check, "MaximumSeverity") ?? FindingSeverity.Low;
                        target = file;
                        var parameters = new Dictionary<string, object> { ["Path"] = new[] { file } };
                        var profile = CheckCatalog.OptionalString(check, "Profile");
                        if (profile != null) parameters["Profile"] = profile;
                        var outputs = Command("Invoke-TssrFirewallAudit", parameters, out var error);
                        if (error != null) return CheckJudge.Error(check, target, error.Value.Id, error.Value.Message, clock.Elapsed);
                        var facts = outputs.Select(o => new SeverityFact(o.Properties["Severity"]?.Value is FindingSeverity s ? (int)s : 0, Prop(o, "Severity"), Prop(o, "Kind") + ": " + Prop(o, "Explanation"))).ToList();
                        return CheckJudge.Severity(check, target, (int)maximum, maximum.ToString(), facts, "Check_Evidence_FirewallGood", "Check_Evidence_FirewallBad", clock.Elapsed);
                    }
                    case "InventoryDrift":
                    {
                        var reference = Resolve(baseDir, CheckCatalog.RequireString(check, "Reference"));
                        var difference = Resolve(baseDir, CheckCatalog.RequireString(check, "Difference"));
                        target = reference + " → " + difference;
                        var refs = Command("Import-TssrInventory", new Dictionary<string, object> { ["Path"] = new[] { reference } }, out var error);
                        if (error != null) return CheckJudge.Error(check, target, error.Value.Id, error.Value.Message, clock.Elapsed);
                        var diffs = Command("Import-TssrInventory", new Dictionary<string, object> { ["Path"] = new[] { difference } }, out error);
                        if (error != null) return CheckJudge.Error(check, target, error.Value.Id, error.Value.Message, clock.Elapsed);
                        var changes = Command("Compare-TssrInventory", new Dictionary<string, object> { ["Reference"] = refs.Cast<object>().ToArray(), ["Difference"] = diffs.Cast<object>().ToArray() }, out error);
                        if (error != null) return CheckJudge.Error(check, target, error.Value.Id, error.Value.Message, clock.Elapsed);
                        var facts = changes.Where(o => Prop(o, "Class") == "Security")
                            .Select(o => new SeverityFact(1, Prop(o, "Severity"), Prop(o, "ComputerName") + " " + Prop(o, "Category") + " " + Prop(o, "Change") + " " + Prop(o, "Item"))).ToList();
                        return CheckJudge.Severity(check, target, 0, Text.Get("Check_NoSecurityDrift"), facts, "Check_Evidence_DriftGood", "Check_Evidence_DriftBad", clock.Elapsed);
                    }
                    case "BackupAge":
                    {
                        var path = CheckCatalog.RequireString(check, "Path");
                        var maximum = CheckCatalog.Number(check, "MaximumAgeHours", 0.01, 100000) ?? 24;
                        var filter = CheckCatalog.OptionalString(check, "Filter");
                        var repository = CheckCatalog.OptionalString(check, "Repository");
                        var secretText = CheckCatalog.OptionalString(check, "Secret");
                        var secret = CheckSecretReference.Parse(secretText);
                        if (secretText != null && secret == null)
                            throw CheckCatalog.Invalid(check.File, CheckCatalog.LineOf(check, "Secret"), Text.Format("Check_SecretInvalid", secretText));
                        if (repository != null) return RepositoryAge(check, baseDir, path, repository, secret, maximum, clock);
                        if (secret != null)
                            throw CheckCatalog.Invalid(check.File, CheckCatalog.LineOf(check, "Secret"), Text.Get("Check_SecretNeedsRepository"));
                        if (BackupAgeProbe.IsRemote(path))
                            return CheckJudge.Unsupported(check, path, Text.Format("Check_Unsupported_BackupRemote", path));
                        target = Resolve(baseDir, path);
                        _commandLines.Add("Get-ChildItem -LiteralPath " + Show(target) + (filter != null ? " -Filter " + Show(filter) : string.Empty) + " | Sort-Object LastWriteTimeUtc | Select-Object -Last 1");
                        BackupAgeFact? fact;
                        try { fact = BackupAgeProbe.Probe(target, filter); }
                        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
                        {
                            return CheckJudge.Error(check, target, "BackupPathUnreadable", e.Message, clock.Elapsed);
                        }
                        if (fact == null) return CheckJudge.Error(check, target, "BackupPathNotFound", Text.Get("Check_Evidence_BackupMissing"), clock.Elapsed);
                        return CheckJudge.BackupAge(check, target, maximum, fact, DateTime.UtcNow, clock.Elapsed);
                    }
                    default:
                        return CheckJudge.Unsupported(check, target, Text.Format("Check_Unsupported_Type", check.Type));
                }
            }
            catch (TssrException e) when (e.Error.ErrorId == "CheckFileInvalid")
            {
                // A setting of the right name with a wrong value: the file is wrong, the run stops.
                ThrowTerminatingError(ErrorFactory.Create(e.Error));
                throw;
            }
        }

        /// <summary>
        /// BackupAge of a restic or borg repository read through the real program with its password
        /// (Secret): the newest snapshot's time from Test-TssrBackupPolicy. Remote locations too.
        /// </summary>
        private CheckResult RepositoryAge(CheckDefinition check, string baseDir, string path, string repository, CheckSecretReference? secret, double maximum, Stopwatch clock)
        {
            string parameter;
            if (string.Equals(repository, "Restic", StringComparison.OrdinalIgnoreCase)) parameter = "ResticRepository";
            else if (string.Equals(repository, "Borg", StringComparison.OrdinalIgnoreCase)) parameter = "BorgRepository";
            else throw CheckCatalog.Invalid(check.File, CheckCatalog.LineOf(check, "Repository"), Text.Format("Check_NeedsOneOf", "Repository", repository, "Restic, Borg"));
            // restic's sftp:/s3:… and borg's ssh://… or user@host:path are the program's to read; a local path is the check file's.
            var location = BackupAgeProbe.IsRemote(path) || path.Contains("://") || (path.IndexOf('@') > 0 && path.IndexOf(':') > path.IndexOf('@')) ? path : Resolve(baseDir, path);
            var parameters = new Dictionary<string, object> { [parameter] = location };
            if (secret != null)
            {
                SecureString password;
                try { password = ReadSecret(secret, baseDir); }
                catch (TssrException e) { return CheckJudge.Error(check, location, e.Error.ErrorId, e.Error.Message + (e.Error.RecommendedAction != null ? " " + e.Error.RecommendedAction : string.Empty), clock.Elapsed); }
                // The user name is ignored by the repositories: it tells the report where the password came from.
                parameters["Credential"] = new PSCredential(secret.ToString(), password);
            }
            var outputs = Command("Test-TssrBackupPolicy", parameters, out var error);
            if (error != null) return CheckJudge.Error(check, location, error.Value.Id, error.Value.Message, clock.Elapsed);
            var policy = outputs.FirstOrDefault();
            var count = int.TryParse(policy == null ? null : Prop(policy, "SnapshotCount"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
            var newest = policy?.Properties["NewestSnapshotUtc"]?.Value is DateTime t ? t : (DateTime?)null;
            var fact = new BackupAgeFact(parameter, count, location, newest);
            return CheckJudge.BackupAge(check, location, maximum, fact, DateTime.UtcNow, clock.Elapsed);
        }

        private SecureString ReadSecret(CheckSecretReference secret, string baseDir)
        {
            switch (secret.Source)
            {
                case CheckSecretSource.Environment: return ToSecure(CheckSecretReader.ReadEnvironment(secret.Name));
                case CheckSecretSource.File: return ToSecure(CheckSecretReader.ReadFile(Resolve(baseDir, secret.Name)));
                default:
                {
                    using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
                    {
                        ps.AddCommand("Get-Command").AddParameter("Name", "Get-Secret").AddParameter("ErrorAction", "Ignore");
                        if (ps.Invoke().Count == 0)
                            throw new TssrException("CheckSecretVaultUnavailable", TssrErrorCategory.NotInstalled, secret.ToString(), Text.Format("Check_SecretVaultUnavailable", secret.Name), Text.Get("Action_CheckSecret"));
                    }
                    using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
                    {
                        ps.AddCommand("Get-Secret").AddParameter("Name", secret.Name).AddParameter("ErrorAction", "Stop");
                        Collection<PSObject> found;
                        try { found = ps.Invoke(); }
                        catch (RuntimeException e)
                        {
                            throw new TssrException("CheckSecretNotFound", TssrErrorCategory.ObjectNotFound, secret.ToString(), Text.Format("Check_SecretVaultFailed", secret.Name, e.Message), Text.Get("Action_CheckSecret"));
                        }
                        switch (found.FirstOrDefault()?.BaseObject)
                        {
                            case SecureString secure: return secure;
                            case PSCredential credential: return credential.Password;
                            case string text when text.Length > 0: return ToSecure(text);
                            default:
                                throw new TssrException("CheckSecretNotFound", TssrErrorCategory.InvalidData, secret.ToString(), Text.Format("Check_SecretVaultFailed", secret.Name, "not a SecureString, PSCredential or string"), Text.Get("Action_CheckSecret"));
                        }
                    }
                }
            }
        }

        private static SecureString ToSecure(string text)
        {
            var secure = new SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        private static string Resolve(string baseDir, string path) => System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDir, path));

        private static string DnsValue(PSObject o, DnsRecordType type)
        {
            switch (type)
            {
                case DnsRecordType.A:
                case DnsRecordType.AAAA: return Prop(o, "IPAddress");
                case DnsRecordType.CNAME:
                case DnsRecordType.MX:
                case DnsRecordType.NS:
                case DnsRecordType.PTR:
                case DnsRecordType.SRV: return Prop(o, "NameHost");
                case DnsRecordType.TXT: return Prop(o, "Value");
                default: return Prop(o, "Data");
            }
        }

        private static string Prop(PSObject o, string name) => Convert.ToString(o.Properties[name]?.Value, CultureInfo.InvariantCulture) ?? string.Empty;

        private static IReadOnlyList<string> List(PSObject o, string name)
            => o.Properties[name]?.Value is IEnumerable e && !(o.Properties[name]!.Value is string)
                ? e.Cast<object>().Select(x => Convert.ToString(x, CultureInfo.InvariantCulture) ?? string.Empty).ToList()
                : (IReadOnlyList<string>)Array.Empty<string>();

        /// <summary>Runs one of the module's own commands in this runspace; keeps its output as evidence and its command line for the report.</summary>
        private Collection<PSObject> Command(string name, IDictionary<string, object> parameters, out (string Id, string Message)? error)
        {
            _commandLines.Add(name + " " + string.Join(" ", parameters.Select(p => "-" + p.Key + (p.Value is bool ? string.Empty : " " + Show(p.Value)))));
            error = null;
            using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                _running = ps;
                ps.AddCommand("Tssr.Tools\\" + name);
                foreach (var p in parameters)
                {
                    if (p.Value is bool b) { if (b) ps.AddParameter(p.Key); }
                    else ps.AddParameter(p.Key, p.Value);
                }
                Collection<PSObject> outputs;
                try
                {
                    outputs = ps.Invoke();
                }
                catch (RuntimeException e)
                {
                    var record = e.ErrorRecord;
                    error = (record?.FullyQualifiedErrorId?.Split(',')[0] ?? "CommandFailed", record?.ErrorDetails?.Message ?? e.Message);
                    return new Collection<PSObject>();
                }
                finally
                {
                    _running = null;
                }
                foreach (var o in outputs) _evidence.Add(o);
                if (ps.Streams.Error.Count > 0)
                {
                    var record = ps.Streams.Error[0];
                    error = (record.FullyQualifiedErrorId?.Split(',')[0] ?? "CommandFailed", record.ErrorDetails?.Message ?? record.Exception?.Message ?? record.ToString());
                }
                return outputs;
            }
        }

        private static string Show(object value)
        {
            if (value is PSCredential credential) return "(" + credential.UserName + ")";
            if (value is string s) return Quote(s);
            if (value is IEnumerable e) return string.Join(",", e.Cast<object>().Select(x => x is string xs ? Quote(xs) : Convert.ToString(x, CultureInfo.InvariantCulture)));
            return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        private static string Quote(string s) => s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || c == '.' || c == ':' || c == '-' || c == '/' || c == '_') ? s : "'" + s.Replace("'", "''") + "'";
    }

    /// <summary>Completes -Name with the names of the checks in the file given with -Path.</summary>
    public sealed class CheckNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            if (!(fakeBoundParameters?["Path"] is string path) || path.Length == 0) return Array.Empty<CompletionResult>();
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var full = System.IO.Path.GetFullPath(path);
            return CheckFileReader.NamesForCompletion(full)
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n.IndexOfAny(new[] { ' ', '\'', '"', ',', ';', '$', '`' }) >= 0 ? "'" + n.Replace("'", "''") + "'" : n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
    }
}
