// SPDX-License-Identifier: MIT
// The compiled-in AMDGPU family map and base-arch helpers (spec/artifacts.md §4, §9).
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/families.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace rockart::layout {
namespace {

const std::filesystem::path k_json_path =
    std::filesystem::path(ROCKART_SOURCE_DIR) / "data" / "amdgpu_families.json";

TEST(AmdgpuFamilies, EmbeddedTextIsByteIdenticalToDataFile) {
  EXPECT_EQ(std::string(amdgpu_families_json()), test::read_file(k_json_path));
}

TEST(AmdgpuFamilies, ParsedMapKeepsFileContentAndKeyOrder) {
  // An independent parse of the project's data file (ordered, as §9 fixes key order).
  const auto reference = nlohmann::ordered_json::parse(test::read_file(k_json_path));
  const auto& families = amdgpu_families().families();
  ASSERT_EQ(families.size(), reference.size());
  size_t i = 0;
  for (const auto& [name, targets] : reference.items()) {
    EXPECT_EQ(families[i].name, name);
    EXPECT_EQ(families[i].targets, targets.get<std::vector<std::string>>()) << name;
    ++i;
  }
}

TEST(AmdgpuFamilies, HasTheSpecCounts) {
  // §9: "The result (28 targets, 53 families)".
  EXPECT_EQ(amdgpu_families().families().size(), 53U);
  EXPECT_EQ(amdgpu_families().all_targets().size(), 28U);
}

TEST(AmdgpuFamilies, TargetsAreTheProductsListedInTheSpec) {
  // §9 "Targets and product names".
  const std::set<std::string> spec_targets = {
      "gfx900",  "gfx90c",  "gfx906",  "gfx908",  "gfx90a",  "gfx942",  "gfx950",
      "gfx1010", "gfx1011", "gfx1012", "gfx1030", "gfx1031", "gfx1032", "gfx1033",
      "gfx1034", "gfx1035", "gfx1036", "gfx1100", "gfx1101", "gfx1102", "gfx1103",
      "gfx1150", "gfx1151", "gfx1152", "gfx1153", "gfx1200", "gfx1201", "gfx1250"};
  const auto targets = amdgpu_families().all_targets();
  EXPECT_EQ(std::set<std::string>(targets.begin(), targets.end()), spec_targets);
}

TEST(AmdgpuFamilies, EveryTargetIsAFamilyOfOne) {
  for (const auto& target : amdgpu_families().all_targets()) {
    EXPECT_EQ(expand_family(target), std::vector<std::string>{target}) << target;
  }
}

TEST(AmdgpuFamilies, EveryUnsuffixedCiArtifactGroupIsAFamily) {
  // §9 "Families used as CI artifact groups".
  for (const char* group : {"gfx94X-dcgpu",
                            "gfx110X-all",
                            "gfx1151",
                            "gfx120X-all",
                            "gfx90a",
                            "gfx950-dcgpu",
                            "gfx900",
                            "gfx90c",
                            "gfx906",
                            "gfx908",
                            "gfx101X-dgpu",
                            "gfx103X-all",
                            "gfx1150",
                            "gfx1152",
                            "gfx1153",
                            "gfx125X-dcgpu"}) {
    EXPECT_NE(amdgpu_families().find(group), nullptr) << group;
  }
}

struct ExpandCase {
  const char* name;
  std::vector<std::string> targets;
};

TEST(AmdgpuFamilies, ExpandFamilyTable) {
  const std::vector<ExpandCase> cases = {
      {"gfx94X-dcgpu", {"gfx942"}},
      {"gfx942", {"gfx942"}},
      {"gfx950-dcgpu", {"gfx950"}},
      {"gfx110X-all", {"gfx1100", "gfx1101", "gfx1102", "gfx1103"}},
      {"gfx110X-dgpu", {"gfx1100", "gfx1101", "gfx1102"}},
      {"gfx120X-all", {"gfx1200", "gfx1201"}},
      {"gfx103X-igpu", {"gfx1033", "gfx1035", "gfx1036"}},
      {"dcgpu-all", {"gfx908", "gfx90a", "gfx942", "gfx950", "gfx1250"}},
      {"gfx125X-dcgpu", {"gfx1250"}},
      // Non-strict: unknown names expand to nothing.
      {"gfx950-dcgpu-asan", {}}, // suffixed groups are not in the map (§9)
      {"gfx94X-dcgpu-host-asan", {}},
      {"gfx90X-dcgpu", {}},  // open question 9: not a family
      {"GFX94X-DCGPU", {}},  // lookups are case-sensitive
      {"gfx942:xnack+", {}}, // feature-suffixed targets are not families
      {"", {}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(expand_family(c.name), c.targets) << c.name;
  }
}

TEST(AmdgpuFamilies, StrictExpansionRejectsUnknownFamilies) {
  EXPECT_EQ(expand_family_strict("gfx94X-dcgpu"), std::vector<std::string>{"gfx942"});
  EXPECT_ERROR(
      expand_family_strict("gfx90X-dcgpu"), UsageError, "unknown AMDGPU family 'gfx90X-dcgpu'");
  try {
    expand_family_strict("gfx94x-dcgpu");
    ADD_FAILURE() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(e.hint().find("known families (case-sensitive): gfx900, dgpu-all,"),
              std::string::npos)
        << e.hint();
  }
}

struct BadJsonCase {
  const char* json;
  const char* message;
};

TEST(FamilyMap, ParseJsonErrorsNameTheProblem) {
  const std::vector<BadJsonCase> cases = {
      {"{", "AMDGPU family map is not valid JSON: "},
      {"[1, 2]", "AMDGPU family map must be a JSON object {family: [targets]}"},
      {R"({"gfx1": "gfx1"})", "AMDGPU family map: family 'gfx1' is not a list of targets"},
      {R"({"gfx1": [1]})",
       "AMDGPU family map: family 'gfx1' has a target that is not a non-empty string"},
      {R"({"gfx1": [""]})",
       "AMDGPU family map: family 'gfx1' has a target that is not a non-empty string"},
      {R"({"": ["gfx1"]})", "AMDGPU family map: a family has an empty name"},
  };
  for (const auto& c : cases) {
    EXPECT_ERROR(FamilyMap::parse_json(c.json), ConfigError, c.message);
  }
}

TEST(FamilyMap, ParseJsonKeepsOrderAndDropsDuplicateTargets) {
  const FamilyMap map = FamilyMap::parse_json(R"({"z": ["b", "a", "b"], "a": ["c"]})");
  ASSERT_EQ(map.families().size(), 2U);
  EXPECT_EQ(map.families()[0], (AmdgpuFamily{"z", {"b", "a"}}));
  EXPECT_EQ(map.families()[1], (AmdgpuFamily{"a", {"c"}}));
  EXPECT_EQ(map.all_targets(), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(expand_family("z", map), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(map.find("missing"), nullptr);
}

struct BaseArchCase {
  const char* target;
  const char* fetch_flavour;
  const char* find_flavour;
};

TEST(BaseArch, Table) {
  // §4 edge cases (fetch/manager flavour) and §5.2 (find flavour, no fallback).
  const std::vector<BaseArchCase> cases = {
      {"gfx942:xnack+", "gfx942", "gfx942"},
      {"gfx942:xnack-", "gfx942", "gfx942"},
      {"gfx942:sramecc+:xnack-", "gfx942", "gfx942"},
      {"gfx942", "gfx942", "gfx942"},
      {"gfx94X-dcgpu", "gfx94X-dcgpu", "gfx94X-dcgpu"},
      {"gfx950-dcgpu-asan", "gfx950-dcgpu-asan", "gfx950-dcgpu-asan"},
      {"generic", "generic", "generic"},
      {"", "", ""},
      {":xnack+", ":xnack+", ""},
      {"not a target!", "not a target!", "not a target!"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(base_arch(c.target), c.fetch_flavour) << c.target;
    EXPECT_EQ(base_arch_before_colon(c.target), c.find_flavour) << c.target;
  }
}

} // namespace
} // namespace rockart::layout

namespace rockart::layout {
namespace {

TEST(CanonicalNames, GroupsMatchIgnoringCaseAndKeepTheirVariant) {
  EXPECT_EQ(canonical_group("gfx94x-dcgpu"), "gfx94X-dcgpu");
  EXPECT_EQ(canonical_group("GFX110X-ALL"), "gfx110X-all");
  EXPECT_EQ(canonical_group(" gfx1151 "), "gfx1151");
  EXPECT_EQ(canonical_group("Generic"), "generic");
  EXPECT_EQ(canonical_group("gfx94x-dcgpu-ASAN"), "gfx94X-dcgpu-asan");
  EXPECT_EQ(canonical_group("gfx110X-all-host-asan"), "gfx110X-all-host-asan");
}

TEST(CanonicalNames, AnUnknownGroupSuggestsTheClosest) {
  try {
    canonical_group("gfx94X-dcgup");
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "unknown artifact group 'gfx94X-dcgup'");
    EXPECT_EQ(e.hint().rfind("did you mean gfx94X-dcgpu", 0), 0u) << e.hint();
  }
  EXPECT_ERROR(canonical_group("nvidia"), UsageError, "unknown artifact group 'nvidia'");
}

TEST(CanonicalNames, TargetsMatchIgnoringCaseAndKeepTheirFeatures) {
  EXPECT_EQ(canonical_target("GFX942"), "gfx942");
  EXPECT_EQ(canonical_target("gfx942:xnack+"), "gfx942:xnack+");
  EXPECT_EQ(canonical_target("gfx90A"), "gfx90a");
}

TEST(CanonicalNames, AFamilyOrATypoGivenAsATargetSaysWhatToDo) {
  try {
    canonical_target("gfx94X-dcgpu");
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "'gfx94X-dcgpu' is an AMDGPU family, not a target");
    EXPECT_EQ(e.hint(),
              "pass it as --artifact-group gfx94X-dcgpu, or give its targets (gfx942) as "
              "--amdgpu-targets");
  }
  try {
    canonical_target("gfx9420");
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "unknown AMDGPU target 'gfx9420'");
    EXPECT_NE(e.hint().find("did you mean gfx942"), std::string::npos) << e.hint();
  }
}

} // namespace
} // namespace rockart::layout
