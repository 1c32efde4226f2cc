# Sourced by the benchmarks: the JVM flags of the Debian package's unit, read from its ExecStart
# (packaging/deb/lvs-control-plane.service), less the CDS archive options (start-up only; each
# benchmark makes or leaves out its own archive). One source of truth, so a bench cannot measure
# flags the package no longer ships.
unit_jvm_flags() {
    local unit
    unit="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/packaging/deb/lvs-control-plane.service"
    sed -n '/^ExecStart=/,/-jar/p' "$unit" | tr ' \\' '\n\n' | grep -E '^-(X|D)' \
        | grep -v -E 'SharedArchiveFile|Xshare' | tr '\n' ' ' | sed 's/ $//'
}
# The unit's Environment= assignments (e.g. MALLOC_ARENA_MAX=2), space separated, for `env`.
unit_env() {
    local unit
    unit="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/packaging/deb/lvs-control-plane.service"
    sed -n 's/^Environment=//p' "$unit" | tr '\n' ' ' | sed 's/ $//'
}
