#!/usr/bin/env python3
"""Load generator and checks for bench/run.sh (Python 3 standard library only).

Sub-commands (each prints a human-readable summary and, with --json FILE, appends
one JSON object to FILE so that run.sh can build the final table):

  wait-up          poll GET /actuator/health every 50 ms until it says UP; print the
                   wall-clock time (epoch seconds) at which it did
  seed             create cluster 'bench' with 2 directors, 1 VRRP instance with 10
                   VIPs, 1,000 virtual servers x 10 real servers through the REST API
  list             open-loop constant-rate GETs of random virtual-server pages
  plan             sequential GETs of /api/v1/nodes/{node}/plan, checked for content
  keepalived-conf  write the equivalent keepalived.conf
  summary          print the results file as a Markdown table

Only 127.0.0.1 is ever contacted.  The 10.255.x.y addresses below are data: they
are stored in the database and written into a config file, nothing is sent to them.
"""

import argparse
import base64
import http.client
import json
import os
import queue
import random
import statistics
import sys
import threading
import time

HOST = "127.0.0.1"

CLUSTER = "bench"
DIRECTORS = [("bench-lvs1", "10.255.0.1", 100), ("bench-lvs2", "10.255.0.2", 99)]
VRRP_NAME = "vi_bench"
VRID = 51
N_VIPS = 10
N_VS = 1000
N_RS = 10
BASE_PORT = 1000


def vip(i):
    """The VIP of virtual server i: 10.255.1.1 .. 10.255.1.10."""
    return "10.255.1.%d" % (i % N_VIPS + 1)


def vs_port(i):
    return BASE_PORT + i


def rs_address(i, j):
    """Real server j of virtual server i: ten back-end hosts per VS (10.255.10-19.x)."""
    return "10.255.%d.%d" % (10 + j, i % 250 + 1)


