// SPDX-License-Identifier: MIT
#include <rockart/util/terminal.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace rockart::util {
namespace {

struct StyleCase {
  const char* name;
  ProgressRequest request;
  ProgressStyle expected;
};

class ChooseProgress : public ::testing::TestWithParam<StyleCase> {};

TEST_P(ChooseProgress, DecidesFromFlagTerminalAndEnvironment) {
  EXPECT_EQ(choose_progress(GetParam().request), GetParam().expected) << GetParam().name;
}

ProgressRequest tty(std::string mode = "auto") {
  ProgressRequest request;
  request.mode = std::move(mode);
  request.stderr_is_tty = true;
  request.term = "xterm-256color";
  return request;
}

ProgressRequest with(ProgressRequest request, void (*change)(ProgressRequest&)) {
  change(request);
  return request;
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    ChooseProgress,
    ::testing::Values(
        StyleCase{"a terminal draws the bar", tty(), ProgressStyle::bar},
        StyleCase{"a pipe or file gets lines",
                  with(tty(), [](ProgressRequest& r) { r.stderr_is_tty = false; }),
                  ProgressStyle::lines},
        StyleCase{"CI=true gets lines",
                  with(tty(), [](ProgressRequest& r) { r.ci = "true"; }),
                  ProgressStyle::lines},
        StyleCase{"CI=1 gets lines",
                  with(tty(), [](ProgressRequest& r) { r.ci = "1"; }),
                  ProgressStyle::lines},
        StyleCase{"CI=false is not CI",
                  with(tty(), [](ProgressRequest& r) { r.ci = "false"; }),
                  ProgressStyle::bar},
        StyleCase{"CI= (empty) is not CI",
                  with(tty(), [](ProgressRequest& r) { r.ci = ""; }),
                  ProgressStyle::bar},
        StyleCase{"TERM=dumb gets lines",
                  with(tty(), [](ProgressRequest& r) { r.term = "dumb"; }),
                  ProgressStyle::lines},
        StyleCase{"an unset TERM still draws (ssh -T sets none, terminals do)",
                  with(tty(), [](ProgressRequest& r) { r.term.reset(); }),
                  ProgressStyle::bar},
        StyleCase{"--progress=plain on a terminal gets lines", tty("plain"), ProgressStyle::lines},
        StyleCase{"--progress=bar draws even in CI",
                  with(tty("bar"),
                       [](ProgressRequest& r) {
                         r.ci = "true";
                         r.stderr_is_tty = false;
                       }),
                  ProgressStyle::bar},
        StyleCase{"-q wins over --progress=bar",
                  with(tty("bar"), [](ProgressRequest& r) { r.quiet = true; }),
                  ProgressStyle::none}));

TEST(FitToWidth, KeepsTheLastColumnFree) {
  EXPECT_EQ(fit_to_width("abcdef", 80), "abcdef");
  EXPECT_EQ(fit_to_width("abcdef", 7), "abcdef");
  EXPECT_EQ(fit_to_width("abcdef", 6), "abcde");
  EXPECT_EQ(fit_to_width("abcdef", 3), "ab");
  EXPECT_EQ(fit_to_width("abcdef", 1), "");
  EXPECT_EQ(fit_to_width("abcdef", 0), "");
  EXPECT_EQ(fit_to_width("", 10), "");
}

TEST(FitToWidth, CutsBetweenCodePointsAndCountsEachAsOneCell) {
  const std::string line = "a\xC3\xA9z\xE2\x86\x92q"; // a é z → q: 5 code points, 8 bytes
  EXPECT_EQ(fit_to_width(line, 6), line);
  EXPECT_EQ(fit_to_width(line, 5), "a\xC3\xA9z\xE2\x86\x92");
  EXPECT_EQ(fit_to_width(line, 3), "a\xC3\xA9");
  EXPECT_EQ(fit_to_width(line, 2), "a");
}

TEST(CiIsSet, OnlyValuesThatMeanYes) {
  EXPECT_FALSE(ci_is_set(std::nullopt));
  EXPECT_FALSE(ci_is_set(std::string{}));
  EXPECT_FALSE(ci_is_set(std::string{"0"}));
  EXPECT_FALSE(ci_is_set(std::string{"false"}));
  EXPECT_TRUE(ci_is_set(std::string{"true"}));
  EXPECT_TRUE(ci_is_set(std::string{"yes"}));
}

} // namespace
} // namespace rockart::util
