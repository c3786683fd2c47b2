# Find-TssrDuplicateAddress: two machines with the same IP address on one switch. The demo builds
# that segment in network namespaces (the lab's DupAddr component: a bridge, two hosts holding
# 198.19.254.10 and fd00:19:254::10, a unique host, a scanner) and runs the command from the scanner,
# so no packet ever leaves this machine. Without Linux, root and ip(8), it says why and shows the
# error a technician would get instead.
$module = Join-Path (Get-Module Tssr.Tools).ModuleBase 'Tssr.Tools.psd1'

Write-Host 'Why the neighbour table is not enough: it keeps one MAC per IP address, so a conflict never shows in it.'
Write-Host 'Find-TssrDuplicateAddress asks on the wire (ARP for IPv4, neighbour discovery for IPv6) and keeps every answer.'
Write-Host ''

$why = $null
if (-not $IsLinux) { $why = 'this is not Linux' }
elseif ((& id -u) -ne '0') { $why = 'namespaces and raw packets need root here' }
elseif (-not (Get-Command ip, bridge -ErrorAction SilentlyContinue)) { $why = 'ip and bridge (iproute2) are missing' }

if ($why) {
    Write-Host "Skipping the live segment: $why. What the command says on this machine:" -ForegroundColor Yellow
    try { Find-TssrDuplicateAddress 192.0.2.10 -ErrorAction Stop | Out-Null }
    catch { Write-Host "  $($_.FullyQualifiedErrorId): $($_.Exception.Message)"; Write-Host "  -> $($_.ErrorDetails.RecommendedAction)" }
    return
}

$saved = @{ Prefix = $env:TSSR_LAB_PREFIX; Dir = $env:TSSR_LAB_DIR }
$env:TSSR_LAB_PREFIX = 'demo'
$env:TSSR_LAB_DIR = Join-Path ([IO.Path]::GetTempPath()) "tssr-demo-$PID"
Import-Module (Join-Path $PSScriptRoot '../tests/lab/Lab.psm1') -Force
try {
    $lab = (Start-TssrLab -Component DupAddr).DupAddr
    Write-Host "Segment 198.19.254.0/24 + fd00:19:254::/64 built in namespaces; the scanner is $($lab.ScanNamespace)."
    $process = [Environment]::ProcessPath
    $pwsh = if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { @($process, (Join-Path $PSHOME 'pwsh.dll')) } else { @($process) }
    $script = @"
Import-Module '$module'
Write-Host '> Find-TssrDuplicateAddress 198.19.254.0/24, fd00:19:254::1-fd00:19:254::ff'
Find-TssrDuplicateAddress 198.19.254.0/24, 'fd00:19:254::1-fd00:19:254::ff' | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
Write-Host '> ... -IncludeUnique (every host that answered: an inventory of the segment)'
Find-TssrDuplicateAddress 198.19.254.0/24 -IncludeUnique | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
Write-Host '> A silent address: no output, and a warning'
Find-TssrDuplicateAddress 198.19.254.99
"@
    & ip netns exec $lab.ScanNamespace @pwsh -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) { throw "The scanner's pwsh failed (exit code $LASTEXITCODE)." }
    Write-Host 'Read: 198.19.254.10 answers from two MACs (two machines, one address); 198.19.254.2 is this scanner''s own'
    Write-Host 'address, also used by another machine (found with an RFC 5227 probe, IsLocalAddress = True).'
}
finally {
    Stop-TssrLab -Component DupAddr
    Remove-Item -Recurse -Force $env:TSSR_LAB_DIR -ErrorAction SilentlyContinue
    $env:TSSR_LAB_PREFIX = $saved.Prefix
    $env:TSSR_LAB_DIR = $saved.Dir
}
