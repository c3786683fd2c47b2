# Get-TssrServerInventory on this machine (no SSH: the collector runs in /bin/sh), its JSON export,
# and Compare-TssrInventory against a copy altered the way an intruder would alter a server: a new
# listener on all addresses, a new uid-0 account, another kernel. Nothing leaves this machine.
$work = Join-Path ([IO.Path]::GetTempPath()) "tssr-demo-inventory-$PID"
$null = New-Item -ItemType Directory -Force $work
try {
    Write-Host 'Inventory of this machine (one collector script, every fact with its source):'
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $inventory = Get-TssrServerInventory -LibvirtUri test:///default
    Write-Host ("  collected in {0:0.0} s" -f $clock.Elapsed.TotalSeconds)
    $inventory | Format-List ComputerName, Status, OperatingSystem, Kernel, Cpu, Memory, Virtualisation, PendingUpdates | Out-Host
    Write-Host "  $($inventory.ListeningSockets.Count) listening sockets, $($inventory.Administrators.Count) administrator entries, $($inventory.PackageCount) packages."
    Write-Host 'Facts that are not plainly Ok here, and why:'
    $inventory.Facts | Where-Object Status -ne Ok | Format-Table Name, Status, Message -Wrap | Out-Host

    $baseline = Join-Path $work 'baseline.json'
    $inventory | Export-TssrInventory $baseline
    Write-Host "Exported to $baseline ($([math]::Round((Get-Item $baseline).Length / 1KB)) KiB, versioned JSON); read back:"
    $back = Import-TssrInventory $baseline
    Write-Host "  Compare-TssrInventory of the export with its import: $(@(Compare-TssrInventory $inventory $back -IncludeNoise).Count) change(s)."

    # The altered copy: edited as JSON text (dates kept as text so they stay exactly as written).
    $doc = Get-Content -Raw $baseline | ConvertFrom-Json -DateKind String
    $host0 = $doc.inventories[0]
    $host0.ListeningSockets += [pscustomobject]@{ Protocol = 'tcp'; LocalIPAddress = '0.0.0.0'; Port = 4444; Process = 'nc'; ProcessId = 31337 }
    $host0.Administrators += [pscustomobject]@{ Name = 'mallory'; Reason = 'uid0' }
    $host0.Kernel = '6.1.0-99-amd64'
    if ($null -ne $host0.UptimeSeconds) { $host0.UptimeSeconds = $host0.UptimeSeconds + 3600 }
    $altered = Join-Path $work 'altered.json'
    $doc | ConvertTo-Json -Depth 20 | Set-Content -LiteralPath $altered

    Write-Host ''
    Write-Host 'Drift from the baseline to the altered copy (noise such as uptime is left out by default):'
    Compare-TssrInventory $baseline $altered | Format-Table Severity, Class, Category, Change, Item, DifferenceValue -AutoSize | Out-Host
    Write-Host "With -IncludeNoise: $(@(Compare-TssrInventory $baseline $altered -IncludeNoise).Count) change(s) (the uptime too)."
}
finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
