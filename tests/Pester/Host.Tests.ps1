# Test-TssrHost against the namespace lab of LAB.md: 198.18.0.0/22 seen from the scanner namespace,
# the lower /23 answering and the upper /23 silent, compared host by host with fping run in the same
# namespace. This suite adds, in its own nftables table and routes (removed in AfterAll): hosts that
# answer with ICMP errors (198.18.4.1 host-unreachable, 198.18.4.2 admin-prohibited), and an IPv6
# network fd00:2::/120 whose upper half is silent. The unprivileged path runs pwsh as 'nobody'.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
    Import-TssrTestModule

    $script:ready = Test-LabPrerequisite -Command ip, nft, fping, setpriv, unshare, python3 -Root
    if (-not $script:ready) { return }

    $facts = (Start-TssrLab -Component Netns).Netns
    $script:scan = $facts.ScanNamespace
    $script:targets = $facts.TargetsNamespace
    $script:range = $facts.SweepRange
    $prefix = Get-LabPrefix
    $script:vethScan = "$prefix-vs"
    $script:vethTargets = "$prefix-vt"

    function Invoke-Native {
        param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
        $out = & $Arguments[0] @($Arguments | Select-Object -Skip 1) 2>&1
        if ($LASTEXITCODE -ne 0) { throw "$($Arguments -join ' ') failed: $out" }
    }

    function Set-PingGroupRange([string] $Range) {
        Invoke-Native ip netns exec $script:scan sysctl -qw "net.ipv4.ping_group_range=$Range"
    }

    function Remove-HostLabExtras {
        & ip -n $script:scan route del 198.18.4.0/24 2>$null
        & ip -n $script:targets route del local 198.18.4.0/24 dev lo 2>$null
        & ip -n $script:scan route del fd00:2::/120 2>$null
        & ip -n $script:targets route del local fd00:2::/120 dev lo 2>$null
        & ip -n $script:scan addr del fd00:1::1/64 dev $script:vethScan 2>$null
        & ip -n $script:targets addr del fd00:1::2/64 dev $script:vethTargets 2>$null
        & ip netns exec $script:targets nft delete table inet tssrhost 2>$null
        $global:LASTEXITCODE = 0
    }

    Remove-HostLabExtras
    Invoke-Native ip -n $script:scan route add 198.18.4.0/24 via 198.19.255.2
    Invoke-Native ip -n $script:targets route add local 198.18.4.0/24 dev lo
    Invoke-Native ip -n $script:scan addr add fd00:1::1/64 dev $script:vethScan nodad
    Invoke-Native ip -n $script:targets addr add fd00:1::2/64 dev $script:vethTargets nodad
    Invoke-Native ip -n $script:scan route add fd00:2::/120 via fd00:1::2
    Invoke-Native ip -n $script:targets route add local fd00:2::/120 dev lo
    $rules = @'