def pct(sorted_values, p):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(-(-p * len(sorted_values) // 100)) - 1))
    return sorted_values[k]


def append_json(path, obj):
    if path:
        with open(path, "a") as f:
            f.write(json.dumps(obj) + "\n")


# the admin bench/lib.sh starts the service with (lvs.security.initial-admin-password)
ADMIN_PASSWORD = os.environ.get("LVS_BENCH_ADMIN_PASSWORD", "bench-admin-password")
_tokens = {}


def api_token(port, timeout=30):
    """A bearer token for the API, made once per port with HTTP Basic (a password check
    per request would put bcrypt into every timed GET)."""
    if port not in _tokens:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        basic = base64.b64encode(("admin:" + ADMIN_PASSWORD).encode()).decode()
        conn.request("POST", "/api/v1/tokens", body=json.dumps({"name": "bench-%d" % os.getpid()}).encode(),
                     headers={"Authorization": "Basic " + basic, "Content-Type": "application/json", "Accept": "application/json"})
        r = conn.getresponse()
        raw = r.read()
        conn.close()
        if r.status != 201:
            raise SystemExit("could not make an API token (%d): %s" % (r.status, raw[:300]))
        _tokens[port] = json.loads(raw)["token"]
    return _tokens[port]


class Client:
    """One keep-alive HTTP/1.1 connection to the service."""

    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, body=None):
        """Returns (status, raw body bytes). Re-opens the connection once if a reused
        keep-alive connection turns out to have been closed by the server."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Accept": "application/json"}
        if path.startswith("/api/"):
            headers["Authorization"] = "Bearer " + api_token(self.port, self.timeout)
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (0, 1):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                raw = r.read()
                if r.will_close:
                    self.close()
                return r.status, raw
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 1 or not reused:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
            self.conn = None


# ---- wait-up ---------------------------------------------------------------------------

def cpu_seconds(pid):
    """user+sys CPU seconds used so far by process pid (all its threads), or 'nan'."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return "%.2f" % ((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, TypeError):
        return "nan"


def cmd_wait_up(a):
    deadline = time.time() + a.timeout
    while True:
        if a.pid and not os.path.exists("/proc/%d" % a.pid):
            print("process %d exited before /actuator/health was UP" % a.pid, file=sys.stderr)
            return 2
        try:
            c = http.client.HTTPConnection(HOST, a.port, timeout=2)
            c.request("GET", "/actuator/health")
            r = c.getresponse()
            body = r.read()
            c.close()
            if r.status == 200 and json.loads(body).get("status") == "UP":
                print("%.6f %s" % (time.time(), cpu_seconds(a.pid)))
                return 0
        except (OSError, http.client.HTTPException, ValueError):
            pass
        if time.time() > deadline:
            print("/actuator/health not UP after %ss" % a.timeout, file=sys.stderr)
            return 3
        time.sleep(a.interval)


# ---- seed ------------------------------------------------------------------------------

def run_parallel(port, jobs, workers, what):
    """Runs (method, path, body, expected_status) jobs on `workers` keep-alive
    connections; returns the list of results in job order (parsed JSON)."""
    results = [None] * len(jobs)
    errors = []
    it = iter(range(len(jobs)))
    lock = threading.Lock()

    def worker():
        c = Client(port)
        try:
            while True:
                with lock:
                    if errors:
                        return
                    k = next(it, None)
                if k is None:
                    return
                method, path, body, expect = jobs[k]
                try:
                    status, raw = c.request(method, path, body)
                except Exception as e:  # noqa: BLE001 - report and stop
                    with lock:
                        errors.append("%s %s: %r" % (method, path, e))
                    return
                if status != expect:
                    with lock:
                        errors.append("%s %s -> %d %s" % (method, path, status, raw[:300].decode(errors="replace")))
                    return
                results[k] = json.loads(raw) if raw else None
        finally:
            c.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit("seed failed during %s: %s" % (what, errors[0]))
    return results


def cmd_seed(a):
    c = Client(a.port)
    t0 = time.perf_counter()

    def must(method, path, body, expect=201):
        status, raw = c.request(method, path, body)
        if status != expect:
            raise SystemExit("seed failed: %s %s -> %d %s" % (method, path, status, raw[:300].decode(errors="replace")))
        return json.loads(raw) if raw else None

    base = "/api/v1/clusters/" + CLUSTER
    must("POST", "/api/v1/clusters", {"name": CLUSTER, "description": "benchmark: 1,000 virtual servers x 10 real servers"})
    for node, mgmt, _ in DIRECTORS:
        must("POST", base + "/directors", {"nodeName": node, "managementAddress": mgmt, "interfaceName": "eth0"})
    must("POST", base + "/vrrp-instances", {
        "name": VRRP_NAME, "vrid": VRID, "interfaceName": "eth0", "vrrpVersion": 2, "advertInterval": 1,
        "authType": "PASS", "authPassword": "benchpw", "multicastGroup": "224.0.0.18",
        "priorities": [{"director": n, "priority": p} for n, _, p in DIRECTORS],
        "vips": [{"address": vip(k), "device": "eth0"} for k in range(N_VIPS)]})
    c.close()
    t_base = time.perf_counter()

    vs_jobs = [("POST", base + "/virtual-servers",
                {"vrrpInstance": VRRP_NAME, "vip": vip(i), "port": vs_port(i), "protocol": "TCP", "scheduler": "rr",
                 "forwarding": "DR", "delayLoop": 6}, 201) for i in range(a.vs)]
    created = run_parallel(a.port, vs_jobs, a.workers, "virtual servers")
    ids = [v["id"] for v in created]
    t_vs = time.perf_counter()

    rs_jobs = []
    for i, vs_id in enumerate(ids):
        for j in range(a.rs):
            rs_jobs.append(("POST", "%s/virtual-servers/%d/real-servers" % (base, vs_id),
                            {"address": rs_address(i, j), "port": vs_port(i), "weight": 1,
                             "healthCheck": {"type": "HTTP_GET", "path": "/", "statusCodes": "200", "connectTimeout": 3,
                                             "retry": 3, "delayBeforeRetry": 3}}, 201))
    run_parallel(a.port, rs_jobs, a.workers, "real servers")
    t_rs = time.perf_counter()

    # check what is there now
    c = Client(a.port)
    status, raw = c.request("GET", base + "/virtual-servers?size=1")
    total_vs = json.loads(raw)["totalElements"]
    status, raw = c.request("GET", "/api/v1/real-servers?cluster=%s&size=1" % CLUSTER)
    total_rs = json.loads(raw)["totalElements"]
    c.close()
    n_req = 4 + len(vs_jobs) + len(rs_jobs)
    res = {"bench": "seed", "virtualServers": total_vs, "realServers": total_rs, "requests": n_req, "workers": a.workers,
           "seconds": round(t_rs - t0, 2), "vsSeconds": round(t_vs - t_base, 2), "rsSeconds": round(t_rs - t_vs, 2),
           "requestsPerSecond": round(n_req / (t_rs - t0), 1)}
    print("seed: %d POSTs on %d connections in %.1f s (%.0f req/s): %d virtual servers in %.1f s, %d real servers in %.1f s"
          % (n_req, a.workers, t_rs - t0, n_req / (t_rs - t0), total_vs, t_vs - t_base, total_rs, t_rs - t_vs))
    append_json(a.json, res)
    if total_vs != a.vs or total_rs != a.vs * a.rs:
        print("seed: expected %d virtual servers and %d real servers" % (a.vs, a.vs * a.rs), file=sys.stderr)
        return 1
    return 0


# ---- list (open loop) -------------------------------------------------------------------

def cmd_list(a):
    """Constant-rate open loop: request k is *scheduled* at t0 + k/rate whatever happened
    to earlier requests; latency is measured from that scheduled time to the last byte
    of the response (so a stalled server is charged for the requests queued behind it:
    no coordinated omission). A pool of worker threads, each with its own keep-alive
    connection, takes requests from the dispatcher; the pool is much larger than
    rate x expected latency so that it never becomes the bottleneck."""
    rng = random.Random(a.seed)
    c = Client(a.port)
    status, raw = c.request("GET", "/api/v1/clusters/%s/virtual-servers?size=%d" % (a.cluster, a.size))
    c.close()
    if status != 200:
        raise SystemExit("list: first page -> %d %s" % (status, raw[:300]))
    pages = json.loads(raw)["totalPages"]

    interval = 1.0 / a.rate
    n_warm = int(round(a.warmup * a.rate))
    n_total = n_warm + int(round(a.duration * a.rate))
    q = queue.Queue()
    lock = threading.Lock()
    # per request: (k, scheduled, dispatched, started, done, status, items, error)
    records = []

    def worker():
        cl = Client(a.port, timeout=a.timeout)
        try:
            while True:
                job = q.get()
                if job is None:
                    return
                k, sched, dispatched, page = job
                started = time.perf_counter()
                st, items, err = 0, -1, None
                try:
                    st, body = cl.request("GET", "/api/v1/clusters/%s/virtual-servers?page=%d&size=%d" % (a.cluster, page, a.size))
                    done = time.perf_counter()
                    if st == 200:
                        items = len(json.loads(body)["content"])
                except Exception as e:  # noqa: BLE001 - counted as an error
                    done = time.perf_counter()
                    err = type(e).__name__
                    cl.close()
                with lock:
                    records.append((k, sched, dispatched, started, done, st, items, page, err))
        finally:
            cl.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(a.workers)]
    for t in threads:
        t.start()
    t0 = time.perf_counter() + 0.2
    for k in range(n_total):
        sched = t0 + k * interval
        while True:
            now = time.perf_counter()
            if now >= sched:
                break
            time.sleep(min(sched - now, 0.002) if sched - now > 0.0005 else 0)
        q.put((k, sched, time.perf_counter(), rng.randrange(pages)))
    last_sched = t0 + (n_total - 1) * interval
    for _ in threads:
        q.put(None)
    for t in threads:
        t.join(timeout=a.timeout + 5)

    measured = sorted((r for r in records if r[0] >= n_warm), key=lambda r: r[0])
    n_expected = n_total - n_warm
    ok = [r for r in measured if r[5] == 200 and r[8] is None]
    errors = len(measured) - len(ok) + (n_expected - len(measured))
    lat = sorted((r[4] - r[1]) * 1000 for r in ok)
    service = sorted((r[4] - r[3]) * 1000 for r in ok)
    dispatch_late = sorted((r[2] - r[1]) * 1000 for r in measured)
    start_late = sorted((r[3] - r[1]) * 1000 for r in measured)
    late_1ms = sum(1 for x in dispatch_late if x > 1.0)
    late_5ms = sum(1 for x in start_late if x > 5.0)
    short_pages = sum(1 for r in ok if r[6] != a.size and r[7] != pages - 1)
    first_sched = t0 + n_warm * interval
    achieved = len(measured) / (last_sched - first_sched + interval) if measured else 0.0
    res = {"bench": "list", "flags": a.flags, "rate": a.rate, "seconds": a.duration, "warmupSeconds": a.warmup, "pages": pages, "size": a.size,
           "workers": a.workers, "count": len(measured), "expected": n_expected, "errors": errors, "shortPages": short_pages,
           "achievedRate": round(achieved, 2),
           "p50": round(pct(lat, 50), 2), "p90": round(pct(lat, 90), 2), "p99": round(pct(lat, 99), 2),
           "p999": round(pct(lat, 99.9), 2), "max": round(lat[-1], 2) if lat else None, "mean": round(statistics.mean(lat), 2) if lat else None,
           "serviceP99": round(pct(service, 99), 2),
           "dispatchLateOver1ms": late_1ms, "dispatchLateMaxMs": round(dispatch_late[-1], 2) if dispatch_late else None,
           "sendLateOver5ms": late_5ms, "sendLateMaxMs": round(start_late[-1], 2) if start_late else None}
    print("list: %d requests at %.1f req/s achieved (target %g) for %gs after %gs warm-up, %d errors, pages 0-%d of %d items"
          % (len(measured), achieved, a.rate, a.duration, a.warmup, errors, pages - 1, a.size))
    print("      latency from scheduled send (ms): p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f"
          % (res["p50"], res["p90"], res["p99"], res["p999"], res["max"] or float("nan")))
    print("      generator: %d dispatches >1 ms late (max %.1f ms); %d sends >5 ms after schedule (max %.1f ms, includes waiting for a free worker); "
          "p99 from actual send %.1f ms" % (late_1ms, res["dispatchLateMaxMs"] or 0, late_5ms, res["sendLateMaxMs"] or 0, res["serviceP99"]))
    append_json(a.json, res)
    return 0 if errors == 0 and short_pages == 0 else 1


