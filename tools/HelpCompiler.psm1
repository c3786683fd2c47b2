# Turns the help pages of docs/<culture>/*.md, written in platyPS's markdown layout, into the MAML
# file PowerShell reads (Tssr.Tools.dll-Help.xml). platyPS is not obtainable here; this keeps its
# layout so platyPS can take over later without rewriting a page.
Set-StrictMode -Version 3.0

function Split-HelpSection {
    # Returns an ordered map: level-2 heading -> list of lines under it.
    param([string[]] $Lines)
    $sections = [ordered]@{}
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^## (.+?)\s*$') {
            $current = $Matches[1].Trim().ToUpperInvariant()
            $sections[$current] = [System.Collections.Generic.List[string]]::new()
            continue
        }
        if ($null -ne $current) { $sections[$current].Add($line) }
    }
    $sections
}

function Split-SubSection {
    # Splits lines on level-3 headings: list of @{ Title; Lines }.
    param([string[]] $Lines)
    $items = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^### (.+?)\s*$') {
            $current = @{ Title = $Matches[1].Trim(); Lines = [System.Collections.Generic.List[string]]::new() }
            $items.Add($current)
            continue
        }
        if ($null -ne $current) { $current.Lines.Add($line) }
    }
    , $items
}

function Get-Paragraph {
    # Plain prose paragraphs of a block of markdown, fences removed.
    param([string[]] $Lines)
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $buffer = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence; continue }
        if ($inFence) { continue }
        if ([string]::IsNullOrWhiteSpace($line)) {
            if ($buffer.Count) { $paragraphs.Add(($buffer -join ' ').Trim()); $buffer.Clear() }
        }
        else { $buffer.Add($line.Trim()) }
    }
    if ($buffer.Count) { $paragraphs.Add(($buffer -join ' ').Trim()) }
    , $paragraphs
}

function Get-Fence {
    # Contents of the fenced blocks of a block of markdown, with their info string.
    param([string[]] $Lines)
    $fences = [System.Collections.Generic.List[object]]::new()
    $current = $null
    foreach ($line in $Lines) {
        if ($line -match '^```(.*)$') {
            if ($null -eq $current) { $current = @{ Info = $Matches[1].Trim(); Lines = [System.Collections.Generic.List[string]]::new() } }
            else { $fences.Add($current); $current = $null }
            continue
        }
        if ($null -ne $current) { $current.Lines.Add($line) }
    }
    , $fences
}

