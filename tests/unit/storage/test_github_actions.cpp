// SPDX-License-Identifier: MIT
// GitHub Actions integration (behaviours.md §0.3): the boolean word table for
// CI, the GITHUB_OUTPUT entry formats, the summary writer's files and
// warnings (an injected environment and temp files), the `::error` workflow
// command's escaping and the summaries' Markdown tables.
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
  EXPECT_EQ(github_output_entry("cr", "a\rb"), "cr<<EOF_mag1c\na\rb\nEOF_mag1c\n");
}

TEST(GithubOutputEntry, AValueHoldingTheDelimiterLineGetsANumberedOne) {
  // The runner would end the value at the first `EOF_mag1c` line.
  EXPECT_EQ(github_output_entry("log", "a\nEOF_mag1c\nb"),
            "log<<EOF_mag1c_1\na\nEOF_mag1c\nb\nEOF_mag1c_1\n");
  EXPECT_EQ(github_output_entry("log", "EOF_mag1c\r\nEOF_mag1c_1"),
            "log<<EOF_mag1c_2\nEOF_mag1c\r\nEOF_mag1c_1\nEOF_mag1c_2\n");
  // Only a whole line clashes.
  EXPECT_EQ(github_output_entry("log", "x EOF_mag1c\ny"),
            "log<<EOF_mag1c\nx EOF_mag1c\ny\nEOF_mag1c\n");
}

TEST(GithubOutputEntries, ConcatenateInOrder) {
  EXPECT_EQ(github_output_entries({{"run_id", "123"}, {"names", "a\nb"}, {"bytes", "0"}}),
            "run_id=123\nnames<<EOF_mag1c\na\nb\nEOF_mag1c\nbytes=0\n");
  EXPECT_EQ(github_output_entries({}), "");
}

TEST(WorkflowCommand, MessageEscapesPercentAndLineBreaks) {
  EXPECT_EQ(escape_command_data("100% done\r\nnext: a,b"), "100%25 done%0D%0Anext: a,b");
  EXPECT_EQ(escape_command_data("%0A"), "%250A"); // not decoded twice by the runner
}

TEST(WorkflowCommand, PropertiesAlsoEscapeColonAndComma) {
  EXPECT_EQ(escape_command_property("rockart find: not found, run 1\n%"),
            "rockart find%3A not found%2C run 1%0A%25");
}

TEST(WorkflowCommand, ErrorLineCarriesTitleAndMessage) {
  EXPECT_EQ(error_command("rockart install: archive failed",
                          "blas_lib.tar.zst: HTTP 503\nretried 3 times (100%)"),
            "::error title=rockart install%3A archive failed::blas_lib.tar.zst: HTTP "
            "503%0Aretried 3 times (100%25)\n");
  EXPECT_EQ(error_command("", "no title"), "::error::no title\n");
}

TEST(MarkdownTable, HeaderSeparatorAndRows) {
  EXPECT_EQ(markdown_table({"Field", "Value"}, {{"Run", "[1](https://x/1)"}, {"Bytes", "0"}}),
            "| Field | Value |\n"
            "| --- | --- |\n"
            "| Run | [1](https://x/1) |\n"
            "| Bytes | 0 |\n");
}

TEST(MarkdownTable, CellsCannotBreakTheTable) {
  EXPECT_EQ(markdown_cell("a|b\nc\r\nd\re"), "a\\|b<br>c<br>d<br>e");
  EXPECT_EQ(markdown_table({"A", "B"}, {{"only"}, {"1", "2", "3"}}),
            "| A | B |\n| --- | --- |\n| only |  |\n| 1 | 2 |\n");
  EXPECT_EQ(markdown_table({}, {{"x"}}), "");
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

TEST_F(GithubActionsFiles, SeveralOutputsAreOneAppend) {
  const fs::path file = m_dir.path() / "output";
  write_file(file, "earlier=1\n");
  m_env["GITHUB_OUTPUT"] = file.string();
  EXPECT_TRUE(write_github_outputs(env(), {{"bucket", "b"}, {"names", "x\ny"}}));
  EXPECT_EQ(read_file(file), "earlier=1\nbucket=b\nnames<<EOF_mag1c\nx\ny\nEOF_mag1c\n");
  EXPECT_TRUE(m_warnings.empty()) << joined_warnings();
}

TEST_F(GithubActionsFiles, SeveralOutputsWithoutTheVariableWarnOnce) {
  EXPECT_FALSE(write_github_outputs(env(), {{"bucket", "b"}, {"iam_role", ""}}));
  ASSERT_EQ(m_warnings.size(), 1U) << joined_warnings();
  EXPECT_NE(m_warnings[0].find("GITHUB_OUTPUT is not set; not writing 2 step output(s)"),
            std::string::npos)
      << m_warnings[0];
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
