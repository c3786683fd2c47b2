# Packs the built module as a .nupkg that PowerShell's PSResourceGet publishes and installs. The
# package's manifest is the built one with the release notes of CHANGELOG.md filled in and the
# empty project/licence addresses left out (the project has no public address yet).
Set-StrictMode -Version 3.0

function Get-TssrReleaseNotes {
    <#
    .SYNOPSIS
    The CHANGELOG.md section of a version ("## 0.1.0"), else the "## Unreleased" section.
    #>
    param([Parameter(Mandatory)] [string] $ChangelogPath, [Parameter(Mandatory)] [string] $Version)
    $lines = Get-Content -LiteralPath $ChangelogPath
    foreach ($heading in "## $Version", "## [$Version]", '## Unreleased') {
        $start = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($l) $l.StartsWith($heading) })
        if ($start -lt 0) { continue }
        $end = [array]::FindIndex([string[]]$lines, $start + 1, [Predicate[string]] { param($l) $l.StartsWith('## ') })
        if ($end -lt 0) { $end = $lines.Count }
        return ($lines[($start + 1)..($end - 1)] -join "`n").Trim()
    }
    throw "CHANGELOG.md has neither a '## $Version' nor a '## Unreleased' section."
}

function New-TssrPackage {
    <#
    .SYNOPSIS
    Writes <OutputDirectory>/Tssr.Tools.<version>.nupkg from a built module folder; returns its FileInfo.
    #>
    param(
        [Parameter(Mandatory)] [string] $ModuleDirectory,
        [Parameter(Mandatory)] [string] $ChangelogPath,
        [Parameter(Mandatory)] [string] $OutputDirectory
    )
    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
    $manifestPath = Join-Path $ModuleDirectory 'Tssr.Tools.psd1'
    $manifest = Import-PowerShellDataFile -LiteralPath $manifestPath
    $version = $manifest.ModuleVersion
    $staging = Join-Path ([IO.Path]::GetTempPath()) ("tssr-package-" + [guid]::NewGuid().ToString('N'))
    $moduleStage = Join-Path $staging 'Tssr.Tools'
    try {
        $null = New-Item -ItemType Directory -Force $moduleStage
        Copy-Item -Path (Join-Path $ModuleDirectory '*') -Destination $moduleStage -Recurse
        $notes = Get-TssrReleaseNotes -ChangelogPath $ChangelogPath -Version $version
        $text = Get-Content -Raw -LiteralPath (Join-Path $moduleStage 'Tssr.Tools.psd1')
        # Single-quoted PowerShell string: only the quote itself needs doubling.
        $quoted = "@'`n" + $notes + "`n'@"
        $text = $text -replace "ReleaseNotes\s*=\s*'[^']*'", ('ReleaseNotes = ' + $quoted.Replace('$', '$$'))
        $text = $text -replace "(?m)^\s*(LicenseUri|ProjectUri|IconUri)\s*=\s*''\s*\r?\n", ''
        Set-Content -LiteralPath (Join-Path $moduleStage 'Tssr.Tools.psd1') -Value $text -Encoding utf8
        $null = Test-ModuleManifest -Path (Join-Path $moduleStage 'Tssr.Tools.psd1') -ErrorAction Stop
        $null = New-Item -ItemType Directory -Force $OutputDirectory
        $target = Join-Path $OutputDirectory "Tssr.Tools.$version.nupkg"
        if (Test-Path $target) { Remove-Item -LiteralPath $target }
        Compress-PSResource -Path $moduleStage -DestinationPath $OutputDirectory
        if (-not (Test-Path $target)) { throw "Compress-PSResource wrote no $target" }
        Get-Item -LiteralPath $target
    }
    finally {
        Remove-Item -Recurse -Force $staging -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function New-TssrPackage, Get-TssrReleaseNotes
