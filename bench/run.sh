#!/usr/bin/env bash
# One command for the performance targets in docs/benchmarks.md:
#
#     bash bench/run.sh
#
# Builds the jar once, then, each against a fresh H2 database in a temp dir and on
# 127.0.0.1 only (dry-run data plane, node name bench-lvs1):
#   1. startup  - `java -jar` until /actuator/health is UP (default flags; then labelled
#                 variants with flags we could recommend)
#   2. seed     - cluster 'bench': 2 directors, 1 VRRP instance with 10 VIPs, 1,000
#                 virtual servers x 10 real servers, through the REST API
#   3. list     - open-loop 100 req/s of random 50-item virtual-server pages
#   4. plan     - GET /api/v1/nodes/bench-lvs1/plan
#   5. startup with the 1,000 x 10 database
#   6. keepalived -t -f on the equivalent keepalived.conf (reference tool)
# Prints a Markdown results table at the end and keeps results + logs in
# bench/out/<timestamp>/ (git-ignored). Exits non-zero if the service fails (does
# not start, dies, answers with errors, or the plan is incomplete); missed targets
# are reported as FAIL in the table but do not change the exit status unless STRICT=1.
#
# Knobs (environment): STARTUP_RUNS=5 VARIANT_RUNS=2 LOADED_RUNS=2 VARIANTS="tiered1 cds cds-tiered1"
# SERVICE_FLAGS="" (JVM flags for the seed/list/plan service) LIST_RATE=100 LIST_SECONDS=30 LIST_WARMUP=5 SEED_WORKERS=4 PLAN_RUNS=20 SKIP_BUILD=1 KEEP_TMP=1
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STARTUP_RUNS=${STARTUP_RUNS:-5}
VARIANT_RUNS=${VARIANT_RUNS:-2}
LOADED_RUNS=${LOADED_RUNS:-2}
VARIANTS=${VARIANTS-"tiered1 cds cds-tiered1"}   # VARIANTS="" runs none
LIST_RATE=${LIST_RATE:-100}
LIST_SECONDS=${LIST_SECONDS:-30}
LIST_WARMUP=${LIST_WARMUP:-5}
SEED_WORKERS=${SEED_WORKERS:-4}
PLAN_RUNS=${PLAN_RUNS:-20}
KEEPALIVED_RUNS=${KEEPALIVED_RUNS:-5}
SERVICE_FLAGS=${SERVICE_FLAGS:-}   # JVM flags for the seed/list/plan service (default: none, as a user runs it)
TARGET_STARTUP=6

STAMP=$(date -u +%Y%m%d-%H%M%S)
OUT="$BENCH_DIR/out/$STAMP"
TMP=$(mktemp -d /tmp/lvscp-bench.XXXXXX)
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
mkdir -p "$OUT/logs" "$TMP/work"
RESULTS="$OUT/results.jsonl"
: >"$RESULTS"
T_BEGIN=$(date +%s)

{ machine_info; echo "command: bash bench/run.sh"; echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo ' (work tree has uncommitted changes)')"; } | tee "$OUT/machine.txt" >&2

# ---- build -----------------------------------------------------------------------------------
if [[ -z "${SKIP_BUILD:-}" ]]; then
    log "build: ./mvnw -q -DskipTests package"
    t=$(date +%s)
    fgwait in_dir "$ROOT" timeout 900 ./mvnw -q -DskipTests package >"$OUT/logs/build.log" 2>&1 || { tail -40 "$OUT/logs/build.log" >&2; die "build failed"; }
    log "build: $(( $(date +%s) - t )) s"
fi
[[ -f "$BUILT_JAR" ]] || die "no jar at $BUILT_JAR"
# run from a private copy: a concurrent `mvn clean` or rebuild must not pull the jar away mid-run
JAR="$TMP/lvs-control-plane.jar"
cp "$BUILT_JAR" "$JAR"

