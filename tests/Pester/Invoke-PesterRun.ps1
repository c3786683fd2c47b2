# Runs the Pester suites in this (fresh, -NoProfile) pwsh against the built module and writes a
# summary that build.ps1 adds to xUnit's. The lab started by the suites is stopped at the end.
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [Parameter(Mandatory)] [string] $ResultDirectory,
    [string] $Filter = $(if ($env:TSSR_PESTER_FILTER) { $env:TSSR_PESTER_FILTER } else { '*' })
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:TSSR_MODULE_PATH = $ModulePath
$labModule = Join-Path $PSScriptRoot '../lab/Lab.psm1'

$config = New-PesterConfiguration
$exclude = $env:TSSR_PESTER_EXCLUDE
$config.Run.Path = @(Get-ChildItem $PSScriptRoot -Filter "$Filter.Tests.ps1" |
    Where-Object { -not $exclude -or $_.Name -notlike "$exclude.Tests.ps1" } | ForEach-Object FullName)
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'JUnitXml'
$config.TestResult.OutputPath = Join-Path $ResultDirectory 'pester.xml'
$result = $null
try {
    $result = Invoke-Pester -Configuration $config
}
finally {
    Import-Module $labModule -Force
    Stop-TssrLab
}
$summary = if ($result) {
    @{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount + $result.NotRunCount }
} else { @{ Passed = 0; Failed = 1; Skipped = 0 } }
$summary | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
