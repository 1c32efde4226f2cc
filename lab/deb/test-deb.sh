#!/bin/bash
# test-deb.sh: the Debian package tested for real. A fresh Debian 12 root (mmdebstrap, cached),
# the package installed into it with apt (postinst: user, state directory, CDS archive), then
# that root booted in the lab kernel (User-mode Linux, hostfs root, systemd as init), where
# lab/deb/guest-test.sh runs as a systemd unit after postgresql: the packaged unit starts as a
# director against the guest's PostgreSQL, programs IPVS, holds the VIP, forwards a client's
# connections, survives `systemctl restart` and an upgrade (apt) to a newer build of the package
# without an IPVS flush, and remove/purge keep/delete what they should.
#
#   lab/deb/test-deb.sh DEB [NEWER_DEB]     (as root; NEWER_DEB default: DEB rebuilt as revision +1)
#
# Output: target/deb-lab/results.txt (PASS/FAIL/NOTE lines), console.log, guest logs.
# Exit: 0 all passed; 1 a check failed; 3 the lab cannot run here (reason on stderr).
# LVSCP_DEB_BASE_ONLY=1: only make the cached base root. LVSCP_DEB_KEEP_ROOT=1: keep target/deb-lab/root.
# Cache: $LVSCP_DEB_CACHE (default /var/cache/lvscp-deb) keeps the base root as a tar,
# keyed by the package list; LVSCP_APT_SOURCES as for image/build.sh.
set -euo pipefail
PROJECT=$(cd "$(dirname "$0")/../.." && pwd)
cannot() { echo "test-deb.sh: cannot run: $*" >&2; exit 3; }
[ "$(id -u)" = 0 ] || cannot "not root (mmdebstrap's root mode, chroot, the lab kernel)"
for t in mmdebstrap dpkg-deb chroot; do command -v $t >/dev/null || cannot "$t missing (apt-get install mmdebstrap)"; done
[ -x /usr/bin/linux.uml ] && [ -d /usr/lib/uml/modules ] || cannot "no user-mode-linux package (apt-get install user-mode-linux)"
DEB=$(readlink -f "${1:?usage: test-deb.sh DEB [NEWER_DEB]}")
OUT=$PROJECT/target/deb-lab
CACHE=${LVSCP_DEB_CACHE:-/var/cache/lvscp-deb}
mkdir -p "$OUT" "$CACHE"
rm -f "$OUT"/results.txt "$OUT"/console.log "$OUT"/rc
t0=$(date +%s)

