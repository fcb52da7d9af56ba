// SPDX-License-Identifier: MIT
// plan_real_scale (tools/gen_artifacts/plan.cpp): the --scale real set of
// rockart-gen-artifacts has a real run's names, counts and size spread, and the
// same options always give the same plan.
#include "generator.hpp"

#include <rockart/error.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace rockart::testdata {
namespace {

std::uint64_t total_of(const std::vector<ArchiveSpec>& plan) {
  std::uint64_t total = 0;
  for (const ArchiveSpec& spec : plan) {
    total += spec.size;
  }
  return total;
}

const ArchiveSpec& largest_of(const std::vector<ArchiveSpec>& plan) {
  return *std::max_element(
      plan.begin(), plan.end(), [](const auto& a, const auto& b) { return a.size < b.size; });
}

TEST(RealScalePlan, HasTheArchiveCountOfOneFamilysView) {
  const auto plan = plan_real_scale({});
  EXPECT_GE(plan.size(), 200U);
  EXPECT_LE(plan.size(), 270U);
  const auto generic = std::count_if(
      plan.begin(), plan.end(), [](const ArchiveSpec& spec) { return spec.family == "generic"; });
  EXPECT_EQ(generic, 252);
  EXPECT_EQ(plan.size() - static_cast<size_t>(generic), 14U);
  std::set<std::string> artifacts;
  for (const ArchiveSpec& spec : plan) {
    artifacts.insert(spec.name);
  }
  EXPECT_EQ(artifacts.size(), 64U);
}

TEST(RealScalePlan, FileNamesAreUnique) {
  const auto plan = plan_real_scale({});
  std::set<std::string> names;
  for (const ArchiveSpec& spec : plan) {
    EXPECT_TRUE(names.insert(spec.file_name()).second) << spec.file_name();
  }
}

TEST(RealScalePlan, PerTargetArchivesAreNamedByTheTarget) {
  RealScaleOptions options;
  options.target = "gfx90a";
  size_t per_target = 0;
  for (const ArchiveSpec& spec : plan_real_scale(options)) {
    ASSERT_TRUE(spec.family == "generic" || spec.family == "gfx90a") << spec.file_name();
    if (spec.family != "generic") {
      EXPECT_TRUE(spec.file_name().ends_with("_gfx90a.tar.zst")) << spec.file_name();
      ++per_target;
    }
    EXPECT_EQ(spec.name.find('_'), std::string::npos);
    EXPECT_EQ(spec.component.find('_'), std::string::npos);
    EXPECT_EQ(spec.relpaths, std::vector<std::string>{spec.name + "/stage"});
  }
  EXPECT_EQ(per_target, 14U);
}

TEST(RealScalePlan, LargestArchiveTakesAboutAFifth) {
  const auto plan = plan_real_scale({});
  const ArchiveSpec& largest = largest_of(plan);
  EXPECT_EQ(largest.file_name(), "blas_lib_gfx942.tar.zst");
  const double share = static_cast<double>(largest.size) / static_cast<double>(total_of(plan));
  EXPECT_GT(share, 0.15);
  EXPECT_LT(share, 0.25);
}

TEST(RealScalePlan, MostArchivesAreSmall) {
  const auto plan = plan_real_scale({});
  const std::uint64_t total = total_of(plan);
  const auto small = std::count_if(plan.begin(), plan.end(), [&](const ArchiveSpec& spec) {
    return spec.size * 1000 < total; // under 0.1 % of the set
  });
  const auto large = std::count_if(plan.begin(), plan.end(), [&](const ArchiveSpec& spec) {
    return spec.size * 40 > total; // over 2.5 %
  });
  EXPECT_GT(small, static_cast<std::ptrdiff_t>(plan.size() / 2));
  EXPECT_GE(large, 3);
  EXPECT_LE(large, 12);
}

TEST(RealScalePlan, SizesAddUpToTheTotal) {
  EXPECT_NEAR(static_cast<double>(total_of(plan_real_scale({}))),
              static_cast<double>(k_real_scale_total),
              0.01 * static_cast<double>(k_real_scale_total));
  RealScaleOptions small;
  small.total_size = std::uint64_t{200} << 20;
  const auto plan = plan_real_scale(small);
  EXPECT_NEAR(static_cast<double>(total_of(plan)),
              static_cast<double>(small.total_size),
              0.02 * static_cast<double>(small.total_size));
  for (const ArchiveSpec& spec : plan) {
    EXPECT_GE(spec.size, 16U * 1024) << spec.file_name();
  }
}

TEST(RealScalePlan, SameOptionsSamePlan) {
  RealScaleOptions options;
  options.seed = 7;
  options.compression = archive::Compression::xz;
  options.level = 2;
  const auto first = plan_real_scale(options);
  const auto second = plan_real_scale(options);
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].file_name(), second[i].file_name());
    EXPECT_EQ(first[i].size, second[i].size);
    EXPECT_EQ(first[i].relpaths, second[i].relpaths);
    EXPECT_EQ(first[i].seed, 7U);
    EXPECT_EQ(first[i].level, 2);
    EXPECT_TRUE(first[i].file_name().ends_with(".tar.xz"));
  }
}

TEST(RealScalePlan, RejectsTargetsThatCannotFormAName) {
  for (const std::string target : {"", "gfx_942", "gfx942/x"}) {
    RealScaleOptions options;
    options.target = target;
    try {
      plan_real_scale(options);
      ADD_FAILURE() << "accepted target '" << target << "'";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("--target '" + target + "'"), std::string::npos)
          << e.what();
    }
  }
}

} // namespace
} // namespace rockart::testdata
