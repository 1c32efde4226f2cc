#!/usr/bin/env bash
# Health-check cost per check, the service's checker against keepalived's (issue 18, item 2).
#
# One boot of the lab kernel (lab/uml-run: Linux 6.1 with IPVS, one CPU). Inside it:
#   - N HTTP servers (HealthBench server, one JVM) in a network namespace "rs" on
#     10.18.1.2-101, reached from the guest's root namespace over a veth pair;
#   - an idle baseline (servers up, no checker);
#   - then ROUNDS times, each alone: (a) keepalived 2.x with only its checker
#     (`keepalived -C`, VRRP off), N real servers with HTTP_GET under N/100 virtual servers
#     (NAT, in the kernel's IPVS table), and (b) the service's own checker (HealthMonitor,
#     HealthDriver, HealthMeters, Prober, as HealthBench client runs them), with the same
#     knobs: delay_loop 1 s, connect_timeout 1 s, retry 1, delay_before_retry 1 s.
# Over a window of T seconds after each side's warm-up it reads the guest's CPU busy
# (/proc/stat), the checker's and the servers' processes' CPU (/proc/<pid>/stat), and the
# number of checks from the servers' side (their own answered-request counters and the
# rs namespace's TCP PassiveOpens), so that the count does not depend on either checker.
# Just outside the window it reads every task in the guest (where_cpu: kernel threads, the
# bench's own shell, exited threads, reaped children). Inside a window the bench starts no
# process of its own but `sleep`, the same for every side.
#
#   flock <lock> bash bench/health-vs-keepalived.sh        # N=200, T=30 s, 2 rounds
#   N=1000 T=30 ROUNDS=1 bash bench/health-vs-keepalived.sh
# LAB_TIMEOUT (s, default 2400): the lab kernel's limit; 2 rounds of 2 variants with STRACE=1 and the 240 s
# warm-up took about 1,260 s on a quiet host (run 19)
# Output: bench/out/health-vs-keepalived/ (console.log, report.txt, per-side logs).
# Exit: 0 when both sides ran; 1 when keepalived's checker or ours could not run or made no
# checks; 3 when the lab kernel cannot run here.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${N:-200}
T=${T:-30}
ROUNDS=${ROUNDS:-2}
WARMUP_K=${WARMUP_K:-8}
# our checker's warm-up: 240 s, because at 200 checks/s the JIT was still compiling the io_uring
# prober's code 20 s after start (docs/benchmarks.md, run 10), and 60 and 120 s later in some rounds
# (runs 16 and 17); with 240 s no round had more than 0.08 s of C2 in its window (runs 18 and 19).
# A service that runs for days has paid that
WARMUP_O=${WARMUP_O:-240}
# our checker's variants, "name|JVM options" separated by ';', all with the unit's flags
# (packaging/deb; the checker has no Spring, so without -Dspring.aot.enabled)
source "$ROOT/bench/unit-flags.sh"
source "$ROOT/bench/thread-ticks.sh"
SHIPPED=$(unit_jvm_flags | sed 's/-Dspring.aot.enabled=true *//')
# -Dlvs.health.prober selects the HTTP_GET prober as the service's property does: "uring" (an
# io_uring ring, what auto runs where the kernel allows it), "native" (the epoll loop through libc)
# or "nio" (java.nio)
# OURS: "name|options;name|options": each a variant of our checker, run after keepalived in each round; options
# may start with "classes=DIRS " to run another build's classes (see run_ours)
OURS=${OURS:-"uring|$SHIPPED -Dlvs.health.prober=uring;native|$SHIPPED -Dlvs.health.prober=native"}
# (the io_uring loop batched as the service runs it, lvs.health.batch-interval 10ms; add -Dlvs.health.batch-interval=0
# to a variant's options for a pass per completion)
SERVER_OPTS=${SERVER_OPTS:-"-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"}
OUT="$ROOT/bench/out/health-vs-keepalived"
PREFIX=10.18.1.

