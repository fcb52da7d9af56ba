#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""SigV4 oracle: signs seeded random S3 requests with botocore, an independent
implementation, and prints one JSON object per line with the inputs and every
intermediate string botocore produced.

Usage: sigv4_oracle.py [--count N] [--seed S]
Exit code 3 (and a message on stderr) when botocore cannot be imported.

Each line: {"method", "endpoint" ("" = AWS), "region", "bucket", "key",
"query": [[k, v], ...] (decoded), "headers": [[name, value], ...] in send
order (repeated names allowed), "body_hex" (null = no body),
"unsigned_payload", "access_key", "secret_key", "session_token", "time"
(epoch seconds), the "url" built from them and its "scheme" and "path", and
botocore's results "host" (Host header it signs), "canonical_request",
"string_to_sign", "signature", "authorization", "amz_headers" (the
x-amz-* headers botocore set)}.
"""
import argparse
import datetime
import json
import random
import sys
import urllib.parse

try:
    import botocore.auth
    import botocore.awsrequest
    import botocore.config
    import botocore.credentials
    import botocore.utils
except ImportError as error:  # pragma: no cover - depends on the image
    print(f"sigv4_oracle: botocore unavailable: {error}", file=sys.stderr)
    sys.exit(3)

# Characters that stress S3 path and query encoding: reserved, '%', '+', '~',
# spaces, and multi-byte UTF-8.
KEY_ALPHABET = list("abcXYZ019-_.~/ +%=&?#$!*'(),;:@[]") + ["é", "日本", "ß", "😀", "\u00a0"]
BUCKETS = ["therock-ci-artifacts", "examplebucket", "b12", "my.dotted.bucket", "UpperCase"]
REGIONS = ["us-east-1", "us-east-2", "eu-west-1", "ap-southeast-2"]
ENDPOINTS = ["", "", "http://127.0.0.1:9000", "https://minio.example:443",
             "http://localhost:8080/gateway", "https://S3.Example.COM:8443"]
METHODS = ["GET", "PUT", "HEAD", "DELETE", "POST"]


def random_text(rng, alphabet, low, high):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def random_key(rng):
    key = random_text(rng, KEY_ALPHABET, 1, 24)
    if rng.random() < 0.2:
        key = "dir/" + key + "/"  # trailing slash: a directory marker
    return key


def random_query(rng):
    choices = [
        lambda: [("list-type", "2"), ("prefix", random_key(rng)), ("delimiter", "/")],
        lambda: [("continuation-token", random_text(rng, list("AZaz09+/="), 8, 40))],
        lambda: [("uploads", "")],
        lambda: [("partNumber", str(rng.randint(1, 10000))),
                 ("uploadId", random_text(rng, list("abc.-_~XYZ019"), 10, 30))],
        lambda: [("k", random_key(rng)), ("k", random_key(rng)), ("k", "")],
        lambda: [(random_key(rng), random_key(rng))],
        lambda: [],
    ]
    query = []
    for _ in range(rng.randint(0, 2)):
        query += rng.choice(choices)()
    return query


def random_headers(rng):
    headers = []
    if rng.random() < 0.3:
        headers.append(("Range", f"bytes={rng.randint(0, 99)}-{rng.randint(100, 999)}"))
    if rng.random() < 0.3:
        headers.append(("Content-Type", rng.choice(["application/zstd", "text/plain; charset=utf-8"])))
    if rng.random() < 0.4:
        # Leading/trailing/inner runs of spaces and tabs exercise Trimall.
        value = rng.choice(["  a  b ", "\tx\t\ty", "one", "s p a c e", "  "])
        headers.append(("X-Amz-Meta-" + rng.choice(["Note", "note", "NOTE"]), value))
    if rng.random() < 0.2:
        headers.append(("x-amz-meta-dup", "first"))
        headers.append(("X-Amz-Meta-Dup", " second  value "))
    if rng.random() < 0.2:
        headers.append(("x-amz-copy-source", "/src-bucket/" + botocore.utils.percent_encode(
            random_key(rng), safe="/~")))
    return headers


def object_url(endpoint, region, bucket, key):
    # S3 keys go on the wire encoded once, with botocore's own serializer rule.
    encoded_key = botocore.utils.percent_encode(key, safe="/~")
    object_path = "/" + encoded_key if key else ""
    if endpoint:
        base = endpoint.rstrip("/")
        return f"{base}/{bucket}{object_path}"
    if botocore.utils.check_dns_name(bucket) and bucket == bucket.lower():
        return f"https://{bucket}.s3.{region}.amazonaws.com{object_path or '/'}"
    return f"https://s3.{region}.amazonaws.com/{bucket}{object_path}"


def make_case(rng):
    case = {
        "method": rng.choice(METHODS),
        "endpoint": rng.choice(ENDPOINTS),
        "region": rng.choice(REGIONS),
        "bucket": rng.choice(BUCKETS),
        "key": random_key(rng) if rng.random() < 0.85 else "",
        "query": random_query(rng),
        "headers": random_headers(rng),
        "body_hex": None,
        "unsigned_payload": rng.random() < 0.3,
        "access_key": "AKIA" + random_text(rng, list("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 16, 16),
        "secret_key": random_text(rng, list("abcdefABCDEF0123456789/+"), 40, 40),
        "session_token": random_text(rng, list("AZaz09+/="), 20, 60) if rng.random() < 0.4 else "",
        "time": rng.randint(1_400_000_000, 1_900_000_000),
    }
    if case["method"] in ("PUT", "POST") and rng.random() < 0.8:
        case["body_hex"] = bytes(rng.randrange(256) for _ in range(rng.randint(0, 64))).hex()
    return case


class RecordingS3SigV4Auth(botocore.auth.S3SigV4Auth):
    """botocore's S3 signer, unchanged, remembering each intermediate result."""

    def canonical_request(self, request):
        self.recorded_canonical_request = super().canonical_request(request)
        return self.recorded_canonical_request

    def string_to_sign(self, request, canonical_request):
        self.recorded_string_to_sign = super().string_to_sign(request, canonical_request)
        return self.recorded_string_to_sign

    def signature(self, string_to_sign, request):
        self.recorded_signature = super().signature(string_to_sign, request)
        return self.recorded_signature


