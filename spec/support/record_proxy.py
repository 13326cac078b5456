"""A recording HTTP proxy on loopback, for the bulk specs.

    record_proxy.py UPSTREAM_URL

Forwards every request to UPSTREAM_URL and remembers, in arrival
order, what reached it: the method, the request target as received
(path and raw query), the answer's status and its body when it is
JSON. GET /_proxy/log answers that list as JSON (and is not itself
recorded); GET /_proxy/reset clears it. Prints "READY <port> <pid>"
once it listens on 127.0.0.1.

A request is recorded when it arrives, before it is forwarded, so the
list counts what the client sent, answered or not.
"""
import http.client
import json
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAM = urllib.parse.urlsplit(sys.argv[1])
LOCK = threading.Lock()
LOG = []
SKIP = ("host", "connection", "transfer-encoding", "content-length",
        "keep-alive")


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, headers, data):
        self.send_response(status)
        for k, v in headers:
            if k.lower() not in SKIP:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def control(self):
        with LOCK:
            if self.path == "/_proxy/reset":
                LOG.clear()
            data = json.dumps(LOG).encode()
        self.answer(200, [("Content-Type", "application/json")], data)

    def forward(self, body):
        up = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port,
                                        timeout=600)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in SKIP}
        up.request(self.command, self.path, body=body, headers=headers)
        res = up.getresponse()
        data = res.read()
        up.close()
        return res, data

    def handle_any(self):
        if self.path.startswith("/_proxy/"):
            return self.control()
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        entry = {"method": self.command, "target": self.path}
        with LOCK:
            LOG.append(entry)
        res, data = self.forward(body)
        entry["status"] = res.status
        if "json" in (res.getheader("Content-Type") or ""):
            try:
                entry["body"] = json.loads(data)
            except ValueError:
                pass
        self.answer(res.status, res.getheaders(), data)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = handle_any


def main():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    srv.daemon_threads = True
    print(f"READY {srv.server_address[1]} {os.getpid()}", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
