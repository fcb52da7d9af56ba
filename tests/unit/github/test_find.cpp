// SPDX-License-Identifier: MIT
// The find algorithm (behaviours.md §1.2-§1.3) over hand-built runs and
// listings: accumulation, single-run, successful-run, targets, required
// patterns, generic-only prefixes, legacy and external buckets.
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/github/find.hpp>

#include <gtest/gtest.h>

#include <map>

namespace rockart::github {
namespace {

WorkflowRun make_run(std::uint64_t id,
                     std::string created,
                     std::string status = "completed",
                     std::optional<std::string> conclusion = "success") {
  WorkflowRun run;
  run.id = id;
  run.created_at = created;
  run.updated_at = created;
  run.status = std::move(status);
  run.conclusion = std::move(conclusion);
  run.head_repository = "ROCm/TheRock";
  return run;
}

// A storage world: "bucket/path" -> file names; records each listing.
struct Storage {
  std::map<std::string, std::vector<std::string>> files;
  std::vector<std::string> listed;

  ListRunFiles lister() {
    return [this](const RunStorage& s) {
      const std::string where = s.bucket + "/" + s.path;
      listed.push_back(where);
      const auto it = files.find(where);
      return it == files.end() ? std::vector<std::string>{} : it->second;
    };
  }
};

FindOptions options(std::vector<std::string> groups) {
  FindOptions o;
  o.platform = "linux";
  o.groups = std::move(groups);
  return o;
}

const std::string k_ci = "therock-ci-artifacts/";

TEST(Find, NewestRunWithTheGroupWins) {
  Storage s;
  s.files[k_ci + "30-linux/"] = {"rocblas_lib_gfx94X-dcgpu.tar.zst"};
  s.files[k_ci + "20-linux/"] = {"hip_lib_gfx94X-dcgpu.tar.zst"};
  const auto out =
      find_in_runs({make_run(30, "2026-03-02T00:00:00Z"), make_run(20, "2026-03-01T00:00:00Z")},
                   options({"gfx94X-dcgpu"}),
                   s.lister());
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.results[0].run.id, 30u);
  EXPECT_EQ(out.results[0].storage.path, "30-linux/");
  EXPECT_EQ(out.results[0].artifacts, std::vector<std::string>{"rocblas_lib_gfx94X-dcgpu.tar.zst"});
  EXPECT_EQ(s.listed, std::vector<std::string>{k_ci + "30-linux/"}); // stops once satisfied
  EXPECT_TRUE(out.missing_groups.empty());
}

TEST(Find, GroupsAccumulateAcrossRetriggeredRunsAndOlderNeverReplacesNewer) {
  // The newest (manually retriggered) run built gfx120X; the older one gfx110X
  // and gfx120X. gfx120X must come from the newer run.
  Storage s;
  s.files[k_ci + "30-linux/"] = {"rocblas_lib_gfx120X-all.tar.zst"};
  s.files[k_ci + "20-linux/"] = {"rocblas_lib_gfx110X-all.tar.zst",
                                 "miopen_lib_gfx120X-all.tar.zst"};
  const auto out =
      find_in_runs({make_run(30, "2026-03-02T00:00:00Z"), make_run(20, "2026-03-01T00:00:00Z")},
                   options({"gfx110X-all", "gfx120X-all", "gfx110X-all"}),
                   s.lister());
  ASSERT_EQ(out.results.size(), 3u); // duplicates repeated, in argument order
  EXPECT_EQ(out.results[0].group, "gfx110X-all");
  EXPECT_EQ(out.results[0].run.id, 20u);
  EXPECT_EQ(out.results[1].group, "gfx120X-all");
  EXPECT_EQ(out.results[1].run.id, 30u);
  EXPECT_EQ(out.results[1].artifacts, std::vector<std::string>{"rocblas_lib_gfx120X-all.tar.zst"});
  EXPECT_EQ(out.results[2].run.id, 20u);
  EXPECT_EQ(out.runs_listed, 2);
}

TEST(Find, SingleRunNeverCombinesRuns) {
  Storage s;
  s.files[k_ci + "30-linux/"] = {"rocblas_lib_gfx120X-all.tar.zst"};
  s.files[k_ci + "20-linux/"] = {"rocblas_lib_gfx110X-all.tar.zst"};
  auto o = options({"gfx110X-all", "gfx120X-all"});
  o.require_single_run = true;
  const auto runs = std::vector<WorkflowRun>{make_run(30, "2026-03-02T00:00:00Z"),
                                             make_run(20, "2026-03-01T00:00:00Z")};
  const auto none = find_in_runs(runs, o, s.lister());
  EXPECT_TRUE(none.results.empty());
  EXPECT_EQ(none.missing_groups, (std::vector<std::string>{"gfx110X-all", "gfx120X-all"}));
  // An older run holding both is chosen as a whole.
  s.files[k_ci + "20-linux/"].push_back("x_lib_gfx120X-all.tar.zst");
  const auto both = find_in_runs(runs, o, s.lister());
  ASSERT_EQ(both.results.size(), 2u);
  EXPECT_EQ(both.results[0].run.id, 20u);
  EXPECT_EQ(both.results[1].run.id, 20u);
  EXPECT_EQ(both.results[1].artifacts, std::vector<std::string>{"x_lib_gfx120X-all.tar.zst"});
}

TEST(Find, SuccessfulRunModeSkipsOthersBeforeListing) {
  Storage s;
  s.files[k_ci + "30-linux/"] = {"rocblas_lib_gfx94X-dcgpu.tar.zst"};
  s.files[k_ci + "20-linux/"] = {"hip_lib_gfx94X-dcgpu.tar.zst"};
  auto o = options({"gfx94X-dcgpu"});
  o.require_successful_run = true;
  const auto out = find_in_runs({make_run(30, "2026-03-02T00:00:00Z", "in_progress", std::nullopt),
                                 make_run(25, "2026-03-01T12:00:00Z", "completed", "failure"),
                                 make_run(20, "2026-03-01T00:00:00Z")},
                                o,
                                s.lister());
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.results[0].run.id, 20u);
  EXPECT_EQ(s.listed, std::vector<std::string>{k_ci + "20-linux/"});
  EXPECT_EQ(out.rejections[0], "run 30 (in_progress): skipped, not completed with success");
}

