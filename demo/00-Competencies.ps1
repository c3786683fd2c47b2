Write-Host 'Which competency of the TSSR référentiel does each command serve?'
Get-TssrCompetency | Format-Table -AutoSize -Wrap
