// SPDX-License-Identifier: MIT
// The component table of install-from-run-id and the patterns it yields.
#include <rockart/error.hpp>
#include <rockart/layout/install_components.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>
#include <cstddef>
#include <utility>

namespace rockart::layout {

namespace {

// Row order is part of the contract: patterns come out in table order, not in
// the order the flags were given, so keep new rows where upstream puts them.
std::vector<InstallComponent> make_components() {
  const std::string_view with_tests = k_only_with_tests;
  return {
      {"aqlprofile", "AQL profiler library (aqlprofile)", {"aqlprofile"}, {}},
      {"blas", "rocBLAS, hipBLAS, hipBLASLt (blas)", {"blas"}, {}},
      // rocgdb's own executable is in its _run archive; gmp, mpfr, expat and
      // ncurses are libraries rocgdb links against.
      {"debug-tools",
       "ROCm debugging tools: amd-dbgapi, rocgdb, rocr-debug-agent",
       {"amd-dbgapi",
        "rocgdb",
        "rocr-debug-agent",
        "rocr-debug-agent-tests",
        "gmp",
        "mpfr",
        "expat",
        "ncurses"},
       {{"rocgdb_run"}, {"amd-llvm_dev"}}},
      {"fft", "rocFFT, hipFFT, FFTW3 (fft, fftw3)", {"fft", "fftw3"}, {}},
      {"hipdnn", "hipDNN (hipdnn)", {"hipdnn"}, {}},
      {"hipdnn-integration-tests",
       "hipDNN integration tests (hipdnn-integration-tests)",
       {"hipdnn-integration-tests"},
       {{"hipdnn-integration-tests_run"}, {"rand_lib"}}},
      {"hipdnn-samples", "hipDNN samples (hipdnn-samples)", {"hipdnn-samples"}, {}},
      {"hipfile", "hipFile (hipfile, sysdeps-util-linux)", {"hipfile", "sysdeps-util-linux"}, {}},
      // MIOpenDriver, which the tests run, is in miopen_run; MIOpen compiles
      // kernels at run time and needs the rocRAND headers from rand_dev.
      {"miopen", "MIOpen and MIOpenDriver (miopen)", {"miopen"}, {{"miopen_run"}, {"rand_dev"}}},
      {"miopenprovider", "hipDNN MIOpen provider (miopenprovider)", {"miopenprovider"}, {}},
      {"hipkernelprovider",
       "hipDNN kernel provider (hipkernelprovider)",
       {"hipkernelprovider"},
       {}},
      {"hiptensor", "hipTensor (hiptensor)", {"hiptensor"}, {}},
      {"rocdecode",
       "rocDecode video decoding (rocdecode, sysdeps-amd-mesa)",
       {"sysdeps-amd-mesa", "rocdecode"},
       {{"rocdecode_dev"}, {"rocdecode_test"}, {"base_dev"}, {"amd-llvm_dev"}}},
      {"mpi", "Open MPI (openmpi)", {"openmpi"}, {{"openmpi_run"}, {"openmpi_dev"}}},
      {"rocjpeg",
       "rocJPEG JPEG decoding (rocjpeg, sysdeps-amd-mesa)",
       {"sysdeps-amd-mesa", "rocjpeg"},
       {{"rocjpeg_dev"}, {"rocjpeg_test"}, {"base_dev"}, {"amd-llvm_dev"}}},
      {"rocjitsu", "rocjitsu (rocjitsu)", {"rocjitsu"}, {{"rocjitsu_run"}}},
      {"mirage", "Mirage (mirage)", {"mirage"}, {{"mirage_run"}}},
      {"hipblasltprovider",
       "hipDNN hipBLASLt provider (hipblasltprovider)",
       {"hipblasltprovider"},
       {}},
      {"prim", "rocPRIM, hipCUB, rocThrust (prim)", {"prim"}, {}},
      {"rand", "rocRAND, hipRAND (rand)", {"rand"}, {}},
      {"rccl", "RCCL collective communication (rccl)", {"rccl"}, {}},
      {"rocshmem",
       "rocSHMEM with Open MPI (rocshmem, openmpi)",
       {"rocshmem", "openmpi"},
       {{"rocshmem_run"}, {"openmpi_run"}}},
      // rocprofiler-sdk_run holds rocprofiler-sdk-rocpd.
      {"rocprofiler-sdk",
       "ROCprofiler-SDK with aqlprofile (rocprofiler-sdk, aqlprofile)",
       {"rocprofiler-sdk", "aqlprofile"},
       {{"rocprofiler-sdk_run"}}},
      {"rocprofiler-compute",
       "ROCm Compute Profiler (rocprofiler-compute)",
       {"rocprofiler-compute"},
       {{"rocprofiler-compute_run"}}},
      // The executables (rocprof-sys-run, rocprof-sys-instrument, ...) are in
      // the _run archive; the tests also need rocprofiler-sdk_dev.
      {"rocprofiler-systems",
       "ROCm Systems Profiler (rocprofiler-systems)",
       {"rocprofiler-systems"},
       {{"rocprofiler-systems_run"}, {"rocprofiler-sdk_dev", with_tests}}},
      // Only a test archive exists, so it is selected even without --tests.
      {"rocprofiler-systems-examples",
       "ROCm Systems Profiler examples (rocprofiler-systems-examples_test)",
       {},
       {{"rocprofiler-systems-examples_test"}}},
      {"rocrtst",
       "ROCr runtime tests (rocrtst, sysdeps-hwloc, sysdeps-libpciaccess)",
       {"rocrtst", "sysdeps-hwloc", "sysdeps-libpciaccess"},
       {}},
      {"rocalution", "rocALUTION (rocalution)", {"rocalution"}, {{"rocalution_dev"}}},
      {"kfdtest", "KFD driver tests (kfdtest)", {"kfdtest"}, {{"amd-llvm_dev"}, {"amd-llvm_lib"}}},
      {"rocwmma", "rocWMMA (rocwmma)", {"rocwmma"}, {{"rocwmma_dev"}}},
      {"rpp",
       "ROCm Performance Primitives (rpp)",
       {"rpp"},
       {{"rpp_dev"}, {"base_dev"}, {"amd-llvm_dev"}}},
      // base_dev_generic names a whole archive (name, component and target
      // family), so only the generic base headers are taken.
      {"libhipcxx",
       "libhipcxx, the HIP C++ standard library (libhipcxx)",
       {"libhipcxx"},
       {{"amd-llvm_dev"}, {"amd-llvm_lib"}, {"base_dev_generic"}}},
      {"hipthreads",
       "hipThreads with libhipcxx (hipthreads, libhipcxx)",
       {"hipthreads", "libhipcxx"},
       {{"hipthreads_dev"},
        {"core-hip_run"},
        {"libhipcxx_dev"},
        {"amd-llvm_dev"},
        {"amd-llvm_lib"},
        {"base_dev_generic"},
        {"prim_dev", "prim"},
        {"rand_dev", "rand"}}},
  };
}

bool is_enabled(const InstallSelection& selection, std::string_view flag) {
  return std::find(selection.components.begin(), selection.components.end(), flag)
         != selection.components.end();
}

bool applies(const ComponentPattern& pattern, const InstallSelection& selection) {
  if (pattern.only_with.empty()) {
    return true;
  }
  if (pattern.only_with == k_only_with_tests) {
    return selection.tests;
  }
  return is_enabled(selection, pattern.only_with);
}

void check_known(const InstallSelection& selection) {
  for (const auto& name : selection.components) {
    if (find_install_component(name) == nullptr) {
      std::vector<std::string> known;
      for (const auto& row : install_components()) {
        known.emplace_back(row.flag);
      }
      throw UsageError("unknown install component '" + name + "'",
                       "known components: " + util::join(known, ", "));
    }
  }
}

void append_unique(std::vector<std::string>& list, size_t from, std::string value) {
  if (std::find(list.begin() + static_cast<std::ptrdiff_t>(from), list.end(), value)
      == list.end()) {
    list.push_back(std::move(value));
  }
}

} // namespace

const std::vector<InstallComponent>& install_components() {
  static const std::vector<InstallComponent> components = make_components();
  return components;
}

const std::vector<std::string_view>& install_base_patterns() {
  // What running any test needs, whichever components are chosen.
  static const std::vector<std::string_view> patterns = {
      "core-hipinfo_run",
      "core-runtime_run",
      "core-runtime_lib",
      "rocjitsu-hotswap_lib",
      "sysdeps_lib",
      "base_run",
      "base_lib",
      "amd-llvm_run",
      "amd-llvm_lib",
      "core-amdsmi_run",
      "core-amdsmi_lib",
      "core-hip_lib",
      "core-hip_dev",
      "core-kpack_lib",
      "core-ocl_lib",
      "core-ocl_dev",
      "rocprofiler-sdk_lib",
      "host-suite-sparse_lib",
  };
  return patterns;
}

const InstallComponent* find_install_component(std::string_view flag) {
  const auto& rows = install_components();
  auto it = std::find_if(
      rows.begin(), rows.end(), [&](const InstallComponent& row) { return row.flag == flag; });
  return it == rows.end() ? nullptr : &*it;
}

std::vector<std::string> install_patterns(const InstallSelection& selection) {
  check_known(selection);
  const auto& base = install_base_patterns();
  std::vector<std::string> patterns(base.begin(), base.end());
  if (selection.base_only) {
    return patterns;
  }
  if (selection.components.empty()) {
    // No include pattern at all: the caller fetches every archive of the
    // group, --tests alone changes nothing.
    return {};
  }

  // Upstream removes duplicates from what follows the base list only, so a
  // base pattern a component repeats (amd-llvm_lib) is listed twice.
  const size_t tail = patterns.size();
  std::vector<std::string_view> extras;
  for (const auto& row : install_components()) {
    if (!is_enabled(selection, row.flag)) {
      continue;
    }
    for (const auto& pattern : row.explicit_patterns) {
      if (applies(pattern, selection)) {
        append_unique(patterns, tail, std::string(pattern.pattern));
      }
    }
    extras.insert(extras.end(), row.extra_artifacts.begin(), row.extra_artifacts.end());
  }
  for (std::string_view artifact : extras) {
    append_unique(patterns, tail, std::string(artifact) + "_lib");
  }
  if (selection.tests) {
    for (std::string_view artifact : extras) {
      append_unique(patterns, tail, std::string(artifact) + "_test");
    }
  }
  return patterns;
}

} // namespace rockart::layout
