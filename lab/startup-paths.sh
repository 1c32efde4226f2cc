#!/bin/bash
# Start-up to health UP inside the lab kernel, the lab's start paths side by side in one boot
# (docs/benchmarks.md, "Start-up in the lab kernel"). Runs INSIDE the lab kernel; the extracted jar
# and its CDS archive are made on the host first:
#
#   lab/lab-app.sh && lab/uml-run -t 1800 -o target/uml-startup -- 'bash lab/startup-paths.sh'
#
# Variants (VARIANTS, RUNS rounds, interleaved: round k starts each once):
#   fat-c1     the fat jar, the flags lab/e2e/scenario.sh used before (C1 only, serial GC, 384 MB)
#   app-c1     the same flags on the package's start path (extracted jar, CDS archive, Spring AOT):
#              what scenario.sh uses now
#   app        the package's start path with tiered compilation (C1 then C2), serial GC, 384 MB
# TRAIN=1 also times one training start (-XX:ArchiveClassesAtExit) inside the guest.
# Each start: in-memory H2 database, the kernel data plane, 127.0.0.1:8080; the time is from exec to
# the first /actuator/health/readiness UP (polled every 200 ms). Results: $OUT (target/startup-paths.txt).
set -u
PROJECT=$(cd "$(dirname "$0")/.." && pwd)
cd "$PROJECT"
JAR=${1:-$(ls target/lvs-control-plane-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -n1)}
JAR=$(realpath "$JAR")
RUNS=${RUNS:-2}
VARIANTS=${VARIANTS:-"fat-c1 app-c1 app"}
OUT=${OUT:-$PROJECT/target/startup-paths.txt}
W=/run/startup-paths
mkdir -p "$W"
APP=$(lab/lab-app.sh --flags "$JAR") || { echo "ABORT target/lab-app is not made from $JAR (run lab/lab-app.sh on the host)" | tee "$OUT"; exit 1; }
LAB="-XX:+UseSerialGC -Xmx384m"
flags() {
  case $1 in
    fat-c1) echo "-XX:TieredStopAtLevel=1 $LAB -Xshare:auto -jar $JAR";;
    app-c1) echo "-XX:TieredStopAtLevel=1 $LAB $APP";;
    app) echo "$LAB $APP";;
  esac
}
ms() { echo $(( $(date +%s%N) / 1000000 )); }
{
  echo "lab kernel: $(uname -r), $(nproc) CPU, $(java -version 2>&1 | sed -n 2p)"
  echo "load at start (guest): $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ -n "${TRAIN:-}" ]; then
    t=$(ms)
    ( cd "$W" && java -XX:TieredStopAtLevel=1 $LAB -XX:ArchiveClassesAtExit="$W/guest.jsa" -Dspring.aot.enabled=true \
        -Dspring.context.exit=onRefresh -jar "${APP##* }" --spring.config.location=classpath:/ \
        --spring.datasource.url="jdbc:h2:mem:cds;DB_CLOSE_DELAY=-1" --lvs.dataplane=dry-run --lvs.node-name=cds-training \
        --server.port=0 --lvs.state-dir="$W/train-state" --logging.level.root=WARN >"$W/train.log" 2>&1 )
    echo "training start in the guest (extracted jar, Spring AOT, -XX:ArchiveClassesAtExit): $(( $(ms) - t )) ms, exit $?, archive $(du -m "$W/guest.jsa" 2>/dev/null | cut -f1) MiB"
  fi
  for k in $(seq "$RUNS"); do
    for v in $VARIANTS; do
      rm -rf "$W/state"
      t=$(ms)
      # shellcheck disable=SC2046
      ( cd "$W" && exec env LVS_SECURITY_INITIAL_ADMIN_PASSWORD=startup-paths-not-secret java -Xlog:cds=info:file="$W/$v-$k.cds" $(flags "$v") \
          --spring.datasource.url="jdbc:h2:mem:sp;DB_CLOSE_DELAY=-1" --lvs.dataplane=kernel --lvs.node-name=lab-start \
          --server.port=8080 --lvs.state-dir="$W/state" >"$W/$v-$k.log" 2>&1 ) &
      pid=$!
      up=""
      while kill -0 $pid 2>/dev/null && [ $(( $(ms) - t )) -lt 900000 ]; do
        curl -sf -m 2 http://127.0.0.1:8080/actuator/health/readiness >/dev/null 2>&1 && { up=$(( $(ms) - t )); break; }
        sleep 0.2
      done
      cpu=$(awk '{printf "%.1f", ($14 + $15) / 100}' /proc/$pid/stat 2>/dev/null)
      kill $pid 2>/dev/null; wait $pid 2>/dev/null
      cds=no; grep -q 'Mapped dynamic region' "$W/$v-$k.cds" 2>/dev/null && cds=yes
      echo "round $k $v: ${up:-not UP} ms to UP, CPU ${cpu:-?} s, application CDS archive mapped: $cds, load $(cut -d' ' -f1 /proc/loadavg)"
      [ -n "$up" ] || tail -n 20 "$W/$v-$k.log"
    done
  done
} 2>&1 | tee "$OUT"
