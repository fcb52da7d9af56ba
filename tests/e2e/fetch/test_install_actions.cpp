// SPDX-License-Identifier: MIT
// `rockart install` (and `rockart fetch`, once it reports) inside GitHub
// Actions against moto: the step outputs read back as the runner reads
// $GITHUB_OUTPUT, the job summary, an `::error` line per failure (a missing
// run, a damaged archive, a refused directory), and nothing outside a workflow.
#include "fetch_fixture.hpp"
#include "support/actions_files.hpp"

#include <rockart/archive/tar_writer.hpp>

#include <gtest/gtest.h>

namespace rockart::test {
namespace {

using Outputs = std::map<std::string, std::string>;

// Three archives for gfx94X-dcgpu (its target gfx942) and one for another GPU.
const std::vector<std::string> k_selected = {
    "base_lib_generic.tar.zst", "blas_lib_generic.tar.zst", "blas_lib_gfx942.tar.zst"};
const std::string k_other = "blas_lib_gfx1100.tar.zst";

class InstallActions : public FetchE2E {
protected:
  static void SetUpTestSuite() {
    s_moto = start_moto();
    if (s_moto->ok()) {
      s_proxy = start_fake("fault_proxy.py", {"--upstream", s_moto->url()});
    }
    s_data = std::make_unique<TempDir>();
    auto names = k_selected;
    names.push_back(k_other);
    for (const auto& name : names) {
      make_archive(name);
    }
  }

  // {name} with artifact_manifest.txt and stage/lib/{name}.txt, and its companion.
  static void make_archive(const std::string& name) {
    const fs::path path = s_data->path() / name;
    archive::TarWriter writer(path, archive::Compression::zstd);
    writer.add_file("artifact_manifest.txt", "stage\n");
    writer.add_file("stage/lib/" + name + ".txt", name + "\n");
    const std::string digest = writer.finish();
    write_file(s_data->path() / (name + ".sha256sum"), digest + "  " + name + "\n");
  }

  void SetUp() override {
    FetchE2E::SetUp();
    seed(files_in(s_data->path()));
  }

  fs::path out() const { return m_work.path() / "install"; }

  std::string out_dir() const { return fs::absolute(out()).lexically_normal().string(); }

