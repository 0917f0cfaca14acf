#!/usr/bin/env python3
"""An HTTP proxy in front of an S3 endpoint that injects faults, for the tests (S3ArchiveIntegrationTests).

    s3-fault-proxy.py UPSTREAM_URL PORT_FILE [--no-faults]

Listens on a free loopback port (written to PORT_FILE) and forwards each request to UPSTREAM_URL, headers and
body unchanged (so SigV4 signatures still hold), except that, counting requests from 1:
  - every 7th (n % 7 == 3) gets a 500 InternalError without being forwarded;
  - every 11th (n % 11 == 5) has its connection dropped without an answer (not forwarded);
  - every 13th (n % 13 == 8) is forwarded, then its connection is dropped before the answer (the request took
    effect; the client never hears it, and its retry meets what it did);
  - every 17th (n % 17 == 12) waits 1.5 s before it is forwarded (a stall).
With --no-faults it only forwards, printing `put n=N bytes=B PATH` for each PUT or POST with a body (what
bench/archive-s3-lag sums). Each fault is printed as one line `fault=KIND n=N METHOD PATH`. Stop it with a signal (nothing to clean up).
"""
import http.client
import os
import http.server
import socket
import sys
import threading
import time
import urllib.parse

upstream = urllib.parse.urlsplit(sys.argv[1])
port_file = sys.argv[2]
faults = "--no-faults" not in sys.argv[3:]
lock = threading.Lock()
counter = [0]
HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "te", "upgrade"}


def fault(kind, n, handler):
    print(f"fault={kind} n={n} {handler.command} {handler.path.split('?')[0]}", flush=True)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def handle_any(self):
        with lock:
            counter[0] += 1
            n = counter[0]
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        if not faults:
            if self.command in ("PUT", "POST") and length:
                print(f"put n={n} bytes={length} {self.path.split('?')[0]}", flush=True)
        elif n % 7 == 3:
            fault("500", n, self)
            payload = b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>InternalError</Code>" \
                      b"<Message>injected by s3-fault-proxy</Message></Error>"
            self.send_response(500)
            self.send_header("content-type", "application/xml")
            self.send_header("content-length", str(len(payload) if self.command != "HEAD" else 0))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
            return
        elif n % 11 == 5:
            fault("drop", n, self)
            return self.drop()
        elif n % 17 == 12:
            fault("stall", n, self)
            time.sleep(1.5)
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        connection.request(self.command, self.path, body=body if length else None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        if faults and n % 13 == 8:
            fault("lost-answer", n, self)
            return self.drop()
        self.send_response(response.status)
        for k, v in response.getheaders():
            if k.lower() not in HOP and k.lower() != "content-length":
                self.send_header(k, v)
        length = response.getheader("content-length")
        self.send_header("content-length", length if self.command == "HEAD" and length else str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
