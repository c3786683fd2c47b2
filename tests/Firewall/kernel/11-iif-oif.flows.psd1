@{
    Groups = @(
        @{ Direction = 'Input'; In = 'lan'; Sources = @('10.0.1.5'); Destinations = @('10.0.1.1'); Tcp = @(22, 80); Udp = @(53); Flags = @('SYN') }
        @{ Direction = 'Input'; In = 'wan'; Sources = @('198.51.100.9'); Destinations = @('203.0.113.1'); Tcp = @(22, 80); Udp = @(53); Flags = @('SYN') }
        @{ Direction = 'Input'; In = 'eth0'; Sources = @('192.0.2.9'); Destinations = @('192.0.2.1'); Tcp = @(22, 80); Udp = @(53); Flags = @('SYN') }
        @{ Direction = 'Input'; In = 'dmz'; Sources = @('10.0.2.9'); Destinations = @('10.0.2.1'); Tcp = @(22, 80); Udp = @(53); Flags = @('SYN') }
        @{ Direction = 'Forward'; In = 'lan'; Out = 'wan'; Sources = @('10.0.1.5'); Destinations = @('198.51.100.9'); Tcp = @(22, 80); Udp = @(53); Flags = @('SYN') }
        @{ Direction = 'Forward'; In = 'wan'; Out = 'dmz'; Sources = @('198.51.100.9'); Destinations = @('10.0.2.9'); Tcp = @(22, 80, 443); Flags = @('SYN') }
        @{ Direction = 'Forward'; In = 'dmz'; Out = 'wan'; Sources = @('10.0.2.9'); Destinations = @('198.51.100.9'); Tcp = @(22, 443); Udp = @(123); Flags = @('SYN') }
        @{ Direction = 'Forward'; In = 'dmz'; Out = 'lan'; Sources = @('10.0.2.9'); Destinations = @('10.0.1.5'); Tcp = @(22, 443); Flags = @('SYN') }
        @{ Direction = 'Forward'; In = 'lan'; Out = 'dmz'; Sources = @('10.0.1.5'); Destinations = @('10.0.2.9'); Tcp = @(22, 443); Flags = @('SYN') }
    )
}
