# Resolve-TssrDns on this machine: a private dnsmasq on loopback (when dnsmasq is installed) plays
# the company's DNS server; a silent socket and a closed port show the failures a technician meets.
# Nothing leaves 127.0.0.1 / ::1.

function Get-DemoFreePort {
    # A port free for both UDP and TCP on 127.0.0.1 (dnsmasq needs both).
    for ($i = 0; $i -lt 50; $i++) {
        $port = Get-Random -Minimum 20000 -Maximum 60000
        try {
            $udp = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, $port))
            $tcp = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $port); $tcp.Start()
            $tcp.Stop(); $udp.Dispose()
            return $port
        }
        catch { if ($udp) { $udp.Dispose() } }
    }
    throw 'No free port found.'
}

$lab = Join-Path $PSScriptRoot '../tests/lab/Lab.psm1'
$dnsmasq = Get-Command dnsmasq -ErrorAction SilentlyContinue
if (-not $dnsmasq -and (Test-Path /usr/sbin/dnsmasq)) { $dnsmasq = '/usr/sbin/dnsmasq' }

if ($dnsmasq -and (Test-Path $lab) -and -not $IsWindows) {
    $saved = @{ Dir = $env:TSSR_LAB_DIR; Port = $env:TSSR_LAB_DNS_PORT; Upstream = $env:TSSR_LAB_DNS_UPSTREAM_PORT }
    $env:TSSR_LAB_DIR = Join-Path ([IO.Path]::GetTempPath()) "tssr-demo-dns-$PID"
    $env:TSSR_LAB_DNS_PORT = Get-DemoFreePort
    $env:TSSR_LAB_DNS_UPSTREAM_PORT = Get-DemoFreePort
    Import-Module $lab -Force
    try {
        $facts = (Start-TssrLab -Component Dns).Dns
        $server = $facts.Endpoint
        Write-Host "A dnsmasq for the zone tssr.lab listens on $server and $($facts.Endpoint6)."

        Write-Host "`n--- The addresses of a name (A and AAAA by default), and an alias:"
        Resolve-TssrDns web.tssr.lab, www.tssr.lab -Server $server | Out-Host

        Write-Host "--- Mail, SPF, name servers and zone of the domain, asked over IPv6:"
        $records = Resolve-TssrDns tssr.lab -Type MX, TXT, NS, SOA -Server $facts.Endpoint6
        $records | Out-Host
        $global:TssrDemoResults += @($records)
        $soa = Resolve-TssrDns tssr.lab -Type SOA -Server $server
        Write-Host "Zone serial $($soa.Serial), contact $($soa.ResponsibleMailbox), negative TTL $($soa.MinimumTtl) s."

        Write-Host "`n--- Typed fields: the LDAP service of the domain (SRV):"
        Resolve-TssrDns _ldap._tcp.tssr.lab -Type SRV -Server $server | Select-Object Target, Port, Priority, Weight | Out-Host

        Write-Host "--- Forward and reverse agreement (-CheckReverse):"
        Resolve-TssrDns web.tssr.lab, dc1.tssr.lab, 127.0.10.5, 127.0.10.8 -Type A -Server $server -CheckReverse |
            Select-Object Query, Type, Data, ReverseCheck, ReverseCheckDetail | Format-Table -Wrap | Out-Host

        Write-Host "--- Every way a name can fail is its own outcome (-IncludeFailure puts them in the output):"
        Resolve-TssrDns nope.tssr.lab, host.broken.lab, example.com, dc1.tssr.lab -Type AAAA -Server $server -IncludeFailure |
            Select-Object Query, Status, ErrorId | Out-Host

        Write-Host "--- 200 names piped in, 32 at a time, as one CSV-ready report:"
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $report = 1..200 | ForEach-Object { if ($_ % 4) { "pc$_.tssr.lab" } else { 'web.tssr.lab' } } |
            Resolve-TssrDns -Type A -Server $server -IncludeFailure
        $report | Group-Object Status | Select-Object Name, Count | Out-Host
        Write-Host ("{0} results in {1:N2} s." -f @($report).Count, $watch.Elapsed.TotalSeconds)
    }
    finally {
        Stop-TssrLab -Component Dns
        Remove-Item -Recurse -Force $env:TSSR_LAB_DIR -ErrorAction SilentlyContinue
        $env:TSSR_LAB_DIR = $saved.Dir; $env:TSSR_LAB_DNS_PORT = $saved.Port; $env:TSSR_LAB_DNS_UPSTREAM_PORT = $saved.Upstream
    }
}
else {
    Write-Host 'dnsmasq is not installed here (apt-get install dnsmasq): the answers part of this demo is skipped.'
}

Write-Host "`n--- A server that stays silent (timeout) versus a port where nothing listens (refused):"
$silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
$closed = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
$closedPort = $closed.Client.LocalEndPoint.Port
$closed.Dispose()
try {
    foreach ($endpoint in "127.0.0.1:$($silent.Client.LocalEndPoint.Port)", "127.0.0.1:$closedPort") {
        $null = Resolve-TssrDns web.tssr.lab -Type A -Server $endpoint -TimeoutSec 0.5 -Retry 0 -ErrorVariable failure -ErrorAction SilentlyContinue
        Write-Host ("{0,-22} {1}" -f ($failure[0].FullyQualifiedErrorId -split ',')[0], $failure[0].ErrorDetails.Message)
    }
}
finally { $silent.Dispose() }
