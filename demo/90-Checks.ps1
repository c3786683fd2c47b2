# Invoke-TssrCheck: the checks a scheduled task or CI job runs unattended, from a declarative file,
# on this machine only (a listener of our own on 127.0.0.1, the hosts file, a sample rule set).
$work = Join-Path ([IO.Path]::GetTempPath()) "tssr-demo-checks-$PID"
$null = New-Item -ItemType Directory -Force $work
$listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
$listener.Start()
$port = $listener.LocalEndpoint.Port
try {
    Copy-Item (Join-Path $PSScriptRoot '../tests/Firewall/corpus/anomalies.rules') $work
    # A folder of nightly archives whose newest is three days old: the backup check must fail.
    $backups = Join-Path $work 'backups'
    $null = New-Item -ItemType Directory -Force $backups
    foreach ($day in 3, 4, 5) {
        $archive = Join-Path $backups "nightly-$day.tar.gz"
        Set-Content -LiteralPath $archive -Value 'demo'
        (Get-Item -LiteralPath $archive).LastWriteTimeUtc = [DateTime]::UtcNow.AddDays(-$day)
    }
    $checks = Join-Path $work 'checks.psd1'
    Set-Content -LiteralPath $checks -Value @"
@{
    Title  = 'Demo checks'
    Checks = @(
        @{ Name = 'service-open';  Type = 'PortOpen';      Target = '127.0.0.1'; Port = $port }
        @{ Name = 'no-telnet';     Type = 'PortClosed';    Target = '127.0.0.1'; Port = 'telnet' }
        @{ Name = 'localhost-a';   Type = 'DnsRecord';     Query = 'localhost'; Expected = '127.0.0.1' }
        @{ Name = 'firewall-high'; Type = 'FirewallAudit'; Path = 'anomalies.rules'; MaximumSeverity = 'Medium' }
        @{ Name = 'nightly-backup'; Type = 'BackupAge';    Path = 'backups'; Filter = '*.tar.gz'; MaximumAgeHours = 26 }
        @{ Name = 'offsite-backup'; Type = 'BackupAge';    Path = 'sftp:backup@nas:/srv/restic'; MaximumAgeHours = 26 }
    )
}
"@
    Write-Host "The check file ($checks):"
    Get-Content $checks | ForEach-Object { "    $_" } | Out-Host

    Write-Host 'Run it, with JUnit XML for a CI system:'
    $junit = Join-Path $work 'junit.xml'
    $results = Invoke-TssrCheck -Path $checks -JUnitPath $junit -PassThru -WarningAction SilentlyContinue
    $code = $LASTEXITCODE
    $results | Format-Table -Wrap | Out-Host
    Write-Host "Exit code $code (0 all passed, 1 a check did not pass, 2 could not run): the shadowed firewall rule fails, the stale nightly archive fails, and the remote repository is Unsupported (never passed)."
    $x = [xml](Get-Content -Raw $junit)
    Write-Host ("JUnit: {0} tests, {1} failures, {2} errors -> {3}" -f $x.testsuites.tests, $x.testsuites.failures, $x.testsuites.errors, $junit)
    $global:TssrDemoResults += @($results)

    Write-Host 'A mistake in the check file is an error that names its line (exit code 2):'
    $bad = Join-Path $work 'bad.psd1'
    Set-Content -LiteralPath $bad -Value "@{`n  Checks = @(`n    @{ Name = 'web'; Type = 'PortOpn'; Target = 'web01'; Port = 443 }`n  )`n}"
    try { Invoke-TssrCheck -Path $bad } catch { Write-Host "  $($_.FullyQualifiedErrorId.Split(',')[0]) at $($_.TargetObject): $($_.Exception.Message)"; Write-Host "  exit code $LASTEXITCODE" }
}
finally {
    $listener.Stop()
    $global:LASTEXITCODE = 0
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
