@{
    Groups = @(
        @{ Direction = 'Input'; In = 'eth0'; Sources = @('10.0.0.5', '192.0.2.50', '198.51.100.9'); Destinations = @('192.0.2.1')
           Tcp = @(22, 80, 8080, 9050, 9200); Udp = @(53, 54); Icmp = @(8, 13); Flags = @('SYN') }
    )
}
