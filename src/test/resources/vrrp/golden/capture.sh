#!/bin/sh
# Recreates the golden captures in this folder (root; Debian's keepalived 2.2.7).
# Two namespaces on one veth pair, keepalived in lvscp-gk, the capture in lvscp-gc.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/lvscp-golden.XXXXXX)
cleanup() {
    if [ -f "$tmp/started.pid" ]; then
        pid=$(cat "$tmp/started.pid")
        kill "$pid" 2>/dev/null || true
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    ip netns del lvscp-gk 2>/dev/null || true
    ip netns del lvscp-gc 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add lvscp-gk
ip netns add lvscp-gc
ip link add vg0 netns lvscp-gk type veth peer name vg1 netns lvscp-gc
for ns in lvscp-gk lvscp-gc; do
    ip netns exec $ns sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
    ip -n $ns link set lo up
done
ip -n lvscp-gk addr add 10.200.0.1/24 dev vg0
ip -n lvscp-gc addr add 10.200.0.2/24 dev vg1
# fixed MACs give fixed link-local addresses (EUI-64): fe80::200:5eff:fe00:c801 on vg0
ip -n lvscp-gk link set vg0 address 02:00:5e:00:c8:01
ip -n lvscp-gc link set vg1 address 02:00:5e:00:c8:02
ip -n lvscp-gk link set vg0 up
ip -n lvscp-gc link set vg1 up
sleep 1
cp "$here/keepalived.conf" "$tmp/keepalived.conf"
ip netns exec lvscp-gc python3 "$here/capture.py" vg1 "$here" 8 &
cap=$!
ip netns exec lvscp-gk keepalived -P -n -l -D -f "$tmp/keepalived.conf" \
    -p "$tmp/keepalived.pid" -r "$tmp/vrrp.pid" > "$tmp/keepalived.log" 2>&1 &
echo $! > "$tmp/started.pid"
wait $cap
cat "$tmp/keepalived.log" | tail -20
