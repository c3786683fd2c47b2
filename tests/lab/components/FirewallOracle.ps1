# Lab component: the Linux kernel as the oracle of the firewall evaluator.
#   <prefix>-fko  the firewall: interfaces eth0, wan, lan, dmz (as the rule sets name them),
#                 forwarding on, reverse-path filter and ICMP rate limits off
#   <prefix>-fkc  the senders: the other end of each veth (<prefix>k-eth0 ...), no addresses;
#                 packets are written with AF_PACKET (tests/Firewall/kernel/send-flows.py), so
#                 addresses, ports, TCP flags and ICMP types are exactly those of the flow.
# Addresses of the firewall:  eth0 192.0.2.1/24 2001:db8:0:1::1/64   wan 203.0.113.1/24 2001:db8:0:2::1/64
#                             lan  10.0.1.1/24  2001:db8:0:3::1/64    dmz 10.0.2.1/24    2001:db8:0:4::1/64
# Invoke-LabFirewallOracle loads one rule set (nft -f, iptables-restore, ip6tables-restore) after
# flushing the previous one, adds the observer table (inet tfwobs: after every filter chain of
# input, forward and output it records the packet's flow id, its source port or ICMP echo id, then
# drops it, so the firewall's own stack never answers; before every chain of output it records the
# flow id carried back by a REJECT's TCP reset or ICMP error), sends the flows (Output ones from the
# firewall's own stack) and returns, per flow id, Accept (input, forward or output), Reject or Drop.
# Packets looped back on lo (a REJECT's answer to an Output flow) are neither traced nor recorded.

function Get-LabFirewallOracleNames {
    $p = Get-LabPrefix
    @{ Server = "$p-fko"; Client = "$p-fkc"; Peer = "$($p)k" }
}

$script:FirewallOracleLinks = [ordered]@{
    eth0 = @('192.0.2.1/24', '2001:db8:0:1::1/64')
    wan  = @('203.0.113.1/24', '2001:db8:0:2::1/64')
    lan  = @('10.0.1.1/24', '2001:db8:0:3::1/64')
    dmz  = @('10.0.2.1/24', '2001:db8:0:4::1/64')
}

function Invoke-LabFirewallOracleCommand {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $out = & $Arguments[0] @($Arguments | Select-Object -Skip 1) 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$($Arguments -join ' ') failed: $out" }
    $out
}

