# Benchmark of Test-TssrPort against nmap's connect scan (BENCHMARKS.md): the namespace lab's
# 1,024 hosts × 5 ports (512 live, 512 silent: 1 open, 2,559 closed, 2,560 filtered), alternating
# runs, medians, the ratio to nmap's most aggressive run, and PowerShell's own Test-Connection
# -TcpPort on a small subset, extrapolated (it probes one port at a time).
# Needs root (network namespaces) and nmap. Runs itself again inside the scanner namespace.
param(
    [string] $ModulePath,
    [int] $Runs = 5,
    # nmap -T4 and -T5 take minutes per run: fewer of them still give a fair median.
    [int] $SlowRuns = $Runs,
    # A ReadyToRun pwsh.dll for the cold-start contender (made outside the namespace).
    [string] $ReadyToRunPwsh,
    # Runs of the breakdown (packet timeline of the cold contenders, docs/benchmarks.md); 0 skips it.
    [int] $BreakdownRuns = 5,
    [switch] $Inner
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$range = '198.18.0.0/22'
$ports = '22,80,443,3389,8080'
$expected = @{ Open = 1; Closed = 2559; Filtered = 2560 }

Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force

if (-not $Inner) {
    if (-not $ModulePath) { throw 'Give -ModulePath (./build.ps1 Bench does).' }
    $r2r = Get-ReadyToRunPwsh
    $null = Invoke-InScanNamespace -Name Port -ScriptPath $PSCommandPath -Tool 'nmap', 'python3' -Arguments @('-ModulePath', $ModulePath, '-Runs', $Runs, '-SlowRuns', $SlowRuns, '-ReadyToRunPwsh', $r2r, '-BreakdownRuns', $BreakdownRuns)
    return
}

# --- Inside the scanner namespace from here on. ---
Import-Module (Join-Path $ModulePath 'Tssr.Tools.psd1')
$null = Test-TssrPort 198.18.0.10 -Port 80   # load and JIT once, as in a session already open
$pwsh = Get-PwshCommandLine
# The same PowerShell precompiled (ReadyToRun), as its release packages are: how an installed pwsh starts.
$r2rPwsh = @((Get-DotnetHost), $ReadyToRunPwsh)
$xml = Join-Path ([IO.Path]::GetTempPath()) "tssr-port-bench-$PID.xml"

function Get-NmapCount {
    $doc = [xml](Get-Content -Raw $xml)
    $counts = @{ Open = 0; Closed = 0; Filtered = 0 }
    foreach ($h in $doc.SelectNodes('/nmaprun/host')) {
        foreach ($p in $h.SelectNodes('ports/port')) { $counts[(Get-Culture).TextInfo.ToTitleCase($p.state.state)]++ }
        foreach ($x in $h.SelectNodes('ports/extraports')) { $counts[(Get-Culture).TextInfo.ToTitleCase($x.state)] += [int]$x.count }
    }
    $counts
}

function Invoke-Nmap([string[]] $Timing) {
    & nmap -sT -Pn -n -p $ports @Timing -oX $xml $range | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "nmap $Timing failed" }
    Get-NmapCount
}

$tools = [ordered]@{
    'Test-TssrPort (in a session)'           = @{ Slow = $false; Run = {
            $c = @{ Open = 0; Closed = 0; Filtered = 0 }
            Test-TssrPort $range -Port $ports -IncludeNetworkAndBroadcast | ForEach-Object { $c[$_.Status.ToString()]++ }
            $c } }
    'Test-TssrPort (new pwsh + import)'      = @{ Slow = $false; Run = {
            $script = "Import-Module '$(Join-Path $ModulePath 'Tssr.Tools.psd1')'; Test-TssrPort $range -Port $ports -IncludeNetworkAndBroadcast | Group-Object Status -NoElement | ForEach-Object { `$_.Name + '=' + `$_.Count }"
            $c = @{ Open = 0; Closed = 0; Filtered = 0 }
            foreach ($line in & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script) {
                $name, $count = $line -split '='
                $c[$name] = [int]$count
            }
            $c } }
    'Test-TssrPort (new ReadyToRun pwsh + import)' = @{ Slow = $false; Run = {
            $script = "Import-Module '$(Join-Path $ModulePath 'Tssr.Tools.psd1')'; Test-TssrPort $range -Port $ports -IncludeNetworkAndBroadcast | Group-Object Status -NoElement | ForEach-Object { `$_.Name + '=' + `$_.Count }"
            $c = @{ Open = 0; Closed = 0; Filtered = 0 }
            foreach ($line in & $r2rPwsh[0] $r2rPwsh[1] -NoProfile -NonInteractive -Command $script) {
                $name, $count = $line -split '='
                $c[$name] = [int]$count
            }
            $c } }
    'nmap -sT -Pn --min-rate 5000 --max-retries 1' = @{ Slow = $false; Run = { Invoke-Nmap '--min-rate', '5000', '--max-retries', '1' } }
    'nmap -sT -Pn -T5'                        = @{ Slow = $true; Run = { Invoke-Nmap '-T5' } }
    'nmap -sT -Pn -T4'                        = @{ Slow = $true; Run = { Invoke-Nmap '-T4' } }
}

