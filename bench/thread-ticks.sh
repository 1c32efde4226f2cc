# Sourced by the benchmarks: a process's CPU per thread, read with the shell's builtins only (a process started
# per thread costs tens of ms of the lab kernel's CPU: docs/benchmarks.md, "Where the rest of the guest's CPU goes").
# thread_ticks PID: "name ticks" lines, user + system clock ticks of each thread (the name's spaces as _)
thread_ticks() {
    local t line comm
    for t in /proc/$1/task/*; do
        { read -r line < "$t/stat"; } 2>/dev/null || continue
        comm=${line#*(}; comm=${comm%)*}
        set -- ${line##*) }
        echo "${comm// /_} $((${12} + ${13}))"
    done
}
