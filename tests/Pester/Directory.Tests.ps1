# Directory and helpdesk cmdlets against the real lab Samba AD DC over LDAPS, with the lab CA
# validated (never skipped). Each run works in its own OU, removed at the end.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
    Import-TssrTestModule
    $script:ready = Test-LabPrerequisite -Command samba, samba-tool, openssl, ldapmodify, dnsmasq
    if ($script:ready) {
        $script:lab = (Start-TssrLab -Component SambaAd).SambaAd
        $password = ConvertTo-SecureString (Get-Content -Raw $lab.AdminPasswordFile) -AsPlainText -Force
        $script:cred = [pscredential]::new($lab.AdminUser, $password)
        $script:ca = $lab.CaFile
        $script:run = 'T' + [Guid]::NewGuid().ToString('N').Substring(0, 6)
        $script:ou = "OU=Pester-$run,$($lab.BaseDn)"
        # The test's own container and group, made with the anchor tool, not with the module under test.
        $ldif = @"
dn: $ou
objectClass: organizationalUnit

dn: CN=Helpdesk-$run,$ou
objectClass: group
sAMAccountName: Helpdesk-$run

dn: CN=Outer-$run,$ou
objectClass: group
sAMAccountName: Outer-$run
member: CN=Helpdesk-$run,$ou
"@
        $ldif | & env "LDAPTLS_CACERT=$ca" ldapadd -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x *> $null
        if ($LASTEXITCODE -ne 0) { throw "ldapadd of the test OU failed ($LASTEXITCODE)" }
        $script:session = Connect-TssrDirectory -Server localhost -Credential $cred -TrustedCertificatePath $ca
        # -WhatIf writes its "What if:" lines to the host, where no redirection reaches: the tests
        # run such commands in a runspace of this process whose host records them, and assert on
        # the text instead of letting it print among the results.
        if (-not ('TssrTest.RecordingHost' -as [type])) {
            Add-Type -TypeDefinition @'
using System; using System.Collections.Generic; using System.Globalization; using System.Management.Automation; using System.Management.Automation.Host; using System.Security; using System.Text;
namespace TssrTest {
  public sealed class RecordingUI : PSHostUserInterface {
    public readonly StringBuilder Text = new StringBuilder();
    public override PSHostRawUserInterface RawUI => null;
    public override string ReadLine() => throw new InvalidOperationException("no input in a test");
    public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("no input in a test");
    public override void Write(string value) { lock (Text) Text.Append(value); }
    public override void Write(ConsoleColor f, ConsoleColor b, string value) { Write(value); }
    public override void WriteLine(string value) { Write(value + "\n"); }
    public override void WriteErrorLine(string value) { Write("ERROR: " + value + "\n"); }
    public override void WriteDebugLine(string value) { }
    public override void WriteProgress(long sourceId, ProgressRecord record) { }
    public override void WriteVerboseLine(string value) { }
    public override void WriteWarningLine(string value) { Write("WARNING: " + value + "\n"); }
    public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) => throw new InvalidOperationException("no prompt in a test");
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new InvalidOperationException("no prompt in a test");
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowed, PSCredentialUIOptions options) => throw new InvalidOperationException("no prompt in a test");
    public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) => throw new InvalidOperationException("no prompt in a test");
  }
  public sealed class RecordingHost : PSHost {
    private readonly Guid _id = Guid.NewGuid();
    public readonly RecordingUI Recorder = new RecordingUI();
    public override string Name => "TssrTestRecordingHost";
    public override Version Version => new Version(1, 0);
    public override Guid InstanceId => _id;
    public override PSHostUserInterface UI => Recorder;
    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() { }
    public override void ExitNestedPrompt() { }
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
  }
}
'@
        }
        # Runs $Script (its param() block gets $Arguments) with the module; returns the output,
        # the errors and the host text (the "What if:" lines).
        function script:Invoke-WhatIfRecorded {
            param([scriptblock] $Script, [hashtable] $Arguments = @{})
            $recordingHost = [TssrTest.RecordingHost]::new()
            $rs = [runspacefactory]::CreateRunspace($recordingHost)
            $rs.Open()
            $ps = [powershell]::Create()
            $ps.Runspace = $rs
            try {
                $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Get-TssrModulePath)).AddStatement()
                $null = $ps.AddScript($Script.ToString()).AddParameters($Arguments)
                $output = @($ps.Invoke())
                [pscustomobject]@{ Output = $output; Errors = @($ps.Streams.Error); Host = $recordingHost.Recorder.Text.ToString() }
            }
            finally { $ps.Dispose(); $rs.Dispose() }
        }
        function script:New-TestPassword { ConvertTo-SecureString ('Aa1!' + [Guid]::NewGuid().ToString('N').Substring(0, 12)) -AsPlainText -Force }
        # A fine-grained policy (PSO) made with the anchor tool. Idempotent: a leftover of the same
        # name (an interrupted run) is deleted first. Every value is in the syntax the schema wants:
        # intervals as negative 100-ns counts, "never" as the minimum Int64, booleans as TRUE/FALSE,
        # msDS-PSOAppliesTo as the DN the DC returns (read back with ldapsearch, never guessed).
        $script:psoList = [Collections.Generic.List[string]]::new()
        function script:New-TestPso {
            param([string] $Name, [string] $AppliesTo, [int] $LockoutThreshold, [int] $LockoutSeconds, [int] $MinimumLength)
            # An empty DN would make ldapadd fail with code 21 (invalid syntax) far from the cause.
            if ([string]::IsNullOrWhiteSpace($AppliesTo)) { throw "PSO fixture '$Name': no account DN to apply it to (was the account created?)" }
            $dn = "CN=$Name,CN=Password Settings Container,CN=System,$($lab.BaseDn)"
            $target = @(& env "LDAPTLS_CACERT=$ca" ldapsearch -LLL -o ldif_wrap=no -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x -b $AppliesTo -s base '(objectClass=*)' 1.1 2>&1 |
                Where-Object { $_ -like 'dn: *' } | ForEach-Object { $_.Substring(4) })
            if ($target.Count -ne 1) { throw "PSO fixture: the account '$AppliesTo' was not found (ldapsearch: $target)" }
            & env "LDAPTLS_CACERT=$ca" ldapdelete -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x $dn *> $null
            $interval = -1L * $LockoutSeconds * 10000000
            $ldif = @(
                "dn: $dn", 'objectClass: msDS-PasswordSettings', 'msDS-PasswordSettingsPrecedence: 5',
                'msDS-PasswordReversibleEncryptionEnabled: FALSE', 'msDS-PasswordHistoryLength: 0', 'msDS-PasswordComplexityEnabled: TRUE',
                "msDS-MinimumPasswordLength: $MinimumLength", 'msDS-MinimumPasswordAge: 0', 'msDS-MaximumPasswordAge: -9223372036854775808',
                "msDS-LockoutThreshold: $LockoutThreshold", "msDS-LockoutObservationWindow: $interval", "msDS-LockoutDuration: $interval",
                "msDS-PSOAppliesTo: $($target[0])", '') -join "`n"
            $out = $ldif | & env "LDAPTLS_CACERT=$ca" ldapadd -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x 2>&1
            if ($LASTEXITCODE -ne 0) { throw "ldapadd of the PSO failed ($LASTEXITCODE): $out`n$ldif" }
            $script:psoList.Add($dn)
            $dn
        }
    }
}

AfterAll {
    if ($script:ready -and $script:ou) {
        & env "LDAPTLS_CACERT=$ca" ldapdelete -r -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x $ou *> $null
        foreach ($p in @($script:psoList)) { if ($p) { & env "LDAPTLS_CACERT=$ca" ldapdelete -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x $p *> $null } }
        if ($script:session) { Disconnect-TssrDirectory -Session $session }
    }
}

