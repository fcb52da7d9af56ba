#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A tiny S3 endpoint that records the headers of every request (python3 stdlib only).

Binds 127.0.0.1 on a free port, prints PORT=<n>, exits when stdin closes. It exists to
prove what a client puts on the wire (e.g. that --no-sign-request sends no Authorization),
which moto cannot show because it accepts signed and anonymous requests alike.

  GET /__requests          JSON [{"method", "path", "query", "headers": {lower-name: value}}]
  GET /<bucket>?list-type=2&prefix=P
                           a ListObjectsV2 result (one page, no delimiter) of the objects
                           whose key starts with P
  GET|HEAD /<bucket>/<key> the object (ETag = MD5 of the body)
  anything else            404 NoSuchKey (S3 XML error body)

Objects: `--object KEY=BODY`, repeatable (default: hello.txt=hello). Keys are listed as
given, so a test can serve keys a real client must refuse to map to files ("../x").
"""
import argparse
import hashlib
import json
import threading
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

from local_http import KeepAliveHandler, serve

LOCK = threading.Lock()
REQUESTS = []
OBJECTS = {}  # key -> body (str)

CONTENTS = """<Contents><Key>{key}</Key><LastModified>2025-01-02T03:04:05.000Z</LastModified>
<ETag>"{etag}"</ETag><Size>{size}</Size><StorageClass>STANDARD</StorageClass></Contents>"""


def etag(body):
    return hashlib.md5(body.encode()).hexdigest()


def listing(bucket, prefix):
    keys = sorted(k for k in OBJECTS if k.startswith(prefix))
    contents = "".join(CONTENTS.format(key=escape(k), etag=etag(OBJECTS[k]),
                                       size=len(OBJECTS[k].encode())) for k in keys)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            f"<Name>{escape(bucket)}</Name><Prefix>{escape(prefix)}</Prefix>"
            f"<KeyCount>{len(keys)}</KeyCount><MaxKeys>1000</MaxKeys>"
            f"<IsTruncated>false</IsTruncated>{contents}</ListBucketResult>")

NOT_FOUND = """<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>
<RequestId>RECORDER</RequestId></Error>"""


class Handler(KeepAliveHandler):
    def _send(self, status, body, content_type, headers=()):
        self.send_body(status, body, content_type, headers)

    def _handle(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if url.path == "/__requests":
            with LOCK:
                body = json.dumps(REQUESTS)
            return self._send(200, body, "application/json")
        with LOCK:
            REQUESTS.append({"method": self.command, "path": url.path, "query": url.query,
                             "headers": {k.lower(): v for k, v in self.headers.items()}})
        bucket, _, key = url.path.lstrip("/").partition("/")
        key = unquote(key)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        if self.command == "GET" and not key and query.get("list-type") == "2":
            return self._send(200, listing(bucket, query.get("prefix", "")), "application/xml")
        if self.command in ("GET", "HEAD") and key in OBJECTS:
            body = OBJECTS[key]
            return self._send(200, body, "application/octet-stream",
                              [("ETag", f'"{etag(body)}"')])
        return self._send(404, NOT_FOUND, "application/xml")

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _handle


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--object", action="append", default=[], metavar="KEY=BODY")
    args = parser.parse_args()
    for spec in args.object or ["hello.txt=hello"]:
        key, _, body = spec.partition("=")
        OBJECTS[key] = body
    serve(Handler)


if __name__ == "__main__":
    main()
