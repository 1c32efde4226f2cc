#!/usr/bin/env bash
# Memory of the director (issue 18, item 4): RSS and PSS of the service and of its VRRP engine process
# with 1,000 x 10 loaded and checked, where it goes (NMT, smaps), and optionally under a short load.
# Starts the jar as bench/vrrp-timing.sh does (a network namespace, the dry-run IPVS table, the shipped
# VRRP engine sending for real, 10,000 HTTP_GET checks at 1,000/s against the bench's servers), without
# keepalived or the observer: quick runs to compare JVM flags, one after another.
#
#     bash bench/director-memory.sh                     # the package's flags (packaging/deb unit)
#     JVM_FLAGS="..." CHILD_FLAGS="..." ENV="MALLOC_ARENA_MAX=2" LOAD=30 bash bench/director-memory.sh
#
# JVM_FLAGS: the service's JVM flags (default: the unit's ExecStart); -XX:NativeMemoryTracking=summary is
# added to both JVMs unless NMT=0. CHILD_FLAGS: lvs.vrrp.process.jvm-options (default: the property's default).
# ENV: environment of the service (the child inherits it); default: the unit's Environment= (MALLOC_ARENA_MAX=2); ENV= for none.
# CDS=1: the package's start path: the extracted jar in a package root, a CDS archive made by the package's
# packaging/deb/make-cds-archive, the service started with the unit's relative -jar path and -Xshare:auto
# -XX:SharedArchiveFile (Spring AOT is in the unit's flags); the summary says how many classes came from it.
# LOAD=N: then N s of the vrrp-timing load (API 100 req/s, a scrape a second, an import of a second
# 1,000 x 10 at 5 s, a full GC at N-10 s) with RSS/PSS sampled every second, and the figures again after it.
# LIVE=1: after the idle figures, a full GC (jcmd GC.run) and the figures again as "idle-after-gc" (the live heap:
# GC.heap_info's "used" in nmt.txt).
# Needs root, jcmd, python3 and the jar (./mvnw -o -q -DskipTests package). Output: bench/out/memory-<stamp>/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY="$ROOT/bench/vrrp_timing.py"
source "$ROOT/bench/unit-flags.sh"
source "$ROOT/bench/thread-ticks.sh"
JVM_FLAGS=${JVM_FLAGS:-$(unit_jvm_flags)}
CHILD_FLAGS=${CHILD_FLAGS:-}
ENV=${ENV-$(unit_env)}
NMT=${NMT:-1}
LOAD=${LOAD:-0}
CDS=${CDS:-0}
STAMP=$(date -u +%Y%m%d-%H%M%S)
OUT="$ROOT/bench/out/memory-$STAMP"
TMP=$(mktemp -d /var/tmp/lvscp-memory.XXXXXX)
NS_D="lvm-d$$" NS_P="lvm-p$$"
PASSWORD=bench-admin-password
PORT=18090
PIDS=()
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
[[ $(id -u) == 0 ]] || die "run as root (namespaces, raw sockets)"
ulimit -n "$(ulimit -Hn)" || true
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    sleep 1
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    ip netns del "$NS_D" 2>/dev/null || true
    ip netns del "$NS_P" 2>/dev/null || true
    [[ -n "${KEEP_TMP:-}" ]] || rm -rf "$TMP"
}
trap cleanup EXIT
mkdir -p "$OUT" "$TMP/work"
JAR_SRC="$ROOT/target/lvs-control-plane-0.1.0-SNAPSHOT.jar"
[[ -f "$JAR_SRC" ]] || die "no jar at $JAR_SRC"
cp "$JAR_SRC" "$TMP/app.jar"

ip netns add "$NS_D"; ip netns add "$NS_P"
ip -n "$NS_D" link set lo up
ip link add eth0 netns "$NS_D" type veth peer name eth0 netns "$NS_P"
ip -n "$NS_D" addr add 10.203.0.1/24 dev eth0
ip -n "$NS_D" link set eth0 up
ip -n "$NS_P" link set eth0 up
python3 "$PY" conf --out "$TMP/ours.conf" --router-id mem-lvs1 --name VI_OURS --vrid 91 --net 221
python3 "$PY" conf --out "$TMP/second.conf" --router-id mem2-lvs1 --name VI_SECOND --vrid 93 --net 223

