// SPDX-License-Identifier: MIT
#include "generator.hpp"

#include <rockart/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <span>

namespace rockart::testdata {
namespace {

using archive::TarWriter;

constexpr size_t k_block = 4096;

// splitmix64: tiny, fast, and the same on every platform.
class Rng {
public:
  explicit Rng(std::uint64_t seed) : m_state(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }

private:
  std::uint64_t m_state;
};

// Symbol-like tokens: repetitive enough to compress, varied enough not to vanish.
constexpr const char* k_words[] = {
    "v_mfma_f32_32x32x8", "s_load_dwordx4",  "global_load_dword", "v_add_co_u32", "s_waitcnt",
    "rocblas_gemm_ex",    "hipLaunchKernel", "__hip_fatbin",      "_ZN7rocblas",  ".text",
    "0x00000000",         "0xffffffff",      "amdgcn-amd-amdhsa", "gfx942",       "gfx950",
    "ds_read_b128",       "buffer_store",    "s_cbranch_scc1",    "v_fma_f64",    "Tensile",
    "kernel_arg",         "vgpr_count",      "sgpr_count",        "lds_size",     "wavefront",
    "__ocml_exp_f32",     "rocprim::detail", "hipblaslt",         "_Z12rocfft",   "miopen::",
    "std::vector",        "operator new",    "GLIBCXX_3.4",       "libamdhip64",  ".rodata"};

// The content of one file: 4 KiB blocks that are random (compressed code and
// tables), zero runs (padding) or token text (symbols, assembly listings).
class ContentStream {
public:
  ContentStream(std::uint64_t seed, bool text_only) : m_rng(seed), m_text_only(text_only) {}

  void fill(std::span<std::byte> out) {
    while (!out.empty()) {
      const size_t n = std::min(out.size(), k_block);
      fill_block(out.first(n));
      out = out.subspan(n);
    }
  }

private:
  void fill_block(std::span<std::byte> out) {
    const std::uint64_t kind = m_text_only ? 99 : m_rng.below(100);
    if (kind < 22) {
      for (size_t i = 0; i < out.size(); i += 8) {
        const std::uint64_t v = m_rng.next();
        std::memcpy(out.data() + i, &v, std::min<size_t>(8, out.size() - i));
      }
    } else if (kind < 30) {
      std::fill(out.begin(), out.end(), std::byte{0});
    } else {
      size_t at = 0;
      while (at < out.size()) {
        const char* word = k_words[m_rng.below(std::size(k_words))];
        const size_t len = std::min(std::strlen(word), out.size() - at);
        std::memcpy(out.data() + at, word, len);
        at += len;
        if (at < out.size()) {
          out[at++] = std::byte(m_rng.below(8) == 0 ? '\n' : ' ');
        }
      }
    }
  }

