# Get-TssrServerInventory of N hosts over SSH vs `ansible all -m setup -f N` on the same hosts
# (10 hosts, and 50 to show how both grow). The hosts: OpenSSH sshd listening on
# 127.0.1.1 ... 127.0.1.N, one port (2260 by default, TSSR_LAB_SSH_BASE_PORT + 59 when set), 16 addresses per sshd (OpenSSH's limit):
# every host is its own TCP connection, key exchange, login and forked session, as with N sshd,
# without N sshd master processes on a shared 2-core machine. Both tools log in as root with the
# lab's key and check host keys strictly against the same known_hosts (written by this script in
# the lab folder). Both are measured cold: a fresh pwsh that imports the module, and Ansible without
# ControlPersist (no connection reused between runs); both wait up to 60 s for a connection (the
# machine is shared). hyperfine when it is installed (else alternating runs); medians and the ratio
# are printed. Needs root (the lab account and sshd), sshd, ansible.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int[]] $HostCount = @(10, 50),
    [int] $Runs = 3,
    # Alternate the two tools run by run instead of hyperfine's one-tool-then-the-other: on a
    # machine whose load moves (other users), both then see the same conditions.
    [switch] $Alternate,
    # In the lab's own SSH port range when TSSR_LAB_SSH_BASE_PORT is set (engineers share the machine).
    [int] $Port = $(if ($env:TSSR_LAB_SSH_BASE_PORT) { [int]$env:TSSR_LAB_SSH_BASE_PORT + 59 } else { 2260 })
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ModulePath = (Resolve-Path $ModulePath).Path
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force

foreach ($tool in '/usr/sbin/sshd', 'ssh-keygen', 'ansible') {
    if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { Write-Warning "Inventory bench skipped: '$tool' is missing."; return }
}
if ((& id -u) -ne '0') { Write-Warning 'Inventory bench skipped: the SSH lab needs root.'; return }

$before = Get-LabState Ssh
$startedLab = -not ($before -and $before.Ready -and @($before.Pids | Where-Object { -not (Test-LabProcess $_) }).Count -eq 0)
if (-not $env:TSSR_LAB_SSH_APT) { $env:TSSR_LAB_SSH_APT = '0' } # the apt host is not part of the bench
if (-not $env:TSSR_LAB_SSH_SYSTEMD) { $env:TSSR_LAB_SSH_SYSTEMD = '0' } # nor the systemd host
$lab = (Start-TssrLab -Component Ssh).Ssh
$dir = Join-Path $lab.Directory 'bench'
$null = New-Item -ItemType Directory -Force $dir
$max = ($HostCount | Measure-Object -Maximum).Maximum
$hostKey = Join-Path $dir 'host_ed25519'
if (-not (Test-Path $hostKey)) { $null = & ssh-keygen -q -t ed25519 -N '' -C 'tssr-bench' -f $hostKey }
$addresses = @(1..$max | ForEach-Object { "127.0.1.$_" })
# OpenSSH listens on at most 16 sockets per sshd (MAX_LISTEN_SOCKS): one sshd per 16 addresses.
$configs = [System.Collections.Generic.List[string]]::new()
for ($g = 0; $g -lt $addresses.Count; $g += 16) {
    $group = @($addresses[$g..([math]::Min($g + 15, $addresses.Count - 1))])
    $config = Join-Path $dir "sshd_bench_$g.conf"
    Set-Content -LiteralPath $config -Value (@(
            "Port $Port"
            ($group | ForEach-Object { "ListenAddress $_" })
            "HostKey $hostKey"
            "PidFile $(Join-Path $dir "sshd_bench_$g.pid")"
            "AuthorizedKeysFile $(Join-Path $lab.Directory 'authorized_keys')/%u"
            'StrictModes no'
            'PasswordAuthentication no'
            'KbdInteractiveAuthentication no'
            'PubkeyAuthentication yes'
            'PermitRootLogin prohibit-password'
            'UsePAM yes'
            'MaxStartups 300:30:400'
            'MaxSessions 20'
            'LogLevel ERROR'
            'AllowUsers root'
        ) | ForEach-Object { $_ })
    $configs.Add($config)
}
$keyLine = ((Get-Content -Raw "$hostKey.pub").Trim() -split ' ')[0..1] -join ' '
$knownHosts = Join-Path $dir 'known_hosts'
Set-Content -LiteralPath $knownHosts -Value ($addresses | ForEach-Object { "[$_]:$Port $keyLine" })

