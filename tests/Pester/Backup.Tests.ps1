# New-TssrBackupManifest and Test-TssrBackup through the built module, with GNU coreutils as the
# oracle: sha256sum -c accepts our manifests and we read the ones sha256sum writes.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TssrTestModule
    $lab = if ($env:TSSR_LAB_DIR) { $env:TSSR_LAB_DIR } else { [IO.Path]::GetTempPath() }
    $script:workDir = Join-Path $lab "tssr-backup-$PID"
    $null = New-Item -ItemType Directory -Force $workDir
    $script:hasCoreutils = Test-LabPrerequisite -Command sha256sum, cp, printf
    Push-Location $workDir

    function New-SampleTree([string] $Name) {
        $root = Join-Path $workDir $Name
        # rm, not Remove-Item: .NET cannot delete a name that is not UTF-8.
        if (Test-Path -LiteralPath $root) { rm -rf -- $root }
        $null = New-Item -ItemType Directory -Force (Join-Path $root 'sub dir')
        # .NET calls and no Join-Path: PowerShell on Linux would take the backslash for a separator.
        [IO.File]::WriteAllText((Join-Path $root 'plain.txt'), 'plain')
        [IO.File]::WriteAllText((Join-Path $root 'sp ace.txt'), 'space')
        [IO.File]::WriteAllText("$root/back\slash", 'backslash')
        [IO.File]::WriteAllText((Join-Path $root "new`nline"), 'newline')
        [IO.File]::WriteAllText((Join-Path $root "sub dir/caf$([char]0xe9).txt"), 'nfc')
        [IO.File]::WriteAllBytes((Join-Path $root 'sub dir/big.bin'), [byte[]]::new(3MB))
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $root 'link') -Target 'plain.txt'
        $root
    }
}

AfterAll {
    Pop-Location
    Remove-Item -Recurse -Force $workDir -ErrorAction SilentlyContinue
}

Describe 'New-TssrBackupManifest' {
    It 'writes a manifest that sha256sum -c accepts, escaped names included (help example 1)' {
        if (-not $hasCoreutils) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $null = New-SampleTree data
        $m = New-TssrBackupManifest -Path ./data -OutFile ./data.sha256 -WarningAction SilentlyContinue
        $m.GetType().FullName | Should -Be 'Tssr.Tools.Engine.Backup.BackupManifestResult'
        "$($m.Status)" | Should -Be 'Complete'
        $m.FileCount | Should -Be 6
        (Get-Content -Raw ./data.sha256) | Should -Match '(?m)^\\[0-9a-f]{64}  back\\\\slash$'
        (Get-Content -Raw ./data.sha256) | Should -Match '(?m)^\\[0-9a-f]{64}  new\\nline$'
        Push-Location ./data; $out = sha256sum --strict -c ../data.sha256 2>&1; $rc = $LASTEXITCODE; Pop-Location
        $rc | Should -Be 0 -Because ($out -join "`n")
        @($out).Count | Should -Be 6
    }

    It 'writes the JSON form with link targets, and warns what the sha256sum form leaves out (help example 2)' {
        $null = New-SampleTree data
        $m = New-TssrBackupManifest -Path ./data -OutFile ./data.json
        "$($m.Format)" | Should -Be 'Json'
        $link = $m.Entries | Where-Object Type -eq SymbolicLink | Select-Object Path, LinkTarget
        $link.Path | Should -Be 'link'
        $link.LinkTarget | Should -Be 'plain.txt'
        (Get-Content -Raw ./data.json | ConvertFrom-Json).entries.Count | Should -Be 8
        $null = New-TssrBackupManifest -Path ./data -OutFile ./text.sha256 -WarningVariable w -WarningAction SilentlyContinue
        "$w" | Should -Match '1 symbolic link'
    }

    It 'lists a name that is not UTF-8 as not recorded instead of hashing a mangled name (help example 3)' {
        if (-not $hasCoreutils) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $null = New-SampleTree data
        Push-Location ./data; & /bin/sh -c 'printf x > "$(printf ''bad\377name'')"'; Pop-Location
        $m = New-TssrBackupManifest -Path ./data -WarningAction SilentlyContinue
        "$($m.Status)" | Should -Be 'Incomplete'
        @($m.NotRecorded).Count | Should -Be 1
        "$($m.NotRecorded[0].Kind)" | Should -Be 'Unverifiable'
        $m.Entries.Path | Should -Not -Contain $m.NotRecorded[0].Path
    }
}

