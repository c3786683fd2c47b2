# Lab component: two network namespaces joined by a veth pair, for live firewall tests.
#   <prefix>-fwc (client, 198.19.250.1/30, fd19:250::1/64) <-> <prefix>-fws (server, .2 / ::2)
# The server runs a TCP listener on the ports the tests probe; the tests load nftables or
# iptables rules into the server namespace themselves.

function Get-LabFirewallNames {
    $p = Get-LabPrefix
    @{ Client = "$p-fwc"; Server = "$p-fws"; ClientLink = "$p-fwc0"; ServerLink = "$p-fws0" }
}

function Invoke-LabFirewallIp {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $out = & ip @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "ip $($Arguments -join ' ') failed: $out" }
}

function Start-LabFirewall {
    $n = Get-LabFirewallNames
    Stop-LabFirewall
    Invoke-LabFirewallIp netns add $n.Client
    Invoke-LabFirewallIp netns add $n.Server
    Invoke-LabFirewallIp link add $n.ClientLink type veth peer name $n.ServerLink
    Invoke-LabFirewallIp link set $n.ClientLink netns $n.Client
    Invoke-LabFirewallIp link set $n.ServerLink netns $n.Server
    foreach ($side in @(@($n.Client, $n.ClientLink, '198.19.250.1/30', 'fd19:250::1/64'), @($n.Server, $n.ServerLink, '198.19.250.2/30', 'fd19:250::2/64'))) {
        Invoke-LabFirewallIp -n $side[0] link set lo up
        Invoke-LabFirewallIp -n $side[0] addr add $side[2] dev $side[1]
        Invoke-LabFirewallIp -n $side[0] addr add $side[3] dev $side[1] nodad
        Invoke-LabFirewallIp -n $side[0] link set $side[1] up
    }
    $ports = 22, 80, 443, 3306, 5432, 8080
    $listener = @"
`$listeners = foreach (`$p in $($ports -join ',')) { `$l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::IPv6Any, `$p); `$l.Server.DualMode = `$true; `$l.Start(); `$l }
while (`$true) { foreach (`$l in `$listeners) { while (`$l.Pending()) { `$l.AcceptTcpClient().Dispose() } }; Start-Sleep -Milliseconds 20 }
"@
    $process = [Environment]::ProcessPath
    $pwsh = if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { @($process, (Join-Path $PSHOME 'pwsh.dll')) } else { @($process) }
    $log = Join-Path (Get-LabDirectory 'Firewall') 'listener.log'
    $id = Start-LabProcess -FilePath 'ip' -ArgumentList (@('netns', 'exec', $n.Server) + $pwsh + @('-NoProfile', '-NonInteractive', '-Command', $listener)) -LogFile $log
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ($true) {
        $listening = & ip netns exec $n.Server ss -Hltn 2>$null
        if (@($ports | Where-Object { $listening -match ":$_\s" }).Count -eq $ports.Count) { break }
        if (-not (Test-LabProcess $id)) { throw "The firewall lab listener exited: $(Get-Content -Raw $log -ErrorAction SilentlyContinue)" }
        if ([DateTime]::UtcNow -gt $deadline) { throw 'The firewall lab listener is not listening after 60 s.' }
        Start-Sleep -Milliseconds 200
    }
    @{
        Client = $n.Client; Server = $n.Server; ClientLink = $n.ClientLink; ServerLink = $n.ServerLink
        ClientAddress = '198.19.250.1'; ServerAddress = '198.19.250.2'
        ClientAddress6 = 'fd19:250::1'; ServerAddress6 = 'fd19:250::2'
        Ports = $ports
    }
}

function Stop-LabFirewall {
    $n = Get-LabFirewallNames
    foreach ($ns in $n.Client, $n.Server) {
        if (@(& ip netns list 2>$null | ForEach-Object { ($_ -split ' ')[0] }) -contains $ns) { & ip netns del $ns 2>$null }
    }
}
