using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Firewall.Analysis;
using Tssr.Tools.Engine.Firewall.Model;

namespace Tssr.Tools
{
    /// <summary>Would this traffic pass? The verdict, the rule that decides it (file and line) and the path through the chains.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "TssrFirewallFlow", DefaultParameterSetName = ByRuleSet)]
    [OutputType(typeof(FlowResult))]
    [Competency(Engine.Core.Competency.SecureInternetAccessAndInterconnections)]
    public sealed class TestTssrFirewallFlowCommand : FirewallCmdletBase
    {
        /// <summary>The rule set to ask, from Import-TssrFirewallRuleSet (or piped: $rs | Test-TssrFirewallFlow ...).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByRuleSet, ValueFromPipeline = true)]
        public FirewallRuleSet? RuleSet { get; set; }

        /// <summary>A rule set file to read and ask.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByPath)]
        public string? Path { get; set; }

        /// <summary>Windows Firewall exports read from -Path: evaluate them for this profile (see Import-TssrFirewallRuleSet -Profile).</summary>
        [Parameter(ParameterSetName = ByPath)]
        [EnumArgument(typeof(WindowsFirewallProfile), nameof(Profile))]
        public WindowsFirewallProfile Profile { get; set; }

        /// <summary>Asks the local host's rules.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByLive)]
        public SwitchParameter Live { get; set; }

        /// <summary>The source address (IPv4 or IPv6).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("SourceAddress", "From")]
        public string Source { get; set; } = "";

        /// <summary>The destination address, of the same family.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("DestinationAddress", "To")]
        public string Destination { get; set; } = "";

        /// <summary>The destination port: a number or a service name (ssh, https, rdp); required for tcp, udp, sctp, dccp and udplite.</summary>
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("DestinationPort")]
        [AllowNull, AllowEmptyString]
        [ArgumentCompleter(typeof(ServicePortCompleter))]
        public string? Port { get; set; }

        /// <summary>TCP flags of the packet (SYN, ACK, FIN, RST, PSH, URG, ECE, CWR; several as SYN,ACK or an array); by default SYN for a New (or Related) flow, ACK otherwise.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyCollection]
        [ArgumentCompleter(typeof(TcpFlagsCompleter))]
        public string[]? TcpFlags { get; set; }

        /// <summary>tcp (default), udp, icmp, icmpv6, a name or a number.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProtocolCompleter))]
        public string Protocol { get; set; } = "tcp";

        /// <summary>The source port; 50000 (an ephemeral port) by default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, 65535)]
        public int SourcePort { get; set; } = 50000;

        /// <summary>The interface the packet comes in on (iptables -i, nft iifname, pfSense interface such as lan).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("InInterface")]
        public string? Interface { get; set; }

        /// <summary>The interface the packet leaves by (forwarded or output traffic).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? OutInterface { get; set; }

        /// <summary>Input (to this host), Forward (through it), Output (from it), or Inbound/Outbound on a perimeter firewall's interface. Chosen from the rule set when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EnumArgument(typeof(ChainHook), nameof(Direction))]
        public ChainHook Direction { get; set; } = ChainHook.None;

        /// <summary>Only this base chain (by name) instead of every chain of the direction.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Chain { get; set; }

        /// <summary>Connection-tracking state of the packet; New (a first packet) by default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EnumArgument(typeof(ConnState), nameof(State))]
        public ConnState State { get; set; } = ConnState.New;

        /// <summary>ICMP type for icmp/icmpv6 (8 / 128 echo request by default).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, 255)]
        public int IcmpType { get; set; } = -1;

        private FirewallRuleSet? _set;
        private readonly FirewallFlowEngine _engine = new FirewallFlowEngine();

        protected override void BeginProcessing()
        {
            if (Live) _set = ReadLive(RuleSetFormat.Auto);
            else if (ParameterSetName == ByPath) _set = ReadFile(ResolveFile(Path!), RuleSetFormat.Auto, terminating: true, BoundProfile(Profile));
        }

        protected override void ProcessRecord()
        {
            var set = RuleSet ?? _set;
            if (set == null) return;
            if (!TryQuery(set, out var query)) return;
            // The evaluator of a rule set is compiled once (a thousand flows piped stay fast), here on the pipeline thread.
            RunEngineInline(_engine, new FirewallFlowOptions(set), new[] { query });
        }

