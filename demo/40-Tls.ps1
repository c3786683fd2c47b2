# Test-TssrTlsCertificate on this machine: a small private CA made on the spot, openssl s_server
# serving a valid and an expired certificate on 127.0.0.1, a port that accepts TCP and never speaks
# TLS, and a closed port. Everything started here is stopped here, by PID.
$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) "tssr-demo-tls-$PID"
$null = New-Item -ItemType Directory -Force $work
$servers = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
$silent = $null

function New-DemoCertificate([string] $Subject, $Issuer, [int] $FromDays, [int] $ToDays, [switch] $Authority) {
    $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $key, 'SHA256')
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new([bool]$Authority, $false, 0, $true))
    if (-not $Authority) {
        $san = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $san.AddDnsName('localhost'); $san.AddIpAddress([ipaddress]'127.0.0.1')
        $request.CertificateExtensions.Add($san.Build())
    }
    $now = [DateTimeOffset]::UtcNow
    if (-not $Issuer) { return $request.CreateSelfSigned($now.AddDays($FromDays), $now.AddDays($ToDays)) }
    $serial = [byte[]]::new(12); [System.Security.Cryptography.RandomNumberGenerator]::Fill($serial); $serial[0] = $serial[0] -band 0x7F
    $cert = $request.Create($Issuer, $now.AddDays($FromDays), $now.AddDays($ToDays), $serial)
    [System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions]::CopyWithPrivateKey($cert, $key)
}

function Start-DemoTlsServer([string] $Name, $Certificate) {
    $certFile = Join-Path $work "$Name.pem"; $keyFile = Join-Path $work "$Name.key"
    Set-Content $certFile $Certificate.ExportCertificatePem()
    Set-Content $keyFile ([System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions]::GetECDsaPrivateKey($Certificate).ExportPkcs8PrivateKeyPem())
    $probe = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
    $psi = [System.Diagnostics.ProcessStartInfo]::new('openssl')
    foreach ($a in 's_server', '-accept', "127.0.0.1:$port", '-cert', $certFile, '-key', $keyFile, '-www', '-quiet') { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.RedirectStandardInput = $true
    $servers.Add([System.Diagnostics.Process]::Start($psi))
    foreach ($i in 1..50) {
        $c = [System.Net.Sockets.TcpClient]::new()
        try { if ($c.ConnectAsync('127.0.0.1', $port).Wait(200) -and $c.Connected) { break } } catch { } finally { $c.Dispose() }
        Start-Sleep -Milliseconds 100
    }
    "localhost:$port"
}

try {
    $ca = New-DemoCertificate 'CN=Demo Private CA' $null -800 3650 -Authority
    Set-Content (Join-Path $work 'demo-ca.crt') $ca.ExportCertificatePem()

    if (Get-Command openssl -ErrorAction SilentlyContinue) {
        $valid = Start-DemoTlsServer valid (New-DemoCertificate 'CN=localhost' $ca -1 90)
        $expired = Start-DemoTlsServer expired (New-DemoCertificate 'CN=localhost' $ca -400 -5)

        Write-Host "`n# Two servers signed by a private CA that this machine does not trust:" -ForegroundColor Yellow
        Test-TssrTlsCertificate $valid, $expired | Format-Table Target, Status, DaysLeft, TrustedBy, Protocol -AutoSize | Out-Host

        Write-Host "# The same servers, trusting the private CA with -TrustedCertificatePath:" -ForegroundColor Yellow
        $checked = Test-TssrTlsCertificate $valid, $expired -TrustedCertificatePath (Join-Path $work 'demo-ca.crt')
        $global:TssrDemoResults += @($checked)
        $checked | Out-Host
        $checked | Where-Object Status -eq Expired | Format-List Target, Status, Explanation, NotAfter, ThumbprintSha256, Chain | Out-Host

        Write-Host "# The explanation in French (`$PSUICulture fr-FR):" -ForegroundColor Yellow
        $before = [cultureinfo]::CurrentUICulture
        try {
            [cultureinfo]::CurrentUICulture = 'fr-FR'
            (Test-TssrTlsCertificate $expired -TrustedCertificatePath (Join-Path $work 'demo-ca.crt')).Explanation | Out-Host
        }
        finally { [cultureinfo]::CurrentUICulture = $before }
    }
    else {
        Write-Host 'openssl is not installed: the part with real TLS servers is skipped.' -ForegroundColor DarkYellow
    }

    # A port that accepts TCP but never speaks TLS (the kernel completes the TCP handshake for a
    # listener nobody accepts on), and a port where nothing listens.
    $silent = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); $silent.Start()
    $probe = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); $probe.Start(); $closed = $probe.LocalEndpoint.Port; $probe.Stop()
    Write-Host "`n# Endpoints that give no certificate: each has its own error id" -ForegroundColor Yellow
    $errs = $null
    $null = Test-TssrTlsCertificate "127.0.0.1:$($silent.LocalEndpoint.Port)", "127.0.0.1:$closed" -TimeoutSec 1.5 -ErrorVariable errs -ErrorAction SilentlyContinue
    $errs | ForEach-Object { [pscustomobject]@{ Target = $_.TargetObject; ErrorId = ($_.FullyQualifiedErrorId -split ',')[0]; Message = $_.ErrorDetails.Message } } |
        Format-Table -Wrap | Out-Host
}
finally {
    foreach ($p in $servers) { try { $p.Kill(); $null = $p.WaitForExit(3000) } catch { } finally { $p.Dispose() } }
    if ($silent) { $silent.Stop() }
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
