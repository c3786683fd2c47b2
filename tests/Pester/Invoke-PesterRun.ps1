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
# Both may list several patterns, comma-separated ('Dns,Port*').
$patterns = @($Filter -split ',' | ForEach-Object { "$($_.Trim()).Tests.ps1" })
$excluded = @(if ($exclude) { $exclude -split ',' | ForEach-Object { "$($_.Trim()).Tests.ps1" } })
$config.Run.Path = @(Get-ChildItem $PSScriptRoot -Filter '*.Tests.ps1' |
    Where-Object { $name = $_.Name; @($patterns | Where-Object { $name -like $_ }).Count -gt 0 -and @($excluded | Where-Object { $name -like $_ }).Count -eq 0 } |
    ForEach-Object FullName)
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
# Pester's own XML export throws on a control character in a failure message (ANSI colour codes
# from a child pwsh, for one), which would turn every result into "1 failed": the runner writes its
# own plain-text list of failures instead, and prints it last so that a CI log's tail names them.
$config.TestResult.Enabled = $false
$result = $null
try {
    $result = Invoke-Pester -Configuration $config
}
finally {
    Import-Module $labModule -Force
    Stop-TssrLab
}
function Remove-ControlCharacter([string] $Text) {
    $Text = [regex]::Replace($Text, '\x1B\[[0-9;?]*[ -/]*[@-~]', '')
    [regex]::Replace($Text, '[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]', '')
}
if ($result) {
    $failures = [Collections.Generic.List[string]]::new()
    foreach ($test in $result.Failed) {
        $message = ($test.ErrorRecord | ForEach-Object { $_.Exception.Message }) -join ' | '
        $failures.Add(('{0}: {1}' -f $test.ExpandedPath, (Remove-ControlCharacter $message)))
    }
    foreach ($block in @($result.FailedBlocks) + @($result.FailedContainers)) {
        if (-not $block) { continue }
        $name = if ($block.PSObject.Properties['ExpandedPath']) { $block.ExpandedPath } else { "$($block.Item)" }
        $message = ($block.ErrorRecord | ForEach-Object { $_.Exception.Message }) -join ' | '
        $failures.Add(('{0} (set-up): {1}' -f $name, (Remove-ControlCharacter $message)))
    }
    $failures | Set-Content -LiteralPath (Join-Path $ResultDirectory 'pester-failures.txt')
    if ($failures.Count) {
        Write-Host ''
        Write-Host "Failed Pester tests ($($failures.Count)):"
        foreach ($line in $failures) {
            $short = if ($line.Length -gt 1500) { $line.Substring(0, 1500) + ' ...' } else { $line }
            Write-Host "  - $short"
        }
    }
}
$summary = if ($result) {
    @{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount + $result.NotRunCount }
} else { @{ Passed = 0; Failed = 1; Skipped = 0 } }
$summary | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
