// SPDX-License-Identifier: MIT
#include "support/actions_files.hpp"

#include <stdexcept>

namespace rockart::test {

namespace fs = std::filesystem;

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end;
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The runner's ActionCommand unescaping, %25 last so that "%250A" stays "%0A".
std::string unescape(std::string_view text, bool property) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::string_view code = text.substr(i, 3);
    if (code == "%0D") {
      out += '\r';
    } else if (code == "%0A") {
      out += '\n';
    } else if (property && code == "%3A") {
      out += ':';
    } else if (property && code == "%2C") {
      out += ',';
    } else if (code == "%25") {
      out += '%';
    } else {
      out += text[i];
      continue;
    }
    i += 2;
  }
  return out;
}

std::string read_or_empty(const fs::path& path) {
  return fs::exists(path) ? read_file(path) : std::string();
}

} // namespace

std::vector<std::pair<std::string, std::string>> parse_github_output(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> outputs;
  const auto lines = lines_of(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (line.empty()) {
      continue;
    }
    // The runner's rule: an '=' before any "<<" makes a key=value line.
    const auto equals = line.find('=');
    const auto heredoc = line.find("<<");
    if (equals != std::string_view::npos
        && (heredoc == std::string_view::npos || equals < heredoc)) {
      outputs.emplace_back(std::string(line.substr(0, equals)),
                           std::string(line.substr(equals + 1)));
      continue;
    }
    if (heredoc == std::string_view::npos || heredoc == 0) {
      throw std::runtime_error("GITHUB_OUTPUT line is neither name=value nor name<<DELIMITER: "
                               + std::string(line));
    }
    const std::string delimiter(line.substr(heredoc + 2));
    std::string value;
    bool closed = false;
    for (++i; i < lines.size(); ++i) {
      if (lines[i] == delimiter) {
        closed = true;
        break;
      }
      value += std::string(lines[i]) + "\n";
    }
    if (!closed) {
      throw std::runtime_error("GITHUB_OUTPUT block " + std::string(line) + " is not closed");
    }
    if (!value.empty()) {
      value.pop_back(); // the newline before the delimiter ends the block, not the value
    }
    outputs.emplace_back(std::string(line.substr(0, heredoc)), value);
  }
  return outputs;
}

std::map<std::string, std::string> github_output_map(std::string_view text) {
  std::map<std::string, std::string> map;
  for (auto& [name, value] : parse_github_output(text)) {
    if (!map.emplace(name, value).second) {
      throw std::runtime_error("GITHUB_OUTPUT sets " + name + " twice");
    }
  }
  return map;
}

std::vector<WorkflowError> workflow_errors(std::string_view stderr_text) {
  std::vector<WorkflowError> errors;
  for (const auto line : lines_of(stderr_text)) {
    if (!line.starts_with("::error")) {
      continue;
    }
    const auto end = line.find("::", 2);
    if (end == std::string_view::npos) {
      continue;
    }
    WorkflowError error;
    std::string_view properties = line.substr(7, end - 7);
    if (properties.starts_with(' ')) {
      properties.remove_prefix(1);
    }
    while (!properties.empty()) {
      const auto comma = properties.find(',');
      const std::string_view property = properties.substr(0, comma);
      if (property.starts_with("title=")) {
        error.title = unescape(property.substr(6), true);
      }
      properties = comma == std::string_view::npos ? "" : properties.substr(comma + 1);
    }
    error.message = unescape(line.substr(end + 2), false);
    errors.push_back(error);
  }
  return errors;
}

void PrintTo(const WorkflowError& error, std::ostream* out) {
  *out << "{" << error.title << " :: " << error.message << "}";
}

std::map<std::string, std::string> ActionsFiles::env(bool github_actions) const {
  std::map<std::string, std::string> vars = {{"GITHUB_OUTPUT", output_path().string()},
                                             {"GITHUB_STEP_SUMMARY", summary_path().string()},
                                             {"RUNNER_TEMP", m_dir.path().string()}};
  if (github_actions) {
    vars["GITHUB_ACTIONS"] = "true";
  }
  return vars;
}

std::string ActionsFiles::output() const {
  return read_or_empty(output_path());
}

std::string ActionsFiles::summary() const {
  return read_or_empty(summary_path());
}

std::string ActionsFiles::summary_mirror() const {
  return read_or_empty(m_dir.path() / "job_summary.md");
}

bool ActionsFiles::untouched() const {
  return !fs::exists(output_path()) && !fs::exists(summary_path())
         && !fs::exists(m_dir.path() / "job_summary.md");
}

} // namespace rockart::test
