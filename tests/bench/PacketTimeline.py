#!/usr/bin/env python3
"""Where a sweep's time goes, seen from the wire: runs one command and time-stamps every packet it
sends on one interface (an AF_PACKET socket, outgoing IP packets only; needs root, as the namespace
lab does). Prints one JSON line: the whole run, launch -> first packet out (process start, module
import, first compilation, set-up), first -> last packet out (the sweep's sending), last packet
out -> exit (the last timeout, output, shutdown), the packet count, and the command's last line.
Usage: PacketTimeline.py <interface> <command> [arguments...]"""
import json
import socket
import subprocess
import sys
import threading
import time

ETH_P_ALL = 0x0003
# IP only: the kernel's own ARP and neighbour discovery on the link are not the command's packets.
IP_PROTOCOLS = (0x0800, 0x86DD)


def main():
    interface, command = sys.argv[1], sys.argv[2:]
    capture = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    capture.bind((interface, 0))
    capture.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
    capture.settimeout(0.05)
    sent = []
    done = threading.Event()

    def read():
        while not done.is_set():
            try:
                _, address = capture.recvfrom(64)
            except socket.timeout:
                continue
            if address[2] == socket.PACKET_OUTGOING and address[1] in IP_PROTOCOLS:
                sent.append(time.monotonic())

    reader = threading.Thread(target=read)
    reader.start()
    launched = time.monotonic()
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    exited = time.monotonic()
    time.sleep(0.1)  # packets already sent may still be on their way to the capture socket
    done.set()
    reader.join()
    lines = run.stdout.decode(errors='replace').strip().splitlines()
    result = {'Total': exited - launched, 'Packets': len(sent), 'ExitCode': run.returncode, 'LastLine': lines[-1] if lines else ''}
    if sent:
        result.update({'ToFirstPacket': sent[0] - launched, 'Sending': sent[-1] - sent[0], 'AfterLastPacket': exited - sent[-1]})
    print(json.dumps(result))


if __name__ == '__main__':
    main()
