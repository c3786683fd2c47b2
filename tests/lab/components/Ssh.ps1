# SSH fleet: several OpenSSH sshd on 127.0.0.1, ports
# TSSR_LAB_SSH_BASE_PORT (default 2201) upwards, TSSR_LAB_SSH_HOSTS of them (default 3), each with
# its own ed25519 host key. Logins: the non-root account tssrinv (password, plain key, key with a
# passphrase, PEM RSA key) with sudo that asks for its password, and root by key. One more sshd
# (the "changed" host, last port of the range) has a second key pair: the known_hosts file the lab
# writes names the first key for it, so a changed host key is refused.
# Faults: "silent" accepts TCP and never speaks; "dropper" speaks the SSH banner, then drops; a
# "closed" port is one nothing listens on. The secrets are lab-only, random per start, and live in
# the lab folder, never on a command line.

$script:LabSshUser = 'tssrinv'

function Get-LabSshPorts {
    $base = if ($env:TSSR_LAB_SSH_BASE_PORT) { [int]$env:TSSR_LAB_SSH_BASE_PORT } else { 2201 }
    $count = if ($env:TSSR_LAB_SSH_HOSTS) { [int]$env:TSSR_LAB_SSH_HOSTS } else { 3 }
    @{
        Fleet   = @(0..($count - 1) | ForEach-Object { $base + $_ })
        Changed = $base + 55
        Silent  = $base + 56
        Dropper = $base + 57
        Closed  = $base + 58
        AptHost = $base + 54
        Systemd = $base + 53
    }
}

function Invoke-LabSshNative {
    param([string] $File, [string[]] $Arguments, [string] $InputText)
    if ($PSBoundParameters.ContainsKey('InputText')) { $out = $InputText | & $File @Arguments 2>&1 }
    else { $out = & $File @Arguments 2>&1 }
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed: $out" }
    $out
}

function New-LabSshSecret {
    # A random lab password: letters and digits only, so that no shell or sshd quoting is involved.
    $bytes = [byte[]]::new(18)
    [System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
    ([Convert]::ToBase64String($bytes) -replace '[+/=]', 'x')
}

function Write-LabSshdConfig {
    param([string] $Dir, [int] $Port, [string] $HostKey, [string] $Name)
    $config = Join-Path $Dir "sshd_$Name.conf"
    Set-Content -LiteralPath $config -Value @(
        "Port $Port"
        'ListenAddress 127.0.0.1'
        "HostKey $HostKey"
        "PidFile $(Join-Path $Dir "sshd_$Name.pid")"
        "AuthorizedKeysFile $(Join-Path $Dir 'authorized_keys')/%u"
        'StrictModes no'
        'PasswordAuthentication yes'
        'KbdInteractiveAuthentication no'
        'PubkeyAuthentication yes'
        'PermitRootLogin prohibit-password'
        'UsePAM yes'
        'MaxStartups 100:30:200'
        'MaxSessions 50'
        'LogLevel ERROR'
        "AllowUsers root $script:LabSshUser"
    )
    $config
}

function Start-LabSshd {
    param([string] $Dir, [int] $Port, [string] $HostKey, [string] $Name, [string[]] $Prefix = @())
    $config = Write-LabSshdConfig -Dir $Dir -Port $Port -HostKey $HostKey -Name $Name
    $log = Join-Path $Dir "sshd_$Name.log"
    if ($Prefix.Count) {
        $id = Start-LabProcess -FilePath $Prefix[0] -ArgumentList (@($Prefix | Select-Object -Skip 1) + @('/usr/sbin/sshd', '-D', '-e', '-f', $config)) -LogFile $log
    }
    else {
        $id = Start-LabProcess -FilePath '/usr/sbin/sshd' -ArgumentList @('-D', '-e', '-f', $config) -LogFile $log
    }
    $id
}

function Start-LabSshFaultListener {
    # A pwsh child that listens on 127.0.0.1:$Port and, per connection, either never speaks
    # (silent) or sends an SSH banner and closes once the client has spoken (dropper).
    param([string] $Dir, [int] $Port, [ValidateSet('silent', 'dropper')] [string] $Mode)
    $script = Join-Path $Dir "fault_$Mode.ps1"
    Set-Content -LiteralPath $script -Value @'
param([int] $Port, [string] $Mode)
$listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $Port)
$listener.Start()
$held = [System.Collections.Generic.List[object]]::new()
while ($true) {
    $client = $listener.AcceptTcpClient()
    if ($Mode -eq 'silent') { $held.Add($client); continue }
    try {
        $stream = $client.GetStream()
        $banner = [Text.Encoding]::ASCII.GetBytes("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3`r`n")
        $stream.Write($banner, 0, $banner.Length)
        $buffer = [byte[]]::new(4096)
        $null = $stream.Read($buffer, 0, $buffer.Length)
        Start-Sleep -Milliseconds 200
    }
    catch { }
    finally { $client.Dispose() }
}
'@
    $pwsh = [Environment]::ProcessPath
    $arguments = @()
    if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments += (Join-Path $PSHOME 'pwsh.dll') }
    $arguments += @('-NoProfile', '-NonInteractive', '-File', $script, '-Port', $Port, '-Mode', $Mode)
    Start-LabProcess -FilePath $pwsh -ArgumentList $arguments -LogFile (Join-Path $Dir "fault_$Mode.log")
}

