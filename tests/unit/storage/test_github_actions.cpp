// SPDX-License-Identifier: MIT
// GitHub Actions integration (behaviours.md §0.3): the boolean word table for
// CI, the GITHUB_OUTPUT entry formats, and the summary writer's files and
// warnings, with an injected environment and temp files.
#include <rockart/error.hpp>
#include <rockart/storage/github_actions.hpp>
#include <rockart/util/log.hpp>

#include <gtest/gtest.h>

#include <support/support.hpp>

#include <map>
#include <string>
#include <vector>

namespace rockart::storage {
namespace {

namespace fs = std::filesystem;
using rockart::test::read_file;
using rockart::test::TempDir;
using rockart::test::write_file;

struct BoolRow {
  std::optional<std::string> value;
  bool expected;
};

class EnvBool : public ::testing::TestWithParam<BoolRow> {};

TEST_P(EnvBool, FollowsTheSpecWordTable) {
  EXPECT_EQ(parse_env_bool("CI", GetParam().value), GetParam().expected)
      << GetParam().value.value_or("<unset>");
}

INSTANTIATE_TEST_SUITE_P(TrueWords,
                         EnvBool,
                         ::testing::Values(BoolRow{"1", true},
                                           BoolRow{"true", true},
                                           BoolRow{"t", true},
                                           BoolRow{"yes", true},
                                           BoolRow{"y", true},
                                           BoolRow{"on", true},
                                           BoolRow{"enable", true},
                                           BoolRow{"enabled", true},
                                           BoolRow{"found", true},
                                           BoolRow{"TRUE", true},
                                           BoolRow{" Yes\n", true},
                                           BoolRow{"\tOn ", true}));

INSTANTIATE_TEST_SUITE_P(FalseWords,
                         EnvBool,
                         ::testing::Values(BoolRow{std::nullopt, false},
                                           BoolRow{"", false},
                                           BoolRow{"0", false},
                                           BoolRow{"false", false},
                                           BoolRow{"f", false},
                                           BoolRow{"no", false},
                                           BoolRow{"n", false},
                                           BoolRow{"off", false},
                                           BoolRow{"disable", false},
                                           BoolRow{"disabled", false},
                                           BoolRow{"notfound", false},
                                           BoolRow{"none", false},
                                           BoolRow{"null", false},
                                           BoolRow{"nil", false},
                                           BoolRow{"undefined", false},
                                           BoolRow{"n/a", false},
                                           BoolRow{"  ", false},
                                           BoolRow{"False", false},
                                           BoolRow{"NotFound", false}));

TEST(EnvBoolErrors, OtherWordsAreAConfigErrorNamingTheVariableAndValue) {
  for (const std::string word : {"2", "maybe", "truee", "yes please", "-1", "ok"}) {
    EXPECT_ERROR(parse_env_bool("CI", word), ConfigError, "CI='" + word + "' is not a boolean");
  }
  try {
    parse_env_bool("CI", "maybe");
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.hint(), "use true or false (also 1/0, yes/no, on/off)");
  }
}

TEST(GithubOutputEntry, SingleLineIsKeyEqualsValue) {
  EXPECT_EQ(github_output_entry("kpack_split", "true"), "kpack_split=true\n");
  EXPECT_EQ(github_output_entry("empty", ""), "empty=\n");
  EXPECT_EQ(github_output_entry("tarball_urls", "{\"multiarch\": \"https://x/a%2Bb\"}"),
            "tarball_urls={\"multiarch\": \"https://x/a%2Bb\"}\n");
}

TEST(GithubOutputEntry, MultiLineUsesTheEofMag1cDelimiter) {
  EXPECT_EQ(github_output_entry("notes", "line 1\nline 2"),
            "notes<<EOF_mag1c\nline 1\nline 2\nEOF_mag1c\n");
  EXPECT_EQ(github_output_entry("trailing", "x\n"), "trailing<<EOF_mag1c\nx\n\nEOF_mag1c\n");
}

// An environment from a map plus a log capture, for the writers.
class GithubActionsFiles : public ::testing::Test {
protected:
  void SetUp() override {
    util::set_log_sink([this](util::LogLevel level, std::string_view line) {
      if (level == util::LogLevel::warn) {
        m_warnings.emplace_back(line);
      }
    });
  }

