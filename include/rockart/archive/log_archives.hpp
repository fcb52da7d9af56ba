// SPDX-License-Identifier: MIT
// The two log archives TheRock's stage uploaders create before uploading a
// build's logs: {build}/logs/ninja_logs.tar.gz (every .ninja_log of the build,
// for build-time analysis) and {build}/logs/ccache_logs.tar.zst (the files of
// {build}/logs/ccache/).
#pragma once

#include <filesystem>

namespace rockart::archive {

// Writes `{build}/logs/ninja_logs.tar.gz` from every regular `.ninja_log`
// under `build_dir` (members relative to it, sorted; symlinks skipped; the
// logs dir is created; an existing archive is replaced). Returns false, with
// a note at info, when there is none. Throws LocalIoError / ArchiveError.
bool write_ninja_logs_archive(const std::filesystem::path& build_dir);

// Writes `{build}/logs/ccache_logs.tar.zst` from the regular files directly
// in `{build}/logs/ccache/` (members = file names, sorted). Returns false when
// there is none. Throws LocalIoError / ArchiveError.
bool write_ccache_logs_archive(const std::filesystem::path& build_dir);

} // namespace rockart::archive
