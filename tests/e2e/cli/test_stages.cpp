// SPDX-License-Identifier: MIT
// `rockart stages list|info` on the test topology: upstream's text layout
// (artifact_manager.py list-stages / info), JSON, file order and errors.
#include "support/support.hpp"
#include "support/topology_fixture.hpp"

#include <nlohmann/json.hpp>

namespace rockart::test {
namespace {

namespace fs = std::filesystem;

class StagesCommand : public ::testing::Test {
protected:
  void SetUp() override {
    write_file(m_dir.path() / "BUILD_TOPOLOGY.toml", std::string(k_spec_topology_toml));
  }

  // Runs `rockart stages {args}` in the directory holding the topology (found there).
  ProcessResult stages(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{"stages"};
    argv.insert(argv.end(), args.begin(), args.end());
    RunOptions options;
    options.cwd = m_dir.path();
    return run_rockart(argv, options);
  }

  TempDir m_dir;
};

TEST_F(StagesCommand, InfoPrintsGroupsInboundAndProducedWithTypes) {
  const auto r = stages({"info", "storage-libs", "--amdgpu-families", "gfx94X-dcgpu;gfx110X-all"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Stage: storage-libs\n"
            "Type: generic\n"
            "Description: storage-libs stage\n"
            "Artifact groups: storage-libs\n"
            "\n"
            "Inbound artifacts (8):\n"
            "  - amd-llvm (target-neutral)\n"
            "  - base (target-neutral)\n"
            "  - core-hip (target-neutral)\n"
            "  - core-hipinfo (target-neutral)\n"
            "  - core-kpack (target-neutral)\n"
            "  - core-runtime (target-neutral)\n"
            "  - sysdeps (target-neutral)\n"
            "  - sysdeps-util-linux (target-neutral)\n"
            "\n"
            "Produced artifacts (1):\n"
            "  - hipfile (target-neutral)\n"
            "\n"
            "Target families: generic, gfx94X-dcgpu, gfx110X-all\n");
}

TEST_F(StagesCommand, InfoWithoutFamiliesEndsAfterTheProducedArtifacts) {
  const auto r = stages({"info", "--stage", "comm-libs"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Inbound artifacts (17):\n"), std::string::npos);
  EXPECT_TRUE(r.out.ends_with("Produced artifacts (2):\n"
                              "  - rccl (target-specific)\n"
                              "  - rocshmem (target-neutral)\n"))
      << r.out;
}

TEST_F(StagesCommand, ListShowsEveryStageInFileOrderWithCounts) {
  const auto r = stages({"list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("Build stages:\n"
                                "\n"
                                "  compiler-runtime (generic)\n"
                                "    compiler-runtime stage\n"
                                "    Groups: third-party-sysdeps, third-party-libs, base, "
                                "compiler, core-runtime, core-amdsmi, hip-runtime, "
                                "opencl-runtime, kfdtest, profiler-core, rocjitsu\n"
                                "    Inbound: 0 artifacts\n"
                                "    Produces: 36 artifacts\n"
                                "\n"
                                "  wsl-rocdxg (generic)\n"))
      << r.out;
  EXPECT_NE(r.out.find("  math-libs (per-arch)\n"
                       "    math-libs stage\n"
                       "    Groups: math-libs, ml-libs\n"
                       "    Inbound: 19 artifacts\n"
                       "    Produces: 20 artifacts\n"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(r.out.ends_with("  dctools-core (generic)\n"
                              "    dctools-core stage\n"
                              "    Groups: dctools-core\n"
                              "    Inbound: 14 artifacts\n"
                              "    Produces: 1 artifacts\n"))
      << r.out;
}

TEST_F(StagesCommand, JsonHasOneKeyPerFact) {
  const auto list = stages({"list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const auto doc = nlohmann::json::parse(list.out);
  EXPECT_EQ(doc.at("schema_version"), 1);
  ASSERT_EQ(doc.at("stages").size(), 11U);
  EXPECT_EQ(doc["stages"][1]["name"], "wsl-rocdxg");
  EXPECT_EQ(doc["stages"][1]["inbound"],
            nlohmann::json::parse(
                R"(["amd-llvm","base","core-hip","core-kpack","core-runtime","sysdeps"])"));
  EXPECT_EQ(doc["stages"][1]["produced"], nlohmann::json::parse(R"(["wsl-rocdxg"])"));

  const auto info = stages({"info", "math-libs", "--json", "--amdgpu-families", "gfx950-dcgpu"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  const auto one = nlohmann::json::parse(info.out);
  EXPECT_EQ(one.at("type"), "per-arch");
  EXPECT_EQ(one.at("artifact_groups"), nlohmann::json::parse(R"(["math-libs","ml-libs"])"));
  EXPECT_EQ(one.at("inbound").size(), 19U);
  EXPECT_EQ(one.at("produced").size(), 20U);
  EXPECT_EQ(one["produced"][0],
            nlohmann::json::parse(R"({"name":"blas","type":"target-specific"})"));
  EXPECT_EQ(one.at("target_families"), nlohmann::json::parse(R"(["generic","gfx950-dcgpu"])"));
}

TEST_F(StagesCommand, AnUnknownStageExitsOneListingTheStages) {
  const auto r = stages({"info", "storage"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("Stage 'storage' not found; available stages: compiler-runtime, "
                       "wsl-rocdxg, runtime-tests, math-libs, comm-libs, storage-libs"),
            std::string::npos)
      << r.err;
}

TEST_F(StagesCommand, AMissingTopologyHintsAtTheFlag) {
  RunOptions options;
  TempDir empty;
  options.cwd = empty.path();
  const auto r = run_rockart({"stages", "list"}, options);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--topology"), std::string::npos) << r.err;
}

} // namespace
} // namespace rockart::test
