# Runs documented examples, each in a fresh runspace with the module imported, in a working
# folder of sample files; writes one result per example (JSON). Started by Examples.Tests.ps1
# inside the documented-network namespace (tests/lab/components/Examples.ps1).
param(
    [Parameter(Mandatory)] [string] $ExamplePath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SamplePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [int] $TimeoutSeconds = 120
)
$ErrorActionPreference = 'Stop'
$examples = Get-Content -Raw -LiteralPath $ExamplePath | ConvertFrom-Json

# Errors that mean the example itself is wrong (it does not parse, names a parameter or a command
# that does not exist, passes a value the parameter cannot take), as opposed to what the sandbox
# network answers (a refused port, a name that does not resolve), which the example has to expect.
$wrong = @(
    'ParseException', 'CommandNotFoundException', 'NamedParameterNotFound', 'PositionalParameterNotFound',
    'ParameterArgumentTransformationError', 'ParameterArgumentValidationError', 'ParameterBindingFailed',
    'MissingArgument', 'AmbiguousParameter', 'CannotConvertArgumentNoMessage', 'InputObjectNotBound',
    'AmbiguousParameterSet', 'MissingMandatoryParameter', 'ParameterAlreadyBound', 'CannotConvertArgument',
    'MethodNotFound', 'PropertyNotFound', 'InvokeMethodOnNull', 'PipelineRecordWithoutKnownProperty',
    'UnexpectedFailure'
)

$results = foreach ($example in $examples) {
    $work = Join-Path ([IO.Path]::GetTempPath()) ("tssr-example-" + [Guid]::NewGuid().ToString('N'))
    # The files every example may read, then the page's own (a page's flows.csv is not another's).
    Copy-Item -Recurse -LiteralPath (Join-Path $SamplePath 'common') -Destination $work
    $own = Join-Path (Join-Path $SamplePath 'pages') $example.Page
    if (Test-Path -LiteralPath $own) { Copy-Item -Recurse -Force -Path (Join-Path $own '*') -Destination $work }
    $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $runspace = [runspacefactory]::CreateRunspace($iss)
    $runspace.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    $culture = if ($example.Language -eq 'fr-FR') { 'fr-FR' } else { 'en-US' }
    $script = @"
[System.Globalization.CultureInfo]::CurrentUICulture = '$culture'
Import-Module '$ModulePath'
Set-Location -LiteralPath '$work'
`$Error.Clear()
`$ProgressPreference = 'SilentlyContinue'
"@
    $null = $ps.AddScript($script).AddStatement().AddScript($example.Code)
    $started = [DateTime]::UtcNow
    $terminating = $null
    $handle = $ps.BeginInvoke()
    if (-not $handle.AsyncWaitHandle.WaitOne($TimeoutSeconds * 1000)) {
        $ps.Stop()
        $terminating = "did not finish within $TimeoutSeconds s"
    }
    else {
        try { $null = $ps.EndInvoke($handle) }
        catch { $terminating = $_.Exception.InnerException ? $_.Exception.InnerException.Message : $_.Exception.Message }
    }
    $errors = @($ps.Streams.Error) + @($runspace.SessionStateProxy.GetVariable('Error') | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    $ids = @($errors | ForEach-Object { $_.FullyQualifiedErrorId } | Sort-Object -Unique)
    $bad = @($errors | Where-Object { $id = ($_.FullyQualifiedErrorId -split ',')[0]; $wrong -contains $id } |
        ForEach-Object { '{0}: {1}' -f $_.FullyQualifiedErrorId, $_.Exception.Message } | Sort-Object -Unique)
    $ps.Dispose()
    $runspace.Dispose()
    Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction SilentlyContinue
    [pscustomobject]@{
        Id          = $example.Id
        Terminating = $terminating
        WrongUse    = $bad
        ErrorIds    = $ids
        Seconds     = [math]::Round(([DateTime]::UtcNow - $started).TotalSeconds, 2)
    }
}
ConvertTo-Json -InputObject @($results) -Depth 4 | Set-Content -LiteralPath $ResultPath
