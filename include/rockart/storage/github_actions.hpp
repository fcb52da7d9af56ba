// SPDX-License-Identifier: MIT
// GitHub Actions integration of the uploaders and the reading commands:
// boolean environment values, step outputs ($GITHUB_OUTPUT), the job summary
// ($GITHUB_STEP_SUMMARY mirrored into $RUNNER_TEMP/job_summary.md), workflow
// commands (`::error`) and the Markdown tables of summaries. The environment
// is injected, so every rule is testable without touching getenv.
#pragma once

#include <rockart/layout/ci_environment.hpp>
#include <rockart/util/env.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rockart::storage {

// Parses the value of boolean variable `name`: trimmed and lower-cased, true
// for `1 true t yes y on enable enabled found`, false for unset/empty and
// `0 false f no n off disable disabled notfound none null nil undefined n/a`.
// Throws ConfigError naming `name` and the value for anything else.
bool parse_env_bool(std::string_view name, const std::optional<std::string>& value);

// The text appended to $GITHUB_OUTPUT for `key`: `key=value\n`, or for a
// value containing a newline or carriage return `key<<EOF_mag1c\n{value}\nEOF_mag1c\n`
// (`EOF_mag1c_1`, `_2`, ... when a line of the value is the delimiter itself).
std::string github_output_entry(std::string_view key, std::string_view value);

// Step outputs as (name, value) pairs, in the order they are written.
using StepOutputs = std::vector<std::pair<std::string, std::string>>;

// github_output_entry() of each output, concatenated in order.
std::string github_output_entries(const StepOutputs& outputs);

// Appends every output of `outputs` to $GITHUB_OUTPUT in one write. Unset or
// empty variable or an unwritable file: one warning and false (never throws).
bool write_github_outputs(const util::EnvLookup& env, const StepOutputs& outputs);

// Appends github_output_entry(`key`, `value`) to the file named by
// GITHUB_OUTPUT in `env`. Unset/empty variable or an unwritable file: logs a
// warning and returns false (never throws).
bool write_github_output(const util::EnvLookup& env, std::string_view key, std::string_view value);

// Appends `markdown` and a blank line to $GITHUB_STEP_SUMMARY and to
// $RUNNER_TEMP/job_summary.md. Each missing variable or failed write logs a
// warning and is skipped; returns how many of the two files were written.
int append_job_summary(const util::EnvLookup& env, std::string_view markdown);

// `text` as the message of a workflow command: `%`, CR and LF become `%25`,
// `%0D` and `%0A`, which the runner decodes (a raw newline would end the command).
std::string escape_command_data(std::string_view text);

// `text` as a property value of a workflow command: escape_command_data() plus
// `:` and `,` as `%3A` and `%2C` (they delimit the properties and the message).
std::string escape_command_property(std::string_view text);

// The `::error title={title}::{message}` line (with its newline) that makes
// the runner annotate the job; without `title` it is `::error::{message}`.
std::string error_command(std::string_view title, std::string_view message);

// `text` safe inside a Markdown table cell: `|` as `\|`, line breaks as
// `<br>` (either would end the cell or the row); other Markdown is kept.
std::string markdown_cell(std::string_view text);

// A GitHub-flavoured Markdown table with `header` and `rows`, each cell
// through markdown_cell(); a row is padded with empty cells or cut to the
// header's width. Ends with a newline. Returns "" when `header` is empty.
std::string markdown_table(const std::vector<std::string>& header,
                           const std::vector<std::vector<std::string>>& rows);

} // namespace rockart::storage
