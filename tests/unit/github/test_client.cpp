// SPDX-License-Identifier: MIT
// The REST client against a scripted transport: headers, pagination, retries,
// rate limits (message and waiting), 404 subjects, invalid JSON, no token leaks.
#include "github_test_util.hpp"
#include "support/support.hpp"

#include <rockart/github/client.hpp>

#include <gtest/gtest.h>

namespace rockart::github {
namespace {

using test::json_response;

// 2026-11-21T05:40:34Z, one hour before the reset used below.
const std::chrono::sys_seconds k_now{std::chrono::seconds(1795239634)};

struct Fixture {
  test::ScriptedTransport transport;
  test::RecordingSleeper sleeper;

  Client client(std::string token = {}, bool wait = false) {
    ClientOptions options;
    options.base_url = "https://ghe.example.com/api/v3/";
    options.token = std::move(token);
    options.wait_on_rate_limit = wait;
    options.clock = [] {
      return k_now;
    };
    return Client(transport, sleeper, options);
  }
};

const std::string k_sha = "77f0cb2112d1d0aaae0de6088a6e4337f2488233";

std::string runs_body(std::initializer_list<std::pair<std::uint64_t, std::string>> runs) {
  nlohmann::json doc = {{"total_count", runs.size()}, {"workflow_runs", nlohmann::json::array()}};
  for (const auto& [id, created] : runs) {
    doc["workflow_runs"].push_back({{"id", id}, {"created_at", created}, {"head_sha", k_sha}});
  }
  return doc.dump();
}

http::Headers rate_limited_headers() {
  return {{"x-ratelimit-limit", "60"},
          {"x-ratelimit-remaining", "0"},
          {"x-ratelimit-used", "60"},
          {"x-ratelimit-reset", "1795243234"},
          {"x-ratelimit-resource", "core"}};
}

const char* k_rate_body =
    R"j({"message":"API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit.)","status":"403"})j";

TEST(GithubClient, SendsTheStandardHeadersAndTheTokenAsBearer) {
  Fixture f;
  f.transport.responses.push_back(json_response(200, R"({"sha": ")" + k_sha + R"("})"));
  auto client = f.client("ghp_secret123");
  EXPECT_EQ(client.get_commit("ROCm/TheRock", "release/therock-7.10").sha, k_sha);
  ASSERT_EQ(f.transport.requests.size(), 1u);
  const auto& request = f.transport.requests[0];
  EXPECT_EQ(request.url,
            "https://ghe.example.com/api/v3/repos/ROCm/TheRock/commits/release%2Ftherock-7.10");
  EXPECT_EQ(http::find_header(request.headers, "Accept"), "application/vnd.github+json");
  EXPECT_EQ(http::find_header(request.headers, "X-GitHub-Api-Version"), "2022-11-28");
  EXPECT_EQ(http::find_header(request.headers, "User-Agent"),
            "therock-ci-outputs/" + util::version());
  EXPECT_EQ(http::find_header(request.headers, "Authorization"), "Bearer ghp_secret123");
  EXPECT_EQ(client.request_count(), 1u);
}

TEST(GithubClient, UnauthenticatedRequestsCarryNoAuthorization) {
  Fixture f;
  f.transport.responses.push_back(json_response(200, R"({"sha": ")" + k_sha + R"("})"));
  auto client = f.client();
  client.get_commit("ROCm/TheRock", k_sha);
  EXPECT_EQ(http::find_header(f.transport.requests[0].headers, "Authorization"), std::nullopt);
}

TEST(GithubClient, FollowsNextLinksVerbatimAndSortsRunsNewestFirst) {
  Fixture f;
  std::string first = "{\"total_count\":101,\"workflow_runs\":[";
  for (int i = 0; i < 100; ++i) {
    first += (i ? "," : "") + std::string("{\"id\":") + std::to_string(1000 + i)
             + ",\"created_at\":\"2026-01-01T00:00:00Z\"}";
  }
  first += "]}";
  const std::string next = "https://ghe.example.com/api/v3/repositories/811111111/actions/"
                           "workflows/ci.yml/runs?head_sha="
                           + k_sha + "&per_page=100&page=2";
  f.transport.responses.push_back(json_response(
      200, first, {{"Link", "<" + next + ">; rel=\"next\", <" + next + ">; rel=\"last\""}}));
  f.transport.responses.push_back(json_response(200, runs_body({{5, "2026-02-01T00:00:00Z"}})));
  auto client = f.client();
  const auto runs = client.list_runs_for_commit("ROCm/TheRock", "ci.yml", k_sha);
  ASSERT_EQ(runs.size(), 101u);
  EXPECT_EQ(runs[0].id, 5u);    // newest created_at first
  EXPECT_EQ(runs[1].id, 1099u); // ties: higher id first
  ASSERT_EQ(f.transport.requests.size(), 2u);
  EXPECT_EQ(f.transport.requests[0].url,
            "https://ghe.example.com/api/v3/repos/ROCm/TheRock/actions/workflows/ci.yml/"
            "runs?head_sha="
                + k_sha + "&per_page=100");
  EXPECT_EQ(f.transport.requests[1].url, next);
}

TEST(GithubClient, StopsAtAShortPageEvenWithANextLink) {
  Fixture f;
  f.transport.responses.push_back(
      json_response(200,
                    runs_body({{1, "2026-01-01T00:00:00Z"}}),
                    {{"Link", "<https://ghe.example.com/api/v3/x?page=2>; rel=\"next\""}}));
  auto client = f.client();
  EXPECT_EQ(client.list_runs_for_commit("ROCm/TheRock", "ci.yml", k_sha).size(), 1u);
  EXPECT_EQ(f.transport.requests.size(), 1u);
}

TEST(GithubClient, RetriesServerErrorsAndNetworkFailuresWithOneAndTwoSecondPauses) {
  Fixture f;
  f.transport.responses.push_back(json_response(502, "<html>Bad Gateway</html>"));
  f.transport.responses.push_back(json_response(0, ""));
  f.transport.responses.push_back(json_response(200, runs_body({})));
  auto client = f.client();
  EXPECT_TRUE(client.list_runs_for_commit("ROCm/TheRock", "ci.yml", k_sha).empty());
  EXPECT_EQ(client.request_count(), 3u);
  EXPECT_EQ(f.sleeper.delays,
            (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(1000),
                                                    std::chrono::milliseconds(2000)}));
}

