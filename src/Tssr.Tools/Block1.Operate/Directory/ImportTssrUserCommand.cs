using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>
    /// Creates and updates users from a CSV file (or Import-Csv objects): the whole input is
    /// validated into a plan first (Create / Update / Unchanged / Invalid, by row), -WhatIf shows
    /// it, otherwise it is applied; the same file run again changes nothing.
    /// </summary>
    [Cmdlet(VerbsData.Import, "TssrUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByPath)]
    [OutputType(typeof(ImportPlanEntry))]
    [Competency(Engine.Core.Competency.SupportUsers, Engine.Core.Competency.OperateWindowsServersAndActiveDirectory)]
    public sealed class ImportTssrUserCommand : DirectoryCmdlet
    {
        private const string ByPath = nameof(ByPath);
        private const string ByObject = nameof(ByObject);
        private readonly List<ImportRow> _rows = new List<ImportRow>();

        /// <summary>The CSV file (',' ';' or tab, UTF-8 or Latin-1), header on line 1.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByPath)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Rows as objects, e.g. from Import-Csv; their property names are the columns.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObject)]
        public PSObject? InputObject { get; set; }

        /// <summary>The OU for rows without an OU column value (default: the domain's Users container).</summary>
        [Parameter]
        [Alias("DefaultPath")]
        public string? TargetOU { get; set; }

        /// <summary>The UPN suffix for rows without a UserPrincipalName (default: the domain's DNS name); it must be allowed in the forest.</summary>
        [Parameter]
        public string? UpnSuffix { get; set; }

        /// <summary>New users must change their password at first logon (a ChangePasswordAtLogon column overrides it per row).</summary>
        [Parameter]
        public bool ChangePasswordAtLogon { get; set; }

        /// <summary>LDAP connections used in parallel to apply the plan (1-16, default 4).</summary>
        [Parameter]
        [ValidateRange(1, 16)]
        public int ThrottleLimit { get; set; } = 4;

        protected override void ProcessRecord()
        {
            if (ParameterSetName != ByObject || InputObject == null) return;
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in InputObject.Properties)
            {
                if (p.MemberType != PSMemberTypes.NoteProperty && p.MemberType != PSMemberTypes.Property) continue;
                object? v;
                try { v = p.Value; } catch (GetValueException) { continue; }
                values[p.Name] = v?.ToString();
            }
            _rows.Add(new ImportRow("<input>", _rows.Count + 2, values));
        }

        protected override void EndProcessing()
        {
            List<ImportRow> rows;
            if (ParameterSetName == ByPath)
            {
                var file = GetUnresolvedProviderPathFromPSPath(Path);
                rows = Invoke(() => CsvTable.Read(file));
            }
            else
            {
                rows = _rows;
            }
            var options = new UserImportOptions
            {
                DefaultPath = TargetOU,
                UpnSuffix = UpnSuffix,
                ThrottleLimit = ThrottleLimit,
                ChangePasswordAtLogon = ChangePasswordAtLogon,
            };
            var importer = new UserImporter(Directory);
            var source = rows.Count > 0 ? rows[0].Source : Path;
            Run(async (sink, ct) =>
            {
                var plan = await importer.PlanAsync(rows, options, sink, ct).ConfigureAwait(false);
                try
                {
                    int Count(ImportAction a) => plan.Count(p => p.Action == a);
                    var create = Count(ImportAction.Create);
                    var update = Count(ImportAction.Update);
                    sink.Verbose(DirectoryCmdletText.Format("Verbose_ImportPlan", source, create, update, Count(ImportAction.Unchanged), Count(ImportAction.Invalid)));
                    if (create + update > 0 && sink.ShouldProcess(source, DirectoryCmdletText.Format("Action_ImportApply", create, update, Count(ImportAction.Unchanged), Count(ImportAction.Invalid))))
                        await importer.ApplyAsync(plan, options, sink, ct).ConfigureAwait(false);
                }
                finally
                {
                    UserImporter.ReleaseSecrets(plan);
                }
                foreach (var entry in plan) sink.Output(entry);
            });
            base.EndProcessing();
        }
    }
}
