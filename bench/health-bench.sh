#!/usr/bin/env bash
# Health-check benchmark (issue 5): N real servers checked with HTTP_GET every second
# against local HTTP servers on 127.0.0.2-101 (loopback only), with the service's own
# checker (io.lvscp.health.HealthMonitor driven by HealthDriver, HealthMeters, Prober) in its own JVM. Reports the checker's
# CPU (of the machine's cores), the p99 lateness of check starts against their schedule,
# and the server JVM's CPU for reference.
#
#   bash bench/health-bench.sh            # N=10000, 60 s after 10 s warm-up
#   N=1000 SECONDS_=30 bash bench/health-bench.sh
#   N=5000 PARTS=2 SERVER_CPUS=1 CLIENT_CPUS=0 bash bench/health-bench.sh   # servers on the other core
#   CLIENT_OPTS="-Xmx512m -XX:+UseSerialGC -Dlvs.health.prober=nio" bash bench/health-bench.sh   # the java.nio prober (default: auto)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${N:-10000}
MEASURE=${SECONDS_:-60}
WARMUP=${WARMUP:-10}
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
cd "$ROOT"
CP_FILE="$OUT/health-bench.classpath"
# compiles the tests and takes their classpath (target/test-classes, target/classes, the jars)
# from the compiler's debug output: the dependency plugin cannot resolve itself offline here
./mvnw -o -X -B test-compile 2>&1 | sed -n 's/^\[DEBUG\]   (f) testPath = \[\(.*\)\]$/\1/p' | sed 's/, /:/g' > "$CP_FILE"
[[ -s "$CP_FILE" ]] || { echo "health-bench: no test classpath (./mvnw -o test-compile failed?)" >&2; exit 1; }
CP=$(cat "$CP_FILE")
JAVA_OPTS=${JAVA_OPTS:-"-Xmx512m -XX:+UseSerialGC"}
# the servers hold N listening sockets plus the connections they have not closed yet: spread
# them over PARTS processes so that none reaches the open-files limit
PARTS=${PARTS:-4}
# pin the servers and the checker to CPU lists (taskset -c), e.g. SERVER_CPUS=1 CLIENT_CPUS=0
SERVER_PIN=""; CLIENT_PIN=""
[[ -n "${SERVER_CPUS:-}" ]] && SERVER_PIN="taskset -c $SERVER_CPUS"
[[ -n "${CLIENT_CPUS:-}" ]] && CLIENT_PIN="taskset -c $CLIENT_CPUS"
SERVERS=()
trap 'for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done' EXIT
for ((part = 0; part < PARTS; part++)); do
    $SERVER_PIN java $JAVA_OPTS -cp "$CP" io.lvscp.health.HealthBench server "$N" "$part" "$PARTS" >"$OUT/health-bench-server-$part.log" 2>&1 &
    SERVERS+=($!)
done
for ((part = 0; part < PARTS; part++)); do
    for _ in $(seq 1 150); do
        grep -q "listening" "$OUT/health-bench-server-$part.log" 2>/dev/null && break
        sleep 0.2
    done
    grep -q "listening" "$OUT/health-bench-server-$part.log" || { cat "$OUT/health-bench-server-$part.log"; exit 1; }
done
server_ticks() { local t=0 p; for p in "${SERVERS[@]}"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
TICKS=$(getconf CLK_TCK)
S0=$(server_ticks)
T0=$(date +%s.%N)
$CLIENT_PIN java ${CLIENT_OPTS:-$JAVA_OPTS} -cp "$CP" io.lvscp.health.HealthBench client "$N" "$MEASURE" "$WARMUP" | tee "$OUT/health-bench-client.log"
S1=$(server_ticks)
for part in "${!SERVERS[@]}"; do
    kill -0 "${SERVERS[$part]}" 2>/dev/null || { echo "server part $part died:"; tail -5 "$OUT/health-bench-server-$part.log"; }
done
T1=$(date +%s.%N)
python3 -c "print('servers: CPU %.3f cores over the whole run (warm-up included)' % (($S1 - $S0) / $TICKS / ($T1 - $T0)))" \
    | tee -a "$OUT/health-bench-client.log"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)" | tee -a "$OUT/health-bench-client.log"
