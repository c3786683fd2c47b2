using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools
{
    /// <summary>
    /// Completes -Protocol with IP protocol names, the port-carrying ones first (tcp, udp, icmp...);
    /// each name offered is one the module's protocol table accepts.
    /// </summary>
    public sealed class ProtocolCompleter : IArgumentCompleter
    {
        private static readonly string[] Candidates =
        {
            "tcp", "udp", "icmp", "icmpv6", "sctp", "dccp", "udplite", "gre", "esp", "ah", "igmp", "ipip", "ipv6", "ospf", "pim", "vrrp", "carp", "l2tp", "egp", "pfsync",
        };

        private static readonly Lazy<IReadOnlyList<KeyValuePair<string, int>>> Names = new Lazy<IReadOnlyList<KeyValuePair<string, int>>>(() =>
            Candidates.Select(n => Protocols.TryParseProtocol(n, out var number) ? new KeyValuePair<string, int>(n, number) : default)
                .Where(p => p.Key != null).ToList());

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Names.Value
                .Where(p => p.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(p => new CompletionResult(p.Key, p.Key + " (" + p.Value + ")", CompletionResultType.ParameterValue, p.Key + " = IP protocol " + p.Value))
                .ToList();
        }
    }
}
