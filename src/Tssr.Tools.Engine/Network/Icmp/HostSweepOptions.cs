using System.Net.Sockets;
using Tssr.Tools.Engine.Core;

namespace Tssr.Tools.Engine.Network.Icmp
{
    /// <summary>How a sweep runs. The defaults are those of a tuned fping: -i 1 -r 1 -t 500.</summary>
    public sealed class HostSweepOptions
    {
        public IcmpMode Mode { get; set; } = IcmpMode.Auto;
        /// <summary>Milliseconds between two echo requests, whatever their target (fping -i). 0 sends as fast as the socket takes them.</summary>
        public int IntervalMs { get; set; } = 1;
        /// <summary>Milliseconds to wait for each reply (fping -t).</summary>
        public int TimeoutMs { get; set; } = 500;
        /// <summary>Further attempts after a timeout, in sweep mode (fping -r).</summary>
        public int Retry { get; set; } = 1;
        /// <summary>Echo requests per host; above 1 every request is a sample (loss and RTT statistics) and Retry is not used.</summary>
        public int Count { get; set; } = 1;
        /// <summary>Milliseconds between two requests to the same host with Count above 1 (fping -p).</summary>
        public int PeriodMs { get; set; } = 1000;
        /// <summary>Bytes of data in each echo request (fping -b; 56 by default).</summary>
        public int BufferSize { get; set; } = 56;
        /// <summary>TTL (hop limit) of the requests; null keeps the system's.</summary>
        public int? TimeToLive { get; set; }
        /// <summary>Hosts under test at once.</summary>
        public int ThrottleLimit { get; set; } = 1024;
        /// <summary>Which address of a host name to test: InterNetwork, InterNetworkV6, or Unspecified (IPv4 first).</summary>
        public AddressFamily PreferredFamily { get; set; } = AddressFamily.Unspecified;
        /// <summary>Largest expansion of one target input.</summary>
        public long MaximumTargetsPerInput { get; set; } = Targets.TargetParser.DefaultMaximumExpansion;
        /// <summary>An IPv4 block of /30 or wider also gives its network and broadcast addresses (off: its hosts only, as fping -g).</summary>
        public bool IncludeNetworkAndBroadcast { get; set; }

        public static readonly Localizer Text = NetworkText.Icmp;

        /// <summary>Throws a <see cref="TssrException"/> naming the first option out of range.</summary>
        public void Validate()
        {
            Check(nameof(IntervalMs), IntervalMs, 0, 60000);
            Check(nameof(TimeoutMs), TimeoutMs, 1, 600000);
            Check(nameof(Retry), Retry, 0, 100);
            Check(nameof(Count), Count, 1, 1000000);
            Check(nameof(PeriodMs), PeriodMs, 1, 3600000);
            Check(nameof(BufferSize), BufferSize, 0, 65500);
            if (TimeToLive.HasValue) Check(nameof(TimeToLive), TimeToLive.Value, 1, 255);
            Check(nameof(ThrottleLimit), ThrottleLimit, 1, 65535);
        }

        private static void Check(string name, long value, long minimum, long maximum)
        {
            if (value < minimum || value > maximum)
                throw new TssrException("IcmpOptionOutOfRange", TssrErrorCategory.InvalidArgument, name,
                    Text.Format("Option_OutOfRange", name, value, minimum, maximum), Text.Format("Option_OutOfRangeAction", name, minimum, maximum));
        }
    }
}
