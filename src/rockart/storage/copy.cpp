// SPDX-License-Identifier: MIT
#include <rockart/layout/artifact.hpp>
#include <rockart/storage/copy.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/parallel.hpp>

#include <algorithm>

namespace rockart::storage {

namespace {

// Copies one archive and, when the source has it, its companion. A companion
// that cannot be checked counts as absent: it is noted once, never retried.
void copy_one(Store& store,
              const layout::WorkflowOutputRoot& source,
              const layout::WorkflowOutputRoot& dest,
              const std::string& name) {
  util::log_info("++ Copying " + name);
  store.copy(source.artifact(name), dest.artifact(name));
  bool has_companion = false;
  try {
    has_companion = store.exists(source.artifact_checksum(name));
  } catch (const std::exception&) {
    has_companion = false;
  }
  if (has_companion) {
    store.copy(source.artifact_checksum(name), dest.artifact_checksum(name));
  } else {
    util::log_warn("no companion " + layout::companion_name(name) + " in the source; copied " + name
                   + " alone");
  }
}

} // namespace

std::vector<std::string> select_archives(Store& store,
                                         const layout::WorkflowOutputRoot& source,
                                         const std::set<std::string>& artifact_names,
                                         const layout::ManagerRequest& request) {
  std::vector<std::string> names;
  for (const auto& object : store.list(source.root(), "*")) {
    if (object.name.find('/') == std::string::npos) {
      names.push_back(object.name);
    }
  }
  layout::ManagerFilter filter;
  filter.artifact_names = artifact_names;
  filter.requested_families = layout::manager_requested_families(request);
  return layout::select_for_manager(names, filter);
}

CopyResult copy_archives(Store& store,
                         const layout::WorkflowOutputRoot& source,
                         const layout::WorkflowOutputRoot& dest,
                         const std::vector<std::string>& names,
                         int concurrency) {
  const auto failures = util::run_parallel(
      names.size(), concurrency, [&](std::size_t i) { copy_one(store, source, dest, names[i]); });
  CopyResult result;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (failures[i]) {
      util::log_error("failed to copy " + names[i] + ": " + util::message_of(failures[i]));
      result.failed.push_back(names[i]);
    }
  }
  result.copied = names.size() - result.failed.size();
  std::sort(result.failed.begin(), result.failed.end());
  return result;
}

} // namespace rockart::storage
