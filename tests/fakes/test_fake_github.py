#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Self-test of fake_github.py over real HTTP (stdlib unittest; run by ctest).

Starts the fake exactly as tests/support does (PORT line on stdout, exit on stdin EOF)
and checks the wire format the C++ client relies on: pagination, the spec's real
identifiers, ref resolution, compare, rate limits, 5xx bursts, dispatch, stats.
"""
import base64
import http.client
import json
import os
import subprocess
import sys
import time
import unittest
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
           "User-Agent": "rockart-selftest"}
CUTOVER = "2025-11-11T16:18:48Z"
FORK_SHA = "62bc1eaa02e6ad1b49a718eed111cf4c9f03593a"
MANY_RUNS_SHA = "724d39cc8e0923384c9fe7022f60ceeb754ca429"  # sha1("therock-main-many-runs")
RETRIGGERED_SHA = "ae313d3d12fdfa54ec34760c06767ed1fd49202e"  # sha1("therock-main-retriggered")


class Fake:
    """fake_github.py in a subprocess."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "fake_github.py"), *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT="):
            raise RuntimeError(f"fake did not start: {line!r}")
        self.port = int(line.strip()[5:])

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()

    def call(self, method, target, body=None, token=None, headers=None):
        """(status, lower-cased headers, parsed JSON or raw bytes)."""
        if target.startswith("http"):
            target = urlsplit(target)._replace(scheme="", netloc="").geturl()
        h = dict(HEADERS if headers is None else headers)
        if token:
            h["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            h["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, target, body=data, headers=h)
            resp = conn.getresponse()
            raw = resp.read()
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        try:
            return resp.status, hdrs, json.loads(raw) if raw else None
        except ValueError:
            return resp.status, hdrs, raw

    def get(self, target, **kw):
        return self.call("GET", target, **kw)

    def control(self, doc):
        status, _, body = self.call("POST", "/__control", doc)
        assert status == 200, body
        return body


def links(headers):
    out = {}
    for part in headers.get("link", "").split(","):
        if part.strip():
            url, rel = part.split(";")
            out[rel.strip()[5:-1]] = url.strip()[1:-1]
    return out


