# SPDX-License-Identifier: MIT
"""In-memory GitHub world for fake_github.py: repositories, commits, workflows, runs.

A scenario (tests/data/github/scenario_*.json) stores compact records; this module
expands them into GitHub's REST wire shapes and answers the queries the fake serves
(run filters, branch history, ref resolution, compare). No HTTP here.
"""
import base64
import hashlib
import heapq
import re

WEB = "https://github.com"
HEX40 = re.compile(r"^[0-9a-f]{40}$")
HEX_PREFIX = re.compile(r"^[0-9a-f]{4,40}$")


def fake_sha(label):
    """Deterministic 40-hex SHA for an invented object."""
    return hashlib.sha1(label.encode()).hexdigest()


def node_id(prefix, key):
    raw = hashlib.sha1(f"{prefix}:{key}".encode()).digest()[:12]
    return prefix + "_kwDO" + base64.b64encode(raw).decode().rstrip("=")


def user(login, uid):
    return {
        "login": login,
        "id": uid,
        "node_id": node_id("U", login),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "url": f"https://api.github.com/users/{login}",
        "html_url": f"{WEB}/{login}",
        "type": "Bot" if login.endswith("[bot]") else "User",
        "site_admin": False,
    }


def user_id(login):
    return int(hashlib.sha1(login.encode()).hexdigest()[:7], 16)


class Repo:
    """One repository: workflows, commits (by sha), refs, runs, contents."""

    def __init__(self, spec):
        self.full_name = spec["full_name"]
        self.id = spec.get("id") or int(fake_sha("repo:" + self.full_name)[:8], 16) % 900000000
        self.fork = spec.get("fork", False)
        self.default_branch = spec.get("default_branch", "main")
        self.workflows = [dict(w) for w in spec.get("workflows", [])]
        self.commits = {}
        self.branches = dict(spec.get("branches", {}))
        self.tags = dict(spec.get("tags", {}))
        self.runs = []
        self.contents = dict(spec.get("contents", {}))
        self.pulls = dict(spec.get("pulls", {}))
        for commit in spec.get("commits", []):
            self.add_commit(commit)
        for history in spec.get("histories", []):
            self.add_history(history)

    def add_commit(self, commit):
        c = dict(commit)
        c["sha"] = c["sha"].lower()
        c.setdefault("parents", [])
        c.setdefault("author", {"name": "ROCm Developer", "email": "rocm-dev@example.com"})
        c["author"].setdefault("date", c.get("date", "2026-01-01T00:00:00Z"))
        self.commits[c["sha"]] = c

    def add_history(self, history):
        """A linear history given newest first: [[sha, date, subject(, login)], ...]."""
        rows = history["commits"]
        parent_of_oldest = history.get("parent_of_oldest")
        for i, row in enumerate(rows):
            sha, date, subject = row[0], row[1], row[2]
            parent = rows[i + 1][0] if i + 1 < len(rows) else parent_of_oldest
            author = {"name": "ROCm Developer", "email": "rocm-dev@example.com", "date": date}
            if len(row) > 3:
                author.update(name=row[3], email=f"{row[3]}@users.noreply.github.com", login=row[3])
            self.add_commit({"sha": sha, "message": subject, "author": author,
                             "parents": [parent] if parent else []})
        if history.get("branch"):
            self.branches[history["branch"]] = rows[0][0].lower()

    def workflow(self, ident):
        """Workflow by numeric id or file name (basename or full path)."""
        for w in self.workflows:
            if str(w["id"]) == ident or w["path"] == ident or w["path"].rsplit("/", 1)[-1] == ident:
                return w
        return None

    def resolve(self, ref):
        """ref -> ("ok", sha) | ("ambiguous", [shas]) | ("unknown", None)."""
        if ref in self.branches:
            return "ok", self.branches[ref]
        if ref in self.tags:
            return "ok", self.tags[ref]
        if ref.startswith("refs/heads/") and ref[11:] in self.branches:
            return "ok", self.branches[ref[11:]]
        low = ref.lower()
        if HEX_PREFIX.match(low):
            if low in self.commits:
                return "ok", low
            matches = sorted(s for s in self.commits if s.startswith(low))
            if len(matches) == 1 and len(low) >= 4:
                return "ok", matches[0]
            if len(matches) > 1:
                return "ambiguous", matches
        return "unknown", None

    def log(self, start_sha):
        """Commits reachable from start_sha, newest commit date first (git log order)."""
        seen, heap, out = set(), [], []

        def push(sha):
            if sha in self.commits and sha not in seen:
                seen.add(sha)
                heapq.heappush(heap, (_neg(self.commits[sha]["author"]["date"]), sha))

        push(start_sha)
        while heap:
            _, sha = heapq.heappop(heap)
            out.append(sha)
            for p in self.commits[sha]["parents"]:
                push(p)
        return out

    def ancestors(self, sha):
        return set(self.log(sha))