  // `rockart install --run-id 100 --bucket B ... --artifact-group gfx94X-dcgpu`
  // with `vars` added to the environment.
  ProcessResult install(const std::map<std::string, std::string>& vars,
                        const std::vector<std::string>& extra = {},
                        const std::string& run_id = "100") {
    std::vector<std::string> argv = {"install",
                                     "--run-id",
                                     run_id,
                                     "--bucket",
                                     m_bucket,
                                     "--endpoint-url",
                                     s_moto->url(),
                                     "--artifact-group",
                                     "gfx94X-dcgpu",
                                     "--output-dir",
                                     out().string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    RunOptions options = rockart_env();
    for (const auto& [name, value] : vars) {
      options.env[name] = value;
    }
    return run_rockart(argv, options);
  }

  static std::uint64_t selected_bytes() {
    std::uint64_t bytes = 0;
    for (const auto& name : k_selected) {
      bytes += fs::file_size(s_data->path() / name);
    }
    return bytes;
  }

  // The outputs every install of run 100 writes, with `archives` and `bytes`.
  Outputs run_outputs(const std::string& bytes) const {
    return {{"run_id", "100"},
            {"run_url", "https://github.com/ROCm/TheRock/actions/runs/100"},
            {"bucket", m_bucket},
            {"s3_uri", "s3://" + m_bucket + "/100-linux/"},
            {"install_dir", out_dir()},
            {"archives", "3"},
            {"archive_names", k_selected[0] + "\n" + k_selected[1] + "\n" + k_selected[2]},
            {"bytes", bytes}};
  }
};

TEST_F(InstallActions, EveryOutputOfARunInstall) {
  ActionsFiles files;
  const auto r = install(files.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(workflow_errors(r.err), std::vector<WorkflowError>{});
  EXPECT_EQ(github_output_map(files.output()), run_outputs(std::to_string(selected_bytes())));
  // The multi-line value uses the name<<DELIMITER form.
  EXPECT_NE(files.output().find("archive_names<<EOF_mag1c\n" + k_selected[0] + "\n"),
            std::string::npos)
      << files.output();
  const std::string summary = files.summary();
  EXPECT_TRUE(summary.starts_with("### rockart install: installed from run 100 of ROCm/TheRock\n\n"
                                  "| Field | Value |\n| --- | --- |\n"
                                  "| Workflow run | [100](https://github.com/ROCm/TheRock/actions/"
                                  "runs/100) of ROCm/TheRock |\n"
                                  "| S3 | `s3://"
                                  + m_bucket
                                  + "/100-linux/` |\n"
                                    "| Install directory | `"
                                  + out_dir()
                                  + "` |\n"
                                    "| Plan | Install plan: keep 0, add 3, update 0, remove 0 |\n"
                                    "| Archives | 3 in the tree, 3 fetched by this install |\n"))
      << summary;
  EXPECT_NE(summary.find("| Result | success |\n"), std::string::npos) << summary;
  EXPECT_TRUE(fs::exists(out() / "lib" / (k_selected[2] + ".txt")));
}

TEST_F(InstallActions, AnUnchangedReinstallDownloadsNothing) {
  ASSERT_EQ(install({}).exit_code, 0);
  ActionsFiles files;
  const auto r = install(files.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(github_output_map(files.output()), run_outputs("0"));
  EXPECT_NE(files.summary().find("| Plan | Install plan: keep 3, add 0, update 0, remove 0 |\n"
                                 "| Archives | 3 in the tree, 0 fetched by this install |\n"
                                 "| Downloaded | 0 B |\n"),
            std::string::npos)
      << files.summary();
}

TEST_F(InstallActions, ADryRunReportsThePlan) {
  ActionsFiles files;
  const auto r = install(files.env(), {"--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(github_output_map(files.output()), run_outputs("0"));
  EXPECT_NE(files.summary().find("### rockart install: would install from run 100"),
            std::string::npos)
      << files.summary();
  EXPECT_NE(files.summary().find("(dry run: nothing changed)"), std::string::npos);
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(InstallActions, AMissingRunIsAnErrorLineAndAFailedSummary) {
  ActionsFiles files;
  const auto r = install(files.env(), {}, "999");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(workflow_errors(r.err),
            (std::vector<WorkflowError>{
                {"rockart install: nothing to install",
                 "run 999 (s3://" + m_bucket
                     + "/999-linux/) has no archive to install for gfx94X-dcgpu; the log says "
                       "which selection matched nothing"}}));
  const auto outputs = github_output_map(files.output());
  EXPECT_EQ(outputs.at("run_id"), "999");
  EXPECT_EQ(outputs.count("install_dir"), 0u);
  EXPECT_NE(files.summary().find("| Result | **failed** (exit code 1) |"), std::string::npos)
      << files.summary();
  EXPECT_NE(files.summary().find("| nothing to install | run 999 "), std::string::npos)
      << files.summary();
}

TEST_F(InstallActions, EachFailedArchiveIsAnErrorLine) {
  const std::string bad = k_selected[1];
  put(bad + ".sha256sum", std::string(64, 'a') + "  " + bad + "\n");
  ActionsFiles files;
  const auto r = install(files.env());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const auto errors = workflow_errors(r.err);
  ASSERT_EQ(errors.size(), 1u) << r.err;
  EXPECT_EQ(errors[0].title, "rockart install: archive failed");
  EXPECT_TRUE(errors[0].message.starts_with(bad + ": sha256 mismatch for " + bad))
      << errors[0].message;
  const auto outputs = github_output_map(files.output());
  EXPECT_EQ(outputs.at("archives"), "2"); // what the tree holds
  EXPECT_NE(files.summary().find("| Archives | 2 in the tree, 2 fetched by this install, 1 "
                                 "failed |"),
            std::string::npos)
      << files.summary();
  EXPECT_NE(files.summary().find("| Result | **failed** (exit code 2) |"), std::string::npos);
}

TEST_F(InstallActions, ARefusedDirectoryStillWritesTheSummary) {
  write_file(out() / "someone-elses-file", "x");
  ActionsFiles files;
  const auto r = install(files.env());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const auto errors = workflow_errors(r.err);
  ASSERT_EQ(errors.size(), 1u) << r.err;
  EXPECT_EQ(errors[0].title, "rockart install: usage error");
  EXPECT_NE(errors[0].message.find("is not empty and holds no rockart install record"),
            std::string::npos)
      << errors[0].message;
  EXPECT_NE(errors[0].message.find("\nhint: pass --clean"), std::string::npos);
  EXPECT_EQ(files.output(), "");
  EXPECT_NE(files.summary().find("| Result | **failed** (exit code 2) |"), std::string::npos);
}

TEST_F(InstallActions, NothingIsWrittenOutsideAWorkflowWithoutTheFlag) {
  ActionsFiles files;
  ASSERT_EQ(install(files.env(false)).exit_code, 0);
  const auto missing = install(files.env(false), {}, "999");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err.find("::error"), std::string::npos) << missing.err;
  EXPECT_TRUE(files.untouched());
  // The flag alone is enough. (The archives come from the cache now: 0 bytes downloaded.)
  fs::remove_all(out());
  ASSERT_EQ(install(files.env(false), {"--github-output"}).exit_code, 0);
  EXPECT_EQ(github_output_map(files.output()), run_outputs("0"));
}

TEST_F(InstallActions, FetchReportsItsRunAndTotals) {
  ActionsFiles files;
  auto vars = files.env();
  RunOptions options = rockart_env();
  options.env.insert(vars.begin(), vars.end());
  const fs::path dir = m_work.path() / "artifacts";
  const auto r = run_rockart({"fetch",
                              "--run-id",
                              "100",
                              "--bucket",
                              m_bucket,
                              "--endpoint-url",
                              s_moto->url(),
                              "--artifact-group",
                              "gfx94X-dcgpu",
                              "--output-dir",
                              dir.string()},
                             options);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(github_output_map(files.output()),
            (Outputs{{"run_id", "100"},
                     {"run_url", "https://github.com/ROCm/TheRock/actions/runs/100"},
                     {"bucket", m_bucket},
                     {"s3_uri", "s3://" + m_bucket + "/100-linux/"},
                     {"artifacts_dir", fs::absolute(dir).lexically_normal().string()},
                     {"archives", "3"},
                     {"bytes", std::to_string(selected_bytes())}}));
  EXPECT_NE(files.summary().find("### rockart fetch: run 100 of ROCm/TheRock\n"), std::string::npos)
      << files.summary();
}

} // namespace
} // namespace rockart::test
