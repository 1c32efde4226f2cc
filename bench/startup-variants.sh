#!/usr/bin/env bash
# Start-up to health UP, the start paths side by side, interleaved in one run (round k starts
# every variant once, so a neighbour's build slows all of them alike). For docs/benchmarks.md.
#
#     bash bench/startup-variants.sh      (uses target/*.jar; BUILD=1 rebuilds)
#
# Variants (VARIANTS="default cds cds-aot cds-aot-t4 cds-aot-c1 j25-aot", RUNS=5):
#   default     java -jar the fat jar, no flags (what a user types)
#   cds         extracted jar + an application CDS archive (Java 17, tiered JIT kept)
#   cds-aot     the same + Spring AOT (-Dspring.aot.enabled=true): the Debian package's start path
#               (packaging/deb/lvs-control-plane.service; archive made like its postinst does)
#   pkg         cds-aot + the unit's other JVM flags ($PKG_FLAGS: G1, 64-512 MB heap):
#               exactly what lvs-control-plane.service runs
#   pkg-t4      pkg with 5x higher C2 (tier 4) thresholds ($T4)
#   pkg-xms     pkg with -Xms$PKG_XMS instead of -Xms64m (fewer collections while the heap grows at start)
#   cds-aot-c1  the same + -XX:TieredStopAtLevel=1 (C1 only; reference, not shipped)
#   cds-aot-t4  cds-aot with 5x higher C2 (tier 4) thresholds ($T4)
#   j25-aot     Temurin 25 ($JAVA25, default /usr/lib/jvm/temurin-25-jdk-amd64) with an AOT cache
#               (JEP 483/514/515: -XX:AOTCacheOutput training run, then -XX:AOTCache) + Spring AOT
# One-off preparation (extract + training runs, -Dspring.context.exit=onRefresh) is timed too.
# Same isolation as run.sh: 127.0.0.1, throw-away H2 database, dry-run data plane.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-5}
VARIANTS=${VARIANTS:-"default cds cds-aot cds-aot-t4 cds-aot-c1 j25-aot"}
JAVA17=${JAVA17:-java}
# cds-aot-t4: C2 kept, but a method needs 5x the calls/loops before C2 compiles it, so less C2 work
# competes with start-up on 2 cores (steady-state hot code still reaches C2)
T4=${T4:-"-XX:Tier4InvocationThreshold=25000 -XX:Tier4MinInvocationThreshold=3000 -XX:Tier4CompileThreshold=75000 -XX:Tier4BackEdgeThreshold=200000"}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
# the unit's JVM flags besides the archive and Spring AOT (packaging/deb/lvs-control-plane.service)
source "$(dirname "${BASH_SOURCE[0]}")/unit-flags.sh"
# the unit's flags, less Spring AOT's switch (the cds-aot path below already gives it)
PKG_FLAGS=${PKG_FLAGS:-$(unit_jvm_flags | sed 's/-Dspring.aot.enabled=true *//')}
PKG_XMS=${PKG_XMS:-256m}
STAMP=$(date -u +%Y%m%d-%H%M%S)
OUT="$BENCH_DIR/out/startup-$STAMP"
TMP=$(mktemp -d /tmp/lvscp-startup.XXXXXX)
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
mkdir -p "$OUT/logs" "$TMP/work"

if [[ -n "${BUILD:-}" ]]; then
    fgwait in_dir "$ROOT" timeout 900 ./mvnw -q -DskipTests package >"$OUT/build.log" 2>&1 || die "build failed"
fi
[[ -f "$BUILT_JAR" ]] || die "no jar at $BUILT_JAR (./mvnw -DskipTests package)"
JAR="$TMP/lvs-control-plane.jar"
cp "$BUILT_JAR" "$JAR"
exec > >(tee "$OUT/startup.txt") 2>&1
machine_info
echo "command: bash bench/startup-variants.sh (RUNS=$RUNS VARIANTS=\"$VARIANTS\")"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

