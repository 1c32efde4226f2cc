# Shared helpers for bench/run.sh and bench/startup-profile.sh (sourced, not run).
# The service is only ever started on 127.0.0.1 with a throw-away H2 database under
# $TMP, the dry-run data plane and the node name bench-lvs1.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
PY="$BENCH_DIR/bench.py"
BUILT_JAR="$ROOT/target/lvs-control-plane-0.1.0-SNAPSHOT.jar"
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-120}   # seconds until /actuator/health must be UP
STOP_TIMEOUT=${STOP_TIMEOUT:-30}          # seconds a SIGTERM'd service gets before SIGKILL

PIDS=()          # every process we started and have not stopped yet
SERVER_PID=""
PORT=""
STARTUP_SECONDS=""
STARTUP_CPU=""

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# kill_pid PID: SIGTERM, wait up to STOP_TIMEOUT, then SIGKILL. Only for PIDs we started.
kill_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "process $pid did not stop within ${STOP_TIMEOUT}s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local p
    for p in "${PIDS[@]}"; do
        kill_pid "$p"
    done
    if [[ -n "${TMP:-}" && -d "$TMP" && -z "${KEEP_TMP:-}" ]]; then
        rm -rf "$TMP"
    elif [[ -n "${TMP:-}" ]]; then
        log "kept $TMP"
    fi
    exit "$rc"
}

# in_dir DIR CMD...: exec CMD in DIR (for use in a background subshell)
in_dir() {
    cd "$1" && shift && exec "$@"
}

# fgwait CMD...: run CMD as a tracked background job and wait for it. Unlike a plain
# foreground command this lets the INT/TERM trap run at once (bash defers traps until
# a foreground child exits), and cleanup() stops the job. Returns CMD's exit status.
fgwait() {
    "$@" &
    local p=$! rc=0
    PIDS+=("$p")
    wait "$p" || rc=$?
    forget_pid "$p"
    return $rc
}

forget_pid() {
    local p keep=()
    for p in "${PIDS[@]}"; do
        [[ "$p" == "$1" ]] || keep+=("$p")
    done
    PIDS=("${keep[@]}")
}

# start_server LOG DB_PATH [JVM flags...] [-- jar]
# Starts `java [flags] -jar $JAR ...` (or with JAR_OVERRIDE; JAVA_BIN instead of `java`) in $TMP/work, waits for
# /actuator/health UP (polled every 50 ms) and sets SERVER_PID, PORT, STARTUP_SECONDS
# (wall time from just before exec to the first UP) and STARTUP_CPU (user+sys CPU
# seconds the JVM had used by then).
start_server() {
    local logf=$1 db=$2
    shift 2
    local jar=${JAR_OVERRIDE:-$JAR}
    PORT=$(free_port)
    mkdir -p "$TMP/work"
    local t0
    t0=$(date +%s.%N)
    (cd "$TMP/work" && exec "${JAVA_BIN:-java}" "$@" -Dspring.profiles.active= -jar "$jar" \
        --spring.datasource.url="jdbc:h2:file:$db" --server.port="$PORT" \
        --lvs.dataplane=dry-run --lvs.node-name=bench-lvs1 \
        --lvs.security.initial-admin-password="${LVS_BENCH_ADMIN_PASSWORD:-bench-admin-password}") >"$logf" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    if ! fgwait timeout $((STARTUP_TIMEOUT + 15)) python3 "$PY" wait-up --port "$PORT" --pid "$SERVER_PID" \
        --timeout "$STARTUP_TIMEOUT" --interval 0.05 >"$TMP/up.txt"; then
        log "service did not come up (log: $logf); last lines:"
        tail -40 "$logf" >&2 || true
        return 1
    fi
    local up_at cpu
    read -r up_at cpu <"$TMP/up.txt"
    STARTUP_SECONDS=$(python3 -c "print('%.2f' % ($up_at - $t0))")
    STARTUP_CPU=$cpu
}

stop_server() {
    [[ -n "$SERVER_PID" ]] || return 0
    kill_pid "$SERVER_PID"
    forget_pid "$SERVER_PID"
    SERVER_PID=""
}

server_alive() {
    [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null
}

machine_info() {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc); memory: $(free -m | awk '/^Mem:/ {print $2 " MiB total, " $7 " MiB available"}')"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "kernel: $(uname -r); os: $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "java: $(java -version 2>&1 | tr '\n' ' ' | sed 's/  */ /g')"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}
