# The examples of the help pages (one hashtable per ```powershell block under ## EXAMPLES) and of the
# README (one per block, titled by the heading above it).
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

function Get-ReadmeExample([string] $File) {
    $heading = $null; $code = $null; $n = 0
    foreach ($line in (Get-Content -LiteralPath $File)) {
        if ($null -eq $code -and $line -match '^#{2,4} (.+)$') { $heading = $Matches[1].Trim(); continue }
        if ($null -eq $code -and $line -match '^```powershell') { $code = [System.Collections.Generic.List[string]]::new(); continue }
        if ($null -ne $code -and $line -match '^```') {
            $n++
            $text = $code -join "`n"
            $marker = [regex]::Match($text, '#\s*(Not run by the tests|Non exécuté par les tests)\s*:\s*(.*)')
            @{
                Id       = "README/$n"
                Page     = "README: $heading"
                Language = 'en-US'
                Title    = $heading
                Code     = $text
                Marked   = $marker.Success
                Reason   = if ($marker.Success) { $marker.Groups[2].Value.Trim() } else { '' }
            }
            $code = $null
            continue
        }
        if ($null -ne $code) { $code.Add($line) }
    }
}

function Get-DocExampleSet([string] $Root) {
    # Every page of docs/en-US and docs/fr-FR, and every block of the README.
    $all = @(foreach ($language in 'en-US', 'fr-FR') {
        foreach ($file in Get-ChildItem (Join-Path $Root "docs/$language") -Filter '*.md') {
            Get-PageExample -File $file.FullName -Language $language
        }
    }) + @(Get-ReadmeExample -File (Join-Path $Root 'README.md'))
    @{
        Pages  = @($all | Where-Object { $_.Page -notlike 'README:*' } | ForEach-Object Page | Sort-Object -Unique)
        Cases  = $all
        Run    = @($all | Where-Object { -not $_.Marked })
        Marked = @($all | Where-Object { $_.Marked })
    }
}
