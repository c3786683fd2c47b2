# The SNMP cmdlets against net-snmp's snmpd (tests/lab/components/Snmp.ps1), with net-snmp's own
# client tools (snmpbulkwalk, snmpget) as the oracle on the same agent.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
    Import-TssrTestModule
    $script:ready = Test-LabPrerequisite -Command snmpd, snmpbulkwalk, snmpget, python3, ip
    if ($script:ready) {
        $script:lab = (Start-TssrLab -Component Snmp).Snmp
        $script:agent = $lab.Endpoint
        foreach ($k in $lab.ToolEnvironment.Keys) { [Environment]::SetEnvironmentVariable($k, $lab.ToolEnvironment[$k]) }
    }

    function Get-LabUser([string] $Name) { $lab.Users | Where-Object Name -eq $Name }

    function ConvertTo-Secure([string] $Text) { ConvertTo-SecureString $Text -AsPlainText -Force }

    function Get-V3Parameter {
        # Splat for the cmdlets from a lab user; -WrongAuth/-WrongPriv replace a pass phrase.
        param($User, [string] $AuthPassphrase, [string] $PrivacyPassphrase, [string] $PrivacyProtocol)
        $auth = if ($PSBoundParameters.ContainsKey('AuthPassphrase')) { $AuthPassphrase } else { $User.AuthPassphrase }
        $p = @{ Credential = [pscredential]::new($User.Name, $(if ($auth) { ConvertTo-Secure $auth } else { [securestring]::new() })) }
        if ($User.AuthProtocol -ne 'None') { $p.AuthProtocol = $User.AuthProtocol }
        $privProtocol = if ($PrivacyProtocol) { $PrivacyProtocol } else { $User.PrivacyProtocol }
        $priv = if ($PSBoundParameters.ContainsKey('PrivacyPassphrase')) { $PrivacyPassphrase } else { $User.PrivacyPassphrase }
        if ($privProtocol -ne 'None') { $p.PrivacyProtocol = $privProtocol; $p.PrivacyPassphrase = ConvertTo-Secure $priv }
        $p
    }

    function Get-NetSnmpArgument($User) {
        $a = @('-v3', '-u', $User.Name, '-l', $User.Level)
        if ($User.NetSnmpAuth) { $a += @('-a', $User.NetSnmpAuth, '-A', $User.AuthPassphrase) }
        if ($User.NetSnmpPriv) { $a += @('-x', $User.NetSnmpPriv, '-X', $User.PrivacyPassphrase) }
        $a
    }

    function Read-NetSnmpWalk {
        # snmpbulkwalk -On -Oe output as OID -> @{ Type; Bytes or Text }: a value may run over several
        # lines (long Hex-STRING, strings with line ends), so lines not starting with '.' continue the last.
        param([string[]] $Lines)
        $map = [ordered]@{}
        $last = $null
        foreach ($line in $Lines) {
            # The endOfMibView varbind that ends a walk repeats the last OID: it is no value.
            if ($line -match '^\.[\d.]+ = No more variables left in this MIB View') { $last = $null; continue }
            if ($line -match '^\.(\d[\d.]*) = (.*)$') {
                $last = $Matches[1]
                $map[$last] = $Matches[2]
            }
            elseif ($null -ne $last) { $map[$last] += "`n" + $line }
        }
        $result = [ordered]@{}
        foreach ($oid in $map.Keys) { $result[$oid] = ConvertFrom-NetSnmpValue $map[$oid] }
        $result
    }

    function ConvertFrom-NetSnmpValue([string] $Text) {
        switch -Regex ($Text) {
            # (?s): strings and long Hex-STRINGs run over several lines.
            '^""$' { return @{ Type = 'OctetString'; Value = '' } }
            '(?s)^STRING: "(.*)"$' { return @{ Type = 'OctetString'; Value = [Convert]::ToHexString([Text.Encoding]::UTF8.GetBytes(($Matches[1] -replace '\\"', '"' -replace '\\\\', '\'))) } }
            '(?s)^Hex-STRING: (.*)$' { return @{ Type = 'OctetString'; Value = ($Matches[1] -replace '\s', '') } }
            '^INTEGER: (-?\d+)$' { return @{ Type = 'Integer'; Value = $Matches[1] } }
            '^OID: \.(.*)$' { return @{ Type = 'ObjectIdentifier'; Value = $Matches[1] } }
            '^Timeticks: \((\d+)\)' { return @{ Type = 'TimeTicks'; Value = $Matches[1] } }
            '^(Counter32|Gauge32|Counter64): (\d+)$' { return @{ Type = $Matches[1]; Value = $Matches[2] } }
            '^IpAddress: (.*)$' { return @{ Type = 'IpAddress'; Value = $Matches[1] } }
            '^Opaque: Float: (.*)$' { return @{ Type = 'Opaque'; Value = 'float:' + $Matches[1] } }
            '(?s)^Opaque: (.*)$' { return @{ Type = 'Opaque'; Value = ($Matches[1] -replace '\s', '') } }
            default { return @{ Type = "unparsed: $Text"; Value = $null } }
        }
    }

    function ConvertTo-Comparable($Result) {
        # Our result in the oracle's terms: bytes for strings, net-snmp's %f for Opaque floats (9F 78 04 …).
        switch ("$($Result.Type)") {
            'OctetString' { return ($Result.HexValue -replace '\s', '') }
            'Opaque' {
                # The module's own decoding of net-snmp's Opaque-wrapped floats, printed as net-snmp does (%f).
                if ($null -ne $Result.Float) { return 'float:' + $Result.Float.ToString('F6', [Globalization.CultureInfo]::InvariantCulture) }
                return ($Result.HexValue -replace '\s', '')
            }
            default { return $Result.Value }
        }
    }

    function Assert-WalkMatchesNetSnmp {
        # Ours (B) between two net-snmp walks (A before, C after): every OID present in both A and C is
        # in B with the same type, and with the same value when A and C agree on it (values that moved
        # between A and C — uptimes, counters — are compared by type only). B's extra OIDs must lie in
        # subtrees that change by themselves (processes, sockets, ARP) and B must be strictly increasing.
        param([object[]] $Ours, [System.Collections.Specialized.OrderedDictionary] $Before, [System.Collections.Specialized.OrderedDictionary] $After)
        $volatile = '^1\.3\.6\.1\.4\.1\.8072\.1\.5\.|^1\.3\.6\.1\.2\.1\.(25\.1\.|25\.3\.3|25\.4|25\.5|6\.|7\.|4\.35|4\.22|4\.31\.3|25\.3\.8|25\.2\.3|2\.2\.1\.(1[0-9]|2[0-1])|31\.1\.1\.1\.([2-9]|1[0-3]))|^1\.3\.6\.1\.4\.1\.2021\.(4|10|11|13|2)\.|^1\.3\.6\.1\.2\.1\.(88|92)\.'
        # Rows that appear by themselves: interfaces and their addresses and routes (other tests on this
        # machine create and delete veths), processes, sockets.
        $appearing = '^1\.3\.6\.1\.2\.1\.(2\.2\.|31\.1\.1\.|4\.(20|21|22|24|31|32|34|35|36|37)\.|55\.|10\.)'
        $byOid = @{}
        foreach ($r in $Ours) { $byOid[$r.Oid] = $r }
        $byOid.Count | Should -Be $Ours.Count -Because 'a walk gives each OID once'
        # Order: the OIDs both tools saw come in the agent's order, as net-snmp printed them.
        $oursInOrder = @($Ours.Oid | Where-Object { $Before.Contains($_) -and $After.Contains($_) })
        $theirsInOrder = @($Before.Keys | Where-Object { $After.Contains($_) -and $byOid.ContainsKey($_) })
        ($oursInOrder -join ' ') | Should -Be ($theirsInOrder -join ' ')
        $checkedValues = 0
        $problems = [System.Collections.Generic.List[string]]::new()
        foreach ($oid in $Before.Keys) {
            if (-not $After.Contains($oid)) { continue }
            $ours = $byOid[$oid]
            if (-not $ours) { $problems.Add("$oid missing (net-snmp: $($Before[$oid].Type) $($Before[$oid].Value))"); continue }
            if ("$($ours.Type)" -ne $Before[$oid].Type) { $problems.Add("$oid type $($ours.Type), net-snmp $($Before[$oid].Type)"); continue }
            if ($Before[$oid].Value -eq $After[$oid].Value -and $oid -notmatch $volatile) {
                $mine = ConvertTo-Comparable $ours
                if ($mine -ne $Before[$oid].Value) { $problems.Add("$oid value '$mine', net-snmp '$($Before[$oid].Value)'") }
                else { $checkedValues++ }
            }
        }
        foreach ($oid in $byOid.Keys) {
            if (-not $Before.Contains($oid) -and -not $After.Contains($oid) -and $oid -notmatch $volatile -and $oid -notmatch $appearing) { $problems.Add("$oid only in ours") }
        }
        ($problems | Select-Object -First 20) -join "`n" | Should -BeNullOrEmpty
        $checkedValues | Should -BeGreaterThan 1000
        $checkedValues
    }
}

Describe 'SNMP walks compared with snmpbulkwalk (net-snmp snmpd lab)' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'walks the whole tree in v2c with the same OIDs, types and values as snmpbulkwalk -Cr50' {
        $before = Read-NetSnmpWalk @(& snmpbulkwalk -On -Oe -v2c -c public -Cr50 $agent .1.3)
        $ours = @(Invoke-TssrSnmpWalk $agent -Oid 1.3 -Community public)
        $after = Read-NetSnmpWalk @(& snmpbulkwalk -On -Oe -v2c -c public -Cr50 $agent .1.3)
        $ours.Count | Should -BeGreaterThan 5000
        $ours[0].GetType().Name | Should -Be 'SnmpValueResult'
        @($before.Values | Where-Object { $_.Type -like 'unparsed*' }).Count | Should -Be 0
        $null = Assert-WalkMatchesNetSnmp -Ours $ours -Before $before -After $after
    }

    It 'walks the whole tree in v3 authPriv (SHA-256/AES) the same way' {
        $user = Get-LabUser tssrsha256aes
        $netsnmp = Get-NetSnmpArgument $user
        $before = Read-NetSnmpWalk @(& snmpbulkwalk -On -Oe @netsnmp -Cr50 $agent .1.3)
        $p = Get-V3Parameter $user
        $ours = @(Invoke-TssrSnmpWalk $agent -Oid 1.3 @p)
        $after = Read-NetSnmpWalk @(& snmpbulkwalk -On -Oe @netsnmp -Cr50 $agent .1.3)
        ($ours | Select-Object -First 1).Version | Should -Be '3'
        $null = Assert-WalkMatchesNetSnmp -Ours $ours -Before $before -After $after
    }

    It 'walks with GETNEXT in v1 and gives the same system group' {
        $v1 = @(Invoke-TssrSnmpWalk $agent system -Version 1)
        $v2 = @(Invoke-TssrSnmpWalk $agent system)
        $v1.Oid | Should -Be $v2.Oid
        ($v1 | Where-Object Name -eq 'sysName.0').Value | Should -Be $lab.SysName
    }

    It 'decodes the Opaque-wrapped floats of UCD-SNMP (laLoadFloat) as snmpbulkwalk prints them' {
        # The load averages move: compare a walk of ours with net-snmp's taken just before, up to three times.
        for ($try = 0; $try -lt 3; $try++) {
            $theirs = Read-NetSnmpWalk @(& snmpbulkwalk -On -Oe -v2c -c public -Cr50 $agent .1.3.6.1.4.1.2021.10.1.6)
            $ours = @(Invoke-TssrSnmpWalk $agent -Oid 1.3.6.1.4.1.2021.10.1.6)
            $same = ($ours | ForEach-Object { "$($_.Oid)=$(ConvertTo-Comparable $_)" }) -join ' '
            $expected = ($theirs.Keys | ForEach-Object { "$_=$($theirs[$_].Value)" }) -join ' '
            if ($same -eq $expected) { break }
            Start-Sleep -Milliseconds 300
        }
        $ours.Count | Should -Be 3
        $theirs.Count | Should -Be 3
        $same | Should -Be $expected
        foreach ($r in $ours) {
            $r.Type | Should -Be 'Opaque'
            $r.Float | Should -BeOfType [double]
            $r.Float | Should -BeGreaterOrEqual 0
            $r.HexValue | Should -BeLike '9F 78 04 *'
            # Value is the shortest text that reads back to the same float.
            [float]::Parse($r.Value, [Globalization.CultureInfo]::InvariantCulture) | Should -Be ([float]$r.Float)
        }
    }

    It 'streams a walk: the first value arrives before the walk ends' {
        $first = Invoke-TssrSnmpWalk $agent -Oid 1.3 | Select-Object -First 1
        $first.Oid | Should -Be '1.3.6.1.2.1.1.1.0'
    }
}

Describe 'Get-TssrSnmpValue and Set-TssrSnmpValue (net-snmp snmpd lab)' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'reads known names and numbers as snmpget does' {
        $r = @(Get-TssrSnmpValue $agent sysDescr.0, sysObjectID.0, sysName.0, .1.3.6.1.2.1.1.6.0, ifDescr.1)
        $r.Count | Should -Be 5
        $r.Name | Should -Be @('sysDescr.0', 'sysObjectID.0', 'sysName.0', 'sysLocation.0', 'ifDescr.1')
        $r[0].Value | Should -Be ((& snmpget -Oqv -v2c -c public $agent .1.3.6.1.2.1.1.1.0) -replace '^"|"$', '')
        $r[1].Type | Should -Be 'ObjectIdentifier'
        $r[1].Value | Should -Be ((& snmpget -Oqvn -v2c -c public $agent .1.3.6.1.2.1.1.2.0).TrimStart('.'))
        $r[3].Value | Should -Be $lab.Location
        $r | ForEach-Object { $_.Status | Should -Be 'Ok' }
    }

    It 'keeps noSuchObject, noSuchInstance and endOfMibView apart, and v1 noSuchName on its own' {
        $r = @(Get-TssrSnmpValue $agent sysDescr.1, 1.3.6.1.2.1.1.99.0)
        $r[0].Status | Should -Be 'NoSuchInstance'
        $r[1].Status | Should -Be 'NoSuchObject'
        (Get-TssrSnmpValue $agent 1.3.6.1.6.3.99 -Next).Status | Should -Be 'EndOfMibView'
        $v1 = @(Get-TssrSnmpValue $agent sysName.0, sysDescr.1 -Version 1)
        $v1[0].Value | Should -Be $lab.SysName
        $v1[1].Status | Should -Be 'NoSuchName'
    }

    It 'takes agents from the pipeline and reports a bad one without stopping the others' {
        $r = @('127.0.0.1:99999', $agent, [pscustomobject]@{ ComputerName = $agent }) | Get-TssrSnmpValue -Oid sysName.0 -ErrorVariable bad -ErrorAction SilentlyContinue
        $r.Count | Should -Be 2
        $bad.Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'SnmpInvalidTarget*'
    }

    It 'stops before any packet on an unknown OID name typed on the command line' {
        { Get-TssrSnmpValue $agent noSuchThing.0 -ErrorAction Stop } | Should -Throw -ErrorId 'SnmpOidUnknown*'
    }

    It 'says a wrong community is the likely cause of silence, and never shows the community' {
        $secret = 'Wr0ngCommunity7788'
        $out = Get-TssrSnmpValue $agent sysName.0 -Community (ConvertTo-Secure $secret) -TimeoutSec 0.3 -Retry 1 -Verbose -ErrorVariable e -ErrorAction SilentlyContinue 4>&1 3>&1
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'SnmpTimeout*'
        $e[0].Exception.Message | Should -BeLike '*community*'
        $e[0].TargetObject | Should -Be $agent
        (($out | Out-String) + ($e | Out-String)) | Should -Not -BeLike "*$secret*"
    }

    It 'writes sysContact.0 with SET, and -WhatIf writes nothing' {
        $value = "ops-$(Get-Random)@example.org"
        $r = Set-TssrSnmpValue $agent sysContact.0 $value -Community private -PassThru
        $r.Value | Should -Be $value
        (Get-TssrSnmpValue $agent sysContact.0).Value | Should -Be $value
        Set-TssrSnmpValue $agent sysContact.0 'not this' -Community private -WhatIf
        (Get-TssrSnmpValue $agent sysContact.0).Value | Should -Be $value
        ((& snmpget -Oqv -v2c -c public $agent .1.3.6.1.2.1.1.4.0) -replace '^"|"$', '') | Should -Be $value
    }

    It 'reports an object the agent will not write as SnmpNotWritable, naming it' {
        Set-TssrSnmpValue $agent sysLocation.0 'elsewhere' -Community private -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'SnmpNotWritable*'
        $e[0].Exception.Message | Should -BeLike '*sysLocation.0*'
        { Set-TssrSnmpValue $agent sysContact.0 'x' -Community public -ErrorAction Stop } | Should -Throw -ErrorId 'SnmpNoAccess*'
    }

    It 'refuses a value that does not fit its type before sending' {
        { Set-TssrSnmpValue $agent sysContact.0 'abc' -Type Integer -Community private -ErrorAction Stop } | Should -Throw -ErrorId 'SnmpValueInvalid*'
    }

    It 'writes with SNMPv3 (SHA-256/AES read-write user)' {
        $p = Get-V3Parameter (Get-LabUser tssrrw)
        $value = "v3-$(Get-Random)"
        Set-TssrSnmpValue $agent sysContact.0 $value @p
        (Get-TssrSnmpValue $agent sysContact.0 @p).Value | Should -Be $value
    }
}

Describe 'SNMPv3 USM against snmpd: every authentication and privacy pair' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'reads sysName.0 as <_> as snmpget does' -ForEach @(
        'tssrnoauth'
        'tssrmd5nopriv'; 'tssrmd5des'; 'tssrmd5aes'; 'tssrmd5aes192'; 'tssrmd5aes256'
        'tssrshanopriv'; 'tssrshades'; 'tssrshaaes'; 'tssrshaaes192'; 'tssrshaaes256'
        'tssrsha224nopriv'; 'tssrsha224des'; 'tssrsha224aes'; 'tssrsha224aes192'; 'tssrsha224aes256'
        'tssrsha256nopriv'; 'tssrsha256des'; 'tssrsha256aes'; 'tssrsha256aes192'; 'tssrsha256aes256'
        'tssrsha384nopriv'; 'tssrsha384des'; 'tssrsha384aes'; 'tssrsha384aes192'; 'tssrsha384aes256'
        'tssrsha512nopriv'; 'tssrsha512des'; 'tssrsha512aes'; 'tssrsha512aes192'; 'tssrsha512aes256'
    ) {
        $user = Get-LabUser $_
        $user | Should -Not -BeNullOrEmpty
        $p = Get-V3Parameter $user
        $r = Get-TssrSnmpValue $agent sysName.0, sysUpTime.0 @p
        $r[0].Value | Should -Be $lab.SysName
        $r[0].Version | Should -Be '3'
        $netsnmp = Get-NetSnmpArgument $user
        ((& snmpget -Oqv @netsnmp $agent .1.3.6.1.2.1.1.5.0) -replace '^"|"$', '') | Should -Be $r[0].Value
    }

    It 'says wrongDigest for a wrong pass phrase and for a wrong protocol' {
        $user = Get-LabUser tssrsha256aes
        $p = Get-V3Parameter $user -AuthPassphrase 'not-the-pass-phrase'
        { Get-TssrSnmpValue $agent sysName.0 @p -ErrorAction Stop } | Should -Throw -ErrorId 'SnmpWrongDigest*'
        $p = Get-V3Parameter $user
        $p.AuthProtocol = 'SHA512'
        { Get-TssrSnmpValue $agent sysName.0 @p -ErrorAction Stop } | Should -Throw -ErrorId 'SnmpWrongDigest*'
    }

    It 'says unknownUserName for a user the agent lacks' {
        $p = Get-V3Parameter @{ Name = 'nosuchuser'; AuthProtocol = 'SHA256'; AuthPassphrase = 'whatever-123'; PrivacyProtocol = 'None' }
        { Get-TssrSnmpValue $agent sysName.0 @p -ErrorAction Stop } | Should -Throw -ErrorId 'SnmpUnknownUserName*'
    }

    It 'says unsupportedSecLevel when asking authPriv of an authNoPriv user' {
        $p = Get-V3Parameter (Get-LabUser tssrsha256nopriv) -PrivacyProtocol AES -PrivacyPassphrase 'some-priv-pass'
        { Get-TssrSnmpValue $agent sysName.0 @p -ErrorAction Stop } | Should -Throw -ErrorId 'SnmpUnsupportedSecurityLevel*'
    }

    It 'says authorizationError when asking below the level the access rule requires' {
        $user = Get-LabUser tssrsha256aes
        $p = @{ Credential = [pscredential]::new($user.Name, (ConvertTo-Secure $user.AuthPassphrase)); AuthProtocol = 'SHA256' }
        { Get-TssrSnmpValue $agent sysName.0 @p -ErrorAction Stop } | Should -Throw -ErrorId 'SnmpAuthorizationError*'
    }

    It 'names the privacy pass phrase when an authPriv request meets silence (net-snmp drops what it cannot decrypt)' {
        $p = Get-V3Parameter (Get-LabUser tssrsha256aes) -PrivacyPassphrase 'wrong-privacy-pass'
        Get-TssrSnmpValue $agent sysName.0 @p -TimeoutSec 0.5 -Retry 0 -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'SnmpTimeout*'
        $e[0].Exception.Message | Should -BeLike '*privacy*'
    }

    It 'never writes a pass phrase in output, verbose text or errors' {
        $user = Get-LabUser tssrsha512aes256
        $p = Get-V3Parameter $user
        $wrong = Get-V3Parameter $user -AuthPassphrase 'wrong-pass-phrase-1'
        $good = Get-TssrSnmpValue $agent sysName.0 @p -Verbose *>&1
        $bad = Get-TssrSnmpValue $agent sysName.0 @wrong -Verbose -ErrorAction SilentlyContinue -ErrorVariable failed *>&1
        $all = ((@($good) + @($bad) | ForEach-Object { "$_" }) + @($failed | ForEach-Object { "$_ $($_.ErrorDetails) $($_.Exception.Message) $($_.TargetObject)" })) -join "`n"
        $all | Should -Not -BeLike "*$($user.AuthPassphrase)*"
        $all | Should -Not -BeLike "*$($user.PrivacyPassphrase)*"
        $all | Should -Not -BeLike '*wrong-pass-phrase-1*'
        $all | Should -BeLike '*wrongDigest*'
    }

    It 'stops before any packet on contradictory parameters' {
        { Get-TssrSnmpValue $agent sysName.0 -Version 2c -AuthProtocol SHA256 -ErrorAction Stop } | Should -Throw -ErrorId 'SnmpV3ParameterWithoutV3*'
        $cred = [pscredential]::new('u', (ConvertTo-Secure 'long-enough-pass'))
        { Get-TssrSnmpValue $agent sysName.0 -Credential $cred -ErrorAction Stop } | Should -Throw -ErrorId 'SnmpAuthProtocolMissing*'
        $short = [pscredential]::new('u', (ConvertTo-Secure 'short'))
        { Get-TssrSnmpValue $agent sysName.0 -Credential $short -AuthProtocol SHA -ErrorAction Stop } | Should -Throw -ErrorId 'SnmpInvalidCredential*'
    }

    It 'gives its v3 errors in French under fr-FR' {
        $r = Invoke-TssrPwsh -Culture fr-FR -Script "try { Get-TssrSnmpValue '$agent' sysName.0 -Credential ([pscredential]::new('nosuchuser', (ConvertTo-SecureString 'whatever-123' -AsPlainText -Force))) -AuthProtocol SHA256 -ErrorAction Stop } catch { `$_.Exception.Message }"
        $r | Should -BeLike "*n'a pas d'utilisateur SNMPv3*"
    }
}

Describe 'SNMP help examples run' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'runs the examples of <_> against the lab agent' -ForEach 'Get-TssrSnmpValue', 'Invoke-TssrSnmpWalk', 'Set-TssrSnmpValue', 'Get-TssrNetworkDeviceInventory', 'Find-TssrSnmpDevice' {
        # Examples address 'localhost' (an agent on the default port 161); here the lab's port.
        foreach ($culture in 'en-US', 'fr-FR') {
            $page = Get-Content -Raw (Join-Path $PSScriptRoot "../../docs/$culture/$_.md")
            $blocks = [regex]::Matches($page, '(?s)### (?:Example|Exemple) \d+[^\n]*\n```powershell\n(.*?)```')
            $blocks.Count | Should -BeGreaterOrEqual 2
            foreach ($b in $blocks) {
                $code = $b.Groups[1].Value
                if ($code -match '# (Not run by the tests|Non exécuté par les tests)') { continue }
                $code = $code -replace "'localhost'", "'$agent'" -replace '\blocalhost\b', $agent
                # Examples that write files (./devices.json) write them in the test's own folder.
                Push-Location $TestDrive
                try { { & ([scriptblock]::Create($code)) | Out-Null } | Should -Not -Throw -Because "$culture example: $code" }
                finally { Pop-Location }
            }
        }
    }
}

