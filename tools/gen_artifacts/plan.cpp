// SPDX-License-Identifier: MIT
// Which archives a generated set contains, and how big each one is.
#include "generator.hpp"

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

// The artifact names of a multi-arch (kpack-split) Linux TheRock CI run as the
// gfx94X-dcgpu family sees them (run 30964030362: 252 generic and 14 gfx942
// archives, all .tar.zst), one row per name. Each column lists the components
// archived under that target family; "lib:400" also gives the archive's
// relative compressed size (about MiB in the default 2 GiB set), a bare
// component takes k_real_default_weight. The weights put a real run's spread on
// the set: one archive of about 400 MB, a handful above 50 MB, and most under
// 2 MB.
struct RealArtifact {
  const char* name;
  const char* generic;    // components of {name}_{component}_generic
  const char* per_target; // components of {name}_{component}_{target}
};

constexpr RealArtifact k_real_inventory[] = {
    {"amd-dbgapi", "dbg dev doc lib", ""},
    {"amd-llvm", "dbg:110 dev:20 doc lib:100 run:70", ""},
    {"aqlprofile", "dbg dev doc lib run test", ""},
    {"base", "dbg dev doc lib run test", ""},
    {"blas", "dbg:30 dev:8 doc lib:20 run test:20", "lib:400 test:230"},
    {"composable-kernel", "dbg dev:20 doc lib", ""},
    {"core-amdsmi", "dbg dev doc lib run", ""},
    {"core-hip", "dbg:12 dev doc lib:8 run", ""},
    {"core-hiptests", "test:35", ""},
    {"core-kpack", "dbg dev lib", ""},
    {"core-ocl-icd", "lib", ""},
    {"core-ocl", "dbg:4 dev doc lib:3 run test", ""},
    {"core-runtime", "dbg:8 dev doc lib:5 run", ""},
    {"elfio", "dev doc lib", ""},
    {"fft", "dbg:6 dev doc lib:3 run test:4", "lib:70 test:25"},
    {"fftw3", "dbg dev doc lib:6 run", ""},
    {"flatbuffers", "dev", ""},
    {"hipblasltprovider", "dbg lib test", ""},
    {"hipdnn", "dbg dev doc lib run test", ""},
    {"hipdnn-integration-tests", "dbg run test", ""},
    {"hipdnn-samples", "test", ""},
    {"hipfile", "dbg dev doc lib run test", ""},
    {"hipify", "dbg:8 run:6", ""},
    {"hipkernelprovider", "dbg lib test", ""},
    {"hiptensor", "dbg dev lib test", "lib:40 test:15"},
    {"hipthreads", "dev test", ""},
    {"host-blas", "dbg dev doc lib:15 run", ""},
    {"host-suite-sparse", "dbg dev doc lib:8 run", ""},
    {"libhipcxx", "dbg dev lib test", ""},
    {"miopen", "dbg:40 dev:5 doc lib:25 run test:20", "lib:150"},
    {"miopenprovider", "dbg lib test", ""},
    {"mirage", "dbg dev run", ""},
    {"nlohmann-json", "dev", ""},
    {"prim", "dbg dev doc test", "test:30"},
    {"rand", "dbg dev doc lib run test", "lib:12 test:8"},
    {"rccl", "dbg:10 dev doc lib:5 run test", "lib:45 test:6"},
    {"rdc", "dbg dev doc lib run test", ""},
    {"rocalution", "dbg dev lib test", "lib:10"},
    {"rocdecode", "dbg dev doc lib test", ""},
    {"rocgdb", "dbg:20 dev doc lib run:12 test", ""},
    {"rocjitsu", "dbg dev lib run", ""},
    {"rocjitsu-hotswap", "lib", ""},
    {"rocjpeg", "dbg dev doc lib test", ""},
    {"rocprofiler-compute", "dbg dev doc lib run:8 test", ""},
    {"rocprofiler-sdk", "dbg:15 dev doc lib:12 run test:6", ""},
    {"rocprofiler-systems", "dbg:15 dev doc lib:20 run:10 test", ""},
    {"rocprofiler-systems-examples", "test", ""},
    {"rocr-debug-agent", "dbg dev doc lib", ""},
    {"rocr-debug-agent-tests", "doc test", ""},
    {"rocrtst", "dbg dev doc lib run test", ""},
    {"rocshmem", "dbg dev doc lib run test", ""},
    {"rocwmma", "dbg dev lib test", "test:35"},
    {"rpp", "dbg:10 dev doc lib:15 test", ""},
    {"support", "dev doc", ""},
    {"sysdeps", "dev doc lib:6 run", ""},
    {"sysdeps-amd-mesa", "dev lib:4", ""},
    {"sysdeps-expat", "dev doc lib", ""},
    {"sysdeps-gmp", "dev doc lib", ""},
    {"sysdeps-hwloc", "dev doc lib", ""},
    {"sysdeps-libpciaccess", "dev lib", ""},
    {"sysdeps-mpfr", "dev doc lib", ""},
    {"sysdeps-ncurses", "dev doc lib", ""},
    {"sysdeps-util-linux", "dev lib", ""},
    {"wsl-rocdxg", "dev doc lib", ""},
};

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
