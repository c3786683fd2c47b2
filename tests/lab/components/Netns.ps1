# The namespace lab of LAB.md: a scanner namespace and a targets namespace joined by a veth pair.
# In the targets namespace every address of 198.18.0.0/22 is local (so it answers), the upper half
# 198.18.2.0/23 is dropped by nftables (silent hosts), and one web server listens on 198.18.0.10:80
# (the one open port). 198.18.0.0/15 is reserved for benchmarks and exists only in here.

function Get-LabNetnsName {
    $prefix = Get-LabPrefix
    @{ Scan = "$prefix-scan"; Targets = "$prefix-targets"; VethScan = "$prefix-vs"; VethTargets = "$prefix-vt" }
}

function Invoke-LabIp {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $out = & ip @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "ip $($Arguments -join ' ') failed: $out" }
}

function Start-LabNetns {
    foreach ($tool in 'ip', 'nft', 'python3') {
        if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "The namespace lab needs '$tool' (see LAB.md)." }
    }
    $n = Get-LabNetnsName
    Stop-LabNetns   # leftovers of a run that died
    Invoke-LabIp netns add $n.Scan
    Invoke-LabIp netns add $n.Targets
    Invoke-LabIp link add $n.VethScan type veth peer name $n.VethTargets
    Invoke-LabIp link set $n.VethScan netns $n.Scan
    Invoke-LabIp link set $n.VethTargets netns $n.Targets
    Invoke-LabIp -n $n.Scan addr add 198.19.255.1/30 dev $n.VethScan
    Invoke-LabIp -n $n.Scan link set $n.VethScan up
    Invoke-LabIp -n $n.Scan link set lo up
    Invoke-LabIp -n $n.Targets addr add 198.19.255.2/30 dev $n.VethTargets
    Invoke-LabIp -n $n.Targets link set $n.VethTargets up
    Invoke-LabIp -n $n.Targets link set lo up
    Invoke-LabIp -n $n.Scan route add 198.18.0.0/22 via 198.19.255.2
    Invoke-LabIp -n $n.Targets route add local 198.18.0.0/22 dev lo
    Invoke-LabIp netns exec $n.Targets nft add table inet lab
    Invoke-LabIp netns exec $n.Targets nft 'add chain inet lab input { type filter hook input priority 0; policy accept; }'
    Invoke-LabIp netns exec $n.Targets nft add rule inet lab input ip daddr 198.18.2.0/23 drop

    $dir = Get-LabDirectory 'Netns'
    $www = Join-Path $dir 'www'
    $null = New-Item -ItemType Directory -Force $www
    Set-Content (Join-Path $www 'index.html') 'Tssr lab'
    $webPid = Start-LabProcess -FilePath 'ip' -ArgumentList @('netns', 'exec', $n.Targets, 'python3', '-m', 'http.server', '80', '--bind', '198.18.0.10', '--directory', $www) -LogFile (Join-Path $dir 'web.log')
    # The listener lives in the targets namespace: wait for it from there.
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    do {
        Start-Sleep -Milliseconds 200
        $listening = (& ip netns exec $n.Targets ss -Hltn 'sport = :80' 2>$null) -match '198\.18\.0\.10:80'
        if (-not (Test-LabProcess $webPid)) { throw "The lab web server exited: $(Get-Content (Join-Path $dir 'web.log') -Raw)" }
    } until ($listening -or [DateTime]::UtcNow -gt $deadline)
    if (-not $listening) { throw 'The lab web server did not listen on 198.18.0.10:80 within 20 s.' }

    @{
        ScanNamespace    = $n.Scan
        TargetsNamespace = $n.Targets
        SweepRange       = '198.18.0.0/22'
        LiveRange        = '198.18.0.0/23'
        SilentRange      = '198.18.2.0/23'
        OpenAddress      = '198.18.0.10'
        OpenPort         = 80
        ScannerAddress   = '198.19.255.1'
    }
}

function Stop-LabNetns {
    $n = Get-LabNetnsName
    foreach ($ns in $n.Scan, $n.Targets) {
        & ip netns pids $ns 2>$null | Out-Null
        if ($LASTEXITCODE -eq 0) { & ip netns del $ns 2>$null }
    }
}
