# Resolve-TssrDns against a real dnsmasq (tests/lab/components/Dns.ps1) on 127.0.0.1 and ::1, with
# dig as the oracle where it answers the same question.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
    Import-TssrTestModule
    $script:ready = Test-LabPrerequisite -Command dnsmasq, dig
    if ($script:ready) {
        $script:lab = (Start-TssrLab -Component Dns).Dns
        $script:server = $lab.Endpoint
        $script:port = $lab.Port
    }

    function Get-DigAnswer {
        # dig +short, with the final dots of names removed, as Resolve-TssrDns writes names.
        param([string] $Name, [string] $Type = 'A', [string] $Address = '127.0.0.1')
        @(& dig +short +tries=1 +time=2 -p $port "@$Address" $Name $Type) -replace '\.(\s|$)', '$1'
    }

    function Get-DigStatus {
        param([string] $Name, [string] $Type = 'A')
        $header = @(& dig +tries=1 +time=2 -p $port '@127.0.0.1' $Name $Type) -match 'status:'
        if ($header) { ($header[0] -replace '.*status: (\w+).*', '$1') }
    }

    function New-SilentUdpServer {
        # A UDP socket that reads nothing and answers nothing: a DNS server that stays silent.
        [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    }

    function Get-ClosedUdpPort {
        $probe = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        try { $probe.Client.LocalEndPoint.Port } finally { $probe.Dispose() }
    }
}

