// SPDX-License-Identifier: MIT
// workflow_dispatch (github-api.md §4.11): request shape, the run details of
// the 200 answer, no retry of a failed POST, and run conclusions (§4.1).
#include "github_test_util.hpp"
#include "support/support.hpp"

#include <rockart/github/dispatch.hpp>

#include <gtest/gtest.h>

#include <variant>

namespace rockart::github {
namespace {

using test::json_response;
using test::RecordingSleeper;
using test::ScriptedTransport;

struct DispatchFixture : ::testing::Test {
  ScriptedTransport transport;
  RecordingSleeper sleeper;
  Client client{transport, sleeper, [] {
                  ClientOptions o;
                  o.base_url = "https://api.github.test";
                  o.token = "tok";
                  return o;
                }()};
};

TEST(GithubDispatch, BodyAsksForRunDetails) {
  DispatchRequest request{"ROCm/TheRock", "multi_arch_ci.yml", "main", {{"commit", "abc"}}};
  EXPECT_EQ(dispatch_body(request).dump(),
            R"({"inputs":{"commit":"abc"},"ref":"main","return_run_details":true})");
  request.inputs.clear();
  EXPECT_EQ(dispatch_body(request).dump(),
            R"({"inputs":{},"ref":"main","return_run_details":true})");
}

TEST_F(DispatchFixture, PostsTheDispatchAndReturnsTheNewRun) {
  transport.responses.push_back(json_response(
      200,
      R"({"workflow_run_id":21500000123,"run_url":"https://api.github.test/repos/ROCm/TheRock/actions/runs/21500000123","html_url":"https://github.com/ROCm/TheRock/actions/runs/21500000123"})"));
  const auto run =
      dispatch_workflow(client, {"ROCm/TheRock", "multi_arch_ci.yml", "main", {{"x", "1"}}});
  EXPECT_EQ(run.run_id, 21500000123u);
  EXPECT_EQ(run.html_url, "https://github.com/ROCm/TheRock/actions/runs/21500000123");
  ASSERT_EQ(transport.requests.size(), 1u);
  const auto& sent = transport.requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url,
            "https://api.github.test/repos/ROCm/TheRock/actions/workflows/multi_arch_ci.yml/"
            "dispatches");
  EXPECT_EQ(std::get<std::string>(sent.body),
            R"({"inputs":{"x":"1"},"ref":"main","return_run_details":true})");
  EXPECT_EQ(http::find_header(sent.headers, "Content-Type").value_or(""), "application/json");
  EXPECT_EQ(http::find_header(sent.headers, "Authorization").value_or(""), "Bearer tok");
}

TEST_F(DispatchFixture, A422IsReportedWithGithubsMessageAndNotRetried) {
  transport.responses.push_back(json_response(
      422,
      R"({"message":"No ref found for: nope","documentation_url":"https://docs.github.com"})"));
  EXPECT_ERROR(dispatch_workflow(client, {"ROCm/TheRock", "ci.yml", "nope", {}}),
               Error,
               "No ref found for: nope");
  EXPECT_EQ(transport.requests.size(), 1u);
  EXPECT_TRUE(sleeper.delays.empty());
}

TEST_F(DispatchFixture, A502IsNotRetriedEither) {
  transport.responses.push_back(json_response(502, "<html>bad gateway</html>"));
  EXPECT_THROW(dispatch_workflow(client, {"ROCm/TheRock", "ci.yml", "main", {}}), Error);
  EXPECT_EQ(transport.requests.size(), 1u);
}

TEST_F(DispatchFixture, A204WithoutRunDetailsIsAnActionableError) {
  transport.responses.push_back(json_response(204, ""));
  EXPECT_ERROR(dispatch_workflow(client, {"ROCm/TheRock", "ci.yml", "main", {}}),
               RemoteError,
               "GitHub accepted the dispatch of ci.yml in ROCm/TheRock (ref main) but returned no "
               "workflow_run_id; this server does not support return_run_details");
}

TEST_F(DispatchFixture, ConclusionOnlyOnceCompleted) {
  const auto run = [](const char* status, const char* conclusion) {
    return json_response(200,
                         std::string(R"({"id":7,"status":")") + status + R"(","conclusion":)"
                             + conclusion + "}");
  };
  transport.responses = {run("queued", "null"),
                         run("in_progress", "null"),
                         run("completed", R"("failure")"),
                         run("completed", R"("success")")};
  EXPECT_EQ(run_conclusion(client, "ROCm/TheRock", 7), std::nullopt);
  EXPECT_EQ(run_conclusion(client, "ROCm/TheRock", 7), std::nullopt);
  EXPECT_EQ(run_conclusion(client, "ROCm/TheRock", 7), "failure");
  EXPECT_EQ(run_conclusion(client, "ROCm/TheRock", 7), "success");
  EXPECT_EQ(transport.requests[0].url, "https://api.github.test/repos/ROCm/TheRock/actions/runs/7");
}

} // namespace
} // namespace rockart::github
