#!/usr/bin/env bash
# VRRP failover benchmark: the service's VRRP engine (VrrpNode on LinuxVrrpNodeIo, run by
# io.lvscp.vrrp.linux.VrrpNodeMain from the built classes) against Debian's keepalived with
# identical settings, in network namespaces on this host.
#
#     sudo bash bench/vrrp-failover.sh            # RUNS=10 per case
#
# Needs root, iproute2, /usr/sbin/keepalived, and the compiled classes plus their classpath:
#     ./mvnw -o compile && ./mvnw -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
#
# Lab: namespaces A (master, priority 150), B (backup, priority 100) and C (client) on a bridge
# in namespace BR (veth pairs; the host kernel has no dummy links). Addresses 10.201.0.1-3/24,
# VIP 10.201.0.100/24, VRID 71. Each run starts both routers of one implementation, waits until
# A holds the VIP, B does not and the adverts are steady, lets C resolve the VIP (C's ARP entry
# points at A), waits a random 0-1 interval (so the kill lands anywhere in the advert cycle), then
# kills A: SIGKILL of every process (a crash) right after A's advert is seen in C, so the backup
# waits exactly Master_Down_Interval; or SIGTERM (graceful: priority 0 is sent) at a random point of
# the advert cycle. Measured from the kill, polled back to back (an `ip` call is about 2-4 ms):
#   vip  - the VIP is on B's eth0
#   arp  - C's neighbour entry for the VIP holds B's MAC (B's gratuitous ARP arrived)
# Cases: v2 advert 1 s with PASS, v3 advert 100 ms; crash and graceful; ours and keepalived,
# interleaved run by run so background load hits both alike.
# Output: bench/out/vrrp-<stamp>/runs.tsv and summary.md (medians, min-max, protocol floors).
set -euo pipefail

RUNS=${RUNS:-10}
CASES=${CASES:-"v2-crash v2-graceful v3-crash v3-graceful"}
IMPLS=${IMPLS:-"ours keepalived"}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STAMP=$(date -u +%Y%m%d-%H%M%S)
OUT="$ROOT/bench/out/vrrp-$STAMP"
TMP=$(mktemp -d /tmp/lvscp-vrrp-bench.XXXXXX)
SUF=$$
NS_BR="lvb-br$SUF" NS_A="lvb-a$SUF" NS_B="lvb-b$SUF" NS_C="lvb-c$SUF"
VIP=10.201.0.100
JAVA=${JAVA:-$(command -v java)}
PIDS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

[[ $(id -u) == 0 ]] || die "run as root (namespaces, raw sockets)"
[[ -x /usr/sbin/keepalived ]] || die "Debian's keepalived is not installed"
[[ -d "$ROOT/target/classes/io/lvscp/vrrp/linux" && -f "$ROOT/target/cp.txt" ]] \
    || die "build first: ./mvnw -o compile && ./mvnw -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt"

# a private copy of the classes: a rebuild during the run must not change what runs
cp -r "$ROOT/target/classes" "$TMP/classes"
CP="$TMP/classes:$(cat "$ROOT/target/cp.txt")"
mkdir -p "$OUT"

