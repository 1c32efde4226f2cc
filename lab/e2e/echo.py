#!/usr/bin/env python3
"""Long-lived TCP connections through a VIP, for the failover tests in the lab kernel.

  echo.py server PORT
      a line echo server (one thread a connection), run on each real server.
  echo.py client HOST PORT LOG [--long 20] [--every 0.1] [--new-every 0.05] [--timeout 15]
      holds --long connections to HOST:PORT, each sending a line every --every seconds and
      checking that the same line comes back (read timeout --timeout: longer than a
      takeover plus TCP's retransmission back-off); alongside, a new connection every
      --new-every seconds (connect, one line, its echo, close; 0: none). Runs until SIGTERM.

The client's LOG, one event a line, times in ms since the epoch:
  T CONNECTED i            long-lived connection i is up
  T DEAD i REASON          it failed (reset, timeout, eof, mismatch, ...): counted once
  T NEWFAIL T0 REASON      a new connection begun at T0 failed
  T STAT alive=A dead=D new_ok=N new_fail=F    every second, and last at SIGTERM
"""
import signal
import socket
import sys
import threading
import time


def now_ms():
    return int(time.time() * 1000)


def server(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(256)

    def serve(conn):
        with conn:
            f = conn.makefile("rb")
            for line in f:
                conn.sendall(line)

    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


class Client:
    def __init__(self, host, port, log, long_n, every, new_every, timeout):
        self.host, self.port = host, port
        self.long_n, self.every, self.new_every, self.timeout = long_n, every, new_every, timeout
        self.out = open(log, "w", buffering=1)
        self.lock = threading.Lock()
        self.alive = 0
        self.dead = 0
        self.new_ok = 0
        self.new_fail = 0
        self.stop = threading.Event()

    def log(self, text):
        with self.lock:
            self.out.write("%d %s\n" % (now_ms(), text))

    def long_lived(self, i):
        try:
            s = socket.create_connection((self.host, self.port), timeout=5)
        except OSError as e:
            with self.lock:
                self.dead += 1
            self.log("DEAD %d connect-%s" % (i, type(e).__name__))
            return
        s.settimeout(self.timeout)
        f = s.makefile("rb")
        with self.lock:
            self.alive += 1
        self.log("CONNECTED %d" % i)
        n = 0
        reason = None
        while not self.stop.is_set():
            n += 1
            line = ("c%d-%d\n" % (i, n)).encode()
            try:
                s.sendall(line)
                got = f.readline()
                if not got:
                    reason = "eof"
                elif got != line:
                    reason = "mismatch"
            except socket.timeout:
                reason = "timeout"
            except OSError as e:
                reason = type(e).__name__
            if reason:
                break
            self.stop.wait(self.every)
        s.close()
        if reason:
            with self.lock:
                self.alive -= 1
                self.dead += 1
            self.log("DEAD %d %s" % (i, reason))

    def new_connections(self):
        while not self.stop.is_set():
            t0 = now_ms()
            try:
                with socket.create_connection((self.host, self.port), timeout=3) as s:
                    s.settimeout(3)
                    s.sendall(b"new\n")
                    if s.makefile("rb").readline() != b"new\n":
                        raise OSError("no-echo")
                with self.lock:
                    self.new_ok += 1
            except (OSError, socket.timeout) as e:
                with self.lock:
                    self.new_fail += 1
                self.log("NEWFAIL %d %s" % (t0, type(e).__name__ if str(e) != "no-echo" else "no-echo"))
            self.stop.wait(self.new_every)

    def stat(self):
        with self.lock:
            line = "STAT alive=%d dead=%d new_ok=%d new_fail=%d" % (self.alive, self.dead, self.new_ok, self.new_fail)
        self.log(line)

    def run(self):
        threads = [threading.Thread(target=self.long_lived, args=(i,), daemon=True) for i in range(self.long_n)]
        for t in threads:
            t.start()
            time.sleep(0.02)
        if self.new_every > 0:
            threading.Thread(target=self.new_connections, daemon=True).start()
        signal.signal(signal.SIGTERM, lambda *_: self.stop.set())
        while not self.stop.wait(1.0):
            self.stat()
        self.stat()


def main(argv):
    if len(argv) == 3 and argv[1] == "server":
        server(int(argv[2]))
        return 0
    if len(argv) >= 5 and argv[1] == "client":
        opts = {"--long": 20, "--every": 0.1, "--new-every": 0.05, "--timeout": 15.0}
        rest = argv[5:]
        for k, v in zip(rest[::2], rest[1::2]):
            if k not in opts:
                raise SystemExit("unknown option " + k)
            opts[k] = type(opts[k])(v)
        Client(argv[2], int(argv[3]), argv[4], opts["--long"], opts["--every"], opts["--new-every"], opts["--timeout"]).run()
        return 0
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
