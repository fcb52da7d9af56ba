// SPDX-License-Identifier: MIT
// The observed inventory of spec/artifacts.md §8.1 (run 30964030362, gfx94X-dcgpu
// view: generic + gfx942, all .tar.zst), transcribed row by row, as a realistic
// listing for selection and filter tests.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace rockart::layout::test {

struct InventoryRow {
  const char* artifact;
  const char* generic_components; // "(G)" column
  const char* gfx942_components;  // "(942)" column, "" when none
};

inline const std::vector<InventoryRow>& observed_inventory_rows() {
  static const std::vector<InventoryRow> rows = {
      {"amd-dbgapi", "dbg dev doc lib", ""},
      {"amd-llvm", "dbg dev doc lib run", ""},
      {"aqlprofile", "dbg dev doc lib run test", ""},
      {"base", "dbg dev doc lib run test", ""},
      {"blas", "dbg dev doc lib run test", "lib test"},
      {"composable-kernel", "dbg dev doc lib", ""},
      {"core-amdsmi", "dbg dev doc lib run", ""},
      {"core-hip", "dbg dev doc lib run", ""},
      {"core-hiptests", "test", ""},
      {"core-kpack", "dbg dev lib", ""},
      {"core-ocl-icd", "lib", ""},
      {"core-ocl", "dbg dev doc lib run test", ""},
      {"core-runtime", "dbg dev doc lib run", ""},
      {"elfio", "dev doc lib", ""},
      {"fft", "dbg dev doc lib run test", "lib test"},
      {"fftw3", "dbg dev doc lib run", ""},
      {"flatbuffers", "dev", ""},
      {"hipblasltprovider", "dbg lib test", ""},
      {"hipdnn", "dbg dev doc lib run test", ""},
      {"hipdnn-integration-tests", "dbg run test", ""},
      {"hipdnn-samples", "test", ""},
      {"hipfile", "dbg dev doc lib run test", ""},
      {"hipify", "dbg run", ""},
      {"hipkernelprovider", "dbg lib test", ""},
      {"hiptensor", "dbg dev lib test", "lib test"},
      {"hipthreads", "dev test", ""},
      {"host-blas", "dbg dev doc lib run", ""},
      {"host-suite-sparse", "dbg dev doc lib run", ""},
      {"libhipcxx", "dbg dev lib test", ""},
      {"miopen", "dbg dev doc lib run test", "lib"},
      {"miopenprovider", "dbg lib test", ""},
      {"mirage", "dbg dev run", ""},
      {"nlohmann-json", "dev", ""},
      {"prim", "dbg dev doc test", "test"},
      {"rand", "dbg dev doc lib run test", "lib test"},
      {"rccl", "dbg dev doc lib run test", "lib test"},
      {"rdc", "dbg dev doc lib run test", ""},
      {"rocalution", "dbg dev lib test", "lib"},
      {"rocdecode", "dbg dev doc lib test", ""},
      {"rocgdb", "dbg dev doc lib run test", ""},
      {"rocjitsu", "dbg dev lib run", ""},
      {"rocjitsu-hotswap", "lib", ""},
      {"rocjpeg", "dbg dev doc lib test", ""},
      {"rocprofiler-compute", "dbg dev doc lib run test", ""},
      {"rocprofiler-sdk", "dbg dev doc lib run test", ""},
      {"rocprofiler-systems", "dbg dev doc lib run test", ""},
      {"rocprofiler-systems-examples", "test", ""},
      {"rocr-debug-agent", "dbg dev doc lib", ""},
      {"rocr-debug-agent-tests", "doc test", ""},
      {"rocrtst", "dbg dev doc lib run test", ""},
      {"rocshmem", "dbg dev doc lib run test", ""},
      {"rocwmma", "dbg dev lib test", "test"},
      {"rpp", "dbg dev doc lib test", ""},
      {"support", "dev doc", ""},
      {"sysdeps", "dev doc lib run", ""},
      {"sysdeps-amd-mesa", "dev lib", ""},
      {"sysdeps-expat", "dev doc lib", ""},
      {"sysdeps-gmp", "dev doc lib", ""},
      {"sysdeps-hwloc", "dev doc lib", ""},
      {"sysdeps-libpciaccess", "dev lib", ""},
      {"sysdeps-mpfr", "dev doc lib", ""},
      {"sysdeps-ncurses", "dev doc lib", ""},
      {"sysdeps-util-linux", "dev lib", ""},
      {"wsl-rocdxg", "dev doc lib", ""},
  };
  return rows;
}

// Archive names `{artifact}_{component}_{family}.tar.zst` of the chosen columns.
inline std::vector<std::string> observed_archives(bool generic, bool gfx942) {
  std::vector<std::string> names;
  auto add = [&](const char* artifact, const char* components, const char* family) {
    std::istringstream words(components);
    std::string component;
    while (words >> component) {
      names.push_back(std::string(artifact) + "_" + component + "_" + family + ".tar.zst");
    }
  };
  for (const auto& row : observed_inventory_rows()) {
    if (generic) {
      add(row.artifact, row.generic_components, "generic");
    }
    if (gfx942) {
      add(row.artifact, row.gfx942_components, "gfx942");
    }
  }
  return names;
}

} // namespace rockart::layout::test
