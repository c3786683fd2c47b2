# Invoke-TssrCheck: declarative checks run with the module's own commands against real things (a
# TCP listener this suite starts on 127.0.0.1:17120, the hosts file, the firewall corpus, saved
# inventories, the lab's TLS endpoints), exit codes of unattended pwsh runs, JUnit XML, the report.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TssrTestModule
    $script:corpus = (Resolve-Path (Join-Path $PSScriptRoot '../Firewall/corpus')).Path
    $script:inventoryCorpus = (Resolve-Path (Join-Path $PSScriptRoot '../Tssr.Tools.Engine.Tests/Inventory/Corpus')).Path
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "trpt-check-$PID"
    $null = New-Item -ItemType Directory -Force $work
    $script:openPort = 17120
    $script:closedPort = 17121
    $script:listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, $openPort)
    $listener.Start()
    Copy-Item (Join-Path $corpus 'anomalies.rules') $work

    function script:New-CheckFile([string] $Name, [string] $Body) {
        $p = Join-Path $work $Name
        Set-Content -LiteralPath $p -Value $Body -Encoding utf8
        $p
    }

    # Backups for the BackupAge checks: a folder with a fresh and an old archive, an empty folder, and
    # a real restic repository with one snapshot (restic writes a file per snapshot when it ends).
    $backups = Join-Path $work 'backups'
    $null = New-Item -ItemType Directory -Force $backups, (Join-Path $work 'empty')
    Set-Content (Join-Path $backups 'new.tar.gz') 'x'
    Set-Content (Join-Path $backups 'old.tar.gz') 'x'
    (Get-Item (Join-Path $backups 'old.tar.gz')).LastWriteTimeUtc = [DateTime]::UtcNow.AddDays(-3)
    Set-Content (Join-Path $backups 'notes.txt') 'x'
    $script:haveRestic = Test-LabPrerequisite -Command restic
    $script:resticPassword = 'check-test-' + [Guid]::NewGuid().ToString('N')
    if ($haveRestic) {
        $env:RESTIC_PASSWORD = $resticPassword
        try {
            $repo = Join-Path $work 'restic-repo'
            & restic init --repo $repo --quiet 2>&1 | Out-Null
            & restic backup --repo $repo --quiet $backups 2>&1 | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "restic backup failed ($LASTEXITCODE)" }
        }
        finally { Remove-Item Env:RESTIC_PASSWORD }
    }

    $script:checks = New-CheckFile 'checks.psd1' @"
@{
    Title = 'Nightly checks'
    Checks = @(
        @{ Name = 'listener-open'; Type = 'PortOpen'; Target = '127.0.0.1'; Port = $openPort }
        @{ Name = 'nothing-on-$closedPort'; Type = 'PortClosed'; Target = '127.0.0.1'; Port = $closedPort }
        @{ Name = 'closed-must-be-open'; Type = 'PortOpen'; Target = '127.0.0.1'; Port = $closedPort }
        @{ Name = 'localhost-resolves'; Type = 'DnsRecord'; Query = 'localhost'; RecordType = 'A'; Expected = '127.0.0.1' }
        @{ Name = 'localhost-wrong'; Type = 'DnsRecord'; Query = 'localhost'; Expected = @('192.0.2.1') }
        @{ Name = 'firewall-no-high'; Type = 'FirewallAudit'; Path = 'anomalies.rules'; MaximumSeverity = 'High' }
        @{ Name = 'firewall-no-medium'; Type = 'FirewallAudit'; Path = 'anomalies.rules'; MaximumSeverity = 'Medium' }
        @{ Name = 'backup-fresh'; Type = 'BackupAge'; Path = 'sftp:backup@nas:/srv/restic'; MaximumAgeHours = 26 }
        @{ Name = 'no-such-host'; Type = 'PortOpen'; Target = 'no-such-host.invalid'; Port = 22 }
        @{ Name = 'backup-recent'; Type = 'BackupAge'; Path = 'backups'; Filter = '*.tar.gz'; MaximumAgeHours = 26 }
        @{ Name = 'backup-stale'; Type = 'BackupAge'; Path = 'backups/old.tar.gz'; MaximumAgeHours = 26 }
        @{ Name = 'backup-empty'; Type = 'BackupAge'; Path = 'empty'; MaximumAgeHours = 26 }
        @{ Name = 'backup-restic'; Type = 'BackupAge'; Path = 'restic-repo'; MaximumAgeHours = 1 }
    )
}
"@
    $script:results = @(Invoke-TssrCheck -Path $checks -PassThru -WarningAction SilentlyContinue)
    $script:byName = @{}
    foreach ($r in $results) { $byName[$r.Name] = $r }
}

