@{
    RootModule             = 'Tssr.Tools.dll'
    # Loaded before the root module: installs the isolated loading of dependencies/.
    NestedModules          = @('Tssr.Tools.Loader.dll')
    ModuleVersion          = '0.1.0'
    GUID                   = '5f0c7a52-3b8e-4f3e-9a51-7d0b6e2c9f14'
    Author                 = 'Tssr.Tools contributors'
    CompanyName            = 'Tssr.Tools'
    Copyright              = '(c) Tssr.Tools contributors. MIT licence.'
    Description            = 'Toolbox of the systems and network technician (TSSR): IP network checks, Active Directory helpdesk over LDAP, inventory over SSH/SNMP, firewall audit, backup validation, evidence reports and scheduled checks, on Linux, macOS and Windows. / Boîte à outils du technicien supérieur systèmes et réseaux (TSSR) : contrôles du réseau IP, assistance Active Directory par LDAP, inventaire par SSH/SNMP, audit de pare-feu, validation des sauvegardes, rapports de preuves et contrôles planifiés, sous Linux, macOS et Windows.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('Tssr.Tools.Format.ps1xml')
    CmdletsToExport        = @(
        'Get-TssrCompetency'
        'Export-TssrReport'
        'Invoke-TssrCheck'
        'Connect-TssrDirectory'
        'Disconnect-TssrDirectory'
        'Get-TssrUser'
        'New-TssrUser'
        'Set-TssrUser'
        'Enable-TssrUser'
        'Disable-TssrUser'
        'Unlock-TssrUser'
        'Reset-TssrUserPassword'
        'Get-TssrGroupMember'
        'Add-TssrGroupMember'
        'Remove-TssrGroupMember'
        'Search-TssrAccount'
        'Get-TssrUserDiagnostic'
        'Import-TssrUser'
        'Get-TssrSubnet'
        'Find-TssrDuplicateAddress'
        'Resolve-TssrDns'
        'Test-TssrTlsCertificate'
        'Import-TssrFirewallRuleSet'
        'Invoke-TssrFirewallAudit'
        'Test-TssrFirewallFlow'
        'Compare-TssrFirewallRuleSet'
        'Test-TssrHost'
        'Test-TssrPort'
        'New-TssrSshSession'
        'Get-TssrSshSession'
        'Remove-TssrSshSession'
        'Invoke-TssrSshCommand'
        'Get-TssrServerInventory'
        'Export-TssrInventory'
        'Import-TssrInventory'
        'Compare-TssrInventory'
        'New-TssrBackupManifest'
        'Test-TssrBackup'
        'Get-TssrSnmpValue'
        'Invoke-TssrSnmpWalk'
        'Set-TssrSnmpValue'
        'Get-TssrNetworkDeviceInventory'
        'Find-TssrSnmpDevice'
        'Test-TssrBackupPolicy'
        'Measure-TssrRestore'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('TSSR', 'network', 'ActiveDirectory', 'LDAP', 'SSH', 'SNMP', 'firewall', 'backup', 'report', 'JUnit', 'Linux', 'macOS', 'Windows')
            # No public address exists yet: build.ps1 Package leaves these out of the package's manifest.
            LicenseUri   = ''
            ProjectUri   = ''
            # build.ps1 Package replaces this with the CHANGELOG.md section of the version (or Unreleased).
            ReleaseNotes = 'See CHANGELOG.md'
        }
    }
}
