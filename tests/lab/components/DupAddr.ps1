# A switched segment with an address conflict on it. A bridge lives in its own namespace; four
# namespaces hang off it by veth pairs, each with an interface named lan0:
#   scan  198.19.254.1/24 and .2/24, fd00:19:254::1/64 and ::2/64  (where the tests run)
#   dup1  198.19.254.10/24, fd00:19:254::10/64                      } the same addresses on two
#   dup2  198.19.254.10/24, fd00:19:254::10/64                      } machines: the conflict
#   uniq  198.19.254.20/24, fd00:19:254::20/64, and .2 and ::2 (which the scanner holds too)
# Nothing answers for 198.19.254.99 / fd00:19:254::99 (the silent address). Linux answers ARP for
# its own addresses by default (arp_ignore=0); duplicate address detection is off for IPv6 so
# that both copies of the address stay usable, as they would on a misconfigured LAN.
# 198.19.254.0/24 is in the benchmark range (198.18.0.0/15) and exists only in these namespaces.

function Get-LabDupAddrName {
    $prefix = Get-LabPrefix
    [ordered]@{ Bridge = "$prefix-dabr"; Scan = "$prefix-dascan"; Dup1 = "$prefix-dadup1"; Dup2 = "$prefix-dadup2"; Unique = "$prefix-dauniq" }
}

function Invoke-LabDupAddrIp {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $out = & ip @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "ip $($Arguments -join ' ') failed: $out" }
}

function Get-LabDupAddrMac {
    param([string] $Namespace, [string] $Interface = 'lan0')
    $link = & ip -n $Namespace -j link show $Interface | ConvertFrom-Json
    $link[0].address
}

function Start-LabDupAddr {
    foreach ($tool in 'ip', 'bridge', 'sysctl') {
        if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "The duplicate-address lab needs '$tool' (see LAB.md)." }
    }
    $n = Get-LabDupAddrName
    Stop-LabDupAddr   # leftovers of a run that died
    foreach ($ns in $n.Values) { Invoke-LabDupAddrIp netns add $ns }
    Invoke-LabDupAddrIp -n $n.Bridge link add br0 type bridge
    Invoke-LabDupAddrIp -n $n.Bridge link set br0 up

    $hosts = [ordered]@{
        $n.Scan   = @('198.19.254.1/24', '198.19.254.2/24', 'fd00:19:254::1/64', 'fd00:19:254::2/64')
        $n.Dup1   = @('198.19.254.10/24', 'fd00:19:254::10/64')
        $n.Dup2   = @('198.19.254.10/24', 'fd00:19:254::10/64')
        $n.Unique = @('198.19.254.20/24', '198.19.254.2/24', 'fd00:19:254::20/64', 'fd00:19:254::2/64')
    }
    $port = 0
    foreach ($ns in $hosts.Keys) {
        $port++
        # Made directly inside the two namespaces, so no name is ever taken in the host's namespace.
        Invoke-LabDupAddrIp link add lan0 netns $ns type veth peer name "p$port" netns $n.Bridge
        foreach ($key in 'all', 'default', 'lan0') {
            $null = & ip netns exec $ns sysctl -qw "net.ipv6.conf.$key.accept_dad=0" 2>&1
        }
        Invoke-LabDupAddrIp -n $ns link set lo up
        foreach ($address in $hosts[$ns]) {
            if ($address -like '*:*') { Invoke-LabDupAddrIp -n $ns addr add $address dev lan0 nodad }
            else { Invoke-LabDupAddrIp -n $ns addr add $address dev lan0 }
        }
        Invoke-LabDupAddrIp -n $ns link set lan0 up
        Invoke-LabDupAddrIp -n $n.Bridge link set "p$port" master br0
        Invoke-LabDupAddrIp -n $n.Bridge link set "p$port" up
    }

    # Bridge ports forward at once without STP, but veths come up asynchronously: wait for both.
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    do {
        Start-Sleep -Milliseconds 100
        $ports = @(& ip -n $n.Bridge -j link show master br0 | ConvertFrom-Json)
        $states = @(& bridge -n $n.Bridge -j link show | ConvertFrom-Json | ForEach-Object state)
        $hostsUp = @($hosts.Keys | Where-Object { (& ip -n $_ -j link show lan0 | ConvertFrom-Json)[0].operstate -eq 'UP' })
        $ready = $ports.Count -eq $hosts.Count -and @($states | Where-Object { $_ -eq 'forwarding' }).Count -eq $hosts.Count -and $hostsUp.Count -eq $hosts.Count
    } until ($ready -or [DateTime]::UtcNow -gt $deadline)
    if (-not $ready) { throw "The duplicate-address lab: the bridge ports did not all forward within 15 s ($($states -join ', '))." }
    # Only the answers of the test itself should fill the scanner's neighbour table.
    & ip -n $n.Scan neigh flush dev lan0 2>$null

    @{
        ScanNamespace     = $n.Scan
        Interface         = 'lan0'
        Subnet            = '198.19.254.0/24'
        DuplicateAddress  = '198.19.254.10'
        UniqueAddress     = '198.19.254.20'
        SilentAddress     = '198.19.254.99'
        LocalConflict     = '198.19.254.2'
        LocalConflict6    = 'fd00:19:254::2'
        ScannerAddress    = '198.19.254.1'
        DuplicateAddress6 = 'fd00:19:254::10'
        UniqueAddress6    = 'fd00:19:254::20'
        SilentAddress6    = 'fd00:19:254::99'
        ScannerMac        = Get-LabDupAddrMac $n.Scan
        Dup1Namespace     = $n.Dup1
        Dup2Namespace     = $n.Dup2
        UniqueNamespace   = $n.Unique
    }
}

function Stop-LabDupAddr {
    foreach ($ns in (Get-LabDupAddrName).Values) {
        & ip netns pids $ns 2>$null | Out-Null
        if ($LASTEXITCODE -eq 0) { & ip netns del $ns 2>$null }
    }
}
