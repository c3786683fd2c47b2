# Get-TssrSubnet through the built module: what a technician types, pipes and exports.
# Pure computation: no lab server is needed.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TssrTestModule
    $script:workDir = Join-Path ([IO.Path]::GetTempPath()) "tssr-subnet-$PID"
    $null = New-Item -ItemType Directory -Force $workDir
}

AfterAll {
    Remove-Item -Recurse -Force $workDir -ErrorAction SilentlyContinue
}

Describe 'Get-TssrSubnet describes networks' {
    It 'gives the facts of an IPv4 LAN' {
        $s = Get-TssrSubnet 192.168.1.0/24
        # Engine types load in the module's own context: check them by name, as a script would.
        $s.GetType().FullName | Should -Be 'Tssr.Tools.Engine.Network.Subnet.SubnetInfo'
        $s.Prefix | Should -Be '192.168.1.0/24'
        $s.Mask | Should -Be '255.255.255.0'
        $s.WildcardMask | Should -Be '0.0.0.255'
        $s.Broadcast | Should -Be '192.168.1.255'
        $s.FirstHost | Should -Be '192.168.1.1'
        $s.LastHost | Should -Be '192.168.1.254'
        $s.HostCount | Should -Be 254
        "$($s.AddressFamily)" | Should -Be 'IPv4'
        "$($s.Category)" | Should -Be 'Private'
    }

    It 'reads a dotted mask written with a space, a slash or as a second argument' {
        $all = Get-TssrSubnet '172.16.0.0 255.255.240.0', 172.16.0.0/255.255.240.0
        $all.Prefix | Should -Be @('172.16.0.0/20', '172.16.0.0/20')
        (Get-TssrSubnet 172.16.0.0 255.255.240.0).Prefix | Should -Be '172.16.0.0/20'
        (Get-TssrSubnet 172.16.0.0 -Mask /20).Prefix | Should -Be '172.16.0.0/20'
    }

    It 'counts IPv6 hosts without overflow' {
        $s = Get-TssrSubnet ::/0
        $s.HostCount | Should -BeOfType ([System.Numerics.BigInteger])
        $s.HostCount | Should -Be ([System.Numerics.BigInteger]::Pow(2, 128))
        (Get-TssrSubnet 2001:db8::/64).HostCount -gt [long]::MaxValue | Should -BeTrue
        $s.Broadcast | Should -BeNullOrEmpty
    }

    It 'explains /31, /32, /127 and /128' {
        $p2p, $host32, $p2p6, $host128 = Get-TssrSubnet 10.0.0.0/31, 10.0.0.9/32, 2001:db8::/127, 2001:db8::9/128
        $p2p.HostCount | Should -Be 2
        $p2p.Broadcast | Should -BeNullOrEmpty
        $p2p.Note | Should -Match 'RFC 3021'
        $host32.FirstHost | Should -Be '10.0.0.9'
        $host32.LastHost | Should -Be '10.0.0.9'
        $p2p6.Note | Should -Match 'RFC 6164'
        $host128.HostCount | Should -Be 1
    }

    It 'classifies special ranges' -ForEach @(
        @{ Net = '100.64.1.0/24'; Category = 'SharedAddressSpace' }
        @{ Net = '198.18.0.0/15'; Category = 'Benchmarking' }
        @{ Net = '192.0.2.0/24'; Category = 'Documentation' }
        @{ Net = '169.254.0.0/16'; Category = 'LinkLocal' }
        @{ Net = '127.0.0.1'; Category = 'Loopback' }
        @{ Net = 'fd00:1::/64'; Category = 'UniqueLocal' }
        @{ Net = '2001:db8::/32'; Category = 'Documentation' }
        @{ Net = '9.9.9.0/24'; Category = 'Public' }
        @{ Net = '0.0.0.0/0'; Category = 'Mixed' }
    ) {
        "$((Get-TssrSubnet $Net).Category)" | Should -Be $Category
    }

    It 'shows a table by default' {
        $text = Get-TssrSubnet 192.168.1.0/24 | Out-String -Width 200
        $text | Should -Match 'Prefix\s+Mask\s+Hosts\s+FirstHost\s+LastHost\s+Broadcast\s+Category'
        $text | Should -Match '192\.168\.1\.0/24\s+255\.255\.255\.0\s+254\s+192\.168\.1\.1\s+192\.168\.1\.254\s+192\.168\.1\.255\s+Private'
    }

    # At 80 columns the seven IPv4 columns do not all fit 15-character addresses: the host count comes
    # third so that prefix, mask, count and host range stay whole; broadcast and category come last.
    It 'shows prefix, mask, host count and host range whole in 80 columns' {
        $lines = (Get-TssrSubnet 192.168.100.0/24, 10.0.0.0/8 | Out-String -Width 80) -split '\r?\n'
        ($lines -match '^192\.168\.100\.0/24\s+255\.255\.255\.0\s+254\s+192\.168\.100\.1\s+192\.168\.100\.254\s').Count | Should -Be 1
        ($lines -match '^10\.0\.0\.0/8\s+255\.0\.0\.0\s+16777214\s').Count | Should -Be 1
    }

    It 'gives IPv6 its own view in 80 columns: no mask or broadcast, a power of two for huge counts' {
        $lines = (Get-TssrSubnet 2001:db8::/48 | Out-String -Width 80) -split '\r?\n'
        ($lines -match '^2001:db8::/48\s+2001:db8::\s+2001:db8:0:ffff:ffff:ffff:ffff:ffff\s+2\^80(\s|$)').Count | Should -Be 1
        (Get-TssrSubnet 2001:db8::/48).HostCount.ToString() | Should -Be '1208925819614629174706176'
    }
}

