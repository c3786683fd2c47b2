using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Targets;
using Tssr.Tools.Engine.Snmp;

namespace Tssr.Tools
{
    /// <summary>Sweeps addresses, ranges and CIDR blocks for SNMP agents that answer the given communities or v3 user, over one socket, paced, streamed.</summary>
    [Cmdlet(VerbsCommon.Find, "TssrSnmpDevice")]
    [OutputType(typeof(SnmpSweepResult))]
    [Competency(Competency.OperateIpNetwork)]
    public sealed class FindTssrSnmpDeviceCommand : SnmpCmdlet
    {
        /// <summary>The UDP port asked on every address.</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = SnmpEndpoint.DefaultPort;

        /// <summary>New addresses asked per second at most.</summary>
        [Parameter]
        [ValidateRange(1.0, 100000.0)]
        public double RatePerSec { get; set; } = SnmpSweepOptions.DefaultRatePerSecond;

        /// <summary>Write the addresses that did not answer too (Status NoResponse).</summary>
        [Parameter]
        public SwitchParameter IncludeNoResponse { get; set; }

        /// <summary>IPv4 blocks also give their network and broadcast addresses.</summary>
        [Parameter]
        public SwitchParameter IncludeNetworkAndBroadcast { get; set; }

        protected override void BeginProcessing()
        {
            var first = BuildCredential();
            var credentials = new List<SnmpCredential>();
            if (first.Version != SnmpVersion.V3)
                foreach (var community in ReadCommunities()) credentials.Add(SnmpCredential.ForCommunity(first.Version, community));
            var options = new SnmpSweepOptions
            {
                Credential = first,
                Credentials = credentials,
                Settings = BuildSettings(),
                ThrottleLimit = ThrottleLimit,
                Port = Port,
                RatePerSecond = RatePerSec,
                IncludeNoResponse = IncludeNoResponse.IsPresent,
                IncludeNetworkAndBroadcast = IncludeNetworkAndBroadcast.IsPresent,
            };
            Work = StartEngine(new SnmpSweepEngine(), options, inputCapacity: ThrottleLimit * 2);
        }

        /// <summary>-Community may list several communities (strings or SecureStrings), tried in order.</summary>
        private IEnumerable<byte[]> ReadCommunities()
        {
            var value = Community is PSObject wrapped ? wrapped.BaseObject : Community;
            if (!(value is object[] many)) yield break; // one community: the engine uses the credential itself
            foreach (var item in many)
            {
                var one = item is PSObject p ? p.BaseObject : item;
                if (one is string text) yield return System.Text.Encoding.UTF8.GetBytes(text);
                else if (one is SecureString secure) yield return SecureBytes(secure);
                else ThrowParameterError("SnmpCommunityType", "Community", SnmpText.Strings.Format("Error_CommunityType", one?.GetType().Name), SnmpText.Strings.Get("Action_CommunityType"));
            }
        }

        /// <summary>Targets are addresses, ranges and CIDR blocks (no :port; -Port applies to all).</summary>
        protected override void ProcessRecord()
        {
            var fromPipeline = IsPipelineInput;
            if (!fromPipeline)
                foreach (var name in ComputerName)
                    TryReadInput(() => TargetParser.Count(name), fromPipeline: false, out _);
            foreach (var name in ComputerName)
            {
                if (fromPipeline && IsUnboundRecord(name))
                {
                    WriteUnboundRecordError(name, nameof(ComputerName));
                    continue;
                }
                if (fromPipeline && !TryReadInput(() => TargetParser.Count(name), fromPipeline: true, out _)) continue;
                Work!.Post(name);
            }
        }
    }
}