function Read-HelpPage {
    <#
    .SYNOPSIS
    Reads one platyPS-layout markdown page into a plain object.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $lines = [System.IO.File]::ReadAllLines($Path)
    $name = ($lines | Where-Object { $_ -match '^# (\S+)' } | Select-Object -First 1) -replace '^# ', ''
    if (-not $name) { throw "$Path : no '# Verb-Noun' title line." }
    $sections = Split-HelpSection $lines
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $sections.Contains($required)) { throw "$Path : the section '## $required' is missing." }
    }
    $examples = foreach ($ex in (Split-SubSection $sections['EXAMPLES'])) {
        $fences = Get-Fence $ex.Lines
        if ($fences.Count -eq 0) { throw "$Path : example '$($ex.Title)' has no code block." }
        $afterCode = [System.Collections.Generic.List[string]]::new()
        $seen = 0
        foreach ($l in $ex.Lines) {
            if ($l -match '^```') { $seen++; continue }
            if ($seen -ge 2) { $afterCode.Add($l) }
        }
        [pscustomobject]@{
            Title   = $ex.Title
            Code    = ($fences[0].Lines -join "`n").Trim()
            Remarks = Get-Paragraph $afterCode
        }
    }
    $parameters = foreach ($p in (Split-SubSection $sections['PARAMETERS'])) {
        if ($p.Title -notmatch '^-(\w+)$') { continue }   # CommonParameters and the like
        $parameterName = $Matches[1]
        $meta = @{}
        $yaml = (Get-Fence $p.Lines | Where-Object { $_.Info -eq 'yaml' } | Select-Object -First 1)
        if ($yaml) {
            foreach ($l in $yaml.Lines) { if ($l -match '^([^:]+):\s*(.*)$') { $meta[$Matches[1].Trim()] = $Matches[2].Trim() } }
        }
        [pscustomobject]@{
            Name        = $parameterName
            Description = Get-Paragraph $p.Lines
            Type        = if ($meta['Type']) { $meta['Type'] } else { 'Object' }
            Sets        = if ($meta['Parameter Sets']) { @($meta['Parameter Sets'] -split ',\s*') } else { @('(All)') }
            Aliases     = $meta['Aliases']
            Required    = $meta['Required'] -eq 'True'
            Position    = if ($meta['Position']) { $meta['Position'] } else { 'Named' }
            Default     = if ($meta['Default value']) { $meta['Default value'] } else { 'None' }
            Pipeline    = if ($meta['Accept pipeline input']) { $meta['Accept pipeline input'] } else { 'False' }
            Wildcard    = $meta['Accept wildcard characters'] -eq 'True'
        }
    }
    $typed = {
        param($key)
        if (-not $sections.Contains($key)) { return @() }
        foreach ($t in (Split-SubSection $sections[$key])) {
            [pscustomobject]@{ Type = $t.Title; Description = Get-Paragraph $t.Lines }
        }
    }
    $links = if ($sections.Contains('RELATED LINKS')) {
        foreach ($l in $sections['RELATED LINKS']) {
            if ($l -match '^\[(.+?)\]\((.*?)\)') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } }
        }
    }
    [pscustomobject]@{
        Name        = $name.Trim()
        Synopsis    = (Get-Paragraph $sections['SYNOPSIS']) -join ' '
        Description = Get-Paragraph $sections['DESCRIPTION']
        Examples    = @($examples)
        Parameters  = @($parameters)
        Inputs      = @(& $typed 'INPUTS')
        Outputs     = @(& $typed 'OUTPUTS')
        Notes       = if ($sections.Contains('NOTES')) { Get-Paragraph $sections['NOTES'] } else { @() }
        Links       = @($links)
    }
}

function Write-Para {
    param([System.Xml.XmlWriter] $Writer, [string[]] $Text)
    foreach ($t in $Text) { $Writer.WriteElementString('maml', 'para', $script:MamlNs, $t) }
}

