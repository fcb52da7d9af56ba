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
  // GitHub's multi-line syntax needs a delimiter that cannot occur in the value;
  // upstream uses the fixed EOF_mag1c, which we keep for byte-identical files.
  if (value.find('\n') == std::string_view::npos) {
    return std::string(key) + "=" + std::string(value) + "\n";
  }
  return std::string(key) + "<<EOF_mag1c\n" + std::string(value) + "\nEOF_mag1c\n";
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

} // namespace rockart::storage
