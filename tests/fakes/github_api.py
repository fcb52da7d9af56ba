# SPDX-License-Identifier: MIT
"""REST endpoints of fake_github.py: routing, pagination, errors, faults, dispatch.

`answer(request, fault)` returns (route template, status, body, headers); the caller holds
the state lock. Bodies are JSON-able objects, bytes (raw), or None (no body).
"""
import base64
import math
import re
import time
from datetime import datetime, timezone
from urllib.parse import unquote, urlencode

import github_world as gw

DOC = "https://docs.github.com/rest"
DOCS = {
    "repo": "/repos/repos#get-a-repository",
    "workflows": "/actions/workflows#list-repository-workflows",
    "workflow": "/actions/workflows#get-a-workflow",
    "workflow_runs": "/actions/workflow-runs#list-workflow-runs-for-a-workflow",
    "dispatch": "/actions/workflows#create-a-workflow-dispatch-event",
    "repo_runs": "/actions/workflow-runs#list-workflow-runs-for-a-repository",
    "run": "/actions/workflow-runs#get-a-workflow-run",
    "run_attempt": "/actions/workflow-runs#get-a-workflow-run-attempt",
    "jobs": "/actions/workflow-jobs#list-jobs-for-a-workflow-run",
    "commits": "/commits/commits#list-commits",
    "commit": "/commits/commits#get-a-commit",
    "pulls": "/commits/commits#list-pull-requests-associated-with-a-commit",
    "compare": "/commits/commits#compare-two-commits",
    "contents": "/repos/contents#get-repository-content",
    "rate_limit": "/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user",
}
RATE_DOC = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
SECONDARY_DOC = ("https://docs.github.com/free-pro-team@latest/rest/overview/"
                 "rate-limits-for-the-rest-api#about-secondary-rate-limits")

_R = r"^/repos/(?P<o>[^/]+)/(?P<r>[^/]+)"
_P = "/repos/{owner}/{repo}"
ROUTES = [  # (method, regex, handler name, template used in stats)
    ("GET", r"^/rate_limit$", "rate_limit", "/rate_limit"),
    ("GET", _R + r"$", "repo", _P),
    ("GET", _R + r"/actions/workflows$", "workflows", _P + "/actions/workflows"),
    ("GET", _R + r"/actions/workflows/(?P<wf>[^/]+)$", "workflow",
     _P + "/actions/workflows/{workflow}"),
    ("GET", _R + r"/actions/workflows/(?P<wf>[^/]+)/runs$", "workflow_runs",
     _P + "/actions/workflows/{workflow}/runs"),
    ("POST", _R + r"/actions/workflows/(?P<wf>[^/]+)/dispatches$", "dispatch",
     _P + "/actions/workflows/{workflow}/dispatches"),
    ("GET", _R + r"/actions/runs$", "repo_runs", _P + "/actions/runs"),
    ("GET", _R + r"/actions/runs/(?P<id>\d+)$", "run", _P + "/actions/runs/{run_id}"),
    ("GET", _R + r"/actions/runs/(?P<id>\d+)/attempts/(?P<n>\d+)$", "run_attempt",
     _P + "/actions/runs/{run_id}/attempts/{attempt}"),
    ("GET", _R + r"/actions/runs/(?P<id>\d+)/jobs$", "jobs", _P + "/actions/runs/{run_id}/jobs"),
    ("GET", _R + r"/actions/runs/(?P<id>\d+)/attempts/(?P<n>\d+)/jobs$", "jobs",
     _P + "/actions/runs/{run_id}/attempts/{attempt}/jobs"),
    ("GET", _R + r"/commits$", "commits", _P + "/commits"),
    ("GET", _R + r"/commits/(?P<ref>.+)/pulls$", "pulls", _P + "/commits/{sha}/pulls"),
    ("GET", _R + r"/commits/(?P<ref>.+)$", "commit", _P + "/commits/{ref}"),
    ("GET", _R + r"/compare/(?P<basehead>.+)$", "compare", _P + "/compare/{basehead}"),
    ("GET", _R + r"/contents/(?P<path>.*)$", "contents", _P + "/contents/{path}"),
]


