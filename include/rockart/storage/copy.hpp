// SPDX-License-Identifier: MIT
// `rockart copy` (TheRock's artifact_manager.py copy): server-side copy of a
// run's selected artifacts and their `.sha256sum` companions into another
// run's root, in parallel; on S3 the bytes never pass through this machine.
#pragma once

#include <rockart/layout/artifact_select.hpp>
#include <rockart/layout/workflow_output_root.hpp>
#include <rockart/storage/store.hpp>

#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace rockart::storage {

// The archive names directly in `source`'s root whose artifact is one of
// `artifact_names`, selected by family/target as the artifact manager does.
std::vector<std::string> select_archives(Store& store,
                                         const layout::WorkflowOutputRoot& source,
                                         const std::set<std::string>& artifact_names,
                                         const layout::ManagerRequest& request);

struct CopyResult {
  std::size_t copied = 0;
  std::vector<std::string> failed; // sorted archive names, each logged with its error
};

// Copies each of `names` from `source` to `dest` with its companion when the
// source has one (noted when it has not), up to `concurrency` at once; every
// archive is attempted.
CopyResult copy_archives(Store& store,
                         const layout::WorkflowOutputRoot& source,
                         const layout::WorkflowOutputRoot& dest,
                         const std::vector<std::string>& names,
                         int concurrency);

} // namespace rockart::storage
