// SPDX-License-Identifier: MIT
// The figures of fetch's status line: bytes of the whole set, the network
// rate of the last seconds (not the average since the start), and the
// archives downloaded ahead that wait on disk for an extractor.
#include <rockart/fetch/progress.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rockart::fetch {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

PlannedArchive archive(const std::string& name, std::uint64_t size) {
  PlannedArchive a;
  a.name = name;
  a.size = size;
  return a;
}

TEST(ProgressModel, StatusShowsTheSetAndTheArchivesInFlight) {
  ProgressModel model(4 << 20, 2);
  const auto a = archive("a_lib_generic.tar.zst", 2 << 20);
  model.started(a, 1);
  model.received(a, 1 << 20);
  const std::string line = model.status(1.0);
  EXPECT_THAT(line, HasSubstr("[0/2] 1.0 MiB / 4.0 MiB  net 1.0 MiB/s  ETA 0:03"));
  EXPECT_THAT(line, HasSubstr("| a_lib_generic.tar.zst 50%"));
  EXPECT_THAT(line, Not(HasSubstr("on disk")));
}

TEST(ProgressModel, TheRateIsTheNetworksRecentOneNotTheAverage) {
  ProgressModel model(100 << 20, 1);
  const auto a = archive("a", 100 << 20);
  model.started(a, 1);
  model.received(a, 10 << 20);
  model.status(1.0); // 10 MiB/s in the first second
  model.status(5.0); // then nothing for a while: a stall, or extraction only
  const std::string stalled = model.status(10.0);
  EXPECT_THAT(stalled, HasSubstr("net 0 B/s"));
  EXPECT_THAT(stalled, Not(HasSubstr("ETA")));
  model.received(a, 4 << 20);
  const std::string moving = model.status(12.0);
  // 4 MiB since the sample at 5 s (the oldest within five seconds).
  EXPECT_THAT(moving, HasSubstr("net 585.1 KiB/s"));
}

TEST(ProgressModel, ArchivesStoredAheadShowAsTheBacklogOnDisk) {
  ProgressModel model(6 << 20, 3);
  const auto a = archive("a", 1 << 20);
  const auto b = archive("b", 2 << 20);
  for (const auto& x : {a, b}) {
    model.started(x, 1);
    model.received(x, x.size);
    model.stored(x);
  }
  std::string line = model.status(1.0);
  EXPECT_THAT(line, HasSubstr("on disk 2 (3.0 MiB)"));
  EXPECT_THAT(line, Not(HasSubstr("| a"))); // no longer in flight
  // An extractor takes `a` from disk: its bytes are not counted twice.
  model.started(a, 1);
  line = model.status(2.0);
  EXPECT_THAT(line, HasSubstr("3.0 MiB / 6.0 MiB"));
  EXPECT_THAT(line, HasSubstr("on disk 1 (2.0 MiB)"));
  EXPECT_THAT(line, HasSubstr("| a 100%"));
  ArchiveOutcome done;
  done.ok = true;
  done.name = b.name;
  model.finished(b, done);
  line = model.status(3.0);
  EXPECT_THAT(line, Not(HasSubstr("on disk")));
  EXPECT_THAT(line, HasSubstr("[1/3]"));
}

TEST(ProgressModel, ARetryCountsItsBytesAfresh) {
  ProgressModel model(2 << 20, 1);
  const auto a = archive("a", 2 << 20);
  model.started(a, 1);
  model.received(a, 1 << 20);
  model.started(a, 2);
  model.received(a, 512 << 10);
  EXPECT_THAT(model.status(1.0), HasSubstr("512.0 KiB / 2.0 MiB"));
}

TEST(ProgressModel, NamesInFlightOnlyWhileTheyFitTheColumns) {
  ProgressModel model(40 << 20, 4);
  for (const char* name : {"aaaa_lib_generic.tar.zst", "bbbb_lib_generic.tar.zst"}) {
    model.started(archive(name, 10 << 20), 1);
  }
  const std::string wide = model.status(1.0, 200);
  EXPECT_THAT(wide, HasSubstr("| aaaa_lib"));
  EXPECT_THAT(wide, HasSubstr("| bbbb_lib"));
  const std::size_t one_name = wide.find(" | bbbb") + 1; // the line with only the first name fits
  const std::string narrow = model.status(2.0, one_name);
  EXPECT_THAT(narrow, HasSubstr("| aaaa_lib"));
  EXPECT_THAT(narrow, Not(HasSubstr("bbbb")));
  EXPECT_LT(narrow.size(), one_name);
}

} // namespace
} // namespace rockart::fetch
