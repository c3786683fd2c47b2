# SSH transport and inventory against the sshd fleet of tests/lab/components/Ssh.ps1, with OpenSSH's
# own ssh and Ansible's setup module as oracles.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
    Import-TssrTestModule
    $script:ready = Test-LabPrerequisite -Command sshd, ssh, ssh-keygen, useradd -Root
    if ($script:ready) {
        # A fleet already running (another suite, a developer's lab) is reused and left running;
        # one this suite starts is stopped in AfterAll, by the PIDs the lab recorded.
        $before = Get-LabState Ssh
        $script:startedLab = -not ($before -and $before.Ready -and @($before.Pids | Where-Object { -not (Test-LabProcess $_) }).Count -eq 0)
        $script:lab = (Start-TssrLab -Component Ssh).Ssh
        $script:kh = $lab.KnownHosts
        $script:password = Get-Content -Raw $lab.PasswordFile
        $script:cred = [pscredential]::new($lab.UserName, (ConvertTo-SecureString $password -AsPlainText -Force))
        $script:h1 = $lab.Hosts[0].ComputerName
        $script:key = @{ UserName = $lab.UserName; KeyFilePath = $lab.KeyFile; KnownHostsPath = $kh }
    }
}

AfterAll {
    if ($script:ready -and $script:startedLab) {
        $pids = @((Get-LabState Ssh).Pids)
        Stop-TssrLab -Component Ssh
        @($pids | Where-Object { Test-LabProcess $_ }).Count | Should -Be 0
    }
}

