@{
    Groups = @(
        @{ Direction = 'Forward'; In = 'wan'; Out = 'dmz'; Sources = @('2a00:1450::1'); Destinations = @('2001:db8:0:4::10', '2001:db8:0:4::20')
           Tcp = @(22, 80, 443, 8080); Icmp6 = @(128, 129); Flags = @('SYN') }
        @{ Direction = 'Forward'; In = 'lan'; Out = 'wan'; Sources = @('2001:db8:0:3::5'); Destinations = @('2a00:1450::1'); Tcp = @(22, 443); Udp = @(53); Flags = @('SYN') }
        @{ Direction = 'Input'; In = 'wan'; Sources = @('2a00:1450::1'); Destinations = @('2001:db8:0:2::1'); Tcp = @(22, 23, 80); Udp = @(53); Flags = @('SYN', 'ACK') }
    )
}
