// SPDX-License-Identifier: MIT
// Deterministic TheRock-like artifact archives for tests, demos and benchmarks
// (issue 5 "Test data"; spec/artifacts.md §7.1): manifest first, build-tree stage
// directories with bin/ lib/ include/ share/, symlink chains, hard links, exec
// bits, content compressing about like real binaries, streamed to disk.
#pragma once

#include <rockart/archive/tar_writer.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace rockart::testdata {

struct ArchiveSpec {
  std::string name;                  // e.g. "blas"
  std::string component;             // e.g. "lib"
  std::string family;                // e.g. "gfx94X-dcgpu" or "generic"
  std::vector<std::string> relpaths; // manifest lines, e.g. "math-libs/BLAS/rocBLAS/stage"
  std::uint64_t size = 1 << 20;      // uncompressed payload bytes (approximate, ± a few KiB)
  archive::Compression compression = archive::Compression::zstd;
  int level = -1; // compression level; < 0 = §7.1 default
  std::uint64_t seed = 1;

  // "{name}_{component}_{family}.tar.zst" (or .tar.xz).
  std::string file_name() const;
};

struct GeneratedArchive {
  std::filesystem::path path;
  std::string sha256;
  std::uint64_t compressed_bytes = 0;
  std::uint64_t payload_bytes = 0; // regular-file bytes
  std::uint64_t files = 0;         // regular files
  std::uint64_t symlinks = 0;
  std::uint64_t hardlinks = 0;
};

// Writes `{out_dir}/{spec.file_name()}` and its `.sha256sum` companion
// ("{hex}  {filename}\n"). Same spec, same bytes. Throws rockart::Error on failure.
GeneratedArchive generate_archive(const std::filesystem::path& out_dir, const ArchiveSpec& spec);

struct SetOptions {
  std::uint64_t seed = 1;
  std::string family = "gfx94X-dcgpu";
  size_t count = 20;
  std::uint64_t total_size = std::uint64_t{64} << 20; // uncompressed, over all archives
  bool skew = false; // Zipf-like sizes: a few large archives, many small
  archive::Compression compression = archive::Compression::zstd;
  int level = -1;
};

// A deterministic set of `count` distinct archives (generic and per-family
// names mixed) whose sizes add up to about `total_size`.
std::vector<ArchiveSpec> plan_set(const SetOptions& options);

// Uncompressed bytes the --scale real set holds by default: about 2 GiB once
// compressed (generated content compresses to 0.33 of its size at zstd 3, so
// 6 GiB of payload make 1.97 GiB of archives).
inline constexpr std::uint64_t k_real_scale_total = std::uint64_t{6} << 30;

struct RealScaleOptions {
  std::uint64_t seed = 1;
  std::string target = "gfx942";                 // names the per-target (kpack-split) archives
  std::uint64_t total_size = k_real_scale_total; // uncompressed, over all archives
  archive::Compression compression = archive::Compression::zstd;
  int level = -1;
};

// The archives one GPU family sees in a multi-arch (kpack-split) TheRock CI run:
// the generic archives of 64 artifact names plus the per-target archives named
// by `target`, 266 in all. Sizes follow a real run's spread (the largest,
// blas_lib_{target}, takes about a fifth of `total_size`; most take under
// 0.1 %, none less than 16 KiB) and add up to about `total_size`. Same options,
// same plan.
// Throws UsageError when `target` is empty or contains '_' or '/'.
std::vector<ArchiveSpec> plan_real_scale(const RealScaleOptions& options);

// Parses "123", "64K", "200M", "1.5G" (binary units). Throws UsageError.
std::uint64_t parse_size(const std::string& text);

} // namespace rockart::testdata
