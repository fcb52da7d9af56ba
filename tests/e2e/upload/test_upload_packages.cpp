// SPDX-License-Identifier: MIT
// `rockart upload stage-logs|python|pytorch-manifest|tarballs|test-report`
// end to end against moto: each key set checked key by key against
// spec/layout.md §2, content types by HEAD, --output-dir producing the very
// same tree, --dry-run writing nothing, and the GitHub Actions outputs.
#include "upload_fixture.hpp"

namespace rockart::test {
namespace {

namespace fs = std::filesystem;

const std::string k_https = "https://therock-ci-artifacts.s3.amazonaws.com/";

// A multi-arch stage build tree (behaviours.md §6.3 inputs).
void make_stage_tree(const fs::path& b) {
  write_file(b / "logs/rocBLAS_build.log", "built");
  write_file(b / "logs/rocBLAS_configure.log", "configured");
  write_file(b / "logs/sub/deep.log", "deep");
  write_file(b / "logs/ccache/ccache.log", "ccache");
  write_file(b / "base/aux-overlay/build/therock_manifest.json", "{}");
  write_file(b / "math-libs/BLAS/build/.ninja_log", "# ninja log v5");
}

class UploadPackagesTest : public UploadCommandTest {
protected:
  void SetUp() override {
    UploadCommandTest::SetUp();
    m_extra_env["GITHUB_OUTPUT"] = (m_dir.path() / "github_output").string();
    m_extra_env["GITHUB_STEP_SUMMARY"] = (m_dir.path() / "step_summary.md").string();
    m_extra_env["RUNNER_TEMP"] = m_dir.path().string();
  }

  std::string github_output() const { return read_or_empty(m_dir.path() / "github_output"); }

  std::string step_summary() const { return read_or_empty(m_dir.path() / "step_summary.md"); }

