// SPDX-License-Identifier: MIT
// The fetch pipeline: download, verify against the `.sha256sum` companion, and
// extract or flatten, streaming. Each archive is extracted while it arrives,
// into a staging directory inside the output directory that becomes visible
// only after its digest checked out. Verified archives are stored in, and
// served from, the catalog's blob cache.
#pragma once

#include <rockart/cache/tree_store.hpp>
#include <rockart/fetch/plan.hpp>
#include <rockart/fetch/types.hpp>
#include <rockart/runs/catalog.hpp>
#include <rockart/s3/client.hpp>

#include <functional>
#include <vector>

namespace rockart::fetch {

// Fetches every archive of `archives` (planned from `catalog.files(run)`)
// into options.output_dir per options.mode, largest first, and returns one
// outcome per archive (never throws for a failure of one archive: the others
// still complete). Companion digests come from `catalog`; with an offline
// catalog no GET is sent and what its cache lacks fails its archive with
// NotFoundError. Throws LocalIoError when the output directory cannot be
// created. A digest mismatch fails the archive with "sha256 mismatch for
// <name>: expected X, got Y" and leaves nothing of it in D.
FetchSummary fetch_archives(s3::Client& client,
                            runs::RunCatalog& catalog,
                            const runs::Run& run,
                            const std::vector<PlannedArchive>& archives,
                            const FetchOptions& options,
                            FetchObserver* observer = nullptr);

// What fetch_and_place() placed, over all archives.
struct Placement {
  cache::PlaceReport files;
};

// Flatten through the cache's tree store: each archive of `archives` is
// extracted once into the store (one already there costs no request), then
// the trees are placed into options.output_dir in plan order (a later archive
// winning a shared path) by `link`. `on_stored` (may be empty) runs once all
// are in the store, before anything is placed (an install records there what
// it is about to write); `on_placed` after each archive is placed, before the
// next. Outcomes keep their paths, with `destination` the output directory. Throws UsageError when
// `catalog` has no cache, and like fetch_archives().
FetchSummary fetch_and_place(s3::Client& client,
                             runs::RunCatalog& catalog,
                             const runs::Run& run,
                             const std::vector<PlannedArchive>& archives,
                             FetchOptions options,
                             cache::LinkMode link,
                             Placement& placement,
                             FetchObserver* observer = nullptr,
                             const std::function<void(const FetchSummary&)>& on_stored = {},
                             const std::function<void(const ArchiveOutcome&)>& on_placed = {});

} // namespace rockart::fetch
