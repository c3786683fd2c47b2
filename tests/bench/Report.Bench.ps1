# Export-TssrReport on 10,000+ real result rows (Test-TssrPort over loopback: 1,022 addresses x 10
# ports, every answer a quick RST), against PowerShell's own ConvertTo-Html | Set-Content on the
# same objects. Alternating runs in this process (both sides pay the same warm-up); prints the
# median time of each and the file sizes.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Runs = 5
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path (Resolve-Path $ModulePath).Path 'Tssr.Tools.psd1')
$work = Join-Path ([IO.Path]::GetTempPath()) "tssr-report-bench-$PID"
$null = New-Item -ItemType Directory -Force $work
try {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $rows = @(Test-TssrPort 127.0.8.0/22 -Port (17190..17199) -TimeoutSec 1)
    Write-Host ("{0:N0} result rows from Test-TssrPort in {1:0.0} s" -f $rows.Count, $clock.Elapsed.TotalSeconds)
    if ($rows.Count -lt 10000) { throw "Only $($rows.Count) rows: the benchmark needs 10,000." }
    $html = Join-Path $work 'report.html'; $json = Join-Path $work 'report.json'; $plain = Join-Path $work 'convertto-html.html'
    $t = @{ Html = [Collections.Generic.List[double]]::new(); Json = [Collections.Generic.List[double]]::new(); ConvertToHtml = [Collections.Generic.List[double]]::new() }
    for ($i = 0; $i -lt $Runs; $i++) {
        $t.Html.Add((Measure-Command { $rows | Export-TssrReport -Path $html -Language en }).TotalSeconds)
        $t.ConvertToHtml.Add((Measure-Command { $rows | ConvertTo-Html | Set-Content -LiteralPath $plain }).TotalSeconds)
        $t.Json.Add((Measure-Command { $rows | Export-TssrReport -Path $json }).TotalSeconds)
    }
    function Median($list) { $s = @($list | Sort-Object); $s[[int][math]::Floor(($s.Count - 1) / 2)] }
    $r = [ordered]@{
        Rows                      = $rows.Count
        ExportHtmlMedianSec       = [math]::Round((Median $t.Html), 2)
        ExportJsonMedianSec       = [math]::Round((Median $t.Json), 2)
        ConvertToHtmlMedianSec    = [math]::Round((Median $t.ConvertToHtml), 2)
        HtmlMB                    = [math]::Round((Get-Item $html).Length / 1MB, 2)
        JsonMB                    = [math]::Round((Get-Item $json).Length / 1MB, 2)
        ConvertToHtmlMB           = [math]::Round((Get-Item $plain).Length / 1MB, 2)
        Runs                      = $Runs
        LoadAverage               = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0] } else { '' }
    }
    [pscustomobject]$r | Format-List | Out-Host
    Write-Host ("Export-TssrReport (HTML) / ConvertTo-Html: {0:0.00} x the time" -f ($r.ExportHtmlMedianSec / [math]::Max(0.001, $r.ConvertToHtmlMedianSec)))
}
finally { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }
