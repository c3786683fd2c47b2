# Find-TssrDuplicateAddress against a real switched segment (tests/lab/components/DupAddr.ps1): two
# namespaces hold the same IPv4 and IPv6 address behind a Linux bridge, one host is unique, one
# address is silent, and one host also holds the scanner's own second address. Every expected MAC
# is read from `ip link` in the namespace that owns it, never copied from the lab's own notes.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
    Import-TssrTestModule
    $script:ready = Test-LabPrerequisite -Command ip, bridge, setpriv -Root
    if ($script:ready) {
        $script:lab = (Start-TssrLab -Component DupAddr).DupAddr
        function script:Get-Mac([string] $Namespace) { (& ip -n $Namespace -j link show lan0 | ConvertFrom-Json)[0].address }
        $script:dup1Mac = Get-Mac $lab.Dup1Namespace
        $script:dup2Mac = Get-Mac $lab.Dup2Namespace
        $script:uniqueMac = Get-Mac $lab.UniqueNamespace
        $script:scannerMac = Get-Mac $lab.ScanNamespace

        # One sweep of the whole segment, both families, every answering host: most tests read it.
        $script:sweep = @(Invoke-TssrPwsh -Namespace $lab.ScanNamespace -Script @"
Find-TssrDuplicateAddress -Target '$($lab.Subnet)', 'fd00:19:254::1-fd00:19:254::ff' -IncludeUnique
"@)
        function script:Find-Result([string] $Address) { $script:sweep | Where-Object IPAddress -eq $Address }
    }

    function script:Invoke-AsNobody {
        # Runs a child pwsh as the unprivileged user 'nobody' inside the scanner's namespace, and
        # returns what it printed. The PowerShell of the tests is a dotnet tool under /root, which
        # nobody may not read: the child keeps CAP_DAC_READ_SEARCH (read files, nothing else) and
        # loses every other capability, CAP_NET_RAW included, as a plain user would.
        param([string] $Namespace, [string] $Script, [string[]] $Capabilities = @())
        $caps = (@('dac_read_search') + $Capabilities | ForEach-Object { "+$_" }) -join ','
        $nobodyHome = Join-Path ([IO.Path]::GetTempPath()) "tssr-nobody-$PID"
        $null = New-Item -ItemType Directory -Force $nobodyHome
        & chown 65534 $nobodyHome
        $file = Join-Path $nobodyHome 'script.ps1'
        Set-Content -LiteralPath $file -Value "`$ErrorActionPreference = 'Stop'`nImport-Module '$(Get-TssrModulePath)'`n$Script"
        & chmod 0644 $file
        $pwsh = Get-PwshCommandLine
        $argv = @('netns', 'exec', $Namespace, 'env', "HOME=$nobodyHome", 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups',
            "--inh-caps=-all,$caps", "--ambient-caps=$caps", "--bounding-set=-all,$caps") + $pwsh + @('-NoProfile', '-NonInteractive', '-File', $file)
        $out = & ip @argv 2>&1
        Remove-Item -Recurse -Force $nobodyHome -ErrorAction SilentlyContinue
        ($out | Out-String)
    }
}