TEST(Find, GenericOnlyPrefixDoesNotCountAsAFamily) {
  Storage s;
  s.files[k_ci + "30-linux/"] = {"base_lib_generic.tar.zst", "amd-llvm_lib_generic.tar.zst"};
  s.files[k_ci + "20-linux/"] = {"base_lib_generic.tar.zst", "rocblas_lib_gfx942.tar.zst"};
  const auto out = find_in_runs({make_run(30, "2026-03-02T00:00:00Z", "in_progress", std::nullopt),
                                 make_run(20, "2026-03-01T00:00:00Z")},
                                options({"gfx94X-dcgpu"}),
                                s.lister());
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.results[0].run.id, 20u); // family expansion: gfx942 is in gfx94X-dcgpu
  EXPECT_EQ(out.results[0].artifacts,
            (std::vector<std::string>{"base_lib_generic.tar.zst", "rocblas_lib_gfx942.tar.zst"}));
  EXPECT_EQ(out.rejections[0],
            "run 30 (in_progress) at s3://therock-ci-artifacts/30-linux/: gfx94X-dcgpu absent");
}

TEST(Find, ExplicitTargetsMatchSplitArtifactsCaseInsensitively) {
  Storage s;
  s.files[k_ci + "30-linux/"] = {"rocblas_lib_GFX1151:xnack+.tar.zst"};
  auto o = options({"gfx-custom"});
  const auto runs = std::vector<WorkflowRun>{make_run(30, "2026-03-02T00:00:00Z")};
  EXPECT_TRUE(find_in_runs(runs, o, s.lister()).results.empty());
  o.targets = {"gfx1151"};
  EXPECT_EQ(find_in_runs(runs, o, s.lister()).results.size(), 1u);
  o.groups = {"gfx110X-all", "gfx120X-all"};
  EXPECT_ERROR(find_in_runs(runs, o, s.lister()),
               UsageError,
               "explicit targets only with one artifact group");
}

TEST(Find, RequiredPatternRejectsARunMissingIt) {
  Storage s;
  s.files[k_ci + "30-linux/"] = {"rccl_lib_gfx94X-dcgpu.tar.zst"};
  s.files[k_ci + "20-linux/"] = {"rccl_lib_gfx942.tar.zst"};
  auto o = options({"gfx94X-dcgpu"});
  o.required_patterns = {R"(^rccl_lib_gfx942\.tar\.zst$)"};
  const auto out = find_in_runs(
      {make_run(30, "2026-03-02T00:00:00Z"), make_run(20, "2026-03-01T00:00:00Z")}, o, s.lister());
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.results[0].run.id, 20u);
  EXPECT_EQ(
      out.rejections[0],
      R"(run 30 (completed/success) at s3://therock-ci-artifacts/30-linux/: gfx94X-dcgpu lacks required ^rccl_lib_gfx942\.tar\.zst$)");
  o.required_patterns = {"(unclosed"};
  EXPECT_ERROR(find_in_runs({}, o, s.lister()), UsageError, "(unclosed");
}

