# Tssr.Tools inventory collector for Windows hosts (Windows PowerShell 5.1 or PowerShell 7), read
# on stdin by a short -EncodedCommand bootstrap: no agent, no module to install, nothing written.
# It prints the header line, one section "inventory" holding one JSON document, and END, framed
# like the POSIX collector (@@<nonce> B/R/E). Each fact is collected on its own: a fact that fails
# or whose tool is absent carries status and error, the others are kept. The output is pure ASCII
# (other characters are written as \uXXXX), so the console code page cannot alter it.
# The engine substitutes __NONCE__. Keep this file ASCII and compatible with PowerShell 5.1.
$N = '__NONCE__'
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
$VerbosePreference = 'SilentlyContinue'
$onWindows = ($PSVersionTable.PSEdition -ne 'Core') -or ($IsWindows -eq $true)
$hasCim = $null -ne (Get-Command Get-CimInstance -ErrorAction SilentlyContinue)
$facts = [ordered]@{}

function Add-Fact([string]$Name, [string]$Source, [scriptblock]$Read, [string]$Needs) {
    if ($Needs -eq 'windows' -and -not $onWindows) {
        $facts[$Name] = [ordered]@{ source = $Source; status = 'NotAvailable'; error = 'not a Windows host' }
        return
    }
    if ($Needs -eq 'cim' -and -not $hasCim) {
        $facts[$Name] = [ordered]@{ source = $Source; status = 'NotAvailable'; error = 'Get-CimInstance is not available' }
        return
    }
    try {
        $v = & $Read
        $facts[$Name] = [ordered]@{ source = $Source; status = 'Ok'; value = $v }
    } catch {
        $m = $_.Exception.Message
        if ($null -eq $m) { $m = [string]$_ }
        $status = 'Failed'
        if ($_.Exception -is [System.Management.Automation.CommandNotFoundException] -or $_.Exception -is [System.PlatformNotSupportedException]) { $status = 'NotAvailable' }
        if ($m.Length -gt 300) { $m = $m.Substring(0, 300) }
        $facts[$Name] = [ordered]@{ source = $Source; status = $status; error = $m }
    }
}

function Has([string]$Command) { $null -ne (Get-Command $Command -ErrorAction SilentlyContinue) }

function Cim([string]$Class, [string]$Filter) {
    if ($Filter) { Get-CimInstance -ClassName $Class -Filter $Filter -ErrorAction Stop } else { Get-CimInstance -ClassName $Class -ErrorAction Stop }
}

Add-Fact 'identity' '[Security.Principal.WindowsIdentity]::GetCurrent()' {
    $id = [Security.Principal.WindowsIdentity]::GetCurrent()
    $p = New-Object Security.Principal.WindowsPrincipal $id
    [ordered]@{ user = $id.Name; elevated = $p.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator) }
} 'windows'

Add-Fact 'os' 'Get-CimInstance Win32_OperatingSystem' {
    $os = Cim 'Win32_OperatingSystem'
    $ubr = $null; $display = $null
    try {
        $cv = Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' -ErrorAction Stop
        $ubr = $cv.UBR
        $display = $cv.DisplayVersion
        if (-not $display) { $display = $cv.ReleaseId }
    } catch { }
    [ordered]@{
        caption = $os.Caption; version = $os.Version; build = $os.BuildNumber; ubr = $ubr; displayVersion = $display
        architecture = $os.OSArchitecture; productType = $os.ProductType
        totalVisibleKiB = $os.TotalVisibleMemorySize; freePhysicalKiB = $os.FreePhysicalMemory
        lastBoot = $os.LastBootUpTime; uptimeSeconds = ((Get-Date) - $os.LastBootUpTime).TotalSeconds
    }
} 'cim'