Describe 'Get-TssrNetworkDeviceInventory (net-snmp snmpd lab, the agent reports on this host)' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'gives the system group and says which MIBs the agent lacks' {
        $i = Get-TssrNetworkDeviceInventory $agent
        $i.GetType().Name | Should -Be 'SnmpDeviceInventory'
        $i.Status | Should -Be 'Complete'
        $i.SystemName | Should -Be $lab.SysName
        $i.Location | Should -Be $lab.Location
        $i.ObjectId | Should -Be ((& snmpget -Oqvn -v2c -c public $agent .1.3.6.1.2.1.1.2.0).TrimStart('.'))
        $i.UptimeSec | Should -BeGreaterThan 0
        # net-snmp on Linux has no ENTITY-MIB or LLDP-MIB tables: reported absent, not errors.
        $i.AbsentMibs | Should -Contain 'ENTITY-MIB'
        $i.AbsentMibs | Should -Contain 'LLDP-MIB'
        $i.Storage.Count | Should -BeGreaterThan 0
        ($i.Storage | Where-Object StorageType -eq 'Ram').SizeBytes | Should -BeGreaterThan 0
        # hrProcessorTable lists the CPUs the kernel has, not the ones this process may use.
        $i.Processors.Count | Should -Be @(Get-Content /proc/cpuinfo | Where-Object { $_ -match '^processor\s*:' }).Count
    }

    It 'lists the interfaces ip -j link shows, with the same index, name, MAC, MTU and state' {
        $before = & ip -j link | ConvertFrom-Json
        $i = Get-TssrNetworkDeviceInventory $agent
        $after = & ip -j link | ConvertFrom-Json
        # Interfaces that existed during the whole inventory (other tests add and remove veths).
        $stable = @($before | Where-Object { $b = $_; $after | Where-Object { $_.ifindex -eq $b.ifindex -and $_.ifname -eq $b.ifname -and $_.operstate -eq $b.operstate } })
        $stable.Count | Should -BeGreaterThan 1
        foreach ($link in $stable) {
            $mine = $i.Interfaces | Where-Object Index -eq $link.ifindex
            $mine | Should -Not -BeNullOrEmpty -Because "ifindex $($link.ifindex) ($($link.ifname))"
            $mine.Name | Should -Be $link.ifname
            $mine.Mtu | Should -Be $link.mtu
            if ($link.link_type -eq 'ether') { $mine.MacAddress | Should -Be $link.address }
            $expected = switch ($link.operstate) { 'UP' { 'up' } 'DOWN' { 'down' } 'UNKNOWN' { 'up', 'unknown' } 'LOWERLAYERDOWN' { 'lowerLayerDown' } 'DORMANT' { 'dormant' } default { $mine.OperStatus } }
            $expected | Should -Contain $mine.OperStatus -Because "$($link.ifname) is $($link.operstate)"
        }
    }

    It 'lists the addresses ip -j addr shows' {
        $i = Get-TssrNetworkDeviceInventory $agent
        $addresses = & ip -j addr | ConvertFrom-Json
        foreach ($a in @($addresses | Where-Object ifname -eq 'lo').addr_info) {
            $mine = $i.Addresses | Where-Object IPAddress -eq $a.local
            $mine | Should -Not -BeNullOrEmpty -Because "$($a.local) is on lo"
            $mine.PrefixLength | Should -Be $a.prefixlen
            $mine.InterfaceIndex | Should -Be 1
        }
    }

    It 'keeps its columns in CSV (text forms of the lists)' {
        $csv = Get-TssrNetworkDeviceInventory $agent | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $csv.InterfaceText | Should -BeLike '*lo*'
        $csv.AbsentMibText | Should -BeLike '*ENTITY-MIB*'
    }
}

