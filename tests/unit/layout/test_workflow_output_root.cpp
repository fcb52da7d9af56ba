// SPDX-License-Identifier: MIT
// Run prefix (spec/layout.md §1), location catalogue (§2), single-segment and
// external-repo rules (§4 rules 4-6), local roots (§6) and the kind registry.
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/location_kind.hpp>
#include <rockart/layout/workflow_output_root.hpp>

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace rockart::layout {
namespace {

std::string usage_error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "<no UsageError>";
}

// --- §1 the run prefix -------------------------------------------------------------

struct PrefixRow {
  std::string bucket, external_repo, run_id, platform, prefix;
};

TEST(RunPrefix, SpecExampleTable) {
  const std::vector<PrefixRow> rows = {
      {"therock-ci-artifacts", "", "12345", "linux", "12345-linux"},
      {"therock-ci-artifacts-external",
       "ROCm-TheRock/",
       "20384488184",
       "windows",
       "ROCm-TheRock/20384488184-windows"},
      {"therock-ci-artifacts-external",
       "ROCm-rocm-systems/",
       "20723767265",
       "linux",
       "ROCm-rocm-systems/20723767265-linux"},
      {"therock-artifacts", "", "18740768335", "linux", "18740768335-linux"},
  };
  for (const PrefixRow& row : rows) {
    const WorkflowOutputRoot root(row.bucket, row.external_repo, row.run_id, row.platform);
    EXPECT_EQ(root.prefix(), row.prefix);
    EXPECT_EQ(root.root(), StorageLocation(row.bucket, row.prefix));
    EXPECT_EQ(root.bucket(), row.bucket);
    EXPECT_EQ(root.external_repo(), row.external_repo);
    EXPECT_EQ(root.run_id(), row.run_id);
    EXPECT_EQ(root.platform(), row.platform);
  }
  // Last row of the table: the local root.
  const WorkflowOutputRoot local = WorkflowOutputRoot::local("local", "linux");
  EXPECT_EQ(local.bucket(), "local");
  EXPECT_EQ(local.external_repo(), "");
  EXPECT_EQ(local.prefix(), "local-linux");
}

TEST(RunPrefix, LinuxAndWindowsOfOneRunAreDistinctPrefixesInOneBucket) {
  const WorkflowOutputRoot linux_root("therock-ci-artifacts", "", "12345", "linux");
  const WorkflowOutputRoot windows_root("therock-ci-artifacts", "", "12345", "windows");
  EXPECT_NE(linux_root.root(), windows_root.root());
  EXPECT_EQ(linux_root.root().bucket(), windows_root.root().bucket());
}

// --- §2 catalogue ---------------------------------------------------------------

struct CatalogueRow {
  std::string kind; // registry name; the same row also checks the registry
  std::vector<std::string> args;
  std::function<StorageLocation(const WorkflowOutputRoot&)> method;
  std::string expected; // relative path with P = "ROCm-rocm-systems/20723767265-linux"
};

using R = WorkflowOutputRoot;

std::vector<CatalogueRow> catalogue_rows() {
  const std::string g = "gfx94X-dcgpu";
  return {
      {"run-root", {}, [](const R& r) { return r.root(); }, ""},
      {"artifact",
       {"blas_lib_gfx94X-dcgpu.tar.zst"},
       [](const R& r) { return r.artifact("blas_lib_gfx94X-dcgpu.tar.zst"); },
       "/blas_lib_gfx94X-dcgpu.tar.zst"},
      {"artifact",
       {"blas_lib_gfx94X-dcgpu.tar.xz"},
       [](const R& r) { return r.artifact("blas_lib_gfx94X-dcgpu.tar.xz"); },
       "/blas_lib_gfx94X-dcgpu.tar.xz"},
      {"artifact-checksum",
       {"core-hip_run_generic.tar.zst"},
       [](const R& r) { return r.artifact_checksum("core-hip_run_generic.tar.zst"); },
       "/core-hip_run_generic.tar.zst.sha256sum"},
      {"run-index", {}, [](const R& r) { return r.run_index(); }, "/index.html"},
      {"legacy-group-index",
       {g},
       [g](const R& r) { return r.legacy_group_index(g); },
       "/index-gfx94X-dcgpu.html"},
      {"logs-dir", {}, [](const R& r) { return r.logs_root(); }, "/logs"},
      {"logs-index", {}, [](const R& r) { return r.logs_index(); }, "/logs/index.html"},
      {"log-dir", {g}, [g](const R& r) { return r.log_dir(g); }, "/logs/gfx94X-dcgpu"},
      {"log-file",
       {g, "rocBLAS_build.log"},
       [g](const R& r) { return r.log_file(g, "rocBLAS_build.log"); },
       "/logs/gfx94X-dcgpu/rocBLAS_build.log"},
      {"ninja-log-archive",
       {g},
       [g](const R& r) { return r.ninja_log_archive(g); },
       "/logs/gfx94X-dcgpu/ninja_logs.tar.gz"},
      {"ccache-log-archive",
       {g},
       [g](const R& r) { return r.ccache_log_archive(g); },
       "/logs/gfx94X-dcgpu/ccache_logs.tar.zst"},
      {"group-log-index",
       {g},
       [g](const R& r) { return r.group_log_index(g); },
       "/logs/gfx94X-dcgpu/index.html"},
      {"build-observability",
       {g},
       [g](const R& r) { return r.build_observability_report(g); },
       "/logs/gfx94X-dcgpu/build_observability.html"},
      {"profiling-dir",
       {g},
       [g](const R& r) { return r.resource_profiling_dir(g); },
       "/logs/gfx94X-dcgpu/therock-build-prof"},
      {"comp-summary-html",
       {g},
       [g](const R& r) { return r.comp_summary_html(g); },
       "/logs/gfx94X-dcgpu/comp-summary.html"},
      {"comp-summary-md",
       {g},
       [g](const R& r) { return r.comp_summary_md(g); },
       "/logs/gfx94X-dcgpu/comp-summary.md"},
      {"test-report-dir",
       {g},
       [g](const R& r) { return r.test_report_dir(g); },
       "/logs/gfx94X-dcgpu"},
      {"test-report-dir",
       {"rccl/gfx942"},
       [](const R& r) { return r.test_report_dir("rccl/gfx942"); },
       "/logs/rccl/gfx942"},
      {"legacy-test-report-dir",
       {"test-reports"},
       [](const R& r) { return r.legacy_test_report_dir("test-reports"); },
       "/test-reports"},
      {"manifest-diff-report",
       {},
       [](const R& r) { return r.manifest_diff_report(); },
       "/logs/manifest-diff/index.html"},
      {"stage-log-dir",
       {"compiler-runtime"},
       [](const R& r) { return r.stage_log_dir("compiler-runtime"); },
       "/logs/compiler-runtime"},
      {"stage-log-dir",
       {"math-libs", "gfx1151"},
       [](const R& r) { return r.stage_log_dir("math-libs", "gfx1151"); },
       "/logs/math-libs/gfx1151"},
      {"stage-log-dir",
       {"runtime-tests", ""},
       [](const R& r) { return r.stage_log_dir("runtime-tests", ""); },
       "/logs/runtime-tests"},
      {"packaging-log-dir",
       {"deb"},
       [](const R& r) { return r.packaging_log_dir("deb"); },
       "/logs/packaging/deb"},
      {"packaging-log-index",
       {"rpm"},
       [](const R& r) { return r.packaging_log_index("rpm"); },
       "/logs/packaging/rpm/index.html"},
      {"manifests-dir", {}, [](const R& r) { return r.manifests_dir(); }, "/manifests"},
      {"manifests-index",
       {},
       [](const R& r) { return r.manifests_index(); },
       "/manifests/index.html"},
      {"workflow-manifest",
       {},
       [](const R& r) { return r.workflow_manifest(); },
       "/manifests/therock_manifest.json"},
      {"manifest-dir",
       {g},
       [g](const R& r) { return r.group_manifest_dir(g); },
       "/manifests/gfx94X-dcgpu"},
      {"manifest",
       {g},
       [g](const R& r) { return r.group_manifest(g); },
       "/manifests/gfx94X-dcgpu/therock_manifest.json"},
      {"framework-manifest",
       {"torch", "gfx1151", "py3.11", "release/2.7"},
       [](const R& r) {
         return r.framework_manifest(Framework::torch, "gfx1151", "py3.11", "release/2.7");
       },
       "/manifests/gfx1151/therock-manifest_torch_py3.11_release-2.7.json"},
      {"framework-manifest",
       {"jax", "gfx94X-dcgpu", "3.12", "rocm-jaxlib-v0.6.0"},
       [](const R& r) {
         return r.framework_manifest(Framework::jax, "gfx94X-dcgpu", "3.12", "rocm-jaxlib-v0.6.0");
       },
       "/manifests/gfx94X-dcgpu/therock-manifest_jax_py3.12_rocm-jaxlib-v0.6.0.json"},
      {"python-dir", {g}, [g](const R& r) { return r.python_dir(g); }, "/python/gfx94X-dcgpu"},
      {"python-dir", {}, [](const R& r) { return r.python_dir(); }, "/python"},
      {"python-index",
       {g},
       [g](const R& r) { return r.python_index(g); },
       "/python/gfx94X-dcgpu/index.html"},
      {"python-index", {}, [](const R& r) { return r.python_index(); }, "/python/index.html"},
      {"deb-repo", {}, [](const R& r) { return r.deb_repo(); }, "/packages/deb"},
      {"rpm-repo", {}, [](const R& r) { return r.rpm_repo(); }, "/packages/rpm"},
      {"tarballs-dir", {}, [](const R& r) { return r.tarballs_dir(); }, "/tarballs"},
      {"tarball",
       {"therock-dist-linux-gfx94X-dcgpu-7.12.0.dev0+abc.tar.gz"},
       [](const R& r) {
         return r.tarball("therock-dist-linux-gfx94X-dcgpu-7.12.0.dev0+abc.tar.gz");
       },
       "/tarballs/therock-dist-linux-gfx94X-dcgpu-7.12.0.dev0+abc.tar.gz"},
  };
}

const WorkflowOutputRoot& systems_root() {
  static const WorkflowOutputRoot root(
      "therock-ci-artifacts-external", "ROCm-rocm-systems/", "20723767265", "linux");
  return root;
}

TEST(Catalogue, EveryRowResolvesToItsTemplate) {
  const WorkflowOutputRoot& root = systems_root();
  for (const CatalogueRow& row : catalogue_rows()) {
    const StorageLocation loc = row.method(root);
    EXPECT_EQ(loc.relative_path(), root.prefix() + row.expected) << row.kind;
    EXPECT_EQ(loc.bucket(), root.bucket()) << row.kind;
    // §4 rule 4: the root itself or strictly below it.
    EXPECT_TRUE(loc.is_within(root.root())) << row.kind;
    EXPECT_EQ(loc == root.root(), row.expected.empty()) << row.kind;
  }
}

TEST(Catalogue, RegistryResolvesEveryRowLikeTheMethod) {
  const WorkflowOutputRoot& root = systems_root();
  std::set<std::string> tested;
  for (const CatalogueRow& row : catalogue_rows()) {
    EXPECT_EQ(resolve_location(root, row.kind, row.args), row.method(root)) << row.kind;
    tested.insert(row.kind);
  }
  // Every registered kind has at least one catalogue row above.
  for (const LocationKind& kind : location_kinds()) {
    EXPECT_EQ(tested.count(kind.name), 1U) << "no catalogue row for kind " << kind.name;
  }
  EXPECT_EQ(tested.size(), location_kinds().size());
}

TEST(Catalogue, MultiArchStageLogExamples) { // §2.3 example list
  const WorkflowOutputRoot root("therock-ci-artifacts", "", "12345", "linux");
  EXPECT_EQ(root.stage_log_dir("compiler-runtime").child("amd-llvm_build.log").relative_path(),
            "12345-linux/logs/compiler-runtime/amd-llvm_build.log");
  EXPECT_EQ(root.stage_log_dir("runtime-tests").child("rocrtst_build.log").relative_path(),
            "12345-linux/logs/runtime-tests/rocrtst_build.log");
  EXPECT_EQ(root.stage_log_dir("math-libs", "gfx1151").child("rocBLAS_build.log").relative_path(),
            "12345-linux/logs/math-libs/gfx1151/rocBLAS_build.log");
  EXPECT_EQ(
      root.stage_log_dir("math-libs", "gfx110X-all").child("MIOpen_build.log").relative_path(),
      "12345-linux/logs/math-libs/gfx110X-all/MIOpen_build.log");
}

TEST(Catalogue, ForkPrefixAndFindLinksUrl) { // §2.5 find-links URL, §3 rule 6 index URL
  const WorkflowOutputRoot root(
      "therock-ci-artifacts-external", "ROCm-TheRock/", "20384488184", "windows");
  EXPECT_EQ(root.run_index().https_url(),
            "https://therock-ci-artifacts-external.s3.amazonaws.com/"
            "ROCm-TheRock/20384488184-windows/index.html");
  EXPECT_EQ(root.python_index("gfx1151").https_url(),
            "https://therock-ci-artifacts-external.s3.amazonaws.com/"
            "ROCm-TheRock/20384488184-windows/python/gfx1151/index.html");
}

TEST(Catalogue, FrameworkManifestNormalisation) {
  const WorkflowOutputRoot root("therock-ci-artifacts", "", "1", "linux");
  EXPECT_EQ(root.framework_manifest(Framework::torch, "gfx942", "3.11", "nightly").relative_path(),
            "1-linux/manifests/gfx942/therock-manifest_torch_py3.11_nightly.json");
  EXPECT_EQ(root.framework_manifest(Framework::jax, "gfx942", "py3.13", "a/b/c").relative_path(),
            "1-linux/manifests/gfx942/therock-manifest_jax_py3.13_a-b-c.json");
  EXPECT_EQ(usage_error_of([&] { (void)root.framework_manifest(Framework::jax, "g", "py", "t"); }),
            "invalid python version '': must not be empty");
  EXPECT_EQ(usage_error_of([&] { (void)root.framework_manifest(Framework::jax, "g", "3.1", ""); }),
            "invalid framework track '': must not be empty");
  EXPECT_EQ(parse_framework("jax"), Framework::jax);
  EXPECT_EQ(usage_error_of([] { (void)parse_framework("tensorflow"); }),
            "invalid framework 'tensorflow': must be 'torch' or 'jax'");
}

TEST(Catalogue, LinuxOnlyLocations) {
  const WorkflowOutputRoot win("therock-ci-artifacts", "", "7", "windows");
  EXPECT_EQ(usage_error_of([&] { (void)win.deb_repo(); }),
            "the deb repository exists only under linux run prefixes, not '7-windows'");
  EXPECT_EQ(usage_error_of([&] { (void)win.rpm_repo(); }),
            "the rpm repository exists only under linux run prefixes, not '7-windows'");
  EXPECT_EQ(usage_error_of([&] { (void)win.manifest_diff_report(); }),
            "the manifest-diff report exists only under linux run prefixes, not '7-windows'");
}

// --- §4 rule 5: single-segment inputs -------------------------------------------------

TEST(RootRules, SingleSegmentInputsWithExactMessages) {
  const WorkflowOutputRoot& r = systems_root();
  const std::vector<std::pair<std::function<void()>, std::string>> cases = {
      {[&] { (void)r.log_dir("../x"); },
       "invalid artifact group '../x': must be a single path segment (no '/')"},
      {[&] { (void)r.log_dir(""); }, "invalid artifact group '': must not be empty"},
      {[&] { (void)r.log_dir(".."); }, "invalid artifact group '..': dot segments are not allowed"},
      {[&] { (void)r.legacy_group_index("a/b"); },
       "invalid artifact group 'a/b': must be a single path segment (no '/')"},
      {[&] { (void)r.group_manifest("a/b"); },
       "invalid artifact group 'a/b': must be a single path segment (no '/')"},
      {[&] { (void)r.python_dir("a/b"); },
       "invalid artifact group 'a/b': must be a single path segment (no '/')"},
      {[&] { (void)r.stage_log_dir("math-libs/gfx1151"); },
       "invalid build stage 'math-libs/gfx1151': must be a single path segment (no '/')"},
      {[&] { (void)r.stage_log_dir("", "gfx1151"); }, "invalid build stage '': must not be empty"},
      {[&] { (void)r.stage_log_dir("math-libs", "."); },
       "invalid GPU family '.': dot segments are not allowed"},
      {[&] { (void)r.framework_manifest(Framework::torch, "a/b", "3.11", "t"); },
       "invalid GPU family 'a/b': must be a single path segment (no '/')"},
      {[&] { (void)r.packaging_log_dir("apk"); },
       "invalid package type 'apk': must be 'deb' or 'rpm'"},
      {[&] { (void)r.package_repo("DEB"); }, "invalid package type 'DEB': must be 'deb' or 'rpm'"},
      {[&] { (void)r.artifact(""); }, "invalid artifact file name '': must not be empty"},
      {[&] { (void)r.artifact("sub/x.tar.zst"); },
       "invalid artifact file name 'sub/x.tar.zst': must be a single path segment (no '/')"},
      {[&] { (void)r.artifact_checksum(""); }, "invalid artifact file name '': must not be empty"},
      {[&] { (void)r.log_file("g", "a/b.log"); },
       "invalid log file name 'a/b.log': must be a single path segment (no '/')"},
      {[&] { (void)r.tarball("../t.tar.gz"); },
       "invalid tarball file name '../t.tar.gz': must be a single path segment (no '/')"},
      {[&] { (void)r.test_report_dir("a/../../b"); },
       "invalid path segment '..' in 'a/../../b': dot segments are not allowed"},
      {[&] { (void)r.legacy_test_report_dir("/abs"); },
       "invalid test report log destination '/abs': must be relative (must not start with '/' "
       "or '\\')"},
  };
  for (const auto& [fn, message] : cases) {
    EXPECT_EQ(usage_error_of(fn), message);
  }
}

TEST(RootRules, RunIdAndPlatform) {
  EXPECT_NO_THROW(WorkflowOutputRoot("bkt", "", "local", "linux"));
  EXPECT_EQ(usage_error_of([] { WorkflowOutputRoot("bkt", "", "", "linux"); }),
            "invalid run id '': must not be empty");
  EXPECT_EQ(usage_error_of([] { WorkflowOutputRoot("bkt", "", "1/2", "linux"); }),
            "invalid run id '1/2': must be a single path segment (no '/')");
  EXPECT_EQ(usage_error_of([] { WorkflowOutputRoot("bkt", "", "..", "linux"); }),
            "invalid run id '..': dot segments are not allowed");
  for (const char* bad : {"Linux", "darwin", "", "linux/x"}) {
    EXPECT_EQ(usage_error_of([&] { WorkflowOutputRoot("bkt", "", "1", bad); }),
              "invalid platform '" + std::string(bad)
                  + "': must be 'linux' or 'windows' (lower case) for CI roots");
  }
  EXPECT_EQ(usage_error_of([] { WorkflowOutputRoot("BKT", "", "1", "linux"); }),
            "invalid bucket name 'BKT': character 'B' is not allowed; "
            "S3 bucket names have 3-63 characters from a-z 0-9 . -");
}

// --- §4 rule 6: external_repo shape ------------------------------------------------

TEST(RootRules, ExternalRepoShape) {
  for (const char* ok : {"", "ROCm-TheRock/", "ROCm-rocm-systems/", "a-b/", "my-org-my-repo/"}) {
    EXPECT_NO_THROW(validate_external_repo(ok)) << ok;
    EXPECT_NO_THROW(WorkflowOutputRoot("bkt", ok, "1", "linux")) << ok;
  }
  const std::string head = "must be empty or '{owner}-{repo}/' ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ROCm-TheRock",
       "invalid external repo prefix 'ROCm-TheRock': " + head + "(missing the trailing '/')"},
      {"ROCm/TheRock/",
       "invalid external repo prefix 'ROCm/TheRock/': " + head
           + "with exactly one '/', at the end"},
      {"/",
       "invalid external repo prefix '/': " + head
           + "with a non-empty owner and repo joined by '-'"},
      {"ROCm/",
       "invalid external repo prefix 'ROCm/': " + head
           + "with a non-empty owner and repo joined by '-'"},
      {"-repo/",
       "invalid external repo prefix '-repo/': " + head
           + "with a non-empty owner and repo joined by '-'"},
      {"owner-/",
       "invalid external repo prefix 'owner-/': " + head
           + "with a non-empty owner and repo joined by '-'"},
      {"a-b\\c/",
       "invalid external repo prefix 'a-b\\c': must not contain '\\' (the separator "
       "is '/')"},
  };
  for (const auto& [input, message] : cases) {
    EXPECT_EQ(usage_error_of([&] { validate_external_repo(input); }), message);
    EXPECT_EQ(usage_error_of([&] { WorkflowOutputRoot("bkt", input, "1", "linux"); }), message);
  }
}

