#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Link emulator: a streaming TCP proxy with a per-flow rate, a total link rate and an
RTT, for tests and benchmarks of fetches over slow CI links (python3 stdlib only).

    link_proxy.py --upstream 127.0.0.1:PORT [--flow-rate BPS] [--link-rate BPS] [--rtt-ms MS]

Binds 127.0.0.1 on a free port (or --port), prints PORT=<n>, exits when stdin closes.
Each accepted connection is one flow: its bytes are relayed to the upstream and back,
unchanged, so HTTP keep-alive, Range requests and TLS-free S3 all work as they would
directly. Kernel netem/tbf need privileges this machine lacks; this does it in userspace:

  * RTT: every chunk is held for RTT/2 in each direction, and a new connection's first
    request waits one more RTT (the TCP handshake it would have paid).
  * --flow-rate: each connection's server->client bytes are capped at BPS (what a lossy
    long-haul TCP flow gets: ~MSS/RTT * 1.22/sqrt(loss)).
  * --link-rate: all connections together are capped at BPS (the runner's uplink).
  * Buffers are bounded (256 KiB per direction), so a throttled client throttles the
    upstream through TCP back-pressure instead of this proxy holding whole objects.

A connection whose first bytes are `GET /__` or `POST /__` is a control request:

  GET  /__stats   {"connections": opened, "open": now, "max_open": most at once,
                   "max_active": most flows moving response bytes at once (sampled every
                   10 ms; a flow counts once it has carried 16 KiB, so small requests such
                   as checksum files do not, and until it has been idle for RTT + 50 ms),
                   "bytes_down": server->client, "bytes_up": client->server,
                   "flow_rate": .., "link_rate": .., "rtt_ms": ..}
  POST /__reset   zeroes the counters
  POST /__config  {"flow_rate": BPS, "link_rate": BPS, "rtt_ms": MS} (any subset; 0 = none)
"""
import argparse
import json
import queue
import socket
import sys
import threading
import time

CHUNK = 64 * 1024   # read size
PIECE = 16 * 1024   # write size under a rate limit (fair sharing of the link)
QUEUE_CHUNKS = 4    # bounded buffer per direction: 4 x 64 KiB

LOCK = threading.Lock()
CONFIG = {"flow_rate": 0, "link_rate": 0, "rtt_ms": 0}
STATS = {"connections": 0, "open": 0, "max_open": 0, "max_active": 0, "bytes_down": 0,
         "bytes_up": 0}
LAST_DOWN = {}  # connection id -> monotonic time of its last server->client bytes
UPSTREAM = None


class TokenBucket:
    """Blocks take(n) until n bytes fit under `rate_of()` bytes/s (0 = unlimited)."""

    def __init__(self, rate_of):
        self.rate_of = rate_of
        self.lock = threading.Lock()
        self.available = 0.0
        self.stamp = time.monotonic()

    def take(self, n):
        while True:
            rate = self.rate_of()
            if rate <= 0:
                return
            with self.lock:
                now = time.monotonic()
                # A burst of at most 50 ms of traffic (and at least one piece).
                burst = max(PIECE, rate * 0.05)
                self.available = min(burst, self.available + (now - self.stamp) * rate)
                self.stamp = now
                if self.available >= n:
                    self.available -= n
                    return
                wait = (n - self.available) / rate
            time.sleep(min(wait, 0.05))


LINK = TokenBucket(lambda: CONFIG["link_rate"])


def one_way_delay():
    return CONFIG["rtt_ms"] / 2000.0


def reader(src, chunks, first_extra):
    """Reads src into the bounded queue, each chunk stamped with when it may leave."""
    extra = first_extra
    try:
        while True:
            data = src.recv(CHUNK)
            if not data:
                break
            chunks.put((time.monotonic() + one_way_delay() + extra, data))
            extra = 0.0
    except OSError:
        pass
    chunks.put((time.monotonic() + one_way_delay(), None))


ACTIVE_AFTER = 16 * 1024  # bytes a flow carries before it counts as active


def writer(dst, chunks, flow, conn_id, down):
    """Sends queued chunks to dst when due, under the flow and link limits."""
    carried = 0
    try:
        while True:
            due, data = chunks.get()
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if data is None:
                dst.shutdown(socket.SHUT_WR)
                return
            view = memoryview(data)
            while view:
                piece = view[:PIECE] if down else view
                if down:
                    flow.take(len(piece))
                    LINK.take(len(piece))
                dst.sendall(piece)
                with LOCK:
                    STATS["bytes_down" if down else "bytes_up"] += len(piece)
                    carried += len(piece)
                    if down and carried >= ACTIVE_AFTER:
                        LAST_DOWN[conn_id] = time.monotonic()
                view = view[len(piece):]
    except OSError:
        pass


def relay(client, conn_id, first):
    try:
        upstream = socket.create_connection(UPSTREAM)
    except OSError:
        client.close()
        return
    for sock in (client, upstream):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    flow = TokenBucket(lambda: CONFIG["flow_rate"])
    up, down = queue.Queue(QUEUE_CHUNKS), queue.Queue(QUEUE_CHUNKS)
    handshake = 2 * one_way_delay()
    up.put((time.monotonic() + one_way_delay() + handshake, first))
    threads = [threading.Thread(target=reader, args=(client, up, 0.0), daemon=True),
               threading.Thread(target=writer, args=(upstream, up, flow, conn_id, False),
                                daemon=True),
               threading.Thread(target=reader, args=(upstream, down, 0.0), daemon=True),
               threading.Thread(target=writer, args=(client, down, flow, conn_id, True),
                                daemon=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for sock in (client, upstream):
        try:
            sock.close()
        except OSError:
            pass
    with LOCK:
        STATS["open"] -= 1
        LAST_DOWN.pop(conn_id, None)


def reply(client, status, document):
    body = json.dumps(document).encode()
    client.sendall(b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
                   b"Content-Length: %d\r\nConnection: close\r\n\r\n"
                   % (status, b"OK" if status == 200 else b"Bad Request", len(body)) + body)


def control(client, first):
    data = first
    while b"\r\n\r\n" not in data:
        more = client.recv(CHUNK)
        if not more:
            break
        data += more
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path = lines[0].split(" ")[:2]
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    while len(body) < length:
        more = client.recv(CHUNK)
        if not more:
            break
        body += more
    if method == "GET" and path == "/__stats":
        with LOCK:
            reply(client, 200, dict(STATS, **CONFIG))
    elif method == "POST" and path == "/__reset":
        with LOCK:
            for key in ("connections", "max_open", "max_active", "bytes_down", "bytes_up"):
                STATS[key] = 0
            STATS["max_open"] = STATS["open"]
        reply(client, 200, {"ok": True})
    elif method == "POST" and path == "/__config":
        try:
            update = json.loads(body or b"{}")
            unknown = set(update) - set(CONFIG)
            if unknown:
                raise ValueError("unknown keys: " + ", ".join(sorted(unknown)))
            with LOCK:
                CONFIG.update({key: float(value) for key, value in update.items()})
            reply(client, 200, {"ok": True})
        except ValueError as error:
            reply(client, 400, {"error": str(error)})
    else:
        reply(client, 400, {"error": "unknown control request " + method + " " + path})
    client.close()


def handle(client, conn_id):
    first = client.recv(CHUNK)
    if not first:
        client.close()
        return
    if first.startswith(b"GET /__") or first.startswith(b"POST /__"):
        control(client, first)
        return
    with LOCK:
        STATS["connections"] += 1
        STATS["open"] += 1
        STATS["max_open"] = max(STATS["max_open"], STATS["open"])
    relay(client, conn_id, first)


def accept_loop(server):
    next_id = 0
    while True:
        client, _ = server.accept()
        next_id += 1
        threading.Thread(target=handle, args=(client, next_id), daemon=True).start()


def monitor():
    """Samples how many flows are moving response bytes at once."""
    while True:
        time.sleep(0.01)
        now = time.monotonic()
        idle = CONFIG["rtt_ms"] / 1000.0 + 0.05
        with LOCK:
            active = sum(1 for stamp in LAST_DOWN.values() if now - stamp <= idle)
            STATS["max_active"] = max(STATS["max_active"], active)


def main():
    global UPSTREAM
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", required=True, help="HOST:PORT to forward to")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--flow-rate", type=float, default=0, help="bytes/s per connection")
    parser.add_argument("--link-rate", type=float, default=0, help="bytes/s for all")
    parser.add_argument("--rtt-ms", type=float, default=0)
    args = parser.parse_args()
    host, _, port = args.upstream.rpartition(":")
    UPSTREAM = (host.replace("http://", ""), int(port))
    CONFIG.update(flow_rate=args.flow_rate, link_rate=args.link_rate, rtt_ms=args.rtt_ms)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.port))
    server.listen(128)
    threading.Thread(target=accept_loop, args=(server,), daemon=True).start()
    threading.Thread(target=monitor, daemon=True).start()
    print(f"PORT={server.getsockname()[1]}", flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
