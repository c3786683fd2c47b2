@{
    Groups = @(
        @{ Direction = 'Input'; In = 'eth0'; Sources = @('10.2.3.4', '198.51.100.9'); Destinations = @('192.0.2.1')
           Tcp = @(21, 23, 443, 8443, 5985); Udp = @(53, 4000); Icmp = @(8); Flags = @('SYN', 'ACK') }
        @{ Direction = 'Input'; In = 'eth0'; Sources = @('198.51.100.9'); Destinations = @('192.0.2.1'); Udp = @(2000, 80); SourcePort = 53 }
    )
}