class FindScenario(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = Fake("--scenario", "find")

    @classmethod
    def tearDownClass(cls):
        cls.fake.stop()

    def setUp(self):
        self.assertEqual(self.fake.call("POST", "/__reset")[0], 200)

    def runs(self, repo, workflow, sha):
        status, _, body = self.fake.get(
            f"/repos/{repo}/actions/workflows/{workflow}/runs?head_sha={sha}&per_page=100")
        self.assertEqual(status, 200, body)
        return body["workflow_runs"]

    def test_real_identifiers_of_the_spec(self):
        cases = [("ROCm/TheRock", "ci.yml", "77f0cb2112d1d0aaae0de6088a6e4337f2488233", 20083647898),
                 ("ROCm/TheRock", "multi_arch_ci.yml", "903ee444eb935adf456bf5df724e1b6f5c2ce962",
                  25267756727),
                 ("ROCm/TheRock", "multi_arch_ci.yml", "b21aac868f2550b5cbe93af7c62795737301fa6d",
                  30964030362),
                 ("ROCm/rocm-libraries", "therock-ci.yml",
                  "ab692342ac4d00268ac8a5a4efbc144c194cb45a", 21365647639),
                 ("ROCm/rocm-systems", "therock-ci.yml",
                  "3568e0df02c7f8d203de29b9e175ac87f7da337f", 20723767265),
                 ("ROCm/rocm-systems", "therock-ci.yml",
                  "050e88ee710f0d8580e2df31425c9fd03e8f1a77", 20784068010)]
        for repo, wf, sha, run_id in cases:
            with self.subTest(sha=sha):
                runs = self.runs(repo, wf, sha)
                self.assertEqual([r["id"] for r in runs], [run_id])
                self.assertEqual(runs[0]["repository"]["full_name"], repo)
                self.assertEqual(runs[0]["html_url"], f"https://github.com/{repo}/actions/runs/{run_id}")

    def test_fork_run_has_different_head_repository(self):
        (run,) = self.runs("ROCm/TheRock", "ci.yml", FORK_SHA)
        self.assertEqual(run["id"], 20384488184)
        self.assertEqual(run["head_repository"]["full_name"], "ScottTodd/TheRock")
        self.assertTrue(run["head_repository"]["fork"])
        self.assertEqual(run["repository"]["full_name"], "ROCm/TheRock")
        self.assertEqual(run["event"], "pull_request")

    def test_december_commit_has_no_multi_arch_runs_and_short_sha_matches_nothing(self):
        self.assertEqual(self.runs("ROCm/TheRock", "multi_arch_ci.yml",
                                   "77f0cb2112d1d0aaae0de6088a6e4337f2488233"), [])
        self.assertEqual(self.runs("ROCm/TheRock", "ci.yml", "77f0cb21"), [])

    def test_retriggered_runs_newest_created_first(self):
        runs = self.runs("ROCm/TheRock", "multi_arch_ci.yml", RETRIGGERED_SHA)
        self.assertEqual([r["id"] for r in runs], [28508900123, 28502800455, 28500000301])
        self.assertEqual(runs[2]["run_attempt"], 3)
        self.assertIsNotNone(runs[2]["previous_attempt_url"])

    def test_legacy_cutover_runs(self):
        status, _, run = self.fake.get("/repos/ROCm/TheRock/actions/runs/19264731491")
        self.assertEqual((status, run["updated_at"]), (200, CUTOVER))
        _, _, old = self.fake.get("/repos/ROCm/TheRock/actions/runs/18740768335")
        self.assertLess(old["updated_at"], CUTOVER)
        _, _, rerun = self.fake.get("/repos/ROCm/TheRock/actions/runs/19236650001")
        self.assertLess(rerun["created_at"], CUTOVER)
        self.assertGreater(rerun["updated_at"], CUTOVER)

    def test_in_progress_head_of_main(self):
        _, _, commits = self.fake.get("/repos/ROCm/TheRock/commits?sha=main&per_page=1")
        (run,) = self.runs("ROCm/TheRock", "multi_arch_ci.yml", commits[0]["sha"])
        self.assertEqual((run["status"], run["conclusion"]), ("in_progress", None))

    def test_link_pagination_over_137_runs(self):
        base = f"/repos/ROCm/TheRock/actions/workflows/multi_arch_ci.yml/runs?head_sha={MANY_RUNS_SHA}"
        status, headers, page1 = self.fake.get(base + "&per_page=100")
        self.assertEqual((status, page1["total_count"], len(page1["workflow_runs"])), (200, 137, 100))
        rels = links(headers)
        self.assertEqual(sorted(rels), ["last", "next"])
        self.assertIn("/repositories/811111111/actions/workflows/multi_arch_ci.yml/runs?", rels["next"])
        self.assertTrue(rels["next"].endswith("&per_page=100&page=2"))
        _, headers2, page2 = self.fake.get(rels["next"])
        self.assertEqual(len(page2["workflow_runs"]), 37)
        self.assertEqual(sorted(links(headers2)), ["first", "prev"])
        runs = page1["workflow_runs"] + page2["workflow_runs"]
        created = [r["created_at"] for r in runs]
        self.assertEqual(created, sorted(created, reverse=True))
        self.assertEqual(len({r["id"] for r in runs}), 137)

    def test_per_page_default_30_and_max_100(self):
        base = f"/repos/ROCm/TheRock/actions/runs?head_sha={MANY_RUNS_SHA}"
        _, headers, body = self.fake.get(base)
        self.assertEqual(len(body["workflow_runs"]), 30)
        self.assertTrue(links(headers)["last"].endswith("page=5"))
        _, headers, body = self.fake.get(base + "&per_page=500&page=2")
        self.assertEqual(len(body["workflow_runs"]), 37)
        self.assertEqual(sorted(links(headers)), ["first", "prev"])

    def test_branch_commits_newest_first_with_pagination(self):
        status, headers, page = self.fake.get("/repos/ROCm/TheRock/commits?sha=main&per_page=5")
        self.assertEqual((status, len(page)), (200, 5))
        self.assertEqual(page[2]["sha"], "b21aac868f2550b5cbe93af7c62795737301fa6d")
        self.assertEqual(page[0]["parents"][0]["sha"], page[1]["sha"])
        _, _, last = self.fake.get(links(headers)["last"])
        self.assertEqual(len(last), 2)  # 12 commits on main
        status, _, body = self.fake.get("/repos/ROCm/TheRock/commits?sha=no-such-branch")
        self.assertEqual((status, body["message"]), (404, "No commit found for SHA: no-such-branch"))

    def test_commit_by_ref(self):
        full = "77f0cb2112d1d0aaae0de6088a6e4337f2488233"
        for ref, sha in [(full, full), ("77f0cb21", full),
                         ("release%2Ftherock-7.10", "903ee444eb935adf456bf5df724e1b6f5c2ce962"),
                         ("therock-7.10.0", "903ee444eb935adf456bf5df724e1b6f5c2ce962")]:
            status, _, body = self.fake.get(f"/repos/ROCm/TheRock/commits/{ref}")
            self.assertEqual((status, body["sha"]), (200, sha), ref)
        status, _, body = self.fake.get("/repos/ROCm/TheRock/commits/77f0cb2")
        self.assertEqual(status, 422)
        self.assertIn("ambiguous", body["message"])
        self.assertEqual(body["status"], "422")
        status, _, body = self.fake.get("/repos/ROCm/TheRock/commits/deadbeef")
        self.assertEqual((status, body["message"]), (422, "No commit found for SHA: deadbeef"))

    def test_not_found_shapes(self):
        for path in ["/repos/ROCm/NoSuchRepo/actions/workflows/ci.yml/runs?head_sha=" + FORK_SHA,
                     "/repos/ROCm/TheRock/actions/workflows/nope.yml/runs?head_sha=" + FORK_SHA,
                     "/repos/ROCm/rocm-systems/actions/runs/20083647898",
                     "/repos/ROCm/TheRock/no/such/endpoint"]:
            status, headers, body = self.fake.get(path)
            self.assertEqual(status, 404, path)
            self.assertEqual((body["message"], body["status"]), ("Not Found", "404"))
            self.assertTrue(body["documentation_url"].startswith("https://docs.github.com/rest"))
            self.assertIn("x-ratelimit-remaining", headers)

    def test_compare_real_rocm_systems_range(self):
        status, _, body = self.fake.get("/repos/ROCm/rocm-systems/compare/2789ea4...050e88e")
        self.assertEqual((status, body["status"], body["total_commits"]), (200, "ahead", 19))
        shas = [c["sha"] for c in body["commits"]]
        self.assertEqual(shas[0], "3568e0df02c7f8d203de29b9e175ac87f7da337f")
        self.assertEqual(shas[-1], "050e88ee710f0d8580e2df31425c9fd03e8f1a77")
        status, _, _ = self.fake.get("/repos/ROCm/rocm-systems/compare/2789ea4...nope")
        self.assertEqual(status, 404)

    def test_jobs_and_contents(self):
        _, _, body = self.fake.get("/repos/ROCm/TheRock/actions/runs/20792676051/jobs?filter=latest")
        self.assertEqual([j["conclusion"] for j in body["jobs"]], ["success", "failure"])
        self.assertIn("rocprim", body["jobs"][1]["name"])
        _, _, body = self.fake.get(
            "/repos/ROCm/rocm-systems/contents/.github/workflows/therock-ci.yml?ref=develop")
        text = base64.b64decode(body["content"]).decode()
        self.assertIn("ref: 77f0cb2112d1d0aaae0de6088a6e4337f2488233", text)

    def test_primary_rate_limit(self):
        # A window long enough that a loaded CI machine cannot cross it by accident.
        self.fake.control({"rate_limit": {"limit": 60, "remaining": 1, "reset_in": 4}})
        status, headers, _ = self.fake.get("/repos/ROCm/TheRock")
        self.assertEqual((status, headers["x-ratelimit-remaining"]), (200, "0"))
        status, headers, body = self.fake.get("/repos/ROCm/TheRock")
        self.assertEqual(status, 403)
        self.assertTrue(body["message"].startswith("API rate limit exceeded for 127.0.0.1."))
        self.assertEqual((headers["x-ratelimit-remaining"], headers["x-ratelimit-limit"],
                          headers["x-ratelimit-used"], headers["x-ratelimit-resource"]),
                         ("0", "60", "60", "core"))
        reset_at = int(headers["x-ratelimit-reset"])
        self.assertLessEqual(reset_at - time.time(), 5)
        _, _, body = self.fake.get("/repos/ROCm/TheRock", token="tok")
        self.assertTrue(body["message"].startswith("API rate limit exceeded for user ID "))
        time.sleep(max(0.0, reset_at - time.time()) + 1.2)  # the window resets
        self.assertEqual(self.fake.get("/repos/ROCm/TheRock")[0], 200)

    def test_secondary_rate_limit_5xx_burst_malformed_and_close(self):
        self.fake.control({"faults": [
            {"kind": "secondary_rate_limit", "status": 429, "retry_after": 7, "count": 1},
            {"kind": "status", "status": [502, 503], "count": 3, "path": "/commits"},
            {"kind": "malformed", "count": 1, "path": "/actions/runs/"},
            {"kind": "close", "count": 1, "path": "/compare/"}]})
        status, headers, body = self.fake.get("/repos/ROCm/TheRock")
        self.assertEqual((status, headers["retry-after"]), (429, "7"))
        self.assertIn("secondary rate limit", body["message"])
        statuses = [self.fake.get("/repos/ROCm/TheRock/commits")[0] for _ in range(4)]
        self.assertEqual(statuses, [502, 503, 502, 200])
        status, _, raw = self.fake.get("/repos/ROCm/TheRock/actions/runs/20083647898")
        self.assertEqual((status, type(raw)), (200, bytes))
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.fake.get("/repos/ROCm/rocm-systems/compare/2789ea4...050e88e")
        _, _, stats = self.fake.get("/__stats")
        self.assertEqual(stats["by_status"]["502"], 2)

    def test_stats_record_auth_and_headers(self):
        self.fake.get("/repos/ROCm/TheRock", token="first-token")
        self.fake.get("/repos/ROCm/TheRock/commits/77f0cb21", headers={"User-Agent": "x"})
        _, _, stats = self.fake.get("/__stats")
        self.assertEqual(stats["total"], 2)
        self.assertEqual(stats["authorizations"], ["Bearer first-token", None])
        self.assertEqual((stats["accept_ok"], stats["api_version_ok"]), (1, 1))
        self.assertEqual(stats["by_route"], {"GET /repos/{owner}/{repo}": 1,
                                             "GET /repos/{owner}/{repo}/commits/{ref}": 1})
        self.fake.call("POST", "/__reset")
        self.assertEqual(self.fake.get("/__stats")[2]["total"], 0)

    def test_user_agent_and_bad_credentials(self):
        status, _, raw = self.fake.get("/repos/ROCm/TheRock", headers={})
        self.assertEqual(status, 403)
        self.assertIn(b"User-Agent", raw)
        self.fake.control({"valid_tokens": ["good"]})
        self.assertEqual(self.fake.get("/repos/ROCm/TheRock", token="good")[0], 200)
        status, _, body = self.fake.get("/repos/ROCm/TheRock", token="bad")
        self.assertEqual((status, body["message"]), (401, "Bad credentials"))

    def test_dispatch_validation_and_lifecycle(self):
        path = "/repos/ROCm/TheRock/actions/workflows/multi_arch_ci.yml/dispatches"
        self.fake.control({"dispatch": {"queue_seconds": 0, "run_seconds": 0.3}})
        cases = [(None, {"ref": "main"}, 401, "Requires authentication"),
                 ("t", {"ref": "main", "inputs": {"bogus": "1"}}, 422,
                  'Unexpected inputs provided: ["bogus"]'),
                 ("t", {"ref": "nope"}, 422, "No ref found for: nope"),
                 ("t", {"inputs": {}}, 422, "Invalid request.\n\n\"ref\" wasn't supplied.")]
        for token, body, status, message in cases:
            got = self.fake.call("POST", path, body, token=token)
            self.assertEqual((got[0], got[2]["message"]), (status, message))
        got = self.fake.call("POST", path.replace("multi_arch_ci", "ci"), {"ref": "main"}, token="t")
        self.assertEqual(got[0], 422)
        status, _, body = self.fake.call("POST", path, {"ref": "main"}, token="t")
        self.assertEqual((status, body), (204, None))
        status, _, body = self.fake.call(
            "POST", path, {"ref": "main", "inputs": {"linux_amdgpu_families": "gfx94X"},
                           "return_run_details": True}, token="t")
        self.assertEqual(status, 200)
        run_url = body["run_url"]
        self.assertEqual(self.fake.get(run_url)[2]["status"], "in_progress")
        time.sleep(0.4)
        run = self.fake.get(run_url)[2]
        self.assertEqual((run["status"], run["conclusion"], run["event"]),
                         ("completed", "success", "workflow_dispatch"))
        _, _, listed = self.fake.get("/repos/ROCm/TheRock/actions/workflows/multi_arch_ci.yml/"
                                     "runs?event=workflow_dispatch&branch=main")
        self.assertEqual(listed["workflow_runs"][0]["id"], body["workflow_run_id"])


class BisectScenario(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = Fake("--scenario", "bisect", "--bisect-culprit", "20", "--bisect-no-run", "3,19")

    @classmethod
    def tearDownClass(cls):
        cls.fake.stop()

    def test_generated_history_compare_and_runs(self):
        info = self.fake.get("/__scenario")[2]["bisect"]
        commits = info["commits"]
        self.assertEqual(len(commits), 64)
        self.assertEqual(info["culprit_sha"], commits[20]["sha"])
        self.assertEqual([c["bad"] for c in commits].index(True), 20)
        base = f"/repos/ROCm/rocm-systems/compare/{info['good']}...{info['bad']}"
        _, _, whole = self.fake.get(base)
        self.assertEqual([c["sha"] for c in whole["commits"]], [c["sha"] for c in commits[1:]])
        sizes, url = [], base + "?per_page=30"
        while url:
            _, headers, body = self.fake.get(url)
            sizes.append(len(body["commits"]))
            self.assertEqual(body["total_commits"], 63)
            url = links(headers).get("next")
        self.assertEqual(sizes, [30, 30, 3])
        runs = f"/repos/ROCm/rocm-systems/actions/workflows/therock-ci.yml/runs?head_sha="
        self.assertEqual(self.fake.get(runs + commits[19]["sha"])[2]["total_count"], 0)
        rerun = self.fake.get(runs + commits[12]["sha"])[2]["workflow_runs"]
        self.assertEqual([r["conclusion"] for r in rerun], ["success", "failure"])
        self.assertEqual(rerun[0]["id"], commits[12]["run_id"])

    def test_control_regenerates_and_dispatch_follows_culprit(self):
        self.fake.control({"bisect": {"culprit": 40, "no_run": []},
                           "dispatch": {"queue_seconds": 0, "run_seconds": 0}})
        info = self.fake.get("/__scenario")[2]["bisect"]
        self.assertEqual(info["params"]["culprit"], 40)
        path = "/repos/ROCm/TheRock/actions/workflows/multi_arch_ci.yml/dispatches"
        for index, want in [(39, "success"), (40, "failure"), (63, "failure"), (0, "success")]:
            ref = f"bisect/rocm-systems-{info['commits'][index]['sha'][:8]}"
            _, _, body = self.fake.call("POST", path, {"ref": ref, "return_run_details": True},
                                        token="t")
            run = self.fake.get(body["run_url"])[2]
            self.assertEqual((run["head_branch"], run["conclusion"]), (ref, want))
        self.fake.call("POST", "/__reset")
        self.assertEqual(self.fake.get("/__scenario")[2]["bisect"]["params"]["culprit"], 20)


class CommandLine(unittest.TestCase):
    def print_scenario(self, *args):
        return subprocess.run([sys.executable, os.path.join(HERE, "fake_github.py"),
                               "--scenario", "bisect", "--print-scenario", *args],
                              capture_output=True, text=True, timeout=30)

    def test_bisect_parameters_from_the_command_line(self):
        first = json.loads(self.print_scenario("--bisect-seed", "7").stdout)["bisect"]
        again = json.loads(self.print_scenario("--bisect-seed", "7").stdout)["bisect"]
        self.assertEqual(first, again)
        self.assertNotEqual(first["params"]["culprit"], 37)
        small = json.loads(self.print_scenario("--bisect-count", "8").stdout)["bisect"]
        self.assertEqual(len(small["commits"]), 8)
        self.assertEqual(small["commits"][0]["sha"],
                         "4cb26ac557be35d2d47510ccfa40b264d3dcd9a6")  # sha1("bisect-commit-0")
        bad = self.print_scenario("--bisect-count", "8", "--bisect-failed", "9")
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("bisect failed indices [9] outside 0..7", bad.stderr)

    def test_prefix_control_and_stats_file(self):
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            stats_file = os.path.join(tmp, "stats.json")
            fake = Fake("--prefix", "/api/v3", "--stats-file", stats_file,
                        "--control", '{"rate_limit": {"limit": 5000, "remaining": 0}}')
            try:
                with open(stats_file, encoding="utf-8") as f:
                    self.assertEqual(json.load(f)["total"], 0)
                status, _, body = fake.get("/api/v3/repos/ROCm/TheRock/commits?per_page=2")
                self.assertEqual(status, 403)
                fake.control({"rate_limit": None})
                status, headers, body = fake.get("/api/v3/repos/ROCm/TheRock/commits?per_page=2")
                self.assertEqual((status, len(body)), (200, 2))
                self.assertIn("/api/v3/repositories/811111111/commits?", links(headers)["next"])
                with open(stats_file, encoding="utf-8") as f:
                    self.assertEqual(json.load(f)["by_status"], {"403": 1, "200": 1})
            finally:
                fake.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