function Initialize-LabSshAccount {
    param([string] $Password)
    if (-not (& getent passwd $script:LabSshUser)) {
        $null = Invoke-LabSshNative useradd @('--create-home', '--shell', '/bin/sh', $script:LabSshUser)
    }
    $null = Invoke-LabSshNative chpasswd @() -InputText "$($script:LabSshUser):$Password"
    # sudo asks for the account's password (read on stdin by sudo -S): what -UseSudo must handle.
    $sudoers = "/etc/sudoers.d/$(Get-LabPrefix)-lab-ssh"
    Set-Content -LiteralPath $sudoers -Value "$($script:LabSshUser) ALL=(ALL:ALL) ALL"
    & chmod 0440 $sudoers
}

function Start-LabSsh {
    foreach ($tool in '/usr/sbin/sshd', 'ssh-keygen', 'useradd', 'chpasswd') {
        if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "The SSH lab needs '$tool' (apt-get install openssh-server openssh-client passwd)." }
    }
    if ((& id -u) -ne '0') { throw 'The SSH lab needs root (it creates a test account and runs sshd).' }
    # sshd's privilege separation directory (a fresh machine has no /run/sshd until sshd once ran).
    if (-not (Test-Path /run/sshd)) { $null = New-Item -ItemType Directory /run/sshd; & chmod 0755 /run/sshd }
    $ports = Get-LabSshPorts
    $dir = Get-LabDirectory -Component ssh
    Get-ChildItem $dir -Force | Remove-Item -Recurse -Force
    $keys = Join-Path $dir 'keys'
    $auth = Join-Path $dir 'authorized_keys'
    $null = New-Item -ItemType Directory -Force $keys, $auth
    & chmod 0755 $dir $auth

    $password = New-LabSshSecret
    $passphrase = New-LabSshSecret
    Set-Content -LiteralPath (Join-Path $dir 'password') -Value $password -NoNewline
    Set-Content -LiteralPath (Join-Path $dir 'passphrase') -Value $passphrase -NoNewline
    Initialize-LabSshAccount -Password $password

    # Client keys: plain ed25519 (OpenSSH format), the same with a passphrase, an RSA key in PEM.
    $null = Invoke-LabSshNative ssh-keygen @('-q', '-t', 'ed25519', '-N', '', '-C', 'tssr-lab', '-f', (Join-Path $keys 'id_ed25519'))
    $null = Invoke-LabSshNative ssh-keygen @('-q', '-t', 'ed25519', '-N', $passphrase, '-C', 'tssr-lab-pass', '-f', (Join-Path $keys 'id_ed25519_pass'))
    $null = Invoke-LabSshNative ssh-keygen @('-q', '-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', '', '-C', 'tssr-lab-pem', '-f', (Join-Path $keys 'id_rsa_pem'))
    $pub = @('id_ed25519', 'id_ed25519_pass', 'id_rsa_pem' | ForEach-Object { Get-Content -Raw (Join-Path $keys "$_.pub") })
    Set-Content -LiteralPath (Join-Path $auth $script:LabSshUser) -Value $pub
    Set-Content -LiteralPath (Join-Path $auth 'root') -Value $pub[0]
    & chmod 0644 (Join-Path $auth $script:LabSshUser) (Join-Path $auth 'root')
    foreach ($k in Get-ChildItem $keys -File) { & chmod 0600 $k.FullName }

    $knownHosts = Join-Path $dir 'known_hosts'
    $known = [System.Collections.Generic.List[string]]::new()
    $hosts = [System.Collections.Generic.List[object]]::new()
    foreach ($port in $ports.Fleet) {
        $hostKey = Join-Path $keys "host_$port"
        $null = Invoke-LabSshNative ssh-keygen @('-q', '-t', 'ed25519', '-N', '', '-C', "host-$port", '-f', $hostKey)
        $null = Start-LabSshd -Dir $dir -Port $port -HostKey $hostKey -Name "$port"
        $line = (Get-Content -Raw "$hostKey.pub").Trim() -split ' '
        $known.Add("[127.0.0.1]:$port $($line[0]) $($line[1])")
        $hosts.Add(@{ Port = $port; ComputerName = "127.0.0.1:$port"; HostKeyPath = "$hostKey.pub" })
    }

    # The changed host: it serves key B while known_hosts holds key A.
    $keyA = Join-Path $keys 'host_changed_a'
    $keyB = Join-Path $keys 'host_changed_b'
    $null = Invoke-LabSshNative ssh-keygen @('-q', '-t', 'ed25519', '-N', '', '-f', $keyA)
    $null = Invoke-LabSshNative ssh-keygen @('-q', '-t', 'ed25519', '-N', '', '-f', $keyB)
    $null = Start-LabSshd -Dir $dir -Port $ports.Changed -HostKey $keyB -Name 'changed'
    $lineA = (Get-Content -Raw "$keyA.pub").Trim() -split ' '
    $known.Add("[127.0.0.1]:$($ports.Changed) $($lineA[0]) $($lineA[1])")
    Set-Content -LiteralPath $knownHosts -Value $known

    $null = Start-LabSshFaultListener -Dir $dir -Port $ports.Silent -Mode silent
    $null = Start-LabSshFaultListener -Dir $dir -Port $ports.Dropper -Mode dropper

    foreach ($port in @($ports.Fleet) + $ports.Changed + $ports.Silent + $ports.Dropper) { Wait-LabTcpPort -Port $port -TimeoutSeconds 30 }

    $facts = @{
        Hosts          = $hosts.ToArray()
        Ports          = $ports.Fleet
        ChangedPort    = $ports.Changed
        SilentPort     = $ports.Silent
        DropperPort    = $ports.Dropper
        ClosedPort     = $ports.Closed
        AptPort        = $ports.AptHost
        SystemdPort    = $ports.Systemd
        UserName       = $script:LabSshUser
        PasswordFile   = Join-Path $dir 'password'
        PassphraseFile = Join-Path $dir 'passphrase'
        KeyFile        = Join-Path $keys 'id_ed25519'
        PassKeyFile    = Join-Path $keys 'id_ed25519_pass'
        PemKeyFile     = Join-Path $keys 'id_rsa_pem'
        KnownHosts     = $knownHosts
        ChangedKeyA    = "$keyA.pub"
        ChangedKeyB    = "$keyB.pub"
        Directory      = $dir
    }
    if ($env:TSSR_LAB_SSH_APT -ne '0') { $facts.AptHost = Start-LabSshApt -Lab $facts }
    # Without systemd installed there is no systemd host; its test then fails under CI (never skips silently).
    if ($env:TSSR_LAB_SSH_SYSTEMD -ne '0' -and (Get-Command systemd -ErrorAction SilentlyContinue)) {
        $systemd = Start-LabSshSystemd -Lab $facts
        $facts.SystemdHost = $systemd.ComputerName
        $facts.SystemdRuntime = $systemd.Runtime
        $facts.SystemdConfig = $systemd.Config
    }
    $facts
}

