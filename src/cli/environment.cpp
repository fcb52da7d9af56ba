// SPDX-License-Identifier: MIT
#include "environment.hpp"

#include <rockart/error.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/log.hpp>

#include <cstdlib>

namespace rockart::cli {

std::optional<std::string> process_env(std::string_view name) {
  // getenv is only called from the single main thread before any worker starts.
  const char* value = std::getenv(std::string(name).c_str()); // NOLINT(concurrency-mt-unsafe)
  if (value == nullptr) {
    return std::nullopt;
  }
  return std::string(value);
}

std::optional<std::string> local_staging_dir(const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) {
    return flag;
  }
  auto value = process_env("THEROCK_LOCAL_STAGING_DIR");
  if (value && !value->empty()) {
    return value;
  }
  return std::nullopt;
}

layout::BucketDecision resolve_bucket(const layout::BucketOverrides& overrides,
                                      bool log_diagnostics) {
  const auto inputs =
      layout::bucket_inputs_from_environment(overrides, process_env, util::read_file);
  auto decision = layout::select_bucket(inputs);
  for (const auto& warning : decision.warnings) {
    util::log_warn(warning);
  }
  // One line says where outputs go; the reasoning is for -v.
  if (log_diagnostics) {
    util::log_info(layout::summarize_decision(inputs, decision)
                   + (decision.fork ? " (fork: no IAM role is assumed)" : ""));
    for (const auto& reason : decision.reasons) {
      util::log_debug("  " + reason);
    }
  }
  return decision;
}

std::string host_ci_platform() {
#if defined(__linux__)
  return "linux";
#elif defined(_WIN32)
  return "windows";
#else
  throw UsageError("--platform is required on this host (linux or windows)");
#endif
}

std::string platform_or_host(const std::optional<std::string>& explicit_platform) {
  return explicit_platform ? *explicit_platform : host_ci_platform();
}

} // namespace rockart::cli
