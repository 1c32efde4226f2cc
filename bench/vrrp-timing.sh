#!/usr/bin/env bash
# VRRP advert timing of the shipped service under load, against keepalived in the same run (issue 18):
#
#     bash bench/vrrp-timing.sh        # DURATION=90 s of load (the issue asks 600: DURATION=600)
#     FLIP=1 ...          heavy load on purpose: the bench's HTTP servers stop for FLIP_FOR s (20) at each
#                         of FLIP_AT s (default every 40 s from 25 s), so all 10,000 checks flip DOWN, then UP
#     JVM_FLAGS="..." ... to try other JVM flags than the package's
#     ENGINE=process ...  the service's VRRP engine in its own process (lvs.vrrp.engine; default embedded);
#                         CHILD_FLAGS="..." its JVM options (lvs.vrrp.process.jvm-options)
#     ENGINE="process embedded" ...  two services at the same moment, one per engine, each a director of
#                         its own VRID with its own identical load (namespaces D and E), next to keepalived
#     REALTIME=N ...      the service's lvs.vrrp.realtime-priority (SCHED_RR of the VRRP loop thread; 0: normal
#                         scheduling; unset: the service's default)
#     KEEPALIVED_RT=N ... a second keepalived master in the same run, with vrrp_rt_priority N in its global_defs
#                         (namespace R, VRID 85): keepalived with the same knob; the anchor of the goal stays the
#                         default keepalived (VRID 82), as the issue names it
#
# Needs root (namespaces, raw sockets), /usr/sbin/keepalived, jcmd, python3, and the jar
# (./mvnw -o -q -DskipTests package; SKIP_BUILD=1 reuses target/).
#
# Host network namespaces on one bridge (the host kernel has no IPVS, so the service runs its
# dry-run IPVS table with lvs.vrrp.on-host-in-dry-run=true: the VRRP engine, VrrpNode on
# LinuxVrrpNodeIo, is the shipped one and sends for real):
#   D 10.202.0.1  the jar, with the JVM flags of packaging/deb/lvs-control-plane.service (heap included),
#                 VRID 81, priority 150, VRRPv3, advert 100 ms; its 1,000 x 10 configuration comes
#                 from an import of a keepalived.conf; HTTP servers on 127.x.y.z:8000-8099 for its
#                 10,000 HTTP_GET checks (delay_loop 10 s: 1,000 checks/s)
#   K 10.202.0.2  keepalived (VRRP process), the same 1,000 x 10 file with VRID 82, priority 150
#   B 10.202.0.3  keepalived, backup of both (priority 100): a missed Master_Down_Interval
#                 (3 x 100 ms + skew 61 ms) shows as B's adverts = a spurious transition
#   O 10.202.0.4  the observer: AF_PACKET on its eth0, kernel receive timestamps
#   E 10.202.0.5  with two engines: the second service, as D but VRID 84 (VIPs 10.214.1.x), its own
#                 HTTP servers, its own load; B backs it up too
#   R 10.202.0.6  with KEEPALIVED_RT: keepalived with vrrp_rt_priority, VRID 85 (VIPs 10.215.1.x); B backs it up
# Load on the service, all in D, for DURATION s: the API at 100 req/s (bench.py list, open loop),
# a scrape of /actuator/prometheus every second, the health checks, an import of a second 1,000 x 10
# keepalived.conf (another cluster) at IMPORT_AT s and jcmd GC.run (a full GC) at GC_AT s. A run
# longer than 90 s repeats them over the whole run: every IMPORT_EVERY s (120) the last imported
# cluster is deleted and the file imported into a fresh one, and a full GC every GC_EVERY s (60)
# from 35 s; DURATION=90 keeps one import at 20 s and the GCs at 35, 60 and 80 s.
# keepalived runs at the same time on the same machine: the same load on the host, none of it
# in its process (it has no API; its checker exits without IPVS, so it runs VRRP only: -P).
# Prints the gap distribution (p50, p99, p99.9, max) of both, their ratios, spurious transitions,
# and RSS (the service: idle with 1,000 x 10 loaded, and peak under the load; keepalived: all its
# processes). Fails when keepalived (the anchor) or the service did not advertise.
# Output: bench/out/vrrp-timing-<stamp>/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR="$ROOT/bench"
PY="$BENCH_DIR/vrrp_timing.py"
DURATION=${DURATION:-90}
IMPORT_AT=${IMPORT_AT:-20}
IMPORT_EVERY=${IMPORT_EVERY:-$((DURATION > 90 ? 120 : 0))}
if [[ -z ${GC_AT:-} ]]; then
    if ((DURATION <= 90)); then GC_AT="35 60 80"; else GC_AT=$(seq -s ' ' 35 "${GC_EVERY:-60}" $((DURATION - 5))); fi
