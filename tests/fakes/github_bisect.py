# SPDX-License-Identifier: MIT
"""Generates the bisect scenario for fake_github.py: a linear history with a seeded culprit.

Commit n (0 = oldest, count-1 = newest head) has SHA sha1("bisect-commit-{n}") (seed 0) or
sha1("bisect-{seed}-commit-{n}"). Commits with index >= culprit are "bad". Every commit has
one completed successful run of `workflow`, except the `no_run` indices (no run at all),
`failed` (completed/failure), `in_progress` (still running); `reruns` get an extra, older,
failed run before the successful one. The result is a scenario dict for github_world.World
plus a `bisect` summary that tests use to seed S3 and to check the answer.
"""
import random
from datetime import datetime, timedelta, timezone

from github_world import fake_sha

DEFAULTS = {
    "repo": "ROCm/rocm-systems",
    "branch": "develop",
    "workflow": "therock-ci.yml",
    "count": 64,
    "culprit": 37,
    "no_run": [5, 21, 22, 48],
    "failed": [30],
    "in_progress": [],
    "reruns": [12],
    "seed": 0,
    "first_run_id": 21500000000,
    "run_id_step": 104729,
    "start": "2026-02-02T08:00:00Z",
    "interval_seconds": 3600,
}

_FMT = "%Y-%m-%dT%H:%M:%SZ"
_AUTHORS = ["amd-dev-a", "amd-dev-b", "amd-dev-c"]

# Inputs of TheRock multi_arch_ci.yml (github-api.md §4.11).
MULTI_ARCH_INPUTS = {
    "linux_amdgpu_families": {"type": "string", "default": ""},
    "linux_test_labels": {"type": "string", "default": ""},
    "windows_amdgpu_families": {"type": "string", "default": ""},
    "windows_test_labels": {"type": "string", "default": ""},
    "prebuilt_stages": {"type": "string", "default": ""},
    "baseline_run_id": {"type": "string", "default": ""},
    "stage_reuse_mode": {"type": "choice", "default": "dry-run", "options": ["dry-run", "reuse-stage"]},
    "stage_reuse_max_age_hours": {"type": "string", "default": "72"},
    "stage_reuse_commit_history": {"type": "string", "default": "50"},
    "changed_projects": {"type": "string", "default": ""},
    "build_pytorch": {"type": "boolean", "default": True},
    "build_jax": {"type": "boolean", "default": True},
}


_INDEX_KEYS = ("culprit", "no_run", "failed", "in_progress", "reruns")


