// SPDX-License-Identifier: MIT
// `rockart fetch --stage` against moto: the inbound artifacts of two real
// stages (storage-libs, math-libs) from the test topology, in extract and
// bootstrap layouts, compared with trees `tar` makes from the archives the
// stage needs (listed here by hand, not computed by rockart); families,
// targets and exclusions; unknown and empty stages; and the same fetch from a
// local staging tree written by `rockart push --output-dir`.
#include "fetch_fixture.hpp"
#include "support/actions_files.hpp"
#include "support/topology_fixture.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <set>

namespace rockart::test {
namespace {

// What the run holds, by archive stem. Inbound of storage-libs: amd-llvm,
// base, core-hip, core-hipinfo, core-kpack, core-runtime, sysdeps,
// sysdeps-util-linux. hipfile is what storage-libs builds; blas and rccl
// belong to other stages.
const std::vector<std::string> k_run_archives = {
    "amd-llvm_lib_generic",
    "amd-llvm_dev_generic",
    "base_lib_generic",
    "core-hip_lib_generic",
    "core-hip_dev_generic",
    "core-kpack_lib_generic",
    "core-runtime_lib_generic",
    "sysdeps_lib_generic",
    "sysdeps-util-linux_lib_generic",
    "hipfile_lib_generic",
    "host-blas_lib_generic",
    "rocprofiler-sdk_lib_generic",
    "blas_lib_generic",
    "blas_lib_gfx94X-dcgpu",
    "blas_lib_gfx942",
    "blas_lib_gfx1100",
    "rccl_lib_gfx942",
};

const std::vector<std::string> k_storage_libs_archives = {
    "amd-llvm_dev_generic",
    "amd-llvm_lib_generic",
    "base_lib_generic",
    "core-hip_dev_generic",
    "core-hip_lib_generic",
    "core-kpack_lib_generic",
    "core-runtime_lib_generic",
    "sysdeps-util-linux_lib_generic",
    "sysdeps_lib_generic",
};

class FetchStageE2E : public FetchE2E {
protected:
  static void SetUpTestSuite() {
    FetchE2E::SetUpTestSuite();
    s_archives = std::make_unique<TempDir>();
    int seed = 40;
    for (const auto& stem : k_run_archives) {
      generate({"--out",
                s_archives->path().string(),
                "--name",
                stem,
                "--size",
                "60K",
                "--seed",
                std::to_string(seed++)});
    }
  }

  static void TearDownTestSuite() {
    s_archives.reset();
    FetchE2E::TearDownTestSuite();
  }

  void SetUp() override {
    FetchE2E::SetUp();
    write_file(topology(), std::string(k_spec_topology_toml));
    seed(files_in(s_archives->path()));
  }

  fs::path topology() const { return m_work.path() / "BUILD_TOPOLOGY.toml"; }

  fs::path out() const { return m_work.path() / "out"; }

  // `rockart fetch --stage` of run 100 in the test bucket, with `env` (default rockart_env()).
  ProcessResult stage_fetch(const std::string& stage,
                            const std::vector<std::string>& args,
                            const std::optional<RunOptions>& env = std::nullopt) {
    std::vector<std::string> stage_args = {
        "--stage", stage, "--output-dir", out().string(), "--topology", topology().string()};
    stage_args.insert(stage_args.end(), args.begin(), args.end());
    return run_rockart(command_line("fetch", stage_args), env ? *env : rockart_env());
  }

  static std::vector<fs::path> archives_named(const std::vector<std::string>& stems) {
    std::vector<fs::path> paths;
    for (const auto& stem : stems) {
      paths.push_back(s_archives->path() / (stem + ".tar.zst"));
    }
    return paths;
  }

