#!/usr/bin/env python3
"""Helpers of bench/vrrp-timing.sh (standard library only).

  conf      write a keepalived.conf: one VRRPv3 instance at 100 ms and N virtual_server x M
            real_server with HTTP_GET, the real servers on loopback (127.x.y.z:8000-8099) of the
            namespace the service runs in
  backup    the backup keepalived.conf: one instance per VRID at priority 100
  observe   an independent listener: AF_PACKET on eth0 of the observer's namespace, one line per
            VRRP packet with the kernel's receive timestamp (SO_TIMESTAMPNS): "t src vrid prio"
  serve     HTTP servers for the health checks (asyncio, 200 "ok", connection closed)
  load      the load on the service: scrape every second, an import of a 1,000 x 10 file (repeated
            into a fresh cluster, the previous one deleted, with --import-every) and forced full GCs
            (the API rate is bench.py list)
  analyse   the gap distribution per VRID from the observer's file, over the load's window
  rss       RSS (VmRSS, kB) of a process and its children, summed
"""

import argparse
import asyncio
import base64
import json
import os
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
import urllib.request

SO_TIMESTAMPNS = 35


N_VIPS = 10


def vips(net):
    """The instance's VIPs, 10.NET.1.1-10 (virtual server i is on VIP i % 10, port 8000 + i // 10)."""
    return ["10.%d.1.%d" % (net, k + 1) for k in range(N_VIPS)]


def vrrp_instance(name, vrid, prio, net, iface="eth0"):
    return (["vrrp_instance %s {" % name, "    state BACKUP", "    interface %s" % iface, "    virtual_router_id %d" % vrid,
             "    priority %d" % prio, "    advert_int 0.1", "    virtual_ipaddress {"]
            + ["        %s/32 dev %s" % (v, iface) for v in vips(net)] + ["    }", "}", ""])