Describe 'Device inventories in inventory files: Export-, Import- and Compare-TssrInventory (net-snmp snmpd lab)' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }
    AfterAll { if ($ready) { Stop-TssrLab -Component SnmpDevice; Remove-Item Env:TSSR_LAB_SNMP_DEVICE_VARIANT -ErrorAction SilentlyContinue } }

    It 'writes device inventories beside server inventories and reads both back equal' {
        $device = Get-TssrNetworkDeviceInventory $agent
        $server = Get-TssrServerInventory
        $file = Join-Path $TestDrive 'mixed.json'
        $server, $device | Export-TssrInventory -Path $file
        $json = Get-Content -Raw $file | ConvertFrom-Json
        $json.format | Should -Be 'Tssr.Tools.Inventory'
        @($json.inventories).Count | Should -Be 1
        $json.devicesVersion | Should -Be 1
        @($json.devices).Count | Should -Be 1
        $json.devices[0].SystemName | Should -Be $lab.SysName
        $back = @(Import-TssrInventory $file)
        $back.Count | Should -Be 2
        $back[0].GetType().Name | Should -Be 'ServerInventory'
        $d = $back[1]
        $d.GetType().Name | Should -Be 'SnmpDeviceInventory'
        foreach ($p in 'ComputerName', 'IPAddress', 'Port', 'Version', 'Status', 'CollectedUtc', 'SystemName', 'Description', 'ObjectId', 'UptimeSec', 'Location', 'InterfaceText', 'AddressText', 'AbsentMibText') {
            $d.$p | Should -Be $device.$p -Because $p
        }
        $d.CollectedUtc.Kind | Should -Be 'Utc'
        $d.Interfaces.Count | Should -Be $device.Interfaces.Count
        ($d.Interfaces | ConvertTo-Json -Compress) | Should -Be ($device.Interfaces | ConvertTo-Json -Compress)
        ($d.Storage | ConvertTo-Json -Compress) | Should -Be ($device.Storage | ConvertTo-Json -Compress)
        # Written again, the file is the same to the byte.
        $again = Join-Path $TestDrive 'again.json'
        $back | Export-TssrInventory -Path $again
        (Get-Content -Raw $again) | Should -Be (Get-Content -Raw $file)
    }

    It 'finds no drift but noise between two inventories of the same agent' {
        $file = Join-Path $TestDrive 'agent.json'
        Get-TssrNetworkDeviceInventory $agent | Export-TssrInventory -Path $file
        Start-Sleep -Milliseconds 1100
        $now = Get-TssrNetworkDeviceInventory $agent
        # Other tests on this host add and remove veths and mount file systems: those may come and go, nothing else.
        $changes = @(Compare-TssrInventory -Reference $file -Difference $now | Where-Object Category -notmatch '^(DeviceInterface|DeviceAddress|Interface|DeviceStorage)')
        ($changes | Out-String) | Should -BeNullOrEmpty
        $noise = @(Compare-TssrInventory $file $now -IncludeNoise)
        $noise | Where-Object Category -eq 'DeviceUptime' | Should -Not -BeNullOrEmpty
        ($noise | Where-Object Category -eq 'DeviceUptime').Class | Should -Be 'Noise'
    }

    It 'says another box answers at the same address (agent restarted with another sysObjectID) as High security drift' {
        Stop-TssrLab -Component SnmpDevice
        $env:TSSR_LAB_SNMP_DEVICE_VARIANT = 'A'
        $a = (Start-TssrLab -Component SnmpDevice).SnmpDevice
        $before = Join-Path $TestDrive 'device-a.json'
        Get-TssrNetworkDeviceInventory $a.Endpoint | Export-TssrInventory -Path $before
        Stop-TssrLab -Component SnmpDevice
        $env:TSSR_LAB_SNMP_DEVICE_VARIANT = 'B'
        $b = (Start-TssrLab -Component SnmpDevice).SnmpDevice
        $b.Endpoint | Should -Be $a.Endpoint
        $after = Join-Path $TestDrive 'device-b.json'
        Get-TssrNetworkDeviceInventory $b.Endpoint | Export-TssrInventory -Path $after
        $changes = @(Compare-TssrInventory $before $after | Where-Object Category -notmatch '^(DeviceInterface|DeviceAddress|Interface|DeviceStorage)')
        $changes[0].Category | Should -Be 'DeviceObjectId'
        $changes[0].Class | Should -Be 'Security'
        $changes[0].Severity | Should -Be 'High'
        $changes[0].ReferenceValue | Should -Be $a.ObjectId
        $changes[0].DifferenceValue | Should -Be $b.ObjectId
        ($changes | Where-Object Category -eq 'DeviceName').DifferenceValue | Should -Be $b.SysName
        ($changes | Where-Object Category -eq 'DeviceLocation').DifferenceValue | Should -Be $b.Location
        $changes.Count | Should -Be 3 -Because ($changes | Out-String)
    }

    It 'refuses what is not an inventory with a clear error, and goes on' {
        $file = Join-Path $TestDrive 'some.json'
        @((Get-TssrNetworkDeviceInventory $agent), 'not an inventory') | Export-TssrInventory -Path $file -ErrorVariable bad -ErrorAction SilentlyContinue
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'InventoryInputInvalid*'
        "$($bad[0])" | Should -BeLike '*SnmpDeviceInventory*'
        @(Import-TssrInventory $file).Count | Should -Be 1
    }
}

