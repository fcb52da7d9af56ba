// SPDX-License-Identifier: MIT
// The bisect report, human text and JSON, rendered purely
// from a session: the result (culprit, range, next step or inconsistency),
// the range, every test, every skipped commit and why, the command that
// reproduces the culprit's environment, and the totals.
#pragma once

#include <rockart/bisect/session.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace rockart::bisect {

struct ReportOptions {
  std::string output_dir = "rockart-culprit"; // --output-dir of the reproduce command
  std::string github_url = "https://github.com";
};

// `text` quoted for a POSIX shell: unchanged when it is only safe characters
// (letters, digits, `-_./=:,+@%`), else in single quotes with `'` as `'\''`.
std::string shell_quote(std::string_view text);

// The paste-ready command that fetches the artifacts of the commit at
// `position` as the session did, then (when the session has a CMD) runs it
// with the environment `bisect run` gives it: `rockart fetch --commit SHA
// --run-github-repo R --platform P --artifact-group G --flatten --output-dir
// DIR [-- INCLUDE…] && ROCKART_COMMIT=… ROCM_PATH=DIR PATH=… CMD`. With a
// session workflow (fetch has no --workflow) `--run-id RUN` replaces --commit.
std::string
reproduce_command(const Session& session, std::size_t position, const ReportOptions& options);

// "12.5 s", "13m 32s", "2h 05m 00s".
std::string format_duration(double seconds);

// The report as text lines for stdout.
std::string render_report_text(const Session& session, const ReportOptions& options = {});

// The report as JSON: "status" (culprit | range | in-progress | inconsistent)
// plus the same facts as the text form.
nlohmann::json render_report_json(const Session& session, const ReportOptions& options = {});

} // namespace rockart::bisect