Describe 'Get-TssrSubnet on bad input' {
    It 'writes one non-terminating error per bad item, naming it, and goes on' {
        $out = '10.0.0.0/8', 'garbage', '1.2.3.4/33', '10.0.0.0/255.0.255.0', '192.168.0.0/16' |
            Get-TssrSubnet -ErrorVariable errs -ErrorAction SilentlyContinue
        $out.Prefix | Should -Be @('10.0.0.0/8', '192.168.0.0/16')
        $errs.Count | Should -Be 3
        $errs[0].FullyQualifiedErrorId | Should -Be 'SubnetAddressInvalid,Tssr.Tools.GetTssrSubnetCommand'
        $errs[0].TargetObject | Should -Be 'garbage'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].ErrorDetails.Message | Should -Match "'garbage'"
        $errs[0].ErrorDetails.RecommendedAction | Should -Match '192\.168\.1\.0/24'
        $errs[1].FullyQualifiedErrorId | Should -BeLike 'SubnetPrefixLengthOutOfRange,*'
        $errs[1].ErrorDetails.Message | Should -Match '33'
        $errs[2].FullyQualifiedErrorId | Should -BeLike 'SubnetMaskNotContiguous,*'
    }

    It 'stops on a bad item under -ErrorAction Stop' {
        { Get-TssrSubnet 10.0.0.0/33 -ErrorAction Stop } | Should -Throw -ErrorId 'SubnetPrefixLengthOutOfRange*'
    }

    It 'warns when host bits are set and uses the network' {
        $s = Get-TssrSubnet 10.0.0.5/8 -WarningVariable w -WarningAction SilentlyContinue
        $s.Prefix | Should -Be '10.0.0.0/8'
        $s.Input | Should -Be '10.0.0.5/8'
        "$w" | Should -Match '10\.0\.0\.5/8'
        "$w" | Should -Match '10\.0\.0\.0/8'
    }

    It 'stops on a bad network typed on the command line, before any result' {
        $out = @()
        { $script:out = Get-TssrSubnet 10.0.0.0/24, 10.0.0.0/33 -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'SubnetPrefixLengthOutOfRange*'
        $out.Count | Should -Be 0
    }

    It 'names the accepted columns for a piped row that has none of them' {
        $r = [pscustomobject]@{ Name = 'a'; Foo = 'b' }, [pscustomobject]@{ Cidr = '10.0.0.0/30' } | Get-TssrSubnet -ErrorVariable e -ErrorAction SilentlyContinue
        $r.Prefix | Should -Be '10.0.0.0/30'
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'PipelineRecordWithoutKnownProperty,*'
        $e[0].ErrorDetails.Message | Should -Match 'Prefix, CIDR, Network, IPAddress, Subnet'
    }

    It 'speaks French: warning, error and recommended action' {
        $r = Invoke-TssrPwsh -Culture fr-FR -Script {
            $null = Get-TssrSubnet 10.0.0.5/8 -WarningVariable w -WarningAction SilentlyContinue
            $null = '1.2.3.4/33' | Get-TssrSubnet -ErrorVariable e -ErrorAction SilentlyContinue
            $s = Get-TssrSubnet 10.0.0.0/31
            [pscustomobject]@{ Warning = "$w"; Error = $e[0].ErrorDetails.Message; Action = $e[0].ErrorDetails.RecommendedAction; Id = $e[0].FullyQualifiedErrorId; Note = $s.Note }
        }
        $r.Warning | Should -Match "bits d'hôte"
        $r.Error | Should -Match 'hors limites'
        $r.Action | Should -Match 'Écrivez le réseau'
        $r.Id | Should -BeLike 'SubnetPrefixLengthOutOfRange,*'
        $r.Note | Should -Match 'point à point'
    }

    It 'speaks English in an English session' {
        $r = Invoke-TssrPwsh -Culture en-US -Script {
            $null = Get-TssrSubnet 10.0.0.5/8 -WarningVariable w -WarningAction SilentlyContinue
            "$w"
        }
        $r | Should -Match 'host bits set'
    }
}