  Rng m_rng;
  bool m_text_only;
};

// FNV-1a: a name hash that is the same with every standard library.
std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
  return h;
}

std::string project_of(const std::string& relpath) {
  // ".../rocBLAS/stage" -> "rocblas"
  std::string dir = relpath;
  if (dir.size() > 6 && dir.ends_with("/stage")) {
    dir.resize(dir.size() - 6);
  }
  std::string base = dir.substr(dir.rfind('/') + 1);
  std::transform(base.begin(), base.end(), base.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return base;
}

struct Writer {
  TarWriter& tar;
  GeneratedArchive& result;
  Rng& rng;

  void file(const std::string& name, std::uint64_t size, unsigned mode, bool text) {
    ContentStream content(rng.next(), text);
    tar.add_file_streamed(name, size, mode, [&](std::span<std::byte> b) { content.fill(b); });
    ++result.files;
    result.payload_bytes += size;
  }
};

// One stage directory: ~60% headers, ~20% share data, ~10% tools, ~10% libraries
// with symlink chains; libraries get what is left of `budget`.
void write_stage(Writer& w, const std::string& root, std::uint64_t budget, size_t files) {
  const std::string project = project_of(root);
  const size_t headers = std::max<size_t>(1, files * 6 / 10);
  const size_t shares = std::max<size_t>(1, files * 2 / 10);
  const size_t tools = std::max<size_t>(1, files / 10);
  const size_t libs = std::max<size_t>(1, files - std::min(files, headers + shares + tools));
  for (const char* dir : {"bin", "lib", "include", "share"}) {
    w.tar.add_directory(root + "/" + dir);
  }
  w.tar.add_directory(root + "/include/" + project);
  w.tar.add_directory(root + "/share/" + project);
  std::uint64_t used = 0;
  for (size_t i = 0; i < headers; ++i) {
    const std::uint64_t size = std::min<std::uint64_t>(512 + w.rng.below(8192), budget / 8 + 1);
    w.file(root + "/include/" + project + "/" + project + "_" + std::to_string(i) + ".h",
           size,
           0644,
           true);
    used += size;
  }
  for (size_t i = 0; i < shares; ++i) {
    const std::uint64_t size = std::min<std::uint64_t>(1024 + w.rng.below(16384), budget / 8 + 1);
    w.file(root + "/share/" + project + "/data" + std::to_string(i) + ".dat", size, 0644, false);
    used += size;
  }
  for (size_t i = 0; i < tools; ++i) {
    const std::uint64_t size = std::min<std::uint64_t>(4096 + w.rng.below(65536), budget / 8 + 1);
    w.file(root + "/bin/" + project + "-tool" + std::to_string(i), size, 0755, false);
    used += size;
  }
  // Tools installed under two names share an inode (tar hard-link member).
  w.tar.add_hardlink(root + "/bin/" + project + "-tool0-alias",
                     root + "/bin/" + project + "-tool0");
  ++w.result.hardlinks;
  const std::uint64_t left = budget > used ? budget - used : 0;
  for (size_t i = 0; i < libs; ++i) {
    const std::string stem = root + "/lib/lib" + project + (i == 0 ? "" : std::to_string(i));
    const std::uint64_t size = std::max<std::uint64_t>(left / libs, 1024);
    w.file(stem + ".so.1.2.0", size, 0755, false);
    w.tar.add_symlink(stem + ".so.1", stem.substr(stem.rfind('/') + 1) + ".so.1.2.0");
    w.tar.add_symlink(stem + ".so", stem.substr(stem.rfind('/') + 1) + ".so.1");
    w.result.symlinks += 2;
  }
}

} // namespace

std::string ArchiveSpec::file_name() const {
  return name + "_" + component + "_" + family
         + std::string(archive::archive_extension(compression));
}

GeneratedArchive generate_archive(const std::filesystem::path& out_dir, const ArchiveSpec& spec) {
  GeneratedArchive result;
  result.path = out_dir / spec.file_name();
  TarWriter tar(result.path, spec.compression, spec.level);
  std::string manifest;
  for (const std::string& relpath : spec.relpaths) {
    manifest += relpath + "\n";
  }
  tar.add_file("artifact_manifest.txt", manifest);
  Rng rng(spec.seed * 0x2545F4914F6CDD1DULL + stable_hash(spec.file_name()));
  Writer writer{tar, result, rng};
  // "Hundreds of files": one per ~32 KiB, at least 8 and at most 600 per archive.
  const auto files = static_cast<size_t>(std::clamp<std::uint64_t>(spec.size / 32768, 8, 600));
  const size_t stages = std::max<size_t>(spec.relpaths.size(), 1);
  for (const std::string& relpath : spec.relpaths) {
    write_stage(writer, relpath, spec.size / stages, std::max<size_t>(files / stages, 4));
  }
  result.sha256 = tar.finish();
  result.compressed_bytes = std::filesystem::file_size(result.path);
  archive::write_sha256_companion(result.path, result.sha256);
  return result;
}

} // namespace rockart::testdata