def _neg(date):
    # heapq is a min-heap: invert the characters so the newest date pops first.
    return "".join(chr(0x10FFFF - ord(ch)) for ch in date)


class World:
    """All repositories of a scenario plus the runs index."""

    def __init__(self, scenario):
        self.name = scenario.get("name", "custom")
        self.description = scenario.get("description", "")
        self.repos = {}
        self.runs_by_id = {}
        self.next_run_id = 0
        self.extra = {k: v for k, v in scenario.items() if k not in ("repositories",)}
        for fork in scenario.get("forks", []):
            r = Repo({"fork": True, **fork})
            self.repos[r.full_name.lower()] = r
        for spec in scenario.get("repositories", []):
            repo = Repo(spec)
            self.repos[repo.full_name.lower()] = repo
            for run in spec.get("runs", []):
                self.add_run(repo, run)
            for gen in spec.get("generate_runs", []):
                for run in generate_runs(gen):
                    self.add_run(repo, run)
        self.reindex()

    def reindex(self):
        self.runs_by_id = {r["id"]: r for repo in self.repos.values() for r in repo.runs}
        self.next_run_id = max(self.runs_by_id, default=30000000000) + 1

    def repo(self, full_name):
        return self.repos.get(full_name.lower())

    def repo_by_id(self, rid):
        return next((r for r in self.repos.values() if str(r.id) == str(rid)), None)

    def add_run(self, repo, run):
        r = dict(run)
        r["repository"] = repo.full_name
        r["head_sha"] = r["head_sha"].lower()
        r.setdefault("head_repository", repo.full_name)
        r.setdefault("run_attempt", 1)
        r.setdefault("event", "push")
        r.setdefault("head_branch", repo.default_branch)
        repo.runs.append(r)
        self.runs_by_id[r["id"]] = r
        return r

    def find_commit(self, text):
        """Find a commit by (unique) prefix in any repository: (repo, sha) or None."""
        low = text.lower()
        if not HEX_PREFIX.match(low) or len(low) < 7:
            return None
        for repo in self.repos.values():
            state, sha = repo.resolve(low)
            if state == "ok":
                return repo, sha
        return None


