#!/usr/bin/env bash
# Builds the lvs-control-plane container image without a Docker engine or a
# container registry: Debian's mmdebstrap makes a minimal bookworm root file
# system with a headless JRE (from this machine's configured apt sources), umoci
# packs it and the jar as a two-layer OCI image, skopeo writes an oci-archive tar.
#
#   image/build.sh [JAR]          (as root; JAR defaults to target/lvs-control-plane-*.jar)
#
# Output (under $OUT, default target/image/):
#   oci/                                   OCI image layout, tag $TAG
#   lvs-control-plane-$TAG.oci.tar         the same image as an oci-archive
#                                          (podman load, skopeo copy, docker load >= 25)
#   rootfs.tar                             the base layer as mmdebstrap wrote it (kept
#                                          for reuse: LVSCP_IMAGE_REUSE_BASE=1)
#
# Environment: TAG (default: the jar's version), OUT, LVSCP_APT_SOURCES (a
# sources.list or deb822 .sources file; default: this machine's), LVSCP_IMAGE_REUSE_BASE=1
# (keep an existing $OUT/rootfs.tar), LVSCP_IMAGE_DOCKER_ARCHIVE=1 (also write a
# docker-archive tar for older `docker load`).
# Needs: mmdebstrap umoci skopeo (apt-get install mmdebstrap umoci skopeo), root.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=${1:-}
if [ -z "$jar" ]; then
  jar=$(ls target/lvs-control-plane-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -n1 || true)
fi
[ -n "$jar" ] && [ -f "$jar" ] || { echo "build.sh: no jar (run ./mvnw -DskipTests package first)" >&2; exit 2; }
for tool in mmdebstrap umoci skopeo; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool missing (apt-get install mmdebstrap umoci skopeo)" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "build.sh: run as root (mmdebstrap's root mode)" >&2; exit 2; }

version=$(basename "$jar" .jar); version=${version#lvs-control-plane-}
TAG=${TAG:-$version}
OUT=${OUT:-target/image}
sources=${LVSCP_APT_SOURCES:-}
if [ -z "$sources" ]; then
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    [ -s "$f" ] && { sources=$f; break; }
  done
fi
[ -n "$sources" ] || { echo "build.sh: no apt sources file found; set LVSCP_APT_SOURCES" >&2; exit 2; }
# reproducible timestamps: the last commit's time where there is one
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

jvm=/usr/lib/jvm/java-17-openjdk-amd64
uid=10001
mkdir -p "$OUT"
t0=$(date +%s)

# 1. base layer: essential packages + apt + the headless JRE, no docs, man pages or
#    locales (man1/ stays: the JRE's postinst registers its alternatives' man pages there)
if [ "${LVSCP_IMAGE_REUSE_BASE:-}" = 1 ] && [ -s "$OUT/rootfs.tar" ]; then
  echo "== reusing $OUT/rootfs.tar"
else
  echo "== mmdebstrap bookworm (sources: $sources)"
  rm -f "$OUT/rootfs.tar"
  mmdebstrap --variant=apt --mode=root --format=tar \
    --include=openjdk-17-jre-headless \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook="echo 'lvscp:x:$uid:$uid:lvs-control-plane:/app:/usr/sbin/nologin' >> \"\$1/etc/passwd\"" \
    --customize-hook="echo 'lvscp:x:$uid:' >> \"\$1/etc/group\"" \
    --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*.log "$1"/var/cache/ldconfig/aux-cache' \
    --customize-hook="test -x \"\$1$jvm/bin/java\" && test -s \"\$1/etc/ssl/certs/java/cacerts\"" \
    bookworm "$OUT/rootfs.tar" "$sources"
fi
t1=$(date +%s)

# 2. application layer: /app/lvs-control-plane.jar, /app/data and /app/config owned by lvscp
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/app/data" "$stage/app/config"
cp "$jar" "$stage/app/lvs-control-plane.jar"
chmod 0644 "$stage/app/lvs-control-plane.jar"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --numeric-owner --owner=$uid --group=$uid \
    -C "$stage" -cf "$stage/app.tar" --no-recursion app app/config app/data
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --numeric-owner --owner=0 --group=0 \
    -C "$stage" -rf "$stage/app.tar" app/lvs-control-plane.jar

# 3. OCI layout: base layer, app layer, config
echo "== umoci: $OUT/oci:$TAG"
rm -rf "$OUT/oci"
umoci init --layout "$OUT/oci"
umoci new --image "$OUT/oci:$TAG"
umoci raw add-layer --image "$OUT/oci:$TAG" --history.created_by "mmdebstrap --variant=apt bookworm + openjdk-17-jre-headless" "$OUT/rootfs.tar"
umoci raw add-layer --image "$OUT/oci:$TAG" --history.created_by "COPY $(basename "$jar") /app/lvs-control-plane.jar" "$stage/app.tar"
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
umoci config --image "$OUT/oci:$TAG" \
  --architecture amd64 --os linux --created "$created" \
  --config.user 0:0 \
  --config.workingdir /app \
  --config.env "PATH=$jvm/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --config.env "JAVA_HOME=$jvm" \
  --config.env "JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
  --config.entrypoint "$jvm/bin/java" --config.entrypoint -jar --config.entrypoint /app/lvs-control-plane.jar \
  --config.exposedports 8080/tcp \
  --config.stopsignal SIGTERM \
  --config.label "org.opencontainers.image.title=lvs-control-plane" \
  --config.label "org.opencontainers.image.version=$version" \
  --config.label "org.opencontainers.image.revision=$revision" \
  --config.label "org.opencontainers.image.created=$created" \
  --config.label "org.opencontainers.image.base.name=debian:bookworm (mmdebstrap)" \
  --history.created_by "umoci config (entrypoint java -jar /app/lvs-control-plane.jar)"
umoci gc --layout "$OUT/oci"

# 4. archives
archive="$OUT/lvs-control-plane-$TAG.oci.tar"
rm -f "$archive"
skopeo copy --quiet "oci:$OUT/oci:$TAG" "oci-archive:$archive:lvs-control-plane:$TAG"
if [ "${LVSCP_IMAGE_DOCKER_ARCHIVE:-}" = 1 ]; then
  rm -f "$OUT/lvs-control-plane-$TAG.docker.tar"
  skopeo copy --quiet "oci:$OUT/oci:$TAG" "docker-archive:$OUT/lvs-control-plane-$TAG.docker.tar:lvs-control-plane:$TAG"
fi
t2=$(date +%s)

echo "== image lvs-control-plane:$TAG"
umoci stat --image "$OUT/oci:$TAG" | sed -n '1,12p'
echo "base rootfs (uncompressed): $(du -h "$OUT/rootfs.tar" | cut -f1)"
echo "oci-archive: $archive $(du -h "$archive" | cut -f1)"
echo "times: base layer $((t1 - t0)) s, layers + archive $((t2 - t1)) s"
