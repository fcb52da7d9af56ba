#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fault-injecting HTTP/1.1 reverse proxy for tests (python3 stdlib only).

    fault_proxy.py --upstream http://127.0.0.1:PORT

Binds 127.0.0.1 on a free port, prints PORT=<n>, exits when stdin closes. Every request
whose path does not start with /__ is forwarded to the upstream (moto, http_origin.py)
with its headers (Range included) and body streamed both ways in 64 KiB chunks, so
100 MiB objects never sit in memory. Client connections are kept alive.

Control protocol (JSON bodies and replies):

  POST /__faults   {"<KEY>": [<ACTION>, ...], ...}
      Appends actions to the queue of each KEY. Each request takes (and removes) the first
      action of the first matching non-empty queue; with no action left it passes through.
      KEY forms, tried in this order:
        "GET /bucket/key"    method + exact path (query string ignored)
        "PUT /bucket/key*"   method + prefix of path-with-query ("*" as method: any method);
                             a "*" elsewhere is a glob: "GET /bucket/run/*.tar.zst"
        "*"                  any request
      ACTION forms:
        200 or "pass"        forward unchanged
        503 (any int)        answer that status without contacting the upstream, with an
                             S3-style XML error body (code from the status: 503 SlowDown,
                             500 InternalError, 403 AccessDenied, 404 NoSuchKey, ...)
        {"status": 503, "code": "SlowDown", "retry_after": 1, "message": "..."}
                             the same with an explicit code, message and Retry-After (an int
                             or a string such as an HTTP-date)
        "reset@N"            forward; send the headers and N body bytes, then RST the
                             connection (SO_LINGER 0)
        "truncate@N"         forward; send the headers (original Content-Length) and N body
                             bytes, then close cleanly (FIN)
        "slow@BPS"           forward with the body throttled to about BPS bytes/s
        "wrong-length@D"     forward advertising Content-Length + D ("wrong-length" = +1);
                             D > 0 sends the whole body then closes, D < 0 sends only the
                             advertised (short) body then closes
        "delay@MS"           wait MS milliseconds, then forward
        "stall@N"            forward; send the headers and N body bytes, then send nothing
                             more, keeping the connection open until the client gives up
        "drop"               read the request, then close without any response
      Reply: {"ok": true}; 400 {"error": "..."} for an unknown action (nothing is queued).
  GET /__stats     {"requests": {"GET /bucket/key": 2, ...}, "total": 3, "connections": 2,
                    "in_flight_max": most forwarded requests in flight at once,
                    "in_flight_max_after_faults": the same, counting only requests that
                    began after the last status answer injected (0 before any),
                    "pending": {"<KEY>": [<actions left>]}}  (control requests not counted)
  POST /__reset    forgets all queued faults, counters and the connection count.
