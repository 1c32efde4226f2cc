#!/bin/bash
# capture-ipvsadm.sh [OUTDIR]: inside the lab kernel, run each ipvsadm command of the
# golden-byte tests under strace and keep NN.cmd, NN.strace (hex dumps of every
# datagram on fd 3, the netlink socket), NN.stdout, NN.stderr and NN.rc in OUTDIR.
# Run from the project folder:  lab/uml-run -- 'bash lab/capture-ipvsadm.sh target/ipvs-capture'
# then:  python3 lab/strace-to-capture.py target/ipvs-capture src/test/resources/ipvs
# Needs strace and ipvsadm on the host (the guest runs the host's programs).
O=${1:-target/ipvs-capture}
mkdir -p "$O"; rm -f "$O"/*
ipvsadm -C
n=0
c() { n=$((n+1)); f=$(printf '%02d' $n); echo "$*" > $O/$f.cmd; strace -f -e trace=sendmsg,sendto,recvmsg -xx -s 65536 -e read=3 -e write=3 -o $O/$f.strace "$@" > $O/$f.stdout 2>$O/$f.stderr; echo $? > $O/$f.rc; }
c ipvsadm -A -t 172.18.42.42:80 -s rr
c ipvsadm -a -t 172.18.42.42:80 -r 10.0.0.11:80 -g -w 1
c ipvsadm -a -t 172.18.42.42:80 -r 10.0.0.12:8080 -m -w 5 -x 100 -y 10
c ipvsadm -a -t 172.18.42.42:80 -r 10.0.0.13:80 -i -w 2
c ipvsadm -e -t 172.18.42.42:80 -r 10.0.0.11:80 -g -w 3
c ipvsadm -E -t 172.18.42.42:80 -s wlc
c ipvsadm -A -u 172.18.42.42:53 -s sh -p 300 -M 255.255.255.0
c ipvsadm -A -f 7 -s rr
c ipvsadm -A -f 8 -6 -s lc
c ipvsadm -A -t [2001:db8::42]:443 -s wrr
c ipvsadm -a -t [2001:db8::42]:443 -r [2001:db8::11]:443 -g -w 1
c ipvsadm --add-service --sctp-service 172.18.42.43:9 -s rr
c ipvsadm -A -t [2001:db8::43]:80 -s sh -b sh-fallback,sh-port -p 60 -M 64
c ipvsadm -a -t 172.18.42.42:80 -r 10.0.0.14:80 -i --tun-type gue --tun-port 6080 -w 1
c ipvsadm -Ln
c ipvsadm -Ln --stats
c ipvsadm -Ln --rate
c ipvsadm -A -t 172.18.42.42:80 -s rr
c ipvsadm -A -t 172.18.42.44:80 -s nosuchsched
c ipvsadm -D -t 172.18.42.99:80
c ipvsadm -d -t 172.18.42.42:80 -r 10.0.0.13:80
c ipvsadm -D -t 172.18.42.42:80
c ipvsadm --set 900 120 300
c ipvsadm -L --timeout
c ipvsadm -C
c ipvsadm -Ln
# connection synchronisation daemons (27-): a dummy link with an IPv4 address (the master
# binds its multicast socket to the interface's address) and an IPv6 one for the group6 case
ip link add sync0 type dummy 2>/dev/null; ip addr add 10.9.9.1/24 dev sync0; ip link set sync0 up; sleep 1
c ipvsadm --start-daemon master --mcast-interface sync0 --syncid 7
c ipvsadm --start-daemon backup --mcast-interface sync0 --syncid 7
c ipvsadm -L --daemon
c ipvsadm --start-daemon master --mcast-interface sync0 --syncid 7
c ipvsadm --stop-daemon master
c ipvsadm --stop-daemon backup
c ipvsadm --start-daemon master --mcast-interface sync0 --syncid 9 --sync-maxlen 1400 --mcast-group 224.0.0.82 --mcast-port 8849 --mcast-ttl 2
c ipvsadm --start-daemon backup --mcast-interface sync0 --syncid 10 --mcast-group ff02::1:82 --mcast-port 8850
c ipvsadm -L --daemon
c ipvsadm --stop-daemon master
c ipvsadm --stop-daemon backup
c ipvsadm -L --daemon
c ipvsadm --start-daemon master --mcast-interface nosuch0 --syncid 1
