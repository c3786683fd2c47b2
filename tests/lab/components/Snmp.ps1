# SNMP lab: net-snmp's snmpd with its own configuration in the lab folder, on
# 127.0.0.1:$env:TSSR_LAB_SNMP_PORT (default 16101), answering
#   v1/v2c  community 'public' (read-only) and 'private' (read-write) from 127.0.0.1
#   v3      one user per authentication/privacy pair Debian's net-snmp 5.9.3 supports
#           (MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512 x none, DES, AES, AES-192, AES-256)
#           plus a noAuthNoPriv user; pass phrases are generated per start and kept in the lab
#           state only (never printed); 'tssrrw' (SHA-256/AES) may write.
# snmpd runs in the foreground (-f) so the PID recorded is its own; -C keeps it away from
# /etc/snmp; persistentDir (usmUser keys, engine boots) lives in the lab folder, wiped at each
# start so every run begins from the same engine state. MIB files are not installed here (Debian
# keeps them in non-free): MIBS is emptied so neither snmpd nor the client tools try to read them.
# sysContact is left out of the configuration so it stays writable by SET.

$script:LabSnmpAuth = [ordered]@{ MD5 = 'MD5'; SHA = 'SHA1'; 'SHA-224' = 'SHA224'; 'SHA-256' = 'SHA256'; 'SHA-384' = 'SHA384'; 'SHA-512' = 'SHA512' }
$script:LabSnmpPriv = [ordered]@{ DES = 'DES'; AES = 'AES'; 'AES-192' = 'AES192'; 'AES-256' = 'AES256' }

function Get-LabSnmpPort { if ($env:TSSR_LAB_SNMP_PORT) { [int]$env:TSSR_LAB_SNMP_PORT } else { 16101 } }

function Get-LabSnmpEnvironment {
    # For net-snmp's client tools run by the tests: no MIB loading, their own persistent folder.
    param([Parameter(Mandatory)] [string] $Directory)
    @{ MIBS = ''; MIBDIRS = (Join-Path $Directory 'no-mibs'); SNMP_PERSISTENT_DIR = (Join-Path $Directory 'client') }
}

