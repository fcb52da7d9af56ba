// SPDX-License-Identifier: MIT
// Installing a run's archives into one tree, incrementally: the archives are
// planned against the previous install's record (install/plan.hpp), the new
// and changed ones fetched and flattened by the fetch pipeline, and only then
// is what the removed archives brought deleted. Every step is recorded in the
// state file first, so an interrupted install is finished by the next one.
#pragma once

#include <rockart/cache/tree_store.hpp>
#include <rockart/fetch/plan.hpp>
#include <rockart/fetch/types.hpp>
#include <rockart/install/plan.hpp>
#include <rockart/install/state.hpp>
#include <rockart/runs/catalog.hpp>
#include <rockart/s3/client.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rockart::install {

// The digest that identifies each archive of `archives`: its companion's
// sha256 ("sha256:{hex}", read through the catalog, so cached by ETag), else
// the listing's ETag and size ("etag:{etag}:{size}"). Reads the companions on
// `concurrency` threads. Throws like RunCatalog::companion_digest().
std::vector<WantedArchive> wanted_archives(runs::RunCatalog& catalog,
                                           const runs::Run& run,
                                           const std::vector<fetch::PlannedArchive>& archives,
                                           int concurrency);

// What the directory is to an install: absent or empty (a first install), a
// previous install (its state), or someone else's files.
enum class TargetKind { fresh, installed, foreign };
TargetKind target_kind(const std::filesystem::path& out);

// Deletes the content of `out` except nothing (the upstream wipe of --clean),
// keeping `out` itself. Throws LocalIoError.
void wipe(const std::filesystem::path& out);

// Deletes each of `paths` (relative to `out`; files and symlinks, never
// followed; a missing one is skipped) and then every directory left empty on
// the way up, stopping at `out` and never removing `.rockart`. Returns the
// number of entries deleted. Throws LocalIoError.
std::size_t delete_paths(const std::filesystem::path& out, const std::vector<std::string>& paths);

struct InstallResult {
  InstallPlan plan;
  fetch::FetchSummary summary; // of the archives applied (restore, add, update)
  std::size_t deleted = 0;     // paths removed
  cache::PlaceReport placed;   // files placed from the tree store (with a link mode)
  bool ok = false;             // every archive applied and the removals done
};

// Applies `plan` (from plan_install(state, wanted)) to `out`: fetches and
// flattens plan.apply_order() of `archives` with `options` (mode and output
// directory are set here), recording each archive in `state` (and the state
// file) as it lands; when all landed, deletes what only removed or replaced
// archives held. On a failure nothing is deleted and the failed archives stay
// recorded as before (their new content never reached `out`). With `link`
// (the catalog must have a cache) each archive goes into the cache's tree
// store instead, unless there already, and is placed from there per `link`.
InstallResult apply_plan(s3::Client& client,
                         runs::RunCatalog& catalog,
                         const runs::Run& run,
                         const std::vector<fetch::PlannedArchive>& archives,
                         const std::vector<WantedArchive>& wanted,
                         const InstallPlan& plan,
                         InstallState& state,
                         const std::filesystem::path& out,
                         fetch::FetchOptions options,
                         std::optional<cache::LinkMode> link,
                         fetch::FetchObserver* observer = nullptr);

} // namespace rockart::install
