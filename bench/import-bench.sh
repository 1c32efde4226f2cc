#!/usr/bin/env bash
# keepalived.conf import speed, against `keepalived -t` on the same file in the same run:
#
#     bash bench/import-bench.sh
#
# Builds the jar (SKIP_BUILD=1 to reuse target/), starts it on 127.0.0.1 with a throw-away H2
# database (bench/lib.sh), writes the files with `bench.py keepalived-conf`, and for each size
# (default "1000x10 6000x10": 10,000 and 60,000 real servers) times over HTTP:
#   - the preview: POST /api/v1/import/keepalived?dryRun=true (text body, one director's file)
#   - the import into a new cluster
#   - the same import again (nothing changes: every row compared, no write)
# then `keepalived -t -f` on the same file (median of KEEPALIVED_RUNS), and prints the ratios.
# Before the sizes, WARMUP (default "100x10"; empty for none) is previewed once: the JVM's first request (class
# loading, JIT) is timed and printed on its own, so the table times a running service, as an operator meets it.
# Results are appended to bench/out/import-<stamp>.txt.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SIZES=${SIZES:-"1000x10 6000x10"}
WARMUP=${WARMUP-"100x10"}
KEEPALIVED_RUNS=${KEEPALIVED_RUNS:-3}
SERVICE_FLAGS=${SERVICE_FLAGS:-}
TMP=$(mktemp -d /tmp/lvscp-import-bench.XXXXXX)
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
mkdir -p "$BENCH_DIR/out"
OUTF="$BENCH_DIR/out/import-$(date -u +%Y%m%d-%H%M%S).txt"
if [[ -z "${SKIP_BUILD:-}" ]]; then
    log "build: ./mvnw -o -q -DskipTests package"
    (cd "$ROOT" && ./mvnw -o -q -DskipTests package) >"$TMP/build.log" 2>&1 || { tail -30 "$TMP/build.log" >&2; die "build failed"; }
fi
[[ -f "$BUILT_JAR" ]] || die "no jar at $BUILT_JAR"
JAR="$TMP/lvs-control-plane.jar"
cp "$BUILT_JAR" "$JAR"
# the 6000x10 file is 16 MB: above the default body limit (lvs.importer.max-size, 4 MB), raised here
# SERVICE_FLAGS: JVM flags of the service (default none), e.g. the package unit's (bench/unit-flags.sh)
start_server "$TMP/service.log" "$TMP/db" $SERVICE_FLAGS "-Dlvs.importer.max-size=${IMPORT_MAX_SIZE:-32MB}" || die "service did not start"
AUTH="admin:${LVS_BENCH_ADMIN_PASSWORD:-bench-admin-password}"
KA=$(command -v keepalived || echo /usr/sbin/keepalived)

# post FILE QUERY -> prints "SECONDS HTTP_STATUS"
post() {
    curl -sS -o "$TMP/resp.json" -w '%{time_total} %{http_code}' -u "$AUTH" -H 'Content-Type: text/plain' \
        --data-binary "@$1" "http://127.0.0.1:$PORT/api/v1/import/keepalived?$2"
}

{
    machine_info
    echo "command: bash bench/import-bench.sh (SIZES=\"$SIZES\")"
    echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "| file | lines | bytes | preview (dry run) s | import s | re-import (no change) s | keepalived -t s (median) | import / keepalived -t |"
    echo "|---|---|---|---|---|---|---|---|"
} | tee "$OUTF"
if [[ -n "$WARMUP" ]]; then
    wconf="$TMP/keepalived-warmup.conf"
    python3 "$PY" keepalived-conf --out "$wconf" --vs "${WARMUP%x*}" --rs "${WARMUP#*x}" >&2
    read -r t_warm code <<<"$(post "$wconf" "cluster=warmup&file=keepalived.conf&directors=keepalived.conf%3Dwarmup-lvs1%40127.0.0.1&dryRun=true")"
    [[ $code == 200 ]] || { head -c 2000 "$TMP/resp.json" >&2; die "warm-up preview answered $code"; }
    echo "warm-up: the JVM's first request, a preview of $WARMUP (not in the table): $t_warm s" | tee -a "$OUTF"
fi
n=0
for size in $SIZES; do
    vs=${size%x*}
    rs=${size#*x}
    n=$((n + 1))
    conf="$TMP/keepalived-$size.conf"
    python3 "$PY" keepalived-conf --out "$conf" --vs "$vs" --rs "$rs" >&2
    q="cluster=imp$n&file=keepalived.conf&directors=keepalived.conf%3Dimp$n-lvs1%40127.0.0.1"
    read -r t_dry code <<<"$(post "$conf" "$q&dryRun=true")"
    [[ $code == 200 ]] || { head -c 2000 "$TMP/resp.json" >&2; die "preview of $size answered $code"; }
    read -r t_imp code <<<"$(post "$conf" "$q")"
    [[ $code == 200 ]] || { head -c 2000 "$TMP/resp.json" >&2; die "import of $size answered $code"; }
    created=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['realServers']))" "$TMP/resp.json")
    [[ $created == $((vs * rs)) ]] || die "import of $size holds $created real servers, expected $((vs * rs))"
    read -r t_again code <<<"$(post "$conf" "$q")"
    [[ $code == 200 ]] || die "re-import of $size answered $code"
    times=()
    for ((k = 0; k < KEEPALIVED_RUNS; k++)); do
        t0=$(date +%s.%N)
        "$KA" -t -f "$conf" >"$TMP/ka.out" 2>&1 || true
        t1=$(date +%s.%N)
        times+=("$(python3 -c "print('%.3f' % ($t1 - $t0))")")
    done
    t_ka=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (KEEPALIVED_RUNS + 1) / 2 ))p")
    ratio=$(python3 -c "print('%.1f' % ($t_imp / $t_ka))")
    echo "| ${vs} vs x ${rs} rs | $(wc -l <"$conf") | $(wc -c <"$conf") | $t_dry | $t_imp | $t_again | $t_ka | $ratio |" | tee -a "$OUTF"
done
log "results: $OUTF"
