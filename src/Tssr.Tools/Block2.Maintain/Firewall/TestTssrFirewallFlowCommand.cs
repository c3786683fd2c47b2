using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
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
        /// <summary>The rule set to ask, from Import-TssrFirewallRuleSet.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByRuleSet)]
        public FirewallRuleSet? RuleSet { get; set; }

        /// <summary>A rule set file to read and ask.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByPath)]
        public string? Path { get; set; }

        /// <summary>Windows Firewall exports read from -Path: evaluate them for this profile (see Import-TssrFirewallRuleSet -Profile).</summary>
        [Parameter(ParameterSetName = ByPath)]
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

        /// <summary>The destination port (tcp, udp, sctp...).</summary>
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("DestinationPort")]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>tcp (default), udp, icmp, icmpv6, a name or a number.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
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
        public ChainHook Direction { get; set; } = ChainHook.None;

        /// <summary>Only this base chain (by name) instead of every chain of the direction.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Chain { get; set; }

        /// <summary>Connection-tracking state of the packet; New (a first packet) by default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public ConnState State { get; set; } = ConnState.New;

        /// <summary>ICMP type for icmp/icmpv6 (8 / 128 echo request by default).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, 255)]
        public int IcmpType { get; set; } = -1;

        private FirewallRuleSet? _set;
        private FlowEvaluator? _evaluator;

        protected override void BeginProcessing()
        {
            if (Live) _set = ReadLive(RuleSetFormat.Auto);
            else if (ParameterSetName == ByPath)
            {
                var file = ResolveFiles(new[] { Path! }).FirstOrDefault();
                if (file == null) return;
                _set = ReadFile(file, RuleSetFormat.Auto, terminating: true, BoundProfile(Profile));
            }
        }

        protected override void ProcessRecord()
        {
            var set = RuleSet ?? _set;
            if (set == null) return;
            if (_evaluator == null || !ReferenceEquals(set, _set)) { _set = set; _evaluator = Invoke(() => new FlowEvaluator(set)); }
            if (!Addresses.TryParseAddress(Source, out var fs, out var s))
                ThrowParameterError("FirewallFlowBadAddress", Source, Text("Error_BadFlowAddress", Source, "Source"));
            if (!Addresses.TryParseAddress(Destination, out var fd, out var d))
                ThrowParameterError("FirewallFlowBadAddress", Destination, Text("Error_BadFlowAddress", Destination, "Destination"));
            if (fs != fd)
                ThrowParameterError("FirewallFlowFamilyMismatch", Destination, Text("Error_FlowFamilyMismatch", Source, Destination));
            if (!Protocols.TryParseProtocol(Protocol, out var protocol))
                ThrowParameterError("FirewallFlowBadProtocol", Protocol, Text("Error_BadFlowProtocol", Protocol));
            var direction = Direction;
            if (direction == ChainHook.None)
                direction = set.Chains.Any(c => c.Hook == ChainHook.Inbound) ? ChainHook.Inbound : ChainHook.Input;
            if (direction == ChainHook.Inbound && string.IsNullOrEmpty(Interface) && string.IsNullOrEmpty(Chain))
                ThrowParameterError("FirewallFlowInterfaceRequired", set.Name, Text("Error_FlowInterfaceRequired", string.Join(", ", set.Chains.Where(c => c.InterfaceName != null).Select(c => c.InterfaceName).Distinct())));
            int icmp = IcmpType >= 0 ? IcmpType : fs == IpFamily.Ipv6 ? 128 : 8;
            var packet = new Packet(fs, protocol, s, d, SourcePort, Port, State, Interface, OutInterface, icmp);
            WriteObject(_evaluator!.Evaluate(new FlowQuery(packet, direction, Chain)));
        }

        private static string Text(string key, params object?[] args) => FirewallText.Format(key, args);
    }

    internal static class FirewallText
    {
        private static readonly Engine.Core.Localizer Strings = new Engine.Core.Localizer("Tssr.Tools.Engine.Firewall.Strings");
        public static string Format(string key, params object?[] args) => Strings.Format(key, args);
    }
}
