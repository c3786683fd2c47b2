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
        $parameters = @($command.Parameters.Keys | Where-Object { $common -notcontains $_ })
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
