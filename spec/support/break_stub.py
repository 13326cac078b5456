#!/usr/bin/env python3
"""Loopback stub for spec/*/sdk_break_spec.lua: answers shapes the
real Label Studio will not produce.

The first path segment names the shape; a client whose url is
http://127.0.0.1:<port>/<shape> gets that answer for every request.
Prints "READY <port> <pid>" once listening on 127.0.0.1; exits when its
parent goes away.

  html500    500, an HTML page with a script and a title
  badjson    200, Content-Type JSON, a body cut off mid-object
  html200    200, an HTML page (a proxy's login page)
  empty204   204, no body
  empty200   200, Content-Type JSON, no body
  list200    200, `[]` where an object is expected
  string200  200, `"ok"`
  echo401    401, a body that repeats the request's headers
  trunc      Content-Length 100, 10 bytes, close
"""

import http.server
import os
import socketserver
import sys
import threading
import time

HTML = (b"<!DOCTYPE html><html><head><title>Server Error (500)</title>"
        b"<style>body { color: red }</style>"
        b"<script>function f() { return 1 < 2; }</script></head>"
        b"<body><h1>Server Error (500)</h1></body></html>")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, code, ctype, body, length=None):
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length",
                         str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        shape = self.path.split("/")[1].split("?")[0]
        if shape == "html500":
            self._send(500, "text/html; charset=utf-8", HTML)
        elif shape == "badjson":
            self._send(200, "application/json", b'{"id": 1, "title": "cu')
        elif shape == "html200":
            self._send(200, "text/html", b"<html><body>Sign in</body></html>")
        elif shape == "empty204":
            self._send(204, None, b"")
        elif shape == "empty200":
            self._send(200, "application/json", b"")
        elif shape == "list200":
            self._send(200, "application/json", b"[]")
        elif shape == "string200":
            self._send(200, "application/json", b'"ok"')
        elif shape == "echo401":
            body = "".join("%s: %s\n" % kv for kv in self.headers.items())
            self._send(401, "text/plain", body.encode())
        elif shape == "trunc":
            self._send(200, "application/json", b'{"id": 1, ', length=100)
            self.close_connection = True
        else:
            self._send(404, "text/plain", b"no such shape")

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _answer


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def watch_parent(ppid):
    while os.getppid() == ppid:
        time.sleep(0.5)
    os._exit(0)


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=watch_parent, args=(os.getppid(),),
                     daemon=True).start()
    print("READY %d %d" % (srv.server_address[1], os.getpid()), flush=True)
    sys.stdout.close()
    srv.serve_forever()


if __name__ == "__main__":
    main()