Describe 'Get-TssrSubnet in the pipeline' {
    It 'binds by property name: Prefix, CIDR, Network, IPAddress with Mask or PrefixLength' {
        $rows = @(
            [pscustomobject]@{ CIDR = '10.1.0.0/16' }
            [pscustomobject]@{ Network = '10.2.0.0'; Mask = '255.255.0.0' }
            [pscustomobject]@{ IPAddress = '10.3.0.0'; PrefixLength = [byte]16 }
            [pscustomobject]@{ Prefix = '10.4.0.0/16' }
            [pscustomobject]@{ Network = '10.5.0.0'; SubnetMask = '255.255.0.0' }
        )
        ($rows | Get-TssrSubnet).Prefix | Should -Be @('10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16', '10.5.0.0/16')
    }

    It 'round-trips through CSV: Export-Csv, then Import-Csv | Get-TssrSubnet' {
        $csv = Join-Path $workDir 'subnets.csv'
        $original = Get-TssrSubnet 192.168.1.0/24, 2001:db8::/48, 10.0.0.0/31
        $original | Export-Csv -LiteralPath $csv -NoTypeInformation
        $back = Import-Csv -LiteralPath $csv | Get-TssrSubnet -WarningVariable w -ErrorVariable e
        $back.Prefix | Should -Be $original.Prefix
        $back.HostCount | Should -Be $original.HostCount
        $w | Should -BeNullOrEmpty
        $e | Should -BeNullOrEmpty
    }

    It 'reads a hand-written CSV plan with a bad row, reporting the row and going on' {
        $csv = Join-Path $workDir 'plan.csv'
        Set-Content -LiteralPath $csv -Value @(
            'Site,Network,Mask'
            'Paris,10.10.0.0,255.255.0.0'
            'Lyon,10.20.0.0,255.255.0.0'
            'Typo,10.30.0.0,255.0.255.0'
            'Lille,10.10.128.0,255.255.128.0'
        )
        $out = Import-Csv -LiteralPath $csv | Get-TssrSubnet -ErrorVariable e -ErrorAction SilentlyContinue
        $out.Prefix | Should -Be @('10.10.0.0/16', '10.20.0.0/16', '10.10.128.0/17')
        $e.Count | Should -Be 1
        $e[0].TargetObject | Should -Be '10.30.0.0 255.0.255.0'

        $overlaps = @(Import-Csv -LiteralPath $csv | Get-TssrSubnet -FindOverlap -ErrorAction SilentlyContinue)
        $overlaps.Count | Should -Be 1
        $overlaps[0].Position | Should -Be 1
        $overlaps[0].OtherPosition | Should -Be 4
        "$($overlaps[0].Relation)" | Should -Be 'Contains'
    }

    It 'exports counts as plain numbers' {
        $json = Get-TssrSubnet 2001:db8::/64 | ConvertTo-Json | ConvertFrom-Json
        "$($json.HostCount)" | Should -Be '18446744073709551616'
    }
}

