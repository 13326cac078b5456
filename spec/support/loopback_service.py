#!/usr/bin/env python3
"""Loopback HTTP service for the webhook and ML backend specs.

Prints "READY <port> <pid>" once listening on 127.0.0.1. Every
request other than /_log is recorded; GET /_log gives them as a JSON
list of {method, path, body} (body decoded from JSON when it is) and
/_clear forgets them. It plays a user's ML backend:
  GET  /health   {"status": "UP", "model_class": "LoopbackModel"}
  POST /setup    {"model_version": "loopback-1"}
  POST /predict  one Choices prediction per task, choosing the first
                 choice of the control named in the path's query
                 (?from=<control>&to=<object>&choice=<value>)
  GET  /versions {"versions": ["loopback-1", "loopback-0"]}
  POST /train, /webhook and any other path: {"status": "ok"}
It exits when killed or when its parent process goes away.
"""

import http.server
import json
import os
import sys
import threading
import time
import urllib.parse

LOCK = threading.Lock()
LOG = []
MODEL = {"from": "sentiment", "to": "text", "choice": "Positive"}


def predictions(body):
    tasks = body.get("tasks", []) if isinstance(body, dict) else []
    return {"results": [{
        "model_version": "loopback-1", "score": 0.75,
        "result": [{"from_name": MODEL["from"], "to_name": MODEL["to"],
                    "type": "choices",
                    "value": {"choices": [MODEL["choice"]]}}],
    } for _ in tasks]}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, obj, code=200):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        url = urllib.parse.urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        if path == "/_log":
            with LOCK:
                return self.send(list(LOG))
        if path == "/_clear":
            with LOCK:
                LOG.clear()
            return self.send({})
        if path == "/_model":
            for k, v in urllib.parse.parse_qsl(url.query):
                MODEL[k] = v
            return self.send(MODEL)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        with LOCK:
            LOG.append({"method": self.command, "path": path,
                        "body": body})
        if path == "/health":
            return self.send({"status": "UP",
                              "model_class": "LoopbackModel"})
        if path == "/setup":
            return self.send({"model_version": "loopback-1"})
        if path == "/predict":
            return self.send(predictions(body))
        if path == "/versions":
            return self.send({"versions": ["loopback-1", "loopback-0"]})
        return self.send({"status": "ok"})

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer


def watch_parent(ppid):
    while os.getppid() == ppid:
        time.sleep(0.5)
    os._exit(0)


def main():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    threading.Thread(target=watch_parent, args=(os.getppid(),),
                     daemon=True).start()
    print("READY %d %d" % (srv.server_address[1], os.getpid()),
          flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
