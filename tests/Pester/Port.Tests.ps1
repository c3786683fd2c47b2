# Test-TssrPort against real sockets: loopback listeners for what needs no privilege, and the
# namespace lab of LAB.md (512 live hosts, 512 silent ones, one web server) for the verdicts nmap
# gives, Ctrl+C, flat memory on 65,536 targets and the full 1,024 × 5 sweep.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
    Import-TssrTestModule

    # 127.77.0.0/16: loopback addresses no other test's server listens on, so every port is closed.
    $script:quiet = '127.77.0.1'
    $script:listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $listener.Start()
    $script:openPort = $listener.LocalEndpoint.Port

    function Get-ErrorOf([scriptblock] $Script) {
        try { & $Script | Out-Null; $null } catch { $_ }
    }
}

AfterAll {
    $listener.Stop()
}

Describe 'Test-TssrPort on loopback' {
    It 'tells open from closed, with latency, service name and the host as given' {
        $r = Test-TssrPort -Target 127.0.0.1 -Port $openPort, 'ssh'
        $r.Count | Should -Be 2
        $open = $r | Where-Object Port -eq $openPort
        $open.Status | Should -Be 'Open'
        $open.Reason | Should -Be 'Accepted'
        $open.LatencyMs | Should -BeGreaterThan 0
        $open.ComputerName | Should -Be '127.0.0.1'
        $open.Attempts | Should -Be 1
        $r[0].GetType().FullName | Should -Be 'Tssr.Tools.Engine.Network.Ports.PortProbeResult'

        $closed = Test-TssrPort $quiet ssh, rdp
        $closed.Status | Should -Be @('Closed', 'Closed')
        ($closed | Sort-Object Port).Service | Should -Be @('ssh', 'rdp')
        $closed[0].Detail | Should -BeLike '*RST*'
    }

    It 'keeps a host name as given and probes its address' {
        $r = Test-TssrPort localhost -Port $openPort
        $r.ComputerName | Should -Be 'localhost'
        $r.IPAddress | Should -BeIn @('127.0.0.1', '::1')
    }

    It 'expands ranges and CIDR blocks to their hosts, as Test-TssrHost does' {
        $r = Test-TssrPort 127.77.1.0/30, 127.77.2.1-3 -Port 9
        $r.Count | Should -Be 5
        # IPAddress, not Address: on an array, .Address would be the array's own Address() method.
        ($r.IPAddress | Sort-Object) | Should -Be @('127.77.1.1', '127.77.1.2', '127.77.2.1', '127.77.2.2', '127.77.2.3')
    }

    It 'includes the network and broadcast addresses of a block with -IncludeNetworkAndBroadcast' {
        $r = Get-TssrSubnet 127.77.1.0/30 | Test-TssrPort -Port 9 -IncludeNetworkAndBroadcast
        ($r.IPAddress | Sort-Object) | Should -Be @('127.77.1.0', '127.77.1.1', '127.77.1.2', '127.77.1.3')
    }

    It 'takes the address of a Resolve-TssrDns record by property name' {
        $record = [pscustomobject]@{ Name = 'www.tssr.lab'; Type = 'A'; IPAddress = '127.77.0.5'; Data = '127.77.0.5' }
        $r = $record | Test-TssrPort -Port 9 -ErrorAction Stop
        $r.IPAddress | Should -Be '127.77.0.5'
    }

    It 'names the accepted columns for a row that has none of them' {
        $r = [pscustomobject]@{ Name = 'a'; Foo = 'b' } | Test-TssrPort -Port 9 -ErrorVariable failures -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PipelineRecordWithoutKnownProperty,*'
        "$($failures[0])" | Should -Match 'ComputerName.*IPAddress'
    }

    It 'stops before any probe on a bad target typed on the command line' {
        { Test-TssrPort 127.77.0.3, 10.0.0.0/33 -Port 9 -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'CidrInvalid,*'
    }

    It 'takes -TimeoutSec in seconds, fractions allowed' {
        $r = Test-TssrPort 127.77.0.3 -Port 9 -TimeoutSec 0.25
        $r.Status | Should -Be 'Closed'
        (Get-Command Test-TssrPort).Parameters['TimeoutSec'].ParameterType | Should -Be ([double])
    }

    It 'completes -Port with the service names of its table' {
        $line = 'Test-TssrPort 127.0.0.1 -Port htt'
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Contain 'http'
        $names | Should -Contain 'https'
    }

    It 'writes only the open ports with -Open' {
        $r = Test-TssrPort 127.0.0.1 -Port $openPort, 9 -Open
        @($r).Count | Should -Be 1
        $r.Port | Should -Be $openPort
    }

    It 'stops at once when downstream has enough (Select-Object -First)' {
        # 655,360 probes would take a minute; the first three are there in a blink.
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $r = Test-TssrPort 127.77.0.0/16 -Port 1-10 | Select-Object -First 3
        $clock.Stop()
        @($r).Count | Should -Be 3
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
    }

    It 'explains an IPv6 link-local address given without its interface' {
        if (-not [System.Net.Sockets.Socket]::OSSupportsIPv6) { Set-ItResult -Skipped -Because 'this system has no IPv6'; return }
        $null = Test-TssrPort fe80::1 -Port 9 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'LinkLocalAddressNeedsZone,*'
        $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*fe80::1%*'
    }

    It 'shows a table of the verdicts that fits <_> columns, the address under a name' -ForEach 80, 160 {
        $results = & { Test-TssrPort 127.0.0.1 -Port $openPort; Test-TssrPort $quiet -Port 9; Test-TssrPort localhost -Port 9 }
        $text = $results | Out-String -Width $_
        $text | Should -Match 'ComputerName\s+Port\s+Service\s+Status\s+LatencyMs\s+Reason'
        $text | Should -Match '127\.0\.0\.1\s+\d+\s+Open\s+[\d.]+\s+Accepted'
        $text | Should -Match '127\.77\.0\.1\s+9\s+Closed\s+[\d.]+\s+Refused'
        $text | Should -Match 'localhost\s+9\s+Closed\s+[\d.]+\s+Refused\s*\r?\n\s*(127\.0\.0\.1|::1)\s*\r?\n'
        Get-TssrViewProblem -Text $text -Width $_ -Whole 'Refused', 'Accepted' | Should -BeNullOrEmpty
    }

    It 'reports a name that does not resolve as a non-terminating error naming it, and goes on' {
        $r = Test-TssrPort no-such-host.invalid, 127.0.0.1 -Port $openPort, 9 -ErrorVariable failures -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 2
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'HostNotResolved,*'
        $failures[0].TargetObject | Should -Be 'no-such-host.invalid'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'stops before the first probe on <Why>' -ForEach @(
        @{ Why = 'a malformed CIDR block'; Target = '10.0.0.0/33'; Port = '9'; Id = 'CidrInvalid'; Bad = '10.0.0.0/33' }
        @{ Why = 'a backwards range'; Target = '10.0.0.50-10.0.0.1'; Port = '9'; Id = 'RangeBackwards'; Bad = '10.0.0.50-10.0.0.1' }
        @{ Why = 'port 0'; Target = '127.0.0.1'; Port = '0'; Id = 'PortOutOfRange'; Bad = '0' }
        @{ Why = 'port 70000'; Target = '127.0.0.1'; Port = '70000'; Id = 'PortOutOfRange'; Bad = '70000' }
        @{ Why = 'an unknown service'; Target = '127.0.0.1'; Port = 'sshh'; Id = 'PortServiceUnknown'; Bad = 'sshh' }
        @{ Why = 'a block too large'; Target = '10.0.0.0/8'; Port = '9'; Id = 'TargetTooLarge'; Bad = '10.0.0.0/8' }
    ) {
        $written = [System.Collections.Generic.List[object]]::new()
        $err = Get-ErrorOf { Test-TssrPort -Target "127.0.0.1", $Target -Port $openPort, $Port | ForEach-Object { $written.Add($_) } }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be "$Id,Tssr.Tools.TestTssrPortCommand"
        $err.TargetObject | Should -Be $Bad
        $err.CategoryInfo.Category | Should -BeIn @('InvalidArgument', 'LimitsExceeded')
        $err.Exception.Message | Should -BeLike "*$Bad*"
        $err.Exception.Message | Should -Not -Match '\bat Tssr\.|   at '
        $written.Count | Should -Be 0 -Because 'bad input stops the command before any work'
    }

    It 'takes targets and ports from piped objects, each row with its own ports' {
        $rows = @(
            [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = "$openPort" }
            [pscustomobject]@{ ComputerName = $quiet; Port = 'ssh,https' }
            [pscustomobject]@{ IPAddress = '127.77.0.2'; Port = 9 }
        )
        $r = $rows | Test-TssrPort -ErrorAction Stop
        ($r | ForEach-Object { "$($_.IPAddress):$($_.Port):$($_.Status)" } | Sort-Object) | Should -Be (@(
                "127.0.0.1:$($openPort):Open", '127.77.0.1:22:Closed', '127.77.0.1:443:Closed', '127.77.0.2:9:Closed') | Sort-Object)
    }

    It 'takes a Prefix from Get-TssrSubnet-like objects, and -Port from the command line over the rows' {
        $r = [pscustomobject]@{ Prefix = '127.77.3.0/31'; Port = 22 } | Test-TssrPort -Port 9
        ($r | ForEach-Object { "$($_.IPAddress):$($_.Port)" }) | Sort-Object | Should -Be @('127.77.3.0:9', '127.77.3.1:9')
    }

    It 'probes the common set of ports when none is named' {
        $r = Test-TssrPort $quiet
        $r.Count | Should -Be 26
        $r.Port | Should -Contain 3389
        $r.Port | Should -Contain 5985
    }

    It 'reports a bad piped row on its own and probes the others' {
        $r = '127.77.0.3', '10.0.0.0/33', '127.77.0.4' | Test-TssrPort -Port 9 -ErrorVariable failures -ErrorAction SilentlyContinue
        ($r | ForEach-Object IPAddress | Sort-Object) | Should -Be @('127.77.0.3', '127.77.0.4')
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CidrInvalid,*'
    }

    It 'keeps every value readable through a CSV file and JSON, and re-probes from the CSV' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) "tssr-port-$PID.csv"
        try {
            Test-TssrPort localhost, 127.0.0.1 -Port $openPort, 9 | Export-Csv -LiteralPath $csv -NoTypeInformation
            $rows = @(Import-Csv -LiteralPath $csv)
            $rows.Count | Should -Be 4
            ($rows | Where-Object ComputerName -eq 'localhost' | Select-Object -First 1).IPAddress | Should -Be '127.0.0.1'
            ($rows | Where-Object Port -eq "$openPort" | ForEach-Object Status | Sort-Object -Unique) | Should -Be 'Open'
            ($rows | Where-Object Port -eq '9').Reason | Sort-Object -Unique | Should -Be 'Refused'
            $again = Import-Csv -LiteralPath $csv | Test-TssrPort
            @($again).Count | Should -Be 4
        }
        finally { Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue }
        $back = Test-TssrPort localhost -Port 9 | ConvertTo-Json -EnumsAsStrings | ConvertFrom-Json
        $back.IPAddress | Should -Be '127.0.0.1'
        $back.Status | Should -Be 'Closed'
        $back.Reason | Should -Be 'Refused'
    }

    It 're-probes what Test-TssrPort wrote, piped back in' {
        $again = Test-TssrPort 127.0.0.1 -Port $openPort, 9 | Test-TssrPort
        ($again | Sort-Object Port).Status | Should -Be @('Closed', 'Open')
    }

    It 'speaks French when $PSUICulture is fr-FR' {
        $r = Invoke-TssrPwsh -Culture fr-FR -Script {
            $v = Test-TssrPort 127.77.0.1 -Port 9
            $e = try { Test-TssrPort 127.0.0.1 -Port 70000 } catch { $_ }
            [pscustomobject]@{ Detail = $v.Detail; Error = $e.Exception.Message; Synopsis = (Get-Help Test-TssrPort).Synopsis }
        }.ToString()
        $r.Detail | Should -BeLike "*a refusé la connexion*"
        $r.Error | Should -BeLike '*70000*'
        $r.Synopsis | Should -BeLike 'Teste en parallèle*'
    }

    It 'lowers -ThrottleLimit with a warning when the open-file limit is low, and still finishes' {
        if (-not (Test-LabPrerequisite -Command prlimit)) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $cmd = Get-PwshCommandLine
        $module = Get-TssrModulePath
        # A sweep that fits in what the process may open says nothing; one that does not is warned once.
        $script = "Import-Module '$module'; `$s = Test-TssrPort 127.77.4.1 -Port 9 -WarningVariable w0 -WarningAction SilentlyContinue; 'small=' + @(`$w0).Count; `$r = Test-TssrPort 127.77.4.0/23 -Port 9 -IncludeNetworkAndBroadcast -WarningVariable w -WarningAction SilentlyContinue; 'count=' + @(`$r).Count; 'warnings=' + @(`$w).Count; 'warning=' + (`$w -join ' ')"
        # .NET raises the soft limit to the hard one at start-up: lower both.
        $out = & prlimit --nofile=400:400 @cmd -NoProfile -NonInteractive -Command $script 2>&1
        $out | Should -Contain 'small=0'
        $out | Should -Contain 'count=512'
        $out | Should -Contain 'warnings=1'
        ($out | Where-Object { $_ -like 'warning=*' }) | Should -Match 'ThrottleLimit 4096 .* using \d+'
    }
}