def generate_runs(gen):
    """Expand a `generate_runs` block: `count` runs of one commit, ids and times ascending."""
    from datetime import datetime, timedelta, timezone

    start = datetime.strptime(gen["start"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    conclusions = gen.get("conclusions", ["success"])
    out = []
    for i in range(gen["count"]):
        created = start + timedelta(seconds=i * gen.get("interval_seconds", 900))
        updated = created + timedelta(seconds=gen.get("duration_seconds", 3600))
        fmt = "%Y-%m-%dT%H:%M:%SZ"
        out.append({
            "id": gen["first_id"] + i * gen.get("id_step", 1),
            "workflow": gen["workflow"],
            "head_sha": gen["head_sha"],
            "head_branch": gen.get("head_branch", "main"),
            "event": gen.get("event", "workflow_dispatch"),
            "status": "completed",
            "conclusion": conclusions[i % len(conclusions)],
            "run_number": gen.get("first_run_number", 1000) + i,
            "created_at": created.strftime(fmt),
            "run_started_at": (created + timedelta(seconds=20)).strftime(fmt),
            "updated_at": updated.strftime(fmt),
        })
    return out


# ---------------------------------------------------------------------------
# Wire shapes


def commit_json(world, repo, sha, api, detail=False):
    c = repo.commits[sha]
    full = repo.full_name
    author = c["author"]
    login = author.get("login")
    tree = fake_sha("tree:" + sha)
    out = {
        "sha": sha,
        "node_id": node_id("C", sha),
        "commit": {
            "author": {k: author[k] for k in ("name", "email", "date")},
            "committer": {"name": "GitHub", "email": "noreply@github.com", "date": author["date"]},
            "message": c.get("message", ""),
            "tree": {"sha": tree, "url": f"{api}/repos/{full}/git/trees/{tree}"},
            "url": f"{api}/repos/{full}/git/commits/{sha}",
            "comment_count": 0,
            "verification": {"verified": False, "reason": "unsigned", "signature": None,
                             "payload": None, "verified_at": None},
        },
        "url": f"{api}/repos/{full}/commits/{sha}",
        "html_url": f"{WEB}/{full}/commit/{sha}",
        "comments_url": f"{api}/repos/{full}/commits/{sha}/comments",
        "author": user(login, user_id(login)) if login else None,
        "committer": user("web-flow", 19864447),
        "parents": [{"sha": p, "url": f"{api}/repos/{full}/commits/{p}",
                     "html_url": f"{WEB}/{full}/commit/{p}"} for p in c["parents"]],
    }
    if detail:
        out["stats"] = {"total": 0, "additions": 0, "deletions": 0}
        out["files"] = []
    return out


def repo_json(world, full_name, api):
    repo = world.repo(full_name)
    rid = repo.id if repo else int(fake_sha("repo:" + full_name)[:8], 16) % 900000000
    fork = repo.fork if repo else full_name.split("/")[0] != "ROCm"
    owner = full_name.split("/")[0]
    return {
        "id": rid,
        "node_id": node_id("R", full_name),
        "name": full_name.split("/")[1],
        "full_name": full_name,
        "private": False,
        "owner": user(owner, user_id(owner)),
        "html_url": f"{WEB}/{full_name}",
        "description": None,
        "fork": fork,
        "url": f"{api}/repos/{full_name}",
        "default_branch": repo.default_branch if repo else "main",
    }


def workflow_json(repo, w, api):
    return {
        "id": w["id"],
        "node_id": node_id("W", str(w["id"])),
        "name": w["name"],
        "path": w["path"],
        "state": w.get("state", "active"),
        "created_at": w.get("created_at", "2024-06-01T00:00:00.000Z"),
        "updated_at": w.get("updated_at", "2026-01-01T00:00:00.000Z"),
        "url": f"{api}/repos/{repo.full_name}/actions/workflows/{w['id']}",
        "html_url": f"{WEB}/{repo.full_name}/blob/{repo.default_branch}/{w['path']}",
        "badge_url": f"{WEB}/{repo.full_name}/workflows/{w['name']}/badge.svg",
    }


def run_json(world, run, api):
    repo = world.repo(run["repository"])
    full = repo.full_name
    w = repo.workflow(run["workflow"])
    rid = run["id"]
    base = f"{api}/repos/{full}/actions/runs/{rid}"
    commit = repo.commits.get(run["head_sha"])
    title = run.get("display_title") or (commit or {}).get("message", "").split("\n")[0]
    actor = user(run.get("actor", "rocm-ci-user"), user_id(run.get("actor", "rocm-ci-user")))
    head_repo = run["head_repository"]
    attempt = run["run_attempt"]
    out = {
        "id": rid,
        "name": run.get("name") or w["name"],
        "node_id": node_id("WFR", str(rid)),
        "head_branch": run["head_branch"],
        "head_sha": run["head_sha"],
        "path": w["path"],
        "display_title": title,
        "run_number": run.get("run_number", rid % 10000),
        "event": run["event"],
        "status": run["status"],
        "conclusion": run.get("conclusion"),
        "workflow_id": w["id"],
        "check_suite_id": run.get("check_suite_id", rid * 2 + 7),
        "check_suite_node_id": node_id("CS", str(rid)),
        "url": base,
        "html_url": f"{WEB}/{full}/actions/runs/{rid}",
        "pull_requests": run.get("pull_requests", []),
        "created_at": run["created_at"],
        "updated_at": run.get("updated_at", run["created_at"]),
        "actor": actor,
        "run_attempt": attempt,
        "referenced_workflows": [],
        "run_started_at": run.get("run_started_at", run["created_at"]),
        "triggering_actor": actor,
        "jobs_url": f"{base}/jobs",
        "logs_url": f"{base}/logs",
        "check_suite_url": f"{api}/repos/{full}/check-suites/{run.get('check_suite_id', rid * 2 + 7)}",
        "artifacts_url": f"{base}/artifacts",
        "cancel_url": f"{base}/cancel",
        "rerun_url": f"{base}/rerun",
        "previous_attempt_url": f"{base}/attempts/{attempt - 1}" if attempt > 1 else None,
        "workflow_url": f"{api}/repos/{full}/actions/workflows/{w['id']}",
        "head_commit": None,
        "repository": repo_json(world, full, api),
        "head_repository": repo_json(world, head_repo, api) if head_repo else None,
    }
    if commit:
        a = commit["author"]
        out["head_commit"] = {
            "id": run["head_sha"], "tree_id": fake_sha("tree:" + run["head_sha"]),
            "message": commit.get("message", ""), "timestamp": a["date"],
            "author": {"name": a["name"], "email": a["email"]},
            "committer": {"name": "GitHub", "email": "noreply@github.com"},
        }
    return out


def jobs_for_run(run, attempt=None):
    """Jobs of a run attempt: the run's `jobs` list, else a default Build/Test pair."""
    attempt = attempt or run["run_attempt"]
    specs = run.get("jobs")
    if specs is None:
        status, concl = run["status"], run.get("conclusion")
        if status != "completed":
            specs = [{"name": "Build Linux", "status": status, "conclusion": None},
                     {"name": "Test Linux", "status": "queued", "conclusion": None}]
        elif concl == "success":
            specs = [{"name": "Build Linux", "status": "completed", "conclusion": "success"},
                     {"name": "Test Linux", "status": "completed", "conclusion": "success"}]
        else:
            specs = [{"name": "Build Linux", "status": "completed", "conclusion": "success"},
                     {"name": "Test Linux", "status": "completed", "conclusion": concl}]
    return [dict(s, attempt=attempt) for s in specs]


def job_json(run, index, spec, api):
    jid = run["id"] * 3 + 100000000000 + index
    full = run["repository"]
    return {
        "id": jid,
        "run_id": run["id"],
        "run_attempt": spec["attempt"],
        "node_id": node_id("CR", str(jid)),
        "head_sha": run["head_sha"],
        "head_branch": run["head_branch"],
        "url": f"{api}/repos/{full}/actions/jobs/{jid}",
        "html_url": f"{WEB}/{full}/actions/runs/{run['id']}/job/{jid}",
        "status": spec["status"],
        "conclusion": spec.get("conclusion"),
        "created_at": run["created_at"],
        "started_at": run.get("run_started_at", run["created_at"]),
        "completed_at": run.get("updated_at") if spec["status"] == "completed" else None,
        "name": spec["name"],
        "steps": [],
        "labels": ["linux-mi325-1gpu-ossci-rocm"],
        "runner_name": None,
        "workflow_name": run.get("name"),
    }


# ---------------------------------------------------------------------------
# Queries


def _created_matches(created, expr):
    """GitHub `created` filter: >=X, <=X, >X, <X, A..B or a date/date-time prefix."""
    def hi(x):  # a bare date as an upper bound covers the whole day
        return x + "T23:59:59Z" if len(x) == 10 else x
    if ".." in expr:
        lo, up = expr.split("..", 1)
        return (lo in ("*", "") or created >= lo) and (up in ("*", "") or created <= hi(up))
    for op, test in ((">=", lambda v: created >= v), ("<=", lambda v: created <= hi(v)),
                     (">", lambda v: created > hi(v)), ("<", lambda v: created < v)):
        if expr.startswith(op):
            return test(expr[len(op):])
    return created.startswith(expr)


RUN_FILTERS = ("actor", "branch", "event", "status", "created", "head_sha", "check_suite_id")


def filter_runs(runs, params):
    out = []
    for r in runs:
        if "head_sha" in params and r["head_sha"] != params["head_sha"]:
            continue
        if "branch" in params and r["head_branch"] != params["branch"]:
            continue
        if "event" in params and r["event"] != params["event"]:
            continue
        if "actor" in params and r.get("actor", "rocm-ci-user") != params["actor"]:
            continue
        if "status" in params and params["status"] not in (r["status"], r.get("conclusion")):
            continue
        if "created" in params and not _created_matches(r["created_at"], params["created"]):
            continue
        if "check_suite_id" in params and str(r.get("check_suite_id", r["id"] * 2 + 7)) != params["check_suite_id"]:
            continue
        out.append(r)
    out.sort(key=lambda r: (r["created_at"], r["id"]), reverse=True)
    if any(k in params for k in RUN_FILTERS):
        out = out[:1000]  # GitHub caps filtered run lists at 1,000 results
    return out


def compare(repo, base_sha, head_sha):
    """(status, ahead_by, behind_by, commits oldest first, merge_base sha)."""
    base_anc, head_anc = repo.ancestors(base_sha), repo.ancestors(head_sha)
    ahead = [s for s in repo.log(head_sha) if s not in base_anc]
    behind = [s for s in repo.log(base_sha) if s not in head_anc]
    common = [s for s in repo.log(head_sha) if s in base_anc]
    merge_base = common[0] if common else base_sha
    if not ahead and not behind:
        status = "identical"
    elif not behind:
        status = "ahead"
    elif not ahead:
        status = "behind"
    else:
        status = "diverged"
    return status, len(ahead), len(behind), list(reversed(ahead)), merge_base
