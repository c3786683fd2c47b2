# Export-TssrReport against real result objects of the module's own cmdlets (a TCP listener this
# suite starts on 127.0.0.1:17110, subnets, the firewall corpus, hostile rule comments and CSV
# fields), in English and French, rendered in headless Chromium: screenshot, DOM after load, A4 PDF.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TssrTestModule
    $script:corpus = Join-Path $PSScriptRoot '../Firewall/corpus'
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "trpt-report-$PID"
    $null = New-Item -ItemType Directory -Force $work
    $script:openPort = 17110
    $script:closedPort = 17111
    $script:listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, $openPort)
    $listener.Start()

    $script:scriptPayload = "<script>document.title='PWNED';document.body.setAttribute('data-pwned','script')</script>"
    $script:imgPayload = '"><img src=x onerror="document.title=''PWNED'';document.body.setAttribute(''data-pwned'',''img'')">'
    # A real rule set whose comments carry markup, as a hostile or careless admin may write them.
    $script:hostileRules = Join-Path $work 'hostile.rules'
    Set-Content -LiteralPath $hostileRules -Value @"
*filter
:INPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 23 -m comment --comment "<script>document.title='PWNED'</script>" -j ACCEPT
-A INPUT -p tcp -m tcp --dport 23 -m comment --comment "<img src=x onerror=alert(1)>" -j ACCEPT
COMMIT
"@

    $script:ports = @(Test-TssrPort 127.0.0.1 -Port $openPort, $closedPort)
    $script:subnets = @(Get-TssrSubnet 192.168.10.0/24, 10.20.0.0/16)
    $script:findings = @(Import-TssrFirewallRuleSet (Join-Path $corpus 'anomalies.rules') | Invoke-TssrFirewallAudit)
    $script:hostileFindings = @(Import-TssrFirewallRuleSet $hostileRules | Invoke-TssrFirewallAudit)
    $script:flows = @(Import-Csv (Join-Path $corpus 'host-iptables.flows.csv') | Select-Object -First 4 |
        Test-TssrFirewallFlow -Path (Join-Path $corpus 'host-iptables.rules'))
    # A CSV file's fields, through a real CSV round trip.
    $script:csv = @([pscustomobject]@{ Name = $scriptPayload; Comment = $imgPayload } | ConvertTo-Csv | ConvertFrom-Csv)
    $script:all = $ports + $subnets + $findings + $hostileFindings + $flows + $csv

    function Invoke-Chromium {
        param([string[]] $Arguments, [int] $TimeoutSeconds = 90)
        $exe = (Get-Command chromium -ErrorAction Stop).Source
        $profileDir = Join-Path $work ('chrome-' + [guid]::NewGuid().ToString('N'))
        $psi = [System.Diagnostics.ProcessStartInfo]::new($exe)
        foreach ($a in @('--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions', '--enable-logging=stderr', '--v=0', "--user-data-dir=$profileDir") + $Arguments) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $p = [System.Diagnostics.Process]::Start($psi)
        $out = $p.StandardOutput.ReadToEndAsync()
        $err = $p.StandardError.ReadToEndAsync()
        try {
            if (-not $p.WaitForExit($TimeoutSeconds * 1000)) { $p.Kill($true); throw "chromium did not finish within $TimeoutSeconds s" }
            $p.WaitForExit()
            [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $out.GetAwaiter().GetResult(); Error = $err.GetAwaiter().GetResult() }
        }
        finally { $p.Dispose(); Remove-Item -Recurse -Force $profileDir -ErrorAction SilentlyContinue }
    }
}