Describe 'Test-TssrBackup against a manifest' {
    It 'passes a faithful copy and names every difference of a damaged one (help examples 1 and 4)' {
        if (-not $hasCoreutils) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $null = New-SampleTree data
        $null = New-TssrBackupManifest -Path ./data -OutFile ./data.json
        Remove-Item -Recurse -Force ./restored -ErrorAction SilentlyContinue
        cp -a ./data ./restored
        $ok = Test-TssrBackup -Path ./restored -ManifestPath ./data.json
        "$($ok.Status)" | Should -Be 'Passed'
        $ok.VerifiedCount | Should -Be 6
        $ok.CoveragePercent | Should -Be 100

        Remove-Item -LiteralPath ./restored/plain.txt
        Set-Content -LiteralPath './restored/sp ace.txt' -Value 'tampered' -NoNewline
        Set-Content -LiteralPath ./restored/extra.txt -Value 'extra'
        chmod 600 "./restored/sub dir/big.bin"
        $bad = Test-TssrBackup -Path ./restored -ManifestPath ./data.json
        "$($bad.Status)" | Should -Be 'Failed'
        $d = $bad.Differences | Format-Table Kind, Path, Expected, Actual | Out-String
        $d | Should -Match 'Missing\s+plain.txt'
        $d | Should -Match 'Changed\s+sp ace.txt'
        $d | Should -Match 'Extra\s+extra.txt'
        $d | Should -Match 'ModeDiffers\s+sub dir/big.bin\s+0644\s+0600'
        $bad.MissingCount | Should -Be 1
        $bad.ChangedCount | Should -Be 1
        $bad.ExtraCount | Should -Be 1
        $bad.Message | Should -Match 'difference'
    }

    It 'reads a manifest sha256sum wrote with the binary marker (help example 2)' {
        if (-not $hasCoreutils) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $null = New-SampleTree data
        sh -c 'cd data && find . -type f -exec sha256sum -b {} +' > ./theirs.sha256
        $r = Test-TssrBackup -Path ./data -ManifestPath ./theirs.sha256
        "$($r.Status)" | Should -Be 'Passed' -Because ($r.Differences -join '; ')
        # The six regular files (find -type f leaves the link out).
        $r.VerifiedCount | Should -Be 6
        (Get-Content -Raw ./theirs.sha256) | Should -Match '(?m)^\\[0-9a-f]{64} \*\./back'
        $r.CoveragePercent | Should -Be 100
    }

    It 'verifies a repeatable sample and says so (help example 3)' {
        $root = Join-Path $workDir 'many'
        $null = New-Item -ItemType Directory -Force $root
        1..50 | ForEach-Object { Set-Content -LiteralPath (Join-Path $root "f$_.txt") -Value "file $_" }
        $null = New-TssrBackupManifest -Path $root -OutFile ./many.sha256
        $a = Test-TssrBackup -Path $root -ManifestPath ./many.sha256 -Sample 10% -Seed 42
        $b = Test-TssrBackup -Path $root -ManifestPath ./many.sha256 -Sample 10% -Seed 42
        "$($a.Status)" | Should -Be 'Passed'
        $a.Sampled | Should -BeTrue
        $a.CheckedCount | Should -Be 5
        $a.CoveragePercent | Should -Be 10
        $a.Scope | Should -Match 'Sample of 10% \(5 of 50 files\)'
        $a.VerifiedCount | Should -Be $b.VerifiedCount
        $null = New-SampleTree data
        $null = New-TssrBackupManifest -Path ./data -OutFile ./data.sha256 -WarningAction SilentlyContinue
        Remove-Item -Recurse -Force ./restored -ErrorAction SilentlyContinue
        cp -a ./data ./restored
        $shown = Test-TssrBackup -Path ./restored -ManifestPath ./data.sha256 -Sample 10% -Seed 42 | Format-List Status, Scope, CoveragePercent, Differences | Out-String
        $shown | Should -Match 'Status\s+: Passed'
        $shown | Should -Match 'Sample of 10% \(1 of 6 files\)'
    }

    It 'fails when nothing was verified' {
        $root = Join-Path $workDir 'emptycheck'
        $null = New-Item -ItemType Directory -Force $root
        Set-Content -LiteralPath ./empty.sha256 -Value '' -NoNewline
        $r = Test-TssrBackup -Path $root -ManifestPath ./empty.sha256
        "$($r.Status)" | Should -Be 'NothingVerified'
        $r.VerifiedCount | Should -Be 0
        $r.Message | Should -Match 'proves nothing'
        # A file the manifest does not list is a difference: a failure too, never a pass.
        Set-Content -LiteralPath (Join-Path $root 'a.txt') -Value 'a'
        "$((Test-TssrBackup -Path $root -ManifestPath ./empty.sha256).Status)" | Should -Be 'Failed'
    }

    It 'names an unreadable file and an unreadable folder, and does not count them as verified' {
        # Root reads every file whatever its mode: the child runs without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH.
        if (-not (Test-LabPrerequisite -Command setpriv -Root)) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $root = Join-Path $workDir 'locked'
        if (Test-Path $root) { chmod -R u+rwx $root; rm -rf -- $root }
        $null = New-Item -ItemType Directory -Force "$root/closed"
        'a', 'b', 'closed/c' | ForEach-Object { [IO.File]::WriteAllText("$root/$_", $_) }
        $null = New-TssrBackupManifest -Path $root -OutFile ./locked.sha256
        chmod 000 "$root/b"
        chmod 000 "$root/closed"
        try {
            $noOverride = 'setpriv', '--inh-caps=-all', '--bounding-set=-dac_override,-dac_read_search', '--'
            $r = Invoke-TssrPwsh -Wrapper $noOverride -Script "Test-TssrBackup -Path '$root' -ManifestPath '$workDir/locked.sha256' | Add-Member -PassThru -MemberType ScriptProperty -Name StatusText -Value { `"`$(`$this.Status)`" }"
            # An enum comes back from CLIXML as its number: the child says its name.
            $r.StatusText | Should -Be 'Failed'
            $r.VerifiedCount | Should -Be 1
            $r.UnreadableCount | Should -Be 2
            $r.Differences.Path | Sort-Object | Should -Be @('b', 'closed')
            ($r.Differences | Where-Object Path -eq 'b').Detail | Should -Match 'denied'
            # The files of the folder it could not list are not reported missing: that would be a wrong certainty.
            $r.MissingCount | Should -Be 0
            $r.CoveragePercent | Should -BeLessThan 100
            $m = Invoke-TssrPwsh -Wrapper $noOverride -Script "New-TssrBackupManifest -Path '$root' -OutFile '$workDir/locked2.sha256' -WarningAction SilentlyContinue | Add-Member -PassThru -MemberType ScriptProperty -Name StatusText -Value { `"`$(`$this.Status)`" }"
            $m.StatusText | Should -Be 'Incomplete'
            $m.NotRecorded.Path | Should -Contain 'b'
            Get-Content ./locked2.sha256 | Should -Not -Match ' b$'
        }
        finally { chmod 755 "$root/closed"; chmod 644 "$root/b" }
    }

    It 'stops before any work on a bad -Sample and names the manifest line that sha256sum would reject' {
        { Test-TssrBackup -Path $workDir -ManifestPath ./many.sha256 -Sample lots } | Should -Throw -ErrorId 'BackupSampleInvalid*'
        Set-Content -LiteralPath ./bad.sha256 -Value "$('a' * 64)  ok`nnot a line"
        $err = { Test-TssrBackup -Path $workDir -ManifestPath ./bad.sha256 } | Should -Throw -ErrorId 'BackupManifestInvalid*' -PassThru
        "$($err.TargetObject)" | Should -BeLike '*bad.sha256:2'
    }

    It 'gives its verdict in French' {
        $root = Join-Path $workDir 'many'
        $fr = Invoke-TssrPwsh -Culture fr-FR -Script "Test-TssrBackup -Path '$root' -ManifestPath '$workDir/many.sha256' -Sample 3"
        $fr.Message | Should -Match 'vérifiés'
        $fr.Scope | Should -Match 'chantillon'
    }

    It 'does not load SharpCompress or any archive library to check a directory' {
        $root = Join-Path $workDir 'many'
        $loaded = Invoke-TssrPwsh -Script "`$null = Test-TssrBackup -Path '$root' -ManifestPath '$workDir/many.sha256'; [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name"
        $loaded | Should -Not -Contain 'SharpCompress'
    }
}

