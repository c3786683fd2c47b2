@{
    Groups = @(
        @{ Direction = 'Forward'; In = 'wan'; Out = 'dmz'; Sources = @('198.51.100.9', '192.0.2.77'); Destinations = @('203.0.113.1'); Tcp = @(80, 443); Udp = @(5060); Flags = @('SYN', 'ACK') }
        @{ Direction = 'Input'; In = 'wan'; Sources = @('198.51.100.9', '192.0.2.77'); Destinations = @('203.0.113.1'); Tcp = @(22, 23, 8443); Udp = @(53, 80, 5061); Icmp = @(8); Flags = @('SYN') }
        @{ Direction = 'Forward'; In = 'wan'; Out = 'dmz'; Sources = @('198.51.100.9'); Destinations = @('10.0.2.100'); Tcp = @(80, 8443); Flags = @('SYN') }
    )
}