# ---- 1. startup ---------------------------------------------------------------------------------
# $1 label, $2 runs, $3 db, rest: JVM flags. Runs start_server/stop_server $2 times.
startup_series() {
    local label=$1 runs=$2 db=$3 note=$4
    shift 4
    local times="" cpus="" k slug
    slug=$(printf '%s' "$label" | tr -c 'A-Za-z0-9=.-' '_' | tr -s '_')
    for ((k = 1; k <= runs; k++)); do
        start_server "$OUT/logs/startup-$slug-$k.log" "$db" "$@" || die "startup ($label, run $k)"
        log "startup $label run $k: ${STARTUP_SECONDS} s to health UP (JVM CPU ${STARTUP_CPU} s; load $(cut -d' ' -f1 /proc/loadavg))"
        times+="$STARTUP_SECONDS "
        cpus+="$STARTUP_CPU "
        stop_server
    done
    python3 "$PY" startup-record --label "$label" --times "$times" --cpu "$cpus" --target "$TARGET_STARTUP" --note "$note" \
        --json "$RESULTS" >&2
}

log "startup: default flags, ${STARTUP_RUNS} runs (run 1 on an empty new database: Flyway creates the schema; then the same database)"
startup_series "default JVM flags (run 1 new DB, then same DB)" "$STARTUP_RUNS" "$TMP/startup/db" "java -jar"