Describe 'Test-TssrBackup on archives' {
    BeforeAll {
        $script:hasArchivers = Test-LabPrerequisite -Command tar, gzip, zstd, python3
    }

    It 'reads an archive to its end and says what proved it (help example 5)' {
        if (-not $hasArchivers) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $null = New-SampleTree data
        tar -C ./data -czf ./data.tgz .
        $shown = Test-TssrBackup -Path ./data.tgz | Format-List Status, Format, VerifiedCount, Integrity, Differences | Out-String
        $shown | Should -Match 'Status\s+: Passed'
        $shown | Should -Match 'Format\s+: TarGzip'
        $shown | Should -Match 'VerifiedCount\s+: 6'
        $bytes = [IO.File]::ReadAllBytes("$workDir/data.tgz")
        [IO.File]::WriteAllBytes("$workDir/cut.tgz", $bytes[0..($bytes.Length - 5)])
        $cut = Test-TssrBackup -Path ./cut.tgz
        "$($cut.Status)" | Should -Be 'Failed'
        "$($cut.Differences[0].Kind)" | Should -Be 'Corrupt'
        tar -C ./data -cf ./data.tar .
        $plain = Test-TssrBackup -Path ./data.tar
        "$($plain.Status)" | Should -Be 'NothingVerified'
        $plain.Message | Should -Match 'proves nothing about content'
    }

    It 'restores into a sandbox, compares with the source or a manifest, and removes the sandbox (help example 6)' {
        if (-not $hasArchivers) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $null = New-SampleTree data
        tar -C ./data -czf ./data.tgz .
        $null = New-TssrBackupManifest -Path ./data -OutFile ./data.json
        $null = New-Item -ItemType Directory -Force ./scratch
        $a = Test-TssrBackup -Path ./data.tgz -SourcePath ./data
        $b = Test-TssrBackup -Path ./data.tgz -ManifestPath ./data.json -SandboxPath ./scratch
        "$($a.Status)" | Should -Be 'Passed' -Because ($a.Differences -join '; ')
        "$($b.Status)" | Should -Be 'Passed' -Because ($b.Differences -join '; ')
        $a.VerifiedCount | Should -Be 6
        @(Get-ChildItem ./scratch -Force).Count | Should -Be 0
        [IO.File]::WriteAllText("$workDir/data/plain.txt", 'changed since the backup')
        $c = Test-TssrBackup -Path ./data.tgz -SourcePath ./data -SandboxPath ./scratch
        "$($c.Status)" | Should -Be 'Failed'
        ($c.Differences | Where-Object Kind -eq Changed).Path | Should -Be 'plain.txt'
        @(Get-ChildItem ./scratch -Force).Count | Should -Be 0
    }

    It 'stops with BackupSandboxFull on a full sandbox disk and leaves nothing behind' {
        if (-not (Test-IsRoot) -or -not $hasArchivers) { Set-ItResult -Skipped -Because 'mounting a small tmpfs needs root and tar'; return }
        $mount = Join-Path $workDir 'tiny'
        $null = New-Item -ItemType Directory -Force $mount
        mount -t tmpfs -o size=1m tmpfs $mount
        try {
            $null = New-SampleTree data
            tar -C ./data -czf ./data.tgz .
            $err = { Test-TssrBackup -Path ./data.tgz -SourcePath ./data -SandboxPath $mount } | Should -Throw -ErrorId 'BackupSandboxFull*' -PassThru
            "$err" | Should -Match 'full'
            @(Get-ChildItem $mount -Force).Count | Should -Be 0
        }
        finally { umount $mount }
    }

    It 'refuses hostile members by name, in French too' {
        if (-not $hasArchivers) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $script = Join-Path $PSScriptRoot '../Tssr.Tools.Engine.Tests/Backup/make_hostile_archives.py'
        # The duplicate-name member is the point: Python's warning about it is expected.
        python3 -W 'ignore::UserWarning' $script $workDir
        $r = Test-TssrBackup -Path ./hostile.tar
        "$($r.Status)" | Should -Be 'Failed'
        $r.RefusedCount | Should -Be 8
        ($r.Differences | Where-Object Path -eq '../escape.txt').Detail | Should -Match 'outside'
        $fr = Invoke-TssrPwsh -Culture fr-FR -Script "Test-TssrBackup -Path '$workDir/hostile.tar'"
        ($fr.Differences | Where-Object Path -eq '../escape.txt').Detail | Should -Match 'hors du dossier'
    }

    It 'loads SharpCompress only when an archive needs it, never at import' {
        if (-not $hasArchivers) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $null = New-SampleTree data
        tar -C ./data --zstd -cf ./data.tzst .
        $loaded = Invoke-TssrPwsh -Script @"
`$names = { [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name }
`$atImport = (& `$names) -contains 'SharpCompress'
`$null = Test-TssrBackup -Path '$workDir/data.tgz'
`$afterGzip = (& `$names) -contains 'SharpCompress'
`$r = Test-TssrBackup -Path '$workDir/data.tzst'
[pscustomobject]@{ AtImport = `$atImport; AfterGzip = `$afterGzip; AfterZstd = (& `$names) -contains 'SharpCompress'; Status = "`$(`$r.Status)" }
"@
        $loaded.AtImport | Should -BeFalse
        $loaded.AfterGzip | Should -BeFalse
        $loaded.AfterZstd | Should -BeTrue
        $loaded.Status | Should -Be 'Passed'
    }
}