  void TearDown() override { util::set_log_sink(nullptr); }

  util::EnvLookup env() const {
    return [this](std::string_view name) -> std::optional<std::string> {
      const auto found = m_env.find(std::string(name));
      return found == m_env.end() ? std::nullopt : std::optional(found->second);
    };
  }

  std::string joined_warnings() const {
    std::string out;
    for (const auto& line : m_warnings) {
      out += line + "\n";
    }
    return out;
  }

  TempDir m_dir;
  std::map<std::string, std::string> m_env;
  std::vector<std::string> m_warnings;
};

TEST_F(GithubActionsFiles, OutputsAreAppendedInOrder) {
  const fs::path file = m_dir.path() / "output";
  write_file(file, "earlier=1\n");
  m_env["GITHUB_OUTPUT"] = file.string();
  EXPECT_TRUE(write_github_output(env(), "package_find_links_url", "https://b/p/index.html"));
  EXPECT_TRUE(write_github_output(env(), "body", "a\nb"));
  EXPECT_EQ(read_file(file),
            "earlier=1\npackage_find_links_url=https://b/p/index.html\n"
            "body<<EOF_mag1c\na\nb\nEOF_mag1c\n");
  EXPECT_TRUE(m_warnings.empty()) << joined_warnings();
}

TEST_F(GithubActionsFiles, MissingOutputVariableWarnsAndSkips) {
  EXPECT_FALSE(write_github_output(env(), "kpack_split", "true"));
  m_env["GITHUB_OUTPUT"] = "";
  EXPECT_FALSE(write_github_output(env(), "kpack_split", "true"));
  ASSERT_EQ(m_warnings.size(), 2U);
  EXPECT_NE(m_warnings[0].find("GITHUB_OUTPUT is not set; not writing output kpack_split"),
            std::string::npos)
      << m_warnings[0];
}

TEST_F(GithubActionsFiles, UnwritableOutputFileWarnsInsteadOfThrowing) {
  m_env["GITHUB_OUTPUT"] = (m_dir.path() / "no/such/dir/output").string();
  EXPECT_FALSE(write_github_output(env(), "k", "v"));
  ASSERT_EQ(m_warnings.size(), 1U);
  EXPECT_NE(m_warnings[0].find("cannot append to " + m_env["GITHUB_OUTPUT"] + " (output k)"),
            std::string::npos)
      << m_warnings[0];
}

TEST_F(GithubActionsFiles, SummaryGoesToBothFilesWithABlankLine) {
  const fs::path summary = m_dir.path() / "step_summary.md";
  m_env["GITHUB_STEP_SUMMARY"] = summary.string();
  m_env["RUNNER_TEMP"] = m_dir.path().string();
  EXPECT_EQ(append_job_summary(env(), "[Build Logs](https://x/logs/g/index.html)"), 2);
  EXPECT_EQ(append_job_summary(env(), "second"), 2);
  const std::string expected = "[Build Logs](https://x/logs/g/index.html)\n\nsecond\n\n";
  EXPECT_EQ(read_file(summary), expected);
  EXPECT_EQ(read_file(m_dir.path() / "job_summary.md"), expected);
  EXPECT_TRUE(m_warnings.empty()) << joined_warnings();
}

TEST_F(GithubActionsFiles, EachMissingSummaryVariableWarnsAndIsSkipped) {
  m_env["RUNNER_TEMP"] = m_dir.path().string();
  EXPECT_EQ(append_job_summary(env(), "only the mirror"), 1);
  EXPECT_EQ(read_file(m_dir.path() / "job_summary.md"), "only the mirror\n\n");
  ASSERT_EQ(m_warnings.size(), 1U);
  EXPECT_NE(m_warnings[0].find("GITHUB_STEP_SUMMARY is not set; not writing the job summary"),
            std::string::npos);
  m_warnings.clear();
  m_env.clear();
  EXPECT_EQ(append_job_summary(env(), "nowhere"), 0);
  EXPECT_NE(joined_warnings().find("RUNNER_TEMP is not set; not mirroring the job summary"),
            std::string::npos)
      << joined_warnings();
  EXPECT_EQ(m_warnings.size(), 2U);
}

} // namespace
} // namespace rockart::storage
