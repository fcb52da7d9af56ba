// SPDX-License-Identifier: MIT
// plan_fetch: spec/artifacts.md §5.1 and §6.1 examples, .tar.zst preference
// (§5.1.4), companions, and issue 5 item 2 (unmatched include patterns).
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/fetch/plan.hpp>

#include <gtest/gtest.h>

namespace rockart::fetch {
namespace {

std::vector<runs::RunFile> listing(const std::vector<std::string>& names) {
  std::vector<runs::RunFile> files;
  std::uint64_t size = 100;
  for (const auto& name : names) {
    files.push_back({name, size++, "etag-" + name});
  }
  return files;
}

std::vector<std::string> names(const FetchPlan& plan) {
  std::vector<std::string> out;
  for (const auto& archive : plan.archives) {
    out.push_back(archive.name);
  }
  return out;
}

struct SelectionCase {
  std::string label;
  std::vector<std::string> files;
  std::optional<std::string> group;
  std::vector<std::string> targets;
  std::vector<std::string> includes;
  std::vector<std::string> excludes;
  std::vector<std::string> expected;
};

TEST(FetchPlan, SelectsPerSpecExamples) {
  const std::vector<std::string> upstream = {"rocblas_lib_gfx94X.tar.xz",
                                             "rocblas_lib_gfx110X.tar.xz",
                                             "amd-llvm_lib_generic.tar.xz",
                                             "hipblas_lib_gfx94X.tar.xz",
                                             "README.md"};
  const std::vector<std::string> ff = {"foo_test_generic.tar.zst",
                                       "foo_run_generic.tar.zst",
                                       "bar_test_generic.tar.zst",
                                       "bar_run_generic.tar.zst"};
  const std::vector<SelectionCase> cases = {
      {"§5.1 group gfx94X",
       upstream,
       "gfx94X",
       {},
       {},
       {},
       {"amd-llvm_lib_generic.tar.xz", "hipblas_lib_gfx94X.tar.xz", "rocblas_lib_gfx94X.tar.xz"}},
      {"§5.1.1 nothing requested: every archive, README ignored",
       upstream,
       std::nullopt,
       {},
       {},
       {},
       {"amd-llvm_lib_generic.tar.xz",
        "hipblas_lib_gfx94X.tar.xz",
        "rocblas_lib_gfx110X.tar.xz",
        "rocblas_lib_gfx94X.tar.xz"}},
      {"§5.1 group without target misses gfx942",
       {"blas_lib_gfx942.tar.zst"},
       "gfx94X-dcgpu",
       {},
       {},
       {},
       {}},
      {"§5.1 target gfx942 selects it",
       {"blas_lib_gfx942.tar.zst"},
       "gfx94X-dcgpu",
       {"gfx942"},
       {},
       {},
       {"blas_lib_gfx942.tar.zst"}},
      {"§5.1 xnack variants",
       {"rccl_test_gfx942:xnack+.tar.zst", "rccl_lib_gfx942:xnack-.tar.zst"},
       std::nullopt,
       {"gfx942"},
       {},
       {},
       {"rccl_lib_gfx942:xnack-.tar.zst", "rccl_test_gfx942:xnack+.tar.zst"}},
      {"§6.1 include foo",
       ff,
       std::nullopt,
       {},
       {"foo"},
       {},
       {"foo_run_generic.tar.zst", "foo_test_generic.tar.zst"}},
      {"§6.1 includes foo, test",
       ff,
       std::nullopt,
       {},
       {"foo", "test"},
       {},
       {"bar_test_generic.tar.zst", "foo_run_generic.tar.zst", "foo_test_generic.tar.zst"}},
      {"§6.1 exclude wins", ff, std::nullopt, {}, {"foo"}, {"test"}, {"foo_run_generic.tar.zst"}},
      {"§5.1.4 zstd preferred",
       {"blas_lib_generic.tar.xz", "blas_lib_generic.tar.zst", "fft_lib_generic.tar.xz"},
       std::nullopt,
       {},
       {},
       {},
       {"blas_lib_generic.tar.zst", "fft_lib_generic.tar.xz"}},
  };
  for (const auto& c : cases) {
    PlanRequest request;
    request.gpu.group = c.group;
    request.gpu.targets = c.targets;
    request.includes = c.includes;
    request.excludes = c.excludes;
    EXPECT_EQ(names(plan_fetch(listing(c.files), request)), c.expected) << c.label;
  }
}

TEST(FetchPlan, NoExtractKeepsBothCompressions) {
  PlanRequest request;
  request.keep_both_compressions = true;
  const auto plan =
      plan_fetch(listing({"blas_lib_generic.tar.xz", "blas_lib_generic.tar.zst"}), request);
  EXPECT_EQ(names(plan),
            (std::vector<std::string>{"blas_lib_generic.tar.xz", "blas_lib_generic.tar.zst"}));
}

TEST(FetchPlan, AttachesCompanionsAndSizes) {
  const auto plan = plan_fetch({{"a_lib_generic.tar.zst", 42, "e1"},
                                {"a_lib_generic.tar.zst.sha256sum", 65, "e2"},
                                {"b_lib_generic.tar.zst", 7, "e3"}},
                               {});
  ASSERT_EQ(plan.archives.size(), 2u);
  EXPECT_EQ(plan.archives[0].size, 42u);
  // The companion keeps its ETag: its digest is cached under it.
  EXPECT_EQ(plan.archives[0].companion,
            (runs::RunFile{"a_lib_generic.tar.zst.sha256sum", 65, "e2"}));
  EXPECT_EQ(plan.archives[1].companion, std::nullopt);
  EXPECT_TRUE(plan.all);
}

TEST(FetchPlan, ReportsUnmatchedIncludes) {
  PlanRequest request;
  request.includes = {"blas", "^nope_", "fft"};
  request.excludes = {"fft"};
  const auto plan =
      plan_fetch(listing({"blas_lib_generic.tar.zst", "fft_lib_generic.tar.zst"}), request);
  EXPECT_EQ(names(plan), (std::vector<std::string>{"blas_lib_generic.tar.zst"}));
  // "fft" matched a listed archive, but the exclude removed it: nothing of it is fetched.
  EXPECT_EQ(plan.unmatched_includes, (std::vector<std::string>{"^nope_", "fft"}));
}

TEST(FetchPlan, RequestedFamiliesAndCounts) {
  PlanRequest request;
  request.gpu.group = "gfx94X-dcgpu";
  request.gpu.targets = {"gfx942"};
  const auto plan = plan_fetch(
      listing({"blas_lib_gfx942.tar.zst", "blas_lib_generic.tar.zst", "x_lib_gfx110X.tar.zst"}),
      request);
  EXPECT_EQ(plan.requested_families,
            (std::vector<std::string>{"generic", "gfx94X-dcgpu", "gfx942"}));
  EXPECT_EQ(plan.gpu_selected, 2u);
  EXPECT_FALSE(plan.all);
}

TEST(FetchPlan, AFamilyExpandsToItsTargetsOnAKpackSplitRun) {
  const auto files = listing({"blas_lib_generic.tar.zst", "blas_lib_gfx942.tar.zst"});
  PlanRequest request;
  request.gpu.group = "gfx94X-dcgpu";
  request.gpu.expand_family = true;
  auto plan = plan_fetch(files, request);
  EXPECT_EQ(names(plan),
            (std::vector<std::string>{"blas_lib_generic.tar.zst", "blas_lib_gfx942.tar.zst"}));
  EXPECT_EQ(plan.requested_families,
            (std::vector<std::string>{"generic", "gfx94X-dcgpu", "gfx942"}));
  EXPECT_FALSE(plan.host_only);

  // The literal set (--no-expand-family) finds only the generic archive: host-only.
  request.gpu.expand_family = false;
  plan = plan_fetch(files, request);
  EXPECT_EQ(names(plan), (std::vector<std::string>{"blas_lib_generic.tar.zst"}));
  EXPECT_TRUE(plan.host_only);
  EXPECT_EQ(plan.run_families, (std::vector<std::string>{"gfx942"}));
}

TEST(FetchPlan, ExplicitTargetsAreUsedAsGivenNotExpanded) {
  PlanRequest request;
  request.gpu.group = "gfx110X-all";
  request.gpu.targets = {"gfx1100"};
  request.gpu.expand_family = true;
  const auto plan = plan_fetch(
      listing({"a_lib_generic.tar.zst", "a_lib_gfx1100.tar.zst", "a_lib_gfx1101.tar.zst"}),
      request);
  EXPECT_EQ(names(plan),
            (std::vector<std::string>{"a_lib_generic.tar.zst", "a_lib_gfx1100.tar.zst"}));
}

TEST(FetchPlan, HostOnlyOnlyWhenAGpuWasAsked) {
  const auto files = listing({"a_lib_generic.tar.zst", "a_lib_gfx1100.tar.zst"});
  PlanRequest request;
  request.gpu.group = "generic";
  EXPECT_FALSE(plan_fetch(files, request).host_only);
  request.gpu.group.reset();
  EXPECT_FALSE(plan_fetch(files, request).host_only); // everything
  request.gpu.targets = {"gfx942"};
  const auto plan = plan_fetch(files, request);
  EXPECT_TRUE(plan.host_only);
  EXPECT_EQ(plan.run_families, (std::vector<std::string>{"gfx1100"}));
  // An include that keeps only generic archives is not host-only: the GPU
  // selection had device code and the user narrowed it on purpose.
  request.gpu.targets = {"gfx1100"};
  request.includes = {"_generic"};
  EXPECT_FALSE(plan_fetch(files, request).host_only);
}

TEST(FetchPlan, InvalidRegexIsAUsageError) {
  PlanRequest request;
  request.excludes = {"("};
  EXPECT_ERROR(plan_fetch({}, request), UsageError, "invalid exclude pattern '('");
}

} // namespace
} // namespace rockart::fetch