stop_all() {
    local p
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    for f in "$TMP"/*.pid; do [[ -f $f ]] && kill -9 "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; done
    for p in "${PIDS[@]}"; do
        for _ in {1..200}; do kill -0 "$p" 2>/dev/null || break; sleep 0.01; done
    done
    PIDS=()
}
cleanup() {
    stop_all
    for ns in "$NS_A" "$NS_B" "$NS_C" "$NS_BR"; do ip netns del "$ns" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

# waits (in C) for the next advert from A, SIGKILLs the given pids at once, prints the kill time in ms
cat >"$TMP/kill-after-advert.py" <<'PY'
import os, signal, socket, sys, time
src, local, pids = sys.argv[1], sys.argv[2], [int(p) for p in sys.argv[3:]]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton('224.0.0.18') + socket.inet_aton(local))
s.settimeout(10)
while True:
    data, (addr, _) = s.recvfrom(2048)
    if addr == src and len(data) > 22 and data[22] > 0:   # an advert of A (priority > 0)
        break
for p in pids:
    os.kill(p, signal.SIGKILL)
print(int(time.time() * 1000))
PY

# ---- lab --------------------------------------------------------------------------------------
for ns in "$NS_BR" "$NS_A" "$NS_B" "$NS_C"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n "$NS_BR" link add br0 type bridge
ip -n "$NS_BR" link set br0 up
i=0
for pair in "$NS_A:10.201.0.1" "$NS_B:10.201.0.2" "$NS_C:10.201.0.3"; do
    ns=${pair%%:*} addr=${pair#*:}
    ip link add "p$i" netns "$NS_BR" type veth peer name eth0 netns "$ns"
    ip -n "$NS_BR" link set "p$i" master br0
    ip -n "$NS_BR" link set "p$i" up
    ip -n "$ns" addr add "$addr/24" dev eth0
    ip -n "$ns" link set eth0 up
    i=$((i + 1))
done
MAC_B=$(ip netns exec "$NS_B" cat /sys/class/net/eth0/address)

has_vip() { ip -n "$1" -4 -o addr show dev eth0 | grep -q " $VIP/"; }
arp_is_b() { ip -n "$NS_C" neigh show "$VIP" dev eth0 | grep -q "$MAC_B"; }
now_ms() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000 + 10#${t#*.} / 1000 )); }

# start_router IMPL NS NAME PRIORITY VERSION INTERVAL_MS ADDRESS
start_router() {
    local impl=$1 ns=$2 name=$3 prio=$4 ver=$5 ms=$6 addr=$7
    if [[ $impl == ours ]]; then
        local pass=()
        [[ $ver == 2 ]] && pass=(pass=lvscp)
        ip netns exec "$ns" "$JAVA" -cp "$CP" io.lvscp.vrrp.linux.VrrpNodeMain iface=eth0 vrid=71 \
            "vips=$VIP" prefix=24 "priority=$prio" "version=$ver" "interval-ms=$ms" name=VI_BENCH "${pass[@]}" \
            >"$TMP/$name.log" 2>&1 &
    else
        local auth="" interval
        interval=$(awk "BEGIN { print $ms / 1000 }")
        [[ $ver == 2 ]] && auth="authentication {
        auth_type PASS
        auth_pass lvscp
    }"
        cat >"$TMP/$name.conf" <<EOF
global_defs {
    router_id lvscp_bench_$name
}
vrrp_instance VI_BENCH {
    state BACKUP
    interface eth0
    virtual_router_id 71
    priority $prio
    advert_int $interval
    version $ver
    $auth
    virtual_ipaddress {
        $VIP/24
    }
}
EOF
        ip netns exec "$ns" /usr/sbin/keepalived -P -n -l -D -f "$TMP/$name.conf" -p "$TMP/$name.main.pid" \
            -r "$TMP/$name.vrrp.pid" >"$TMP/$name.log" 2>&1 &
    fi
    LAST_PID=$!
    PIDS+=($!)
    disown "$!"   # no "Killed" job notices
}

# kill_router IMPL PID NAME SIGNAL: SIGKILL hits every process of the router, SIGTERM only the parent
kill_router() {
    local impl=$1 pid=$2 name=$3 sig=$4
    if [[ $impl == keepalived && $sig == KILL ]]; then
        # the VRRP child first: keepalived's children get SIGTERM when the parent dies (PR_SET_PDEATHSIG),
        # which would turn the crash into a graceful stop
        local child
        child=$(cat "$TMP/$name.vrrp.pid") || die "no VRRP child pid file"
        kill -KILL "$child" "$pid" 2>/dev/null || true
    else
        kill "-$sig" "$pid" 2>/dev/null || true
    fi
}

wait_until() { # wait_until TIMEOUT_MS CMD...
    local end=$(( $(now_ms) + $1 )); shift
    until "$@"; do (( $(now_ms) < end )) || return 1; sleep 0.02; done
}
steady() { has_vip "$NS_A" && ! has_vip "$NS_B"; }

# one_run IMPL CASE -> sets RESULT="vip_ms arp_ms"
one_run() {
    local impl=$1 case=$2 ver ms sig
    ver=${case:1:1}
    [[ $ver == 2 ]] && ms=1000 || ms=100
    [[ $case == *crash ]] && sig=KILL || sig=TERM
    ip -n "$NS_A" addr del "$VIP/24" dev eth0 2>/dev/null || true
    ip -n "$NS_B" addr del "$VIP/24" dev eth0 2>/dev/null || true
    ip -n "$NS_C" neigh flush dev eth0 2>/dev/null || true
    local pa
    start_router "$impl" "$NS_B" b 100 "$ver" "$ms" 10.201.0.2
    start_router "$impl" "$NS_A" a 150 "$ver" "$ms" 10.201.0.1
    pa=$LAST_PID
    wait_until 20000 steady || { tail -5 "$TMP"/a.log "$TMP"/b.log >&2; die "$impl $case: A never became the only master"; }
    # steady adverts: both sides up for several intervals (and the JVMs past start-up)
    sleep "$(awk "BEGIN { print 4 * $ms / 1000 + 1 }")"
    steady || die "$impl $case: not steady"
    ip netns exec "$NS_C" bash -c "echo x > /dev/udp/$VIP/9" 2>/dev/null || true   # C resolves the VIP (to A)
    sleep 0.1
    arp_is_b && die "$impl $case: C's ARP entry already points at B"
    local t0 vip="" arp="" end
    if [[ $sig == KILL ]]; then
        # a crash right after A's advert leaves the backup the whole Master_Down_Interval to wait:
        # the floor is then exactly 3 x interval + skew, and what we measure beyond it is the
        # implementation's own delay (a random phase would add 0-1 interval of noise per run)
        local pids=("$pa")
        [[ $impl == keepalived ]] && pids=("$(cat "$TMP/a.vrrp.pid")" "$pa")
        t0=$(ip netns exec "$NS_C" python3 "$TMP/kill-after-advert.py" 10.201.0.1 10.201.0.3 "${pids[@]}") \
            || die "$impl $case: no advert from A seen"
    else
        sleep "$(awk -v s="$RANDOM" "BEGIN { print s / 32768 * $ms / 1000 }")"
        t0=$(now_ms)
        kill_router "$impl" "$pa" a "$sig"
    fi
    end=$((t0 + 15000))
    while [[ -z $vip || -z $arp ]]; do
        [[ -z $vip ]] && has_vip "$NS_B" && vip=$(( $(now_ms) - t0 ))
        [[ -z $arp ]] && arp_is_b && arp=$(( $(now_ms) - t0 ))
        (( $(now_ms) < end )) || break
    done
    stop_all
    RESULT="${vip:-NA} ${arp:-NA}"
}

log "lab up: A=$NS_A B=$NS_B C=$NS_C; $RUNS runs x {$CASES} x {$IMPLS}; results in $OUT"
printf 'impl\tcase\trun\tvip_ms\tarp_ms\n' >"$OUT/runs.tsv"
for case in $CASES; do
    for ((r = 1; r <= RUNS; r++)); do
        for impl in $IMPLS; do
            one_run "$impl" "$case"
            read -r v a <<<"$RESULT"
            printf '%s\t%s\t%d\t%s\t%s\n' "$impl" "$case" "$r" "$v" "$a" >>"$OUT/runs.tsv"
            log "$case run $r $impl: VIP on backup after $v ms, client ARP after $a ms"
        done
    done
done

# ---- summary ----------------------------------------------------------------------------------
# floors (backup priority 100): v2 skew = (256-100)/256 s = 609 ms, master down = 3 s + 609 ms;
# v3 at 100 ms: skew = 61 ms, master down = 361 ms. The crash comes right after an advert, so its
# floor is the whole Master_Down_Interval.
python3 - "$OUT/runs.tsv" >"$OUT/summary.md" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
floor = {'v2-crash': (3609, 3609), 'v2-graceful': (609, 609), 'v3-crash': (361, 361), 'v3-graceful': (61, 61)}
def stat(impl, case, col):
    v = [int(r[col]) for r in rows if r['impl'] == impl and r['case'] == case and r[col] != 'NA']
    return (statistics.median(v), min(v), max(v), len(v)) if v else None
print('| case | measure | ours median (min-max) | keepalived median (min-max) | ours / keepalived | protocol floor | ours - floor | keepalived - floor |')
print('|---|---|---|---|---|---|---|---|')
for case in ['v2-crash', 'v2-graceful', 'v3-crash', 'v3-graceful']:
    for col, label in (('vip_ms', 'VIP on backup'), ('arp_ms', "client's ARP -> backup")):
        o, k = stat('ours', case, col), stat('keepalived', case, col)
        if not o or not k:
            continue
        lo, hi = floor[case]
        fl = f'{lo} ms' if lo == hi else f'{lo}-{hi} ms'
        mid = (lo + hi) / 2
        print(f'| {case} | {label} | {o[0]:.0f} ms ({o[1]}-{o[2]}, n={o[3]}) | {k[0]:.0f} ms ({k[1]}-{k[2]}, n={k[3]}) '
              f'| {o[0] / k[0]:.2f} | {fl} | {o[0] - mid:+.0f} ms | {k[0] - mid:+.0f} ms |')
PY
cat "$OUT/summary.md"
