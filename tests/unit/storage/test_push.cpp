// SPDX-License-Identifier: MIT
// `rockart push`: which artifacts a stage produces, which items of
// {build}/artifacts/ are pushed, and push_artifacts end to end against a local
// staging store (compression into the upload cache, archives and companions
// under the run root, companion mismatch warnings, dry run).
#include "support/log_capture.hpp"
#include "support/support.hpp"
#include "support/topology_fixture.hpp"

#include <rockart/archive/tar_writer.hpp>
#include <rockart/error.hpp>
#include <rockart/layout/topology.hpp>
#include <rockart/layout/workflow_output_root.hpp>
#include <rockart/storage/push.hpp>
#include <rockart/storage/store.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/log.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace rockart::storage {
namespace {

namespace fs = std::filesystem;
using test::LogCapture;
using test::read_file;
using test::run_process;
using test::TempDir;
using test::write_file;

// Two stages: "core" builds the generic base, "math" the per-arch math libs.
constexpr std::string_view k_small_topology = R"toml(
[build_stages.core]
description = "core stage"
artifact_groups = ["base"]

[build_stages.math]
description = "math stage"
artifact_groups = ["math-libs"]
type = "per-arch"

[build_stages.empty]
description = "builds nothing"
artifact_groups = []

[artifact_groups.base]
type = "generic"

[artifact_groups.math-libs]
type = "per-arch"

[artifacts.core]
artifact_group = "base"
type = "target-neutral"

[artifacts.blas]
artifact_group = "math-libs"
type = "target-specific"

[artifacts.fft]
artifact_group = "math-libs"
type = "target-specific"
)toml";

const layout::Topology& small_topology() {
  static const layout::Topology topology =
      layout::Topology::parse(k_small_topology, "BUILD_TOPOLOGY.toml");
  return topology;
}

