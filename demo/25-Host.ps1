# Test-TssrHost: an fping-class ICMP sweep on one socket. On this machine, loopback answers for all of
# 127.0.0.0/8 and ::1, so the demo sweeps that; it never sends anywhere else.
Write-Host 'Sweep 127.0.0.1-127.0.0.20 and ::1 (one socket per family, 1 ms between requests):'
try {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $results = Test-TssrHost 127.0.0.1-127.0.0.20, ::1
    $results | Select-Object -First 5 | Format-Table | Out-Host
    Write-Host ("{0} hosts in {1:0} ms: {2}" -f $results.Count, $clock.Elapsed.TotalMilliseconds,
        (($results | Group-Object Status | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', '))
    Write-Host "Sockets used: $(($results.Mode | Sort-Object -Unique) -join ', ') (Raw gives the TTL and ICMP errors; Datagram needs no root)."

    Write-Host ''
    Write-Host 'Loss and min/avg/max round trip with -Count (localhost resolved by name):'
    Test-TssrHost localhost, 127.0.0.1 -Count 5 -PeriodSec 0.05 |
        Format-Table ComputerName, Status, Received, LossPercent, MinRttMs, RttMs, MaxRttMs | Out-Host
}
catch {
    if ($_.FullyQualifiedErrorId -like 'IcmpNotPermitted*') {
        # The account may not send ICMP here: what the user would read, and what to do about it.
        Write-Host "ICMP is not permitted for this account; Test-TssrHost says:" -ForegroundColor Yellow
        Write-Host "  $($_.Exception.Message)"
        Write-Host "  What to do: $($_.ErrorDetails.RecommendedAction)"
    }
    else { throw }
}

Write-Host ''
Write-Host 'Bad input stops the command before anything is sent, with a specific error id:'
try { Test-TssrHost 10.0.0.0/33 }
catch { Write-Host "  $($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