Describe 'Get-TssrSubnet -Split' {
    It 'splits a /24 into four /26 (also written /26)' {
        $parts = Get-TssrSubnet 192.168.1.0/24 -Split /26
        $parts.Prefix | Should -Be @('192.168.1.0/26', '192.168.1.64/26', '192.168.1.128/26', '192.168.1.192/26')
        $parts.Parent | Select-Object -Unique | Should -Be '192.168.1.0/24'
    }

    It 'streams: the first three of 4,194,304 subnets come back at once' {
        $elapsed = Measure-Command { $script:first = Get-TssrSubnet 10.0.0.0/8 -Split 30 | Select-Object -First 3 }
        $first.Prefix | Should -Be @('10.0.0.0/30', '10.0.0.4/30', '10.0.0.8/30')
        # The whole split takes minutes; stopping after three proves nothing was materialised first.
        $elapsed.TotalSeconds | Should -BeLessThan 10
    }

    It 'stops at once when the pipeline is stopped (Ctrl+C)' {
        $ps = [powershell]::Create()
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        try {
            # 16,777,216 subnets; the 1,000th is written out so the test knows the split is under way.
            $null = $ps.AddScript("Import-Module '$(Get-TssrModulePath)'; `$i = 0; Get-TssrSubnet 10.0.0.0/8 -Split 32 | ForEach-Object { if (++`$i -eq 1000) { `$_.Prefix } }")
            $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($output.Count -eq 0 -and -not $async.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $output[0] | Should -Be '10.0.3.231/32'
            $async.IsCompleted | Should -BeFalse
            $elapsed = Measure-Command { $ps.Stop() }
            $elapsed.TotalSeconds | Should -BeLessThan 5
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose(); $output.Dispose() }
    }

    It 'refuses an absurd count with a clear error, and -Force lifts the limit' {
        $out = Get-TssrSubnet 2001:db8::/32 -Split 64 -ErrorVariable e -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike 'SubnetSplitTooLarge,*'
        $e[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $e[0].ErrorDetails.Message | Should -Match '4.294.967.296|4,294,967,296|4 294 967 296'
        $e[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        (Get-TssrSubnet 2001:db8::/32 -Split 64 -Force | Select-Object -First 2).Prefix | Should -Be @('2001:db8::/64', '2001:db8:0:1::/64')
    }

    It 'refuses a prefix shorter than the network or too long for the family' {
        $null = Get-TssrSubnet 10.0.0.0/24 -Split 16 -ErrorVariable e1 -ErrorAction SilentlyContinue
        $e1[0].FullyQualifiedErrorId | Should -BeLike 'SubnetSplitPrefixTooShort,*'
        $null = Get-TssrSubnet 10.0.0.0/24 -Split 40 -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e2[0].FullyQualifiedErrorId | Should -BeLike 'SubnetSplitPrefixOutOfRange,*'
        { Get-TssrSubnet 10.0.0.0/24 -Split 129 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}

Describe 'Get-TssrSubnet -HostCount (VLSM)' {
    It 'allocates largest first and says which need each subnet serves' {
        $plan = Get-TssrSubnet 192.168.1.0/24 -HostCount 20, 100, 2, 50
        $plan.Prefix | Should -Be @('192.168.1.0/25', '192.168.1.128/26', '192.168.1.192/27', '192.168.1.224/30')
        $plan.RequiredHosts | Should -Be @(100, 50, 20, 2)
        $plan.RequirementNumber | Should -Be @(2, 4, 1, 3)
        $plan[0].PSObject.TypeNames[0] | Should -Be 'Tssr.Tools.Engine.Network.Subnet.SubnetInfo#Plan'
        ($plan | Out-String -Width 200) | Should -Match 'RequiredHosts'
    }

    It 'errors clearly when the needs do not fit' {
        $out = Get-TssrSubnet 192.168.1.0/25 -HostCount 100, 50, 20, 2 -ErrorVariable e -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike 'SubnetPlanDoesNotFit,*'
        $e[0].TargetObject | Should -Be '192.168.1.0/25'
        $e[0].ErrorDetails.RecommendedAction | Should -Match '/24'
    }

    It 'refuses a host count of zero before any work' {
        { Get-TssrSubnet 192.168.1.0/24 -HostCount 10, 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}

Describe 'Get-TssrSubnet -Contains, -FindOverlap, -Summarize' {
    It 'answers containment per network and target' {
        $r = Get-TssrSubnet 10.0.0.0/8, 192.168.0.0/16 -Contains 10.1.2.3, 192.168.1.0/24
        ($r | ForEach-Object { "$($_.Prefix) $($_.Target) $($_.Contains)" }) | Should -Be @(
            '10.0.0.0/8 10.1.2.3 True', '10.0.0.0/8 192.168.1.0/24 False',
            '192.168.0.0/16 10.1.2.3 False', '192.168.0.0/16 192.168.1.0/24 True')
    }

    It 'answers with a bare boolean under -Quiet' {
        Get-TssrSubnet 10.0.0.0/8 -Contains 10.1.2.3 -Quiet | Should -BeTrue
        Get-TssrSubnet 10.0.0.0/8 -Contains 11.0.0.1 -Quiet | Should -BeFalse
        Get-TssrSubnet 10.0.0.0/8 -Contains 2001:db8::1 -Quiet | Should -BeFalse
    }

    It 'stops before any work on a malformed target' {
        { Get-TssrSubnet 10.0.0.0/8 -Contains 10.0.0.300 } | Should -Throw -ErrorId 'SubnetContainsTargetInvalid*'
    }

    It 'reports every overlapping pair once' {
        $pairs = Get-TssrSubnet 10.0.0.0/8, 10.1.0.0/16, 192.168.0.0/24, 10.1.0.0/16 -FindOverlap
        ($pairs | ForEach-Object { "$($_.Position) $($_.Relation) $($_.OtherPosition)" }) | Sort-Object | Should -Be @('1 Contains 2', '1 Contains 4', '2 Identical 4')
    }

    It 'summarises into the fewest networks' {
        (Get-TssrSubnet 10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/23, 10.0.4.0/24 -Summarize).Prefix | Should -Be @('10.0.0.0/22', '10.0.4.0/24')
    }

    It 'gives back the original after split then summarise' {
        (Get-TssrSubnet 172.16.0.0/12 -Split 20 | Get-TssrSubnet -Summarize).Prefix | Should -Be '172.16.0.0/12'
    }
}
