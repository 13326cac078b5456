#!/usr/bin/env python3
"""Loopback HTTP(S) server for the lsrun.http specs.

Prints "READY <port> <blackhole_port> <pid>" once listening, on
127.0.0.1 only. The blackhole port is a listener whose backlog is
full, so that connecting to it hangs (for connect timeouts). The
server exits when killed or when its parent process goes away.

Paths (query parameters in brackets):
  /echo             the request as JSON: method, path, query,
                    headers, body, body_len, sha256
  /_stats           counters as JSON; /_reset clears them
  /slow[delay]      reads the body, sleeps, answers
  /stall            sends half a body, then sleeps
  /drip[n,interval] n pieces of 10 bytes, one per interval seconds
  /truncated        Content-Length 100, 10 bytes, close
  /reset            closes the connection with a TCP reset
  /status[key,code,times,retry_after]  code for the first `times`
                    hits of `key`, then 200
  /download[size]   size bytes of a known pattern
  /redirect         302 to /echo
  /drop             as /echo when first on its connection; later on
                    a kept-alive one, reads the request and closes
                    the connection without answering
"""

import hashlib
import http.server
import json
import os
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import urllib.parse

LOCK = threading.Lock()
STATS = {}
KEYS = {}


def reset_stats():
    STATS.clear()
    STATS.update(connections=0, requests=0, in_flight=0,
                 max_in_flight=0, hits={})
    KEYS.clear()


def pattern(size):
    block = bytes(range(256))
    return (block * (size // 256 + 1))[:size]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP,
                                   socket.TCP_NODELAY, 1)
        self.served = 0
        with LOCK:
            STATS["connections"] += 1

    def log_message(self, *args):
        pass

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def answered(self):
        """Counts this request out of flight, once: before its answer
        leaves, so a client that starts the next request as soon as it
        has the answer never sees one more in flight than it sent."""
        with LOCK:
            if self.counted:
                STATS["in_flight"] -= 1
                self.counted = False

    def send(self, code, body, ctype="application/json", extra=None):
        if isinstance(body, str):
            body = body.encode()
        self.answered()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-ID", "req-%d" % STATS["requests"])
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        self.served += 1
        q = dict(urllib.parse.parse_qsl(url.query))
        with LOCK:
            STATS["requests"] += 1
            STATS["in_flight"] += 1
            STATS["max_in_flight"] = max(STATS["max_in_flight"],
                                         STATS["in_flight"])
            hits = STATS["hits"]
            hits[url.path] = hits.get(url.path, 0) + 1
            self.counted = True
        try:
            name = url.path.strip("/").replace("/", "_") or "echo"
            getattr(self, "do_" + name.lstrip("_"),
                    self.do_echo)(url, q)
        finally:
            self.answered()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any
    do_HEAD = do_OPTIONS = handle_any

    def do_echo(self, url, q):
        body = self.read_body()
        self.send(200, json.dumps({
            "method": self.command, "path": url.path,
            "query": url.query, "headers": dict(self.headers.items()),
            "body": body.decode("utf-8", "replace"),
            "body_len": len(body),
            "sha256": hashlib.sha256(body).hexdigest()}))

    def do_stats(self, url, q):
        with LOCK:
            text = json.dumps(STATS)
        self.send(200, text)

    def do_reset(self, url, q):
        if url.path == "/_reset":
            with LOCK:
                reset_stats()
                STATS["in_flight"] = 1
            return self.send(200, "{}")
        self.read_body()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def do_slow(self, url, q):
        self.read_body()
        time.sleep(float(q.get("delay", "1")))
        self.send(200, "{}")

    def do_drip(self, url, q):
        n, pause = int(q.get("n", "4")), float(q.get("interval", "0.5"))
        self.read_body()
        self.send_response(200)
        self.send_header("Content-Length", str(10 * n))
        self.end_headers()
        for _ in range(n):
            time.sleep(pause)
            self.wfile.write(b"d" * 10)
            self.wfile.flush()

    def do_stall(self, url, q):
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        self.wfile.write(b"x" * 50)
        self.wfile.flush()
        time.sleep(float(q.get("delay", "5")))
        self.close_connection = True

    def do_truncated(self, url, q):
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        self.wfile.write(b"y" * 10)
        self.wfile.flush()
        self.close_connection = True

    def do_status(self, url, q):
        self.read_body()
        key = q.get("key", "")
        with LOCK:
            n = KEYS[key] = KEYS.get(key, 0) + 1
        extra = {}
        if "retry_after" in q:
            extra["Retry-After"] = q["retry_after"]
        if n <= int(q.get("times", "1")):
            return self.send(int(q.get("code", "503")),
                             '{"detail": "busy"}', extra=extra)
        self.send(200, json.dumps({"hits": n}))

    def do_download(self, url, q):
        self.send(200, pattern(int(q.get("size", "1000"))),
                  "application/octet-stream")

    def do_drop(self, url, q):
        if self.served == 1:
            return self.do_echo(url, q)
        self.read_body()
        self.close_connection = True

    def do_cookies(self, url, q):
        self.send_response(200)
        self.send_header("Set-Cookie", "a=1; Expires=Wed, 21 Oct 2026"
                         " 07:28:00 GMT; Path=/")
        self.send_header("Vary", "Accept")
        self.send_header("Set-Cookie", "b=2; HttpOnly")
        self.send_header("Vary", "Cookie")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_redirect(self, url, q):
        self.read_body()
        self.send(302, "", extra={"Location": "/echo?from=redirect"})


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        pass


def blackhole():
    """A listener with a full backlog: connecting to it hangs."""
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(0)
    fillers = []
    for _ in range(4):
        c = socket.socket()
        c.setblocking(False)
        try:
            c.connect(lst.getsockname())
        except BlockingIOError:
            pass
        fillers.append(c)
    time.sleep(0.1)
    return lst, fillers


def watch_parent(ppid):
    while os.getppid() == ppid:
        time.sleep(0.5)
    os._exit(0)


def main():
    reset_stats()
    srv = Server(("127.0.0.1", 0), Handler)
    if len(sys.argv) == 3:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[1], sys.argv[2])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                     do_handshake_on_connect=False)
    hole = blackhole()
    threading.Thread(target=watch_parent, args=(os.getppid(),),
                     daemon=True).start()
    print("READY %d %d %d" % (srv.server_address[1],
                              hole[0].getsockname()[1], os.getpid()),
          flush=True)
    srv.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
