// SPDX-License-Identifier: MIT
// Schema migrations of the cache index (private to the cache layer).
#pragma once

#include "sqlite.hpp"

namespace rockart::cache {

// Applies the pending migrations up to `target` (<= 0: the latest) in one
// transaction. Throws ConfigError when the database is newer than this build.
void migrate(sql::Db& db, int target);

} // namespace rockart::cache