function Start-LabFirewallOracle {
    $n = Get-LabFirewallOracleNames
    Stop-LabFirewallOracle
    Invoke-LabFirewallOracleCommand ip netns add $n.Server | Out-Null
    Invoke-LabFirewallOracleCommand ip netns add $n.Client | Out-Null
    $macs = @{}
    foreach ($link in $script:FirewallOracleLinks.Keys) {
        $peer = "$($n.Peer)-$link"
        $tmp = "$($n.Peer)s-$link"
        Invoke-LabFirewallOracleCommand ip link add $tmp type veth peer name $peer | Out-Null
        Invoke-LabFirewallOracleCommand ip link set $tmp netns $n.Server | Out-Null
        Invoke-LabFirewallOracleCommand ip link set $peer netns $n.Client | Out-Null
        Invoke-LabFirewallOracleCommand ip -n $n.Server link set $tmp name $link | Out-Null
        foreach ($a in $script:FirewallOracleLinks[$link]) {
            if ($a.Contains(':')) { Invoke-LabFirewallOracleCommand ip -n $n.Server addr add $a dev $link nodad | Out-Null }
            else { Invoke-LabFirewallOracleCommand ip -n $n.Server addr add $a dev $link | Out-Null }
        }
        Invoke-LabFirewallOracleCommand ip -n $n.Server link set $link up | Out-Null
        Invoke-LabFirewallOracleCommand ip -n $n.Client link set $peer up | Out-Null
        $macs[$link] = ((Invoke-LabFirewallOracleCommand ip -n $n.Server -j link show $link) | ConvertFrom-Json)[0].address
        $macs["peer-$link"] = ((Invoke-LabFirewallOracleCommand ip -n $n.Client -j link show $peer) | ConvertFrom-Json)[0].address
    }
    Invoke-LabFirewallOracleCommand ip -n $n.Server link set lo up | Out-Null
    # Replies of the firewall itself (a REJECT's reset or ICMP error) need a route to any source:
    # a default route through a static neighbour on wan (no ARP or ND traffic is ever needed).
    Invoke-LabFirewallOracleCommand ip -n $n.Server neigh add 203.0.113.254 lladdr $macs['peer-wan'] dev wan nud permanent | Out-Null
    Invoke-LabFirewallOracleCommand ip -n $n.Server route add default via 203.0.113.254 | Out-Null
    Invoke-LabFirewallOracleCommand ip -n $n.Server -6 neigh add 2001:db8:0:2::fe lladdr $macs['peer-wan'] dev wan nud permanent | Out-Null
    Invoke-LabFirewallOracleCommand ip -n $n.Server -6 route add default via 2001:db8:0:2::fe | Out-Null
    $sysctl = @('net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0',
        'net.ipv4.icmp_ratelimit=0', 'net.ipv4.icmp_msgs_per_sec=1000000', 'net.ipv4.icmp_msgs_burst=1000000', 'net.ipv6.icmp.ratelimit=0')
    $sysctl += @($script:FirewallOracleLinks.Keys | ForEach-Object { "net.ipv4.conf.$_.rp_filter=0" })
    Invoke-LabFirewallOracleCommand ip netns exec $n.Server sysctl -qw @sysctl | Out-Null
    @{ Server = $n.Server; Client = $n.Client; Peer = $n.Peer; Macs = $macs }
}

function Stop-LabFirewallOracle {
    $n = Get-LabFirewallOracleNames
    $existing = @(& ip netns list 2>$null | ForEach-Object { ($_ -split ' ')[0] })
    foreach ($ns in @($n.Server, $n.Client)) {
        if ($existing -contains $ns) { & ip netns del $ns 2>$null }
    }
}

$script:FirewallOracleObserver = @'
table inet tfwobs {
  chain obspre {
    type filter hook prerouting priority -2000000000; policy accept;
    iifname "lo" return
    meta nftrace set 1
  }
  set seenin { type inet_service; flags dynamic; }
  set seenfwd { type inet_service; flags dynamic; }
  set seenout { type inet_service; flags dynamic; }
  set seenrej { type inet_service; flags dynamic; }
  chain obsin {
    type filter hook input priority 2000000000; policy accept;
    iifname "lo" drop
    meta l4proto { tcp, udp } update @seenin { th sport } drop
    meta l4proto { icmp, ipv6-icmp } update @seenin { @th,32,16 } drop
    drop
  }
  chain obsfwd {
    type filter hook forward priority 2000000000; policy accept;
    meta l4proto { tcp, udp } update @seenfwd { th sport } drop
    meta l4proto { icmp, ipv6-icmp } update @seenfwd { @th,32,16 } drop
    drop
  }
  chain obsout {
    type filter hook output priority -2000000000; policy accept;
    tcp flags rst update @seenrej { tcp dport }
    icmp type destination-unreachable @th,136,8 1 update @seenrej { @th,256,16 }
    icmp type destination-unreachable @th,136,8 != 1 update @seenrej { @th,224,16 }
    icmpv6 type destination-unreachable @th,112,8 58 update @seenrej { @th,416,16 }
    icmpv6 type destination-unreachable @th,112,8 != 58 update @seenrej { @th,384,16 }
    tcp flags rst return
    icmp type destination-unreachable return
    icmpv6 type destination-unreachable return
    meta nftrace set 1
  }
  chain obsoutacc {
    type filter hook output priority 2000000000; policy accept;
    tcp flags rst drop
    icmp type destination-unreachable drop
    icmpv6 type destination-unreachable drop
    meta l4proto { tcp, udp } update @seenout { th sport } drop
    meta l4proto { icmp, ipv6-icmp } update @seenout { @th,32,16 } drop
    drop
  }
}
'@

