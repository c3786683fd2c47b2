@{
    Groups = @(
        @{ Direction = 'Input'; In = 'eth0'; Sources = @('10.8.1.1', '192.0.2.7', '192.0.2.25', '192.0.2.200', '198.51.100.9'); Destinations = @('192.0.2.1')
           Tcp = @(22, 23, 25, 80, 443, 3306, 5432, 8003, 8005, 9999); Udp = @(53, 123); Icmp = @(8, 13, 0, 3); Flags = @('SYN') }
        @{ Direction = 'Input'; In = 'eth0'; Sources = @('198.51.100.9'); Destinations = @('192.0.2.1'); Tcp = @(22, 80, 9999); Flags = @('ACK', 'SYN,ACK', 'FIN') }
        @{ Direction = 'Input'; In = 'eth0'; State = 'Established'; Sources = @('198.51.100.9'); Destinations = @('192.0.2.1'); Tcp = @(22, 25, 5432, 9999); Udp = @(53, 5000); Flags = @('ACK') }
    )
}
