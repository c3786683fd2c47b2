# The documented network: a network namespace where the addresses and names that the help pages
# and the README use exist, so that their examples run unchanged without a packet leaving this
# machine. Inside it, every address of 192.168.0.0/16, 10.0.0.0/8, 172.16.0.0/12, 192.0.2.0/24,
# 2001:db8::/32 and fd00::/8 is local (it answers ping; its ports answer with a reset), the names of
# the examples (srv-files01, web01, dc1.corp.lan…) are in the namespace's own /etc/hosts
# (/etc/netns/<name>/hosts, which `ip netns exec` mounts over /etc/hosts), and dnsmasq answers on
# 127.0.0.1 and ::1, ports 53 (the namespace's resolver) and 5353 (the examples' -Server), for
# tssr.lab and example.org; corp.example is NXDOMAIN, anything else REFUSED.

function Get-LabExamplesName { "$(Get-LabPrefix)-ex" }

function Start-LabExamples {
    foreach ($tool in 'ip', 'dnsmasq') {
        if (-not (Get-Command $tool -ErrorAction SilentlyContinue) -and -not (Test-Path "/usr/sbin/$tool")) { throw "The examples lab needs '$tool' (see LAB.md)." }
    }
    $ns = Get-LabExamplesName
    Stop-LabExamples   # leftovers of a run that died
    $etc = "/etc/netns/$ns"
    $null = New-Item -ItemType Directory -Force $etc
    Set-Content -LiteralPath "$etc/hosts" -Value @(
        '127.0.0.1 localhost'
        '::1 localhost ip6-localhost ip6-loopback'
        '192.168.10.11 srv-files01'
        '192.168.10.12 srv-files'
        '192.168.10.10 srv-dc1 dc1.corp.lan dc1'
        '192.168.10.21 web01'
        '192.168.10.22 web02'
        '192.168.10.25 mail.corp.lan'
        '192.168.10.30 portal.corp.lan'
        '192.168.10.40 intranet.example.com'
        '192.168.10.50 srv-web01 srv-web02 srv-app01'
    )
    Set-Content -LiteralPath "$etc/resolv.conf" -Value 'nameserver 127.0.0.1'

    Invoke-LabIp netns add $ns
    Invoke-LabIp -n $ns link set lo up
    foreach ($block in '192.168.0.0/16', '10.0.0.0/8', '172.16.0.0/12', '192.0.2.0/24') {
        Invoke-LabIp -n $ns route add local $block dev lo
    }
    # One interface address outside the local blocks' connected routes, so that `hostname -I`
    # (an example's own way to list this machine's addresses) finds one, as on a real server.
    # (A veth pair with both ends inside: this kernel may lack the dummy driver.)
    Invoke-LabIp -n $ns link add "$ns-a" type veth peer name "$ns-b"
    Invoke-LabIp -n $ns addr add 172.31.255.5/32 dev "$ns-a"
    Invoke-LabIp -n $ns link set "$ns-a" up
    Invoke-LabIp -n $ns link set "$ns-b" up
    foreach ($block in '2001:db8::/32', 'fd00::/8') {
        Invoke-LabIp -n $ns -6 route add local $block dev lo
    }

    $dir = Get-LabDirectory -Component examples
    $dnsmasq = (Get-Command dnsmasq -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $dnsmasq) { $dnsmasq = '/usr/sbin/dnsmasq' }
    $records = @(
        '--no-resolv', '--no-hosts', '--bind-interfaces', '--listen-address=127.0.0.1', '--listen-address=::1',
        '--local=/tssr.lab/', '--local=/corp.example/', '--local=/example.org/',
        '--host-record=web.tssr.lab,127.0.10.5', '--host-record=dc1.tssr.lab,127.0.10.6',
        '--host-record=www.example.org,192.0.2.80', '--cname=www.tssr.lab,web.tssr.lab',
        '--mx-host=tssr.lab,mail.tssr.lab,10', '--txt-record=tssr.lab,"v=spf1 mx -all"',
        '--ptr-record=5.10.0.127.in-addr.arpa,web.tssr.lab',
        '--user=root', '--pid-file='
    )
    foreach ($port in 53, 5353) {
        $argv = @('netns', 'exec', $ns, $dnsmasq, '--keep-in-foreground', "--port=$port", "--conf-file=/dev/null") + $records
        $null = Start-LabProcess -FilePath 'ip' -ArgumentList $argv -LogFile (Join-Path $dir "dnsmasq-$port.log")
    }
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    do {
        Start-Sleep -Milliseconds 200
        $listening = @(& ip netns exec $ns ss -Hlun 2>$null | Where-Object { $_ -match '127\.0\.0\.1:(53|5353)\s' }).Count -ge 2
    } until ($listening -or [DateTime]::UtcNow -gt $deadline)
    if (-not $listening) { throw "dnsmasq did not listen in namespace $ns within 20 s: $(Get-Content (Join-Path $dir 'dnsmasq-53.log') -Raw)" }
    @{ Namespace = $ns; Directory = $dir }
}

function Stop-LabExamples {
    $ns = Get-LabExamplesName
    & ip netns pids $ns 2>$null | Out-Null
    if ($LASTEXITCODE -eq 0) { & ip netns del $ns 2>$null }
    Remove-Item -LiteralPath "/etc/netns/$ns" -Recurse -Force -ErrorAction SilentlyContinue
}
