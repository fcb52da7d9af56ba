#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The reference the fetch benchmarks compare rockart with: a fetch done the way
TheRock's Python fetch does it (build_tools/fetch_artifacts.py).

That script lists the run's prefix with boto3, downloads every archive with
boto3's download_file on a pool of 10 threads (boto3 itself splits objects over
8 MiB into 8 MiB parts on up to 10 threads each), and as each download ends
hands it to a second pool (Python's default size) that extracts it with
`tarfile` into `{out}/{archive name}/` and deletes the archive. This is that
flow, written for the benchmark, so it can run against the local S3 server.

Run with Debian's interpreter: it has python3-boto3 and python3-zstandard.
usage: therock_style_fetch.py ENDPOINT BUCKET PREFIX OUT
"""
import concurrent.futures
import lzma
import os
import sys
import tarfile
from pathlib import Path

import boto3
import zstandard

# TheRock passes filter="tar"; Debian's Python 3.11.2 predates extraction filters.
TAR_FILTER = {"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}


def list_archives(client, bucket, prefix):
    keys = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if item["Key"].endswith((".tar.zst", ".tar.xz")):
                keys.append(item["Key"])
    return sorted(keys)


def extract(archive: Path, out: Path):
    name = archive.name.partition(".")[0]
    with open(archive, "rb") as raw:
        if archive.name.endswith(".zst"):
            stream = zstandard.ZstdDecompressor().stream_reader(raw)
        else:
            stream = lzma.open(raw)
        with stream, tarfile.open(fileobj=stream, mode="r|") as tar:
            tar.extractall(out / name, **TAR_FILTER)
    archive.unlink()


def main(endpoint, bucket, prefix, out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    client = boto3.client("s3", endpoint_url=endpoint)
    keys = list_archives(client, bucket, prefix)
    if not keys:
        sys.exit(f"no archives under s3://{bucket}/{prefix}")

    def download(key):
        path = out / key.rpartition("/")[2]
        client.download_file(bucket, key, str(path))
        return path

    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as downloads:
        pending = [downloads.submit(download, key) for key in keys]
        with concurrent.futures.ThreadPoolExecutor() as extracts:
            done = [extracts.submit(extract, f.result(), out)
                    for f in concurrent.futures.as_completed(pending)]
            for f in done:
                f.result()


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__.strip().splitlines()[-1])
    main(*sys.argv[1:])