fi
FLIP=${FLIP:-}
FLIP_FOR=${FLIP_FOR:-20}
FLIP_AT=${FLIP_AT:-$([[ -n $FLIP ]] && seq -s ' ' 25 40 $((DURATION - FLIP_FOR)) || true)}
API_RATE=${API_RATE:-100}
STAMP=$(date -u +%Y%m%d-%H%M%S)
OUT="$ROOT/bench/out/vrrp-timing-$STAMP"
TMP=$(mktemp -d /var/tmp/lvscp-vrrp-timing.XXXXXX)
SUF=$$
NS_BR="lvt-br$SUF" NS_D="lvt-d$SUF" NS_K="lvt-k$SUF" NS_B="lvt-b$SUF" NS_O="lvt-o$SUF" NS_E="lvt-e$SUF" NS_R="lvt-r$SUF"
PASSWORD=bench-admin-password
PORT=18080
PIDS=()
# the package's JVM flags (ExecStart of the unit, less the CDS archive, which only speeds start-up)
source "$ROOT/bench/unit-flags.sh"
PKG_FLAGS=$(unit_jvm_flags)
JVM_FLAGS=${JVM_FLAGS:-$PKG_FLAGS}
ENGINE=${ENGINE:-embedded}
read -r -a ENG <<<"$ENGINE"
# per service: namespace, address, VRID, VIP net, node name, file suffix
SNS=("$NS_D" "$NS_E") SADDR=(10.202.0.1 10.202.0.5) SVRID=(81 84) SNET=(211 214) SNODE=(timing-lvs1 timing-lvs2) SFX=("" -2)
NSVC=${#ENG[@]}
CHILD_FLAGS=${CHILD_FLAGS:-}
REALTIME=${REALTIME:-}
KEEPALIVED_RT=${KEEPALIVED_RT:-}

ulimit -n "$(ulimit -Hn)" || true   # 10,000 real servers checked: the checker's and the servers' sockets
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
[[ $(id -u) == 0 ]] || die "run as root (namespaces, raw sockets)"
[[ -x /usr/sbin/keepalived ]] || die "the anchor is missing: Debian's keepalived is not installed"
command -v jcmd >/dev/null || die "jcmd is missing"
((NSVC == 1 || NSVC == 2)) || die "ENGINE: one engine, or two (\"process embedded\")"
for e in "${ENG[@]}"; do [[ $e == process || $e == embedded ]] || die "ENGINE: unknown engine $e"; done

cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    sleep 1
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    for f in "$TMP"/*.pid; do [[ -f $f ]] && kill -KILL "$(cat "$f")" 2>/dev/null || true; done
    for ns in "$NS_D" "$NS_E" "$NS_K" "$NS_B" "$NS_O" "$NS_R" "$NS_BR"; do ip netns del "$ns" 2>/dev/null || true; done
    [[ -n "${KEEP_TMP:-}" ]] || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

if [[ -z "${SKIP_BUILD:-}" ]]; then
    log "build: ./mvnw -o -q -DskipTests package"
    (cd "$ROOT" && ./mvnw -o -q -DskipTests package) >"$TMP/build.log" 2>&1 || { tail -30 "$TMP/build.log" >&2; die "build failed"; }
fi
JAR_SRC="$ROOT/target/lvs-control-plane-0.1.0-SNAPSHOT.jar"
[[ -f "$JAR_SRC" ]] || die "no jar at $JAR_SRC"
cp "$JAR_SRC" "$TMP/app.jar"
mkdir -p "$OUT"

# ---- lab --------------------------------------------------------------------------------------
NSS=("$NS_BR" "$NS_D" "$NS_K" "$NS_B" "$NS_O")
PAIRS=("$NS_D:10.202.0.1" "$NS_K:10.202.0.2" "$NS_B:10.202.0.3" "$NS_O:10.202.0.4")
if ((NSVC == 2)); then NSS+=("$NS_E"); PAIRS+=("$NS_E:10.202.0.5"); fi
if [[ -n $KEEPALIVED_RT ]]; then NSS+=("$NS_R"); PAIRS+=("$NS_R:10.202.0.6"); fi
for ns in "${NSS[@]}"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n "$NS_BR" link add br0 type bridge
ip -n "$NS_BR" link set br0 up
i=0
for pair in "${PAIRS[@]}"; do
    ns=${pair%%:*} addr=${pair#*:}
    ip link add "q$i" netns "$NS_BR" type veth peer name eth0 netns "$ns"
    ip -n "$NS_BR" link set "q$i" master br0
    ip -n "$NS_BR" link set "q$i" up
    ip -n "$ns" addr add "$addr/24" dev eth0
    ip -n "$ns" link set eth0 up
    i=$((i + 1))
done

BACKUP_OF=()
for ((s = 0; s < NSVC; s++)); do
    python3 "$PY" conf --out "$TMP/ours${SFX[s]}.conf" --router-id "${SNODE[s]}" --name "VI_OURS${SFX[s]}" --vrid "${SVRID[s]}" --net "${SNET[s]}"
    BACKUP_OF+=("${SVRID[s]}:${SNET[s]}")
done
BACKUP_OF+=("82:212")
python3 "$PY" conf --out "$TMP/keepalived.conf" --router-id timing-ka1 --name VI_KA --vrid 82 --net 212
if [[ -n $KEEPALIVED_RT ]]; then
    BACKUP_OF+=("85:215")
    python3 "$PY" conf --out "$TMP/keepalived-rt.conf" --router-id timing-ka2 --name VI_KA_RT --vrid 85 --net 215 --rt-priority "$KEEPALIVED_RT"
fi
python3 "$PY" conf --out "$TMP/second.conf" --router-id timing2-lvs1 --name VI_SECOND --vrid 83 --net 213
python3 "$PY" backup --out "$TMP/backup.conf" "${BACKUP_OF[@]}"

bg() { # bg NAME NS CMD...: start CMD in namespace NS in the background, log to $TMP/NAME.log
    local name=$1 ns=$2
    shift 2
    ip netns exec "$ns" "$@" >"$TMP/$name.log" 2>&1 &
    PIDS+=("$!")
    echo "$!" >"$TMP/$name.pid"
}

bg observer "$NS_O" python3 "$PY" observe --out "$TMP/adverts.txt"
for ((s = 0; s < NSVC; s++)); do bg "servers${SFX[s]}" "${SNS[s]}" python3 "$PY" serve --port 8000 --ports 100; done
# FLIP: stop the HTTP servers at each of FLIP_AT s into the load for FLIP_FOR s, then start them again
# (every check fails at once: connection refused; each real server flips DOWN, then UP, each flip a re-plan)
flipper() {
    local t0=$1 at n=0 s pid=()
    for ((s = 0; s < NSVC; s++)); do pid[s]=$(cat "$TMP/servers${SFX[s]}.pid"); done
    for at in $FLIP_AT; do
        sleep "$(python3 -c "import time; print(max(0, $t0 + $at - time.time()))")"
        for ((s = 0; s < NSVC; s++)); do kill -TERM "${pid[s]}" 2>/dev/null || true; done
        echo "$(date +%s.%N) stopped" >>"$TMP/flips.txt"
        log "flip: the HTTP servers stopped at ${at} s for ${FLIP_FOR} s"
        sleep "$FLIP_FOR"
        n=$((n + 1))
        for ((s = 0; s < NSVC; s++)); do
            bg "servers${SFX[s]}-$n" "${SNS[s]}" python3 "$PY" serve --port 8000 --ports 100
            pid[s]=$!
        done
        echo "$(date +%s.%N) started" >>"$TMP/flips.txt"
        log "flip: the HTTP servers started again"
    done
}
# keepalived: VRRP process only (-P), its own pid files, no daemon
bg ka-master "$NS_K" /usr/sbin/keepalived -P -n -l -D -f "$TMP/keepalived.conf" -p "$TMP/ka-k.kpid" -r "$TMP/ka-k.rpid"
bg ka-backup "$NS_B" /usr/sbin/keepalived -P -n -l -D -f "$TMP/backup.conf" -p "$TMP/ka-b.kpid" -r "$TMP/ka-b.rpid"
if [[ -n $KEEPALIVED_RT ]]; then
    bg ka-rt "$NS_R" /usr/sbin/keepalived -P -n -l -D -f "$TMP/keepalived-rt.conf" -p "$TMP/ka-r.kpid" -r "$TMP/ka-r.rpid"
fi

SVC=()
for ((s = 0; s < NSVC; s++)); do
    log "service${SFX[s]}: java $JVM_FLAGS -jar app.jar (namespace ${SNS[s]}, port $PORT), lvs.vrrp.engine=${ENG[s]} ${CHILD_FLAGS:+(child: $CHILD_FLAGS)}${REALTIME:+ lvs.vrrp.realtime-priority=$REALTIME}"
    mkdir -p "$TMP/work${SFX[s]}"
    (cd "$TMP/work${SFX[s]}" && exec ip netns exec "${SNS[s]}" java $JVM_FLAGS -Dspring.profiles.active= -jar "$TMP/app.jar" \
        --spring.datasource.url="jdbc:h2:file:$TMP/db${SFX[s]}" --server.port=$PORT --lvs.dataplane=dry-run --lvs.node-name="${SNODE[s]}" \
        --lvs.vrrp.on-host-in-dry-run=true --lvs.health.probe-in-dry-run=true --lvs.vrrp.engine="${ENG[s]}" \
        ${CHILD_FLAGS:+"--lvs.vrrp.process.jvm-options=$CHILD_FLAGS"} ${REALTIME:+"--lvs.vrrp.realtime-priority=$REALTIME"} \
        --lvs.security.initial-admin-password=$PASSWORD) >"$TMP/service${SFX[s]}.log" 2>&1 &
    SVC[s]=$!
    PIDS+=("${SVC[s]}")
done
for ((s = 0; s < NSVC; s++)); do
    ns=${SNS[s]}
    for ((k = 0; k < 240; k++)); do
        if ip netns exec "$ns" curl -fsS "http://127.0.0.1:$PORT/actuator/health" 2>/dev/null | grep -q '"UP"'; then break; fi
        kill -0 "${SVC[s]}" 2>/dev/null || { tail -40 "$TMP/service${SFX[s]}.log" >&2; die "the service${SFX[s]} died"; }
        sleep 0.5
    done
    ip netns exec "$ns" curl -fsS "http://127.0.0.1:$PORT/actuator/health" | grep -q '"UP"' || die "the service${SFX[s]} did not come up"
    log "service${SFX[s]} up; importing the 1,000 x 10 keepalived.conf (VRRPv3 100 ms, VRID ${SVRID[s]})"
    code=$(ip netns exec "$ns" curl -sS -o "$TMP/import1${SFX[s]}.json" -w '%{http_code}' -u "admin:$PASSWORD" -H 'Content-Type: text/plain' \
        --data-binary "@$TMP/ours${SFX[s]}.conf" \
        "http://127.0.0.1:$PORT/api/v1/import/keepalived?cluster=timing&file=keepalived.conf&directors=keepalived.conf%3D${SNODE[s]}%40${SADDR[s]}")
    [[ $code == 200 ]] || { head -c 3000 "$TMP/import1${SFX[s]}.json" >&2; die "the import answered $code"; }
done

# ours and keepalived all master (the observer sees every VRID from its master)
for ((k = 0; k < 120; k++)); do
    ka=$(awk '$2=="10.202.0.2" && $3==82' "$TMP/adverts.txt" | wc -l)
    ok=1
    for ((s = 0; s < NSVC; s++)); do
        o=$(awk -v a="${SADDR[s]}" -v v="${SVRID[s]}" '$2==a && $3==v' "$TMP/adverts.txt" | wc -l)
        [[ $o -gt 20 ]] || ok=
    done
    kr=21
    [[ -n $KEEPALIVED_RT ]] && kr=$(awk '$2=="10.202.0.6" && $3==85' "$TMP/adverts.txt" | wc -l)
    [[ -n $ok && $ka -gt 20 && $kr -gt 20 ]] && break
    sleep 0.5
done
[[ ${ka:-0} -gt 20 ]] || die "the anchor could not run: no adverts of keepalived's master (VRID 82) seen (log: $TMP/ka-master.log)"
[[ ${kr:-0} -gt 20 ]] || die "keepalived with vrrp_rt_priority could not run: no adverts of VRID 85 seen (log: $TMP/ka-rt.log)"
[[ -n $ok ]] || { tail -30 "$TMP/service.log" >&2; die "no adverts of a service (VRID ${SVRID[*]:0:NSVC}) seen"; }
log "all masters advertising; health checks settling (15 s)"
sleep 15
ka_pids=$(ip netns pids "$NS_K" | tr '\n' ' ')
KA_RSS=$(python3 "$PY" rss --pid $ka_pids)
JPID=() RSS_IDLE=() HEAP=() CHILD=() CHILD_RSS=()
for ((s = 0; s < NSVC; s++)); do
    JPID[s]=${SVC[s]}   # the subshell execs ip, which execs java: the same process
    [[ $(cat /proc/${JPID[s]}/comm) == java ]] || die "pid ${JPID[s]} is not the JVM"
    RSS_IDLE[s]=$(python3 "$PY" rss --pid "${JPID[s]}")
    HEAP[s]=$(jcmd "${JPID[s]}" GC.heap_info 2>/dev/null | head -3 | tr '\n' ' ' || true)
    CHILD[s]=$(pgrep -P "${JPID[s]}" | head -1 || true)
    CHILD_RSS[s]=0
    [[ -n ${CHILD[s]} ]] && CHILD_RSS[s]=$(grep VmRSS "/proc/${CHILD[s]}/status" | awk '{print $2}')
    # the engine's threads as the kernel schedules them (class, real-time priority) and its collections so far
    ps -L -o cls=,rtprio=,comm= -p "${CHILD[s]:-${JPID[s]}}" | awk '$3 ~ /^vrrp-/' >"$TMP/loop-thread${SFX[s]}.txt" || true
    [[ -n ${CHILD[s]} ]] && { jstat -gc "${CHILD[s]}" >"$TMP/jstat0${SFX[s]}.txt" 2>/dev/null || true; }
    log "idle: service${SFX[s]} (${ENG[s]}) RSS ${RSS_IDLE[s]} kB (its VRRP engine process: ${CHILD[s]:-none}, ${CHILD_RSS[s]} kB of it)"
done
log "idle: keepalived (VRRP process and parent) RSS ${KA_RSS} kB"

LOAD_AVG0=$(cut -d' ' -f1-3 /proc/loadavg)
log "load for ${DURATION}s on each service: API ${API_RATE} req/s, scrape every 1 s, checks, import at ${IMPORT_AT}s (then every ${IMPORT_EVERY}s, 0: once), GC.run at ${GC_AT}s${FLIP_AT:+, HTTP servers stopped at ${FLIP_AT}s for ${FLIP_FOR}s}"
LOAD_T0=$(date +%s.%N)
if [[ -n $FLIP_AT ]]; then
    flipper "$LOAD_T0" &
    PIDS+=("$!")
fi
LIST=() WATCH=() LOADP=()
for ((s = 0; s < NSVC; s++)); do
    ip netns exec "${SNS[s]}" python3 "$BENCH_DIR/bench.py" list --port $PORT --cluster timing --rate "$API_RATE" --duration "$DURATION" \
        --warmup 0 --size 50 --json "$TMP/list${SFX[s]}.json" >"$TMP/list${SFX[s]}.log" 2>&1 &
    LIST[s]=$!
    PIDS+=("${LIST[s]}")
    python3 "$PY" rss --pid "${JPID[s]}" --watch "$DURATION" >"$TMP/rss-load${SFX[s]}.json" &
    WATCH[s]=$!
    ip netns exec "${SNS[s]}" python3 "$PY" load --port $PORT --pid "${JPID[s]}" --password $PASSWORD --duration "$DURATION" \
        --import-at "$IMPORT_AT" --import-every "$IMPORT_EVERY" --import-file "$TMP/second.conf" --gc-at $GC_AT \
        --json "$TMP/load${SFX[s]}.json" >"$TMP/load${SFX[s]}.log" 2>&1 &
    LOADP[s]=$!
    PIDS+=("${LOADP[s]}")
done
for ((s = 0; s < NSVC; s++)); do
    wait "${LOADP[s]}" || LOAD_FAILED=1
    wait "${LIST[s]}" || LIST_FAILED=1
    wait "${WATCH[s]}" || true
done
LOAD_T1=$(date +%s.%N)
KA_RSS_LOAD=$(python3 "$PY" rss --pid $ka_pids)
LOAD_AVG1=$(cut -d' ' -f1-3 /proc/loadavg)
log "the host's load average: $LOAD_AVG0 at the start of the load, $LOAD_AVG1 at its end"
CHECKS=()
for ((s = 0; s < NSVC; s++)); do
    log "the service${SFX[s]}'s open files at the end: $(ls /proc/${JPID[s]}/fd | wc -l)"
    # the health checks and the engine over the run, from the service's own counters (the adverts are the observer's)
    ip netns exec "${SNS[s]}" curl -fsS "http://127.0.0.1:$PORT/actuator/prometheus" >"$TMP/metrics-end${SFX[s]}.txt" || true
    CHECKS[s]=$(awk '/^lvs_healthcheck_duration_seconds_count/ {n += $2} /^lvs_realserver_flaps_total/ {f += $2}
        /^lvs_realserver_up/ {u += $2; t++} /^lvs_healthcheck_failures_total/ {split($1, r, "\""); if ($2 > 0) fl = fl " " r[2] "=" $2}
        /^lvs_vrrp_engine_process_restarts_total/ {rs = $2} /^lvs_vrrp_transitions_total/ {tr = tr " " $2}
        /^lvs_vrrp_engine_realtime/ {rt = $2}
        END {printf "attempts %d, real servers up %d of %d, flaps %d, failed attempts:%s; VRRP transitions:%s; engine process restarts %s; lvs_vrrp_engine_realtime %s",
             n, u, t, f, fl == "" ? " none" : fl, tr, rs == "" ? "n/a" : rs, rt == "" ? "n/a" : rt}' "$TMP/metrics-end${SFX[s]}.txt")
    child1=$(pgrep -P "${JPID[s]}" | head -1 || true)
    [[ -n ${CHILD[s]} ]] && { jstat -gc "${CHILD[s]}" >"$TMP/jstat1${SFX[s]}.txt" 2>/dev/null || true; }
    [[ "${CHILD[s]}" == "$child1" ]] || CHECKS[s]="${CHECKS[s]}; the engine process changed: pid ${CHILD[s]:-none} -> ${child1:-none}"
done

SPECS=()
for ((s = 0; s < NSVC; s++)); do SPECS+=("ours${SFX[s]}:${SVRID[s]}:${SADDR[s]}"); done
[[ -n $KEEPALIVED_RT ]] && SPECS+=(keepalived-rt:85:10.202.0.6)
python3 "$PY" analyse --file "$TMP/adverts.txt" --start "$LOAD_T0" --end "$LOAD_T1" \
    --vrid "${SPECS[@]}" keepalived:82:10.202.0.2 --json "$TMP/gaps.json" >/dev/null
cp "$TMP"/*.json "$TMP/adverts.txt" "$TMP"/loop-thread*.txt "$TMP"/jstat*.txt "$TMP"/service*.log "$TMP"/list*.log "$TMP"/load*.log "$TMP"/metrics-end*.txt "$TMP/backup.conf" "$OUT/" 2>/dev/null || true
[[ -f $TMP/flips.txt ]] && cp "$TMP/flips.txt" "$OUT/"
for ((s = 0; s < NSVC; s++)); do
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${SFX[s]}" "${ENG[s]}" "${SVRID[s]}" "${RSS_IDLE[s]}" "${CHILD_RSS[s]}" "${HEAP[s]}" "${CHECKS[s]}"
done >"$TMP/services.tsv"
cp "$TMP/services.tsv" "$OUT/"

python3 - "$TMP" "$OUT" "$KA_RSS" "$KA_RSS_LOAD" "$JVM_FLAGS" "$DURATION" "$CHILD_FLAGS" "$LOAD_AVG0" "$LOAD_AVG1" "$REALTIME" "$KEEPALIVED_RT" <<'PY' | tee "$OUT/summary.md"
import json, sys, os
tmp, out, ka_rss, ka_rss_load, flags, duration, child_flags, la0, la1, realtime, ka_rt = sys.argv[1:12]
g = json.load(open(os.path.join(tmp, "gaps.json")))
svcs = [dict(zip(("sfx", "engine", "vrid", "rss_idle", "child_rss", "heap", "checks"), l.rstrip("\n").split("\t")))
        for l in open(os.path.join(tmp, "services.tsv"))]
two = len(svcs) > 1
for s in svcs:
    f = s["sfx"]
    s["gaps"] = g["ours" + f]
    s["load"] = json.load(open(os.path.join(tmp, "load%s.json" % f)))
    s["rss"] = json.load(open(os.path.join(tmp, "rss-load%s.json" % f)))
    try:
        s["list"] = [json.loads(l) for l in open(os.path.join(tmp, "list%s.json" % f)) if l.strip()][-1]
    except Exception:
        s["list"] = {}
    s["name"] = "service, engine %s (VRID %s)" % (s["engine"], s["vrid"]) if two else "service (VRID %s)" % s["vrid"]
    s["short"] = "service (%s)" % s["engine"] if two else "service"
k = g["keepalived"]
if not k["gaps"]:
    print("FAILED: keepalived (the anchor) sent no adverts during the load"); sys.exit(1)
print("load %s s; JVM flags: %s; lvs.vrrp.engine=%s %s; lvs.vrrp.realtime-priority=%s%s" % (duration, flags, " and ".join(s["engine"] for s in svcs),
      child_flags, realtime or "(the default)", "; a second keepalived with vrrp_rt_priority %s (VRID 85)" % ka_rt if ka_rt else ""))
print("the host's load average: %s at the start of the load, %s at its end" % (la0, la1))
print()
kr = g.get("keepalived-rt")
anchors = [("keepalived (VRID 82)", k)] + ([("keepalived, vrrp_rt_priority %s (VRID 85)" % ka_rt, kr)] if kr else [])
print("| advert gaps (ms) | n | p50 | p90 | p99 | p99.9 | max | > 110 ms | > 200 ms | > 361 ms (master down) | other senders / prio 0 (spurious transitions) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for name, v in [(s["name"], s["gaps"]) for s in svcs] + anchors:
    print("| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d | %d | %d %s |" % (name, v["gaps"], v["p50"], v["p90"], v["p99"], v["p99.9"], v["max"],
          v["over_110ms"], v["over_200ms"], v["over_361ms"], v["other_senders_or_prio0"], v["other_senders"]))
PCTS = ("p50", "p90", "p99", "p99.9", "max")
for s in svcs:
    o = s["gaps"]
    print("| **%s / keepalived** | | %.2f | %.2f | %.2f | %.2f | %.2f | | | | |" % ((s["short"],) + tuple(o[p] / k[p] for p in PCTS)))
    if kr:
        print("| **%s / keepalived with vrrp_rt_priority** | | %.2f | %.2f | %.2f | %.2f | %.2f | | | | |" % ((s["short"],) + tuple(o[p] / kr[p] for p in PCTS)))
print()
for s in svcs:
    o = s["gaps"]
    goal = o["p99.9"] < 110 and o["max"] < 200 and o["other_senders_or_prio0"] == 0
    anchor = all(o[p] <= k[p] for p in PCTS) and o["other_senders_or_prio0"] <= k["other_senders_or_prio0"]
    print("%s: goal p99.9 < 110 ms, max < 200 ms, no spurious transition: %s; no worse than keepalived at every percentile: %s"
          % (s["short"], "MET" if goal else "MISSED", "YES" if anchor else "NO"))
print()
for s in svcs:
    lst, load = s["list"], s["load"]
    print("%sload: API %s; scrapes %d (failures %d, p50 %s ms, max %s ms, %s bytes); events %s" % (
        s["short"] + " " if two else "",
        "n=%s errors=%s p50=%s p99=%s ms achieved %s req/s" % (lst.get("count"), lst.get("errors"), lst.get("p50"), lst.get("p99"), lst.get("achievedRate")) if lst else "?",
        load["scrapes"], load["scrape_failures"], load["scrape_p50_ms"], load["scrape_max_ms"], load["scrape_bytes"],
        "; ".join("%s %.1f-%.1f s (%s)%s" % (e["what"], e["start"] - load["t0"], e["end"] - load["t0"], e["status"],
                                            " " + e["heap"] if "heap" in e else "") for e in sorted(load["events"], key=lambda e: e["start"]))))
    print()
print("| RSS (MiB) | idle, 1,000 x 10 loaded | under the load: median / peak |")
print("|---|---|---|")
for s in svcs:
    print("| %s | %.0f | %.0f / %.0f |" % (s["short"], int(s["rss_idle"]) / 1024, s["rss"]["median_kb"] / 1024, s["rss"]["peak_kb"] / 1024))
print("| keepalived (VRRP process + parent, same 1,000 x 10 file) | %.0f | %.0f (end) |" % (int(ka_rss) / 1024, int(ka_rss_load) / 1024))
for s in svcs:
    print("| %s / keepalived | %.1f | %.1f (peak / keepalived's) |" % (s["short"], int(s["rss_idle"]) / int(ka_rss), s["rss"]["peak_kb"] / int(ka_rss_load)))
print()
for s in svcs:
    if s["engine"] == "process":
        print("the VRRP engine process (lvs.vrrp.engine=process), part of the %s's RSS above: %.0f MiB idle" % (s["short"], int(s["child_rss"]) / 1024))
for s in svcs:
    print("%sheap at idle: %s" % (s["short"] + " " if two else "", s["heap"]))
flips = os.path.join(tmp, "flips.txt")
if os.path.exists(flips):
    t0 = svcs[0]["load"]["t0"]
    print("HTTP servers (FLIP): " + ", ".join("%s at %.1f s" % (w, float(t) - t0) for t, w in (l.split() for l in open(flips))))
for s in svcs:
    print("%shealth checks and engine at the end: %s" % (s["short"] + " " if two else "", s["checks"]))
def jstat(path):
    try:
        head, row = [l.split() for l in open(path) if l.strip()][:2]
        return {h: float(x) for h, x in zip(head, row) if x.replace(".", "", 1).isdigit()}  # "-": a column this collector has not
    except Exception:
        return None
for s in svcs:
    f = s["sfx"]
    try:
        loop = open(os.path.join(tmp, "loop-thread%s.txt" % f)).read().split()
    except OSError:
        loop = []
    print("%sVRRP loop thread as the kernel schedules it (class, rtprio, name): %s" % (s["short"] + " " if two else "", " ".join(loop) or "?"))
    a, b = jstat(os.path.join(tmp, "jstat0%s.txt" % f)), jstat(os.path.join(tmp, "jstat1%s.txt" % f))
    if a and b:
        print("%sengine process collections during the load: %d young (%.1f ms in all), %d full (%.1f ms)" % (
            s["short"] + " " if two else "", b["YGC"] - a["YGC"], (b["YGCT"] - a["YGCT"]) * 1000, b["FGC"] - a["FGC"], (b["FGCT"] - a["FGCT"]) * 1000))
PY
log "results: $OUT"
[[ -z "${LOAD_FAILED:-}" ]] || die "a load driver failed (see $OUT/load*.log)"
[[ -z "${LIST_FAILED:-}" ]] || die "an API load failed (see $OUT/list*.log)"