# The observer knows a flow by its key (source port, or ICMP echo id): flows sharing a key (a
# fixed source port such as 53) go in separate rounds. No conntrack entry survives a flow (the
# observer drops every packet, so none is confirmed): rounds and rule sets do not see each other.
function Split-LabFirewallOracleRound([object[]] $Pending) {
    $rounds = [Collections.Generic.List[object]]::new()
    foreach ($byKey in $Pending | Group-Object Key) {
        for ($i = 0; $i -lt $byKey.Count; $i++) {
            if ($rounds.Count -le $i) { $rounds.Add([Collections.Generic.List[object]]::new()) }
            $rounds[$i].Add($byKey.Group[$i])
        }
    }
    ,$rounds
}

function Get-LabFirewallOracleTraceKey {
    <#
    .SYNOPSIS
    The flow key (source port, or the ICMP id the sender wrote in bytes 4-5 of the ICMP header) of
    one packet line of nft monitor trace; $null when the line shows none.
    .DESCRIPTION
    nft prints the ICMP header's second word by the first template that fits the type: "icmp id N"
    for an ICMP echo, but "icmpv6 parameter-problem N" (or "icmpv6 mtu N") for an ICMPv6 echo, the
    32-bit word id.sequence; "icmp gateway A.B.C.D"; or raw "@th,32,L 0xHEX" when no field fits.
    #>
    param([string] $Line)
    if ($Line -match '\b(?:tcp|udp) sport (\d+)') { return [int]$Matches[1] }
    if ($Line -match '\bicmp(?:v6)? id (\d+)') { return [int]$Matches[1] }
    if ($Line -match '\bicmpv6 (?:parameter-problem|mtu|max-delay) (\d+)') { return [int]([uint32]$Matches[1] -shr 16) }
    if ($Line -match '\bicmp gateway (\d+)\.(\d+)\.\d+\.\d+') { return [int]$Matches[1] * 256 + [int]$Matches[2] }
    if ($Line -match '@th,32,(\d+) 0x([0-9a-f]+)' -and [int]$Matches[1] -ge 16) {
        $bits = [int]$Matches[1]; $hex = $Matches[2].PadLeft([int][Math]::Ceiling($bits / 4), '0')
        return [Convert]::ToInt32($hex.Substring(0, 4), 16)
    }
    $null
}