# ---- plan --------------------------------------------------------------------------------

def cmd_plan(a):
    c = Client(a.port, timeout=120)
    path = "/api/v1/nodes/%s/plan" % a.node
    times, size, body = [], 0, None
    for k in range(a.warmup + a.n):
        t = time.perf_counter()
        status, raw = c.request("GET", path)
        dt = (time.perf_counter() - t) * 1000
        if status != 200:
            raise SystemExit("plan: GET %s -> %d %s" % (path, status, raw[:300]))
        if k >= a.warmup:
            times.append(dt)
        size, body = len(raw), raw
    c.close()
    plan = json.loads(body)
    services = plan["desired"]["services"]
    dests = sum(len(s["destinations"]) for s in services)
    vrrp = len(plan["desired"].get("vrrpInstances", []))
    times.sort()
    res = {"bench": "plan", "flags": a.flags, "node": a.node, "n": a.n, "warmup": a.warmup, "p50": round(pct(times, 50), 1),
           "p90": round(pct(times, 90), 1), "max": round(times[-1], 1), "min": round(times[0], 1), "bytes": size,
           "services": len(services), "destinations": dests, "vrrpInstances": vrrp, "changes": len(plan.get("changes", [])),
           "inSync": plan.get("inSync")}
    print("plan: %d sequential GET %s after %d warm-up: p50 %.1f ms  p90 %.1f ms  max %.1f ms (min %.1f); %d bytes, %d services, "
          "%d destinations, %d VRRP instance(s), %d change step(s), inSync=%s"
          % (a.n, path, a.warmup, res["p50"], res["p90"], res["max"], res["min"], size, len(services), dests, vrrp,
             res["changes"], res["inSync"]))
    append_json(a.json, res)
    if len(services) != a.expect_services or dests != a.expect_destinations:
        print("plan: expected %d services and %d destinations" % (a.expect_services, a.expect_destinations), file=sys.stderr)
        return 1
    return 0