function ConvertTo-TssrMaml {
    <#
    .SYNOPSIS
    Compiles every docs/<culture>/*.md page into one MAML help file.
    #>
    param(
        [Parameter(Mandatory)] [string] $SourceDirectory,
        [Parameter(Mandatory)] [string] $OutputFile
    )
    $script:MamlNs = 'http://schemas.microsoft.com/maml/2004/10'
    $commandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    $devNs = 'http://schemas.microsoft.com/maml/dev/2004/10'
    $pages = Get-ChildItem -LiteralPath $SourceDirectory -Filter '*-*.md' | Sort-Object Name | ForEach-Object { Read-HelpPage $_.FullName }
    $null = New-Item -ItemType Directory -Force -Path (Split-Path $OutputFile)
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $w = [System.Xml.XmlWriter]::Create($OutputFile, $settings)
    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', 'http://msh')
        $w.WriteAttributeString('schema', 'maml')
        foreach ($page in $pages) {
            $verb, $noun = $page.Name -split '-', 2
            $w.WriteStartElement('command', 'command', $commandNs)
            $w.WriteAttributeString('xmlns', 'maml', $null, $script:MamlNs)
            $w.WriteAttributeString('xmlns', 'command', $null, $commandNs)
            $w.WriteAttributeString('xmlns', 'dev', $null, $devNs)
            $w.WriteStartElement('command', 'details', $commandNs)
            $w.WriteElementString('command', 'name', $commandNs, $page.Name)
            $w.WriteStartElement('maml', 'description', $script:MamlNs); Write-Para $w $page.Synopsis; $w.WriteEndElement()
            $w.WriteElementString('command', 'verb', $commandNs, $verb)
            $w.WriteElementString('command', 'noun', $commandNs, $noun)
            $w.WriteEndElement()
            $w.WriteStartElement('maml', 'description', $script:MamlNs); Write-Para $w $page.Description; $w.WriteEndElement()

            # Syntax: one item per named parameter set ("(All)" parameters belong to every set).
            $sets = @($page.Parameters | ForEach-Object { $_.Sets } | Where-Object { $_ -ne '(All)' } | Sort-Object -Unique)
            if ($sets.Count -eq 0) { $sets = @('(All)') }
            $w.WriteStartElement('command', 'syntax', $commandNs)
            foreach ($set in $sets) {
                $w.WriteStartElement('command', 'syntaxItem', $commandNs)
                $w.WriteElementString('maml', 'name', $script:MamlNs, $page.Name)
                foreach ($p in $page.Parameters | Where-Object { $_.Sets -contains '(All)' -or $_.Sets -contains $set }) {
                    Write-MamlParameter $w $p $commandNs $devNs
                }
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'parameters', $commandNs)
            foreach ($p in $page.Parameters) { Write-MamlParameter $w $p $commandNs $devNs }
            $w.WriteEndElement()

            foreach ($kind in @(@{ Key = 'Inputs'; Outer = 'inputTypes'; Inner = 'inputType' }, @{ Key = 'Outputs'; Outer = 'returnValues'; Inner = 'returnValue' })) {
                $w.WriteStartElement('command', $kind.Outer, $commandNs)
                foreach ($t in $page.($kind.Key)) {
                    $w.WriteStartElement('command', $kind.Inner, $commandNs)
                    $w.WriteStartElement('dev', 'type', $devNs); $w.WriteElementString('maml', 'name', $script:MamlNs, $t.Type); $w.WriteEndElement()
                    $w.WriteStartElement('maml', 'description', $script:MamlNs); Write-Para $w $t.Description; $w.WriteEndElement()
                    $w.WriteEndElement()
                }
                $w.WriteEndElement()
            }

            $w.WriteStartElement('maml', 'alertSet', $script:MamlNs)
            $w.WriteStartElement('maml', 'alert', $script:MamlNs); Write-Para $w $page.Notes; $w.WriteEndElement()
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'examples', $commandNs)
            foreach ($ex in $page.Examples) {
                $w.WriteStartElement('command', 'example', $commandNs)
                $w.WriteElementString('maml', 'title', $script:MamlNs, "-------------------------- $($ex.Title) --------------------------")
                $w.WriteElementString('dev', 'code', $devNs, $ex.Code)
                $w.WriteStartElement('dev', 'remarks', $devNs); Write-Para $w $ex.Remarks; $w.WriteEndElement()
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'relatedLinks', $commandNs)
            foreach ($l in $page.Links) {
                $w.WriteStartElement('maml', 'navigationLink', $script:MamlNs)
                $w.WriteElementString('maml', 'linkText', $script:MamlNs, $l.Text)
                $w.WriteElementString('maml', 'uri', $script:MamlNs, $l.Uri)
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
            $w.WriteEndElement() # command
        }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    }
    finally { $w.Dispose() }
    $pages.Count
}

function Write-MamlParameter {
    param([System.Xml.XmlWriter] $w, $p, [string] $commandNs, [string] $devNs)
    $w.WriteStartElement('command', 'parameter', $commandNs)
    $w.WriteAttributeString('required', $p.Required.ToString().ToLowerInvariant())
    $w.WriteAttributeString('variableLength', 'true')
    $w.WriteAttributeString('globbing', $p.Wildcard.ToString().ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', $p.Pipeline)
    $w.WriteAttributeString('position', $p.Position.ToLowerInvariant())
    $w.WriteAttributeString('aliases', $(if ($p.Aliases) { $p.Aliases } else { 'none' }))
    $w.WriteElementString('maml', 'name', $script:MamlNs, $p.Name)
    $w.WriteStartElement('maml', 'description', $script:MamlNs); Write-Para $w $p.Description; $w.WriteEndElement()
    $isSwitch = $p.Type -eq 'SwitchParameter'
    if (-not $isSwitch) {
        $w.WriteStartElement('command', 'parameterValue', $commandNs)
        $w.WriteAttributeString('required', 'true')
        $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString($p.Type)
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $devNs); $w.WriteElementString('maml', 'name', $script:MamlNs, $p.Type); $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $devNs, $p.Default)
    $w.WriteEndElement()
}

Export-ModuleMember -Function ConvertTo-TssrMaml, Read-HelpPage
