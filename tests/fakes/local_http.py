# SPDX-License-Identifier: MIT
"""Plumbing shared by the standard-library fakes.

KeepAliveHandler: an HTTP/1.1 request handler that keeps connections open, sends
small replies without Nagle delays and logs nothing. serve(): the harness
contract of tests/support — bind 127.0.0.1 (a free port unless given), print
`PORT=<n>`, serve until stdin reaches EOF.
"""
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class KeepAliveHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes; without NODELAY, Nagle plus the
        # client's delayed ACK add ~40 ms to every keep-alive exchange.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.on_connection()

    def on_connection(self):
        """Called once per accepted connection (subclasses count them)."""

    def log_message(self, *args):
        pass

    def send_body(self, status, body=b"", content_type="application/octet-stream", headers=()):
        """Sends a complete response; the body is left out for HEAD."""
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve(handler_class, port=0, configure=None):
    """Serves handler_class on 127.0.0.1:port until stdin closes.

    configure(server), when given, runs before the port is announced (e.g. to
    attach shared state to the server object).
    """
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_class)
    server.daemon_threads = True
    if configure is not None:
        configure(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PORT={server.server_address[1]}", flush=True)
    try:
        sys.stdin.read()  # returns at EOF: the parent closed our stdin or died
    except KeyboardInterrupt:
        pass
    server.shutdown()
