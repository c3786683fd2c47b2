@{
    Groups = @(
        @{ Direction = 'Forward'; In = 'wan'; Out = 'dmz'; Sources = @('198.51.100.9', '192.0.2.77'); Destinations = @('203.0.113.1')
           Tcp = @(8080, 2222); Udp = @(1194); Flags = @('SYN') }
        @{ Direction = 'Input'; In = 'wan'; Sources = @('198.51.100.9', '192.0.2.77'); Destinations = @('203.0.113.1')
           Tcp = @(22, 80, 443, 8081); Udp = @(1195); Icmp = @(8); Flags = @('SYN') }
        @{ Direction = 'Forward'; In = 'wan'; Out = 'dmz'; Sources = @('198.51.100.9'); Destinations = @('10.0.2.10', '10.0.2.11')
           Tcp = @(22, 80); Udp = @(1194); Flags = @('SYN') }
        @{ Direction = 'Forward'; In = 'lan'; Out = 'wan'; Sources = @('10.0.1.5'); Destinations = @('198.51.100.9', '198.51.100.77')
           Tcp = @(25, 80, 443); Udp = @(53); Icmp = @(8); Flags = @('SYN', 'ACK') }
        @{ Direction = 'Forward'; In = 'lan'; Out = 'dmz'; Sources = @('10.0.1.5'); Destinations = @('10.0.2.10')
           Tcp = @(22, 80, 443); Flags = @('SYN') }
        @{ Direction = 'Input'; In = 'lan'; Sources = @('10.0.1.5'); Destinations = @('10.0.1.1'); Tcp = @(22); Udp = @(53); Flags = @('SYN') }
        @{ Direction = 'Forward'; In = 'wan'; Out = 'lan'; State = 'Established'; Sources = @('198.51.100.9'); Destinations = @('10.0.1.5'); Tcp = @(40000, 22); Udp = @(40001); Flags = @('ACK') }
        @{ Direction = 'Input'; In = 'wan'; State = 'Established'; Sources = @('198.51.100.9'); Destinations = @('203.0.113.1'); Tcp = @(22, 40000); Flags = @('ACK') }
    )
}
