# Benchmark of the SNMP cmdlets against net-snmp's tools and onesixtyone, on the lab's snmpd
# (tests/lab/components/Snmp.ps1): the full walk of the agent (.1.3, about 9,000 varbinds) in v2c
# and in v3 authPriv (SHA-256/AES) against `snmpbulkwalk -Cr50` (snmpwalk for context), and a sweep
# of 127.0.0.0/22 on the fleet's port (3 agents among 1,021 addresses that do not answer) against
# onesixtyone. Runs alternate; medians and the ratio to the net-snmp/onesixtyone median are printed;
# each run's answer is checked (varbind count, agents found). Our commands are timed in a session
# where the module is already loaded and as a new pwsh that imports the module.
param(
    [string] $ModulePath,
    [int] $Runs = 5
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

foreach ($tool in 'snmpd', 'snmpbulkwalk', 'snmpwalk', 'onesixtyone') {
    if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { Write-Warning "Snmp bench skipped: '$tool' is missing."; return }
}
if (-not $ModulePath) { throw 'Give -ModulePath (./build.ps1 Bench does).' }
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
Import-Module (Join-Path $ModulePath 'Tssr.Tools.psd1')

$wasRunning = [bool](Get-LabState 'Snmp')
$facts = Start-TssrLab -Component Snmp, SnmpFleet
$lab = $facts.Snmp
$fleet = $facts.SnmpFleet
foreach ($k in $lab.ToolEnvironment.Keys) { [Environment]::SetEnvironmentVariable($k, $lab.ToolEnvironment[$k]) }
$agent = $lab.Endpoint
$user = $lab.Users | Where-Object Name -eq 'tssrsha256aes'
$pwsh = Get-PwshCommandLine
$module = Join-Path $ModulePath 'Tssr.Tools.psd1'
$hosts = Join-Path ([IO.Path]::GetTempPath()) "tssr-snmp-bench-hosts-$PID.txt"
0..3 | ForEach-Object { $c = $_; 0..255 | ForEach-Object { "127.0.$c.$_" } } | Set-Content $hosts
# Secrets reach the child pwsh through its environment, never its command line.
$env:TSSR_BENCH_AUTH = $user.AuthPassphrase
$env:TSSR_BENCH_PRIV = $user.PrivacyPassphrase
$v3 = @{
    Credential = [pscredential]::new($user.Name, (ConvertTo-SecureString $user.AuthPassphrase -AsPlainText -Force))
    AuthProtocol = 'SHA256'; PrivacyProtocol = 'AES'; PrivacyPassphrase = (ConvertTo-SecureString $user.PrivacyPassphrase -AsPlainText -Force)
}
$v3Child = "`$v3 = @{ Credential = [pscredential]::new('$($user.Name)', (ConvertTo-SecureString `$env:TSSR_BENCH_AUTH -AsPlainText -Force)); AuthProtocol = 'SHA256'; PrivacyProtocol = 'AES'; PrivacyPassphrase = (ConvertTo-SecureString `$env:TSSR_BENCH_PRIV -AsPlainText -Force) }"
$netsnmpV3 = @('-v3', '-u', $user.Name, '-l', 'authPriv', '-a', 'SHA-256', '-A', $user.AuthPassphrase, '-x', 'AES', '-X', $user.PrivacyPassphrase)

function Invoke-Child([string] $Script) {
    @(& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "Import-Module '$module'; $Script")
}

$null = Invoke-TssrSnmpWalk $agent system    # load and JIT once, as in a session already open
$null = Invoke-TssrSnmpWalk $agent system @v3

$groups = [ordered]@{
    'Full walk, v2c' = [ordered]@{
        'snmpbulkwalk -Cr50'              = { @(& snmpbulkwalk -On -v2c -c public -Cr50 $agent .1.3) -match '^\.' -notmatch 'No more variables' | Measure-Object | ForEach-Object Count }
        'snmpwalk (GETNEXT, context)'     = { @(& snmpwalk -On -v2c -c public $agent .1.3) -match '^\.' -notmatch 'No more variables' | Measure-Object | ForEach-Object Count }
        'Invoke-TssrSnmpWalk (session)'   = { Invoke-TssrSnmpWalk $agent -Oid 1.3 | Measure-Object | ForEach-Object Count }
        'Invoke-TssrSnmpWalk (new pwsh)'  = { [int]@(Invoke-Child "Invoke-TssrSnmpWalk '$agent' -Oid 1.3 | Measure-Object | ForEach-Object Count")[-1] }
        'new pwsh + Import-Module alone'  = { [int]@(Invoke-Child "0")[-1] }
    }
    'Full walk, v3 authPriv SHA-256/AES' = [ordered]@{
        'snmpbulkwalk -Cr50'              = { @(& snmpbulkwalk -On @netsnmpV3 -Cr50 $agent .1.3) -match '^\.' -notmatch 'No more variables' | Measure-Object | ForEach-Object Count }
        'Invoke-TssrSnmpWalk (session)'   = { Invoke-TssrSnmpWalk $agent -Oid 1.3 @v3 | Measure-Object | ForEach-Object Count }
        'Invoke-TssrSnmpWalk (new pwsh)'  = { [int]@(Invoke-Child "$v3Child; Invoke-TssrSnmpWalk '$agent' -Oid 1.3 @v3 | Measure-Object | ForEach-Object Count")[-1] }
    }
    'Sweep of 127.0.0.0/22 (3 agents)' = [ordered]@{
        'onesixtyone -w 1'                = { @(& onesixtyone -p $fleet.Port -w 1 -i $hosts public 2>$null | Where-Object { $_ -match '^127\.' } | ForEach-Object { ($_ -split ' ')[0] } | Sort-Object -Unique).Count }
        'Find-TssrSnmpDevice (session)'   = { @(Find-TssrSnmpDevice 127.0.0.0/22 -Port $fleet.Port -RatePerSec 2000 -ThrottleLimit 512 -TimeoutSec 0.5 -Retry 0).Count }
        'Find-TssrSnmpDevice (new pwsh)'  = { [int]@(Invoke-Child "@(Find-TssrSnmpDevice 127.0.0.0/22 -Port $($fleet.Port) -RatePerSec 2000 -ThrottleLimit 512 -TimeoutSec 0.5 -Retry 0).Count")[-1] }
    }
}

try {
    foreach ($group in $groups.Keys) {
        $times = [ordered]@{}
        $answers = [ordered]@{}
        foreach ($name in $groups[$group].Keys) { $times[$name] = [System.Collections.Generic.List[double]]::new(); $answers[$name] = [System.Collections.Generic.List[int]]::new() }
        for ($run = 0; $run -lt $Runs; $run++) {
            foreach ($name in $groups[$group].Keys) {
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $answer = & $groups[$group][$name]
                $watch.Stop()
                $times[$name].Add($watch.Elapsed.TotalSeconds)
                $answers[$name].Add([int]$answer)
            }
        }
        $reference = $null
        Write-Host "`n$group ($Runs runs each, alternating; load average $((Get-Content /proc/loadavg) -split ' ' | Select-Object -First 1))"
        foreach ($name in $times.Keys) {
            $sorted = @($times[$name] | Sort-Object)
            $median = $sorted[[int][Math]::Floor($sorted.Count / 2)]
            if ($null -eq $reference) { $reference = $median }
            '  {0,-34} median {1,6:N3} s  (min {2:N3}, max {3:N3})  x{4,5:N2}  answers: {5}' -f $name, $median, $sorted[0], $sorted[-1], ($median / $reference), (($answers[$name] | Sort-Object -Unique) -join '/') | Write-Host
        }
    }
}
finally {
    Remove-Item $hosts -ErrorAction SilentlyContinue
    Remove-Item Env:TSSR_BENCH_AUTH, Env:TSSR_BENCH_PRIV -ErrorAction SilentlyContinue
    if (-not $wasRunning) { Stop-TssrLab -Component Snmp, SnmpFleet }
}