$samples = @{}
foreach ($name in $tools.Keys) { $samples[$name] = [System.Collections.Generic.List[object]]::new() }
$names = @($tools.Keys)
Write-Host "Port bench: $range x $ports, $Runs runs ($SlowRuns for nmap -T4/-T5), alternating; load: $((Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3)"
for ($run = 0; $run -lt $Runs; $run++) {
    # Rotate the order so that no tool always runs first (or right after another's burst).
    for ($k = 0; $k -lt $names.Count; $k++) {
        $name = $names[($k + $run) % $names.Count]
        if ($tools[$name].Slow -and $run -ge $SlowRuns) { continue }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $counts = & $tools[$name].Run
        $seconds = $clock.Elapsed.TotalSeconds
        $same = $counts.Open -eq $expected.Open -and $counts.Closed -eq $expected.Closed -and $counts.Filtered -eq $expected.Filtered
        $samples[$name].Add([pscustomobject]@{ Seconds = $seconds; Counts = "$($counts.Open)/$($counts.Closed)/$($counts.Filtered)"; Same = $same })
        Write-Host ("  run {0} {1,-46} {2,8:0.00} s  open/closed/filtered {3}{4}" -f ($run + 1), $name, $seconds, $samples[$name][-1].Counts, $(if ($same) { '' } else { '  <-- differs' }))
    }
}
Remove-Item $xml -ErrorAction SilentlyContinue