DB="$TMP/db"
ARGS=(--spring.datasource.url="jdbc:h2:file:$DB" --lvs.dataplane=dry-run --lvs.node-name=bench-lvs1)
# train JAVA OUTFLAG... : one onRefresh run of the extracted jar (context refreshed, then exit)
train() {
    local java=$1 logf=$2
    shift 2
    fgwait in_dir "$TMP/work" timeout "$STARTUP_TIMEOUT" "$java" "$@" -Dspring.context.exit=onRefresh -Dspring.profiles.active= \
        -jar "$XJAR" "${ARGS[@]}" --server.port="$(free_port)" >"$logf" 2>&1 || { tail -30 "$logf"; die "training run ($logf)"; }
}
t=$(date +%s.%N)
fgwait in_dir "$TMP" timeout 120 "$JAVA17" -Djarmode=tools -jar "$JAR" extract --destination "$TMP/x" >"$OUT/logs/extract.log" 2>&1 || die "extract"
XJAR=$(ls "$TMP"/x/*.jar | head -1)
echo "extract: $(python3 -c "import time; print('%.1f' % (time.time() - $t))") s"
declare -A FLAGS JAVA PREP
for v in $VARIANTS; do
    t=$(date +%s.%N)
    case $v in
    default) JAVA[$v]=$JAVA17; FLAGS[$v]="" ;;
    cds) train "$JAVA17" "$OUT/logs/train-cds.log" -XX:ArchiveClassesAtExit="$TMP/cds.jsa"
        JAVA[$v]=$JAVA17; FLAGS[$v]="-XX:SharedArchiveFile=$TMP/cds.jsa" ;;
    cds-aot|cds-aot-c1|cds-aot-t4|pkg|pkg-t4|pkg-xms)
        [[ -f "$TMP/cds-aot.jsa" ]] || train "$JAVA17" "$OUT/logs/train-cds-aot.log" -XX:ArchiveClassesAtExit="$TMP/cds-aot.jsa" -Dspring.aot.enabled=true
        JAVA[$v]=$JAVA17; FLAGS[$v]="-XX:SharedArchiveFile=$TMP/cds-aot.jsa -Dspring.aot.enabled=true"
        [[ $v == cds-aot-c1 ]] && FLAGS[$v]+=" -XX:TieredStopAtLevel=1"
        [[ $v == cds-aot-t4 ]] && FLAGS[$v]+=" $T4"
        [[ $v == pkg* ]] && FLAGS[$v]+=" $PKG_FLAGS"
        [[ $v == pkg-t4 ]] && FLAGS[$v]+=" $T4"
        [[ $v == pkg-xms ]] && FLAGS[$v]=${FLAGS[$v]/-Xms64m/-Xms$PKG_XMS} ;;
    j25-aot) [[ -x "$JAVA25" ]] || die "no $JAVA25"
        train "$JAVA25" "$OUT/logs/train-j25.log" -XX:AOTCacheOutput="$TMP/app.aot" -Dspring.aot.enabled=true
        JAVA[$v]=$JAVA25; FLAGS[$v]="-XX:AOTCache=$TMP/app.aot -Dspring.aot.enabled=true" ;;
    *) die "unknown variant $v" ;;
    esac
    PREP[$v]=$(python3 -c "import time; print('%.1f' % (time.time() - $t))")
    echo "preparation $v: ${PREP[$v]} s"
done
# the database is migrated by the first training run; a default start migrates it otherwise
declare -A TIMES CPUS
for ((k = 1; k <= RUNS; k++)); do
    for v in $VARIANTS; do
        xj=$XJAR; [[ $v == default ]] && xj=$JAR
        # shellcheck disable=SC2086
        JAVA_BIN=${JAVA[$v]} JAR_OVERRIDE=$xj start_server "$OUT/logs/$v-$k.log" "$DB" ${FLAGS[$v]} || die "start $v run $k"
        stop_server
        TIMES[$v]+="$STARTUP_SECONDS "; CPUS[$v]+="$STARTUP_CPU "
        log "round $k $v: ${STARTUP_SECONDS} s (CPU ${STARTUP_CPU} s, load $(cut -d' ' -f1 /proc/loadavg))"
    done
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| variant | flags | wall s to health UP ($RUNS starts, interleaved) | median | JVM CPU s (median) | median / default | one-off preparation |"
echo "|---|---|---|---|---|---|---|"
base=""
for v in $VARIANTS; do
    read -r med cmed <<<"$(python3 -c "import statistics,sys; a=[float(x) for x in sys.argv[1].split()]; c=[float(x) for x in sys.argv[2].split()]; print('%.2f %.1f' % (statistics.median(a), statistics.median(c)))" "${TIMES[$v]}" "${CPUS[$v]}")"
    [[ -z "$base" ]] && base=$med
    ratio=$(python3 -c "print('%.2f' % ($med / $base))")
    f=${FLAGS[$v]//$TMP\//}
    echo "| $v | \`${JAVA[$v]##*/jvm/} ${f:-(none)}\` | ${TIMES[$v]% } | **$med** | $cmed | $ratio | ${PREP[$v]} s |"
done
log "written: ${OUT#"$ROOT"/}/startup.txt"