// The names of the files directly in `dir` (sorted); empty when it is missing.
std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  if (!fs::exists(dir)) {
    return out;
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> names_of(const std::vector<fs::path>& paths) {
  std::vector<std::string> out;
  for (const auto& path : paths) {
    out.push_back(path.filename().string());
  }
  return out;
}

// An exploded artifact `{artifacts}/{stem}/` with its manifest and one file.
void write_exploded(const fs::path& artifacts, const std::string& stem, const std::string& data) {
  write_file(artifacts / stem / "artifact_manifest.txt", "base/rocm-core/stage\n");
  write_file(artifacts / stem / "base/rocm-core/stage/lib/librocm-core.so.1", data);
}

// A pre-compressed artifact archive (xz at its fastest preset); returns its sha256.
std::string write_archive(const fs::path& path, archive::Compression compression) {
  archive::TarWriter writer(path, compression, compression == archive::Compression::xz ? 0 : -1);
  writer.add_file("artifact_manifest.txt", "math-libs/BLAS/rocBLAS/stage\n");
  writer.add_file("math-libs/BLAS/rocBLAS/stage/lib/librocblas.so", "rocblas bytes");
  return writer.finish();
}

// `tar` listing of an archive (compression from the extension).
std::string tar_list(const fs::path& archive) {
  const test::ProcessResult r = run_process({"tar", "-taf", archive.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

// --- parse_compression ---

TEST(ParseCompression, AcceptsZstdAndXz) {
  EXPECT_EQ(parse_compression("zstd"), archive::Compression::zstd);
  EXPECT_EQ(parse_compression("xz"), archive::Compression::xz);
}

class ParseCompressionRejects : public ::testing::TestWithParam<std::string> {};

TEST_P(ParseCompressionRejects, WithTheExactMessage) {
  try {
    (void)parse_compression(GetParam());
    ADD_FAILURE() << "accepted '" << GetParam() << "'";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "--compression-type must be zstd or xz, not '" + GetParam() + "'");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    ParseCompressionRejects,
    ::testing::Values("gzip", "gz", "zst", "ZSTD", "Xz", "", " zstd", "zstd ", "tar.zst", "bzip2"));

// --- produced_names ---

TEST(ProducedNames, AreTheArtifactsOfTheStagesGroupsLoggedAtInfo) {
  LogCapture log;
  EXPECT_EQ(produced_names(small_topology(), "math"), (std::set<std::string>{"blas", "fft"}));
  EXPECT_EQ(produced_names(small_topology(), "core"), std::set<std::string>{"core"});
  EXPECT_EQ(log.lines,
            (std::vector<std::string>{
                "rockart: info: Stage 'math' produces 2 artifacts: blas, fft",
                "rockart: info: Stage 'core' produces 1 artifacts: core",
            }));
}

TEST(ProducedNames, AllIsTheUnionOfEveryStage) {
  LogCapture log;
  EXPECT_EQ(produced_names(small_topology(), "all"),
            (std::set<std::string>{"blas", "core", "fft"}));
  EXPECT_EQ(
      log.lines,
      std::vector<std::string>{"rockart: info: All stages produce 3 artifacts: blas, core, fft"});
}

TEST(ProducedNames, AStageWithoutGroupsProducesNothing) {
  LogCapture log;
  EXPECT_TRUE(produced_names(small_topology(), "empty").empty());
  EXPECT_EQ(log.lines,
            std::vector<std::string>{"rockart: info: Stage 'empty' produces 0 artifacts: "});
}

TEST(ProducedNames, AnUnknownStageIsNotFoundListingTheStages) {
  LogCapture log;
  try {
    (void)produced_names(small_topology(), "nope");
    ADD_FAILURE() << "no exception";
  } catch (const NotFoundError& e) {
    EXPECT_EQ(std::string(e.what()), "Stage 'nope' not found; available stages: core, math, empty");
    EXPECT_EQ(e.exit_code(), ExitCode::not_found);
  }
  EXPECT_TRUE(log.lines.empty());
}

TEST(ProducedNames, SpecTopologyCommLibs) {
  const layout::Topology spec = layout::Topology::parse(test::k_spec_topology_toml, "spec");
  LogCapture log;
  EXPECT_EQ(produced_names(spec, "comm-libs"), (std::set<std::string>{"rccl", "rocshmem"}));
  EXPECT_TRUE(log.has("rockart: info: Stage 'comm-libs' produces 2 artifacts: rccl, rocshmem"))
      << log.dump();
}

// --- plan_push ---

TEST(LoadTopology, ReadsTheGivenFileAndNamesAnUnreadableOne) {
  TempDir dir;
  const fs::path file = dir.path() / "BUILD_TOPOLOGY.toml";
  util::write_file_atomic(file, std::string(test::k_spec_topology_toml));
  const layout::Topology topology = load_topology(file);
  EXPECT_FALSE(topology.stage_names().empty());
  EXPECT_ERROR(load_topology(dir.path() / "missing.toml"),
               ConfigError,
               "cannot read topology file " + (dir.path() / "missing.toml").string());
}

TEST(PlanPush, TakesProducedArchivesAndDirectoriesSortedAndNothingElse) {
  TempDir dir;
  const fs::path artifacts = dir.path() / "artifacts";
  const fs::path elsewhere = dir.path() / "elsewhere";
  // Produced archives (both compressions) and their companions.
  write_file(artifacts / "core_lib_generic.tar.zst", "z");
  write_file(artifacts / "core_lib_generic.tar.zst.sha256sum", "digest");
  write_file(artifacts / "blas_lib_gfx94X-dcgpu.tar.xz", "x");
  write_file(artifacts / "blas_lib_gfx94X-dcgpu.tar.xz.sha256sum", "digest");
  // Produced exploded directories.
  write_exploded(artifacts, "core_run_generic", "run");
  write_exploded(artifacts, "blas_dev_gfx94X-dcgpu", "dev");
  // Not produced by the stages asked for.
  write_file(artifacts / "rand_lib_gfx94X-dcgpu.tar.zst", "r");
  write_exploded(artifacts, "rand_lib_generic", "r");
  // Not artifact names.
  write_file(artifacts / "README.md", "readme");
  write_file(artifacts / "ccache_logs.tar.zst", "logs");
  write_file(artifacts / "core_lib.tar.zst", "two fields");
  write_file(artifacts / "core_doc_generic.tar.gz", "gzip is not an artifact compression");
  write_file(artifacts / "core_dev_generic", "a file named like a directory");
  fs::create_directories(artifacts / "not-an-artifact");
  // Symlinks are never pushed, to files or directories.
  write_file(elsewhere / "core_dbg_generic.tar.zst", "outside");
  write_exploded(elsewhere, "core_test_generic", "outside");
  fs::create_symlink(elsewhere / "core_dbg_generic.tar.zst",
                     artifacts / "core_dbg_generic.tar.zst");
  fs::create_directory_symlink(elsewhere / "core_test_generic", artifacts / "core_test_generic");
  fs::create_symlink("core_lib_generic.tar.zst", artifacts / "core_doc_generic.tar.zst");

  const PushPlan plan = plan_push(artifacts, {"core", "blas", "fft"});
  EXPECT_EQ(plan.archives,
            (std::vector<fs::path>{artifacts / "blas_lib_gfx94X-dcgpu.tar.xz",
                                   artifacts / "core_lib_generic.tar.zst"}));
  EXPECT_EQ(
      plan.directories,
      (std::vector<fs::path>{artifacts / "blas_dev_gfx94X-dcgpu", artifacts / "core_run_generic"}));
  EXPECT_EQ(plan.total(), 4u);
}

TEST(PlanPush, FiltersByTheProducedSet) {
  TempDir dir;
  const fs::path artifacts = dir.path() / "artifacts";
  write_file(artifacts / "core_lib_generic.tar.zst", "z");
  write_file(artifacts / "blas_lib_gfx94X-dcgpu.tar.zst", "b");
  write_file(artifacts / "fft_lib_gfx1100.tar.xz", "f");
  write_exploded(artifacts, "blas_lib_generic", "b");
  write_exploded(artifacts, "core_dev_generic", "c");

  const PushPlan math = plan_push(artifacts, {"blas", "fft"});
  EXPECT_EQ(names_of(math.archives),
            (std::vector<std::string>{"blas_lib_gfx94X-dcgpu.tar.zst", "fft_lib_gfx1100.tar.xz"}));
  EXPECT_EQ(names_of(math.directories), std::vector<std::string>{"blas_lib_generic"});

  const PushPlan core = plan_push(artifacts, {"core"});
  EXPECT_EQ(names_of(core.archives), std::vector<std::string>{"core_lib_generic.tar.zst"});
  EXPECT_EQ(names_of(core.directories), std::vector<std::string>{"core_dev_generic"});

  const PushPlan none = plan_push(artifacts, {});
  EXPECT_EQ(none.total(), 0u);
}

TEST(PlanPush, AnEmptyArtifactsDirectoryPlansNothing) {
  TempDir dir;
  fs::create_directories(dir.path() / "artifacts");
  const PushPlan plan = plan_push(dir.path() / "artifacts", {"core"});
  EXPECT_TRUE(plan.archives.empty());
  EXPECT_TRUE(plan.directories.empty());
  EXPECT_EQ(plan.total(), 0u);
}

// --- push_artifacts ---

struct PushFixture {
  TempDir dir;
  fs::path build = dir.path() / "build";
  fs::path artifacts = build / "artifacts";
  fs::path upload_cache = build / ".upload_cache";
  fs::path staging = dir.path() / "staging";
  layout::WorkflowOutputRoot root{"therock-ci-artifacts", "", "20723767265", "linux"};
  fs::path run_dir = staging / "20723767265-linux";

  std::unique_ptr<Store> local_store(bool dry_run = false,
                                     std::function<void(const std::string&)> log = nullptr) const {
    StoreConfig config;
    config.kind = StoreKind::local_dir;
    config.staging_dir = staging;
    config.dry_run = dry_run;
    config.dry_run_log = std::move(log);
    return make_store(config);
  }
};

TEST(PushArtifacts, CompressesADirectoryIntoTheUploadCacheAndUploadsArchiveAndCompanion) {
  PushFixture f;
  write_exploded(f.artifacts, "core_lib_generic", "ELF core library");
  const PushPlan plan = plan_push(f.artifacts, {"core"});
  ASSERT_EQ(plan.directories.size(), 1u);

  LogCapture log;
  auto store = f.local_store();
  const PushResult result = push_artifacts(*store, f.root, plan, f.upload_cache, {});
  EXPECT_EQ(result.pushed, 1u);
  EXPECT_EQ(result.failed_compressions, 0u);

  // The upload cache holds the archive (zstd by default) and its companion.
  const fs::path cached = f.upload_cache / "core_lib_generic.tar.zst";
  EXPECT_EQ(
      files_in(f.upload_cache),
      (std::vector<std::string>{"core_lib_generic.tar.zst", "core_lib_generic.tar.zst.sha256sum"}));
  const std::string sha = util::sha256_file(cached);
  EXPECT_EQ(read_file(f.upload_cache / "core_lib_generic.tar.zst.sha256sum"), sha + "\n");
  EXPECT_EQ(read_file(cached).substr(0, 4), std::string("\x28\xb5\x2f\xfd", 4));
  const std::string listing = tar_list(cached);
  EXPECT_EQ(listing.substr(0, listing.find('\n')), "artifact_manifest.txt");
  EXPECT_NE(listing.find("base/rocm-core/stage/lib/librocm-core.so.1\n"), std::string::npos)
      << listing;

  // Both land directly under the run root of the staging dir, byte for byte.
  EXPECT_EQ(files_in(f.staging), std::vector<std::string>{"20723767265-linux"});
  EXPECT_EQ(
      files_in(f.run_dir),
      (std::vector<std::string>{"core_lib_generic.tar.zst", "core_lib_generic.tar.zst.sha256sum"}));
  EXPECT_TRUE(read_file(f.run_dir / "core_lib_generic.tar.zst") == read_file(cached));
  EXPECT_EQ(read_file(f.run_dir / "core_lib_generic.tar.zst.sha256sum"), sha + "\n");
  EXPECT_EQ(f.root.artifact("core_lib_generic.tar.zst").staging_path(f.staging),
            f.run_dir / "core_lib_generic.tar.zst");

  // TheRock's compression lines, then the upload line.
  const std::string dir = (f.artifacts / "core_lib_generic").string();
  EXPECT_TRUE(log.has("rockart: info: ++ Compressing core_lib_generic")) << log.dump();
  const std::uint64_t uncompressed =
      std::string("base/rocm-core/stage\n").size() + std::string("ELF core library").size();
  EXPECT_TRUE(log.has("rockart: info: ++ Compressed " + dir
                      + " (files=2, uncompressed_size=" + util::format_bytes(uncompressed)
                      + ") -> core_lib_generic.tar.zst (compressed_size="
                      + util::format_bytes(fs::file_size(cached)) + ", sha256=" + sha + ")"))
      << log.dump();
  EXPECT_TRUE(log.has("rockart: info: pushing 1 artifacts to " + f.run_dir.string())) << log.dump();
  EXPECT_TRUE(log.containing("warn:").empty()) << log.dump();
}

TEST(PushArtifacts, XzCompressionNamesTheArchiveTarXz) {
  PushFixture f;
  write_exploded(f.artifacts, "blas_lib_gfx94X-dcgpu", "rocblas");
  PushOptions options;
  options.compression = archive::Compression::xz;
  options.compression_level = 0;
  LogCapture log;
  auto store = f.local_store();
  const PushResult result =
      push_artifacts(*store, f.root, plan_push(f.artifacts, {"blas"}), f.upload_cache, options);
  EXPECT_EQ(result.pushed, 1u);
  EXPECT_EQ(files_in(f.run_dir),
            (std::vector<std::string>{"blas_lib_gfx94X-dcgpu.tar.xz",
                                      "blas_lib_gfx94X-dcgpu.tar.xz.sha256sum"}));
  EXPECT_EQ(read_file(f.run_dir / "blas_lib_gfx94X-dcgpu.tar.xz").substr(0, 6),
            std::string("\xfd"
                        "7zXZ\0",
                        6));
}

TEST(PushArtifacts, UploadsPreCompressedArchivesWithTheirCompanionsAsTheyAre) {
  PushFixture f;
  const fs::path archive = f.artifacts / "blas_lib_gfx94X-dcgpu.tar.xz";
  fs::create_directories(f.artifacts);
  const std::string sha = write_archive(archive, archive::Compression::xz);
  archive::write_sha256_companion(archive, sha); // "{hex}  {file}\n", GNU form
  const std::string companion = read_file(archive.string() + ".sha256sum");

  LogCapture log;
  auto store = f.local_store();
  const PushResult result =
      push_artifacts(*store, f.root, plan_push(f.artifacts, {"blas"}), f.upload_cache, {});
  EXPECT_EQ(result.pushed, 1u);
  EXPECT_TRUE(read_file(f.run_dir / "blas_lib_gfx94X-dcgpu.tar.xz") == read_file(archive));
  EXPECT_EQ(read_file(f.run_dir / "blas_lib_gfx94X-dcgpu.tar.xz.sha256sum"), companion);
  // Nothing to compress: the upload cache is not even created.
  EXPECT_FALSE(fs::exists(f.upload_cache));
  EXPECT_TRUE(log.containing("warn:").empty()) << log.dump();
}

TEST(PushArtifacts, ADirectoryWinsOverAStaleArchiveOfTheSameNameWithAWarning) {
  // Both would be uploaded to the same key at once: only the archive compressed
  // from the directory is, and the stale one is named in a warning.
  PushFixture f;
  write_exploded(f.artifacts, "core_lib_generic", "fresh core library");
  const fs::path stale = f.artifacts / "core_lib_generic.tar.zst";
  const std::string stale_sha = write_archive(stale, archive::Compression::zstd);
  archive::write_sha256_companion(stale, stale_sha);
  const PushPlan plan = plan_push(f.artifacts, {"core"});
  ASSERT_EQ(plan.total(), 2u);

  LogCapture log;
  auto store = f.local_store();
  const PushResult result = push_artifacts(*store, f.root, plan, f.upload_cache, {});
  EXPECT_EQ(result.pushed, 1u);
  const fs::path fresh = f.upload_cache / "core_lib_generic.tar.zst";
  EXPECT_TRUE(read_file(f.run_dir / "core_lib_generic.tar.zst") == read_file(fresh));
  EXPECT_EQ(read_file(f.run_dir / "core_lib_generic.tar.zst.sha256sum"),
            util::sha256_file(fresh) + "\n");
  EXPECT_NE(util::sha256_file(fresh), stale_sha);
  EXPECT_EQ(log.containing("warn:").size(), 1u) << log.dump();
  EXPECT_TRUE(log.has("rockart: warn: both " + stale.string()
                      + " and its directory exist; uploading core_lib_generic.tar.zst compressed "
                        "from the directory"))
      << log.dump();
}

TEST(PushArtifacts, APreCompressedArchiveWithoutCompanionIsUploadedAlone) {
  PushFixture f;
  const fs::path archive = f.artifacts / "core_lib_generic.tar.zst";
  fs::create_directories(f.artifacts);
  write_archive(archive, archive::Compression::zstd);

  LogCapture log;
  auto store = f.local_store();
  const PushResult result =
      push_artifacts(*store, f.root, plan_push(f.artifacts, {"core"}), f.upload_cache, {});
  EXPECT_EQ(result.pushed, 1u);
  EXPECT_EQ(files_in(f.run_dir), std::vector<std::string>{"core_lib_generic.tar.zst"});
  EXPECT_TRUE(log.has("rockart: info: no companion core_lib_generic.tar.zst.sha256sum; uploading "
                      "core_lib_generic.tar.zst alone"))
      << log.dump();
  EXPECT_TRUE(log.containing("warn:").empty()) << log.dump();
}

TEST(PushArtifacts, APreCompressedArchiveWhoseCompanionDisagreesIsUploadedWithAWarning) {
  PushFixture f;
  const fs::path archive = f.artifacts / "blas_lib_gfx94X-dcgpu.tar.xz";
  fs::create_directories(f.artifacts);
  const std::string actual = write_archive(archive, archive::Compression::xz);
  const std::string stated(64, 'a');
  write_file(archive.string() + ".sha256sum", stated + "  blas_lib_gfx94X-dcgpu.tar.xz\n");

  LogCapture log;
  auto store = f.local_store();
  const PushResult result =
      push_artifacts(*store, f.root, plan_push(f.artifacts, {"blas"}), f.upload_cache, {});
  EXPECT_EQ(result.pushed, 1u);
  // Both go up unchanged, as TheRock does; readers refuse the archive later.
  EXPECT_TRUE(read_file(f.run_dir / "blas_lib_gfx94X-dcgpu.tar.xz") == read_file(archive));
  EXPECT_EQ(read_file(f.run_dir / "blas_lib_gfx94X-dcgpu.tar.xz.sha256sum"),
            stated + "  blas_lib_gfx94X-dcgpu.tar.xz\n");
  EXPECT_EQ(log.containing("warn:"),
            std::vector<std::string>{
                "rockart: warn: sha256 mismatch for blas_lib_gfx94X-dcgpu.tar.xz: computed "
                + actual + ", blas_lib_gfx94X-dcgpu.tar.xz.sha256sum says " + stated})
      << log.dump();
}

TEST(PushArtifacts, AnUnreadableCompanionIsWarnedAboutAndStillUploaded) {
  PushFixture f;
  const fs::path archive = f.artifacts / "core_lib_generic.tar.zst";
  fs::create_directories(f.artifacts);
  write_archive(archive, archive::Compression::zstd);
  const fs::path companion = archive.string() + ".sha256sum";
  write_file(companion, "not a digest\n");

  LogCapture log;
  auto store = f.local_store();
  EXPECT_EQ(
      push_artifacts(*store, f.root, plan_push(f.artifacts, {"core"}), f.upload_cache, {}).pushed,
      1u);
  EXPECT_EQ(read_file(f.run_dir / "core_lib_generic.tar.zst.sha256sum"), "not a digest\n");
  EXPECT_EQ(log.containing("warn:"),
            std::vector<std::string>{"rockart: warn: checksum companion '" + companion.string()
                                     + "' does not start with a 64-digit hex SHA-256 (found "
                                       "'not')"})
      << log.dump();
}

TEST(PushArtifacts, ADirectoryThatCannotBeCompressedIsCountedAndTheRestIsPushed) {
  PushFixture f;
  write_exploded(f.artifacts, "core_lib_generic", "good");
  write_file(f.artifacts / "core_dev_generic/include/core.h", "no manifest here");
  const PushPlan plan = plan_push(f.artifacts, {"core"});
  ASSERT_EQ(plan.directories.size(), 2u);

  LogCapture log;
  auto store = f.local_store();
  const PushResult result = push_artifacts(*store, f.root, plan, f.upload_cache, {});
  EXPECT_EQ(result.pushed, 1u);
  EXPECT_EQ(result.failed_compressions, 1u);
  EXPECT_EQ(
      files_in(f.run_dir),
      (std::vector<std::string>{"core_lib_generic.tar.zst", "core_lib_generic.tar.zst.sha256sum"}));
  EXPECT_EQ(log.containing("error:"),
            std::vector<std::string>{"rockart: error: artifact directory "
                                     + (f.artifacts / "core_dev_generic").string()
                                     + " has no artifact_manifest.txt; it is not an exploded "
                                       "artifact"})
      << log.dump();
}

TEST(PushArtifacts, MixedPlanLandsUnderAnExternalRepoRunRoot) {
  PushFixture f;
  const layout::WorkflowOutputRoot external{
      "therock-ci-artifacts-external", "ROCm-rocm-libraries/", "20723767265", "linux"};
  write_exploded(f.artifacts, "core_lib_generic", "core");
  write_exploded(f.artifacts, "blas_dev_gfx94X-dcgpu", "dev");
  const fs::path pre = f.artifacts / "blas_lib_gfx94X-dcgpu.tar.zst";
  archive::write_sha256_companion(pre, write_archive(pre, archive::Compression::zstd));
  write_archive(f.artifacts / "fft_lib_generic.tar.zst", archive::Compression::zstd);

  LogCapture log;
  auto store = f.local_store();
  PushOptions options;
  options.compress_concurrency = 2;
  options.upload_concurrency = 3;
  const PushResult result = push_artifacts(
      *store, external, plan_push(f.artifacts, {"core", "blas", "fft"}), f.upload_cache, options);
  EXPECT_EQ(result.pushed, 4u);
  EXPECT_EQ(result.failed_compressions, 0u);
  const fs::path run_dir = f.staging / "ROCm-rocm-libraries" / "20723767265-linux";
  EXPECT_EQ(files_in(run_dir),
            (std::vector<std::string>{"blas_dev_gfx94X-dcgpu.tar.zst",
                                      "blas_dev_gfx94X-dcgpu.tar.zst.sha256sum",
                                      "blas_lib_gfx94X-dcgpu.tar.zst",
                                      "blas_lib_gfx94X-dcgpu.tar.zst.sha256sum",
                                      "core_lib_generic.tar.zst",
                                      "core_lib_generic.tar.zst.sha256sum",
                                      "fft_lib_generic.tar.zst"}));
  // Every uploaded companion matches its archive.
  for (const std::string stem :
       {"blas_dev_gfx94X-dcgpu", "blas_lib_gfx94X-dcgpu", "core_lib_generic"}) {
    const fs::path uploaded = run_dir / (stem + ".tar.zst");
    const std::string companion = read_file(uploaded.string() + ".sha256sum");
    EXPECT_EQ(companion.substr(0, 64), util::sha256_file(uploaded)) << stem;
  }
  EXPECT_TRUE(log.has("rockart: info: pushing 4 artifacts to " + run_dir.string())) << log.dump();
  EXPECT_TRUE(log.containing("warn:").empty()) << log.dump();
}

TEST(PushArtifacts, DryRunWritesNothing) {
  PushFixture f;
  write_exploded(f.artifacts, "core_lib_generic", "core");
  const fs::path pre = f.artifacts / "blas_lib_gfx94X-dcgpu.tar.zst";
  archive::write_sha256_companion(pre, std::string(64, 'b')); // a mismatch is not even checked
  write_archive(pre, archive::Compression::zstd);

  std::vector<std::string> dry_lines;
  LogCapture log;
  auto store = f.local_store(true, [&](const std::string& line) { dry_lines.push_back(line); });
  PushOptions options;
  options.dry_run = true;
  const PushResult result = push_artifacts(
      *store, f.root, plan_push(f.artifacts, {"core", "blas"}), f.upload_cache, options);
  EXPECT_EQ(result.pushed, 2u);
  EXPECT_EQ(result.failed_compressions, 0u);
  EXPECT_FALSE(fs::exists(f.staging));
  EXPECT_FALSE(fs::exists(f.upload_cache));
  EXPECT_TRUE(fs::exists(f.artifacts / "core_lib_generic/artifact_manifest.txt"));

  EXPECT_TRUE(log.has("rockart: info: [DRY RUN] would compress "
                      + (f.artifacts / "core_lib_generic").string() + " -> "
                      + (f.upload_cache / "core_lib_generic.tar.zst").string()))
      << log.dump();
  EXPECT_TRUE(log.containing("++ Compress").empty()) << log.dump();
  EXPECT_TRUE(log.containing("warn:").empty()) << log.dump();
  std::sort(dry_lines.begin(), dry_lines.end());
  EXPECT_EQ(dry_lines,
            (std::vector<std::string>{
                "[DRY RUN] " + f.upload_cache.string() + "/core_lib_generic.tar.zst -> "
                    + f.run_dir.string() + "/core_lib_generic.tar.zst",
                "[DRY RUN] " + f.upload_cache.string() + "/core_lib_generic.tar.zst.sha256sum -> "
                    + f.run_dir.string() + "/core_lib_generic.tar.zst.sha256sum",
                "[DRY RUN] " + pre.string() + " -> " + f.run_dir.string()
                    + "/blas_lib_gfx94X-dcgpu.tar.zst",
                "[DRY RUN] " + pre.string() + ".sha256sum -> " + f.run_dir.string()
                    + "/blas_lib_gfx94X-dcgpu.tar.zst.sha256sum",
            }));
}

TEST(PushArtifacts, AnEmptyPlanPushesNothing) {
  PushFixture f;
  LogCapture log;
  auto store = f.local_store();
  const PushResult result = push_artifacts(*store, f.root, PushPlan{}, f.upload_cache, {});
  EXPECT_EQ(result.pushed, 0u);
  EXPECT_EQ(result.failed_compressions, 0u);
  EXPECT_FALSE(fs::exists(f.upload_cache));
  EXPECT_FALSE(fs::exists(f.run_dir));
}

} // namespace
} // namespace rockart::storage
