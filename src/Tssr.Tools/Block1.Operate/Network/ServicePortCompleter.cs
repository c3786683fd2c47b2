using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Tssr.Tools.Engine.Network.Targets;

namespace Tssr.Tools
{
    /// <summary>Completes -Port with the service names of the module's own table (ssh, https, rdp...), each with its number.</summary>
    public sealed class ServicePortCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return PortParser.ServiceNames
                .Where(s => s.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .OrderBy(s => s.Key, StringComparer.OrdinalIgnoreCase)
                .Select(s => new CompletionResult(s.Key, s.Key + " (" + s.Value + ")", CompletionResultType.ParameterValue, s.Key + " = TCP " + s.Value))
                .ToList();
        }
    }
}
