#!/bin/bash
# The lab's start path for the service: the Debian package's (packaging/deb), made on the host
# before the lab kernel boots: the fat jar extracted (java -Djarmode=tools -jar JAR extract) and an
# application CDS archive from one training start with Spring AOT (-Dspring.aot.enabled=true,
# -Dspring.context.exit=onRefresh, a throw-away in-memory H2 database, the dry-run data plane), as
# packaging/deb/make-cds-archive does. The lab kernel (lab/uml-run) runs this machine's JVM through
# hostfs and mounts the project folder at the same path, so the archive made here maps in the guest:
# Java 17 only maps an archive into the JVM build that made it and for the same class path string,
# jar sizes and times. Making it inside the guest would cost a start of the lab kernel's one slow CPU
# (docs/benchmarks.md, "Start-up in the lab kernel").
#
#   lab/lab-app.sh [JAR]           make (or keep, when made from this JAR by this JVM) target/lab-app/
#   lab/lab-app.sh --check [JAR]   exit 0 when target/lab-app/ is made from JAR by this JVM
#   lab/lab-app.sh --flags [JAR]   print the JVM arguments that start it (the archive, Spring AOT, -jar)
#
# target/lab-app/: app/ (the extracted jar), app.jsa (the archive), stamp (what it was made from).
# Used by lab/e2e/scenario.sh (start_director) and lab/startup-paths.sh; made by ArticleEndToEndIT
# and lab/demo.sh before they boot the lab kernel.
set -euo pipefail
PROJECT=$(cd "$(dirname "$0")/.." && pwd)
mode=make
case "${1:-}" in --check|--flags) mode=${1#--}; shift;; esac
JAR=${1:-$(ls "$PROJECT"/target/lvs-control-plane-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -n1 || true)}
[ -n "$JAR" ] && [ -f "$JAR" ] || { echo "lab-app: no jar (./mvnw -DskipTests package)" >&2; exit 2; }
JAR=$(realpath "$JAR")
JAVA=$(readlink -f "$(command -v java)")
D=$PROJECT/target/lab-app
stamp() { echo "$JAR $(stat -c '%s %Y' "$JAR") $JAVA $(java -version 2>&1 | tr '\n' ' ')"; }
app_jar() { ls "$D"/app/*.jar 2>/dev/null | head -n1; }
current() { [ -f "$D/stamp" ] && [ -s "$D/app.jsa" ] && [ -n "$(app_jar)" ] && [ "$(cat "$D/stamp")" = "$(stamp)" ]; }
case $mode in
  check) current; exit;;
  flags) current || { echo "lab-app: target/lab-app is not made from $JAR (lab/lab-app.sh)" >&2; exit 1; }
         echo "-Xshare:auto -XX:SharedArchiveFile=$D/app.jsa -Dspring.aot.enabled=true -jar $(app_jar)"; exit 0;;
esac
current && { echo "lab-app: target/lab-app is current"; exit 0; }
t0=$(date +%s.%N)
rm -rf "$D"; mkdir -p "$D"
java -Djarmode=tools -jar "$JAR" extract --destination "$D/app" >"$D/extract.log" 2>&1 \
  || { cat "$D/extract.log" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# the lab's JVM flags (C1 only, serial GC: docs/benchmarks.md) with the training's, as make-cds-archive trains
if (cd "$tmp" && timeout 600 java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx384m -XX:ArchiveClassesAtExit="$D/app.jsa" \
      -Dspring.aot.enabled=true -Dspring.context.exit=onRefresh -Djava.io.tmpdir="$tmp" -jar "$(app_jar)" \
      --spring.config.location=classpath:/ --spring.datasource.url="jdbc:h2:mem:cds;DB_CLOSE_DELAY=-1" \
      --lvs.dataplane=dry-run --lvs.node-name=cds-training --server.port=0 --lvs.state-dir="$tmp/state" \
      --lvs.security.initial-admin-password-file="$tmp/pw" --logging.level.root=WARN) >"$D/train.log" 2>&1 \
   && [ -s "$D/app.jsa" ]; then
  stamp > "$D/stamp"
  echo "lab-app: $D made in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s (archive $(du -m "$D/app.jsa" | cut -f1) MiB)"
else
  tail -n 20 "$D/train.log" >&2
  echo "lab-app: the training start failed" >&2
  exit 1
fi