// --- §6 local roots ----------------------------------------------------------------------

TEST(LocalRoot, StagingLayoutOfArtifactManagerLocalBackend) {
  const WorkflowOutputRoot root = WorkflowOutputRoot::local("20723767265", "linux");
  EXPECT_EQ(root.bucket(), "local");
  EXPECT_EQ(root.artifact("blas_lib_gfx94X-dcgpu.tar.zst").staging_path("/d"),
            std::filesystem::path("/d/20723767265-linux/blas_lib_gfx94X-dcgpu.tar.zst"));
  // The obsolete `run-{id}-{platform}` form is never produced.
  EXPECT_EQ(root.prefix().find("run-"), std::string::npos);
}

TEST(LocalRoot, HostPlatformIsLowerCasedAndAnyTokenRunId) {
  const WorkflowOutputRoot root = WorkflowOutputRoot::local("my-test_run", "Darwin");
  EXPECT_EQ(root.platform(), "darwin");
  EXPECT_EQ(root.prefix(), "my-test_run-darwin");
  EXPECT_EQ(usage_error_of([] { (void)WorkflowOutputRoot::local("", "linux"); }),
            "invalid run id '': must not be empty");
  EXPECT_EQ(usage_error_of([] { (void)WorkflowOutputRoot::local("a/b", "linux"); }),
            "invalid run id 'a/b': must be a single path segment (no '/')");
  EXPECT_EQ(usage_error_of([] { (void)WorkflowOutputRoot::local("local", ""); }),
            "invalid platform '': must not be empty");
}

