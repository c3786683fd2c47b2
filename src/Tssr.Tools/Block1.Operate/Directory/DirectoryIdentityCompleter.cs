using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using Tssr.Tools.Engine.Directory;

namespace Tssr.Tools
{
    /// <summary>
    /// Completes -Identity (and -Members) from the open directory session (-Session, else the
    /// default one): a prefix search bounded to 20 names and 1 second. Without a session, or when
    /// the DC is slow, it offers nothing rather than block the prompt.
    /// </summary>
    public abstract class DirectoryIdentityCompleter : IArgumentCompleter
    {
        private const int MaxResults = 20;
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

        private protected abstract PrincipalKind Kind { get; }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var session = (fakeBoundParameters?["Session"] as PSObject)?.BaseObject as DirectorySession
                ?? fakeBoundParameters?["Session"] as DirectorySession
                ?? DirectorySessionStore.Default;
            if (session == null || !session.IsOpen) return Array.Empty<CompletionResult>();
            using (var cts = new CancellationTokenSource(Budget))
            {
                try
                {
                    var work = new UserDirectory(session).CompleteIdentityAsync(prefix, Kind, MaxResults, cts.Token);
                    if (!work.Wait(Budget)) return Array.Empty<CompletionResult>();
                    return work.Result.Select(r => new CompletionResult(Quote(r.SamAccountName), r.SamAccountName, CompletionResultType.ParameterValue,
                        r.Name + " (" + r.DistinguishedName + ")")).ToList();
                }
                catch (AggregateException)
                {
                    return Array.Empty<CompletionResult>();
                }
            }
        }

        private static string Quote(string value)
            => value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ',', ';', '(', ')', '{', '}', '@', '#', '&', '|' }) >= 0 ? "'" + value.Replace("'", "''") + "'" : value;
    }

    /// <summary>Completes a user's -Identity.</summary>
    public sealed class UserIdentityCompleter : DirectoryIdentityCompleter
    {
        private protected override PrincipalKind Kind => PrincipalKind.User;
    }

    /// <summary>Completes a group's -Identity.</summary>
    public sealed class GroupIdentityCompleter : DirectoryIdentityCompleter
    {
        private protected override PrincipalKind Kind => PrincipalKind.Group;
    }

    /// <summary>Completes -Members (users or groups).</summary>
    public sealed class PrincipalIdentityCompleter : DirectoryIdentityCompleter
    {
        private protected override PrincipalKind Kind => PrincipalKind.Any;
    }
}
