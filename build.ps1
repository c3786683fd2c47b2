#!/usr/bin/env pwsh
<#
.SYNOPSIS
The one entry point of Tssr.Tools: Build, Test, Package, Demo, Bench, Clean.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Test: only the Pester files whose name matches (e.g. 'Dns,Port*': comma-separated patterns); xUnit still runs unless -SkipXunit.
    [string] $PesterFilter = '*',
    # Test: leave out the Pester files whose name matches (e.g. 'Directory*').
    [string] $PesterExclude = '',
    [switch] $SkipXunit,
    [switch] $SkipPester,

    # Bench: only the benchmark scripts whose name matches.
    [string] $BenchFilter = '*'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
$manifest = Import-PowerShellDataFile (Join-Path $root 'Tssr.Tools.psd1')
$version = $manifest.ModuleVersion
$moduleOut = Join-Path $root "out/Tssr.Tools/$version"

function Write-Step([string] $Text) { Write-Host "==> $Text" -ForegroundColor Cyan }

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Merge-FormatFile {
    # Each area keeps its views in src/Tssr.Tools/Format/<Area>.Format.ps1xml; the module ships one file.
    param([string] $Destination)
    $merged = [xml]'<?xml version="1.0" encoding="utf-8"?><Configuration><ViewDefinitions/></Configuration>'
    $views = $merged.SelectSingleNode('/Configuration/ViewDefinitions')
    foreach ($file in Get-ChildItem (Join-Path $root 'src/Tssr.Tools/Format') -Filter '*.Format.ps1xml' | Sort-Object Name) {
        $doc = [xml](Get-Content -Raw -LiteralPath $file.FullName)
        foreach ($view in $doc.SelectNodes('/Configuration/ViewDefinitions/View')) {
            $null = $views.AppendChild($merged.ImportNode($view, $true))
        }
    }
    $merged.Save($Destination)
}

function Invoke-Build {
    Write-Step "Build $Configuration -> $moduleOut"
    Invoke-Native dotnet @('build', (Join-Path $root 'Tssr.Tools.sln'), '-c', $Configuration, '-nologo', '-v', 'q', '-clp:NoSummary;ErrorsOnly')
    if (Test-Path $moduleOut) { Remove-Item -Recurse -Force $moduleOut }
    $deps = Join-Path $moduleOut 'dependencies'
    $null = New-Item -ItemType Directory -Force $deps
    $bin = Join-Path $root "src/Tssr.Tools/bin/$Configuration/netstandard2.0"
    $isolationBin = Join-Path $root "src/Tssr.Tools.Isolation/bin/$Configuration/net8.0"

    # The root holds what PowerShell loads itself; everything else waits in dependencies/.
    Copy-Item (Join-Path $bin 'Tssr.Tools.dll') $moduleOut
    Copy-Item (Join-Path $isolationBin 'Tssr.Tools.Isolation.dll') $moduleOut
    Copy-Item (Join-Path $root "src/Tssr.Tools.Loader/bin/$Configuration/netstandard2.0/Tssr.Tools.Loader.dll") $moduleOut
    $neverShip = @('Tssr.Tools.dll', 'System.Management.Automation.dll', 'System.DirectoryServices.Protocols.dll')
    foreach ($dll in Get-ChildItem $bin -Filter '*.dll') {
        if ($neverShip -notcontains $dll.Name) { Copy-Item $dll.FullName $deps }
    }
    foreach ($satellite in Get-ChildItem $bin -Directory) {
        $target = Join-Path $deps $satellite.Name
        $null = New-Item -ItemType Directory -Force $target
        Copy-Item (Join-Path $satellite.FullName '*.resources.dll') $target
    }
    Copy-Item (Join-Path $root 'Tssr.Tools.psd1') $moduleOut
    Merge-FormatFile (Join-Path $moduleOut 'Tssr.Tools.Format.ps1xml')

    Import-Module (Join-Path $root 'tools/HelpCompiler.psm1') -Force
    foreach ($culture in 'en-US', 'fr-FR') {
        $count = ConvertTo-TssrMaml -SourceDirectory (Join-Path $root "docs/$culture") -OutputFile (Join-Path $moduleOut "$culture/Tssr.Tools.dll-Help.xml")
        Write-Host "    help $culture : $count pages"
    }
    Write-Host "    module ready: $moduleOut"
}

