# Firewall rule auditing (B2: secure Internet access and interconnections) on the sample rule sets
# of tests/Firewall/corpus, then on this host's own rules when it is allowed to read them.
$corpus = Join-Path $PSScriptRoot '../tests/Firewall/corpus'

Write-Host 'A host firewall saved with iptables-save, read into the normalised model:'
$host1 = Import-TssrFirewallRuleSet (Join-Path $corpus 'host-iptables.rules')
$host1 | Format-Table

Write-Host 'The audit of a rule set holding one anomaly of each Al-Shaer & Hamed kind:'
$findings = Invoke-TssrFirewallAudit -Path (Join-Path $corpus 'anomalies.rules')
$global:TssrDemoResults += @($findings)
$findings | Format-Table
Write-Host 'The shadowed rule, explained:'
$findings | Where-Object Kind -eq Shadowing | Format-List Severity, Kind, RuleId, Source, Explanation, Recommendation

Write-Host 'Can 203.0.113.9 open SSH on the host? Which rule decides, through which chains?'
$flow = Test-TssrFirewallFlow -RuleSet $host1 -Source 203.0.113.9 -Destination 192.168.10.1 -Port 22 -Interface eth0
$flow | Format-Table
$flow.Path | ForEach-Object { "    $_" }

Write-Host 'A pfSense backup: the flows of a matrix, interface by interface:'
$pf = Import-TssrFirewallRuleSet (Join-Path $corpus 'pfsense-config.xml') -WarningAction SilentlyContinue
Import-Csv (Join-Path $corpus 'pfsense-config.flows.csv') | Select-Object -First 6 | Test-TssrFirewallFlow -RuleSet $pf | Format-Table

Write-Host 'What would change if the 9100/tcp exception for the LAN were deleted? (traffic, not lines)'
$v2 = (Get-Content -Raw (Join-Path $corpus 'host-iptables.rules')) -replace '(?m)^\[0:0\] -A INPUT -s 192\.168\.0\.0/16 -p tcp -m tcp --dport 9100 -j ACCEPT\r?\n', ''
$tmp = Join-Path ([IO.Path]::GetTempPath()) "tssr-demo-fw-$PID.rules"
Set-Content -LiteralPath $tmp -Value $v2
try { Compare-TssrFirewallRuleSet -ReferenceRuleSet $host1 -DifferenceRuleSet (Import-TssrFirewallRuleSet $tmp) | Format-Table -Wrap }
finally { Remove-Item -LiteralPath $tmp -ErrorAction SilentlyContinue }

Write-Host 'The same nftables rules listed as text (nft list ruleset) and as JSON (nft -j) give the same verdict:'
foreach ($file in 'host-nft.nft', 'host-nft.json') {
    Test-TssrFirewallFlow -Path (Join-Path $corpus $file) -Source 203.0.113.9 -Destination 192.168.10.1 -Port 8080 -Interface eth0 -Direction Input |
        Format-Table RuleSet, Verdict, DecidingRule, Source
}
Write-Host '  (8080 is translated to 80 by the nat prerouting DNAT before the input chain; the path shows it)'

Write-Host 'A Windows Firewall export (Get-NetFirewallRule with its filters, as JSON): block rules win over allow rules.'
$win = Import-TssrFirewallRuleSet (Join-Path $corpus 'windows-rules.json') -WarningAction SilentlyContinue
Invoke-TssrFirewallAudit -RuleSet $win -Kind Shadowing | Format-List RuleId, Explanation
Test-TssrFirewallFlow -RuleSet $win -Source 10.10.1.30 -Destination 10.10.1.5 -Port 445 -Direction Output | Format-Table Verdict, DecidingRule, Source

Write-Host 'One Windows export, two profiles: RDP from the LAN is let in on the domain network, not on a public one.'
'Domain', 'Public' | ForEach-Object {
    Test-TssrFirewallFlow -Path (Join-Path $corpus 'windows-profiles.json') -Profile $_ -Source 10.20.1.5 -Destination 10.20.0.10 -Port 3389 -WarningAction SilentlyContinue
} | Format-Table Profile, Verdict, DecidingRule, Source

Write-Host 'A pfSense port forward: HTTPS to the WAN address is translated to the web server, then the WAN rules decide.'
Test-TssrFirewallFlow -Path (Join-Path $corpus 'pfsense-portforward.xml') -Source 192.0.2.7 -Destination 198.51.100.2 -Port 443 -Interface wan -WarningAction SilentlyContinue |
    Format-List Verdict, DecidingRule, Path

$isRoot = -not $IsWindows -and (& id -u) -eq '0'
if ($isRoot -and ((Get-Command nft -ErrorAction SilentlyContinue) -or (Get-Command iptables-save -ErrorAction SilentlyContinue))) {
    Write-Host "This host's own rules (read-only), findings of medium severity and above:"
    try {
        $live = Import-TssrFirewallRuleSet -Live -WarningAction SilentlyContinue
        $live | Format-Table
        $live | Invoke-TssrFirewallAudit -MinimumSeverity Medium | Format-Table -Wrap
    }
    catch { Write-Host "    skipped: $($_.Exception.Message)" }
}
else {
    Write-Host "This host's own rules: skipped (reading netfilter rules needs root and nft or iptables-save)."
}