if [[ "${1:-}" != "--guest" ]]; then
    cd "$ROOT"
    command -v keepalived >/dev/null || { echo "health-vs-keepalived: keepalived is not installed: the anchor cannot run" >&2; exit 1; }
    mkdir -p "$OUT"
    # compiles the tests and takes their classpath from the compiler's debug output (the
    # dependency plugin cannot resolve itself offline here)
    ./mvnw -o -X -B test-compile 2>&1 | sed -n 's/^\[DEBUG\]   (f) testPath = \[\(.*\)\]$/\1/p' | sed 's/, /:/g' > "$OUT/classpath"
    [[ -s "$OUT/classpath" ]] || { echo "health-vs-keepalived: no test classpath (./mvnw -o test-compile failed?)" >&2; exit 1; }
    echo "host: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), cores $(nproc)" | tee "$OUT/host.txt"
    set +e
    N=$N T=$T ROUNDS=$ROUNDS WARMUP_K=$WARMUP_K WARMUP_O=$WARMUP_O OURS=$OURS SERVER_OPTS=$SERVER_OPTS \
        lab/uml-run -m 3072 -t "${LAB_TIMEOUT:-2400}" -o "$OUT" -- \
        "N=$N T=$T ROUNDS=$ROUNDS WARMUP_K=$WARMUP_K WARMUP_O=$WARMUP_O STRACE=${STRACE:-} OURS='$OURS' SERVER_OPTS='$SERVER_OPTS' bash bench/health-vs-keepalived.sh --guest"
    rc=$?
    set -e
    echo "host: after the run, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/host.txt"
    exit $rc
fi

# ---------------------------------------------------------------- inside the lab kernel
cd "$ROOT"
G="$OUT/guest"
rm -rf "$G"; mkdir -p "$G"
CP=$(cat "$OUT/classpath")
ulimit -n 65536
fail() { echo "FAIL: $*" | tee -a "$G/report.txt"; exit 1; }

ip netns add rs
ip link add hk0 type veth peer name hk1
ip link set hk1 netns rs
ip addr add 10.18.1.1/24 dev hk0
ip link set hk0 up
{
    echo "link set lo up"
    echo "link set hk1 up"
    for ((i = 2; i < 102; i++)); do echo "addr add $PREFIX$i/24 dev hk1"; done
} > "$G/rs.batch"
ip netns exec rs ip -batch "$G/rs.batch"

ip netns exec rs java $SERVER_OPTS -Dhealth.bench.prefix=$PREFIX -cp "$CP" io.lvscp.health.HealthBench server "$N" 0 1 \
    > "$G/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do grep -q listening "$G/server.log" 2>/dev/null && break; sleep 0.2; done
grep -q listening "$G/server.log" || { cat "$G/server.log"; fail "the servers did not start"; }

