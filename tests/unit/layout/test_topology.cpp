// SPDX-License-Identifier: MIT
// BUILD_TOPOLOGY.toml reading and stage selection (artifacts.md §5.3 "produced",
// §8.2 inventory; behaviours.md §4.2/§5 unknown-stage error).
#include "support/support.hpp"
#include "support/topology_fixture.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/topology.hpp>

#include <set>

namespace rockart::layout {
namespace {

namespace fs = std::filesystem;

const Topology& spec_topology() {
  static const Topology topology =
      Topology::parse(test::k_spec_topology_toml, "BUILD_TOPOLOGY.toml");
  return topology;
}

struct ProducedCase {
  std::string stage;
  std::set<std::string> produced;
};

// Straight from the §8.2 table: a stage produces every artifact of its groups,
// target-neutral and target-specific alike (push does no family filtering).
const ProducedCase k_produced_cases[] = {
    {"comm-libs", {"rccl", "rocshmem"}},
    {"storage-libs", {"hipfile"}},
    {"cv-libs", {"rpp"}},
    {"media-libs", {"sysdeps-amd-mesa", "rocdecode", "rocjpeg"}},
    {"debug-tools", {"amd-dbgapi", "rocr-debug-agent", "rocr-debug-agent-tests", "rocgdb"}},
    {"profiler-apps", {"rocprofiler-systems", "rocprofiler-systems-examples"}},
    {"dctools-core", {"rdc"}},
    {"wsl-rocdxg", {"wsl-rocdxg"}},
    {"runtime-tests", {"rocrtst", "core-hiptests"}},
    {"math-libs",
     {"blas",
      "rand",
      "fft",
      "prim",
      "sparse",
      "solver",
      "rocalution",
      "rocwmma",
      "composable-kernel",
      "hiptensor",
      "libhipcxx",
      "hipthreads",
      "support",
      "miopen",
      "hipdnn-samples",
      "hipkernelprovider",
      "hipdnn",
      "hipdnn-integration-tests",
      "miopenprovider",
      "hipblasltprovider"}},
    {"compiler-runtime",
     {"sysdeps",
      "sysdeps-expat",
      "sysdeps-gmp",
      "sysdeps-mpfr",
      "sysdeps-ncurses",
      "sysdeps-libmnl",
      "sysdeps-util-linux",
      "sysdeps-libnl",
      "sysdeps-libpciaccess",
      "sysdeps-hwloc",
      "host-blas",
      "host-suite-sparse",
      "elfio",
      "fftw3",
      "flatbuffers",
      "fmt",
      "nlohmann-json",
      "spdlog",
      "openmpi",
      "base",
      "amd-llvm",
      "hipify",
      "core-runtime",
      "core-amdsmi",
      "core-kpack",
      "core-hip",
      "core-hipinfo",
      "core-ocl-icd",
      "core-ocl",
      "kfdtest",
      "aqlprofile",
      "rocprofiler-sdk",
      "rocprofiler-compute",
      "rocjitsu",
      "rocjitsu-hotswap",
      "mirage"}},
};

TEST(Topology, EachStageProducesTheArtifactsOfItsGroups) {
  for (const auto& c : k_produced_cases) {
    EXPECT_EQ(spec_topology().produced_artifacts(c.stage), c.produced) << c.stage;
  }
}

TEST(Topology, AllIsTheUnionOfEveryStage) {
  std::set<std::string> expected;
  for (const auto& c : k_produced_cases) {
    expected.insert(c.produced.begin(), c.produced.end());
  }
  EXPECT_EQ(spec_topology().all_produced_artifacts(), expected);
  EXPECT_EQ(expected.size(), 73U); // 36 in compiler-runtime, 20 in math-libs, 17 elsewhere
}

TEST(Topology, StageNamesAreTheSpecStagesSorted) {
  EXPECT_EQ(spec_topology().stage_names(),
            (std::vector<std::string>{"comm-libs",
                                      "compiler-runtime",
                                      "cv-libs",
                                      "dctools-core",
                                      "debug-tools",
                                      "math-libs",
                                      "media-libs",
                                      "profiler-apps",
                                      "runtime-tests",
                                      "storage-libs",
                                      "wsl-rocdxg"}));
}

TEST(Topology, StageAndArtifactTypesAreRead) {
  EXPECT_EQ(spec_topology().stage("math-libs").type, "per-arch");
  EXPECT_EQ(spec_topology().stage("comm-libs").type, "generic"); // absent -> generic
  EXPECT_EQ(spec_topology().artifacts().at("rccl").type, "target-specific");
  EXPECT_EQ(spec_topology().artifacts().at("rocshmem").type, "target-neutral");
  EXPECT_EQ(spec_topology().stage("math-libs").artifact_groups,
            (std::vector<std::string>{"math-libs", "ml-libs"}));
}

TEST(Topology, AnUnknownStageIsNotFoundAndListsTheAvailableStages) {
  try {
    (void)spec_topology().produced_artifacts("mathlibs");
    ADD_FAILURE() << "expected NotFoundError";
  } catch (const NotFoundError& e) {
    EXPECT_EQ(std::string(e.what()),
              "Stage 'mathlibs' not found; available stages: comm-libs, compiler-runtime, "
              "cv-libs, dctools-core, debug-tools, math-libs, media-libs, profiler-apps, "
              "runtime-tests, storage-libs, wsl-rocdxg");
    EXPECT_EQ(e.exit_code(), ExitCode::not_found);
  }
}

TEST(Topology, AStageWithoutArtifactsProducesNothing) {
  const auto t = Topology::parse("[build_stages.empty]\nartifact_groups = [\"g\"]\n"
                                 "[artifact_groups.g]\n",
                                 "t.toml");
  EXPECT_TRUE(t.produced_artifacts("empty").empty());
}

struct BadCase {
  std::string toml, message;
};

const BadCase k_bad_cases[] = {
    {"[build_stages.s\n", "t.toml:1:"},
    {"[build_stages.s]\nartifact_groups = \"g\"\n",
     "t.toml: build_stages.s.artifact_groups is not an array of strings"},
    {"[build_stages.s]\nartifact_groups = [1]\n",
     "t.toml: build_stages.s.artifact_groups is not an array of strings"},
    {"[build_stages.s]\nartifact_groups = [\"nope\"]\n",
     "t.toml: build_stages.s names unknown artifact group 'nope'"},
    {"[artifacts.a]\ntype = \"target-neutral\"\n",
     "t.toml: artifacts.a.artifact_group is missing or empty"},
    {"[artifacts.a]\nartifact_group = \"g\"\n",
     "t.toml: artifacts.a names unknown artifact group 'g'"},
    {"[artifact_groups.g]\ndescription = 3\n",
     "t.toml: artifact_groups.g.description is not a string"},
    {"build_stages = 1\n", "t.toml: build_stages is not a table"},
    {"[artifact_groups]\ng = 1\n", "t.toml: artifact_groups.g is not a table"},
};

TEST(Topology, MalformedFilesAreConfigErrorsNamingFileAndKey) {
  for (const auto& c : k_bad_cases) {
    EXPECT_ERROR((void)Topology::parse(c.toml, "t.toml"), ConfigError, c.message);
  }
}

TEST(Topology, TheDefaultFileIsFoundInTheStartDirectoryOrAParent) {
  std::set<fs::path> files;
  const auto is_file = [&](const fs::path& p) {
    return files.contains(p);
  };
  EXPECT_ERROR((void)find_topology_file("/src/TheRock/build", is_file),
               ConfigError,
               "no BUILD_TOPOLOGY.toml in /src/TheRock/build or any parent directory");
  files.insert("/src/TheRock/BUILD_TOPOLOGY.toml");
  EXPECT_EQ(find_topology_file("/src/TheRock/build/artifacts", is_file),
            "/src/TheRock/BUILD_TOPOLOGY.toml");
  EXPECT_EQ(find_topology_file("/src/TheRock", is_file), "/src/TheRock/BUILD_TOPOLOGY.toml");
  files.insert("/BUILD_TOPOLOGY.toml");
  EXPECT_EQ(find_topology_file("/src", is_file), "/BUILD_TOPOLOGY.toml");
}

} // namespace
} // namespace rockart::layout
