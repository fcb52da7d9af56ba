// SPDX-License-Identifier: MIT
// GitHub Actions integration of the uploaders: boolean
// environment values, step outputs ($GITHUB_OUTPUT) and the job summary
// ($GITHUB_STEP_SUMMARY mirrored into $RUNNER_TEMP/job_summary.md). The
// environment is injected, so every rule is testable without touching getenv.
#pragma once

#include <rockart/layout/ci_environment.hpp>
#include <rockart/util/env.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace rockart::storage {

// Parses the value of boolean variable `name`: trimmed and lower-cased, true
// for `1 true t yes y on enable enabled found`, false for unset/empty and
// `0 false f no n off disable disabled notfound none null nil undefined n/a`.
// Throws ConfigError naming `name` and the value for anything else.
bool parse_env_bool(std::string_view name, const std::optional<std::string>& value);

// The text appended to $GITHUB_OUTPUT for `key`: `key=value\n`, or for a
// value containing a newline `key<<EOF_mag1c\n{value}\nEOF_mag1c\n`.
std::string github_output_entry(std::string_view key, std::string_view value);

// Appends github_output_entry(`key`, `value`) to the file named by
// GITHUB_OUTPUT in `env`. Unset/empty variable or an unwritable file: logs a
// warning and returns false (never throws).
bool write_github_output(const util::EnvLookup& env, std::string_view key, std::string_view value);

// Appends `markdown` and a blank line to $GITHUB_STEP_SUMMARY and to
// $RUNNER_TEMP/job_summary.md. Each missing variable or failed write logs a
// warning and is skipped; returns how many of the two files were written.
int append_job_summary(const util::EnvLookup& env, std::string_view markdown);

} // namespace rockart::storage