def cmd_conf(a):
    out = ["global_defs {", "    router_id %s" % a.router_id, "    vrrp_version 3"]
    if a.rt_priority:
        out += ["    vrrp_rt_priority %d" % a.rt_priority]  # keepalived's VRRP process in SCHED_RR at this priority
    out += ["}", ""]
    out += vrrp_instance(a.name, a.vrid, a.priority, a.net)
    for i in range(a.vs):
        port = 8000 + i // N_VIPS  # DR: the real servers listen on the virtual server's port
        out += ["virtual_server %s %d {" % (vips(a.net)[i % N_VIPS], port), "    delay_loop %d" % a.delay_loop,
                "    lb_algo rr", "    lb_kind DR", "    protocol TCP"]
        for j in range(a.rs):
            out += ["    real_server 127.%d.%d.%d %d {" % (1 + j, i // 250, i % 250 + 1, port), "        weight 1", "        HTTP_GET {",
                    "            url {", "                path /", "                status_code 200", "            }",
                    "            connect_timeout 3", "            retry 1", "            delay_before_retry 1", "        }", "    }"]
        out += ["}", ""]
    with open(a.out, "w") as f:
        f.write("\n".join(out))
    return 0


def cmd_backup(a):
    out = ["global_defs {", "    router_id timing-backup", "    vrrp_version 3", "}", ""]
    for k, spec in enumerate(a.instances):
        vrid, net = spec.split(":")
        out += vrrp_instance("VI_B%d" % k, int(vrid), 100, int(net))
    with open(a.out, "w") as f:
        f.write("\n".join(out))
    return 0


def cmd_observe(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
    s.bind((a.iface, 0))
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    with open(a.out, "w", buffering=1) as f:
        while True:
            data, anc, _, _ = s.recvmsg(2048, 256)
            ip = data[14:]
            if len(ip) < 24 or ip[9] != 112:
                continue
            ts = None
            for level, typ, d in anc:
                if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
                    sec, nsec = struct.unpack("qq", d[:16])
                    ts = sec + nsec / 1e9
            if ts is None:
                ts = time.time()
            ihl = (ip[0] & 15) * 4
            f.write("%.6f %s %d %d\n" % (ts, socket.inet_ntoa(ip[12:16]), ip[ihl + 1], ip[ihl + 2]))


def cmd_serve(a):
    async def handle(reader, writer):
        try:
            await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            await writer.drain()
        except Exception:
            pass
        finally:
            writer.close()

    async def main():
        servers = [await asyncio.start_server(handle, "0.0.0.0", a.port + k, backlog=1024, reuse_address=True) for k in range(a.ports)]
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())


def now():
    return time.time()


def cmd_load(a):
    """Scrapes every second for the duration; an import at a.import_at s; jcmd GC.run at each of a.gc_at s."""
    t0 = now()
    events = []
    auth = "Basic " + base64.b64encode(("admin:" + a.password).encode()).decode()
    scrapes = []

    def scraper():
        k = 0
        while True:
            due = t0 + k
            if due > t0 + a.duration:
                return
            time.sleep(max(0, due - now()))
            s = now()
            try:
                with urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:%d/actuator/prometheus" % a.port), timeout=30) as r:
                    n = len(r.read())
                scrapes.append((now() - s, n))
            except Exception as e:
                scrapes.append((now() - s, -1))
                print("scrape failed: %s" % e, file=sys.stderr)
            k += 1

    def call(what, method, path, body=None, headers=None):
        s = now()
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (a.port, path), data=body, method=method,
                                     headers=dict(headers or {}, Authorization=auth))
        try:
            with urllib.request.urlopen(req, timeout=600) as r:
                code = r.status
                r.read()
        except urllib.error.HTTPError as e:
            code = e.code
            print(e.read()[:2000].decode(errors="replace"), file=sys.stderr)
        except Exception as e:
            code = -1
            print("%s failed: %s" % (what, e), file=sys.stderr)
        events.append({"what": what, "start": s, "end": now(), "status": code})

    def importer():
        # the first import at a.import_at into a.import_cluster; with a.import_every > 0, every a.import_every s
        # after it (while inside the duration) the previous imported cluster is deleted (cascade) and the same
        # file is imported into a fresh cluster, so the load lasts the whole run with one extra cluster at most
        with open(a.import_file, "rb") as f:
            body = f.read()
        k, prev = 0, None
        while k == 0 or (a.import_every > 0 and a.import_at + k * a.import_every <= a.duration):
            time.sleep(max(0, t0 + a.import_at + k * a.import_every - now()))
            name = a.import_cluster if k == 0 else "%s-%d" % (a.import_cluster, k)
            if prev:
                call("delete " + prev, "DELETE", "/api/v1/clusters/%s?cascade=true" % prev)
            q = "cluster=%s&file=keepalived.conf&directors=keepalived.conf%%3D%s%%40%s" % (name, a.import_node, a.import_address)
            call("import " + name, "POST", "/api/v1/import/keepalived?" + q, body, {"Content-Type": "text/plain"})
            prev, k = name, k + 1

    def gcs():
        for at in a.gc_at:
            time.sleep(max(0, t0 + at - now()))
            s = now()
            r = subprocess.run(["jcmd", str(a.pid), "GC.run"], capture_output=True, text=True)
            e = {"what": "GC.run", "start": s, "end": now(), "status": r.returncode}
            # the live set just after the full GC (the heap the service needs), from the GC's own report
            h = subprocess.run(["jcmd", str(a.pid), "GC.heap_info"], capture_output=True, text=True).stdout
            for word in h.split(","):
                if word.strip().startswith("used"):
                    e["heap_used_after"] = word.strip()
                    break
            for line in h.splitlines():
                if "total" in line and "used" in line:
                    e["heap"] = " ".join(line.split())
                    break
            events.append(e)

    threads = [threading.Thread(target=f, daemon=True) for f in (scraper, importer, gcs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(a.duration + 600)
    ok = [d for d, n in scrapes if n > 0]
    res = {"t0": t0, "end": now(), "events": events, "scrapes": len(scrapes), "scrape_failures": len(scrapes) - len(ok),
           "scrape_p50_ms": round(statistics.median(ok) * 1000, 1) if ok else None,
           "scrape_max_ms": round(max(ok) * 1000, 1) if ok else None, "scrape_bytes": max([n for _, n in scrapes] or [0])}
    with open(a.json, "w") as f:
        json.dump(res, f)
    print(json.dumps(res))
    return 0 if all(e["status"] in (0, 200, 204) for e in events) and len(ok) > 0 else 1


def pct(sorted_vals, p):
    if not sorted_vals:
        return float("nan")
    k = max(0, min(len(sorted_vals) - 1, int(-(-p * len(sorted_vals) // 100)) - 1))
    return sorted_vals[k]


def cmd_analyse(a):
    t_from, t_to = a.start, a.end
    rows = []
    with open(a.file) as f:
        for line in f:
            p = line.split()
            if len(p) == 4:
                rows.append((float(p[0]), p[1], int(p[2]), int(p[3])))
    out = {}
    for spec in a.vrid:
        label, vrid, master = spec.split(":")
        vrid = int(vrid)
        mine = [r for r in rows if r[2] == vrid]
        window = [r for r in mine if t_from <= r[0] <= t_to]
        adverts = [r[0] for r in window if r[1] == master and r[3] > 0]
        others = [r for r in window if r[1] != master or r[3] == 0]
        gaps = sorted((b - x) * 1000 for x, b in zip(adverts, adverts[1:]))
        out[label] = {"vrid": vrid, "master": master, "adverts": len(adverts), "gaps": len(gaps),
                      "p50": round(pct(gaps, 50), 2), "p90": round(pct(gaps, 90), 2), "p99": round(pct(gaps, 99), 2), "p99.9": round(pct(gaps, 99.9), 2),
                      "max": round(gaps[-1], 2) if gaps else None,
                      "over_110ms": sum(1 for g in gaps if g > 110), "over_200ms": sum(1 for g in gaps if g > 200),
                      "over_361ms": sum(1 for g in gaps if g > 361),
                      "other_senders_or_prio0": len(others), "other_senders": sorted({r[1] for r in others})}
    print(json.dumps(out, indent=1))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f)
    return 0


def rss_kb(pid):
    total = 0
    pids = [pid]
    try:
        kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        pids += [int(k) for k in kids]
    except Exception:
        pass
    for p in pids:
        try:
            with open("/proc/%d/status" % p) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def cmd_rss(a):
    if a.watch:
        peak = 0
        samples = []
        end = now() + a.watch
        while now() < end:
            v = sum(rss_kb(p) for p in a.pid)
            samples.append(v)
            peak = max(peak, v)
            time.sleep(1)
        print(json.dumps({"peak_kb": peak, "median_kb": statistics.median(samples) if samples else 0, "samples": len(samples)}))
    else:
        print(sum(rss_kb(p) for p in a.pid))
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("conf")
    c.add_argument("--out", required=True)
    c.add_argument("--router-id", required=True)
    c.add_argument("--name", required=True)
    c.add_argument("--vrid", type=int, required=True)
    c.add_argument("--priority", type=int, default=150)
    c.add_argument("--net", type=int, required=True, help="the VIPs are 10.NET.1.1-10")
    c.add_argument("--vs", type=int, default=1000)
    c.add_argument("--rs", type=int, default=10)
    c.add_argument("--delay-loop", type=int, default=10)
    c.add_argument("--rt-priority", type=int, default=0, help="vrrp_rt_priority in global_defs (0: none, keepalived's default)")
    b = sub.add_parser("backup")
    b.add_argument("--out", required=True)
    b.add_argument("instances", nargs="+", help="VRID:NET (the VIPs 10.NET.1.1-10)")
    o = sub.add_parser("observe")
    o.add_argument("--iface", default="eth0")
    o.add_argument("--out", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--ports", type=int, default=100)
    ld = sub.add_parser("load")
    ld.add_argument("--port", type=int, required=True)
    ld.add_argument("--pid", type=int, required=True)
    ld.add_argument("--password", required=True)
    ld.add_argument("--duration", type=float, required=True)
    ld.add_argument("--import-at", type=float, required=True)
    ld.add_argument("--import-file", required=True)
    ld.add_argument("--import-every", type=float, default=0, help="repeat: delete the last imported cluster, import into a fresh one")
    ld.add_argument("--import-cluster", default="timing2")
    ld.add_argument("--import-node", default="timing2-lvs1")
    ld.add_argument("--import-address", default="10.202.0.9")
    ld.add_argument("--gc-at", type=float, nargs="*", default=[])
    ld.add_argument("--json", required=True)
    an = sub.add_parser("analyse")
    an.add_argument("--file", required=True)
    an.add_argument("--start", type=float, required=True)
    an.add_argument("--end", type=float, required=True)
    an.add_argument("--vrid", nargs="+", required=True, help="LABEL:VRID:MASTER_ADDRESS")
    an.add_argument("--json")
    r = sub.add_parser("rss")
    r.add_argument("--pid", type=int, nargs="+", required=True)
    r.add_argument("--watch", type=float, default=0)
    a = p.parse_args()
    return {"conf": cmd_conf, "backup": cmd_backup, "observe": cmd_observe, "serve": cmd_serve, "load": cmd_load,
            "analyse": cmd_analyse, "rss": cmd_rss}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
