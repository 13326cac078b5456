"""A loopback listener that stands where Label Studio would be and
captures what lsrun sends it (DESIGN.md decision 5: requests the real
server would send off this machine, Azure storage, are checked this
way).

    python3 ls_storage_capture.py STATUS BODY_FILE CAPTURE_FILE

Prints "READY <port> <pid>", then answers every request with STATUS and the
JSON in BODY_FILE, and appends one JSON line per request to
CAPTURE_FILE: method, path, headers, body.
"""

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATUS = int(sys.argv[1])
with open(sys.argv[2], "rb") as f:
    BODY = f.read()
CAPTURE = sys.argv[3]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8", "replace") if n else ""
        record = {"method": self.command, "path": self.path,
                  "headers": dict(self.headers.items()), "body": body}
        with open(CAPTURE, "a") as f:
            f.write(json.dumps(record) + "\n")
        self.send_response(STATUS)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("READY %d %d" % (server.server_address[1], os.getpid()), flush=True)
server.serve_forever()