AfterAll {
    if ($listener) { $listener.Stop() }
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

Describe 'Invoke-TssrCheck: one result per check, with evidence' {
    It 'gives one result per check, in file order, each with its file and line' {
        $results.Count | Should -Be 13
        $results[0].Name | Should -Be 'listener-open'
        $results[0].Line | Should -Be 4
        $results[8].Line | Should -Be 12
        $results | ForEach-Object { $_.File | Should -Be $checks }
    }

    It 'passes a port that must be open and is, and one that must be closed and is' {
        $byName['listener-open'].Outcome | Should -Be 'Passed'
        $byName['listener-open'].Actual | Should -Be "127.0.0.1:$openPort Open"
        $byName["nothing-on-$closedPort"].Outcome | Should -Be 'Passed'
    }

    It 'fails a port that must be open and is not, saying what was found' {
        $byName['closed-must-be-open'].Outcome | Should -Be 'Failed'
        $byName['closed-must-be-open'].Evidence | Should -Match "127.0.0.1:$closedPort Closed \(Refused\)"
    }

    It 'checks DNS answers against the expected values' {
        $byName['localhost-resolves'].Outcome | Should -Be 'Passed'
        $byName['localhost-wrong'].Outcome | Should -Be 'Failed'
        $byName['localhost-wrong'].Evidence | Should -Match 'missing 192.0.2.1; unexpected 127.0.0.1'
    }

    It 'audits a firewall file against a maximum severity, as Invoke-TssrFirewallAudit sees it' {
        $findings = @(Invoke-TssrFirewallAudit -Path (Join-Path $corpus 'anomalies.rules'))
        $order = 'Info', 'Low', 'Medium', 'High', 'Critical'
        $high = @($findings | Where-Object { $order.IndexOf("$($_.Severity)") -gt 2 })
        $high.Count | Should -BeGreaterThan 0 -Because 'the corpus file has a shadowed rule (High)'
        $byName['firewall-no-medium'].Outcome | Should -Be 'Failed'
        $byName['firewall-no-medium'].Evidence | Should -Match "$($high.Count) finding\(s\) above Medium"
        $crit = @($findings | Where-Object Severity -eq 'Critical').Count
        $byName['firewall-no-high'].Outcome | Should -Be $(if ($crit) { 'Failed' } else { 'Passed' })
    }

    It 'reports a check the module cannot evaluate (a remote repository) as Unsupported, never Passed' {
        $byName['backup-fresh'].Outcome | Should -Be 'Unsupported'
        $byName['backup-fresh'].Evidence | Should -Match 'never passed'
    }

    It 'judges the age of the newest backup of a folder (with its filter), a file, an empty folder and a restic repository' {
        $byName['backup-recent'].Outcome | Should -Be 'Passed'
        $byName['backup-recent'].Evidence | Should -Match 'new\.tar\.gz'
        $byName['backup-recent'].Evidence | Should -Match '2 item'
        $byName['backup-stale'].Outcome | Should -Be 'Failed'
        [double]($byName['backup-stale'].Actual -replace ' h$') | Should -BeGreaterThan 71
        $byName['backup-empty'].Outcome | Should -Be 'Failed'
        $byName['backup-empty'].Evidence | Should -Match 'No backup found'
        if (-not $haveRestic) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $byName['backup-restic'].Outcome | Should -Be 'Passed'
        $byName['backup-restic'].Evidence | Should -Match 'ResticRepository'
        $byName['backup-restic'].Evidence | Should -Match '1 item'
    }

    It 'reports a check that could not be evaluated as Error with the ErrorId' {
        $byName['no-such-host'].Outcome | Should -Be 'Error'
        $byName['no-such-host'].ErrorId | Should -Be 'HostNotResolved'
    }

    It 'runs only the checks named with -Name (wildcards), and completes the names with Tab' {
        $some = @(Invoke-TssrCheck -Path $checks -Name 'localhost-*' -PassThru -WarningAction SilentlyContinue)
        $some.Name | Should -Be @('localhost-resolves', 'localhost-wrong')
        $line = "Invoke-TssrCheck -Path '$checks' -Name local"
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Be @('localhost-resolves', 'localhost-wrong')
        { Invoke-TssrCheck -Path $checks -Name 'nope*' } | Should -Throw -ErrorId 'CheckNameNotFound,Tssr.Tools.InvokeTssrCheckCommand'
    }

    It 'speaks French under a French UI culture' {
        $fr = Invoke-TssrPwsh -Culture fr-FR -Script "Invoke-TssrCheck -Path '$checks' -Name 'closed-must-be-open' -PassThru -WarningAction SilentlyContinue"
        $fr.Evidence | Should -Match '^Non ouverts'
    }
}

Describe 'Invoke-TssrCheck: security drift of an inventory' {
    BeforeAll {
        # Two real inventories of this machine, before and after a new listening port on every address.
        $script:invRef = Join-Path $work 'inv-ref.json'
        $script:invNow = Join-Path $work 'inv-now.json'
        Get-TssrServerInventory | Export-TssrInventory -Path $invRef
        $extra = [System.Net.Sockets.TcpListener]::new([ipaddress]::Any, 17123)
        $extra.Start()
        try { Get-TssrServerInventory | Export-TssrInventory -Path $invNow }
        finally { $extra.Stop() }
        $script:driftChecks = New-CheckFile 'drift.psd1' @"
@{
    Checks = @(
        @{ Name = 'same'; Type = 'InventoryDrift'; Reference = 'inv-ref.json'; Difference = 'inv-ref.json' }
        @{ Name = 'new-port'; Type = 'InventoryDrift'; Reference = 'inv-ref.json'; Difference = 'inv-now.json' }
        @{ Name = 'missing'; Type = 'InventoryDrift'; Reference = 'inv-ref.json'; Difference = 'no-such.json' }
    )
}
"@
        $script:drift = @{}
        foreach ($r in Invoke-TssrCheck -Path $driftChecks -PassThru -WarningAction SilentlyContinue) { $drift[$r.Name] = $r }
    }

    It 'passes without change and fails on a new listening port, naming it' {
        $drift['same'].Outcome | Should -Be 'Passed'
        $drift['new-port'].Outcome | Should -Be 'Failed'
        $drift['new-port'].Evidence | Should -Match '17123'
        $drift['missing'].Outcome | Should -Be 'Error'
    }
}

Describe 'Invoke-TssrCheck: BackupAge of a repository read with its password' {
    BeforeAll {
        $script:haveBorg = Test-LabPrerequisite -Command borg
        Set-Content -LiteralPath (Join-Path $work 'restic.pw') -Value $resticPassword
        chmod 600 (Join-Path $work 'restic.pw')
        Set-Content -LiteralPath (Join-Path $work 'open.pw') -Value $resticPassword
        chmod 644 (Join-Path $work 'open.pw')
        Set-Content -LiteralPath (Join-Path $work 'wrong.pw') -Value 'not-the-password'
        chmod 400 (Join-Path $work 'wrong.pw')
        if ($haveRestic) {
            # A repository whose only snapshot is dated weeks ago (restic backup --time).
            $env:RESTIC_PASSWORD = $resticPassword
            try {
                & restic init --repo (Join-Path $work 'restic-old') --quiet 2>&1 | Out-Null
                & restic backup --repo (Join-Path $work 'restic-old') --quiet --time ([DateTime]::Now.AddDays(-20).ToString('yyyy-MM-dd HH:mm:ss')) (Join-Path $work 'backups') 2>&1 | Out-Null
                if ($LASTEXITCODE -ne 0) { throw "restic backup failed ($LASTEXITCODE)" }
            }
            finally { Remove-Item Env:RESTIC_PASSWORD }
        }
        if ($haveBorg) {
            $env:BORG_PASSPHRASE = $resticPassword
            try {
                & borg init -e repokey (Join-Path $work 'borg-repo') 2>&1 | Out-Null
                Push-Location $work; & borg create "$(Join-Path $work 'borg-repo')::nightly" backups 2>&1 | Out-Null; Pop-Location
                if ($LASTEXITCODE -ne 0) { throw "borg create failed ($LASTEXITCODE)" }
            }
            finally { Remove-Item Env:BORG_PASSPHRASE }
        }
        $file = New-CheckFile 'secrets.psd1' @"
@{
    Checks = @(
        @{ Name = 'restic-env'; Type = 'BackupAge'; Path = 'restic-repo'; Repository = 'Restic'; Secret = 'env:TSSR_CHECK_REPO_PW'; MaximumAgeHours = 1 }
        @{ Name = 'restic-file'; Type = 'BackupAge'; Path = 'restic-repo'; Repository = 'Restic'; Secret = 'file:restic.pw'; MaximumAgeHours = 1 }
        @{ Name = 'restic-stale'; Type = 'BackupAge'; Path = 'restic-old'; Repository = 'Restic'; Secret = 'file:restic.pw'; MaximumAgeHours = 26 }
        @{ Name = 'file-too-open'; Type = 'BackupAge'; Path = 'restic-repo'; Repository = 'Restic'; Secret = 'file:open.pw'; MaximumAgeHours = 1 }
        @{ Name = 'env-missing'; Type = 'BackupAge'; Path = 'restic-repo'; Repository = 'Restic'; Secret = 'env:TSSR_NO_SUCH_VARIABLE'; MaximumAgeHours = 1 }
        @{ Name = 'wrong-password'; Type = 'BackupAge'; Path = 'restic-repo'; Repository = 'Restic'; Secret = 'file:wrong.pw'; MaximumAgeHours = 1 }
        @{ Name = 'vault'; Type = 'BackupAge'; Path = 'restic-repo'; Repository = 'Restic'; Secret = 'vault:BackupRepo'; MaximumAgeHours = 1 }
        @{ Name = 'borg-env'; Type = 'BackupAge'; Path = 'borg-repo'; Repository = 'Borg'; Secret = 'env:TSSR_CHECK_REPO_PW'; MaximumAgeHours = 1 }
    )
}
"@
        $env:TSSR_CHECK_REPO_PW = $resticPassword
        try {
            $script:secretResults = @{}
            Invoke-TssrCheck -Path $file -PassThru -ReportPath (Join-Path $work 'secrets.html') -JUnitPath (Join-Path $work 'secrets.xml') -WarningAction SilentlyContinue |
                ForEach-Object { $secretResults[$_.Name] = $_ }
        }
        finally { Remove-Item Env:TSSR_CHECK_REPO_PW }
    }

    It 'reads the password from an environment variable or an owner-only file and judges the newest snapshot' {
        if (-not $haveRestic) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $secretResults['restic-env'].Outcome | Should -Be 'Passed' -Because $secretResults['restic-env'].Evidence
        $secretResults['restic-file'].Outcome | Should -Be 'Passed' -Because $secretResults['restic-file'].Evidence
        $secretResults['restic-stale'].Outcome | Should -Be 'Failed'
        $secretResults['restic-stale'].Actual | Should -Match '^4[78]\d\.\d h$|^480 h$'
        $secretResults['restic-env'].Evidence | Should -Match 'ResticRepository'
    }

    It 'refuses a file others can read, and names a missing variable and a wrong password' {
        if (-not $haveRestic) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $secretResults['file-too-open'].Outcome | Should -Be 'Error'
        $secretResults['file-too-open'].ErrorId | Should -Be 'CheckSecretFileTooOpen'
        $secretResults['file-too-open'].Evidence | Should -Match 'open\.pw.*0644'
        $secretResults['env-missing'].ErrorId | Should -Be 'CheckSecretNotFound'
        $secretResults['env-missing'].Evidence | Should -Match 'TSSR_NO_SUCH_VARIABLE'
        $secretResults['wrong-password'].ErrorId | Should -Be 'BackupRepositoryPasswordWrong'
    }

    It 'says SecretManagement is missing instead of guessing' {
        if (Get-Command Get-Secret -ErrorAction Ignore) { Set-ItResult -Skipped -Because 'SecretManagement is installed here: no vault named BackupRepo is set up by this suite'; return }
        $secretResults['vault'].Outcome | Should -Be 'Error'
        $secretResults['vault'].ErrorId | Should -Be 'CheckSecretVaultUnavailable'
    }

    It 'reads a borg repository with the same settings' {
        if (-not $haveBorg) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $secretResults['borg-env'].Outcome | Should -Be 'Passed' -Because $secretResults['borg-env'].Evidence
        $secretResults['borg-env'].Evidence | Should -Match 'BorgRepository'
    }

    It 'never writes the password into the results, the report or the JUnit file, and says where it came from' {
        ($secretResults.Values | Format-List * | Out-String) | Should -Not -Match $resticPassword
        Get-Content -Raw (Join-Path $work 'secrets.html') | Should -Not -Match $resticPassword
        Get-Content -Raw (Join-Path $work 'secrets.xml') | Should -Not -Match $resticPassword
        Get-Content -Raw (Join-Path $work 'secrets.html') | Should -Match ([regex]::Escape('-Credential (env:TSSR_CHECK_REPO_PW)'))
    }
}

Describe 'Invoke-TssrCheck: a bad check file is a clear error naming the line' {
    It 'names the line of <Case>' -ForEach @(
        @{ Case = 'a syntax error'; Line = 3; Match = 'Unexpected token'; Body = "@{`n  Checks = @(`n    @{ Name = 'a'; Type = 'PortOpen'; Target = 'x' Port = 1 }`n  )`n}" }
        @{ Case = 'an unknown type'; Line = 4; Match = "unknown check type 'PortOpn'"; Body = "@{`n  Checks = @(`n    @{ Name = 'a'; Type = 'PortOpen'; Target = 'x'; Port = 1 }`n    @{ Name = 'b'; Type = 'PortOpn'; Target = 'x' }`n  )`n}" }
        @{ Case = 'an unknown setting'; Line = 5; Match = "unknown setting 'Prot'"; Body = "@{`n  Checks = @(`n    @{ Name = 'a'; Type = 'PortOpen'`n       Target = 'x'; Port = 1`n       Prot = 2 }`n  )`n}" }
        @{ Case = 'a missing setting'; Line = 3; Match = 'needs the setting Port'; Body = "@{`n  Checks = @(`n    @{ Name = 'a'; Type = 'PortOpen'; Target = 'x' }`n  )`n}" }
        @{ Case = 'a command instead of a value'; Line = 3; Match = 'only constant values'; Body = "@{`n  Checks = @(`n    @{ Name = 'a'; Type = 'PortOpen'; Target = (Get-Date); Port = 1 }`n  )`n}" }
        @{ Case = 'a duplicate name'; Line = 4; Match = 'already used by the check of line 3'; Body = "@{`n  Checks = @(`n    @{ Name = 'a'; Type = 'PortOpen'; Target = 'x'; Port = 1 }`n    @{ Name = 'a'; Type = 'PortClosed'; Target = 'x'; Port = 1 }`n  )`n}" }
        @{ Case = 'a bad severity'; Line = 3; Match = "MaximumSeverity = 'Huge' is not valid"; Body = "@{`n  Checks = @(`n    @{ Name = 'a'; Type = 'FirewallAudit'; Path = 'x.rules'; MaximumSeverity = 'Huge' }`n  )`n}" }
        @{ Case = 'no checks'; Line = 1; Match = 'no check'; Body = "@{ Title = 'x' }" }
        @{ Case = 'a password written as the Secret'; Line = 4; Match = "Secret = 'hunter2' is not valid"; Body = "@{`n  Checks = @(`n    @{ Name = 'a'; Type = 'BackupAge'; Path = 'r'; MaximumAgeHours = 1; Repository = 'Restic'`n       Secret = 'hunter2' }`n  )`n}" }
        @{ Case = 'a Secret without a repository'; Line = 3; Match = 'Repository'; Body = "@{`n  Checks = @(`n    @{ Name = 'a'; Type = 'BackupAge'; Path = 'r'; MaximumAgeHours = 1; Secret = 'env:PW' }`n  )`n}" }
        @{ Case = 'an unknown repository kind'; Line = 3; Match = "Repository = 'Bacula' is not valid"; Body = "@{`n  Checks = @(`n    @{ Name = 'a'; Type = 'BackupAge'; Path = 'r'; MaximumAgeHours = 1; Repository = 'Bacula' }`n  )`n}" }
    ) {
        $file = New-CheckFile "bad-$([guid]::NewGuid().ToString('N')).psd1" $Body
        $err = $null
        try { Invoke-TssrCheck -Path $file -ErrorAction Stop; throw 'no error' } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'CheckFileInvalid,Tssr.Tools.InvokeTssrCheckCommand'
        $err.TargetObject | Should -Be "$($file):$Line"
        $err.Exception.Message | Should -Match ([regex]::Escape("$($file):$Line"))
        $err.Exception.Message | Should -Match $Match
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $global:LASTEXITCODE | Should -Be 2
    }

    It 'never prompts for a missing -Path: CheckPathMissing, exit code 2' {
        { Invoke-TssrCheck } | Should -Throw -ErrorId 'CheckPathMissing,Tssr.Tools.InvokeTssrCheckCommand'
        $global:LASTEXITCODE | Should -Be 2
    }

    It 'stops with CheckFileNotFound for a missing file' {
        { Invoke-TssrCheck -Path (Join-Path $work 'nope.psd1') } | Should -Throw -ErrorId 'CheckFileNotFound,Tssr.Tools.InvokeTssrCheckCommand'
    }
}

Describe 'Invoke-TssrCheck: unattended runs, exit codes, JUnit and report' {
    It 'exits <Code> from pwsh -File (<Case>) and never waits for input' -ForEach @(
        @{ Case = 'all passed'; Code = 0; Names = "'listener-open', 'localhost-resolves'" }
        @{ Case = 'a check failed'; Code = 1; Names = "'listener-open', 'closed-must-be-open'" }
        @{ Case = 'unsupported only'; Code = 1; Names = "'backup-fresh'" }
        @{ Case = 'bad check file'; Code = 2; Names = $null }
    ) {
        $target = if ($Names) { $checks } else { New-CheckFile 'broken.psd1' '@{ Checks = @( @{ Name = 1 } ) }' }
        $nameArg = if ($Names) { "-Name $Names" } else { '' }
        # The README's recipe: the script ends with exit $LASTEXITCODE (default error preference)...
        $r = Invoke-TssrPwsh -Raw -Script "`$ErrorActionPreference = 'Continue'`nInvoke-TssrCheck -Path '$target' $nameArg`nexit `$LASTEXITCODE"
        $r.ExitCode | Should -Be $Code -Because "$($r.Output) $($r.Error)"
        # ...or, under $ErrorActionPreference = 'Stop', in a finally block.
        $r = Invoke-TssrPwsh -Raw -Script "try { Invoke-TssrCheck -Path '$target' $nameArg } finally { exit `$LASTEXITCODE }"
        $r.ExitCode | Should -Be $Code -Because "$($r.Output) $($r.Error)"
    }

    It 'sets $LASTEXITCODE for pwsh -Command runs too' {
        $cmd = Get-PwshCommandLine
        $exe = $cmd[0]; $rest = @($cmd | Select-Object -Skip 1)
        & $exe @rest -NoProfile -NonInteractive -Command "Import-Module '$(Get-TssrModulePath)'; Invoke-TssrCheck -Path '$checks' -Name closed-must-be-open -WarningAction SilentlyContinue; exit `$LASTEXITCODE" | Out-Null
        $LASTEXITCODE | Should -Be 1
    }

    It 'writes JUnit XML that counts failures and errors (Unsupported is an error, never a pass or a skip)' {
        $xmlPath = Join-Path $work 'junit.xml'
        $null = Invoke-TssrCheck -Path $checks -JUnitPath $xmlPath -WarningAction SilentlyContinue
        $global:LASTEXITCODE | Should -Be 1
        [xml]$x = Get-Content -Raw $xmlPath
        $suite = $x.testsuites.testsuite
        [int]$suite.tests | Should -Be 13
        [int]$suite.failures | Should -Be @($results | Where-Object Outcome -eq 'Failed').Count
        [int]$suite.errors | Should -Be 2
        [int]$suite.skipped | Should -Be 0
        ($suite.testcase | Where-Object name -eq 'backup-fresh').error.type | Should -Be 'Unsupported'
        ($suite.testcase | Where-Object name -eq 'closed-must-be-open').failure | Should -Not -BeNullOrEmpty
        ($suite.testcase | Where-Object name -eq 'listener-open').failure | Should -BeNullOrEmpty
        ($suite.testcase | Where-Object name -eq 'listener-open').line | Should -Be '4'
    }

    It 'writes the evidence report: checks first, then what each command found' {
        $html = Join-Path $work 'checks.html'
        $null = Invoke-TssrCheck -Path $checks -ReportPath $html -Language en -WarningAction SilentlyContinue
        $t = Get-Content -Raw $html
        $t | Should -Match '<title>Nightly checks</title>'
        $t | Should -Match 'aria-label="Checks by outcome"'
        $t | Should -Match 'TCP ports'
        $t | Should -Match 'Firewall audit findings'
        $t | Should -Match ([regex]::Escape("Test-TssrPort -Target 127.0.0.1 -Port $openPort"))
        $t | Should -Not -Match '<script'
    }

    It 'stops before any check when the report folder does not exist (exit code 2)' {
        { Invoke-TssrCheck -Path $checks -ReportPath (Join-Path $work 'no/dir/r.html') } | Should -Throw -ErrorId 'ReportDirectoryNotFound,Tssr.Tools.InvokeTssrCheckCommand'
        $global:LASTEXITCODE | Should -Be 2
    }
}

Describe 'Invoke-TssrCheck: certificates on the lab TLS endpoints' {
    BeforeAll {
        $script:tlsReady = Test-LabPrerequisite -Command openssl
        if ($tlsReady) {
            Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
            $script:tls = (Start-TssrLab -Component Tls).Tls
            $trust = $tls.TrustDirectory
            $script:tlsChecks = New-CheckFile 'tls.psd1' @"
@{
    Checks = @(
        @{ Name = 'valid-30'; Type = 'Certificate'; Target = 'localhost:$($tls.Ports.Valid)'; MinimumDaysLeft = 30; TrustedCertificatePath = '$trust' }
        @{ Name = 'expiring-30'; Type = 'Certificate'; Target = 'localhost:$($tls.Ports.Expiring)'; MinimumDaysLeft = 30; TrustedCertificatePath = '$trust' }
        @{ Name = 'expiring-5'; Type = 'Certificate'; Target = 'localhost:$($tls.Ports.Expiring)'; MinimumDaysLeft = 5; TrustedCertificatePath = '$trust' }
        @{ Name = 'expired'; Type = 'Certificate'; Target = 'localhost:$($tls.Ports.Expired)'; MinimumDaysLeft = 0; TrustedCertificatePath = '$trust' }
        @{ Name = 'untrusted'; Type = 'Certificate'; Target = 'localhost:$($tls.Ports.Valid)'; MinimumDaysLeft = 1 }
    )
}
"@
            $script:tlsResults = @{}
            foreach ($r in Invoke-TssrCheck -Path $tlsChecks -PassThru -WarningAction SilentlyContinue) { $tlsResults[$r.Name] = $r }
        }
    }

    It 'passes a certificate valid long enough and fails one too close to its end, expired or untrusted' {
        if (-not $tlsReady) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $tlsResults['valid-30'].Outcome | Should -Be 'Passed'
        $tlsResults['expiring-30'].Outcome | Should -Be 'Failed'
        $tlsResults['expiring-30'].Evidence | Should -Match 'fewer than the 30 required'
        $tlsResults['expiring-5'].Outcome | Should -Be 'Passed'
        $tlsResults['expired'].Outcome | Should -Be 'Failed'
        $tlsResults['expired'].Evidence | Should -Match 'Expired'
        $tlsResults['untrusted'].Outcome | Should -Be 'Failed'
    }
}

Describe 'Help examples of the report and check commands really work' {
    It 'runs every example of <_> that is not marked as not run' -ForEach 'Export-TssrReport', 'Invoke-TssrCheck' {
        $examples = @((Get-Help $_ -Full).Examples.Example)
        $examples.Count | Should -BeGreaterOrEqual 2
        $runnable = @($examples | Where-Object { $_.Code -notmatch '# Not run by the tests' })
        $runnable.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $runnable) {
            $r = Invoke-TssrPwsh -Raw -Script "`$ErrorActionPreference = 'Stop'`n$($example.Code)"
            $r.ExitCode | Should -Be 0 -Because "example '$($example.Title)' must run: $($r.Error)"
        }
    }
}
