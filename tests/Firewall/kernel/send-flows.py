#!/usr/bin/env python3
"""Sends one packet per flow on a network interface (AF_PACKET: exact addresses, ports, TCP flags,
ICMP types), for the firewall kernel oracle (tests/Pester/FirewallKernel.Tests.ps1).

Usage: send-flows.py INTERFACE DESTINATION_MAC FLOWS_FILE [GAP_MS]
FLOWS_FILE holds one flow a line: family protocol source destination sport dport flags icmptype id
(family 4 or 6; protocol tcp, udp, icmp, icmpv6; flags the TCP flag bits; id the ICMP echo id).
With DESTINATION_MAC "-" the packets are sent from this host's own stack instead (raw IP socket:
the Output hook), the interface then being unused; a packet the output hook drops is not an error.
"""
import socket
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def transport(proto, sport, dport, flags, icmptype, ident, pseudo):
    if proto == "tcp":
        hdr = struct.pack("!HHIIBBHHH", sport, dport, 1000, 2000 if flags & 0x10 else 0, 5 << 4, flags, 64240, 0, 0)
        c = checksum(pseudo(6, len(hdr)) + hdr)
        return 6, hdr[:16] + struct.pack("!H", c) + hdr[18:]
    if proto == "udp":
        payload = b"tssr"
        hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
        c = checksum(pseudo(17, len(hdr)) + hdr) or 0xFFFF
        return 17, hdr[:6] + struct.pack("!H", c) + hdr[8:]
    number = 1 if proto == "icmp" else 58
    body = struct.pack("!BBHHH", icmptype, 0, 0, ident, 1) + b"tssr"
    c = checksum((pseudo(58, len(body)) if number == 58 else b"") + body)
    return number, body[:2] + struct.pack("!H", c) + body[4:]


def packet(family, proto, src, dst, sport, dport, flags, icmptype, ident):
    if family == 4:
        s, d = socket.inet_pton(socket.AF_INET, src), socket.inet_pton(socket.AF_INET, dst)
        number, l4 = transport(proto, sport, dport, flags, icmptype, ident, lambda p, n: s + d + struct.pack("!BBH", 0, p, n))
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), ident & 0xFFFF, 0, 64, number, 0, s, d)
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        return 0x0800, ip + l4
    s, d = socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)
    number, l4 = transport(proto, sport, dport, flags, icmptype, ident, lambda p, n: s + d + struct.pack("!I3xB", n, p))
    ip = struct.pack("!IHBB16s16s", 6 << 28, len(l4), number, 64, s, d)
    return 0x86DD, ip + l4


def main():
    ifname, dmac, path = sys.argv[1], sys.argv[2], sys.argv[3]
    # A gap between packets keeps a tracer (nft monitor trace) from losing events in a burst.
    gap = float(sys.argv[4]) / 1000.0 if len(sys.argv) > 4 else 0.0
    flows = [line.split() for line in open(path) if line.strip()]
    if dmac == "-":
        raw4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        raw6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
        for f in flows:
            family = int(f[0])
            ethertype, pkt = packet(family, f[1], f[2], f[3], int(f[4]), int(f[5]), int(f[6]), int(f[7]), int(f[8]))
            try:
                (raw4 if family == 4 else raw6).sendto(pkt, (f[3], 0))
            except PermissionError:
                # EPERM: a filter chain of the output hook dropped the packet (the observer's final
                # drop included); which one is read from the trace, not from here.
                pass
            if gap:
                time.sleep(gap)
        return
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((ifname, 0))
    smac = sock.getsockname()[4]
    dst = bytes.fromhex(dmac.replace(":", ""))
    for f in flows:
        ethertype, pkt = packet(int(f[0]), f[1], f[2], f[3], int(f[4]), int(f[5]), int(f[6]), int(f[7]), int(f[8]))
        sock.send(dst + smac + struct.pack("!H", ethertype) + pkt)
        if gap:
            time.sleep(gap)


if __name__ == "__main__":
    main()
