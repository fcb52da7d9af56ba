// SPDX-License-Identifier: MIT
// The hidden `rockart __generate-docs` (what the build runs to make the man
// pages and completions): one man page per command the help lists, with the
// sections a man page needs, every option of the command's --help and every
// example; roff-escaped text; and the hidden command itself nowhere a user
// looks. Rendering (man --warnings) and the shells' own checks are in
// tests/install/test_install.sh.
#include "support/command_tree.hpp"
#include "support/support.hpp"

#include <rockart/util/strings.hpp>

#include <filesystem>
#include <set>

namespace rockart::test {
namespace {

namespace fs = std::filesystem;

struct Generated {
  TempDir dir;

  fs::path man() const { return dir.path() / "man1"; }

  fs::path completions() const { return dir.path() / "completions"; }
};

// Runs the generator once per test program; the directory goes at exit.
const Generated& generated() {
  static const Generated output;
  static const bool ran = [] {
    const auto r = run_rockart({"__generate-docs",
                                "--man",
                                output.man().string(),
                                "--completions",
                                output.completions().string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return true;
  }();
  (void)ran;
  return output;
}

std::string page_name(const std::vector<std::string>& path) {
  return path.empty() ? "rockart" : "rockart-" + util::join(path, "-");
}

std::string roff_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    out += c == '-' ? std::string("\\-") : std::string(1, c);
  }
  return out;
}

// The option names a --help lists: "--dry-run,--no-dry-run{false} ..." gives
// --dry-run and --no-dry-run.
std::vector<std::string> help_option_names(const std::string& help) {
  std::vector<std::string> names;
  for (const auto& line : lines_of(help)) {
    if (!line.starts_with("  -")) {
      continue;
    }
    for (auto name : util::split(words_of(line).front(), ',')) {
      names.push_back(name.substr(0, name.find('{')));
    }
  }
  return names;
}

// The example command lines of a --help (under "Examples:", not comments).
std::size_t help_example_count(const std::string& help) {
  const auto lines = lines_of(help);
  auto it = std::find(lines.begin(), lines.end(), "Examples:");
  std::size_t count = 0;
  for (it = it == lines.end() ? it : it + 1; it != lines.end() && it->starts_with("  "); ++it) {
    count += it->find("rockart ") != std::string::npos && !it->starts_with("  #") ? 1 : 0;
  }
  return count;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

TEST(GeneratedDocs, EveryCommandHasAManPageWithItsSectionsOptionsAndExamples) {
  const auto commands = rockart_command_paths();
  ASSERT_GT(commands.size(), 40U);
  std::set<std::string> expected_pages;
  for (const auto& path : commands) {
    const std::string name = page_name(path);
    expected_pages.insert(name + ".1");
    const fs::path file = generated().man() / (name + ".1");
    ASSERT_TRUE(fs::exists(file)) << file;
    const std::string page = read_file(file);
    for (const char* section :
         {".SH NAME\n", ".SH SYNOPSIS\n", ".SH OPTIONS\n", ".SH EXAMPLES\n", ".SH EXIT STATUS\n"}) {
      EXPECT_NE(page.find(section), std::string::npos) << name << " lacks " << section;
    }
    EXPECT_NE(page.find(".SH NAME\n" + roff_escaped(name) + " \\- "), std::string::npos) << name;

    std::vector<std::string> argv = path;
    argv.push_back("--help");
    const auto help = run_rockart(argv);
    ASSERT_EQ(help.exit_code, 0) << help.err;
    for (const auto& option : help_option_names(help.out)) {
      EXPECT_NE(page.find("\\fB" + roff_escaped(option) + "\\fR"), std::string::npos)
          << name << " does not document " << option;
    }
    // Each example is one no-fill block.
    EXPECT_EQ(occurrences(page, "\n.nf\n"), help_example_count(help.out)) << name;
  }
  std::set<std::string> pages;
  for (const auto& entry : fs::directory_iterator(generated().man())) {
    pages.insert(entry.path().filename().string());
  }
  EXPECT_EQ(pages, expected_pages); // nothing more: no page for a hidden command
}

TEST(GeneratedDocs, PagesAreEscapedRoff) {
  const std::set<std::string> requests = {
      ".TH", ".SH", ".SS", ".TP", ".PP", ".RS", ".RE", ".nf", ".fi", ".br", ".nh", ".ad", ".\\\""};
  for (const auto& entry : fs::directory_iterator(generated().man())) {
    const std::string name = entry.path().filename().string();
    for (const auto& line : lines_of(read_file(entry.path()))) {
      if (line.starts_with(".\\\"")) {
        continue; // a comment
      }
      if (line.starts_with(".") || line.starts_with("'")) {
        // Text that starts with a dot must be behind \&; anything else is a request we use.
        EXPECT_TRUE(requests.contains(line.substr(0, line.find(' ')))) << name << ": " << line;
      }
      for (std::size_t i = 0; i < line.size(); ++i) {
        // Hyphens are \- (a minus sign, copy-pasteable); text has no raw non-ASCII bytes.
        if (line[i] == '-') {
          EXPECT_TRUE(i > 0 && line[i - 1] == '\\') << name << ": " << line;
        }
        EXPECT_LT(static_cast<unsigned char>(line[i]), 0x80) << name << ": " << line;
      }
    }
  }
  // Quotes and the '-' argument of s3 cp, escaped as roff wants them.
  const std::string cp = read_file(generated().man() / "rockart-s3-cp.1");
  EXPECT_NE(cp.find("(atomic; \\(aq\\-\\(aq is stdout)"), std::string::npos) << cp;
}

TEST(GeneratedDocs, CompletionsOfferEveryCommandButTheHiddenOne) {
  const std::string bash = read_file(generated().completions() / "rockart");
  const std::string zsh = read_file(generated().completions() / "_rockart");
  const std::string fish = read_file(generated().completions() / "rockart.fish");
  EXPECT_TRUE(zsh.starts_with("#compdef rockart\n"));
  for (const auto& path : rockart_command_paths()) {
    if (path.empty()) {
      continue;
    }
    const std::string parent = util::join({path.begin(), path.end() - 1}, " ");
    // bash: the parent's line of _rockart_subcommands names it.
    const auto line_start = bash.find("    '" + parent + "') echo '");
    ASSERT_NE(line_start, std::string::npos) << parent;
    const std::string line = bash.substr(line_start, bash.find('\n', line_start) - line_start);
    const std::string list = line.substr(line.find("echo '") + 6);
    const auto names = words_of(list.substr(0, list.find('\'')));
    EXPECT_NE(std::find(names.begin(), names.end(), path.back()), names.end())
        << path.back() << " not in " << line;
    EXPECT_NE(fish.find("-n '__rockart_at \"" + parent + "\"' -f -a " + path.back() + " "),
              std::string::npos)
        << util::join(path, " ");
    EXPECT_NE(zsh.find("        '" + path.back() + ":"), std::string::npos) << path.back();
  }
  for (const std::string* script : {&bash, &zsh, &fish}) {
    // Named once, in the "Generated by `rockart __generate-docs`" line; never offered.
    EXPECT_EQ(occurrences(*script, "__generate-docs"), 1U);
    EXPECT_EQ(occurrences(*script, "`rockart __generate-docs`"), 1U);
  }
}

TEST(GeneratedDocs, TheGeneratorIsHiddenFromHelpAndSuggestions) {
  const auto help = run_rockart({"--help"});
  EXPECT_EQ(help.out.find("__generate"), std::string::npos) << help.out;
  const auto typo = run_rockart({"__generate-doc"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(typo.err.find("did you mean"), std::string::npos) << typo.err;
  const auto nothing = run_rockart({"__generate-docs"});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_NE(nothing.err.find("needs --man DIR"), std::string::npos) << nothing.err;
}

} // namespace
} // namespace rockart::test
