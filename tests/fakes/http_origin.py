#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A small HTTP/1.1 origin server for the transport tests (python3 stdlib only).

Binds 127.0.0.1 on a free port, prints PORT=<n>, exits when stdin closes.

Endpoints (any method unless noted):
  /echo                  JSON {method, path, query, headers: [[k, v], ...], body_length,
                         body_sha256, body (text, only when under 64 KiB)}; the request body
                         is read and hashed in chunks, never held whole.
  GET|HEAD /bytes/<n>    n bytes where byte i == i % 251; honours "Range: bytes=a-b"
                         (206 + Content-Range).
  GET /slow/<n>?bps=<b>  n bytes of the same pattern at about b bytes/s.
  GET /early-hints/<n>   an interim "103 Early Hints" (Link, X-Interim headers), then the
                         same as /bytes/<n> with an X-Final header.
  /status/<code>?retry_after=<v>&code=<S3Code>
                         that status with an S3-style XML error body and Retry-After.
  GET /__stats           JSON {"connections": <accepted TCP connections>, "requests": <n>}.
"""
import hashlib
import json
import threading
import time
from urllib.parse import parse_qs, urlsplit

from local_http import KeepAliveHandler, serve

CHUNK = 64 * 1024
STATS = {"connections": 0, "requests": 0}
LOCK = threading.Lock()


def pattern(start, end):
    """Bytes [start, end) of the deterministic pattern byte(i) = i % 251."""
    period = bytes(range(251))
    first = start % 251
    out = bytearray()
    need = end - start
    block = period[first:] + period * (need // 251 + 1)
    out += block[:need]
    return bytes(out)


class Handler(KeepAliveHandler):
    def on_connection(self):
        with LOCK:
            STATS["connections"] += 1

    def _send(self, status, body=b"", headers=(), content_type="application/octet-stream"):
        self.send_body(status, body, content_type, headers)

    def _read_body(self, on_chunk):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(on_chunk)
        length = int(self.headers.get("Content-Length") or 0)
        while length > 0:
            data = self.rfile.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            on_chunk(data)

    def _read_chunked(self, on_chunk):
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return
            on_chunk(self.rfile.read(size))
            self.rfile.readline()  # CRLF after the data

    def _handle(self):
        try:
            self._dispatch()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client (or the fault proxy) hung up

    def _dispatch(self):
        with LOCK:
            STATS["requests"] += 1
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        if url.path == "/__stats":
            self._read_body(lambda _: None)
            with LOCK:
                body = json.dumps(STATS).encode()
            return self._send(200, body, content_type="application/json")
        if parts[0] == "echo":
            return self._echo(url)
        self._read_body(lambda _: None)
        if parts[0] == "bytes" and len(parts) == 2:
            return self._bytes(int(parts[1]))
        if parts[0] == "early-hints" and len(parts) == 2:
            return self._early_hints(int(parts[1]))
        if parts[0] == "slow" and len(parts) == 2:
            return self._slow(int(parts[1]), int(query.get("bps", "1024")))
        if parts[0] == "status" and len(parts) == 2:
            return self._status(int(parts[1]), query)
        return self._send(404, b"no such endpoint\n", content_type="text/plain")

    def _echo(self, url):
        digest = hashlib.sha256()
        kept = bytearray()
        total = [0]

        def on_chunk(data):
            digest.update(data)
            total[0] += len(data)
            if len(kept) < CHUNK:
                kept.extend(data[: CHUNK - len(kept)])

        self._read_body(on_chunk)
        reply = {
            "method": self.command,
            "path": url.path,
            "query": url.query,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body_length": total[0],
            "body_sha256": digest.hexdigest(),
        }
        if total[0] < CHUNK:
            reply["body"] = kept.decode("latin-1")
        self._send(200, json.dumps(reply).encode(), content_type="application/json")

    def _early_hints(self, size):
        # An informational response first: clients must keep only the final headers.
        self.send_response_only(103, "Early Hints")
        self.send_header("Link", "</style.css>; rel=preload")
        self.send_header("X-Interim", "yes")
        self.end_headers()
        self._bytes(size, [("X-Final", "yes")])

    def _bytes(self, size, extra=()):
        start, end, status, headers = 0, size, 200, [("Accept-Ranges", "bytes"), *extra]
        wanted = self.headers.get("Range", "")
        if wanted.startswith("bytes=") and "-" in wanted:
            first, last = wanted[6:].split("-", 1)
            start = int(first)
            end = min(size, int(last) + 1) if last else size
            status = 206
            headers.append(("Content-Range", f"bytes {start}-{end - 1}/{size}"))
        self.send_response(status)
        self.send_header("Content-Length", str(end - start))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command == "HEAD":
            return
        for offset in range(start, end, CHUNK):
            self.wfile.write(pattern(offset, min(end, offset + CHUNK)))

    def _slow(self, size, bps):
        self.send_response(200)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        step = max(1, bps // 10)  # ten writes a second
        for offset in range(0, size, step):
            self.wfile.write(pattern(offset, min(size, offset + step)))
            self.wfile.flush()
            time.sleep(0.1)

    def _status(self, status, query):
        code = query.get("code", "Error")
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>status {status} from origin</Message>"
            "<RequestId>ORIGIN0001</RequestId></Error>"
        ).encode()
        headers = [("x-amz-request-id", "ORIGIN0001")]
        if "retry_after" in query:
            headers.append(("Retry-After", query["retry_after"]))
        self._send(status, body, headers, content_type="application/xml")

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _handle


def main():
    serve(Handler)


if __name__ == "__main__":
    main()