TEST(LocalRoot, UploadOutputDirMirrorsS3IncludingExternalRepo) { // §6 first row
  const WorkflowOutputRoot& root = systems_root();
  EXPECT_EQ(root.log_dir("gfx94X-dcgpu").staging_path("/out"),
            std::filesystem::path("/out/ROCm-rocm-systems/20723767265-linux/logs/gfx94X-dcgpu"));
}

// --- kind registry --------------------------------------------------------------------

TEST(LocationKinds, NamesAreUniqueKebabCaseWithDescriptions) {
  std::set<std::string> names;
  for (const LocationKind& kind : location_kinds()) {
    EXPECT_TRUE(names.insert(kind.name).second) << "duplicate " << kind.name;
    EXPECT_EQ(kind.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz-"), std::string::npos)
        << kind.name;
    EXPECT_FALSE(kind.description.empty()) << kind.name;
    EXPECT_EQ(find_location_kind(kind.name), &kind);
  }
  EXPECT_EQ(find_location_kind("no-such-kind"), nullptr);
  EXPECT_EQ(find_location_kind("stage-log-dir")->synopsis(), "stage [family]");
  EXPECT_EQ(find_location_kind("framework-manifest")->synopsis(), "framework family python track");
  EXPECT_EQ(find_location_kind("run-root")->synopsis(), "");
}

TEST(LocationKinds, UnknownKindAndWrongArgumentCount) {
  const WorkflowOutputRoot& root = systems_root();
  const std::string unknown = usage_error_of([&] { (void)resolve_location(root, "logdir", {}); });
  EXPECT_EQ(unknown.rfind("unknown location kind 'logdir'; valid kinds: run-root, artifact, ", 0),
            0U)
      << unknown;
  EXPECT_NE(unknown.find(", tarballs-dir, tarball"), std::string::npos) << unknown;
  EXPECT_EQ(usage_error_of([&] { (void)resolve_location(root, "log-dir", {}); }),
            "location kind 'log-dir' takes 1 argument (group), got 0");
  EXPECT_EQ(usage_error_of([&] { (void)resolve_location(root, "run-root", {"x"}); }),
            "location kind 'run-root' takes 0 arguments (none), got 1");
  EXPECT_EQ(usage_error_of([&] {
              (void)resolve_location(root, "stage-log-dir", {"a", "b", "c"});
            }),
            "location kind 'stage-log-dir' takes 1 to 2 arguments (stage [family]), got 3");
  EXPECT_EQ(&require_location_kind("python-dir", 0), find_location_kind("python-dir"));
  EXPECT_EQ(&require_location_kind("python-dir", 1), find_location_kind("python-dir"));
  EXPECT_EQ(usage_error_of([] { (void)require_location_kind("python-dir", 2); }),
            "location kind 'python-dir' takes 0 to 1 arguments ([group]), got 2");
  EXPECT_EQ(usage_error_of([&] { (void)resolve_location(root, "log-dir", {"../x"}); }),
            "invalid artifact group '../x': must be a single path segment (no '/')");
}

} // namespace
} // namespace rockart::layout
