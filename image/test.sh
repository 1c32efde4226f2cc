#!/usr/bin/env bash
# Starts the service from the image that image/build.sh made, the way a container
# runtime would, without one: the oci-archive is copied back into an OCI layout
# (skopeo), unpacked into a root file system with its runtime config (umoci), and the
# image's own entrypoint, working directory and environment are run in a chroot
# whose root is read-only (tmpfs on /tmp and /app/data, as the Helm chart mounts
# emptyDirs), as UID 0 with every capability but NET_ADMIN and NET_RAW dropped and
# no_new_privs set (the chart's securityContext). Checks that /actuator/health
# answers UP in dry-run on H2 in memory, that /actuator/info names the jar's version,
# that the process holds exactly those two capabilities, and that SIGTERM stops it.
#
#   image/test.sh            (as root; after image/build.sh; needs umoci skopeo curl python3)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-target/image}
archive=${1:-$(ls "$OUT"/lvs-control-plane-*.oci.tar 2>/dev/null | head -n1 || true)}
[ -n "$archive" ] && [ -f "$archive" ] || { echo "test.sh: no $OUT/lvs-control-plane-*.oci.tar (run image/build.sh)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "test.sh: run as root (chroot, mounts)" >&2; exit 2; }
tag=$(basename "$archive" .oci.tar); tag=${tag#lvs-control-plane-}

work=$(mktemp -d /tmp/lvscp-image-test.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== unpacking $archive"
skopeo copy --quiet "oci-archive:$archive:lvs-control-plane:$tag" "oci:$work/oci:$tag"
umoci unpack --image "$work/oci:$tag" "$work/bundle" >/dev/null
root="$work/bundle/rootfs"
echo "unpacked root file system: $(du -sh "$root" | cut -f1)"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# the image's entrypoint, working directory, user and environment, from the runtime config umoci wrote
cat > "$work/launch.py" <<'PY'
import ctypes, json, os, sys
bundle, port = sys.argv[1], sys.argv[2]
cfg = json.load(open(os.path.join(bundle, "config.json")))["process"]
args = cfg["args"] + ["--lvs.dataplane=dry-run", "--spring.datasource.url=jdbc:h2:mem:image-test",
                      "--server.address=127.0.0.1", "--server.port=" + port, "--lvs.node-name=image-test",
                      "--lvs.security.initial-admin-password=image-test-admin"]
env = dict(e.split("=", 1) for e in cfg["env"])
libc = ctypes.CDLL(None, use_errno=True)
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 24, 38
CAP_NET_ADMIN, CAP_NET_RAW = 12, 13
os.chroot(os.path.join(bundle, "rootfs"))
os.chdir(cfg.get("cwd", "/"))
last_cap = int(open("/proc/sys/kernel/cap_last_cap").read())
for cap in range(last_cap + 1):
    if cap not in (CAP_NET_ADMIN, CAP_NET_RAW) and libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
        sys.exit("prctl(PR_CAPBSET_DROP, %d) failed: errno %d" % (cap, ctypes.get_errno()))
if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
    sys.exit("prctl(PR_SET_NO_NEW_PRIVS) failed")
os.setgid(cfg["user"].get("gid", 0))
os.setuid(cfg["user"].get("uid", 0))
print("exec", " ".join(args), "in", cfg.get("cwd"), "as uid", os.getuid(), flush=True)
os.execve(args[0], args, env)
PY
# a private mount namespace: the read-only root and the mounts vanish with the process
cat > "$work/mounts.sh" <<'SH'
set -eu
root=$1; shift
mount --bind "$root" "$root"
mount -o remount,bind,ro "$root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount --rbind /sys "$root/sys"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mount -t tmpfs tmpfs "$root/app/data"
exec "$@"
SH

echo "== starting the image's entrypoint on 127.0.0.1:$port (dry-run, H2 in memory, read-only root)"
start=$(date +%s.%N)
unshare --mount --propagation private sh "$work/mounts.sh" "$root" \
  python3 "$work/launch.py" "$work/bundle" "$port" > "$work/service.log" 2>&1 &
pid=$!

health=
for _ in $(seq 1 300); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "test.sh: the service exited before answering; its log:" >&2; tail -50 "$work/service.log" >&2; exit 1
  fi
  health=$(curl -fsS "http://127.0.0.1:$port/actuator/health" 2>/dev/null || true)
  case $health in *'"status":"UP"'*) break ;; esac
  sleep 1
done
ready=$(python3 -c "import time; print(round(time.time() - $start, 1))")
case $health in *'"status":"UP"'*) ;; *) echo "test.sh: no UP from /actuator/health in 300 s; log:" >&2; tail -50 "$work/service.log" >&2; exit 1 ;; esac
echo "health UP after ${ready} s: $(echo "$health" | cut -c1-160)..."
case $health in *'"mode":"dry-run"'*) ;; *) echo "test.sh: health does not report the dry-run data plane" >&2; exit 1 ;; esac

info=$(curl -fsS -u admin:image-test-admin "http://127.0.0.1:$port/actuator/info")   # only health and the scrape are open
echo "info: $info"
case $info in *"\"version\":\"$tag\""*) ;; *) echo "test.sh: /actuator/info does not name version $tag" >&2; exit 1 ;; esac

# the java process is the one started above: unshare (without --fork), sh and python each exec the next
jpid=$pid
tr '\0' ' ' < "/proc/$jpid/cmdline" | grep -q "lvs-control-plane.jar" \
  || { echo "test.sh: process $jpid is not the service: $(tr '\0' ' ' < "/proc/$jpid/cmdline")" >&2; exit 1; }
caps=$(awk '/^CapEff:/ {print $2}' "/proc/$jpid/status")
echo "java pid $jpid: CapEff $caps, root $(readlink "/proc/$jpid/root"), uid $(awk '/^Uid:/ {print $2}' "/proc/$jpid/status")"
[ "$caps" = 0000000000003000 ] || { echo "test.sh: expected CAP_NET_ADMIN+CAP_NET_RAW only (0000000000003000), got $caps" >&2; exit 1; }

echo "== SIGTERM"
t0=$(date +%s.%N)
kill -TERM "$jpid"
for _ in $(seq 1 60); do kill -0 "$jpid" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$jpid" 2>/dev/null; then echo "test.sh: still running 30 s after SIGTERM" >&2; exit 1; fi
wait "$pid" 2>/dev/null || true
pid=
echo "stopped $(python3 -c "import time; print(round(time.time() - $t0, 1))") s after SIGTERM"
grep -E "Started LvsControlPlaneApplication|data plane" "$work/service.log" | head -3 || true
echo "image test passed"
