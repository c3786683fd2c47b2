@{
    Groups = @(
        @{ Direction = 'Input'; In = 'eth0'; Sources = @('192.0.2.9', '198.51.100.9'); Destinations = @('192.0.2.1')
           Tcp = @(22, 80, 443, 3389, 3000); Udp = @(53, 443, 3000); Flags = @('SYN', 'ACK') }
    )
}
