# DNS lab (LAB.md): dnsmasq answering for tssr.lab on 127.0.0.1 and ::1, on a port of the run's
# choosing ($env:TSSR_LAB_DNS_PORT, default 5353). A second dnsmasq on the next port
# ($env:TSSR_LAB_DNS_UPSTREAM_PORT) is its only upstream, so that every outcome a technician meets
# is real and local:
#   NOERROR   web.tssr.lab A/AAAA, www (CNAME), tssr.lab MX/TXT/NS/SOA, _ldap._tcp SRV, PTRs
#   NoData    dc1.tssr.lab AAAA (the name exists, the type does not)
#   NXDOMAIN  anything else under tssr.lab (--local), and unknown 127.0.10.x reverse names
#   SERVFAIL  host.broken.lab: the upstream answers it unsigned while the main server validates
#             DNSSEC with --dnssec-check-unsigned, so validation fails (BOGUS)
#   REFUSED   any other name (example.com): the upstream refuses, the main server passes it on
# --keep-in-foreground, not LAB.md's --no-daemon: in --no-daemon (debug) mode dnsmasq answers TCP
# in its main process, so one client that keeps its TCP connection open (DnsClient pools them for
# a few seconds) stops every other query, UDP included, until it closes.
# Forward/reverse: web.tssr.lab -> 127.0.10.5 -> PTR other.tssr.lab (mismatch, LAB.md);
# other.tssr.lab -> 127.0.10.7, so the PTR of 127.0.10.5 does not point back either;
# 127.0.10.8 -> PTR ghost.tssr.lab, a name with no address; dc1.tssr.lab <-> 127.0.10.6 agree.

function ConvertTo-LabDnsWireName {
    # A domain name in DNS wire format (length-prefixed labels), as hex, for --dns-rr.
    param([Parameter(Mandatory)] [string] $Name)
    $hex = foreach ($label in $Name.TrimEnd('.').Split('.')) {
        '{0:x2}' -f $label.Length
        ([Text.Encoding]::ASCII.GetBytes($label) | ForEach-Object { '{0:x2}' -f $_ }) -join ''
    }
    ($hex -join '') + '00'
}

function Get-LabDnsPort {
    $port = if ($env:TSSR_LAB_DNS_PORT) { [int]$env:TSSR_LAB_DNS_PORT } else { 5353 }
    $upstream = if ($env:TSSR_LAB_DNS_UPSTREAM_PORT) { [int]$env:TSSR_LAB_DNS_UPSTREAM_PORT } else { $port + 1 }
    @{ Port = $port; Upstream = $upstream }
}

function Test-LabDnsAnswer {
    # True when the server answers a real query on UDP (dnsmasq also listens on TCP).
    param([string] $Address, [int] $Port)
    $udp = [System.Net.Sockets.UdpClient]::new($Address.Contains(':') ? [System.Net.Sockets.AddressFamily]::InterNetworkV6 : [System.Net.Sockets.AddressFamily]::InterNetwork)
    try {
        $udp.Client.ReceiveTimeout = 300
        # id 0x7a7a, RD, one question: web.tssr.lab A IN
        $query = [byte[]](@(0x7a, 0x7a, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0) + [Convert]::FromHexString((ConvertTo-LabDnsWireName 'web.tssr.lab')) + @(0, 1, 0, 1))
        $null = $udp.Send($query, $query.Length, [System.Net.IPEndPoint]::new([System.Net.IPAddress]::Parse($Address), $Port))
        $from = [System.Net.IPEndPoint]::new([System.Net.IPAddress]::Any, 0)
        $reply = $udp.Receive([ref] $from)
        $reply.Length -gt 12 -and $reply[0] -eq 0x7a -and $reply[1] -eq 0x7a
    }
    catch { $false }
    finally { $udp.Dispose() }
}

