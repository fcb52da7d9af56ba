// SPDX-License-Identifier: MIT
// The CLI contract as a new user meets it: every command's --help ends with
// examples that parse, `rockart help`, suggestions for typos, and the exit
// codes and JSON error objects of usage errors.
#include "support/command_tree.hpp"
#include "support/support.hpp"

#include <nlohmann/json.hpp>

#include <sstream>

namespace rockart::test {
namespace {

// An example line's arguments after "rockart", without a shell redirection,
// pipe or comment, and with `--help` put before a "--", so parsing checks
// every option name and stops there.
std::vector<std::string> example_args(const std::string& line) {
  std::string text = line.substr(line.find("rockart ") + 8);
  for (const char* cut : {" #", " |", " >"}) {
    text = text.substr(0, text.find(cut));
  }
  auto words = words_of(text);
  auto dashes = std::find(words.begin(), words.end(), "--");
  words.insert(dashes, "--help");
  return words;
}

TEST(HelpContract, EveryCommandEndsWithExamplesThatParse) {
  const auto commands = rockart_command_paths();
  ASSERT_GT(commands.size(), 40U);
  for (const auto& path : commands) {
    std::vector<std::string> argv = path;
    argv.push_back("--help");
    const auto help = run_rockart(argv);
    ASSERT_EQ(help.exit_code, 0) << help.err;
    const auto lines = lines_of(help.out);
    const auto start = std::find(lines.begin(), lines.end(), "Examples:");
    ASSERT_NE(start, lines.end()) << "no Examples in `rockart " << ::testing::PrintToString(path)
                                  << " --help`";
    int examples = 0;
    for (auto it = start + 1; it != lines.end() && it->starts_with("  "); ++it) {
      if (it->find("rockart ") == std::string::npos || it->starts_with("  #")) {
        continue; // a comment introducing the next example
      }
      ++examples;
      const auto parsed = run_rockart(example_args(*it));
      EXPECT_EQ(parsed.exit_code, 0) << *it << "\n" << parsed.err;
    }
    EXPECT_GE(examples, 1) << ::testing::PrintToString(path);
    EXPECT_LE(examples, 4) << ::testing::PrintToString(path);
    EXPECT_NE(help.out.find("Exit status:"), std::string::npos) << ::testing::PrintToString(path);
    EXPECT_EQ(help.out.find("§"), std::string::npos) << ::testing::PrintToString(path);
  }
}

TEST(HelpContract, HelpCommandShowsTheNamedCommand) {
  const auto r = run_rockart({"help", "s3", "cp"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Usage: rockart s3 cp"), std::string::npos) << r.out;
  const auto top = run_rockart({"help"});
  EXPECT_NE(top.out.find("Usage: rockart [OPTIONS] SUBCOMMAND"), std::string::npos) << top.out;
}

struct Typo {
  std::vector<std::string> args;
  std::string message, suggestion;
};

TEST(HelpContract, TyposNameTheClosestCommandOrOption) {
  const Typo typos[] = {
      {{"fecth"}, "unknown command 'fecth' for 'rockart'", "did you mean fetch?"},
      {{"s3", "lss"}, "unknown command 'lss' for 'rockart s3'", "did you mean ls?"},
      {{"--verison"}, "unknown option '--verison' for 'rockart'", "did you mean --version?"},
      {{"help", "instal"}, "unknown command 'instal' for 'rockart'", "did you mean install?"},
      {{"fetch", "--run-id", "1", "--bukcet", "b"},
       "unknown option '--bukcet' for 'rockart fetch'",
       "did you mean --bucket?"},
  };
  for (const auto& typo : typos) {
    const auto r = run_rockart(typo.args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(typo.message), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(typo.suggestion), std::string::npos) << r.err;
  }
}

TEST(HelpContract, WithJsonUsageErrorsAreJsonToo) {
  const auto r = run_rockart({"fetch", "--json", "--run-id"});
  EXPECT_EQ(r.exit_code, 2);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc.at("status"), "error");
  EXPECT_EQ(doc.at("schema_version"), 1);
  EXPECT_EQ(doc.at("error").at("kind"), "usage");
  EXPECT_NE(r.err.find("rockart: error:"), std::string::npos);
  // find keeps upstream's rule: nothing on stdout when it fails.
  const auto find = run_rockart({"find", "--json", "--bogus"});
  EXPECT_EQ(find.exit_code, 2);
  EXPECT_EQ(find.out, "");
}

} // namespace
} // namespace rockart::test
