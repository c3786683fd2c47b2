# Backup and restore validation on sample data made here: a manifest sha256sum can check, a damaged
# copy named file by file, an archive read to its end, a hostile one refused, a timed restore drill.
$work = Join-Path ([IO.Path]::GetTempPath()) "tssr-demo-backup-$PID"
$null = New-Item -ItemType Directory -Force (Join-Path $work 'data/docs')
try {
    Push-Location $work
    1..20 | ForEach-Object { Set-Content -LiteralPath "data/docs/report-$_.txt" -Value "quarterly report $_" }
    [IO.File]::WriteAllBytes("$work/data/archive.bin", [byte[]]::new(2MB))

    Write-Host 'A manifest in the exact format of sha256sum, and sha256sum -c agreeing with it:'
    New-TssrBackupManifest -Path ./data -OutFile ./data.sha256 | Format-Table -AutoSize
    Push-Location ./data; sha256sum --quiet -c ../data.sha256 && Write-Host '    sha256sum -c: OK'; Pop-Location

    Write-Host 'A copy with one file changed and one missing: each named, and how much was verified:'
    Copy-Item -Recurse ./data ./copy
    Set-Content -LiteralPath ./copy/docs/report-3.txt -Value 'tampered'
    Remove-Item ./copy/docs/report-7.txt
    $r = Test-TssrBackup -Path ./copy -ManifestPath ./data.sha256
    $r | Format-Table -AutoSize
    $r.Differences | Format-Table -AutoSize

    Write-Host 'An archive read to its end, and the same archive restored into a sandbox and compared:'
    tar -C ./data -czf ./data.tgz .
    Test-TssrBackup -Path ./data.tgz | Format-List Status, Format, VerifiedCount, Integrity
    Measure-TssrRestore -Path ./data.tgz -SourcePath ./data -TargetRto 00:05:00 | Format-List Status, RtoSec, TargetRtoSec, VerifiedCount, EvidenceSha256, PerformedBy

    Write-Host 'A hostile archive (../ and an absolute path): refused by name, nothing written:'
    python3 -c "import tarfile, io; t = tarfile.open('evil.tar', 'w'); [t.addfile(tarfile.TarInfo(n), io.BytesIO(b'')) for n in ('ok.txt', '../escape.txt', '/etc/cron.d/evil')]; t.close()"
    (Test-TssrBackup -Path ./evil.tar).Differences | Format-Table -AutoSize

    Write-Host 'A policy: the newest backup 30 hours old against an RPO of 24 hours, and 3-2-1 with two copies:'
    $p = Test-TssrBackupPolicy -SnapshotTime (Get-Date).AddHours(-30) -MaxAge 1.00:00:00 -Location @{ Name = 'server'; Media = 'Disk'; OffSite = $false }, @{ Name = 'usb'; Media = 'Disk'; OffSite = $false }
    $p.Rules | Format-Table Rule, Status, Reason -Wrap
}
finally {
    Pop-Location
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
