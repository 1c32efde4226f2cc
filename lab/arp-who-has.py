#!/usr/bin/env python3
"""arp-who-has.py IFACE IPV4 [SECONDS]: broadcast one ARP request "who has IPV4" on IFACE
(from IFACE's own MAC and first IPv4 address) and print the MAC of every host that answers
within SECONDS (default 0.5), one per line. Used by the lab tests as an independent ARP
observer: on an LVS-DR segment only the director may answer for a VIP."""
import socket, struct, sys, time, fcntl

iface, target = sys.argv[1], sys.argv[2]
wait = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
ETH_P_ARP = 0x0806
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
s.bind((iface, 0))
mac = s.getsockname()[4][:6]
probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    ip = fcntl.ioctl(probe.fileno(), 0x8915, struct.pack('256s', iface[:15].encode()))[20:24]  # SIOCGIFADDR
except OSError:
    ip = b'\0\0\0\0'
tip = socket.inet_aton(target)
arp = struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 1, mac, ip, b'\0' * 6, tip)
s.send(b'\xff' * 6 + mac + struct.pack('!H', ETH_P_ARP) + arp)
seen = []
end = time.time() + wait
while True:
    left = end - time.time()
    if left <= 0:
        break
    s.settimeout(left)
    try:
        frame = s.recv(2048)
    except socket.timeout:
        break
    if len(frame) < 42:
        continue
    op, sha, spa = struct.unpack('!H6s4s', frame[20:32])
    if op == 2 and spa == tip:
        m = ':'.join('%02x' % b for b in sha)
        if m not in seen:
            seen.append(m)
            print(m, flush=True)
