// SPDX-License-Identifier: MIT
// The "Examples" and "Exit status" part of every command's --help, in one
// place so they read alike and a test can check that none is missing.
// Commands whose file sets its own footer (fetch, install, stages, the
// framework manifests, help) are left as they are.
#include "cli.hpp"

#include <string>
#include <vector>

namespace rockart::cli {

namespace {

const char* const k_find_exit =
    "Exit status: 0 found, 1 not found, 2 error (usage, GitHub, S3); on 1 and 2 nothing is "
    "printed on stdout, even with --json, as find_artifacts_for_commit.py does.";
const char* const k_upload_exit =
    "Exit status: 0 uploaded (or dry run), 2 error (usage, missing input, S3 after retries).";
const char* const k_bisect_exit =
    "Exit status: 0 done, 1 no session or nothing to test, 2 error, 130 interrupted.";

struct Footer {
  std::string path; // below `rockart`: "", "s3 cp"
  std::string text;
};

// Every command's examples and exit status.
const std::vector<Footer>& footers() {
  static const std::vector<Footer> table = {
      {"",
       "Examples:\n"
       "  rockart find --commit HEAD --artifact-group gfx94X-dcgpu\n"
       "  rockart install --commit HEAD --artifact-group gfx94X-dcgpu --blas --tests\n"
       "  rockart fetch --stage math-libs --amdgpu-families gfx94X-dcgpu --bootstrap "
       "--output-dir build\n"
       "  rockart help fetch\n"
       "Exit status: 0 success; 1 not found (no run, no matching artifact or group, unmatched "
       "include, unknown stage); 2 error (usage, configuration, network, remote, integrity, "
       "archive, local I/O); 130 interrupted."},
      {"bucket",
       "Examples:\n"
       "  rockart bucket --repo ROCm/rocm-libraries --explain\n"
       "  rockart bucket --release-type nightly --json\n"
       "  GITHUB_ACTIONS=true rockart bucket   # bucket, iam_role, aws_region step outputs\n"
       "Exit status: 0 printed, 2 error (usage, unreadable event file)."},
      {"locate",
       "Examples:\n"
       "  rockart locate --run-id 20723767265 run-root\n"
       "  rockart locate --repo ROCm/rocm-systems --run-id 20723767265 log-dir gfx94X-dcgpu\n"
       "  rockart locate --list\n"
       "Exit status: 0 printed, 2 error (usage: unknown kind, missing argument)."},
      {"s3",
       "Examples:\n"
       "  rockart s3 ls s3://therock-ci-artifacts/20083647898-linux/\n"
       "  rockart s3 cp s3://therock-ci-artifacts/20083647898-linux/base_lib_generic.tar.zst .\n"
       "Exit status: 0 done, 1 nothing matched or no such key, 2 error."},
      {"s3 ls",
       "Examples:\n"
       "  rockart s3 ls s3://therock-ci-artifacts/20083647898-linux/\n"
       "  rockart s3 ls --recursive --summarize --human-readable s3://therock-ci-artifacts/"
       "20083647898-linux/logs/\n"
       "  rockart s3 ls --json s3://therock-ci-artifacts/20083647898-linux/\n"
       "Exit status: 0 listed, 1 nothing matched, 2 error."},
      {"s3 cp",
       "Examples:\n"
       "  rockart s3 cp s3://therock-ci-artifacts/20083647898-linux/base_lib_generic.tar.zst .\n"
       "  rockart s3 cp --recursive build/logs/ s3://my-bucket/123-linux/logs/\n"
       "  rockart s3 cp s3://b/k - | tar --zstd -t\n"
       "Exit status: 0 copied, 1 no such key, 2 error."},
      {"s3 rm",
       "Examples:\n"
       "  rockart s3 rm s3://my-bucket/123-linux/index.html\n"
       "  rockart s3 rm --recursive s3://my-bucket/123-linux/\n"
       "Exit status: 0 deleted, 1 no such key, 2 error."},
      {"s3 mb",
       "Examples:\n"
       "  rockart s3 mb s3://my-bucket\n"
       "  rockart s3 mb s3://test --endpoint-url http://127.0.0.1:5000\n"
       "Exit status: 0 created, 2 error."},
      {"upload",
       "Examples:\n"
       "  rockart upload build --artifact-group gfx94X-dcgpu --run-id 123 --upload\n"
       "  rockart upload stage-logs --stage math-libs --amdgpu-family gfx94X-dcgpu\n"
       "  rockart upload python --input-packages-dir packages --multiarch --run-id 123 "
       "--output-dir staging\n"
           + std::string(k_upload_exit)},
      {"upload build",
       "Examples:\n"
       "  rockart upload build --artifact-group gfx94X-dcgpu --run-id 123 --upload\n"
       "  rockart upload build --artifact-group gfx94X-dcgpu --run-id 123 --dry-run\n"
       "  rockart upload build --artifact-group gfx94X-dcgpu   # outside CI: log archives only\n"
           + std::string(k_upload_exit)},
      {"upload stage-logs",
       "Examples:\n"
       "  rockart upload stage-logs --stage compiler-runtime --run-id 123\n"
       "  rockart upload stage-logs --stage math-libs --amdgpu-family gfx94X-dcgpu "
       "--output-dir staging\n"
           + std::string(k_upload_exit)},
      {"upload python",
       "Examples:\n"
       "  rockart upload python --input-packages-dir packages --artifact-group gfx94X-dcgpu "
       "--run-id 123\n"
       "  rockart upload python --input-packages-dir packages --multiarch --run-id 123 "
       "--dry-run\n"
           + std::string(k_upload_exit)},
      {"upload tarballs",
       "Examples:\n"
       "  rockart upload tarballs --input-tarballs-dir dist --run-id 123\n"
       "  rockart upload tarballs --input-tarballs-dir dist --run-id 123 --release-type nightly "
       "--output-dir staging\n"
           + std::string(k_upload_exit)},
      {"upload test-report",
       "Examples:\n"
       "  rockart upload test-report --report-path reports --subfolder rocblas-tests "
       "--run-id 123\n"
       "  rockart upload test-report --report-path reports --subfolder rocblas-tests "
       "--run-id 123 --dry-run\n"
           + std::string(k_upload_exit)},
      {"push",
       "Examples:\n"
       "  rockart push --stage math-libs --build-dir build\n"
       "  rockart push --stage all --build-dir build --compression-type xz --output-dir staging\n"
       "Exit status: 0 pushed, 1 unknown stage or missing build/artifacts, 2 error (an upload "
       "failed after retries, a damaged artifact directory)."},
      {"index",
       "Examples:\n"
       "  rockart index --run-id 123\n"
       "  rockart index --run-id 123 --include-intermediate-dirs --dry-run\n"
           + std::string(k_upload_exit)},
      {"copy",
       "Examples:\n"
       "  rockart copy --source-run-id 20083647898 --stage compiler-runtime,math-libs "
       "--amdgpu-families gfx94X-dcgpu\n"
       "  rockart copy --source-run-id 20083647898 --artifacts base,amd-llvm --dry-run\n"
       "  rockart copy --source-run-id 1 --stage comm-libs --local-staging-dir staging\n"
       "Exit status: 0 copied (or nothing to copy), 1 unknown stage or a copy failed, 2 error."},
      {"find",
       "Examples:\n"
       "  rockart find --commit 77f0cb2 --artifact-group gfx94X-dcgpu\n"
       "  rockart find --commit HEAD --artifact-group gfx94X-dcgpu --fallback-ancestors 20 "
       "--json\n"
       "  rockart find --run-id 20083647898 --artifact-group gfx110X-all\n"
           + std::string(k_find_exit)},
      {"latest",
       "Examples:\n"
       "  rockart latest --artifact-group gfx94X-dcgpu\n"
       "  rockart latest --artifact-group gfx94X-dcgpu --artifact-group gfx110X-all --branch "
       "release/7.0 --json\n"
           + std::string(k_find_exit)},
      {"cache",
       "Examples:\n"
       "  rockart cache info\n"
       "  rockart cache gc --cache-max-size 20G\n"
       "  rockart cache verify\n"
       "Exit status: 0 done, 2 error (a corrupt entry found by verify, unreadable cache)."},
      {"cache info",
       "Examples:\n  rockart cache info\n  rockart cache info --json\n"
       "Exit status: 0 printed, 2 error."},
      {"cache ls",
       "Examples:\n  rockart cache ls\n  rockart cache ls --json\n"
       "Exit status: 0 printed, 2 error."},
      {"cache verify",
       "Examples:\n  rockart cache verify\n  rockart cache verify --json\n"
       "Exit status: 0 every entry intact, 2 corrupt entries (evicted) or error."},
      {"cache gc",
       "Examples:\n  rockart cache gc\n  rockart cache gc --cache-max-size 500MiB\n"
       "Exit status: 0 done, 2 error."},
      {"cache clear",
       "Examples:\n  rockart cache clear\n  rockart cache clear --cache-dir /tmp/rockart-cache\n"
       "Exit status: 0 cleared, 2 error."},
      {"bisect",
       "Examples:\n"
       "  rockart bisect start --repo ROCm/TheRock --good v7.0.0 --bad HEAD --artifact-group "
       "gfx94X-dcgpu\n"
       "  rockart bisect run -- ./run_test.sh\n"
       "  rockart bisect report --json\n"
           + std::string(k_bisect_exit)},
      {"bisect start",
       "Examples:\n"
       "  rockart bisect start --repo ROCm/TheRock --good 1a2b3c4 --bad 5d6e7f8 "
       "--artifact-group gfx94X-dcgpu\n"
       "  rockart bisect start --repo ROCm/TheRock --good v7.0.0 --bad HEAD --artifact-group "
       "gfx94X-dcgpu --git-dir ~/src/TheRock --include blas\n"
       "  rockart bisect start --repo ROCm/TheRock --bad HEAD --max-lookback 32 "
       "--artifact-group gfx94X-dcgpu\n"
       "  rockart bisect start --repo ROCm/TheRock --good-date 2026-02-01 --bad-date 2026-02-08 "
       "--artifact-group gfx94X-dcgpu\n"
           + std::string(k_bisect_exit)},
      {"bisect good",
       "Examples:\n  rockart bisect good\n  rockart bisect good 1a2b3c4\n"
           + std::string(k_bisect_exit)},
      {"bisect bad",
       "Examples:\n  rockart bisect bad\n  rockart bisect bad 5d6e7f8\n"
           + std::string(k_bisect_exit)},
      {"bisect skip",
       "Examples:\n  rockart bisect skip\n  rockart bisect skip 1a2b3c4\n"
           + std::string(k_bisect_exit)},
      {"bisect run",
       "Examples:\n"
       "  rockart bisect run -- ./run_test.sh\n"
       "  rockart bisect run --timeout 10m --times 3 --skip-if '^SKIPPED' --bad-if MISMATCH "
       "--prefetch 2 -- ctest -R rocblas\n"
       "  rockart bisect run --prompt\n"
       "  rockart bisect run --strategy ci --dispatch-workflow test.yml --ref main "
       "--dispatch-input sha={sha}\n"
       "Exit status: 0 culprit found (or quit at --prompt: the session is saved), 1 no session "
       "or nothing testable, 2 error (a run that aborts included), 130 interrupted (resume with "
       "the same command).\n"
       "Verdict of one run of CMD, the first that applies: rockart interrupted: abort; a line of "
       "output matches --skip-if: skip, --bad-if: bad, --good-if: good (ECMAScript regexes "
       "searched in each line of CMD's stdout and stderr, still copied to stderr); timed out: "
       "--timeout-verdict; killed by SIGSEGV, SIGABRT, SIGBUS, SIGILL or SIGFPE: "
       "--crash-verdict; by another signal: abort; exit 0 good, 125 skip, 1-127 bad, >= 128 "
       "abort (--crash-verdict when given). With --times N the runs combine per --flaky; a run "
       "that aborts aborts the session.\n"
       "CMD runs in a process group of its own (stdin /dev/null when that is a terminal); "
       "SIGINT, SIGTERM and SIGHUP to rockart are passed on to all of it.\n"
       "The verdict rules and --prompt are saved in the session: a resumed `bisect run` without "
       "them judges the same way; a flag given replaces its saved value (--timeout 0 and an "
       "empty REGEX remove one); -- CMD ends --prompt."},
      {"bisect status", "Examples:\n  rockart bisect status\n" + std::string(k_bisect_exit)},
      {"bisect report",
       "Examples:\n  rockart bisect report\n  rockart bisect report --json\n"
           + std::string(k_bisect_exit)},
      {"bisect log",
       "Examples:\n  rockart bisect log > session.json\n  rockart bisect replay session.json\n"
           + std::string(k_bisect_exit)},
      {"bisect replay",
       "Examples:\n  rockart bisect replay session.json\n"
       "  rockart bisect replay session.json --json\n"
           + std::string(k_bisect_exit)},
      {"bisect reset", "Examples:\n  rockart bisect reset\n" + std::string(k_bisect_exit)},
  };
  return table;
}

void add_footers(CLI::App& app, const std::string& path) {
  for (const Footer& footer : footers()) {
    if (footer.path == path && app.get_footer().find("Example") == std::string::npos) {
      app.footer(footer.text);
    }
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    add_footers(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name());
  }
}

} // namespace

void add_examples(CLI::App& app) {
  add_footers(app, "");
}

} // namespace rockart::cli
