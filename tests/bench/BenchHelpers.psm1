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

function Get-ScanInterface {
    # Inside the scanner namespace: its one veth (the lab's link to the targets).
    $line = @(& ip -o link show type veth) | Select-Object -First 1
    if (-not $line) { throw 'No veth in this namespace: run inside the scanner namespace of the lab.' }
    ($line -split ':\s*')[1] -replace '@.*$', ''
}

function Invoke-PacketTimeline {
    <#
    .SYNOPSIS
    Runs one command under tests/bench/PacketTimeline.py on the scanner's veth and returns its
    phases (Total, ToFirstPacket, Sending, AfterLastPacket, Packets, LastLine) in seconds.
    #>
    param([Parameter(Mandatory)] [string] $Interface, [Parameter(Mandatory)] [string[]] $Command)
    $json = & python3 (Join-Path $PSScriptRoot 'PacketTimeline.py') $Interface @Command
    if ($LASTEXITCODE -ne 0) { throw "PacketTimeline.py failed on $($Command -join ' ')" }
    $json | ConvertFrom-Json
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { return [double]::NaN }
    if ($n % 2) { $sorted[[int][math]::Floor($n / 2)] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Invoke-Breakdown {
    <#
    .SYNOPSIS
    The breakdown of docs/benchmarks.md: each contender (a command line) run Runs times under the
    packet timeline, the order rotated each run, and the medians of every phase printed as a table.
    A contender with NoPackets set (a bare pwsh start, an import) is timed whole. Returns the rows.
    #>
    param([Parameter(Mandatory)] [System.Collections.Specialized.OrderedDictionary] $Contenders, [int] $Runs = 5)
    $interface = Get-ScanInterface
    $samples = @{}
    foreach ($name in $Contenders.Keys) { $samples[$name] = [System.Collections.Generic.List[object]]::new() }
    $names = @($Contenders.Keys)
    for ($run = 0; $run -lt $Runs; $run++) {
        Write-Host "  breakdown run $($run + 1), load $((Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3)"
        for ($k = 0; $k -lt $names.Count; $k++) {
            $name = $names[($k + $run) % $names.Count]
            $samples[$name].Add((Invoke-PacketTimeline -Interface $interface -Command $Contenders[$name]))
        }
    }
    $rows = foreach ($name in $names) {
        $s = $samples[$name]
        $withPackets = @($s | Where-Object { $_.Packets -gt 0 })
        [pscustomobject]@{
            Contender           = $name
            Runs                = $s.Count
            'Total s'           = [math]::Round((Get-Median $s.Total), 3)
            'Start to 1st pkt'  = if ($withPackets) { [math]::Round((Get-Median $withPackets.ToFirstPacket), 3) } else { $null }
            'Sending s'         = if ($withPackets) { [math]::Round((Get-Median $withPackets.Sending), 3) } else { $null }
            'Last pkt to exit'  = if ($withPackets) { [math]::Round((Get-Median $withPackets.AfterLastPacket), 3) } else { $null }
            Packets             = [int](Get-Median $s.Packets)
            'Last line'         = $s[-1].LastLine
        }
    }
    $rows | Format-Table -AutoSize | Out-String -Width 250 | Write-Host
    $rows
}

function Measure-PeakMemory {
    <#
    .SYNOPSIS
    Runs a script in a fresh pwsh (the given command line) and returns the peak resident memory of
    that process in MiB (VmHWM of /proc/self/status, read by the script at its end).
    #>
    param([Parameter(Mandatory)] [string[]] $Pwsh, [Parameter(Mandatory)] [string] $Script)
    $line = & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "$Script; (Get-Content /proc/self/status | Where-Object { `$_ -like 'VmHWM:*' })"
    $kb = [double](("$($line | Select-Object -Last 1)" -replace '[^0-9]', ''))
    [math]::Round($kb / 1024, 1)
}

Export-ModuleMember -Function Get-PwshCommandLine, Invoke-InScanNamespace, Get-ReadyToRunPwsh, Get-DotnetHost, Get-ScanInterface, Invoke-PacketTimeline, Get-Median, Invoke-Breakdown, Measure-PeakMemory