Describe 'Test-TssrPort in the namespace lab' {
    BeforeAll {
        $script:lab = $null
        if (Test-LabPrerequisite -Command ip, nft, nmap, python3 -Root) {
            $script:lab = (Start-TssrLab -Component Netns).Netns
            # ICMP answers and resets on chosen ports of one live address, in tables of our own
            # that leave the lab's rules (and other suites' results) untouched.
            $rules = @"
table inet tssrport {
  chain input {
    type filter hook input priority -10; policy accept;
    ip daddr 198.18.0.20 tcp dport 8101 reject with icmp type admin-prohibited
    ip daddr 198.18.0.20 tcp dport 8102 reject with icmp type host-unreachable
    ip daddr 198.18.0.20 tcp dport 8103 reject with icmp type net-unreachable
    ip daddr 198.18.0.20 tcp dport 8104 reject with icmp type port-unreachable
    ip daddr 198.18.0.20 tcp dport 8105 reject with tcp reset
    ip daddr 198.18.0.20 tcp dport 8106 reject with icmp type prot-unreachable
    ip daddr 198.18.0.20 tcp dport 8107 reject with icmp type net-prohibited
    ip daddr 198.18.0.20 tcp dport 8108 reject with icmp type host-prohibited
  }
}
"@
            $rules | & ip netns exec $lab.TargetsNamespace nft -f - 2>&1
            if ($LASTEXITCODE -ne 0) { throw 'could not load the test rules in the targets namespace' }
            # Linux sends at most a burst of 6 ICMP errors to one peer, then one per second
            # (net.ipv4.icmp_ratelimit): the eight rejecting ports of one address, probed by nmap and
            # then by us within a second, would get NoResponse for the errors the target held back.
            & ip netns exec $lab.TargetsNamespace sysctl -qw net.ipv4.icmp_ratelimit=0
            if ($LASTEXITCODE -ne 0) { throw 'could not lift the ICMP rate limit in the targets namespace' }
        }
    }

    AfterAll {
        if ($lab) { & ip netns exec $lab.TargetsNamespace nft delete table inet tssrport 2>$null }
    }

    BeforeEach {
        if (-not $lab) { Set-ItResult -Skipped -Because (Get-LabSkipReason) }
    }

    It 'gives the same verdict and reason as nmap -sT on every host:port' {
        $targets = '198.18.0.8-12', '198.18.2.8-10', '198.18.0.20', '203.0.113.5'
        $ports = '22,80,443,8101-8108'
        $xmlFile = Join-Path ([IO.Path]::GetTempPath()) "tssr-port-nmap-$PID.xml"
        # No default route in the scanner namespace: 203.0.113.5 stays unreachable, nothing leaves.
        & ip netns exec $lab.ScanNamespace nmap -sT -Pn -n -p $ports --max-retries 1 -T4 -oX $xmlFile @targets 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0
        $reasons = @{ 'syn-ack' = 'Accepted'; 'conn-refused' = 'Refused'; 'no-response' = 'NoResponse'; 'host-unreach' = 'HostUnreachable'; 'net-unreach' = 'NetworkUnreachable'; 'admin-prohibited' = 'Prohibited'; 'proto-unreach' = 'ProtocolUnreachable' }
        $nmap = @{}
        foreach ($h in ([xml](Get-Content -Raw $xmlFile)).nmaprun.host) {
            $address = @($h.address | Where-Object addrtype -eq 'ipv4')[0].addr
            foreach ($p in $h.ports.port) { $nmap["${address}:$($p.portid)"] = "$((Get-Culture).TextInfo.ToTitleCase($p.state.state))/$($reasons[$p.state.reason])" }
        }
        Remove-Item $xmlFile -ErrorAction SilentlyContinue

        $ours = Invoke-TssrPwsh -Namespace $lab.ScanNamespace -Script "Test-TssrPort $($targets -join ',') -Port $ports -Retry 1 | ForEach-Object { [pscustomobject]@{ Key = `"`$(`$_.IPAddress):`$(`$_.Port)`"; Verdict = `"`$(`$_.Status)/`$(`$_.Reason)`" } }"
        $mine = @{}
        foreach ($r in $ours) { $mine[$r.Key] = $r.Verdict }

        $nmap.Count | Should -Be (10 * 11)
        $mine.Count | Should -Be $nmap.Count
        foreach ($key in $nmap.Keys) { $mine[$key] | Should -Be $nmap[$key] -Because "nmap says $key is $($nmap[$key])" }
        # The sample covers every verdict and the ICMP answers.
        $mine['198.18.0.10:80'] | Should -Be 'Open/Accepted'
        $mine['198.18.0.20:8104'] | Should -Be 'Closed/Refused'
        $mine['198.18.2.9:22'] | Should -Be 'Filtered/NoResponse'
        $mine['198.18.0.20:8101'] | Should -Be 'Filtered/HostUnreachable'
        $mine['198.18.0.20:8103'] | Should -Be 'Filtered/NetworkUnreachable'
        $mine['198.18.0.20:8106'] | Should -Be 'Filtered/ProtocolUnreachable'
        $mine['198.18.0.20:8107'] | Should -Be 'Filtered/NetworkUnreachable'
        $mine['198.18.0.20:8108'] | Should -Be 'Filtered/HostUnreachable'
        $mine['203.0.113.5:22'] | Should -Be 'Filtered/NetworkUnreachable'
    }

    It 'shows every ICMP reason whole in the table at 80 and 160 columns' {
        $text = Invoke-TssrPwsh -Namespace $lab.ScanNamespace -Raw -Script "`$r = Test-TssrPort 198.18.0.20 -Port 8101-8108 -Retry 0; `$r | Out-String -Width 80; '=====' ; `$r | Out-String -Width 160"
        $text.ExitCode | Should -Be 0 -Because $text.Error
        $at80, $at160 = $text.Output -split '====='
        foreach ($view in @(@{ Text = $at80; Width = 80 }, @{ Text = $at160; Width = 160 })) {
            Get-TssrViewProblem -Text $view.Text -Width $view.Width -Whole 'ProtocolUnreachable', 'NetworkUnreachable', 'HostUnreachable', 'Refused' | Should -BeNullOrEmpty
            $view.Text | Should -Match '8106\s+Filtered\s+([\d.]+\s+)?ProtocolUnreachable'
        }
    }

    It 'sweeps 1,024 hosts x 5 ports to 1 open, 2,559 closed and 2,560 filtered' {
        $r = Invoke-TssrPwsh -Namespace $lab.ScanNamespace -Script {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $counts = Test-TssrPort 198.18.0.0/22 -Port 22, 80, 443, 3389, 8080 -IncludeNetworkAndBroadcast | Group-Object Status -NoElement
            [pscustomobject]@{
                Open = ($counts | Where-Object Name -eq Open).Count
                Closed = ($counts | Where-Object Name -eq Closed).Count
                Filtered = ($counts | Where-Object Name -eq Filtered).Count
                Seconds = $clock.Elapsed.TotalSeconds
            }
        }.ToString()
        $r.Open | Should -Be 1
        $r.Closed | Should -Be 2559
        $r.Filtered | Should -Be 2560
        Write-Host "    1,024 x 5 sweep: $([math]::Round($r.Seconds, 1)) s"
    }

    It 'writes each verdict as it comes, not at the end' {
        $r = Invoke-TssrPwsh -Namespace $lab.ScanNamespace -Script {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            Test-TssrPort 198.18.0.10, 198.18.2.10 -Port 80 -TimeoutSec 3 -Retry 0 |
                ForEach-Object { [pscustomobject]@{ Status = "$($_.Status)"; AtMs = $clock.ElapsedMilliseconds } }
        }.ToString()
        ($r | Where-Object Status -eq Open).AtMs | Should -BeLessThan 1500
        ($r | Where-Object Status -eq Filtered).AtMs | Should -BeGreaterOrEqual 2900
    }

    It 'stops a running sweep within 1 s on Ctrl+C, and the runspace stays usable' {
        $r = Invoke-TssrPwsh -Namespace $lab.ScanNamespace -Script "
            `$ps = [powershell]::Create()
            `$null = `$ps.AddScript(`"Import-Module '$(Get-TssrModulePath)'`").Invoke()
            `$ps.Commands.Clear()
            `$null = `$ps.AddScript('Test-TssrPort 198.18.2.0/23 -Port 1-1000 -TimeoutSec 20')
            `$before = (Get-ChildItem /proc/self/fd).Count
            `$output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            `$handle = `$ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]`$null, `$output)
            Start-Sleep -Milliseconds 1000
            `$busy = (Get-ChildItem /proc/self/fd).Count
            `$clock = [Diagnostics.Stopwatch]::StartNew()
            `$ps.Stop()
            `$stopMs = `$clock.ElapsedMilliseconds
            `$state = `$ps.InvocationStateInfo.State.ToString()
            Start-Sleep -Milliseconds 200
            `$after = (Get-ChildItem /proc/self/fd).Count
            `$ps.Commands.Clear()
            `$again = `$ps.AddScript('Test-TssrPort 198.18.0.10 -Port 80').Invoke()
            [pscustomobject]@{ StopMs = `$stopMs; State = `$state; Again = `"`$(`$again.Status)`"; Before = `$before; Busy = `$busy; After = `$after; Written = `$output.Count }
        "
        $r.State | Should -Be 'Stopped'
        $r.StopMs | Should -BeLessThan 1000
        $r.Busy | Should -BeGreaterThan ($r.Before + 500) -Because 'the sweep had connections in flight when stopped'
        $r.After | Should -BeLessThan ($r.Before + 20) -Because 'every socket is closed on stop'
        $r.Again | Should -Be 'Open'
        $r.Written | Should -Be 0
    }

    It 'keeps memory flat on a sweep of 65,536 targets' {
        # The scanner namespace has its own loopback: 127.0.0.0/16 answers every SYN on port 9 with a reset.
        $r = Invoke-TssrPwsh -Namespace $lab.ScanNamespace -Script {
            $process = [Diagnostics.Process]::GetCurrentProcess()
            $null = Test-TssrPort 127.0.0.0/24 -Port 9   # warm up: JIT, pools
            [GC]::Collect()
            $process.Refresh()
            $baseline = $process.WorkingSet64
            $peak = $baseline
            # What the process keeps (the managed heap after a full collection) is what "flat" means;
            # the working set also counts garbage not yet collected, which varies with the machine's load.
            $heapBaseline = [GC]::GetTotalMemory($true)
            $heapPeak = $heapBaseline
            $n = 0
            Test-TssrPort 127.0.0.0/16 -Port 9 -IncludeNetworkAndBroadcast | ForEach-Object {
                $n++
                if (($n -band 1023) -eq 0) { $process.Refresh(); if ($process.WorkingSet64 -gt $peak) { $peak = $process.WorkingSet64 } }
                if (($n -band 8191) -eq 0) { $heap = [GC]::GetTotalMemory($true); if ($heap -gt $heapPeak) { $heapPeak = $heap } }
            }
            [pscustomobject]@{ Count = $n; BaselineMB = $baseline / 1MB; GrowthMB = ($peak - $baseline) / 1MB; HeapGrowthMB = ($heapPeak - $heapBaseline) / 1MB }
        }.ToString() -TimeoutSeconds 240
        $r.Count | Should -Be 65536
        Write-Host "    65,536 targets: working set $([math]::Round($r.BaselineMB)) MB, grew by $([math]::Round($r.GrowthMB, 1)) MB; heap kept grew by $([math]::Round($r.HeapGrowthMB, 1)) MB"
        # 65,536 results held at once would keep well over 16 MB; uncollected garbage is bounded loosely.
        $r.HeapGrowthMB | Should -BeLessThan 16
        $r.GrowthMB | Should -BeLessThan 256
    }
}
