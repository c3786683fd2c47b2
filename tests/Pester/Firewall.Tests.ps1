# Firewall rule auditing: the four cmdlets against the corpus (tests/Firewall/corpus), in English and
# French, and against live nftables/iptables rules loaded into a network namespace, where every
# verdict of Test-TssrFirewallFlow is checked against a real TCP connect through the namespace.
BeforeAll {
    # The import warnings (what the evaluator does not model) are expected here and asserted with
    # -WarningVariable where they matter: keep them out of the test run's output.
    $global:PSDefaultParameterValues['*-TssrFirewall*:WarningAction'] = 'SilentlyContinue'
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TssrTestModule
    $script:corpus = Join-Path $PSScriptRoot '../Firewall/corpus'
}

AfterAll {
    $global:PSDefaultParameterValues.Remove('*-TssrFirewall*:WarningAction')
}

Describe 'Import-TssrFirewallRuleSet' {
    It 'detects and reads each format, keeping file and line on every rule' {
        $ipt = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'host-iptables.rules')
        $ipt.Format | Should -Be 'IptablesSave'
        $ipt.RuleCount | Should -Be 19
        ($ipt.Chains | Where-Object Name -eq 'SSH_IN').Rules[2].Source.Line | Should -Be 27
        $nft = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'host-nft.json')
        $nft.Format | Should -Be 'NftJson'
        $pf = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'pfsense-config.xml')
        $pf.Format | Should -Be 'PfSense'
        $pf.DisabledRules.Count | Should -Be 1
        $text = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'host-nft.nft')
        $text.Format | Should -Be 'NftText'
        $text.RuleCount | Should -Be $nft.RuleCount
        $win = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-rules.json')
        $win.Format | Should -Be 'WindowsJson'
        $win.DisabledRules.Count | Should -Be 1
        (Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-netsh.txt')).Format | Should -Be 'Netsh'
    }

    It 'reads every file given through the pipeline and reports a broken one without stopping' {
        $files = Get-ChildItem $corpus -File | Where-Object Extension -in '.rules', '.json', '.xml'
        $broken = Join-Path $corpus 'hostile/truncated-iptables.rules'
        $sets = @($files.FullName + $broken | Import-TssrFirewallRuleSet -ErrorVariable errs -ErrorAction SilentlyContinue)
        $sets.Count | Should -Be $files.Count
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'FirewallParseError*'
        $errs[0].TargetObject | Should -BeLike '*truncated-iptables.rules:20'
        $errs[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'refuses a DTD in config.xml with its own error id' {
        { Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'hostile/billion-laughs.xml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'FirewallDtdProhibited*'
    }

    It 'resolves nft include statements, each rule keeping its own file and line' {
        $set = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'nft-include/nftables.conf') -WarningVariable w
        $set.Format | Should -Be 'NftText'
        $w | Should -BeNullOrEmpty
        $rules = ($set.Chains | Where-Object Name -eq 'input').Rules
        ($rules | ForEach-Object { '{0}:{1}' -f (Split-Path -Leaf $_.Source.File), $_.Source.Line }) -join ' ' |
            Should -Be 'nftables.conf:10 nftables.conf:11 10-ssh.nft:2 20-web.nft:2 20-web.nft:3'
        $ssh = Test-TssrFirewallFlow -RuleSet $set -Source 10.8.1.1 -Destination 192.0.2.10 -Port 22 -Direction Input
        $ssh.Verdict | Should -Be 'Accept'
        $ssh.Source | Should -BeLike '*rules.d/10-ssh.nft:2:1'
        # The hidden file of rules.d is not matched by the pattern, as with nft.
        (Test-TssrFirewallFlow -RuleSet $set -Source 192.0.2.7 -Destination 192.0.2.10 -Port 23 -Direction Input).Verdict | Should -Be 'Drop'
        # An include loop is an error naming the file and line of the include that closes it.
        Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'nft-include/loop/a.nft') -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'FirewallIncludeLoop*'
        $errs[0].TargetObject | Should -BeLike '*loop/b.nft:3'
        $errs[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'says what is wrong in French' {
        # The message itself, not PowerShell's display of the error: that display wraps at the
        # console width, so where a line breaks depends on the length of the path (a test that
        # passed in one clone failed in another).
        $r = Invoke-TssrPwsh -Culture fr-FR -Raw -Script "try { Import-TssrFirewallRuleSet -Path '$(Join-Path $corpus 'hostile/alias-loop.xml')' -ErrorAction Stop; 'NO ERROR' } catch { 'ID=' + `$_.FullyQualifiedErrorId; 'MESSAGE=' + `$_.Exception.Message }"
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Not -Match 'NO ERROR'
        $r.Output | Should -Match 'ID=FirewallAliasLoop,'
        $r.Output | Should -Match "MESSAGE=.*s'inclut lui-même"
    }
}

Describe 'Windows Firewall profiles' {
    It 'evaluates a Windows export for the profile given, and says -Profile exists when it is not given' {
        $all = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-profiles.json') -WarningVariable w -WarningAction SilentlyContinue
        $all.Profile | Should -BeNullOrEmpty
        $all.RuleCount | Should -Be 8
        @($w | Where-Object { "$_" -match '^6 rules apply only to some profiles.*-Profile Domain, Private or Public' }).Count | Should -Be 1

        $public = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-profiles.json') -Profile Public -WarningVariable wp -WarningAction SilentlyContinue
        $public.Profile | Should -Be 'Public'
        $public.RuleCount | Should -Be 5
        $public.InactiveRules.Comment | Should -Be @('Remote Desktop (domain network only)', 'File and Printer Sharing (SMB-In)', 'Ping (trusted networks)')
        $public.InactiveRules[0].Profiles | Should -Be 'Domain'
        @($wp | Where-Object { "$_" -match '-Profile' }).Count | Should -Be 0
        $netsh = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-profiles-netsh.txt') -Profile Private -WarningAction SilentlyContinue
        $netsh.Profile | Should -Be 'Private'
        $netsh.InactiveRules.Comment | Should -Be @('No Remote Desktop on public networks', 'Remote Desktop (domain network only)', 'No SMB out on public networks')
    }

    It 'shows the profile in the rule set table' {
        $text = @(
            Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-profiles.json') -Profile Domain -WarningAction SilentlyContinue
            Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-profiles.json') -WarningAction SilentlyContinue
            Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'host-iptables.rules')
        ) | Out-String -Width 200
        $lines = $text -split '\r?\n'
        $header = $lines | Where-Object { $_ -match '^Name\s+Format\s+Profile\s+Chains\s+Rules\s+NotAnalysed\s+Disabled\s+Inactive\s+SourcePath' }
        $header | Should -Not -BeNullOrEmpty
        $lines | Where-Object { $_ -match '^windows-profiles\.json\s+WindowsJson\s+Domain\s+2\s+5\s+\d+\s+1\s+3\s' } | Should -Not -BeNullOrEmpty
        $lines | Where-Object { $_ -match '^windows-profiles\.json\s+WindowsJson\s+All\s+2\s+8\s+\d+\s+1\s+0\s' } | Should -Not -BeNullOrEmpty
        $lines | Where-Object { $_ -match '^host-iptables\.rules\s+IptablesSave\s+\d+\s+19\s' } | Should -Not -BeNullOrEmpty
    }

    It 'completes -Profile with the three profiles' {
        $line = 'Import-TssrFirewallRuleSet -Path x.json -Profile P'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Private', 'Public')
        # A wrong name is refused by the module's enum attribute, with the valid names listed.
        $err = { Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-profiles.json') -Profile Office } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*' -PassThru
        $err.Exception.Message | Should -Match 'Domain'
        $err.Exception.Message | Should -Match 'Private'
        $err.Exception.Message | Should -Match 'Public'
    }

    It 'refuses -Profile on a file without profiles, naming the file, and goes on with the other files' {
        $files = (Join-Path $corpus 'host-iptables.rules'), (Join-Path $corpus 'windows-profiles.json')
        $sets = @($files | Import-TssrFirewallRuleSet -Profile Domain -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $sets.Count | Should -Be 1
        $sets[0].Profile | Should -Be 'Domain'
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'FirewallProfileNotApplicable*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].TargetObject | Should -BeLike '*host-iptables.rules'
        $errs[0].Exception.Message | Should -Match 'host-iptables\.rules is in the IptablesSave format, which has no Windows Firewall profiles: -Profile Domain does not apply'
        $errs[0].ErrorDetails.RecommendedAction | Should -Match 'without -Profile'
    }

    It 'stops before reading anything when -Format names a format without profiles, or with -Live' {
        { Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'host-iptables.rules') -Format IptablesSave -Profile Public -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'FirewallProfileNotApplicable*'
        { Import-TssrFirewallRuleSet -Live -Profile Public } | Should -Throw -ErrorId 'AmbiguousParameterSet*'
        (Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-profiles-netsh.txt') -Format Netsh -Profile Public -WarningAction SilentlyContinue).Profile | Should -Be 'Public'
    }

    It 'gives each profile its own verdicts for <Rules>, flows piped from the per-profile oracle' -ForEach @(
        @{ Rules = 'windows-profiles.json' }
        @{ Rules = 'windows-profiles-netsh.txt' }
    ) {
        $groups = Import-Csv (Join-Path $corpus 'windows-profiles.flows.csv') | Group-Object Profile
        $groups.Count | Should -Be 4
        foreach ($g in $groups) {
            $profileArgs = if ($g.Name) { @{ Profile = $g.Name } } else { @{} }
            $set = Import-TssrFirewallRuleSet -Path (Join-Path $corpus $Rules) @profileArgs -WarningAction SilentlyContinue
            $results = @($g.Group | Test-TssrFirewallFlow -RuleSet $set)
            $results.Count | Should -Be $g.Count
            for ($i = 0; $i -lt $g.Count; $i++) {
                $row = $g.Group[$i]
                $rule = if ($results[$i].ByPolicy) { 'policy' } else { $results[$i].DecidingRule.Id }
                "[$($g.Name)] $($row.Source)->$($row.Destination):$($row.Port)/$($row.Protocol) $($results[$i].Verdict) $rule" |
                    Should -Be "[$($g.Name)] $($row.Source)->$($row.Destination):$($row.Port)/$($row.Protocol) $($row.Verdict) $($row.Rule)"
                "$($results[$i].Profile)" | Should -Be $g.Name
            }
        }
    }

    It 'audits one profile: a block rule of Public shadows nothing for Domain, and rules of other profiles are listed' {
        $all = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-profiles.json') -WarningAction SilentlyContinue | Invoke-TssrFirewallAudit
        ($all | Where-Object Kind -eq Shadowing).Rule.Comment | Should -Be 'Remote Desktop (domain network only)'
        $domain = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-profiles.json') -Profile Domain | Invoke-TssrFirewallAudit
        @($domain | Where-Object Kind -eq Shadowing).Count | Should -Be 0
        $other = @($domain | Where-Object Kind -eq OtherProfileRule)
        $other.Rule.Comment | Should -Be @('No Remote Desktop on public networks', 'Development web server (away from the office)', 'No SMB out on public networks')
        $other[0].RuleId | Should -Be 'inet windows Inbound #1'
        $other[0].Severity | Should -Be 'Info'
        $other[0].Profile | Should -Be 'Domain'
        $other[0].Explanation | Should -Match 'applies only to the Public profile\(s\): it is not active in the Domain profile'
        $other[0].Recommendation | Should -Match 'Import-TssrFirewallRuleSet -Profile Public'
        @(Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-profiles.json') -Profile Domain | Invoke-TssrFirewallAudit -Kind OtherProfileRule).Count | Should -Be 3
    }

    It 'takes -Profile on the -Path forms of Test-TssrFirewallFlow, Invoke-TssrFirewallAudit and Compare-TssrFirewallRuleSet' {
        $json = Join-Path $corpus 'windows-profiles.json'
        $flow = @{ Path = $json; Source = '10.20.1.5'; Destination = '10.20.0.10'; Port = 3389; Protocol = 'tcp'; WarningAction = 'SilentlyContinue' }
        $domain = Test-TssrFirewallFlow @flow -Profile Domain
        $public = Test-TssrFirewallFlow @flow -Profile Public
        "$($domain.Profile) $($domain.Verdict)" | Should -Be 'Domain Accept'
        "$($public.Profile) $($public.Verdict)" | Should -Be 'Public Drop'
        @(Invoke-TssrFirewallAudit -Path $json -Profile Domain -Kind OtherProfileRule).Count | Should -Be 3
        @(Compare-TssrFirewallRuleSet -ReferencePath $json -DifferencePath $json -Profile Public -WarningVariable w -WarningAction SilentlyContinue).Count | Should -Be 0
        @($w | Where-Object { "$_" -match 'same Windows profile|-Profile' }).Count | Should -Be 0
        { Test-TssrFirewallFlow -Path (Join-Path $corpus 'host-iptables.rules') -Source 10.0.0.1 -Destination 10.0.0.2 -Port 22 -Profile Domain -ErrorAction Stop } |
            Should -Throw -ErrorId 'FirewallProfileNotApplicable*'
    }

    It 'uses the Get-NetFirewallProfile settings exported beside the rules: default actions, and a profile whose firewall is off' {
        $file = Join-Path $corpus 'windows-profile-settings.json'
        $flow = @{ Path = $file; Source = '203.0.113.9'; Destination = '10.20.0.10'; Port = 8080; Protocol = 'tcp' }
        $domain = Test-TssrFirewallFlow @flow -Profile Domain -WarningVariable wd -WarningAction SilentlyContinue
        "$($domain.Verdict) $($domain.ByPolicy)" | Should -Be 'Drop True'
        ($wd -join "`n") | Should -Match 'default actions from the profile settings at .*windows-profile-settings\.json:2:3 \(\[0\]\): inbound Block, outbound Allow'
        (Test-TssrFirewallFlow @flow -Profile Private -WarningAction SilentlyContinue).Verdict | Should -Be 'Accept'
        $public = Import-TssrFirewallRuleSet -Path $file -Profile Public -WarningVariable wp -WarningAction SilentlyContinue
        ($wp -join "`n") | Should -Match 'Windows Firewall is OFF for the Public profile'
        $public.RuleCount | Should -Be 0
        $public.DisabledRules.Count | Should -Be 2
        (Test-TssrFirewallFlow -RuleSet $public -Source 203.0.113.9 -Destination 10.20.0.10 -Port 23).Verdict | Should -Be 'Accept'
        # The audit says what that means: everything is let in.
        @($public | Invoke-TssrFirewallAudit -MinimumSeverity Medium).Count | Should -BeGreaterThan 0
        # Without -Profile, settings that differ are not applied, and the warning says why.
        $null = Import-TssrFirewallRuleSet -Path $file -WarningVariable wa -WarningAction SilentlyContinue
        ($wa -join "`n") | Should -Match 'differ between profiles'
    }

    It 'warns when Compare-TssrFirewallRuleSet is given rule sets of two profiles, and shows what differs' {
        $domain = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-profiles.json') -Profile Domain
        $public = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-profiles.json') -Profile Public
        $changes = @(Compare-TssrFirewallRuleSet $domain $public -WarningVariable w -WarningAction SilentlyContinue)
        @($w).Count | Should -Be 1
        "$($w[0])" | Should -Match 'not evaluated for the same Windows profile \(windows-profiles\.json: Domain; windows-profiles\.json: Public\)'
        $rdp = $changes | Where-Object { $_.DestinationPort -eq '3389' -and $_.Direction -eq 'Input' }
        $rdp.Change | Should -Be 'NewlyBlocked'
        $rdp.Source | Should -Be '10.20.0.0/16'
        ($changes | Where-Object { $_.DestinationPort -eq '8080' -and $_.Family -eq 'Ipv4' }).Change | Should -Be 'NewlyAllowed'
        $null = Compare-TssrFirewallRuleSet $domain $domain -WarningVariable same -WarningAction SilentlyContinue
        @($same).Count | Should -Be 0
        $every = Import-TssrFirewallRuleSet -Path (Join-Path $corpus 'windows-profiles.json') -WarningAction SilentlyContinue
        $null = Compare-TssrFirewallRuleSet $every $public -WarningVariable mixed -WarningAction SilentlyContinue
        "$($mixed[0])" | Should -Match 'windows-profiles\.json: every profile; windows-profiles\.json: Public'
    }

    It 'speaks French: the warning, the refusal and the audit' {
        $r = Invoke-TssrPwsh -Culture fr-FR -Script @"
`$null = Import-TssrFirewallRuleSet -Path '$(Join-Path $corpus 'windows-profiles.json')' -WarningVariable w -WarningAction SilentlyContinue
[pscustomobject]@{ Warnings = @(`$w.Message) -join "``n"; Refusal = `$(try { Import-TssrFirewallRuleSet -Path '$(Join-Path $corpus 'host-iptables.rules')' -Profile Domain; '' } catch { `$_.Exception.Message }) }
"@
        $r.Warnings | Should -Match 'Importez avec -Profile Domain, Private ou Public'
        $r.Refusal | Should -Match "host-iptables\.rules est au format IptablesSave, qui n’a pas de profils du Pare-feu Windows : -Profile Domain ne s’y applique pas"
        $f = Invoke-TssrPwsh -Culture fr-FR -Script "Import-TssrFirewallRuleSet -Path '$(Join-Path $corpus 'windows-profiles.json')' -Profile Domain | Invoke-TssrFirewallAudit -Kind OtherProfileRule | Select-Object Explanation, Recommendation"
        $f[0].Explanation | Should -Match "ne s’applique qu’au\(x\) profil\(s\) Public : elle n’est pas active dans le profil Domain"
        $f[0].Recommendation | Should -Match "Refaites l’audit avec Import-TssrFirewallRuleSet -Profile Public"
    }
}

Describe 'Invoke-TssrFirewallAudit' {
    It 'finds exactly one anomaly of each kind in the anomaly corpus, on the right lines' {
        $findings = Invoke-TssrFirewallAudit -Path (Join-Path $corpus 'anomalies.rules')
        $anomalies = $findings | Where-Object { $_.Kind -in 'Shadowing', 'Redundancy', 'Correlation', 'Generalisation', 'Irrelevance' }
        $anomalies.Count | Should -Be 5
        ($anomalies | ForEach-Object { "$($_.Kind)=$($_.Rule.Source.Line)" } | Sort-Object) -join ' ' |
            Should -Be 'Correlation=18 Generalisation=16 Irrelevance=23 Redundancy=19 Shadowing=14'
        ($anomalies | Where-Object Kind -eq Shadowing).Severity | Should -Be 'High'
    }

    It 'filters by severity and kind, and pipes from Import' {
        $all = Import-TssrFirewallRuleSet (Join-Path $corpus 'pfsense-config.xml') | Invoke-TssrFirewallAudit
        $high = Import-TssrFirewallRuleSet (Join-Path $corpus 'pfsense-config.xml') | Invoke-TssrFirewallAudit -MinimumSeverity High
        @($high | Where-Object Severity -lt 'High').Count | Should -Be 0
        $all.Count | Should -BeGreaterThan $high.Count
        (Invoke-TssrFirewallAudit -Path (Join-Path $corpus 'pfsense-config.xml') -Kind DisabledRule).Rule.Comment | Should -Be 'Temporary RDP for the vendor'
    }

    It 'explains findings in French when the UI culture is French' {
        $f = Invoke-TssrPwsh -Culture fr-FR -Script "Invoke-TssrFirewallAudit -Path '$(Join-Path $corpus 'anomalies.rules')' -Kind Shadowing | Select-Object Explanation, Recommendation"
        $f.Explanation | Should -Match 'est masquée'
        $f.Recommendation | Should -Match 'Placez-la'
    }

    It 'shows a table a person can read' {
        $text = Invoke-TssrFirewallAudit -Path (Join-Path $corpus 'anomalies.rules') -Kind Shadowing | Out-String -Width 200
        $text | Should -Match 'Shadowing'
        $text | Should -Match 'anomalies.rules:14'
    }
}

Describe 'Test-TssrFirewallFlow' {
    It 'agrees with the flow oracle of <Rules>, flows piped from the CSV' -ForEach @(
        @{ Rules = 'host-iptables.rules'; Flows = 'host-iptables.flows.csv' }
        @{ Rules = 'pfsense-config.xml'; Flows = 'pfsense-config.flows.csv' }
        @{ Rules = 'host-nft.nft'; Flows = 'host-nft.flows.csv' }
        @{ Rules = 'windows-rules.json'; Flows = 'windows-rules.flows.csv' }
    ) {
        $set = Import-TssrFirewallRuleSet (Join-Path $corpus $Rules)
        $rows = Import-Csv (Join-Path $corpus $Flows)
        $results = @($rows | Test-TssrFirewallFlow -RuleSet $set)
        $results.Count | Should -Be $rows.Count
        for ($i = 0; $i -lt $rows.Count; $i++) {
            "$($rows[$i].Source)->$($rows[$i].Destination):$($rows[$i].Port) $($results[$i].Verdict)" | Should -Be "$($rows[$i].Source)->$($rows[$i].Destination):$($rows[$i].Port) $($rows[$i].Verdict)"
            if ($rows[$i].Line) { $results[$i].Source | Should -Match ":$($rows[$i].Line)(:\d+)?( |$)" }
        }
    }

    It 'shows the path through the chains' {
        $r = Test-TssrFirewallFlow -Path (Join-Path $corpus 'host-iptables.rules') -Source 203.0.113.9 -Destination 192.168.10.1 -Port 22 -Interface eth0
        $r.Verdict | Should -Be 'Drop'
        ($r.Path -join "`n") | Should -Match 'jump SSH_IN'
        ($r.Path -join "`n") | Should -Match 'RETURN'
        ($r.Path -join "`n") | Should -Match 'LOGDROP #2'
    }

    It 'applies a pfSense port forward, then the interface rule that sees the translated packet' {
        $pf = Join-Path $corpus 'pfsense-portforward.xml'
        $set = Import-TssrFirewallRuleSet -Path $pf -WarningVariable w -WarningAction SilentlyContinue
        # What is not modelled is said, not dropped.
        ($w -join "`n") | Should -Match '1:1 NAT is not applied'
        ($w -join "`n") | Should -Match 'outbound NAT is not applied'
        $r = Test-TssrFirewallFlow -RuleSet $set -Source 192.0.2.7 -Destination 198.51.100.2 -Port 443 -Interface wan
        $r.Verdict | Should -Be 'Accept'
        ($r.Path -join "`n") | Should -Match 'nat inet nat rdr:wan #1 \(pfsense-portforward\.xml:\d+\): DNAT to 192\.168\.1\.10:443'
        $r.DecidingRule.Comment | Should -Be 'NAT HTTPS to the web server'
        $r.Source | Should -Match 'pfsense-portforward\.xml:51 '
        # Translated, then blocked by the interface rule for the source network.
        $blocked = Test-TssrFirewallFlow -Path $pf -Source 203.0.113.9 -Destination 198.51.100.2 -Port 443 -Interface wan -WarningAction SilentlyContinue
        $blocked.Verdict | Should -Be 'Drop'
        $blocked.DecidingRule.Comment | Should -Be 'Abusive network'
        # A disabled port forward translates nothing.
        $old = Test-TssrFirewallFlow -RuleSet $set -Source 192.0.2.7 -Destination 198.51.100.2 -Port 2222 -Interface wan
        $old.Verdict | Should -Be 'Drop'
        $old.ByPolicy | Should -BeTrue
        ($old.Path -join "`n") | Should -Not -Match 'DNAT'
        # And in French.
        $fr = Invoke-TssrPwsh -Culture fr-FR -Raw -Script "Import-TssrFirewallRuleSet -Path '$pf' 3>&1 | Where-Object { `$_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message"
        $fr.Output | Should -Match 'NAT 1:1 non appliquée'
    }

    It 'reports a jump loop in a nat chain with its own error id, as for a filter chain' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "tssr-fw-natloop-$PID.rules"
        try {
            Set-Content -LiteralPath $file -Value @"
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:A - [0:0]
:B - [0:0]
-A OUTPUT -j A
-A A -j B
-A B -j A
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
"@
            $set = Import-TssrFirewallRuleSet -Path $file
            $e = { Test-TssrFirewallFlow -RuleSet $set -Source 10.0.0.1 -Destination 10.0.0.2 -Port 80 -Direction Output -ErrorAction Stop } |
                Should -Throw -ErrorId 'FirewallChainLoop*' -PassThru
            $e.CategoryInfo.Category | Should -Be 'InvalidData'
            $e.Exception.Message | Should -Match 'OUTPUT -> A -> B -> A'
        }
        finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
    }

    It 'rejects a bad address before any work, with a specific error id' {
        { Test-TssrFirewallFlow -Path (Join-Path $corpus 'host-iptables.rules') -Source 'not-an-ip' -Destination 192.168.10.1 -Port 22 -ErrorAction Stop } |
            Should -Throw -ErrorId 'FirewallFlowBadAddress*'
        { Test-TssrFirewallFlow -Path (Join-Path $corpus 'pfsense-config.xml') -Source 10.0.0.1 -Destination 10.0.0.2 -Port 22 -ErrorAction Stop } |
            Should -Throw -ErrorId 'FirewallFlowInterfaceRequired*'
    }
}