# ---- keepalived.conf ------------------------------------------------------------------------

def cmd_keepalived_conf(a):
    out = ["# The benchmark's configuration as keepalived.conf: same VRRP instance, VIPs,",
           "# virtual and real servers and HTTP_GET checks as what bench.py seeds.",
           "global_defs {", "    router_id %s" % DIRECTORS[0][0], "}", "",
           "vrrp_instance %s {" % VRRP_NAME, "    state BACKUP", "    interface eth0", "    virtual_router_id %d" % VRID,
           "    priority %d" % DIRECTORS[0][2], "    advert_int 1",
           "    authentication {", "        auth_type PASS", "        auth_pass benchpw", "    }",
           "    virtual_ipaddress {"]
    out += ["        %s/32 dev eth0" % vip(k) for k in range(N_VIPS)]
    out += ["    }", "}", ""]
    for i in range(a.vs):
        out += ["virtual_server %s %d {" % (vip(i), vs_port(i)), "    delay_loop 6", "    lb_algo rr", "    lb_kind DR",
                "    protocol TCP"]
        for j in range(a.rs):
            out += ["    real_server %s %d {" % (rs_address(i, j), vs_port(i)), "        weight 1", "        HTTP_GET {",
                    "            url {", "                path /", "                status_code 200", "            }",
                    "            connect_timeout 3", "            retry 3", "            delay_before_retry 3", "        }",
                    "    }"]
        out += ["}", ""]
    with open(a.out, "w") as f:
        f.write("\n".join(out))
    print("keepalived.conf: %d virtual_server x %d real_server, %d lines, %d bytes -> %s"
          % (a.vs, a.rs, len(out), os.path.getsize(a.out), a.out))
    return 0


