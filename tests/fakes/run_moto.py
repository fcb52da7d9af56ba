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


def serve_ranges_like_s3():
    """moto reads an object whole for every GET, ranged or not, under the object's
    lock: a 4 MiB range of a 400 MB object copies 400 MB, and the ranges of one
    object queue one behind the other. On S3 a range costs what the range costs,
    and that is what the fetch's parallel ranges are built for. So the bytes of an
    object are kept once read, until it is written again, and a range is a slice.
    """
    from moto.s3.models import FakeKey

    plain = FakeKey.value

    def read(key):
        cached = key.__dict__.get("_whole_value")
        if cached is None:
            cached = plain.fget(key)
            key.__dict__["_whole_value"] = cached
        return cached

    def write(key, new_value):
        key.__dict__.pop("_whole_value", None)
        plain.fset(key, new_value)

    FakeKey.value = property(read, write)


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
    serve_ranges_like_s3()
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