ip netns exec "$NS_D" python3 "$PY" serve --port 8000 --ports 100 >"$TMP/servers.log" 2>&1 &
PIDS+=("$!")

NMT_FLAG=""
[[ $NMT == 1 ]] && NMT_FLAG="-XX:NativeMemoryTracking=summary"
DEFAULT_CHILD=$(grep -A1 'DEFAULT_JVM_OPTIONS =' "$ROOT/src/main/java/io/lvscp/vrrp/process/VrrpEngineProcess.java" \
    | tr -d '\n' | sed -e 's/.*= *"//' -e 's/" *+ *"//' -e 's/";.*//')
CHILD_ALL="${CHILD_FLAGS:-$DEFAULT_CHILD}${NMT_FLAG:+ $NMT_FLAG}"

START=(-jar "$TMP/app.jar")
WORKDIR="$TMP/work"
if [[ $CDS == 1 ]]; then
    # as the package runs: the jar stored extracted in a package root, the archive made by the package's own
    # packaging/deb/make-cds-archive (one training start from ROOT/var/lib/lvs-control-plane with the
    # relative jar path the unit uses), the service started from that directory with the unit's
    # -Xshare:auto -XX:SharedArchiveFile and the same relative -jar path (Java 17 compares the string)
    R="$TMP/root" A="$TMP/root/usr/share/lvs-control-plane"
    mkdir -p "$A"
    (cd "$TMP" && java -Djarmode=tools -jar app.jar extract --destination "$TMP/x" >/dev/null)
    mv "$TMP/x/app.jar" "$A/lvs-control-plane.jar"; mv "$TMP/x/lib" "$A/lib"
    find "$R" -exec touch -h -d @1700000000 {} +
    # one archive per jar and JVM, kept in bench/out (the extraction and the file times above are the same each run)
    JVM_LIB="$(dirname "$(readlink -f "$(command -v java)")")/../lib/server/libjvm.so"
    CACHED="$ROOT/bench/out/cds-$(cat "$TMP/app.jar" "$JVM_LIB" | sha256sum | cut -c1-16).jsa"
    if [[ -f $CACHED ]]; then
        cp "$CACHED" "$TMP/app.jsa"
    else
        t=$(date +%s)
        bash "$ROOT/packaging/deb/make-cds-archive" "$R" "$(command -v java)" "$TMP/app.jsa" >&2 || die "no CDS archive"
        log "CDS archive $(du -m "$TMP/app.jsa" | cut -f1) MiB in $(( $(date +%s) - t )) s"
        cp "$TMP/app.jsa" "$CACHED"
    fi
    WORKDIR="$R/var/lib/lvs-control-plane"
    mkdir -p "$WORKDIR"
    START=(-Xshare:auto -XX:SharedArchiveFile="$TMP/app.jsa" -Xlog:class+load=info:file="$TMP/classload.log"
        -jar ../../../usr/share/lvs-control-plane/lvs-control-plane.jar)
fi
log "service: ${ENV:+$ENV }java $JVM_FLAGS $NMT_FLAG ${START[*]}; child: $CHILD_ALL"
(cd "$WORKDIR" && exec ip netns exec "$NS_D" env $ENV java $JVM_FLAGS $NMT_FLAG -Dspring.profiles.active= "${START[@]}" \
    --spring.datasource.url="jdbc:h2:file:$TMP/db" --server.port=$PORT --lvs.dataplane=dry-run --lvs.node-name=mem-lvs1 \
    --lvs.vrrp.on-host-in-dry-run=true --lvs.health.probe-in-dry-run=true --lvs.vrrp.engine=process \
    "--lvs.vrrp.process.jvm-options=$CHILD_ALL" --lvs.security.initial-admin-password=$PASSWORD) >"$TMP/service.log" 2>&1 &