function Start-LabSshSystemd {
    <#
    .SYNOPSIS
    The systemd host: a real systemd manager where systemd is not PID 1. systemd --user (the
    one systemd that starts here) runs in a private mount namespace whose /run/systemd is a tmpfs
    holding system/ (what systemctl and systemd check for "booted with systemd") and private,
    bind-mounted onto that manager's own socket: there, systemctl as root lists that manager's
    units as it would a system's. One more sshd in the same namespace (root logs in by key).
    Lab units: tssr-lab-sleep (enabled, running), tssr-lab-fail (started, failed),
    tssr-lab-off (disabled, never started). Returns the host and the manager's runtime folder
    and configuration folders (XDG_RUNTIME_DIR and XDG_CONFIG_HOME for systemctl --user, the
    oracle from outside the namespace: it reads the unit files itself).
    #>
    param([hashtable] $Lab)
    foreach ($tool in 'systemd', 'systemctl', 'unshare', 'mount') {
        if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "The systemd host needs '$tool' (apt-get install systemd util-linux)." }
    }
    $dir = Join-Path $Lab.Directory 'systemd'
    $runtime = Join-Path $dir 'run'
    $units = Join-Path $dir 'config/systemd/user'
    $null = New-Item -ItemType Directory -Force $runtime, (Join-Path $units 'default.target.wants')
    & chmod 0700 $runtime
    $unit = {
        param([string] $Description, [string] $Exec, [bool] $Install)
        @('[Unit]', "Description=$Description", '[Service]', "ExecStart=$Exec") + $(if ($Install) { @('[Install]', 'WantedBy=default.target') } else { @() })
    }
    Set-Content -LiteralPath (Join-Path $units 'tssr-lab-sleep.service') -Value (& $unit 'Tssr.Tools lab service' '/bin/sleep infinity' $true)
    Set-Content -LiteralPath (Join-Path $units 'tssr-lab-fail.service') -Value (& $unit 'Tssr.Tools lab service that fails' '/bin/false' $false)
    Set-Content -LiteralPath (Join-Path $units 'tssr-lab-off.service') -Value (& $unit 'Tssr.Tools lab service left disabled' '/bin/sleep infinity' $true)
    $null = New-Item -ItemType SymbolicLink -Force -Path (Join-Path $units 'default.target.wants/tssr-lab-sleep.service') -Target '../tssr-lab-sleep.service'
    $hostKey = Join-Path $Lab.Directory "keys/host_$($Lab.SystemdPort)"
    if (-not (Test-Path $hostKey)) { $null = Invoke-LabSshNative ssh-keygen @('-q', '-t', 'ed25519', '-N', '', '-f', $hostKey) }
    $config = Write-LabSshdConfig -Dir $Lab.Directory -Port $Lab.SystemdPort -HostKey $hostKey -Name 'systemd'
    $pidFile = Join-Path $dir 'systemd.pid'
    $inner = @"