Describe 'Find-TssrSnmpDevice and hostile agents' {
    BeforeAll {
        if ($ready) {
            $script:fleet = (Start-TssrLab -Component SnmpFleet).SnmpFleet
            # Hostile responders on 127.0.0.40-45 (+46 sends the 'other address' replies), the fleet's port.
            $script:hostile = Start-Process -FilePath python3 -ArgumentList (Join-Path $PSScriptRoot 'Snmp/hostile-agents.py'), 40, $fleet.Port -PassThru -RedirectStandardOutput (Join-Path ([IO.Path]::GetTempPath()) "tssr-snmp-hostile-$PID.log")
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not (Select-String -Quiet -Pattern ready -Path (Join-Path ([IO.Path]::GetTempPath()) "tssr-snmp-hostile-$PID.log") -ErrorAction SilentlyContinue)) {
                if ([DateTime]::UtcNow -gt $deadline) { throw 'hostile agents did not start' }
                Start-Sleep -Milliseconds 100
            }
        }
    }
    AfterAll {
        if ($script:hostile) { Stop-Process -Id $script:hostile.Id -ErrorAction SilentlyContinue }
        Remove-Item (Join-Path ([IO.Path]::GetTempPath()) "tssr-snmp-hostile-$PID.log") -ErrorAction SilentlyContinue
    }
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'finds exactly the agents of a range, with the community that answered, like onesixtyone' -Skip:(-not (Get-Command onesixtyone -ErrorAction SilentlyContinue) -and $env:CI -ne 'true') {
        $found = @(Find-TssrSnmpDevice $fleet.Range -Port $fleet.Port -Community 'nothing', 'fleet', 'public' -TimeoutSec 1 -Retry 1)
        ($found.IPAddress | Sort-Object) | Should -Be @('127.0.0.21', '127.0.0.22', '127.0.0.23')
        ($found | Where-Object IPAddress -eq '127.0.0.23').CommunityIndex | Should -Be 2
        ($found | Where-Object IPAddress -eq '127.0.0.21').CommunityIndex | Should -Be 3
        ($found | Where-Object IPAddress -eq '127.0.0.22').SystemName | Should -Be 'tssr-fleet-22'
        $found | ForEach-Object { $_.Status | Should -Be 'Responding' }
        # onesixtyone's answer on the same range and port (it prints "address [community] sysDescr").
        $hosts = Join-Path ([IO.Path]::GetTempPath()) "tssr-snmp-hosts-$PID.txt"
        16..31 | ForEach-Object { "127.0.0.$_" } | Set-Content $hosts
        $theirs = @(& onesixtyone -p $fleet.Port -i $hosts public 2>$null | Where-Object { $_ -match '^127\.' } | ForEach-Object { ($_ -split ' ')[0] } | Sort-Object -Unique)
        Remove-Item $hosts
        $theirs | Should -Be @('127.0.0.21', '127.0.0.22', '127.0.0.23')
    }

    It 'streams, paces and lists silent addresses with -IncludeNoResponse' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $all = @(Find-TssrSnmpDevice $fleet.Range -Port $fleet.Port -TimeoutSec 1 -Retry 1 -RatePerSec 40 -IncludeNoResponse)
        $watch.Stop()
        $all.Count | Should -Be 14
        @($all | Where-Object Status -eq 'NoResponse').Count | Should -Be 11
        # 14 addresses at 40 a second take at least 13/40 s.
        $watch.Elapsed.TotalSeconds | Should -BeGreaterThan 0.3
    }

    It 'gives each hostile agent its own clear error, and still answers the good one' {
        $targets = 40..45 | ForEach-Object { "127.0.0.${_}:$($fleet.Port)" }
        $r = @(Get-TssrSnmpValue ($targets + "127.0.0.21:$($fleet.Port)") sysDescr.0 -TimeoutSec 1 -Retry 1 -ErrorVariable e -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 1
        $r[0].ComputerName | Should -Be "127.0.0.21:$($fleet.Port)"
        $e.Count | Should -Be 6
        $byTarget = @{}
        foreach ($err in $e) { $byTarget[$err.TargetObject] = $err }
        $byTarget[$targets[0]].FullyQualifiedErrorId | Should -BeLike 'SnmpInvalidResponse*'
        $byTarget[$targets[0]].Exception.Message | Should -BeLike '*at byte 6*'
        $byTarget[$targets[1]].Exception.Message | Should -BeLike '*indefinite length*'
        $byTarget[$targets[2]].Exception.Message | Should -BeLike '*at byte 1*'
        $byTarget[$targets[3]].FullyQualifiedErrorId | Should -BeLike 'SnmpTimeout*'
        $byTarget[$targets[3]].Exception.Message | Should -BeLike '*request id that was not asked for*'
        $byTarget[$targets[4]].FullyQualifiedErrorId | Should -BeLike 'SnmpTimeout*'
        $byTarget[$targets[4]].Exception.Message | Should -BeLike "*another address (127.0.0.46:$($fleet.Port))*"
        $byTarget[$targets[5]].FullyQualifiedErrorId | Should -BeLike 'SnmpTimeout*'
    }

    It 'reports hostile addresses of a sweep as errors without stopping it' {
        $found = @(Find-TssrSnmpDevice 127.0.0.40-127.0.0.45, 127.0.0.21 -Port $fleet.Port -TimeoutSec 1 -Retry 1 -ErrorVariable e -ErrorAction SilentlyContinue)
        $found.IPAddress | Should -Be '127.0.0.21'
        @($e | Where-Object { $_.FullyQualifiedErrorId -like 'SnmpInvalidResponse*' }).Count | Should -Be 3
    }
}