def params_with_defaults(overrides, base=None):
    """DEFAULTS, then `base` (the scenario file), then `overrides` (CLI or control).

    A non-zero seed draws the index parameters that `overrides` does not give; index
    defaults that no longer fit a smaller `count` are dropped (culprit rescaled). Values
    given in `overrides` are validated, never adjusted.
    """
    p = dict(DEFAULTS)
    p.update(base or {})
    overrides = dict(overrides or {})
    count = int(overrides.get("count", p["count"]))
    seed = int(overrides.get("seed", 0))
    if seed:
        rng = random.Random(seed)
        p["culprit"] = rng.randrange(1, count)
        pool = [i for i in range(1, count - 1) if i != p["culprit"]]
        p["no_run"] = sorted(rng.sample(pool, min(4, len(pool))))
        p["failed"] = sorted(rng.sample([i for i in pool if i not in p["no_run"]],
                                        min(1, max(len(pool) - len(p["no_run"]), 0))))
        p["reruns"] = []
    else:
        if not 1 <= int(p["culprit"]) <= count - 1:
            p["culprit"] = max(1, count * 37 // 64)
        for key in _INDEX_KEYS[1:]:
            p[key] = [i for i in p[key] if int(i) < count - 1]
    p.update(overrides)
    p["seed"] = seed
    _validate(p)
    return p


def _validate(p):
    count = int(p["count"])
    if count < 2:
        raise ValueError("bisect count must be >= 2")
    if not 1 <= int(p["culprit"]) <= count - 1:
        raise ValueError(f"bisect culprit {p['culprit']} outside 1..{count - 1}")
    for key in ("no_run", "failed", "in_progress", "reruns"):
        bad = [i for i in p[key] if not 0 <= int(i) < count]
        if bad:
            raise ValueError(f"bisect {key} indices {bad} outside 0..{count - 1}")


def commit_sha(seed, n):
    return fake_sha(f"bisect-commit-{n}" if not seed else f"bisect-{seed}-commit-{n}")


def generate(overrides=None, base=None):
    p = params_with_defaults(overrides, base)
    count, culprit = int(p["count"]), int(p["culprit"])
    start = datetime.strptime(p["start"], _FMT).replace(tzinfo=timezone.utc)
    rows, runs, summary = [], [], []
    for n in range(count):
        sha = commit_sha(p["seed"], n)
        date = start + timedelta(seconds=n * int(p["interval_seconds"]))
        rows.append([sha, date.strftime(_FMT), f"Bisect fixture change {n} of {count}",
                     _AUTHORS[n % len(_AUTHORS)]])
        commit_runs = _runs_for(p, n, sha, date)
        runs.extend(commit_runs)
        newest = commit_runs[-1] if commit_runs else None
        summary.append({
            "index": n, "sha": sha, "bad": n >= culprit,
            "run_ids": [r["id"] for r in reversed(commit_runs)],
            "run_id": newest["id"] if newest else None,
            "status": newest["status"] if newest else None,
            "conclusion": newest.get("conclusion") if newest else None,
        })
    rows.reverse()  # histories are given newest first
    return _scenario(p, rows, runs, summary)


def _runs_for(p, n, sha, date):
    if n in p["no_run"]:
        return []
    run_id = int(p["first_run_id"]) + n * int(p["run_id_step"])
    created = date + timedelta(seconds=300)
    run = {
        "id": run_id, "workflow": p["workflow"], "head_sha": sha, "head_branch": p["branch"],
        "event": "push", "status": "completed", "conclusion": "success",
        "run_number": 5000 + n, "created_at": created.strftime(_FMT),
        "run_started_at": (created + timedelta(seconds=15)).strftime(_FMT),
        "updated_at": (created + timedelta(seconds=5400)).strftime(_FMT),
    }
    if n in p["failed"]:
        run["conclusion"] = "failure"
    if n in p["in_progress"]:
        run.update(status="in_progress", conclusion=None, updated_at=run["run_started_at"])
    out = [run]
    if n in p["reruns"]:
        older = dict(run, id=run_id - 1, conclusion="failure", run_number=run["run_number"] - 1,
                     status="completed",
                     created_at=(created - timedelta(seconds=120)).strftime(_FMT),
                     event="push")
        out.insert(0, older)
    return out


def _scenario(p, rows, runs, summary):
    therock_main = [
        [fake_sha("bisect-therock-main-2"), "2026-02-04T12:00:00Z", "Bump rocm-systems"],
        [fake_sha("bisect-therock-main-1"), "2026-02-03T12:00:00Z", "Update build topology"],
        [fake_sha("bisect-therock-main-0"), "2026-02-01T12:00:00Z", "Add bisect harness"],
    ]
    pinned = therock_main[-1][0]
    repo = {
        "full_name": p["repo"], "default_branch": p["branch"],
        "workflows": [
            {"id": 201000001, "name": "TheRock CI", "path": f".github/workflows/{p['workflow']}",
             "dispatch_inputs": {}},
            {"id": 201000002, "name": "TheRock CI Linux",
             "path": ".github/workflows/therock-ci-linux.yml"},
        ],
        "histories": [{"branch": p["branch"], "commits": rows}],
        "runs": runs,
        "contents": {f".github/workflows/{p['workflow']}":
                     "name: TheRock CI\njobs:\n  build:\n    steps:\n"
                     "      - name: Checkout TheRock repository\n"
                     f"        with:\n          repository: ROCm/TheRock\n          ref: {pinned}\n"},
    }
    therock = {
        "full_name": "ROCm/TheRock", "id": 811111111, "default_branch": "main",
        "workflows": [{"id": 212000001, "name": "Multi-Arch CI",
                       "path": ".github/workflows/multi_arch_ci.yml",
                       "dispatch_inputs": MULTI_ARCH_INPUTS}],
        "histories": [{"branch": "main", "commits": therock_main}],
    }
    if p["repo"] == "ROCm/TheRock":  # one repository: it hosts the dispatch workflow too
        repo.update(id=therock["id"], workflows=repo["workflows"] + therock["workflows"])
        repos = [repo]
    else:
        repos = [repo, therock]
    return {
        "name": "bisect",
        "description": f"{p['count']}-commit linear history of {p['repo']}@{p['branch']}, "
                       f"first bad commit index {p['culprit']}",
        "repositories": repos,
        "dispatch": {"conclusion": {"mode": "bisect"}, "auto_branch_pattern": "^bisect/",
                     "queue_seconds": 0.2, "run_seconds": 0.5},
        "bisect": {"params": p, "good": summary[0]["sha"], "bad": summary[-1]["sha"],
                   "culprit_sha": summary[int(p["culprit"])]["sha"], "commits": summary},
    }
