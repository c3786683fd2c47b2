using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Tssr.Tools.Engine.Inventory.Ssh;

namespace Tssr.Tools
{
    /// <summary>
    /// Completes -Id with the ids of the open SSH sessions (the host and user in the tooltip) and
    /// -ComputerName with their host names; nothing when no session is open.
    /// </summary>
    public sealed class SshSessionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var sessions = SshSessionStore.All();
            if (string.Equals(parameterName, "ComputerName", StringComparison.OrdinalIgnoreCase))
            {
                return sessions.Select(s => s.ComputerName).Distinct(StringComparer.OrdinalIgnoreCase)
                    .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                    .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                    .ToList();
            }
            return sessions
                .Select(s => new { Text = s.Id.ToString(CultureInfo.InvariantCulture), Session = s })
                .Where(x => x.Text.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(x => x.Session.Id)
                .Select(x => new CompletionResult(x.Text, x.Text + " " + x.Session.UserName + "@" + x.Session.ComputerName + ":" + x.Session.Port.ToString(CultureInfo.InvariantCulture),
                    CompletionResultType.ParameterValue, x.Session.UserName + "@" + x.Session.ComputerName + ":" + x.Session.Port.ToString(CultureInfo.InvariantCulture) + " (" + x.Session.State + ")"))
                .ToList();
        }
    }
}
