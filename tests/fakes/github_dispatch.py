# SPDX-License-Identifier: MIT
"""POST /repos/{o}/{r}/actions/workflows/{wf}/dispatches for fake_github.py.

Validates like GitHub (authentication, workflow_dispatch trigger, ref, inputs), creates a
queued run that advances by wall clock (dispatch.queue_seconds, dispatch.run_seconds) and
completes with the conclusion the scenario decides (dispatch.conclusion):
  {"mode": "fixed", "conclusion": "success"}
  {"mode": "input", "input": "NAME"}            the input's value is the conclusion
  {"mode": "sequence", "conclusions": [...]}    one per dispatch, in order (last repeats)
  {"mode": "bisect"}                            failure iff the candidate commit is "bad"
The candidate commit of a dispatch is the first input value that names a known commit
(unique prefix of >= 7 hex), else a hex suffix of the ref (`bisect/rocm-systems-39d84328`),
else the ref's head commit.
"""
import json
import re
import time

import github_api as api
import github_world as gw

ACCEPTED = ("success", "failure", "cancelled", "neutral", "skipped", "timed_out")


def h_dispatch(req, o, r, wf):
    doc = api.DOC + api.DOCS["dispatch"]
    repo = api.repo_or_404(req, o, r, "dispatch")
    workflow = api.workflow_or_404(req, repo, wf, "dispatch")
    if req.token is None:
        raise api.ApiError(401, "Requires authentication", doc)
    try:
        body = json.loads(req.body or b"")
    except ValueError:
        raise api.ApiError(400, "Problems parsing JSON", doc)
    if not isinstance(body, dict):
        raise api.ApiError(400, "Problems parsing JSON", doc)
    if workflow.get("dispatch_inputs") is None:
        raise api.ApiError(422, "Workflow does not have 'workflow_dispatch' trigger", doc)
    ref = body.get("ref")
    if not isinstance(ref, str) or not ref:
        raise api.ApiError(422, "Invalid request.\n\n\"ref\" wasn't supplied.", doc)
    inputs = body.get("inputs") or {}
    if not isinstance(inputs, dict):
        raise api.ApiError(422, "Invalid request.\n\nFor 'properties/inputs', "
                                f"{json.dumps(inputs)} is not an object.", doc)
    _check_inputs(workflow["dispatch_inputs"], inputs, doc)
    branch = ref[len("refs/heads/"):] if ref.startswith("refs/heads/") else ref
    head = repo.branches.get(branch) or repo.tags.get(branch)
    pattern = req.state.dispatch.get("auto_branch_pattern")
    if head is None and not (pattern and re.search(pattern, branch)):
        raise api.ApiError(422, f"No ref found for: {ref}", doc)
    candidate = _candidate(req.world, repo, inputs, branch, head)
    run = _create_run(req, repo, workflow, branch, head, candidate, inputs)
    if body.get("return_run_details"):
        return 200, {"workflow_run_id": run["id"],
                     "run_url": f"{req.api}/repos/{repo.full_name}/actions/runs/{run['id']}",
                     "html_url": f"{gw.WEB}/{repo.full_name}/actions/runs/{run['id']}"}, {}
    return 204, None, {}


def _check_inputs(declared, inputs, doc):
    unexpected = sorted(k for k in inputs if k not in declared)
    if unexpected:
        raise api.ApiError(422, f"Unexpected inputs provided: {json.dumps(unexpected)}", doc)
    for name, spec in declared.items():
        if spec.get("required") and name not in inputs:
            raise api.ApiError(422, f"Required input '{name}' not provided", doc)
        value = inputs.get(name)
        if value is not None and spec.get("type") == "choice" and value not in spec["options"]:
            raise api.ApiError(422, f"Provided value '{value}' for input '{name}' not in the "
                                    "list of allowed values", doc)


def _candidate(world, repo, inputs, branch, head):
    for value in inputs.values():
        if isinstance(value, str):
            found = world.find_commit(value.strip())
            if found:
                return found[1]
    m = re.search(r"([0-9a-f]{7,40})$", branch)
    if m:
        found = world.find_commit(m.group(1))
        if found:
            return found[1]
    return head


def _conclusion(state, candidate, inputs):
    cfg = state.dispatch.get("conclusion", {})
    mode = cfg.get("mode", "fixed")
    if mode == "input":
        value = str(inputs.get(cfg["input"], "failure"))
        return value if value in ACCEPTED else "failure"
    if mode == "sequence":
        seq = cfg["conclusions"]
        return seq[min(len(state.stats["dispatches"]), len(seq) - 1)]
    if mode == "bisect":
        info = state.scenario.get("bisect") or {}
        bad = {c["sha"]: c["bad"] for c in info.get("commits", [])}
        return "failure" if bad.get(candidate, True) else "success"
    return cfg.get("conclusion", "success")


def _create_run(req, repo, workflow, branch, head, candidate, inputs):
    st, world = req.state, req.world
    now = time.time()
    head_sha = head or (candidate if candidate in repo.commits else
                        gw.fake_sha(f"dispatch:{repo.full_name}:{branch}"))
    conclusion = _conclusion(st, candidate, inputs)
    run = world.add_run(repo, {
        "id": world.next_run_id, "workflow": workflow["path"].rsplit("/", 1)[-1],
        "head_sha": head_sha, "head_branch": branch, "event": "workflow_dispatch",
        "status": "queued", "conclusion": None, "run_number": 9000 + len(st.stats["dispatches"]),
        "created_at": api._iso(now), "updated_at": api._iso(now),
        "actor": "rockart-bisect-user",
        "_dispatch": {"at": now, "conclusion": conclusion,
                      "queue_seconds": float(st.dispatch.get("queue_seconds", 0.2)),
                      "run_seconds": float(st.dispatch.get("run_seconds", 0.5))},
    })
    world.reindex()
    st.stats["dispatches"].append({
        "repository": repo.full_name, "workflow": workflow["path"], "ref": branch,
        "inputs": inputs, "run_id": run["id"], "candidate_sha": candidate,
        "conclusion": conclusion})
    return run