class Request:
    def __init__(self, method, path, query, body, headers, api, state):
        self.method, self.query_list, self.body = method, query, body
        self.query = dict(query)
        self.headers, self.api, self.state = headers, api, state
        self.world = state.world
        auth = headers.get("Authorization") or ""
        self.token = auth.split(None, 1)[1] if " " in auth else None
        self.path = path[len(state.prefix):] if state.prefix and path.startswith(state.prefix) \
            else path
        m = re.match(r"^/repositories/(\d+)(/.*)?$", self.path)
        if m:  # GitHub's Link headers use the repository id form
            repo = self.world.repo_by_id(m.group(1))
            if repo:
                self.path = f"/repos/{repo.full_name}{m.group(2) or ''}"


class ApiError(Exception):
    def __init__(self, status, message, doc=DOC, headers=None):
        super().__init__(message)
        self.status, self.message, self.doc, self.headers = status, message, doc, headers or {}


def error_body(status, message, doc=DOC):
    return {"message": message, "documentation_url": doc, "status": str(status)}


def answer(req, fault):
    st = req.state
    headers = {"X-GitHub-Api-Version-Selected": "2022-11-28",
               "X-GitHub-Media-Type": "github.v3; format=json",
               "X-GitHub-Request-Id": f"FA6E:{st.stats['total']:06X}:{req.world.next_run_id % 65536:04X}"}
    route, name, match = "(unknown)", None, None
    for method, regex, hname, template in ROUTES:
        m = re.match(regex, req.path)
        if m and method == req.method:
            route, name, match = template, hname, m
            break
    within_limit = fault is not None or name == "rate_limit" or st.take_rate_budget()
    headers.update(st.rate_headers(req.token is not None))
    try:
        if req.state.require_user_agent and not req.headers.get("User-Agent"):
            return route, 403, (b"Request forbidden by administrative rules. Please make sure "
                                b"your request has a User-Agent header (https://docs.github.com/"
                                b"en/rest/overview/resources-in-the-rest-api#user-agent-required)."
                                b" Check https://developer.github.com for other possible causes.\n"
                                ), dict(headers, **{"Content-Type": "text/plain; charset=utf-8"})
        if fault:
            return (route,) + render_fault(req, fault, headers)
        if st.valid_tokens is not None and req.token is not None and \
                req.token not in st.valid_tokens:
            raise ApiError(401, "Bad credentials")
        if not within_limit:
            return (route,) + rate_limited(req, headers)
        if name is None:
            raise ApiError(404, "Not Found")
        status, body, extra = HANDLERS[name](req, **{k: unquote(v) for k, v in
                                                       match.groupdict().items()})
        headers.update(extra)
        return route, status, body, headers
    except ApiError as e:
        headers.update(e.headers)
        return route, e.status, error_body(e.status, e.message, e.doc), headers


def rate_limited(req, headers):
    who = f"user ID {gw.user_id(req.token)}" if req.token else \
        "127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit." \
        " Check out the documentation for more details.)"
    if req.token:
        who += "."
    return req.state.rate["status"], error_body(req.state.rate["status"],
                                                f"API rate limit exceeded for {who}",
                                                RATE_DOC), headers


def render_fault(req, fault, headers):
    kind = fault.get("kind", "status")
    headers.update(fault.get("headers", {}))
    if kind == "secondary_rate_limit":
        status = int(fault.get("status", 403))
        headers["retry-after"] = str(fault.get("retry_after", 60))
        msg = ("You have exceeded a secondary rate limit. Please wait a few minutes before you "
               "try again. If you reach out to GitHub Support for help, please include the "
               f"request ID {headers['X-GitHub-Request-Id']}.")
        return status, error_body(status, msg, SECONDARY_DOC), headers
    if kind == "rate_limit":
        headers["x-ratelimit-remaining"] = "0"
        headers["x-ratelimit-used"] = headers["x-ratelimit-limit"]
        req.state.rate["status"] = int(fault.get("status", 403))
        return rate_limited(req, headers)
    if kind == "malformed":
        return 200, b'{"total_count": 3, "workflow_runs": [{"id": 1, "name": "CI", ', headers
    if kind == "empty":
        return 200, b"", headers
    if kind == "bad_credentials":
        return 401, error_body(401, "Bad credentials"), headers
    statuses = fault.get("status", 502)
    statuses = statuses if isinstance(statuses, list) else [statuses]
    status = int(statuses[(fault["_fired"] - 1) % len(statuses)])
    if "body" in fault:
        body = fault["body"]
        return status, body.encode() if isinstance(body, str) else body, headers
    if status == 502:
        headers["Content-Type"] = "text/html"
        return status, (b"<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid "
                        b"or incomplete response.\n</body></html>\n"), headers
    reason = {500: "Server Error", 503: "Service Unavailable", 504: "Gateway Timeout"}
    return status, error_body(status, reason.get(status, "Server Error")), headers


