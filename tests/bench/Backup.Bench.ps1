# Backup benchmarks, each side measured in the same run on the same files (the machine is shared:
# only the ratios of one run mean something).
#   Manifest:   Test-TssrBackup -ManifestPath against `sha256sum -c` and against two parallel
#               `openssl dgst -sha256` (the physical limit on 2 cores). Files of mixed sizes:
#               4 x 32 MiB, 64 x 1 MiB, 2,048 x 32 KiB per -ScaleFactor (4, the default, gives the 1 GiB of the bar).
#   SmallFiles: 100,000 files of 1 KiB (per-file overhead, not hashing, dominates) against `sha256sum -c`.
#   Restic:     (128 MiB of the same mix per -ResticScaleFactor) Test-TssrBackup -ResticRepository -SourcePath (check --read-data, restore into a sandbox,
#               compare every file with the source) against `restic restore --verify` of the same
#               snapshot, and against `restic check --read-data` followed by it (the same repository work).
# hyperfine (>= 5 runs; it runs each command's runs in one block, so a load change between blocks
# skews its ratios) times Test-TssrBackup in a fresh pwsh, import included; then a loop in a started
# pwsh alternates the commands run by run, so that both sides of a ratio see the same load.
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Runs = 5, [int] $ScaleFactor = 4,
    [ValidateSet('Manifest', 'SmallFiles', 'Restic')] [string[]] $Case = @('Manifest', 'SmallFiles', 'Restic'),
    [int] $SmallFileCount = 100000, [int] $ResticScaleFactor = 1)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$lab = if ($env:TSSR_LAB_DIR) { $env:TSSR_LAB_DIR } else { [IO.Path]::GetTempPath() }
$work = Join-Path $lab "tssr-bench-backup-$PID"
$null = New-Item -ItemType Directory -Force $work
$process = [Environment]::ProcessPath
$pwsh = if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { "'$process' '$(Join-Path $PSHOME 'pwsh.dll')'" } else { "'$process'" }
$psd1 = Join-Path $ModulePath 'Tssr.Tools.psd1'
Import-Module $psd1

function New-Files([string] $Dir, [int] $Count, [int] $Size, [string] $Prefix, [Random] $Random) {
    $null = New-Item -ItemType Directory -Force $Dir
    $buffer = [byte[]]::new($Size)
    for ($i = 0; $i -lt $Count; $i++) { $Random.NextBytes($buffer); [IO.File]::WriteAllBytes((Join-Path $Dir "$Prefix-$i.bin"), $buffer) }
}

function Invoke-Hyperfine([string[]] $NamedCommands) {
    $json = Join-Path $work 'hyperfine.json'
    & hyperfine --warmup 1 --runs $Runs --export-json $json @NamedCommands
    if ($LASTEXITCODE -ne 0) { throw "hyperfine failed ($LASTEXITCODE)" }
    (Get-Content -Raw $json | ConvertFrom-Json).results
}

