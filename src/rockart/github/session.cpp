// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/github/auth.hpp>
#include <rockart/github/session.hpp>
#include <rockart/http/curl_transport.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/redact.hpp>

namespace rockart::github {

namespace {

// Refuses every request. A usage error, so the client neither retries nor waits.
class OfflineTransport final : public http::Transport {
public:
  http::Response perform(const http::Request& request) override {
    throw UsageError("offline: this needs GitHub (" + request.method + " "
                         + util::redact_url(request.url) + "), which --offline forbids",
                     "run it without --offline (abbreviated SHAs, refs and branch searches "
                     "always ask GitHub)");
  }
};

} // namespace

Session::Session(const util::EnvLookup& env,
                 const CommandRunner& run,
                 SessionOptions options,
                 http::Transport* transport) {
  ClientOptions client_options;
  client_options.base_url = env("GITHUB_API_URL").value_or(std::string(k_default_api_url));
  client_options.wait_on_rate_limit = options.wait_on_rate_limit;
  if (options.offline) {
    m_counting = std::make_unique<http::CountingTransport>(std::make_unique<OfflineTransport>());
  } else {
    const Auth auth = resolve_auth(env, run);
    if (auth.authenticated()) {
      util::log_debug("GitHub token from " + auth.source);
    } else {
      client_options.unauthenticated_warning = unauthenticated_warning();
    }
    client_options.token = auth.token;
    m_counting =
        transport != nullptr
            ? std::make_unique<http::CountingTransport>(*transport)
            : std::make_unique<http::CountingTransport>(std::make_unique<http::CurlTransport>());
  }
  m_client = std::make_unique<Client>(*m_counting, m_sleeper, std::move(client_options));
}

Session::~Session() = default;

} // namespace rockart::github