TEST(GithubClient, GivesUpAfterThreeServerErrors) {
  Fixture f;
  for (int i = 0; i < 3; ++i) {
    f.transport.responses.push_back(json_response(503, R"({"message":"Service unavailable"})"));
  }
  auto client = f.client();
  EXPECT_ERROR(client.get("/rate"),
               RemoteError,
               "HTTP 503 error for https://ghe.example.com/api/v3/rate: Service Unavailable "
               "(Service unavailable)");
  EXPECT_EQ(client.request_count(), 3u);
}

TEST(GithubClient, NetworkErrorNamesTheUrl) {
  Fixture f;
  for (int i = 0; i < 3; ++i) {
    f.transport.responses.push_back(json_response(0, ""));
  }
  auto client = f.client();
  EXPECT_ERROR(client.get("/x"),
               NetworkError,
               "Network error for https://ghe.example.com/api/v3/x: connection reset by peer");
}

TEST(GithubClient, RateLimitIsReportedWithResetTimeAndRemedyAndNotRetried) {
  Fixture f;
  f.transport.responses.push_back(json_response(403, k_rate_body, rate_limited_headers()));
  auto client = f.client();
  try {
    client.get_run("ROCm/TheRock", 42);
    FAIL() << "expected a rate-limit error";
  } catch (const http::StatusError& e) {
    EXPECT_EQ(std::string(e.what()),
              "GitHub API rate limit exceeded (HTTP 403) for "
              "https://ghe.example.com/api/v3/repos/ROCm/TheRock/actions/runs/42. The core limit "
              "(60 of 60 requests used) resets at 2026-11-21T06:40:34Z (in 60 minutes). GitHub "
              "says: API rate limit exceeded for 127.0.0.1. (But here's the good news: "
              "Authenticated requests get a higher rate limit.)");
    EXPECT_EQ(
        e.hint(),
        "authenticate with `gh auth login` or set GITHUB_TOKEN (unauthenticated requests "
        "are limited to 60 per hour), or pass --wait-on-rate-limit to wait for the reset; "
        "see https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api");
  }
  EXPECT_EQ(client.request_count(), 1u);
  EXPECT_TRUE(f.sleeper.delays.empty());
}

TEST(GithubClient, SecondaryRateLimitReportsRetryAfter) {
  Fixture f;
  f.transport.responses.push_back(json_response(
      429, R"({"message":"You have exceeded a secondary rate limit."})", {{"retry-after", "30"}}));
  auto client = f.client("tok");
  EXPECT_ERROR(client.get("/x"), http::StatusError, "GitHub asks to retry after 30 s.");
}

