# One witness packet per traffic claim of Invoke-TssrFirewallAudit on 17-audit.rules (Kind, RuleId
# and, for an exposure, the service port): FirewallKernel.Tests.ps1 sends it to the kernel.
@{
    Witnesses = @(
        @{ Kind = 'Shadowing'; Rule = 'ip filter INPUT #3'; Flow = @{ Direction = 'Input'; In = 'eth0'; Sources = @('10.1.2.3'); Destinations = @('192.0.2.1'); Tcp = @(22); Flags = @('SYN') } }
        @{ Kind = 'Redundancy'; Rule = 'ip filter INPUT #6'; Flow = @{ Direction = 'Input'; In = 'eth0'; Sources = @('198.51.100.77'); Destinations = @('192.0.2.1'); Tcp = @(80); Flags = @('SYN') } }
        @{ Kind = 'Redundancy'; Rule = 'ip filter INPUT #7'; Flow = @{ Direction = 'Input'; In = 'eth0'; Sources = @('198.51.100.77'); Destinations = @('192.0.2.1'); Udp = @(9999) } }
        @{ Kind = 'Redundancy'; Rule = 'ip filter INPUT #11'; Flow = @{ Direction = 'Input'; In = 'eth0'; Sources = @('198.51.100.77'); Destinations = @('192.0.2.1'); Tcp = @(8080); Flags = @('SYN') } }
        @{ Kind = 'AdminServiceExposed'; Rule = 'ip filter INPUT #4'; Port = 23; Flow = @{ Direction = 'Input'; In = 'eth0'; Sources = @('198.51.100.77'); Destinations = @('192.0.2.1'); Tcp = @(23); Flags = @('SYN') } }
        @{ Kind = 'ClearTextService'; Rule = 'ip filter INPUT #4'; Port = 23; Flow = @{ Direction = 'Input'; In = 'wan'; Sources = @('203.0.113.50'); Destinations = @('203.0.113.1'); Tcp = @(23); Flags = @('SYN') } }
        @{ Kind = 'ClearTextService'; Rule = 'ip filter INPUT #5'; Port = 80; Flow = @{ Direction = 'Input'; In = 'lan'; Sources = @('10.0.1.5'); Destinations = @('10.0.1.1'); Tcp = @(80); Flags = @('SYN') } }
        @{ Kind = 'AdminServiceExposed'; Rule = 'ip filter ADMIN #1'; Port = 3389; Flow = @{ Direction = 'Input'; In = 'wan'; Sources = @('198.51.100.77'); Destinations = @('203.0.113.1'); Tcp = @(3389); Flags = @('SYN') } }
        @{ Kind = 'ClearTextService'; Rule = 'ip filter ADMIN #2'; Port = 5985; Flow = @{ Direction = 'Input'; In = 'wan'; Sources = @('198.51.100.5'); Destinations = @('203.0.113.1'); Tcp = @(5985); Flags = @('SYN') } }
        @{ Kind = 'ClearTextService'; Rule = 'ip filter INPUT #9'; Port = 21; Flow = @{ Direction = 'Input'; In = 'eth0'; Sources = @('198.51.100.77'); Destinations = @('192.0.2.1'); Tcp = @(21); Flags = @('SYN') } }
        @{ Kind = 'ClearTextService'; Rule = 'ip filter INPUT #9'; Port = 110; Flow = @{ Direction = 'Input'; In = 'eth0'; Sources = @('198.51.100.77'); Destinations = @('192.0.2.1'); Tcp = @(110); Flags = @('SYN') } }
    )
}
