using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Reporting;

namespace Tssr.Tools
{
    /// <summary>
    /// Writes one self-contained HTML (or JSON) report of any results piped to it: a summary by
    /// status or severity, a section per result type with its competency of the référentiel, charts,
    /// and the date, computer, operator, module version and command lines that make it evidence.
    /// </summary>
    [Cmdlet(VerbsData.Export, "TssrReport", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    [Competency(Competency.AutomateWithScripts)]
    public sealed class ExportTssrReportCommand : TssrCmdlet
    {
        private static readonly Localizer Text = ReportingText.Strings;
        private readonly List<ReportRecord> _records = new List<ReportRecord>();
        private ReportRecordReader? _reader;

        /// <summary>The results to report: any objects, mixed.</summary>
        [Parameter(ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        /// <summary>The file to write (replaced if it exists).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [Alias("FilePath")]
        public string Path { get; set; } = string.Empty;

        /// <summary>Html (default; Json when the path ends in .json) or Json.</summary>
        [Parameter]
        public ReportFormat? Format { get; set; }

        /// <summary>fr or en; the user's UI language by default.</summary>
        [Parameter]
        [ValidateSet("en", "fr")]
        public string? Language { get; set; }

        /// <summary>The report's title.</summary>
        [Parameter]
        public string? Title { get; set; }

        /// <summary>More command lines to record as having produced the results (the pipeline's own line is always recorded).</summary>
        [Parameter]
        public string[]? CommandLine { get; set; }

        /// <summary>Write the report file's FileInfo.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing() => _reader = new ReportRecordReader(this);

        protected override void ProcessRecord()
        {
            // With no pipeline input PowerShell calls ProcessRecord once without a value: an empty report.
            if (!MyInvocation.ExpectingInput && InputObject == null) return;
            if (InputObject?.BaseObject is IEnumerable list && !(InputObject.BaseObject is string) && !(InputObject.BaseObject is IDictionary) && !MyInvocation.ExpectingInput)
            {
                foreach (var item in list) _records.Add(_reader!.Read(item));
                return;
            }
            _records.Add(_reader!.Read(InputObject));
        }

        protected override void EndProcessing()
        {
            var path = GetUnresolvedProviderPathFromPSPath(Path);
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
                ThrowTerminatingError(ErrorFactory.Create("ReportDirectoryNotFound", TssrErrorCategory.ObjectNotFound, path,
                    Text.Format("Error_ReportDirectoryNotFound", path), Text.Get("Action_ReportDirectoryNotFound")));

            var format = Format ?? (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ReportFormat.Json : ReportFormat.Html);
            var options = NewOptions(this, Language, Title);
            var line = MyInvocation.Line?.Trim();
            if (!string.IsNullOrEmpty(line)) options.CommandLines.Add(line!);
            foreach (var extra in CommandLine ?? Array.Empty<string>())
                if (!string.IsNullOrWhiteSpace(extra)) options.CommandLines.Add(extra);
            if (!string.IsNullOrEmpty(MyInvocation.ScriptName))
                options.CommandLines.Add(Text.Format(options.Culture, "Report_FromScript", MyInvocation.ScriptName, MyInvocation.ScriptLineNumber));
            _reader!.Describe(options);

            if (!ShouldProcess(path, Text.Format("ShouldProcess_WriteReport", _records.Count, format))) return;
            var document = Invoke(() => ReportBuilder.Build(options, _records));
            WriteReport(this, document, format, path);
            WriteVerbose(Text.Format("Verbose_ReportWritten", path, document.ItemCount, document.Sections.Count, new FileInfo(path).Length));
            if (PassThru) WriteObject(new FileInfo(path));
        }

        /// <summary>The options every report starts from: language, metadata of this run.</summary>
        internal static ReportOptions NewOptions(PSCmdlet cmdlet, string? language, string? title)
        {
            var lang = language ?? (CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fr" ? "fr" : "en");
            var options = new ReportOptions
            {
                Culture = CultureInfo.GetCultureInfo(lang == "fr" ? "fr-FR" : "en-US"),
                Title = title,
                GeneratedAt = DateTimeOffset.Now,
                ComputerName = Environment.MachineName,
                Operator = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? Environment.UserDomainName + "\\" + Environment.UserName : Environment.UserName,
                ModuleVersion = cmdlet.MyInvocation.MyCommand?.Module?.Version?.ToString() ?? typeof(ExportTssrReportCommand).Assembly.GetName().Version?.ToString() ?? string.Empty,
                OperatingSystem = RuntimeInformation.OSDescription.Trim(),
            };
            if (cmdlet.SessionState.PSVariable.GetValue("PSVersionTable") is Hashtable table)
                options.HostVersion = "PowerShell " + table["PSVersion"] + " (" + table["PSEdition"] + ")";
            return options;
        }

        /// <summary>Writes the document next to its destination first, then moves it in place: a failed run never leaves half a report.</summary>
        internal static void WriteReport(TssrCmdlet cmdlet, ReportDocument document, ReportFormat format, string path)
        {
            var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16))
                {
                    if (format == ReportFormat.Json) JsonReportWriter.Write(document, writer);
                    else HtmlReportWriter.Write(document, writer);
                }
                if (File.Exists(path)) File.Delete(path);
                File.Move(temporary, path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                try { if (File.Exists(temporary)) File.Delete(temporary); } catch (IOException) { }
                cmdlet.ThrowTerminatingError(ErrorFactory.Create("ReportWriteFailed", TssrErrorCategory.WriteError, path,
                    Text.Format("Error_ReportWriteFailed", path, e.Message), Text.Get("Action_ReportWriteFailed"), e));
            }
        }
    }
}