function Get-PesterModulePath {
    $restoreProject = Join-Path $root 'tests/Pester/Pester.restore.csproj'
    Invoke-Native dotnet @('restore', $restoreProject, '-v', 'q', '-nologo')
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $pester = Get-ChildItem (Join-Path $packages.Trim() 'pester') -Directory | Sort-Object Name -Descending | Select-Object -First 1
    if (-not $pester) { throw 'Pester was not restored into the NuGet global packages folder.' }
    $psd1 = Get-ChildItem $pester.FullName -Recurse -Filter 'Pester.psd1' | Select-Object -First 1
    if (-not $psd1) { throw "No Pester.psd1 under $($pester.FullName)." }
    $psd1.FullName
}

function Get-PwshCommand {
    # The pwsh running this script, as a command line that starts a fresh one.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @($process) }
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $root 'out/test-results'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    $null = New-Item -ItemType Directory -Force $results
    $passed = 0; $failed = 0; $skipped = 0

    if (-not $SkipXunit) {
        Write-Step 'xUnit: engine tests'
        $trx = Join-Path $results 'engine.trx'
        & dotnet test (Join-Path $root 'tests/Tssr.Tools.Engine.Tests') -c $Configuration --no-build -nologo -v q --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal'
        if (Test-Path $trx) {
            $counters = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
            $passed += [int]$counters.passed
            $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
            $skipped += [int]$counters.notExecuted
            Write-Host "    xUnit: $($counters.passed) passed, $($counters.failed) failed, $($counters.notExecuted) skipped"
        }
        else {
            Write-Host '    xUnit produced no result file: counted as one failure' -ForegroundColor Red
            $failed++
        }
    }

    if (-not $SkipPester) {
        Write-Step 'Pester: cmdlets against the built module and the lab'
        $pesterPath = Get-PesterModulePath
        $summary = Join-Path $results 'pester-summary.json'
        $runner = Join-Path $root 'tests/Pester/Invoke-PesterRun.ps1'
        $pwsh = Get-PwshCommand
        $exe = $pwsh[0]; $rest = @($pwsh | Select-Object -Skip 1)
        # The filter travels in the environment: PowerShell on Unix would expand a '*' argument.
        $env:TSSR_PESTER_FILTER = $PesterFilter
        $env:TSSR_PESTER_EXCLUDE = $PesterExclude
        & $exe @rest -NoProfile -NonInteractive -File $runner -PesterPath $pesterPath -ModulePath $moduleOut -SummaryPath $summary -ResultDirectory $results
        if (Test-Path $summary) {
            $s = Get-Content -Raw $summary | ConvertFrom-Json
            $passed += $s.Passed; $failed += $s.Failed; $skipped += $s.Skipped
            Write-Host "    Pester: $($s.Passed) passed, $($s.Failed) failed, $($s.Skipped) skipped"
        }
        else {
            Write-Host '    Pester produced no summary: counted as one failure' -ForegroundColor Red
            $failed++
        }
    }

    if ($skipped -gt 0) { Write-Host "$skipped test(s) skipped (see above for why)" }
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Write-Step 'Demo: every capability on this machine and on sample data'
    $pwsh = Get-PwshCommand
    $exe = $pwsh[0]; $rest = @($pwsh | Select-Object -Skip 1)
    & $exe @rest -NoProfile -NonInteractive -File (Join-Path $root 'demo/Invoke-Demo.ps1') -ModulePath $moduleOut
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

function Invoke-Bench {
    Invoke-Build
    $pwsh = Get-PwshCommand
    $exe = $pwsh[0]; $rest = @($pwsh | Select-Object -Skip 1)
    foreach ($bench in Get-ChildItem (Join-Path $root 'tests/bench') -Filter "$BenchFilter.Bench.ps1" | Sort-Object Name) {
        Write-Step "Bench: $($bench.BaseName)"
        & $exe @rest -NoProfile -NonInteractive -File $bench.FullName -ModulePath $moduleOut
    }
}

function Invoke-Package {
    Invoke-Build
    Write-Step 'Package: .nupkg for PSResourceGet'
    Import-Module (Join-Path $root 'tools/Package.psm1') -Force
    $package = New-TssrPackage -ModuleDirectory $moduleOut -ChangelogPath (Join-Path $root 'CHANGELOG.md') -OutputDirectory (Join-Path $root 'out')
    Write-Host "    package: $($package.FullName)"
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Package' { Invoke-Package }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Clean' { Remove-Item -Recurse -Force (Join-Path $root 'out') -ErrorAction SilentlyContinue; Invoke-Native dotnet @('clean', (Join-Path $root 'Tssr.Tools.sln'), '-nologo', '-v', 'q') }
}
