@{
    Groups = @(
        @{ Direction = 'Output'; Out = 'wan'; Sources = @('203.0.113.1'); Destinations = @('198.51.100.9', '203.0.113.9')
           Tcp = @(22, 25, 80, 443); Udp = @(53, 123, 5000); Icmp = @(8, 13); Flags = @('SYN') }
        @{ Direction = 'Output'; Out = 'lan'; Sources = @('10.0.1.1'); Destinations = @('10.0.1.7'); Tcp = @(22, 80); Udp = @(53, 123, 514); Icmp = @(8); Flags = @('SYN', 'ACK') }
        @{ Direction = 'Output'; Out = 'dmz'; Sources = @('10.0.2.1'); Destinations = @('10.0.2.10'); Tcp = @(22); Udp = @(53); Icmp = @(8); Flags = @('SYN') }
        @{ Direction = 'Output'; Out = 'wan'; State = 'Established'; Sources = @('203.0.113.1'); Destinations = @('198.51.100.9'); Tcp = @(22, 5000); Udp = @(40000); Flags = @('ACK') }
    )
}