TEST(Find, LegacyBucketForARunUpdatedBeforeTheCutover) {
  Storage s;
  s.files["therock-artifacts/18740768335-linux/"] = {"rocblas_lib_gfx110X-all.tar.xz"};
  const auto out = find_in_runs(
      {make_run(18740768335, "2025-10-14T17:44:50Z")}, options({"gfx110X-all"}), s.lister());
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.results[0].storage.bucket, "therock-artifacts");
  EXPECT_TRUE(out.results[0].storage.legacy);
}

TEST(Find, MissingLegacyBucketIsAWarningNotAnError) {
  auto o = options({"gfx110X-all"});
  const auto out = find_in_runs({make_run(18740768335, "2025-10-14T17:44:50Z")},
                                o,
                                [](const RunStorage&) -> std::vector<std::string> {
                                  throw NoSuchBucketError("The specified bucket does not exist");
                                });
  EXPECT_TRUE(out.results.empty());
  ASSERT_EQ(out.warnings.size(), 1u);
  EXPECT_NE(
      out.warnings[0].find("legacy bucket therock-artifacts of run 18740768335 does not exist"),
      std::string::npos);
  // The same error on a current bucket is an error.
  EXPECT_ERROR(find_in_runs({make_run(30, "2026-03-02T00:00:00Z")},
                            o,
                            [](const RunStorage&) -> std::vector<std::string> {
                              throw NoSuchBucketError("The specified bucket does not exist");
                            }),
               NoSuchBucketError,
               "does not exist");
}

TEST(Find, ForkRunUsesTheExternalBucketWithTheBaseRepositoryPrefix) {
  Storage s;
  s.files["therock-ci-artifacts-external/ROCm-TheRock/20384488184-linux/"] = {
      "rocblas_lib_gfx110X-all.tar.zst"};
  auto run = make_run(20384488184, "2025-12-19T20:31:09Z", "completed", "failure");
  run.head_repository = "ScottTodd/TheRock";
  const auto out = find_in_runs({run}, options({"gfx110X-all"}), s.lister());
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.results[0].storage.bucket, "therock-ci-artifacts-external");
  EXPECT_EQ(out.results[0].storage.external_repo, "ROCm-TheRock/");
  EXPECT_EQ(out.results[0].storage.path, "ROCm-TheRock/20384488184-linux/");
}

TEST(Find, BucketOverrideBypassesSelection) {
  Storage s;
  s.files["my-mirror/30-windows/"] = {"rocblas_lib_gfx110X-all.tar.zst"};
  auto o = options({"gfx110X-all"});
  o.platform = "windows";
  o.bucket_inputs.bucket_override = "my-mirror";
  auto run = make_run(30, "2025-10-01T00:00:00Z");
  run.head_repository = "Fork/TheRock";
  const auto out = find_in_runs({run}, o, s.lister());
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.results[0].storage.path, "30-windows/");
}

TEST(Find, PartialResultListsTheMissingGroups) {
  Storage s;
  s.files[k_ci + "30-linux/"] = {"rocblas_lib_gfx94X-dcgpu.tar.zst"};
  const auto out = find_in_runs({make_run(30, "2026-03-02T00:00:00Z")},
                                options({"gfx94X-dcgpu", "gfx950-dcgpu"}),
                                s.lister());
  EXPECT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.missing_groups, std::vector<std::string>{"gfx950-dcgpu"});
}

TEST(Find, InvalidPlatformIsAUsageError) {
  auto o = options({"gfx94X-dcgpu"});
  o.platform = "darwin";
  EXPECT_ERROR(validate_find_options(o), UsageError, "invalid platform 'darwin'");
}

TEST(DefaultWorkflows, PerRepositoryTable) {
  EXPECT_EQ(default_workflows("ROCm/TheRock"),
            (std::vector<std::string>{"multi_arch_ci.yml", "ci.yml"}));
  EXPECT_EQ(default_workflows("ROCm/rocm-libraries"), std::vector<std::string>{"therock-ci.yml"});
  EXPECT_EQ(default_workflows("ROCm/rocm-systems"), std::vector<std::string>{"therock-ci.yml"});
  EXPECT_EQ(default_workflows("someone/TheRock"), std::vector<std::string>{"multi_arch_ci.yml"});
}

} // namespace
} // namespace rockart::github