SVC=$!
PIDS+=("$SVC")
t0=$(date +%s.%N)
for ((k = 0; k < 300; k++)); do
    if ip netns exec "$NS_D" curl -fsS "http://127.0.0.1:$PORT/actuator/health" 2>/dev/null | grep -q '"UP"'; then break; fi
    kill -0 "$SVC" 2>/dev/null || { tail -40 "$TMP/service.log" >&2; die "the service died"; }
    sleep 0.2
done
log "up in $(python3 -c "import time; print('%.1f' % (time.time() - $t0))") s; importing 1,000 x 10"
code=$(ip netns exec "$NS_D" curl -sS -o "$TMP/import1.json" -w '%{http_code}' -u "admin:$PASSWORD" -H 'Content-Type: text/plain' \
    --data-binary "@$TMP/ours.conf" \
    "http://127.0.0.1:$PORT/api/v1/import/keepalived?cluster=mem&file=keepalived.conf&directors=keepalived.conf%3Dmem-lvs1%4010.203.0.1")
[[ $code == 200 ]] || { head -c 2000 "$TMP/import1.json" >&2; die "the import answered $code"; }
log "imported; checks settling (${SETTLE:-30} s)"
sleep 10
idle0=$(awk '{print $14 + $15}' "/proc/$SVC/stat")
thread_ticks "$SVC" > "$TMP/threads0"
sleep "$(( ${SETTLE:-30} - 10 ))"
thread_ticks "$SVC" > "$TMP/threads1"
awk -v hz="$(getconf CLK_TCK)" -v w="$(( ${SETTLE:-30} - 10 ))" 'NR == FNR { a[$1] += $2; next } { b[$1] += $2 }
    END { for (k in b) if (b[k] - a[k] > 0) printf "%.0f %s\n", (b[k] - a[k]) * 1000 / hz / w, k }' "$TMP/threads0" "$TMP/threads1" \
    | sort -rn | head -6 | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 } END { print " (ms a second)" }' \
    | sed 's/^/service threads idle: /' | tee -a "$OUT/summary.txt" >&2
echo "service CPU idle (1,000 x 10 checked): $(( ($(awk '{print $14 + $15}' "/proc/$SVC/stat") - idle0) * 1000 / $(getconf CLK_TCK) / (${SETTLE:-30} - 10) )) ms a second" \
    | tee -a "$OUT/summary.txt" >&2