# ---- records for run.sh ----------------------------------------------------------------------

def cmd_startup_record(a):
    times = [float(x) for x in a.times.split()]
    cpu = [float(x) for x in a.cpu.split()] if a.cpu else []
    res = {"bench": "startup", "label": a.label, "times": times, "cpu": cpu, "median": round(statistics.median(times), 2),
           "max": round(max(times), 2), "target": a.target, "note": a.note}
    print("startup %s: %s s; median %.2f s, max %.2f s%s" % (a.label, " ".join("%.2f" % t for t in times), res["median"], res["max"],
          ("; CPU at UP " + " ".join("%.1f" % c for c in cpu) + " s") if cpu else ""))
    append_json(a.json, res)
    return 0


def cmd_keepalived(a):
    """Times `keepalived -t -f CONF` (configuration check: parse and validate, start
    nothing) a few times; quotes plan p50 / median check time."""
    import shutil
    import subprocess
    exe = shutil.which("keepalived") or ("/usr/sbin/keepalived" if os.path.exists("/usr/sbin/keepalived") else None)
    if exe is None:
        res = {"bench": "keepalived", "ok": False, "what": a.label, "note": "keepalived is not installed"}
        print("keepalived: not installed; no reference comparison")
        append_json(a.json, res)
        return 0
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stderr.splitlines()[:1]
    times, rcs = [], []
    for k in range(a.runs):
        with open(a.output, "w") as out:
            t = time.perf_counter()
            try:
                rc = subprocess.run([exe, "-t", "-f", a.conf], stdout=out, stderr=subprocess.STDOUT, timeout=a.timeout).returncode
            except subprocess.TimeoutExpired:
                rc = "timeout"
            times.append((time.perf_counter() - t) * 1000)
        rcs.append(rc)
    lines = sum(1 for _ in open(a.output))
    ok = all(rc == 0 for rc in rcs)
    res = {"bench": "keepalived", "what": a.label, "version": version[0] if version else "?", "times": [round(x, 1) for x in times],
           "median": round(statistics.median(times), 1), "exit": rcs, "outputLines": lines, "ok": ok}
    if not ok:
        res["note"] = "keepalived -t exited %s; %d lines of output, e.g. %r" % (rcs, lines, open(a.output).read(300))
    plan = [json.loads(x) for x in open(a.json) if '"bench": "plan"' in x] if a.json and os.path.exists(a.json) else []
    if ok and plan and a.ratio:
        res["planP50"] = plan[-1]["p50"]
        res["ratio"] = round(plan[-1]["p50"] / res["median"], 2)
    print("keepalived -t -f (%s, %s): %s ms; median %.1f ms; exit codes %s; %d lines of output%s"
          % (a.label, res["version"], " ".join("%.1f" % x for x in times), res["median"], rcs, lines,
             ("; plan p50 %.1f ms / keepalived -t %.1f ms = %.2f" % (res["planP50"], res["median"], res["ratio"])) if "ratio" in res else ""))
    append_json(a.json, res)
    return 0 if ok else 1


# ---- start-up diagnostics (bench/startup-profile.sh) ------------------------------------------