Describe 'Compare-TssrFirewallRuleSet' {
    It 'reports the traffic a change opens, not the lines' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "tssr-fw-compare-$PID"
        $null = New-Item -ItemType Directory -Force $dir
        try {
            $v1 = Get-Content -Raw (Join-Path $corpus 'host-iptables.rules')
            $v2 = $v1 -replace '(?m)^\[0:0\] -A INPUT -s 192\.168\.0\.0/16 -p tcp -m tcp --dport 9100 -j ACCEPT\r?\n', ''
            Set-Content (Join-Path $dir 'v1.rules') $v1
            Set-Content (Join-Path $dir 'v2.rules') $v2
            $changes = @(Compare-TssrFirewallRuleSet -ReferencePath (Join-Path $dir 'v1.rules') -DifferencePath (Join-Path $dir 'v2.rules'))
            $changes.Count | Should -Be 1
            $changes[0].Change | Should -Be 'NewlyBlocked'
            $changes[0].Source | Should -Be '192.168.0.0/16'
            $changes[0].DestinationPort | Should -Be '9100'
            $changes[0].Protocol | Should -Be 'tcp'
            $changes[0].ReferenceVerdict | Should -Be 'Accept'
            $changes[0].DifferenceVerdict | Should -Be 'Drop'
            $changes[0].ReferenceSource | Should -BeLike '*v1.rules:23'
            $changes[0].DifferenceSource | Should -BeLike '*v2.rules:30'
            @(Compare-TssrFirewallRuleSet -ReferencePath (Join-Path $dir 'v1.rules') -DifferencePath (Join-Path $dir 'v1.rules')).Count | Should -Be 0
        }
        finally { Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue }
    }
}

