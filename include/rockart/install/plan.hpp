// SPDX-License-Identifier: MIT
// What an install changes, decided from the previous install's record and the
// archives now wanted (pure). An archive is identified by its file name and
// its digest: same name and digest is kept without a download or extraction.
#pragma once

#include <rockart/install/state.hpp>

#include <set>
#include <string>
#include <vector>

namespace rockart::install {

// An archive the install should have.
struct WantedArchive {
  std::string name;
  std::string digest;
};

struct InstallPlan {
  std::vector<std::string> keep;   // recorded complete with the same digest
  std::vector<std::string> add;    // not recorded
  std::vector<std::string> update; // recorded with another digest, or incomplete
  std::vector<std::string> remove; // recorded, no longer wanted
  // Kept archives applied again, in their original order: a removed or
  // updated archive applied after them wrote over a path they share, so their
  // copy has to come back (and, in turn, any later kept archive sharing a path
  // with a restored one).
  std::vector<std::string> restore;

  // Archives to fetch and flatten, in the order they apply (a later one wins a
  // shared path): `restore`, then `add` and `update` by name.
  std::vector<std::string> apply_order() const;
  bool changes_nothing() const;
};

// "Install plan: keep K, add A, update U, remove R" (+ ", restore S" when some).
std::string plan_line(const InstallPlan& plan);

// Compares `state` (empty for a first install) with `wanted`.
InstallPlan plan_install(const InstallState& state, const std::vector<WantedArchive>& wanted);

// The paths to delete once the new archives are in place: those recorded by
// the `removing` archives, and every record's stale paths, except the paths
// any other record still holds. Sorted.
std::vector<std::string> paths_to_delete(const InstallState& state,
                                         const std::set<std::string>& removing);

} // namespace rockart::install
