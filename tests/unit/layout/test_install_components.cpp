// SPDX-License-Identifier: MIT
// The install-from-run-id component table and the include patterns it yields.
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/install_components.hpp>

#include <gmock/gmock.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rockart::layout {
namespace {

using Patterns = std::vector<std::string>;

// Written out by hand, independently of the library's table.
const Patterns k_base = {
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

Patterns base_then(const Patterns& tail) {
  Patterns all = k_base;
  all.insert(all.end(), tail.begin(), tail.end());
  return all;
}

Patterns patterns_for(std::vector<std::string> components, bool tests = false) {
  InstallSelection selection;
  selection.components = std::move(components);
  selection.tests = tests;
  return install_patterns(selection);
}

// One flag enabled alone: what follows the base patterns without and with --tests.
struct RowCase {
  const char* flag;
  Patterns without_tests;
  Patterns with_tests;
};

// In table order; the order is checked against the library below.
const std::vector<RowCase> k_rows = {
    {"aqlprofile", {"aqlprofile_lib"}, {"aqlprofile_lib", "aqlprofile_test"}},
    {"blas", {"blas_lib"}, {"blas_lib", "blas_test"}},
    {"debug-tools",
     {"rocgdb_run",
      "amd-llvm_dev",
      "amd-dbgapi_lib",
      "rocgdb_lib",
      "rocr-debug-agent_lib",
      "rocr-debug-agent-tests_lib",
      "gmp_lib",
      "mpfr_lib",
      "expat_lib",
      "ncurses_lib"},
     {"rocgdb_run",
      "amd-llvm_dev",
      "amd-dbgapi_lib",
      "rocgdb_lib",
      "rocr-debug-agent_lib",
      "rocr-debug-agent-tests_lib",
      "gmp_lib",
      "mpfr_lib",
      "expat_lib",
      "ncurses_lib",
      "amd-dbgapi_test",
      "rocgdb_test",
      "rocr-debug-agent_test",
      "rocr-debug-agent-tests_test",
      "gmp_test",
      "mpfr_test",
      "expat_test",
      "ncurses_test"}},
    {"fft", {"fft_lib", "fftw3_lib"}, {"fft_lib", "fftw3_lib", "fft_test", "fftw3_test"}},
    {"hipdnn", {"hipdnn_lib"}, {"hipdnn_lib", "hipdnn_test"}},
    {"hipdnn-integration-tests",
     {"hipdnn-integration-tests_run", "rand_lib", "hipdnn-integration-tests_lib"},
     {"hipdnn-integration-tests_run",
      "rand_lib",
      "hipdnn-integration-tests_lib",
      "hipdnn-integration-tests_test"}},
    {"hipdnn-samples", {"hipdnn-samples_lib"}, {"hipdnn-samples_lib", "hipdnn-samples_test"}},
    {"hipfile",
     {"hipfile_lib", "sysdeps-util-linux_lib"},
     {"hipfile_lib", "sysdeps-util-linux_lib", "hipfile_test", "sysdeps-util-linux_test"}},
    {"miopen",
     {"miopen_run", "rand_dev", "miopen_lib"},
     {"miopen_run", "rand_dev", "miopen_lib", "miopen_test"}},
    {"miopenprovider", {"miopenprovider_lib"}, {"miopenprovider_lib", "miopenprovider_test"}},
    {"hipkernelprovider",
     {"hipkernelprovider_lib"},
     {"hipkernelprovider_lib", "hipkernelprovider_test"}},
    {"hiptensor", {"hiptensor_lib"}, {"hiptensor_lib", "hiptensor_test"}},
    // rocdecode_test is explicit, so --tests adds it only once.
    {"rocdecode",
     {"rocdecode_dev",
      "rocdecode_test",
      "base_dev",
      "amd-llvm_dev",
      "sysdeps-amd-mesa_lib",
      "rocdecode_lib"},
     {"rocdecode_dev",
      "rocdecode_test",
      "base_dev",
      "amd-llvm_dev",
      "sysdeps-amd-mesa_lib",
      "rocdecode_lib",
      "sysdeps-amd-mesa_test"}},
    {"mpi",
     {"openmpi_run", "openmpi_dev", "openmpi_lib"},
     {"openmpi_run", "openmpi_dev", "openmpi_lib", "openmpi_test"}},
    {"rocjpeg",
     {"rocjpeg_dev",
      "rocjpeg_test",
      "base_dev",
      "amd-llvm_dev",
      "sysdeps-amd-mesa_lib",
      "rocjpeg_lib"},
     {"rocjpeg_dev",
      "rocjpeg_test",
      "base_dev",
      "amd-llvm_dev",
      "sysdeps-amd-mesa_lib",
      "rocjpeg_lib",
      "sysdeps-amd-mesa_test"}},
    {"rocjitsu",
     {"rocjitsu_run", "rocjitsu_lib"},
     {"rocjitsu_run", "rocjitsu_lib", "rocjitsu_test"}},
    {"mirage", {"mirage_run", "mirage_lib"}, {"mirage_run", "mirage_lib", "mirage_test"}},
    {"hipblasltprovider",
     {"hipblasltprovider_lib"},
     {"hipblasltprovider_lib", "hipblasltprovider_test"}},
    {"prim", {"prim_lib"}, {"prim_lib", "prim_test"}},
    {"rand", {"rand_lib"}, {"rand_lib", "rand_test"}},
    {"rccl", {"rccl_lib"}, {"rccl_lib", "rccl_test"}},
    {"rocshmem",
     {"rocshmem_run", "openmpi_run", "rocshmem_lib", "openmpi_lib"},
     {"rocshmem_run",
      "openmpi_run",
      "rocshmem_lib",
      "openmpi_lib",
      "rocshmem_test",
      "openmpi_test"}},
    {"rocprofiler-sdk",
     {"rocprofiler-sdk_run", "rocprofiler-sdk_lib", "aqlprofile_lib"},
     {"rocprofiler-sdk_run",
      "rocprofiler-sdk_lib",
      "aqlprofile_lib",
      "rocprofiler-sdk_test",
      "aqlprofile_test"}},
    {"rocprofiler-compute",
     {"rocprofiler-compute_run", "rocprofiler-compute_lib"},
     {"rocprofiler-compute_run", "rocprofiler-compute_lib", "rocprofiler-compute_test"}},
    // rocprofiler-sdk_dev comes only with --tests, right after the _run pattern.
    {"rocprofiler-systems",
     {"rocprofiler-systems_run", "rocprofiler-systems_lib"},
     {"rocprofiler-systems_run",
      "rocprofiler-sdk_dev",
      "rocprofiler-systems_lib",
      "rocprofiler-systems_test"}},
    // A test archive only, selected even without --tests.
    {"rocprofiler-systems-examples",
     {"rocprofiler-systems-examples_test"},
     {"rocprofiler-systems-examples_test"}},
    {"rocrtst",
     {"rocrtst_lib", "sysdeps-hwloc_lib", "sysdeps-libpciaccess_lib"},
     {"rocrtst_lib",
      "sysdeps-hwloc_lib",
      "sysdeps-libpciaccess_lib",
      "rocrtst_test",
      "sysdeps-hwloc_test",
      "sysdeps-libpciaccess_test"}},
    {"rocalution",
     {"rocalution_dev", "rocalution_lib"},
     {"rocalution_dev", "rocalution_lib", "rocalution_test"}},
    // amd-llvm_lib is a base pattern too and is listed again.
    {"kfdtest",
     {"amd-llvm_dev", "amd-llvm_lib", "kfdtest_lib"},
     {"amd-llvm_dev", "amd-llvm_lib", "kfdtest_lib", "kfdtest_test"}},
    {"rocwmma", {"rocwmma_dev", "rocwmma_lib"}, {"rocwmma_dev", "rocwmma_lib", "rocwmma_test"}},
    {"rpp",
     {"rpp_dev", "base_dev", "amd-llvm_dev", "rpp_lib"},
     {"rpp_dev", "base_dev", "amd-llvm_dev", "rpp_lib", "rpp_test"}},
    {"libhipcxx",
     {"amd-llvm_dev", "amd-llvm_lib", "base_dev_generic", "libhipcxx_lib"},
     {"amd-llvm_dev", "amd-llvm_lib", "base_dev_generic", "libhipcxx_lib", "libhipcxx_test"}},
    // prim_dev and rand_dev need --prim / --rand as well.
    {"hipthreads",
     {"hipthreads_dev",
      "core-hip_run",
      "libhipcxx_dev",
      "amd-llvm_dev",
      "amd-llvm_lib",
      "base_dev_generic",
      "hipthreads_lib",
      "libhipcxx_lib"},
     {"hipthreads_dev",
      "core-hip_run",
      "libhipcxx_dev",
      "amd-llvm_dev",
      "amd-llvm_lib",
      "base_dev_generic",
      "hipthreads_lib",
      "libhipcxx_lib",
      "hipthreads_test",
      "libhipcxx_test"}},
};

// "rocprofiler-systems-examples" -> "RocprofilerSystemsExamples".
std::string camel_case(const std::string& flag) {
  std::string name;
  bool upper = true;
  for (char c : flag) {
    if (c == '-') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

class InstallComponentRow : public ::testing::TestWithParam<RowCase> {};

TEST_P(InstallComponentRow, SelectedAloneYieldsBaseThenItsPatterns) {
  const RowCase& row = GetParam();
  EXPECT_EQ(patterns_for({row.flag}), base_then(row.without_tests));
  EXPECT_EQ(patterns_for({row.flag}, true), base_then(row.with_tests));
  EXPECT_NE(find_install_component(row.flag), nullptr);
}

std::string row_name(const ::testing::TestParamInfo<RowCase>& row) {
  return camel_case(row.param.flag);
}

INSTANTIATE_TEST_SUITE_P(Table, InstallComponentRow, ::testing::ValuesIn(k_rows), row_name);

TEST(InstallComponents, TableHas33RowsWithUniqueFlagsInTheExpectedOrder) {
  const auto& rows = install_components();
  ASSERT_EQ(rows.size(), 33U);
  ASSERT_EQ(k_rows.size(), 33U);
  std::set<std::string_view> flags;
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].flag, k_rows[i].flag) << "row " << i;
    EXPECT_TRUE(flags.insert(rows[i].flag).second) << "duplicate flag " << rows[i].flag;
  }
}

TEST(InstallComponents, RowsAreWellFormed) {
  for (const auto& row : install_components()) {
    EXPECT_FALSE(row.flag.empty());
    EXPECT_EQ(row.flag.find_first_of(" _"), std::string_view::npos) << row.flag;
    EXPECT_NE(row.flag.front(), '-') << row.flag;
    EXPECT_FALSE(row.help.empty()) << row.flag;
    EXPECT_EQ(row.help.find('\n'), std::string_view::npos) << row.flag;
    EXPECT_LE(row.help.size(), 80U) << row.flag;
    EXPECT_FALSE(row.extra_artifacts.empty() && row.explicit_patterns.empty()) << row.flag;
    for (const auto& pattern : row.explicit_patterns) {
      EXPECT_FALSE(pattern.pattern.empty()) << row.flag;
      // A condition is --tests or another component of the table.
      EXPECT_TRUE(pattern.only_with.empty() || pattern.only_with == k_only_with_tests
                  || find_install_component(pattern.only_with) != nullptr)
          << row.flag << ": " << pattern.pattern << " only with " << pattern.only_with;
    }
  }
}

TEST(InstallComponents, BasePatternsAreTheEighteenInOrder) {
  const auto& base = install_base_patterns();
  EXPECT_EQ(Patterns(base.begin(), base.end()), k_base);
}

TEST(InstallComponents, FindIsExactAndCaseSensitive) {
  const InstallComponent* blas = find_install_component("blas");
  ASSERT_NE(blas, nullptr);
  EXPECT_EQ(blas->flag, "blas");
  EXPECT_EQ(find_install_component("debug-tools")->flag, "debug-tools");
  EXPECT_EQ(find_install_component("--blas"), nullptr);
  EXPECT_EQ(find_install_component("BLAS"), nullptr);
  EXPECT_EQ(find_install_component("debug_tools"), nullptr);
  EXPECT_EQ(find_install_component(""), nullptr);
}

TEST(InstallPatterns, HipthreadsWithPrimRandAndTests) {
  EXPECT_EQ(patterns_for({"hipthreads", "prim", "rand"}, true),
            base_then({"hipthreads_dev",
                       "core-hip_run",
                       "libhipcxx_dev",
                       "amd-llvm_dev",
                       "amd-llvm_lib",
                       "base_dev_generic",
                       "prim_dev",
                       "rand_dev",
                       "prim_lib",
                       "rand_lib",
                       "hipthreads_lib",
                       "libhipcxx_lib",
                       "prim_test",
                       "rand_test",
                       "hipthreads_test",
                       "libhipcxx_test"}));
}

TEST(InstallPatterns, BlasMiopenRandWithTests) {
  EXPECT_EQ(patterns_for({"blas", "miopen", "rand"}, true),
            base_then({"miopen_run",
                       "rand_dev",
                       "blas_lib",
                       "miopen_lib",
                       "rand_lib",
                       "blas_test",
                       "miopen_test",
                       "rand_test"}));
}

TEST(InstallPatterns, DebugToolsWithTests) {
  EXPECT_EQ(patterns_for({"debug-tools"}, true),
            base_then({"rocgdb_run",
                       "amd-llvm_dev",
                       "amd-dbgapi_lib",
                       "rocgdb_lib",
                       "rocr-debug-agent_lib",
                       "rocr-debug-agent-tests_lib",
                       "gmp_lib",
                       "mpfr_lib",
                       "expat_lib",
                       "ncurses_lib",
                       "amd-dbgapi_test",
                       "rocgdb_test",
                       "rocr-debug-agent_test",
                       "rocr-debug-agent-tests_test",
                       "gmp_test",
                       "mpfr_test",
                       "expat_test",
                       "ncurses_test"}));
}

TEST(InstallPatterns, HipfileWithTests) {
  EXPECT_EQ(
      patterns_for({"hipfile"}, true),
      base_then(
          {"hipfile_lib", "sysdeps-util-linux_lib", "hipfile_test", "sysdeps-util-linux_test"}));
}

TEST(InstallPatterns, BaseOnlyOverridesComponentsAndTests) {
  InstallSelection selection;
  selection.components = {"blas", "hipthreads", "prim"};
  selection.tests = true;
  selection.base_only = true;
  EXPECT_EQ(install_patterns(selection), k_base);
  EXPECT_EQ(install_patterns(InstallSelection{{}, false, true}), k_base);
}

TEST(InstallPatterns, NoComponentMeansEverythingEvenWithTests) {
  EXPECT_THAT(patterns_for({}), ::testing::IsEmpty());
  EXPECT_THAT(patterns_for({}, true), ::testing::IsEmpty());
}

TEST(InstallPatterns, TableOrderWinsOverArgumentOrder) {
  EXPECT_EQ(patterns_for({"rand", "miopen", "blas"}, true),
            patterns_for({"blas", "miopen", "rand"}, true));
  EXPECT_EQ(patterns_for({"prim", "rand", "hipthreads"}, true),
            patterns_for({"hipthreads", "prim", "rand"}, true));
  EXPECT_EQ(patterns_for({"blas", "blas"}), patterns_for({"blas"}));
}

TEST(InstallPatterns, UnknownComponentThrowsUsageError) {
  EXPECT_ERROR(patterns_for({"blas", "nope"}), UsageError, "unknown install component 'nope'");
  EXPECT_ERROR(patterns_for({"--blas"}), UsageError, "unknown install component '--blas'");
  // Even when the component would not matter.
  InstallSelection selection;
  selection.components = {"BLAS"};
  selection.base_only = true;
  EXPECT_ERROR(install_patterns(selection), UsageError, "unknown install component 'BLAS'");
  try {
    patterns_for({"nope"});
    ADD_FAILURE() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(e.hint().find("known components: aqlprofile, blas, debug-tools,"), std::string::npos)
        << e.hint();
  }
}

TEST(InstallPatterns, DuplicatesAreDroppedOnlyAfterTheBasePart) {
  // amd-llvm_lib is the 9th base pattern and kfdtest repeats it.
  const Patterns kfdtest = patterns_for({"kfdtest"});
  EXPECT_EQ(std::count(kfdtest.begin(), kfdtest.end(), "amd-llvm_lib"), 2);
  EXPECT_EQ(kfdtest[8], "amd-llvm_lib");
  EXPECT_EQ(kfdtest[k_base.size() + 1], "amd-llvm_lib");

  // mpi and rocshmem share openmpi_run and the openmpi artifact: each once.
  EXPECT_EQ(patterns_for({"rocshmem", "mpi"}, true),
            base_then({"openmpi_run",
                       "openmpi_dev",
                       "rocshmem_run",
                       "openmpi_lib",
                       "rocshmem_lib",
                       "openmpi_test",
                       "rocshmem_test"}));

  // libhipcxx's patterns, repeated by hipthreads, appear at their first place.
  EXPECT_EQ(patterns_for({"libhipcxx", "hipthreads"}),
            base_then({"amd-llvm_dev",
                       "amd-llvm_lib",
                       "base_dev_generic",
                       "hipthreads_dev",
                       "core-hip_run",
                       "libhipcxx_dev",
                       "libhipcxx_lib",
                       "hipthreads_lib"}));
}

} // namespace
} // namespace rockart::layout
