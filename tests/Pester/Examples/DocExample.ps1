# The examples of the help pages: one hashtable per ```powershell block under ## EXAMPLES.
function Get-PageExample([string] $File, [string] $Language) {
    $page = [IO.Path]::GetFileNameWithoutExtension($File)
    $lines = Get-Content -LiteralPath $File
    $inExamples = $false; $title = $null; $code = $null; $n = 0
    foreach ($line in $lines) {
        if ($line -match '^## EXAMPLES') { $inExamples = $true; continue }
        if ($line -match '^## ' -and $inExamples) { break }
        if (-not $inExamples) { continue }
        if ($line -match '^### (.+)$') { $title = $Matches[1]; continue }
        if ($null -eq $code -and $title -and $line -match '^```powershell') { $code = [System.Collections.Generic.List[string]]::new(); continue }
        if ($null -ne $code -and $line -match '^```') {
            $n++
            $text = $code -join "`n"
            $marker = [regex]::Match($text, '#\s*(Not run by the tests|Non exécuté par les tests)\s*:\s*(.*)')
            @{
                Id       = "$Language/$page/$n"
                Page     = $page
                Language = $Language
                Title    = $title
                Code     = $text
                Marked   = $marker.Success
                Reason   = if ($marker.Success) { $marker.Groups[2].Value.Trim() } else { '' }
            }
            $code = $null; $title = $null
            continue
        }
        if ($null -ne $code) { $code.Add($line) }
    }
}

function Get-DocExampleSet([string] $Root) {
    # Pages whose examples run here. A page joins this list once its examples run in the sandbox
    # or carry the marker; the count of examples on pages not yet enrolled is reported.
    $enrolled = @(
        'Get-TssrSubnet', 'Test-TssrPort', 'Test-TssrHost', 'Resolve-TssrDns', 'Test-TssrTlsCertificate',
        'Find-TssrDuplicateAddress', 'Get-TssrCompetency'
    )
    $all = @(foreach ($language in 'en-US', 'fr-FR') {
        foreach ($file in Get-ChildItem (Join-Path $Root "docs/$language") -Filter '*.md') {
            Get-PageExample -File $file.FullName -Language $language
        }
    })
    $cases = @($all | Where-Object { $enrolled -contains $_.Page })
    @{
        Enrolled    = $enrolled
        Cases       = $cases
        Run         = @($cases | Where-Object { -not $_.Marked })
        Marked      = @($cases | Where-Object { $_.Marked })
        NotEnrolled = @($all | Where-Object { $enrolled -notcontains $_.Page })
    }
}
