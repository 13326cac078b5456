"""A fault-injecting HTTP proxy on loopback, for the bulk specs.

    drop_proxy.py UPSTREAM_URL PATH_PART N

Forwards every request to UPSTREAM_URL. The N-th request whose path
contains PATH_PART is forwarded too (so the server acts on it), but its
answer is dropped: the connection closes with no response. The client
has sent the request and gets nothing back. Prints "READY <port> <pid>"
once it listens on 127.0.0.1.

Every answer closes its connection, so each request comes on a fresh
one: libcurl re-sends a request by itself when a reused connection
closes without an answer, which would hide the drop.
"""
import http.client
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAM = urllib.parse.urlsplit(sys.argv[1])
PART = sys.argv[2]
DROP_AT = int(sys.argv[3])
lock = threading.Lock()
seen = {"n": 0}


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        up = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port,
                                        timeout=600)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("host", "connection")}
        up.request(self.command, self.path, body=body, headers=headers)
        res = up.getresponse()
        data = res.read()
        up.close()
        return res, data

    def handle_any(self):
        drop = False
        if PART in self.path:
            with lock:
                seen["n"] += 1
                drop = seen["n"] == DROP_AT
        res, data = self.forward()
        if drop:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.send_response(res.status)
        for k, v in res.getheaders():
            if k.lower() not in ("transfer-encoding", "connection",
                                 "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = handle_any


def main():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    srv.request_queue_size = 64
    print(f"READY {srv.server_address[1]} {os.getpid()}", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