# Test-Connection -TcpPort: one port at a time, True/False only (it cannot tell closed from
# filtered). Measured on 8 live and 8 silent hosts, then extrapolated to the 1,024 hosts.
$liveHosts = 8..15 | ForEach-Object { "198.18.0.$_" }
$silentHosts = 8..15 | ForEach-Object { "198.18.2.$_" }
$portList = $ports -split ','
$measure = {
    param($hostList)
    $true_ = 0
    $clock = [Diagnostics.Stopwatch]::StartNew()
    foreach ($h in $hostList) { foreach ($p in $portList) { if (Test-Connection $h -TcpPort $p -TimeoutSeconds 1 -Quiet) { $true_++ } } }
    [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; Connected = $true_; Probes = $hostList.Count * $portList.Count }
}
$live = & $measure $liveHosts
$silent = & $measure $silentHosts
$perLive = $live.Seconds / $live.Probes
$perSilent = $silent.Seconds / $silent.Probes
$extrapolated = 2560 * $perLive + 2560 * $perSilent
Write-Host ("  Test-Connection -TcpPort -TimeoutSeconds 1: {0:0.000} s per live port, {1:0.000} s per silent port ({2} + {3} probes, {4} connected) -> {5:0} s for the whole sweep, extrapolated" -f $perLive, $perSilent, $live.Probes, $silent.Probes, ($live.Connected + $silent.Connected), $extrapolated)

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { return $null }
    if ($n % 2) { $sorted[[int][math]::Floor($n / 2)] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

$names = @($names | Where-Object { $samples[$_].Count -gt 0 })
$fastestNmap = ($names | Where-Object { $_ -like 'nmap*' } | ForEach-Object { Get-Median $samples[$_].Seconds } | Measure-Object -Minimum).Minimum
$ours = Get-Median $samples['Test-TssrPort (in a session)'].Seconds
Write-Host ''
$table = foreach ($name in $names) {
    $s = $samples[$name]
    $median = Get-Median $s.Seconds
    [pscustomobject]@{
        Tool           = $name
        Runs           = $s.Count
        'Median s'     = [math]::Round($median, 2)
        'Min s'        = [math]::Round(($s.Seconds | Measure-Object -Minimum).Minimum, 2)
        'Max s'        = [math]::Round(($s.Seconds | Measure-Object -Maximum).Maximum, 2)
        'Same verdicts' = if (@($s | Where-Object { -not $_.Same }).Count) { 'NO' } else { 'yes' }
        'Ours / this'  = [math]::Round($ours / $median, 3)
    }
}
$table += [pscustomobject]@{ Tool = 'Test-Connection -TcpPort (extrapolated)'; Runs = 1; 'Median s' = [math]::Round($extrapolated, 0); 'Min s' = $null; 'Max s' = $null; 'Same verdicts' = 'n/a (True/False only)'; 'Ours / this' = [math]::Round($ours / $extrapolated, 4) }
$table | Format-Table -AutoSize | Out-String -Width 220 | Write-Host
$ratio = $ours / $fastestNmap
Write-Host ("Ratio ours (in a session) / nmap's fastest: {0:0.000} (bar <= 0.5): {1}" -f $ratio, $(if ($ratio -le 0.5) { 'met' } else { 'NOT met' }))
$cold = Get-Median $samples['Test-TssrPort (new pwsh + import)'].Seconds
Write-Host ("Ratio ours (new pwsh + module import) / nmap's fastest: {0:0.000}" -f ($cold / $fastestNmap))
$coldR2r = Get-Median $samples['Test-TssrPort (new ReadyToRun pwsh + import)'].Seconds
Write-Host ("Ratio ours (new ReadyToRun pwsh + module import) / nmap's fastest: {0:0.000}" -f ($coldR2r / $fastestNmap))

# --- Where the time goes: every cold contender under the packet timeline, side by side. ---
if ($BreakdownRuns -gt 0) {
    Write-Host ''
    Write-Host "Breakdown (launch -> first packet out -> last packet out -> exit), $BreakdownRuns runs, order rotated:"
    $module = Join-Path $ModulePath 'Tssr.Tools.psd1'
    $sweep = "Import-Module '$module'; Test-TssrPort $range -Port $ports -IncludeNetworkAndBroadcast | Group-Object Status -NoElement | ForEach-Object { `$_.Name + '=' + `$_.Count } | Join-String -Separator ' '"
    $quiet = @('-NoProfile', '-NonInteractive', '-Command')
    $contenders = [ordered]@{
        'nmap --min-rate 5000 --max-retries 1' = @('nmap', '-sT', '-Pn', '-n', '-p', $ports, '--min-rate', '5000', '--max-retries', '1', $range)
        'pwsh alone (dotnet tool)'             = @($pwsh) + $quiet + 'exit'
        'pwsh + import (dotnet tool)'          = @($pwsh) + $quiet + "Import-Module '$module'"
        'Test-TssrPort cold (dotnet tool)'     = @($pwsh) + $quiet + $sweep
        'pwsh alone (ReadyToRun)'              = @($r2rPwsh) + $quiet + 'exit'
        'pwsh + import (ReadyToRun)'           = @($r2rPwsh) + $quiet + "Import-Module '$module'"
        'Test-TssrPort cold (ReadyToRun)'      = @($r2rPwsh) + $quiet + $sweep
    }
    $rows = Invoke-Breakdown -Contenders $contenders -Runs $BreakdownRuns
    $nmapRow = $rows | Where-Object Contender -like 'nmap*'
    foreach ($row in $rows | Where-Object Contender -like 'Test-TssrPort*') {
        $same = (($row.'Last line' -split ' ' | Sort-Object) -join ' ') -eq "Closed=$($expected.Closed) Filtered=$($expected.Filtered) Open=$($expected.Open)"
        Write-Host ("{0} / nmap, same run: {1:0.000} (goal <= 0.30); verdicts {2}" -f $row.Contender, ($row.'Total s' / $nmapRow.'Total s'), $(if ($same) { 'as expected' } else { "DIFFER: $($row.'Last line')" }))
    }

    # Memory: a fresh pwsh sweeping 4,096 then 65,536 loopback targets (every one refused at once),
    # peak resident memory of the whole process.
    $small = Measure-PeakMemory -Pwsh $pwsh -Script "Import-Module '$module'; Test-TssrPort 127.0.0.0/20 -Port 9 -IncludeNetworkAndBroadcast | Out-Null"
    $large = Measure-PeakMemory -Pwsh $pwsh -Script "Import-Module '$module'; Test-TssrPort 127.0.0.0/16 -Port 9 -IncludeNetworkAndBroadcast | Out-Null"
    Write-Host ("Peak memory of a fresh pwsh: 4,096 targets {0} MiB, 65,536 targets {1} MiB (x{2:0.00} for 16 x the targets)" -f $small, $large, ($large / $small))
}
