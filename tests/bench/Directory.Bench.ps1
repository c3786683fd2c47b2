# Import-TssrUser of N users (with passwords, one group) from CSV vs ldapadd of the equivalent
# LDIF (unicodePwd over LDAPS) on the lab Samba AD DC (BENCHMARKS.md: <= 1.15 x ldapadd; the re-run
# of the same CSV makes 0 changes in <= 10 % of ldapadd's time). Alternating runs, each tool in its
# own OU with its own logins, OUs deleted between runs. Prints the medians and the ratios.
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Runs = 3, [int] $Count = 1000, [int] $ThrottleLimit = 4)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'Tssr.Tools.psd1') -Force
Import-Module (Join-Path $PSScriptRoot '../lab/Lab.psm1') -Force
$lab = (Start-TssrLab -Component SambaAd).SambaAd
$env:LDAPTLS_CACERT = $lab.CaFile
$ldapArgs = @('-H', 'ldaps://localhost', '-D', $lab.AdminUser, '-y', $lab.AdminPasswordFile, '-x')
$secret = ConvertTo-SecureString (Get-Content -Raw $lab.AdminPasswordFile) -AsPlainText -Force
$session = Connect-TssrDirectory -Server localhost -Credential ([pscredential]::new($lab.AdminUser, $secret)) -TrustedCertificatePath $lab.CaFile
$work = Join-Path ([IO.Path]::GetTempPath()) "tssr-dir-bench-$PID"
$null = New-Item -ItemType Directory -Force $work
$tag = [Guid]::NewGuid().ToString('N').Substring(0, 4)

function Invoke-Ldap([string] $Tool, [string] $File) {
    $out = & $Tool @ldapArgs -f $File 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$Tool failed ($LASTEXITCODE): $($out | Select-Object -Last 3)" }
}

function New-Container([string] $Ou, [string] $Group) {
    $f = Join-Path $work 'ou.ldif'
    Set-Content -LiteralPath $f -Value "dn: $Ou`nobjectClass: organizationalUnit`n`ndn: CN=$Group,$Ou`nobjectClass: group`nsAMAccountName: $Group`n"
    Invoke-Ldap ldapadd $f
}

function Remove-Container([string] $Ou) {
    & ldapdelete @ldapArgs -r $Ou *> $null
}

function Write-Input([string] $Prefix, [string] $Ou, [string] $Group, [string] $Csv, [string] $Ldif) {
    $csvLines = [Collections.Generic.List[string]]::new()
    $csvLines.Add('SamAccountName;GivenName;Surname;DisplayName;Password;Enabled;Department;Groups')
    $ldifText = [Text.StringBuilder]::new()
    $members = [Text.StringBuilder]::new()
    for ($i = 1; $i -le $Count; $i++) {
        $sam = "$Prefix$i"; $given = 'Élodie'; $sn = "Dupré $i"; $display = "$given $sn"; $pw = "Pw1!-$tag-$i"
        $csvLines.Add("$sam;$given;$sn;$display;$pw;oui;Bench;$Group")
        $pwd64 = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes('"' + $pw + '"'))
        $dn = "CN=$display,$Ou"
        $null = $ldifText.Append("dn:: $([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($dn)))`nobjectClass: user`nsAMAccountName: $sam`n")
        $null = $ldifText.Append("givenName:: $([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($given)))`nsn:: $([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($sn)))`n")
        $null = $ldifText.Append("displayName:: $([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($display)))`nuserPrincipalName: $sam@tssr.lab`ndepartment: Bench`n")
        $null = $ldifText.Append("userAccountControl: 512`nunicodePwd:: $pwd64`n`n")
        $null = $members.Append("member:: $([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($dn)))`n")
    }
    $null = $ldifText.Append("dn: CN=$Group,$Ou`nchangetype: modify`nadd: member`n").Append($members.ToString()).Append("-`n")
    [IO.File]::WriteAllLines($Csv, $csvLines, [Text.UTF8Encoding]::new($false))
    [IO.File]::WriteAllText($Ldif, $ldifText.ToString())
}

$results = [Collections.Generic.List[object]]::new()
try {
    for ($r = 1; $r -le $Runs; $r++) {
        $order = if ($r % 2) { 'ldapadd', 'import' } else { 'import', 'ldapadd' }
        $row = [ordered]@{ Run = $r }
        foreach ($tool in $order) {
            $p = if ($tool -eq 'ldapadd') { "l$tag$r-" } else { "t$tag$r-" }
            $ou = "OU=Bench-$p,$($lab.BaseDn)"; $group = "G-$p"
            $csv = Join-Path $work "$p.csv"; $ldif = Join-Path $work "$p.ldif"
            Write-Input -Prefix $p -Ou $ou -Group $group -Csv $csv -Ldif $ldif
            New-Container $ou $group
            try {
                if ($tool -eq 'ldapadd') {
                    $row.LdapaddS = [math]::Round((Measure-Command { Invoke-Ldap ldapadd $ldif }).TotalSeconds, 2)
                }
                else {
                    $out = $null
                    $row.ImportS = [math]::Round((Measure-Command { $script:out = @(Import-TssrUser -Path $csv -TargetOU $ou -ThrottleLimit $ThrottleLimit -Confirm:$false) }).TotalSeconds, 2)
                    $done = @($script:out | Where-Object Outcome -eq 'Done').Count
                    if ($done -ne $Count) { throw "Import applied $done of $Count rows." }
                    $row.RerunS = [math]::Round((Measure-Command { $script:out = @(Import-TssrUser -Path $csv -TargetOU $ou -Confirm:$false) }).TotalSeconds, 2)
                    $changes = @($script:out | Where-Object { $_.Action -ne 'Unchanged' }).Count
                    if ($changes -ne 0) { throw "The re-run planned $changes changes." }
                }
            }
            finally { Remove-Container $ou }
        }
        $results.Add([pscustomobject]$row)
        [pscustomobject]$row | Format-Table -AutoSize | Out-Host
    }
}
finally {
    Disconnect-TssrDirectory -Session $session
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
function Get-Median([double[]] $v) { $s = $v | Sort-Object; if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
$ldap = Get-Median $results.LdapaddS; $imp = Get-Median $results.ImportS; $rerun = Get-Median $results.RerunS
[pscustomobject]@{
    Benchmark     = "Import-TssrUser $Count users (LDAPS, passwords, 1 group) vs ldapadd"
    Runs          = $Runs
    LdapaddMedianS = $ldap
    ImportMedianS  = $imp
    Ratio          = [math]::Round($imp / $ldap, 2)
    RerunMedianS   = $rerun
    RerunOfLdapadd = [math]::Round($rerun / $ldap, 3)
    Bar            = 'import <= 1.15 x ldapadd; re-run <= 0.10 x ldapadd'
    Met            = ($imp -le 1.15 * $ldap) -and ($rerun -le 0.10 * $ldap)
} | Format-List | Out-Host
