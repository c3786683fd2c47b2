# The demo ends with the evidence of everything it did: every part added its results to
# $global:TssrDemoResults; Export-TssrReport writes them as one self-contained report.
$results = @($global:TssrDemoResults | Where-Object { $null -ne $_ })
$dir = Join-Path ([IO.Path]::GetTempPath()) 'tssr-demo-report'
$null = New-Item -ItemType Directory -Force $dir
$parts = @($global:TssrDemoParts | Where-Object { $_ -notlike '*99-Report.ps1' })
$html = Join-Path $dir 'tssr-demo-report.html'
$htmlFr = Join-Path $dir 'tssr-demo-rapport.html'
$json = Join-Path $dir 'tssr-demo-report.json'
$clock = [Diagnostics.Stopwatch]::StartNew()
$results | Export-TssrReport -Path $html -Language en -Title 'Tssr.Tools demo: evidence of everything it did' -CommandLine $parts
$results | Export-TssrReport -Path $htmlFr -Language fr -Title 'Démonstration Tssr.Tools : preuves de tout ce qu''elle a fait' -CommandLine $parts
$results | Export-TssrReport -Path $json -CommandLine $parts
$types = @($results | ForEach-Object { $_.PSObject.TypeNames[0] } | Sort-Object -Unique)
Write-Host ("{0} results of {1} kinds from {2} demo parts, written in {3:0} ms:" -f $results.Count, $types.Count, $parts.Count, $clock.Elapsed.TotalMilliseconds)
Write-Host "  report (English): $html"
Write-Host "  rapport (français): $htmlFr"
Write-Host "  JSON: $json"
Write-Host 'Open the HTML file in any browser (it runs no script and loads nothing); print it to PDF on A4.'
