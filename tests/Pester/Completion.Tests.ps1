# Tab completion where a person presses Tab: service names for -Port, protocol names for -Protocol,
# the names of every enum parameter (DNS record types, firewall profiles, severities, formats...),
# check names of a check file (the last is also covered in Check.Tests.ps1).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TssrTestModule
    function script:Complete([string] $Line) { @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText) }
}

Describe 'Argument completion' {
    It 'completes -Port of Test-TssrPort with service names' {
        Complete 'Test-TssrPort 127.0.0.1 -Port ht' | Should -Contain 'https'
        Complete 'Test-TssrPort 127.0.0.1 -Port rd' | Should -Be @('rdp')
    }

    It 'completes DNS record types' {
        Complete 'Resolve-TssrDns tssr.lab -Type M' | Should -Be @('MX')
        Complete 'Resolve-TssrDns tssr.lab -Type S' | Should -Contain 'SRV'
    }

    It 'completes Windows firewall profiles' {
        Complete 'Invoke-TssrFirewallAudit -Path x.json -Profile P' | Should -Be @('Private', 'Public')
    }

    It 'completes the names of every kind of enum parameter: <Line>' -ForEach @(
        @{ Line = 'Invoke-TssrFirewallAudit -Path x.json -MinimumSeverity H'; Expected = @('High') }
        @{ Line = 'Invoke-TssrFirewallAudit -Path x.json -Kind Sh'; Expected = @('Shadowing') }
        @{ Line = 'Import-TssrFirewallRuleSet -Path x.json -Format Ipt'; Expected = @('IptablesSave') }
        @{ Line = 'New-TssrBackupManifest -Path . -Format J'; Expected = @('Json') }
        @{ Line = 'Compare-TssrFirewallRuleSet -ReferencePath a -DifferencePath b -Change NewlyA'; Expected = @('NewlyAllowed') }
        @{ Line = 'Get-TssrCompetency -Competency Operate'; Expected = @('OperateIpNetwork', 'OperateLinuxServers', 'OperateWindowsServersAndActiveDirectory') }
        @{ Line = 'Get-TssrSnmpValue -ComputerName 127.0.0.1 -Oid sysDescr.0 -AuthProtocol SHA2'; Expected = @('SHA224', 'SHA256') }
        @{ Line = 'Get-TssrUser -SearchScope O'; Expected = @('OneLevel') }
        @{ Line = 'Test-TssrHost 127.0.0.1 -Mode R'; Expected = @('Raw') }
        @{ Line = 'Test-TssrFirewallFlow -Path x.json -Source 10.0.0.1 -Destination 10.0.0.2 -Direction Forw'; Expected = @('Forward') }
    ) {
        Complete $Line | Should -Be $Expected
    }

    It 'completes -Protocol of Test-TssrFirewallFlow with protocol names it accepts' {
        Complete 'Test-TssrFirewallFlow -Path x.json -Source 10.0.0.1 -Destination 10.0.0.2 -Protocol ic' | Should -Be @('icmp', 'icmpv6')
        $all = Complete 'Test-TssrFirewallFlow -Path x.json -Source 10.0.0.1 -Destination 10.0.0.2 -Protocol '
        $all | Select-Object -First 2 | Should -Be @('tcp', 'udp')
        $all | Should -Contain 'sctp'
    }

    It 'completes -Port of Test-TssrFirewallFlow with the same service names as Test-TssrPort' {
        Complete 'Test-TssrFirewallFlow -Path x.json -Source 10.0.0.1 -Destination 10.0.0.2 -Port ld' | Should -Be (Complete 'Test-TssrPort 127.0.0.1 -Port ld')
        Complete 'Test-TssrPort 127.0.0.1 -Port ld' | Should -Contain 'ldaps'
    }

    It 'completes nothing, and fails nothing, for SSH session ids when no session is open' {
        @(Get-TssrSshSession).Count | Should -Be 0
        Complete 'Get-TssrSshSession -Id ' | Should -BeNullOrEmpty
    }

    It 'completes report languages and formats' {
        Complete 'Export-TssrReport -Path r.html -Language f' | Should -Be @('fr')
        Complete 'Export-TssrReport -Path r.html -Format J' | Should -Be @('Json')
    }

    It 'completes check names from the file of -Path, and nothing for a file that is not there' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "trpt-complete-$PID.psd1"
        Set-Content -LiteralPath $file -Value "@{ Checks = @( @{ Name = 'web https'; Type = 'PortOpen'; Target = 'w'; Port = 443 }, @{ Name = 'dns'; Type = 'DnsRecord'; Query = 'q'; Expected = 'x' } ) }"
        try {
            Complete "Invoke-TssrCheck -Path '$file' -Name w" | Should -Be @("'web https'")
            Complete "Invoke-TssrCheck -Path '$file' -Name " | Should -Be @("'web https'", 'dns')
            Complete "Invoke-TssrCheck -Path '/no/such/file.psd1' -Name w" | Should -BeNullOrEmpty
        }
        finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
    }
}
