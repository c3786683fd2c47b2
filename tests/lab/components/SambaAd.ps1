# Samba AD DC on loopback (LAB.md): realm TSSR.LAB, LDAPS on 127.0.0.1:636 with a certificate
# issued by a lab CA, so the module's certificate validation is exercised, never switched off.
# Provisioned once per lab directory (about 8 s), then only started (about 10 s). One DC per
# machine: the ports are fixed, so every suite of a run shares this instance.

function New-LabAdPassword {
    # Letters, digits and symbols from a CSPRNG; the four classes are always present so that the
    # domain's complexity rule accepts it.
    $upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ'; $lower = 'abcdefghijkmnpqrstuvwxyz'; $digits = '23456789'; $symbols = '#%+=_-.'
    $all = $upper + $lower + $digits + $symbols
    $bytes = [byte[]]::new(24)
    [System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
    $chars = [System.Collections.Generic.List[char]]::new()
    $chars.Add($upper[$bytes[0] % $upper.Length]); $chars.Add($lower[$bytes[1] % $lower.Length])
    $chars.Add($digits[$bytes[2] % $digits.Length]); $chars.Add($symbols[$bytes[3] % $symbols.Length])
    for ($i = 4; $i -lt $bytes.Length; $i++) { $chars.Add($all[$bytes[$i] % $all.Length]) }
    -join $chars
}

function New-LabAdCertificate {
    # A lab CA and a server certificate whose subjectAltName lists every name libldap may check:
    # it checks the name typed, except "localhost", which it replaces by this machine's host name.
    param([Parameter(Mandatory)] [string] $Directory)
    $caDir = Join-Path $Directory 'ca'
    $tlsDir = Join-Path $Directory 'tls'
    $null = New-Item -ItemType Directory -Force $caDir, $tlsDir
    $names = [System.Collections.Generic.List[string]]::new()
    foreach ($n in @('localhost', (& hostname), ((& getent hosts 127.0.0.1) -split '\s+' | Select-Object -Skip 1))) {
        if ($n -and -not $names.Contains($n)) { $names.Add($n) }
    }
    $san = (@($names | ForEach-Object { "DNS:$_" }) + 'IP:127.0.0.1') -join ','
    $run = {
        param([string[]] $Arguments)
        $out = & openssl @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "openssl $($Arguments[0]) failed: $out" }
    }
    & $run @('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
        '-subj', '/O=Tssr Lab/CN=Tssr Lab CA', '-keyout', (Join-Path $caDir 'ca.key'), '-out', (Join-Path $caDir 'ca.pem'),
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
    & $run @('req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-subj', '/O=Tssr Lab/CN=localhost',
        '-keyout', (Join-Path $tlsDir 'server.key'), '-out', (Join-Path $tlsDir 'server.csr'))
    $ext = Join-Path $tlsDir 'server.ext'
    Set-Content -LiteralPath $ext -Value @(
        "subjectAltName=$san", 'basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth')
    & $run @('x509', '-req', '-in', (Join-Path $tlsDir 'server.csr'), '-CA', (Join-Path $caDir 'ca.pem'), '-CAkey', (Join-Path $caDir 'ca.key'),
        '-CAcreateserial', '-days', '825', '-sha256', '-extfile', $ext, '-out', (Join-Path $tlsDir 'server.pem'))
    # The directory layout libldap reads (TrustedCertificatesDirectory): hashed links to the CA.
    $trusted = Join-Path $Directory 'trusted'
    $null = New-Item -ItemType Directory -Force $trusted
    Copy-Item (Join-Path $caDir 'ca.pem') (Join-Path $trusted 'tssr-lab-ca.pem') -Force
    & $run @('rehash', $trusted)
    & chmod 600 (Join-Path $tlsDir 'server.key') (Join-Path $caDir 'ca.key')
}

function Start-LabSambaAd {
    $dir = Get-LabDirectory -Component 'SambaAd'
    $samba = Join-Path $dir 'samba'
    $conf = Join-Path $samba 'etc/smb.conf'
    $credFile = Join-Path $dir 'admin.password'
    $marker = Join-Path $dir 'provisioned'

    if (-not (Test-Path $marker)) {
        if (Test-Path $samba) { Remove-Item -Recurse -Force $samba }
        $password = New-LabAdPassword
        $log = Join-Path $dir 'provision.log'
        $out = & samba-tool domain provision "--targetdir=$samba" --realm=TSSR.LAB --domain=TSSR --server-role=dc `
            --dns-backend=NONE "--adminpass=$password" --use-rfc2307 `
            --option='interfaces=lo' --option='bind interfaces only=yes' 2>&1
        $out | Set-Content -LiteralPath $log
        if ($LASTEXITCODE -ne 0) { throw "samba-tool domain provision failed (see $log)." }
        # The password exists only here, readable by root alone.
        Set-Content -LiteralPath $credFile -Value $password -NoNewline
        & chmod 600 $credFile
        New-LabAdCertificate -Directory $dir
        # A lockout policy so that failed binds lock an account (the tests rely on it).
        $out = & samba-tool domain passwordsettings set -H "tdb://$samba/private/sam.ldb" --account-lockout-threshold=3 `
            --account-lockout-duration=30 --reset-account-lockout-after=30 2>&1
        if ($LASTEXITCODE -ne 0) { throw "samba-tool domain passwordsettings failed: $out" }

        $settings = [ordered]@{
            'log file'                   = Join-Path $dir 'log.%m'
            'pid directory'              = Join-Path $samba 'run'
            'winbindd socket directory'  = Join-Path $samba 'run/winbindd'
            'ntp signd socket directory' = Join-Path $samba 'run/ntp_signd'
            'server services'            = 'ldap, cldap, kdc, rpc'
            'tls enabled'                = 'yes'
            'tls certfile'               = Join-Path $dir 'tls/server.pem'
            'tls keyfile'                = Join-Path $dir 'tls/server.key'
            'tls cafile'                 = Join-Path $dir 'ca/ca.pem'
        }
        $lines = [System.Collections.Generic.List[string]]::new()
        foreach ($line in Get-Content -LiteralPath $conf) {
            $lines.Add($line)
            if ($line -match '^\s*\[global\]') {
                foreach ($k in $settings.Keys) { $lines.Add("`t$k = $($settings[$k])") }
            }
            elseif ($line -match '^\s*(log file|server services)\s*=') { $lines.RemoveAt($lines.Count - 1) }
        }
        Set-Content -LiteralPath $conf -Value $lines
        $null = New-Item -ItemType Directory -Force (Join-Path $samba 'run')
        Set-Content -LiteralPath $marker -Value (Get-Date -Format o)
    }

    $log = Join-Path $dir 'samba.log'
    $id = Start-LabProcess -FilePath 'samba' -ArgumentList @('-i', '-M', 'single', '-s', $conf, '--debug-stdout') -LogFile $log
    Wait-LabTcpPort -Port 636 -TimeoutSeconds 60 -ProcessId $id
    @{
        Server                 = 'localhost'
        Address                = '127.0.0.1'
        Port                   = 636
        LdapPort               = 389
        Realm                  = 'TSSR.LAB'
        Domain                 = 'TSSR'
        BaseDn                 = 'DC=tssr,DC=lab'
        AdminUser              = 'Administrator@tssr.lab'
        AdminPasswordFile      = $credFile
        CaFile                 = Join-Path $dir 'ca/ca.pem'
        CaDirectory            = Join-Path $dir 'trusted'
        LogFile                = $log
    }
}

function Stop-LabSambaAd {
    # Nothing beyond the recorded PID: the provisioned directory is kept for the next start.
}
