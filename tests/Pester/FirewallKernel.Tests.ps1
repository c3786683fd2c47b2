# The Linux kernel as the oracle of Test-TssrFirewallFlow (issue 13). Each rule set of
# tests/Firewall/kernel is loaded with the real nft -f / iptables-restore / ip6tables-restore into a
# network namespace whose interfaces are named as the rules expect (tests/lab/components/FirewallOracle.ps1);
# one packet per flow is written on the interface it enters by (AF_PACKET: exact addresses, ports,
# TCP flags, ICMP types); an observer table after every filter chain records what was accepted (and
# on which hook), one before output records the resets and ICMP errors a REJECT sends. The module's
# answer for the same file and flow must agree: a Certain verdict equal to the kernel's, an
# Undetermined one only with a not-analysed rule on the path and the kernel's verdict among the
# possible ones. A disagreement names the rule set and the flow.
BeforeDiscovery {
    $script:ruleSets = @(Get-ChildItem (Join-Path $PSScriptRoot '../Firewall/kernel') -File |
        Where-Object { $_.Extension -in '.nft', '.rules', '.rules6' } | Sort-Object Name | ForEach-Object { @{ Name = $_.Name; File = $_.FullName } })
}

BeforeDiscovery {
    $script:auditSets = @(Get-ChildItem (Join-Path $PSScriptRoot '../Firewall/kernel/audit') -File |
        Where-Object { $_.Extension -in '.nft', '.rules' } | Sort-Object Name | ForEach-Object { @{ Name = $_.Name; File = $_.FullName } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TssrTestModule
    $script:kernelDir = Join-Path $PSScriptRoot '../Firewall/kernel'
    $script:sender = Join-Path $kernelDir 'send-flows.py'
    $script:ready = Test-LabPrerequisite -Command ip, nft, iptables-restore, ip6tables-restore, conntrack, python3 -Root
    if ($script:ready) {
        Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
        $script:lab = (Start-TssrLab -Component FirewallOracle).FirewallOracle
    }
    $script:totals = @{ Flows = 0; RuleSets = 0; Undetermined = 0; RulesCompared = 0; NotTraced = 0; Input = 0; Forward = 0; Output = 0; Established = 0 }

    function script:Expand-OracleFlow {
        param([hashtable] $Spec)
        $key = 20000
        $id = 0
        foreach ($g in $Spec.Groups) {
            foreach ($src in $g.Sources) {
                foreach ($dst in $g.Destinations) {
                    $family = if ($src.Contains(':')) { 6 } else { 4 }
                    if ($dst.Contains(':') -ne ($family -eq 6)) { continue }
                    $items = [Collections.Generic.List[object]]::new()
                    if ($g.ContainsKey('Tcp')) { foreach ($p in $g.Tcp) { foreach ($fl in $g.Flags) { $items.Add(@('tcp', $p, $fl, 0)) } } }
                    if ($g.ContainsKey('Udp')) { foreach ($p in $g.Udp) { $items.Add(@('udp', $p, '', 0)) } }
                    if ($family -eq 4 -and $g.ContainsKey('Icmp')) { foreach ($t in $g.Icmp) { $items.Add(@('icmp', 0, '', $t)) } }
                    if ($family -eq 6 -and $g.ContainsKey('Icmp6')) { foreach ($t in $g.Icmp6) { $items.Add(@('icmpv6', 0, '', $t)) } }
                    foreach ($it in $items) {
                        $key++
                        $id++
                        $ported = $it[0] -in 'tcp', 'udp'
                        $sport = if ($ported -and $g.ContainsKey('SourcePort')) { $g.SourcePort } elseif ($ported) { $key } else { 0 }
                        [pscustomobject]@{
                            Id = $id; Key = $(if ($ported) { $sport } else { $key }); Family = $family; Protocol = $it[0]
                            Source = $src; Destination = $dst; SourcePort = $sport; Port = $it[1]
                            Flags = $(($it[2] -split ',' | Where-Object { $_ } | ForEach-Object { @{ FIN = 1; SYN = 2; RST = 4; PSH = 8; ACK = 16; URG = 32 }[$_] } | Measure-Object -Sum).Sum -as [int]); TcpFlags = $it[2]
                            IcmpType = $it[3]; Interface = $g.In; OutInterface = $(if ($g.ContainsKey('Out')) { $g.Out } else { $null })
                            Direction = $g.Direction; State = $(if ($g.ContainsKey('State')) { $g.State } else { 'New' })
                        }
                    }
                }
            }
        }
    }
}

AfterAll {
    if ($script:ready) { Stop-TssrLab -Component FirewallOracle }
}

Describe 'The kernel as the oracle of Test-TssrFirewallFlow' {
    It 'agrees with the kernel on every flow of <Name>' -ForEach $ruleSets {
        if (-not $script:ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $specFile = Join-Path $kernelDir (($Name -replace '\.(nft|rules6?)$', '') + '.flows.psd1')
        $flows = @(Expand-OracleFlow (Import-PowerShellDataFile $specFile))
        $flows.Count | Should -BeGreaterThan 10
        # A forwarded flow names the interface the kernel routes it out of (unless its destination is
        # the firewall's own address, which only a DNAT forwards): checked, so that a wrong flow list
        # cannot pass for the module's error.
        $local = @((& ip -n $lab.Server -j addr show | ConvertFrom-Json).addr_info.local)
        foreach ($d in @($flows | Where-Object { $_.Direction -in 'Forward', 'Output' -and $local -notcontains $_.Destination } | Group-Object Destination, OutInterface)) {
            $f = $d.Group[0]
            $dev = (& ip -n $lab.Server -j route get $f.Destination | ConvertFrom-Json)[0].dev
            $dev | Should -Be $f.OutInterface -Because "the kernel routes $($f.Destination) out of $dev ($Name flow list)"
        }
        $set = Import-TssrFirewallRuleSet -Path $File -WarningAction SilentlyContinue
        $nat = @($set.Chains | Where-Object Type -eq 'nat' | ForEach-Object { $_.Key })
        $kernel = Invoke-LabFirewallOracle -Lab $lab -RuleFile $File -Flows $flows -Sender $sender -NatChains $nat
        $rows = $flows | ForEach-Object {
            $row = [ordered]@{ Source = $_.Source; Destination = $_.Destination; Protocol = $_.Protocol; SourcePort = $_.SourcePort
                Direction = $_.Direction; State = $_.State }
            if ($_.Interface) { $row.Interface = $_.Interface }
            if ($_.Protocol -in 'tcp', 'udp') { $row.Port = [string]$_.Port } else { $row.IcmpType = $_.IcmpType }
            if ($_.TcpFlags) { $row.TcpFlags = $_.TcpFlags }
            if ($_.OutInterface) { $row.OutInterface = $_.OutInterface }
            [pscustomobject]$row
        }
        $answers = @($rows | Test-TssrFirewallFlow -RuleSet $set)
        $answers.Count | Should -Be $flows.Count
        $wrong = [Collections.Generic.List[string]]::new()
        for ($i = 0; $i -lt $flows.Count; $i++) {
            $f = $flows[$i]; $r = $answers[$i]
            $seen = $kernel[$f.Id].Verdict
            $kernelRule = $kernel[$f.Id].Rule
            $verdict = if ($seen -in 'Input', 'Forward', 'Output') { 'Accept' } else { $seen }
            $flow = '{0} {1}:{2} -> {3}:{4}{5} in {6}{7} ({8})' -f $f.Protocol, $f.Source, $f.SourcePort, $f.Destination, $f.Port,
                ("$(if ($f.State -ne 'New') { " $($f.State)" })" + $(if ($f.TcpFlags) { " $($f.TcpFlags)" } elseif ($f.Protocol -like 'icmp*') { " type $($f.IcmpType)" } else { '' })),
                $(if ($f.Interface) { $f.Interface } else { 'this host' }), $(if ($f.OutInterface) { " out $($f.OutInterface)" } else { '' }), $f.Direction
            if ($seen -in 'Input', 'Forward', 'Output' -and $seen -ne $f.Direction) {
                $wrong.Add("$Name : $flow : the kernel accepted it on $seen, the flow asks $($f.Direction) (fix the flow list)")
                continue
            }
            if ($r.Certain) {
                if ([string]$r.Verdict -ne $verdict) { $wrong.Add("$Name : $flow : kernel $verdict, module $($r.Verdict) (Certain) by $($r.Source)") }
                else {
                    # The deciding rule, as the kernel numbers it (its file and line follow from it).
                    $moduleRule = if ($r.ByPolicy) { "policy $($r.DecidingChain)" } elseif ($r.DecidingRule) { "$($r.DecidingRule.Family) $($r.DecidingRule.Table) $($r.DecidingRule.Chain) #$($r.DecidingRule.Number)" } else { $null }
                    if ($kernelRule -ne '(not traced)') {
                        $script:totals.RulesCompared++
                        if ($kernelRule -ne $moduleRule) { $wrong.Add("$Name : $flow : kernel decided by $(if ($kernelRule) { $kernelRule } else { 'no filter chain' }), module by $(if ($moduleRule) { "$moduleRule ($($r.Source))" } else { 'no filter chain' })") }
                    }
                    else {
                        $script:totals.NotTraced++
                        $wrong.Add("$Name : $flow : the kernel's trace of this packet was not read (sent twice); its deciding rule cannot be compared")
                    }
                }
            }
            else {
                $script:totals.Undetermined++
                if (@($r.PossibleVerdicts | ForEach-Object { [string]$_ }) -notcontains $verdict) {
                    $wrong.Add("$Name : $flow : kernel $verdict, module Undetermined among $($r.PossibleVerdicts -join ', ')")
                }
                elseif (@($r.NotAnalysedRules).Count -eq 0) {
                    $wrong.Add("$Name : $flow : Undetermined without a not-analysed rule on the path")
                }
            }
        }
        $script:totals.Flows += $flows.Count
        foreach ($d in 'Input', 'Forward', 'Output') { $script:totals[$d] += @($flows | Where-Object Direction -eq $d).Count }
        $script:totals.Established += @($flows | Where-Object State -eq 'Established').Count
        $script:totals.RuleSets++
        $wrong | Should -BeNullOrEmpty -Because "the kernel decides ($($wrong.Count) of $($flows.Count) flows disagree)"
    }

    It 'covers at least 12 rule sets and 400 flows' {
        if (-not $script:ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        Write-Host "    kernel oracle: $($script:totals.Flows) flows ($($script:totals.Input) Input, $($script:totals.Forward) Forward, $($script:totals.Output) Output; $($script:totals.Established) Established) in $($script:totals.RuleSets) rule sets, $($script:totals.Undetermined) Undetermined (each with a not-analysed rule on its path), deciding rule compared for $($script:totals.RulesCompared) ($($script:totals.NotTraced) not traced)"
        $script:totals.RuleSets | Should -BeGreaterOrEqual 12
        $script:totals.Flows | Should -BeGreaterOrEqual 400
        foreach ($d in 'Input', 'Forward', 'Output') { $script:totals[$d] | Should -BeGreaterOrEqual 50 -Because "the oracle covers $d flows" }
        $script:totals.Established | Should -BeGreaterOrEqual 30 -Because 'the oracle covers Established flows'
    }
}

# The audit's traffic claims, checked in the kernel: each finding of a kind that speaks of traffic
# (a rule that never applies or changes nothing, a service any source reaches) has a witness packet
# (tests/Firewall/kernel/audit/*.witness.psd1); a claim without a witness fails, so does a witness
# the kernel contradicts. Shadowing: the kernel decides the packet by another rule, and the same way
# once the rule is deleted from the file. Redundancy: the same verdict with and without the rule.
# Exposures and source-port trust: the kernel accepts the packet, by the rule named.
Describe 'The kernel as the oracle of Invoke-TssrFirewallAudit' {
    It 'confirms every traffic claim of the audit of <Name> with a witness packet' -ForEach $auditSets {
        if (-not $script:ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $witnessFile = $File -replace '\.(nft|rules)$', '.witness.psd1'
        $witnesses = @((Import-PowerShellDataFile $witnessFile).Witnesses)
        $set = Import-TssrFirewallRuleSet -Path $File -WarningAction SilentlyContinue
        $traffic = 'Shadowing', 'Redundancy', 'AdminServiceExposed', 'ClearTextService', 'SourcePortTrust'
        $claims = @(Invoke-TssrFirewallAudit -RuleSet $set | Where-Object { [string]$_.Kind -in $traffic })
        function Get-ClaimKey($Kind, $Rule, $Port) { if ($Kind -in 'AdminServiceExposed', 'ClearTextService') { "$Kind $Rule $Port" } else { "$Kind $Rule" } }
        $byKey = @{}
        foreach ($w in $witnesses) { $byKey[(Get-ClaimKey $w.Kind $w.Rule $w.Port)] = $w }
        $wrong = [Collections.Generic.List[string]]::new()
        $checked = [Collections.Generic.List[object]]::new()
        foreach ($c in $claims) {
            $port = if ($c.Explanation -match '\((\d+)/(tcp|udp)\)') { [int]$Matches[1] } else { $null }
            $key = Get-ClaimKey ([string]$c.Kind) $c.RuleId $port
            if (-not $byKey.ContainsKey($key)) { $wrong.Add("$Name : the audit claims '$key' ($($c.Explanation)) and no witness packet checks it: add one to $([IO.Path]::GetFileName($witnessFile))"); continue }
            $checked.Add([pscustomobject]@{ Claim = $c; Witness = $byKey[$key]; Key = $key })
            $byKey.Remove($key)
        }
        foreach ($k in $byKey.Keys) { $wrong.Add("$Name : witness for '$k', which the audit no longer claims") }
        $checked.Count | Should -BeGreaterThan 5
        # Every witness flow of the file in one load; then each shadowed or redundant rule deleted.
        $all = [Collections.Generic.List[object]]::new()
        foreach ($w in $checked) { foreach ($f in @(Expand-OracleFlow @{ Groups = @($w.Witness.Flow) })) { $all.Add([pscustomobject]@{ Check = $w; Flow = $f }) } }
        # Ids and keys distinct across witnesses (Expand-OracleFlow numbers each spec from 1 and 20001);
        # a witness with a fixed source port keeps it as its key.
        for ($i = 0; $i -lt $all.Count; $i++) {
            $f = $all[$i].Flow
            $f.Id = $i + 1
            if (-not $all[$i].Check.Witness.Flow.ContainsKey('SourcePort')) {
                $f.Key = 30001 + $i
                if ($f.Protocol -in 'tcp', 'udp') { $f.SourcePort = 30001 + $i }
            }
        }
        $kernel = Invoke-LabFirewallOracle -Lab $lab -RuleFile $File -Flows @($all.Flow) -Sender $sender
        $lines = Get-Content -LiteralPath $File
        foreach ($a in $all) {
            $c = $a.Check.Claim; $f = $a.Flow; $k = $kernel[$f.Id]
            $flow = '{0} {1}:{2} -> {3}:{4} in {5}' -f $f.Protocol, $f.Source, $f.SourcePort, $f.Destination, $f.Port, $f.Interface
            $accepted = $k.Verdict -in 'Input', 'Forward', 'Output'
            switch ([string]$c.Kind) {
                'Shadowing' { if ($k.Rule -eq $c.RuleId) { $wrong.Add("$Name : $($a.Check.Key): the kernel decided $flow by that very rule") } }
                'Redundancy' { }
                default {
                    if (-not $accepted -or $k.Rule -ne $c.RuleId) { $wrong.Add("$Name : $($a.Check.Key): the kernel $(if ($accepted) { 'accepted' } else { "gave $($k.Verdict) to" }) $flow by $($k.Rule)") }
                }
            }
            if ([string]$c.Kind -in 'Shadowing', 'Redundancy') {
                if ($c.Source -notmatch ':(\d+)(?::\d+)?$') { throw "No line in '$($c.Source)'" }
                $line = [int]$Matches[1]
                $without = Join-Path (Get-LabDirectory FirewallOracle) ("without-$line-" + [IO.Path]::GetFileName($File))
                Set-Content -LiteralPath $without -Value @($lines | Select-Object -Index @(0..($lines.Count - 1) | Where-Object { $_ -ne $line - 1 }))
                $after = (Invoke-LabFirewallOracle -Lab $lab -RuleFile $without -Flows @($f) -Sender $sender)[$f.Id]
                if ($after.Verdict -ne $k.Verdict) { $wrong.Add("$Name : $($a.Check.Key): with the rule deleted (line $line) the kernel gives $flow $($after.Verdict), with it $($k.Verdict)") }
            }
        }
        $wrong | Should -BeNullOrEmpty -Because "the kernel decides ($($wrong.Count) problems, $($all.Count) witness packets)"
    }
}