table inet tssrhost {
  chain input {
    type filter hook input priority -10; policy accept;
    ip daddr 198.18.4.1 reject with icmp type host-unreachable
    ip daddr 198.18.4.2 reject with icmp type admin-prohibited
    ip6 daddr fd00:2::80/121 drop
  }
}
'@
    $rules | & ip netns exec $script:targets nft -f -
    if ($LASTEXITCODE -ne 0) { throw 'Could not load the nftables rules of the Host suite.' }
    Set-PingGroupRange '1 0'

    # pwsh as 'nobody' inside the scanner namespace. pwsh and the module may live under a folder
    # nobody cannot enter (/root/.nuget): a private mount namespace binds them under the lab folder.
    $script:userDir = Join-Path (Get-LabDirectory 'Host') 'nobody'
    foreach ($sub in 'home', 'pwsh', 'module') { $null = New-Item -ItemType Directory -Force (Join-Path $script:userDir $sub) }
    & chmod 755 (Get-LabDirectory 'Host') $script:userDir
    & chmod 777 (Join-Path $script:userDir 'home')

    function Invoke-TssrPwshAsNobody {
        param([Parameter(Mandatory)] [string] $Script)
        $cmd = Get-PwshCommandLine
        $entry = $cmd[-1]
        $runtime = if ($cmd.Count -gt 1) { $cmd[0] } else { $null }
        $file = Join-Path $script:userDir "run-$([guid]::NewGuid().ToString('n')).ps1"
        $prelude = "`$ErrorActionPreference = 'Stop'`nImport-Module '$script:userDir/module/Tssr.Tools.psd1'`n"
        Set-Content -LiteralPath $file -Value ($prelude + $Script)
        & chmod 644 $file
        $inner = 'mount --bind "$1" "$2/pwsh" && mount --bind "$3" "$2/module" && shift 3 && exec setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$HOME_DIR" "$@"'
        $argsList = @('netns', 'exec', $script:scan, 'unshare', '--mount', '--propagation', 'private', 'env', "HOME_DIR=$script:userDir/home", 'sh', '-c', $inner, 'sh',
            (Split-Path $entry), $script:userDir, $env:TSSR_MODULE_PATH)
        if ($runtime) { $argsList += @($runtime, "$script:userDir/pwsh/$(Split-Path -Leaf $entry)") }
        else { $argsList += "$script:userDir/pwsh/$(Split-Path -Leaf $entry)" }
        $argsList += @('-NoProfile', '-NonInteractive', '-File', $file)
        try {
            $text = & ip @argsList 2>&1 | Out-String
            if ($LASTEXITCODE -ne 0) { throw "pwsh as nobody failed (exit $LASTEXITCODE): $text" }
            $json = ($text -split "`n" | Where-Object { $_ -match '^\s*[\[{]' }) -join "`n"
            if (-not $json) { throw "pwsh as nobody printed no JSON: $text" }
            $json | ConvertFrom-Json
        }
        finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
    }

    # What fping says about every address of a sweep, run in the same namespace.
    function Get-FpingVerdict([string] $Range) {
        $lines = & ip netns exec $script:scan fping -i 1 -r 1 -t 500 -g $Range 2>&1
        $verdict = @{}
        foreach ($line in $lines) {
            if ("$line" -match '^(\S+) is (alive|unreachable)$') { $verdict[$Matches[1]] = if ($Matches[2] -eq 'alive') { 'Up' } else { 'Down' } }
        }
        $verdict
    }

    $script:summary = '| Select-Object ComputerName, IPAddress, @{ n = ''Status''; e = { $_.Status.ToString() } }, Attempts, Received, LossPercent, Ttl, RttMs, MinRttMs, MaxRttMs, Reason, IcmpType, IcmpCode, @{ n = ''ReportedBy''; e = { "$($_.ReportedBy)" } }, @{ n = ''Mode''; e = { $_.Mode.ToString() } }'
}

AfterAll {
    if ($script:ready) {
        Set-PingGroupRange '1 0'
        Remove-HostLabExtras
    }
}