Describe 'SSH sessions and host keys (sshd fleet)' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'opens password and key sessions to every host, with the fingerprint ssh-keygen prints' {
        $s = @(New-TssrSshSession $lab.Hosts.ComputerName -Credential $cred -KnownHostsPath $kh)
        try {
            $s.Count | Should -Be $lab.Hosts.Count
            $expected = ((& ssh-keygen -lf $lab.Hosts[0].HostKeyPath) -split ' ')[1]
            ($s | Where-Object Port -eq $lab.Hosts[0].Port).HostKeyFingerprint | Should -Be $expected
            @(Get-TssrSshSession | Where-Object State -eq Opened).Count | Should -BeGreaterOrEqual $s.Count
            # Tab completes the open sessions' ids and host names.
            $line = 'Get-TssrSshSession -Id '
            $ids = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
            foreach ($id in $s.Id) { $ids | Should -Contain "$id" }
            $line = 'Remove-TssrSshSession -Id '
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Contain "$($s[0].Id)"
            $line = 'Get-TssrSshSession -ComputerName 127'
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Contain '127.0.0.1'
        }
        finally { $s | Remove-TssrSshSession }
        @(Get-TssrSshSession -Id $s.Id).Count | Should -Be 0
    }

    It 'refuses an unknown key before authentication, and -AcceptNewHostKey writes an entry OpenSSH accepts' {
        $file = Join-Path $TestDrive 'kh-new'
        $err = $null
        New-TssrSshSession $h1 -Credential $cred -KnownHostsPath $file -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SshHostKeyUnknown,*'
        $err[0].ToString() | Should -Match 'SHA256:[A-Za-z0-9+/]{43}'
        Test-Path $file | Should -BeFalse
        $s = New-TssrSshSession $h1 -Credential $cred -KnownHostsPath $file -AcceptNewHostKey -WarningAction SilentlyContinue
        $s | Remove-TssrSshSession
        & ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$file -o GlobalKnownHostsFile=/dev/null -i $lab.KeyFile -p $lab.Hosts[0].Port "$($lab.UserName)@127.0.0.1" true 2>$null
        $LASTEXITCODE | Should -Be 0
    }

    It 'reads a hashed known_hosts made by ssh-keygen -H' {
        $file = Join-Path $TestDrive 'kh-hashed'
        Copy-Item $kh $file
        $null = & ssh-keygen -H -f $file 2>&1
        (Get-Content $file)[0] | Should -Match '^\|1\|'
        $s = New-TssrSshSession $h1 -Credential $cred -KnownHostsPath $file
        $s.State | Should -Be 'Opened'
        $s | Remove-TssrSshSession
    }

    It 'refuses a changed key whatever the switches, naming file and line' {
        $err = $null
        New-TssrSshSession "127.0.0.1:$($lab.ChangedPort)" -Credential $cred -KnownHostsPath $kh -AcceptNewHostKey -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SshHostKeyMismatch,*'
        $err[0].ToString() | Should -Match ([regex]::Escape($kh) + ' line \d+')
    }

    It 'gives a clear per-host error for <Case> and goes on with the others' -ForEach @(
        @{ Case = 'a closed port'; Port = 'ClosedPort'; Id = 'SshConnectionRefused' }
        @{ Case = 'a silent host'; Port = 'SilentPort'; Id = 'SshConnectTimeout' }
        @{ Case = 'a server that drops the connection'; Port = 'DropperPort'; Id = 'SshConnectionLost' }
    ) {
        $err = $null
        $clock = [Diagnostics.Stopwatch]::StartNew()
        # 5 s: long enough for the good host's login on a loaded machine, short for the silent one.
        $r = @(Invoke-TssrSshCommand "127.0.0.1:$($lab[$Port])", $h1 -Command 'echo ok' -Credential $cred -KnownHostsPath $kh -ConnectTimeoutSec 5 -ErrorVariable err -ErrorAction SilentlyContinue)
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 20
        "$($err | ForEach-Object { $_.FullyQualifiedErrorId + ' ' + $_.TargetObject })" | Should -Not -Match ([regex]::Escape($h1))
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err[0].TargetObject | Should -Be "127.0.0.1:$($lab[$Port])"
        $r.Count | Should -Be 1
        $r[0].Output.Trim() | Should -Be 'ok'
    }

    It 'tells a wrong password and a wrong passphrase apart, without the secrets in any stream' {
        $bad = [pscredential]::new($lab.UserName, (ConvertTo-SecureString 'Wr0ng-Secret-42' -AsPlainText -Force))
        $out = Invoke-TssrPwsh -Raw -Script @"
`$ErrorActionPreference = 'Continue'
`$bad = [pscredential]::new('$($lab.UserName)', (ConvertTo-SecureString 'Wr0ng-Secret-42' -AsPlainText -Force))
Invoke-TssrSshCommand '$h1' -Command true -Credential `$bad -KnownHostsPath '$kh' -Verbose
Invoke-TssrSshCommand '$h1' -Command true -UserName $($lab.UserName) -KeyFilePath '$($lab.PassKeyFile)' -KeyPassphrase (ConvertTo-SecureString 'Wr0ng-Secret-42' -AsPlainText -Force) -KnownHostsPath '$kh' -Verbose
`$good = [pscredential]::new('$($lab.UserName)', (ConvertTo-SecureString (Get-Content -Raw '$($lab.PasswordFile)') -AsPlainText -Force))
Invoke-TssrSshCommand '$h1' -Command 'id -u' -UseSudo -Credential `$good -KnownHostsPath '$kh' -Verbose | Format-List *
"@
        $all = $out.Output + $out.Error
        $all | Should -Match 'SshAuthenticationFailed|authentication of'
        $all | Should -Match 'passphrase'
        $all | Should -Not -Match 'Wr0ng-Secret-42'
        $all | Should -Not -Match ([regex]::Escape($password))
        $all | Should -Match 'Output\s+:\s+0'
    }

    It 'takes sessions and CSV-like rows from the pipeline, and probes a session once for its shell' {
        $s = New-TssrSshSession $h1 @key
        try {
            $r = $s | Invoke-TssrSshCommand -Command 'echo piped'
            $r.Output.Trim() | Should -Be 'piped'
            $r.Port | Should -Be $lab.Hosts[0].Port
            $out = @($s | Get-TssrServerInventory -Verbose 4>&1)
            $inv = @($out | Where-Object { $_.GetType().FullName -eq 'Tssr.Tools.Engine.Inventory.Model.ServerInventory' })
            $inv.Count | Should -Be 1
            $inv[0].Transport | Should -Be 'ssh' # the piped session, not this machine
            $inv[0].Port | Should -Be $lab.Hosts[0].Port
            $i = $out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            # One round trip: the POSIX collector's own reply tells the shell, no uname -s probe first.
            @($i | Where-Object Message -like '*exec /bin/sh -s*POSIX*').Count | Should -Be 1
            @($i | Where-Object Message -like '*uname -s*').Count | Should -Be 0
            $again = $s | Get-TssrServerInventory -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            @($again | Where-Object Message -like '*POSIX*').Count | Should -Be 0
        }
        finally { $s | Remove-TssrSshSession }
        $row = [pscustomobject]@{ ComputerName = $h1 }
        ($row | Invoke-TssrSshCommand -Command 'echo row' @key).Output.Trim() | Should -Be 'row'
        @(@() | Get-TssrServerInventory).Count | Should -Be 0 # an empty pipe is not this machine
    }

    It 'runs sudo with the password on stdin, never visible to the command' {
        $r = Invoke-TssrSshCommand $h1 -Command 'id -u; cat; ps -eo args' -UseSudo -Credential $cred -KnownHostsPath $kh
        $r.Status | Should -Be 'Success'
        $r.Killed | Should -BeFalse
        ($r.Output -split "`n")[0] | Should -Be '0'
        $r.Output | Should -Not -Match ([regex]::Escape($password))
    }

    It '-TimeoutSec kills the remote command for real' {
        $marker = Get-Random -Minimum 3000 -Maximum 3999
        $r = Invoke-TssrSshCommand $h1 -Command "sleep $marker; echo never" -TimeoutSec 1 @key -WarningAction SilentlyContinue
        $r.Status | Should -Be 'TimedOut'
        $r.Killed | Should -BeTrue
        $r.Output | Should -Not -Match 'tssr-pgid'
        $r.Duration.TotalSeconds | Should -BeLessThan 5
        Start-Sleep -Milliseconds 500
        @(& pgrep -f "sleep $marker").Count | Should -Be 0
    }

    It 'reports a connection dropped while the command runs' {
        $err = $null
        Invoke-TssrSshCommand $h1 -Command 'sleep 0.3; kill -9 $PPID' @key -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SshConnectionLost,*'
    }

    It 'stops before any work on a bad computer name typed on the command line' {
        { Invoke-TssrSshCommand 'web:99999' -Command true -Credential $cred -ErrorAction Stop } | Should -Throw -ErrorId 'SshComputerNameInvalid*'
    }
}

