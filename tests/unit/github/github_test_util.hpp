// SPDX-License-Identifier: MIT
// Test doubles for the github unit tests: a Transport answering from a script
// (recording every request) and a Sleeper that only records delays.
#pragma once

#include <rockart/error.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/http/transport.hpp>

#include <deque>
#include <string>
#include <vector>

namespace rockart::github::test {

// Answers requests in order from `responses`; a response with status 0 makes
// perform() throw NetworkError instead.
class ScriptedTransport final : public http::Transport {
public:
  std::deque<http::Response> responses;
  std::vector<http::Request> requests;

  http::Response perform(const http::Request& request) override {
    requests.push_back(request);
    if (responses.empty()) {
      throw std::logic_error("unexpected request " + request.url);
    }
    auto response = responses.front();
    responses.pop_front();
    if (response.status == 0) {
      throw NetworkError("connection reset by peer");
    }
    return response;
  }
};

class RecordingSleeper final : public http::Sleeper {
public:
  std::vector<std::chrono::milliseconds> delays;

  void sleep(std::chrono::milliseconds delay) override { delays.push_back(delay); }
};

inline http::Response json_response(int status, std::string body, http::Headers headers = {}) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

} // namespace rockart::github::test