Describe 'Test-TssrBackup on restic and borg repositories' {
    BeforeAll {
        $script:hasRepoTools = Test-LabPrerequisite -Command restic, borg, python3
        $script:repoPassword = 'lab-pw-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $script:cred = [pscredential]::new('repo', (ConvertTo-SecureString $repoPassword -AsPlainText -Force))
        function Invoke-WithPassword([hashtable] $Environment, [scriptblock] $Script) {
            $saved = @{}
            foreach ($k in $Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $Environment[$k]) }
            try { & $Script } finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
        }
        function Set-FlippedByte([string] $Path) {
            $b = [IO.File]::ReadAllBytes($Path); $b[[int]($b.Length / 2)] = $b[[int]($b.Length / 2)] -bxor 1; [IO.File]::WriteAllBytes($Path, $b)
        }
        if ($hasRepoTools) {
            $null = New-SampleTree repodata
            Invoke-WithPassword @{ RESTIC_PASSWORD = $repoPassword; BORG_PASSPHRASE = $repoPassword } {
                rm -rf "$workDir/restic" "$workDir/borg"
                restic init -q -r "$workDir/restic" | Out-Null
                restic backup -q -r "$workDir/restic" "$workDir/repodata" | Out-Null
                borg init -e repokey "$workDir/borg" 2>$null
                Push-Location $workDir; borg create "$workDir/borg::first" repodata 2>$null; Pop-Location
            }
        }
    }

    It 'passes a sound restic repository with a full data read, and a stated subset (help example 7)' {
        if (-not $hasRepoTools) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $r = Test-TssrBackup -ResticRepository ./restic -Credential $cred
        "$($r.Status)" | Should -Be 'Passed' -Because ($r.Differences -join '; ')
        $r.Integrity | Should -Match 'read-data'
        $s = Test-TssrBackup -ResticRepository ./restic -Credential $cred -Sample 50%
        $s.Sampled | Should -BeTrue
        $s.CoveragePercent | Should -Be 50
        ($r, $s | Out-String) | Should -Not -Match $repoPassword
    }

    It 'restores the newest restic snapshot into a sandbox and compares it with the source (help example 7)' {
        if (-not $hasRepoTools) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $r = Test-TssrBackup -ResticRepository ./restic -Credential $cred -SourcePath ./repodata
        "$($r.Status)" | Should -Be 'Passed' -Because ($r.Differences -join '; ')
        $r.VerifiedCount | Should -Be 6
        $mtime = (Get-Item ./repodata/plain.txt).LastWriteTimeUtc
        [IO.File]::WriteAllText("$workDir/repodata/plain.txt", 'edited after the backup')
        $d = Test-TssrBackup -ResticRepository ./restic -Credential $cred -SourcePath ./repodata -Snapshot latest
        ($d.Differences | Where-Object Kind -eq Changed).Path | Should -Be 'plain.txt'
        [IO.File]::WriteAllText("$workDir/repodata/plain.txt", 'plain')
        [IO.File]::SetLastWriteTimeUtc("$workDir/repodata/plain.txt", $mtime)
        @(Get-ChildItem ([IO.Path]::GetTempPath()) -Filter 'tssr-restore-*' | Where-Object LastWriteTime -gt (Get-Date).AddMinutes(-2)).Count | Should -Be 0
    }

    It 'names a flipped byte in a pack, a deleted index, a wrong password and a missing snapshot' {
        if (-not $hasRepoTools) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        rm -rf ./restic-flip ./restic-noindex; cp -a ./restic ./restic-flip; cp -a ./restic ./restic-noindex
        Set-FlippedByte (Get-ChildItem ./restic-flip/data -Recurse -File | Sort-Object Length -Descending | Select-Object -First 1).FullName
        $flip = Test-TssrBackup -ResticRepository ./restic-flip -Credential $cred
        "$($flip.Status)" | Should -Be 'Failed'
        ($flip.Differences | Where-Object Kind -eq Corrupt).Detail -join "`n" | Should -Match 'does not match|ciphertext verification failed'
        Remove-Item -Force ./restic-noindex/index/*
        $noIndex = Test-TssrBackup -ResticRepository ./restic-noindex -Credential $cred
        "$($noIndex.Status)" | Should -Be 'Failed'
        ($noIndex.Differences.Detail -join "`n") | Should -Match 'not referenced in any index|not found'
        $wrong = [pscredential]::new('repo', (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
        { Test-TssrBackup -ResticRepository ./restic -Credential $wrong } | Should -Throw -ErrorId 'BackupRepositoryPasswordWrong*'
        { Test-TssrBackup -ResticRepository ./restic -Credential $cred -Snapshot deadbeef -SourcePath ./repodata } | Should -Throw -ErrorId 'BackupSnapshotNotFound*'
    }

    It 'stops on a real Ctrl+C mid-restore: the sandbox removed, the source untouched' {
        if (-not $hasRepoTools) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        # A real keypress: the child pwsh runs on a pseudo-terminal and Ctrl+C (0x03) is typed into it once the
        # restore has begun writing into the sandbox; the terminal sends SIGINT to pwsh and restic alike.
        $big = Join-Path $workDir 'bigdata'
        if (-not (Test-Path $big)) {
            $null = New-Item -ItemType Directory $big
            $random = [Random]::new(7); $bytes = [byte[]]::new(4MB)
            1..24 | ForEach-Object { $random.NextBytes($bytes); [IO.File]::WriteAllBytes("$big/f$_.bin", $bytes) }
            Invoke-WithPassword @{ RESTIC_PASSWORD = $repoPassword } {
                rm -rf "$workDir/restic-big"
                restic init -q -r "$workDir/restic-big" | Out-Null
                restic backup -q -r "$workDir/restic-big" $big | Out-Null
            }
        }
        $files = (Get-ChildItem $big).FullName
        $before = sha256sum $files; $beforeTimes = (Get-ChildItem $big | ForEach-Object { "$($_.Name) $($_.LastWriteTimeUtc.Ticks)" })
        $sandbox = Join-Path $workDir 'ctrlc-sandbox'
        $null = New-Item -ItemType Directory -Force $sandbox
        Set-Content -LiteralPath ./ctrlc.ps1 -Value @"
Import-Module '$(Get-TssrModulePath)'
`$cred = [pscredential]::new('repo', (ConvertTo-SecureString `$env:TSSR_TEST_PW -AsPlainText -Force))
Test-TssrBackup -ResticRepository '$workDir/restic-big' -Credential `$cred -SourcePath '$big' -SandboxPath '$sandbox'
'NOT STOPPED'
"@
        Set-Content -LiteralPath ./ctrlc.py -Value @'
import os, pty, select, sys, time
sandbox, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out, typed, deadline = b'', False, time.time() + 240
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.02)
    if ready:
        try: chunk = os.read(fd, 65536)
        except OSError: break
        if not chunk: break
        out += chunk
    if not typed and sum(len(files) for _, _, files in os.walk(sandbox)) > 2:
        os.write(fd, b'\x03'); typed = True
os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf-8', 'replace') + '\nTYPED=%s\n' % typed)
'@
        $env:TSSR_TEST_PW = $repoPassword
        $pwsh = Get-PwshCommandLine
        try { $shown = (python3 ./ctrlc.py $sandbox @pwsh -NoProfile -NonInteractive -File ./ctrlc.ps1) -join "`n" }
        finally { Remove-Item Env:TSSR_TEST_PW }
        $shown | Should -Match 'TYPED=True'
        $shown | Should -Not -Match 'NOT STOPPED'
        $shown | Should -Not -Match $repoPassword
        @(Get-ChildItem $sandbox -Force).Count | Should -Be 0
        sha256sum $files | Should -Be $before
        (Get-ChildItem $big | ForEach-Object { "$($_.Name) $($_.LastWriteTimeUtc.Ticks)" }) | Should -Be $beforeTimes
    }

    It 'checks a borg repository, restores an archive and compares it, and names a damaged segment (help example 8)' {
        if (-not $hasRepoTools) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $r = Test-TssrBackup -BorgRepository ./borg -Credential $cred -SourcePath ./repodata
        "$($r.Status)" | Should -Be 'Passed' -Because ($r.Differences -join '; ')
        $r.Reference | Should -Match '@ first$'
        rm -rf ./borg-flip; cp -a ./borg ./borg-flip
        Set-FlippedByte (Get-ChildItem ./borg-flip/data -Recurse -File | Sort-Object Length -Descending | Select-Object -First 1).FullName
        $flip = Test-TssrBackup -BorgRepository ./borg-flip -Credential $cred
        "$($flip.Status)" | Should -Be 'Failed'
        $wrong = [pscredential]::new('repo', (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
        { Test-TssrBackup -BorgRepository ./borg -Credential $wrong } | Should -Throw -ErrorId 'BackupRepositoryPasswordWrong*'
    }

    It 'names a deleted borg index, a deleted archive and a lost archive segment' {
        if (-not $hasRepoTools) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        # A borg index is derived from the segments: borg rebuilds it and the data is verified, which a warning says.
        rm -rf ./borg-noindex; cp -a ./borg ./borg-noindex
        Remove-Item ./borg-noindex/index.*
        $r = Test-TssrBackup -BorgRepository ./borg-noindex -Credential $cred -WarningVariable warned -WarningAction SilentlyContinue
        "$($r.Status)" | Should -Be 'Passed' -Because ($r.Differences -join '; ')
        "$warned" | Should -Match 'no index file'
        "$warned" | Should -Match ([regex]::Escape('borg-noindex'))

        # An archive deleted since (borg delete, or pruned): asked for by name, it is named as not found.
        rm -rf ./borg-pruned; cp -a ./borg ./borg-pruned
        Invoke-WithPassword @{ BORG_PASSPHRASE = $repoPassword; BORG_RELOCATED_REPO_ACCESS_IS_OK = 'yes' } {
            Push-Location $workDir; borg create "$workDir/borg-pruned::second" repodata 2>$null; borg delete "$workDir/borg-pruned::first" 2>$null; Pop-Location
        }
        $err = { Test-TssrBackup -BorgRepository ./borg-pruned -Credential $cred -Snapshot first -SourcePath ./repodata } | Should -Throw -ErrorId 'BackupSnapshotNotFound*' -PassThru
        "$err" | Should -Match "'?first'?"
        "$($err.TargetObject)" | Should -Be 'first'

        # The segment that holds the archive and the manifest lost (the last segment is the commit tag alone).
        rm -rf ./borg-lost; cp -a ./borg ./borg-lost
        $segments = Get-ChildItem ./borg-lost/data -Recurse -File | Sort-Object { [int]$_.Name }
        Remove-Item $segments[-2].FullName
        $lost = Test-TssrBackup -BorgRepository ./borg-lost -Credential $cred -SourcePath ./repodata
        "$($lost.Status)" | Should -Be 'Failed'
        $lost.VerifiedCount | Should -Be 0
        ($lost.Differences.Detail -join "`n") | Should -Match ([regex]::Escape("data/0/$($segments[-2].Name)"))
        ($lost.Differences.Detail -join "`n") | Should -Match 'errors found|mismatch'
    }
}

Describe 'Test-TssrBackupPolicy and Measure-TssrRestore' {
    It 'judges RPO and 3-2-1 and says why (policy help example 1)' {
        $locations = @(
            @{ Name = 'server'; Media = 'Disk'; OffSite = $false }
            @{ Name = 'nas'; Media = 'NAS'; OffSite = $false }
            @{ Name = 'cloud'; Media = 'Cloud'; OffSite = $true }
        )
        $p = Test-TssrBackupPolicy -SnapshotTime (Get-Date).AddHours(-3) -MaxAge 1.00:00:00 -Location $locations
        $p.GetType().FullName | Should -Be 'Tssr.Tools.Engine.Backup.BackupPolicyResult'
        "$($p.Status)" | Should -Be 'Passed'
        "$($p.RpoStatus)" | Should -Be 'Passed'
        "$($p.ThreeTwoOneStatus)" | Should -Be 'Passed'
        $bad = Test-TssrBackupPolicy -SnapshotTime (Get-Date).AddDays(-3) -MaxAge 1.00:00:00 -Location $locations[0..1]
        "$($bad.Status)" | Should -Be 'Failed'
        ($bad.Rules | Where-Object Rule -eq ThreeTwoOne).Reason | Should -Match 'off site'
        ($bad.Rules | Where-Object Rule -eq Rpo).Reason | Should -Match 'more than 24 h'
        { Test-TssrBackupPolicy -Location @{ Name = 'x' } } | Should -Throw -ErrorId 'BackupLocationInvalid*'
    }

    It 'reads a restic repository for RPO and retention (policy help example 2)' {
        if (-not (Test-LabPrerequisite -Command restic)) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $pw = 'policy-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
        $cred = [pscredential]::new('restic', (ConvertTo-SecureString $pw -AsPlainText -Force))
        $env:RESTIC_PASSWORD = $pw
        try {
            rm -rf ./restic-policy; restic init -q -r ./restic-policy | Out-Null
            $null = New-SampleTree policydata
            foreach ($d in 1, 2, 9) { restic backup -q -r ./restic-policy --time ((Get-Date).AddDays(-$d).ToString('yyyy-MM-dd HH:mm:ss')) ./policydata | Out-Null }
        }
        finally { Remove-Item Env:RESTIC_PASSWORD }
        $p = Test-TssrBackupPolicy -ResticRepository ./restic-policy -Credential $cred -MaxAge 1.00:00:00 -KeepDaily 7 -KeepWeekly 4
        $p.SnapshotCount | Should -Be 3
        "$($p.RpoStatus)" | Should -Be 'Failed'
        "$($p.RetentionStatus)" | Should -Be 'Failed'
        ($p.Rules | Where-Object Rule -eq Retention).Reason | Should -Match 'daily 7 wanted, 3 there'
        @($p.KeptSnapshots).Count | Should -Be 3
        ($p.Rules | Format-Table Rule, Status, Reason -Wrap | Out-String) | Should -Match 'Retention'
    }

    It 'times a restore drill against a target and gives its evidence (drill help example 1)' {
        if (-not (Test-LabPrerequisite -Command tar)) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $null = New-SampleTree data
        tar -C ./data -czf ./data.tgz .
        $d = Measure-TssrRestore -Path ./data.tgz -SourcePath ./data -TargetRto 00:15:00
        $d.GetType().FullName | Should -Be 'Tssr.Tools.Engine.Backup.RestoreDrillResult'
        "$($d.Status)" | Should -Be 'Passed' -Because $d.Message
        $d.MeetsTarget | Should -BeTrue
        $d.VerifiedCount | Should -Be 6
        $d.EvidenceSha256 | Should -Match '^[0-9a-f]{64}$'
        @($d.CheckedFiles).Count | Should -Be 6
        $d.PerformedBy | Should -Match '@'
        (Measure-TssrRestore -Path ./data.tgz -SourcePath ./data -TargetRto 00:15:00 | Format-List Status, RtoSec, TargetRtoSec, VerifiedCount, EvidenceSha256, PerformedBy | Out-String) | Should -Match 'RtoSec'
        $late = Measure-TssrRestore -Path ./data.tgz -SourcePath ./data -TargetRto 00:00:00.001
        "$($late.Status)" | Should -Be 'Failed'
        $late.MeetsTarget | Should -BeFalse
        { Measure-TssrRestore -Path ./data.tgz } | Should -Throw -ErrorId 'BackupReferenceMissing*'
    }

    It 'drills a restic snapshot and the evidence survives Export-Clixml (drill help example 2)' {
        if (-not (Test-LabPrerequisite -Command restic)) { Set-ItResult -Skipped -Because (Get-LabSkipReason); return }
        $pw = 'drill-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
        $cred = [pscredential]::new('restic', (ConvertTo-SecureString $pw -AsPlainText -Force))
        $null = New-SampleTree repodata
        $env:RESTIC_PASSWORD = $pw
        try { rm -rf ./restic-drill; restic init -q -r ./restic-drill | Out-Null; restic backup -q -r ./restic-drill ./repodata | Out-Null }
        finally { Remove-Item Env:RESTIC_PASSWORD }
        Measure-TssrRestore -ResticRepository ./restic-drill -Credential $cred -SourcePath ./repodata | Export-Clixml ./drill.xml
        $back = Import-Clixml ./drill.xml
        # Enums come back from CLIXML as numbers (the type lives in the module's load context): the Message says it in words.
        $back.Message | Should -Match '^Restored and verified'
        $back.Reference | Should -Match '@ [0-9a-f]{8}$'
        $back.VerifiedCount | Should -Be 6
        (Get-Content -Raw ./drill.xml) | Should -Not -Match $pw
    }
}
