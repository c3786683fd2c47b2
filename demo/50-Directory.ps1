# Directory and helpdesk: a real Samba AD DC on loopback (the test lab's), LDAPS with its own CA.
# Skips with the reason when samba is not installed or this is not root.
$missing = @('samba', 'samba-tool', 'openssl', 'ldapadd') | Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) }
if ($missing) { Write-Host "Directory demo skipped: missing $($missing -join ', ') (apt-get install samba samba-ad-dc ldap-utils openssl)."; return }
if ((& id -u) -ne '0') { Write-Host 'Directory demo skipped: the lab DC (samba) needs root.'; return }
if (-not $env:TSSR_LAB_DIR) { $env:TSSR_LAB_DIR = Join-Path ([IO.Path]::GetTempPath()) 'tssr-lab-demo' }
Import-Module (Join-Path $PSScriptRoot '../tests/lab/Lab.psm1') -Force
$lab = (Start-TssrLab -Component SambaAd).SambaAd
try {
    $cred = [pscredential]::new($lab.AdminUser, (ConvertTo-SecureString (Get-Content -Raw $lab.AdminPasswordFile) -AsPlainText -Force))
    Write-Host '1. Without the domain CA, the certificate is refused with the real reason:'
    try { Connect-TssrDirectory -Server localhost -Credential $cred -NoDefault } catch { Write-Host "   $($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
    Write-Host '2. With the lab CA, LDAPS binds and becomes the default session:'
    Connect-TssrDirectory -Server localhost -Credential $cred -TrustedCertificatePath $lab.CaFile | Format-Table
    $sam = 'demo' + (Get-Random -Maximum 99999)
    Write-Host "3. A user whose name needs escaping ('Dupont, Jean #$sam'), created disabled, then reset with a generated password:"
    New-TssrUser -Name "Dupont, Jean #$sam" -SamAccountName $sam -GivenName Jean -Surname Dupont -PassThru -Confirm:$false | Format-Table
    $reset = Reset-TssrUserPassword -Identity $sam -ChangePasswordAtLogon $true -Confirm:$false
    $reset | Format-List SamAccountName, Generated, Password, PolicyMinLength, PolicySource
    Enable-TssrUser -Identity $sam -PassThru -Confirm:$false | Format-Table
    Write-Host '4. Group membership: adding twice is not an error.'
    Add-TssrGroupMember -Identity 'Remote Desktop Users' -Members $sam -Confirm:$false
    Add-TssrGroupMember -Identity 'Remote Desktop Users' -Members $sam -Confirm:$false -Verbose 4>&1 | ForEach-Object { Write-Host "   $_" }
    Get-TssrGroupMember -Identity 'Remote Desktop Users' | Format-Table
    Remove-TssrGroupMember -Identity 'Remote Desktop Users' -Members $sam -Confirm:$false
    Disable-TssrUser -Identity $sam -Confirm:$false

    Write-Host "5. Why can't $sam log on? One object, explained in the session's language:"
    $diagnostic = Get-TssrUserDiagnostic -Identity $sam
    $diagnostic | Format-List Identity, CanLogOn, Problems
    $diagnostic.Explanation | ForEach-Object { Write-Host "   - $_" }
    Write-Host '6. Disabled accounts, and accounts without a logon for 90 days (the lastLogonTimestamp lag is stated):'
    Search-TssrAccount -Disabled | Format-Table
    Search-TssrAccount -Inactive 90 | Select-Object -First 3 SamAccountName, InactiveDays, LastLogonLagDays, Note | Format-List

    Write-Host '7. Import-TssrUser: a French CSV (";", accents), validated as a whole, -WhatIf first, then applied, then run again:'
    $ou = "OU=Demo-$sam,$($lab.BaseDn)"
    "dn: $ou`nobjectClass: organizationalUnit`n" | & env "LDAPTLS_CACERT=$($lab.CaFile)" ldapadd -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x *> $null
    $csv = Join-Path ([IO.Path]::GetTempPath()) "tssr-demo-$sam.csv"
    @(
        'Prénom;Nom;Service;Groupes;MotDePasse;Actif'
        "Élodie;Dupré$sam;Compta;;Demo-Pw1!$sam;oui"
        "Zoé;Ñúñez$sam;Accueil;Remote Desktop Users;;non"
        "Jean;Martin$sam;Compta;NoSuchGroup;;non"
        "Élodie;Dupré$sam;Compta;;;non"
    ) | Set-Content -LiteralPath $csv -Encoding utf8
    try {
        Import-TssrUser -Path $csv -TargetOU $ou -WhatIf -ErrorAction SilentlyContinue | Format-Table
        Import-TssrUser -Path $csv -TargetOU $ou -Confirm:$false -ErrorVariable rowErrors -ErrorAction SilentlyContinue | Format-Table
        # The message already starts with file:row.
        $rowErrors | ForEach-Object { Write-Host "   $($_.FullyQualifiedErrorId.Split(',')[0]) $($_.Exception.Message)" }
        Write-Host '   Run again: nothing to change.'
        Import-TssrUser -Path $csv -TargetOU $ou -Confirm:$false -ErrorAction SilentlyContinue | Format-Table
    }
    finally {
        Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue
        & env "LDAPTLS_CACERT=$($lab.CaFile)" ldapdelete -r -H ldaps://localhost -D $lab.AdminUser -y $lab.AdminPasswordFile -x $ou *> $null
    }
}
finally {
    Disconnect-TssrDirectory
    Stop-TssrLab -Component SambaAd
}
