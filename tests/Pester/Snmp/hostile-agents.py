#!/usr/bin/env python3
"""Hostile SNMP agents for the tests: one UDP socket per behaviour on 127.0.0.<first+n>:<port>.
Each answers every request with a chosen datagram (or nothing); argv: first-octet port."""
import socket, select, sys

first, port = int(sys.argv[1]), int(sys.argv[2])

def request_id(data):
    """The request id of a v1/v2c request (our own well-formed requests only)."""
    i = 2 if data[1] < 0x80 else 2 + (data[1] & 0x7F)
    i += 3                                   # version INTEGER (02 01 xx)
    i += 2 + data[i + 1]                     # community OCTET STRING
    i += 2 if data[i + 1] < 0x80 else 2 + (data[i + 1] & 0x7F)   # PDU header
    n = data[i + 1]
    return data[i + 2:i + 2 + n]

def response(data, rid):
    """A correct GetResponse with sysDescr.0 = 'hostile', with the given request id bytes."""
    community = b"public"
    vb = bytes([0x06, 0x08, 0x2B, 6, 1, 2, 1, 1, 1, 0, 0x04, 7]) + b"hostile"
    vbs = bytes([0x30, len(vb)]) + vb
    lst = bytes([0x30, len(vbs)]) + vbs
    body = bytes([0x02, len(rid)]) + rid + bytes([0x02, 1, 0, 0x02, 1, 0]) + lst
    pdu = bytes([0xA2, len(body)]) + body
    msg = bytes([0x02, 1, 1, 0x04, len(community)]) + community + pdu
    return bytes([0x30, len(msg)]) + msg

behaviours = ["truncated", "indefinite", "huge", "wrongid", "otheraddress", "silent"]
socks = {}
for n, name in enumerate(behaviours):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.%d" % (first + n), port))
    socks[s] = name
other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
other.bind(("127.0.0.%d" % (first + len(behaviours)), port))
print("ready", flush=True)
while True:
    ready, _, _ = select.select(list(socks), [], [])
    for s in ready:
        data, peer = s.recvfrom(65535)
        name = socks[s]
        try:
            rid = request_id(data)
        except IndexError:
            continue
        if name == "truncated":
            s.sendto(bytes.fromhex("3006020100047F41"), peer)
        elif name == "indefinite":
            s.sendto(bytes.fromhex("3080020101040170") + bytes.fromhex("0000"), peer)
        elif name == "huge":
            s.sendto(bytes.fromhex("3084FFFFFFF0020101"), peer)
        elif name == "wrongid":
            s.sendto(response(data, rid[:-1] + bytes([rid[-1] ^ 0x5A])), peer)
        elif name == "otheraddress":
            other.sendto(response(data, rid), peer)
