// SPDX-License-Identifier: MIT
// `rockart bisect report` inside GitHub Actions: a session over a local git
// clone (no server needed) marked by hand, then the report's step outputs
// read back as the runner reads $GITHUB_OUTPUT, its summary, and `::error`
// when there is no session to report.
#include "support/actions_files.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

namespace rockart::test {
namespace {

namespace fs = std::filesystem;
using Outputs = std::map<std::string, std::string>;

class BisectActions : public ::testing::Test {
protected:
  // A clone with commits c0 (good) .. c4 (bad), one file each.
  void SetUp() override {
    git({"init", "-q", "-b", "main", m_repo.path().string()});
    for (int i = 0; i <= 4; ++i) {
      write_file(m_repo.path() / ("f" + std::to_string(i)), "x");
      git({"-C", m_repo.path().string(), "add", "."});
      git({"-C",
           m_repo.path().string(),
           "-c",
           "user.name=Dev",
           "-c",
           "user.email=dev@example.com",
           "commit",
           "-q",
           "-m",
           "change " + std::to_string(i)});
      m_shas.push_back(git({"-C", m_repo.path().string(), "rev-parse", "HEAD"}));
    }
  }

  std::string git(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run_process(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }

  ProcessResult bisect(std::vector<std::string> args,
                       const std::map<std::string, std::string>& vars = {}) {
    args.insert(args.end(), {"--cache-dir", (m_cache.path() / "cache").string()});
    std::vector<std::string> argv = {"bisect"};
    argv.insert(argv.end(), args.begin(), args.end());
    RunOptions options;
    options.env = vars;
    return run_rockart(argv, options);
  }

  void start() {
    const auto r = bisect({"start",
                           "--repo",
                           "ROCm/rocm-systems",
                           "--good",
                           m_shas[0],
                           "--bad",
                           m_shas[4],
                           "--artifact-group",
                           "gfx94X-dcgpu",
                           "--git-dir",
                           m_repo.path().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  TempDir m_repo;
  TempDir m_cache;
  std::vector<std::string> m_shas;
};

TEST_F(BisectActions, TheCulpritAndItsUrl) {
  start();
  ASSERT_EQ(bisect({"bad", m_shas[2]}).exit_code, 0);
  ASSERT_EQ(bisect({"good", m_shas[1]}).exit_code, 0);
  ActionsFiles files;
  const auto r = bisect({"report"}, files.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("culprit: " + m_shas[2]), std::string::npos) << r.out; // stdout unchanged
  EXPECT_EQ(workflow_errors(r.err), std::vector<WorkflowError>{});
  const std::string url = "https://github.com/ROCm/rocm-systems/commit/" + m_shas[2];
  EXPECT_EQ(github_output_map(files.output()),
            (Outputs{{"status", "culprit"}, {"culprit", m_shas[2]}, {"culprit_url", url}}));
  const std::string summary = files.summary();
  EXPECT_TRUE(summary.starts_with("### rockart bisect report: culprit " + m_shas[2].substr(0, 12)
                                  + "\n\n| Field | Value |\n| --- | --- |\n"
                                    "| Repository | ROCm/rocm-systems |\n"
                                    "| Range | `"
                                  + m_shas[0].substr(0, 12) + ".." + m_shas[4].substr(0, 12)
                                  + "` (4 commits after the good one) |\n"
                                    "| Culprit | [`"
                                  + m_shas[2] + "`](" + url
                                  + ") |\n"
                                    "| Subject | change 2 |\n"
                                    "| Author | Dev |\n"
                                    "| Tested | 2 |\n"
                                    "| Skipped | 0 |\n"))
      << summary;
  EXPECT_NE(summary.find("| Result | success |\n"), std::string::npos) << summary;
  EXPECT_NE(summary.find("Reproduce:\n\n```sh\nrockart fetch --commit " + m_shas[2]),
            std::string::npos)
      << summary;
}

TEST_F(BisectActions, ARangeIsOneShaALine) {
  start();
  ASSERT_EQ(bisect({"good", m_shas[1]}).exit_code, 0);
  ASSERT_EQ(bisect({"skip", m_shas[2]}).exit_code, 0);
  ASSERT_EQ(bisect({"bad", m_shas[3]}).exit_code, 0);
  ActionsFiles files;
  const auto r = bisect({"report"}, files.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(github_output_map(files.output()),
            (Outputs{{"status", "range"}, {"range", m_shas[2] + "\n" + m_shas[3]}}));
  EXPECT_NE(
      files.output().find("range<<EOF_mag1c\n" + m_shas[2] + "\n" + m_shas[3] + "\nEOF_mag1c\n"),
      std::string::npos)
      << files.output();
  EXPECT_NE(files.summary().find("### rockart bisect report: the culprit is one of 2 commits\n"),
            std::string::npos)
      << files.summary();
  EXPECT_NE(files.summary().find("| Commit | Subject | Why untestable |\n"), std::string::npos)
      << files.summary();
}

TEST_F(BisectActions, AnUnfinishedSearchNamesTheNextTest) {
  start();
  ActionsFiles files;
  const auto r = bisect({"report", "--github-output"}, files.env(false));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto outputs = github_output_map(files.output());
  EXPECT_EQ(outputs.at("status"), "in-progress");
  EXPECT_EQ(outputs.count("culprit"), 0u);
  EXPECT_EQ(outputs.at("next").size(), 40u);
  EXPECT_NE(files.summary().find("### rockart bisect report: in progress\n"), std::string::npos)
      << files.summary();
}

TEST_F(BisectActions, NoSessionIsAnErrorLineAndAFailedSummary) {
  ActionsFiles files;
  const auto r = bisect({"report"}, files.env());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const auto errors = workflow_errors(r.err);
  ASSERT_EQ(errors.size(), 1u) << r.err;
  EXPECT_EQ(errors[0].title, "rockart bisect report: usage error");
  EXPECT_NE(errors[0].message.find("no bisect session"), std::string::npos) << errors[0].message;
  EXPECT_EQ(files.output(), "");
  EXPECT_NE(files.summary().find("| Result | **failed** (exit code 2) |"), std::string::npos)
      << files.summary();
}

TEST_F(BisectActions, NothingIsWrittenOutsideAWorkflowWithoutTheFlag) {
  ActionsFiles files;
  const auto failed = bisect({"report"}, files.env(false));
  EXPECT_EQ(failed.exit_code, 2);
  EXPECT_EQ(failed.err.find("::error"), std::string::npos) << failed.err;
  start();
  EXPECT_EQ(bisect({"report"}, files.env(false)).exit_code, 0);
  EXPECT_TRUE(files.untouched());
}

} // namespace
} // namespace rockart::test