function Start-LabDns {
    $dnsmasq = (Get-Command dnsmasq -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $dnsmasq -and (Test-Path /usr/sbin/dnsmasq)) { $dnsmasq = '/usr/sbin/dnsmasq' }
    if (-not $dnsmasq) { throw 'dnsmasq is not installed (apt-get install dnsmasq).' }
    $ports = Get-LabDnsPort
    $dir = Get-LabDirectory -Component dns
    $hosts = Join-Path $dir 'hosts'
    Set-Content -LiteralPath $hosts -Value @(
        '127.0.10.5 web.tssr.lab'
        'fd00:10::5 web.tssr.lab'
        '127.0.10.6 dc1.tssr.lab'
        '127.0.10.7 other.tssr.lab'
    )

    # The upstream: answers host.broken.lab (unsigned), refuses everything else.
    $null = Start-LabProcess -FilePath $dnsmasq -LogFile (Join-Path $dir 'upstream.log') -ArgumentList @(
        '--keep-in-foreground', '--log-facility=-', '--conf-file=/dev/null', "--pid-file=$(Join-Path $dir 'upstream.pid')", '--user=root', '--group=root',
        "--port=$($ports.Upstream)", '--listen-address=127.0.0.1', '--bind-interfaces',
        '--no-resolv', '--no-hosts', '--host-record=host.broken.lab,127.0.20.1', '--local=/broken.lab/'
    )

    $ns = ConvertTo-LabDnsWireName 'ns1.tssr.lab'
    # SOA RDATA: MNAME, RNAME, then serial, refresh, retry, expire, minimum as 32-bit numbers.
    $soa = (ConvertTo-LabDnsWireName 'ns1.tssr.lab') + (ConvertTo-LabDnsWireName 'hostmaster.tssr.lab') +
        ('{0:x8}{1:x8}{2:x8}{3:x8}{4:x8}' -f 2024010101, 3600, 600, 604800, 300)
    $dnsPid = Start-LabProcess -FilePath $dnsmasq -LogFile (Join-Path $dir 'dnsmasq.log') -ArgumentList @(
        '--keep-in-foreground', '--log-facility=-', '--log-queries', '--conf-file=/dev/null', "--pid-file=$(Join-Path $dir 'dnsmasq.pid')", '--user=root', '--group=root',
        "--port=$($ports.Port)", '--listen-address=127.0.0.1,::1', '--bind-interfaces',
        '--no-resolv', '--no-hosts', "--addn-hosts=$hosts", '--local-ttl=300',
        '--local=/tssr.lab/', '--local=/10.0.127.in-addr.arpa/',
        '--cname=www.tssr.lab,web.tssr.lab',
        '--mx-host=tssr.lab,mail.tssr.lab,10',
        '--txt-record=tssr.lab,v=spf1 -all',
        '--txt-record=multi.tssr.lab,first string,second string',
        '--srv-host=_ldap._tcp.tssr.lab,dc1.tssr.lab,389,0,100',
        '--ptr-record=5.10.0.127.in-addr.arpa,other.tssr.lab',
        '--ptr-record=8.10.0.127.in-addr.arpa,ghost.tssr.lab',
        "--dns-rr=tssr.lab,2,$ns", "--dns-rr=tssr.lab,6,$soa",
        "--server=127.0.0.1#$($ports.Upstream)",
        '--dnssec', '--dnssec-check-unsigned',
        '--trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D'
    )

    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    while (-not ((Test-LabDnsAnswer '127.0.0.1' $ports.Port) -and (Test-LabDnsAnswer '::1' $ports.Port))) {
        if (-not (Test-LabProcess $dnsPid)) {
            throw "dnsmasq exited at start (port $($ports.Port) taken? set TSSR_LAB_DNS_PORT): $(Get-Content -Raw (Join-Path $dir 'dnsmasq.log'))"
        }
        if ([DateTime]::UtcNow -gt $deadline) { throw "dnsmasq does not answer on port $($ports.Port) after 15 s." }
        Start-Sleep -Milliseconds 100
    }

    @{
        Server       = '127.0.0.1'
        Server6      = '::1'
        Port         = $ports.Port
        Endpoint     = "127.0.0.1:$($ports.Port)"
        Endpoint6    = "[::1]:$($ports.Port)"
        UpstreamPort = $ports.Upstream
        Zone         = 'tssr.lab'
        Names        = @{
            Web       = 'web.tssr.lab'; Alias = 'www.tssr.lab'; Dc = 'dc1.tssr.lab'; Other = 'other.tssr.lab'
            Ghost     = 'ghost.tssr.lab'; Mail = 'mail.tssr.lab'; NameServer = 'ns1.tssr.lab'; MultiText = 'multi.tssr.lab'
            Srv       = '_ldap._tcp.tssr.lab'; Missing = 'nope.tssr.lab'; ServerFailure = 'host.broken.lab'; Refused = 'example.com'
        }
        Addresses    = @{
            Web = '127.0.10.5'; Web6 = 'fd00:10::5'; Dc = '127.0.10.6'; Other = '127.0.10.7'; Ghost = '127.0.10.8'; NoPtr = '127.0.10.9'
        }
        Mx           = @{ Preference = 10; Exchange = 'mail.tssr.lab' }
        Txt          = 'v=spf1 -all'
        Srv          = @{ Priority = 0; Weight = 100; Port = 389; Target = 'dc1.tssr.lab' }
        Soa          = @{ PrimaryServer = 'ns1.tssr.lab'; ResponsibleMailbox = 'hostmaster@tssr.lab'; Serial = 2024010101; Refresh = 3600; Retry = 600; Expire = 604800; MinimumTtl = 300 }
        Ttl          = 300
    }
}
