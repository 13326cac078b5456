#!/usr/bin/env python3
"""Serves recorded Label Studio responses on 127.0.0.1 (DESIGN.md
decision 5: only for paths that Label Studio Enterprise alone takes).

Usage: recorded.py <script.json> <log file>
The script maps "METHOD /path" to a list of responses, each
{"status": n, "body": <json>}; they are served in order and the last
one repeats. Every request is appended to the log as one JSON line
{method, path, query, body}. Prints "READY <port> <pid>" when
listening; exits when its parent goes away.
"""

import http.server
import json
import os
import sys
import threading
import time
import urllib.parse

SCRIPT = json.load(open(sys.argv[1]))
LOG = sys.argv[2]
HITS = {}
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8", "replace") if n else ""
        key = "%s %s" % (self.command, url.path)
        with LOCK:
            with open(LOG, "a") as f:
                f.write(json.dumps({"method": self.command,
                                    "path": url.path, "query": url.query,
                                    "body": body}) + "\n")
            answers = SCRIPT.get(key)
            i = HITS.get(key, 0)
            HITS[key] = i + 1
        if answers is None:
            answer = {"status": 404, "body": {"detail": "not recorded"}}
        else:
            answer = answers[min(i, len(answers) - 1)]
        data = json.dumps(answer["body"]).encode()
        self.send_response(answer["status"])
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = handle_any


def watch_parent(ppid):
    while os.getppid() == ppid:
        time.sleep(0.5)
    os._exit(0)


def main():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=watch_parent, args=(os.getppid(),),
                     daemon=True).start()
    print("READY %d %d" % (srv.server_address[1], os.getpid()), flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
