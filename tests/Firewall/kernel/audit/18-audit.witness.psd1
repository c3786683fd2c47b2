# One witness packet per traffic claim of Invoke-TssrFirewallAudit on 18-audit.nft (see 17-audit.witness.psd1).
@{
    Witnesses = @(
        @{ Kind = 'Shadowing'; Rule = 'inet f input #3'; Flow = @{ Direction = 'Input'; In = 'eth0'; Sources = @('192.0.2.50'); Destinations = @('192.0.2.1'); Tcp = @(22); Flags = @('SYN') } }
        @{ Kind = 'Redundancy'; Rule = 'inet f input #6'; Flow = @{ Direction = 'Input'; In = 'eth0'; Sources = @('198.51.100.77', '2001:db8:0:1::50'); Destinations = @('192.0.2.1', '2001:db8:0:1::1'); Tcp = @(443); Flags = @('SYN') } }
        @{ Kind = 'Redundancy'; Rule = 'inet f input #9'; Flow = @{ Direction = 'Input'; In = 'eth0'; Sources = @('198.51.100.77'); Destinations = @('192.0.2.1'); Icmp = @(8) } }
        @{ Kind = 'AdminServiceExposed'; Rule = 'inet f input #2'; Port = 22; Flow = @{ Direction = 'Input'; In = 'wan'; Sources = @('198.51.100.77', '2a00:1450::1'); Destinations = @('203.0.113.1', '2001:db8:0:2::1'); Tcp = @(22); Flags = @('SYN') } }
        @{ Kind = 'AdminServiceExposed'; Rule = 'inet f input #5'; Port = 445; Flow = @{ Direction = 'Input'; In = 'wan'; Sources = @('198.51.100.77'); Destinations = @('203.0.113.1'); Tcp = @(445); Flags = @('SYN') } }
        @{ Kind = 'ClearTextService'; Rule = 'inet f input #7'; Port = 143; Flow = @{ Direction = 'Input'; In = 'lan'; Sources = @('10.0.1.5'); Destinations = @('10.0.1.1'); Tcp = @(143); Flags = @('SYN') } }
        @{ Kind = 'AdminServiceExposed'; Rule = 'inet f input #8'; Port = 161; Flow = @{ Direction = 'Input'; In = 'wan'; Sources = @('198.51.100.77'); Destinations = @('203.0.113.1'); Udp = @(161) } }
        @{ Kind = 'ClearTextService'; Rule = 'inet f input #8'; Port = 161; Flow = @{ Direction = 'Input'; In = 'wan'; Sources = @('2a00:1450::1'); Destinations = @('2001:db8:0:2::1'); Udp = @(161) } }
        @{ Kind = 'SourcePortTrust'; Rule = 'inet f input #4'; Port = 53; Flow = @{ Direction = 'Input'; In = 'wan'; Sources = @('198.51.100.77'); Destinations = @('203.0.113.1'); Udp = @(40000, 1024, 65535); SourcePort = 53 } }
    )
}