Describe 'Live rules in a network namespace, checked against real TCP connects' {
    BeforeAll {
        $script:ready = Test-LabPrerequisite -Command ip, nft, iptables-restore, iptables-save -Root
        if ($script:ready) {
            Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
            $script:lab = (Start-TssrLab -Component Firewall).Firewall
            $script:probe = {
                param($lab, $addresses)
                $script = @"
foreach (`$a in '$($addresses -join "','")') { foreach (`$p in $($lab.Ports -join ',')) {
    `$c = [System.Net.Sockets.TcpClient]::new([System.Net.IPAddress]::Parse(`$a).AddressFamily)
    `$outcome = try { if (`$c.ConnectAsync(`$a, `$p).Wait(1500)) { 'Accept' } else { 'Drop' } }
               catch { if (`$_.Exception.InnerException.InnerException.SocketErrorCode -eq 'ConnectionRefused' -or `$_.Exception.InnerException.SocketErrorCode -eq 'ConnectionRefused') { 'Reject' } else { 'Error: ' + `$_ } }
    `$c.Dispose()
    [pscustomobject]@{ Address = `$a; Port = `$p; Outcome = `$outcome }
} }
"@
                Invoke-TssrPwsh -Namespace $lab.Client -Script $script
            }
            # Real connects from the client namespace to the server's address: "port=Accept|Drop" each.
            $script:connectFromClient = {
                param($lab, $ports)
                Invoke-TssrPwsh -Namespace $lab.Client -Script @"
foreach (`$p in $($ports -join ',')) {
    `$c = [System.Net.Sockets.TcpClient]::new()
    `$outcome = try { if (`$c.ConnectAsync('$($lab.ServerAddress)', `$p).Wait(1500)) { 'Accept' } else { 'Drop' } } catch { 'Drop' }
    `$c.Dispose()
    "`$p=`$outcome"
}
"@
            }
            $script:verdicts = {
                param($lab, $addresses, $format)
                $script = @"
`$set = Import-TssrFirewallRuleSet -Live -Format $format
foreach (`$a in '$($addresses -join "','")') { foreach (`$p in $($lab.Ports -join ',')) {
    `$src = if (`$a.Contains(':')) { '$($lab.ClientAddress6)' } else { '$($lab.ClientAddress)' }
    `$r = Test-TssrFirewallFlow -RuleSet `$set -Source `$src -Destination `$a -Port `$p -Interface '$($lab.ServerLink)' -Direction Input
    [pscustomobject]@{ Address = `$a; Port = `$p; Outcome = [string]`$r.Verdict; Certain = `$r.Certain; Rule = `$r.Source }
} }
"@
                Invoke-TssrPwsh -Namespace $lab.Server -Script $script
            }
        }
    }

    It 'nftables: every verdict of -Live matches what a real connection does' {
        if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $rules = @"
flush ruleset
table inet fwlab {
    chain input {
        type filter hook input priority filter; policy drop;
        iifname "lo" accept
        ct state established,related accept
        meta l4proto ipv6-icmp accept
        ip saddr $($lab.ClientAddress) tcp dport 22 accept
        iifname "$($lab.ServerLink)" tcp dport { 80, 443 } accept
        tcp dport 3306 reject with tcp reset
        tcp dport 5432 jump db
    }
    chain db {
        ip saddr 198.19.250.0/30 return
        accept
    }
}
"@
        $file = Join-Path (Get-LabDirectory 'Firewall') 'lab.nft'
        Set-Content -LiteralPath $file -Value $rules
        & ip netns exec $lab.Server nft -f $file
        $LASTEXITCODE | Should -Be 0
        $addresses = @($lab.ServerAddress, $lab.ServerAddress6)
        $real = @(& $probe $lab $addresses)
        $predicted = @(& $verdicts $lab $addresses 'Auto')
        $real.Count | Should -Be 12
        ($predicted | Where-Object { -not $_.Certain }) | Should -BeNullOrEmpty
        ($predicted | ForEach-Object { "$($_.Address):$($_.Port)=$($_.Outcome)" }) -join ' ' |
            Should -Be (($real | ForEach-Object { "$($_.Address):$($_.Port)=$($_.Outcome)" }) -join ' ')
        # The rules really do discriminate: all three outcomes occur.
        ($real.Outcome | Sort-Object -Unique) -join ',' | Should -Be 'Accept,Drop,Reject'
    }

    It 'nftables: nft list ruleset and nft -j list ruleset of the same kernel rules give the same verdicts' {
        if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        # Named sets and maps, vmap, jump/goto/return/continue, ranges, !=, ct state, icmp, limit, three tables.
        & ip netns exec $lab.Server nft -f (Join-Path $corpus 'lab-nft.source.nft')
        $LASTEXITCODE | Should -Be 0
        $script = @"
`$text = Import-TssrFirewallRuleSet -Live -Format NftText
`$json = Import-TssrFirewallRuleSet -Live -Format NftJson
`$flows = foreach (`$dir in 'Input', 'Forward', 'Output') { foreach (`$proto in 'tcp', 'udp') { foreach (`$port in 22, 53, 68, 80, 443, 3306, 5050, 5432, 8050, 9000, 9001, 9002, 9003, 9999) {
    foreach (`$src in '198.19.250.1', '10.20.3.4', '172.16.5.5', '203.0.113.7') { [pscustomobject]@{ Source = `$src; Destination = '198.19.250.2'; Port = `$port; Protocol = `$proto; Direction = `$dir; Interface = '$($lab.ServerLink)' } }
    foreach (`$src in 'fd19:250::1', '2001:db8:bad::1') { [pscustomobject]@{ Source = `$src; Destination = 'fd19:250::2'; Port = `$port; Protocol = `$proto; Direction = `$dir; Interface = '$($lab.ServerLink)' } }
} } }
`$a = @(`$flows | Test-TssrFirewallFlow -RuleSet `$text)
`$b = @(`$flows | Test-TssrFirewallFlow -RuleSet `$json)
[pscustomobject]@{
    Text = [string]`$text.Format; Json = [string]`$json.Format; Rules = "`$(`$text.RuleCount)/`$(`$json.RuleCount)"; Count = `$a.Count
    Differences = @(for (`$i = 0; `$i -lt `$a.Count; `$i++) { `$x = "`$(`$a[`$i].Verdict) `$(`$a[`$i].Certain) `$(`$a[`$i].DecidingRule.Id)"; `$y = "`$(`$b[`$i].Verdict) `$(`$b[`$i].Certain) `$(`$b[`$i].DecidingRule.Id)"; if (`$x -ne `$y) { "`$(`$a[`$i].Flow): `$x / `$y" } })
    Verdicts = (`$a.Verdict | ForEach-Object { [string]`$_ } | Sort-Object -Unique) -join ','
    Lines = (`$a | Where-Object { -not `$_.ByPolicy } | Select-Object -First 1).Source
}
"@
        $r = Invoke-TssrPwsh -Namespace $lab.Server -Script $script
        $r.Text | Should -Be 'NftText'
        $r.Json | Should -Be 'NftJson'
        $r.Rules | Should -Be '29/29'
        $r.Count | Should -Be 504
        $r.Differences | Should -BeNullOrEmpty
        $r.Verdicts | Should -Be 'Accept,Drop,Reject,Undetermined'
        $r.Lines | Should -Match '^nft list ruleset:\d+'
        # And the text listing agrees with real connections through the namespace.
        $addresses = @($lab.ServerAddress, $lab.ServerAddress6)
        $real = @(& $probe $lab $addresses)
        $predicted = @(& $verdicts $lab $addresses 'NftText')
        ($predicted | ForEach-Object { "$($_.Address):$($_.Port)=$($_.Outcome)" }) -join ' ' |
            Should -Be (($real | ForEach-Object { "$($_.Address):$($_.Port)=$($_.Outcome)" }) -join ' ')
    }

    It 'nftables: a prerouting DNAT is applied before the input chain, as the kernel does' {
        if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $rules = @"
flush ruleset
table ip fwnat {
    chain prerouting {
        type nat hook prerouting priority dstnat; policy accept;
        tcp dport 8080 dnat to $($lab.ServerAddress):80
    }
}
table inet fwlab {
    chain input {
        type filter hook input priority filter; policy drop;
        iifname "lo" accept
        ct state established,related accept
        tcp dport 80 accept
    }
}
"@
        $file = Join-Path (Get-LabDirectory 'Firewall') 'nat.nft'
        Set-Content -LiteralPath $file -Value $rules
        & ip netns exec $lab.Server nft -f $file
        $LASTEXITCODE | Should -Be 0
        $addresses = @($lab.ServerAddress)
        $real = @(& $probe $lab $addresses)
        ($real | Where-Object Port -eq 8080).Outcome | Should -Be 'Accept'
        foreach ($format in 'NftText', 'NftJson') {
            $predicted = @(& $verdicts $lab $addresses $format)
            ($predicted | ForEach-Object { "$($_.Port)=$($_.Outcome)" }) -join ' ' | Should -Be (($real | ForEach-Object { "$($_.Port)=$($_.Outcome)" }) -join ' ')
        }
    }

    It 'iptables: iptables-save read with -Live matches what a real connection does' {
        if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        & ip netns exec $lab.Server nft flush ruleset
        $rules = @"
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DB - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -s $($lab.ClientAddress)/32 -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -i $($lab.ServerLink) -p tcp -m multiport --dports 80,443 -j ACCEPT
-A INPUT -p tcp -m tcp --dport 3306 -j REJECT --reject-with tcp-reset
-A INPUT -p tcp -m tcp --dport 5432 -j DB
-A DB -s 198.19.250.0/30 -j RETURN
-A DB -j ACCEPT
COMMIT
"@
        $file = Join-Path (Get-LabDirectory 'Firewall') 'lab.iptables'
        Set-Content -LiteralPath $file -Value $rules
        & ip netns exec $lab.Server iptables-restore $file
        $LASTEXITCODE | Should -Be 0
        $addresses = @($lab.ServerAddress)
        $real = @(& $probe $lab $addresses)
        $predicted = @(& $verdicts $lab $addresses 'IptablesSave')
        ($predicted | Where-Object { -not $_.Certain }) | Should -BeNullOrEmpty
        ($predicted | ForEach-Object { "$($_.Port)=$($_.Outcome)" }) -join ' ' | Should -Be (($real | ForEach-Object { "$($_.Port)=$($_.Outcome)" }) -join ' ')
        ($real.Outcome | Sort-Object -Unique) -join ',' | Should -Be 'Accept,Drop,Reject'
        # And the audit of the live rules points at iptables-save lines.
        $audit = Invoke-TssrPwsh -Namespace $lab.Server -Script "Import-TssrFirewallRuleSet -Live -Format IptablesSave | Invoke-TssrFirewallAudit | ForEach-Object { '{0} {1}' -f `$_.Kind, `$_.Source }"
        $audit | Should -Contain 'Ipv6Unfiltered iptables-save'
        @($audit | Where-Object { $_ -like 'NotAnalysed*' }).Count | Should -Be 0
    }

    It 'iptables: a nat OUTPUT DNAT is applied to locally generated traffic, as the kernel does' {
        if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        # The server accepts everything; the client may only send to port 443, and sends 8443 there through nat OUTPUT.
        & ip netns exec $lab.Server nft flush ruleset
        $rules = @"
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A OUTPUT -d $($lab.ServerAddress)/32 -p tcp -m tcp --dport 8443 -j DNAT --to-destination $($lab.ServerAddress):443
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT DROP [0:0]
-A OUTPUT -o lo -j ACCEPT
-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A OUTPUT -d $($lab.ServerAddress)/32 -p tcp -m tcp --dport 443 -j ACCEPT
COMMIT
"@
        $file = Join-Path (Get-LabDirectory 'Firewall') 'nat-output.iptables'
        Set-Content -LiteralPath $file -Value $rules
        try {
            & ip netns exec $lab.Client iptables-restore $file
            $LASTEXITCODE | Should -Be 0
            $ports = 8443, 443, 80
            $real = & $connectFromClient $lab $ports
            $predicted = Invoke-TssrPwsh -Namespace $lab.Client -Script @"
`$set = Import-TssrFirewallRuleSet -Live -Format IptablesSave
foreach (`$p in $($ports -join ',')) {
    `$r = Test-TssrFirewallFlow -RuleSet `$set -Source '$($lab.ClientAddress)' -Destination '$($lab.ServerAddress)' -Port `$p -OutInterface '$($lab.ClientLink)' -Direction Output
    "`$p=`$(`$r.Verdict) `$(`$r.Certain)"
}
"@
            ($real -join ' ') | Should -Be '8443=Accept 443=Accept 80=Drop'
            ($predicted -join ' ') | Should -Be '8443=Accept True 443=Accept True 80=Drop True'
        }
        finally { & ip netns exec $lab.Client nft flush ruleset }
    }

    It 'nftables: a nat output chain declared at priority 100 still translates before the filter chain at 0, as the kernel does' {
        if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        # Since Linux 4.18 every nat chain runs from the nat core at -100: the declared 100 only orders nat chains among themselves.
        & ip netns exec $lab.Server nft flush ruleset
        $rules = @"
flush ruleset
table ip fwnat {
    chain output {
        type nat hook output priority 100; policy accept;
        ip daddr $($lab.ServerAddress) tcp dport 8443 dnat to $($lab.ServerAddress):443
    }
}
table inet fwlab {
    chain output {
        type filter hook output priority filter; policy drop;
        oifname "lo" accept
        ct state established,related accept
        ip daddr $($lab.ServerAddress) tcp dport 443 accept
    }
}
"@
        $file = Join-Path (Get-LabDirectory 'Firewall') 'nat-output-late.nft'
        Set-Content -LiteralPath $file -Value $rules
        try {
            & ip netns exec $lab.Client nft -f $file
            $LASTEXITCODE | Should -Be 0
            $ports = 8443, 443, 80
            $real = & $connectFromClient $lab $ports
            ($real -join ' ') | Should -Be '8443=Accept 443=Accept 80=Drop'
            foreach ($format in 'NftText', 'NftJson') {
                $predicted = Invoke-TssrPwsh -Namespace $lab.Client -Script @"
`$set = Import-TssrFirewallRuleSet -Live -Format $format
foreach (`$p in $($ports -join ',')) {
    `$r = Test-TssrFirewallFlow -RuleSet `$set -Source '$($lab.ClientAddress)' -Destination '$($lab.ServerAddress)' -Port `$p -OutInterface '$($lab.ClientLink)' -Direction Output
    "`$p=`$(`$r.Verdict) `$(`$r.Certain)"
}
"@
                ($predicted -join ' ') | Should -Be '8443=Accept True 443=Accept True 80=Drop True' -Because $format
            }
        }
        finally { & ip netns exec $lab.Client nft flush ruleset }
    }
}

