using System;
using System.Collections.Generic;
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
            var rows = ParameterSetName == ByPath ? Invoke(() => CsvTable.Read(GetUnresolvedProviderPathFromPSPath(Path))) : _rows;
            var options = new UserImportOptions
            {
                DefaultPath = TargetOU,
                UpnSuffix = UpnSuffix,
                ThrottleLimit = ThrottleLimit,
                ChangePasswordAtLogon = ChangePasswordAtLogon,
                Source = ParameterSetName == ByPath ? Path : "<input>",
            };
            RunEngine(new UserImporter(Directory), options, rows);
            base.EndProcessing();
        }
    }
}