  static std::string read_or_empty(const fs::path& path) {
    return fs::exists(path) ? read_file(path) : std::string();
  }
};

TEST_F(UploadPackagesTest, StageLogsOfAPerFamilyStageGoBelowTheFamily) {
  make_stage_tree(m_dir.path() / "build");
  expect_uploads({"upload",
                  "stage-logs",
                  "--stage",
                  "math-libs",
                  "--amdgpu-family",
                  "gfx1151",
                  "--build-dir",
                  "build",
                  "--run-id",
                  m_run,
                  "--platform",
                  "linux"},
                 {"logs/math-libs/gfx1151/ccache_logs.tar.zst",
                  "logs/math-libs/gfx1151/ninja_logs.tar.gz",
                  "logs/math-libs/gfx1151/rocBLAS_build.log",
                  "logs/math-libs/gfx1151/rocBLAS_configure.log",
                  "logs/math-libs/gfx1151/sub/deep.log"});
  EXPECT_EQ(content_type("logs/math-libs/gfx1151/rocBLAS_build.log"), "text/plain");
  EXPECT_EQ(content_type("logs/math-libs/gfx1151/ninja_logs.tar.gz"), "application/gzip");
  EXPECT_EQ(content_type("logs/math-libs/gfx1151/ccache_logs.tar.zst"), "application/zstd");
}

TEST_F(UploadPackagesTest, StageLogsOfCompilerRuntimeAddTheWorkflowManifest) {
  make_stage_tree(m_dir.path() / "build");
  m_extra_env["GITHUB_RUN_ID"] = m_run; // the default of --run-id
  expect_uploads({"upload", "stage-logs", "--stage", "compiler-runtime", "--build-dir", "build"},
                 {"logs/compiler-runtime/ccache_logs.tar.zst",
                  "logs/compiler-runtime/ninja_logs.tar.gz",
                  "logs/compiler-runtime/rocBLAS_build.log",
                  "logs/compiler-runtime/rocBLAS_configure.log",
                  "logs/compiler-runtime/sub/deep.log",
                  "manifests/therock_manifest.json"});
  EXPECT_EQ(content_type("manifests/therock_manifest.json"), "application/json");
}

TEST_F(UploadPackagesTest, StageLogsWithoutARunIdIsAUsageError) {
  make_stage_tree(m_dir.path() / "build");
  const auto result = rockart({"upload", "stage-logs", "--stage", "math-libs"}, 2);
  EXPECT_NE(result.err.find("--run-id is required (or set GITHUB_RUN_ID)"), std::string::npos)
      << result.err;
}

TEST_F(UploadPackagesTest, PythonSingleArchUploadsTheDistTreeWithItsIndex) {
  const fs::path dist = m_dir.path() / "packages/dist";
  write_file(dist / "rocm-7.0.0-py3-none-any.whl", "wheel");
  write_file(dist / "rocm-7.0.0.tar.gz", "sdist");
  write_file(dist / "extra/notes.txt", "anything else is uploaded too");
  const std::vector<std::string> args{"upload",
                                      "python",
                                      "--input-packages-dir",
                                      "packages",
                                      "--artifact-group",
                                      "gfx94X-dcgpu",
                                      "--run-id",
                                      m_run,
                                      "--platform",
                                      "linux"};
  auto dry = args;
  dry.push_back("--dry-run");
  rockart(dry);
  EXPECT_FALSE(fs::exists(dist / "index.html")) << "a dry run wrote the index page";
  expect_uploads(args,
                 {"python/gfx94X-dcgpu/extra/notes.txt",
                  "python/gfx94X-dcgpu/index.html",
                  "python/gfx94X-dcgpu/rocm-7.0.0-py3-none-any.whl",
                  "python/gfx94X-dcgpu/rocm-7.0.0.tar.gz"});
  EXPECT_EQ(content_type("python/gfx94X-dcgpu/rocm-7.0.0-py3-none-any.whl"), "application/zip");
  EXPECT_EQ(content_type("python/gfx94X-dcgpu/rocm-7.0.0.tar.gz"), "application/gzip");
  EXPECT_EQ(content_type("python/gfx94X-dcgpu/index.html"), "text/html");
  const std::string index = read_file(dist / "index.html");
  EXPECT_NE(index.find("<a href=\"rocm-7.0.0-py3-none-any.whl\">"), std::string::npos) << index;
  EXPECT_NE(index.find("<a href=\"rocm-7.0.0.tar.gz\">"), std::string::npos) << index;
  EXPECT_EQ(index.find("notes.txt"), std::string::npos) << index;
  // The --output-dir run writes no CI outputs (behaviours.md §6.4 step 5).
  const std::string outputs = "package_find_links_url=" + k_https + m_run
                              + "-linux/python/gfx94X-dcgpu/index.html\nkpack_split=false\n";
  EXPECT_NE(github_output().find(outputs), std::string::npos) << github_output();
}

TEST_F(UploadPackagesTest, PythonMultiArchLegacyFamiliesGetTheirOwnIndexWithoutAGroup) {
  const fs::path dist = m_dir.path() / "packages";
  write_file(dist / "rocm-7.0.0-py3-none-any.whl", "generic");
  write_file(dist / "gfx1151/rocm_sdk_gfx1151-7.0.0-py3-none-any.whl", "family");
  expect_uploads({"upload",
                  "python",
                  "--input-packages-dir",
                  "packages",
                  "--multiarch",
                  "--run-id",
                  m_run,
                  "--platform",
                  "linux"},
                 {"python/gfx1151/index.html",
                  "python/gfx1151/rocm_sdk_gfx1151-7.0.0-py3-none-any.whl",
                  "python/rocm-7.0.0-py3-none-any.whl"});
  EXPECT_EQ(content_type("python/gfx1151/index.html"), "text/html");
  const std::string index = read_file(dist / "gfx1151/index.html");
  EXPECT_NE(index.find("<a href=\"./rocm_sdk_gfx1151-7.0.0-py3-none-any.whl\">"), std::string::npos)
      << index;
  EXPECT_NE(index.find("<a href=\"../rocm-7.0.0-py3-none-any.whl\">"), std::string::npos) << index;
  EXPECT_NE(github_output().find("package_find_links_url=" + k_https + m_run
                                 + "-linux/python\nkpack_split=false\n"),
            std::string::npos)
      << github_output();
  EXPECT_NE(step_summary().find("- gfx1151: `pip install --find-links " + k_https + m_run
                                + "-linux/python/gfx1151/index.html rocm`"),
            std::string::npos)
      << step_summary();
}

TEST_F(UploadPackagesTest, PythonMultiArchFlatHasNoClientSideIndex) {
  const fs::path dist = m_dir.path() / "packages/dist";
  write_file(dist / "rocm-7.0.0-py3-none-any.whl", "generic");
  write_file(dist / ".kpack_staging/ignored.whl", "hidden dirs are not families");
  rockart({"upload",
           "python",
           "--input-packages-dir",
           "packages",
           "--multiarch",
           "--run-id",
           m_run,
           "--platform",
           "linux"});
  EXPECT_FALSE(fs::exists(dist / "index.html"));
  EXPECT_EQ(s3_keys(m_run).count("python/index.html"), 0U);
  EXPECT_EQ(s3_keys(m_run).count("python/rocm-7.0.0-py3-none-any.whl"), 1U);
  EXPECT_EQ(github_output(),
            "package_find_links_url=" + k_https + m_run
                + "-linux/python/index.html\nkpack_split=true\n");
}

TEST_F(UploadPackagesTest, PytorchManifestGoesBelowTheFamily) {
  const std::string name = "therock-manifest_torch_py3.11_release-2.7.json";
  write_file(m_dir.path() / "dist/manifests" / name, "{\"torch\": 1}");
  expect_uploads({"upload",
                  "pytorch-manifest",
                  "--dist-dir",
                  "dist",
                  "--run-id",
                  m_run,
                  "--platform",
                  "linux",
                  "--amdgpu-family",
                  "gfx94X-dcgpu",
                  "--python-version",
                  "py3.11",
                  "--pytorch-git-ref",
                  "release/2.7"},
                 {"manifests/gfx94X-dcgpu/" + name});
  EXPECT_EQ(content_type("manifests/gfx94X-dcgpu/" + name), "application/json");
}

TEST_F(UploadPackagesTest, PytorchManifestMissingNamesTheFile) {
  fs::create_directories(m_dir.path() / "dist/manifests");
  const auto result = rockart({"upload",
                               "pytorch-manifest",
                               "--dist-dir",
                               "dist",
                               "--run-id",
                               m_run,
                               "--platform",
                               "linux",
                               "--amdgpu-family",
                               "gfx94X-dcgpu",
                               "--python-version",
                               "3.11",
                               "--pytorch-git-ref",
                               "main"},
                              2);
  const std::string expected =
      (m_dir.path() / "dist/manifests/therock-manifest_torch_py3.11_main.json").string();
  EXPECT_NE(result.err.find("Manifest expected at: " + expected), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("framework manifest " + expected + " does not exist"),
            std::string::npos)
      << result.err;
}

TEST_F(UploadPackagesTest, JaxManifestGoesToTheFamilysManifestsWithTheRefFlattened) {
  const std::string name = "therock-manifest_jax_py3.12_release-0.4.28.json";
  write_file(m_dir.path() / "dist/manifests" / name, "{\"jax\": 1}");
  const std::vector<std::string> args{"upload",
                                      "jax-manifest",
                                      "--dist-dir",
                                      "dist",
                                      "--run-id",
                                      "99999",
                                      "--amdgpu-family",
                                      "gfx110X-all",
                                      "--python-version",
                                      " py3.12 ",
                                      "--jax-git-ref",
                                      "release/0.4.28"};
  auto local = args;
  local.insert(local.end(), {"--bucket", "test", "--output-dir", "D"});
  const auto result = rockart(local);
  EXPECT_EQ(read_file(m_dir.path() / "D/99999-linux/manifests/gfx110X-all" / name), "{\"jax\": 1}");
  EXPECT_NE(
      result.err.find("Manifest expected at: " + (m_dir.path() / "dist/manifests" / name).string()),
      std::string::npos)
      << result.err;
  rockart(args);
  EXPECT_EQ(s3_keys("99999"), std::set<std::string>{"manifests/gfx110X-all/" + name});
  EXPECT_EQ(
      client().head(k_upload_bucket, "99999-linux/manifests/gfx110X-all/" + name)->content_type,
      "application/json");
}

TEST_F(UploadPackagesTest, TarballsKeepAPlusInTheKeyAndEncodeItInTheUrl) {
  const fs::path in = m_dir.path() / "tarballs";
  const std::string multiarch = "therock-dist-linux-multiarch-7.12.0.dev0+abc123.tar.gz";
  const std::string tests = "therock-dist-linux-multiarch-7.12.0.dev0+abc123-tests-all.tar.gz";
  write_file(in / multiarch, "multiarch");
  write_file(in / tests, "tests sort first and are skipped");
  write_file(in / "therock-dist-linux-gfx1151-7.12.0.dev0+abc123.tar.gz", "family");
  write_file(in / "nested/inner.tar.gz", "nested keeps its sub-path");
  write_file(in / "README.txt", "not a tarball");
  expect_uploads({"upload",
                  "tarballs",
                  "--input-tarballs-dir",
                  "tarballs",
                  "--run-id",
                  m_run,
                  "--platform",
                  "linux"},
                 {"tarballs/nested/inner.tar.gz",
                  "tarballs/" + tests,
                  "tarballs/" + multiarch,
                  "tarballs/therock-dist-linux-gfx1151-7.12.0.dev0+abc123.tar.gz"});
  EXPECT_EQ(content_type("tarballs/" + multiarch), "application/gzip");
  const std::string line = "tarball_urls={\"multiarch\":\"" + k_https + m_run
                           + "-linux/tarballs/therock-dist-linux-multiarch-7.12.0.dev0%2Babc123"
                             ".tar.gz\"}\n";
  EXPECT_NE(github_output().find(line), std::string::npos) << github_output();
}

TEST_F(UploadPackagesTest, TestReportUploadsHtmlAndTheNamedIndex) {
  const fs::path reports = m_dir.path() / "reports";
  write_file(reports / "rccl_a.html", "<p>a");
  write_file(reports / "rccl_b.html", "<p>b");
  write_file(reports / "raw.txt", "not uploaded");
  expect_uploads({"upload",
                  "test-report",
                  "--report-path",
                  "reports",
                  "--run-id",
                  m_run,
                  "--platform",
                  "linux",
                  "--subfolder",
                  "gfx94X-dcgpu",
                  "--index-file-name",
                  "index_rccl_test_report.html"},
                 {"logs/gfx94X-dcgpu/index_rccl_test_report.html",
                  "logs/gfx94X-dcgpu/rccl_a.html",
                  "logs/gfx94X-dcgpu/rccl_b.html"});
  EXPECT_EQ(content_type("logs/gfx94X-dcgpu/rccl_a.html"), "text/html");
  EXPECT_EQ(content_type("logs/gfx94X-dcgpu/index_rccl_test_report.html"), "text/html");
  const std::string index = read_file(reports / "index_rccl_test_report.html");
  EXPECT_NE(index.find("<a href=\"rccl_a.html\">"), std::string::npos) << index;
  EXPECT_EQ(index.find("raw.txt"), std::string::npos) << index;
  EXPECT_NE(step_summary().find("[Test report](" + k_https + m_run
                                + "-linux/logs/gfx94X-dcgpu/index_rccl_test_report.html)"),
            std::string::npos)
      << step_summary();
}

} // namespace
} // namespace rockart::test
