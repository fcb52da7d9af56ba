#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs moto's S3-compatible server on 127.0.0.1 at a free port.

Prints `PORT=<n>` once listening and exits when stdin closes (the test harness
contract of tests/support). Usage: run_moto.py [--port N]
"""
import argparse
import os
import sys
import threading

# moto needs some credentials and a region to exist; these are dummies that
# never leave the machine.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-2")
os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")

from werkzeug.serving import make_server, WSGIRequestHandler  # noqa: E402
from moto.server import DomainDispatcherApplication, create_backend_app  # noqa: E402


class QuietHandler(WSGIRequestHandler):
    # HTTP/1.1 responses, as real S3 sends; werkzeug still closes each
    # connection after one response, so clients cannot keep connections alive.
    protocol_version = "HTTP/1.1"

    def log_request(self, *args, **kwargs):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", args.port, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"PORT={server.server_address[1]}", flush=True)
    try:
        sys.stdin.read()  # returns at EOF: the parent closed our stdin or died
    except KeyboardInterrupt:
        pass
    server.shutdown()


if __name__ == "__main__":
    main()
