@{
    Groups = @(
        @{ Direction = 'Input'; In = 'eth0'; Sources = @('10.0.0.5', '198.51.100.9'); Destinations = @('192.0.2.1')
           Tcp = @(9, 22, 25, 80, 443, 8080, 51820); Udp = @(9, 22, 4500, 8080, 51820); Flags = @('SYN') }
        @{ Direction = 'Input'; In = 'wan'; Sources = @('198.51.100.9'); Destinations = @('203.0.113.1'); Tcp = @(80, 443); Flags = @('SYN') }
    )
}