Describe 'Firewall cmdlet inputs (flags, ports, pipeline, paths)' {
    BeforeAll {
        $script:ackFirst = Join-Path ([IO.Path]::GetTempPath()) "tssr-fw-ackfirst-$PID.rules"
        Set-Content -LiteralPath $ackFirst -Value @"
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp --tcp-flags ACK ACK -j ACCEPT
-A INPUT -p tcp --syn --dport 22 -j ACCEPT
COMMIT
"@
        $script:ackSet = Import-TssrFirewallRuleSet -Path $ackFirst
    }
    AfterAll { Remove-Item -LiteralPath $ackFirst -ErrorAction SilentlyContinue }

    It 'takes -TcpFlags: a SYN (the default of a New flow) does not match an ACK rule, an ACK does' {
        $syn = Test-TssrFirewallFlow -RuleSet $ackSet -Source 192.0.2.7 -Destination 192.0.2.1 -Port 80
        $syn.Verdict | Should -Be 'Drop'
        $syn.Certain | Should -BeTrue
        $ack = Test-TssrFirewallFlow -RuleSet $ackSet -Source 192.0.2.7 -Destination 192.0.2.1 -Port 80 -TcpFlags ACK
        $ack.Verdict | Should -Be 'Accept'
        $ack.Source | Should -Match ':5$'
        $synAck = Test-TssrFirewallFlow -RuleSet $ackSet -Source 192.0.2.7 -Destination 192.0.2.1 -Port 22 -TcpFlags SYN, ACK
        $synAck.DecidingRule.Source.Line | Should -Be 5
        (Test-TssrFirewallFlow -RuleSet $ackSet -Source 192.0.2.7 -Destination 192.0.2.1 -Port 22 -TcpFlags 'SYN').Source | Should -Match ':6$'
        { Test-TssrFirewallFlow -RuleSet $ackSet -Source 192.0.2.7 -Destination 192.0.2.1 -Port 22 -TcpFlags SYN,BOGUS -ErrorAction Stop } |
            Should -Throw -ErrorId 'FirewallFlowBadTcpFlags*'
        { Test-TssrFirewallFlow -RuleSet $ackSet -Source 192.0.2.7 -Destination 192.0.2.1 -Port 53 -Protocol udp -TcpFlags SYN -ErrorAction Stop } |
            Should -Throw -ErrorId 'FirewallFlowTcpFlagsNotTcp*'
    }

    It 'takes the rule set from the pipeline, a service name for -Port, and requires a port for tcp/udp' {
        $r = $ackSet | Test-TssrFirewallFlow -Source 192.0.2.7 -Destination 192.0.2.1 -Port ssh
        $r.Verdict | Should -Be 'Accept'
        $r.Query.Packet.DestinationPort | Should -Be 22
        $e = { Test-TssrFirewallFlow -RuleSet $ackSet -Source 192.0.2.7 -Destination 192.0.2.1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'FirewallFlowPortRequired*' -PassThru
        $e.Exception.Message | Should -Match '-Port'
        { Test-TssrFirewallFlow -RuleSet $ackSet -Source 192.0.2.7 -Destination 192.0.2.1 -Port nosuchservice -ErrorAction Stop } |
            Should -Throw -ErrorId 'FirewallFlowBadPort*'
        # ICMP needs no port.
        (Test-TssrFirewallFlow -RuleSet $ackSet -Source 192.0.2.7 -Destination 192.0.2.1 -Protocol icmp).Verdict | Should -Be 'Drop'
        # Piped CSV rows still bind by property name; a bad row is an error for that row only.
        $rows = @(
            [pscustomobject]@{ Source = '192.0.2.7'; Destination = '192.0.2.1'; Port = '22' }
            [pscustomobject]@{ Source = 'bad'; Destination = '192.0.2.1'; Port = '22' }
            [pscustomobject]@{ Source = '192.0.2.8'; Destination = '192.0.2.1'; Port = 'ssh'; TcpFlags = 'ACK' }
        )
        $out = @($rows | Test-TssrFirewallFlow -RuleSet $ackSet -ErrorVariable errs -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 2
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'FirewallFlowBadAddress*'
        $out[1].Source | Should -Match ':5$'
    }

    It 'says a missing -Path does not exist, and refuses a path that is not on the file system' {
        $missing = Join-Path ([IO.Path]::GetTempPath()) "tssr-fw-no-such-$PID.rules"
        $e = { Test-TssrFirewallFlow -Path $missing -Source 10.0.0.1 -Destination 10.0.0.2 -Port 22 -ErrorAction Stop } |
            Should -Throw -ErrorId 'FirewallFileNotFound*' -PassThru
        $e.Exception.Message | Should -Match 'does not exist'
        $e.Exception.Message | Should -Not -Match 'Unexpected'
        $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Invoke-TssrFirewallAudit -Path $missing -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'FirewallFileNotFound*'
        { Invoke-TssrFirewallAudit -Path 'Env:PATH' -ErrorAction Stop } | Should -Throw -ErrorId 'FirewallPathNotFileSystem*'
        { Compare-TssrFirewallRuleSet -ReferencePath 'Variable:PSHOME' -DifferencePath $ackFirst -ErrorAction Stop } | Should -Throw -ErrorId 'FirewallPathNotFileSystem*'
        $fr = Invoke-TssrPwsh -Culture fr-FR -Raw -Script "try { Test-TssrFirewallFlow -Path '$missing' -Source 10.0.0.1 -Destination 10.0.0.2 -Port 22 -ErrorAction Stop } catch { 'MESSAGE=' + `$_.Exception.Message }"
        $fr.Output | Should -Match "MESSAGE=.*n'existe pas"
    }

    It 'exports readable lists to CSV, and keeps the columns that carry the answer at 80 columns' {
        $r = Test-TssrFirewallFlow -RuleSet $ackSet -Source 192.0.2.7 -Destination 192.0.2.1 -Port 80
        $row = $r | ConvertTo-Csv | ConvertFrom-Csv
        $row.Path | Should -Not -Match 'System\.'
        $row.PathText | Should -Match 'ip filter INPUT'
        $row.PossibleVerdicts | Should -Be 'Drop'
        $findings = @(Invoke-TssrFirewallAudit -Path (Join-Path $corpus 'anomalies.rules') -Kind Shadowing)
        $f = $findings | ConvertTo-Csv | ConvertFrom-Csv
        $f.RelatedRules | Should -Not -Match 'System\.'
        $f.RelatedRuleText | Should -Match 'anomalies\.rules:\d+'
        ($findings | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue | ConvertFrom-Json).RelatedRuleText | Should -Be $findings.RelatedRuleText
        # 80 columns: the verdict and its rule, the finding's explanation, the changed port.
        $flowText = $r | Out-String -Width 80
        $flowText | Should -Match 'Drop'
        $flowText | Should -Match 'policy'
        ($findings | Out-String -Width 80) | Should -Match 'shadow'
        $dir = Join-Path ([IO.Path]::GetTempPath()) "tssr-fw-80-$PID"
        $null = New-Item -ItemType Directory -Force $dir
        try {
            $v1 = Get-Content -Raw (Join-Path $corpus 'host-iptables.rules')
            Set-Content (Join-Path $dir 'v1.rules') $v1
            Set-Content (Join-Path $dir 'v2.rules') ($v1 -replace '(?m)^\[0:0\] -A INPUT -s 192\.168\.0\.0/16 -p tcp -m tcp --dport 9100 -j ACCEPT\r?\n', '')
            $changes = Compare-TssrFirewallRuleSet -ReferencePath (Join-Path $dir 'v1.rules') -DifferencePath (Join-Path $dir 'v2.rules')
            $text = $changes | Out-String -Width 80
            $text | Should -Match 'NewlyBlocked'
            $text | Should -Match '9100'
            $text | Should -Match 'Port'
            ($changes | Out-String -Width 160) | Should -Match 'DecidedBy'
        }
        finally { Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue }
    }

    It 'filters audit findings by severity and kind in the engine options' {
        $all = @(Invoke-TssrFirewallAudit -Path (Join-Path $corpus 'anomalies.rules'))
        $high = @(Invoke-TssrFirewallAudit -Path (Join-Path $corpus 'anomalies.rules') -MinimumSeverity High)
        $high.Count | Should -BeLessThan $all.Count
        $high | ForEach-Object { [int]$_.Severity | Should -BeGreaterOrEqual 3 }
        $kind = $all[0].Kind
        @(Invoke-TssrFirewallAudit -Path (Join-Path $corpus 'anomalies.rules') -Kind $kind) | ForEach-Object { $_.Kind | Should -Be $kind }
    }
}