for v in $VARIANTS; do
    case "$v" in
    tiered1)
        log "startup variant: -XX:TieredStopAtLevel=1"
        startup_series "variant: -XX:TieredStopAtLevel=1" "$VARIANT_RUNS" "$TMP/startup/db" "C1 JIT only" -XX:TieredStopAtLevel=1
        ;;
    cds | cds-tiered1)
        if [[ ! -f "$TMP/cds/app.jsa" ]]; then
            log "startup variant: CDS - extracting the jar and a training run (-Dspring.context.exit=onRefresh)"
            t=$(date +%s.%N)
            rm -rf "$TMP/cds" && mkdir -p "$TMP/cds"
            fgwait in_dir "$TMP/cds" timeout 120 java -Djarmode=tools -jar "$JAR" extract --destination "$TMP/cds/app" >"$OUT/logs/cds-extract.log" 2>&1 ||
                die "jar extraction failed (see $OUT/logs/cds-extract.log)"
            CDS_JAR=$(ls "$TMP"/cds/app/*.jar | head -1)
            fgwait in_dir "$TMP/work" timeout "$STARTUP_TIMEOUT" java -XX:ArchiveClassesAtExit="$TMP/cds/app.jsa" -Dspring.context.exit=onRefresh \
                -Dspring.profiles.active= -jar "$CDS_JAR" --spring.datasource.url="jdbc:h2:file:$TMP/cds/training-db" \
                --server.port="$(free_port)" --lvs.dataplane=dry-run --lvs.node-name=bench-lvs1 >"$OUT/logs/cds-training.log" 2>&1 ||
                die "CDS training run failed (see $OUT/logs/cds-training.log)"
            [[ -f "$TMP/cds/app.jsa" ]] || die "CDS training run wrote no archive"
            CDS_PREP=$(python3 -c "import time; print('%.1f' % (time.time() - $t))")
            log "CDS: extract + training run took ${CDS_PREP} s once; archive $(du -m "$TMP/cds/app.jsa" | cut -f1) MiB"
        fi
        if [[ "$v" == cds ]]; then
            log "startup variant: extracted jar + CDS archive"
            JAR_OVERRIDE=$CDS_JAR startup_series "variant: extracted jar + CDS (-XX:SharedArchiveFile)" "$VARIANT_RUNS" "$TMP/startup/db" \
                "one-off preparation ${CDS_PREP} s" -XX:SharedArchiveFile="$TMP/cds/app.jsa"
        else
            log "startup variant: extracted jar + CDS archive + -XX:TieredStopAtLevel=1"
            JAR_OVERRIDE=$CDS_JAR startup_series "variant: extracted jar + CDS + -XX:TieredStopAtLevel=1" "$VARIANT_RUNS" "$TMP/startup/db" \
                "one-off preparation ${CDS_PREP} s" -XX:SharedArchiveFile="$TMP/cds/app.jsa" -XX:TieredStopAtLevel=1
        fi
        ;;
    *) die "unknown variant $v" ;;
    esac
done

# ---- 2-4. seed, list, plan on one service with a fresh database ---------------------------------
log "seed/list/plan: starting the service on a new database"
# shellcheck disable=SC2086
start_server "$OUT/logs/service.log" "$TMP/main/db" $SERVICE_FLAGS || die "service start"
log "service up in ${STARTUP_SECONDS} s on port $PORT"

log "seed: 1,000 virtual servers x 10 real servers over REST ($SEED_WORKERS connections)"
fgwait timeout 900 python3 "$PY" seed --port "$PORT" --workers "$SEED_WORKERS" --json "$RESULTS" >&2 || die "seeding"
server_alive || die "service died during seeding"

log "list: open loop ${LIST_RATE} req/s for ${LIST_SECONDS} s after ${LIST_WARMUP} s warm-up (load $(cut -d' ' -f1-3 /proc/loadavg))"
list_rc=0
fgwait timeout $((LIST_SECONDS + LIST_WARMUP + 90)) python3 "$PY" list --port "$PORT" --rate "$LIST_RATE" --duration "$LIST_SECONDS" \
    --warmup "$LIST_WARMUP" --flags="$SERVICE_FLAGS" --json "$RESULTS" >&2 || list_rc=$?
server_alive || die "service died during the list benchmark"
[[ $list_rc -eq 0 ]] || die "list benchmark had errors (exit $list_rc)"

log "plan: GET /api/v1/nodes/bench-lvs1/plan, 5 warm-up + ${PLAN_RUNS} timed (load $(cut -d' ' -f1-3 /proc/loadavg))"
fgwait timeout 600 python3 "$PY" plan --port "$PORT" --node bench-lvs1 --warmup 5 --n "$PLAN_RUNS" --flags="$SERVICE_FLAGS" --json "$RESULTS" >&2 || die "plan benchmark"
server_alive || die "service died during the plan benchmark"
stop_server

# ---- 5. startup with the loaded database ---------------------------------------------------------
if ((LOADED_RUNS > 0)); then
    log "startup: default flags on the 1,000 x 10 database, ${LOADED_RUNS} runs"
    startup_series "default JVM flags, 1000x10 DB" "$LOADED_RUNS" "$TMP/main/db" "database seeded by step 2"
fi

# ---- 6. reference: keepalived -t -------------------------------------------------------------------
if ! command -v keepalived >/dev/null && [[ ! -x /usr/sbin/keepalived ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        log "keepalived: not installed; apt-get install -y keepalived (service start suppressed with policy-rc.d)"
        added_policy=""
        if [[ ! -e /usr/sbin/policy-rc.d ]]; then
            printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && added_policy=1
        fi
        { fgwait timeout 300 apt-get install -y -q keepalived || { fgwait timeout 300 apt-get update -q && fgwait timeout 300 apt-get install -y -q keepalived; }; } \
            >"$OUT/logs/apt.log" 2>&1 || log "keepalived: install failed (see $OUT/logs/apt.log)"
        [[ -n "$added_policy" ]] && rm -f /usr/sbin/policy-rc.d
    else
        log "keepalived: not installed and cannot install it here"
    fi
fi
python3 "$PY" keepalived-conf --out "$TMP/keepalived.conf" >&2
python3 "$PY" keepalived-conf --out "$TMP/keepalived-1x1.conf" --vs 1 --rs 1 >/dev/null
# config check only (-t): parses and validates, starts no daemon, touches no interface
fgwait timeout 600 python3 "$PY" keepalived --conf "$TMP/keepalived.conf" --label "1000 virtual_server x 10 real_server" \
    --runs "$KEEPALIVED_RUNS" --output "$OUT/logs/keepalived-t.log" --json "$RESULTS" --ratio >&2 || log "keepalived -t did not pass; see the table"
fgwait timeout 120 python3 "$PY" keepalived --conf "$TMP/keepalived-1x1.conf" --label "baseline: 1 virtual_server x 1 real_server" \
    --runs "$KEEPALIVED_RUNS" --output "$OUT/logs/keepalived-t-1x1.log" --json "$RESULTS" >&2 || true
cp "$TMP/keepalived.conf" "$OUT/keepalived.conf" 2>/dev/null && gzip -f "$OUT/keepalived.conf" || true

# ---- summary ------------------------------------------------------------------------------------
log "total: $(( $(date +%s) - T_BEGIN )) s; results in ${OUT#"$ROOT"/}"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
{
    echo "## bench/run.sh $STAMP"
    echo
    sed 's/^/    /' "$OUT/machine.txt"
    echo
    python3 "$PY" summary --json "$RESULTS"
} | tee "$OUT/summary.md"

if [[ -n "${STRICT:-}" ]] && grep -q '| FAIL |' "$OUT/summary.md"; then
    exit 2
fi
