# Benchmark of Test-TssrHost against fping (BENCHMARKS.md): the ICMP sweep of 198.18.0.0/22 in the
# namespace lab (511 up, 511 silent), fping with its defaults and tuned (-i 1 -r 1 -t 500), runs
# alternating, medians, ratios to tuned fping, and every run's verdicts compared host by host with
# fping's. Test-TssrHost is timed twice: in a session where the module is already loaded (how a
# technician at the prompt runs it) and as a new pwsh that imports the module (how a script started
# from cron or CI runs it). Needs root (network namespaces) and fping.
param(
    [string] $ModulePath,
    [int] $Runs = 7,
    # fping's defaults take about 21 s per run: fewer of them still give a fair median.
    [int] $SlowRuns = 5,
    # A ReadyToRun pwsh.dll for the cold-start contender (made outside the namespace).
    [string] $ReadyToRunPwsh,
    # Runs of the breakdown (packet timeline of the cold contenders, docs/benchmarks.md); 0 skips it.
    [int] $BreakdownRuns = 5,
    [switch] $Inner
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$range = '198.18.0.0/22'

Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force

if (-not $Inner) {
    if (-not $ModulePath) { throw 'Give -ModulePath (./build.ps1 Bench does).' }
    $r2r = Get-ReadyToRunPwsh
    $null = Invoke-InScanNamespace -Name Host -ScriptPath $PSCommandPath -Tool 'fping', 'python3' -Arguments @('-ModulePath', $ModulePath, '-Runs', $Runs, '-SlowRuns', $SlowRuns, '-ReadyToRunPwsh', $r2r, '-BreakdownRuns', $BreakdownRuns)
    return
}

# --- Inside the scanner namespace from here on. ---
Import-Module (Join-Path $ModulePath 'Tssr.Tools.psd1')
$null = Test-TssrHost 198.18.0.1   # load and JIT once, as in a session already open
$pwsh = Get-PwshCommandLine
# The same PowerShell precompiled (ReadyToRun), as its release packages are: how an installed pwsh starts.
$r2rPwsh = @((Get-DotnetHost), $ReadyToRunPwsh)

function ConvertFrom-Fping([object[]] $Lines) {
    $verdict = @{}
    foreach ($line in $Lines) {
        if ("$line" -match '^(\S+) is (alive|unreachable)$') { $verdict[$Matches[1]] = if ($Matches[2] -eq 'alive') { 'Up' } else { 'Down' } }
    }
    $verdict
}

$tools = [ordered]@{
    'fping -i 1 -r 1 -t 500 -g (tuned)'  = @{ Slow = $false; Run = { ConvertFrom-Fping (& fping -i 1 -r 1 -t 500 -g $range 2>&1) } }
    'Test-TssrHost (in a session)'       = @{ Slow = $false; Run = {
            $verdict = @{}
            Test-TssrHost $range | ForEach-Object { $verdict[$_.IPAddress] = $_.Status.ToString() }
            $verdict } }
    'Test-TssrHost (new pwsh + import)'  = @{ Slow = $false; Run = {
            $script = "Import-Module '$(Join-Path $ModulePath 'Tssr.Tools.psd1')'; Test-TssrHost $range | ForEach-Object { `$_.IPAddress + '=' + `$_.Status }"
            $verdict = @{}
            foreach ($line in & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script) {
                $address, $status = "$line" -split '='
                if ($status) { $verdict[$address] = $status }
            }
            $verdict } }
    'Test-TssrHost (new ReadyToRun pwsh + import)' = @{ Slow = $false; Run = {
            $script = "Import-Module '$(Join-Path $ModulePath 'Tssr.Tools.psd1')'; Test-TssrHost $range | ForEach-Object { `$_.IPAddress + '=' + `$_.Status }"
            $verdict = @{}
            foreach ($line in & $r2rPwsh[0] $r2rPwsh[1] -NoProfile -NonInteractive -Command $script) {
                $address, $status = "$line" -split '='
                if ($status) { $verdict[$address] = $status }
            }
            $verdict } }
    'fping -g (defaults)'                = @{ Slow = $true; Run = { ConvertFrom-Fping (& fping -g $range 2>&1) } }
    # Context, not a contender: what starting PowerShell and importing the module cost by themselves.
    'new pwsh + import, no sweep'        = @{ Slow = $false; Context = $true; Run = {
            & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "Import-Module '$(Join-Path $ModulePath 'Tssr.Tools.psd1')'" | Out-Null
            $null } }
}

$times = @{}; $mismatchRuns = @{}
foreach ($name in $tools.Keys) { $times[$name] = [System.Collections.Generic.List[double]]::new(); $mismatchRuns[$name] = 0 }
$reference = $null

for ($i = 1; $i -le $Runs; $i++) {
    foreach ($name in $tools.Keys) {
        $tool = $tools[$name]
        if ($tool.Slow -and $i -gt $SlowRuns) { continue }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $verdict = & $tool.Run
        $seconds = $clock.Elapsed.TotalSeconds
        $times[$name].Add($seconds)
        if ($tool.ContainsKey('Context')) {
            Write-Host ("run {0}  {1,-46} {2,7:0.000} s" -f $i, $name, $seconds)
            continue
        }
        if (-not $reference) { $reference = $verdict }
        $up = @($verdict.Values | Where-Object { $_ -eq 'Up' }).Count
        $down = @($verdict.Values | Where-Object { $_ -eq 'Down' }).Count
        $differs = $verdict.Count -ne $reference.Count -or @($reference.Keys | Where-Object { $verdict[$_] -ne $reference[$_] }).Count -gt 0
        if ($differs) { $mismatchRuns[$name]++ }
        Write-Host ("run {0}  {1,-46} {2,7:0.000} s   {3} up, {4} down{5}" -f $i, $name, $seconds, $up, $down, $(if ($differs) { '   VERDICTS DIFFER' } else { '' }))
    }
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[[int][math]::Floor($n / 2)] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

$anchor = Get-Median $times['fping -i 1 -r 1 -t 500 -g (tuned)']
Write-Host ''
Write-Host "ICMP sweep of $range in the namespace lab: medians, verdicts against the first tuned fping run"
foreach ($name in $tools.Keys) {
    $median = Get-Median $times[$name]
    $verdicts = if ($tools[$name].ContainsKey('Context')) { 'n/a' } else { $mismatchRuns[$name] }
    Write-Host ("{0,-46} median {1,7:0.000} s over {2} runs   ratio to tuned fping {3:0.00}   runs with other verdicts: {4}" -f $name, $median, $times[$name].Count, ($median / $anchor), $verdicts)
}
$session = Get-Median $times['Test-TssrHost (in a session)']
$cold = Get-Median $times['Test-TssrHost (new pwsh + import)']
$coldR2r = Get-Median $times['Test-TssrHost (new ReadyToRun pwsh + import)']
$sameVerdicts = ($mismatchRuns.Values | Measure-Object -Sum).Sum -eq 0
Write-Host ''
Write-Host ("Bar (same verdicts, <= tuned fping's time): in a session {0}; new pwsh + import {1} (ReadyToRun pwsh: {2}); verdicts {3}." -f
    $(if ($session -le $anchor) { 'MET' } else { 'NOT MET' }), $(if ($cold -le $anchor) { 'MET' } else { 'NOT MET' }), $(if ($coldR2r -le $anchor) { 'MET' } else { 'NOT MET' }),
    $(if ($sameVerdicts) { 'identical in every run' } else { 'DIFFER' }))

# --- Where the time goes: every cold contender under the packet timeline, side by side. ---
if ($BreakdownRuns -gt 0) {
    Write-Host ''
    Write-Host "Breakdown (launch -> first packet out -> last packet out -> exit), $BreakdownRuns runs, order rotated:"
    $module = Join-Path $ModulePath 'Tssr.Tools.psd1'
    $sweep = "Import-Module '$module'; Test-TssrHost $range | Group-Object Status -NoElement | ForEach-Object { `$_.Name + '=' + `$_.Count } | Join-String -Separator ' '"
    $quiet = @('-NoProfile', '-NonInteractive', '-Command')
    $contenders = [ordered]@{
        'fping -i 1 -r 1 -t 500 -g (tuned)' = @('sh', '-c', "fping -i 1 -r 1 -t 500 -g $range 2>&1 | grep -c ' is alive'")
        'pwsh alone (dotnet tool)'          = @($pwsh) + $quiet + 'exit'
        'pwsh + import (dotnet tool)'       = @($pwsh) + $quiet + "Import-Module '$module'"
        'Test-TssrHost cold (dotnet tool)'  = @($pwsh) + $quiet + $sweep
        'pwsh alone (ReadyToRun)'           = @($r2rPwsh) + $quiet + 'exit'
        'pwsh + import (ReadyToRun)'        = @($r2rPwsh) + $quiet + "Import-Module '$module'"
        'Test-TssrHost cold (ReadyToRun)'   = @($r2rPwsh) + $quiet + $sweep
    }
    $rows = Invoke-Breakdown -Contenders $contenders -Runs $BreakdownRuns
    $fpingRow = $rows | Where-Object Contender -like 'fping*'
    foreach ($row in $rows | Where-Object Contender -like 'Test-TssrHost*') {
        $same = (($row.'Last line' -split ' ' | Sort-Object) -join ' ') -eq 'Down=511 Up=511' -and $fpingRow.'Last line' -eq '511'
        Write-Host ("{0} / fping, same run: {1:0.000} (goal <= 0.80); counts {2}" -f $row.Contender, ($row.'Total s' / $fpingRow.'Total s'), $(if ($same) { 'as fping (511 up, 511 down)' } else { "DIFFER: $($row.'Last line') / fping $($fpingRow.'Last line') alive" }))
    }
    # The floor at these settings: every request 1 ms after the previous one, whatever its target
    # (1,022 first requests, 511 retries), then the last retry's 500 ms timeout.
    Write-Host 'Floor of the sweep at -IntervalSec 0.001 -Retry 1 -TimeoutSec 0.5: (1,022 + 511 - 1) x 1 ms + 500 ms = 2.032 s, before any process start.'

    # Memory: a fresh pwsh sweeping 4,096 then 65,536 loopback addresses (every one answers; no
    # pacing, so that the run takes seconds), peak resident memory of the whole process.
    $small = Measure-PeakMemory -Pwsh $pwsh -Script "Import-Module '$module'; Test-TssrHost 127.0.0.0/20 -IncludeNetworkAndBroadcast -IntervalSec 0 | Out-Null"
    $large = Measure-PeakMemory -Pwsh $pwsh -Script "Import-Module '$module'; Test-TssrHost 127.0.0.0/16 -IncludeNetworkAndBroadcast -IntervalSec 0 | Out-Null"
    Write-Host ("Peak memory of a fresh pwsh: 4,096 targets {0} MiB, 65,536 targets {1} MiB (x{2:0.00} for 16 x the targets)" -f $small, $large, ($large / $small))
}