Describe 'Find-TssrDuplicateAddress' {
    BeforeEach {
        if (-not $script:ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) }
    }

    Context 'IPv4 with ARP' {
        BeforeAll {
            if (-not $script:ready) { return }
            # Real traffic first, so that the kernel resolves the duplicate itself and keeps one of
            # the two answers in its neighbour table; then the default sweep (duplicates only).
            $script:defaultRun = Invoke-TssrPwsh -Namespace $lab.ScanNamespace -Raw -Script @"
`$udp = [System.Net.Sockets.UdpClient]::new()
`$null = `$udp.Send([byte[]](1), 1, '$($lab.DuplicateAddress)', 9)
`$udp.Dispose()
Start-Sleep -Milliseconds 500
`$r = @(Find-TssrDuplicateAddress '$($lab.Subnet)')
'COUNT=' + `$r.Count
'ADDRESSES=' + ((`$r | ForEach-Object IPAddress | Sort-Object) -join ',')
'CACHED=' + (`$r | Where-Object IPAddress -eq '$($lab.DuplicateAddress)').CachedMacAddress
'TABLE80='
`$r | Out-String -Width 80
'TABLE160='
`$r | Out-String -Width 160
"@
        }

        It 'finds the address held by two machines, with both of their MAC addresses' {
            $r = Find-Result $lab.DuplicateAddress
            $r | Should -HaveCount 1
            $r.Duplicate | Should -BeTrue
            @($r.MacAddresses | Sort-Object) | Should -Be @(@($dup1Mac, $dup2Mac) | Sort-Object)
            $r.Interface | Should -Be 'lan0'
            $r.Method | Should -Be 'ARP'
            $r.IsLocalAddress | Should -BeFalse
            $r.ReplyCount | Should -BeGreaterOrEqual 2
        }

        It 'shows the unique host as not duplicate, with its one MAC' {
            $r = Find-Result $lab.UniqueAddress
            $r.Duplicate | Should -BeFalse
            @($r.MacAddresses) | Should -Be @($uniqueMac)
        }

        It 'reports nothing for a silent address' {
            Find-Result $lab.SilentAddress | Should -BeNullOrEmpty
            # Exactly the hosts of the lab answered, nothing was invented.
            @($sweep | Where-Object { $_.IPAddress -notlike '*:*' } | ForEach-Object IPAddress | Sort-Object) |
                Should -Be @('198.19.254.1', '198.19.254.10', '198.19.254.2', '198.19.254.20')
        }

        It 'finds another machine using this host''s own address, with an RFC 5227 probe' {
            $r = Find-Result $lab.LocalConflict
            $r.IsLocalAddress | Should -BeTrue
            $r.Method | Should -Be 'ARP-Probe'
            $r.Duplicate | Should -BeTrue
            @($r.MacAddresses) | Should -Be @($scannerMac, $uniqueMac)
            $own = Find-Result $lab.ScannerAddress
            $own.Duplicate | Should -BeFalse
            @($own.MacAddresses) | Should -Be @($scannerMac)
        }

        It 'outputs only the duplicates by default, in a table that lists every MAC' {
            $defaultRun.ExitCode | Should -Be 0 -Because $defaultRun.Error
            $defaultRun.Output | Should -Match 'COUNT=2'
            $defaultRun.Output | Should -Match 'ADDRESSES=198\.19\.254\.10,198\.19\.254\.2\b'
            $at80, $at160 = ($defaultRun.Output -split 'TABLE80=')[1] -split 'TABLE160='
            foreach ($view in @(@{ Text = $at80; Width = 80 }, @{ Text = $at160; Width = 160 })) {
                $view.Text | Should -Match 'Interface: lan0'
                $view.Text | Should -Match 'IPAddress\s+Duplicate\s+Method\s+MacAddresses\s+Local\s+CachedMacAddress'
                Get-TssrViewProblem -Text $view.Text -Width $view.Width -Whole $dup1Mac, $dup2Mac, $lab.DuplicateAddress | Should -BeNullOrEmpty
            }
        }

        It 'shows which of the two MACs the OS neighbour table uses now (CachedMacAddress)' {
            $cached = ($defaultRun.Output -split "`n" | Where-Object { $_ -like 'CACHED=*' }) -replace '^CACHED=' -replace '\s+$'
            # Which one is not fixed: the two machines keep overwriting this host's entry (each ARP
            # packet they send it counts), which is exactly why the table alone cannot be trusted.
            $cached | Should -BeIn @($dup1Mac, $dup2Mac)
        }
    }

    Context 'IPv6 with neighbour discovery' {
        It 'finds the IPv6 address held by two machines, with both MACs' {
            $r = Find-Result $lab.DuplicateAddress6
            $r.Duplicate | Should -BeTrue
            $r.Method | Should -Be 'NDP'
            @($r.MacAddresses | Sort-Object) | Should -Be @(@($dup1Mac, $dup2Mac) | Sort-Object)
        }

        It 'sees the unique IPv6 host, nothing for the silent one, and the conflict with its own address' {
            @((Find-Result $lab.UniqueAddress6).MacAddresses) | Should -Be @($uniqueMac)
            (Find-Result $lab.UniqueAddress6).Duplicate | Should -BeFalse
            Find-Result $lab.SilentAddress6 | Should -BeNullOrEmpty
            $own = Find-Result $lab.LocalConflict6
            $own.IsLocalAddress | Should -BeTrue
            @($own.MacAddresses) | Should -Be @($scannerMac, $uniqueMac)
        }
    }

    Context 'Options' {
        It '-ArpProbe asks without leaving this host in the neighbours'' ARP caches; plain ARP does leave it' {
            $run = Invoke-TssrPwsh -Namespace $lab.ScanNamespace -Raw -Script @"
& ip -n $($lab.Dup1Namespace) neigh flush dev lan0
`$probed = Find-TssrDuplicateAddress $($lab.DuplicateAddress) -ArpProbe -Count 1
'PROBED=' + `$probed.Method + ' ' + `$probed.Duplicate
'AFTERPROBE=' + (& ip -n $($lab.Dup1Namespace) neigh show $($lab.ScannerAddress) dev lan0)
`$null = Find-TssrDuplicateAddress $($lab.DuplicateAddress) -Count 1
'AFTERARP=' + (& ip -n $($lab.Dup1Namespace) neigh show $($lab.ScannerAddress) dev lan0)
"@
            $run.Output | Should -Match 'PROBED=ARP-Probe True'
            $run.Output | Should -Match '(?m)^AFTERPROBE=\s*$'
            $run.Output | Should -Match ('(?m)^AFTERARP=.*' + [regex]::Escape($scannerMac))
        }

        It 'streams each address as its window closes, not all at the end' {
            $r = @(Invoke-TssrPwsh -Namespace $lab.ScanNamespace -Script @"
`$clock = [Diagnostics.Stopwatch]::StartNew()
Find-TssrDuplicateAddress 198.19.254.1-40 -Rate 20 -Count 1 -TimeoutSec 0.3 | ForEach-Object { [pscustomobject]@{ Address = `$_.IPAddress; At = `$clock.Elapsed.TotalSeconds } }
[pscustomobject]@{ Address = 'end'; At = `$clock.Elapsed.TotalSeconds }
"@)
            $first = $r | Where-Object Address -eq $lab.LocalConflict
            $end = $r | Where-Object Address -eq 'end'
            $r.Count | Should -Be 3   # .2 and .10, then the end marker
            ($end.At - $first.At) | Should -BeGreaterThan 1.0
        }

        It 'stops promptly on Ctrl+C during a long sweep' {
            $run = Invoke-TssrPwsh -Namespace $lab.ScanNamespace -Raw -Script @"
`$ps = [powershell]::Create()
`$null = `$ps.AddCommand('Import-Module').AddArgument('$(Get-TssrModulePath)').AddStatement()
`$null = `$ps.AddCommand('Find-TssrDuplicateAddress').AddParameter('Target', '198.19.0.0/16').AddParameter('InterfaceName', 'lan0')
`$handle = `$ps.BeginInvoke()
Start-Sleep -Seconds 3
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$ps.Stop()
'STOPPED=' + `$clock.Elapsed.TotalSeconds + ' STATE=' + `$ps.InvocationStateInfo.State
"@
            $run.Output | Should -Match 'STATE=Stopped'
            [double]($run.Output -replace '(?s).*STOPPED=([0-9.]+).*', '$1') | Should -BeLessThan 1.5
        }
    }

    Context 'Interfaces, off-segment addresses and bad input' {
        BeforeAll {
            if (-not $script:ready) { return }
            $script:errorRun = Invoke-TssrPwsh -Namespace $lab.ScanNamespace -Raw -Script @"
'NAMED=' + (Find-TssrDuplicateAddress $($lab.DuplicateAddress) -InterfaceName lan0).Duplicate
try { Find-TssrDuplicateAddress $($lab.DuplicateAddress) -InterfaceName wlan9 } catch { 'UNKNOWN=' + `$_.FullyQualifiedErrorId + ' ' + `$_.Exception.Message }
try { Find-TssrDuplicateAddress $($lab.DuplicateAddress) -InterfaceName lo } catch { 'LOOPBACK=' + `$_.FullyQualifiedErrorId }
`$r = Find-TssrDuplicateAddress 203.0.113.0/29, $($lab.DuplicateAddress) -ErrorVariable failures -ErrorAction SilentlyContinue
'RESULT=' + `$r.IPAddress + ' ' + `$r.Duplicate
'ERRORS=' + `$failures.Count
'ID=' + `$failures[0].FullyQualifiedErrorId
'TARGET=' + `$failures[0].TargetObject
foreach (`$bad in '198.19.254.0/33', 'not a host!', '198.19.254.50-10', '10.0.0.0/8') {
    try { Find-TssrDuplicateAddress 198.19.254.10, `$bad; 'NO ERROR' } catch { 'BAD=' + `$_.FullyQualifiedErrorId + ' @ ' + `$_.TargetObject }
}
try { Find-TssrDuplicateAddress 198.19.254.10 -Count 0 } catch { 'BAD=' + `$_.FullyQualifiedErrorId }
try { Find-TssrDuplicateAddress 224.0.0.1 -ErrorAction Stop } catch { 'BAD=' + `$_.FullyQualifiedErrorId }
`$silent = @(Find-TssrDuplicateAddress $($lab.SilentAddress) -IncludeUnique -WarningVariable warned -WarningAction SilentlyContinue)
'SILENT=' + `$silent.Count + ' WARNINGS=' + `$warned.Count + ' ' + `$warned[0]
"@
        }

        It 'probes on the named interface and explains an unknown or unsuitable one' {
            $errorRun.Output | Should -Match '(?m)^NAMED=True'
            $errorRun.Output | Should -Match "UNKNOWN=InterfaceNotFound,Tssr.Tools.FindTssrDuplicateAddressCommand .*no network interface named 'wlan9'.*lan0"
            $errorRun.Output | Should -Match 'LOOPBACK=InterfaceNoLinkLayerAddress,'
        }

        It 'says once per input that an address is off the segment, and goes on with the others' {
            $errorRun.Output | Should -Match "RESULT=$([regex]::Escape($lab.DuplicateAddress)) True"
            $errorRun.Output | Should -Match 'ERRORS=1\b'
            $errorRun.Output | Should -Match 'ID=TargetNotOnLink,'
            $errorRun.Output | Should -Match 'TARGET=203\.0\.113\.1\b'
        }

        It 'outputs nothing for a silent address, and warns that nothing answered at all' {
            $errorRun.Output | Should -Match 'SILENT=0 WARNINGS=1 No address answered \(1 probed\)'
        }

        It 'refuses bad input with a terminating error naming it, before sending anything' {
            $errorRun.Output | Should -Not -Match 'NO ERROR'
            $errorRun.Output | Should -Match 'BAD=CidrInvalid,Tssr.Tools.FindTssrDuplicateAddressCommand @ 198\.19\.254\.0/33'
            $errorRun.Output | Should -Match 'BAD=TargetInvalid,Tssr.Tools.FindTssrDuplicateAddressCommand @ not a host!'
            $errorRun.Output | Should -Match 'BAD=RangeBackwards,Tssr.Tools.FindTssrDuplicateAddressCommand @ 198\.19\.254\.50-10'
            $errorRun.Output | Should -Match 'BAD=TargetTooLarge,Tssr.Tools.FindTssrDuplicateAddressCommand @ 10\.0\.0\.0/8'
            $errorRun.Output | Should -Match 'BAD=ParameterArgumentValidationError,Tssr.Tools.FindTssrDuplicateAddressCommand'
            $errorRun.Output | Should -Match 'BAD=TargetNotUnicast,'
        }
    }

    Context 'Privileges and language' {
        It 'tells a non-root user plainly which privilege is missing and how to get it' {
            $out = Invoke-AsNobody -Namespace $lab.ScanNamespace -Script @"
'UID=' + (& id -u)
try { Find-TssrDuplicateAddress $($lab.DuplicateAddress); 'NO ERROR' }
catch { 'ID=' + `$_.FullyQualifiedErrorId; 'CATEGORY=' + `$_.CategoryInfo.Category; 'MESSAGE=' + `$_.Exception.Message; 'ACTION=' + `$_.ErrorDetails.RecommendedAction }
"@
            $out | Should -Match 'UID=65534'
            $out | Should -Not -Match 'NO ERROR'
            $out | Should -Match 'ID=PacketSocketNotPermitted,Tssr.Tools.FindTssrDuplicateAddressCommand'
            $out | Should -Match 'CATEGORY=PermissionDenied'
            $out | Should -Match 'MESSAGE=.*CAP_NET_RAW'
            $out | Should -Match 'ACTION=.*setcap cap_net_raw\+ep'
        }

        It 'works for a non-root user who holds CAP_NET_RAW, as the error message advises' {
            $out = Invoke-AsNobody -Namespace $lab.ScanNamespace -Capabilities net_raw -Script @"
'UID=' + (& id -u)
Find-TssrDuplicateAddress $($lab.DuplicateAddress), $($lab.DuplicateAddress6) | ForEach-Object { 'FOUND=' + `$_.IPAddress + ' ' + `$_.Duplicate }
"@
            $out | Should -Match 'UID=65534'
            $out | Should -Match "FOUND=$([regex]::Escape($lab.DuplicateAddress)) True"
            $out | Should -Match "FOUND=$([regex]::Escape($lab.DuplicateAddress6)) True"
        }

        It 'speaks French to a French user' {
            $run = Invoke-TssrPwsh -Namespace $lab.ScanNamespace -Culture fr-FR -Raw -Script @"
try { Find-TssrDuplicateAddress $($lab.DuplicateAddress) -InterfaceName wlan9 } catch { `$_.Exception.Message; `$_.ErrorDetails.RecommendedAction }
"@
            $run.Output | Should -Match "Il n'y a pas d'interface réseau nommée 'wlan9'"
            $run.Output | Should -Match 'Donnez l.un des noms'
        }
    }

    It 'serves the competency "operate an IP network"' {
        (Get-TssrCompetency -CommandName Find-TssrDuplicateAddress).Competency | Should -Be 'OperateIpNetwork'
    }
}