function New-LabSnmpSecret {
    $bytes = [byte[]]::new(12)
    [System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
    'L' + [Convert]::ToHexString($bytes).ToLowerInvariant()
}

function Test-LabSnmpAnswer {
    # True when the agent answers a v2c GET of sysUpTime.0 with the 'public' community.
    param([int] $Port, [string] $Address = '127.0.0.1')
    $udp = [System.Net.Sockets.UdpClient]::new()
    try {
        $udp.Client.ReceiveTimeout = 300
        $request = [Convert]::FromHexString('302902010104067075626C6963A01C020400001234020100020100300E300C06082B060102010103000500')
        $null = $udp.Send($request, $request.Length, [System.Net.IPEndPoint]::new([System.Net.IPAddress]::Parse($Address), $Port))
        $from = [System.Net.IPEndPoint]::new([System.Net.IPAddress]::Any, 0)
        $reply = $udp.Receive([ref] $from)
        $reply.Length -gt 20
    }
    catch { $false }
    finally { $udp.Dispose() }
}

function Start-LabSnmpAgent {
    # One snmpd with the given configuration lines, waiting until it answers; returns its PID.
    param([string] $Name, [string] $Address, [int] $Port, [string[]] $Lines)
    $snmpd = (Get-Command snmpd -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $snmpd -and (Test-Path /usr/sbin/snmpd)) { $snmpd = '/usr/sbin/snmpd' }
    if (-not $snmpd) { throw 'snmpd is not installed (apt-get install snmpd snmp).' }
    $dir = Get-LabDirectory -Component (Join-Path 'snmp' $Name)
    $persistent = Join-Path $dir 'persistent'
    Remove-Item -Recurse -Force -LiteralPath $persistent -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Force $persistent
    $conf = Join-Path $dir 'snmpd.conf'
    Set-Content -LiteralPath $conf -Value (@("[snmp] persistentDir $persistent") + $Lines)
    # The configuration holds pass phrases: readable by this user only.
    if (-not $IsWindows) { & chmod 600 $conf }
    $id = Start-LabProcess -FilePath $snmpd -LogFile (Join-Path $dir 'snmpd.log') -Environment (Get-LabSnmpEnvironment $dir) -ArgumentList @(
        '-f', '-Lo', '-C', '-c', $conf, '-p', (Join-Path $dir 'snmpd.pid'), "udp:${Address}:$Port"
    )
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    while (-not (Test-LabSnmpAnswer -Port $Port -Address $Address)) {
        if (-not (Test-LabProcess $id)) { throw "snmpd $Name exited at start (port $Port taken? set TSSR_LAB_SNMP_PORT): $(Get-Content -Raw (Join-Path $dir 'snmpd.log') | Select-Object -Last 1)" }
        if ([DateTime]::UtcNow -gt $deadline) { throw "snmpd $Name does not answer on ${Address}:$Port after 15 s." }
        Start-Sleep -Milliseconds 100
    }
    $id
}

function Start-LabSnmp {
    $port = Get-LabSnmpPort
    $dir = Get-LabDirectory -Component 'snmp'
    $users = [System.Collections.Generic.List[hashtable]]::new()
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.AddRange([string[]]@(
        'rocommunity public 127.0.0.1'
        'rwcommunity private 127.0.0.1'
        'sysLocation Lab rack 1'
        'sysName tssr-lab-snmp'
        'sysServices 72'
    ))
    $noAuth = @{ Name = 'tssrnoauth'; Level = 'noAuthNoPriv'; AuthProtocol = 'None'; PrivacyProtocol = 'None'; NetSnmpAuth = ''; NetSnmpPriv = ''; AuthPassphrase = ''; PrivacyPassphrase = '' }
    $users.Add($noAuth)
    $lines.Add("createUser tssrnoauth")
    $lines.Add("rouser tssrnoauth noauth")
    foreach ($a in $script:LabSnmpAuth.Keys) {
        foreach ($p in @('') + @($script:LabSnmpPriv.Keys)) {
            $name = ('tssr' + $a + $(if ($p) { $p } else { 'nopriv' })).Replace('-', '').ToLowerInvariant()
            $authPass = New-LabSnmpSecret
            $privPass = if ($p) { New-LabSnmpSecret } else { '' }
            $level = if ($p) { 'authPriv' } else { 'authNoPriv' }
            $users.Add(@{
                Name = $name; Level = $level; AuthProtocol = $script:LabSnmpAuth[$a]; PrivacyProtocol = $(if ($p) { $script:LabSnmpPriv[$p] } else { 'None' })
                NetSnmpAuth = $a; NetSnmpPriv = $p; AuthPassphrase = $authPass; PrivacyPassphrase = $privPass
            })
            $lines.Add($(if ($p) { "createUser $name $a `"$authPass`" $p `"$privPass`"" } else { "createUser $name $a `"$authPass`"" }))
            $lines.Add("rouser $name $(if ($p) { 'priv' } else { 'auth' })")
        }
    }
    $rwAuth = New-LabSnmpSecret
    $rwPriv = New-LabSnmpSecret
    $lines.Add("createUser tssrrw SHA-256 `"$rwAuth`" AES `"$rwPriv`"")
    $lines.Add('rwuser tssrrw priv')
    $users.Add(@{ Name = 'tssrrw'; Level = 'authPriv'; AuthProtocol = 'SHA256'; PrivacyProtocol = 'AES'; NetSnmpAuth = 'SHA-256'; NetSnmpPriv = 'AES'; AuthPassphrase = $rwAuth; PrivacyPassphrase = $rwPriv; Writable = $true })

    $null = Start-LabSnmpAgent -Name 'agent' -Address '127.0.0.1' -Port $port -Lines $lines

    @{
        Endpoint        = "127.0.0.1:$port"
        Port            = $port
        ReadCommunity   = 'public'
        WriteCommunity  = 'private'
        Location        = 'Lab rack 1'
        SysName         = 'tssr-lab-snmp'
        Users           = $users.ToArray()
        ToolEnvironment = Get-LabSnmpEnvironment (Join-Path $dir 'agent')
    }
}

function Start-LabSnmpFleet {
    # Several agents for sweeps: snmpd on 127.0.0.21, .22 and .23 (one port, $env:TSSR_LAB_SNMP_FLEET_PORT,
    # default 16110), each with its own sysName; .23 also answers the community 'fleet', the others
    # only 'public'; every other address of 127.0.0.16/28 is silent on that port.
    $port = if ($env:TSSR_LAB_SNMP_FLEET_PORT) { [int]$env:TSSR_LAB_SNMP_FLEET_PORT } else { 16110 }
    $agents = @(
        @{ Address = '127.0.0.21'; Community = 'public'; SysName = 'tssr-fleet-21' }
        @{ Address = '127.0.0.22'; Community = 'public'; SysName = 'tssr-fleet-22' }
        @{ Address = '127.0.0.23'; Community = 'fleet'; SysName = 'tssr-fleet-23' }
    )
    foreach ($a in $agents) {
        $null = Start-LabSnmpAgent -Name ('fleet-' + $a.Address) -Address $a.Address -Port $port -Lines @(
            'rocommunity public 127.0.0.0/8'
            $(if ($a.Community -ne 'public') { "rocommunity $($a.Community) 127.0.0.0/8" })
            "sysName $($a.SysName)"
        )
    }
    @{ Port = $port; Range = '127.0.0.16/28'; Agents = $agents }
}

function Start-LabSnmpDevice {
    # One agent whose identity a test changes between two inventories (Compare-TssrInventory):
    # snmpd on 127.0.0.24, the fleet's port, community 'public'. $env:TSSR_LAB_SNMP_DEVICE_VARIANT
    # picks its configuration: A (default) or B, another sysObjectID, sysName and sysLocation, as
    # when another box answers at the same address. Stop the component and start it again to switch.
    $port = if ($env:TSSR_LAB_SNMP_FLEET_PORT) { [int]$env:TSSR_LAB_SNMP_FLEET_PORT } else { 16110 }
    $variant = if ($env:TSSR_LAB_SNMP_DEVICE_VARIANT -eq 'B') { 'B' } else { 'A' }
    $identity = @{
        A = @{ ObjectId = '1.3.6.1.4.1.8072.3.2.10'; SysName = 'tssr-device-a'; Location = 'Lab rack 3' }
        B = @{ ObjectId = '1.3.6.1.4.1.99999.1.2'; SysName = 'tssr-device-b'; Location = 'Lab rack 4' }
    }[$variant]
    $null = Start-LabSnmpAgent -Name 'device' -Address '127.0.0.24' -Port $port -Lines @(
        'rocommunity public 127.0.0.0/8'
        "sysObjectID .$($identity.ObjectId)"
        "sysName $($identity.SysName)"
        "sysLocation $($identity.Location)"
    )
    @{ Endpoint = "127.0.0.24:$port"; Variant = $variant; ObjectId = $identity.ObjectId; SysName = $identity.SysName; Location = $identity.Location }
}

function Get-LabSnmpNetnsName {
    $prefix = Get-LabPrefix
    @{ Scan = "$prefix-ss"; Targets = "$prefix-st"; VethScan = "$prefix-sv"; VethTargets = "$prefix-tv"; Dummy = "$prefix-d0"; Extra = "$prefix-d1" }
}

function Start-LabSnmpNetns {
    # Agents among silent and rejecting hosts, for real sweeps and timeouts (LAB.md, network
    # namespaces): a scanner namespace and a targets namespace joined by a veth pair; in the
    # targets namespace every address of 198.18.0.0/24 is local; snmpd answers 'public' on
    # 198.18.0.10 and .11 (port 161); 198.18.0.64/26 rejects SNMP with ICMP port unreachable
    # (nftables reject; ICMP rate limit off so every probe gets its answer), 198.18.0.128/25 is
    # dropped (silent); the other addresses have no listener (the kernel answers port unreachable).
    # The agent reports the targets namespace's own interfaces: lo, the veth and a test interface
    # ('<prefix>-d0', 10.99.0.1/24, a veth whose peer '<prefix>-d0p' is in the namespace too) that a
    # test may change (and a second one, Extra '<prefix>-d1', it may add).
    foreach ($tool in 'ip', 'nft', 'snmpget') {
        if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "The SNMP namespace lab needs '$tool' (see LAB.md)." }
    }
    $snmpd = if (Test-Path /usr/sbin/snmpd) { '/usr/sbin/snmpd' } else { (Get-Command snmpd -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source }
    $n = Get-LabSnmpNetnsName
    Stop-LabSnmpNetns
    Invoke-LabIp netns add $n.Scan
    Invoke-LabIp netns add $n.Targets
    Invoke-LabIp link add $n.VethScan type veth peer name $n.VethTargets
    Invoke-LabIp link set $n.VethScan netns $n.Scan
    Invoke-LabIp link set $n.VethTargets netns $n.Targets
    Invoke-LabIp -n $n.Scan addr add 198.19.254.1/30 dev $n.VethScan
    Invoke-LabIp -n $n.Scan link set $n.VethScan up
    Invoke-LabIp -n $n.Scan link set lo up
    Invoke-LabIp -n $n.Targets addr add 198.19.254.2/30 dev $n.VethTargets
    Invoke-LabIp -n $n.Targets link set $n.VethTargets up
    Invoke-LabIp -n $n.Targets link set lo up
    Invoke-LabIp -n $n.Scan route add 198.18.0.0/24 via 198.19.254.2
    Invoke-LabIp -n $n.Targets route add local 198.18.0.0/24 dev lo
    # This kernel may lack the dummy driver: a veth pair with both ends in the namespace is as good.
    Invoke-LabIp -n $n.Targets link add $n.Dummy type veth peer name "$($n.Dummy)p"
    Invoke-LabIp -n $n.Targets addr add 10.99.0.1/24 dev $n.Dummy
    Invoke-LabIp -n $n.Targets link set "$($n.Dummy)p" up
    Invoke-LabIp -n $n.Targets link set $n.Dummy up
    Invoke-LabIp netns exec $n.Targets sysctl '-q' '-w' net.ipv4.icmp_ratelimit=0
    Invoke-LabIp netns exec $n.Targets nft add table inet lab
    Invoke-LabIp netns exec $n.Targets nft 'add chain inet lab input { type filter hook input priority 0; policy accept; }'
    Invoke-LabIp netns exec $n.Targets nft add rule inet lab input ip daddr 198.18.0.128/25 drop
    Invoke-LabIp netns exec $n.Targets nft add rule inet lab input ip daddr 198.18.0.64/26 udp dport 161 reject

    $dir = Get-LabDirectory -Component (Join-Path 'snmp' 'netns')
    $persistent = Join-Path $dir 'persistent'
    Remove-Item -Recurse -Force -LiteralPath $persistent -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Force $persistent
    $conf = Join-Path $dir 'snmpd.conf'
    Set-Content -LiteralPath $conf -Value @(
        "[snmp] persistentDir $persistent"
        'rocommunity public 198.19.254.0/30'
        'sysName tssr-netns-agent'
        'sysLocation Lab namespace'
    )
    $id = Start-LabProcess -FilePath 'ip' -LogFile (Join-Path $dir 'snmpd.log') -Environment (Get-LabSnmpEnvironment $dir) -ArgumentList @(
        'netns', 'exec', $n.Targets, $snmpd, '-f', '-Lo', '-C', '-c', $conf, '-p', (Join-Path $dir 'snmpd.pid'), 'udp:198.18.0.10:161,udp:198.18.0.11:161'
    )
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    do {
        Start-Sleep -Milliseconds 200
        $answer = & ip netns exec $n.Scan env MIBS= snmpget -On -v2c -c public -t 0.5 -r 0 198.18.0.11:161 .1.3.6.1.2.1.1.5.0 2>$null
        if (-not (Test-LabProcess $id)) { throw "snmpd in $($n.Targets) exited at start: $(Get-Content -Raw (Join-Path $dir 'snmpd.log'))" }
    } until ("$answer" -match 'tssr-netns-agent' -or [DateTime]::UtcNow -gt $deadline)
    if ("$answer" -notmatch 'tssr-netns-agent') { throw "snmpd in $($n.Targets) does not answer on 198.18.0.11:161 after 15 s." }

    @{
        ScanNamespace    = $n.Scan
        TargetsNamespace = $n.Targets
        Range            = '198.18.0.0/24'
        Agents           = @('198.18.0.10', '198.18.0.11')
        SysName          = 'tssr-netns-agent'
        RejectRange      = '198.18.0.64/26'
        SilentRange      = '198.18.0.128/25'
        Dummy            = $n.Dummy
        Extra            = $n.Extra
    }
}

function Stop-LabSnmpNetns {
    $n = Get-LabSnmpNetnsName
    foreach ($ns in $n.Scan, $n.Targets) {
        & ip netns pids $ns 2>$null | Out-Null
        if ($LASTEXITCODE -eq 0) { & ip netns del $ns 2>$null }
    }
}
