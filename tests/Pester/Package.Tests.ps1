# Distribution: the .nupkg that build.ps1 Package makes (tools/Package.psm1, here on the built
# module) is published to a local file repository with PSResourceGet, installed for the current
# user into a clean HOME, imported by name in a fresh pwsh, used, its help read, then uninstalled.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    Import-Module (Join-Path $root 'tools/Package.psm1') -Force
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "trpt-package-$PID"
    $null = New-Item -ItemType Directory -Force $work
    $script:manifest = Import-PowerShellDataFile (Get-TssrModulePath)
    $script:package = New-TssrPackage -ModuleDirectory $env:TSSR_MODULE_PATH -ChangelogPath (Join-Path $root 'CHANGELOG.md') -OutputDirectory (Join-Path $work 'out')
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [IO.Compression.ZipFile]::OpenRead($package.FullName)
    try {
        $entry = $zip.Entries | Where-Object FullName -eq 'Tssr.Tools.nuspec'
        $reader = [IO.StreamReader]::new($entry.Open())
        $script:nuspec = [xml]$reader.ReadToEnd()
        $reader.Dispose()
        $script:entries = @($zip.Entries.FullName)
    }
    finally { $zip.Dispose() }

    function script:Invoke-CleanPwsh([string] $Script, [string] $HomeDir) {
        $cmd = Get-PwshCommandLine
        $file = Join-Path $work ([guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $file -Value $Script
        $psi = [System.Diagnostics.ProcessStartInfo]::new($cmd[0])
        foreach ($a in @($cmd | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        # A clean user: its own HOME (module path, PSResourceGet's repository list), no inherited module path.
        $psi.Environment['HOME'] = $HomeDir
        $psi.Environment['USERPROFILE'] = $HomeDir
        foreach ($v in 'PSModulePath', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'TSSR_MODULE_PATH') { $null = $psi.Environment.Remove($v) }
        $psi.Environment['NO_COLOR'] = '1'
        $p = [System.Diagnostics.Process]::Start($psi)
        $out = $p.StandardOutput.ReadToEndAsync(); $err = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit(300000)) { $p.Kill($true); throw 'the clean pwsh did not finish within 300 s' }
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $out.GetAwaiter().GetResult(); Error = $err.GetAwaiter().GetResult() }
    }
}

AfterAll { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }

Describe 'Package (.nupkg for PSResourceGet)' {
    It 'finds PSResourceGet in the PowerShell of the dotnet tool' {
        $m = Get-Module -ListAvailable Microsoft.PowerShell.PSResourceGet
        $m | Should -Not -BeNullOrEmpty
        $PSVersionTable.PSVersion.ToString() | Should -BeLike '7.6*'
    }

    It 'is named and versioned from the one version source, as the assemblies are' {
        $package.Name | Should -Be "Tssr.Tools.$($manifest.ModuleVersion).nupkg"
        $nuspec.package.metadata.version | Should -Be $manifest.ModuleVersion
        $dll = Join-Path $env:TSSR_MODULE_PATH 'Tssr.Tools.dll'
        [Reflection.AssemblyName]::GetAssemblyName($dll).Version.ToString(3) | Should -Be $manifest.ModuleVersion
    }

    It 'carries a description in both languages, tags and the release notes of CHANGELOG.md' {
        $md = $nuspec.package.metadata
        $md.id | Should -Be 'Tssr.Tools'
        $md.description | Should -Match 'Toolbox of the systems and network technician'
        $md.description | Should -Match 'Boîte à outils du technicien supérieur systèmes et réseaux'
        $md.tags -split ' ' | Should -Contain 'TSSR'
        $md.releaseNotes | Should -Match '### Reports, checks and distribution'
        $md.releaseNotes | Should -Be (Get-TssrReleaseNotes -ChangelogPath (Join-Path $root 'CHANGELOG.md') -Version $manifest.ModuleVersion)
        # No public project or licence address exists yet: none is invented.
        $md.projectUrl | Should -BeNullOrEmpty
        $md.licenseUrl | Should -BeNullOrEmpty
    }

    It 'holds the module as built: root assemblies, dependencies, help in both languages' {
        foreach ($f in 'Tssr.Tools.psd1', 'Tssr.Tools.dll', 'Tssr.Tools.Loader.dll', 'Tssr.Tools.Isolation.dll', 'Tssr.Tools.Format.ps1xml', 'en-US/Tssr.Tools.dll-Help.xml', 'fr-FR/Tssr.Tools.dll-Help.xml', 'dependencies/Tssr.Tools.Engine.dll') {
            $entries | Should -Contain $f
        }
        $entries | Where-Object { $_ -like '*System.Management.Automation.dll' } | Should -BeNullOrEmpty
    }

    It 'publishes to a local repository, installs for the current user, imports by name, works, has help, uninstalls' {
        $homeDir = Join-Path $work 'home'
        $repo = Join-Path $work 'repo'
        $null = New-Item -ItemType Directory -Force $homeDir, $repo
        $cmd = Get-PwshCommandLine
        $innerExe = $cmd[0]
        $innerArgs = (@($cmd | Select-Object -Skip 1) | ForEach-Object { "'$_'" }) -join ', '
        $script = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Register-PSResourceRepository -Name TssrLocal -Uri '$repo' -Trusted
Publish-PSResource -NupkgPath '$($package.FullName)' -Repository TssrLocal
`$found = Find-PSResource -Name Tssr.Tools -Repository TssrLocal
Install-PSResource -Name Tssr.Tools -Repository TssrLocal -Scope CurrentUser -TrustRepository
`$installed = Get-InstalledPSResource -Name Tssr.Tools -Scope CurrentUser
`$inner = & '$innerExe' @($innerArgs) -NoProfile -NonInteractive -Command '`$m = Get-Module -ListAvailable Tssr.Tools; Import-Module Tssr.Tools; `$s = Get-TssrSubnet 192.168.1.0/26; `$h = Get-Help Test-TssrPort; `$fr = [cultureinfo]::CurrentUICulture = ''fr-FR''; `$hfr = Get-Help Export-TssrReport; ''{0}|{1}|{2}|{3}|{4}'' -f `$m.ModuleBase, (Get-Module Tssr.Tools).Version, `$s.HostCount, `$h.Synopsis, `$hfr.Synopsis'
Uninstall-PSResource -Name Tssr.Tools -Scope CurrentUser
`$after = @(Get-Module -ListAvailable Tssr.Tools).Count
"FOUND=`$(`$found.Version)"
"INSTALLED=`$(`$installed.InstalledLocation)"
"INNER=`$inner"
"AFTER=`$after"
"@
        $r = Invoke-CleanPwsh -Script $script -HomeDir $homeDir
        $r.ExitCode | Should -Be 0 -Because "$($r.Output) $($r.Error)"
        $lines = $r.Output -split "`r?`n"
        ($lines | Where-Object { $_ -like 'FOUND=*' }) | Should -Be "FOUND=$($manifest.ModuleVersion)"
        ($lines | Where-Object { $_ -like 'INSTALLED=*' }) | Should -BeLike "INSTALLED=$homeDir*"
        $inner = (($lines | Where-Object { $_ -like 'INNER=*' }) -replace '^INNER=', '') -split '\|'
        $inner[0] | Should -BeLike "$homeDir*Tssr.Tools*" -Because 'the module imported by name is the installed one'
        $inner[1] | Should -Be $manifest.ModuleVersion
        $inner[2] | Should -Be '62'
        $inner[3] | Should -Match 'TCP'
        $inner[4] | Should -Match 'rapport de preuves'
        ($lines | Where-Object { $_ -like 'AFTER=*' }) | Should -Be 'AFTER=0'
    }
}
