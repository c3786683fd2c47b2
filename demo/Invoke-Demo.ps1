# The main job: a tour of every capability on this machine and on sample data. Each area adds a
# demo/NN-Area.ps1 script; they run in order, each in this same session with the module loaded.
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'Tssr.Tools.psd1')
# Each part adds the results it produced ($global:TssrDemoResults += @($results)); a part that adds
# nothing is harmless. The last part (99-Report.ps1) writes them all as one evidence report.
$global:TssrDemoResults = @()
$global:TssrDemoParts = @()
$failures = 0
foreach ($part in Get-ChildItem $PSScriptRoot -Filter '*.ps1' | Where-Object Name -match '^\d\d-' | Sort-Object Name) {
    Write-Host ''
    Write-Host ('=' * 78) -ForegroundColor DarkCyan
    Write-Host "  $($part.BaseName)" -ForegroundColor Cyan
    Write-Host ('=' * 78) -ForegroundColor DarkCyan
    $global:TssrDemoParts += "demo/$($part.Name)"
    try { & $part.FullName | Out-Host }
    catch { $failures++; Write-Host "Demo part $($part.BaseName) failed: $_" -ForegroundColor Red }
}
if ($failures) { exit 1 }
