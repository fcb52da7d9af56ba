// SPDX-License-Identifier: MIT
// Helpers for the archive tests: a small TheRock-like sample archive, a canonical
// description of a directory tree (to compare with what `tar -x` produces), and
// a directory listing that shows anything written outside the target.
#pragma once

#include "support/support.hpp"

#include <rockart/archive/tar_writer.hpp>
#include <rockart/util/hash.hpp>

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace rockart::archive::testing {

inline constexpr const char* k_blas = "math-libs/BLAS/rocBLAS/stage";
inline constexpr const char* k_core = "base/rocm-core/stage";

// Deterministic bytes that are neither all-random nor all-zero.
inline std::string pseudo_bytes(size_t size, std::uint32_t seed) {
  std::string out(size, '\0');
  std::uint32_t x = seed * 2654435761U + 1;
  for (size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[i] = static_cast<char>((i / 64) % 3 == 0 ? 'A' + (i % 7) : (x & 0xff));
  }
  return out;
}

// Two relpaths, nested dirs, exec bits, a symlink chain, a directory symlink,
// hard links, an empty file and a multi-block file.
inline void write_sample(const std::filesystem::path& path, Compression compression) {
  const std::string blas = k_blas;
  const std::string core = k_core;
  // xz at its fastest preset: the tests need the format, not the ratio.
  TarWriter w(path, compression, compression == Compression::xz ? 0 : -1);
  w.add_file("artifact_manifest.txt", blas + "\n" + core + "\n");
  for (const char* dir : {"bin", "lib", "include", "include/rocblas", "share", "share/cmake"}) {
    w.add_directory(blas + "/" + dir);
  }
  w.add_file(blas + "/bin/rocblas-bench", pseudo_bytes(70000, 1), 0755);
  w.add_hardlink(blas + "/bin/rocblas-bench-copy", blas + "/bin/rocblas-bench");
  w.add_file(blas + "/lib/librocblas.so.4.3.0", pseudo_bytes(3 << 19, 2), 0755);
  w.add_symlink(blas + "/lib/librocblas.so.4", "librocblas.so.4.3.0");
  w.add_symlink(blas + "/lib/librocblas.so", "librocblas.so.4");
  w.add_symlink(blas + "/lib/cmake", "../share/cmake");
  w.add_file(blas + "/include/rocblas/rocblas.h", "#pragma once\nint rocblas_init();\n");
  w.add_file(blas + "/share/cmake/rocblas-config.cmake", "set(ROCBLAS 1)\n");
  w.add_file(blas + "/share/empty", "");
  w.add_file(core + "/lib/librocm-core.so.1.0.0", pseudo_bytes(5000, 3), 0755);
  w.add_symlink(core + "/lib/librocm-core.so", "librocm-core.so.1.0.0");
  w.add_file(core + "/.info/version", "7.0.0\n");
  w.add_hardlink(core + "/.info/version-copy", core + "/.info/version");
  w.finish();
}

// rel path -> "dir:<octal mode>", "link:<target>", or
// "file:<x bits>:<sha256>[ =<first path of inode>]".
using TreeListing = std::map<std::string, std::string>;

inline TreeListing list_tree(const std::filesystem::path& root) {
  TreeListing listing;
  std::map<std::pair<dev_t, ino_t>, std::string> first_of_inode;
  std::map<std::string, std::filesystem::path> entries;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    entries[e.path().lexically_relative(root).generic_string()] = e.path();
  }
  for (const auto& [rel, path] : entries) {
    struct ::stat st {};

    ::lstat(path.c_str(), &st);
    if (S_ISDIR(st.st_mode)) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%o", static_cast<unsigned>(st.st_mode & 07777));
      listing[rel] = std::string("dir:") + mode;
    } else if (S_ISLNK(st.st_mode)) {
      listing[rel] = "link:" + std::filesystem::read_symlink(path).string();
    } else {
      std::string text = "file:" + std::to_string(st.st_mode & 0111) + ":";
      text += util::sha256_hex(test::read_file(path));
      const auto [it, first] = first_of_inode.emplace(std::pair(st.st_dev, st.st_ino), rel);
      if (st.st_nlink > 1) {
        text += " =" + it->second;
      }
      listing[rel] = text;
    }
  }
  return listing;
}

inline std::string describe(const TreeListing& listing) {
  std::string out;
  for (const auto& [rel, what] : listing) {
    out += rel + " -> " + what + "\n";
  }
  return out;
}

} // namespace rockart::archive::testing
