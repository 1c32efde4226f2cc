#!/usr/bin/env bash
# What dominates start-up? Diagnostics for docs/benchmarks.md (not a benchmark: the
# instrumentation itself slows start-up down a little).
#
#     bash bench/startup-profile.sh          (uses target/*.jar; SKIP_BUILD= to rebuild first: BUILD=1)
#
# 1. a plain `java -jar` start: timeline of the log, CPU used by the JVM at health UP
# 2. the same with -Xlog:class+load (classes loaded, and from where), -XX:+CITime
#    (JIT compile time) and a JFR profile (-XX:StartFlightRecording), summarised by
#    the subsystem being initialised and by what the CPU was doing
# 3. Spring's BufferingApplicationStartup around the unchanged application class
#    (bench/StartupProbe.java on the extracted jar): the slowest start-up steps
# Same isolation as run.sh: 127.0.0.1, throw-away H2 database, dry-run data plane.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STAMP=$(date -u +%Y%m%d-%H%M%S)
OUT="$BENCH_DIR/out/profile-$STAMP"
TMP=$(mktemp -d /tmp/lvscp-profile.XXXXXX)
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
mkdir -p "$OUT" "$TMP/work"

if [[ -n "${BUILD:-}" ]]; then
    fgwait in_dir "$ROOT" timeout 900 ./mvnw -q -DskipTests package >"$OUT/build.log" 2>&1 || die "build failed"
fi
[[ -f "$BUILT_JAR" ]] || die "no jar at $BUILT_JAR (run bench/run.sh or ./mvnw -DskipTests package)"
JAR="$TMP/lvs-control-plane.jar"
cp "$BUILT_JAR" "$JAR"
exec > >(tee "$OUT/profile.txt") 2>&1
machine_info

    echo
    echo "### 1. plain java -jar (database already migrated: one throw-away start first)"
    start_server "$OUT/warm.log" "$TMP/db" || die "start"
    stop_server
    start_server "$OUT/plain.log" "$TMP/db" || die "start"
    python3 "$PY" thread-cpu --pid "$SERVER_PID"
    stop_server
    echo "wall time to health UP: ${STARTUP_SECONDS} s; JVM user+sys CPU by then: ${STARTUP_CPU} s (2 cores: CPU/wall = $(python3 -c "print('%.2f' % ($STARTUP_CPU / $STARTUP_SECONDS))"))"
    grep -o 'Started .*' "$OUT/plain.log" | head -1
    python3 "$PY" log-timeline "$OUT/plain.log"

    echo
    echo "### 2. class loading, JIT and a JFR profile (default flags otherwise)"
    start_server "$OUT/instrumented.log" "$TMP/db" -Xlog:class+load=info:file="$TMP/classload.txt" -XX:+CITime \
        -XX:StartFlightRecording=filename="$TMP/startup.jfr",settings=profile,dumponexit=true || die "start"
    echo "(instrumented) wall time to health UP: ${STARTUP_SECONDS} s; JVM CPU ${STARTUP_CPU} s"
    stop_server
    total=$(grep -c ' source: ' "$TMP/classload.txt" || true)
    cds=$(grep -c 'source: shared objects file' "$TMP/classload.txt" || true)
    jrt=$(grep -c 'source: jrt:/' "$TMP/classload.txt" || true)
    nested=$(grep -c 'source: jar:nested:' "$TMP/classload.txt" || true)
    generated=$(grep -Ec 'source: (__JVM_LookupDefineClass__|__dynamic_proxy__|__Lookup_defineClass__|.*\$\$)' "$TMP/classload.txt" || true)
    echo "classes loaded: $total (from the JDK's CDS archive $cds, from the JDK modules $jrt, from the nested jars of the fat jar $nested, generated at run time ~$generated)"
    echo "classes by top-level package (from the fat jar):"
    grep 'source: jar:nested:' "$TMP/classload.txt" | awk '{print $2}' | awk -F. '{print $1"."$2"."$3}' | sort | uniq -c | sort -rn | head -15 | sed 's/^/  /'
    echo "JIT (from -XX:+CITime, printed at exit):"
    grep -E 'C1 {|C2 {|Total compilation time|nmethods' "$OUT/instrumented.log" | head -8 | sed 's/^/  /' || true
    if command -v jfr >/dev/null && [[ -s "$TMP/startup.jfr" ]]; then
        python3 "$PY" jfr-summary "$TMP/startup.jfr"
        jfr summary "$TMP/startup.jfr" | grep -E 'jdk.(ExecutionSample|GarbageCollection|Compilation|ClassLoad|ObjectAllocationSample) ' | sed 's/^/  /' || true
        cp "$TMP/startup.jfr" "$OUT/"
    else
        echo "(no jfr tool or no recording)"
    fi

    echo
    echo "### 3. Spring start-up steps (BufferingApplicationStartup, extracted jar)"
    mkdir -p "$TMP/x" "$TMP/probe"
    fgwait in_dir "$TMP/x" timeout 120 java -Djarmode=tools -jar "$JAR" extract --destination "$TMP/x/app" >"$OUT/extract.log" 2>&1 || die "extract"
    APP_JAR=$(ls "$TMP"/x/app/*.jar | head -1)
    timeout 120 javac -d "$TMP/probe" -cp "$APP_JAR:$TMP/x/app/lib/*" "$BENCH_DIR/StartupProbe.java" || die "javac StartupProbe"
    PORT=$(free_port)
    fgwait in_dir "$TMP/work" timeout "$STARTUP_TIMEOUT" java -Dspring.profiles.active= -cp "$TMP/probe:$APP_JAR:$TMP/x/app/lib/*" StartupProbe \
        --spring.datasource.url="jdbc:h2:file:$TMP/db" --server.port="$PORT" --lvs.dataplane=dry-run --lvs.node-name=bench-lvs1 \
        --logging.level.root=WARN >"$OUT/probe.log" 2>&1 || { tail -30 "$OUT/probe.log"; die "StartupProbe"; }
    grep -v -E '^\s*$|WARN|^\s+at ' "$OUT/probe.log" | sed -n '/SpringApplication.run:/,$p'
    echo
    echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
log "written: ${OUT#"$ROOT"/}/profile.txt"
