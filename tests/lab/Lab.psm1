# The test lab: real servers (LAB.md) started on loopback or in network namespaces that the run
# makes. Each component lives in components/<Name>.ps1 and defines Start-Lab<Name> (returns a
# hashtable of facts: ports, paths, addresses) and Stop-Lab<Name> (optional extra cleanup).
# Start is idempotent (a running component is reused); stop kills exactly the PIDs recorded and is
# safe to call twice. Never kill by name.
Set-StrictMode -Version 3.0

$script:LabRoot = if ($env:TSSR_LAB_DIR) { $env:TSSR_LAB_DIR } else { Join-Path ([IO.Path]::GetTempPath()) 'tssr-lab' }
$script:StateDir = Join-Path $script:LabRoot 'state'
# Prefix of every network namespace and interface the lab makes, so two runs never collide.
$script:LabPrefix = if ($env:TSSR_LAB_PREFIX) { $env:TSSR_LAB_PREFIX } else { 'tssr' }

function Get-LabPrefix { $script:LabPrefix }

foreach ($component in Get-ChildItem (Join-Path $PSScriptRoot 'components') -Filter '*.ps1' -ErrorAction SilentlyContinue) {
    . $component.FullName
}

function Get-LabDirectory {
    param([Parameter(Mandatory)] [string] $Component)
    $dir = Join-Path $script:LabRoot $Component
    $null = New-Item -ItemType Directory -Force $dir
    $dir
}

function Get-LabState {
    param([Parameter(Mandatory)] [string] $Component)
    $file = Join-Path $script:StateDir "$Component.json"
    if (-not (Test-Path $file)) { return $null }
    Get-Content -Raw $file | ConvertFrom-Json -AsHashtable
}

function Save-LabState {
    param([Parameter(Mandatory)] [string] $Component, [Parameter(Mandatory)] [hashtable] $State)
    $null = New-Item -ItemType Directory -Force $script:StateDir
    $State | ConvertTo-Json -Depth 6 | Set-Content (Join-Path $script:StateDir "$Component.json")
}

function Test-LabProcess {
    param([int] $ProcessId)
    $null -ne (Get-Process -Id $ProcessId -ErrorAction SilentlyContinue)
}

function Start-LabProcess {
    <#
    .SYNOPSIS
    Starts a server in the background, its output in a log file; returns its PID.
    #>
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [Parameter(Mandatory)] [string] $LogFile,
        [hashtable] $Environment = @{}
    )
    # sh execs the server in place, so the PID recorded is the server's own, and its output
    # goes straight to the log without this process having to pump it.
    $psi = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
    $psi.ArgumentList.Add('-c')
    $psi.ArgumentList.Add('log="$1"; shift; exec "$@" >>"$log" 2>&1 </dev/null')
    $psi.ArgumentList.Add('lab')
    $psi.ArgumentList.Add($LogFile)
    $psi.ArgumentList.Add($FilePath)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = $Environment[$k] }
    $p = [System.Diagnostics.Process]::Start($psi)
    $id = $p.Id
    $p.Dispose()
    Register-LabPid -ProcessId $id
    $id
}

function Wait-LabTcpPort {
    param([string] $Address = '127.0.0.1', [Parameter(Mandatory)] [int] $Port, [int] $TimeoutSeconds = 30, [int] $ProcessId = 0)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try {
            if ($client.ConnectAsync($Address, $Port).Wait(500) -and $client.Connected) { return }
        }
        catch { }
        finally { $client.Dispose() }
        if ($ProcessId -and -not (Test-LabProcess $ProcessId)) { throw "The lab process $ProcessId exited before listening on ${Address}:$Port." }
        Start-Sleep -Milliseconds 100
    }
    throw "Nothing listens on ${Address}:$Port after $TimeoutSeconds s."
}

function Start-TssrLab {
    <#
    .SYNOPSIS
    Starts the named lab components (or reuses them when already running); returns their facts.
    #>
    param([Parameter(Mandatory)] [string[]] $Component)
    $facts = @{}
    foreach ($name in $Component) {
        $state = Get-LabState $name
        if ($state -and @($state.Pids | Where-Object { -not (Test-LabProcess $_) }).Count -eq 0 -and $state.Ready) {
            $facts[$name] = $state.Facts
            continue
        }
        if ($state) { Stop-TssrLab -Component $name }
        $start = Get-Command "Start-Lab$name" -ErrorAction SilentlyContinue
        if (-not $start) { throw "No lab component '$name' (tests/lab/components/$name.ps1)." }
        # A component records its PIDs through Register-LabPid as it starts them, so a failure
        # half-way still leaves every started process known to Stop-TssrLab.
        $script:CurrentComponent = $name
        Save-LabState $name @{ Pids = @(); Ready = $false; Facts = @{} }
        try {
            $result = & $start
        }
        catch {
            Stop-TssrLab -Component $name
            throw
        }
        $state = Get-LabState $name
        $state.Facts = $result
        $state.Ready = $true
        Save-LabState $name $state
        $facts[$name] = $result
    }
    $facts
}

function Register-LabPid {
    param([Parameter(Mandatory)] [int] $ProcessId, [string] $Component = $script:CurrentComponent)
    $state = Get-LabState $Component
    if (-not $state) { $state = @{ Pids = @(); Ready = $false; Facts = @{} } }
    $state.Pids = @($state.Pids) + $ProcessId
    Save-LabState $Component $state
}

function Stop-TssrLab {
    <#
    .SYNOPSIS
    Stops the named components (all when none is named): the recorded PIDs, then the component's
    own cleanup (namespaces, temporary files). Safe to call twice.
    #>
    param([string[]] $Component)
    if (-not $Component) {
        $Component = @(Get-ChildItem $script:StateDir -Filter '*.json' -ErrorAction SilentlyContinue | ForEach-Object BaseName)
    }
    foreach ($name in $Component) {
        $state = Get-LabState $name
        if ($state) {
            foreach ($id in @($state.Pids)) {
                $p = Get-Process -Id $id -ErrorAction SilentlyContinue
                if ($p) {
                    try { $p.Kill($true); $null = $p.WaitForExit(5000) } catch { }
                }
            }
        }
        $stop = Get-Command "Stop-Lab$name" -ErrorAction SilentlyContinue
        if ($stop) { try { & $stop } catch { Write-Warning "Lab $name cleanup: $_" } }
        Remove-Item (Join-Path $script:StateDir "$name.json") -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function Get-LabPrefix, Invoke-LabFirewallOracle, Start-TssrLab, Stop-TssrLab, Get-LabDirectory, Start-LabProcess, Register-LabPid, Wait-LabTcpPort, Test-LabProcess, Get-LabState