Describe 'Test-TssrHost: the sweep of the namespace lab' {
    BeforeEach { if (-not $script:ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'gives the same up/down verdict as fping on every host of 198.18.0.0/22 (511 up, 511 down)' {
        $fping = Get-FpingVerdict $script:range
        $fping.Count | Should -Be 1022
        $ours = Invoke-TssrPwsh -Namespace $script:scan -Script "Test-TssrHost $script:range $script:summary"
        $ours.Count | Should -Be 1022
        @($ours | Where-Object Status -eq Up).Count | Should -Be 511
        @($ours | Where-Object Status -eq Down).Count | Should -Be 511
        $mismatch = @($ours | Where-Object { $fping[$_.IPAddress] -ne $_.Status })
        $mismatch | Should -BeNullOrEmpty -Because 'every host must get the verdict fping gives it'
        # Raw sockets: the TTL comes from the IP header; silent hosts got the retry.
        @($ours | Where-Object { $_.Status -eq 'Up' -and ($_.Ttl -ne 64 -or $_.Attempts -ne 1 -or $_.Mode -ne 'Raw' -or $null -eq $_.RttMs) }) | Should -BeNullOrEmpty
        @($ours | Where-Object { $_.Status -eq 'Down' -and ($_.Attempts -ne 2 -or $null -ne $_.RttMs) }) | Should -BeNullOrEmpty
        ($ours | Where-Object Status -eq Down).IPAddress | Should -Not -Contain '198.18.3.255' -Because 'like fping -g, the broadcast address is left out'
    }

    It 'keeps memory flat on 16,382 targets and streams them all' {
        $r = Invoke-TssrPwsh -Namespace $script:scan -Script @'
$before = [GC]::GetTotalMemory($true)
$n = 0; $unreachable = 0
Test-TssrHost 10.9.0.0/18 -IntervalSec 0 | ForEach-Object { $n++; if ($_.Status -eq 'Unreachable') { $unreachable++ } }
[pscustomobject]@{ N = $n; Unreachable = $unreachable; GrowthMB = ([GC]::GetTotalMemory($true) - $before) / 1MB }
'@
        $r.N | Should -Be 16382
        $r.Unreachable | Should -Be 16382 -Because 'the scanner namespace has no route to 10.9.0.0/18'
        $r.GrowthMB | Should -BeLessThan 5
    }

    Context 'streaming, progress and Ctrl+C' {
        BeforeAll {
            if (-not $script:ready) { return }
            $script:live = Invoke-TssrPwsh -Namespace $script:scan -Script @"
Test-TssrHost 198.18.0.1 | Out-Null   # loads and compiles the engine first
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$first = `$null
Test-TssrHost $script:range | ForEach-Object { if (`$null -eq `$first) { `$first = `$clock.Elapsed.TotalMilliseconds; `$firstStatus = `$_.Status.ToString() } }
`$total = `$clock.Elapsed.TotalMilliseconds

`$module = (Get-Module Tssr.Tools).Path
`$progress = [powershell]::Create()
`$null = `$progress.AddScript("Import-Module '`$module'; Test-TssrHost 198.18.0.0/24")
`$null = `$progress.Invoke()
`$records = @(`$progress.Streams.Progress)
`$progress.Dispose()

`$ps = [powershell]::Create()
`$null = `$ps.AddScript("Import-Module '`$module'; Test-TssrHost 198.18.0.0/22 -TimeoutSec 20 -Retry 3")
`$in = [System.Management.Automation.PSDataCollection[psobject]]::new(); `$in.Complete()
`$out = [System.Management.Automation.PSDataCollection[psobject]]::new()
`$async = `$ps.BeginInvoke(`$in, `$out)
`$deadline = [DateTime]::UtcNow.AddSeconds(60)
while (`$out.Count -lt 511 -and [DateTime]::UtcNow -lt `$deadline) { Start-Sleep -Milliseconds 20 }
`$socketsBefore = @(ss -Hwap | Where-Object { `$_ -match "pid=`$PID," }).Count
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$ps.Stop()
`$stopMs = `$clock.Elapsed.TotalMilliseconds
`$socketsAfter = @(ss -Hwap | Where-Object { `$_ -match "pid=`$PID," }).Count
[pscustomobject]@{
    First = `$first; FirstStatus = `$firstStatus; Total = `$total
    ProgressCount = `$records.Count; LastCompleted = `$records[-1].RecordType.ToString(); Activity = `$records[0].Activity
    Seen = `$out.Count; StopMs = `$stopMs; State = `$ps.InvocationStateInfo.State.ToString(); SocketsBefore = `$socketsBefore; SocketsAfter = `$socketsAfter
}
"@
        }

        It 'streams: the first live host arrives long before the silent ones are decided' {
            $script:live.FirstStatus | Should -Be 'Up'
            $script:live.First | Should -BeLessThan 500 -Because 'an Up is written when its reply arrives, not at the end'
            $script:live.Total | Should -BeGreaterThan 1500 -Because 'the silent hosts need their timeout and retry'
        }

        It 'reports progress, ending with a completed record' {
            $script:live.ProgressCount | Should -BeGreaterThan 0
            $script:live.LastCompleted | Should -Be 'Completed'
            $script:live.Activity | Should -Be 'Testing hosts (ICMP echo)'
        }

        It 'stops within a second on Ctrl+C (PowerShell.Stop) and closes its socket' {
            $script:live.Seen | Should -Be 511 -Because 'the live hosts were written while the silent ones were still pending'
            $script:live.State | Should -Be 'Stopped'
            $script:live.StopMs | Should -BeLessThan 1000
            $script:live.SocketsBefore | Should -BeGreaterThan 0
            $script:live.SocketsAfter | Should -Be 0
        }
    }

    Context 'ICMP errors, IPv6, -Count, names and the system Ping API (one child process)' {
        BeforeAll {
            if (-not $script:ready) { return }
            $script:multi = Invoke-TssrPwsh -Namespace $script:scan -Script @"
`$unreachable = @(Test-TssrHost 198.18.4.1, 198.18.4.2, 198.18.4.3, 203.0.113.9 $script:summary)
`$ipv6 = @(Test-TssrHost fd00:2::/120 $script:summary)
`$count = @(Test-TssrHost 198.18.0.20, 198.18.2.20 -Count 3 -PeriodSec 0.05 -TimeoutSec 0.3 $script:summary)
`$named = @(Test-TssrHost 198.18.0.1, no-such-host.invalid, 198.18.0.2 -ErrorVariable failures -ErrorAction SilentlyContinue $script:summary)
`$systemPing = @(Test-TssrHost 198.18.0.1, 198.18.0.2, 198.18.2.1, 203.0.113.9 -Mode SystemPing $script:summary)
`$table = @(Test-TssrHost 198.18.4.1, 198.18.4.2, 203.0.113.9, 198.18.2.20 -Count 2 -PeriodSec 0.05 -TimeoutSec 0.3)
[pscustomobject]@{
    Unreachable = `$unreachable; IPv6 = `$ipv6; Count = `$count; Named = `$named; SystemPing = `$systemPing
    NameErrorId = `$failures[0].FullyQualifiedErrorId; NameTarget = `$failures[0].TargetObject; NameErrors = `$failures.Count
    Table80 = (`$table | Out-String -Width 80); Table160 = (`$table | Out-String -Width 160)
}
"@
            function script:ByAddress($Results) { $map = @{}; foreach ($r in $Results) { $map[$r.IPAddress] = $r }; $map }
        }

        It 'reports ICMP destination-unreachable with its code and sender, and a missing route, as Unreachable' {
            $byAddress = ByAddress $script:multi.Unreachable
            $byAddress['198.18.4.1'].Status | Should -Be 'Unreachable'
            $byAddress['198.18.4.1'].Reason | Should -Be 'HostUnreachable'
            $byAddress['198.18.4.1'].IcmpType | Should -Be 3
            $byAddress['198.18.4.1'].IcmpCode | Should -Be 1
            $byAddress['198.18.4.1'].ReportedBy | Should -Be '198.18.4.1'
            $byAddress['198.18.4.1'].Attempts | Should -Be 1 -Because 'the network answered: no retry, no waiting for a timeout'
            $byAddress['198.18.4.2'].Status | Should -Be 'Unreachable'
            $byAddress['198.18.4.2'].Reason | Should -Be 'CommunicationProhibited'
            $byAddress['198.18.4.2'].IcmpCode | Should -Be 13
            $byAddress['198.18.4.3'].Status | Should -Be 'Up'
            $byAddress['203.0.113.9'].Status | Should -Be 'Unreachable'
            $byAddress['203.0.113.9'].Reason | Should -Be 'NetworkUnreachable'
            $byAddress['203.0.113.9'].ReportedBy | Should -BeNullOrEmpty
        }

        It 'shows the verdicts and their reasons whole in the table at 80 and 160 columns' {
            foreach ($view in @(@{ Text = $script:multi.Table80; Width = 80 }, @{ Text = $script:multi.Table160; Width = 160 })) {
                Get-TssrViewProblem -Text $view.Text -Width $view.Width -Whole 'CommunicationProhibited', 'HostUnreachable', 'NetworkUnreachable', '198.18.4.2', '203.0.113.9' |
                    Should -BeNullOrEmpty
                $view.Text | Should -Match 'ComputerName\s+Status\s+RttMs\s+Ttl\s+Loss%\s+Detail'
                $view.Text | Should -Match '198\.18\.2\.20\s+Down\b'
                $view.Text | Should -Match '198\.18\.4\.2\s+Unreachable\b'
            }
        }

        It 'sweeps IPv6 on one ICMPv6 socket: fd00:2::/120 gives 128 up and 128 down' {
            $r = $script:multi.IPv6
            $r.Count | Should -Be 256
            $up = @($r | Where-Object Status -eq Up)
            $up.Count | Should -Be 128
            @($r | Where-Object Status -eq Down).Count | Should -Be 128
            foreach ($h in $up) { [Convert]::ToInt32(($h.IPAddress -replace '^fd00:2::', '0'), 16) | Should -BeLessThan 128 }
        }

        It 'counts loss and min/avg/max with -Count' {
            $byAddress = ByAddress $script:multi.Count
            $live = $byAddress['198.18.0.20']
            $live.Status | Should -Be 'Up'
            $live.Attempts | Should -Be 3
            $live.Received | Should -Be 3
            $live.LossPercent | Should -Be 0
            $live.MinRttMs | Should -BeLessOrEqual $live.RttMs
            $live.MaxRttMs | Should -BeGreaterOrEqual $live.RttMs
            $silent = $byAddress['198.18.2.20']
            $silent.Status | Should -Be 'Down'
            $silent.Attempts | Should -Be 3
            $silent.Received | Should -Be 0
            $silent.LossPercent | Should -Be 100
        }

        It 'reports a name that does not resolve as a non-terminating error and tests the others' {
            $script:multi.Named.Count | Should -Be 2
            @($script:multi.Named | Where-Object Status -eq Up).Count | Should -Be 2
            $script:multi.NameErrors | Should -Be 1
            $script:multi.NameErrorId | Should -Be 'HostNotResolved,Tssr.Tools.TestTssrHostCommand'
            $script:multi.NameTarget | Should -Be 'no-such-host.invalid'
        }

        It 'uses the system Ping API on request (the Windows path) with the same verdicts' {
            $byAddress = ByAddress $script:multi.SystemPing
            $byAddress['198.18.0.1'].Status | Should -Be 'Up'
            $byAddress['198.18.0.1'].Mode | Should -Be 'SystemPing'
            $byAddress['198.18.0.2'].Status | Should -Be 'Up'
            $byAddress['198.18.2.1'].Status | Should -Be 'Down'
            $byAddress['198.18.2.1'].Attempts | Should -Be 2
            $byAddress['203.0.113.9'].Status | Should -Be 'Unreachable'
        }
    }
}

Describe 'Test-TssrHost: unprivileged ICMP (net.ipv4.ping_group_range)' {
    BeforeEach { if (-not $script:ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }
    AfterEach { if ($script:ready) { Set-PingGroupRange '1 0' } }

    It 'sweeps as nobody on datagram sockets when ping_group_range allows it, with the same verdicts as fping; -Mode Raw is refused' {
        Set-PingGroupRange '0 2147483647'
        $fping = Get-FpingVerdict $script:range
        $r = Invoke-TssrPwshAsNobody -Script @"
`$results = @(Test-TssrHost $script:range, fd00:2::/126 $script:summary)
try { Test-TssrHost 198.18.0.1 -Mode Raw | Out-Null; `$raw = 'none' } catch { `$raw = [pscustomobject]@{ ErrorId = `$_.FullyQualifiedErrorId; Action = `$_.ErrorDetails.RecommendedAction } }
[pscustomobject]@{ Uid = (id -u); Results = `$results; Raw = `$raw } | ConvertTo-Json -Depth 4 -Compress
"@
        $r.Uid | Should -Not -Be '0'
        $v4 = @($r.Results | Where-Object { $_.IPAddress -like '198.18.*' })
        $v4.Count | Should -Be 1022
        @($v4 | Where-Object Status -eq Up).Count | Should -Be 511
        @($v4 | Where-Object { $fping[$_.IPAddress] -ne $_.Status }) | Should -BeNullOrEmpty
        @($r.Results | Where-Object Mode -ne 'Datagram') | Should -BeNullOrEmpty
        # The kernel keeps the IP header of a datagram socket to itself: no TTL (see the help).
        @($v4 | Where-Object { $null -ne $_.Ttl }) | Should -BeNullOrEmpty
        @($r.Results | Where-Object { $_.IPAddress -like 'fd00:2::*' -and $_.Status -eq 'Up' }).Count | Should -Be 4
        # Without CAP_NET_RAW, asking for raw sockets is refused with what to do about it.
        $r.Raw.ErrorId | Should -Be 'IcmpNotPermitted,Tssr.Tools.TestTssrHostCommand'
        $r.Raw.Action | Should -Match 'setcap cap_net_raw\+ep'
        $r.Raw.Action | Should -Match 'Mode Datagram'
    }

    It 'fails with IcmpNotPermitted naming the sysctl and setcap when ping_group_range is "1 0"' {
        Set-PingGroupRange '1 0'
        $r = Invoke-TssrPwshAsNobody -Script @'
try { Test-TssrHost 198.18.0.1 | Out-Null; [pscustomobject]@{ ErrorId = 'none' } | ConvertTo-Json -Compress }
catch { [pscustomobject]@{ ErrorId = $_.FullyQualifiedErrorId; Category = $_.CategoryInfo.Category.ToString(); Message = $_.Exception.Message; Action = $_.ErrorDetails.RecommendedAction } | ConvertTo-Json -Compress }
'@
        $r.ErrorId | Should -Be 'IcmpNotPermitted,Tssr.Tools.TestTssrHostCommand'
        $r.Category | Should -Be 'PermissionDenied'
        $r.Action | Should -Match 'sysctl -w net\.ipv4\.ping_group_range="0 2147483647"'
        $r.Action | Should -Match "now '1 0'"
        $r.Action | Should -Match 'setcap cap_net_raw\+ep'
        $r.Message | Should -Match 'CAP_NET_RAW'
    }

    It 'says so in French when -Mode Datagram is refused' {
        Set-PingGroupRange '1 0'
        $r = Invoke-TssrPwsh -Namespace $script:scan -Culture fr-FR -Script @'
try { Test-TssrHost 198.18.0.1 -Mode Datagram | Out-Null; 'none' }
catch { [pscustomobject]@{ ErrorId = $_.FullyQualifiedErrorId; Message = $_.Exception.Message; Action = $_.ErrorDetails.RecommendedAction } }
'@
        $r.ErrorId | Should -Be 'IcmpNotPermitted,Tssr.Tools.TestTssrHostCommand'
        $r.Message | Should -Match 'refusées'
        $r.Action | Should -Match 'ping_group_range'
    }
}

