#!/bin/bash
# demo.sh: watch lvs-control-plane replace keepalived in the article's LVS-DR site,
# inside a throwaway Linux kernel (User-mode Linux) on your own machine.
#
#   sudo lab/demo.sh            (Debian or Ubuntu, as root; nothing leaves this machine)
#
# It installs what is missing from your distribution's packages (user-mode-linux,
# postgresql-15 or newer is not enough: the scenario uses 15's binaries, ipvsadm,
# iproute2, kmod, curl, python3, and a JDK 17 with Maven to build the jar), builds
# the jar if target/ has none, then boots the lab kernel and runs lab/e2e/scenario.sh:
# two directors running the jar against one PostgreSQL, three real servers, a client,
# all in network namespaces of the lab kernel. It prints a short narrated log and
# the result of each step; the whole console is in target/uml-e2e/console.log.
# See docs/demo.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "demo.sh: run me as root (sudo lab/demo.sh): the lab kernel's init mounts and loads modules"; exit 2; }

need=()
[ -x /usr/bin/linux.uml ] || need+=(user-mode-linux)
[ -d /usr/lib/postgresql/15/bin ] || need+=(postgresql-15)
command -v ipvsadm >/dev/null || need+=(ipvsadm)
command -v ip >/dev/null || need+=(iproute2)
command -v modprobe >/dev/null || need+=(kmod)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
if [ ${#need[@]} -gt 0 ]; then
  echo "demo: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # the packages must not start daemons on this machine (PostgreSQL runs only inside the lab kernel)
  policy=/usr/sbin/policy-rc.d; made=
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; made=1; fi
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ -n "$made" ] && rm -f "$policy"
fi

jar=$(ls target/lvs-control-plane-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -n1 || true)
if [ -z "$jar" ]; then
  echo "demo: building the jar (./mvnw -DskipTests package)"
  ./mvnw -q -B -DskipTests package
fi

echo "demo: extracting the jar and making its CDS archive (lab/lab-app.sh: the package's start path, about a minute)"
lab/lab-app.sh "$jar" || exit 1
echo "demo: booting the lab kernel (a real Linux 6.1 with IPVS, as a process); this takes 5-10 minutes"
set +e
lab/uml-run -m 3072 -t 2700 -o target/uml-e2e -- 'bash lab/e2e/scenario.sh' \
  | grep --line-buffered -E '^(NARRATE|STEP|E2E ABORT)' | sed -u -e 's/^NARRATE //' -e 's/^STEP /  step /'
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" = 0 ]; then echo "demo: every step passed (details: target/e2e/results.txt)"; else echo "demo: exit $rc (console: target/uml-e2e/console.log)"; fi
exit "$rc"
