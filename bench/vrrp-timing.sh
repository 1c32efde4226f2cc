#!/usr/bin/env bash
# VRRP advert timing of the shipped service under load, against keepalived in the same run (issue 18):
#
#     bash bench/vrrp-timing.sh        # DURATION=90 s of load (the issue asks 600: DURATION=600)
#     FLIP=1 ...          heavy load on purpose: the bench's HTTP servers stop for FLIP_FOR s (20) at each
#                         of FLIP_AT s (default every 40 s from 25 s), so all 10,000 checks flip DOWN, then UP
#     JVM_FLAGS="..." ... to try other JVM flags than the package's
#     ENGINE=process ...  the service's VRRP engine in its own process (lvs.vrrp.engine; default embedded);
#                         CHILD_FLAGS="..." its JVM options (lvs.vrrp.process.jvm-options)
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
NS_BR="lvt-br$SUF" NS_D="lvt-d$SUF" NS_K="lvt-k$SUF" NS_B="lvt-b$SUF" NS_O="lvt-o$SUF"
PASSWORD=bench-admin-password
PORT=18080
PIDS=()
# the package's JVM flags (ExecStart of the unit, less the CDS archive, which only speeds start-up)
source "$ROOT/bench/unit-flags.sh"
PKG_FLAGS=$(unit_jvm_flags)
JVM_FLAGS=${JVM_FLAGS:-$PKG_FLAGS}
ENGINE=${ENGINE:-embedded}
CHILD_FLAGS=${CHILD_FLAGS:-}

ulimit -n "$(ulimit -Hn)" || true   # 10,000 real servers checked: the checker's and the servers' sockets
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
[[ $(id -u) == 0 ]] || die "run as root (namespaces, raw sockets)"
[[ -x /usr/sbin/keepalived ]] || die "the anchor is missing: Debian's keepalived is not installed"
command -v jcmd >/dev/null || die "jcmd is missing"

cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    sleep 1
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    for f in "$TMP"/*.pid; do [[ -f $f ]] && kill -KILL "$(cat "$f")" 2>/dev/null || true; done
    for ns in "$NS_D" "$NS_K" "$NS_B" "$NS_O" "$NS_BR"; do ip netns del "$ns" 2>/dev/null || true; done
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
for ns in "$NS_BR" "$NS_D" "$NS_K" "$NS_B" "$NS_O"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n "$NS_BR" link add br0 type bridge
ip -n "$NS_BR" link set br0 up
i=0
for pair in "$NS_D:10.202.0.1" "$NS_K:10.202.0.2" "$NS_B:10.202.0.3" "$NS_O:10.202.0.4"; do
    ns=${pair%%:*} addr=${pair#*:}
    ip link add "q$i" netns "$NS_BR" type veth peer name eth0 netns "$ns"
    ip -n "$NS_BR" link set "q$i" master br0
    ip -n "$NS_BR" link set "q$i" up
    ip -n "$ns" addr add "$addr/24" dev eth0
    ip -n "$ns" link set eth0 up
    i=$((i + 1))
done

python3 "$PY" conf --out "$TMP/ours.conf" --router-id timing-lvs1 --name VI_OURS --vrid 81 --net 211
python3 "$PY" conf --out "$TMP/keepalived.conf" --router-id timing-ka1 --name VI_KA --vrid 82 --net 212
python3 "$PY" conf --out "$TMP/second.conf" --router-id timing2-lvs1 --name VI_SECOND --vrid 83 --net 213
python3 "$PY" backup --out "$TMP/backup.conf" 81:211 82:212

bg() { # bg NAME NS CMD...: start CMD in namespace NS in the background, log to $TMP/NAME.log
    local name=$1 ns=$2
    shift 2
    ip netns exec "$ns" "$@" >"$TMP/$name.log" 2>&1 &
    PIDS+=("$!")
    echo "$!" >"$TMP/$name.pid"
}

bg observer "$NS_O" python3 "$PY" observe --out "$TMP/adverts.txt"
bg servers "$NS_D" python3 "$PY" serve --port 8000 --ports 100
# FLIP: stop the HTTP servers at each of FLIP_AT s into the load for FLIP_FOR s, then start them again
# (every check fails at once: connection refused; each real server flips DOWN, then UP, each flip a re-plan)
flipper() {
    local t0=$1 at n=0 pid
    pid=$(cat "$TMP/servers.pid")
    for at in $FLIP_AT; do
        sleep "$(python3 -c "import time; print(max(0, $t0 + $at - time.time()))")"
        kill -TERM "$pid" 2>/dev/null || true
        echo "$(date +%s.%N) stopped" >>"$TMP/flips.txt"
        log "flip: the HTTP servers stopped at ${at} s for ${FLIP_FOR} s"
        sleep "$FLIP_FOR"
        n=$((n + 1))
        bg "servers-$n" "$NS_D" python3 "$PY" serve --port 8000 --ports 100
        pid=$!
        echo "$(date +%s.%N) started" >>"$TMP/flips.txt"
        log "flip: the HTTP servers started again"
    done
}
# keepalived: VRRP process only (-P), its own pid files, no daemon
bg ka-master "$NS_K" /usr/sbin/keepalived -P -n -l -D -f "$TMP/keepalived.conf" -p "$TMP/ka-k.kpid" -r "$TMP/ka-k.rpid"
bg ka-backup "$NS_B" /usr/sbin/keepalived -P -n -l -D -f "$TMP/backup.conf" -p "$TMP/ka-b.kpid" -r "$TMP/ka-b.rpid"

log "service: java $JVM_FLAGS -jar app.jar (namespace D, port $PORT), lvs.vrrp.engine=$ENGINE ${CHILD_FLAGS:+(child: $CHILD_FLAGS)}"
mkdir -p "$TMP/work"
(cd "$TMP/work" && exec ip netns exec "$NS_D" java $JVM_FLAGS -Dspring.profiles.active= -jar "$TMP/app.jar" \
    --spring.datasource.url="jdbc:h2:file:$TMP/db" --server.port=$PORT --lvs.dataplane=dry-run --lvs.node-name=timing-lvs1 \
    --lvs.vrrp.on-host-in-dry-run=true --lvs.health.probe-in-dry-run=true --lvs.vrrp.engine=$ENGINE \
    ${CHILD_FLAGS:+"--lvs.vrrp.process.jvm-options=$CHILD_FLAGS"} \
    --lvs.security.initial-admin-password=$PASSWORD) >"$TMP/service.log" 2>&1 &
SVC=$!
PIDS+=("$SVC")
for ((k = 0; k < 240; k++)); do
    if ip netns exec "$NS_D" curl -fsS "http://127.0.0.1:$PORT/actuator/health" 2>/dev/null | grep -q '"UP"'; then break; fi
    kill -0 "$SVC" 2>/dev/null || { tail -40 "$TMP/service.log" >&2; die "the service died"; }
    sleep 0.5
done
ip netns exec "$NS_D" curl -fsS "http://127.0.0.1:$PORT/actuator/health" | grep -q '"UP"' || die "the service did not come up"
log "service up; importing the 1,000 x 10 keepalived.conf (VRRPv3 100 ms, VRID 81)"
code=$(ip netns exec "$NS_D" curl -sS -o "$TMP/import1.json" -w '%{http_code}' -u "admin:$PASSWORD" -H 'Content-Type: text/plain' \
    --data-binary "@$TMP/ours.conf" \
    "http://127.0.0.1:$PORT/api/v1/import/keepalived?cluster=timing&file=keepalived.conf&directors=keepalived.conf%3Dtiming-lvs1%4010.202.0.1")
[[ $code == 200 ]] || { head -c 3000 "$TMP/import1.json" >&2; die "the import answered $code"; }

# ours and keepalived both master (the observer sees both VRIDs from their masters)
for ((k = 0; k < 120; k++)); do
    o=$(awk '$2=="10.202.0.1" && $3==81' "$TMP/adverts.txt" | wc -l)
    ka=$(awk '$2=="10.202.0.2" && $3==82' "$TMP/adverts.txt" | wc -l)
    [[ $o -gt 20 && $ka -gt 20 ]] && break
    sleep 0.5
done
[[ ${ka:-0} -gt 20 ]] || die "the anchor could not run: no adverts of keepalived's master (VRID 82) seen (log: $TMP/ka-master.log)"
[[ ${o:-0} -gt 20 ]] || { tail -30 "$TMP/service.log" >&2; die "no adverts of the service (VRID 81) seen"; }
log "both masters advertising; health checks settling (15 s)"
sleep 15
ka_pids=$(ip netns pids "$NS_K" | tr '\n' ' ')
JPID=$SVC   # the subshell execs ip, which execs java: the same process
[[ $(cat /proc/$JPID/comm) == java ]] || die "pid $JPID is not the JVM"
RSS_IDLE=$(python3 "$PY" rss --pid "$JPID")
KA_RSS=$(python3 "$PY" rss --pid $ka_pids)
HEAP=$(jcmd "$JPID" GC.heap_info 2>/dev/null | head -3 | tr '\n' ' ' || true)
CHILD=$(pgrep -P "$JPID" | head -1 || true)
CHILD_RSS=0
[[ -n $CHILD ]] && CHILD_RSS=$(grep VmRSS "/proc/$CHILD/status" | awk '{print $2}')
log "idle: service RSS ${RSS_IDLE} kB (its VRRP engine process: ${CHILD:-none}, ${CHILD_RSS} kB of it); keepalived (VRRP process and parent) RSS ${KA_RSS} kB"

LOAD_AVG0=$(cut -d' ' -f1-3 /proc/loadavg)
CHILD0=$CHILD
log "load for ${DURATION}s: API ${API_RATE} req/s, scrape every 1 s, checks, import at ${IMPORT_AT}s (then every ${IMPORT_EVERY}s, 0: once), GC.run at ${GC_AT}s${FLIP_AT:+, HTTP servers stopped at ${FLIP_AT}s for ${FLIP_FOR}s}"
LOAD_T0=$(date +%s.%N)
if [[ -n $FLIP_AT ]]; then
    flipper "$LOAD_T0" &
    PIDS+=("$!")
fi
ip netns exec "$NS_D" python3 "$BENCH_DIR/bench.py" list --port $PORT --cluster timing --rate "$API_RATE" --duration "$DURATION" \
    --warmup 0 --size 50 --json "$TMP/list.json" >"$TMP/list.log" 2>&1 &
LIST=$!
PIDS+=("$LIST")
python3 "$PY" rss --pid "$JPID" --watch "$DURATION" >"$TMP/rss-load.json" &
WATCH=$!
ip netns exec "$NS_D" python3 "$PY" load --port $PORT --pid "$JPID" --password $PASSWORD --duration "$DURATION" \
    --import-at "$IMPORT_AT" --import-every "$IMPORT_EVERY" --import-file "$TMP/second.conf" --gc-at $GC_AT --json "$TMP/load.json" >"$TMP/load.log" 2>&1 || LOAD_FAILED=1
wait "$LIST" || LIST_FAILED=1
wait "$WATCH" || true
LOAD_T1=$(date +%s.%N)
KA_RSS_LOAD=$(python3 "$PY" rss --pid $ka_pids)
FDS=$(ls /proc/$JPID/fd | wc -l)
LOAD_AVG1=$(cut -d' ' -f1-3 /proc/loadavg)
log "the host's load average: $LOAD_AVG0 at the start of the load, $LOAD_AVG1 at its end"
log "the service's open files at the end: $FDS"
# the health checks and the engine over the run, from the service's own counters (the adverts are the observer's)
ip netns exec "$NS_D" curl -fsS "http://127.0.0.1:$PORT/actuator/prometheus" >"$TMP/metrics-end.txt" || true
checks=$(awk '/^lvs_healthcheck_duration_seconds_count/ {n += $2} /^lvs_realserver_flaps_total/ {f += $2}
    /^lvs_realserver_up/ {u += $2; t++} /^lvs_healthcheck_failures_total/ {split($1, r, "\""); fl = fl " " r[2] "=" $2}
    /^lvs_vrrp_engine_process_restarts_total/ {rs = $2} /^lvs_vrrp_transitions_total/ {tr = tr " " $2}
    END {printf "attempts %d, real servers up %d of %d, flaps %d, failures:%s; VRRP transitions:%s; engine process restarts %s",
         n, u, t, f, fl, tr, rs == "" ? "n/a" : rs}' "$TMP/metrics-end.txt")
CHILD1=$(pgrep -P "$JPID" | head -1 || true)
[[ "$CHILD0" == "$CHILD1" ]] || checks="$checks; the engine process changed: pid ${CHILD0:-none} -> ${CHILD1:-none}"

python3 "$PY" analyse --file "$TMP/adverts.txt" --start "$LOAD_T0" --end "$LOAD_T1" \
    --vrid ours:81:10.202.0.1 keepalived:82:10.202.0.2 --json "$TMP/gaps.json" >/dev/null
cp "$TMP"/*.json "$TMP/adverts.txt" "$TMP/service.log" "$TMP/list.log" "$TMP/load.log" "$TMP/metrics-end.txt" "$OUT/" 2>/dev/null || true
[[ -f $TMP/flips.txt ]] && cp "$TMP/flips.txt" "$OUT/"

python3 - "$TMP" "$OUT" "$RSS_IDLE" "$KA_RSS" "$KA_RSS_LOAD" "$JVM_FLAGS" "$DURATION" "$HEAP" "$ENGINE" "$CHILD_RSS" "$CHILD_FLAGS" <<'PY' | tee "$OUT/summary.md"
import json, sys, os
tmp, out, rss_idle, ka_rss, ka_rss_load, flags, duration, heap, engine, child_rss, child_flags = sys.argv[1:12]
g = json.load(open(os.path.join(tmp, "gaps.json")))
load = json.load(open(os.path.join(tmp, "load.json")))
rss = json.load(open(os.path.join(tmp, "rss-load.json")))
try:
    lst = [json.loads(l) for l in open(os.path.join(tmp, "list.json")) if l.strip()][-1]
except Exception:
    lst = {}
o, k = g["ours"], g["keepalived"]
if not k["gaps"]:
    print("FAILED: keepalived (the anchor) sent no adverts during the load"); sys.exit(1)
print("load %s s; JVM flags: %s; lvs.vrrp.engine=%s %s" % (duration, flags, engine, child_flags))
print()
print("| advert gaps (ms) | n | p50 | p99 | p99.9 | max | > 110 ms | > 200 ms | > 361 ms (master down) | other senders / prio 0 (spurious transitions) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for name, v in (("service (VRID 81)", o), ("keepalived (VRID 82)", k)):
    print("| %s | %d | %.1f | %.1f | %.1f | %.1f | %d | %d | %d | %d %s |" % (name, v["gaps"], v["p50"], v["p99"], v["p99.9"], v["max"],
          v["over_110ms"], v["over_200ms"], v["over_361ms"], v["other_senders_or_prio0"], v["other_senders"]))
print("| **service / keepalived** | | %.2f | %.2f | %.2f | %.2f | | | | |" % tuple(o[p] / k[p] for p in ("p50", "p99", "p99.9", "max")))
print()
goal = o["p99.9"] < 110 and o["max"] < 200 and o["other_senders_or_prio0"] == 0
anchor = all(o[p] <= k[p] for p in ("p50", "p99", "p99.9", "max")) and o["other_senders_or_prio0"] <= k["other_senders_or_prio0"]
print("goal p99.9 < 110 ms, max < 200 ms, no spurious transition: %s; no worse than keepalived at every percentile: %s"
      % ("MET" if goal else "MISSED", "YES" if anchor else "NO"))
print()
print("load: API %s; scrapes %d (failures %d, p50 %s ms, max %s ms, %s bytes); events %s" % (
    "n=%s errors=%s p50=%s p99=%s ms achieved %s req/s" % (lst.get("count"), lst.get("errors"), lst.get("p50"), lst.get("p99"), lst.get("achievedRate")) if lst else "?",
    load["scrapes"], load["scrape_failures"], load["scrape_p50_ms"], load["scrape_max_ms"], load["scrape_bytes"],
    "; ".join("%s %.1f-%.1f s (%s)%s" % (e["what"], e["start"] - load["t0"], e["end"] - load["t0"], e["status"],
                                        " " + e["heap"] if "heap" in e else "") for e in load["events"])))
print()
print("| RSS (MiB) | idle, 1,000 x 10 loaded | under the load: median / peak |")
print("|---|---|---|")
print("| service | %.0f | %.0f / %.0f |" % (int(rss_idle) / 1024, rss["median_kb"] / 1024, rss["peak_kb"] / 1024))
print("| keepalived (VRRP process + parent, same 1,000 x 10 file) | %.0f | %.0f (end) |" % (int(ka_rss) / 1024, int(ka_rss_load) / 1024))
print("| service / keepalived | %.1f | %.1f (peak / keepalived's) |" % (int(rss_idle) / int(ka_rss), rss["peak_kb"] / int(ka_rss_load)))
print()
print("the VRRP engine process (lvs.vrrp.engine=process), part of the service's RSS above: %.0f MiB idle" % (int(child_rss) / 1024))
print("heap at idle: %s" % heap)
flips = os.path.join(tmp, "flips.txt")
if os.path.exists(flips):
    print("HTTP servers (FLIP): " + ", ".join("%s at %.1f s" % (w, float(t) - load["t0"]) for t, w in (l.split() for l in open(flips))))
PY
log "health checks: $checks"
echo "health checks and engine at the end: $checks" >>"$OUT/summary.md"
echo "the host's load average: $LOAD_AVG0 at the start of the load, $LOAD_AVG1 at its end" >>"$OUT/summary.md"
log "results: $OUT"
[[ -z "${LOAD_FAILED:-}" ]] || die "the load driver failed (see $OUT/load.log)"
[[ -z "${LIST_FAILED:-}" ]] || die "the API load failed (see $OUT/list.log)"
