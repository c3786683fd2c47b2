@{
    RootModule             = 'Tssr.Tools.dll'
    # Loaded before the root module: installs the isolated loading of dependencies/.
    NestedModules          = @('Tssr.Tools.Loader.dll')
    ModuleVersion          = '0.1.0'
    GUID                   = '5f0c7a52-3b8e-4f3e-9a51-7d0b6e2c9f14'
    Author                 = 'Tssr.Tools contributors'
    CompanyName            = 'Tssr.Tools'
    Copyright              = '(c) Tssr.Tools contributors. MIT licence.'
    Description            = 'Toolbox of the systems and network technician (TSSR): IP network checks, Active Directory helpdesk over LDAP, inventory over SSH/SNMP, firewall audit and backup validation, on Linux, macOS and Windows. / Boîte à outils du technicien supérieur systèmes et réseaux.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('Tssr.Tools.Format.ps1xml')
    CmdletsToExport        = @(
        'Get-TssrCompetency'
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
        'Test-TssrBackupPolicy'
        'Measure-TssrRestore'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('TSSR', 'network', 'ActiveDirectory', 'LDAP', 'SSH', 'SNMP', 'firewall', 'backup', 'Linux', 'macOS', 'Windows')
            LicenseUri   = ''
            ProjectUri   = ''
            ReleaseNotes = 'See CHANGELOG.md'
        }
    }
}