AfterAll {
    if ($listener) { $listener.Stop() }
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

Describe 'Export-TssrReport: content' {
    BeforeAll {
        $script:html = Join-Path $work 'all.html'
        $all | Export-TssrReport -Path $html -Language en -Title 'Site acceptance'
        $script:text = Get-Content -Raw -LiteralPath $html
    }

    It 'uses real result objects of the module (sanity of the inputs)' {
        ($ports | Where-Object Port -eq $openPort).Status | Should -Be 'Open'
        ($ports | Where-Object Port -eq $closedPort).Status | Should -Be 'Closed'
        $findings.Count | Should -BeGreaterThan 3
        $hostileFindings.Count | Should -BeGreaterThan 0
        $flows.Count | Should -Be 4
    }

    It 'writes one self-contained file: no script element, no external reference, a CSP and an A4 print sheet' {
        $text | Should -Match '^<!DOCTYPE html>'
        $text | Should -Not -Match '<script'
        $text | Should -Not -Match '<img'
        $text | Should -Not -Match '<link|src=\s*"?https?:|href="https?:'
        $text | Should -Match "Content-Security-Policy"
        $text | Should -Match '@page \{ size: A4'
    }

    It 'opens with a summary of counts per section, and the first failure' {
        $summary = [regex]::Match($text, '(?s)<section id="summary">.*?</section>').Value
        $summary | Should -Match 'TCP ports'
        $summary | Should -Match 'Open 1'
        $summary | Should -Match 'Closed 1'
        $high = @($findings + $hostileFindings | Where-Object Severity -in 'High', 'Critical').Count
        $summary | Should -Match "$(@($all).Count) result\(s\) in 5 section\(s\): $high problem\(s\)"
        $summary | Should -Match 'What failed first'
        $summary | Should -Match ([regex]::Escape('$all | Export-TssrReport -Path $html -Language en'))
    }

    It 'gives each section its competency of the référentiel' {
        $text | Should -Match 'block 1, competency 4: Operate an IP network'
        $text | Should -Match 'block 2, competency 7: Maintain and secure Internet access'
    }

    It 'draws inline SVG charts: ports by verdict, findings by severity' {
        $text | Should -Match '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Ports by verdict"'
        $text | Should -Match 'aria-label="Findings by severity"'
        $text | Should -Match 'aria-label="Flows by verdict"'
    }

    It 'shows hostile rule comments and CSV fields as text' {
        $text | Should -Match ([regex]::Escape('&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;'))
        $text | Should -Match ([regex]::Escape('&lt;img src=x onerror=alert(1)&gt;'))
        $text | Should -Match ([regex]::Escape('&quot;&gt;&lt;img src=x onerror=&quot;document.title='))
    }

    It 'writes the same results as JSON with their values' {
        $jsonPath = Join-Path $work 'all.json'
        $all | Export-TssrReport -Path $jsonPath
        $raw = Get-Content -Raw $jsonPath
        $raw | Should -Not -Match '<'
        $j = $raw | ConvertFrom-Json
        $j.format | Should -Be 'Tssr.Tools.Report'
        $j.summary.itemCount | Should -Be @($all).Count
        $portSection = $j.sections | Where-Object typeName -eq 'Tssr.Tools.Engine.Network.Ports.PortProbeResult'
        ($portSection.items.properties | Where-Object Port -eq $openPort).Status | Should -Be 'Open'
        $plain = $j.sections | Where-Object { $_.typeName -eq '' -and $_.columns -contains 'Comment' }
        $plain.items[0].properties.Name | Should -Be $scriptPayload
        $plain.items[0].properties.Comment | Should -Be $imgPayload
    }

    It 'speaks French with -Language fr and by default under a French UI culture' {
        $fr = Join-Path $work 'fr.html'
        $ports | Export-TssrReport -Path $fr -Language fr
        $t = Get-Content -Raw $fr
        $t | Should -Match 'lang="fr"'
        $t | Should -Match 'Synthèse'
        $t | Should -Match 'Ports par verdict'
        $t | Should -Match 'Exploiter un réseau IP'
        $child = Join-Path $work 'fr-default.html'
        Invoke-TssrPwsh -Culture fr-FR -Script "Get-TssrSubnet 10.0.0.0/8 | Export-TssrReport -Path '$child'"
        (Get-Content -Raw $child) | Should -Match 'Sous-réseaux'
    }

    It 'keeps the type of deserialized results (from another process or Import-Clixml)' {
        $remote = Invoke-TssrPwsh -Script "Test-TssrPort 127.0.0.1 -Port $closedPort"
        $remote.PSObject.TypeNames[0] | Should -BeLike 'Deserialized.*PortProbeResult'
        $path = Join-Path $work 'deserialized.html'
        $remote | Export-TssrReport -Path $path -Language en
        (Get-Content -Raw $path) | Should -Match 'Ports by verdict'
    }

    It 'stops with ReportDirectoryNotFound when the folder does not exist, and writes nothing under -WhatIf' {
        { $ports | Export-TssrReport -Path (Join-Path $work 'no/such/dir/r.html') -ErrorAction Stop } | Should -Throw -ErrorId 'ReportDirectoryNotFound,Tssr.Tools.ExportTssrReportCommand'
        $whatIf = Join-Path $work 'whatif.html'
        $ports | Export-TssrReport -Path $whatIf -WhatIf
        Test-Path $whatIf | Should -BeFalse
    }

    It 'takes the results as -InputObject too' {
        $path = Join-Path $work 'inputobject.json'
        Export-TssrReport -InputObject $ports -Path $path
        (Get-Content -Raw $path | ConvertFrom-Json).summary.itemCount | Should -Be 2
    }

    It 'writes an empty report when nothing comes' {
        $empty = Join-Path $work 'empty.html'
        @() | Export-TssrReport -Path $empty -Language en -PassThru | Should -BeOfType System.IO.FileInfo
        (Get-Content -Raw $empty) | Should -Match '0 result\(s\) in 0 section\(s\)'
    }
}

Describe 'Export-TssrReport in a real browser (headless Chromium)' {
    BeforeAll {
        $script:haveChromium = Test-LabPrerequisite -Command chromium
        $script:browserHtml = Join-Path $work 'browser.html'
        if ($haveChromium) { $all | Export-TssrReport -Path $browserHtml -Language fr -Title 'Preuve navigateur' }
        $script:url = [Uri]::new($browserHtml, [UriKind]::Absolute).AbsoluteUri
    }

    It 'loads with no script run from the data and no console error' -Skip:(-not (Get-Command chromium -ErrorAction SilentlyContinue) -and $env:CI -ne 'true') {
        $r = Invoke-Chromium @('--dump-dom', $url)
        $r.ExitCode | Should -Be 0
        $dom = $r.Output
        $dom | Should -Match '<title>Preuve navigateur</title>' -Because "chromium said: $($r.Error)"
        $dom | Should -Not -Match 'PWNED</title>'
        $dom | Should -Match '<body>'
        $dom | Should -Not -Match '<body[^>]*data-pwned'
        $dom | Should -Not -Match '<script'
        $dom | Should -Not -Match '<img'
        $dom | Should -Match ([regex]::Escape('&lt;script&gt;document.title=''PWNED''&lt;/script&gt;'))
        $r.Error | Should -Not -Match 'CONSOLE|Refused to|Uncaught'
    }

    It 'has detectors that do fail on a page that runs its data (control: no escaping, no CSP)' -Skip:(-not (Get-Command chromium -ErrorAction SilentlyContinue) -and $env:CI -ne 'true') {
        $control = Join-Path $work 'control.html'
        Set-Content -LiteralPath $control -Value "<!DOCTYPE html><html><head><title>Preuve navigateur</title></head><body>$scriptPayload<script>console.error('ran')</script></body></html>"
        $r = Invoke-Chromium @('--dump-dom', [Uri]::new($control, [UriKind]::Absolute).AbsoluteUri)
        $r.Output | Should -Match '<title>PWNED</title>'
        $r.Output | Should -Match '<body[^>]*data-pwned'
        $r.Error | Should -Match 'CONSOLE'
    }

    It 'renders to a screenshot' -Skip:(-not (Get-Command chromium -ErrorAction SilentlyContinue) -and $env:CI -ne 'true') {
        $png = Join-Path $work 'report.png'
        $r = Invoke-Chromium @('--window-size=1280,1600', '--hide-scrollbars', "--screenshot=$png", $url)
        $r.ExitCode | Should -Be 0
        $bytes = [IO.File]::ReadAllBytes($png)
        $bytes.Length | Should -BeGreaterThan 20000
        [BitConverter]::ToString($bytes[0..3]) | Should -Be '89-50-4E-47'
        # Width and height from the IHDR chunk: the page was laid out at the window size.
        ([int]$bytes[16] * 16777216 + [int]$bytes[17] * 65536 + [int]$bytes[18] * 256 + [int]$bytes[19]) | Should -Be 1280
    }

    It 'prints to A4 pages' -Skip:(-not (Get-Command chromium -ErrorAction SilentlyContinue) -and $env:CI -ne 'true') {
        $pdf = Join-Path $work 'report.pdf'
        $r = Invoke-Chromium @('--no-pdf-header-footer', "--print-to-pdf=$pdf", $url)
        $r.ExitCode | Should -Be 0
        $raw = [Text.Encoding]::Latin1.GetString([IO.File]::ReadAllBytes($pdf))
        $raw.Substring(0, 5) | Should -Be '%PDF-'
        $boxes = [regex]::Matches($raw, '/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]')
        $boxes.Count | Should -BeGreaterThan 0
        foreach ($b in $boxes) {
            # A4 is 595.28 x 841.89 points.
            [math]::Round([double]$b.Groups[1].Value) | Should -Be 595
            [math]::Round([double]$b.Groups[2].Value) | Should -Be 842
        }
    }
}
