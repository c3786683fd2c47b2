# Firewall audit benchmark: generated rule sets of 1k, 10k and 100k rules (a host/perimeter INPUT
# chain dispatching by destination network to one user chain per zone, host/service rules, mostly
# accept, some drop/reject, overlaps included). There is no published peer figure (BENCHMARKS.md),
# so the bar is absolute: 10k rules fully audited (every anomaly class and policy check) <= 2 s,
# growth from 10k to 100k <= 15x. Each size is audited in a fresh pwsh (import + read + audit, as a
# user runs it), >= 5 runs alternating sizes; wall-clock and CPU medians are printed.
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Runs = 5, [int[]] $Sizes = @(1000, 10000, 100000))
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$work = Join-Path ([IO.Path]::GetTempPath()) "tssr-bench-fw-$PID"
$null = New-Item -ItemType Directory -Force $work

function New-BenchRuleSet([int] $Rules, [int] $Seed, [string] $File) {
    $ports = '22', '80', '443', '3306', '5432', '8080', '53', '123', '161', '3389', '8443', '9000:9100', '25', '110:143'
    $r = [Random]::new($Seed)
    $zones = [Math]::Max(1, [int]($Rules / 500))
    $sb = [Text.StringBuilder]::new($Rules * 90)
    $null = $sb.Append("*filter`n:INPUT DROP [0:0]`n:FORWARD DROP [0:0]`n:OUTPUT ACCEPT [0:0]`n")
    for ($z = 0; $z -lt $zones; $z++) { $null = $sb.Append(":ZONE_$z - [0:0]`n") }
    $null = $sb.Append("-A INPUT -i lo -j ACCEPT`n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`n")
    for ($z = 0; $z -lt $zones; $z++) { $null = $sb.Append("-A INPUT -d 10.$($z % 250).$([int][Math]::Floor($z / 250)).0/24 -j ZONE_$z`n") }
    for ($k = 0; $k -lt $Rules; $k++) {
        $z = $k % $zones
        $null = $sb.Append("-A ZONE_$z")
        $s = $r.Next(10)
        if ($s -lt 4) { $null = $sb.Append(" -s 172.$(16 + $r.Next(16)).$($r.Next(256)).0/24") }
        elseif ($s -lt 7) { $null = $sb.Append(" -s 192.168.$($r.Next(256)).$($r.Next(256))") }
        $null = $sb.Append(" -d 10.$($z % 250).$([int][Math]::Floor($z / 250)).$($r.Next(64))")
        $proto = if ($r.Next(10) -lt 7) { 'tcp' } else { 'udp' }
        $null = $sb.Append(" -p $proto -m $proto --dport $($ports[$r.Next($ports.Length)])")
        $a = $r.Next(20)
        $null = $sb.Append($(if ($a -lt 16) { " -j ACCEPT`n" } elseif ($a -lt 19) { " -j DROP`n" } else { " -j REJECT`n" }))
    }
    $null = $sb.Append("-A INPUT -j DROP`nCOMMIT`n")
    [IO.File]::WriteAllText($File, $sb.ToString())
}

$process = [Environment]::ProcessPath
$pwsh = if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { @($process, (Join-Path $PSHOME 'pwsh.dll')) } else { @($process) }
$psd1 = Join-Path $ModulePath 'Tssr.Tools.psd1'
$files = @{}
foreach ($n in $Sizes) { $files[$n] = Join-Path $work "gen-$n.rules"; New-BenchRuleSet -Rules $n -Seed 42 -File $files[$n] }

# One run: a fresh pwsh imports the module, reads and audits; it reports the in-process times.
$probe = @'
param($psd1, $file)
Import-Module $psd1
$p = [Diagnostics.Process]::GetCurrentProcess(); $cpu0 = $p.TotalProcessorTime
$w = [Diagnostics.Stopwatch]::StartNew()
$set = Import-TssrFirewallRuleSet -Path $file
$read = $w.Elapsed.TotalSeconds
$findings = @(Invoke-TssrFirewallAudit -RuleSet $set)
$total = $w.Elapsed.TotalSeconds
$p.Refresh()
'{0} {1} {2} {3}' -f $read, $total, ($p.TotalProcessorTime - $cpu0).TotalSeconds, $findings.Count
'@
$probeFile = Join-Path $work 'probe.ps1'
Set-Content -LiteralPath $probeFile -Value $probe
$results = @{}
foreach ($n in $Sizes) { $results[$n] = [Collections.Generic.List[object]]::new() }
for ($run = 0; $run -lt $Runs; $run++) {
    foreach ($n in $Sizes) {
        $exe = $pwsh[0]; $rest = @($pwsh | Select-Object -Skip 1)
        $line = & $exe @rest -NoProfile -NonInteractive -File $probeFile $psd1 $files[$n] | Select-Object -Last 1
        if ($LASTEXITCODE -ne 0 -or -not $line) { throw "The run on $n rules failed." }
        $f = $line -split ' '
        $results[$n].Add([pscustomobject]@{ Read = [double]$f[0]; Total = [double]$f[1]; Cpu = [double]$f[2]; Findings = [int]$f[3] })
    }
}
function Median([double[]] $v) { $s = $v | Sort-Object; $s[[int][Math]::Floor($s.Count / 2)] }
Write-Host ("{0,8} {1,12} {2,14} {3,12} {4,10}" -f 'rules', 'read (s)', 'read+audit (s)', 'CPU (s)', 'findings')
$med = @{}
foreach ($n in $Sizes) {
    $m = [pscustomobject]@{ Read = Median $results[$n].Read; Total = Median $results[$n].Total; Cpu = Median $results[$n].Cpu; Findings = $results[$n][0].Findings }
    $med[$n] = $m
    Write-Host ("{0,8} {1,12:F2} {2,14:F2} {3,12:F2} {4,10}" -f $n, $m.Read, $m.Total, $m.Cpu, $m.Findings)
}
if ($med.ContainsKey(10000) -and $med.ContainsKey(100000)) {
    $growth = $med[100000].Total / $med[10000].Total
    $growthCpu = $med[100000].Cpu / $med[10000].Cpu
    Write-Host ("growth 10k -> 100k: {0:F1}x wall, {1:F1}x CPU (bar <= 15x)" -f $growth, $growthCpu)
    Write-Host ("10k read+audit: {0:F2} s wall, {1:F2} s CPU (bar <= 2 s)" -f $med[10000].Total, $med[10000].Cpu)
}
Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
