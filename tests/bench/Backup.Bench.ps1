# Backup manifest check benchmark: Test-TssrBackup -ManifestPath against `sha256sum -c` and against
# two parallel `openssl dgst -sha256` (the physical limit on 2 cores), on the same files and the same
# manifest. The data set is 256 MiB in files of mixed sizes (4 x 32 MiB, 64 x 1 MiB, 2,048 x 32 KiB)
# so the bench runs in a shared machine's minutes; the bar in BENCHMARKS.md is for 1 GiB (the same
# mix scaled by 4 can be given with -ScaleFactor 4). hyperfine, alternating commands, >= 5 runs;
# Test-TssrBackup is timed in a fresh pwsh (import included) and, separately, inside a started one.
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Runs = 5, [int] $ScaleFactor = 1)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$lab = if ($env:TSSR_LAB_DIR) { $env:TSSR_LAB_DIR } else { [IO.Path]::GetTempPath() }
$work = Join-Path $lab "tssr-bench-backup-$PID"
$data = Join-Path $work 'data'
$null = New-Item -ItemType Directory -Force $data
try {
    $random = [Random]::new(42)
    function New-Files([int] $Count, [int] $Size, [string] $Prefix) {
        $buffer = [byte[]]::new($Size)
        for ($i = 0; $i -lt $Count; $i++) { $random.NextBytes($buffer); [IO.File]::WriteAllBytes((Join-Path $data "$Prefix-$i.bin"), $buffer) }
    }
    New-Files (4 * $ScaleFactor) 32MB 'large'
    New-Files (64 * $ScaleFactor) 1MB 'medium'
    New-Files (2048 * $ScaleFactor) 32KB 'small'
    $total = (Get-ChildItem $data -File | Measure-Object Length -Sum).Sum
    $manifest = Join-Path $work 'data.sha256'
    Push-Location $data
    sh -c "sha256sum -- * > '$manifest'"
    Get-ChildItem -File -Name | Sort-Object | Select-Object -First ([int]((Get-ChildItem -File).Count / 2)) | Set-Content (Join-Path $work 'half1')
    Get-ChildItem -File -Name | Sort-Object | Select-Object -Skip ([int]((Get-ChildItem -File).Count / 2)) | Set-Content (Join-Path $work 'half2')
    Pop-Location
    Write-Host ("data set: {0:N0} files, {1:N0} MiB" -f (Get-ChildItem $data -File).Count, ($total / 1MB))

    $process = [Environment]::ProcessPath
    $pwsh = if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { "'$process' '$(Join-Path $PSHOME 'pwsh.dll')'" } else { "'$process'" }
    $psd1 = Join-Path $ModulePath 'Tssr.Tools.psd1'
    $script = Join-Path $work 'check.ps1'
    Set-Content -LiteralPath $script -Value "Import-Module '$psd1'; `$r = Test-TssrBackup -Path '$data' -ManifestPath '$manifest'; if (`"`$(`$r.Status)`" -ne 'Passed') { exit 1 }"
    $tssr = "$pwsh -NoProfile -File '$script'"
    $sha = "cd '$data' && sha256sum --quiet -c '$manifest'"
    $openssl = "cd '$data' && (xargs -a '$work/half1' openssl dgst -sha256 > /dev/null & xargs -a '$work/half2' openssl dgst -sha256 > /dev/null; wait)"
    $json = Join-Path $work 'hyperfine.json'
    & hyperfine --warmup 1 --runs $Runs --export-json $json -n 'Test-TssrBackup (fresh pwsh)' $tssr -n 'sha256sum -c' $sha -n '2 x openssl dgst -sha256' $openssl
    $results = (Get-Content -Raw $json | ConvertFrom-Json).results
    $t = ($results | Where-Object command -like 'Test-TssrBackup*').median
    $s = ($results | Where-Object command -eq 'sha256sum -c').median
    $o = ($results | Where-Object command -like '2 x openssl*').median

    Import-Module $psd1
    $check = Test-TssrBackup -Path $data -ManifestPath $manifest
    if ("$($check.Status)" -ne 'Passed' -or $check.VerifiedCount -ne $check.FileCount) { throw "The check did not verify every file: $($check.Message)" }
    $inSession = @(1..$Runs | ForEach-Object { (Measure-Command { $null = Test-TssrBackup -Path $data -ManifestPath $manifest }).TotalSeconds } | Sort-Object)[[int]($Runs / 2)]
    Write-Host ("median: Test-TssrBackup {0:N3} s (in a started pwsh {1:N3} s), sha256sum -c {2:N3} s, 2 x openssl {3:N3} s" -f $t, $inSession, $s, $o)
    Write-Host ("throughput vs sha256sum -c: {0:N2} x (fresh pwsh), {1:N2} x (started pwsh); vs 2 x openssl: {2:N2} x (fresh), {3:N2} x (started)" -f ($s / $t), ($s / $inSession), ($o / $t), ($o / $inSession))
}
finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