# figures NAME: RSS/PSS/threads of both JVMs, NMT summaries, heap, classes
figures() {
    local name=$1 child
    child=$(pgrep -P "$SVC" java | head -1 || pgrep -P "$SVC" | head -1 || true)
    local range
    # the heap's reserved range: G1 prints one "[low, high)", the serial and parallel collectors one per generation
    # ("[low, top, high)"), Shenandoah its "Reserved region" as " - [low, high)": the lowest and highest address
    range=$(jcmd "$SVC" GC.heap_info 2>/dev/null | grep -E 'heap|generation|PSYoungGen|ParOldGen|^ - \[0x' | grep -o '0x[0-9a-f]*' \
        | python3 -c 'import sys; a = [int(x, 16) for x in sys.stdin.read().split()]; print("%x, %x" % (min(a), max(a)) if a else "0, 0")' || true)
    python3 - "$SVC" "${child:-0}" "$name" "${range:-0, 0}" <<'PY' | tee -a "$OUT/summary.txt"
import sys
svc, child, name = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lo, hi = (int(x, 16) for x in sys.argv[4].split(","))
def heap_rss(pid):
    # resident pages of the Java heap (the reserved range GC.heap_info prints), from smaps
    kb, inside = 0, False
    for line in open("/proc/%d/smaps" % pid):
        head = line.split()[0]
        if "-" in head and ":" not in head:
            a, b = (int(x, 16) for x in head.split("-"))
            inside = a < hi and b > lo
        elif inside and head == "Rss:":
            kb += int(line.split()[1])
    return kb
def f(pid):
    d = {}
    if not pid:
        return d
    for line in open("/proc/%d/status" % pid):
        k, _, v = line.partition(":")
        if k in ("VmRSS", "RssAnon", "RssFile", "RssShmem", "Threads"):
            d[k] = int(v.split()[0])
    for line in open("/proc/%d/smaps_rollup" % pid):
        k, _, v = line.partition(":")
        if k in ("Pss", "Pss_Anon", "Pss_File"):
            d[k] = int(v.split()[0])
    return d
def where(pid, lo=0, hi=0):
    # RSS by mapping (MiB): the Java heap's range, the CDS archives (*.jsa; their anonymous part is the pages the JVM
    # wrote), libjvm.so, other files, the other anonymous memory (metaspace, code, collector, malloc, stacks)
    out = {"heap": 0, "cds": 0, "cds-anon": 0, "libjvm": 0, "files": 0, "anon": 0}
    key = None
    for line in open("/proc/%d/smaps" % pid):
        parts = line.split()
        if "-" in parts[0] and ":" not in parts[0]:
            a, b = (int(x, 16) for x in parts[0].split("-"))
            path = parts[5] if len(parts) > 5 else ""
            key = ("heap" if a < hi and b > lo else "cds" if path.endswith(".jsa") else
                   "libjvm" if path.endswith("libjvm.so") else "files" if path.startswith("/") else "anon")
        elif parts[0] == "Rss:":
            out[key] += int(parts[1])
        elif parts[0] == "Anonymous:" and key == "cds":
            out["cds-anon"] += int(parts[1])
    return " ".join("%s %.0f" % (k, v / 1024) for k, v in out.items() if hi or k != "heap")
s, c = f(svc), f(child)
m = lambda d, k: d.get(k, 0) / 1024
h = heap_rss(svc) / 1024
print("%s: RSS by mapping (MiB), service: %s | engine child: %s" % (name, where(svc, lo, hi), where(child) if child else "-"))
print("%s: service Java heap resident %.0f MiB, the rest of the service RSS %.0f MiB" % (name, h, m(s, "VmRSS") - h))
print("%s: service RSS %.0f MiB (anon %.0f, file %.0f) PSS %.0f MiB, %d threads | engine child RSS %.0f MiB (anon %.0f, file %.0f) PSS %.0f MiB, %d threads | both RSS %.0f MiB, PSS %.0f MiB"
      % (name, m(s, "VmRSS"), m(s, "RssAnon"), m(s, "RssFile"), m(s, "Pss"), s.get("Threads", 0),
         m(c, "VmRSS"), m(c, "RssAnon"), m(c, "RssFile"), m(c, "Pss"), c.get("Threads", 0),
         m(s, "VmRSS") + m(c, "VmRSS"), m(s, "Pss") + m(c, "Pss")))
PY
    {
        echo "== $name: service"; jcmd "$SVC" GC.heap_info 2>&1 | grep -E "heap|generation|Gen |Metaspace"
        [[ $NMT == 1 ]] && jcmd "$SVC" VM.native_memory summary 2>&1 | grep -E '^(Total|-)'
        jcmd "$SVC" VM.classloader_stats 2>/dev/null | tail -1
        if [[ -n $child ]]; then
            echo "== $name: engine child $child"
            [[ $NMT == 1 ]] && jcmd "$child" VM.native_memory summary 2>&1 | grep -E '^(Total|-)'
        fi
    } >>"$OUT/nmt.txt" 2>&1 || true
}
figures idle
if [[ $CDS == 1 ]]; then
    echo "classes loaded by the service: $(grep -c 'source: shared objects file' "$TMP/classload.log" || true) from the CDS archives, $(grep -vc 'source: shared objects file' "$TMP/classload.log" || true) not" \
        | tee -a "$OUT/summary.txt" >&2
