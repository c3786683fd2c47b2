@{
    Groups = @(
        @{ Direction = 'Input'; In = 'eth0'; Sources = @('2001:db8:0:1::7', '2001:db8:9::9', '2a00:1450::1'); Destinations = @('2001:db8:0:1::1')
           Tcp = @(22, 23, 80, 443, 8080); Udp = @(123, 500, 501, 502); Icmp6 = @(128, 129, 130); Flags = @('SYN') }
    )
}
