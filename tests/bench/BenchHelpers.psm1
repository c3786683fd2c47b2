# Shared by the benchmark scripts: how to start a fresh pwsh, and how a network benchmark runs
# itself again inside the scanner namespace of the lab.

function Get-PwshCommand {
    # The pwsh running this script, as a command line that starts a fresh one.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @($process) }
}

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
        $pwsh = Get-PwshCommand
        & ip netns exec $lab.ScanNamespace @pwsh -NoProfile -NonInteractive -File $ScriptPath @Arguments -Inner
        if ($LASTEXITCODE -ne 0) { throw "The $Name benchmark failed (exit code $LASTEXITCODE)." }
    }
    finally {
        if (-not $wasRunning) { Stop-TssrLab -Component Netns }
    }
    $true
}

Export-ModuleMember -Function Get-PwshCommand, Invoke-InScanNamespace
