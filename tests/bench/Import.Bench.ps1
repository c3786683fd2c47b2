# Import-Module Tssr.Tools in a fresh pwsh vs a bare pwsh start (BENCHMARKS.md: adds <= 250 ms).
# Alternating runs through hyperfine; prints the medians and the difference.
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Runs = 15)
$ErrorActionPreference = 'Stop'
$process = [Environment]::ProcessPath
$pwsh = if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { "$process $(Join-Path $PSHOME 'pwsh.dll')" } else { $process }
$psd1 = Join-Path $ModulePath 'Tssr.Tools.psd1'
$bare = "$pwsh -NoProfile -NonInteractive -Command exit"
$import = "$pwsh -NoProfile -NonInteractive -Command `"Import-Module '$psd1'; exit`""
$json = Join-Path ([IO.Path]::GetTempPath()) "tssr-import-bench-$PID.json"
if (-not (Get-Command hyperfine -ErrorAction SilentlyContinue)) { throw 'hyperfine is needed (apt-get install hyperfine).' }
& hyperfine --warmup 2 --runs $Runs --export-json $json -n 'bare pwsh' $bare -n 'pwsh + Import-Module Tssr.Tools' $import | Out-Host
$r = (Get-Content -Raw $json | ConvertFrom-Json).results
Remove-Item $json
$bareMs = [math]::Round($r[0].median * 1000)
$importMs = [math]::Round($r[1].median * 1000)
$added = $importMs - $bareMs
[pscustomobject]@{ Benchmark = 'Import-Module'; BareMedianMs = $bareMs; ImportMedianMs = $importMs; AddedMs = $added; Bar = '<= 250 ms added'; Met = $added -le 250 } | Format-List | Out-Host