TEST(GithubClient, WaitOnRateLimitSleepsUntilTheResetThenRetries) {
  Fixture f;
  f.transport.responses.push_back(json_response(403, k_rate_body, rate_limited_headers()));
  f.transport.responses.push_back(json_response(200, R"({"sha": ")" + k_sha + R"("})"));
  auto client = f.client({}, true);
  EXPECT_EQ(client.get_commit("ROCm/TheRock", k_sha).sha, k_sha);
  EXPECT_EQ(f.sleeper.delays,
            std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(3601'000)});
}

TEST(GithubClient, NotFoundNamesTheWorkflowAndRepository) {
  Fixture f;
  f.transport.responses.push_back(json_response(404, R"({"message":"Not Found"})"));
  auto client = f.client();
  try {
    client.list_runs_for_commit("ROCm/TheRock", "nightly.yml", k_sha);
    FAIL();
  } catch (const RemoteError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_EQ(std::string(e.what()),
              "Resource not found (404): https://ghe.example.com/api/v3/repos/ROCm/TheRock/"
              "actions/workflows/nightly.yml/runs?head_sha="
                  + k_sha + "&per_page=100 (workflow 'nightly.yml' of repository ROCm/TheRock).");
    EXPECT_EQ(e.hint(),
              "verify the workflow 'nightly.yml' of repository ROCm/TheRock (private "
              "repositories also answer 404 without access)");
  }
}

TEST(GithubClient, InvalidJsonNamesTheUrl) {
  Fixture f;
  f.transport.responses.push_back(json_response(200, R"({"workflow_runs": [)"));
  auto client = f.client();
  EXPECT_ERROR(client.get("/repos/a/b/x"),
               RemoteError,
               "Invalid JSON response from https://ghe.example.com/api/v3/repos/a/b/x: ");
}

TEST(GithubClient, EmptyBodyOnGetIsInvalidJson) {
  Fixture f;
  f.transport.responses.push_back(json_response(200, ""));
  auto client = f.client();
  EXPECT_ERROR(client.get("/y"), RemoteError, "Invalid JSON response from");
}

TEST(GithubClient, UnauthorizedSaysTheTokenIsBadWithoutShowingIt) {
  Fixture f;
  f.transport.responses.push_back(json_response(401, R"({"message":"Bad credentials"})"));
  auto client = f.client("ghp_verysecret");
  try {
    client.get("/user");
    FAIL();
  } catch (const RemoteError& e) {
    const std::string all = std::string(e.what()) + e.hint();
    EXPECT_NE(all.find("Authentication failed (401)"), std::string::npos) << all;
    EXPECT_NE(all.find("gh auth login"), std::string::npos) << all;
    EXPECT_EQ(all.find("ghp_verysecret"), std::string::npos) << all;
  }
}

TEST(GithubClient, ForbiddenWithoutRateLimitIsAccessDenied) {
  Fixture f;
  f.transport.responses.push_back(
      json_response(403, R"({"message":"Resource not accessible by integration"})"));
  auto client = f.client("t");
  EXPECT_ERROR(client.get("/z"), RemoteError, "Access denied (403 Forbidden) for");
}

TEST(GithubClient, MalformedRepositoryIsAUsageError) {
  Fixture f;
  auto client = f.client();
  EXPECT_ERROR(client.get_run("TheRock", 1), UsageError, "TheRock");
  EXPECT_EQ(client.request_count(), 0u);
}

TEST(GithubClient, ListCommitsPaginatesUpToMaxCount) {
  Fixture f;
  nlohmann::json page = nlohmann::json::array();
  for (int i = 0; i < 100; ++i) {
    page.push_back({{"sha", std::string(39, 'a') + std::to_string(i % 10)}});
  }
  f.transport.responses.push_back(
      json_response(200, page.dump(), {{"Link", "<https://n/2>; rel=\"next\""}}));
  f.transport.responses.push_back(json_response(200, page.dump()));
  auto client = f.client();
  EXPECT_EQ(client.list_commits("ROCm/TheRock", "main", 150).size(), 150u);
  EXPECT_EQ(f.transport.requests[0].url,
            "https://ghe.example.com/api/v3/repos/ROCm/TheRock/commits?sha=main&per_page=100");
  EXPECT_EQ(f.transport.requests[1].url, "https://n/2");
}

TEST(LinkHeader, FindsNextAmongOtherRelations) {
  EXPECT_EQ(
      next_link(
          R"(<https://a/1?page=1>; rel="prev", <https://a/1?page=3&x=%2F>; rel="next", <https://a/1?page=9>; rel="last")"),
      "https://a/1?page=3&x=%2F");
  EXPECT_EQ(next_link(R"(<https://a/1?page=1>; rel="first", <https://a/1?page=2>; rel="prev")"),
            std::nullopt);
  EXPECT_EQ(next_link(""), std::nullopt);
  EXPECT_EQ(next_link("<broken"), std::nullopt);
}

} // namespace
} // namespace rockart::github