def sign(case):
    url = object_url(case["endpoint"], case["region"], case["bucket"], case["key"])
    first = {}
    repeats = []
    for name, value in case["headers"]:
        if name.lower() in (n.lower() for n in first):
            repeats.append((name, value))
        else:
            first[name] = value
    body = bytes.fromhex(case["body_hex"]) if case["body_hex"] is not None else None
    request = botocore.awsrequest.AWSRequest(
        method=case["method"], url=url, headers=first, data=body, params=list(case["query"]))
    for name, value in repeats:
        request.headers[name] = value  # HTTPHeaders appends: a second value for the name
    if case["unsigned_payload"]:
        request.context["client_config"] = botocore.config.Config(
            s3={"payload_signing_enabled": False})
    credentials = botocore.credentials.Credentials(
        case["access_key"], case["secret_key"], case["session_token"] or None)
    signer = RecordingS3SigV4Auth(credentials, "s3", case["region"])
    fixed = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc).replace(tzinfo=None)
    botocore.auth.get_current_datetime = lambda: fixed
    signer.add_auth(request)
    result = dict(case)
    result.update({
        "url": url,
        "host": botocore.auth._host_from_url(url),
        "scheme": urllib.parse.urlsplit(url).scheme,
        "path": urllib.parse.urlsplit(url).path,
        "canonical_request": signer.recorded_canonical_request,
        "string_to_sign": signer.recorded_string_to_sign,
        "signature": signer.recorded_signature,
        "authorization": request.headers["Authorization"],
        "amz_headers": sorted([k.lower(), v] for k, v in request.headers.items()
                              if k.lower().startswith("x-amz-") and k.lower() not in
                              ("x-amz-meta-dup", "x-amz-meta-note", "x-amz-copy-source")),
    })
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=250)
    parser.add_argument("--seed", type=int, default=20130524)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for _ in range(args.count):
        print(json.dumps(sign(make_case(rng)), ensure_ascii=True))


if __name__ == "__main__":
    main()