Add-Fact 'computer' 'Get-CimInstance Win32_ComputerSystem' {
    $cs = Cim 'Win32_ComputerSystem'
    [ordered]@{
        name = $cs.Name; dnsHostName = $cs.DNSHostName; domain = $cs.Domain; partOfDomain = $cs.PartOfDomain; domainRole = [int]$cs.DomainRole
        manufacturer = $cs.Manufacturer; model = $cs.Model; hypervisorPresent = $cs.HypervisorPresent
        totalPhysicalBytes = $cs.TotalPhysicalMemory; processors = $cs.NumberOfProcessors
    }
} 'cim'

Add-Fact 'hostname' '[Environment]::MachineName, IPGlobalProperties' {
    $g = [System.Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties()
    [ordered]@{ machineName = [Environment]::MachineName; hostName = $g.HostName; domainName = $g.DomainName }
}

Add-Fact 'cpu' 'Get-CimInstance Win32_Processor' {
    $list = @()
    foreach ($p in @(Cim 'Win32_Processor')) {
        $list += [ordered]@{ name = $p.Name; cores = $p.NumberOfCores; threads = $p.NumberOfLogicalProcessors; architecture = [int]$p.Architecture; socket = $p.SocketDesignation }
    }
    ,$list
} 'cim'

Add-Fact 'pagefile' 'Get-CimInstance Win32_PageFileUsage' {
    $list = @()
    foreach ($p in @(Cim 'Win32_PageFileUsage')) {
        $list += [ordered]@{ name = $p.Name; allocatedMiB = $p.AllocatedBaseSize; currentUsageMiB = $p.CurrentUsage }
    }
    ,$list
} 'cim'

Add-Fact 'volumes' '[System.IO.DriveInfo]::GetDrives()' {
    $list = @()
    foreach ($d in [System.IO.DriveInfo]::GetDrives()) {
        if (-not $d.IsReady) { continue }
        $type = [string]$d.DriveType
        if ($type -ne 'Fixed' -and $type -ne 'Removable' -and $type -ne 'Network') { continue }
        $label = $null
        try { $label = $d.VolumeLabel } catch { }
        $list += [ordered]@{ name = $d.Name; format = $d.DriveFormat; driveType = $type; label = $label; size = $d.TotalSize; free = $d.TotalFreeSpace }
    }
    ,$list
}

Add-Fact 'disks' 'Get-CimInstance Win32_DiskDrive' {
    $list = @()
    foreach ($d in @(Cim 'Win32_DiskDrive')) {
        $list += [ordered]@{ index = $d.Index; deviceId = $d.DeviceID; model = $d.Model; size = $d.Size; interface = $d.InterfaceType; mediaType = $d.MediaType }
    }
    ,$list
} 'cim'

Add-Fact 'network' '[System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces()' {
    $list = @()
    foreach ($n in [System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces()) {
        $ip = $n.GetIPProperties()
        $v4 = @(); $v6 = @(); $gw = @(); $dns = @()
        foreach ($u in $ip.UnicastAddresses) {
            $a = $u.Address.ToString()
            $pct = $a.IndexOf('%')
            if ($pct -gt 0) { $a = $a.Substring(0, $pct) }
            $len = $null
            try { $len = $u.PrefixLength } catch { }
            if ($null -ne $len) { $a = $a + '/' + $len }
            if ($u.Address.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetworkV6) { $v6 += $a } else { $v4 += $a }
        }
        foreach ($g in $ip.GatewayAddresses) {
            $a = $g.Address.ToString()
            $pct = $a.IndexOf('%')
            if ($pct -gt 0) { $a = $a.Substring(0, $pct) }
            if ($a -ne '0.0.0.0' -and $a -ne '::') { $gw += $a }
        }
        try { foreach ($d in $ip.DnsAddresses) { $a = $d.ToString(); $pct = $a.IndexOf('%'); if ($pct -gt 0) { $a = $a.Substring(0, $pct) }; $dns += $a } } catch { }
        $mtu = $null
        try { $mtu = $ip.GetIPv4Properties().Mtu } catch { try { $mtu = $ip.GetIPv6Properties().Mtu } catch { } }
        $mac = $null
        try { $mac = $n.GetPhysicalAddress().ToString() } catch { }
        $speed = $null
        try { $speed = $n.Speed } catch { }
        $list += [ordered]@{
            name = $n.Name; description = $n.Description; type = [string]$n.NetworkInterfaceType; state = [string]$n.OperationalStatus
            mac = $mac; mtu = $mtu; speedBitsPerSecond = $speed; ipv4 = $v4; ipv6 = $v6; gateways = $gw; dns = $dns
        }
    }
    ,$list
}

Add-Fact 'uptime' '[Environment]::TickCount64' {
    # .NET Framework (PowerShell 5.1) has no TickCount64; the os fact gives the boot time there.
    $ticks = [Environment]::TickCount64
    if ($null -eq $ticks) { throw (New-Object System.Management.Automation.CommandNotFoundException 'Environment.TickCount64 needs PowerShell 7') }
    [ordered]@{ uptimeSeconds = $ticks / 1000.0 }
}

Add-Fact 'guests' 'Get-VM' {
    if (-not (Has 'Get-VM')) { throw (New-Object System.Management.Automation.CommandNotFoundException 'Get-VM (Hyper-V module) is not installed') }
    $list = @()
    foreach ($vm in @(Get-VM)) {
        $list += [ordered]@{ name = $vm.Name; state = [string]$vm.State; processors = $vm.ProcessorCount; memoryStartup = $vm.MemoryStartup; memoryAssigned = $vm.MemoryAssigned; automaticStartAction = [string]$vm.AutomaticStartAction }
    }
    ,$list
} 'windows'

Add-Fact 'services' 'Get-CimInstance Win32_Service' {
    $list = @()
    foreach ($s in @(Cim 'Win32_Service')) {
        $list += [ordered]@{ name = $s.Name; displayName = $s.DisplayName; state = $s.State; startMode = $s.StartMode; delayed = $s.DelayedAutoStart; account = $s.StartName }
    }
    ,$list
} 'cim'

Add-Fact 'listening' 'Get-NetTCPConnection -State Listen, Get-NetUDPEndpoint' {
    $list = @()
    if ((Has 'Get-NetTCPConnection') -and (Has 'Get-NetUDPEndpoint')) {
        $names = @{}
        foreach ($p in @(Get-Process)) { $names[[int]$p.Id] = $p.ProcessName }
        foreach ($c in @(Get-NetTCPConnection -State Listen -ErrorAction SilentlyContinue)) {
            $list += [ordered]@{ protocol = 'tcp'; address = [string]$c.LocalAddress; port = [int]$c.LocalPort; pid = [int]$c.OwningProcess; process = $names[[int]$c.OwningProcess] }
        }
        foreach ($c in @(Get-NetUDPEndpoint -ErrorAction SilentlyContinue)) {
            $list += [ordered]@{ protocol = 'udp'; address = [string]$c.LocalAddress; port = [int]$c.LocalPort; pid = [int]$c.OwningProcess; process = $names[[int]$c.OwningProcess] }
        }
    } else {
        $g = [System.Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties()
        foreach ($e in $g.GetActiveTcpListeners()) { $list += [ordered]@{ protocol = 'tcp'; address = $e.Address.ToString(); port = $e.Port; pid = $null; process = $null } }
        foreach ($e in $g.GetActiveUdpListeners()) { $list += [ordered]@{ protocol = 'udp'; address = $e.Address.ToString(); port = $e.Port; pid = $null; process = $null } }
    }
    ,$list
}

Add-Fact 'administrators' 'Get-LocalGroupMember -SID S-1-5-32-544' {
    $list = @()
    $done = $false
    if (Has 'Get-LocalGroupMember') {
        try {
            foreach ($m in @(Get-LocalGroupMember -SID 'S-1-5-32-544' -ErrorAction Stop)) {
                $list += [ordered]@{ name = [string]$m.Name; objectClass = [string]$m.ObjectClass; source = [string]$m.PrincipalSource; sid = [string]$m.SID }
            }
            $done = $true
        } catch { $list = @() }
    }
    if (-not $done) {
        # Get-LocalGroupMember fails on unresolvable members; ADSI lists them all (source ADSI).
        $group = (New-Object Security.Principal.SecurityIdentifier 'S-1-5-32-544').Translate([Security.Principal.NTAccount]).Value.Split('\')[-1]
        $adsi = [ADSI]("WinNT://./" + $group + ",group")
        foreach ($m in @($adsi.psbase.Invoke('Members'))) {
            $path = $m.GetType().InvokeMember('AdsPath', 'GetProperty', $null, $m, $null)
            $class = $m.GetType().InvokeMember('Class', 'GetProperty', $null, $m, $null)
            $list += [ordered]@{ name = ($path -replace '^WinNT://', '' -replace '/', '\'); objectClass = [string]$class; source = 'ADSI'; sid = $null }
        }
    }
    ,$list
} 'windows'

Add-Fact 'users' 'Get-LocalUser' {
    $list = @()
    if (Has 'Get-LocalUser') {
        foreach ($u in @(Get-LocalUser)) {
            $list += [ordered]@{ name = $u.Name; enabled = $u.Enabled; sid = [string]$u.SID; lastLogon = $u.LastLogon; passwordRequired = $u.PasswordRequired; description = $u.Description }
        }
    } else {
        foreach ($u in @(Cim 'Win32_UserAccount' 'LocalAccount=True')) {
            $list += [ordered]@{ name = $u.Name; enabled = (-not $u.Disabled); sid = $u.SID; lastLogon = $null; passwordRequired = $u.PasswordRequired; description = $u.Description }
        }
    }
    ,$list
} 'windows'

Add-Fact 'hotfixes' 'Get-CimInstance Win32_QuickFixEngineering' {
    $list = @()
    foreach ($h in @(Cim 'Win32_QuickFixEngineering')) {
        # InstalledOn is a text (M/d/yyyy, or a hex FILETIME on old systems): sent as yyyy-MM-dd, a date without a time zone.
        $on = $null
        $raw = [string]$h.InstalledOn
        $parsed = [datetime]::MinValue
        if ([datetime]::TryParseExact($raw, 'M/d/yyyy', [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::None, [ref]$parsed)) { $on = $parsed.ToString('yyyy-MM-dd') }
        elseif ($raw -match '^[0-9A-Fa-f]{16}$') { $on = [datetime]::FromFileTimeUtc([Convert]::ToInt64($raw, 16)).ToString('yyyy-MM-dd') }
        $list += [ordered]@{ id = $h.HotFixID; description = $h.Description; installedOn = $on; installedOnText = $raw; installedBy = $h.InstalledBy }
    }
    ,$list
} 'cim'

Add-Fact 'software' 'HKLM:\SOFTWARE\(WOW6432Node\)Microsoft\Windows\CurrentVersion\Uninstall' {
    $list = @()
    $roots = @(
        @('HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall', 'machine'),
        @('HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall', 'machine-x86')
    )
    foreach ($r in $roots) {
        if (-not (Test-Path -LiteralPath $r[0])) { continue }
        foreach ($k in @(Get-ChildItem -LiteralPath $r[0] -ErrorAction SilentlyContinue)) {
            $p = $null
            try { $p = Get-ItemProperty -LiteralPath $k.PSPath -ErrorAction Stop } catch { continue }
            if (-not $p.DisplayName) { continue }
            if ($p.SystemComponent -eq 1) { continue }
            if ($p.ParentKeyName) { continue }
            if ($p.ReleaseType -eq 'Update' -or $p.ReleaseType -eq 'Security Update' -or $p.ReleaseType -eq 'Hotfix') { continue }
            $list += [ordered]@{ name = [string]$p.DisplayName; version = [string]$p.DisplayVersion; publisher = [string]$p.Publisher; installDate = [string]$p.InstallDate; scope = $r[1]; key = $k.PSChildName }
        }
    }
    ,$list
} 'windows'

Add-Fact 'firewall' 'Get-NetFirewallProfile -PolicyStore ActiveStore' {
    if (-not (Has 'Get-NetFirewallProfile')) { throw (New-Object System.Management.Automation.CommandNotFoundException 'Get-NetFirewallProfile (NetSecurity module) is not available') }
    $list = @()
    foreach ($f in @(Get-NetFirewallProfile -PolicyStore ActiveStore)) {
        $list += [ordered]@{ name = [string]$f.Name; enabled = [string]$f.Enabled; defaultInbound = [string]$f.DefaultInboundAction; defaultOutbound = [string]$f.DefaultOutboundAction }
    }
    ,$list
} 'windows'

Add-Fact 'reboot' 'HKLM: CBS RebootPending, WindowsUpdate RebootRequired, PendingFileRenameOperations, ComputerName' {
    $reasons = @()
    if (Test-Path -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending') { $reasons += 'Component Based Servicing\RebootPending' }
    if (Test-Path -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired') { $reasons += 'WindowsUpdate\Auto Update\RebootRequired' }
    $sm = Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager' -ErrorAction SilentlyContinue
    if ($sm -and $sm.PendingFileRenameOperations) { $reasons += 'Session Manager\PendingFileRenameOperations' }
    $active = (Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\ComputerName\ActiveComputerName' -ErrorAction SilentlyContinue).ComputerName
    $pending = (Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName' -ErrorAction SilentlyContinue).ComputerName
    if ($active -and $pending -and $active -ne $pending) { $reasons += 'ComputerName rename pending' }
    [ordered]@{ reasons = $reasons }
} 'windows'

Add-Fact 'updates' 'Microsoft.Update.Session (offline search: the last scan)' {
    $session = New-Object -ComObject Microsoft.Update.Session
    $searcher = $session.CreateUpdateSearcher()
    $searcher.Online = $false
    $result = $searcher.Search("IsInstalled=0 and IsHidden=0 and Type='Software'")
    $list = @()
    foreach ($u in $result.Updates) {
        $security = $false
        foreach ($c in $u.Categories) { if ($c.CategoryID -eq '0fa1201d-4330-4fa8-8ae9-b877473b6441') { $security = $true } }
        $list += [ordered]@{ title = $u.Title; security = $security; severity = $u.MsrcSeverity }
    }
    $last = $null
    try { $last = (New-Object -ComObject Microsoft.Update.AutoUpdate).Results.LastSearchSuccessDate } catch { }
    [ordered]@{ updates = $list; lastSearchSuccess = $last }
} 'windows'

Add-Fact 'hostkeys' '$env:ProgramData\ssh\ssh_host_*_key.pub' {
    if (-not $env:ProgramData) { throw (New-Object System.Management.Automation.CommandNotFoundException 'no ProgramData folder') }
    $keys = @()
    foreach ($f in @(Get-ChildItem -Path (Join-Path $env:ProgramData 'ssh') -Filter 'ssh_host_*_key.pub' -ErrorAction SilentlyContinue)) {
        $keys += (Get-Content -LiteralPath $f.FullName -TotalCount 1)
    }
    ,$keys
} 'windows'

# depthCheck is as deep as the deepest fact (facts.network.value[].ipv4[]): if ConvertTo-Json ever
# cuts at its -Depth, this arrives as text and the parser trusts no one-item list.
$depthCheck = [ordered]@{ value = @([ordered]@{ list = @('ok') }) }
$doc = [ordered]@{ collector = 1; psVersion = [string]$PSVersionTable.PSVersion; psEdition = [string]$PSVersionTable.PSEdition; facts = $facts; depthCheck = [ordered]@{ network = $depthCheck } }
$json = ConvertTo-Json -InputObject $doc -Depth 12 -Compress
$ascii = [regex]::Replace($json, '[^\x00-\x7e]', { param($m) '\u' + ([int][char]$m.Value).ToString('x4') })
$out = [Console]::Out
$out.Write("@@$N TSSR-INVENTORY 1 powershell`n")
$out.Write("@@$N B inventory ConvertTo-Json`n")
$out.Write($ascii)
$out.Write("`n@@$N R inventory 0`n")
$out.Write("@@$N E inventory`n")
$out.Write("@@$N END`n")
$out.Flush()