# 1. the newer build: the same package as revision+1 (every maintainer script runs as in a real upgrade)
NEWER=${2:-}
if [ -z "$NEWER" ]; then
  rev=$(dpkg-deb -f "$DEB" Version); rev=${rev##*-}
  x=$(mktemp -d); dpkg-deb -R "$DEB" "$x/p"
  v=$(dpkg-deb -f "$DEB" Version); nv="${v%-*}-$((rev + 1))"
  sed -i "s/^Version: .*/Version: $nv/" "$x/p/DEBIAN/control"
  NEWER="$OUT/lvs-control-plane_${nv}_all.deb"
  dpkg-deb --root-owner-group -Zgzip -z1 --build "$x/p" "$NEWER" >/dev/null; rm -rf "$x"
fi
NEWER=$(readlink -f "$NEWER")

# 2. the base root: what a Debian 12 director has before the package (+ PostgreSQL and test tools)
PKGS=systemd,mawk,tcpdump,systemd-sysv,openjdk-17-jre-headless,postgresql,iproute2,ipvsadm,kmod,procps,adduser,curl,busybox,libcap2-bin
key=$(echo "$PKGS v1" | sha256sum | cut -c1-12)
base=$CACHE/bookworm-$key.tar
if [ ! -s "$base" ]; then
  sources=${LVSCP_APT_SOURCES:-}
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do [ -n "$sources" ] || { [ -s "$f" ] && sources=$f; }; done
  [ -n "$sources" ] || cannot "no apt sources (LVSCP_APT_SOURCES)"
  echo "== mmdebstrap bookworm ($PKGS) -> $base"
  mmdebstrap --variant=apt --mode=root --format=tar --include="$PKGS" \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    bookworm "$base.new" "$sources" || cannot "mmdebstrap failed (no network to the package archive?)"
  mv "$base.new" "$base"
fi
t1=$(date +%s)
[ -n "${LVSCP_DEB_BASE_ONLY:-}" ] && { echo "base root: $base"; exit 0; }

# 3. a fresh root from it; the lab kernel's modules where the guest's modprobe looks
ROOT=$OUT/root
[ -d "$ROOT" ] && { umount -R "$ROOT/proc" 2>/dev/null || true; rm -rf "$ROOT"; }
mkdir -p "$ROOT" && tar -C "$ROOT" -xf "$base"
kver=$(ls /usr/lib/uml/modules | head -n1)
mkdir -p "$ROOT/lib/modules" && cp -a "/usr/lib/uml/modules/$kver" "$ROOT/lib/modules/$kver"
chroot "$ROOT" depmod "$kver" 2>/dev/null || true
echo lvs1 > "$ROOT/etc/hostname"
# a quiet, quick boot: no gettys, timers or time sync in the lab
for u in getty@.service serial-getty@.service console-getty.service systemd-timesyncd.service apt-daily.timer \
         apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer systemd-tmpfiles-clean.timer dpkg-db-backup.timer; do
  ln -sf /dev/null "$ROOT/etc/systemd/system/$u"
done
mkdir -p "$ROOT/lab"
cp "$DEB" "$ROOT/lab/old.deb"; cp "$NEWER" "$ROOT/lab/new.deb"
install -m 0755 "$PROJECT/lab/deb/guest-test.sh" "$ROOT/lab/guest-test.sh"
cat > "$ROOT/etc/systemd/system/lvscp-lab.service" <<'EOU'
[Unit]
Description=lvs-control-plane package test (lab/deb/guest-test.sh)
After=postgresql.service systemd-modules-load.service systemd-sysctl.service
[Service]
Type=oneshot
ExecStart=/bin/bash -c '/lab/guest-test.sh > /lab/guest.log 2>&1; echo $? > /lab/rc'
ExecStartPost=/bin/systemctl --no-block poweroff
StandardOutput=journal+console
[Install]
WantedBy=multi-user.target
EOU
# the lab kernel runs a JVM several times slower than a real machine (system calls go through
# ptrace): a longer readiness wait than the unit's, as a local drop-in would do on a slow host
mkdir -p "$ROOT/etc/systemd/system/lvs-control-plane.service.d"
cat > "$ROOT/etc/systemd/system/lvs-control-plane.service.d/lab.conf" <<'EOU'
[Service]
TimeoutStartSec=600
ExecStartPost=
ExecStartPost=/usr/share/lvs-control-plane/bin/wait-ready 590
EOU
# hostfs makes every file a non-root guest process creates the host's root's (unreadable to its
# creator when it asked for 0600): PostgreSQL's data and the service's state go on tmpfs copies
# (owners and modes kept) before PostgreSQL starts. A real director has no such problem.
cat > "$ROOT/etc/systemd/system/lvscp-lab-tmpfs.service" <<'EOU'
[Unit]
Description=lab: tmpfs copies of /var/lib/postgresql and /var/lib/lvs-control-plane (hostfs root)
DefaultDependencies=no
After=local-fs.target
Before=postgresql@15-main.service postgresql.service lvs-control-plane.service
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'for d in /var/lib/postgresql /var/lib/lvs-control-plane; do mkdir -p /run/lab$d && cp -a $d/. /run/lab$d/ && chown --reference=$d /run/lab$d && chmod --reference=$d /run/lab$d && mount --bind /run/lab$d $d || exit 1; done'
[Install]
WantedBy=sysinit.target
EOU
mkdir -p "$ROOT/etc/systemd/system/sysinit.target.wants"
ln -sf /etc/systemd/system/lvscp-lab-tmpfs.service "$ROOT/etc/systemd/system/sysinit.target.wants/lvscp-lab-tmpfs.service"
ln -sf /etc/systemd/system/lvscp-lab.service "$ROOT/etc/systemd/system/multi-user.target.wants/lvscp-lab.service"

# 4. install the package with apt, as on a director (offline: its dependencies are in the base)
mount -t proc proc "$ROOT/proc"
trap 'umount "$ROOT/proc" 2>/dev/null || true' EXIT
echo "== apt-get install ./old.deb (in a chroot; no systemd running: enabled, not started)"
ti=$(date +%s)
chroot "$ROOT" sh -c "cd /lab && DEBIAN_FRONTEND=noninteractive apt-get install -y ./old.deb" 2>&1 | tail -n 8 | tee "$OUT/install.log"
echo "NOTE install (chroot; a CDS training run only if the package's archive is for another JVM build): $(( $(date +%s) - ti )) s" > "$OUT/host-notes.txt"
if [ -L "$ROOT/var/cache/lvs-control-plane/lvs-control-plane.jsa" ]; then echo "PASS postinst linked the CDS archive made at package build (same JVM build)" >> "$OUT/host-notes.txt"
elif [ -s "$ROOT/var/cache/lvs-control-plane/lvs-control-plane.jsa" ]; then echo "PASS postinst made a CDS archive (the package's is for another JVM build: $(cut -c1-50 "$ROOT/usr/share/lvs-control-plane/lvs-control-plane.jsa.jvm" 2>/dev/null))" >> "$OUT/host-notes.txt"
else echo "FAIL no CDS archive after the install" >> "$OUT/host-notes.txt"; fi
umount "$ROOT/proc"; trap - EXIT
# the first install enables the unit (it starts at boot from then on); the guest test configures it
# first, so it is disabled for this boot and enabled again by the test before its first start
wants=$ROOT/etc/systemd/system/multi-user.target.wants/lvs-control-plane.service
if [ -L "$wants" ]; then echo "PASS postinst enabled the unit (multi-user.target.wants)" >> "$OUT/host-notes.txt"; rm -f "$wants"
else echo "FAIL postinst did not enable the unit" >> "$OUT/host-notes.txt"; fi
t2=$(date +%s)

# /tmp as tmpfs in the guest (hostfs creates files with the host process's umask, so the 1777
# directories PrivateTmp= makes there would come out 1755), and umask 0 for the lab kernel's
# process so that hostfs keeps the modes the guest asks for
ln -sf /usr/share/systemd/tmp.mount "$ROOT/etc/systemd/system/tmp.mount"
mkdir -p "$ROOT/etc/systemd/system/local-fs.target.wants"
ln -sf /etc/systemd/system/tmp.mount "$ROOT/etc/systemd/system/local-fs.target.wants/tmp.mount"

# 5. boot it: systemd as init on the hostfs root
echo "== booting the root in the lab kernel (systemd)"
set +e
umask 000
timeout "${LVSCP_DEB_BOOT_TIMEOUT:-1500}" /usr/bin/linux.uml mem=2048M rootfstype=hostfs rootflags="$ROOT" rw \
  init=/lib/systemd/systemd systemd.show_status=1 systemd.journald.forward_to_console=1 con=null con0=fd:0,fd:1 < /dev/null 2>&1 \
  | sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' | tr -d '\r' > "$OUT/console.log"
st=${PIPESTATUS[0]}
set -e
t3=$(date +%s)
cp "$ROOT/lab/guest.log" "$OUT/guest.log" 2>/dev/null || true
cp "$ROOT/lab/results.txt" "$OUT/results.txt" 2>/dev/null || true
cat "$OUT/host-notes.txt" >> "$OUT/results.txt"
echo "NOTE times: base root $((t1 - t0)) s, fresh root + install $((t2 - t1)) s, boot + guest test + poweroff $((t3 - t2)) s" >> "$OUT/results.txt"
cat "$OUT/results.txt"
[ "$st" = 124 ] && { echo "test-deb.sh: the guest timed out (console: $OUT/console.log)" >&2; tail -30 "$OUT/console.log" >&2; exit 1; }
[ -f "$ROOT/lab/rc" ] || { echo "test-deb.sh: the guest test did not finish (kernel exit $st)" >&2; tail -40 "$OUT/console.log" >&2; exit 1; }
rc=$(cat "$ROOT/lab/rc")
grep -q '^FAIL' "$OUT/results.txt" && rc=1
[ "$rc" = 0 ] && grep -q '^PASS' "$OUT/results.txt" && echo "deb lab test passed" || { echo "deb lab test FAILED (rc $rc)"; rc=1; }
[ -n "${LVSCP_DEB_KEEP_ROOT:-}" ] || rm -rf "$ROOT"
exit "$rc"
