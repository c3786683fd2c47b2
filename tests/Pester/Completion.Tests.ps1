# Tab completion where a person presses Tab: service names for -Port, DNS record types, Windows
# firewall profiles, check names of a check file (the last is also covered in Check.Tests.ps1).
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
