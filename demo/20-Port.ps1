# Test-TssrPort on this machine only: a listener of our own on 127.0.0.1, and loopback addresses
# where nothing listens. No packet leaves the computer.
$listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
$listener.Start()
$port = $listener.LocalEndpoint.Port
try {
    Write-Host "A service of our own listens on 127.0.0.1:$port. Which of these ports answer?"
    $probes = Test-TssrPort 127.0.0.1 -Port $port, ssh, https, rdp
    $probes | Format-Table -AutoSize
    $global:TssrDemoResults += @($probes)

    Write-Host 'A range and a CIDR block, only the open ports (-Open):'
    Test-TssrPort 127.0.0.1-5, 127.0.1.0/29 -Port $port -Open | Format-Table -AutoSize

    Write-Host 'A flow matrix from CSV: each row checks its own host and ports.'
    @"
ComputerName,Port
127.0.0.1,$port
localhost,ssh
127.0.0.2,8000-8002
"@ | ConvertFrom-Csv | Test-TssrPort | Select-Object ComputerName, Port, Status, Reason | Format-Table -AutoSize

    Write-Host 'A sweep of 1,024 loopback addresses on port 9 (discard), counted by verdict:'
    $clock = [Diagnostics.Stopwatch]::StartNew()
    Test-TssrPort 127.0.4.0/22 -Port 9 | Group-Object Status -NoElement | Format-Table Name, Count -AutoSize
    Write-Host ("  {0:0.00} s for 1,024 probes" -f $clock.Elapsed.TotalSeconds)

    Write-Host 'Bad input stops the command before any probe, with a specific error:'
    foreach ($bad in { Test-TssrPort 10.0.0.0/33 -Port 22 }, { Test-TssrPort 127.0.0.1 -Port 70000 }, { Test-TssrPort 127.0.0.1 -Port sshd }) {
        try { & $bad } catch { Write-Host "  $($_.FullyQualifiedErrorId.Split(',')[0]): $($_.Exception.Message)" }
    }

    Write-Host 'A name that does not resolve is reported, and the others are still probed:'
    Test-TssrPort no-such-host.invalid, 127.0.0.1 -Port $port -ErrorVariable failed -ErrorAction SilentlyContinue | Format-Table -AutoSize
    $failed | ForEach-Object { Write-Host "  $($_.FullyQualifiedErrorId.Split(',')[0]) for '$($_.TargetObject)'" }

    Write-Host 'En français :'
    $ui = [cultureinfo]::CurrentUICulture
    try {
        [cultureinfo]::CurrentUICulture = 'fr-FR'
        Test-TssrPort 127.0.0.3 -Port 9 | Format-List ComputerName, Port, Status, Detail
    }
    finally { [cultureinfo]::CurrentUICulture = $ui }
}
finally {
    $listener.Stop()
}
