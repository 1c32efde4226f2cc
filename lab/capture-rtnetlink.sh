#!/usr/bin/env bash
# Regenerates the rtnetlink golden bytes in src/test/resources/rtnetlink/: the RTM_NEWADDR / RTM_DELADDR
# messages iproute2's `ip addr add/del` sends, captured with strace in a network namespace made for it
# (a veth pair vo0/vo1; no traffic leaves it). Root, iproute2 and strace needed.
#     sudo bash lab/capture-rtnetlink.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/src/test/resources/rtnetlink"
NS="lvscp-rtnl$$"
mkdir -p "$OUT"
ip netns add "$NS"
trap 'ip netns del "$NS"' EXIT
ip -n "$NS" link add vo0 type veth peer name vo1
ip -n "$NS" link set vo0 up
ip -n "$NS" link set vo1 up
IFINDEX=$(ip netns exec "$NS" cat /sys/class/net/vo0/ifindex)

capture() { # capture NAME COMMAND...
    local name=$1; shift
    {
        echo "# command (in a network namespace, $(ip -V)):"
        echo "#   strace -e trace=sendmsg -e write=3 -xx $*"
        echo "# ifindex of vo0: $IFINDEX"
        echo "# the RTM_NEWADDR / RTM_DELADDR datagram ip sent on its rtnetlink socket (fd 3), hex"
        printf '> '
        ip netns exec "$NS" strace -e trace=sendmsg -e write=3 -xx "$@" 2>&1 >/dev/null \
            | awk '/^ [|] [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  /{ line = substr($0, 11, 49); gsub(/ /, "", line); printf "%s", line }'
        echo
    } >"$OUT/$name.txt"
}
capture 01-newaddr-ipv4-label ip addr add 10.200.9.100/24 dev vo0 label vo0:61
capture 02-deladdr-ipv4 ip addr del 10.200.9.100/24 dev vo0
capture 03-newaddr-ipv6-nodad ip -6 addr add fd00:200:9::100/64 dev vo0 nodad
capture 04-deladdr-ipv6 ip -6 addr del fd00:200:9::100/64 dev vo0
ls -l "$OUT"
