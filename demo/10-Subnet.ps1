# Get-TssrSubnet: the subnet calculator of the TSSR, IPv4 and IPv6, on sample networks.
Write-Host 'One network, every fact (Format-List shows them all):'
Get-TssrSubnet 192.168.10.0/24 | Format-List Prefix, Mask, WildcardMask, Broadcast, FirstHost, LastHost, HostCount, Category, CategoryReference

Write-Host 'Dotted masks, IPv6, point-to-point links and special ranges:'
Get-TssrSubnet '172.16.0.0 255.255.240.0', 10.255.0.0/31, 100.64.0.0/10, 198.18.0.0/15, 2001:db8:acad::/48, fe80::/64 | Format-Table -AutoSize

Write-Host 'A /24 split into /26:'
Get-TssrSubnet 192.168.1.0/24 -Split 26 | Format-Table -AutoSize

Write-Host 'VLSM plan: 100, 50, 20 and 2 hosts in 192.168.1.0/24 (largest first):'
$plan = Get-TssrSubnet 192.168.1.0/24 -HostCount 100, 50, 20, 2
$plan | Format-Table -AutoSize
$global:TssrDemoResults += @($plan)

Write-Host 'Streaming: the first three /30 of 10.0.0.0/8 (4,194,304 of them), at once:'
$elapsed = Measure-Command { $first = Get-TssrSubnet 10.0.0.0/8 -Split 30 | Select-Object -First 3 }
$first | Format-Table Prefix, FirstHost, LastHost -AutoSize
Write-Host ("  took {0:N0} ms" -f $elapsed.TotalMilliseconds)

Write-Host 'An address plan from CSV: overlaps, containment, summary:'
$csv = Join-Path ([IO.Path]::GetTempPath()) "tssr-demo-plan-$PID.csv"
try {
    Set-Content -LiteralPath $csv -Value @(
        'Site,Network,Mask'
        'Paris,10.10.0.0,255.255.0.0'
        'Lyon,10.11.0.0,255.255.0.0'
        'Lille,10.10.128.0,255.255.128.0'
        'Nantes,10.12.0.0,255.255.254.0'
        'Nantes-2,10.12.2.0,255.255.254.0'
    )
    Import-Csv -LiteralPath $csv | Get-TssrSubnet -FindOverlap | Format-Table -AutoSize
    Import-Csv -LiteralPath $csv | Get-TssrSubnet -Contains 10.12.3.40 | Where-Object Contains | Format-Table -AutoSize
    Import-Csv -LiteralPath $csv | Get-TssrSubnet -Summarize | Format-Table Prefix, HostCount -AutoSize
}
finally { Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue }

Write-Host 'Bad input gets a clear error naming it, and the list goes on:'
$good = '10.0.0.0/8', '10.0.0.0/255.0.255.0', '10.0.0.0 0.0.0.255', '192.168.1', '10.0.0.5/8' |
    Get-TssrSubnet -ErrorAction SilentlyContinue -ErrorVariable problems -WarningAction SilentlyContinue -WarningVariable warnings
foreach ($p in $problems) { Write-Host "  [$($p.FullyQualifiedErrorId -replace ',.*')] $($p.ErrorDetails.Message)" }
foreach ($w in $warnings) { Write-Host "  [warning] $w" }
Write-Host "  kept: $($good.Prefix -join ', ')"