# ---------------------------------------------------------------------------
# Helpers


def repo_or_404(req, o, r, doc):
    repo = req.world.repo(f"{o}/{r}")
    if repo is None:
        raise ApiError(404, "Not Found", DOC + DOCS[doc])
    return repo


def paginate(req, repo, items, default=30, maximum=100):
    """(page items, headers): GitHub's per_page/page semantics and Link header."""
    def intval(key, fallback):
        try:
            return int(req.query.get(key, fallback))
        except ValueError:
            return fallback
    per_page = intval("per_page", default)
    per_page = default if per_page < 1 else min(per_page, maximum)
    page = max(1, intval("page", 1))
    last = max(1, math.ceil(len(items) / per_page))
    path = req.path
    if req.state.link_style == "repositories" and repo is not None:
        path = re.sub(r"^/repos/[^/]+/[^/]+", f"/repositories/{repo.id}", path)
    kept = [(k, v) for k, v in req.query_list if k != "page"]

    def url(p):
        return f"<{req.api}{path}?{urlencode(kept + [('page', str(p))])}>"
    links = []
    if page > 1:
        links.append(f'{url(min(page - 1, last))}; rel="prev"')
    if page < last:
        links += [f'{url(page + 1)}; rel="next"', f'{url(last)}; rel="last"']
    if page > 1:
        links.append(f'{url(1)}; rel="first"')
    headers = {"Link": ", ".join(links)} if links else {}
    return items[(page - 1) * per_page:page * per_page], headers


def refresh_dispatched(world):
    """Advances dispatched runs: queued -> in_progress -> completed, by wall clock."""
    now = time.time()
    for run in world.runs_by_id.values():
        d = run.get("_dispatch")
        if not d or run["status"] == "completed":
            continue
        start = d["at"] + d["queue_seconds"]
        if now >= start + d["run_seconds"]:
            run.update(status="completed", conclusion=d["conclusion"],
                       updated_at=_iso(start + d["run_seconds"]), run_started_at=_iso(start))
        elif now >= start:
            run.update(status="in_progress", run_started_at=_iso(start), updated_at=_iso(start))


def _iso(epoch):
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ordered(req, runs):
    order = req.state.run_order
    if order == "oldest_first":
        return list(reversed(runs))
    if order == "shuffled":
        import random
        out = list(runs)
        random.Random(len(out)).shuffle(out)
        return out
    return runs


# ---------------------------------------------------------------------------
# Endpoints: each returns (status, body, extra headers)


def h_rate_limit(req):
    headers = req.state.rate_headers(req.token is not None)
    core = {"limit": int(headers["x-ratelimit-limit"]),
            "remaining": int(headers["x-ratelimit-remaining"]),
            "reset": int(headers["x-ratelimit-reset"]), "used": int(headers["x-ratelimit-used"]),
            "resource": "core"}
    return 200, {"resources": {"core": core}, "rate": core}, {}


def h_repo(req, o, r):
    repo = repo_or_404(req, o, r, "repo")
    return 200, gw.repo_json(req.world, repo.full_name, req.api), {}


def h_workflows(req, o, r):
    repo = repo_or_404(req, o, r, "workflows")
    items = [gw.workflow_json(repo, w, req.api) for w in repo.workflows]
    page, headers = paginate(req, repo, items)
    return 200, {"total_count": len(items), "workflows": page}, headers