Describe 'Connect-TssrDirectory' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'binds over LDAPS with the lab CA and reads the domain' {
        $session.Transport | Should -Be 'Ldaps'
        $session.Encrypted | Should -BeTrue
        $session.BaseDn | Should -Be 'DC=tssr,DC=lab'
        $session.DomainName | Should -Be 'tssr.lab'
        $session.Certificate.Issuer | Should -BeLike '*Tssr Lab CA*'
    }

    It 'binds with StartTLS on 389' {
        $s = Connect-TssrDirectory -Server localhost -Credential $cred -TrustedCertificatePath $ca -StartTls -NoDefault
        try { $s.Transport | Should -Be 'StartTls'; $s.Port | Should -Be 389 } finally { Disconnect-TssrDirectory -Session $s }
    }

    It 'refuses an untrusted chain with a specific error, not "server unavailable"' {
        { Connect-TssrDirectory -Server localhost -Credential $cred -NoDefault } | Should -Throw -ErrorId 'DirectoryCertificateUntrusted*'
    }

    It 'tells an expired certificate and a wrong name apart (TLS endpoints made by the test)' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "tssr-ad-tls-$PID"
        $null = New-Item -ItemType Directory -Force $dir
        $caKey = Join-Path $lab.CaDirectory '../ca/ca.key'
        $servers = @()
        try {
            & openssl req -newkey rsa:2048 -nodes -subj '/CN=wrong.example' -keyout "$dir/w.key" -out "$dir/w.csr" 2>$null
            Set-Content "$dir/w.ext" 'subjectAltName=DNS:wrong.example'
            & openssl x509 -req -in "$dir/w.csr" -CA $ca -CAkey $caKey -CAcreateserial -days 30 -extfile "$dir/w.ext" -out "$dir/w.pem" 2>$null
            # An expired certificate from the lab CA (openssl 3.0 cannot back-date one).
            $issuer = [Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile($ca, $caKey)
            $key = [Security.Cryptography.RSA]::Create(2048)
            $req = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=localhost', $key, 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1)
            $san = [Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new(); $san.AddDnsName('localhost'); $san.AddIpAddress([Net.IPAddress]::Loopback)
            $req.CertificateExtensions.Add($san.Build())
            $expired = $req.Create($issuer, [DateTimeOffset]$issuer.NotBefore.ToUniversalTime(), [DateTimeOffset]$issuer.NotBefore.ToUniversalTime().AddSeconds(1), [byte[]](1, 2, 3, 4))
            Set-Content "$dir/e.pem" $expired.ExportCertificatePem()
            Set-Content "$dir/e.key" $key.ExportPkcs8PrivateKeyPem()
            $ports = foreach ($i in 1..2) { $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $l.Start(); $l.LocalEndpoint.Port; $l.Stop() }
            foreach ($pair in @(@($ports[0], 'w'), @($ports[1], 'e'))) {
                $psi = [Diagnostics.ProcessStartInfo]::new('openssl')
                foreach ($a in @('s_server', '-accept', "127.0.0.1:$($pair[0])", '-cert', "$dir/$($pair[1]).pem", '-key', "$dir/$($pair[1]).key", '-quiet')) { $psi.ArgumentList.Add($a) }
                $psi.RedirectStandardOutput = $true; $psi.RedirectStandardInput = $true; $psi.RedirectStandardError = $true
                $servers += [Diagnostics.Process]::Start($psi).Id
            }
            Wait-LabTcpPort -Port $ports[0]; Wait-LabTcpPort -Port $ports[1]
            { Connect-TssrDirectory -Server localhost -Port $ports[0] -Credential $cred -TrustedCertificatePath $ca -NoDefault } | Should -Throw -ErrorId 'DirectoryCertificateNameMismatch*'
            { Connect-TssrDirectory -Server localhost -Port $ports[1] -Credential $cred -TrustedCertificatePath $ca -NoDefault } | Should -Throw -ErrorId 'DirectoryCertificateExpired*'
        }
        finally {
            foreach ($id in $servers) { Stop-Process -Id $id -Force -ErrorAction SilentlyContinue }
            Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
        }
    }

    It '-Domain finds the DCs by the _ldap._tcp SRV record and skips one that does not answer' {
        $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop()
        # The heavier record names a DC that does not exist: it is tried first, then skipped.
        $psi = [Diagnostics.ProcessStartInfo]::new('dnsmasq')
        foreach ($a in @('--no-daemon', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--bind-interfaces', '--listen-address=127.0.0.1', "--port=$port",
                '--srv-host=_ldap._tcp.tssr.lab,localhost,389,0,10', '--srv-host=_ldap._tcp.tssr.lab,nodc.invalid,389,0,100')) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
        $dnsProcess = [Diagnostics.Process]::Start($psi)
        $dns = $dnsProcess.Id
        try {
            Wait-LabTcpPort -Port $port -ProcessId $dns
            $s = Connect-TssrDirectory -Domain tssr.lab -DnsServer "127.0.0.1:$port" -Credential $cred -TrustedCertificatePath $ca -NoDefault -Verbose 4>&1
            $verbose = ($s | Where-Object { $_ -is [Management.Automation.VerboseRecord] }) -join "`n"
            $session = $s | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }
            try {
                $session.Server | Should -Be 'localhost'
                $session.Port | Should -Be 636
                $session.Transport | Should -Be 'Ldaps'
                $verbose | Should -BeLike '*nodc.invalid*'
            }
            finally { Disconnect-TssrDirectory -Session $session }
            { Connect-TssrDirectory -Domain nowhere.tssr.lab -DnsServer "127.0.0.1:$port" -Credential $cred -NoDefault } | Should -Throw -ErrorId 'DirectoryDomainNotFound*'
        }
        finally {
            $dnsProcess.Kill()
            if (-not $dnsProcess.WaitForExit(5000)) { Write-Warning "dnsmasq $dns did not stop" }
            $dnsProcess.Dispose()
        }
    }

    It 'says a closed port is unreachable' {
        { Connect-TssrDirectory -Server 127.0.0.1 -Port 1 -Credential $cred -NoDefault } | Should -Throw -ErrorId 'DirectoryServerUnreachable*'
    }

    It 'explains that the DC wants encryption for a plain simple bind' {
        { Connect-TssrDirectory -Server localhost -Credential $cred -AllowUnencrypted -NoDefault -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'DirectoryEncryptionRequired*'
    }

    It 'refuses every password operation on an unencrypted session' {
        $plain = Connect-TssrDirectory -Server localhost -Anonymous -AllowUnencrypted -NoDefault -WarningAction SilentlyContinue
        try {
            { Reset-TssrUserPassword -Session $plain -Identity 'CN=Administrator,CN=Users,DC=tssr,DC=lab' -Confirm:$false } | Should -Throw
            $err = $null
            Reset-TssrUserPassword -Session $plain -Identity 'CN=Administrator,CN=Users,DC=tssr,DC=lab' -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'LdapPasswordNeedsEncryption*'
        }
        finally { Disconnect-TssrDirectory -Session $plain }
    }

    It 'needs a session: a clear error without one' {
        $r = Invoke-TssrPwsh -Raw -Script 'try { Get-TssrUser -Identity x } catch { $_.FullyQualifiedErrorId }'
        $r.Output | Should -BeLike '*DirectoryNotConnected*'
    }
}

Describe 'Escaping: names that are data, never syntax' {
    BeforeAll {
        $script:corpus = @('Dupont, Jean', '#admin', ' lead', 'trail ', 'a*b', '*)(uid=*', "O'Brien", 'Zoë Ñúñez', 'back\slash', 'x+y;z<q>"r"=')
    }
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'creates, re-reads and finds "<_>" by DN and by UPN' -ForEach @('Dupont, Jean', '#admin', ' lead', 'trail ', 'a*b', '*)(uid=*', "O'Brien", 'Zoë Ñúñez', 'back\slash', 'x+y;z<q>"r"=') {
        $name = $_
        $sam = 'e' + [Guid]::NewGuid().ToString('N').Substring(0, 12)
        $upn = "$name@tssr.lab"
        $user = New-TssrUser -Name $name -SamAccountName $sam -Path $ou -UserPrincipalName $upn -DisplayName $name -PassThru -Confirm:$false
        $user.Name | Should -BeExactly $name
        $user.DisplayName | Should -BeExactly $name
        # The DN the server returned is the one used: reading by it finds the same object.
        (Get-TssrUser -Identity $user.DistinguishedName).ObjectGuid | Should -Be $user.ObjectGuid
        (Get-TssrUser -Identity $upn).SamAccountName | Should -Be $sam
        (Get-TssrUser -Identity $user.ObjectGuid.ToString()).Name | Should -BeExactly $name
    }

    It 'does not let a filter value widen the search' {
        # '*' would match every user if it were not escaped.
        { Get-TssrUser -Identity '*' } | Should -Throw -ErrorId 'DirectoryUserNotFound*'
        { Get-TssrUser -Identity '*)(sAMAccountName=*' } | Should -Throw -ErrorId 'DirectoryUserNotFound*'
    }
}