# one sample into the variable VAR: "guest-busy-ticks guest-total-ticks servers'-ticks answered PassiveOpens
# wall-clock key=value..." with proc= the ticks of the PIDs (the checker's processes) read right after /proc/stat.
# The shell's builtins only: in the lab kernel a fork and exec costs tens of ms of the guest's CPU, and a helper
# process inside one side's window would be billed to that side (before run 14, the per-thread read of our
# checker, two processes per JVM thread after the window's first sample, was: 1.3 to 2.2 s a window in runs 11-12).
#   sample VAR [PID...]
sample() {
    local var=$1 u ni sy id io irq sirq st busy total now proc srv answered f line
    shift
    read -r _ u ni sy id io irq sirq st _ < /proc/stat
    now=$EPOCHREALTIME
    ticks "$@"; proc=$TICKS
    ticks "$SERVER"; srv=$TICKS
    busy=$((u + ni + sy + irq + sirq + st)); total=$((busy + id + io))
    stat_split
    read -r answered < /dev/tcp/${PREFIX}2/19999
    # the rs namespace's TCP counters, through the server's /proc (it runs in that namespace)
    while read -r -a f; do [[ ${f[0]} == Tcp: && ${f[6]} =~ ^[0-9]+$ ]] && line=${f[6]}; done < /proc/$SERVER/net/snmp
    printf -v "$var" '%s' "$busy $total $srv $answered $line $now proc=$proc $SPLIT"
}
# the CPU ticks (utime + stime, whole processes) of the PIDs into TICKS, without a process of its own
ticks() {
    local p line f
    TICKS=0
    for p in "$@"; do
        read -r line < "/proc/$p/stat"
        f=(${line##*) })
        TICKS=$((TICKS + f[11] + f[12]))
    done
}
# /proc/stat's split (ticks), context switches, interrupts and softirqs (counts), as key=value into SPLIT
stat_split() {
    local k v rest u ni sy id io irq sirq st
    read -r _ u ni sy id io irq sirq st _ < /proc/stat
    SPLIT="user=$u nice=$ni system=$sy irq=$irq softirq=$sirq steal=$st iowait=$io"
    while read -r k v rest; do
        case $k in
            ctxt) SPLIT+=" ctxt=$v";;
            intr) SPLIT+=" intr=$v";;
            softirq) set -- $rest; SPLIT+=" si_HI=$1 si_TIMER=$2 si_NET_TX=$3 si_NET_RX=$4 si_BLOCK=$5 si_IRQ_POLL=$6 si_TASKLET=$7 si_SCHED=$8 si_HRTIMER=$9 si_RCU=${10}";;
        esac
    done < /proc/stat
}
# every task in the guest, one line each (the shell's builtins only: no process of its own):
#   P pid comm utime stime cutime cstime                   (a process's whole times: its exited threads included)
#   T pid tid kthread(0/1) comm utime stime run-ns slices  (a thread; run-ns and slices from its schedstat)
task_snapshot() {
    local p t line comm run wait slices
    for p in /proc/[0-9]*; do
        { read -r line < "$p/stat"; } 2>/dev/null || continue
        comm=${line#*(}; comm=${comm%)*}
        set -- ${line##*) }
        echo "P ${p#/proc/} ${comm// /_} ${12} ${13} ${14} ${15}"
        for t in "$p"/task/[0-9]*; do
            { read -r line < "$t/stat" && read -r run wait slices < "$t/schedstat"; } 2>/dev/null || continue
            comm=${line#*(}; comm=${comm%)*}
            set -- ${line##*) }
            echo "T ${p#/proc/} ${t##*/} $(( ($7 & 0x200000) != 0 )) ${comm// /_} ${12} ${13} $run $slices"
        done
    done
}
# STRACE=1: after a side's window (outside it), its system calls over 5 s per check answered
syscalls_per_check() {
    local side=$1 a0 a1 calls; shift
    [[ -n "${STRACE:-}" ]] || return 0
    read -r a0 < /dev/tcp/${PREFIX}2/19999
    timeout -s INT 5 strace -f -c -o "$G/strace-$side.txt" $(printf -- '-p %s ' "$@") 2>/dev/null || true
    read -r a1 < /dev/tcp/${PREFIX}2/19999
    calls=$(awk '$NF == "total" { print $4 }' "$G/strace-$side.txt")
    echo "$side strace: $((a1 - a0)) checks, $calls system calls, $(python3 -c "print(round($calls / max(1, $a1 - $a0), 1))") per check" \
        | tee -a "$G/report.txt"
}
# prints: side checks/s guest-busy-cores ...
# window SIDE "sample0" "sample1"
window() {
    python3 - "$@" <<'EOF' | tee -a "$G/report.txt" /dev/stderr | grep -v ' split (s): ' >> "$G/results.txt"
import sys
side, s0, s1 = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
b0, t0, v0, a0, o0, w0 = int(s0[0]), int(s0[1]), int(s0[2]), int(s0[3]), int(s0[4]), float(s0[5])
b1, t1, v1, a1, o1, w1 = int(s1[0]), int(s1[1]), int(s1[2]), int(s1[3]), int(s1[4]), float(s1[5])
wall = w1 - w0
x0, x1 = (dict(kv.split("=") for kv in s[6:]) for s in (s0, s1))
proc = int(x1["proc"]) - int(x0["proc"])
# answered excludes the count request itself; PassiveOpens includes it (1 per sample)
print(f"{side} wall={wall:.2f} busy_s={(b1 - b0) / 100:.2f} total_s={(t1 - t0) / 100:.2f} servers_s={(v1 - v0) / 100:.2f} "
      f"answered={a1 - a0} opens={o1 - o0 - 1} proc_s={proc / 100:.2f}")
# the busy time's split (s) and, per check answered, context switches, interrupts and softirqs
checks = max(1, a1 - a0)
split = " ".join(f"{k}={(int(x1[k]) - int(x0[k])) / 100:.2f}" for k in ("user", "nice", "system", "irq", "softirq", "steal", "iowait"))
counts = " ".join(f"{k}={(int(x1[k]) - int(x0[k])) / checks:.2f}" for k in x1 if k.startswith(("ctxt", "intr", "si_")))
print(f"{side} split (s): {split}; per check: {counts}")
EOF
}

# where the guest's CPU went over a window, by task: where_cpu SIDE TASKS0 TASKS1 "SAMPLE0" "SAMPLE1" PID...
# (PIDs: the checker's processes). Ticks (utime + stime, what /proc/stat counts) and the scheduler's own
# run time (schedstat, ns); "slices" is how often a task was switched in.
where_cpu() {
    python3 - "$@" "$SERVER" "$$" <<'EOF' | tee -a "$G/report.txt"
import sys, collections
side, f0, f1, s0, s1, *pids = sys.argv[1:]
server, bench = pids[-2], pids[-1]
checker = set(pids[:-2])
def load(f):
    procs, tasks = {}, {}
    for line in open(f):
        x = line.split()
        if x[0] == "P":
            procs[x[1]] = (x[2], int(x[3]) + int(x[4]), int(x[5]) + int(x[6]))
        elif x[0] == "T":
            tasks[(x[1], x[2])] = (x[3] == "1", x[4], int(x[5]) + int(x[6]), int(x[7]), int(x[8]))
    return procs, tasks
(p0, t0), (p1, t1) = load(f0), load(f1)
checks = max(1, int(s1.split()[3]) - int(s0.split()[3]))
busy = int(s1.split()[0]) - int(s0.split()[0])
def kind(pid, kthread):
    return "checker" if pid in checker else "servers" if pid == server else "bench" if pid == bench \
        else "kernel" if kthread else "other"
by_kind = collections.defaultdict(lambda: [0, 0, 0])
by_comm = collections.defaultdict(lambda: [0, 0, 0])
for key, (kt, comm, ticks, run, slices) in t1.items():
    _, _, ticks0, run0, slices0 = t0.get(key, (kt, comm, 0, 0, 0))   # a task born in the window counts from 0
    d = (ticks - ticks0, run - run0, slices - slices0)
    k = kind(key[0], kt)
    name = comm.split("/")[0] + ("/" + comm.split("-", 1)[1] if comm.startswith("kworker") and "-" in comm else "")
    for acc in (by_kind[k], by_comm[f"{name}[{k}]"]):
        for i in range(3):
            acc[i] += d[i]
# a process's own times hold its exited threads; its cutime/cstime its reaped children
exited, reaped = collections.Counter(), collections.Counter()
for pid, (comm, ticks, children) in p1.items():
    if pid in p0:
        live = sum(t1[k][2] - t0.get(k, (0, 0, 0))[2] for k in t1 if k[0] == pid and k in t0) \
            + sum(t1[k][2] for k in t1 if k[0] == pid and k not in t0)
        exited[f"{comm}[{kind(pid, False)}]"] += ticks - p0[pid][1] - live
        reaped[f"{comm}({pid})"] += children - p0[pid][2]
tasks = sum(v[0] for v in by_kind.values())
f = lambda v: f"{v[0] / 100:.2f}s/{v[1] / 1e9:.2f}s/{v[2] / checks:.2f}"
print(f"{side} tasks (ticks/run/slices per check): " + ", ".join(f"{k} {f(v)}" for k, v in sorted(by_kind.items())))
print(f"{side} tasks' ticks {tasks / 100:.2f}s of the guest's busy {busy / 100:.2f}s; the rest (the idle task's "
      f"interrupts, tasks gone unreaped) {(busy - tasks) / 100:.2f}s" + ("; run time per 1,000 checks (ms): " + ", ".join(
      f"{k} {v[1] / 1e6 / checks * 1000:.1f}" for k, v in sorted(by_kind.items())) if checks > 1 else ""))
print(f"{side} exited threads' ticks (process less live threads): " + (", ".join(f"{k} {v / 100:.2f}s" for k, v in exited.items() if v) or "none")
      + "; reaped children's: " + (", ".join(f"{k} {v / 100:.2f}s" for k, v in reaped.items() if v) or "none"))
top = sorted(by_comm.items(), key=lambda kv: -kv[1][1])[:16]
print(f"{side} top by run time: " + " ".join(f"{k}={f(v)}" for k, v in top if v[1] > 0))
EOF
}

echo "=== guest $(uname -r), $(nproc) CPU, N=$N real servers, HTTP_GET every 1 s, window ${T} s" | tee "$G/report.txt"
: > "$G/results.txt"

# idle baseline: the servers up, no checker
sleep 3
task_snapshot > "$G/tasks-idle-0"; sample S0; sleep "$T"; sample S1; task_snapshot > "$G/tasks-idle-1"
window idle "$S0" "$S1"
where_cpu idle "$G/tasks-idle-0" "$G/tasks-idle-1" "$S0" "$S1"

# keepalived.conf: N real servers under N/100 virtual servers (NAT), HTTP_GET, the same knobs
conf="$G/keepalived.conf"
{
    echo "global_defs {"
    echo "    router_id health-bench"
    echo "}"
    for ((k = 0; k < N; k++)); do
        vs=$((k / 100))
        if ((k % 100 == 0)); then
            ((k > 0)) && echo "}"
            echo "virtual_server 10.18.2.1 $((80 + vs)) {"
            echo "    delay_loop 1"
            echo "    lb_algo rr"
            echo "    lb_kind NAT"
            echo "    protocol TCP"
        fi
        # the same endpoint as HealthBench's k-th: address 2 + k % 100, port 20000 + k / 100
        echo "    real_server $PREFIX$((2 + k % 100)) $((20000 + k / 100)) {"
        echo "        weight 1"
        echo "        HTTP_GET {"
        echo "            url {"
        echo "                path /"
        echo "                status_code 200"
        echo "            }"
        echo "            connect_timeout 1"
        echo "            retry 1"
        echo "            delay_before_retry 1"
        echo "        }"
        echo "    }"
    done
    echo "}"
} > "$conf"

run_keepalived() {
    local r=$1 log="$G/keepalived-$1.log" kp cp s0 s1
    rm -f /run/hk.pid /run/hk-check.pid
    keepalived -n -l -G -C -f "$conf" -p /run/hk.pid -c /run/hk-check.pid > "$log" 2>&1 &
    kp=$!
    for _ in $(seq 1 100); do [[ -s /run/hk-check.pid ]] && break; sleep 0.1; done
    [[ -s /run/hk-check.pid ]] || { cat "$log"; fail "keepalived's checker did not start (round $r)"; }
    cp=$(cat /run/hk-check.pid)
    sleep "$WARMUP_K"
    kill -0 "$cp" 2>/dev/null || { cat "$log"; fail "keepalived's checker exited (round $r)"; }
    echo "keepalived round $r: IPVS destinations $(ipvsadm -Ln | grep -c -- '->.*Masq')" | tee -a "$G/report.txt"
    task_snapshot > "$G/tasks-keepalived-$r-0"
    sample s0 "$kp" "$cp"
    sleep "$T"
    sample s1 "$kp" "$cp"
    task_snapshot > "$G/tasks-keepalived-$r-1"
    window "keepalived-$r" "$s0" "$s1"
    where_cpu "keepalived-$r" "$G/tasks-keepalived-$r-0" "$G/tasks-keepalived-$r-1" "$s0" "$s1" "$kp" "$cp"
    syscalls_per_check "keepalived-$r" "$cp"
    kill -TERM "$kp"
    wait "$kp" || true
    echo "keepalived round $r: failed-check lines in its log: $(grep -ci 'fail\|timeout\|error' "$log" || true)" | tee -a "$G/report.txt"
    sleep 2
}

run_ours() {
    local r=$1 v=$2 opts=$3 log="$G/ours-$2-$1.log" jp s0 s1 cp=$CP
    # a variant's options may start with "classes=DIRS " (another build's target/classes:target/test-classes,
    # ahead of this one's): two builds of the checker in one boot
    if [[ $opts == classes=* ]]; then cp="${opts%% *}"; cp="${cp#classes=}:$CP"; opts="${opts#* }"; fi
    java $opts -Dhealth.bench.prefix=$PREFIX -cp "$cp" io.lvscp.health.HealthBench client "$N" $((T + ${STRACE:+6} + 8)) "$WARMUP_O" \
        > "$log" 2>&1 &
    jp=$!
    for _ in $(seq 1 $(((WARMUP_O + 60) * 10))); do grep -q ", measuring$" "$log" && break; sleep 0.1; done
    grep -q ", measuring$" "$log" || { cat "$log"; kill "$jp" 2>/dev/null; fail "our checker did not reach its window (round $r, $v)"; }
    # the per-thread reads outside the window, as for keepalived's side
    thread_ticks "$jp" > "$G/threads0"; task_snapshot > "$G/tasks-ours-$v-$r-0"
    sample s0 "$jp"
    sleep "$T"
    sample s1 "$jp"
    task_snapshot > "$G/tasks-ours-$v-$r-1"; thread_ticks "$jp" > "$G/threads1"
    window "ours:$v-$r" "$s0" "$s1"
    where_cpu "ours:$v-$r" "$G/tasks-ours-$v-$r-0" "$G/tasks-ours-$v-$r-1" "$s0" "$s1" "$jp"
    syscalls_per_check "ours:$v-$r" "$jp"
    # the JVM's threads that used CPU in the window (same-named threads summed)
    awk 'NR == FNR { a[$1] += $2; next } { b[$1] += $2 } END { for (k in b) if (b[k] - a[k] > 0) printf "%s=%.2fs ", k, (b[k] - a[k]) / 100 }' \
        "$G/threads0" "$G/threads1" | sed "s/^/ours $v round $r threads: /" | tee -a "$G/report.txt"; echo | tee -a "$G/report.txt"
    wait "$jp" || fail "our checker failed (round $r, $v)"
    grep '^client:' "$log" | sed "s/^/ours $v round $r: /" | tee -a "$G/report.txt"
    sleep 2
}

for ((r = 1; r <= ROUNDS; r++)); do
    run_keepalived "$r"
    IFS=';' read -ra variants <<< "$OURS"
    for v in "${variants[@]}"; do run_ours "$r" "${v%%|*}" "${v#*|}"; done
done
kill -0 $SERVER 2>/dev/null || fail "the servers died"

python3 - "$G/results.txt" "$N" <<'EOF' | tee -a "$G/report.txt"
import sys, collections
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    rows[f[0]] = {k: float(v) for k, v in (x.split("=") for x in f[1:])}
n = int(sys.argv[2])
idle = rows["idle"]
idle_rate = idle["busy_s"] / idle["wall"]
idle_srv = idle["servers_s"] / idle["wall"]
print(f"idle baseline: guest busy {idle_rate:.3f} of its CPU, servers {idle_srv:.3f}")
print(f"{'side':<14}{'checks/s':>10}{'busy':>8}{'busy-idle':>11}{'process':>9}{'servers':>9}   per 1,000 checks (ms CPU): {'busy-idle':>9}{'process':>9}{'servers':>9}")
per = collections.defaultdict(list)
for side, r in rows.items():
    if side == "idle":
        continue
    checks = r["answered"]
    if checks <= 0:
        print(f"FAIL: {side} made no checks the servers answered")
        sys.exit(1)
    cps = checks / r["wall"]
    net = r["busy_s"] - idle_rate * r["wall"]
    srv = r["servers_s"]
    k = 1e6 / checks
    print(f"{side:<14}{cps:>10.0f}{r['busy_s'] / r['wall']:>8.3f}{net / r['wall']:>11.3f}{r['proc_s'] / r['wall']:>9.3f}{srv / r['wall']:>9.3f}"
          f"   {'':>27}{net * k:>9.1f}{r['proc_s'] * k:>9.1f}{srv * k:>9.1f}   (PassiveOpens {r['opens']:.0f})")
    per[side.rsplit("-", 1)[0]].append((net * k, r["proc_s"] * k, cps))
if not per["keepalived"] or len(per) < 2:
    print("FAIL: a side is missing")
    sys.exit(1)
avg = lambda xs: sum(xs) / len(xs)
kn, kp = avg([x[0] for x in per["keepalived"]]), avg([x[1] for x in per["keepalived"]])
print(f"mean per 1,000 checks: keepalived busy-idle {kn:.1f} ms, process {kp:.1f} ms")
for side in per:
    if side == "keepalived":
        continue
    on, op = avg([x[0] for x in per[side]]), avg([x[1] for x in per[side]])
    print(f"RATIO {side} / keepalived: guest busy-idle {on / kn:.2f} ({on:.1f} ms), process {op / kp:.2f} ({op:.1f} ms) (goal: at most 0.50)")
EOF
