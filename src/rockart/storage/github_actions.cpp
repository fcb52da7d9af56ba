// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/storage/github_actions.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

#include <array>
#include <filesystem>
#include <fstream>

namespace rockart::storage {
namespace {

// The word lists of upstream's str-to-bool helper (compared trimmed and
// lower-cased; any other word is an error).
constexpr std::array<std::string_view, 9> k_true_words{
    "1", "true", "t", "yes", "y", "on", "enable", "enabled", "found"};
constexpr std::array<std::string_view, 15> k_false_words{"",
                                                         "0",
                                                         "false",
                                                         "f",
                                                         "no",
                                                         "n",
                                                         "off",
                                                         "disable",
                                                         "disabled",
                                                         "notfound",
                                                         "none",
                                                         "null",
                                                         "nil",
                                                         "undefined",
                                                         "n/a"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view word) {
  for (const auto candidate : words) {
    if (candidate == word) {
      return true;
    }
  }
  return false;
}

// Appends `text` to `path`; a warning (naming `what`) instead of an error.
bool append_to(const std::string& path, std::string_view text, std::string_view what) {
  std::ofstream out(path, std::ios::app | std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.flush();
  if (!out) {
    util::log_warn("cannot append to " + path + " (" + std::string(what) + "); skipped");
    return false;
  }
  return true;
}

std::optional<std::string> non_empty(const util::EnvLookup& env, std::string_view name) {
  auto value = env(name);
  if (value && value->empty()) {
    return std::nullopt;
  }
  return value;
}

// GitHub's multi-line syntax ends the value at the first line equal to the
// delimiter. Upstream always uses EOF_mag1c, which we keep for byte-identical
// files; only a value holding that very line gets a numbered variant.
std::string heredoc_delimiter(std::string_view value) {
  const std::string base = "EOF_mag1c";
  std::string candidate = base;
  for (int n = 1;; ++n) {
    bool clash = false;
    for (const auto& line : util::split(value, '\n')) {
      const std::string_view text = std::string_view(line).substr(0, line.find('\r'));
      clash = clash || text == candidate;
    }
    if (!clash) {
      return candidate;
    }
    candidate = base + "_" + std::to_string(n);
  }
}

// The runner's own escaping (actions/toolkit command.ts escapeData/escapeProperty).
std::string escape_command(std::string_view text, bool property) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '%':
      out += "%25";
      break;
    case '\r':
      out += "%0D";
      break;
    case '\n':
      out += "%0A";
      break;
    case ':':
      out += property ? "%3A" : ":";
      break;
    case ',':
      out += property ? "%2C" : ",";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string table_row(const std::vector<std::string>& cells, std::size_t width) {
  std::string row = "|";
  for (std::size_t i = 0; i < width; ++i) {
    row += " " + (i < cells.size() ? markdown_cell(cells[i]) : std::string()) + " |";
  }
  return row + "\n";
}

} // namespace

bool parse_env_bool(std::string_view name, const std::optional<std::string>& value) {
  const std::string word = util::to_lower(util::trim(value.value_or("")));
  if (contains(k_true_words, word)) {
    return true;
  }
  if (contains(k_false_words, word)) {
    return false;
  }
  throw ConfigError(std::string(name) + "='" + value.value_or("") + "' is not a boolean",
                    "use true or false (also 1/0, yes/no, on/off)");
}

std::string github_output_entry(std::string_view key, std::string_view value) {
  if (value.find_first_of("\r\n") == std::string_view::npos) {
    return std::string(key) + "=" + std::string(value) + "\n";
  }
  const std::string delimiter = heredoc_delimiter(value);
  std::string entry(key);
  entry += "<<" + delimiter + "\n";
  entry += value;
  entry += "\n" + delimiter + "\n";
  return entry;
}

std::string github_output_entries(const StepOutputs& outputs) {
  std::string text;
  for (const auto& [key, value] : outputs) {
    text += github_output_entry(key, value);
  }
  return text;
}

bool write_github_outputs(const util::EnvLookup& env, const StepOutputs& outputs) {
  const auto path = non_empty(env, "GITHUB_OUTPUT");
  if (!path) {
    util::log_warn("GITHUB_OUTPUT is not set; not writing " + std::to_string(outputs.size())
                   + " step output(s)");
    return false;
  }
  return append_to(*path, github_output_entries(outputs), "step outputs");
}

bool write_github_output(const util::EnvLookup& env, std::string_view key, std::string_view value) {
  const auto path = non_empty(env, "GITHUB_OUTPUT");
  if (!path) {
    util::log_warn("GITHUB_OUTPUT is not set; not writing output " + std::string(key));
    return false;
  }
  return append_to(*path, github_output_entry(key, value), "output " + std::string(key));
}

int append_job_summary(const util::EnvLookup& env, std::string_view markdown) {
  const std::string text = std::string(markdown) + "\n\n";
  int written = 0;
  if (const auto summary = non_empty(env, "GITHUB_STEP_SUMMARY")) {
    written += append_to(*summary, text, "job summary") ? 1 : 0;
  } else {
    util::log_warn("GITHUB_STEP_SUMMARY is not set; not writing the job summary");
  }
  if (const auto temp = non_empty(env, "RUNNER_TEMP")) {
    const std::string mirror = (std::filesystem::path(*temp) / "job_summary.md").string();
    written += append_to(mirror, text, "job summary mirror") ? 1 : 0;
  } else {
    util::log_warn("RUNNER_TEMP is not set; not mirroring the job summary");
  }
  return written;
}

std::string escape_command_data(std::string_view text) {
  return escape_command(text, false);
}

std::string escape_command_property(std::string_view text) {
  return escape_command(text, true);
}

std::string error_command(std::string_view title, std::string_view message) {
  std::string line = "::error";
  if (!title.empty()) {
    line += " title=" + escape_command_property(title);
  }
  return line + "::" + escape_command_data(message) + "\n";
}

std::string markdown_cell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '|') {
      out += "\\|";
    } else if (text[i] == '\r' || text[i] == '\n') {
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i; // CRLF is one break
      }
      out += "<br>";
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string markdown_table(const std::vector<std::string>& header,
                           const std::vector<std::vector<std::string>>& rows) {
  if (header.empty()) {
    return "";
  }
  std::string table = table_row(header, header.size()) + "|";
  for (std::size_t i = 0; i < header.size(); ++i) {
    table += " --- |";
  }
  table += "\n";
  for (const auto& row : rows) {
    table += table_row(row, header.size());
  }
  return table;
}

} // namespace rockart::storage