Describe 'User lifecycle' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'creates a user disabled without a password, as RSAT does, and -WhatIf creates nothing' {
        $r = Invoke-WhatIfRecorded { param($Sam, $Path) New-TssrUser -Name 'WhatIf User' -SamAccountName $Sam -Path $Path -WhatIf } @{ Sam = "wi$run"; Path = $ou }
        $r.Host | Should -BeLike "What if:*Create the user account wi$run*CN=WhatIf User,$ou*"
        { Get-TssrUser -Identity "wi$run" } | Should -Throw -ErrorId 'DirectoryUserNotFound*'
        $u = New-TssrUser -Name 'No Password' -SamAccountName "np$run" -Path $ou -PassThru -Confirm:$false
        $u.Enabled | Should -BeFalse
    }

    It 'refuses to enable a user without a password' {
        { New-TssrUser -Name 'Bad' -SamAccountName "bd$run" -Path $ou -Enabled $true -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'DirectoryEnableWithoutPassword*'
    }

    It 'creates an enabled user with a password, sets, disables, enables it' {
        $u = New-TssrUser -Name 'Martin Claire' -SamAccountName "cm$run" -GivenName Claire -Surname Martin -Path $ou `
            -AccountPassword (New-TestPassword) -Enabled $true -ChangePasswordAtLogon $true -PassThru -Confirm:$false
        $u.Enabled | Should -BeTrue
        $u.MustChangePassword | Should -BeTrue
        $u = Set-TssrUser -Identity "cm$run" -Department 'Compta' -Title 'Technicienne' -PassThru -Confirm:$false
        $u.Department | Should -Be 'Compta'
        (Set-TssrUser -Identity "cm$run" -Title '' -PassThru -Confirm:$false).Title | Should -BeNullOrEmpty
        (Disable-TssrUser -Identity "cm$run" -PassThru -Confirm:$false).Enabled | Should -BeFalse
        (Enable-TssrUser -Identity "cm$run" -PassThru -Confirm:$false).Enabled | Should -BeTrue
        Get-TssrUser -Identity "cm$run" | Disable-TssrUser -Confirm:$false
        (Get-TssrUser -Identity "cm$run").Enabled | Should -BeFalse
    }

    It 'refuses a sAMAccountName longer than 20 characters before sending anything' {
        { New-TssrUser -Name 'Long' -SamAccountName ('x' * 21) -Path $ou -Confirm:$false } | Should -Throw -ErrorId 'DirectorySamAccountNameTooLong*'
    }

    It 'reports a duplicate sAMAccountName clearly' {
        $err = $null
        New-TssrUser -Name 'Dup One' -SamAccountName "np$run" -Path $ou -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Match '^Ldap(ObjectAlreadyExists|ConstraintViolation)'
    }

    It 'finds users by filter and search base, paged' {
        $found = @(Get-TssrUser -SearchBase $ou -LDAPFilter '(sAMAccountName=*)')
        $found.Count | Should -BeGreaterOrEqual 2
        @(Get-TssrUser -SearchBase $ou -ResultSetSize 1).Count | Should -Be 1
    }

    It 'takes RSAT''s -Filter language for the common forms, escaped, and refuses the rest naming the forms' {
        $all = @(Get-TssrUser -SearchBase $ou -Filter *)
        $all.Count | Should -BeGreaterOrEqual 2
        @(Get-TssrUser -SearchBase $ou -Filter "SamAccountName -eq 'cm$run'").SamAccountName | Should -Be @("cm$run")
        $like = @(Get-TssrUser -SearchBase $ou -Filter "SamAccountName -like 'np*' -or SamAccountName -like 'cm*'").SamAccountName
        $like | Should -Contain "np$run"; $like | Should -Contain "cm$run"
        @(Get-TssrUser -SearchBase $ou -Filter "Department -eq 'Compta' -and Enabled -eq `$false").SamAccountName | Should -Be @("cm$run")
        @(Get-TssrUser -SearchBase $ou -Filter "Enabled -eq `$false -and -not (SamAccountName -eq 'cm$run')").SamAccountName | Should -Not -Contain "cm$run"
        # A value is data: '*' in -eq matches only a literal star.
        @(Get-TssrUser -SearchBase $ou -Filter "SamAccountName -eq '*'").Count | Should -Be 0
        # Same answer as the raw LDAP filter.
        @(Get-TssrUser -SearchBase $ou -Filter "Department -eq 'Compta'").Count | Should -Be @(Get-TssrUser -SearchBase $ou -LDAPFilter '(department=Compta)').Count
        { Get-TssrUser -SearchBase $ou -Filter "WhenCreated -gt '2020-01-01'" } | Should -Throw -ErrorId 'DirectoryFilterUnsupported*'
        $err = $null
        try { Get-TssrUser -SearchBase $ou -Filter '(sAMAccountName=*)' } catch { $err = $_ }
        "$err" | Should -BeLike '*LDAP filter*-LDAPFilter*'
        $err.ErrorDetails.RecommendedAction | Should -BeLike '*-LDAPFilter*'
    }

    It 'completes -Identity from the open session with TabExpansion2, users for user cmdlets and groups for group ones, within 1 s' {
        $line = "Get-TssrUser -Identity cm$run"
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $watch.Stop()
        $r.CompletionMatches.CompletionText | Should -Contain "cm$run"
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 1.5
        $line = "Get-TssrGroupMember -Identity Helpdesk-$run"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @("Helpdesk-$run")
        $line = "Unlock-TssrUser -Identity Helpdesk-$run"
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Where-Object CompletionText -eq "Helpdesk-$run").Count | Should -Be 0
        # A prefix is data, not a filter: '*' completes only names that really start with a star.
        $line = "Get-TssrUser -Identity '*'"
        $stars = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Where-Object ResultType -eq 'ParameterValue')
        $stars.Count | Should -BeLessThan 3
        $stars | ForEach-Object { $_.ToolTip | Should -BeLike '[*]*' }
    }

    It 'keeps going through the pipeline when one identity does not exist' {
        $err = $null
        $r = @('nobody-here', "np$run") | Get-TssrUser -ErrorVariable err -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DirectoryUserNotFound*'
        $err[0].TargetObject | Should -Be 'nobody-here'
    }
}

Describe 'Passwords' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }
    BeforeAll {
        if ($ready) { $null = New-TssrUser -Name 'Password User' -SamAccountName "pw$run" -Path $ou -AccountPassword (New-TestPassword) -Enabled $true -Confirm:$false }
    }

    It 'maps a policy violation (0000052D) to a clear error and changes nothing' {
        $err = $null
        Reset-TssrUserPassword -Identity "pw$run" -NewPassword (ConvertTo-SecureString 'abc' -AsPlainText -Force) -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'LdapPasswordPolicyViolation*'
        $err[0].ErrorDetails.Message | Should -Not -BeLike '*abc*'
        # The one rule that failed, not the four at once.
        "$($err[0])" | Should -BeLike '*shorter than*7*'
        "$($err[0])" | Should -Not -BeLike '*history*'
        $err = $null
        Reset-TssrUserPassword -Identity "pw$run" -NewPassword (ConvertTo-SecureString 'abcdefghij1' -AsPlainText -Force) -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        "$($err[0])" | Should -BeLike '*complexity*'
        "$($err[0])" | Should -Not -BeLike '*shorter*'
    }

    It 'generates a password that satisfies the policy, returned once as a SecureString, and the user can bind with it' {
        $r = Reset-TssrUserPassword -Identity "pw$run" -Confirm:$false
        $r.Generated | Should -BeTrue
        $r.Password | Should -BeOfType [securestring]
        $r.Password.Length | Should -BeGreaterOrEqual 16
        $userCred = [pscredential]::new("pw$run@tssr.lab", $r.Password)
        $s = Connect-TssrDirectory -Server localhost -Credential $userCred -TrustedCertificatePath $ca -NoDefault
        $s.UserName | Should -Be "pw$run@tssr.lab"
        Disconnect-TssrDirectory -Session $s
    }

    It 'never prints the password, even with -Verbose' {
        $text = Reset-TssrUserPassword -Identity "pw$run" -Confirm:$false -Verbose 4>&1 | Out-String
        $r = Reset-TssrUserPassword -Identity "pw$run" -Confirm:$false
        $plain = [Net.NetworkCredential]::new('', $r.Password).Password
        ($r | Format-List * | Out-String) | Should -Not -BeLike "*$plain*"
        $text | Should -Match 'System.Security.SecureString'
    }

    It 'sets must-change-at-logon with -ChangePasswordAtLogon' {
        $null = Reset-TssrUserPassword -Identity "pw$run" -ChangePasswordAtLogon $true -Confirm:$false
        (Get-TssrUser -Identity "pw$run").MustChangePassword | Should -BeTrue
    }
}

Describe 'Lockout' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'locks a user by failed binds, reports it, then unlocks it' {
        $pw = New-TestPassword
        $null = New-TssrUser -Name 'Lock Me' -SamAccountName "lk$run" -Path $ou -AccountPassword $pw -Enabled $true -Confirm:$false
        $bad = [pscredential]::new("lk$run@tssr.lab", (ConvertTo-SecureString 'Wrong-Password-1' -AsPlainText -Force))
        1..4 | ForEach-Object {
            { Connect-TssrDirectory -Server localhost -Credential $bad -TrustedCertificatePath $ca -NoDefault } | Should -Throw -ErrorId 'Directory*'
        }
        $u = Get-TssrUser -Identity "lk$run"
        $u.LockedOut | Should -BeTrue
        $u.LockoutTime | Should -Not -BeNullOrEmpty
        $good = [pscredential]::new("lk$run@tssr.lab", $pw)
        { Connect-TssrDirectory -Server localhost -Credential $good -TrustedCertificatePath $ca -NoDefault } | Should -Throw
        (Unlock-TssrUser -Identity "lk$run" -PassThru -Confirm:$false).LockedOut | Should -BeFalse
        $s = Connect-TssrDirectory -Server localhost -Credential $good -TrustedCertificatePath $ca -NoDefault
        Disconnect-TssrDirectory -Session $s
    }
}

