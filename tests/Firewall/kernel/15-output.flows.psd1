@{
    Groups = @(
        @{ Direction = 'Output'; Out = 'wan'; Sources = @('203.0.113.1'); Destinations = @('198.51.100.9', '198.51.100.53')
           Tcp = @(22, 25, 80, 443, 3306); Udp = @(53, 123, 514); Icmp = @(8, 13); Flags = @('SYN') }
        @{ Direction = 'Output'; Out = 'lan'; Sources = @('10.0.1.1'); Destinations = @('10.0.1.7'); Tcp = @(22, 25, 443); Udp = @(53, 514); Icmp = @(8); Flags = @('SYN') }
        @{ Direction = 'Output'; Out = 'dmz'; Sources = @('10.0.2.1'); Destinations = @('10.0.2.10'); Tcp = @(22, 80); Udp = @(123); Flags = @('SYN') }
        @{ Direction = 'Output'; Out = 'wan'; Sources = @('2001:db8:0:2::1'); Destinations = @('2a00:1450::1'); Tcp = @(22, 443); Udp = @(123); Icmp6 = @(128); Flags = @('SYN') }
        @{ Direction = 'Output'; Out = 'dmz'; Sources = @('2001:db8:0:4::1'); Destinations = @('2001:db8:0:4::10'); Tcp = @(22, 80); Icmp6 = @(128); Flags = @('SYN') }
    )
}
