# Test-TssrTlsCertificate against the lab's real TLS endpoints (tests/lab/components/Tls.ps1):
# openssl s_server with a valid, expiring, expired, not-yet-valid, wrong-name, self-signed and
# short-chain certificate, a listener that never speaks, a plain HTTP port and a closed port.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TssrTestModule
    $script:ready = Test-LabPrerequisite -Command openssl
    if ($ready) {
        Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
        $script:lab = (Start-TssrLab -Component Tls).Tls
        $script:trust = $lab.TrustDirectory
        function script:At([string] $Case) { "localhost:$($lab.Ports[$Case])" }
    }
    function script:Skip-WithoutLab { if (-not $script:ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }
}

Describe 'Test-TssrTlsCertificate: each certificate problem is reported distinctly' {
    BeforeAll {
        if ($ready) {
            $cases = 'Valid', 'Expiring', 'Expired', 'NotYetValid', 'WrongName', 'SelfSigned', 'ShortChain'
            $script:trusted = @{}
            $script:untrusted = @{}
            foreach ($r in Test-TssrTlsCertificate ($cases | ForEach-Object { At $_ }) -TrustedCertificatePath $trust) {
                $case = $cases | Where-Object { $lab.Ports[$_] -eq $r.Port }
                $trusted[$case] = $r
            }
            foreach ($r in Test-TssrTlsCertificate ($cases | ForEach-Object { At $_ })) {
                $case = $cases | Where-Object { $lab.Ports[$_] -eq $r.Port }
                $untrusted[$case] = $r
            }
        }
    }

    It 'gives every case its own status when the lab CA is trusted' {
        Skip-WithoutLab
        $trusted.Count | Should -Be 7
        $trusted.Valid.Status | Should -Be 'Valid'
        $trusted.Expiring.Status | Should -Be 'Expiring'
        $trusted.Expired.Status | Should -Be 'Expired'
        $trusted.NotYetValid.Status | Should -Be 'NotYetValid'
        $trusted.WrongName.Status | Should -Be 'NameMismatch'
        $trusted.SelfSigned.Status | Should -Be 'SelfSigned'
        $trusted.ShortChain.Status | Should -Be 'IncompleteChain'
        @($trusted.Values.Status | Sort-Object -Unique).Count | Should -Be 7
    }

    It 'trusts the valid chain with -TrustedCertificatePath and not without it' {
        Skip-WithoutLab
        $with = $trusted.Valid
        $with.ChainValid | Should -BeTrue
        $with.TrustedBy | Should -Be 'TrustedCertificatePath'
        $with.Problems | Should -BeNullOrEmpty
        $with.Chain.Count | Should -Be 3
        $with.ServerSentCertificates | Should -Be 2

        $without = $untrusted.Valid
        $without.Thumbprint | Should -Be $with.Thumbprint
        $without.Status | Should -Be 'UntrustedRoot'
        $without.ChainValid | Should -BeFalse
        $without.TrustedBy | Should -Be 'None'
        $without.Explanation | Should -Match 'Tssr Lab Root CA'
    }

    It 'describes the certificate fully' {
        Skip-WithoutLab
        $r = $trusted.Valid
        $r.Target | Should -Be (At 'Valid')
        $r.ComputerName | Should -Be 'localhost'
        $r.ServerName | Should -Be 'localhost'
        $r.Subject | Should -Match 'CN=localhost'
        $r.CommonName | Should -Be 'localhost'
        $r.DnsNames | Should -Contain 'localhost'
        $r.IPAddresses | Should -Contain '127.0.0.1'
        $r.IPAddresses | Should -Contain '::1'
        $r.Issuer | Should -Match 'Tssr Lab Issuing CA'
        $r.KeyAlgorithm | Should -Be 'RSA'
        $r.KeySize | Should -Be 2048
        $r.SignatureAlgorithm | Should -Be 'sha256ECDSA'
        $r.NameMatch | Should -BeTrue
        $r.SelfSigned | Should -BeFalse
        $r.Protocol | Should -BeIn 'Tls12', 'Tls13'
        $r.CipherSuite | Should -Match '^TLS_'
        $r.DaysLeft | Should -BeGreaterThan 300
        $r.GetCertificate() | Should -BeOfType [System.Security.Cryptography.X509Certificates.X509Certificate2]
        ($r | ConvertTo-Json -Depth 3) | Should -Not -Match 'RawData'
        $r.ProblemText | Should -Be ''
    }

    It 'agrees with openssl on fingerprint, serial and dates' {
        Skip-WithoutLab
        $pem = Join-Path $lab.Directory 'certs/Valid.pem'
        $fingerprint = (& openssl x509 -in $pem -noout -fingerprint -sha256) -replace '^.*=' -replace ':'
        $serial = (& openssl x509 -in $pem -noout -serial) -replace '^serial='
        $end = (& openssl x509 -in $pem -noout -enddate) -replace '^notAfter='
        $r = $trusted.Valid
        $r.ThumbprintSha256 | Should -Be $fingerprint
        # .NET keeps the sign byte (a leading 00) that openssl does not print.
        ($r.SerialNumber -replace '^(00)+') | Should -Be ($serial -replace '^(00)+')
        $notAfter = [datetime]::ParseExact(($end -replace '\s+', ' '), 'MMM d HH:mm:ss yyyy \G\M\T', [cultureinfo]::InvariantCulture, 'AssumeUniversal,AdjustToUniversal')
        $r.NotAfter.ToUniversalTime() | Should -Be $notAfter
    }

    It 'reports expiry, future validity and the warning threshold in days' {
        Skip-WithoutLab
        $trusted.Expired.DaysLeft | Should -BeLessThan 0
        $trusted.Expired.ChainValid | Should -BeTrue -Because 'the chain is fine; the dates are the problem'
        $trusted.NotYetValid.NotBefore | Should -BeGreaterThan (Get-Date)
        $trusted.Expiring.DaysLeft | Should -BeIn 9, 10
        (Test-TssrTlsCertificate (At 'Expiring') -TrustedCertificatePath $trust -WarningDays 5).Status | Should -Be 'Valid'
    }

    It 'says which names a wrong-name certificate covers, and checks the -ServerName given instead' {
        Skip-WithoutLab
        $trusted.WrongName.NameMatch | Should -BeFalse
        $trusted.WrongName.Explanation | Should -Match 'intranet\.tssr\.lab'
        $exact = Test-TssrTlsCertificate (At 'WrongName') -ServerName intranet.tssr.lab -TrustedCertificatePath $trust
        $exact.Status | Should -Be 'Valid'
        $exact.ServerName | Should -Be 'intranet.tssr.lab'
        (Test-TssrTlsCertificate (At 'WrongName') -ServerName portal.apps.tssr.lab -TrustedCertificatePath $trust).NameMatch | Should -BeTrue
        (Test-TssrTlsCertificate (At 'WrongName') -ServerName a.b.apps.tssr.lab -TrustedCertificatePath $trust).NameMatch | Should -BeFalse
    }

    It 'flags the self-signed certificate, and accepts it once pinned' {
        Skip-WithoutLab
        $untrusted.SelfSigned.SelfSigned | Should -BeTrue
        $untrusted.SelfSigned.Status | Should -Be 'SelfSigned'
        $pinned = Test-TssrTlsCertificate (At 'SelfSigned') -TrustedCertificatePath $lab.SelfSignedCert
        $pinned.Status | Should -Be 'Valid'
        $pinned.SelfSigned | Should -BeTrue
        $pinned.KeySize | Should -Be 3072
    }

    It 'names the intermediate the short-chain server fails to send' {
        Skip-WithoutLab
        $untrusted.ShortChain.Status | Should -Be 'IncompleteChain'
        $untrusted.ShortChain.ChainStatus | Should -Contain 'PartialChain'
        $untrusted.ShortChain.ServerSentCertificates | Should -Be 1
        $completed = Test-TssrTlsCertificate (At 'ShortChain') -TrustedCertificatePath $trust, $lab.Intermediate
        $completed.Status | Should -Be 'IncompleteChain'
        $completed.ChainValid | Should -BeTrue
        $completed.Explanation | Should -Match 'Tssr Lab Issuing CA'
    }

    It 'checks an IPv6 endpoint given as [v6]:port' {
        Skip-WithoutLab
        $r = Test-TssrTlsCertificate "[::1]:$($lab.Ports.Ecdsa)" -TrustedCertificatePath $trust
        $r.Status | Should -Be 'Valid'
        $r.IPAddress | Should -Be '::1'
        $r.Target | Should -Be "[::1]:$($lab.Ports.Ecdsa)"
        $r.KeyAlgorithm | Should -Be 'ECDSA'
        $r.KeySize | Should -Be 256
    }
}

