# SNMP on this machine: a private net-snmp snmpd on loopback (when snmpd is installed) plays a
# network device; v2c and v3 reads, a walk, an inventory, a SET under -WhatIf and the errors a
# technician meets. Nothing leaves 127.0.0.1.

function Get-DemoFreeUdpPort {
    for ($i = 0; $i -lt 50; $i++) {
        $port = Get-Random -Minimum 20000 -Maximum 60000
        try { $udp = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, $port)); $udp.Dispose(); return $port }
        catch { }
    }
    throw 'No free port found.'
}

$lab = Join-Path $PSScriptRoot '../tests/lab/Lab.psm1'
$snmpd = Get-Command snmpd -ErrorAction SilentlyContinue
if (-not $snmpd -and (Test-Path /usr/sbin/snmpd)) { $snmpd = '/usr/sbin/snmpd' }

if (-not $snmpd -or -not (Test-Path $lab) -or $IsWindows) {
    Write-Host 'snmpd is not installed here: the SNMP part needs net-snmp (apt-get install snmpd).'
    return
}

$saved = @{ Dir = $env:TSSR_LAB_DIR; Port = $env:TSSR_LAB_SNMP_PORT }
$env:TSSR_LAB_DIR = Join-Path ([IO.Path]::GetTempPath()) "tssr-demo-snmp-$PID"
$env:TSSR_LAB_SNMP_PORT = Get-DemoFreeUdpPort
Import-Module $lab -Force
try {
    $facts = (Start-TssrLab -Component Snmp).Snmp
    $agent = $facts.Endpoint
    Write-Host "An snmpd plays a network device on $agent (communities public/private, v3 users)."

    Write-Host "`n--- The system group by name, without MIB files:"
    Get-TssrSnmpValue $agent sysName.0, sysDescr.0, sysUpTime.0, sysLocation.0 | Out-Host

    Write-Host "--- A walk, streamed: interface names and 64-bit input counters (IF-MIB ifXTable):"
    Invoke-TssrSnmpWalk $agent ifName, ifHCInOctets | Select-Object -First 6 | Format-Table Name, Type, Value | Out-Host

    $user = $facts.Users | Where-Object Name -eq 'tssrsha256aes'
    $v3 = @{
        Credential = [pscredential]::new($user.Name, (ConvertTo-SecureString $user.AuthPassphrase -AsPlainText -Force))
        AuthProtocol = 'SHA256'; PrivacyProtocol = 'AES'; PrivacyPassphrase = (ConvertTo-SecureString $user.PrivacyPassphrase -AsPlainText -Force)
    }
    Write-Host "--- SNMPv3 authPriv (SHA-256 + AES), a whole-tree walk counted:"
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $count = (Invoke-TssrSnmpWalk $agent -Oid 1.3 @v3 | Measure-Object).Count
    Write-Host ("{0} values in {1:N2} s, authenticated and encrypted." -f $count, $watch.Elapsed.TotalSeconds)

    Write-Host "`n--- Each SNMPv3 refusal is its own error:"
    $wrong = $v3.Clone(); $wrong.Credential = [pscredential]::new($user.Name, (ConvertTo-SecureString 'not-the-pass-phrase' -AsPlainText -Force))
    try { Get-TssrSnmpValue $agent sysName.0 @wrong -ErrorAction Stop } catch { Write-Host "  $($_.FullyQualifiedErrorId -replace ',.*'): $($_.Exception.Message)" }
    $nobody = $v3.Clone(); $nobody.Credential = [pscredential]::new('nobody', $v3.Credential.Password)
    try { Get-TssrSnmpValue $agent sysName.0 @nobody -ErrorAction Stop } catch { Write-Host "  $($_.FullyQualifiedErrorId -replace ',.*'): $($_.Exception.Message)" }
    try { Get-TssrSnmpValue $agent sysName.0 -Community wrong -TimeoutSec 0.3 -Retry 0 -ErrorAction Stop } catch { Write-Host "  $($_.FullyQualifiedErrorId -replace ',.*'): $($_.Exception.Message)" }

    Write-Host "`n--- A typed inventory of the device:"
    $inventory = Get-TssrNetworkDeviceInventory $agent
    $inventory | Format-List SystemName, Description, UptimeSec, AddressText, AbsentMibText | Out-Host
    $inventory.Interfaces | Format-Table Index, Name, TypeName, Mtu, OperStatus, MacAddress | Out-Host

    Write-Host "--- A change asks first; -WhatIf sends nothing:"
    Set-TssrSnmpValue $agent sysContact.0 'noc@example.org' -Community private -WhatIf
}
finally {
    Stop-TssrLab -Component Snmp
    Remove-Item -Recurse -Force $env:TSSR_LAB_DIR -ErrorAction SilentlyContinue
    $env:TSSR_LAB_DIR = $saved.Dir
    $env:TSSR_LAB_SNMP_PORT = $saved.Port
}