# Each sshd in the foreground, exec'd by sh so the PID is sshd's own; stopped by that PID at the end.
$sshds = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
foreach ($config in $configs) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
    foreach ($a in @('-c', 'exec /usr/sbin/sshd -D -e -f "$1" >>"$2" 2>&1 </dev/null', 'bench', $config, ($config -replace '\.conf$', '.log'))) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $sshds.Add([System.Diagnostics.Process]::Start($psi))
}
$rows = [System.Collections.Generic.List[object]]::new()
try {
    foreach ($a in $addresses) { Wait-LabTcpPort -Port $Port -Address $a -TimeoutSeconds 30 }
    $pwsh = Get-PwshCommandLine
    $pwshText = ($pwsh | ForEach-Object { "'$_'" }) -join ' '
    $hyperfine = if ($Alternate) { $null } else { Get-Command hyperfine -ErrorAction SilentlyContinue }
    foreach ($n in $HostCount) {
        $targets = @($addresses[0..($n - 1)] | ForEach-Object { "$($_):$Port" })
        $inventory = Join-Path $dir "ansible-$n.ini"
        Set-Content -LiteralPath $inventory -Value (@(
                '[all]'
                ($targets | ForEach-Object { $h = $_ -split ':'; "h$($h[0] -replace '.*\.', '') ansible_host=$($h[0]) ansible_port=$($h[1])" })
                '[all:vars]'
                'ansible_user=root'
                "ansible_ssh_private_key_file=$($lab.KeyFile)"
                "ansible_ssh_common_args='-o UserKnownHostsFile=$knownHosts -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes'"
                'ansible_python_interpreter=/usr/bin/python3'
            ) | ForEach-Object { $_ })
        $ansibleScript = Join-Path $dir "ansible-$n.sh"
        Set-Content -LiteralPath $ansibleScript -Value @(
            '#!/bin/sh'
            "ANSIBLE_TIMEOUT=60 ANSIBLE_SSH_ARGS='-o ControlMaster=no' ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_LOAD_CALLBACK_PLUGINS=0 ANSIBLE_NOCOLOR=1 exec ansible all -i '$inventory' -m setup -f $n"
        )
        $tssrScript = Join-Path $dir "tssr-$n.ps1"
        Set-Content -LiteralPath $tssrScript -Value @(
            "Import-Module '$(Join-Path $ModulePath 'Tssr.Tools.psd1')'"
            "`$r = @(Get-TssrServerInventory $(($targets | ForEach-Object { "'$_'" }) -join ',') -UserName root -KeyFilePath '$($lab.KeyFile)' -KnownHostsPath '$knownHosts' -ThrottleLimit $n -ConnectTimeoutSec 60)"
            "if (`$r.Count -ne $n) { exit 1 }"
            "`$r | ForEach-Object { '{0} {1} {2}' -f `$_.ComputerName, `$_.Status, (@(`$_.Facts | Where-Object Status -eq Failed).Name -join ',') }"
        )
        $tssrCommand = "$pwshText -NoProfile -NonInteractive -File '$tssrScript'"

        # Both must really work before they are timed: every host answered. With -Alternate these
        # checked runs are the first timed pair (one tool right after the other).
        $tssrTimes = [System.Collections.Generic.List[double]]::new()
        $ansibleTimes = [System.Collections.Generic.List[double]]::new()
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $check = & sh -c $tssrCommand
        $tssrCheck = $clock.Elapsed.TotalSeconds
        if ($LASTEXITCODE -ne 0 -or @($check).Count -ne $n) { throw "Get-TssrServerInventory did not inventory the $n hosts: $($check | Select-Object -First 3)" }
        $check | Out-Host
        $clock.Restart()
        $ansibleOut = & sh $ansibleScript 2>&1
        $ansibleCheck = $clock.Elapsed.TotalSeconds
        $ok = @($ansibleOut | Select-String -Pattern '\| SUCCESS =>').Count
        if ($ok -ne $n) { throw "ansible setup answered for $ok of $n hosts: $($ansibleOut | Select-String 'UNREACHABLE|FAILED' | Select-Object -First 3)" }
        if ($Alternate) { $tssrTimes.Add($tssrCheck); $ansibleTimes.Add($ansibleCheck) }
        if ($hyperfine) {
            $json = Join-Path $dir "hyperfine-$n.json"
            & hyperfine -N --runs $Runs --export-json $json -n 'Get-TssrServerInventory' $tssrCommand -n 'ansible -m setup' "sh '$ansibleScript'" | Out-Host
            if ($LASTEXITCODE -ne 0) { throw "hyperfine failed ($LASTEXITCODE)" }
            $result = Get-Content -Raw $json | ConvertFrom-Json
            $result.results[0].times | ForEach-Object { $tssrTimes.Add($_) }
            $result.results[1].times | ForEach-Object { $ansibleTimes.Add($_) }
        }
        else {
            for ($r = $(if ($Alternate) { 2 } else { 1 }); $r -le $Runs; $r++) {
                $order = if ($r % 2) { 'tssr', 'ansible' } else { 'ansible', 'tssr' }
                foreach ($t in $order) {
                    $clock = [Diagnostics.Stopwatch]::StartNew()
                    if ($t -eq 'tssr') { $null = & sh -c $tssrCommand; $tssrTimes.Add($clock.Elapsed.TotalSeconds) }
                    else { $null = & sh $ansibleScript 2>&1; $ansibleTimes.Add($clock.Elapsed.TotalSeconds) }
                }
            }
        }
        $median = { param($v) $s = @($v | Sort-Object); if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
        $t = & $median $tssrTimes
        $a = & $median $ansibleTimes
        $rows.Add([pscustomobject]@{
                Hosts             = $n
                TssrMedianSec     = [math]::Round($t, 2)
                AnsibleMedianSec  = [math]::Round($a, 2)
                Ratio             = [math]::Round($a / $t, 2)
                TssrRuns          = ($tssrTimes | ForEach-Object { $_.ToString('0.00', [cultureinfo]::InvariantCulture) }) -join ' '
                AnsibleRuns       = ($ansibleTimes | ForEach-Object { $_.ToString('0.00', [cultureinfo]::InvariantCulture) }) -join ' '
                LoadAverage       = (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' '
            })
    }
}
finally {
    foreach ($sshd in $sshds) {
        if (-not $sshd.HasExited) { $sshd.Kill(); $null = $sshd.WaitForExit(5000) }
        $sshd.Dispose()
    }
    if ($startedLab) { Stop-TssrLab -Component Ssh }
}
$rows | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
foreach ($row in $rows) {
    Write-Host ("{0} hosts: Get-TssrServerInventory {1} s (cold pwsh), ansible -m setup {2} s: Ansible takes {3} x our time" -f $row.Hosts, $row.TssrMedianSec, $row.AnsibleMedianSec, $row.Ratio)
}
