# Shared by the benchmark scripts: how to start a fresh pwsh, and how a network benchmark runs
# itself again inside the scanner namespace of the lab.

# The fresh-pwsh command line is the one the Pester suites use (Get-PwshCommandLine).
Import-Module (Join-Path $PSScriptRoot '../Pester/TestHelpers.psm1') -Force

function Invoke-InScanNamespace {
    <#
    .SYNOPSIS
    Checks the tools and root, starts the namespace lab (unless it was running), runs the calling
    script again inside the scanner namespace with -Inner and the given arguments, and stops the
    lab it started. Returns $false (after a warning) when the benchmark cannot run here.
    #>
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $ScriptPath,
        [Parameter(Mandatory)] [string[]] $Tool,
        [Parameter(Mandatory)] [string[]] $Arguments
    )
    foreach ($t in @('ip') + $Tool) {
        if (-not (Get-Command $t -ErrorAction SilentlyContinue)) { Write-Warning "$Name bench skipped: '$t' is missing."; return $false }
    }
    if ((& id -u) -ne '0') { Write-Warning "$Name bench skipped: network namespaces need root."; return $false }
    Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force -Global
    $wasRunning = [bool](Get-LabState 'Netns')
    $lab = (Start-TssrLab -Component Netns).Netns
    try {
        $pwsh = Get-PwshCommandLine
        & ip netns exec $lab.ScanNamespace @pwsh -NoProfile -NonInteractive -File $ScriptPath @Arguments -Inner | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "The $Name benchmark failed (exit code $LASTEXITCODE)." }
    }
    finally {
        if (-not $wasRunning) { Stop-TssrLab -Component Netns }
    }
    $true
}

function Get-ReadyToRunPwsh {
    <#
    .SYNOPSIS
    The path of a pwsh.dll whose main assemblies are precompiled (ReadyToRun) with crossgen2, made
    once from the running pwsh (the PowerShell dotnet tool ships IL only; PowerShell's release
    packages are crossgen'd, so this stands for the pwsh a technician installed). Cached in the temp
    folder per PowerShell and .NET version; run it with the same dotnet host.
    #>
    $runtime = [Environment]::Version.ToString(3)
    $target = Join-Path ([IO.Path]::GetTempPath()) "tssr-pwsh-r2r-$($PSVersionTable.PSVersion)-$runtime"
    $done = Join-Path $target '.tssr-r2r-complete'
    if (Test-Path $done) { return (Join-Path $target 'pwsh.dll') }
    if (Test-Path $target) { Remove-Item -Recurse -Force $target }
    Copy-Item -Recurse $PSHOME $target
    $os = if ($IsLinux) { 'linux' } elseif ($IsMacOS) { 'osx' } else { 'win' }
    $arch = [Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
    $project = Join-Path $PSScriptRoot 'crossgen/Crossgen.csproj'
    & dotnet restore $project -v q -nologo "-p:CrossgenVersion=$runtime" "-p:CrossgenRid=$os-$arch" | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "Could not restore crossgen2 $runtime for $os-$arch." }
    $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $tools = Join-Path $packages "microsoft.netcore.app.crossgen2.$os-$arch/$runtime/tools"
    $crossgen = Get-ChildItem $tools -Filter 'crossgen2*' | Where-Object { $_.Extension -in '', '.exe' } | Select-Object -First 1
    if (-not $crossgen) { throw "No crossgen2 under $tools." }
    $framework = Split-Path ([object].Assembly.Location)
    $scratch = Join-Path $target '.r2r'
    $null = New-Item -ItemType Directory -Force $scratch
    foreach ($name in 'System.Management.Automation', 'Microsoft.PowerShell.Commands.Utility', 'Microsoft.PowerShell.Commands.Management',
        'Microsoft.PowerShell.ConsoleHost', 'Microsoft.PowerShell.Security', 'pwsh') {
        $out = Join-Path $scratch "$name.dll"
        # '--reference:<pattern>' in one word: PowerShell on Unix would expand a bare pattern itself.
        & $crossgen.FullName (Join-Path $target "$name.dll") -o $out "--reference:$framework/*.dll" "--reference:$target/*.dll" --targetos $os --targetarch $arch -O | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "crossgen2 failed on $name.dll." }
    }
    Move-Item -Force (Join-Path $scratch '*.dll') $target
    Remove-Item -Recurse -Force $scratch
    Set-Content -LiteralPath $done -Value (Get-Date -Format o)
    Join-Path $target 'pwsh.dll'
}

function Get-DotnetHost {
    # The dotnet host running this pwsh (first word of its command line), or 'dotnet' from PATH.
    $line = Get-PwshCommandLine
    if ($line.Count -gt 1) { $line[0] } else { 'dotnet' }
}

Export-ModuleMember -Function Get-PwshCommandLine, Invoke-InScanNamespace, Get-ReadyToRunPwsh, Get-DotnetHost