        /// <summary>The flow of this record; a bad value follows the input-error policy (typed: stop; piped: this record only).</summary>
        private bool TryQuery(FirewallRuleSet set, out FlowQuery query)
        {
            query = null!;
            bool Bad(string id, object? target, string message, string? action = null)
            {
                WriteInputError(new TssrError(id, TssrErrorCategory.InvalidArgument, target, message, action));
                return false;
            }
            if (!Addresses.TryParseAddress(Source, out var fs, out var s))
                return Bad("FirewallFlowBadAddress", Source, Text("Error_BadFlowAddress", Source, "Source"));
            if (!Addresses.TryParseAddress(Destination, out var fd, out var d))
                return Bad("FirewallFlowBadAddress", Destination, Text("Error_BadFlowAddress", Destination, "Destination"));
            if (fs != fd)
                return Bad("FirewallFlowFamilyMismatch", Destination, Text("Error_FlowFamilyMismatch", Source, Destination));
            if (!Protocols.TryParseProtocol(Protocol, out var protocol))
                return Bad("FirewallFlowBadProtocol", Protocol, Text("Error_BadFlowProtocol", Protocol));
            bool ported = Protocols.PortProtocols.Contains((ulong)protocol);
            int port = 0;
            if (ported)
            {
                if (string.IsNullOrWhiteSpace(Port))
                    return Bad("FirewallFlowPortRequired", Protocol, Text("Error_FlowPortRequired", Protocols.ProtocolName(protocol)), Text("Action_FlowPortRequired"));
                if (!TryPort(Port!, out port))
                    return Bad("FirewallFlowBadPort", Port, Text("Error_BadFlowPort", Port), Text("Action_FlowPortRequired"));
            }
            int? flags = null;
            var flagText = TcpFlags == null ? "" : string.Join(",", TcpFlags.Where(f => !string.IsNullOrWhiteSpace(f)));
            if (flagText.Length > 0)
            {
                if (protocol != Protocols.Tcp)
                    return Bad("FirewallFlowTcpFlagsNotTcp", flagText, Text("Error_FlowTcpFlagsNotTcp", flagText, Protocols.ProtocolName(protocol)));
                if (!Protocols.TryParseTcpFlags(flagText, out var bits))
                    return Bad("FirewallFlowBadTcpFlags", flagText, Text("Reason_BadTcpFlags", flagText));
                flags = bits;
            }
            var direction = Direction;
            if (direction == ChainHook.None)
                direction = set.Chains.Any(c => c.Hook == ChainHook.Inbound) ? ChainHook.Inbound : ChainHook.Input;
            if (direction == ChainHook.Inbound && string.IsNullOrEmpty(Interface) && string.IsNullOrEmpty(Chain))
                return Bad("FirewallFlowInterfaceRequired", set.Name, Text("Error_FlowInterfaceRequired", string.Join(", ", set.Chains.Where(c => c.InterfaceName != null).Select(c => c.InterfaceName).Distinct())));
            int icmp = IcmpType >= 0 ? IcmpType : fs == IpFamily.Ipv6 ? 128 : 8;
            var packet = new Packet(fs, protocol, s, d, SourcePort, port, State, Interface, OutInterface, icmp, flags);
            query = new FlowQuery(packet, direction, Chain);
            return true;
        }

        /// <summary>A number, or a service name as Test-TssrPort takes it.</summary>
        private static bool TryPort(string text, out int port)
        {
            if (Protocols.TryParsePort(text, out port)) return true;
            return Engine.Network.Targets.PortParser.ServiceNames.TryGetValue(text.Trim(), out port);
        }

        private static string Text(string key, params object?[] args) => FirewallStrings.Format(key, args);
    }

    /// <summary>Completes -TcpFlags with the flag names.</summary>
    public sealed class TcpFlagsCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
        {
            var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var comma = word.LastIndexOf(',');
            var head = comma >= 0 ? word.Substring(0, comma + 1) : "";
            var prefix = word.Substring(head.Length);
            return Protocols.TcpFlagList
                .Where(f => f.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(f => new CompletionResult(head + f, f, CompletionResultType.ParameterValue, f))
                .ToList();
        }
    }
}