SUBSYSTEMS = [  # outermost match on the stack wins: "what was being initialised"
    ("org.hibernate.", "Hibernate ORM"), ("org.flywaydb.", "Flyway"), ("org.springdoc.", "springdoc/swagger"),
    ("io.swagger.", "springdoc/swagger"), ("org.apache.catalina.", "Tomcat"), ("org.apache.coyote.", "Tomcat"),
    ("org.apache.tomcat.", "Tomcat"), ("org.springframework.security.", "Spring Security"),
    ("org.springframework.data.", "Spring Data repositories"), ("org.h2.", "H2"), ("com.zaxxer.hikari.", "HikariCP"),
    ("org.thymeleaf.", "Thymeleaf"), ("io.micrometer.", "Micrometer/Prometheus"), ("io.prometheus.", "Micrometer/Prometheus"),
    ("org.hibernate.validator.", "Hibernate Validator"), ("tools.jackson.", "Jackson"), ("com.fasterxml.jackson.", "Jackson"),
    ("ch.qos.logback.", "logging"), ("org.springframework.boot.logging.", "logging"),
    ("io.lvscp.LvsControlPlaneApplication.main", None), ("io.lvscp.", "application code"),
    ("org.springframework.boot.actuate.", "Actuator"), ("org.springframework.web.", "Spring MVC"),
    ("org.springframework.context.annotation.ConfigurationClass", "Spring: configuration-class parsing / auto-configuration conditions"),
    ("org.springframework.context.annotation.ClassPathBeanDefinitionScanner", "Spring: component scan"),
    ("org.springframework.boot.autoconfigure.", "Spring: auto-configuration conditions"),
    ("org.springframework.boot.context.properties.", "Spring: @ConfigurationProperties binding"),
]
LEAF = [  # innermost match: "what the CPU was literally doing"
    ("java.lang.ClassLoader.defineClass", "defining classes (parse/verify)"), ("java.lang.ClassLoader.findBootstrapClass", "defining classes (parse/verify)"),
    ("java.util.zip.", "reading jars (zip/inflate)"), ("org.springframework.boot.loader.", "reading jars (Boot nested-jar loader)"),
    ("java.util.jar.", "reading jars (zip/inflate)"), ("java.lang.ClassLoader.loadClass", "class loading (lookup)"),
    ("jdk.internal.loader.", "class loading (lookup)"), ("java.lang.Class.forName", "class loading (lookup)"),
    ("java.lang.invoke.", "lambda/method-handle linkage"), ("java.lang.reflect.Proxy", "reflection"),
    ("java.lang.Class.getDeclared", "reflection"), ("java.lang.Class.getMethod", "reflection"),
    ("java.lang.Class.privateGetDeclared", "reflection"), ("sun.reflect.annotation.", "reflection"),
    ("java.lang.reflect.Executable.declaredAnnotations", "reflection"), ("java.lang.Class.getAnnotation", "reflection"),
    ("org.springframework.asm.", "Spring: reading class files (ASM)"),
    ("org.springframework.core.type.", "Spring: class metadata / annotations"),
    ("org.springframework.core.annotation.", "Spring: class metadata / annotations"),
    ("net.bytebuddy.", "bytecode generation (ByteBuddy)"), ("org.springframework.cglib.", "bytecode generation (CGLIB)"),
    ("java.util.regex.", "regular expressions"),
]


def classify(frames, table, outermost, depth=None):
    seq = list(reversed(frames)) if outermost else frames[:depth]
    for f in seq:
        for prefix, name in table:
            if f.startswith(prefix):
                if name is None:  # a frame on every stack (the main method): skip it
                    break
                return name
    return None


def cmd_jfr_summary(a):
    import subprocess
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "200", "--events", "jdk.ExecutionSample", a.jfr],
                         capture_output=True, text=True, check=True).stdout
    events = json.loads(out)["recording"]["events"]
    by_sub, by_leaf, by_thread, by_pkg = {}, {}, {}, {}
    n = 0
    for e in events:
        v = e["values"]
        st = v.get("stackTrace") or {}
        frames = []
        for fr in st.get("frames", []):
            m = fr.get("method") or {}
            t = (m.get("type") or {}).get("name", "?").replace("/", ".")
            frames.append("%s.%s" % (t, m.get("name", "?")))
        if not frames:
            continue
        n += 1
        th = (v.get("sampledThread") or {}).get("javaName") or "?"
        th = "main" if th == "main" else ("background-preinit" if "preinit" in th else th.rstrip("0123456789-") or th)
        by_thread[th] = by_thread.get(th, 0) + 1
        sub = classify(frames, SUBSYSTEMS, outermost=True) or (
            "Spring: bean creation (other)" if any(f.startswith("org.springframework.beans.") for f in frames)
            else "Spring Boot launcher / other" if any(f.startswith("org.springframework.") for f in frames) else "JDK / other")
        by_sub[sub] = by_sub.get(sub, 0) + 1
        leaf = classify(frames, LEAF, outermost=False, depth=25) or "other (framework/JDK code itself)"
        by_leaf[leaf] = by_leaf.get(leaf, 0) + 1
        pkg = ".".join(frames[0].split(".")[:3])
        by_pkg[pkg] = by_pkg.get(pkg, 0) + 1

    def show(title, d, k=12):
        print(title)
        for name, c in sorted(d.items(), key=lambda x: -x[1])[:k]:
            print("  %5.1f%%  %5d  %s" % (100.0 * c / n, c, name))

    print("JFR execution samples (Java threads only; JIT compiler and GC threads are not sampled): %d" % n)
    show("By thread:", by_thread, 6)
    show("By subsystem being initialised (outermost matching frame):", by_sub, 16)
    show("By what the CPU was doing (innermost matching frame):", by_leaf, 14)
    show("By package of the top frame:", by_pkg, 12)
    return 0