"""
import argparse
import fnmatch
import http.client
import json
import select
import socket
import struct
import threading
import time
from collections import deque
from urllib.parse import urlsplit

from local_http import KeepAliveHandler, serve

CHUNK = 64 * 1024
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade",
              "expect", "transfer-encoding"}
ERROR_CODES = {400: "BadRequest", 403: "AccessDenied", 404: "NoSuchKey", 408: "RequestTimeout",
               409: "Conflict", 429: "TooManyRequests", 500: "InternalError",
               501: "NotImplemented", 502: "BadGateway", 503: "SlowDown", 504: "GatewayTimeout"}

LOCK = threading.Lock()
FAULTS = {}  # key -> deque of parsed actions, insertion-ordered
STATS = {"requests": {}, "total": 0, "connections": 0, "in_flight_max": 0,
         "in_flight_max_after_faults": 0}
IN_FLIGHT = {}  # forwarded requests now: id -> sequence number at their start
SEQUENCE = {"next": 0, "last_fault": None}  # last_fault: "next" at the last status answer
UPSTREAM = None  # (host, port)


def parse_action(raw):
    """Validates one ACTION and returns it as a dict with a "kind"."""
    if raw == 200 or raw == "pass":
        return {"kind": "pass", "raw": raw}
    if isinstance(raw, int) and not isinstance(raw, bool):
        return {"kind": "status", "status": raw, "raw": raw}
    if isinstance(raw, dict) and isinstance(raw.get("status"), int):
        return dict(raw, kind="status", raw=raw)
    if raw == "drop":
        return {"kind": "drop", "raw": raw}
    if raw == "wrong-length":
        return {"kind": "wrong-length", "n": 1, "raw": raw}
    if isinstance(raw, str) and "@" in raw:
        kind, _, number = raw.partition("@")
        if kind in ("reset", "truncate", "slow", "wrong-length", "delay", "stall"):
            try:
                n = int(number)
            except ValueError:
                n = None
            if n is not None and (n >= 0 or kind == "wrong-length") and (n > 0 or kind != "slow"):
                return {"kind": kind, "n": n, "raw": raw}
    raise ValueError(f"unknown fault action {json.dumps(raw)}")


def matches(key, method, path, target):
    if key == "*":
        return True
    want_method, _, pattern = key.partition(" ")
    if want_method not in ("*", method):
        return False
    if pattern.endswith("*") and "*" not in pattern[:-1]:
        return target.startswith(pattern[:-1])
    if "*" in pattern:
        return fnmatch.fnmatchcase(target, pattern)
    return pattern == path


def take_action(method, path, target):
    """Pops the next action for this request (exact keys, then prefixes, then "*")."""
    with LOCK:
        ordered = sorted(FAULTS.items(),
                         key=lambda kv: 2 if kv[0] == "*" else (1 if "*" in kv[0] else 0))
        for key, queue in ordered:
            if queue and matches(key, method, path, target):
                return queue.popleft()
    return {"kind": "pass"}


class Handler(KeepAliveHandler):
    def on_connection(self):
        with LOCK:
            STATS["connections"] += 1

    def _reply(self, status, body, content_type="application/json", headers=()):
        self.send_body(status, body, content_type, headers)

    # --- request bodies -------------------------------------------------------------------
    def _body_chunks(self):
        """Yields the raw request body (chunked framing kept as-is) without buffering it."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            while True:
                line = self.rfile.readline()
                yield line
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while True:  # trailers up to the empty line
                        trailer = self.rfile.readline()
                        yield trailer
                        if trailer in (b"\r\n", b"\n", b""):
                            return
                left = size + 2  # data + CRLF
                while left > 0:
                    data = self.rfile.read(min(CHUNK, left))
                    if not data:
                        return
                    left -= len(data)
                    yield data
        left = int(self.headers.get("Content-Length") or 0)
        while left > 0:
            data = self.rfile.read(min(CHUNK, left))
            if not data:
                return
            left -= len(data)
            yield data

    def _drain(self):
        for _ in self._body_chunks():
            pass

    # --- control --------------------------------------------------------------------------
    def _control(self, path):
        body = b"".join(self._body_chunks())
        if path == "/__faults" and self.command == "POST":
            try:
                spec = json.loads(body or b"{}")
                parsed = {key: [parse_action(a) for a in actions] for key, actions in spec.items()}
            except (ValueError, AttributeError, TypeError) as error:
                return self._reply(400, json.dumps({"error": str(error)}).encode())
            with LOCK:
                for key, actions in parsed.items():
                    FAULTS.setdefault(key, deque()).extend(actions)
            return self._reply(200, b'{"ok": true}')
        if path == "/__stats" and self.command == "GET":
            with LOCK:
                reply = dict(STATS, requests=dict(STATS["requests"]),
                             pending={k: [a["raw"] for a in q] for k, q in FAULTS.items() if q})
            return self._reply(200, json.dumps(reply).encode())
        if path == "/__reset" and self.command == "POST":
            with LOCK:
                FAULTS.clear()
                STATS.update(requests={}, total=0, connections=0, in_flight_max=0,
                             in_flight_max_after_faults=0)
                SEQUENCE.update(next=0, last_fault=None)
            return self._reply(200, b'{"ok": true}')
        return self._reply(404, json.dumps({"error": f"unknown control {path}"}).encode())

    # --- faults ---------------------------------------------------------------------------
    def _error_status(self, action, path):
        self._drain()
        with LOCK:
            SEQUENCE["last_fault"] = SEQUENCE["next"]
            STATS["in_flight_max_after_faults"] = 0
        status = action["status"]
        code = action.get("code") or ERROR_CODES.get(status, "Error")
        message = action.get("message") or f"injected by fault_proxy ({status} {code})"
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                f"<Error><Code>{code}</Code><Message>{message}</Message>"
                f"<Resource>{path}</Resource><RequestId>FAULTPROXY0001</RequestId></Error>")
        headers = [("x-amz-request-id", "FAULTPROXY0001")]
        if action.get("retry_after") is not None:
            headers.append(("Retry-After", str(action["retry_after"])))
        self._reply(status, body.encode(), "application/xml", headers)

    def _reset_connection(self):
        # SO_LINGER with a zero timeout turns close() into an RST instead of a FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _hold_until_client_leaves(self, limit_seconds=300):
        """Sends nothing more; returns once the client closes (or after the limit)."""
        deadline = time.monotonic() + limit_seconds
        while time.monotonic() < deadline:
            readable, _, _ = select.select([self.connection], [], [], 0.2)
            if readable:
                try:
                    if not self.connection.recv(65536, socket.MSG_PEEK):
                        break
                except OSError:
                    break
                time.sleep(0.2)  # pipelined bytes: keep waiting for the close
        self.close_connection = True

    # --- forwarding -----------------------------------------------------------------------
    def _open_upstream(self):
        upstream = http.client.HTTPConnection(*UPSTREAM, timeout=300)
        upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            if name.lower() not in HOP_BY_HOP:
                upstream.putheader(name, value)
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            upstream.putheader("Transfer-Encoding", "chunked")
        upstream.endheaders()
        for data in self._body_chunks():
            upstream.send(data)
        return upstream, upstream.getresponse()

    def _forward(self, action):
        with LOCK:
            SEQUENCE["next"] += 1
            IN_FLIGHT[id(self)] = SEQUENCE["next"]
            STATS["in_flight_max"] = max(STATS["in_flight_max"], len(IN_FLIGHT))
            if SEQUENCE["last_fault"] is not None:
                after = sum(1 for seq in IN_FLIGHT.values() if seq > SEQUENCE["last_fault"])
                STATS["in_flight_max_after_faults"] = max(STATS["in_flight_max_after_faults"],
                                                          after)
        try:
            self._forward_counted(action)
        finally:
            with LOCK:
                IN_FLIGHT.pop(id(self), None)

    def _forward_counted(self, action):
        if action["kind"] == "delay":
            time.sleep(action["n"] / 1000)
        try:
            upstream, response = self._open_upstream()
        except (OSError, http.client.HTTPException) as error:
            self.close_connection = True
            return self._reply(502, f"fault_proxy: upstream failed: {error}\n".encode(),
                               "text/plain")
        try:
            self._relay(action, response)
        except (OSError, http.client.HTTPException):
            # Upstream or client broke mid-body: closing makes the client see the short body.
            self.close_connection = True
        finally:
            upstream.close()

    def _relay(self, action, response):
        kind, n = action["kind"], action.get("n")
        length = response.getheader("Content-Length")
        has_body = self.command != "HEAD" and response.status not in (204, 304)
        advertised = int(length) if length is not None else None
        if kind == "wrong-length" and advertised is not None:
            advertised = max(0, advertised + n)
        self.send_response_only(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        chunked = has_body and advertised is None
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif advertised is not None:
            self.send_header("Content-Length", str(advertised))
        self.end_headers()
        if not has_body:
            return
        limit = n if kind in ("reset", "truncate", "stall") else None
        if kind == "wrong-length" and n < 0:
            limit = advertised
        sent = self._copy_body(response, chunked, limit, n if kind == "slow" else None)
        if kind == "reset":
            return self._reset_connection()
        if kind == "stall":
            self.wfile.flush()
            return self._hold_until_client_leaves()
        if kind in ("truncate", "wrong-length") or (limit is not None and sent >= limit):
            self.close_connection = True
            return
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def _copy_body(self, response, chunked, limit, bps):
        sent = 0
        step = CHUNK if bps is None else max(1, bps // 10)
        while limit is None or sent < limit:
            want = step if limit is None else min(step, limit - sent)
            data = response.read(want)
            if not data:
                break
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            else:
                self.wfile.write(data)
            sent += len(data)
            if bps is not None:
                time.sleep(len(data) / bps)
        return sent

    def _handle(self):
        target = self.path
        path = urlsplit(target).path
        if path.startswith("/__"):
            return self._control(path)
        with LOCK:
            key = f"{self.command} {path}"
            STATS["requests"][key] = STATS["requests"].get(key, 0) + 1
            STATS["total"] += 1
        action = take_action(self.command, path, target)
        try:
            if action["kind"] == "status":
                return self._error_status(action, path)
            if action["kind"] == "drop":
                self._drain()
                self.close_connection = True
                return None
            return self._forward(action)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (stall test, abort)
            return None

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = do_PATCH = do_OPTIONS = _handle


def main():
    global UPSTREAM
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="http://HOST:PORT to forward to")
    args = parser.parse_args()
    parts = urlsplit(args.upstream)
    if parts.scheme != "http" or not parts.hostname:
        parser.error("--upstream must look like http://127.0.0.1:PORT")
    UPSTREAM = (parts.hostname, parts.port or 80)
    serve(Handler)


if __name__ == "__main__":
    main()
