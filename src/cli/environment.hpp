// SPDX-License-Identifier: MIT
// The real process environment and file system behind the layout layer's
// injected util::EnvLookup/FileReader (layout/ci_environment.hpp). This is the one
// place that calls getenv for bucket selection; other commands reuse it.
#pragma once

#include <rockart/layout/bucket.hpp>
#include <rockart/layout/ci_environment.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace rockart::cli {

// Value of environment variable `name` in this process, nullopt when unset.
std::optional<std::string> process_env(std::string_view name);

// The CI platform of this host: "linux" or "windows".
// Throws UsageError asking for --platform on any other host.
std::string host_ci_platform();

// `explicit_platform` when given, else host_ci_platform().
std::string platform_or_host(const std::optional<std::string>& explicit_platform);

// The local staging tree to read runs from: `flag` (--local-staging-dir),
// else $THEROCK_LOCAL_STAGING_DIR; nullopt when neither is set (read S3).
std::optional<std::string> local_staging_dir(const std::optional<std::string>& flag);

// Resolves the bucket from `overrides` and the process environment. Logs any
// warnings at warn and, when `log_diagnostics`, the reason chain at info on
// stderr. Throws like bucket_inputs_from_environment()/select_bucket().
layout::BucketDecision resolve_bucket(const layout::BucketOverrides& overrides,
                                      bool log_diagnostics);

} // namespace rockart::cli
