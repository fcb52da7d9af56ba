// SPDX-License-Identifier: MIT
// Selecting artifacts for a GPU request (spec/artifacts.md §5) and the regex
// filters (§6), over the spec's examples and the observed inventory of §8.1.
#include "observed_inventory.hpp"
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/artifact_select.hpp>

#include <algorithm>

namespace rockart::layout {
namespace {

using Names = std::vector<std::string>;

Names sorted(Names names) {
  std::sort(names.begin(), names.end());
  return names;
}

Names concat(Names a, const Names& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(ObservedInventory, MatchesTheSpecCounts) {
  // §8.1: "266 archives, all .tar.zst, 64 artifact names".
  EXPECT_EQ(test::observed_inventory_rows().size(), 64U);
  EXPECT_EQ(test::observed_archives(true, true).size(), 266U);
}

TEST(SplitList, TrimsAndDropsBlanks) {
  EXPECT_EQ(split_list("gfx942, ,gfx950,", ','), (Names{"gfx942", "gfx950"}));
  EXPECT_EQ(split_list("gfx94X-dcgpu;gfx110X-all", ';'), (Names{"gfx94X-dcgpu", "gfx110X-all"}));
  EXPECT_EQ(split_list("", ','), Names{});
}

// --- §5.1 fetch ---

struct FetchCase {
  const char* label;
  FetchRequest request;
  Names listing;
  Names expected;
};

TEST(SelectForFetch, SpecExamples) {
  const Names upstream = {"rocblas_lib_gfx94X.tar.xz",
                          "rocblas_lib_gfx110X.tar.xz",
                          "amd-llvm_lib_generic.tar.xz",
                          "hipblas_lib_gfx94X.tar.xz",
                          "README.md"};
  const Names split = {"blas_lib_gfx942.tar.zst",
                       "rccl_test_gfx942:xnack+.tar.zst",
                       "rccl_lib_gfx942:xnack-.tar.zst",
                       "rccl_lib_gfx950.tar.zst",
                       "base_lib_generic.tar.zst",
                       "README.md"};
  const std::vector<FetchCase> cases = {
      {"group gfx94X",
       {"gfx94X", {}},
       upstream,
       {"rocblas_lib_gfx94X.tar.xz", "amd-llvm_lib_generic.tar.xz", "hipblas_lib_gfx94X.tar.xz"}},
      {"family group is not expanded", {"gfx94X-dcgpu", {}}, split, {"base_lib_generic.tar.zst"}},
      {"target gfx942 matches plain and colon variants",
       {"gfx94X-dcgpu", {"gfx942"}},
       split,
       {"blas_lib_gfx942.tar.zst",
        "rccl_test_gfx942:xnack+.tar.zst",
        "rccl_lib_gfx942:xnack-.tar.zst",
        "base_lib_generic.tar.zst"}},
      {"target gfx942:xnack+ also selects plain gfx942",
       {std::nullopt, {"gfx942:xnack+"}},
       split,
       {"blas_lib_gfx942.tar.zst",
        "rccl_test_gfx942:xnack+.tar.zst",
        "rccl_lib_gfx942:xnack-.tar.zst",
        "base_lib_generic.tar.zst"}},
      {"case-sensitive", {"GFX94X", {}}, upstream, {"amd-llvm_lib_generic.tar.xz"}},
      {"generic is matched case-sensitively too",
       {"gfx950", {}},
       {"x_lib_GENERIC.tar.zst", "x_lib_generic.tar.zst", "rccl_lib_gfx950.tar.zst"},
       {"x_lib_generic.tar.zst", "rccl_lib_gfx950.tar.zst"}},
      {"no filter selects every archive",
       {std::nullopt, {}},
       upstream,
       {"rocblas_lib_gfx94X.tar.xz",
        "rocblas_lib_gfx110X.tar.xz",
        "amd-llvm_lib_generic.tar.xz",
        "hipblas_lib_gfx94X.tar.xz"}},
      {"empty group counts as no group",
       {"", {}},
       {"ccache_logs.tar.zst"},
       {"ccache_logs.tar.zst"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(select_for_fetch(c.listing, c.request), c.expected) << c.label;
  }
}

TEST(SelectForFetch, RequestedFamilies) {
  EXPECT_EQ(fetch_requested_families({"gfx94X-dcgpu", {"gfx942", "gfx942", "generic"}}),
            (Names{"generic", "gfx94X-dcgpu", "gfx942"}));
  EXPECT_EQ(fetch_requested_families({std::nullopt, {"gfx1100"}}), (Names{"generic", "gfx1100"}));
  EXPECT_TRUE(fetch_selects_all({std::nullopt, {}}));
  EXPECT_TRUE(fetch_selects_all({"", {}}));
  EXPECT_FALSE(fetch_selects_all({"gfx94X-dcgpu", {}}));
  EXPECT_EQ(fetch_requested_families({std::nullopt, {}}), Names{});
}

TEST(SelectForFetch, ObservedInventory) {
  const Names generic = test::observed_archives(true, false);
  const Names all = test::observed_archives(true, true);
  const Names listing = concat(all, {"blas_lib_gfx1100.tar.zst", "blas_lib_gfx110X-all.tar.zst"});
  // The group alone finds only the generic archives of a kpack-split run ...
  EXPECT_EQ(select_for_fetch(listing, {"gfx94X-dcgpu", {}}), generic);
  // ... so the install tool passes the expanded targets (§5.1 step 3).
  EXPECT_EQ(select_for_fetch(listing, {"gfx94X-dcgpu", expand_family("gfx94X-dcgpu")}), all);
}

// --- §5.2 find ---

TEST(ValidateFindGroups, DistinctGroupsAndTargetRule) {
  EXPECT_EQ(validate_find_groups({"gfx94X-dcgpu", "gfx120X-all", "gfx94X-dcgpu"}, {}),
            (Names{"gfx94X-dcgpu", "gfx120X-all"}));
  EXPECT_EQ(validate_find_groups({"gfx94X-dcgpu", "gfx94X-dcgpu"}, {"gfx942"}),
            (Names{"gfx94X-dcgpu"}));
  EXPECT_ERROR(validate_find_groups({"gfx94X-dcgpu", "gfx120X-all"}, {"gfx942"}),
               UsageError,
               "explicit targets only with one artifact group (got 2: gfx94X-dcgpu, gfx120X-all)");
  EXPECT_ERROR(validate_find_groups({}, {}),
               UsageError,
               "at least one artifact group is required (e.g. gfx94X-dcgpu)");
  EXPECT_ERROR(validate_find_groups({""}, {}), UsageError, "an artifact group must not be empty");
}

TEST(FindRequestedTargets, GroupThenExpansionThenTargets) {
  EXPECT_EQ(find_requested_targets({"gfx94X-dcgpu", {"gfx942:xnack+", "gfx942"}}),
            (Names{"gfx94X-dcgpu", "gfx942", "gfx942:xnack+"}));
  EXPECT_EQ(find_requested_targets({"gfx110X-all", {}}),
            (Names{"gfx110X-all", "gfx1100", "gfx1101", "gfx1102", "gfx1103"}));
  EXPECT_EQ(find_requested_targets({"gfx950-dcgpu-asan", {}}), (Names{"gfx950-dcgpu-asan"}));
}

struct FindCase {
  const char* label;
  FindRequest request;
  Names listing;
  bool present;
  Names selected;
};

TEST(EvaluateGroupForFind, SpecExamples) {
  const std::vector<FindCase> cases = {
      {"generic alone never proves a GPU group",
       {"gfx94X-dcgpu", {}},
       {"base_lib_generic.tar.zst"},
       false,
       {"base_lib_generic.tar.zst"}},
      {"family-named archive",
       {"gfx94X-dcgpu", {}},
       {"base_lib_generic.tar.zst", "rocblas_lib_gfx94X-dcgpu.tar.zst"},
       true,
       {"base_lib_generic.tar.zst", "rocblas_lib_gfx94X-dcgpu.tar.zst"}},
      {"per-target archive via family expansion",
       {"gfx94X-dcgpu", {}},
       {"rocblas_lib_gfx942.tar.zst", "base_lib_generic.tar.zst"},
       true,
       {"base_lib_generic.tar.zst", "rocblas_lib_gfx942.tar.zst"}},
      {"explicit target matches a colon variant",
       {"my-group", {"gfx942"}},
       {"rocblas_lib_gfx942:xnack+.tar.zst"},
       true,
       {"rocblas_lib_gfx942:xnack+.tar.zst"}},
      {"ASAN group is a literal match",
       {"gfx950-dcgpu-asan", {}},
       {"rocblas_lib_gfx950-dcgpu-asan.tar.xz", "rocblas_lib_gfx950.tar.xz"},
       true,
       {"rocblas_lib_gfx950-dcgpu-asan.tar.xz"}},
      {"targets and generic are case-insensitive",
       {"my-group", {"GFX942"}},
       {"x_lib_GENERIC.tar.zst", "x_lib_gfx942:xnack-.tar.zst"},
       true,
       {"x_lib_GENERIC.tar.zst", "x_lib_gfx942:xnack-.tar.zst"}},
      {"group case-insensitive literally, but expansion is by exact family name",
       {"GFX94X-DCGPU", {}},
       {"x_lib_gfx94X-dcgpu.tar.zst", "x_lib_gfx942.tar.zst"},
       true,
       {"x_lib_gfx94X-dcgpu.tar.zst"}},
      {"other families only",
       {"gfx94X-dcgpu", {}},
       {"x_lib_gfx1100.tar.zst", "README.md", "x_lib_gfx110X-all.tar.zst"},
       false,
       {}},
      {"generic group needs a generic archive",
       {"generic", {}},
       {"x_lib_gfx942.tar.zst"},
       false,
       {}},
      {"generic group (any case) is present with one",
       {"Generic", {}},
       {"x_lib_generic.tar.xz", "y_lib_gfx942.tar.zst"},
       true,
       {"x_lib_generic.tar.xz"}},
      {"selection is sorted and de-duplicated",
       {"gfx942", {}},
       {"z_lib_gfx942.tar.zst", "a_lib_generic.tar.zst", "z_lib_gfx942.tar.zst"},
       true,
       {"a_lib_generic.tar.zst", "z_lib_gfx942.tar.zst"}},
  };
  for (const auto& c : cases) {
    const GroupEvaluation result = evaluate_group_for_find(c.listing, c.request);
    EXPECT_EQ(result.present, c.present) << c.label;
    EXPECT_EQ(result.selected, c.selected) << c.label;
    EXPECT_TRUE(result.missing_patterns.empty()) << c.label;
  }
}

TEST(EvaluateGroupForFind, ObservedInventory) {
  const Names all = test::observed_archives(true, true);
  const GroupEvaluation dcgpu = evaluate_group_for_find(all, {"gfx94X-dcgpu", {}});
  EXPECT_TRUE(dcgpu.present);
  EXPECT_EQ(dcgpu.selected, sorted(all));
  // A run that only uploaded generic archives for gfx110X-all does not have it.
  const GroupEvaluation navi = evaluate_group_for_find(all, {"gfx110X-all", {}});
  EXPECT_FALSE(navi.present);
  EXPECT_EQ(navi.selected, sorted(test::observed_archives(true, false)));
}

TEST(EvaluateGroupForFind, RequiredPatternsAreCheckedAgainstTheSelection) {
  const Names listing = concat(test::observed_archives(true, true), {"sparse_lib_gfx1100.tar.zst"});
  const auto required = compile_patterns({R"(^amd-llvm_.*_generic\.tar\.(zst|xz)$)",
                                          R"(^rccl_lib_gfx942\.tar\.zst$)",
                                          "^sparse_lib_",
                                          "^solver_"},
                                         "required-artifact pattern");
  const GroupEvaluation result = evaluate_group_for_find(listing, {"gfx94X-dcgpu", {}}, required);
  EXPECT_FALSE(result.present);
  // sparse exists in the run, but only for gfx1100, which was not selected.
  EXPECT_EQ(result.missing_patterns, (Names{"^sparse_lib_", "^solver_"}));
  const GroupEvaluation ok =
      evaluate_group_for_find(listing, {"gfx94X-dcgpu", {}}, {required[0], required[1]});
  EXPECT_TRUE(ok.present);
  EXPECT_TRUE(ok.missing_patterns.empty());
}

// --- §5.3 artifact manager ---

TEST(ManagerRequestedFamilies, Table) {
  EXPECT_EQ(manager_requested_families({{"gfx94X-dcgpu", "gfx110X-all"}, {"gfx1201"}, false, true}),
            (Names{"generic",
                   "gfx94X-dcgpu",
                   "gfx110X-all",
                   "gfx942",
                   "gfx1100",
                   "gfx1101",
                   "gfx1102",
                   "gfx1103",
                   "gfx1201"}));
  EXPECT_EQ(manager_requested_families({{"gfx94X-dcgpu"}, {"gfx942"}, false, false}),
            (Names{"generic", "gfx94X-dcgpu", "gfx942"}));
  EXPECT_EQ(manager_requested_families({{"gfx942", "unknown-family"}, {}, false, true}),
            (Names{"generic", "gfx942", "unknown-family"}));
  EXPECT_EQ(manager_requested_families({{"gfx94X-dcgpu"}, {"gfx942"}, true, true}),
            (Names{"generic"}));
}

TEST(ParseNameList, CommasAndSemicolonsTrimmedAndChecked) {
  const std::set<std::string> known{"base", "blas", "sysdeps", "sysdeps-libnl"};
  EXPECT_EQ(parse_name_list(" blas ;sysdeps,, base;", known, "--exclude-artifacts"),
            (std::set<std::string>{"base", "blas", "sysdeps"}));
  EXPECT_TRUE(parse_name_list("", known, "--exclude-artifacts").empty());
  try {
    (void)parse_name_list("blas;sysdep", known, "--exclude-artifacts");
    ADD_FAILURE() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "unknown name 'sysdep' in --exclude-artifacts");
    EXPECT_NE(e.hint().find("did you mean sysdeps"), std::string::npos) << e.hint();
    EXPECT_NE(e.hint().find("valid: base, blas, sysdeps, sysdeps-libnl"), std::string::npos);
  }
}

TEST(SelectForManager, ZstdWinsAndOrderIsByStem) {
  const Names listing = {"rccl_lib_gfx942.tar.xz",
                         "blas_lib_generic.tar.xz",
                         "blas_lib_generic.tar.zst",
                         "blas_test_gfx942:xnack+.tar.zst",
                         "blas_dbg_generic.tar.xz",
                         "blas_lib_GFX942.tar.zst",
                         "blas_lib_gfx1100.tar.zst",
                         "hipblas_lib_generic.tar.zst",
                         "README.md"};
  const ManagerFilter filter{{"blas", "rccl"}, {"dbg"}, {"generic", "gfx942"}};
  EXPECT_EQ(select_for_manager(listing, filter),
            (Names{"blas_lib_generic.tar.zst",
                   "blas_test_gfx942:xnack+.tar.zst",
                   "rccl_lib_gfx942.tar.xz"}));
}

TEST(SelectForManager, ObservedInventoryStageFetch) {
  const Names listing = concat(test::observed_archives(true, true),
                               {"blas_lib_generic.tar.xz", "blas_lib_gfx1100.tar.zst"});
  const ManagerFilter filter{
      {"blas", "rccl"},
      {"test", "dbg"},
      manager_requested_families({{"gfx94X-dcgpu"}, {}, false, true}),
  };
  EXPECT_EQ(select_for_manager(listing, filter),
            (Names{"blas_dev_generic.tar.zst",
                   "blas_doc_generic.tar.zst",
                   "blas_lib_generic.tar.zst",
                   "blas_lib_gfx942.tar.zst",
                   "blas_run_generic.tar.zst",
                   "rccl_dev_generic.tar.zst",
                   "rccl_doc_generic.tar.zst",
                   "rccl_lib_generic.tar.zst",
                   "rccl_lib_gfx942.tar.zst",
                   "rccl_run_generic.tar.zst"}));
}

// --- §5.4 baseline ---

TEST(MissingBaselineArtifacts, ExactPairsOverAnyComponentAndExtension) {
  const Names listing =
      concat(test::observed_archives(true, true), {"oldlib_dev_gfx94X-dcgpu.tar.xz"});
  const std::vector<RequiredArtifact> required = {
      {"blas", "gfx942"},
      {" blas ", " generic "},      // trimmed
      {"core-hiptests", "generic"}, // only a test component
      {"oldlib", "gfx94X-dcgpu"},   // .tar.xz counts
      {"sparse", "generic"},        // not in the run
      {"blas", "gfx94X-dcgpu"},     // no base-arch or family logic
      {"rccl", "gfx942:xnack+"},
      {"Blas", "generic"}, // case-sensitive
  };
  EXPECT_EQ(missing_baseline_artifacts(listing, required),
            (std::vector<RequiredArtifact>{{"sparse", "generic"},
                                           {"blas", "gfx94X-dcgpu"},
                                           {"rccl", "gfx942:xnack+"},
                                           {"Blas", "generic"}}));
}

TEST(MissingBaselineArtifacts, RejectsEmptyInput) {
  EXPECT_ERROR(missing_baseline_artifacts({}, {}),
               UsageError,
               "the list of required baseline artifacts is empty");
  EXPECT_ERROR(missing_baseline_artifacts({}, {{"blas", " "}}),
               UsageError,
               "a required baseline artifact has an empty name or target family ('blas', ' ')");
}

} // namespace
} // namespace rockart::layout
