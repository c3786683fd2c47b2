# Import-Module Tssr.Tools in a fresh pwsh vs a bare pwsh start (BENCHMARKS.md: adds <= 250 ms).
# Alternating runs through hyperfine; prints the medians and the difference, for two builds of the
# same PowerShell 7.6.9:
#  - the PowerShell dotnet tool this repository uses, which ships its assemblies as IL only, so every
#    PowerShell code path a module import takes is JIT-compiled on the spot;
#  - a ReadyToRun copy of that tool (its six main assemblies precompiled with crossgen2, as
#    PowerShell's release packages - deb, rpm, msi, zip - are built), which is what a technician
#    who installed PowerShell runs. -SkipReadyToRun leaves it out.
# Also prints, for each, an empty manifest module's import: what any module costs.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Runs = 15,
    [switch] $SkipReadyToRun
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
if (-not (Get-Command hyperfine -ErrorAction SilentlyContinue)) { throw 'hyperfine is needed (apt-get install hyperfine).' }
$ModulePath = (Resolve-Path $ModulePath).Path
$psd1 = Join-Path $ModulePath 'Tssr.Tools.psd1'
$work = Join-Path ([IO.Path]::GetTempPath()) "tssr-import-bench-$PID"
$null = New-Item -ItemType Directory -Force $work

# An empty manifest module: the cost of any module import, for comparison.
$empty = Join-Path $work 'Empty/Empty.psd1'
$null = New-Item -ItemType Directory -Force (Split-Path $empty)
Set-Content -LiteralPath $empty -Value "@{ ModuleVersion = '1.0'; GUID = '$([guid]::NewGuid())'; FunctionsToExport = @(); CmdletsToExport = @() }"

function Measure-Import([string] $Label, [string] $Pwsh) {
    $json = Join-Path $work 'hyperfine.json'
    $bare = "$Pwsh -NoProfile -NonInteractive -Command exit"
    $emptyCmd = "$Pwsh -NoProfile -NonInteractive -Command `"Import-Module '$empty'; exit`""
    $import = "$Pwsh -NoProfile -NonInteractive -Command `"Import-Module '$psd1'; exit`""
    & hyperfine -N --warmup 2 --runs $Runs --export-json $json -n 'bare pwsh' $bare -n 'pwsh + an empty module' $emptyCmd -n 'pwsh + Import-Module Tssr.Tools' $import | Out-Host
    $r = (Get-Content -Raw $json | ConvertFrom-Json).results
    $bareMs = [math]::Round($r[0].median * 1000)
    $emptyMs = [math]::Round($r[1].median * 1000)
    $importMs = [math]::Round($r[2].median * 1000)
    [pscustomobject]@{
        Benchmark      = "Import-Module, $Label"
        BareMedianMs   = $bareMs
        EmptyModuleMs  = $emptyMs - $bareMs
        ImportMedianMs = $importMs
        AddedMs        = $importMs - $bareMs
        Bar            = '<= 250 ms added'
        Met            = ($importMs - $bareMs) -le 250
    }
}

try {
    $pwsh = (Get-PwshCommandLine) -join ' '
    $results = @(Measure-Import 'PowerShell dotnet tool (IL only, JIT)' $pwsh)
    if (-not $SkipReadyToRun) {
        $r2r = Get-ReadyToRunPwsh
        $results += Measure-Import 'same PowerShell precompiled (ReadyToRun, as its release packages)' "$(Get-DotnetHost) $r2r"
    }
    $results | Format-List | Out-Host
}
finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
