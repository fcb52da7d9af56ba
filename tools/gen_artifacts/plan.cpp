// SPDX-License-Identifier: MIT
// Which archives a generated set contains, and how big each one is.
#include "generator.hpp"

#include <rockart/error.hpp>

#include <algorithm>
#include <cmath>

namespace rockart::testdata {
namespace {

struct Project {
  const char* name;
  bool per_family; // false: "generic" archives
  std::vector<std::string> relpaths;
};

// Stage directories as TheRock's build tree has them (spec/artifacts.md §7.1, §8).
const std::vector<Project>& projects() {
  static const std::vector<Project> list = {
      {"base", false, {"base/rocm-core/stage", "base/rocm-cmake/stage"}},
      {"sysdeps", false, {"third-party/sysdeps/linux/zstd/build/stage"}},
      {"amd-llvm", false, {"compiler/amd-llvm/stage"}},
      {"core-hip", false, {"core/hip-clr/stage"}},
      {"core-runtime", false, {"core/ROCR-Runtime/stage"}},
      {"blas", true, {"math-libs/BLAS/rocBLAS/stage", "math-libs/BLAS/hipBLASLt/stage"}},
      {"fft", true, {"math-libs/rocFFT/stage", "math-libs/hipFFT/stage"}},
      {"rand", true, {"math-libs/rocRAND/stage"}},
      {"prim", true, {"math-libs/rocPRIM/stage"}},
      {"sparse", true, {"math-libs/rocSPARSE/stage"}},
      {"solver", true, {"math-libs/rocSOLVER/stage"}},
      {"rccl", true, {"comm-libs/rccl/stage"}},
      {"miopen", true, {"ml-libs/MIOpen/stage"}},
      {"composable-kernel", true, {"ml-libs/composable_kernel/stage"}},
  };
  return list;
}

constexpr const char* k_components[] = {"lib", "dev", "run", "test", "doc", "dbg"};

} // namespace

std::vector<ArchiveSpec> plan_set(const SetOptions& options) {
  std::vector<ArchiveSpec> all;
  for (const Project& p : projects()) {
    for (const char* component : k_components) {
      ArchiveSpec spec;
      spec.name = p.name;
      spec.component = component;
      spec.family = p.per_family ? options.family : "generic";
      spec.relpaths = p.relpaths;
      spec.compression = options.compression;
      spec.level = options.level;
      spec.seed = options.seed;
      all.push_back(std::move(spec));
    }
  }
  if (options.count > all.size()) {
    throw UsageError("--count " + std::to_string(options.count) + " is more than the "
                     + std::to_string(all.size()) + " distinct archive names available");
  }
  // Deterministic shuffle (Fisher-Yates driven by the seed).
  std::uint64_t state = options.seed * 6364136223846793005ULL + 1442695040888963407ULL;
  for (size_t i = all.size() - 1; i > 0; --i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    std::swap(all[i], all[(state >> 33) % (i + 1)]);
  }
  all.resize(options.count);
  // Sizes: equal, or Zipf-like (weight 1/(rank+1)^1.2) for a few large archives.
  std::vector<double> weights(all.size(), 1.0);
  if (options.skew) {
    for (size_t i = 0; i < weights.size(); ++i) {
      weights[i] = 1.0 / std::pow(static_cast<double>(i + 1), 1.2);
    }
  }
  double sum = 0;
  for (const double w : weights) {
    sum += w;
  }
  for (size_t i = 0; i < all.size(); ++i) {
    const double share = static_cast<double>(options.total_size) * weights[i] / sum;
    all[i].size = std::max<std::uint64_t>(static_cast<std::uint64_t>(share), 16 * 1024);
  }
  return all;
}

std::uint64_t parse_size(const std::string& text) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  const double scale = unit.empty() || unit == "B" ? 1.0
                       : unit == "K"               ? 1024.0
                       : unit == "M"               ? 1024.0 * 1024
                       : unit == "G"               ? 1024.0 * 1024 * 1024
                                                   : -1.0;
  if (used == 0 || scale < 0 || value < 0) {
    throw UsageError("invalid size '" + text + "': use bytes or a K/M/G suffix, e.g. 200M");
  }
  return static_cast<std::uint64_t>(value * scale);
}

} // namespace rockart::testdata