mkdir -p /run/systemd && mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system || exit 1
XDG_RUNTIME_DIR='$runtime' XDG_CONFIG_HOME='$dir/config' systemd --user >>'$dir/systemd.log' 2>&1 </dev/null &
echo `$! >'$pidFile'
i=0; while [ ! -S '$runtime/systemd/private' ] && [ `$i -lt 300 ]; do sleep 0.1; i=`$((i + 1)); done
touch /run/systemd/private && mount --bind '$runtime/systemd/private' /run/systemd/private || exit 2
systemctl start tssr-lab-fail.service >/dev/null 2>&1
i=0; while ! systemctl is-active --quiet tssr-lab-sleep.service && [ `$i -lt 300 ]; do sleep 0.1; i=`$((i + 1)); done
i=0; while ! systemctl is-failed --quiet tssr-lab-fail.service && [ `$i -lt 300 ]; do sleep 0.1; i=`$((i + 1)); done
exec /usr/sbin/sshd -D -e -f '$config'
"@
    $id = Start-LabProcess -FilePath 'unshare' -ArgumentList @('-m', '--propagation', 'private', 'sh', '-c', $inner) -LogFile (Join-Path $Lab.Directory 'sshd_systemd.log')
    Wait-LabTcpPort -Port $Lab.SystemdPort -TimeoutSeconds 90 -ProcessId $id
    if (Test-Path $pidFile) { Register-LabPid -ProcessId ([int](Get-Content -Raw $pidFile).Trim()) }
    $line = (Get-Content -Raw "$hostKey.pub").Trim() -split ' '
    Add-Content -LiteralPath $Lab.KnownHosts -Value "[127.0.0.1]:$($Lab.SystemdPort) $($line[0]) $($line[1])"
    @{ ComputerName = "127.0.0.1:$($Lab.SystemdPort)"; Runtime = $runtime; Config = Join-Path $dir 'config' }
}

function Start-LabSshApt {
    <#
    .SYNOPSIS
    The apt host: installs tssr-lab-dummy 1.0, indexes 1.1 in a local repository, and
    starts one more sshd inside a private mount namespace that sees only that repository, so apt
    there reports one real pending update while the host's own apt sees nothing. Call after
    Start-TssrLab -Component Ssh; Stop-LabSsh removes the package.
    #>
    param([hashtable] $Lab)
    foreach ($tool in 'dpkg-deb', 'dpkg-scanpackages', 'unshare', 'apt-get') {
        if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "The apt host needs '$tool' (apt-get install dpkg-dev util-linux)." }
    }
    $dir = Join-Path $Lab.Directory 'apt'
    $repo = Join-Path $dir 'repo'
    $null = New-Item -ItemType Directory -Force $repo, (Join-Path $dir 'sources.d'), (Join-Path $dir 'lists/partial')
    foreach ($version in '1.0', '1.1') {
        $pkg = Join-Path $dir "pkg-$version"
        $null = New-Item -ItemType Directory -Force (Join-Path $pkg 'DEBIAN')
        Set-Content -LiteralPath (Join-Path $pkg 'DEBIAN/control') -Value @(
            'Package: tssr-lab-dummy'
            "Version: $version"
            'Architecture: all'
            'Maintainer: Tssr.Tools lab <lab@tssr.invalid>'
            'Description: Tssr.Tools lab package (a pending update for the inventory tests)'
        )
        $null = Invoke-LabSshNative dpkg-deb @('-b', $pkg, (Join-Path $(if ($version -eq '1.0') { $dir } else { $repo }) "tssr-lab-dummy_$($version)_all.deb"))
    }
    $null = Invoke-LabSshNative dpkg @('-i', (Join-Path $dir 'tssr-lab-dummy_1.0_all.deb'))
    Push-Location $repo
    try { $null = & sh -c 'dpkg-scanpackages --multiversion . /dev/null 2>/dev/null | gzip -9c > Packages.gz' }
    finally { Pop-Location }
    Set-Content -LiteralPath (Join-Path $dir 'sources.d/lab.list') -Value "deb [trusted=yes] file:$repo ./"
    Set-Content -LiteralPath (Join-Path $dir 'empty.list') -Value ''
    $hostKey = Join-Path $Lab.Directory "keys/host_$($Lab.AptPort)"
    if (-not (Test-Path $hostKey)) { $null = Invoke-LabSshNative ssh-keygen @('-q', '-t', 'ed25519', '-N', '', '-f', $hostKey) }
    $config = Write-LabSshdConfig -Dir $Lab.Directory -Port $Lab.AptPort -HostKey $hostKey -Name 'apt'
    $inner = "mount --bind '$dir/sources.d' /etc/apt/sources.list.d && mount --bind '$dir/lists' /var/lib/apt/lists && { [ ! -e /etc/apt/sources.list ] || mount --bind '$dir/empty.list' /etc/apt/sources.list; } && apt-get update -qq >/dev/null 2>&1; exec /usr/sbin/sshd -D -e -f '$config'"
    $id = Start-LabProcess -FilePath 'unshare' -ArgumentList @('-m', '--propagation', 'private', 'sh', '-c', $inner) -LogFile (Join-Path $Lab.Directory 'sshd_apt.log')
    Wait-LabTcpPort -Port $Lab.AptPort -TimeoutSeconds 90 -ProcessId $id
    $line = (Get-Content -Raw "$hostKey.pub").Trim() -split ' '
    Add-Content -LiteralPath $Lab.KnownHosts -Value "[127.0.0.1]:$($Lab.AptPort) $($line[0]) $($line[1])"
    "127.0.0.1:$($Lab.AptPort)"
}

function Stop-LabSsh {
    if (& dpkg-query -W -f '${Status}' tssr-lab-dummy 2>$null) { $null = & dpkg -r tssr-lab-dummy 2>&1 }
    Remove-Item "/etc/sudoers.d/$(Get-LabPrefix)-lab-ssh" -ErrorAction SilentlyContinue
    if (& getent passwd $script:LabSshUser) { $null = & userdel -r $script:LabSshUser 2>&1 }
}