function Write-Load { Write-Host ("load average at the start: {0}" -f ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ') }

try {
    if ('Manifest' -in $Case) {
        $data = Join-Path $work 'data'
        $random = [Random]::new(42)
        New-Files $data (4 * $ScaleFactor) 32MB 'large' $random
        New-Files $data (64 * $ScaleFactor) 1MB 'medium' $random
        New-Files $data (2048 * $ScaleFactor) 32KB 'small' $random
        $total = (Get-ChildItem $data -File | Measure-Object Length -Sum).Sum
        $manifest = Join-Path $work 'data.sha256'
        Push-Location $data
        sh -c "sha256sum -- * > '$manifest'"
        $names = Get-ChildItem -File -Name | Sort-Object
        # Two halves of equal bytes (largest first, each file to the lighter half): one openssl per core, both busy to the end.
        $halves = @([Collections.Generic.List[string]]::new(), [Collections.Generic.List[string]]::new()); $bytes = @(0L, 0L)
        foreach ($f in Get-ChildItem -File | Sort-Object Length -Descending) { $h = if ($bytes[0] -le $bytes[1]) { 0 } else { 1 }; $halves[$h].Add($f.Name); $bytes[$h] += $f.Length }
        $halves[0] | Set-Content (Join-Path $work 'half1')
        $halves[1] | Set-Content (Join-Path $work 'half2')
        Pop-Location
        Write-Host ("Manifest: {0:N0} files, {1:N0} MiB" -f $names.Count, ($total / 1MB)); Write-Load
        $script = Join-Path $work 'check.ps1'
        Set-Content -LiteralPath $script -Value "Import-Module '$psd1'; `$r = Test-TssrBackup -Path '$data' -ManifestPath '$manifest'; if (`"`$(`$r.Status)`" -ne 'Passed') { exit 1 }"
        $results = Invoke-Hyperfine @('-n', 'Test-TssrBackup (fresh pwsh)', "$pwsh -NoProfile -File '$script'",
            '-n', 'sha256sum -c', "cd '$data' && sha256sum --quiet -c '$manifest'",
            '-n', '2 x openssl dgst -sha256', "cd '$data' && (xargs -a '$work/half1' openssl dgst -sha256 > /dev/null & xargs -a '$work/half2' openssl dgst -sha256 > /dev/null; wait)")
        $t = ($results | Where-Object command -like 'Test-TssrBackup*').median
        $s = ($results | Where-Object command -eq 'sha256sum -c').median
        $o = ($results | Where-Object command -like '2 x openssl*').median
        $check = Test-TssrBackup -Path $data -ManifestPath $manifest
        if ("$($check.Status)" -ne 'Passed' -or $check.VerifiedCount -ne $check.FileCount) { throw "The check did not verify every file: $($check.Message)" }
        # Alternated with the two others in the same loop, so a load change touches all three alike.
        $times = @{ tssr = @(); sha = @(); openssl = @() }
        for ($i = 0; $i -lt $Runs; $i++) {
            $times.tssr += (Measure-Command { $null = Test-TssrBackup -Path $data -ManifestPath $manifest }).TotalSeconds
            $times.sha += (Measure-Command { sh -c "cd '$data' && sha256sum --quiet -c '$manifest'" }).TotalSeconds
            $times.openssl += (Measure-Command { sh -c "cd '$data' && (xargs -a '$work/half1' openssl dgst -sha256 > /dev/null & xargs -a '$work/half2' openssl dgst -sha256 > /dev/null; wait)" }).TotalSeconds
        }
        $median = { param($v) @($v | Sort-Object)[[int]($v.Count / 2)] }
        $ti = & $median $times.tssr; $si = & $median $times.sha; $oi = & $median $times.openssl
        Write-Host ("median (hyperfine): Test-TssrBackup fresh pwsh {0:N3} s, sha256sum -c {1:N3} s, 2 x openssl {2:N3} s" -f $t, $s, $o)
        Write-Host ("median (interleaved in a started pwsh): Test-TssrBackup {0:N3} s, sha256sum -c {1:N3} s, 2 x openssl {2:N3} s" -f $ti, $si, $oi)
        Write-Host ("throughput vs sha256sum -c: {0:N2} x (fresh), {1:N2} x (started); vs 2 x openssl: {2:N2} x (fresh), {3:N2} x (started)" -f ($s / $t), ($si / $ti), ($o / $t), ($oi / $ti))
        Remove-Item -Recurse -Force $data
    }

    if ('SmallFiles' -in $Case) {
        $small = Join-Path $work 'small'
        $random = [Random]::new(43)
        # 100 folders of 1,000 files, as a real tree holds them.
        for ($d = 0; $d -lt 100; $d++) { New-Files (Join-Path $small "d$d") ([int]($SmallFileCount / 100)) 1KB 'f' $random }
        $manifest = Join-Path $work 'small.sha256'
        sh -c "cd '$small' && find . -type f -print0 | xargs -0 sha256sum > '$manifest'"
        Write-Host ("SmallFiles: {0:N0} files of 1 KiB" -f (Get-Content $manifest | Measure-Object).Count); Write-Load
        $script = Join-Path $work 'small.ps1'
        Set-Content -LiteralPath $script -Value "Import-Module '$psd1'; `$r = Test-TssrBackup -Path '$small' -ManifestPath '$manifest'; if (`"`$(`$r.Status)`" -ne 'Passed') { exit 1 }"
        $results = Invoke-Hyperfine @('-n', 'Test-TssrBackup (fresh pwsh)', "$pwsh -NoProfile -File '$script'",
            '-n', 'sha256sum -c', "cd '$small' && sha256sum --quiet -c '$manifest'")
        $t = ($results | Where-Object command -like 'Test-TssrBackup*').median
        $s = ($results | Where-Object command -eq 'sha256sum -c').median
        $check = Test-TssrBackup -Path $small -ManifestPath $manifest
        if ("$($check.Status)" -ne 'Passed' -or $check.VerifiedCount -ne $SmallFileCount) { throw "The check did not verify every file: $($check.Message)" }
        $times = @{ tssr = @(); sha = @() }
        for ($i = 0; $i -lt $Runs; $i++) {
            $times.tssr += (Measure-Command { $null = Test-TssrBackup -Path $small -ManifestPath $manifest }).TotalSeconds
            $times.sha += (Measure-Command { sh -c "cd '$small' && sha256sum --quiet -c '$manifest'" }).TotalSeconds
        }
        $ti = @($times.tssr | Sort-Object)[[int]($Runs / 2)]; $si = @($times.sha | Sort-Object)[[int]($Runs / 2)]
        Write-Host ("median (hyperfine): Test-TssrBackup fresh pwsh {0:N3} s, sha256sum -c {1:N3} s: {2:N2} x" -f $t, $s, ($s / $t))
        Write-Host ("median (interleaved in a started pwsh): Test-TssrBackup {0:N3} s, sha256sum -c {1:N3} s: {2:N2} x" -f $ti, $si, ($si / $ti))
        Remove-Item -Recurse -Force $small
    }

    if ('Restic' -in $Case) {
        $source = Join-Path $work 'source'
        $random = [Random]::new(44)
        New-Files $source (2 * $ResticScaleFactor) 32MB 'large' $random
        New-Files $source (32 * $ResticScaleFactor) 1MB 'medium' $random
        New-Files $source (1024 * $ResticScaleFactor) 32KB 'small' $random
        $repo = Join-Path $work 'repo'
        $env:RESTIC_PASSWORD = 'bench-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        restic init -q -r $repo | Out-Null
        restic backup -q -r $repo $source | Out-Null
        $target = Join-Path $work 'restored'
        $sandboxes = Join-Path $work 'sandboxes'
        $null = New-Item -ItemType Directory -Force $sandboxes
        $total = (Get-ChildItem $source -File | Measure-Object Length -Sum).Sum
        Write-Host ("Restic: one snapshot of {0:N0} files, {1:N0} MiB" -f (Get-ChildItem $source -File).Count, ($total / 1MB)); Write-Load
        $script = Join-Path $work 'restic.ps1'
        Set-Content -LiteralPath $script -Value @"
Import-Module '$psd1'
`$cred = [pscredential]::new('repo', (ConvertTo-SecureString `$env:RESTIC_PASSWORD -AsPlainText -Force))
`$r = Test-TssrBackup -ResticRepository '$repo' -Credential `$cred -SourcePath '$source' -SandboxPath '$sandboxes'
if ("`$(`$r.Status)" -ne 'Passed') { exit 1 }
"@
        $verify = "rm -rf '$target' && restic -q -r '$repo' restore latest --verify --target '$target' && rm -rf '$target'"
        $results = Invoke-Hyperfine @('-n', 'Test-TssrBackup -ResticRepository -SourcePath (fresh pwsh)', "$pwsh -NoProfile -File '$script'",
            '-n', 'restic restore --verify', $verify,
            '-n', 'restic check --read-data + restore --verify', "restic -q -r '$repo' check --read-data > /dev/null && $verify")
        $t = ($results | Where-Object command -like 'Test-TssrBackup*').median
        $v = ($results | Where-Object command -eq 'restic restore --verify').median
        $cv = ($results | Where-Object command -like 'restic check*').median
        Write-Host ("median: Test-TssrBackup {0:N3} s; restic restore --verify {1:N3} s; check --read-data + restore --verify {2:N3} s; ratio of times {3:N2} and {4:N2}" -f $t, $v, $cv, ($t / $v), ($t / $cv))
        Remove-Item Env:RESTIC_PASSWORD
    }
}
finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