  // Names of the entries directly in `dir`, sorted.
  static std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  // The bootstrap reference: every archive untarred into `dest` with its full
  // member names, the manifest dropped, and an empty {R}.prebuilt per relpath.
  static void reference_bootstrap(const std::vector<fs::path>& archives, const fs::path& dest) {
    fs::create_directories(dest);
    for (const auto& archive : archives) {
      const auto tar = run_process({"tar", "-xf", archive.string(), "-C", dest.string()});
      ASSERT_EQ(tar.exit_code, 0) << tar.err;
      std::string manifest = read_file(dest / "artifact_manifest.txt");
      fs::remove(dest / "artifact_manifest.txt");
      for (std::size_t start = 0; start < manifest.size();) {
        const std::size_t end = manifest.find('\n', start);
        const std::string relpath = manifest.substr(start, end - start);
        if (!relpath.empty()) {
          write_file(dest / (relpath + ".prebuilt"), "");
        }
        start = end == std::string::npos ? manifest.size() : end + 1;
      }
    }
  }

  static std::unique_ptr<TempDir> s_archives;
};

std::unique_ptr<TempDir> FetchStageE2E::s_archives;

TEST_F(FetchStageE2E, ExtractModePutsTheInboundArchivesUnderArtifacts) {
  const auto r = stage_fetch("storage-libs", {});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Stage 'storage-libs' needs 8 artifacts: amd-llvm, base, core-hip, "
                       "core-hipinfo, core-kpack, core-runtime, sysdeps, sysdeps-util-linux"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("Downloaded 9 artifacts, extracted 9"), std::string::npos) << r.err;
  EXPECT_EQ(names_in(out()), std::vector<std::string>{"artifacts"});
  const fs::path expected = m_work.path() / "expected";
  reference_extract(archives_named(k_storage_libs_archives), expected);
  EXPECT_EQ(tree_differences(expected, out() / "artifacts"), std::vector<std::string>{});
}

TEST_F(FetchStageE2E, BootstrapWritesTheTreeAndOnePrebuiltMarkerPerStageDirectory) {
  // What an earlier build left in a stage directory the fetch provides goes;
  // what the fetch does not provide stays.
  write_file(out() / "math-libs/sysdeps/stage/stale.txt", "old");
  write_file(out() / "mine/keep.txt", "mine");
  const auto r = stage_fetch("storage-libs", {"--bootstrap"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path expected = m_work.path() / "expected";
  reference_bootstrap(archives_named(k_storage_libs_archives), expected);
  write_file(expected / "mine/keep.txt", "mine");
  EXPECT_EQ(tree_differences(expected, out()), std::vector<std::string>{});
  EXPECT_TRUE(fs::exists(out() / "math-libs/core-hip/stage.prebuilt"));
  EXPECT_EQ(fs::file_size(out() / "math-libs/core-hip/stage.prebuilt"), 0U);
  EXPECT_FALSE(fs::exists(out() / "math-libs/sysdeps/stage/stale.txt"));
}

TEST_F(FetchStageE2E, FamiliesTargetsAndExpansionSelectThePerGpuArchives) {
  const auto r = stage_fetch("all",
                             {"--amdgpu-families",
                              "gfx94X-dcgpu",
                              "--exclude-artifacts",
                              "amd-llvm;base,core-hip",
                              "--exclude-components",
                              "dev",
                              "--no-extract"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Fetching all 73 artifacts"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Excluding artifacts: amd-llvm, base, core-hip"), std::string::npos);
  const std::vector<std::string> generic_rest = {
      "blas_lib_generic.tar.zst",
      "core-kpack_lib_generic.tar.zst",
      "core-runtime_lib_generic.tar.zst",
      "hipfile_lib_generic.tar.zst",
      "host-blas_lib_generic.tar.zst",
      "rocprofiler-sdk_lib_generic.tar.zst",
      "sysdeps-util-linux_lib_generic.tar.zst",
      "sysdeps_lib_generic.tar.zst",
  };
  std::vector<std::string> expected = generic_rest;
  expected.push_back("blas_lib_gfx94X-dcgpu.tar.zst");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names_in(out() / ".download_cache"), expected);

  // The family's targets too, then an explicit target alone.
  fs::remove_all(out());
  ASSERT_EQ(stage_fetch("all",
                        {"--amdgpu-families",
                         "gfx94X-dcgpu",
                         "--expand-family-to-targets",
                         "--exclude-artifacts",
                         "amd-llvm;base,core-hip",
                         "--exclude-components",
                         "dev",
                         "--no-extract"})
                .exit_code,
            0);
  expected.push_back("blas_lib_gfx942.tar.zst");
  expected.push_back("rccl_lib_gfx942.tar.zst");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names_in(out() / ".download_cache"), expected);

  fs::remove_all(out());
  const auto generic = stage_fetch("all",
                                   {"--generic-only",
                                    "--exclude-artifacts",
                                    "amd-llvm;base,core-hip",
                                    "--exclude-components",
                                    "dev",
                                    "--no-extract"});
  ASSERT_EQ(generic.exit_code, 0) << generic.err;
  EXPECT_NE(generic.err.find("Using generic (host) artifacts only"), std::string::npos);
  EXPECT_EQ(names_in(out() / ".download_cache"), generic_rest);
}

TEST_F(FetchStageE2E, TheMathLibsStageFetchesItsGroupDependenciesOnly) {
  // Inbound of math-libs among what the run holds: no blas (built there), no
  // hipfile or rccl (other stages), no hipify (not one of its dependencies).
  const std::vector<std::string> inbound = {"amd-llvm_dev_generic",
                                            "amd-llvm_lib_generic",
                                            "base_lib_generic",
                                            "core-hip_dev_generic",
                                            "core-hip_lib_generic",
                                            "core-kpack_lib_generic",
                                            "core-runtime_lib_generic",
                                            "host-blas_lib_generic",
                                            "rocprofiler-sdk_lib_generic",
                                            "sysdeps_lib_generic"};
  const auto r = stage_fetch("math-libs", {"--amdgpu-families", "gfx94X-dcgpu", "--bootstrap"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Stage 'math-libs' needs 19 artifacts"), std::string::npos) << r.err;
  const fs::path bootstrapped = m_work.path() / "bootstrapped";
  reference_bootstrap(archives_named(inbound), bootstrapped);
  EXPECT_EQ(tree_differences(bootstrapped, out()), std::vector<std::string>{});

  fs::remove_all(out());
  ASSERT_EQ(stage_fetch("math-libs", {"--amdgpu-families", "gfx94X-dcgpu", "--flatten"}).exit_code,
            0);
  const fs::path flattened = m_work.path() / "flattened";
  reference_flatten(archives_named(inbound), flattened);
  EXPECT_EQ(tree_differences(flattened, out()), std::vector<std::string>{});
}

TEST_F(FetchStageE2E, AnUnknownStageExitsOneListingTheStages) {
  const auto r = stage_fetch("mathlibs", {});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Stage 'mathlibs' not found; available stages: compiler-runtime, "
                       "wsl-rocdxg, runtime-tests, math-libs"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(FetchStageE2E, AStageWithoutInboundArtifactsSucceedsWithAMessage) {
  const auto r = stage_fetch("compiler-runtime", {});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Stage 'compiler-runtime' has no inbound artifacts"), std::string::npos);
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(FetchStageE2E, BadNamesAreRefusedBeforeAnythingIsFetched) {
  const auto artifact = stage_fetch("storage-libs", {"--exclude-artifacts", "sysdep"});
  EXPECT_EQ(artifact.exit_code, 2);
  EXPECT_NE(artifact.err.find("unknown name 'sysdep' in --exclude-artifacts"), std::string::npos)
      << artifact.err;
  EXPECT_NE(artifact.err.find("did you mean sysdeps"), std::string::npos) << artifact.err;
  const auto component = stage_fetch("storage-libs", {"--exclude-components", "lib,docs"});
  EXPECT_EQ(component.exit_code, 2);
  EXPECT_NE(component.err.find("valid: dbg, dev, doc, lib, run, test"), std::string::npos)
      << component.err;
  const auto regular = stage_fetch("storage-libs", {"--artifact-group", "gfx94X-dcgpu"});
  EXPECT_EQ(regular.exit_code, 2);
  EXPECT_NE(regular.err.find("--amdgpu-families"), std::string::npos) << regular.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(FetchStageE2E, ASharedDownloadDirectoryKeepsTheArchivesAndIsReused) {
  const fs::path shared = m_work.path() / "shared";
  ASSERT_EQ(stage_fetch("storage-libs", {"--download-cache-dir", shared.string()}).exit_code, 0);
  std::vector<std::string> kept;
  for (const auto& stem : k_storage_libs_archives) {
    kept.push_back(stem + ".tar.zst");
  }
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(names_in(shared), kept);
  fs::remove_all(out());
  const auto again = stage_fetch("storage-libs", {"--download-cache-dir", shared.string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("== Cached sysdeps_lib_generic.tar.zst"), std::string::npos)
      << again.err;
  EXPECT_EQ(names_in(out() / "artifacts").size(), k_storage_libs_archives.size());
}

TEST_F(FetchStageE2E, ALocalStagingTreeWrittenByPushGivesTheSameTree) {
  // The compiler-runtime stage pushes its archives into a local staging tree.
  const fs::path build = m_work.path() / "build";
  fs::create_directories(build / "artifacts");
  for (const auto& file : files_in(s_archives->path())) {
    fs::copy_file(file, build / "artifacts" / file.filename());
  }
  const fs::path staging = m_work.path() / "staging";
  const auto push = run_rockart({"push",
                                 "--stage",
                                 "all",
                                 "--build-dir",
                                 build.string(),
                                 "--topology",
                                 topology().string(),
                                 "--run-id",
                                 "555",
                                 "--platform",
                                 "linux",
                                 "--output-dir",
                                 staging.string()},
                                rockart_env());
  ASSERT_EQ(push.exit_code, 0) << push.err;
  ASSERT_TRUE(fs::exists(staging / "555-linux/sysdeps_lib_generic.tar.zst.sha256sum"));

  ASSERT_EQ(stage_fetch("storage-libs", {"--bootstrap"}).exit_code, 0);
  const fs::path from_s3 = m_work.path() / "from-s3";
  fs::rename(out(), from_s3);
  // Run 555 read without S3 options: from the environment's staging tree, or the flag's.
  auto env = rockart_env();
  env.env["THEROCK_LOCAL_STAGING_DIR"] = staging.string();
  const auto local_fetch = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> argv{"fetch",
                                  "--stage",
                                  "storage-libs",
                                  "--run-id",
                                  "555",
                                  "--platform",
                                  "linux",
                                  "--output-dir",
                                  out().string(),
                                  "--topology",
                                  topology().string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_rockart(argv, env);
  };
  const auto local = local_fetch({"--bootstrap"});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  EXPECT_NE(local.err.find("Using backend: " + (staging / "555-linux/").string()),
            std::string::npos)
      << local.err;
  EXPECT_EQ(tree_differences(from_s3, out()), std::vector<std::string>{});

  // A damaged archive in the staging tree is caught by its companion there.
  {
    std::string bytes = read_file(staging / "555-linux/base_lib_generic.tar.zst");
    bytes[bytes.size() / 2] ^= 0x20;
    write_file(staging / "555-linux/base_lib_generic.tar.zst", bytes);
  }
  fs::remove_all(out());
  const auto damaged = local_fetch({"--local-staging-dir", staging.string()});
  EXPECT_EQ(damaged.exit_code, 2);
  EXPECT_NE(damaged.err.find("sha256 mismatch for base_lib_generic.tar.zst"), std::string::npos)
      << damaged.err;
  EXPECT_FALSE(fs::exists(out() / "artifacts/base_lib_generic"));
}

TEST_F(FetchStageE2E, InGitHubActionsAFailedArchiveIsAnErrorLineAndTheSummaryIsWritten) {
  put("base_lib_generic.tar.zst.sha256sum", std::string(64, '0') + "  base_lib_generic.tar.zst\n");
  ActionsFiles files;
  RunOptions options = rockart_env();
  for (const auto& [name, value] : files.env()) {
    options.env[name] = value;
  }
  const auto r = stage_fetch("storage-libs", {}, options);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const auto errors = workflow_errors(r.err);
  ASSERT_FALSE(errors.empty()) << r.err;
  EXPECT_NE(errors.front().message.find("sha256 mismatch for base_lib_generic.tar.zst"),
            std::string::npos)
      << errors.front().message;
  const auto outputs = github_output_map(files.output());
  EXPECT_EQ(outputs.at("run_id"), "100");
  EXPECT_EQ(outputs.at("s3_uri"), "s3://" + m_bucket + "/100-linux/");
  EXPECT_EQ(outputs.at("artifacts_dir"), (out() / "artifacts").string());
  EXPECT_NE(files.summary().find("rockart fetch"), std::string::npos) << files.summary();
  EXPECT_NE(files.summary().find("base_lib_generic.tar.zst"), std::string::npos) << files.summary();

  // An unknown stage fails before any run is read: still an error line and a summary.
  ActionsFiles unknown;
  for (const auto& [name, value] : unknown.env()) {
    options.env[name] = value;
  }
  const auto bad = stage_fetch("nope", {}, options);
  EXPECT_EQ(bad.exit_code, 1);
  const auto bad_errors = workflow_errors(bad.err);
  ASSERT_EQ(bad_errors.size(), 1U) << bad.err;
  EXPECT_NE(bad_errors[0].message.find("Stage 'nope' not found"), std::string::npos);
  EXPECT_NE(unknown.summary(), "");
}

// The run that built the checked-out commit (scenario "find": ROCm/TheRock run
// 20083647898 built 77f0cb21...), its bucket from the run object.
TEST_F(FetchStageE2E, ACommitFetchesFromTheRunThatBuiltIt) {
  auto github = start_fake("fake_github.py", {"--scenario", "find"});
  if (!github->ok()) {
    ROCKART_SKIP_OR_FAIL("cannot start fake_github.py: " + github->error());
  }
  const RunOptions env = with_github(*github);
  seed_ci_run(s_archives->path(), "20083647898-linux", env);
  const auto r = run_rockart({"fetch",
                              "--stage",
                              "storage-libs",
                              "--amdgpu-families",
                              "gfx94X-dcgpu",
                              "--commit",
                              "77f0cb2112d1d0aaae0de6088a6e4337f2488233",
                              "--workflow",
                              "ci.yml",
                              "--platform",
                              "linux",
                              "--endpoint-url",
                              s_moto->url(),
                              "--output-dir",
                              out().string(),
                              "--topology",
                              topology().string(),
                              "--json"},
                             env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Using backend: s3://therock-ci-artifacts/20083647898-linux/"),
            std::string::npos)
      << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc.at("stage"), "storage-libs");
  EXPECT_EQ(doc.at("run_id"), "20083647898");
  EXPECT_EQ(doc.at("archives").size(), k_storage_libs_archives.size());
  const fs::path expected = m_work.path() / "expected";
  reference_extract(archives_named(k_storage_libs_archives), expected);
  EXPECT_EQ(tree_differences(expected, out() / "artifacts"), std::vector<std::string>{});
}

TEST_F(FetchStageE2E, TheRegularFetchReadsALocalStagingTreeToo) {
  const fs::path staging = m_work.path() / "staging";
  fs::create_directories(staging / "9-linux");
  for (const auto& file : files_in(s_archives->path())) {
    fs::copy_file(file, staging / "9-linux" / file.filename());
  }
  const auto r = fetch({"--local-staging-dir",
                        staging.string(),
                        "--artifact-group",
                        "gfx94X-dcgpu",
                        "--no-expand-family",
                        "--output-dir",
                        out().string(),
                        "^blas_"},
                       "9");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(names_in(out()),
            (std::vector<std::string>{"blas_lib_generic", "blas_lib_gfx94X-dcgpu"}));
}

} // namespace
} // namespace rockart::test
