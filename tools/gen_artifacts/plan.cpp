// SPDX-License-Identifier: MIT
// Which archives a generated set contains, and how big each one is.
#include "generator.hpp"
#include "observed_inventory.hpp"

#include <rockart/error.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string_view>
#include <utility>

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

// Relative size of a component without its own weight in k_real_inventory.
constexpr std::pair<std::string_view, double> k_real_default_weight[] = {
    {"lib", 2.0}, {"run", 1.0}, {"dbg", 3.0}, {"dev", 0.3}, {"doc", 0.02}, {"test", 2.0}};

// The manifest's stage directory: every component of a name shares it, as the
// components of one TheRock artifact split one stage directory between them.
std::string real_stage_dir(std::string_view artifact) {
  return std::string(artifact) + "/stage";
}

struct WeightedSpec {
  ArchiveSpec spec;
  double weight = 0;
};

// Appends one archive per "component[:weight]" word of `components`.
void add_real_archives(std::vector<WeightedSpec>& out,
                       const RealArtifact& artifact,
                       const char* components,
                       const std::string& family,
                       const RealScaleOptions& options) {
  std::istringstream words{std::string(components)};
  std::string word;
  while (words >> word) {
    WeightedSpec item;
    const size_t colon = word.find(':');
    item.spec.name = artifact.name;
    item.spec.component = word.substr(0, colon);
    item.spec.family = family;
    item.spec.relpaths = {real_stage_dir(artifact.name)};
    item.spec.compression = options.compression;
    item.spec.level = options.level;
    item.spec.seed = options.seed;
    if (colon != std::string::npos) {
      item.weight = std::stod(word.substr(colon + 1));
    } else {
      for (const auto& [component, weight] : k_real_default_weight) {
        if (component == item.spec.component) {
          item.weight = weight;
        }
      }
    }
    out.push_back(std::move(item));
  }
}

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

std::vector<ArchiveSpec> plan_real_scale(const RealScaleOptions& options) {
  if (options.target.empty() || options.target.find_first_of("_/") != std::string::npos) {
    throw UsageError("--target '" + options.target
                     + "' must be a non-empty target name without '_' or '/' (e.g. gfx942)");
  }
  std::vector<WeightedSpec> planned;
  for (const RealArtifact& artifact : k_real_inventory) {
    add_real_archives(planned, artifact, artifact.generic, "generic", options);
    add_real_archives(planned, artifact, artifact.per_target, options.target, options);
  }
  double sum = 0;
  for (const WeightedSpec& item : planned) {
    sum += item.weight;
  }
  std::vector<ArchiveSpec> all;
  all.reserve(planned.size());
  for (WeightedSpec& item : planned) {
    const double share = static_cast<double>(options.total_size) * item.weight / sum;
    item.spec.size = std::max<std::uint64_t>(static_cast<std::uint64_t>(share), 16 * 1024);
    all.push_back(std::move(item.spec));
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
