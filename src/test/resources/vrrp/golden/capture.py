#!/usr/bin/env python3
"""Capture the first VRRP advert per (IP version, VRID) seen on an interface.

Run inside the capturing namespace: python3 capture.py IFACE OUTDIR SECONDS
Writes OUTDIR/vrrp-v<ipver>-vrid<N>.bin holding the IP packet (IPv4 header or
IPv6 fixed header, then the VRRP message) exactly as it came off the wire.
"""
import os, socket, sys, time

iface, outdir, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
ETH_P_ALL = 0x0003
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
s.bind((iface, 0))
s.settimeout(0.5)
seen = {}
end = time.time() + seconds
while time.time() < end:
    try:
        frame = s.recv(65535)
    except socket.timeout:
        continue
    ethertype = int.from_bytes(frame[12:14], "big")
    ip = frame[14:]
    if ethertype == 0x0800 and ip[9] == 112:
        ihl = (ip[0] & 0x0F) * 4
        total = int.from_bytes(ip[2:4], "big")
        ip = ip[:total]
        vrid = ip[ihl + 1]
        key = (4, vrid)
    elif ethertype == 0x86DD and ip[6] == 112:
        plen = int.from_bytes(ip[4:6], "big")
        ip = ip[:40 + plen]
        vrid = ip[41]
        key = (6, vrid)
    else:
        continue
    if key not in seen:
        seen[key] = ip
        name = os.path.join(outdir, "vrrp-v%d-vrid%d.bin" % key)
        with open(name, "wb") as f:
            f.write(ip)
        print("captured", name, ip.hex())
print("done", sorted(seen))