def workflow_or_404(req, repo, wf, doc):
    w = repo.workflow(wf)
    if w is None:
        raise ApiError(404, "Not Found", DOC + DOCS[doc])
    return w


def h_workflow(req, o, r, wf):
    repo = repo_or_404(req, o, r, "workflow")
    return 200, gw.workflow_json(repo, workflow_or_404(req, repo, wf, "workflow"), req.api), {}


def list_runs(req, repo, workflow):
    refresh_dispatched(req.world)
    runs = [r for r in repo.runs if workflow is None or repo.workflow(r["workflow"]) is workflow]
    runs = gw.filter_runs(runs, req.query)
    page, headers = paginate(req, repo, ordered(req, runs))
    body = {"total_count": len(runs),
            "workflow_runs": [gw.run_json(req.world, r, req.api) for r in page]}
    return 200, body, headers


def h_workflow_runs(req, o, r, wf):
    repo = repo_or_404(req, o, r, "workflow_runs")
    return list_runs(req, repo, workflow_or_404(req, repo, wf, "workflow_runs"))


def h_repo_runs(req, o, r):
    return list_runs(req, repo_or_404(req, o, r, "repo_runs"), None)


def run_or_404(req, o, r, run_id, doc):
    repo = repo_or_404(req, o, r, doc)
    refresh_dispatched(req.world)
    run = req.world.runs_by_id.get(int(run_id))
    if run is None or run["repository"] != repo.full_name:
        raise ApiError(404, "Not Found", DOC + DOCS[doc])
    return run


def h_run(req, o, r, id):
    return 200, gw.run_json(req.world, run_or_404(req, o, r, id, "run"), req.api), {}


def h_run_attempt(req, o, r, id, n):
    run = run_or_404(req, o, r, id, "run_attempt")
    if not 1 <= int(n) <= run["run_attempt"]:
        raise ApiError(404, "Not Found", DOC + DOCS["run_attempt"])
    body = gw.run_json(req.world, run, req.api)
    if int(n) < run["run_attempt"]:  # earlier attempts: completed, failed
        body.update(run_attempt=int(n), status="completed", conclusion="failure")
    return 200, body, {}


def h_jobs(req, o, r, id, n=None):
    run = run_or_404(req, o, r, id, "jobs")
    repo = req.world.repo(run["repository"])
    specs = gw.jobs_for_run(run, int(n) if n else None)
    jobs = [gw.job_json(run, i, s, req.api) for i, s in enumerate(specs)]
    page, headers = paginate(req, repo, jobs)
    return 200, {"total_count": len(jobs), "jobs": page}, headers


def h_commits(req, o, r):
    repo = repo_or_404(req, o, r, "commits")
    ref = req.query.get("sha") or repo.default_branch
    state, sha = repo.resolve(ref)
    if state != "ok":
        raise ApiError(404, f"No commit found for SHA: {ref}", DOC + DOCS["commits"])
    shas = repo.log(sha)
    since, until = req.query.get("since"), req.query.get("until")
    dates = {s: repo.commits[s]["author"]["date"] for s in shas}
    shas = [s for s in shas if (not since or dates[s] >= since) and (not until or dates[s] <= until)]
    page, headers = paginate(req, repo, shas)
    return 200, [gw.commit_json(req.world, repo, s, req.api) for s in page], headers


def h_commit(req, o, r, ref):
    repo = repo_or_404(req, o, r, "commit")
    state, sha = repo.resolve(ref)
    if state == "ambiguous":
        raise ApiError(422, f"The commit SHA '{ref}' is ambiguous: it matches "
                            f"{len(sha)} commits. Use more characters.", DOC + DOCS["commit"])
    if state != "ok":
        raise ApiError(422, f"No commit found for SHA: {ref}", DOC + DOCS["commit"])
    return 200, gw.commit_json(req.world, repo, sha, req.api, detail=True), {}


def h_pulls(req, o, r, ref):
    repo = repo_or_404(req, o, r, "pulls")
    state, sha = repo.resolve(ref)
    if state != "ok":
        raise ApiError(422, f"No commit found for SHA: {ref}", DOC + DOCS["pulls"])
    return 200, repo.pulls.get(sha, []), {}


