#!/bin/bash
# traffic-setup.sh up|down: inside the lab kernel only. A client namespace and a
# real-server namespace, each on a veth pair to the init namespace (the director,
# where IPVS and our JVM live); VIP 172.18.44.44 on the director's lo and on the real
# server's lo (arp_ignore/arp_announce as for LVS-DR); a web server on the real server.
# The real server answers the client directly from the VIP through the director's
# routing (accept_local on the director's side, since the VIP is local there too).
set -e
case "$1" in
up)
  ip netns add lvscp-c; ip netns add lvscp-r
  ip link add vc type veth peer name vc0 netns lvscp-c
  ip link add vr type veth peer name vr0 netns lvscp-r
  ip addr add 192.168.77.1/24 dev vc; ip link set vc up
  ip addr add 192.168.78.1/24 dev vr; ip link set vr up
  ip -n lvscp-c addr add 192.168.77.2/24 dev vc0; ip -n lvscp-c link set vc0 up; ip -n lvscp-c link set lo up
  ip -n lvscp-c route add default via 192.168.77.1
  ip -n lvscp-r addr add 192.168.78.2/24 dev vr0; ip -n lvscp-r link set vr0 up; ip -n lvscp-r link set lo up
  ip -n lvscp-r route add default via 192.168.78.1
  ip -n lvscp-r addr add 172.18.44.44/32 dev lo
  ip netns exec lvscp-r sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
  ip addr add 172.18.44.44/32 dev lo
  sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.vr.rp_filter=0 net.ipv4.conf.vr.accept_local=1
  mkdir -p /run/lvscp-www && echo hello-from-real-server > /run/lvscp-www/index.html
  (cd /run/lvscp-www && exec ip netns exec lvscp-r /usr/bin/python3 -m http.server 80 --bind 0.0.0.0 >/dev/null 2>&1) &
  echo $! > /run/lvscp-www/pid
  for i in $(seq 50); do ip netns exec lvscp-r bash -c 'echo > /dev/tcp/127.0.0.1/80' 2>/dev/null && break; sleep 0.1; done
  ;;
down)
  [ -f /run/lvscp-www/pid ] && kill "$(cat /run/lvscp-www/pid)" 2>/dev/null || true
  ip netns del lvscp-c 2>/dev/null || true; ip netns del lvscp-r 2>/dev/null || true
  ip addr del 172.18.44.44/32 dev lo 2>/dev/null || true
  ;;
esac
