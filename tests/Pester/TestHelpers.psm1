# Shared by every Pester suite: the built module, fresh child pwsh processes (in a network
# namespace or another UI culture when asked), and lab prerequisites that fail under CI=true.
Set-StrictMode -Version 3.0

function Get-TssrModulePath {
    if (-not $env:TSSR_MODULE_PATH) { throw 'TSSR_MODULE_PATH is not set: run the tests through ./build.ps1 Test.' }
    Join-Path $env:TSSR_MODULE_PATH 'Tssr.Tools.psd1'
}

function Import-TssrTestModule {
    Import-Module (Get-TssrModulePath) -Force -Global
}

function Get-PwshCommandLine {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @($process) }
}

function Invoke-TssrPwsh {
    <#
    .SYNOPSIS
    Runs a script in a fresh pwsh -NoProfile with the built module imported; returns its output
    objects (passed back as CLIXML) or, with -Raw, the text it printed.
    .PARAMETER Namespace
    Runs the child inside this network namespace (ip netns exec).
    .PARAMETER Culture
    The child's UI culture (fr-FR for French messages and help).
    .PARAMETER Wrapper
    A command line the child runs under (setpriv with dropped capabilities, setsid...).
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string] $Namespace,
        [string] $Culture,
        [int] $TimeoutSeconds = 300,
        [switch] $Raw,
        [hashtable] $Environment = @{},
        [string[]] $Wrapper = @()
    )
    $modulePath = Get-TssrModulePath
    $outFile = [IO.Path]::GetTempFileName()
    $scriptFile = [IO.Path]::ChangeExtension([IO.Path]::GetTempFileName(), '.ps1')
    $prelude = @"
`$ErrorActionPreference = 'Stop'
$(if ($Culture) { "[System.Globalization.CultureInfo]::CurrentUICulture = '$Culture'; [System.Globalization.CultureInfo]::CurrentCulture = '$Culture'" })
Import-Module '$modulePath'
"@
    if ($Raw) { Set-Content -LiteralPath $scriptFile -Value "$prelude`n$Script" }
    else { Set-Content -LiteralPath $scriptFile -Value "$prelude`n& { $Script } | Export-Clixml -Depth 5 -LiteralPath '$outFile'" }
    $cmd = Get-PwshCommandLine
    $argsList = [System.Collections.Generic.List[string]]::new()
    $exe = $cmd[0]
    if ($Namespace) { $argsList.AddRange([string[]]@('netns', 'exec', $Namespace)); $argsList.AddRange([string[]]$cmd); $exe = 'ip' }
    else { $argsList.AddRange([string[]]@($cmd | Select-Object -Skip 1)) }
    $argsList.AddRange([string[]]@('-NoProfile', '-NonInteractive', '-File', $scriptFile))
    if ($Wrapper.Count -gt 0) { $argsList.InsertRange(0, [string[]]@(@($Wrapper | Select-Object -Skip 1) + $exe)); $exe = $Wrapper[0] }
    $psi = [System.Diagnostics.ProcessStartInfo]::new($exe)
    foreach ($a in $argsList) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    # Plain text: colour codes in a child's errors would end up in failure messages.
    $psi.Environment['NO_COLOR'] = '1'
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = $Environment[$k] }
    if ($Culture) { $psi.Environment['LANG'] = ($Culture -replace '-', '_') + '.UTF-8' }
    $p = [System.Diagnostics.Process]::Start($psi)
    $stdoutTask = $p.StandardOutput.ReadToEndAsync()
    $stderrTask = $p.StandardError.ReadToEndAsync()
    try {
        if (-not $p.WaitForExit($TimeoutSeconds * 1000)) {
            $p.Kill($true)
            throw "The child pwsh did not finish within $TimeoutSeconds s."
        }
        $p.WaitForExit()
        $stdout = $stdoutTask.GetAwaiter().GetResult()
        $stderr = $stderrTask.GetAwaiter().GetResult()
        if ($Raw) {
            return [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $stdout; Error = $stderr }
        }
        if ($p.ExitCode -ne 0) { throw "The child pwsh failed (exit $($p.ExitCode)): $stderr $stdout" }
        if ((Get-Item $outFile).Length -gt 0) { Import-Clixml -LiteralPath $outFile }
    }
    finally {
        Remove-Item -LiteralPath $outFile, $scriptFile -ErrorAction SilentlyContinue
        $p.Dispose()
    }
}

function Test-LabPrerequisite {
    <#
    .SYNOPSIS
    True when every named command exists. Under CI=true a missing one throws (a failure, never a
    silent skip); elsewhere it returns false and says why, so the caller can skip.
    #>
    param([Parameter(Mandatory)] [string[]] $Command, [switch] $Root)
    $missing = @($Command | Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) })
    $why = $null
    if ($missing.Count) { $why = "missing lab prerequisite(s): $($missing -join ', ') (see LAB.md; .ci/run installs them)" }
    elseif ($Root -and -not (Test-IsRoot)) { $why = 'this test needs root (network namespaces / raw sockets)' }
    if (-not $why) { return $true }
    if ($env:CI -eq 'true') { throw "CI: $why" }
    Write-Warning "Skipped: $why"
    $script:LastSkipReason = $why
    return $false
}

function Get-LabSkipReason { $script:LastSkipReason }

function Test-IsRoot {
    if ($IsWindows) { return $false }
    (& id -u) -eq '0'
}

Export-ModuleMember -Function Get-TssrModulePath, Import-TssrTestModule, Invoke-TssrPwsh, Test-LabPrerequisite, Get-LabSkipReason, Test-IsRoot, Get-PwshCommandLine

# What is wrong with a format view's text at a console width (nothing when it reads well): a line
# longer than the console, a value cut with an ellipsis, or one of -Whole not whole on any line (a
# view may wrap between words, never cut a value or drop the column that carries the answer).
function Get-TssrViewProblem {
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Text, [Parameter(Mandatory)] [int] $Width, [string[]] $Whole = @())
    $lines = $Text -split '\r?\n'
    foreach ($line in $lines) { if ($line.Length -gt $Width) { "line of $($line.Length) characters at width ${Width}: '$line'" } }
    if ($Text.Contains([string][char]0x2026)) { 'a value was cut with an ellipsis' }
    foreach ($value in $Whole) { if (-not @($lines | Where-Object { $_.Contains($value) }).Count) { "'$value' is not whole on any line" } }
}
Export-ModuleMember -Function Get-TssrViewProblem
