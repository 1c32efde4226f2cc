#!/bin/bash
# Builds the Debian package from the Spring Boot jar with dpkg-deb (called by Maven in `package`,
# see pom.xml; or by hand). The jar is stored extracted (java -Djarmode=tools extract): the
# application jar plus lib/, the layout the CDS archive is made for.
#
#   packaging/deb/build-deb.sh JAR [OUTDIR]     (OUTDIR default target/deb)
#
# Output: OUTDIR/lvs-control-plane_<version>-<revision>_all.deb; the Maven version 0.1.0-SNAPSHOT
# becomes the Debian version 0.1.0~SNAPSHOT (sorts before 0.1.0). LVSCP_DEB_REVISION (default 1)
# is the Debian revision. Needs: dpkg-deb, a JDK's java (for the extraction). Reproducible:
# file times are SOURCE_DATE_EPOCH (default: the last commit's time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=${1:?usage: build-deb.sh JAR [OUTDIR]}
out=${2:-$root/target/deb}
command -v dpkg-deb >/dev/null || { echo "build-deb.sh: no dpkg-deb: no .deb built" >&2; exit 0; }
name=lvs-control-plane
mvn_version=$(basename "$jar" .jar); mvn_version=${mvn_version#"$name"-}
version="${mvn_version//-/\~}-${LVSCP_DEB_REVISION:-1}"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
d=$stage/pkg
app=$d/usr/share/$name
mkdir -p "$app/bin" "$d/DEBIAN" "$d/lib/systemd/system" "$d/usr/lib/modules-load.d" "$d/usr/lib/sysctl.d" \
    "$d/etc/$name" "$d/usr/share/doc/$name"
"$java" -Djarmode=tools -jar "$jar" extract --destination "$stage/x" >/dev/null
mv "$stage/x/$(basename "$jar")" "$app/$name.jar"
mv "$stage/x/lib" "$app/lib"
install -m 0755 "$here/wait-ready" "$here/make-cds-archive" "$here/cds-setup" "$app/bin/"
install -m 0644 "$here/$name.service" "$d/lib/systemd/system/"
install -m 0644 "$here/modules-load.conf" "$d/usr/lib/modules-load.d/$name.conf"
install -m 0644 "$here/sysctl.conf" "$d/usr/lib/sysctl.d/60-$name.conf"
install -m 0640 "$here/application.properties" "$d/etc/$name/application.properties"
install -m 0644 "$root/README.md" "$d/usr/share/doc/$name/README.md"
[ -f "$root/docs/operations.md" ] && install -m 0644 "$root/docs/operations.md" "$d/usr/share/doc/$name/operations.md"
cat > "$d/usr/share/doc/$name/copyright" <<EOC
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: $name
Comment: the application and the libraries in /usr/share/$name/lib (each jar's own
 META-INF holds its licence).
EOC
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$d/DEBIAN/"
install -m 0644 "$here/triggers" "$d/DEBIAN/triggers"
echo "/etc/$name/application.properties" > "$d/DEBIAN/conffiles"
find "$d" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
# the CDS archive, made now with the build's JVM (LVSCP_DEB_CDS=0: none; postinst then makes one).
# Java 17 maps it only into the same JVM build and checks the jars' size and time, so the jars
# have their final times already; bin/cds-setup compares lvs-control-plane.jsa.jvm with the
# installed JVM and makes a new archive when they differ.
jhome=$(readlink -f "$(command -v "$java")"); jhome=${jhome%/bin/java}
if [ "${LVSCP_DEB_CDS:-1}" != 0 ] && [ "$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" = 17 ]; then
  t=$(date +%s)
  "$here/make-cds-archive" "$d" "$java" "$app/$name.jsa" >/dev/null
  echo "$jhome $(cat "$jhome/lib/server/libjvm.so" "$jhome/lib/server/classes.jsa" | sha256sum | cut -d' ' -f1)" > "$app/$name.jsa.jvm"
  echo "CDS archive for $jhome ($(du -m "$app/$name.jsa" | cut -f1) MiB, $(( $(date +%s) - t )) s)"
else
  echo "no CDS archive in the package (LVSCP_DEB_CDS=0 or the build's java is not Java 17)"
fi
size=$(du -sk --exclude=DEBIAN "$d" | cut -f1)
cat > "$d/DEBIAN/control" <<EOC
Package: $name
Version: $version
Architecture: all
Maintainer: lvs-control-plane developers <lvscp@localhost>
Installed-Size: $size
Depends: openjdk-17-jre-headless | java17-runtime-headless, adduser, init-system-helpers (>= 1.52), systemd, kmod, procps
Recommends: ipvsadm
Suggests: postgresql
Section: net
Priority: optional
Description: control plane for highly available LVS direct-routing load balancers
 Runs one LVS-DR director: an embedded VRRP engine (raw sockets), an IPVS writer
 (generic netlink), health checks of the real servers, a REST API, a web console
 and Prometheus metrics. Two directors share one PostgreSQL database.
 .
 The package installs a hardened systemd unit running as the system user lvscp
 with only CAP_NET_ADMIN and CAP_NET_RAW, the IPVS modules to load at boot and
 the director's kernel settings.
EOC
find "$d" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$out"
deb="$out/${name}_${version}_all.deb"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$d" "$deb" >/dev/null
echo "built $deb ($(du -h "$deb" | cut -f1))"