Describe 'Sweeps and timeouts among silent and rejecting hosts (namespace lab: snmpd, DROP, REJECT)' {
    BeforeAll {
        $script:nsReady = $ready -and (Test-LabPrerequisite -Command ip, nft, onesixtyone -Root)
        if ($nsReady) {
            $script:ns = (Start-TssrLab -Component SnmpNetns).SnmpNetns
            # net-snmp keeps a deleted interface in ifTable until it restarts: each run adds one of a new name.
            $ns.Extra = (Get-LabPrefix) + '-x' + (Get-Random -Minimum 1000 -Maximum 9999)
            function Set-TestDevice([string] $State) {
                # The targets namespace's interfaces: the lab's baseline, or changed as a technician would.
                & ip -n $ns.TargetsNamespace link del $ns.Extra 2>$null
                if ($State -eq 'Baseline') { & ip -n $ns.TargetsNamespace link set $ns.Dummy mtu 1500 up; return }
                & ip -n $ns.TargetsNamespace link set $ns.Dummy down mtu 1400
                & ip -n $ns.TargetsNamespace link add $ns.Extra type veth peer name "$($ns.Extra)p"
                & ip -n $ns.TargetsNamespace addr add 10.99.2.1/24 dev $ns.Extra
                & ip -n $ns.TargetsNamespace link set "$($ns.Extra)p" up
                & ip -n $ns.TargetsNamespace link set $ns.Extra up
                if ($LASTEXITCODE -ne 0) { throw 'The test interfaces could not be changed.' }
            }
        }
    }
    BeforeEach { if (-not $nsReady) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }
    AfterAll { if ($nsReady) { Set-TestDevice Baseline } }

    It 'finds exactly the two agents of a /24 where half the hosts drop and a quarter reject, as onesixtyone does' {
        $run = @(Invoke-TssrPwsh -Namespace $ns.ScanNamespace -Script @"
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$r = @(Find-TssrSnmpDevice '$($ns.Range)' -IncludeNoResponse -TimeoutSec 1 -Retry 1 -RatePerSec 1000)
`$seconds = `$watch.Elapsed.TotalSeconds
# Enums cross CLIXML as numbers: their names are sent as text.
[pscustomobject]@{ Results = @(`$r | Select-Object IPAddress, SystemName, @{ n = 'Status'; e = { "`$(`$_.Status)" } }); Seconds = `$seconds }
"@)
        $results = @($run[0].Results)
        $results.Count | Should -Be 254
        $responding = @($results | Where-Object Status -eq 'Responding')
        ($responding.IPAddress | Sort-Object) -join ',' | Should -Be ($ns.Agents -join ',')
        $responding.SystemName | Sort-Object -Unique | Should -Be $ns.SysName
        @($results | Where-Object Status -eq 'NoResponse').Count | Should -Be 252
        # Silent and rejecting hosts cost their two timeouts at once, not one after the other (252 x 2 s would be 504 s).
        $run[0].Seconds | Should -BeLessThan 30
        $hosts = Join-Path $TestDrive 'hosts.txt'
        1..254 | ForEach-Object { "198.18.0.$_" } | Set-Content $hosts
        $theirs = @(& ip netns exec $ns.ScanNamespace onesixtyone -w 1 -i $hosts public 2>$null | Where-Object { $_ -match '^198\.' } | ForEach-Object { ($_ -split ' ')[0] } | Sort-Object -Unique)
        $theirs -join ',' | Should -Be ($ns.Agents -join ',')
    }

    It 'says a rejecting host has no agent on that port, and a dropping host is a timeout after every attempt' {
        $run = @(Invoke-TssrPwsh -Namespace $ns.ScanNamespace -Script @"
foreach (`$target in '198.18.0.70', '198.18.0.20', '198.18.0.200') {
    `$watch = [Diagnostics.Stopwatch]::StartNew()
    `$null = Get-TssrSnmpValue `$target sysName.0 -TimeoutSec 0.5 -Retry 2 -ErrorVariable e -ErrorAction SilentlyContinue
    [pscustomobject]@{ Target = `$target; ErrorId = `$e[0].FullyQualifiedErrorId; Message = "`$(`$e[0])"; Seconds = `$watch.Elapsed.TotalSeconds }
}
"@)
        $run.Count | Should -Be 3
        # 198.18.0.70: nftables reject; 198.18.0.20: no listener, the kernel answers port unreachable.
        foreach ($r in $run[0..1]) {
            $r.ErrorId | Should -BeLike 'SnmpPortUnreachable*'
            $r.Message | Should -BeLike '*UDP*161*'
        }
        # 198.18.0.200 is dropped: three attempts of 0.5 s, then the timeout that names the community.
        $run[2].ErrorId | Should -BeLike 'SnmpTimeout*'
        $run[2].Message | Should -BeLike '*3 attempt(s) of 0.5 s*'
        $run[2].Seconds | Should -BeGreaterThan 1.4
        $run[2].Seconds | Should -BeLessThan 6
    }

    It 'compares two inventories of a real agent whose interfaces changed: shut, MTU, added, address' {
        Set-TestDevice Baseline
        # net-snmp caches ipAddressTable for about 30 s: an earlier run's address must be gone first.
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ((@(& ip netns exec $ns.ScanNamespace snmpbulkwalk -On -v2c -c public $ns.Agents[0] .1.3.6.1.2.1.4.34.1.3) -match '\.1\.4\.10\.99\.2\.1 = ') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Seconds 2 }
        $before = Join-Path $TestDrive 'ns-before.json'
        $after = Join-Path $TestDrive 'ns-after.json'
        $agentAddress = $ns.Agents[0]
        $null = Invoke-TssrPwsh -Namespace $ns.ScanNamespace -Script "Get-TssrNetworkDeviceInventory $agentAddress | Export-TssrInventory -Path '$before'"
        Set-TestDevice Changed
        # net-snmp caches ipAddressTable for about 30 s: wait until its own client sees the new address.
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (@(& ip netns exec $ns.ScanNamespace snmpbulkwalk -On -v2c -c public $agentAddress .1.3.6.1.2.1.4.34.1.3) -match '\.1\.4\.10\.99\.2\.1 = ') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Seconds 2 }
        $null = Invoke-TssrPwsh -Namespace $ns.ScanNamespace -Script "Get-TssrNetworkDeviceInventory $agentAddress | Export-TssrInventory -Path '$after'"
        # The agent's storage is the host's (file systems other tests mount): left out here.
        $all = @(Compare-TssrInventory $before $after | Where-Object Category -notlike 'DeviceStorage*')
        # IPv6 link-local addresses come with a link and go with it: each on one of the changed interfaces.
        $linkLocal = @($all | Where-Object { $_.Category -eq 'DeviceAddress' -and $_.Item -match ' fe80::' })
        foreach ($l in $linkLocal) { ($l.Item -split ' ')[0] | Should -BeIn @($ns.Dummy, "$($ns.Dummy)p", $ns.Extra, "$($ns.Extra)p") }
        $changes = @($all | Where-Object { $linkLocal -notcontains $_ })
        $text = $changes | Format-Table -AutoSize | Out-String -Width 250
        $d0 = $ns.Dummy
        $admin = $changes | Where-Object { $_.Category -eq 'InterfaceAdminStatus' -and $_.Item -eq $d0 }
        "$($admin.ReferenceValue) $($admin.DifferenceValue) $($admin.Class)" | Should -Be 'up down Configuration' -Because $text
        $oper = $changes | Where-Object { $_.Category -eq 'InterfaceOperStatus' -and $_.Item -eq $d0 }
        "$($oper.ReferenceValue) $($oper.DifferenceValue) $($oper.Severity)" | Should -Be 'up down Medium' -Because $text
        ($changes | Where-Object { $_.Category -eq 'InterfaceMtu' -and $_.Item -eq $d0 }).DifferenceValue | Should -Be '1400' -Because $text
        # (Item is also a method of arrays: read it per object, not by member enumeration.)
        (@($changes | Where-Object { $_.Category -eq 'DeviceInterface' -and $_.Change -eq 'Added' } | ForEach-Object Item | Sort-Object) -join ',') | Should -Be "$($ns.Extra),$($ns.Extra)p" -Because $text
        (@($changes | Where-Object { $_.Category -eq 'DeviceAddress' -and $_.Change -eq 'Added' } | ForEach-Object Item) -join ',') | Should -Be "$($ns.Extra) 10.99.2.1/24" -Because $text
        # The peer of the shut veth loses its link (net-snmp says down for the kernel's LOWERLAYERDOWN).
        $peer = $changes | Where-Object { $_.Category -eq 'InterfaceOperStatus' -and $_.Item -eq "$($d0)p" }
        "$($peer.ReferenceValue) $($peer.DifferenceValue)" | Should -Be 'up down' -Because $text
        # Nothing else: the namespace's other interfaces and the agent's identity did not move.
        $changes.Count | Should -Be 7 -Because $text
    }
}