def cmd_thread_cpu(a):
    """CPU seconds used so far by each thread of a live process, grouped by thread name."""
    import re
    tck = os.sysconf("SC_CLK_TCK")
    groups = {}
    total = 0.0
    for tid in os.listdir("/proc/%d/task" % a.pid):
        try:
            with open("/proc/%d/task/%s/stat" % (a.pid, tid)) as f:
                raw = f.read()
        except OSError:
            continue
        name = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw.rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / tck
        total += cpu
        key = re.sub(r"[#-]?\d+$", "", name).strip() or name
        key = {"java": "main (java)"}.get(key, key)
        if "CompilerThre" in key:
            key = key.split()[0] + " JIT compiler"
        elif key.startswith(("GC Thread", "G1 ")):
            key = "GC (G1 threads)"
        groups[key] = groups.get(key, 0.0) + cpu
    print("JVM CPU by thread at health UP: %.1f s in total" % total)
    for k, v in sorted(groups.items(), key=lambda x: -x[1])[:10]:
        print("  %6.2f s  %4.1f%%  %s" % (v, 100 * v / total if total else 0, k))
    return 0


def cmd_log_timeline(a):
    """Key moments of a Spring Boot start-up log, relative to the first log line."""
    import re
    from datetime import datetime
    marks = [("Starting LvsControlPlaneApplication", "SpringApplication starts (logging up)"), ("No active profile", "environment prepared"),
             ("Bootstrapping Spring Data", "bean definitions: Spring Data scan begins"),
             ("Finished Spring Data repository scanning", "Spring Data scan done"),
             ("Tomcat initialized", "Tomcat created"), ("initialization completed in", "bean definitions loaded, singletons start"),
             ("HikariPool-1 - Start completed", "H2 pool up"), ("Successfully applied", "Flyway migrated"),
             ("Schema \"PUBLIC\" is up to date", "Flyway: up to date"),
             ("Processing PersistenceUnitInfo", "Hibernate starts"),
             ("Initialized JPA EntityManagerFactory", "Hibernate done"), ("Exposing", "Actuator endpoints exposed"),
             ("Tomcat started", "Tomcat listening"), ("Started ", "context refreshed")]
    first = None
    for line in open(a.log, errors="replace"):
        m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)", line)
        if not m:
            continue
        t = datetime.fromisoformat(m.group(1))
        if first is None:
            first = t
        for key, what in marks:
            if key in line:
                msg = line.split(" : ", 1)[-1].strip()
                print("  +%6.2f s  %-45s %s" % ((t - first).total_seconds(), what, msg[:110]))
                break
    return 0


# ---- summary ---------------------------------------------------------------------------------