Describe 'Get-TssrServerInventory (sshd fleet and this machine)' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'inventories the fleet in one call, sees the real pending apt update, and the test libvirt guest' {
        $inv = @(Get-TssrServerInventory ($lab.Hosts.ComputerName + $lab.AptHost) @key -LibvirtUri test:///default)
        $inv.Count | Should -Be ($lab.Hosts.Count + 1)
        $apt = $inv | Where-Object { "$($_.ComputerName):$($_.Port)" -eq $lab.AptHost }
        $apt.PendingUpdates.Names | Should -Be @('tssr-lab-dummy')
        # The collector gives apt lists reduced to the packages dpkg knows: the answer must be apt's
        # own on the full lists, on the apt host (its local repository) and on a fleet host (this
        # machine's Debian lists), names, count and security count alike.
        $upgradable = '^([^/\s]+)/(\S+)\s+\S+\s+\S+\s+\[upgradable from: '
        foreach ($case in @(@{ Inv = $apt; Full = (Invoke-TssrSshCommand $lab.AptHost -Command 'LC_ALL=C apt list --upgradable 2>/dev/null' @key).Output }
                @{ Inv = ($inv | Where-Object { "$($_.ComputerName):$($_.Port)" -eq $lab.Hosts[0].ComputerName }); Full = (& sh -c 'LC_ALL=C apt list --upgradable 2>/dev/null') -join "`n" })) {
            @($case.Inv).Count | Should -Be 1
            $lines = @($case.Full -split "`n" | Where-Object { $_ -match $upgradable })
            ($case.Inv.Facts | Where-Object Name -eq PendingUpdates).Source | Should -BeLike 'apt list --upgradable (package lists reduced*'
            $case.Inv.PendingUpdates.ItemCount | Should -Be $lines.Count
            @($case.Inv.PendingUpdates.Names) | Should -Be @($lines | ForEach-Object { ($_ -split '/')[0] })
            $case.Inv.PendingUpdates.SecurityCount | Should -Be @($lines | Where-Object { ($_ -split '\s')[0] -match '-security(,|$)' }).Count
        }
        $apt.IsRoot | Should -BeFalse
        ($apt.Facts | Where-Object Name -eq ListeningSockets).Status | Should -Be 'RootOnly'
        $guest = $inv[0].Virtualisation.Guests | Where-Object Name -eq test
        $guest.VCpus | Should -Be ([int]((& virsh -c test:///default dominfo test | Select-String 'CPU\(s\)') -replace '\D', ''))
        $inv[0].Kernel | Should -Be (& uname -r)
        $inv[0].PackageCount | Should -Be ([int](& sh -c "dpkg-query -W -f '`${db:Status-Abbrev}\n' | grep -c '^ii'"))
    }

    It 'agrees with Ansible setup on OS, kernel, CPU, memory, mounts, interfaces, virtualisation' {
        # Under CI a missing ansible is a failure, elsewhere a skip that says why.
        if (-not (Test-LabPrerequisite -Command ansible)) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $port = $lab.Hosts[0].Port
        $env:ANSIBLE_SSH_ARGS = "-o UserKnownHostsFile=$kh"
        $json = & ansible all -i "127.0.0.1:$port," -m setup -u $lab.UserName --private-key $lab.KeyFile 2>$null
        Remove-Item Env:ANSIBLE_SSH_ARGS
        $text = ($json -join "`n") -replace '^[^{]*', ''
        $text | Should -Not -BeNullOrEmpty
        $facts = ($text | ConvertFrom-Json).ansible_facts
        $i = Get-TssrServerInventory $lab.Hosts[0].ComputerName @key
        $i.OperatingSystem.Id | Should -Be $facts.ansible_distribution.ToLower()
        $i.OperatingSystem.Version | Should -Be $facts.ansible_distribution_major_version
        $i.OperatingSystem.Family | Should -Be $facts.ansible_os_family.ToLower()
        $i.Kernel | Should -Be $facts.ansible_kernel
        $i.Cpu.Threads | Should -Be $facts.ansible_processor_vcpus
        [math]::Round($i.Memory.TotalBytes / 1MB) | Should -Be $facts.ansible_memtotal_mb
        # df lists a device once (bind mounts such as /run/netns are left out); Ansible lists every mount.
        foreach ($m in @($facts.ansible_mounts | Where-Object fstype -in 'ext4', 'xfs', 'btrfs')) { $i.FileSystems.Source | Should -Contain $m.device }
        $i.FileSystems.MountPoint | Should -Contain '/'
        foreach ($n in $facts.ansible_interfaces) { $i.Interfaces.Name | Should -Contain $n }
        $i.Virtualisation.Technology | Should -Be $facts.ansible_virtualization_type
    }

    It 'reads a real systemd manager: services, states and start modes as systemctl lists them' {
        if (-not (Test-LabPrerequisite -Command systemd, systemctl, unshare)) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $lab.SystemdHost | Should -Not -BeNullOrEmpty -Because 'the SSH lab starts the systemd host when systemd is installed'
        $i = Get-TssrServerInventory $lab.SystemdHost -UserName root -KeyFilePath $lab.KeyFile -KnownHostsPath $kh
        ($i.Facts | Where-Object Name -eq Services).Status | Should -Be 'Ok'
        # The oracle: systemctl --user from outside the namespace, on the same manager.
        $env:XDG_RUNTIME_DIR = $lab.SystemdRuntime
        $env:XDG_CONFIG_HOME = $lab.SystemdConfig
        try {
            $units = @(& systemctl --user list-units --type=service --all --no-legend --no-pager --plain)
            $files = @(& systemctl --user list-unit-files --type=service --no-legend --no-pager)
        }
        finally { Remove-Item Env:XDG_RUNTIME_DIR, Env:XDG_CONFIG_HOME }
        $units.Count | Should -BeGreaterThan 2
        $expected = @{}
        foreach ($u in $units) {
            $f = -split ($u -replace '^[^\w.@-]+', '')
            $expected[$f[0]] = @{ State = $f[2]; SubState = $f[3]; StartMode = $null }
        }
        foreach ($u in $files) {
            $f = -split $u
            if (-not $expected.ContainsKey($f[0])) {
                if ($f[0] -like '*@.service') { continue } # templates are not units
                $expected[$f[0]] = @{ State = 'inactive'; SubState = 'dead'; StartMode = $null }
            }
            $expected[$f[0]].StartMode = $f[1]
        }
        $names = [string[]]@($expected.Keys)
        [Array]::Sort($names, [StringComparer]::Ordinal)
        @($i.Services.Name) | Should -Be $names
        foreach ($s in $i.Services) {
            "$($s.Name) $($s.State)/$($s.SubState)/$($s.StartMode)" | Should -Be "$($s.Name) $($expected[$s.Name].State)/$($expected[$s.Name].SubState)/$($expected[$s.Name].StartMode)"
        }
        "$(($i.Services | Where-Object Name -eq 'tssr-lab-sleep.service'))" | Should -Be 'tssr-lab-sleep.service active/enabled'
        ($i.Services | Where-Object Name -eq 'tssr-lab-sleep.service').SubState | Should -Be 'running'
        ($i.Services | Where-Object Name -eq 'tssr-lab-fail.service').State | Should -Be 'failed'
        "$(($i.Services | Where-Object Name -eq 'tssr-lab-off.service'))" | Should -Be 'tssr-lab-off.service inactive/disabled'
    }

    It 'inventories this machine without SSH and without loading SSH.NET' {
        $r = Invoke-TssrPwsh -Script @'
$i = Get-TssrServerInventory -LibvirtUri test:///default
[pscustomobject]@{ Transport = $i.Transport; Facts = $i.Facts.Count; Ssh = [bool]([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Renci.SshNet' }) }
'@
        $r.Transport | Should -Be 'local'
        $r.Facts | Should -BeGreaterThan 20
        $r.Ssh | Should -BeFalse
    }

    It 'exports, imports exactly, and shows a new listening port as High drift' {
        $a = Get-TssrServerInventory $h1 @key
        $file = Join-Path $TestDrive 'a.json'
        $a | Export-TssrInventory $file
        $back = Import-TssrInventory $file
        ($back | ConvertTo-Json -Depth 8) | Should -Be ($a | ConvertTo-Json -Depth 8)
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Any, 0); $listener.Start()
        try {
            $b = Get-TssrServerInventory $h1 -UserName root -KeyFilePath $lab.KeyFile -KnownHostsPath $kh
            $drift = Compare-TssrInventory $file $b
            $new = $drift | Where-Object { $_.Category -eq 'ListeningPort' -and $_.Item -like "*:$($listener.LocalEndpoint.Port)" }
            $new.Severity | Should -Be 'High'
            $drift.Class | Should -Not -Contain 'Noise'
        }
        finally { $listener.Stop() }
    }

    It 'stops a collection at -TimeoutSec' {
        $err = $null
        Get-TssrServerInventory $h1 @key -TimeoutSec 0.2 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InventoryTimeout,*'
    }
}

Describe 'The Windows collector script' {
    BeforeAll {
        $script:collectorPath = Join-Path $PSScriptRoot '../../src/Tssr.Tools.Engine/Inventory/Collectors/windows-collector.ps1'
    }

    It 'parses, and uses no syntax Windows PowerShell 5.1 lacks' {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Resolve-Path $collectorPath), [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        # PowerShell 7 only: ?:, && and ||, ??, ??=, ?. and ?[].
        $found = $ast.FindAll({
                param($n)
                $n.GetType().Name -in 'TernaryExpressionAst', 'PipelineChainAst' -or
                ($n -is [System.Management.Automation.Language.BinaryExpressionAst] -and $n.Operator -eq 'QuestionQuestion') -or
                ($n -is [System.Management.Automation.Language.AssignmentStatementAst] -and $n.Operator -eq 'QuestionQuestionEquals') -or
                ($n -is [System.Management.Automation.Language.MemberExpressionAst] -and $n.NullConditional) -or
                ($n -is [System.Management.Automation.Language.IndexExpressionAst] -and $n.NullConditional)
            }, $true)
        $where = (@($found) | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Extent.Text)" }) -join '; '
        @($found).Count | Should -Be 0 -Because $where
        # ConvertTo-Json -Depth above 100 is refused by 5.1; the collector's is well below.
        (Get-Content -Raw $collectorPath) | Should -Match 'ConvertTo-Json -InputObject \$doc -Depth 12 -Compress'
    }

    It 'runs under pwsh here and writes one framed JSON document in pure ASCII' {
        $script = (Get-Content -Raw $collectorPath).Replace('__NONCE__', 'abc123')
        # The bootstrap the engine sends, encoded as it sends it.
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Tssr.Tools.Engine' } | Select-Object -First 1
        $scripts = $engine.GetType('Tssr.Tools.Engine.Inventory.Collectors.CollectorScripts')
        $bootstrap = $scripts.GetField('PowerShellBootstrap', [Reflection.BindingFlags]'Public,NonPublic,Static').GetValue($null)
        $boot = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($bootstrap))
        $cmd = Get-PwshCommandLine
        $pre = @($cmd | Select-Object -Skip 1)
        $out = $script | & $cmd[0] @pre -NoProfile -NonInteractive -EncodedCommand $boot
        # First its PID (what taskkill /T gets at a timeout), then the framed document.
        $lines = @($out)
        $lines[0] | Should -Match '^@@tssr-pgid \d+$'
        $lines = @($lines | Select-Object -Skip 1)
        $lines[0] | Should -Be '@@abc123 TSSR-INVENTORY 1 powershell'
        $lines[1] | Should -Be '@@abc123 B inventory ConvertTo-Json'
        $lines[-3..-1] | Should -Be @('@@abc123 R inventory 0', '@@abc123 E inventory', '@@abc123 END')
        $lines[2] | Should -Match '^[\x20-\x7e]+$'
        $doc = $lines[2] | ConvertFrom-Json
        $doc.collector | Should -Be 1
        $doc.depthCheck.network.value[0].list | Should -Be 'ok'
        $names = $doc.facts.PSObject.Properties.Name
        $names | Should -Contain 'network'
        foreach ($f in $doc.facts.PSObject.Properties.Value) { $f.status | Should -BeIn 'Ok', 'NotAvailable' }
        ($doc.facts.network.value | Where-Object name -eq 'lo').ipv4 | Should -Contain '127.0.0.1/8'
        $doc.facts.os.status | Should -Be 'NotAvailable'
    }
}
