using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Tssr.Tools.Engine.Core;
using Tssr.Tools.Engine.Network.Arp;
using Tssr.Tools.Engine.Tests.Support;
using Xunit;

namespace Tssr.Tools.Engine.Tests.Network.Arp
{
    public class DuplicateAddressScannerTests
    {
        [Theory]
        [InlineData("198.19.254.0/33", "CidrInvalid")]
        [InlineData("198.19.254.300", "TargetInvalid")]
        [InlineData("198.19.254.50-10", "RangeBackwards")]
        [InlineData("bad name!", "TargetInvalid")]
        [InlineData("10.0.0.0/15", "TargetTooLarge")]
        public void Refuses_bad_input_before_anything_goes_on_the_wire(string input, string errorId)
        {
            var options = new DuplicateAddressOptions(new[] { "198.19.254.10", input });
            var e = Assert.Throws<TssrException>(() => DuplicateAddressScanner.CountTargets(options));
            Assert.Equal(errorId, e.Error.ErrorId);
            Assert.Equal(input, e.Error.Target);
        }

        [Fact]
        public void Refuses_an_empty_target_list()
        {
            var e = Assert.Throws<TssrException>(() => DuplicateAddressScanner.CountTargets(new DuplicateAddressOptions(Array.Empty<string>())));
            Assert.Equal("TargetEmpty", e.Error.ErrorId);
        }

        [Fact]
        public void Counts_blocks_without_their_network_and_broadcast_addresses()
            => Assert.Equal(254 + 1 + 3, DuplicateAddressScanner.CountTargets(new DuplicateAddressOptions(new[] { "198.19.254.0/24", "web01", "fd00::1-fd00::3" })));

        [Fact]
        public void Says_plainly_where_the_platform_cannot_do_it()
        {
            Assert.Null(DuplicateAddressScanner.PlatformError(true, "Linux"));
            var error = DuplicateAddressScanner.PlatformError(false, "Microsoft Windows 10.0.26100")!;
            Assert.Equal("DuplicateAddressNotSupported", error.ErrorId);
            Assert.Equal(TssrErrorCategory.NotImplemented, error.Category);
            Assert.Contains("Microsoft Windows", error.Message);
            Assert.Contains("Get-NetIPAddress", error.RecommendedAction);
        }

        [Fact]
        public void Names_the_missing_privilege_and_the_way_to_get_it()
        {
            var error = DuplicateAddressScanner.NotPermitted("eth0", 1);
            Assert.Equal("PacketSocketNotPermitted", error.ErrorId);
            Assert.Equal(TssrErrorCategory.PermissionDenied, error.Category);
            Assert.Equal("eth0", error.Target);
            Assert.Contains("CAP_NET_RAW", error.Message);
            Assert.Contains("setcap cap_net_raw+ep", error.RecommendedAction);
        }

        [Fact]
        public void Checks_the_named_interface()
        {
            var interfaces = new List<LinkInterface>
            {
                new LinkInterface("lo", 1, null, true, true, new[] { new InterfaceAddress(IPAddress.Loopback, 8) }),
                new LinkInterface("eth0", 2, new byte[] { 2, 0, 0, 0, 0, 2 }, true, false, Array.Empty<InterfaceAddress>()),
                new LinkInterface("eth1", 3, new byte[] { 2, 0, 0, 0, 0, 3 }, false, false, Array.Empty<InterfaceAddress>()),
            };
            Assert.Equal("eth0", DuplicateAddressScanner.ChooseInterface("eth0", interfaces).Name);
            Assert.Equal("eth0", DuplicateAddressScanner.ChooseInterface("ETH0", interfaces).Name);

            var missing = Assert.Throws<TssrException>(() => DuplicateAddressScanner.ChooseInterface("wlan9", interfaces));
            Assert.Equal("InterfaceNotFound", missing.Error.ErrorId);
            Assert.Contains("lo, eth0, eth1", missing.Error.Message);
            Assert.Equal("InterfaceNoLinkLayerAddress", Assert.Throws<TssrException>(() => DuplicateAddressScanner.ChooseInterface("lo", interfaces)).Error.ErrorId);
            Assert.Equal("InterfaceDown", Assert.Throws<TssrException>(() => DuplicateAddressScanner.ChooseInterface("eth1", interfaces)).Error.ErrorId);
        }

        [Fact]
        public async Task Refuses_a_bad_target_before_checking_the_platform_or_the_privilege()
        {
            var scanner = new DuplicateAddressScanner();
            var e = await Assert.ThrowsAsync<TssrException>(() => scanner.FindAsync(new DuplicateAddressOptions(new[] { "10.0.0.0/33" }), new RecordingSink(), CancellationToken.None));
            Assert.Equal("CidrInvalid", e.Error.ErrorId);
        }
    }
}
