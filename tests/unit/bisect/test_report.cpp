// SPDX-License-Identifier: MIT
// Report rendering: culprit, range, in-progress and inconsistent sessions.
#include <rockart/bisect/report.hpp>

#include <gtest/gtest.h>

namespace rockart::bisect {
namespace {

using namespace std::chrono_literals;

// Four commits after the good one; the second has no artifacts.
Session finished_session() {
  Session s;
  s.repo = "ROCm/rocm-systems";
  s.good = "2789ea429a8f0f32ff68e21858a21f4b04be9e82";
  s.bad = "7871f53563e7747daaca113d3d2a08b3fcaaf087";
  s.artifact_group = "gfx94X-dcgpu";
  s.workflow = "therock-ci.yml";
  s.platform = "linux";
  s.includes = {"core-hip"};
  s.command = {"sh", "-c", "test \"$(rocm-check)\" != broken"};
  s.started_at = std::chrono::sys_days{std::chrono::January / 9 / 2026};
  s.total_seconds = 812.4;
  s.total_bytes = 3ull << 30;
  s.commits = {
      {"3568e0df02c7f8d203de29b9e175ac87f7da337f",
       "Fix catch tests failures on Windows (#2097)",
       "Ann Dev",
       Availability::available,
       "",
       20723767265,
       ""},
      {"0f0504d79dae96269631a21af3636bfe00044894",
       "Fix soft hang in hipMemVmm_Uncached (#2223)",
       "Bob Dev",
       Availability::unavailable,
       "no run of therock-ci.yml",
       std::nullopt,
       ""},
      {"88f4bb19883f04524c32564792bb411a7050b440",
       "fix hipSetValidDevices_with_hipMemcpyPeer",
       "Cy Dev",
       Availability::available,
       "",
       20723700001,
       "https://github.com/ROCm/rocm-systems/actions/runs/20723700001"},
      {"7871f53563e7747daaca113d3d2a08b3fcaaf087",
       "gfx950 support in ValuPipeIssueUtil counter",
       "Di Dev",
       Availability::available,
       "",
       20723700002,
       ""},
  };
  s.log = {{s.commits[2].sha,
            Verdict::bad,
            s.started_at + 60s,
            "CMD exited with 1",
            20723700001,
            61.5,
            1u << 30,
            {}},
           {s.commits[0].sha,
            Verdict::good,
            s.started_at + 200s,
            "CMD exited with 0",
            20723767265,
            70,
            1u << 30,
            {}}};
  return s;
}

TEST(BisectReport, ShellQuote) {
  EXPECT_EQ(shell_quote("gfx94X-dcgpu"), "gfx94X-dcgpu");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
}

TEST(BisectReport, FormatDuration) {
  EXPECT_EQ(format_duration(0), "0.0 s");
  EXPECT_EQ(format_duration(12.46), "12.5 s");
  EXPECT_EQ(format_duration(812.4), "13m 32s");
  EXPECT_EQ(format_duration(7500), "2h 05m 00s");
}

TEST(BisectReport, RangeResultWhenCulpritIsNextToAGap) {
  const Session s = finished_session();
  EXPECT_EQ(render_report_text(s),
            "culprit: one of 2 commits that cannot be told apart (neighbours without usable "
            "artifacts or skipped):\n"
            "  0f0504d79dae  Fix soft hang in hipMemVmm_Uncached (#2223)  (no artifacts: no run "
            "of therock-ci.yml)\n"
            "  88f4bb19883f  fix hipSetValidDevices_with_hipMemcpyPeer  (bad)\n"
            "range: 2789ea429a8f..7871f53563e7 in ROCm/rocm-systems (4 commits after the good "
            "one)\n"
            "tested: 2\n"
            "  88f4bb19883f  bad  run 20723700001  CMD exited with 1  1m 02s\n"
            "  3568e0df02c7  good  run 20723767265  CMD exited with 0  1m 10s\n"
            "skipped: 1\n"
            "  0f0504d79dae  no artifacts: no run of therock-ci.yml\n"
            "total: 13m 32s, 3.0 GiB downloaded\n");
  const auto j = render_report_json(s);
  EXPECT_EQ(j.at("status"), "range");
  ASSERT_EQ(j.at("range").size(), 2u);
  EXPECT_EQ(j.at("range")[0].at("why"), "no artifacts: no run of therock-ci.yml");
  EXPECT_TRUE(j.at("culprit").is_null());
}

TEST(BisectReport, CulpritWithReproduceCommand) {
  Session s = finished_session();
  s.commits[1].availability = Availability::available;
  s.commits[1].unavailable_reason.clear();
  s.commits[1].run_id = 20723700000;
  s.log.push_back({s.commits[1].sha,
                   Verdict::good,
                   s.started_at + 300s,
                   "CMD exited with 0",
                   20723700000,
                   5,
                   0,
                   {}});
  const std::string text = render_report_text(s, {"/tmp/culprit dir", "https://github.com"});
  EXPECT_EQ(text.substr(0, text.find("range:")),
            "culprit: 88f4bb19883f04524c32564792bb411a7050b440\n"
            "  subject: fix hipSetValidDevices_with_hipMemcpyPeer\n"
            "  author:  Cy Dev\n"
            "  commit:  https://github.com/ROCm/rocm-systems/commit/"
            "88f4bb19883f04524c32564792bb411a7050b440\n"
            "  run:     https://github.com/ROCm/rocm-systems/actions/runs/20723700001\n");
  const std::string reproduce =
      "rockart fetch --run-id 20723700001 --run-github-repo ROCm/rocm-systems --platform linux "
      "--artifact-group gfx94X-dcgpu --flatten --output-dir '/tmp/culprit dir' -- core-hip "
      "&& ROCKART_COMMIT="
      "88f4bb19883f04524c32564792bb411a7050b440 ROCKART_RUN_ID=20723700001 "
      "ROCKART_ARTIFACTS_DIR='/tmp/culprit dir' ROCM_PATH='/tmp/culprit dir' "
      "PATH='/tmp/culprit dir'/bin\"${PATH:+:$PATH}\" "
      "LD_LIBRARY_PATH='/tmp/culprit dir'/lib\"${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\" "
      "sh -c 'test \"$(rocm-check)\" != broken'";
  EXPECT_NE(text.find("reproduce:\n  " + reproduce + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find("skipped: 0\n"), std::string::npos);
  const auto j = render_report_json(s, {"/tmp/culprit dir", "https://github.com"});
  EXPECT_EQ(j.at("status"), "culprit");
  EXPECT_EQ(j.at("culprit").at("sha"), "88f4bb19883f04524c32564792bb411a7050b440");
  EXPECT_EQ(j.at("culprit").at("run_id"), 20723700001);
  EXPECT_EQ(j.at("reproduce"), reproduce);
  EXPECT_EQ(j.at("tested").size(), 3u);
  EXPECT_EQ(j.at("tested")[0].at("time"), "2026-01-09T00:01:00Z");
  EXPECT_EQ(j.at("total_bytes"), 3ull << 30);
}

TEST(BisectReport, ManualSessionReproducesFetchOnly) {
  Session s = finished_session();
  s.command.clear();
  s.workflow.clear();
  s.includes.clear();
  EXPECT_EQ(reproduce_command(s, 0, {}),
            "rockart fetch --commit 3568e0df02c7f8d203de29b9e175ac87f7da337f --run-github-repo "
            "ROCm/rocm-systems --platform linux --artifact-group gfx94X-dcgpu --flatten "
            "--output-dir rockart-culprit");
}

TEST(BisectReport, DefaultWorkflowReproducesByCommitWithIncludesAfterDoubleDash) {
  Session s = finished_session();
  s.command.clear();
  s.workflow.clear();
  s.includes = {"-odd", "core"};
  EXPECT_EQ(reproduce_command(s, 0, {}),
            "rockart fetch --commit 3568e0df02c7f8d203de29b9e175ac87f7da337f --run-github-repo "
            "ROCm/rocm-systems --platform linux --artifact-group gfx94X-dcgpu --flatten "
            "--output-dir rockart-culprit -- -odd core");
}

TEST(BisectReport, TimesShowsThePassCounts) {
  Session s = finished_session();
  s.log[0].runs = RunCounts{3, 2, 1, 0};
  s.log[0].reason = "attempt 3 of 3: CMD exited with 1 (--flaky bad-if-any)";
  s.log[1].runs = RunCounts{3, 2, 0, 1};
  const std::string text = render_report_text(s);
  EXPECT_NE(text.find("  88f4bb19883f  bad  2/3 passed  run 20723700001  attempt 3 of 3: CMD "
                      "exited with 1 (--flaky bad-if-any)  1m 02s\n"
                      "  3568e0df02c7  good  2/3 passed, 1 skipped  run 20723767265"),
            std::string::npos)
      << text;
  const auto j = render_report_json(s);
  EXPECT_EQ(j.at("tested")[0].at("runs"),
            nlohmann::json({{"total", 3}, {"passed", 2}, {"failed", 1}, {"skipped", 0}}));
  s.log[1].runs.reset();
  EXPECT_TRUE(render_report_json(s).at("tested")[1].at("runs").is_null());
}

TEST(BisectReport, InProgressAndInconsistent) {
  Session s = finished_session();
  s.log.clear();
  const std::string text = render_report_text(s);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "in progress: next test 3568e0df02c7, 2 candidates left (about 2 steps)");
  EXPECT_EQ(render_report_json(s).at("next"), "3568e0df02c7f8d203de29b9e175ac87f7da337f");
  s.log.push_back({s.bad, Verdict::good, s.started_at, "marked by user", {}, 0, 0, {}});
  const auto j = render_report_json(s);
  EXPECT_EQ(j.at("status"), "inconsistent");
  EXPECT_EQ(j.at("error"),
            "inconsistent verdicts: commit 7871f53563e7 is the bad end of the range but was "
            "marked good; mark it bad again or start over with `rockart bisect reset`");
}

} // namespace
} // namespace rockart::bisect
