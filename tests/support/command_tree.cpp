// SPDX-License-Identifier: MIT
#include "support/command_tree.hpp"

#include "support/support.hpp"

#include <sstream>

namespace rockart::test {

namespace {

// The subcommand names listed in a help text.
std::vector<std::string> subcommands_in(const std::string& help) {
  std::vector<std::string> names;
  bool in_list = false;
  for (const auto& line : lines_of(help)) {
    if (line == "Subcommands:") {
      in_list = true;
    } else if (in_list && line.starts_with("  ")) {
      names.push_back(words_of(line).front());
    } else {
      in_list = false;
    }
  }
  return names;
}

void walk(const std::vector<std::string>& path, std::vector<std::vector<std::string>>& all) {
  all.push_back(path);
  std::vector<std::string> argv{"help"};
  argv.insert(argv.end(), path.begin(), path.end());
  const auto r = run_rockart(argv);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "rockart help " << ::testing::PrintToString(path) << ": " << r.err;
    return;
  }
  for (const auto& name : subcommands_in(r.out)) {
    auto child = path;
    child.push_back(name);
    walk(child, all);
  }
}

} // namespace

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) {
    words.push_back(word);
  }
  return words;
}

std::vector<std::vector<std::string>> rockart_command_paths() {
  std::vector<std::vector<std::string>> all;
  walk({}, all);
  return all;
}

} // namespace rockart::test
