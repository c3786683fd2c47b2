# Every EXAMPLE of the help pages (English and French) and every block of the README, run unchanged in the
# documented network (tests/lab/components/Examples.ps1): a namespace where the examples' addresses
# and names exist, so nothing leaves this machine. An example passes when it parses, binds and runs
# to its end: no terminating error, and none of the errors that mean the example itself is wrong
# (unknown parameter or command, a value the parameter cannot take, a CSV without the columns it
# needs). What the sandbox network answers (refused ports, NXDOMAIN) is not judged here: each
# area's own suite checks its results against the real server.
# An example that cannot run here carries the line "# Not run by the tests: <reason>"
# (fr: "# Non exécuté par les tests : <raison>"); the suite counts them and checks the reason.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Examples/DocExample.ps1')
    $set = Get-DocExampleSet -Root (Join-Path $PSScriptRoot '../..')
    $runCases = $set.Run
    $markedCases = $set.Marked
    $countCase = @{ Run = $set.Run.Count; Marked = $set.Marked.Count; Pages = $set.Pages; Cases = $set.Cases }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
    . (Join-Path $PSScriptRoot 'Examples/DocExample.ps1')
    $set = Get-DocExampleSet -Root (Join-Path $PSScriptRoot '../..')
    $script:ready = Test-LabPrerequisite -Command ip, dnsmasq -Root
    if (-not $script:ready) { return }
    $facts = (Start-TssrLab -Component Examples).Examples

    # Sample files the examples read, with the columns their pages describe.
    $sampleRoot = Join-Path $facts.Directory 'samples'
    Remove-Item -Recurse -Force -LiteralPath $sampleRoot -ErrorAction SilentlyContinue
    $samples = Join-Path $sampleRoot 'common'
    $null = New-Item -ItemType Directory -Force $samples
    foreach ($name in 'flows.csv', 'flux.csv') {
        Set-Content (Join-Path $samples $name) @('ComputerName,Port', 'web01,443', 'srv-files01,445', '192.168.10.30,8000-8002')
    }
    Set-Content (Join-Path $samples 'hosts.txt') @('web01', 'srv-files01', 'web.tssr.lab', 'nosuch.corp.example')
    Set-Content (Join-Path $samples 'sites.csv') @('Site,Prefix', 'Paris,10.20.0.0/16', 'Lyon,10.30.0.0/16', 'Lille,192.168.50.0/24')
    Set-Content (Join-Path $samples 'plan.csv') @('Site,Prefix', 'Paris,10.20.0.0/16', 'Paris-DMZ,10.20.5.0/24', 'Lyon,10.30.0.0/16')
    Set-Content (Join-Path $samples 'servers.csv') @('ComputerName,Port', 'intranet.example.com,443', 'mail.corp.lan,993')
    Set-Content (Join-Path $samples 'endpoints.csv') @('ComputerName,Port', 'portal.corp.lan,8443', 'dc1.corp.lan,636')
    # A CA certificate of the corporate kind, for -TrustedCertificatePath.
    $key = [System.Security.Cryptography.ECDsa]::Create()
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Corp Example CA', $key, 'SHA256')
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $ca = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddYears(1))
    Set-Content (Join-Path $samples 'corp-ca.pem') $ca.ExportCertificatePem()
    $ca.Dispose(); $key.Dispose()

    # The firewall pages read rule files under the names a technician gives them: copies of the
    # corpus (real iptables-save, nft, pfSense and Windows exports).
    $corpus = Join-Path $PSScriptRoot '../Firewall/corpus'
    $firewall = @{
        'host.rules' = 'host-iptables.rules'; 'iptables.rules' = 'host-iptables.rules'; 'v1.rules' = 'host-iptables.rules'
        'v2.rules' = 'anomalies.rules'; 'config.xml' = 'pfsense-config.xml'; 'rules.json' = 'windows-profiles.json'
        'backups/pfsense-config.xml' = 'pfsense-config.xml'; 'backups/pfsense-portforward.xml' = 'pfsense-portforward.xml'
    }
    foreach ($page in 'Compare-TssrFirewallRuleSet', 'Import-TssrFirewallRuleSet', 'Invoke-TssrFirewallAudit', 'Test-TssrFirewallFlow') {
        $dir = Join-Path (Join-Path $sampleRoot 'pages') $page
        $null = New-Item -ItemType Directory -Force (Join-Path $dir 'backups')
        foreach ($name in $firewall.Keys) { Copy-Item -LiteralPath (Join-Path $corpus $firewall[$name]) -Destination (Join-Path $dir $name) }
        # Inbound flows of the pfSense example, in the columns the page names.
        Copy-Item -LiteralPath (Join-Path $corpus 'pfsense-config.flows.csv') -Destination (Join-Path $dir 'flows.csv')
    }

    $work = Join-Path $facts.Directory 'run'
    $null = New-Item -ItemType Directory -Force $work
    $examplesFile = Join-Path $work 'examples.json'
    $resultFile = Join-Path $work 'results.json'
    ConvertTo-Json -InputObject @($set.Run | ForEach-Object { @{ Id = $_.Id; Page = $_.Page; Language = $_.Language; Code = $_.Code } }) -Depth 3 |
        Set-Content -LiteralPath $examplesFile
    $pwsh = Get-PwshCommandLine
    $runner = Join-Path $PSScriptRoot 'Examples/Invoke-DocExample.ps1'
    $output = & ip netns exec $facts.Namespace @pwsh -NoProfile -NonInteractive -File $runner `
        -ExamplePath $examplesFile -ModulePath (Get-TssrModulePath) -SamplePath $sampleRoot -ResultPath $resultFile 2>&1
    if ($LASTEXITCODE -ne 0 -or -not (Test-Path $resultFile)) { throw "The example runner failed (exit $LASTEXITCODE): $output" }
    $script:results = @{}
    foreach ($r in (Get-Content -Raw $resultFile | ConvertFrom-Json)) { $script:results[$r.Id] = $r }
}

AfterAll {
    if ($script:ready) { Stop-TssrLab -Component Examples }
}

Describe 'Help example <Id>: <Title>' -ForEach $runCases {
    It 'parses, binds and runs to its end in the documented network' {
        if (-not $script:ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $r = $script:results[$Id]
        $r | Should -Not -BeNullOrEmpty -Because 'the runner gives one result per example'
        $r.Terminating | Should -BeNullOrEmpty -Because "the example should run to its end:`n$Code"
        @($r.WrongUse) | Should -BeNullOrEmpty -Because "these errors mean the example is wrong:`n$Code"
    }
}

Describe 'Help examples marked as not run here' {
    It '<Id> says why it cannot run: <Reason>' -ForEach $markedCases -AllowNullOrEmptyForEach {
        $Reason.Length | Should -BeGreaterThan 10 -Because 'the marker names the reason (a server, an OS, a change to this machine)'
    }
}

Describe 'Help examples: the count' {
    It 'runs <Run> examples, <Marked> marked as not runnable here' -TestCases @($countCase) {
        # Every enrolled page has examples in both languages, and the same number in each.
        $Run + $Marked | Should -BeGreaterThan ($Pages.Count * 2)
        foreach ($page in $Pages) {
            $en = @($Cases | Where-Object { $_.Page -eq $page -and $_.Language -eq 'en-US' }).Count
            $fr = @($Cases | Where-Object { $_.Page -eq $page -and $_.Language -eq 'fr-FR' }).Count
            $fr | Should -Be $en -Because "$page has as many examples in French as in English"
        }
    }
}
