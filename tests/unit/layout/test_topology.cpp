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

TEST(Topology, StageNamesKeepTheFileOrder) {
  EXPECT_EQ(spec_topology().stage_names(),
            (std::vector<std::string>{"compiler-runtime",
                                      "wsl-rocdxg",
                                      "runtime-tests",
                                      "math-libs",
                                      "comm-libs",
                                      "storage-libs",
                                      "cv-libs",
                                      "media-libs",
                                      "debug-tools",
                                      "profiler-apps",
                                      "dctools-core"}));
}

TEST(Topology, FileOrderIsKeptWhateverTheNames) {
  const auto t = Topology::parse("[artifact_groups.g]\n[build_stages.zeta]\n[build_stages.alpha]\n"
                                 "[build_stages.mid]\n",
                                 "t.toml");
  EXPECT_EQ(t.stage_names(), (std::vector<std::string>{"zeta", "alpha", "mid"}));
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
              "Stage 'mathlibs' not found; available stages: compiler-runtime, wsl-rocdxg, "
              "runtime-tests, math-libs, comm-libs, storage-libs, cv-libs, media-libs, "
              "debug-tools, profiler-apps, dctools-core");
    EXPECT_EQ(e.exit_code(), ExitCode::not_found);
  }
}

// The worked examples of a stage fetch: what each real stage downloads first.
struct InboundCase {
  std::string stage;
  std::size_t inbound, produced;
  std::set<std::string> names; // empty: only the counts are known
};

const InboundCase k_inbound_cases[] = {
    {"compiler-runtime", 0, 36, {}},
    {"wsl-rocdxg", 6, 1, {"amd-llvm", "base", "core-hip", "core-kpack", "core-runtime", "sysdeps"}},
    {"runtime-tests", 14, 2, {}},
    // Per-arch groups math-libs + ml-libs. No hipify: hip-runtime is a group
    // dependency, and its own dependency on the compiler group is not followed.
    {"math-libs",
     19,
     20,
     {"amd-llvm",
      "aqlprofile",
      "base",
      "core-amdsmi",
      "core-hip",
      "core-hipinfo",
      "core-kpack",
      "core-runtime",
      "elfio",
      "fftw3",
      "host-blas",
      "host-suite-sparse",
      "openmpi",
      "rocprofiler-compute",
      "rocprofiler-sdk",
      "spdlog",
      "sysdeps",
      "sysdeps-libmnl",
      "sysdeps-libnl"}},
    // hipify, openmpi and rocjitsu* come from rccl's own artifact deps.
    {"comm-libs",
     17,
     2,
     {"amd-llvm",
      "aqlprofile",
      "base",
      "core-amdsmi",
      "core-hip",
      "core-hipinfo",
      "core-kpack",
      "core-runtime",
      "elfio",
      "hipify",
      "openmpi",
      "rocjitsu",
      "rocjitsu-hotswap",
      "rocprofiler-sdk",
      "sysdeps",
      "sysdeps-libmnl",
      "sysdeps-libnl"}},
    // Group dependency hip-runtime (core-hipinfo is Windows-only, inbound
    // anyway: platform fields are ignored) plus hipfile's deps.
    {"storage-libs",
     8,
     1,
     {"amd-llvm",
      "base",
      "core-hip",
      "core-hipinfo",
      "core-kpack",
      "core-runtime",
      "sysdeps",
      "sysdeps-util-linux"}},
    {"cv-libs", 16, 1, {}},
    {"debug-tools", 16, 4, {}},
    {"dctools-core", 14, 1, {}},
    {"profiler-apps", 16, 2, {}},
    {"media-libs", 16, 3, {}},
};

TEST(Topology, InboundArtifactsOfTheRealStages) {
  for (const auto& c : k_inbound_cases) {
    const auto inbound = spec_topology().inbound_artifacts(c.stage);
    EXPECT_EQ(inbound.size(), c.inbound) << c.stage;
    EXPECT_EQ(spec_topology().produced_artifacts(c.stage).size(), c.produced) << c.stage;
    if (!c.names.empty()) {
      EXPECT_EQ(inbound, c.names) << c.stage;
    }
    for (const auto& name : inbound) {
      EXPECT_FALSE(spec_topology().produced_artifacts(c.stage).contains(name)) << c.stage;
    }
  }
}

// A small graph where each rule of the computation decides one name.
TEST(Topology, InboundFollowsOneLevelOfGroupsAndEveryLevelOfArtifacts) {
  const auto t = Topology::parse(R"toml(
[build_stages.s]
artifact_groups = ["mine"]
[artifact_groups.far]
[artifact_groups.near]
artifact_group_deps = ["far"]
[artifact_groups.mine]
artifact_group_deps = ["near", "unknown-group"]
[artifacts.far-only]
artifact_group = "far"
[artifacts.far-needed]
artifact_group = "far"
[artifacts.near-a]
artifact_group = "near"
artifact_deps = ["near-b"]
[artifacts.near-b]
artifact_group = "near"
artifact_deps = ["far-needed"]
[artifacts.mine-a]
artifact_group = "mine"
artifact_deps = ["mine-b", "elsewhere"]
[artifacts.mine-b]
artifact_group = "mine"
artifact_deps = ["deep"]
[artifacts.elsewhere]
artifact_group = "far"
[artifacts.deep]
artifact_group = "far"
artifact_deps = ["not-in-this-file"]
)toml",
                                 "t.toml");
  // far-only: only reachable through a group dependency of a group dependency.
  EXPECT_EQ(t.inbound_artifacts("s"),
            (std::set<std::string>{
                "deep", "elsewhere", "far-needed", "near-a", "near-b", "not-in-this-file"}));
  EXPECT_EQ(t.artifact_names().size(), 8U);
}

TEST(Topology, AllArtifactsIsEveryArtifactTable) {
  EXPECT_EQ(spec_topology().artifact_names().size(), 73U);
  EXPECT_ERROR((void)spec_topology().inbound_artifacts("nope"), NotFoundError, "Stage 'nope'");
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