Describe 'Test-TssrHost: bad input' {
    It 'stops on a malformed target before sending anything: <Target>' -ForEach @(
        @{ Target = '10.0.0.0/33'; ErrorId = 'CidrInvalid' }
        @{ Target = '10.0.0.50-10.0.0.1'; ErrorId = 'RangeBackwards' }
        @{ Target = 'bad name!'; ErrorId = 'TargetInvalid' }
        @{ Target = '10.0.0.0/8'; ErrorId = 'TargetTooLarge' }
    ) {
        { Test-TssrHost -Target '127.0.0.1', $Target -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,Tssr.Tools.TestTssrHostCommand"
    }

    It 'refuses -IPv4 with -IPv6' {
        { Test-TssrHost 127.0.0.1 -IPv4 -IPv6 } | Should -Throw -ErrorId 'IcmpBothFamilies,Tssr.Tools.TestTssrHostCommand'
    }

    It 'refuses out-of-range values: <Name> = <Value>' -ForEach @(
        @{ Name = 'TimeoutSec'; Value = 0 }
        @{ Name = 'Count'; Value = 0 }
        @{ Name = 'Retry'; Value = -1 }
        @{ Name = 'BufferSize'; Value = 70000 }
        @{ Name = 'TimeToLive'; Value = 256 }
        @{ Name = 'IntervalSec'; Value = -5 }
    ) {
        $splat = @{ Target = '127.0.0.1'; $Name = $Value }
        { Test-TssrHost @splat } | Should -Throw -ErrorId "ParameterArgumentValidationError,Tssr.Tools.TestTssrHostCommand"
    }

    It 'names the target in the error record' {
        try { Test-TssrHost 'nope..bad' -ErrorAction Stop; throw 'no error' }
        catch {
            $_.TargetObject | Should -Be 'nope..bad'
            $_.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Test-TssrHost: the same targets as Test-TssrPort from a subnet' {
    It 'pings the 2 hosts of a /30 piped from Get-TssrSubnet, and all 4 addresses with -IncludeNetworkAndBroadcast' {
        $r = Get-TssrSubnet 127.77.1.0/30 | Test-TssrHost -TimeoutSec 0.5
        ($r.IPAddress | Sort-Object) | Should -Be @('127.77.1.1', '127.77.1.2')
        $all = Get-TssrSubnet 127.77.1.0/30 | Test-TssrHost -TimeoutSec 0.5 -IncludeNetworkAndBroadcast
        ($all.IPAddress | Sort-Object) | Should -Be @('127.77.1.0', '127.77.1.1', '127.77.1.2', '127.77.1.3')
        # The port sweep follows the same rule: hosts only unless asked.
        (Get-TssrSubnet 127.77.1.0/30 | Test-TssrPort -Port 9 -TimeoutSec 0.5).Count | Should -Be 2
    }

    It 'keeps every value readable through a CSV file and JSON' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) "tssr-host-$PID.csv"
        try {
            Test-TssrHost localhost, 127.77.1.1 -TimeoutSec 0.5 | Export-Csv -LiteralPath $csv -NoTypeInformation
            (Get-Content -Raw -LiteralPath $csv) | Should -Not -Match 'System\.|Tssr\.Tools\.Engine'
            $rows = @(Import-Csv -LiteralPath $csv)
            ($rows | Where-Object ComputerName -eq 'localhost').IPAddress | Should -Be '127.0.0.1'
            $rows.Status | Sort-Object -Unique | Should -Be 'Up'
            (Import-Csv -LiteralPath $csv | Test-TssrHost -TimeoutSec 0.5).Count | Should -Be 2
        }
        finally { Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue }
        $back = Test-TssrHost 127.77.1.1 -TimeoutSec 0.5 | ConvertTo-Json -EnumsAsStrings | ConvertFrom-Json
        $back.IPAddress | Should -Be '127.77.1.1'
        $back.Status | Should -Be 'Up'
        $back.Mode | Should -BeIn 'Raw', 'Datagram'
    }
}
