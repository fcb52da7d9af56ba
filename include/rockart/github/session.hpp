// SPDX-License-Identifier: MIT
// The GitHub client of one command, set up the one way every command does it:
// token from GITHUB_TOKEN, GH_TOKEN or `gh auth token`; API base URL from
// GITHUB_API_URL; rockart's User-Agent; requests counted for --stats. With
// `offline` nothing reaches the network: every request fails at once.
#pragma once

#include <rockart/github/client.hpp>
#include <rockart/github/command.hpp>
#include <rockart/http/counting_transport.hpp>
#include <rockart/util/env.hpp>

#include <cstdint>
#include <memory>

namespace rockart::github {

struct SessionOptions {
  bool offline = false;            // refuse every request (UsageError naming it)
  bool wait_on_rate_limit = false; // sleep until a rate limit resets instead of failing
};

class Session {
public:
  // Resolves the token through `env` and `run` (logs a warning when there is
  // none, unless offline) and builds the client over `transport`, or over a
  // CurlTransport of its own when `transport` is null. `transport` must
  // outlive the session.
  Session(const util::EnvLookup& env,
          const CommandRunner& run,
          SessionOptions options = {},
          http::Transport* transport = nullptr);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Client& client() { return *m_client; }

  // GitHub requests sent so far.
  std::uint64_t requests() const { return m_counting->count(); }

private:
  std::unique_ptr<http::CountingTransport> m_counting;
  http::RealSleeper m_sleeper;
  std::unique_ptr<Client> m_client;
};

} // namespace rockart::github
