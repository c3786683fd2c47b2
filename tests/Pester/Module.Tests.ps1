# The foundation: the module loads in isolation, exports what its manifest says, every cmdlet
# carries a competency and complete help in English and French.
BeforeDiscovery {
    $manifest = Import-PowerShellDataFile (Join-Path $env:TSSR_MODULE_PATH 'Tssr.Tools.psd1')
    $script:cmdletCases = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TssrTestModule
    $script:manifest = Import-PowerShellDataFile (Get-TssrModulePath)
    $script:common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $script:helpXml = @{}
    foreach ($culture in 'en-US', 'fr-FR') {
        $xml = [xml](Get-Content -Raw (Join-Path $env:TSSR_MODULE_PATH "$culture/Tssr.Tools.dll-Help.xml"))
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $script:helpXml[$culture] = @{ Xml = $xml; Ns = $ns }
    }
}

Describe 'Module manifest and loading' {
    It 'exports exactly the cmdlets its manifest lists, all implemented' {
        $exported = (Get-Command -Module Tssr.Tools -CommandType Cmdlet).Name | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'declares both editions and PowerShell 5.1' {
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be '5.1'
    }

    It 'never ships System.DirectoryServices.Protocols nor System.Management.Automation' {
        Get-ChildItem $env:TSSR_MODULE_PATH -Recurse -Filter 'System.DirectoryServices.Protocols.dll' | Should -BeNullOrEmpty
        Get-ChildItem $env:TSSR_MODULE_PATH -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'loads the engine and its dependencies in its own load context, not the default one' {
        $result = Invoke-TssrPwsh -Script {
            $null = Get-TssrCompetency
            $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Tssr.Tools.Engine' }
            [pscustomobject]@{
                EngineContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine).Name
                EnginePath    = $engine.Location
            }
        }.ToString()
        $result.EngineContext | Should -Be 'Tssr.Tools'
        $result.EnginePath | Should -BeLike '*dependencies*'
    }

    It 'unhooks its resolver on Remove-Module and hooks it again on the next import' {
        $out = Invoke-TssrPwsh -Script {
            $before = [Tssr.Tools.Isolation.DependencyLoadContext]::IsInstalled
            $path = (Get-Module Tssr.Tools).Path -replace 'Tssr\.Tools\.dll$', 'Tssr.Tools.psd1'
            Remove-Module Tssr.Tools
            $removed = [Tssr.Tools.Isolation.DependencyLoadContext]::IsInstalled
            Import-Module $path
            [pscustomobject]@{ Before = $before; Removed = $removed; After = [Tssr.Tools.Isolation.DependencyLoadContext]::IsInstalled; Works = (Resolve-TssrDns localhost -Type A).IPAddress }
        }
        $out.Before | Should -BeTrue
        $out.Removed | Should -BeFalse
        $out.After | Should -BeTrue
        $out.Works | Should -Be '127.0.0.1'
    }

    It 'answers on Windows PowerShell 5.1 only what its own assemblies ask for' {
        $shipped = [Collections.Generic.HashSet[string]]::new([string[]]@('DnsClient', 'Tssr.Tools.Engine'), [StringComparer]::OrdinalIgnoreCase)
        $dir = Join-Path ([IO.Path]::GetTempPath()) 'Tssr.Tools'
        [Tssr.Tools.Loader.ModuleInitializer]::IsOwnRequest('DnsClient', (Join-Path $dir 'Tssr.Tools.dll'), $shipped, $dir) | Should -BeTrue
        [Tssr.Tools.Loader.ModuleInitializer]::IsOwnRequest('DnsClient', (Join-Path ([IO.Path]::GetTempPath()) 'Other/Other.dll'), $shipped, $dir) | Should -BeFalse
        [Tssr.Tools.Loader.ModuleInitializer]::IsOwnRequest('Newtonsoft.Json', (Join-Path $dir 'Tssr.Tools.dll'), $shipped, $dir) | Should -BeFalse
        [Tssr.Tools.Loader.ModuleInitializer]::IsOwnRequest('DnsClient', $null, $shipped, $dir) | Should -BeTrue
    }

    It 'keeps working when another module already loaded a different copy of a dependency' {
        # A decoy DnsClient.dll of another version, loaded first into the default context, as
        # another module would; ours must still load its own copy beside it.
        $decoyDir = Join-Path ([IO.Path]::GetTempPath()) "tssr-decoy-$PID"
        $null = New-Item -ItemType Directory -Force $decoyDir
        try {
            $src = 'namespace DnsClient { public class Decoy { public static string Who() => "decoy"; } }'
            $result = Invoke-TssrPwsh -Script @"
Add-Type -TypeDefinition '$src' -OutputAssembly '$decoyDir/DnsClient.dll' -ErrorAction Stop
`$decoy = [System.Reflection.Assembly]::LoadFrom('$decoyDir/DnsClient.dll')
`$contexts = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { `$_.Assemblies.GetName().Name -contains 'DnsClient' } | ForEach-Object Name
[pscustomobject]@{ Decoy = [DnsClient.Decoy]::Who(); Competencies = @(Get-TssrCompetency).Count }
"@
            $result.Decoy | Should -Be 'decoy'
            $result.Competencies | Should -Be 8
        }
        finally { Remove-Item -Recurse -Force $decoyDir -ErrorAction SilentlyContinue }
    }
}

Describe 'Competencies' {
    It 'lists the eight competencies of the référentiel in two blocks' {
        $all = Get-TssrCompetency
        $all.Count | Should -Be 8
        ($all | Group-Object Block).Count | Should -Be 2
        ($all | Where-Object Competency -eq AutomateWithScripts).Commands | Should -Contain 'Get-TssrCompetency'
    }

    It 'gives every exported cmdlet at least one competency' {
        $served = (Get-TssrCompetency).Commands
        foreach ($name in $manifest.CmdletsToExport) { $served | Should -Contain $name }
    }

    It 'speaks French when $PSUICulture is fr-FR' {
        $fr = Invoke-TssrPwsh -Culture fr-FR -Script { Get-TssrCompetency -Competency OperateIpNetwork }
        $fr.Title | Should -Be 'Exploiter un réseau IP'
        $en = Invoke-TssrPwsh -Culture en-US -Script { Get-TssrCompetency -Competency OperateIpNetwork }
        $en.Title | Should -Be 'Operate an IP network'
    }

    It 'fits an 80-column console in <Culture> without cutting a word' -ForEach @(@{ Culture = 'en-US' }, @{ Culture = 'fr-FR' }) {
        $text = (Invoke-TssrPwsh -Raw -Culture $Culture -Script { Get-TssrCompetency | Out-String -Width 80 }).Output
        $lines = $text -split '\r?\n'
        $lines | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
        # Every command name and every word of every title appears whole on one line.
        $words = @(Invoke-TssrPwsh -Culture $Culture -Script { Get-TssrCompetency | ForEach-Object { $_.Commands; $_.Title -split ' '; $_.BlockTitle -split ' ' } })
        foreach ($w in ($words | Sort-Object -Unique)) {
            ($lines | Where-Object { $_.Contains($w) }) | Should -Not -BeNullOrEmpty -Because "'$w' should not be cut across lines"
        }
    }

    It 'filters by command name with wildcards' {
        (Get-TssrCompetency -CommandName 'Get-TssrComp*').Competency | Should -Be 'AutomateWithScripts'
    }
}

Describe 'Help of <Name>' -ForEach $cmdletCases {
    BeforeAll {
        $command = Get-Command $Name
        # A hidden parameter (DontShow: a former name kept for existing scripts) is documented in
        # the page's notes and the CHANGELOG, not among the parameters.
        $parameters = @($command.Parameters.Values | Where-Object {
                $common -notcontains $_.Name -and -not @($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }).Count
            } | ForEach-Object Name)
    }

    It 'has a synopsis, a description and examples in <_>' -ForEach 'en-US', 'fr-FR' {
        $h = $helpXml[$_]
        $node = $h.Xml.SelectSingleNode("//command:command[command:details/command:name='$Name']", $h.Ns)
        $node | Should -Not -BeNullOrEmpty -Because "docs/$_/$Name.md must exist"
        $node.SelectSingleNode('command:details/maml:description/maml:para', $h.Ns).InnerText | Should -Not -BeNullOrEmpty
        $node.SelectSingleNode('maml:description/maml:para', $h.Ns).InnerText | Should -Not -BeNullOrEmpty
        @($node.SelectNodes('command:examples/command:example', $h.Ns)).Count | Should -BeGreaterOrEqual 2
        foreach ($ex in $node.SelectNodes('command:examples/command:example/dev:code', $h.Ns)) { $ex.InnerText | Should -Not -BeNullOrEmpty }
    }

    It 'describes every parameter in <_>' -ForEach 'en-US', 'fr-FR' {
        $h = $helpXml[$_]
        $node = $h.Xml.SelectSingleNode("//command:command[command:details/command:name='$Name']", $h.Ns)
        foreach ($p in $parameters) {
            $desc = $node.SelectSingleNode("command:parameters/command:parameter[maml:name='$p']/maml:description/maml:para", $h.Ns)
            $desc | Should -Not -BeNullOrEmpty -Because "-$p of $Name needs a description in docs/$($_)/$Name.md"
            $desc.InnerText | Should -Not -BeNullOrEmpty
        }
    }

    It 'documents no parameter the cmdlet does not have' {
        $h = $helpXml['en-US']
        $node = $h.Xml.SelectSingleNode("//command:command[command:details/command:name='$Name']", $h.Ns)
        # -WhatIf and -Confirm may be documented (so that Get-Help's syntax shows them) where the cmdlet has them.
        $documentable = $parameters + @($command.Parameters.Keys | Where-Object { $_ -in 'WhatIf', 'Confirm' })
        foreach ($documented in $node.SelectNodes('command:parameters/command:parameter/maml:name', $h.Ns)) {
            $documentable | Should -Contain $documented.InnerText
        }
    }

    It 'is shown by Get-Help' {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeLike "*$Name *[<]CommonParameters[>]*"
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
    }
}

Describe 'Get-Help in French' {
    It 'shows the French page when $PSUICulture is fr-FR' {
        $r = Invoke-TssrPwsh -Culture fr-FR -Script { (Get-Help Get-TssrCompetency).Synopsis }
        $r | Should -BeLike 'Liste les compétences*'
    }
}

Describe 'Enum parameters and former timeout names' {
    BeforeAll {
        $script:enumParameters = @(foreach ($c in Get-Command -Module Tssr.Tools -CommandType Cmdlet) {
                foreach ($p in $c.Parameters.Values) {
                    $type = if ($p.ParameterType.IsArray) { $p.ParameterType.GetElementType() } else { $p.ParameterType }
                    if ($type.IsEnum -and $common -notcontains $p.Name) {
                        [pscustomobject]@{ Command = $c.Name; Parameter = $p; EnumType = $type }
                    }
                }
            })
    }

    It 'finds the enum parameters (a test that sees none could not fail)' {
        $enumParameters.Count | Should -BeGreaterThan 15
        ($enumParameters | ForEach-Object { "$($_.Command) -$($_.Parameter.Name)" }) | Should -Contain 'Invoke-TssrFirewallAudit -MinimumSeverity'
    }

    It 'reads every enum parameter through the one EnumArgument mechanism, which lists the valid names' {
        foreach ($e in $enumParameters) {
            $attribute = @($e.Parameter.Attributes | Where-Object { $_ -is [Tssr.Tools.EnumArgumentAttribute] })[0]
            $attribute | Should -Not -BeNullOrEmpty -Because "$($e.Command) -$($e.Parameter.Name) needs [EnumArgument]"
            $caught = $null
            try { $null = $attribute.Transform($ExecutionContext, 'NoSuchValue') } catch { $caught = $_.Exception.InnerException ?? $_.Exception }
            $caught | Should -Not -BeNullOrEmpty
            $caught.Message | Should -Match ([regex]::Escape("-$($e.Parameter.Name)"))
            $caught.Message | Should -Match ([regex]::Escape(([Enum]::GetNames($e.EnumType) -join ', ')))
            $caught.Message | Should -Not -Match ([regex]::Escape($e.EnumType.FullName))
            # Any case, and arrays of names, as PowerShell's binder reads them.
            $name = [Enum]::GetNames($e.EnumType)[0]
            $attribute.Transform($ExecutionContext, $name.ToLowerInvariant()) | Should -Be ([Enum]::Parse($e.EnumType, $name))
        }
    }

    It 'refuses a wrong <Line> with the valid names, not a .NET type name' -ForEach @(
        @{ Line = "Get-TssrCompetency -Competency Network"; Names = 'SupportUsers, OperateWindowsServersAndActiveDirectory' }
        @{ Line = "Invoke-TssrFirewallAudit -Path x.json -MinimumSeverity Urgent"; Names = 'Info, Low, Medium, High' }
        @{ Line = "Invoke-TssrFirewallAudit -Path x.json -Kind Shadowing, Nope"; Names = 'Shadowing, Redundancy' }
        @{ Line = "Import-TssrFirewallRuleSet -Path x.json -Format pf"; Names = 'Auto' }
        @{ Line = "Compare-TssrFirewallRuleSet -ReferencePath a -DifferencePath b -Profile Home"; Names = 'Domain' }
        @{ Line = "Test-TssrHost 127.0.0.1 -Mode Fast"; Names = 'Auto' }
    ) {
        $caught = $null
        try { Invoke-Expression $Line } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        "$caught" | Should -Match 'Valid values: '
        "$caught" | Should -Match ([regex]::Escape($Names))
        "$caught" | Should -Not -Match 'Tssr\.Tools\.Engine'
    }

    It 'names every timeout and interval of the network cmdlets in seconds, as a double' {
        foreach ($name in 'Test-TssrPort', 'Test-TssrHost', 'Test-TssrTlsCertificate', 'Resolve-TssrDns', 'Find-TssrDuplicateAddress') {
            $visible = @((Get-Command $name).Parameters.Values | Where-Object {
                    $_.Name -match 'Timeout|Interval|Period' -and -not @($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }).Count
                })
            $visible.Count | Should -BeGreaterThan 0
            foreach ($p in $visible) {
                $p.Name | Should -Match 'Sec$' -Because "$name -$($p.Name)"
                $p.ParameterType | Should -Be ([double]) -Because "$name -$($p.Name)"
            }
        }
    }

    It 'gives every -TimeoutSec of the module the same type, a double' {
        $timeouts = @(Get-Command -Module Tssr.Tools | ForEach-Object {
                $c = $_
                $c.Parameters.Values | Where-Object Name -like '*TimeoutSec' | ForEach-Object { [pscustomobject]@{ Command = $c.Name; Parameter = $_.Name; Type = $_.ParameterType } }
            })
        $timeouts.Count | Should -BeGreaterThan 5
        foreach ($t in $timeouts) { $t.Type | Should -Be ([double]) -Because "$($t.Command) -$($t.Parameter)" }
        (Get-Command Connect-TssrDirectory).Parameters['TimeoutSec'].ParameterType | Should -Be ([double])
    }

    It 'still reads the former millisecond names, converted, with a warning naming the new one' {
        $r = Test-TssrPort 127.0.0.1 -Port 9 -Timeout 300 -WarningVariable w -WarningAction SilentlyContinue
        $r.Status | Should -Be 'Closed'
        "$w" | Should -Match '-Timeout \(milliseconds\) .* -TimeoutSec 0\.3'
        $caught = $null
        try { Test-TssrPort 127.0.0.1 -Port 9 -Timeout 300 -TimeoutSec 1 } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'FormerParameterWithNewOne*'
        Test-TssrHost 127.0.0.2 -TimeoutMs 200 -IntervalMs 0 -WarningVariable w2 -WarningAction SilentlyContinue -ErrorAction SilentlyContinue | Out-Null
        @($w2).Count | Should -Be 2
        "$w2" | Should -Match '-IntervalSec 0\b'
        (Get-Command Find-TssrDuplicateAddress).Parameters['TimeoutMilliseconds'].ParameterType | Should -Be ([int])
        (Get-Command Test-TssrTlsCertificate).Parameters['Timeout'].ParameterType | Should -Be ([int])
    }
}

Describe 'Views of the check and competency results at 80 and 160 columns' {
    It 'wraps check names and evidence between words at <_> columns' -ForEach 80, 160 {
        $file = Join-Path ([IO.Path]::GetTempPath()) "tssr-view-check-$PID.psd1"
        Set-Content -LiteralPath $file -Value "@{ Checks = @( @{ Name = 'web https on the intranet front end'; Type = 'PortOpen'; Target = '127.0.0.1'; Port = 9 }, @{ Name = 'ssh'; Type = 'PortOpen'; Target = '127.77.9.1'; Port = 22 } ) }"
        try {
            $results = Invoke-TssrCheck -Path $file -PassThru -WarningAction SilentlyContinue
            $text = $results | Out-String -Width $_
            $text | Should -Match 'Name\s+Outcome\s+Type\s+Evidence'
            Get-TssrViewProblem -Text $text -Width $_ -Whole 'intranet', 'Failed', 'PortOpen', '127.0.0.1:9', '(Refused).' | Should -BeNullOrEmpty
        }
        finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
    }

    It 'keeps every competency title and command whole at 160 columns too' {
        $text = Get-TssrCompetency | Out-String -Width 160
        Get-TssrViewProblem -Text $text -Width 160 -Whole (Get-TssrCompetency).Commands | Should -BeNullOrEmpty
    }
}

Describe 'Network result types' {
    It 'gives every output type of the network cmdlets its own readable ToString()' {
        $types = @(foreach ($name in 'Test-TssrPort', 'Test-TssrHost', 'Resolve-TssrDns', 'Test-TssrTlsCertificate', 'Find-TssrDuplicateAddress', 'Get-TssrSubnet') {
                (Get-Command $name).OutputType.Type | Where-Object { $_ -and $_.FullName -like 'Tssr.Tools.Engine.Network.*' }
            }) | Sort-Object FullName -Unique
        $types.Count | Should -BeGreaterOrEqual 8
        foreach ($t in $types) {
            $t.GetMethod('ToString', [type[]]@()).DeclaringType | Should -Be $t -Because "$($t.FullName) needs a readable ToString()"
            foreach ($p in $t.GetProperties()) {
                $p.PropertyType | Should -Not -Be ([System.Net.IPAddress]) -Because "$($t.Name).$($p.Name) must be a string"
                $p.Name | Should -Not -BeIn 'Address', 'Count', 'Length', 'Rank' -Because "$($t.Name).$($p.Name) is hidden by the members of arrays"
                if ($p.PropertyType.IsArray) { throw "$($t.Name).$($p.Name) is an array: use a ValueList, which Export-Csv writes as text" }
            }
        }
    }
}
