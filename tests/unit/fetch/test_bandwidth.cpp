// SPDX-License-Identifier: MIT
// --max-bandwidth: the rate's spelling, and the limit's schedule on a fake
// clock (what it asks to sleep, never how long a test takes).
#include "support/support.hpp"

#include <rockart/cache/location.hpp>
#include <rockart/error.hpp>
#include <rockart/fetch/bandwidth.hpp>

#include <gtest/gtest.h>

namespace rockart::fetch {
namespace {

using namespace std::chrono;

TEST(ParseBandwidth, AcceptsSizesWithOrWithoutPerSecond) {
  EXPECT_EQ(parse_bandwidth("1048576"), 1048576U);
  EXPECT_EQ(parse_bandwidth("500KiB/s"), 500U * 1024);
  EXPECT_EQ(parse_bandwidth("10MiB/s"), 10U << 20);
  EXPECT_EQ(parse_bandwidth("2MB"), cache::parse_size("2MB"));
}

TEST(ParseBandwidth, RejectsZeroAndNonsenseNamingTheText) {
  EXPECT_ERROR(parse_bandwidth("0"), UsageError, "invalid bandwidth '0'");
  EXPECT_ERROR(parse_bandwidth("fast"), UsageError, "invalid bandwidth 'fast'");
  EXPECT_ERROR(parse_bandwidth("/s"), UsageError, "invalid bandwidth '/s'");
}

struct FakeTime {
  steady_clock::time_point now{seconds(1000)};
  nanoseconds slept{0};
};

BandwidthLimit limit_on(FakeTime& time, std::uint64_t rate) {
  return BandwidthLimit(
      rate,
      [&time] { return time.now; },
      [&time](nanoseconds d) {
        time.slept += d;
        time.now += d;
      });
}

TEST(BandwidthLimit, ABurstPassesAndTheRestWaitsForTheRate) {
  FakeTime time;
  auto limit = limit_on(time, 1'000'000); // 1 MB/s
  limit.take(50'000);                     // 50 ms worth: within the burst
  EXPECT_EQ(time.slept, nanoseconds(0));
  limit.take(1'000'000); // one more second's worth, of which it may run 50 ms ahead
  EXPECT_NEAR(duration<double>(time.slept).count(), 0.95, 0.001);
}

TEST(BandwidthLimit, IdleTimeIsNotSavedUpBeyondOneBurst) {
  FakeTime time;
  auto limit = limit_on(time, 1'000'000);
  time.now += seconds(60); // a minute of nothing
  limit.take(2'050'000);   // 2.05 s worth: one 50 ms burst free, 50 ms run ahead
  EXPECT_NEAR(duration<double>(time.slept).count(), 1.95, 0.001);
}

TEST(BandwidthLimit, ManyTakersShareTheRate) {
  FakeTime time;
  auto limit = limit_on(time, 100'000);
  for (int i = 0; i < 100; ++i) {
    limit.take(10'000); // 100 x 10 kB = 10 s at 100 kB/s
  }
  EXPECT_NEAR(duration<double>(time.slept).count(), 10.0 - 0.1, 0.001);
}

} // namespace
} // namespace rockart::fetch
