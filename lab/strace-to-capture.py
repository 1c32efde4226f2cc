#!/usr/bin/env python3
"""strace-to-capture.py CAPTUREDIR RESOURCEDIR: turn capture-ipvsadm.sh's strace hex
dumps into src/test/resources/ipvs/NN-name.txt ("> hex" sent, "< hex" received)."""
import re, sys, os, glob
src, dst = sys.argv[1], sys.argv[2]
names = {1:'new-service-tcp',2:'new-dest-dr',3:'new-dest-nat-thresholds',4:'new-dest-tun',5:'set-dest-weight',6:'set-service-scheduler',
 7:'new-service-udp-persistent',8:'new-service-fwmark',9:'new-service-fwmark-ipv6',10:'new-service-tcp-ipv6',11:'new-dest-ipv6',
 12:'new-service-sctp',13:'new-service-ipv6-sh-flags-persistent',14:'new-dest-tun-gue',15:'dump-list',16:'dump-stats',17:'dump-rate',
 18:'error-eexist',19:'error-enoent-scheduler',20:'error-esrch',21:'del-dest',22:'del-service',23:'set-config',24:'get-config',25:'flush',26:'dump-empty',
 27:'start-daemon-master',28:'start-daemon-backup',29:'list-daemons',30:'error-daemon-eexist',31:'stop-daemon-master',
 32:'stop-daemon-backup',33:'start-daemon-master-options',34:'start-daemon-backup-group6',35:'list-daemons-options',
 36:'stop-daemon-master-options',37:'stop-daemon-backup-group6',38:'list-daemons-empty',39:'error-daemon-enodev'}
os.makedirs(dst, exist_ok=True)
for cmdf in sorted(glob.glob(src+'/*.cmd')):
    n = int(os.path.basename(cmdf)[:2]); base = cmdf[:-4]
    out = ['# command (inside the lab kernel, Debian ipvsadm 1.31, UML Linux 6.1):', '#   strace -f -e trace=sendmsg,recvmsg -e read=3 -e write=3 -xx ' + open(cmdf).read().strip(),
           '# exit status: ' + open(base+'.rc').read().strip(), '# one netlink datagram per line: "> " sent by ipvsadm, "< " received from the kernel (hex)']
    cur = None; buf = []
    def flush():
        global cur, buf
        if cur: out.append(cur + ' ' + ''.join(buf))
        cur = None; buf = []
    for line in open(base+'.strace'):
        m = re.match(r'^\d+\s+(sendmsg|recvmsg)\(', line)
        if m:
            flush()
            if 'MSG_PEEK' in line or '= -1' in line: continue
            cur = '>' if m.group(1) == 'sendmsg' else '<'
            continue
        m = re.match(r'^ \| [0-9a-f]{5}  (.{48})', line)
        if m and cur: buf.append(m.group(1).replace(' ', ''))
    flush()
    open(os.path.join(dst, '%02d-%s.txt' % (n, names[n])), 'w').write('\n'.join(out) + '\n')