Describe 'Resolve-TssrDns answers (dnsmasq lab)' {
    BeforeEach {
        if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) }
    }

    It 'resolves an A record as dig does, with TTL, server and status' {
        $r = @(Resolve-TssrDns web.tssr.lab -Type A -Server $server)
        $r.Count | Should -Be 1
        $r[0].GetType().Name | Should -Be 'DnsResult'
        $r[0].IPAddress | Should -Be ([ipaddress]'127.0.10.5')
        $r[0].Name | Should -Be 'web.tssr.lab'
        $r[0].Type | Should -Be 'A'
        # The TTL the server sent (DnsClient's TimeToLive counts down from the moment of parsing:
        # on a loaded machine it read 299 for dnsmasq's 300).
        $r[0].Ttl | Should -Be $lab.Ttl
        $r[0].Server | Should -Be $server
        $r[0].Status | Should -Be 'NoError'
        $r[0].Data | Should -Be (Get-DigAnswer web.tssr.lab A)
    }

    It 'asks A and AAAA by default, and says nothing of a missing AAAA beside an A' {
        $web = Resolve-TssrDns web.tssr.lab -Server $server
        ($web | Sort-Object Type).Type | Should -Be @('A', 'AAAA')
        ($web | Where-Object Type -eq AAAA).IPAddress | Should -Be ([ipaddress](Get-DigAnswer web.tssr.lab AAAA))
        $dc = @(Resolve-TssrDns dc1.tssr.lab -Server $server)
        $dc.Count | Should -Be 1
        $dc[0].Type | Should -Be 'A'
    }

    It 'reports an asked type the name lacks as a NoData outcome, not an error' {
        $r = @(Resolve-TssrDns dc1.tssr.lab -Type AAAA -Server $server -ErrorVariable errs)
        $errs | Should -BeNullOrEmpty
        $r.Count | Should -Be 1
        $r[0].GetType().Name | Should -Be 'DnsResult'
        $r[0].Status | Should -Be 'NoData'
        $r[0].ErrorId | Should -Be 'DnsNoData'
        $r[0].Type | Should -Be 'AAAA'
        Get-DigAnswer dc1.tssr.lab AAAA | Should -BeNullOrEmpty
        Get-DigStatus dc1.tssr.lab AAAA | Should -Be 'NOERROR'
    }

    It 'writes the CNAME shared by the A and AAAA answers once' {
        $r = Resolve-TssrDns www.tssr.lab -Server $server
        @($r | Where-Object Type -eq CNAME).Count | Should -Be 1
        @($r.Type | ForEach-Object { "$_" } | Sort-Object) | Should -Be @('A', 'AAAA', 'CNAME')
    }

    It 'follows a CNAME: one object per record of the answer' {
        $r = Resolve-TssrDns www.tssr.lab -Type A -Server $server
        $cname = $r | Where-Object Type -eq CNAME
        $cname.NameHost | Should -Be 'web.tssr.lab'
        $cname.Query | Should -Be 'www.tssr.lab'
        ($r | Where-Object Type -eq A).IPAddress | Should -Be ([ipaddress]'127.0.10.5')
        $r.Data | Should -Be (Get-DigAnswer www.tssr.lab A)
    }

    It 'reads MX with preference and exchange' {
        $mx = Resolve-TssrDns tssr.lab -Type MX -Server $server
        $mx.Preference | Should -Be $lab.Mx.Preference
        $mx.NameHost | Should -Be $lab.Mx.Exchange
        $mx.Data | Should -Be (Get-DigAnswer tssr.lab MX)
    }

    It 'reads TXT as its strings, single or several' {
        $txt = Resolve-TssrDns tssr.lab -Type TXT -Server $server
        $txt.Text | Should -Be @($lab.Txt)
        "`"$($txt.Data)`"" | Should -Be (Get-DigAnswer tssr.lab TXT)
        $multi = Resolve-TssrDns multi.tssr.lab -Type TXT -Server $server
        $multi.Text | Should -Be @('first string', 'second string')
        $multi.Value | Should -Be 'first stringsecond string'
        $multi.Data | Should -Be (Get-DigAnswer multi.tssr.lab TXT)
    }

    It 'reads SRV with priority, weight, port and target' {
        $srv = Resolve-TssrDns _ldap._tcp.tssr.lab -Type SRV -Server $server
        $srv.Priority | Should -Be $lab.Srv.Priority
        $srv.Weight | Should -Be $lab.Srv.Weight
        $srv.Port | Should -Be $lab.Srv.Port
        $srv.NameHost | Should -Be $lab.Srv.Target
        $srv.Data | Should -Be (Get-DigAnswer _ldap._tcp.tssr.lab SRV)
    }

    It 'reads NS and SOA with every SOA field' {
        $r = Resolve-TssrDns tssr.lab -Type NS, SOA -Server $server
        ($r | Where-Object Type -eq NS).NameHost | Should -Be 'ns1.tssr.lab'
        $soa = $r | Where-Object Type -eq SOA
        $soa.NameHost | Should -Be $lab.Soa['PrimaryServer'] -Because 'NameHost is the primary server of an SOA'
        foreach ($field in 'ResponsibleMailbox', 'Serial', 'Refresh', 'Retry', 'Expire', 'MinimumTtl') {
            $soa.$field | Should -Be $lab.Soa[$field] -Because $field
        }
        $soa.Data | Should -Be (Get-DigAnswer tssr.lab SOA)
    }

    It 'asks the PTR of an address given as the name, IPv4 and IPv6' {
        $r = Resolve-TssrDns 127.0.10.6, 'fd00:10::5' -Server $server
        $v4 = $r | Where-Object Query -eq '127.0.10.6'
        $v4.Type | Should -Be 'PTR'
        $v4.NameHost | Should -Be 'dc1.tssr.lab'
        $v4.IPAddress | Should -Be ([ipaddress]'127.0.10.6')
        $v4.Name | Should -Be '6.10.0.127.in-addr.arpa'
        $v4.NameHost | Should -Be (Get-DigAnswer 6.10.0.127.in-addr.arpa PTR)
        ($r | Where-Object Query -eq 'fd00:10::5').NameHost | Should -Be 'web.tssr.lab'
    }

    It 'asks a server given as [::1]:port over IPv6' {
        $r = Resolve-TssrDns tssr.lab -Type MX -Server $lab.Endpoint6
        $r.Server | Should -Be $lab.Endpoint6
        $r.NameHost | Should -Be 'mail.tssr.lab'
    }

    It 'gives the same answer over TCP only' {
        $r = Resolve-TssrDns _ldap._tcp.tssr.lab -Type SRV -Server $server -TcpOnly
        $r.Data | Should -Be (Get-DigAnswer _ldap._tcp.tssr.lab SRV)
    }

    It 'asks each server given, separately' {
        $r = Resolve-TssrDns web.tssr.lab -Type A -Server $lab.Endpoint, $lab.Endpoint6
        ($r.Server | Sort-Object) | Should -Be (@($lab.Endpoint, $lab.Endpoint6) | Sort-Object)
    }
}

Describe 'Resolve-TssrDns -CheckReverse (forward/reverse agreement)' {
    BeforeEach {
        if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) }
    }

    It 'flags web.tssr.lab -> 127.0.10.5 -> PTR other.tssr.lab as a mismatch' {
        $a = Resolve-TssrDns web.tssr.lab -Type A -Server $server -CheckReverse
        (Get-DigAnswer 5.10.0.127.in-addr.arpa PTR) | Should -Be 'other.tssr.lab'
        $a.ReverseCheck | Should -Be 'Mismatch'
        $a.ReverseCheckValues | Should -Be @('other.tssr.lab')
        $a.ReverseCheckDetail | Should -Be '127.0.10.5 points back to other.tssr.lab, not to web.tssr.lab.'
    }

    It 'agrees when the PTR names the host' {
        (Resolve-TssrDns dc1.tssr.lab -Type A -Server $server -CheckReverse).ReverseCheck | Should -Be 'Match'
    }

    It 'flags a PTR whose name does not resolve back to the address, and one whose name does not exist' {
        $r = Resolve-TssrDns 127.0.10.5, 127.0.10.8, 127.0.10.6 -Server $server -CheckReverse
        $other = $r | Where-Object Query -eq 127.0.10.5
        $other.ReverseCheck | Should -Be 'Mismatch'
        $other.ReverseCheckValues | Should -Be @('127.0.10.7')
        ($r | Where-Object Query -eq 127.0.10.8).ReverseCheck | Should -Be 'Missing'
        ($r | Where-Object Query -eq 127.0.10.6).ReverseCheck | Should -Be 'Match'
    }

    It 'leaves records it cannot check as NotChecked, and checks nothing unless asked' {
        (Resolve-TssrDns www.tssr.lab -Type A -Server $server -CheckReverse | Where-Object Type -eq CNAME).ReverseCheck | Should -Be 'NotChecked'
        (Resolve-TssrDns web.tssr.lab -Type A -Server $server).ReverseCheck | Should -Be 'NotChecked'
    }
}

Describe 'Resolve-TssrDns failures are distinct outcomes' {
    BeforeEach {
        if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) }
    }

    It 'reports a missing name once as DnsNameNotFound (NXDOMAIN), target the name' {
        Get-DigStatus nope.tssr.lab | Should -Be 'NXDOMAIN'
        $out = Resolve-TssrDns nope.tssr.lab -Server $server -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DnsNameNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be 'nope.tssr.lab'
        $errs[0].ErrorDetails.Message | Should -Be "nope.tssr.lab does not exist (NXDOMAIN) according to $server."
        $errs[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'tells SERVFAIL and REFUSED apart from NXDOMAIN' {
        Get-DigStatus host.broken.lab | Should -Be 'SERVFAIL'
        Get-DigStatus example.com | Should -Be 'REFUSED'
        $null = Resolve-TssrDns host.broken.lab, example.com -Type A -Server $server -ErrorVariable errs -ErrorAction SilentlyContinue
        ($errs | Where-Object TargetObject -eq host.broken.lab).FullyQualifiedErrorId | Should -BeLike 'DnsServerFailure,*'
        ($errs | Where-Object TargetObject -eq example.com).FullyQualifiedErrorId | Should -BeLike 'DnsQueryRefused,*'
    }

    It 'writes failures as outcome objects with -IncludeFailure, one per name, and no error' {
        $r = Resolve-TssrDns nope.tssr.lab, host.broken.lab, example.com, dc1.tssr.lab -Type A -Server $server -IncludeFailure -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        ($r | Where-Object Query -eq nope.tssr.lab).Status | Should -Be 'NameNotFound'
        ($r | Where-Object Query -eq host.broken.lab).Status | Should -Be 'ServerFailure'
        ($r | Where-Object Query -eq example.com).Status | Should -Be 'Refused'
        ($r | Where-Object Query -eq dc1.tssr.lab).Status | Should -Be 'NoError'
        @($r).Count | Should -Be 4
    }

    It 'is a timeout when the server stays silent: the queries arrive and nothing answers' {
        # The port is bound by a socket that never replies, so no ICMP "port unreachable" can come
        # back: only silence. The socket receives the query and its retry, which proves they were
        # sent; the error is DnsTimeout after both attempts, never a refusal.
        $silent = New-SilentUdpServer
        try {
            $endpoint = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $null = Resolve-TssrDns web.tssr.lab -Type A -Server $endpoint -Timeout 0.5 -Retry 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $watch.Stop()
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'DnsTimeout,*'
            $errs[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $errs[0].ErrorDetails.Message | Should -Match '2 attempt\(s\) of 0\.5 s'
            $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.0
            $received = 0
            while ($silent.Available -gt 0) {
                $from = [System.Net.IPEndPoint]::new([System.Net.IPAddress]::Any, 0)
                $null = $silent.Receive([ref] $from)
                $received++
            }
            $received | Should -BeGreaterOrEqual 2
        }
        finally { $silent.Dispose() }
    }

    It 'is a refusal, not a timeout, when nothing is bound to the port' {
        $port = Get-ClosedUdpPort
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $null = Resolve-TssrDns web.tssr.lab -Type A -Server "127.0.0.1:$port" -Timeout 0.5 -Retry 0 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DnsConnectionRefused,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'stops on the first failure with -ErrorAction Stop, catchable by its ErrorId' {
        { Resolve-TssrDns nope.tssr.lab -Server $server -ErrorAction Stop } | Should -Throw -ErrorId 'DnsNameNotFound,Tssr.Tools.ResolveTssrDnsCommand'
    }

    It 'refuses a bad -Server before sending anything' {
        { Resolve-TssrDns web.tssr.lab -Server '127.0.0.1:99999' } | Should -Throw -ErrorId 'DnsServerInvalid,Tssr.Tools.ResolveTssrDnsCommand'
        { Resolve-TssrDns web.tssr.lab -Server '[::1' } | Should -Throw -ErrorId 'DnsServerInvalid,Tssr.Tools.ResolveTssrDnsCommand'
    }

    It 'stops before any query on an invalid name typed on the command line' {
        { Resolve-TssrDns 'bad name', dc1.tssr.lab -Type A -Server $server -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'DnsNameInvalid,*'
    }

    It 'reports an invalid piped name without stopping the other names' {
        $r = 'bad name', 'dc1.tssr.lab' | Resolve-TssrDns -Type A -Server $server -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Name | Should -Be 'dc1.tssr.lab'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DnsNameInvalid,*'
        $errs[0].TargetObject | Should -Be 'bad name'
    }

    It 'speaks French when $PSUICulture is fr-FR' {
        $r = Invoke-TssrPwsh -Culture fr-FR -Script @"
`$null = Resolve-TssrDns nope.tssr.lab -Server '$server' -ErrorVariable errs -ErrorAction SilentlyContinue
`$a = Resolve-TssrDns web.tssr.lab -Type A -Server '$server' -CheckReverse
[pscustomobject]@{ Message = `$errs[0].ErrorDetails.Message; Action = `$errs[0].ErrorDetails.RecommendedAction; Id = `$errs[0].FullyQualifiedErrorId; Check = `$a.ReverseCheckDetail }
"@
        $r.Message | Should -Be "nope.tssr.lab n'existe pas (NXDOMAIN) selon $server."
        $r.Action | Should -BeLike 'Vérifiez l''orthographe*'
        $r.Id | Should -BeLike 'DnsNameNotFound,*'
        $r.Check | Should -Be '127.0.10.5 pointe en retour vers other.tssr.lab, et non vers web.tssr.lab.'
    }
}

Describe 'Resolve-TssrDns in the pipeline' {
    BeforeEach {
        if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) }
    }

    It 'resolves names piped in concurrently and writes results before the input ends' {
        # 300 names piped one by one; the count of names already sent is read when the first result
        # reaches the end of the pipeline: results stream while input still arrives.
        $script:sent = 0
        $script:sentAtFirstResult = $null
        $names = foreach ($i in 1..300) { if ($i % 3 -eq 0) { 'web.tssr.lab' } else { "n$i.tssr.lab" } }
        $r = $names | ForEach-Object { $script:sent++; $_ } |
            Resolve-TssrDns -Type A -Server $server -IncludeFailure -ThrottleLimit 16 |
            ForEach-Object { if ($null -eq $script:sentAtFirstResult) { $script:sentAtFirstResult = $script:sent }; $_ }
        @($r).Count | Should -Be 300
        @($r | Where-Object Status -eq NameNotFound).Count | Should -Be 200
        @($r | Where-Object Status -eq NoError).Count | Should -Be 100
        $script:sentAtFirstResult | Should -BeLessThan 300
    }

    It 'binds names from objects by property (HostName, ComputerName, IPAddress)' {
        $rows = @([pscustomobject]@{ HostName = 'web.tssr.lab' }, [pscustomobject]@{ ComputerName = 'dc1.tssr.lab' }, [pscustomobject]@{ IPAddress = '127.0.10.6' })
        $r = $rows | Resolve-TssrDns -Type A -Server $server
        ($r.Query | Sort-Object) | Should -Be @('127.0.10.6', 'dc1.tssr.lab', 'web.tssr.lab')
    }

    It 'stops early under Select-Object -First without waiting for the rest' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $r = 1..200 | ForEach-Object { 'web.tssr.lab' } | Resolve-TssrDns -Type A -Server $server | Select-Object -First 1
        @($r).Count | Should -Be 1
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
    }

    It 'stops at once on Ctrl+C while waiting for a silent server' {
        # StopProcessing is what Ctrl+C calls: the pending 30 s timeouts must not hold the prompt.
        $silent = New-SilentUdpServer
        $ps = [powershell]::Create()
        try {
            $endpoint = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"
            $null = $ps.AddScript("Import-Module '$(Get-TssrModulePath)'; Resolve-TssrDns a.tssr.lab, b.tssr.lab -Server '$endpoint' -Timeout 30 -Retry 3")
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while ($silent.Available -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $silent.Available | Should -BeGreaterThan 0 -Because 'the queries must be in flight before the stop'
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Stop()
            $async.IsCompleted | Should -BeTrue
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        }
        finally { $ps.Dispose(); $silent.Dispose() }
    }

    It 'exports to CSV with the data of every record' {
        $csv = Resolve-TssrDns tssr.lab -Type MX, TXT -Server $server | Select-Object Name, Type, Ttl, Data, Server, Status | ConvertTo-Csv | ConvertFrom-Csv
        ($csv | Where-Object Type -eq MX).Data | Should -Be '10 mail.tssr.lab'
        ($csv | Where-Object Type -eq TXT).Data | Should -Be 'v=spf1 -all'
    }

    It 'shows records and outcomes in one table grouped by server' {
        $text = Resolve-TssrDns web.tssr.lab, nope.tssr.lab -Type A -Server $server -IncludeFailure | Out-String -Width 100
        $text | Should -Match "Server: $([regex]::Escape($server))"
        $text | Should -Match 'web\.tssr\.lab\s+A\s+300\s+127\.0\.10\.5'
        $text | Should -Match 'NXDOMAIN'
    }
}

Describe 'Resolve-TssrDns without a server: hosts file, one result type, parameters' {
    BeforeAll {
        $script:workDir = Join-Path ([IO.Path]::GetTempPath()) "tssr-dns-$PID"
        $null = New-Item -ItemType Directory -Force $workDir
    }
    AfterAll {
        Remove-Item -Recurse -Force $workDir -ErrorAction SilentlyContinue
    }

    It 'answers localhost from the hosts file first, as Resolve-DnsName does' {
        $r = @(Resolve-TssrDns localhost -ErrorAction Stop)
        $r.Count | Should -BeGreaterThan 0
        $r | ForEach-Object { $_.Source | Should -Be 'HostsFile' }
        $r.IPAddress | Should -Contain '127.0.0.1'
        $r[0].Server | Should -Be '/etc/hosts'
    }

    It 'keeps every column in a CSV whichever outcome comes first' {
        $csv = Join-Path $workDir 'mixed.csv'
        'bad name', 'localhost' | Resolve-TssrDns -IncludeFailure | Export-Csv -LiteralPath $csv -NoTypeInformation
        $rows = @(Import-Csv -LiteralPath $csv)
        $rows[0].Status | Should -Be 'InvalidName'
        ($rows | Where-Object Status -eq NoError | Select-Object -First 1).IPAddress | Should -Match '^(127\.0\.0\.1|::1)$'
        $rows[0].QueryTypeText | Should -Be 'A, AAAA'
        $rows[0].QueryTypes | Should -Be 'A, AAAA'
        ($rows | Where-Object Status -eq NoError | Select-Object -First 1).Source | Should -Be 'HostsFile'
        (Get-Content -Raw -LiteralPath $csv) | Should -Not -Match 'Tssr\.Tools\.Engine'
    }

    It 'writes addresses as strings in JSON' {
        $json = Resolve-TssrDns localhost -Type A | ConvertTo-Json -Depth 3
        $json | Should -Not -Match 'AddressFamily'
        ($json | ConvertFrom-Json | Select-Object -First 1).IPAddress | Should -Be '127.0.0.1'
        $back = Resolve-TssrDns localhost -Type A | ConvertTo-Json -Depth 3 -EnumsAsStrings | ConvertFrom-Json | Select-Object -First 1
        $back.Type | Should -Be 'A'
        $back.Source | Should -Be 'HostsFile'
        @($back.QueryTypes) | Should -Be @('A')
    }

    It 'pipes its records into Test-TssrPort by their address' {
        $r = Resolve-TssrDns localhost -Type A | Test-TssrPort -Port 9 -ErrorAction Stop
        $r.IPAddress | Should -Be '127.0.0.1'
        $r.Status | Should -Be 'Closed'
    }

    It 'lists the valid record types for a wrong -Type' {
        $caught = $null
        try { Resolve-TssrDns localhost -Type AAA } catch { $caught = $_ }
        "$caught" | Should -Match 'A, NS, CNAME, SOA, PTR, MX, TXT, AAAA, SRV'
        "$caught" | Should -Not -Match 'Tssr\.Tools\.Engine'
    }

    It 'completes -Type with the record types' {
        $line = 'Resolve-TssrDns localhost -Type A'
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Contain 'AAAA'
        $names | Should -Contain 'A'
    }

    It 'shows records and outcomes whole in the table at <_> columns, the message wrapped between words' -ForEach 80, 160 {
        $text = 'bad name', 'localhost' | Resolve-TssrDns -IncludeFailure | Out-String -Width $_
        $text | Should -Match 'Name\s+Type\s+TTL\s+Check\s+Data'
        $text | Should -Match 'localhost\s+A\s+127\.0\.0\.1'
        $text | Should -Match 'bad name\s+A\s+bad name is not'
        $text | Should -Match '(?m)^\s+AAAA\b'
        Get-TssrViewProblem -Text $text -Width $_ -Whole 'whitespace', 'character);', '/etc/hosts' | Should -BeNullOrEmpty
    }

    It 'reads a readable line with ToString' {
        "$(Resolve-TssrDns localhost -Type A | Select-Object -First 1)" | Should -Match '^localhost \d+ IN A 127\.0\.0\.1$'
    }
}
