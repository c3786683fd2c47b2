# TLS endpoints (LAB.md): a lab PKI made with .NET's CertificateRequest (OpenSSL 3.0 on Debian 12
# has no -not_before/-not_after on `openssl x509`/`req`: those came in 3.4, and `openssl ca`
# would need a config and a database for each odd date), one `openssl s_server` per case, and a
# small pwsh listener for the two endpoints that are not TLS: one accepts TCP and never says a
# word (the handshake must time out), one answers a ClientHello like a plain HTTP server would.
# Ports are picked free at start and recorded in the facts, so parallel runs never collide.

function Get-LabTlsFreePort {
    param([System.Net.IPAddress] $Address = [System.Net.IPAddress]::Loopback)
    $listener = [System.Net.Sockets.TcpListener]::new($Address, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function New-LabTlsCertificate {
    # One certificate with its key; returns the X509Certificate2 (with private key).
    param(
        [Parameter(Mandatory)] [string] $Subject,
        [string[]] $DnsName = @(),
        [string[]] $IPAddress = @(),
        [DateTimeOffset] $NotBefore = [DateTimeOffset]::UtcNow.AddDays(-1),
        [DateTimeOffset] $NotAfter = [DateTimeOffset]::UtcNow.AddDays(365),
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Issuer,
        [switch] $CertificateAuthority,
        [ValidateSet('Rsa2048', 'Rsa3072', 'EcdsaP256', 'EcdsaP384')] [string] $Key = 'Rsa2048'
    )
    $X509 = 'System.Security.Cryptography.X509Certificates'
    $hash = [System.Security.Cryptography.HashAlgorithmName]::SHA256
    switch ($Key) {
        'Rsa2048' { $k = [System.Security.Cryptography.RSA]::Create(2048) }
        'Rsa3072' { $k = [System.Security.Cryptography.RSA]::Create(3072) }
        'EcdsaP256' { $k = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256) }
        'EcdsaP384' { $k = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP384); $hash = [System.Security.Cryptography.HashAlgorithmName]::SHA384 }
    }
    $name = [System.Security.Cryptography.X509Certificates.X500DistinguishedName]::new($Subject)
    $request = if ($k -is [System.Security.Cryptography.RSA]) {
        [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($name, $k, $hash, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    }
    else { [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($name, $k, $hash) }

    if ($CertificateAuthority) {
        $request.CertificateExtensions.Add((New-Object "$X509.X509BasicConstraintsExtension" $true, $false, 0, $true))
        $request.CertificateExtensions.Add((New-Object "$X509.X509KeyUsageExtension" ([System.Security.Cryptography.X509Certificates.X509KeyUsageFlags]'KeyCertSign, CrlSign'), $true))
    }
    else {
        $request.CertificateExtensions.Add((New-Object "$X509.X509BasicConstraintsExtension" $false, $false, 0, $true))
        $request.CertificateExtensions.Add((New-Object "$X509.X509KeyUsageExtension" ([System.Security.Cryptography.X509Certificates.X509KeyUsageFlags]'DigitalSignature, KeyEncipherment'), $true))
        $eku = [System.Security.Cryptography.OidCollection]::new()
        $null = $eku.Add([System.Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.1'))
        $request.CertificateExtensions.Add((New-Object "$X509.X509EnhancedKeyUsageExtension" $eku, $false))
    }
    $request.CertificateExtensions.Add((New-Object "$X509.X509SubjectKeyIdentifierExtension" $request.PublicKey, $false))
    if ($DnsName.Count -or $IPAddress.Count) {
        $san = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        foreach ($d in $DnsName) { $san.AddDnsName($d) }
        foreach ($i in $IPAddress) { $san.AddIpAddress([System.Net.IPAddress]::Parse($i)) }
        $request.CertificateExtensions.Add($san.Build($false))
    }

    if ($Issuer) {
        $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509AuthorityKeyIdentifierExtension]::CreateFromCertificate($Issuer, $true, $false))
        $serial = [byte[]]::new(16)
        [System.Security.Cryptography.RandomNumberGenerator]::Fill($serial)
        $serial[0] = $serial[0] -band 0x7F
        # The generator form signs across key types (an ECDSA CA issuing an RSA leaf).
        $issuerKey = [System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions]::GetECDsaPrivateKey($Issuer)
        $generator = if ($issuerKey) { [System.Security.Cryptography.X509Certificates.X509SignatureGenerator]::CreateForECDsa($issuerKey) }
        else {
            [System.Security.Cryptography.X509Certificates.X509SignatureGenerator]::CreateForRSA(
                [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Issuer), [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        }
        $signed = $request.Create($Issuer.SubjectName, $generator, $NotBefore, $NotAfter, $serial)
        $withKey = if ($k -is [System.Security.Cryptography.RSA]) {
            [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::CopyWithPrivateKey($signed, $k)
        }
        else { [System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions]::CopyWithPrivateKey($signed, $k) }
        $signed.Dispose()
        return $withKey
    }
    $request.CreateSelfSigned($NotBefore, $NotAfter)
}

function Save-LabTlsPem {
    # The certificate (and its issuers, in order) and the private key as PEM files for s_server.
    param(
        [Parameter(Mandatory)] $Certificate,
        [Parameter(Mandatory)] [string] $Path,
        [string] $KeyPath
    )
    Set-Content -LiteralPath $Path -Value $Certificate.ExportCertificatePem() -NoNewline
    if ($KeyPath) {
        $key = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
        if (-not $key) { $key = [System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions]::GetECDsaPrivateKey($Certificate) }
        Set-Content -LiteralPath $KeyPath -Value $key.ExportPkcs8PrivateKeyPem() -NoNewline
        if (-not $IsWindows) { & chmod 600 $KeyPath }
    }
}

function Get-LabTlsPwsh {
    # The pwsh that runs the lab, as a command line that starts a fresh one.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @($process) }
}

function Start-LabTls {
    $dir = Get-LabDirectory -Component Tls
    $certs = Join-Path $dir 'certs'
    $trust = Join-Path $dir 'trust'
    $null = New-Item -ItemType Directory -Force $certs, $trust
    $now = [DateTimeOffset]::UtcNow
    $hostName = [System.Net.Dns]::GetHostName()

    $root = New-LabTlsCertificate -Subject "CN=Tssr Lab Root CA $(Get-LabPrefix), O=Tssr Lab" -CertificateAuthority -Key EcdsaP384 `
        -NotBefore $now.AddDays(-30) -NotAfter $now.AddYears(10)
    $intermediate = New-LabTlsCertificate -Subject "CN=Tssr Lab Issuing CA $(Get-LabPrefix), O=Tssr Lab" -CertificateAuthority -Key EcdsaP256 `
        -Issuer $root -NotBefore $now.AddDays(-20) -NotAfter $now.AddYears(5)
    Save-LabTlsPem $root (Join-Path $trust 'lab-root.crt')
    Save-LabTlsPem $root (Join-Path $certs 'root.pem')
    Save-LabTlsPem $intermediate (Join-Path $certs 'intermediate.pem')

    $local = @{ DnsName = @('localhost', $hostName); IPAddress = @('127.0.0.1', '::1') }
    # Each case: the certificate, whether the server sends the intermediate, where it listens.
    $cases = [ordered]@{
        Valid       = @{ Cert = New-LabTlsCertificate -Subject 'CN=localhost, O=Tssr Lab' @local -Issuer $intermediate; SendChain = $true }
        Ecdsa       = @{ Cert = New-LabTlsCertificate -Subject 'CN=localhost, O=Tssr Lab ECDSA' @local -Issuer $intermediate -Key EcdsaP256; SendChain = $true; Address = '::1' }
        Expiring    = @{ Cert = New-LabTlsCertificate -Subject 'CN=localhost, O=Tssr Lab expiring' @local -Issuer $intermediate -NotBefore $now.AddDays(-80) -NotAfter $now.AddDays(10); SendChain = $true }
        Expired     = @{ Cert = New-LabTlsCertificate -Subject 'CN=localhost, O=Tssr Lab expired' @local -Issuer $intermediate -NotBefore $now.AddDays(-400) -NotAfter $now.AddDays(-10); SendChain = $true }
        NotYetValid = @{ Cert = New-LabTlsCertificate -Subject 'CN=localhost, O=Tssr Lab not yet valid' @local -Issuer $intermediate -NotBefore $now.AddDays(10) -NotAfter $now.AddDays(400); SendChain = $true }
        WrongName   = @{ Cert = New-LabTlsCertificate -Subject 'CN=intranet.tssr.lab, O=Tssr Lab' -DnsName 'intranet.tssr.lab', '*.apps.tssr.lab' -Issuer $intermediate; SendChain = $true }
        SelfSigned  = @{ Cert = New-LabTlsCertificate -Subject 'CN=localhost, O=Tssr Lab self-signed' @local -Key Rsa3072; SendChain = $false }
        ShortChain  = @{ Cert = New-LabTlsCertificate -Subject 'CN=localhost, O=Tssr Lab short chain' @local -Issuer $intermediate; SendChain = $false }
    }

    $ports = @{}
    foreach ($name in $cases.Keys) {
        $case = $cases[$name]
        $address = if ($case.ContainsKey('Address')) { $case.Address } else { '127.0.0.1' }
        $port = Get-LabTlsFreePort -Address ([System.Net.IPAddress]::Parse($address))
        $certFile = Join-Path $certs "$name.pem"
        $keyFile = Join-Path $certs "$name.key"
        Save-LabTlsPem $case.Cert $certFile -KeyPath $keyFile
        $accept = if ($address.Contains(':')) { "[$address]:$port" } else { "${address}:$port" }
        $arguments = @('s_server', '-accept', $accept, '-cert', $certFile, '-key', $keyFile, '-www', '-quiet')
        if ($address.Contains(':')) { $arguments += '-6' }
        if ($case.SendChain) { $arguments += @('-cert_chain', (Join-Path $certs 'intermediate.pem')) }
        $id = Start-LabProcess -FilePath 'openssl' -ArgumentList $arguments -LogFile (Join-Path $dir "$name.log")
        Wait-LabTcpPort -Address $address -Port $port -ProcessId $id -TimeoutSeconds 20
        $ports[$name] = $port
    }

    # The endpoints that are not TLS, served by one pwsh process: Silent accepts and holds every
    # connection without a byte; Plain reads what the client sends and answers as an HTTP server.
    $silentPort = Get-LabTlsFreePort
    $plainPort = Get-LabTlsFreePort
    $listenerScript = Join-Path $dir 'listener.ps1'
    Set-Content -LiteralPath $listenerScript -Value @'
param([int] $SilentPort, [int] $PlainPort)
$silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $SilentPort)
$plain = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $PlainPort)
$silent.Start(); $plain.Start()
"listening silent=$SilentPort plain=$PlainPort"
$held = [System.Collections.Generic.Queue[System.Net.Sockets.TcpClient]]::new()
$answer = [Text.Encoding]::ASCII.GetBytes("HTTP/1.1 400 Bad Request`r`nServer: tssr-lab`r`nContent-Type: text/plain`r`nContent-Length: 35`r`nConnection: close`r`n`r`nThis is a plain HTTP port, not TLS.")
while ($true) {
    $idle = $true
    while ($silent.Pending()) {
        $idle = $false
        $held.Enqueue($silent.AcceptTcpClient())
        "silent: accepted, holding $($held.Count)"
        while ($held.Count -gt 200) { $held.Dequeue().Dispose() }
    }
    while ($plain.Pending()) {
        $idle = $false
        $client = $plain.AcceptTcpClient()
        try {
            $client.ReceiveTimeout = 3000
            $stream = $client.GetStream()
            $buffer = [byte[]]::new(4096)
            $read = $stream.Read($buffer, 0, $buffer.Length)
            "plain: read $read bytes, answering 400"
            $stream.Write($answer, 0, $answer.Length)
            $stream.Flush()
        }
        catch { "plain: $_" }
        finally { $client.Dispose() }
    }
    if ($idle) { Start-Sleep -Milliseconds 20 }
}
'@
    $pwsh = Get-LabTlsPwsh
    $listenerArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $listenerScript, '-SilentPort', $silentPort, '-PlainPort', $plainPort)
    $listenerPid = Start-LabProcess -FilePath $pwsh[0] -ArgumentList $listenerArgs -LogFile (Join-Path $dir 'listener.log')
    Wait-LabTcpPort -Port $silentPort -ProcessId $listenerPid -TimeoutSeconds 60
    Wait-LabTcpPort -Port $plainPort -ProcessId $listenerPid -TimeoutSeconds 10

    # A port that nothing listens on: picked free, then left closed.
    $closedPort = Get-LabTlsFreePort

    @{
        Directory       = $dir
        TrustDirectory  = $trust
        RootCertificate = (Join-Path $trust 'lab-root.crt')
        Intermediate    = (Join-Path $certs 'intermediate.pem')
        RootThumbprint  = $root.Thumbprint
        HostName        = $hostName
        Ports           = $ports
        EcdsaAddress    = '::1'
        SilentPort      = $silentPort
        PlainPort       = $plainPort
        ClosedPort      = $closedPort
        Fingerprints    = @{ Valid = $cases.Valid.Cert.Thumbprint; SelfSigned = $cases.SelfSigned.Cert.Thumbprint; ShortChain = $cases.ShortChain.Cert.Thumbprint }
        SelfSignedCert  = (Join-Path $certs 'SelfSigned.pem')
    }
}

function Stop-LabTls {
    # Processes are stopped by PID by Stop-TssrLab; the private keys do not outlive the lab.
    $dir = Get-LabDirectory -Component Tls
    Remove-Item -Recurse -Force -LiteralPath (Join-Path $dir 'certs') -ErrorAction SilentlyContinue
}
