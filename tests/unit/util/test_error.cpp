// SPDX-License-Identifier: MIT
// with_context(): context is added to the message and the hint, never to the
// class, so an error keeps its kind and its exit code however often it is wrapped.
#include "support/support.hpp"

#include <rockart/error.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rockart {
namespace {

struct Case {
  const char* kind;
  ExitCode exit_code;
  std::function<void()> raise;
};

// The error that escapes with_context() around `raise`, if it is an `Expected`.
template <typename Expected>
std::optional<Expected> wrapped(const std::function<void()>& raise, const std::string& hint) {
  try {
    with_context("cannot look up run 7 of ROCm/TheRock", hint, raise);
  } catch (const Expected& e) {
    return e;
  } catch (...) {
  }
  return std::nullopt;
}

TEST(WithContext, KeepsKindAndExitCodeOfEveryClass) {
  const std::vector<Case> cases = {
      {"usage",
       ExitCode::error,
       [] {
         throw UsageError("bad flag");
       }},
      {"config",
       ExitCode::error,
       [] {
         throw ConfigError("bad file");
       }},
      {"auth",
       ExitCode::error,
       [] {
         throw AuthError("rejected");
       }},
      {"integrity",
       ExitCode::error,
       [] {
         throw IntegrityError("mismatch");
       }},
      {"archive",
       ExitCode::error,
       [] {
         throw ArchiveError("damaged");
       }},
      {"local-io",
       ExitCode::error,
       [] {
         throw LocalIoError("disk full");
       }},
      {"not-found",
       ExitCode::not_found,
       [] {
         throw NotFoundError("no run");
       }},
      {"not-found",
       ExitCode::not_found,
       [] {
         throw NoSuchBucketError("no bucket");
       }},
      {"network",
       ExitCode::error,
       [] {
         throw NetworkError("reset");
       }},
      {"remote",
       ExitCode::error,
       [] {
         throw RemoteError("HTTP 500", 500, "InternalError");
       }},
  };
  for (const auto& c : cases) {
    bool caught = false;
    try {
      with_context("ctx", "", c.raise);
    } catch (const Error& e) {
      caught = true;
      EXPECT_STREQ(e.kind(), c.kind);
      EXPECT_EQ(e.exit_code(), c.exit_code) << c.kind;
      EXPECT_TRUE(std::string(e.what()).starts_with("ctx: ")) << e.what();
    }
    EXPECT_TRUE(caught) << c.kind;
  }
}

TEST(WithContext, PrefixesTheMessageAndReplacesTheHintOnlyWhenGiven) {
  const auto raise = [] {
    throw NotFoundError("HTTP 404 Not Found", "check the run id");
  };
  const auto kept = wrapped<NotFoundError>(raise, "");
  ASSERT_TRUE(kept.has_value());
  EXPECT_STREQ(kept->what(), "cannot look up run 7 of ROCm/TheRock: HTTP 404 Not Found");
  EXPECT_EQ(kept->hint(), "check the run id");
  const auto replaced =
      wrapped<NotFoundError>(raise, "select the repository with --run-github-repo");
  ASSERT_TRUE(replaced.has_value());
  EXPECT_EQ(replaced->hint(), "select the repository with --run-github-repo");
}

TEST(WithContext, KeepsStatusCodeAndRequestIdOfRemoteErrors) {
  const auto e =
      wrapped<RemoteError>([] { throw RemoteError("HTTP 503", 503, "SlowDown", "R1"); }, "");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->status(), 503);
  EXPECT_EQ(e->code(), "SlowDown");
  EXPECT_EQ(e->request_id(), "R1");
  EXPECT_STREQ(e->what(), "cannot look up run 7 of ROCm/TheRock: HTTP 503");
}

TEST(WithContext, ReturnsTheValueAndLeavesOtherExceptionsAlone) {
  EXPECT_EQ(with_context("ctx", "", [] { return 42; }), 42);
  EXPECT_THROW(with_context("ctx", "", [] { throw std::logic_error("bug"); }), std::logic_error);
}

} // namespace
} // namespace rockart