def cmd_summary(a):
    rows = [json.loads(line) for line in open(a.json) if line.strip()]
    by = {}
    for r in rows:
        by.setdefault(r["bench"], []).append(r)
    print("| benchmark | result | target | verdict |")
    print("|---|---|---|---|")
    for s in by.get("startup", []):
        t = s["times"]
        tg = s.get("target")
        verdict = ("" if tg is None else "PASS" if s["max"] < tg else "median PASS, max FAIL" if s["median"] < tg else "FAIL")
        cpu = (" (JVM CPU s at UP: %s)" % ", ".join("%.1f" % x for x in s["cpu"])) if s.get("cpu") else ""
        note = (" [%s]" % s["note"]) if s.get("note") else ""
        print("| startup to health UP, %s%s | %s s; median %.2f s, max %.2f s%s | < %s s | %s |"
              % (s["label"], note, ", ".join("%.2f" % x for x in t), s["median"], s["max"], cpu, tg or "-", verdict or "(info)"))
    for s in by.get("seed", []):
        print("| seed %d VS x %d RS over REST | %d POSTs in %.1f s (%.0f req/s, %d connections) | - | (info) |"
              % (s["virtualServers"], s["realServers"] // max(1, s["virtualServers"]), s["requests"], s["seconds"],
                 s["requestsPerSecond"], s["workers"]))
    for s in by.get("list", []):
        verdict = "PASS" if s["p99"] < 50 and s["errors"] == 0 else "FAIL"
        fl = (" [service JVM flags: %s]" % s["flags"]) if s.get("flags") else ""
        print("| list VS page (size %d), open loop %g req/s x %gs%s | n=%d, errors %d, achieved %.1f req/s; p50 %.1f, p90 %.1f, p99 %.1f, max %.1f ms | p99 < 50 ms | %s |"
              % (s["size"], s["rate"], s["seconds"], fl, s["count"], s["errors"], s["achievedRate"], s["p50"], s["p90"], s["p99"],
                 s["max"], verdict))
    for s in by.get("plan", []):
        verdict = "PASS" if s["max"] < 300 else ("PASS (p50; max over)" if s["p50"] < 300 else "FAIL")
        fl = (" [service JVM flags: %s]" % s["flags"]) if s.get("flags") else ""
        print("| GET plan of %s (%d services, %d destinations, %d bytes)%s | p50 %.1f, p90 %.1f, max %.1f ms (n=%d) | < 300 ms | %s |"
              % (s["node"], s["services"], s["destinations"], s["bytes"], fl, s["p50"], s["p90"], s["max"], s["n"], verdict))
    for s in by.get("keepalived", []):
        if s.get("ok"):
            ratio = ("plan p50 %.1f ms / %.1f ms = **%.2f**" % (s["planP50"], s["median"], s["ratio"])) if "ratio" in s else "(info)"
            print("| `keepalived -t -f` config check (%s; %s) | %s ms; median %.1f ms | reference | %s |"
                  % (s["what"], s["version"], ", ".join("%.1f" % x for x in s["times"]), s["median"], ratio))
        else:
            print("| keepalived -t -f | not measured: %s | reference | n/a |" % s.get("note", "?"))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    w = sub.add_parser("wait-up")
    w.add_argument("--port", type=int, required=True)
    w.add_argument("--pid", type=int)
    w.add_argument("--timeout", type=float, default=120)
    w.add_argument("--interval", type=float, default=0.05)

    s = sub.add_parser("seed")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--vs", type=int, default=N_VS)
    s.add_argument("--rs", type=int, default=N_RS)
    s.add_argument("--workers", type=int, default=4)
    s.add_argument("--json")

    li = sub.add_parser("list")
    li.add_argument("--port", type=int, required=True)
    li.add_argument("--cluster", default=CLUSTER)
    li.add_argument("--rate", type=float, default=100)
    li.add_argument("--duration", type=float, default=30)
    li.add_argument("--warmup", type=float, default=5)
    li.add_argument("--size", type=int, default=50)
    li.add_argument("--workers", type=int, default=32)
    li.add_argument("--timeout", type=float, default=10)
    li.add_argument("--seed", type=int, default=42)
    li.add_argument("--flags", default="")
    li.add_argument("--json")

    pl = sub.add_parser("plan")
    pl.add_argument("--port", type=int, required=True)
    pl.add_argument("--node", default=DIRECTORS[0][0])
    pl.add_argument("--warmup", type=int, default=5)
    pl.add_argument("--n", type=int, default=20)
    pl.add_argument("--expect-services", type=int, default=N_VS)
    pl.add_argument("--expect-destinations", type=int, default=N_VS * N_RS)
    pl.add_argument("--flags", default="")
    pl.add_argument("--json")

    k = sub.add_parser("keepalived-conf")
    k.add_argument("--out", required=True)
    k.add_argument("--vs", type=int, default=N_VS)
    k.add_argument("--rs", type=int, default=N_RS)

    sr = sub.add_parser("startup-record")
    sr.add_argument("--label", required=True)
    sr.add_argument("--times", required=True)
    sr.add_argument("--cpu", default="")
    sr.add_argument("--target", type=float)
    sr.add_argument("--note", default="")
    sr.add_argument("--json")

    ka = sub.add_parser("keepalived")
    ka.add_argument("--conf", required=True)
    ka.add_argument("--label", required=True)
    ka.add_argument("--runs", type=int, default=5)
    ka.add_argument("--timeout", type=float, default=60)
    ka.add_argument("--output", required=True)
    ka.add_argument("--json")
    ka.add_argument("--ratio", action="store_true", help="quote the last plan p50 / median check time")

    js = sub.add_parser("jfr-summary")
    js.add_argument("jfr")

    tc = sub.add_parser("thread-cpu")
    tc.add_argument("--pid", type=int, required=True)

    lt = sub.add_parser("log-timeline")
    lt.add_argument("log")

    su = sub.add_parser("summary")
    su.add_argument("--json", required=True)

    a = p.parse_args()
    return {"wait-up": cmd_wait_up, "seed": cmd_seed, "list": cmd_list, "plan": cmd_plan,
            "keepalived-conf": cmd_keepalived_conf, "startup-record": cmd_startup_record,
            "keepalived": cmd_keepalived, "jfr-summary": cmd_jfr_summary, "log-timeline": cmd_log_timeline, "thread-cpu": cmd_thread_cpu,
            "summary": cmd_summary}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