def _compare_side(repo, text):
    if ":" in text:
        owner, text = text.split(":", 1)
        if owner.lower() != repo.full_name.split("/")[0].lower():
            return None
    state, sha = repo.resolve(text)
    return sha if state == "ok" else None


def h_compare(req, o, r, basehead):
    repo = repo_or_404(req, o, r, "compare")
    if "..." not in basehead:
        raise ApiError(404, "Not Found", DOC + DOCS["compare"])
    base, head = basehead.split("...", 1)
    base_sha, head_sha = _compare_side(repo, base), _compare_side(repo, head)
    if base_sha is None or head_sha is None:
        raise ApiError(404, "Not Found", DOC + DOCS["compare"])
    status, ahead, behind, commits, merge_base = gw.compare(repo, base_sha, head_sha)
    full, api = repo.full_name, req.api
    owner = full.split("/")[0]
    paged = "page" in req.query or "per_page" in req.query
    if paged:
        page, headers = paginate(req, repo, commits)
    else:  # unpaginated compare returns at most 250 commits
        page, headers = commits[:250], {}
    body = {
        "url": f"{api}/repos/{full}/compare/{base}...{head}",
        "html_url": f"{gw.WEB}/{full}/compare/{base}...{head}",
        "permalink_url": f"{gw.WEB}/{full}/compare/{owner}:{base_sha[:7]}...{owner}:{head_sha[:7]}",
        "diff_url": f"{gw.WEB}/{full}/compare/{base}...{head}.diff",
        "patch_url": f"{gw.WEB}/{full}/compare/{base}...{head}.patch",
        "base_commit": gw.commit_json(req.world, repo, base_sha, api),
        "merge_base_commit": gw.commit_json(req.world, repo, merge_base, api),
        "status": status, "ahead_by": ahead, "behind_by": behind, "total_commits": ahead,
        "commits": [gw.commit_json(req.world, repo, s, api) for s in page],
    }
    if not paged or req.query.get("page", "1") == "1":
        body["files"] = []
    return 200, body, headers


def h_contents(req, o, r, path):
    repo = repo_or_404(req, o, r, "contents")
    ref = req.query.get("ref") or repo.default_branch
    state, sha = repo.resolve(ref)
    entry = repo.contents.get(path)
    text = entry.get(sha) if isinstance(entry, dict) else entry
    if state != "ok":
        raise ApiError(404, f"No commit found for the ref {ref}", DOC + DOCS["contents"])
    if text is None:
        raise ApiError(404, "Not Found", DOC + DOCS["contents"])
    data = text.encode()
    enc = base64.b64encode(data).decode()
    blob = gw.fake_sha(f"blob:{path}:{text}")
    url = f"{req.api}/repos/{repo.full_name}/contents/{path}?ref={ref}"
    html = f"{gw.WEB}/{repo.full_name}/blob/{ref}/{path}"
    return 200, {
        "type": "file", "encoding": "base64", "size": len(data), "name": path.rsplit("/", 1)[-1],
        "path": path, "sha": blob, "url": url, "html_url": html,
        "git_url": f"{req.api}/repos/{repo.full_name}/git/blobs/{blob}",
        "download_url": f"https://raw.githubusercontent.com/{repo.full_name}/{sha}/{path}",
        "content": "\n".join(enc[i:i + 60] for i in range(0, len(enc), 60)) + "\n",
        "_links": {"self": url, "git": f"{req.api}/repos/{repo.full_name}/git/blobs/{blob}",
                   "html": html},
    }, {}


import github_dispatch  # noqa: E402  (uses the helpers above)

HANDLERS = {
    "rate_limit": h_rate_limit, "repo": h_repo, "workflows": h_workflows,
    "workflow": h_workflow, "workflow_runs": h_workflow_runs, "repo_runs": h_repo_runs,
    "run": h_run, "run_attempt": h_run_attempt, "jobs": h_jobs, "commits": h_commits,
    "commit": h_commit, "pulls": h_pulls, "compare": h_compare, "contents": h_contents,
    "dispatch": github_dispatch.h_dispatch,
}