function Invoke-LabFirewallOracle {
    <#
    .SYNOPSIS
    Loads one rule set into the firewall namespace, sends the flows (objects with Id, Key, Family,
    Protocol, Source, Destination, SourcePort, Port, Flags, IcmpType, Interface, Direction, State
    (New, or Established: its tcp/udp connection is first inserted with conntrack -I); Key is the source
    port, or the ICMP echo id) and returns a
    hashtable flow id -> Verdict ('Input' | 'Forward' | 'Output': accepted, and where; 'Reject' | 'Drop') and Rule,
    the filter rule the kernel's trace shows deciding last ("family table chain #n" as the kernel
    numbers rules, "policy family table chain", $null when no filter chain saw the packet); the
    chains named in NatChains are left out, as the evaluator reports the filter chain's decision.
    #>
    param([Parameter(Mandatory)] [hashtable] $Lab, [Parameter(Mandatory)] [string] $RuleFile, [Parameter(Mandatory)] [object[]] $Flows,
          [Parameter(Mandatory)] [string] $Sender, [string[]] $NatChains = @())
    $s = $Lab.Server
    Invoke-LabFirewallOracleCommand ip netns exec $s nft flush ruleset | Out-Null
    Invoke-LabFirewallOracleCommand ip netns exec $s conntrack -F | Out-Null
    switch -Wildcard ([IO.Path]::GetFileName($RuleFile)) {
        '*.rules6' { Invoke-LabFirewallOracleCommand ip netns exec $s ip6tables-restore $RuleFile | Out-Null }
        '*.rules' { Invoke-LabFirewallOracleCommand ip netns exec $s iptables-restore $RuleFile | Out-Null }
        default { Invoke-LabFirewallOracleCommand ip netns exec $s nft -f $RuleFile | Out-Null }
    }
    $observer = Join-Path (Get-LabDirectory FirewallOracle) 'observer.nft'
    Set-Content -LiteralPath $observer -Value $script:FirewallOracleObserver
    Invoke-LabFirewallOracleCommand ip netns exec $s nft -f $observer | Out-Null
    # Which rule the kernel used: the rules of every chain by handle (nft -a -j), in chain order (the
    # kernel's rule numbers), and nftrace (set for every packet in prerouting) read by nft monitor trace.
    $ordinal = @{}
    $listing = (Invoke-LabFirewallOracleCommand ip netns exec $s nft '-a' '-j' list ruleset) -join "`n" | ConvertFrom-Json
    $counts = @{}
    foreach ($item in $listing.nftables) {
        if (-not $item.PSObject.Properties['rule']) { continue }
        $r = $item.rule
        $chainKey = "$($r.family) $($r.table) $($r.chain)"
        $counts[$chainKey] = 1 + $(if ($counts.ContainsKey($chainKey)) { $counts[$chainKey] } else { 0 })
        $ordinal["$chainKey $($r.handle)"] = $counts[$chainKey]
    }
    $result = @{}
    $deciders = @{}
    # A packet whose trace was lost (nft monitor trace drops events under load) is sent once more;
    # one still untraced then stays "(not traced)", which the test counts as a failure.
    $pending = $Flows
    for ($attempt = 0; $attempt -lt 2 -and @($pending).Count -gt 0; $attempt++) {
        foreach ($round in (Split-LabFirewallOracleRound $pending)) {
            foreach ($set in 'seenin', 'seenfwd', 'seenout', 'seenrej') { Invoke-LabFirewallOracleCommand ip netns exec $s nft flush set inet tfwobs $set | Out-Null }
            $traceFile = Join-Path (Get-LabDirectory FirewallOracle) 'trace.txt'
            $tracer = Start-Process -FilePath ip -ArgumentList @('netns', 'exec', $s, 'nft', '-a', 'monitor', 'trace') -RedirectStandardOutput $traceFile -RedirectStandardError "$traceFile.err" -PassThru
            Start-Sleep -Milliseconds 300
            # An Established flow's connection is put in the conntrack table first (seen both ways,
            # assured), so that its packet is ESTABLISHED as in a real conversation; TCP windows are
            # not checked (be_liberal), the packet being the first the kernel sees of it.
            foreach ($f in @($round | Where-Object State -eq 'Established')) {
                $proto = if ($f.Protocol -eq 'icmpv6') { 'icmpv6' } else { $f.Protocol }
                $ct = @('conntrack', '-I', '-p', $proto, '-s', $f.Source, '-d', $f.Destination)
                if ($f.Protocol -in 'tcp', 'udp') { $ct += @('--sport', $f.SourcePort, '--dport', $f.Port) }
                else { throw "An Established $($f.Protocol) flow is not supported by the oracle" }
                if ($f.Protocol -eq 'tcp') { $ct += @('--state', 'ESTABLISHED') }
                Invoke-LabFirewallOracleCommand ip netns exec $s @ct -u 'SEEN_REPLY,ASSURED' -t 120 | Out-Null
                Invoke-LabFirewallOracleCommand ip netns exec $s sysctl -qw net.netfilter.nf_conntrack_tcp_be_liberal=1 | Out-Null
            }
            # Output flows are written by the firewall's own stack (a raw IP socket in its namespace,
            # routed as any local packet); the others enter by the client end of their interface.
            foreach ($group in $round | Group-Object { if ($_.Direction -eq 'Output') { 'output' } else { $_.Interface } }) {
                $file = Join-Path (Get-LabDirectory FirewallOracle) "flows-$($group.Name).txt"
                $group.Group | ForEach-Object { '{0} {1} {2} {3} {4} {5} {6} {7} {8}' -f $_.Family, $_.Protocol, $_.Source, $_.Destination, $_.SourcePort, $_.Port, $_.Flags, $_.IcmpType, $_.Key } |
                    Set-Content -LiteralPath $file
                if ($group.Name -eq 'output') { Invoke-LabFirewallOracleCommand ip netns exec $s python3 $Sender lo - $file 1 | Out-Null }
                else { Invoke-LabFirewallOracleCommand ip netns exec $Lab.Client python3 $Sender "$($Lab.Peer)-$($group.Name)" $Lab.Macs[$group.Name] $file 1 | Out-Null }
            }
            Start-Sleep -Milliseconds 300
            try { $tracer.Kill(); $null = $tracer.WaitForExit(5000) } catch { }
            # A trace id is not unique over time (the kernel derives it from the packet buffer, which is
            # reused): a new packet starts where the first chain of the observer (obspre, or obsout for a
            # packet of the firewall itself) meets it.
            $traces = [Collections.Generic.List[hashtable]]::new()
            $current = @{}
            foreach ($line in Get-Content -LiteralPath $traceFile) {
                if ($line -notmatch '^trace id (\S+) (\S+) (\S+) (\S+) (.*)$') { continue }
                $id = $Matches[1]; $chainKey = "$($Matches[2]) $($Matches[3]) $($Matches[4])"; $rest = $Matches[5]
                if ($Matches[3] -eq 'tfwobs' -and $Matches[4] -in 'obspre', 'obsout' -and $rest.StartsWith('packet:')) {
                    $current[$id] = @{ Key = $null; Decider = $null }
                    $traces.Add($current[$id])
                }
                if (-not $current.ContainsKey($id)) { continue }
                $t = $current[$id]
                if ($Matches[3] -eq 'tfwobs') {
                    if ($null -eq $t.Key) { $t.Key = Get-LabFirewallOracleTraceKey $rest }
                    continue
                }
                if ($NatChains -contains $chainKey) { continue }
                if ($rest -match '# handle (\d+) \(verdict (accept|drop)\)') { $t.Decider = "$chainKey #$($ordinal["$chainKey $($Matches[1])"])" }
                elseif ($rest -match '^policy (accept|drop)') { $t.Decider = "policy $chainKey" }
            }
            foreach ($t in $traces) { if ($null -ne $t.Key) { $deciders[$t.Key] = $t.Decider } }
            $seen = @{}
            foreach ($set in 'seenin', 'seenfwd', 'seenout', 'seenrej') {
                $json = (Invoke-LabFirewallOracleCommand ip netns exec $s nft -j list set inet tfwobs $set) -join "`n" | ConvertFrom-Json
                $elements = @($json.nftables | Where-Object { $_.PSObject.Properties['set'] } | ForEach-Object { if ($_.set.PSObject.Properties['elem']) { $_.set.elem } })
                foreach ($e in $elements) { $seen[[int]$e] = @{ seenin = 'Input'; seenfwd = 'Forward'; seenout = 'Output'; seenrej = 'Reject' }[$set] }
            }
            foreach ($f in $round) {
                $verdict = if ($seen.ContainsKey([int]$f.Key)) { $seen[[int]$f.Key] } else { 'Drop' }
                $rule = if ($deciders.ContainsKey([int]$f.Key)) { $deciders[[int]$f.Key] } else { '(not traced)' }
                $result[$f.Id] = [pscustomobject]@{ Verdict = $verdict; Rule = $rule }
            }
            $deciders.Clear()
        }
        $pending = @($pending | Where-Object { $result[$_.Id].Rule -eq '(not traced)' })
    }
    $result
}
