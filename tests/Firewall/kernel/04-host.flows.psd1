@{
    Groups = @(
        @{ Direction = 'Input'; In = 'eth0'; Sources = @('10.1.1.1', '192.0.2.20', '192.0.2.99', '198.51.100.9'); Destinations = @('192.0.2.1')
           Tcp = @(22, 23, 80, 443, 1000, 1500, 1999, 2000, 3306); Udp = @(69, 161, 514, 53); Icmp = @(8, 0); Flags = @('SYN') }
        @{ Direction = 'Input'; In = 'eth0'; Sources = @('2001:db8:0:1::5', '2001:db8:7::7'); Destinations = @('2001:db8:0:1::1')
           Tcp = @(22, 23, 443, 3306); Udp = @(69, 514); Icmp6 = @(128, 129, 135, 1); Flags = @('SYN') }
        @{ Direction = 'Input'; In = 'eth0'; State = 'Established'; Sources = @('198.51.100.9', '2001:db8:7::7'); Destinations = @('192.0.2.1', '2001:db8:0:1::1'); Tcp = @(23, 443, 8080); Udp = @(69, 5000); Flags = @('ACK') }
    )
}