Describe 'Test-TssrTlsCertificate: endpoints that give no certificate' {
    It 'reports a silent endpoint as a handshake timeout within the timeout + 1 s' {
        Skip-WithoutLab
        $errors = $null
        $elapsed = Measure-Command {
            $out = Test-TssrTlsCertificate "127.0.0.1:$($lab.SilentPort)" -TimeoutSec 1.5 -ErrorVariable errors -ErrorAction SilentlyContinue
        }
        $out | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'TlsHandshakeTimeout,*'
        $errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $errors[0].TargetObject | Should -Be "127.0.0.1:$($lab.SilentPort)"
        $errors[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $elapsed.TotalMilliseconds | Should -BeGreaterOrEqual 1400
        $elapsed.TotalMilliseconds | Should -BeLessThan 2500
    }

    It 'tells a closed port, a plain-text service and an unknown name apart' {
        Skip-WithoutLab
        $errors = $null
        $targets = "127.0.0.1:$($lab.ClosedPort)", "127.0.0.1:$($lab.PlainPort)", 'no-such-host.invalid'
        $null = Test-TssrTlsCertificate $targets -TimeoutSec 3 -ErrorVariable errors -ErrorAction SilentlyContinue
        $byTarget = @{}
        foreach ($e in $errors) { $byTarget[$e.TargetObject] = $e }
        $byTarget["127.0.0.1:$($lab.ClosedPort)"].FullyQualifiedErrorId | Should -BeLike 'TlsConnectionRefused,*'
        $plain = $byTarget["127.0.0.1:$($lab.PlainPort)"]
        $plain.FullyQualifiedErrorId | Should -BeLike 'TlsNotTlsService,*'
        $plain.ErrorDetails.Message | Should -Match 'HTTP/1\.1 400 Bad Request'
        $byTarget['no-such-host.invalid:443'].FullyQualifiedErrorId | Should -BeLike 'TlsNameResolutionFailed,*'
    }

    It 'lets a script catch the error id with -ErrorAction Stop' {
        Skip-WithoutLab
        $caught = $null
        try { Test-TssrTlsCertificate "127.0.0.1:$($lab.ClosedPort)" -ErrorAction Stop }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'TlsConnectionRefused,*'
    }

    It 'checks many targets at once and keeps going past failures' {
        Skip-WithoutLab
        $errors = $null
        $targets = @(1..12 | ForEach-Object { "127.0.0.1:$($lab.SilentPort)" }) + (At 'Valid') + 'bad host name'
        $elapsed = Measure-Command {
            $script:many = $targets | Test-TssrTlsCertificate -TimeoutSec 1 -ThrottleLimit 16 -TrustedCertificatePath $trust -ErrorVariable errors -ErrorAction SilentlyContinue
        }
        $many.Status | Should -Be 'Valid'
        @($errors | Where-Object FullyQualifiedErrorId -like 'TlsHandshakeTimeout,*').Count | Should -Be 12
        @($errors | Where-Object FullyQualifiedErrorId -like 'TlsTargetInvalid,*').Count | Should -Be 1
        $elapsed.TotalSeconds | Should -BeLessThan 4 -Because '12 silent targets in parallel take one timeout, not twelve'
    }
}

Describe 'Test-TssrTlsCertificate: input and output' {
    It 'checks piped targets as they arrive, not after the last one' {
        Skip-WithoutLab
        # A silent endpoint first, then 3 s before the next target: checked as it arrives, its
        # 2.5 s timeout runs while the producer sleeps, so the whole pipeline takes about 3 s,
        # not 3 s + 2.5 s.
        $errors = $null
        $elapsed = Measure-Command {
            $script:streamed = @(& { "127.0.0.1:$($lab.SilentPort)"; Start-Sleep -Seconds 3; At 'Valid' } |
                Test-TssrTlsCertificate -TimeoutSec 2.5 -TrustedCertificatePath $trust -ErrorVariable errors -ErrorAction SilentlyContinue)
        }
        $streamed.Status | Should -Be 'Valid'
        @($errors | Where-Object FullyQualifiedErrorId -like 'TlsHandshakeTimeout,*').Count | Should -Be 1
        $elapsed.TotalSeconds | Should -BeLessThan 5 -Because 'the silent target was checked during the producer''s pause'
    }

    It 'keeps every value readable through Export-Csv/Import-Csv and ConvertTo-Json/ConvertFrom-Json' {
        Skip-WithoutLab
        $csv = Join-Path ([IO.Path]::GetTempPath()) "tssr-tls-$PID.csv"
        try {
            $trusted.Values | Export-Csv -LiteralPath $csv -NoTypeInformation
            (Get-Content -Raw -LiteralPath $csv) | Should -Not -Match 'System\.|Tssr\.Tools\.Engine'
            $rows = @(Import-Csv -LiteralPath $csv)
            $rows.Count | Should -Be $trusted.Count
            $expired = $rows | Where-Object Status -eq 'Expired'
            $expired.Problems | Should -Be $trusted.Expired.ProblemText
            $expired.ChainText | Should -Match ' → '
            $expired.IPAddress | Should -Match '^(127\.0\.0\.1|::1)$'
            $expired.DnsNames | Should -Be ($trusted.Expired.DnsNames -join ', ')
        }
        finally { Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue }
        $json = $trusted.Expired | ConvertTo-Json -Depth 3 -EnumsAsStrings
        $json | Should -Not -Match 'RawData|AddressFamily'
        $back = $json | ConvertFrom-Json
        @($back.Problems) | Should -Contain 'Expired'
        $back.Status | Should -Be 'Expired'
        $back.IPAddress | Should -Be $trusted.Expired.IPAddress
    }

    It 'takes pipeline objects with ComputerName/Host and Port, as from a CSV' {
        Skip-WithoutLab
        $csv = @(
            [pscustomobject]@{ ComputerName = 'localhost'; Port = $lab.Ports.Valid }
            [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $lab.Ports.Expired }
        ) | ConvertTo-Csv | ConvertFrom-Csv
        $results = @($csv | Test-TssrTlsCertificate -TrustedCertificatePath $trust | Sort-Object Port)
        $results.Count | Should -Be 2
        ($results | Where-Object Port -eq $lab.Ports.Valid).Status | Should -Be 'Valid'
        ($results | Where-Object Port -eq $lab.Ports.Expired).Status | Should -Be 'Expired'
        ($results | Where-Object Port -eq $lab.Ports.Expired).ComputerName | Should -Be '127.0.0.1'

        $byHost = [pscustomobject]@{ Host = 'localhost'; Port = $lab.Ports.WrongName } | Test-TssrTlsCertificate -TrustedCertificatePath $trust
        $byHost.Status | Should -Be 'NameMismatch'
    }

    It 'checks every address of a range on -Port' {
        Skip-WithoutLab
        $errors = $null
        $r = Test-TssrTlsCertificate 127.0.0.1-2 -Port $lab.Ports.Valid -TrustedCertificatePath $trust -TimeoutSec 3 -ErrorVariable errors -ErrorAction SilentlyContinue
        $r.Target | Should -Be "127.0.0.1:$($lab.Ports.Valid)"
        $r.Status | Should -Be 'Valid' -Because 'the certificate lists 127.0.0.1 in its subjectAltName'
        $errors.Count | Should -Be 1
        $errors[0].TargetObject | Should -Be "127.0.0.2:$($lab.Ports.Valid)"
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'TlsConnectionRefused,*'
    }

    It 'refuses a trust path that holds no certificate before any work' {
        $empty = Join-Path ([IO.Path]::GetTempPath()) "tssr-empty-trust-$PID"
        $null = New-Item -ItemType Directory -Force $empty
        try {
            { Test-TssrTlsCertificate localhost -TrustedCertificatePath $empty -ErrorAction Stop } |
                Should -Throw -ErrorId 'TlsTrustedCertificateNotFound,*'
            { Test-TssrTlsCertificate localhost -TrustedCertificatePath (Join-Path $empty 'nope.pem') -ErrorAction Stop } |
                Should -Throw -ErrorId 'TlsTrustedCertificatePathNotFound,*'
        }
        finally { Remove-Item -Recurse -Force $empty }
    }

    It 'shows a table with target, status and days by default' {
        Skip-WithoutLab
        $text = $trusted.Values | Out-String -Width 200
        $text | Should -Match 'Target\s+Status\s+Days\s+NotAfter'
        $text | Should -Match 'NameMismatch'
        $list = $trusted.Valid | Format-List | Out-String -Width 200
        $list | Should -Match 'Explanation\s+:'
        $list | Should -Match 'CipherSuite\s+:'
    }

    It 'keeps the status, the days and both names whole at <_> columns' -ForEach 80, 160 {
        Skip-WithoutLab
        $text = $trusted.Values | Out-String -Width $_
        $text | Should -Match 'Target\s+Status\s+Days\s+NotAfter\s+Subject / Issuer'
        $whole = @($trusted.Values | ForEach-Object { "$($_.Status)"; "$($_.DaysLeft)" }) + 'IncompleteChain', 'NameMismatch'
        Get-TssrViewProblem -Text $text -Width $_ -Whole ($whole | Sort-Object -Unique) | Should -BeNullOrEmpty
    }

    It 'explains in French for French users' {
        Skip-WithoutLab
        $script = @"
`$r = Test-TssrTlsCertificate 'localhost:$($lab.Ports.Expired)' -TrustedCertificatePath '$trust'
`$null = Test-TssrTlsCertificate '127.0.0.1:$($lab.SilentPort)' -TimeoutSec 0.5 -ErrorVariable e -ErrorAction SilentlyContinue
[pscustomobject]@{ Explanation = `$r.Explanation; Error = `$e[0].ErrorDetails.Message; Action = `$e[0].ErrorDetails.RecommendedAction }
"@
        $fr = Invoke-TssrPwsh -Culture fr-FR -Script $script
        $fr.Explanation | Should -BeLike 'Expiré le *'
        $fr.Error | Should -Match 'a accepté la connexion TCP'
        $fr.Action | Should -Match 'Vérifiez quel service'
        $en = Invoke-TssrPwsh -Culture en-US -Script $script
        $en.Explanation | Should -BeLike 'Expired on *'
    }
}
