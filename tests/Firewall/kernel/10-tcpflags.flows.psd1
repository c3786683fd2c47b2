@{
    Groups = @(
        @{ Direction = 'Input'; In = 'eth0'; Sources = @('198.51.100.9', '2001:db8:5::5'); Destinations = @('192.0.2.1', '2001:db8:0:1::1')
           Tcp = @(21, 22, 25, 80, 443, 8000); Udp = @(21); Flags = @('SYN', 'ACK', 'SYN,ACK', 'FIN,ACK', 'RST') }
        @{ Direction = 'Input'; In = 'eth0'; State = 'Established'; Sources = @('198.51.100.9'); Destinations = @('192.0.2.1'); Tcp = @(21, 22, 25, 80, 443, 8080); Flags = @('ACK', 'FIN,ACK') }
    )
}
