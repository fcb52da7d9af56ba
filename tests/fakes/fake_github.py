#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fake GitHub REST API for rockart tests (python3 stdlib only).

Serves workflow runs, jobs, commits, ref resolution, compare and workflow_dispatch in
GitHub's wire format from a scenario in tests/data/github/, with `Link` pagination,
rate-limit headers and scripted faults. Control endpoints (not counted in stats):
POST /__control, POST /__reset, GET /__stats, GET /__scenario. See tests/fakes/README.md.

Contract of tests/support: binds 127.0.0.1 (port 0 = free port, or --port), prints
`PORT=<n>` once listening, exits when stdin closes.
Usage: fake_github.py [--port N] [--scenario find|bisect|PATH] [--bisect-culprit N] ...
"""
import argparse
import json
import os
import re
import sys
import threading
import time
from urllib.parse import parse_qsl, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import github_api  # noqa: E402
import github_bisect  # noqa: E402
from github_world import World  # noqa: E402
from local_http import KeepAliveHandler, serve  # noqa: E402

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "github")


def load_scenario(name, data_dir, bisect_params=None):
    """Scenario dict from a name (scenario_<name>.json in data_dir), a path, or a dict."""
    if isinstance(name, dict):
        scenario = name
    else:
        path = name if os.path.sep in name or name.endswith(".json") else \
            os.path.join(data_dir, f"scenario_{name}.json")
        with open(path, encoding="utf-8") as f:
            scenario = json.load(f)
    if scenario.get("generator") == "bisect_linear":
        generated = github_bisect.generate(bisect_params, scenario.get("params"))
        generated["description"] = scenario.get("description", generated["description"])
        return generated
    return scenario


class State:
    """Everything the handler mutates; guarded by `lock`."""

    def __init__(self, scenario_name, data_dir, bisect_params, prefix):
        self.lock = threading.RLock()
        self.data_dir = data_dir
        self.prefix = prefix
        self.initial = (scenario_name, dict(bisect_params or {}))
        self.stats_file = None
        self.load(scenario_name, bisect_params)

    def load(self, scenario_name, bisect_params=None):
        self.scenario = load_scenario(scenario_name, self.data_dir, bisect_params)
        self.world = World(self.scenario)
        self.dispatch = dict(self.scenario.get("dispatch", {}))
        self.dispatch.setdefault("conclusion", {"mode": "fixed", "conclusion": "success"})
        self.faults = []
        self.run_order = self.scenario.get("run_order", "newest_first")
        self.link_style = self.scenario.get("link_style", "repositories")
        self.valid_tokens = None
        self.require_user_agent = True
        self.rate = {"enforce": False, "limit": None, "remaining": None, "used": 0,
                     "reset": int(time.time()) + 3600, "resource": "core", "status": 403}
        self.reset_stats()

    def reset_stats(self):
        self.stats = {"total": 0, "by_route": {}, "by_path": {}, "by_status": {},
                      "authorizations": [], "accept_ok": 0, "api_version_ok": 0,
                      "requests": [], "dispatches": []}

    def save_stats(self):
        """Writes stats to --stats-file (atomically) for tests without an HTTP client."""
        if self.stats_file:
            tmp = f"{self.stats_file}.tmp{os.getpid()}"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(self.stats, f)
            os.replace(tmp, self.stats_file)

    def record(self, entry):
        s = self.stats
        s["total"] += 1
        s["requests"].append(entry)
        auth = entry["authorization"]
        if auth not in s["authorizations"]:
            s["authorizations"].append(auth)
        if entry["accept"] == "application/vnd.github+json":
            s["accept_ok"] += 1
        if entry["api_version"] == "2022-11-28":
            s["api_version_ok"] += 1

    def finish(self, entry, route, status):
        entry["route"], entry["status"] = route, status
        for key, value in (("by_route", f"{entry['method']} {route}"),
                           ("by_path", f"{entry['method']} {entry['path']}"),
                           ("by_status", str(status))):
            self.stats[key][value] = self.stats[key].get(value, 0) + 1

    def apply_control(self, body):
        """Applies a /__control document; returns a short summary."""
        if "scenario" in body or "bisect" in body:
            self.load(body.get("scenario", self.initial[0]), body.get("bisect"))
        for key in ("faults",):
            if key in body:
                self.faults = [dict(f, _seen=0, _fired=0) for f in body[key]]
        for f in body.get("add_faults", []):
            self.faults.append(dict(f, _seen=0, _fired=0))
        if "rate_limit" in body:
            self.set_rate(body["rate_limit"])
        for key in ("run_order", "link_style", "valid_tokens", "require_user_agent"):
            if key in body:
                setattr(self, key, body[key])
        if "dispatch" in body:
            self.dispatch.update(body["dispatch"])
        for change in body.get("set_runs", []):
            run = self.world.runs_by_id.get(int(change["id"]))
            if run is None:
                raise ValueError(f"set_runs: unknown run id {change['id']}")
            run.update({k: v for k, v in change.items() if k != "id"})
        for add in body.get("add_runs", []):
            self.world.add_run(self.world.repo(add["repository"]), add)
            self.world.reindex()
        for b in body.get("create_branches", []):
            self.world.repo(b["repository"]).branches[b["name"]] = b["sha"].lower()
        if body.get("reset_stats"):
            self.reset_stats()
        return {"ok": True, "scenario": self.world.name, "faults": len(self.faults),
                "rate_limit": {k: v for k, v in self.rate.items()}}

    def set_rate(self, cfg):
        if cfg is None or cfg is False:
            self.rate["enforce"] = False
            return
        limit = int(cfg.get("limit", 60))
        remaining = int(cfg.get("remaining", 0))
        self.rate.update(enforce=True, limit=limit, remaining=remaining, used=limit - remaining,
                         reset=int(time.time()) + int(cfg.get("reset_in", 1800)),
                         resource=cfg.get("resource", "core"), status=int(cfg.get("status", 403)),
                         restore=cfg.get("restore", True))

    def rate_headers(self, authenticated):
        r = self.rate
        if r["enforce"]:
            limit, remaining, used = r["limit"], max(r["remaining"], 0), r["used"]
        else:  # informational only: realistic numbers that never reach zero
            limit = 5000 if authenticated else 60
            used = min(self.stats["total"], limit - 1)
            remaining = limit - used
        return {"x-ratelimit-limit": str(limit), "x-ratelimit-remaining": str(remaining),
                "x-ratelimit-reset": str(r["reset"]), "x-ratelimit-used": str(used),
                "x-ratelimit-resource": r["resource"]}

    def take_rate_budget(self):
        """False when the (enforced) primary rate limit is exhausted."""
        r = self.rate
        if not r["enforce"]:
            return True
        if time.time() >= r["reset"] and r.get("restore", True):
            r.update(remaining=r["limit"], used=0, reset=int(time.time()) + 3600)
        if r["remaining"] <= 0:
            return False
        r["remaining"] -= 1
        r["used"] += 1
        return True

    def match_fault(self, method, path):
        """The first active fault matching this request, consuming one use of it."""
        for f in self.faults:
            if f.get("method") and f["method"] != method:
                continue
            if f.get("path") and not re.search(f["path"], path):
                continue
            f["_seen"] += 1
            if f["_seen"] <= int(f.get("skip", 0)):
                continue
            count = f.get("count")
            if count is not None and f["_fired"] >= int(count):
                continue
            f["_fired"] += 1
            return f
        return None


class Handler(KeepAliveHandler):
    def version_string(self):
        return "GitHub.com"

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_DELETE(self):
        self.handle_any("DELETE")

    # -- plumbing ---------------------------------------------------------------

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, status, body, headers=None, content_type="application/json; charset=utf-8"):
        data = body if isinstance(body, bytes) else \
            (b"" if body is None else json.dumps(body, separators=(",", ":")).encode())
        self.send_response(status)
        if data or status != 204:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def handle_any(self, method):
        st = self.server.state
        split = urlsplit(self.path)
        raw = self.read_body()
        if split.path.startswith("/__"):
            return self.control(method, split.path, raw)
        query = parse_qsl(split.query, keep_blank_values=True)
        with st.lock:
            entry = {"seq": st.stats["total"] + 1, "method": method, "path": split.path,
                     "query": split.query, "authorization": self.headers.get("Authorization"),
                     "accept": self.headers.get("Accept"),
                     "api_version": self.headers.get("X-GitHub-Api-Version"),
                     "user_agent": self.headers.get("User-Agent"),
                     "content_type": self.headers.get("Content-Type"),
                     "body": raw.decode("utf-8", "replace") if raw else None}
            st.record(entry)
            fault = st.match_fault(method, split.path)
        if fault and fault.get("kind") == "delay":
            time.sleep(float(fault.get("seconds", 1)))
            fault = None
        if fault and fault.get("kind") == "close":
            with st.lock:
                st.finish(entry, "(fault: close)", 0)
            self.close_connection = True
            return
        with st.lock:
            api = f"http://{self.headers.get('Host', '127.0.0.1')}{st.prefix}"
            req = github_api.Request(method, split.path, query, raw, self.headers, api, st)
            route, status, body, headers = github_api.answer(req, fault)
            st.finish(entry, route, status)
            st.save_stats()
        ctype = headers.pop("Content-Type", "application/json; charset=utf-8")
        self.send(status, body, headers, ctype)

    def control(self, method, path, raw):
        st = self.server.state
        with st.lock:
            try:
                if path == "/__stats" and method == "GET":
                    return self.send(200, st.stats)
                if path == "/__scenario" and method == "GET":
                    return self.send(200, {"name": st.world.name,
                                           "description": st.world.description,
                                           "bisect": st.scenario.get("bisect")})
                if path == "/__reset" and method == "POST":
                    st.load(*st.initial)
                    st.save_stats()
                    return self.send(200, {"ok": True, "scenario": st.world.name})
                if path == "/__control" and method == "POST":
                    body = json.loads(raw or b"{}")
                    reply = st.apply_control(body)
                    st.save_stats()
                    return self.send(200, reply)
            except (ValueError, KeyError, TypeError, AttributeError, OSError) as e:
                return self.send(400, {"ok": False, "error": f"{type(e).__name__}: {e}"})
        self.send(404, {"ok": False, "error": f"unknown control endpoint {method} {path}"})


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--scenario", default="find", help="find, bisect, or a scenario JSON path")
    p.add_argument("--data-dir", default=DATA_DIR)
    p.add_argument("--prefix", default="", help="API path prefix, e.g. /api/v3 (Enterprise)")
    p.add_argument("--control", action="append", default=[],
                   help="a /__control JSON document applied at start (repeatable)")
    p.add_argument("--stats-file", help="rewrite this JSON file with /__stats after each request")
    p.add_argument("--print-scenario", action="store_true",
                   help="print the (generated) scenario summary as JSON and exit")
    for name in ("count", "culprit", "seed"):
        p.add_argument(f"--bisect-{name}", type=int)
    for name in ("no-run", "failed", "in-progress", "reruns"):
        p.add_argument(f"--bisect-{name}", help="comma-separated commit indices")
    p.add_argument("--bisect-repo")
    return p.parse_args(argv)


def bisect_params(args):
    params = {}
    for name in ("count", "culprit", "seed", "repo"):
        value = getattr(args, f"bisect_{name}")
        if value is not None:
            params[name] = value
    for name in ("no_run", "failed", "in_progress", "reruns"):
        value = getattr(args, f"bisect_{name}")
        if value is not None:
            params[name] = [int(x) for x in value.split(",") if x.strip()]
    return params


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    try:
        state = State(args.scenario, args.data_dir, bisect_params(args), args.prefix.rstrip("/"))
        for doc in args.control:
            state.apply_control(json.loads(doc))
    except (ValueError, KeyError, OSError) as e:
        sys.exit(f"fake_github.py: error: {e}")
    state.stats_file = args.stats_file
    state.save_stats()
    if args.print_scenario:
        json.dump({"name": state.world.name, "description": state.world.description,
                   "bisect": state.scenario.get("bisect")}, sys.stdout, indent=2)
        print()
        return
    serve(Handler, args.port, configure=lambda server: setattr(server, "state", state))


if __name__ == "__main__":
    main()
