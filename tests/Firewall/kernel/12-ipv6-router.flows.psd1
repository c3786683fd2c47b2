@{
    Groups = @(
        @{ Direction = 'Forward'; In = 'wan'; Out = 'dmz'; Sources = @('2a00:1450::1'); Destinations = @('2001:db8:0:4::10', '2001:db8:0:4::99')
           Tcp = @(22, 80, 443); Udp = @(53); Icmp6 = @(128, 129); Flags = @('SYN') }
        @{ Direction = 'Forward'; In = 'lan'; Out = 'wan'; Sources = @('2001:db8:0:3::5', '2001:db8:0:9::5'); Destinations = @('2a00:1450::1')
           Tcp = @(443); Udp = @(53); Icmp6 = @(128); Flags = @('SYN') }
        @{ Direction = 'Input'; In = 'lan'; Sources = @('2001:db8:0:3::5'); Destinations = @('2001:db8:0:3::1'); Tcp = @(22, 80); Icmp6 = @(128); Flags = @('SYN') }
        @{ Direction = 'Input'; In = 'wan'; Sources = @('2a00:1450::1'); Destinations = @('2001:db8:0:2::1'); Tcp = @(22); Icmp6 = @(128); Flags = @('SYN') }
        @{ Direction = 'Input'; In = 'wan'; Sources = @('198.51.100.9'); Destinations = @('203.0.113.1'); Tcp = @(22); Icmp = @(8); Flags = @('SYN') }
    )
}