Describe 'Search-TssrAccount' {
    BeforeAll {
        if ($ready) {
            $null = New-TssrUser -Name 'Search Disabled' -SamAccountName "sd$run" -Path $ou -Confirm:$false
            $null = New-TssrUser -Name 'Search Expired' -SamAccountName "sx$run" -Path $ou -AccountPassword (New-TestPassword) -Enabled $true -AccountExpirationDate (Get-Date).AddDays(-2) -Confirm:$false
            $null = New-TssrUser -Name 'Search Never' -SamAccountName "sn$run" -Path $ou -AccountPassword (New-TestPassword) -Enabled $true -PasswordNeverExpires $true -Confirm:$false
            $null = New-TssrUser -Name 'Search MustChange' -SamAccountName "sm$run" -Path $ou -AccountPassword (New-TestPassword) -Enabled $true -ChangePasswordAtLogon $true -Confirm:$false
            $script:stalePw = New-TestPassword
            $stale = New-TssrUser -Name 'Search Stale' -SamAccountName "ss$run" -Path $ou -AccountPassword $stalePw -Enabled $true -PassThru -Confirm:$false
            # A fine-grained policy with a 3-second lockout, made with the anchor tool, so that a
            # lockout ends while lockoutTime stays set (the stale value a naive search reports).
            $script:pso = New-TestPso -Name "Pso-$run" -AppliesTo $stale.DistinguishedName -LockoutThreshold 2 -LockoutSeconds 3 -MinimumLength 7
        }
    }
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It '-Disabled, -Expired, -PasswordNeverExpires and -PasswordExpired each find their account and only it' {
        $d = @(Search-TssrAccount -Disabled -SearchBase $ou).SamAccountName
        $d | Should -Contain "sd$run"; $d | Should -Not -Contain "sx$run"
        $x = @(Search-TssrAccount -Expired -SearchBase $ou)
        $x.SamAccountName | Should -Be @("sx$run")
        $x[0].Criterion | Should -Be 'Expired'
        # The expiry date of the password is given whatever the criterion, as the diagnostic gives it.
        $x[0].PasswordExpires | Should -Not -BeNullOrEmpty
        $x[0].PasswordExpires | Should -Be (Get-TssrUserDiagnostic -Identity "sx$run").PasswordExpires
        $x[0].PasswordExpires | Should -Be (Get-TssrUser -Identity "sx$run").PasswordExpires
        @(Search-TssrAccount -PasswordNeverExpires -SearchBase $ou).SamAccountName | Should -Be @("sn$run")
        $p = @(Search-TssrAccount -PasswordExpired -SearchBase $ou).SamAccountName
        $p | Should -Contain "sm$run"; $p | Should -Not -Contain "sn$run"; $p | Should -Not -Contain "ss$run"
    }

    It '-Inactive 90 means 90 days, not ticks, and the lastLogonTimestamp lag is stated' {
        # Fresh accounts have never logged on and were created now: not inactive for 90 days.
        @(Search-TssrAccount -Inactive 90 -SearchBase $ou).Count | Should -Be 0
        Start-Sleep -Seconds 2
        $r = @(Search-TssrAccount -Inactive ([TimeSpan]::FromSeconds(1)) -SearchBase $ou)
        $r.SamAccountName | Should -Contain "sd$run"
        $r[0].LastLogonLagDays | Should -Be 14
        $r[0].Note | Should -BeLike '*14*msDS-LogonTimeSyncInterval*'
        { Search-TssrAccount -Inactive 0 -SearchBase $ou } | Should -Throw -ErrorId 'DirectoryInactiveSpanInvalid*'
    }

    It '-LockedOut finds a locked account, and not once its lockout has expired although lockoutTime stays set' {
        $bad = [pscredential]::new("ss$run@tssr.lab", (ConvertTo-SecureString 'Wrong-Password-1' -AsPlainText -Force))
        1..3 | ForEach-Object { { Connect-TssrDirectory -Server localhost -Credential $bad -TrustedCertificatePath $ca -NoDefault } | Should -Throw }
        $locked = @(Search-TssrAccount -LockedOut -SearchBase $ou)
        $locked.SamAccountName | Should -Contain "ss$run"
        ($locked | Where-Object SamAccountName -eq "ss$run").LockoutEnd | Should -Not -BeNullOrEmpty
        Start-Sleep -Seconds 5
        $u = Get-TssrUser -Identity "ss$run"
        $u.LockoutTime | Should -Not -BeNullOrEmpty
        $u.LockedOut | Should -BeFalse
        $u.LockoutEnd | Should -BeNullOrEmpty
        @(Search-TssrAccount -LockedOut -SearchBase $ou).SamAccountName | Should -Not -Contain "ss$run"
    }

    It 'Unlock-TssrUser on a lockout that has already ended leaves the account alone and says so, -WhatIf included' {
        # ss$run: its 3-second lockout ended in the test above; lockoutTime is still set.
        $before = & env "LDAPTLS_CACERT=$ca" ldapsearch -LLL -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x -b $ou "(sAMAccountName=ss$run)" lockoutTime
        ($before -match '^lockoutTime: [1-9]') | Should -Not -BeNullOrEmpty
        $verbose = Unlock-TssrUser -Identity "ss$run" -Confirm:$false -Verbose 4>&1 | Out-String
        $verbose | Should -BeLike '*not locked out*already ended*Nothing to do*'
        $after = & env "LDAPTLS_CACERT=$ca" ldapsearch -LLL -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x -b $ou "(sAMAccountName=ss$run)" lockoutTime
        ($after -match '^lockoutTime:') | Should -Be ($before -match '^lockoutTime:')
        $r = Invoke-TssrPwsh -Raw -Script @"
`$p = ConvertTo-SecureString (Get-Content -Raw '$($lab.AdminPasswordFile)') -AsPlainText -Force
`$null = Connect-TssrDirectory -Server localhost -Credential ([pscredential]::new('$($lab.AdminUser)', `$p)) -TrustedCertificatePath '$ca'
Unlock-TssrUser -Identity 'ss$run' -WhatIf
Enable-TssrUser -Identity 'sn$run' -WhatIf
Reset-TssrUserPassword -Identity 'sn$run' -ChangePasswordAtLogon `$true -WhatIf
Disable-TssrUser -Identity 'sn$run' -WhatIf
"@
        $r.Output | Should -BeLike '*What if:*not locked out*Nothing to do*'
        $r.Output | Should -BeLike '*What if:*already enabled*'
        # Sentences naming the account, on the DN as target.
        $r.Output | Should -BeLike "*Reset the password of sn$run, who must change it at next logon*CN=Search Never,$ou*"
        $r.Output | Should -BeLike "*Disable the account sn$run*"
        (Get-TssrUser -Identity "sn$run").Enabled | Should -BeTrue
    }
}

Describe 'Get-TssrUserDiagnostic' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }
    BeforeAll {
        if ($ready) {
            $null = New-TssrUser -Name 'Diag Healthy' -SamAccountName "dh$run" -Path $ou -AccountPassword (New-TestPassword) -Enabled $true -Confirm:$false
            Add-TssrGroupMember -Identity "Helpdesk-$run" -Members "dh$run" -Confirm:$false
            $null = New-TssrUser -Name 'Diag Locked' -SamAccountName "dl$run" -Path $ou -AccountPassword (New-TestPassword) -Enabled $true -Confirm:$false
        }
    }

    It 'a healthy user can log on, with its nested groups counted' {
        $d = Get-TssrUserDiagnostic -Identity "dh$run"
        $d.Exists | Should -BeTrue
        $d.CanLogOn | Should -BeTrue
        $d.Problems | Should -BeNullOrEmpty
        $d.GroupCount | Should -BeGreaterOrEqual 3   # Domain Users, Helpdesk, Outer (nested)
        $d.Explanation[0] | Should -BeLike '*Nothing*prevents*'
    }

    It 'a disabled user: Disabled' {
        $d = Get-TssrUserDiagnostic -Identity "sd$run"
        $d.CanLogOn | Should -BeFalse
        $d.Problems | Should -Contain 'Disabled'
        # Every problem comes with the command that fixes it, naming the account.
        $d.Explanation -join ' ' | Should -BeLike "*Enable-TssrUser -Identity sd$run*"
    }

    It 'a locked user: LockedOut, until when, and the bad password count' {
        $bad = [pscredential]::new("dl$run@tssr.lab", (ConvertTo-SecureString 'Wrong-Password-1' -AsPlainText -Force))
        1..3 | ForEach-Object { { Connect-TssrDirectory -Server localhost -Credential $bad -TrustedCertificatePath $ca -NoDefault } | Should -Throw }
        $d = Get-TssrUserDiagnostic -Identity "dl$run"
        $d.Problems | Should -Contain 'LockedOut'
        $d.LockoutEnd | Should -BeGreaterThan $d.LockoutTime
        ($d.LockoutEnd - $d.LockoutTime).TotalMinutes | Should -Be 30
        $d.LastBadPasswordAttempt | Should -Not -BeNullOrEmpty
        $d.Explanation -join ' ' | Should -BeLike "*locked out*Unlock-TssrUser -Identity dl$run*"
    }

    It 'an expired account: AccountExpired' {
        $d = Get-TssrUserDiagnostic -Identity "sx$run"
        $d.Problems | Should -Be @('AccountExpired')
        $d.AccountExpirationDate | Should -BeLessThan (Get-Date).ToUniversalTime()
        $d.Explanation -join ' ' | Should -BeLike "*Set-TssrUser -Identity sx$run -AccountExpirationDate*"
    }

    It 'a must-change user: MustChangePassword' {
        $d = Get-TssrUserDiagnostic -Identity "sm$run"
        $d.Problems | Should -Be @('MustChangePassword')
        $d.MustChangePassword | Should -BeTrue
        $d.Explanation -join ' ' | Should -BeLike "*Reset-TssrUserPassword -Identity sm$run*"
    }

    It 'must change with a password that never expires (uac 66048, pwdLastSet=0): the DC ignores it, so no false block' {
        $pw = New-TestPassword
        $u = New-TssrUser -Name 'Diag NeverMust' -SamAccountName "dn$run" -Path $ou -AccountPassword $pw -Enabled $true -PasswordNeverExpires $true -PassThru -Confirm:$false
        # pwdLastSet=0 written with the anchor tool, beside DONT_EXPIRE_PASSWORD.
        "dn: $($u.DistinguishedName)`nchangetype: modify`nreplace: pwdLastSet`npwdLastSet: 0`n-`n" |
            & env "LDAPTLS_CACERT=$ca" ldapmodify -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x *> $null
        $LASTEXITCODE | Should -Be 0
        $raw = & env "LDAPTLS_CACERT=$ca" ldapsearch -LLL -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x -b $u.DistinguishedName -s base '(objectClass=*)' userAccountControl pwdLastSet msDS-User-Account-Control-Computed
        $raw | Should -Contain 'userAccountControl: 66048'
        $raw | Should -Contain 'pwdLastSet: 0'
        $raw | Should -Contain 'msDS-User-Account-Control-Computed: 0'
        $g = Get-TssrUser -Identity "dn$run"
        $g.MustChangePassword | Should -BeFalse
        $g.PasswordNeverExpires | Should -BeTrue
        $d = Get-TssrUserDiagnostic -Identity "dn$run"
        $d.Problems | Should -Not -Contain 'MustChangePassword'
        $d.CanLogOn | Should -BeTrue
        @(Search-TssrAccount -PasswordExpired -SearchBase $ou).SamAccountName | Should -Not -Contain "dn$run"
        # The oracle: the DC accepts a bind with that password.
        $s = Connect-TssrDirectory -Server localhost -Credential ([pscredential]::new("dn$run@tssr.lab", $pw)) -TrustedCertificatePath $ca -NoDefault
        Disconnect-TssrDirectory -Session $s
    }

    It 'wrong passwords count until the lockout observation window has passed, then the DC counts from 0' {
        $pw = New-TestPassword
        $u = New-TssrUser -Name 'Diag Window' -SamAccountName "ow$run" -Path $ou -AccountPassword $pw -Enabled $true -PassThru -Confirm:$false
        # The test's PSO (threshold 2, observation window 3 s) applies to this user too.
        "dn: $pso`nchangetype: modify`nadd: msDS-PSOAppliesTo`nmsDS-PSOAppliesTo: $($u.DistinguishedName)`n-`n" |
            & env "LDAPTLS_CACERT=$ca" ldapmodify -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x *> $null
        $LASTEXITCODE | Should -Be 0
        $bad = [pscredential]::new("ow$run@tssr.lab", (ConvertTo-SecureString 'Wrong-Password-1' -AsPlainText -Force))
        { Connect-TssrDirectory -Server localhost -Credential $bad -TrustedCertificatePath $ca -NoDefault } | Should -Throw
        $d = Get-TssrUserDiagnostic -Identity "ow$run"
        $d.BadLogonCount | Should -Be 1
        $d.LockoutThreshold | Should -Be 2
        # Same rule in Get-TssrUser (by identity and by filter) and Search-TssrAccount.
        $g = Get-TssrUser -Identity "ow$run"
        $g.BadLogonCount | Should -Be 1
        $g.BadLogonCountReset | Should -Be $d.BadLogonCountReset
        (Get-TssrUser -SearchBase $ou -Filter "SamAccountName -eq 'ow$run'").BadLogonCount | Should -Be 1
        $d.Problems | Should -Contain 'NearLockout'
        $d.BadLogonCountReset | Should -Not -BeNullOrEmpty
        ($d.BadLogonCountReset - $d.LastBadPasswordAttempt).TotalSeconds | Should -Be 3
        $d.Explanation -join ' ' | Should -BeLike "*falls back to 0*Reset-TssrUserPassword -Identity ow$run*"
        Start-Sleep -Seconds 4
        $d = Get-TssrUserDiagnostic -Identity "ow$run"
        $d.BadLogonCount | Should -Be 0
        $d.BadLogonCountReset | Should -BeNullOrEmpty
        (Get-TssrUser -Identity "ow$run").BadLogonCount | Should -Be 0
        (Get-TssrUser -SearchBase $ou -Filter "SamAccountName -eq 'ow$run'").BadLogonCount | Should -Be 0
        @(Search-TssrAccount -Inactive ([TimeSpan]::FromSeconds(1)) -SearchBase $ou | Where-Object SamAccountName -eq "ow$run").BadLogonCount | Should -Be 0
        $d.Problems | Should -Not -Contain 'NearLockout'
        $d.CanLogOn | Should -BeTrue
        # The oracle: one more wrong password after the window does not lock (threshold 2), the right one binds.
        { Connect-TssrDirectory -Server localhost -Credential $bad -TrustedCertificatePath $ca -NoDefault } | Should -Throw
        $s = Connect-TssrDirectory -Server localhost -Credential ([pscredential]::new("ow$run@tssr.lab", $pw)) -TrustedCertificatePath $ca -NoDefault
        Disconnect-TssrDirectory -Session $s
    }

    It 'a PSO this account may not read: PolicyReadable false, empty settings, no conclusion drawn from them' {
        # A normal (non-admin) account sees msDS-ResultantPSO on a user but reads none of the PSO's settings.
        $viewerPw = New-TestPassword
        $null = New-TssrUser -Name 'Diag Viewer' -SamAccountName "vw$run" -Path $ou -AccountPassword $viewerPw -Enabled $true -Confirm:$false
        $target = New-TssrUser -Name 'Diag Hidden Pso' -SamAccountName "hp$run" -Path $ou -AccountPassword (New-TestPassword) -Enabled $true -PassThru -Confirm:$false
        $hidden = New-TestPso -Name "PsoHidden-$run" -AppliesTo $target.DistinguishedName -LockoutThreshold 4 -LockoutSeconds 600 -MinimumLength 9
        $bad = [pscredential]::new("hp$run@tssr.lab", (ConvertTo-SecureString 'Wrong-Password-1' -AsPlainText -Force))
        { Connect-TssrDirectory -Server localhost -Credential $bad -TrustedCertificatePath $ca -NoDefault } | Should -Throw
        # The oracle: what the non-admin account reads with ldapsearch.
        $raw = & env "LDAPTLS_CACERT=$ca" ldapsearch -LLL -o ldif_wrap=no -H ldaps://localhost -D "vw$run@tssr.lab" -w ([pscredential]::new('x', $viewerPw).GetNetworkCredential().Password) -x -b $hidden -s base '(objectClass=*)' msDS-LockoutThreshold msDS-MinimumPasswordLength
        $LASTEXITCODE | Should -Be 0
        ($raw -match '^msDS-') | Should -BeNullOrEmpty
        $viewer = Connect-TssrDirectory -Server localhost -Credential ([pscredential]::new("vw$run@tssr.lab", $viewerPw)) -TrustedCertificatePath $ca -NoDefault
        try {
            $d = Get-TssrUserDiagnostic -Identity "hp$run" -Session $viewer
            $d.PolicySource | Should -Be $hidden
            $d.PolicyReadable | Should -BeFalse
            $d.LockoutThreshold | Should -BeNullOrEmpty
            $d.MinimumPasswordLength | Should -BeNullOrEmpty
            $d.BadLogonCount | Should -Be 1
            $d.Problems | Should -Not -Contain 'NearLockout'
            $d.CanLogOn | Should -BeTrue
            $text = $d.Explanation -join ' '
            $text | Should -BeLike "*$hidden*could not be read with this account*"
            $text | Should -Not -BeLike '*out of 0*'
            ($d | Format-List | Out-String) | Should -Match 'PolicyReadable\s*:\s*False'
            # Get-TssrUser and Search-TssrAccount do not judge the count by the domain's policy in the PSO's place.
            (Get-TssrUser -Identity "hp$run" -Session $viewer).BadLogonCountReset | Should -BeNullOrEmpty
        }
        finally { Disconnect-TssrDirectory -Session $viewer }
        # The same user read by an administrator: the PSO's real settings.
        $a = Get-TssrUserDiagnostic -Identity "hp$run"
        $a.PolicyReadable | Should -BeTrue
        $a.LockoutThreshold | Should -Be 4
        $a.MinimumPasswordLength | Should -Be 9
        $a.Problems | Should -Contain 'NearLockout'
        ($a.Explanation -join ' ') | Should -BeLike '*1 wrong password(s) out of 4*'
        (Get-TssrUser -Identity "hp$run").BadLogonCountReset | Should -Not -BeNullOrEmpty
    }

    It 'logon hours that forbid now, and a workstation restriction' {
        $u = New-TssrUser -Name 'Diag Hours' -SamAccountName "dw$run" -Path $ou -AccountPassword (New-TestPassword) -Enabled $true -PassThru -Confirm:$false
        # 21 zero bytes: no hour of the week allowed. Written with the anchor tool.
        "dn: $($u.DistinguishedName)`nchangetype: modify`nreplace: logonHours`nlogonHours:: $('A' * 28)`n-`nreplace: userWorkstations`nuserWorkstations: PC-COMPTA-01,PC-COMPTA-02`n-`n" |
            & env "LDAPTLS_CACERT=$ca" ldapmodify -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x *> $null
        $LASTEXITCODE | Should -Be 0
        $d = Get-TssrUserDiagnostic -Identity "dw$run"
        $d.Problems | Should -Contain 'OutsideLogonHours'
        $d.Problems | Should -Contain 'WorkstationRestricted'
        $d.LogonWorkstations | Should -Be 'PC-COMPTA-01,PC-COMPTA-02'
        $d.CanLogOn | Should -BeFalse
        # Each problem names the command that fixes it, and that command does.
        $d.Explanation -join ' ' | Should -BeLike "*Set-TssrUser -Identity dw$run -ClearLogonHours*"
        $d.Explanation -join ' ' | Should -BeLike "*Set-TssrUser -Identity dw$run -LogonWorkstations*"
        Set-TssrUser -Identity "dw$run" -ClearLogonHours -LogonWorkstations '' -Confirm:$false
        $d = Get-TssrUserDiagnostic -Identity "dw$run"
        $d.Problems | Should -BeNullOrEmpty
        $d.CanLogOn | Should -BeTrue
        (Get-TssrUser -Identity "dw$run").LogonHoursRestricted | Should -BeFalse
    }

    It 'an unknown user: Exists is false, no error' {
        $d = Get-TssrUserDiagnostic -Identity "nobody$run"
        $d.Exists | Should -BeFalse
        $d.Problems | Should -Be @('NotFound')
        $d.Explanation -join ' ' | Should -BeLike "*Get-TssrUser -Filter ""Name -like '*nobody$run*'""*"
    }

    It 'explains in French' {
        $r = Invoke-TssrPwsh -Culture fr-FR -Raw -Script @"
`$p = ConvertTo-SecureString (Get-Content -Raw '$($lab.AdminPasswordFile)') -AsPlainText -Force
`$null = Connect-TssrDirectory -Server localhost -Credential ([pscredential]::new('$($lab.AdminUser)', `$p)) -TrustedCertificatePath '$ca'
(Get-TssrUserDiagnostic -Identity 'sd$run').Explanation
"@
        $r.Output | Should -BeLike '*Le compte est désactivé*'
    }
}

Describe 'Group membership' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'adds members, and adding one already there is not an error' {
        $null = New-TssrUser -Name 'Member One' -SamAccountName "m1$run" -Path $ou -Confirm:$false
        Add-TssrGroupMember -Identity "Helpdesk-$run" -Members "m1$run" -Confirm:$false
        { Add-TssrGroupMember -Identity "Helpdesk-$run" -Members "m1$run" -Confirm:$false -ErrorAction Stop } | Should -Not -Throw
        (Get-TssrGroupMember -Identity "Helpdesk-$run").SamAccountName | Should -Contain "m1$run"
    }

    It 'lists nested members with -Recursive only, as RSAT: leaves only, with the chain of groups' {
        $direct = @(Get-TssrGroupMember -Identity "Outer-$run")
        $direct.SamAccountName | Should -Not -Contain "m1$run"
        $direct.SamAccountName | Should -Contain "Helpdesk-$run"
        $all = @(Get-TssrGroupMember -Identity "Outer-$run" -Recursive)
        $all.SamAccountName | Should -Contain "m1$run"
        $all.SamAccountName | Should -Not -Contain "Helpdesk-$run"
        ($all | Where-Object SamAccountName -eq "m1$run").Via | Should -Be "Outer-$run > Helpdesk-$run"
    }

    It '-Recursive through a cycle of nested groups: each leaf once, the cycle warned once, never the group itself' {
        $ldif = @"
dn: CN=CycA-$run,$ou
objectClass: group
sAMAccountName: CycA-$run

dn: CN=CycB-$run,$ou
objectClass: group
sAMAccountName: CycB-$run
member: CN=CycA-$run,$ou

dn: CN=CycC-$run,$ou
objectClass: group
sAMAccountName: CycC-$run
member: CN=CycB-$run,$ou
"@
        $ldif | & env "LDAPTLS_CACERT=$ca" ldapadd -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x *> $null
        $LASTEXITCODE | Should -Be 0
        $u1 = New-TssrUser -Name 'Cycle One' -SamAccountName "c1$run" -Path $ou -PassThru -Confirm:$false
        $u2 = New-TssrUser -Name 'Cycle Two' -SamAccountName "c2$run" -Path $ou -PassThru -Confirm:$false
        # A > C > B > A, c1 in A and in B, c2 in C.
        "dn: CN=CycA-$run,$ou`nchangetype: modify`nadd: member`nmember: CN=CycC-$run,$ou`nmember: $($u1.DistinguishedName)`n-`n`ndn: CN=CycB-$run,$ou`nchangetype: modify`nadd: member`nmember: $($u1.DistinguishedName)`n-`n`ndn: CN=CycC-$run,$ou`nchangetype: modify`nadd: member`nmember: $($u2.DistinguishedName)`n-`n" |
            & env "LDAPTLS_CACERT=$ca" ldapmodify -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x *> $null
        $LASTEXITCODE | Should -Be 0
        $warnings = $null
        $r = @(Get-TssrGroupMember -Identity "CycA-$run" -Recursive -WarningVariable warnings -WarningAction SilentlyContinue)
        ($r.SamAccountName | Sort-Object) | Should -Be (@("c1$run", "c2$run") | Sort-Object)
        ($r | Where-Object SamAccountName -eq "c1$run").Via | Should -Be "CycA-$run"
        ($r | Where-Object SamAccountName -eq "c2$run").Via | Should -Be "CycA-$run > CycC-$run"
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "*cycle*CycA-$run > CycC-$run > CycB-$run > CycA-$run*"
    }

    It 'counts the members by primary group, as the DC does (Domain Users)' {
        # The oracle: members by the member attribute plus accounts whose primaryGroupID is 513.
        $raw = & env "LDAPTLS_CACERT=$ca" ldapsearch -LLL -E pr=500/noprompt -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x -b $lab.BaseDn `
            '(|(primaryGroupID=513)(memberOf=CN=Domain Users,CN=Users,DC=tssr,DC=lab))' dn
        $expected = @($raw | Where-Object { $_ -match '^dn::? ' }).Count   # dn:: is a base64 DN (accented names)
        $expected | Should -BeGreaterThan 10
        @(Get-TssrGroupMember -Identity 'Domain Users').Count | Should -Be $expected
        (Get-TssrGroupMember -Identity 'Domain Users').SamAccountName | Should -Contain "np$run"
    }

    It 'takes members from the pipeline and removes them; removing an absent one is not an error' {
        Get-TssrUser -Identity "m1$run" | Remove-TssrGroupMember -Identity "Helpdesk-$run" -Confirm:$false
        (Get-TssrGroupMember -Identity "Helpdesk-$run").SamAccountName | Should -Not -Contain "m1$run"
        { Remove-TssrGroupMember -Identity "Helpdesk-$run" -Members "m1$run" -Confirm:$false -ErrorAction Stop } | Should -Not -Throw
    }

    It '-WhatIf changes nothing' {
        $r = Invoke-WhatIfRecorded { param($Group, $Member) Add-TssrGroupMember -Identity $Group -Members $Member -WhatIf } @{ Group = "Helpdesk-$run"; Member = "m1$run" }
        $r.Host | Should -BeLike "What if:*to this group*CN=Helpdesk-$run,*"
        (Get-TssrGroupMember -Identity "Helpdesk-$run").SamAccountName | Should -Not -Contain "m1$run"
    }
}

Describe 'Import-TssrUser' {
    BeforeAll {
        if ($ready) {
            $null = New-TssrUser -Name 'Upn Owner' -SamAccountName "uo$run" -Path $ou -UserPrincipalName "taken-$run@tssr.lab" -Confirm:$false
            $script:csv = Join-Path ([IO.Path]::GetTempPath()) "tssr-import-$run.csv"
            $lines = [Collections.Generic.List[string]]::new()
            $lines.Add('SamAccountName;Prénom;Nom;DisplayName;OU;Groupes;MotDePasse;Actif;Service')
            $script:invalidRows = @{}
            $bad = @{
                11  = "$('x' * 21);Long;Login;;;;;;Imp$run"
                22  = "a/b$run;Slash;Login;;;;;;Imp$run"
                33  = "i$run-m;Missing;;;;;;;Imp$run"
                44  = "i$run-1;Dup;Login;;;;;;Imp$run"
                55  = "i$run-g;No;Group;;;NoSuchGroup-$run;;;Imp$run"
                66  = "i$run-o;No;Ou;;OU=Nope,$ou;;;;Imp$run"
                77  = "i$run-s;Bad;Suffix;;;;;;Imp$run"
                88  = "i$run-w;Weak;Password;;;;abc;oui;Imp$run"
                99  = "i$run-e;Enabled;NoPassword;;;;;oui;Imp$run"
                110 = "i$run-u;Upn;Taken;;;;;;Imp$run"
            }
            for ($i = 1; $i -le 200; $i++) {
                if ($bad.ContainsKey($i)) {
                    $line = $bad[$i]
                    if ($i -eq 77) { $line = $line -replace '^([^;]*)', '$1' }
                    $lines.Add($line); $invalidRows[$i + 1] = $true; continue
                }
                $group = if ($i % 10 -eq 0) { "Helpdesk-$run" } else { '' }
                $pw = if ($i % 2 -eq 0) { "Pw1!-$run-$i" } else { '' }
                $enabled = if ($i % 2 -eq 0) { 'oui' } else { 'non' }
                if ($i % 20 -eq 3) { $lines.Add(";Zé;Ñúñez-$run-$i;;$ou;$group;$pw;$enabled;Imp$run") }
                else { $lines.Add("i$run-$i;Élodie;Dupré $i;;$ou;$group;$pw;$enabled;Imp$run") }
            }
            # Row 77 (line 78): a UPN whose suffix the forest does not allow; row 110 (line 111): a UPN another account holds.
            $header = $lines[0] + ';UPN'
            $lines[0] = $header
            for ($j = 1; $j -lt $lines.Count; $j++) {
                $lines[$j] += switch ($j) { 77 { ";x$run@evil.example" } 110 { ";taken-$run@tssr.lab" } default { ';' } }
            }
            [IO.File]::WriteAllLines($csv, $lines, [Text.UTF8Encoding]::new($true))
        }
    }
    AfterAll { if ($script:csv) { Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue } }
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It '-WhatIf shows the whole plan (190 Create, 10 Invalid by row) and changes nothing' {
        $r = Invoke-WhatIfRecorded { param($Path, $Ou) Import-TssrUser -Path $Path -TargetOU $Ou -WhatIf } @{ Path = $csv; Ou = $ou }
        $r.Host | Should -BeLike '*What if:*190 to create, 0 to update (0 unchanged, 10 invalid)*'
        $plan = $r.Output
        $err = $r.Errors
        $plan.Count | Should -Be 200
        @($plan | Where-Object Action -eq 'Create').Count | Should -Be 190
        $invalid = @($plan | Where-Object Action -eq 'Invalid')
        $invalid.Count | Should -Be 10
        ($invalid.Row | Sort-Object) | Should -Be ($invalidRows.Keys | Sort-Object)
        @($err).Count | Should -Be 10
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CsvRowInvalid*'
        $err[0].TargetObject | Should -BeLike "$csv`:*"
        @(Get-TssrUser -SearchBase $ou -LDAPFilter "(department=Imp$run)").Count | Should -Be 0
        ($plan | Where-Object Row -eq 12).Reasons -join ' ' | Should -BeLike '*21*20*'
        ($plan | Where-Object Row -eq 45).Reasons -join ' ' | Should -BeLike '*row 2*'
        ($plan | Where-Object Row -eq 56).Reasons -join ' ' | Should -BeLike "*NoSuchGroup-$run*"
        ($plan | Where-Object Row -eq 78).Reasons -join ' ' | Should -BeLike '*evil.example*'
        ($plan | Where-Object Row -eq 89).Reasons -join ' ' | Should -Not -BeLike '*abc*'
        ($plan | Where-Object Row -eq 111).Reasons -join ' ' | Should -BeLike "*uo$run*"
    }

    It 'applies 190 rows, reports the 10 invalid ones by file:row, transliterates logins and keeps accents in names' {
        $err = $null
        $result = @(Import-TssrUser -Path $csv -TargetOU $ou -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue)
        @($result | Where-Object Outcome -eq 'Done').Count | Should -Be 190
        @($err).Count | Should -Be 10
        ($err.TargetObject | Sort-Object { [int]($_ -split ':')[-1] }) | Should -Be ($invalidRows.Keys | Sort-Object | ForEach-Object { "$csv`:$_" })
        @(Get-TssrUser -SearchBase $ou -LDAPFilter "(department=Imp$run)").Count | Should -Be 190
        $z = Get-TssrUser -Identity "ze.nunez-$($run.ToLower())-3"
        $z.DisplayName | Should -BeExactly "Zé Ñúñez-$run-3"
        $z.Enabled | Should -BeFalse
        (Get-TssrUser -Identity "i$run-2").Enabled | Should -BeTrue
        (Get-TssrGroupMember -Identity "Helpdesk-$run").SamAccountName | Should -Contain "i$run-10"
        # The password set is the one of the file: the user binds with it.
        $s = Connect-TssrDirectory -Server localhost -Credential ([pscredential]::new("i$run-2@tssr.lab", (ConvertTo-SecureString "Pw1!-$run-2" -AsPlainText -Force))) -TrustedCertificatePath $ca -NoDefault
        Disconnect-TssrDirectory -Session $s
    }

    It 're-running the same file makes 0 changes' {
        $result = @(Import-TssrUser -Path $csv -TargetOU $ou -Confirm:$false -ErrorAction SilentlyContinue)
        @($result | Where-Object { $_.Action -in 'Create', 'Update' }).Count | Should -Be 0
        @($result | Where-Object Action -eq 'Unchanged').Count | Should -Be 190
    }

    It 'takes Import-Csv objects from the pipeline, and updates only what changed' {
        $rows = Import-Csv -LiteralPath $csv -Delimiter ';' -Encoding utf8
        $rows[0].Service = "Changed$run"
        $result = @($rows | Import-TssrUser -TargetOU $ou -Confirm:$false -ErrorAction SilentlyContinue)
        $update = @($result | Where-Object Action -eq 'Update')
        $update.Count | Should -Be 1
        $update[0].Row | Should -Be 2
        $update[0].Changes | Should -Be @('department')
        $update[0].Target | Should -Be '<input>:2'
        (Get-TssrUser -Identity "i$run-1").Department | Should -Be "Changed$run"
    }

    It "moves an existing account to the OU its row names, keeps its groups, and then makes 0 changes" {
        $sub = "OU=Moved-$run,$ou"
        "dn: $sub`nobjectClass: organizationalUnit`n" | & env "LDAPTLS_CACERT=$ca" ldapadd -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x *> $null
        $f = Join-Path ([IO.Path]::GetTempPath()) "tssr-import-move-$run.csv"
        try {
            Set-Content -LiteralPath $f -Encoding utf8 -Value @(
                'SamAccountName,GivenName,Surname,DisplayName,OU,Groups'
                "mv$run,Marie,Depart,Marie Depart $run,`"$ou`",Helpdesk-$run")
            $null = Import-TssrUser -Path $f -Confirm:$false
            (Get-TssrUser -Identity "mv$run").DistinguishedName | Should -Be "CN=Marie Depart $run,$ou"
            # Same row, other OU: planned as an update that says where from and where to.
            (Get-Content -LiteralPath $f) -replace [regex]::Escape("`"$ou`""), "`"$sub`"" | Set-Content -LiteralPath $f -Encoding utf8
            $r = Invoke-WhatIfRecorded { param($Path) Import-TssrUser -Path $Path -WhatIf } @{ Path = $f }
            $r.Host | Should -BeLike '*What if:*0 to create, 1 to update*'
            $plan = $r.Output
            $plan.Action | Should -Be 'Update'
            $plan.Changes -join ' ' | Should -BeLike "*$ou*$sub*"
            (Get-TssrUser -Identity "mv$run").DistinguishedName | Should -Be "CN=Marie Depart $run,$ou"
            $r = Import-TssrUser -Path $f -Confirm:$false
            $r.Outcome | Should -Be 'Done'
            $r.DistinguishedName | Should -Be "CN=Marie Depart $run,$sub"
            (Get-TssrUser -Identity "mv$run").DistinguishedName | Should -Be "CN=Marie Depart $run,$sub"
            (Get-TssrGroupMember -Identity "Helpdesk-$run").SamAccountName | Should -Contain "mv$run"
            (Import-TssrUser -Path $f -Confirm:$false).Action | Should -Be 'Unchanged'
            # Without an OU column, -TargetOU alone never moves an existing account.
            Set-Content -LiteralPath $f -Encoding utf8 -Value @('SamAccountName,GivenName,Surname,DisplayName', "mv$run,Marie,Depart,Marie Depart $run")
            (Import-TssrUser -Path $f -TargetOU $ou -Confirm:$false).Action | Should -Be 'Unchanged'
            (Get-TssrUser -Identity "mv$run").DistinguishedName | Should -Be "CN=Marie Depart $run,$sub"
        }
        finally { Remove-Item -LiteralPath $f -ErrorAction SilentlyContinue }
    }

    It 'a row the DC refuses fails alone, by file:row, and leaves nothing half-created' {
        # A group already holds the name the row's user would take: the plan cannot know, the DC refuses the add.
        "dn: CN=Homonyme $run,$ou`nobjectClass: group`nsAMAccountName: hg$run`n" | & env "LDAPTLS_CACERT=$ca" ldapadd -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x *> $null
        $f = Join-Path ([IO.Path]::GetTempPath()) "tssr-import-fail-$run.csv"
        Set-Content -LiteralPath $f -Encoding utf8 -Value @(
            'SamAccountName,GivenName,Surname,DisplayName,Password,Enabled'
            "fa$run,Anne,Avant,Anne Avant $run,Pw1!-a-$run,yes"
            "fb$run,Homo,Nyme,Homonyme $run,Pw1!-b-$run,yes"
            "fc$run,Carl,Apres,Carl Apres $run,Pw1!-c-$run,yes")
        try {
            $err = $null
            $r = @(Import-TssrUser -Path $f -TargetOU $ou -ThrottleLimit 1 -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue)
            ($r | Where-Object Outcome -eq 'Done').SamAccountName | Should -Be @("fa$run", "fc$run")
            $failed = $r | Where-Object Outcome -eq 'Failed'
            $failed.Row | Should -Be 3
            $failed.Error | Should -Not -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'CsvRowFailed*'
            $err[0].TargetObject | Should -Be "$f`:3"
            { Get-TssrUser -Identity "fb$run" } | Should -Throw -ErrorId 'DirectoryUserNotFound*'
            (Get-TssrUser -Identity "fc$run").Enabled | Should -BeTrue
        }
        finally { Remove-Item -LiteralPath $f -ErrorAction SilentlyContinue }
    }

    It 'reports a group or OU given as a DN that does not exist as the row''s reason, and goes on' {
        $f = Join-Path ([IO.Path]::GetTempPath()) "tssr-import-dn-$run.csv"
        Set-Content -LiteralPath $f -Encoding utf8 -Value @(
            'SamAccountName;GivenName;Surname;OU;Groups'
            "dg$run;Dan;Gone;$ou;CN=NoSuchGroup-$run,$ou"
            "dh$run;Dan;Hors;OU=Nowhere,DC=elsewhere,DC=example;"
            "di$run;Dan;Ici;$ou;")
        try {
            $r = Invoke-WhatIfRecorded { param($Path) Import-TssrUser -Path $Path -WhatIf } @{ Path = $f }
            $r.Host | Should -BeLike '*What if:*1 to create*2 invalid*'
            $plan = $r.Output
            $err = $r.Errors
            ($plan | Where-Object Row -eq 2).Reasons -join ' ' | Should -BeLike "*NoSuchGroup-$run*"
            ($plan | Where-Object Row -eq 3).Reasons -join ' ' | Should -BeLike '*OU=Nowhere*'
            ($plan | Where-Object Row -eq 4).Action | Should -Be 'Create'
            @($err).Count | Should -Be 2
        }
        finally { Remove-Item -LiteralPath $f -ErrorAction SilentlyContinue }
    }

    It 'refuses in the plan what the DC would refuse: a value over the schema''s rangeUpper, a control character, by row and column' {
        $f = Join-Path ([IO.Path]::GetTempPath()) "tssr-import-limits-$run.csv"
        $long = 'x' * 300
        [IO.File]::WriteAllText($f, "SamAccountName,GivenName,Surname,Department`nlg$run,Long,Dept,$long`nnl$run,`"Jean`nPierre`",Newline,Compta`nok$run,Fine,Row,Compta`n")
        try {
            $r = Invoke-WhatIfRecorded { param($Path, $Ou) Import-TssrUser -Path $Path -TargetOU $Ou -WhatIf } @{ Path = $f; Ou = $ou }
            $r.Host | Should -BeLike '*What if:*1 to create*2 invalid*'
            $plan = $r.Output
            $err = $r.Errors
            $long = $plan | Where-Object SamAccountName -eq "lg$run"
            $long.Action | Should -Be 'Invalid'
            $long.Row | Should -Be 2
            $long.Reasons -join ' ' | Should -BeLike '*Department*300*64*department*'
            $nl = $plan | Where-Object SamAccountName -eq "nl$run"
            $nl.Action | Should -Be 'Invalid'
            $nl.Row | Should -Be 3
            $nl.Reasons -join ' ' | Should -BeLike '*GivenName*U+000A*'
            ($plan | Where-Object SamAccountName -eq "ok$run").Action | Should -Be 'Create'
            ($err.TargetObject | Sort-Object) | Should -Be @("$f`:2", "$f`:3")
            # The oracle: the DC itself refuses the 300-character value the plan refused.
            "dn: CN=Probe $run,$ou`nobjectClass: user`nsAMAccountName: pr$run`ndepartment: $('x' * 300)`n" |
                & env "LDAPTLS_CACERT=$ca" ldapadd -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x *> $null
            $LASTEXITCODE | Should -Not -Be 0
        }
        finally { Remove-Item -LiteralPath $f -ErrorAction SilentlyContinue }
    }

    It 'an update lists only what the file gives and differs: a display name or UPN it does not give stays as the DC has it' {
        $null = New-TssrUser -Name 'Hand Made' -SamAccountName "hm$run" -GivenName Hand -Surname Made -DisplayName "MADE Hand (Compta)" -UserPrincipalName "hand.made-$run@tssr.lab" -Path $ou -Confirm:$false
        $f = Join-Path ([IO.Path]::GetTempPath()) "tssr-import-real-$run.csv"
        Set-Content -LiteralPath $f -Encoding utf8 -Value @('SamAccountName,GivenName,Surname,Department', "hm$run,Hand,Made,Paie$run")
        try {
            $r = Import-TssrUser -Path $f -Confirm:$false
            $r.Action | Should -Be 'Update'
            $r.Changes | Should -Be @('department')
            $u = Get-TssrUser -Identity "hm$run"
            $u.DisplayName | Should -Be 'MADE Hand (Compta)'
            $u.UserPrincipalName | Should -Be "hand.made-$run@tssr.lab"
            (Import-TssrUser -Path $f -Confirm:$false).Action | Should -Be 'Unchanged'
        }
        finally { Remove-Item -LiteralPath $f -ErrorAction SilentlyContinue }
    }

    It 'exports plans, users and diagnostics to CSV with readable list columns' {
        $f = Join-Path ([IO.Path]::GetTempPath()) "tssr-import-csvout-$run.csv"
        try {
            $r = Invoke-WhatIfRecorded { param($Path, $Ou) Import-TssrUser -Path $Path -TargetOU $Ou -WhatIf } @{ Path = $csv; Ou = $ou }
            $r.Host | Should -BeLike '*What if:*Apply the import plan*'
            $r.Output | Export-Csv -LiteralPath $f
            $rows = Import-Csv -LiteralPath $f
            ($rows | Where-Object Row -eq 12).Reasons | Should -BeLike '*21*20*'
            ($rows | Where-Object Row -eq 12).Reasons | Should -Not -BeLike '*System.*'
            Get-TssrUserDiagnostic -Identity "i$run-2" | Export-Csv -LiteralPath $f
            (Import-Csv -LiteralPath $f).Explanation | Should -BeLike '*Nothing*prevents*'
            Get-TssrUser -Identity "i$run-10" | Export-Csv -LiteralPath $f
            (Import-Csv -LiteralPath $f).MemberOf | Should -BeLike "*Helpdesk-$run*"
        }
        finally { Remove-Item -LiteralPath $f -ErrorAction SilentlyContinue }
    }

    It 'refuses a file without the required columns, naming them' {
        $f = Join-Path ([IO.Path]::GetTempPath()) "tssr-import-bad-$run.csv"
        Set-Content -LiteralPath $f -Value "Login,Mail`nx,y@z"
        try { { Import-TssrUser -Path $f -WhatIf } | Should -Throw -ErrorId 'CsvColumnMissing*' }
        finally { Remove-Item -LiteralPath $f }
    }
}

Describe 'Dates in local time' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'an expiration date typed in Paris reads back as that local midnight, in the French format, explanations included' {
        $null = New-TssrUser -Name 'Date Paris' -SamAccountName "tz$run" -Path $ou -AccountPassword (New-TestPassword) -Enabled $true -Confirm:$false
        $r = Invoke-TssrPwsh -Culture fr-FR -Raw -Environment @{ TZ = 'Europe/Paris' } -Script @"
`$p = ConvertTo-SecureString (Get-Content -Raw '$($lab.AdminPasswordFile)') -AsPlainText -Force
`$null = Connect-TssrDirectory -Server localhost -Credential ([pscredential]::new('$($lab.AdminUser)', `$p)) -TrustedCertificatePath '$ca'
Set-TssrUser -Identity 'tz$run' -AccountExpirationDate '2020-12-20' -Confirm:`$false
`$u = Get-TssrUser -Identity 'tz$run'
'KIND=' + `$u.AccountExpirationDate.Kind
'DATE=' + `$u.AccountExpirationDate.ToString()
'SEARCH=' + (Search-TssrAccount -Expired -SearchBase '$ou' | Where-Object SamAccountName -eq 'tz$run').AccountExpirationDate.ToString()
'DIAG=' + ((Get-TssrUserDiagnostic -Identity 'tz$run').Explanation -join ' ')
"@
        $r.Output | Should -BeLike '*KIND=Local*'
        $r.Output | Should -BeLike '*DATE=20/12/2020 00:00:00*'
        $r.Output | Should -BeLike '*SEARCH=20/12/2020 00:00:00*'
        $r.Output | Should -BeLike '*DIAG=*20/12/2020 00:00*'
        # The directory holds the UTC instant of Paris midnight (23:00 the day before).
        $raw = & env "LDAPTLS_CACERT=$ca" ldapsearch -LLL -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x -b $ou "(sAMAccountName=tz$run)" accountExpires
        $line = @($raw | Where-Object { $_ -like 'accountExpires:*' })
        $line.Count | Should -Be 1 -Because ($raw -join "`n")
        $value = [long]($line[0] -replace '^accountExpires:\s*', '')
        [DateTime]::FromFileTimeUtc($value) | Should -Be ([DateTime]::new(2020, 12, 19, 23, 0, 0, [DateTimeKind]::Utc))
    }
}

Describe 'French messages' {
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'explains an untrusted certificate in French' {
        $r = Invoke-TssrPwsh -Culture fr-FR -Raw -Script "try { Connect-TssrDirectory -Server localhost -Anonymous } catch { `$_.Exception.Message }"
        $r.Output | Should -BeLike '*ne remonte pas à une autorité de confiance*'
    }
}

Describe 'LDAPS: the name the LDAP library checks' {
    # Runs last: it stops the lab DC, starts the same DC with a certificate for localhost and
    # 127.0.0.1 only (no host name), then restarts the lab DC. libldap (and ldapsearch, the
    # oracle, which uses the same library) replaces "localhost" by this machine's host name.
    BeforeEach { if (-not $ready) { Set-ItResult -Skipped -Because (Get-LabSkipReason) } }

    It 'a certificate without the host name binds as 127.0.0.1, and as localhost fails with the name libldap really checked' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "tssr-ad-names-$PID"
        $null = New-Item -ItemType Directory -Force $dir
        $caKey = Join-Path $lab.CaDirectory '../ca/ca.key'
        $samba = $null
        try {
            & openssl req -newkey rsa:2048 -nodes -subj '/CN=localhost' -keyout "$dir/n.key" -out "$dir/n.csr" 2>$null
            Set-Content "$dir/n.ext" 'subjectAltName=DNS:localhost,IP:127.0.0.1'
            & openssl x509 -req -in "$dir/n.csr" -CA $ca -CAkey $caKey -CAcreateserial -days 30 -extfile "$dir/n.ext" -out "$dir/n.pem" 2>$null
            & chmod 600 "$dir/n.key"
            $conf = Join-Path (Get-LabDirectory -Component SambaAd) 'samba/etc/smb.conf'
            (Get-Content -LiteralPath $conf) -replace '^(\s*tls certfile\s*=).*', "`$1 $dir/n.pem" -replace '^(\s*tls keyfile\s*=).*', "`$1 $dir/n.key" | Set-Content "$dir/smb.conf"
            Stop-TssrLab -Component SambaAd
            $psi = [Diagnostics.ProcessStartInfo]::new('samba')
            foreach ($a in @('-i', '-M', 'single', '-s', "$dir/smb.conf")) { $psi.ArgumentList.Add($a) }
            $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
            $samba = [Diagnostics.Process]::Start($psi)
            Wait-LabTcpPort -Port 636 -TimeoutSeconds 60 -ProcessId $samba.Id
            $hostName = [Net.Dns]::GetHostEntry([Net.Dns]::GetHostName()).HostName
            # The oracle: ldapsearch refuses localhost and accepts 127.0.0.1 with the same certificate.
            & env "LDAPTLS_CACERT=$ca" ldapsearch -LLL -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x -b '' -s base dn *> $null
            $LASTEXITCODE | Should -Not -Be 0
            & env "LDAPTLS_CACERT=$ca" ldapsearch -LLL -H ldaps://127.0.0.1 -D $lab.AdminUser -y $lab.AdminPasswordFile -x -b '' -s base dn *> $null
            $LASTEXITCODE | Should -Be 0
            $s = Connect-TssrDirectory -Server 127.0.0.1 -Credential $cred -TrustedCertificatePath $ca -NoDefault
            Disconnect-TssrDirectory -Session $s
            $err = $null
            try { $null = Connect-TssrDirectory -Server localhost -Credential $cred -TrustedCertificatePath $ca -NoDefault } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'DirectoryTlsRejectedByLdapLibrary*'
            "$err" | Should -BeLike "*($hostName)*"
            "$err" | Should -Not -BeLike '*reverse*'
        }
        finally {
            if ($samba) { $samba.Kill(); $null = $samba.WaitForExit(10000); $samba.Dispose() }
            $null = Start-TssrLab -Component SambaAd
            Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Directory help' {
    It 'shows [-WhatIf] [-Confirm] in the SYNTAX of every directory cmdlet that supports ShouldProcess, in English and French' {
        $writers = @(Get-Command -Module Tssr.Tools -Noun TssrUser, TssrUserPassword, TssrGroupMember, TssrDirectory, TssrAccount |
                Where-Object { $_.Parameters.ContainsKey('WhatIf') })
        $writers.Count | Should -BeGreaterOrEqual 9
        foreach ($c in $writers) {
            foreach ($culture in 'en-US', 'fr-FR') {
                $page = Get-Content -Raw (Join-Path $PSScriptRoot "../../docs/$culture/$($c.Name).md")
                $syntax = [regex]::Match($page, '(?s)## SYNTAX(.*?)## DESCRIPTION').Groups[1].Value
                $blocks = [regex]::Matches($syntax, '(?s)```\s*\n(.*?)```')
                $blocks.Count | Should -BeGreaterThan 0 -Because "$culture/$($c.Name).md has a SYNTAX block"
                foreach ($b in $blocks) { $b.Groups[1].Value | Should -BeLike '*`[-WhatIf`] `[-Confirm`]*' -Because "$culture/$($c.Name).md" }
            }
            # The built help (MAML) that Get-Help reads says the same.
            $names = @((Get-Help $c.Name).syntax.syntaxItem | ForEach-Object { $_.parameter.name })
            $names | Should -Contain 'WhatIf' -Because $c.Name
            $names | Should -Contain 'Confirm' -Because $c.Name
        }
    }
}
