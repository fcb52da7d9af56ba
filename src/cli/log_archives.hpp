// SPDX-License-Identifier: MIT
// The two log archives the stage uploaders create before uploading
// (layout.md §2.2): ninja_logs.tar.gz and ccache_logs.tar.zst.
#pragma once

#include <filesystem>

namespace rockart::cli {

// Writes `{build}/logs/ninja_logs.tar.gz` from every `.ninja_log` under
// `build_dir` (members relative to it; the logs dir is created; an existing
// archive is replaced with a note). Returns false (with a note) when there is none.
bool write_ninja_logs_archive(const std::filesystem::path& build_dir);

// Writes `{build}/logs/ccache_logs.tar.zst` from the regular files directly
// in `{build}/logs/ccache/` (members = file names). False when there is none.
bool write_ccache_logs_archive(const std::filesystem::path& build_dir);

} // namespace rockart::cli