fi
grep -A30 "== idle: service" "$OUT/nmt.txt" | grep -E "Total|Java Heap|Class|Thread|Code|GC|Internal|Symbol|Other|Arena|Metaspace|Shared" | head -30 >&2 || true
if [[ ${LIVE:-0} == 1 ]]; then
    jcmd "$SVC" GC.run >/dev/null 2>&1 || log "GC.run failed"
    sleep 2
    figures idle-after-gc
    grep -A3 "== idle-after-gc: service" "$OUT/nmt.txt" >&2 || true
fi

if [[ $LOAD -gt 0 ]]; then
    log "load for ${LOAD}s: API 100 req/s, scrape every 1 s, import at 5 s, GC.run at $((LOAD - 10)) s"
    ip netns exec "$NS_D" python3 "$ROOT/bench/bench.py" list --port $PORT --cluster mem --rate 100 --duration "$LOAD" \
        --warmup 0 --size 50 --json "$TMP/list.json" >"$TMP/list.log" 2>&1 &
    LIST=$!
    python3 - "$SVC" "$LOAD" >"$TMP/watch.txt" <<'PY' &
import sys, time, subprocess, statistics
svc, dur = int(sys.argv[1]), float(sys.argv[2])
def tree(pid):
    kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [pid] + [int(k) for k in kids]
rss, pss = [], []
end = time.time() + dur
while time.time() < end:
    r = p = 0
    for q in tree(svc):
        try:
            for line in open("/proc/%d/status" % q):
                if line.startswith("VmRSS:"):
                    r += int(line.split()[1])
            for line in open("/proc/%d/smaps_rollup" % q):
                if line.startswith("Pss:"):
                    p += int(line.split()[1])
        except FileNotFoundError:
            pass
    rss.append(r); pss.append(p)
    time.sleep(1)
print("under load (service + child): RSS median %.0f / peak %.0f MiB, PSS median %.0f / peak %.0f MiB (%d samples)"
      % (statistics.median(rss) / 1024, max(rss) / 1024, statistics.median(pss) / 1024, max(pss) / 1024, len(rss)))
PY
    WATCH=$!
    cpu0=$(awk '{print $14 + $15}' "/proc/$SVC/stat")
    ip netns exec "$NS_D" python3 "$PY" load --port $PORT --pid "$SVC" --password $PASSWORD --duration "$LOAD" \
        --import-at 5 --import-file "$TMP/second.conf" --gc-at $((LOAD - 10)) --json "$TMP/load.json" >"$TMP/load.log" 2>&1 || log "load driver failed"
    wait "$LIST" || log "list load failed"
    wait "$WATCH" || true
    tee -a "$OUT/summary.txt" <"$TMP/watch.txt"
    echo "service CPU during the load: $(( ($(awk '{print $14 + $15}' "/proc/$SVC/stat") - cpu0) / $(getconf CLK_TCK) )) s in ${LOAD} s;" \
        "young/full collections: $(jstat -gc "$SVC" 2>/dev/null | awk 'NR==2 {print $(NF-6) " / " $(NF-4) ", GC time " $NF " s since start"}')" \
        | tee -a "$OUT/summary.txt"
    python3 -c "
import json,sys
l=json.load(open('$TMP/load.json'))
print('scrapes %d (failures %d) p50 %s ms max %s ms; events %s' % (l['scrapes'], l['scrape_failures'], l['scrape_p50_ms'], l['scrape_max_ms'],
  '; '.join('%s %.1f-%.1f s (%s) %s' % (e['what'], e['start']-l['t0'], e['end']-l['t0'], e['status'], e.get('heap','')) for e in l['events'])))
" | tee -a "$OUT/summary.txt" || true
    tail -3 "$TMP/list.log" | tee -a "$OUT/summary.txt" || true
    sleep 5
    figures after-load
fi
echo "flags: ${ENV:+$ENV }$JVM_FLAGS | child: $CHILD_ALL | CDS=$CDS" >>"$OUT/summary.txt"
log "results: $OUT"
